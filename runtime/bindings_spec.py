"""What a generated package was generated for: ``Bindings``.

A generated package lists, once, the exports it calls (interface, name,
function type) and the imports the host implements (functions and resource
types); the world module holds them as one ``Bindings`` constant. Everything
that depends only on the bindings and a component (the load-time check, the
call plans, the lane wrapper, the host definitions in a Linker) is computed
from it once per component (``prepared.Prepared``), never per instance.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Union

from .types import Func, ImportedResource

__all__ = [
    "Bindings",
    "ExportSpec",
    "HostFuncSpec",
    "ImportSpec",
    "ResourceImportSpec",
]


@dataclass(frozen=True)
class ExportSpec:
    """An export the bindings call: ``interface`` is None for world-level functions."""

    interface: str | None
    name: str
    func: Func


@dataclass(frozen=True)
class HostFuncSpec:
    """An import the host implements: ``interface`` is None for world-level imports."""

    interface: str | None
    name: str
    func: Func


@dataclass(frozen=True)
class ImportSpec:
    """A host function with its implementation (the low-level ``instantiate`` API).

    ``impl`` receives the lifted arguments positionally and returns the result
    (for ``raises=True``: the ok value, or raises ``Err(e)``).
    """

    interface: str | None
    name: str
    func: Func
    impl: Callable[..., Any]


@dataclass(frozen=True)
class ResourceImportSpec:
    """A host-implemented resource type the component imports."""

    interface: str | None
    name: str
    resource: ImportedResource


ExportLike = Union[ExportSpec, tuple[Union[str, None], str, Func]]
HostFuncLike = Union[HostFuncSpec, tuple[Union[str, None], str, Func]]
ResourceLike = Union[ResourceImportSpec, tuple[Union[str, None], str, ImportedResource]]


def where(kind: str, interface: str | None, name: str) -> str:
    """``export 'a:b/c' function 'f'`` (``export function 'f'`` at world level)."""
    if interface is None:
        return f"{kind} function '{name}'"
    return f"{kind} '{interface}' function '{name}'"


class Bindings:
    """The exports, host functions and host resources of one generated package.

    Identity matters: prepared components are cached per ``Bindings`` object,
    which a generated package creates once."""

    __slots__ = ("exports", "imports", "resources", "templates", "__weakref__")

    def __init__(
        self,
        exports: Iterable[ExportLike] = (),
        imports: Iterable[HostFuncLike] = (),
        resources: Iterable[ResourceLike] = (),
    ) -> None:
        self.exports: tuple[ExportSpec, ...] = tuple(
            e if isinstance(e, ExportSpec) else ExportSpec(*e) for e in exports
        )
        self.imports: tuple[HostFuncSpec, ...] = tuple(
            i if isinstance(i, HostFuncSpec) else HostFuncSpec(*i) for i in imports
        )
        self.resources: tuple[ResourceImportSpec, ...] = tuple(
            r if isinstance(r, ResourceImportSpec) else ResourceImportSpec(*r) for r in resources
        )
        #: Call plan templates of the exports, compiled once (``prepared._template``).
        self.templates: dict[Any, Any] = {}

    def key(self) -> tuple[Any, ...]:
        """A value key (``Bindings`` built again from the same specs has the same key)."""
        return (self.exports, self.imports, self.resources)

    def __repr__(self) -> str:
        return (
            f"<Bindings: {len(self.exports)} exports, {len(self.imports)} host functions, "
            f"{len(self.resources)} host resources>"
        )
