"""Glue between generated modules and the loader.

A generated module lists its functions once (`_FUNCS`, in index order); the
world class resolves them to `TypedFunc`s once per instance with
`bind_funcs`, and resource wrappers find the same tuple again through their
instance, so no call looks anything up by name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from .funcs import TypedFunc
from .linking import BoundInstance
from .types import Func, ImportedResource

__all__ = ["bind_funcs", "host_method", "import_specs", "resource_specs"]

FuncTable = tuple[tuple[str, Func], ...]


def bind_funcs(
    bound: BoundInstance, interface: str | None, funcs: FuncTable
) -> tuple[TypedFunc, ...]:
    """The instance's `TypedFunc`s for one module's `_FUNCS`, in its order;
    remembered on the instance under that table so resource wrappers of this
    instance reach them (`GuestResource._funcs`)."""
    table = tuple(bound.func(interface, name) for name, _ in funcs)
    bound.state.bindings[id(funcs)] = table
    return table


def import_specs(
    interface: str | None, impls: Iterable[tuple[str, Func, Callable[..., Any]]]
) -> list[tuple[str | None, str, Func, Callable[..., Any]]]:
    return [(interface, name, func, impl) for name, func, impl in impls]


def resource_specs(
    interface: str | None, resources: Iterable[tuple[str, ImportedResource]]
) -> list[tuple[str | None, str, ImportedResource]]:
    return [(interface, name, res) for name, res in resources]


def host_method(name: str) -> Callable[..., Any]:
    """The implementation of an imported resource's method: the runtime lifts
    `self` to the host's object and calls this with it first."""

    def call(obj: Any, *args: Any) -> Any:
        return getattr(obj, name)(*args)

    call.__qualname__ = call.__name__ = f"host_method_{name}"
    return call
