"""Glue between generated modules and the runtime.

A generated module lists its functions once (``_FUNCS``, in index order). The
world module turns those lists into its ``Bindings`` with ``specs``; each
interface object of an instance gets a ``PlanTable`` from ``bind_funcs``
(plans bound on first use), and resource wrappers find the same table again
through their instance, so no call looks anything up by name.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from .funcs import PlanTable
from .linking import BoundInstance
from .types import Func

__all__ = ["bind_funcs", "host_method", "specs"]

FuncTable = tuple[tuple[str, Func], ...]
T = TypeVar("T")


def bind_funcs(bound: BoundInstance, interface: str | None, funcs: FuncTable) -> PlanTable:
    """The instance's plans for one module's ``_FUNCS`` (indexed by position),
    remembered on the instance under that table so resource wrappers of this
    instance reach them (``GuestResource._funcs``)."""
    names = tuple(name for name, _ in funcs)
    table = PlanTable(bound, interface, names)
    bound.state.bindings[id(funcs)] = weakref.ref(table)
    bound.state.tables_of[id(funcs)] = (interface, names)
    return table


def specs(
    interface: str | None, items: Iterable[tuple[str, T]]
) -> tuple[tuple[str | None, str, T], ...]:
    """``(interface, name, x)`` for each ``(name, x)`` of a module's table."""
    return tuple((interface, name, x) for name, x in items)


def host_method(name: str) -> Callable[..., Any]:
    """The implementation of an imported resource's method: the runtime lifts
    `self` to the host's object and calls this with it first."""

    def call(obj: Any, *args: Any) -> Any:
        return getattr(obj, name)(*args)

    call.__qualname__ = call.__name__ = f"host_method_{name}"
    return call
