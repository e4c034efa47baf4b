"""The resolved form of WIT: interfaces, worlds and types linked by object
identity (like wit-parser's `Resolve`), before they become the model.

A world-independent interface has one `RInterface`; the model's owners
(import or export side) are decided only when a world is turned into the
model (`to_model.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Union

from .errors import Span

# ---- type expressions ------------------------------------------------------


@dataclass(frozen=True)
class RList:
    element: RTy


@dataclass(frozen=True)
class RTuple:
    elements: tuple[RTy, ...]


@dataclass(frozen=True)
class ROption:
    inner: RTy


@dataclass(frozen=True)
class RResult:
    ok: RTy | None
    err: RTy | None


@dataclass(frozen=True)
class ROwn:
    resource: RType


@dataclass(frozen=True)
class RBorrow:
    resource: RType


@dataclass(frozen=True)
class RRef:
    type: RType


@dataclass(frozen=True)
class RUnsupported:
    what: str
    span: Span


# A primitive is its name.
RTy = Union[str, RList, RTuple, ROption, RResult, ROwn, RBorrow, RRef, RUnsupported]

# ---- named types -------------------------------------------------------------


@dataclass(frozen=True)
class RField:
    name: str
    type: RTy
    docs: str | None


@dataclass(frozen=True)
class RCase:
    name: str
    type: RTy | None
    docs: str | None


@dataclass(frozen=True)
class RMember:
    name: str
    docs: str | None


@dataclass(frozen=True)
class RRecord:
    fields: tuple[RField, ...]


@dataclass(frozen=True)
class RVariant:
    cases: tuple[RCase, ...]


@dataclass(frozen=True)
class REnum:
    members: tuple[RMember, ...]


@dataclass(frozen=True)
class RFlags:
    members: tuple[RMember, ...]


@dataclass(frozen=True)
class RResource:
    pass


@dataclass(frozen=True)
class RAlias:
    target: RTy


RKind = Union[RRecord, RVariant, REnum, RFlags, RResource, RAlias]


@dataclass(eq=False)
class RType:
    name: str
    owner: RInterface | RWorld
    kind: RKind
    docs: str | None
    span: Span

    def __repr__(self) -> str:
        return f"RType({self.name!r})"

    def base(self) -> RType:
        """Follow aliases of a bare name (`type b = a`, `use x.{a}`)."""
        t = self
        while isinstance(t.kind, RAlias) and isinstance(t.kind.target, RRef):
            t = t.kind.target.type
        return t

    def interface_dep(self) -> RInterface | None:
        """The interface this type is `use`d from, if it is a `use`."""
        if isinstance(self.kind, RAlias) and isinstance(self.kind.target, RRef):
            other = self.kind.target.type.owner
            if other is not self.owner and isinstance(other, RInterface):
                return other
        return None


# ---- functions, interfaces, worlds ---------------------------------------------


@dataclass(frozen=True)
class RFunc:
    name: str  # component-level: `f`, `[method]r.f`, `[constructor]r`
    kind: Literal["freestanding", "constructor", "method", "static"]
    resource: RType | None
    params: tuple[tuple[str, RTy], ...]
    result: RTy | None
    docs: str | None
    is_async: bool
    span: Span


@dataclass(eq=False)
class RInterface:
    namespace: str | None  # None for a world's inline interface
    package: str | None
    version: str | None
    name: str | None  # None for an inline interface (named by its world key)
    docs: str | None
    span: Span
    types: dict[str, RType] = field(default_factory=dict)
    functions: list[RFunc] = field(default_factory=list)

    def __repr__(self) -> str:
        return f"RInterface({self.ident()!r})"

    def ident(self) -> str:
        if self.namespace is None:
            return self.name or "<inline>"
        base = f"{self.namespace}:{self.package}/{self.name}"
        return f"{base}@{self.version}" if self.version else base

    def deps(self) -> list[RInterface]:
        """Interfaces this one `use`s from, in the order of its types (may repeat)."""
        out = []
        for t in self.types.values():
            d = t.interface_dep()
            if d is not None:
                out.append(d)
        return out


@dataclass(frozen=True)
class WInterface:
    interface: RInterface
    docs: str | None


@dataclass(frozen=True)
class WFunc:
    func: RFunc


@dataclass(frozen=True)
class WType:
    type: RType


WItem = Union[WInterface, WFunc, WType]
# A world key: an interface (by identity) or a plain name.
WKey = Union[RInterface, str]


@dataclass(eq=False)
class RWorld:
    namespace: str
    package: str
    version: str | None
    name: str
    docs: str | None
    span: Span
    imports: dict[WKey, WItem] = field(default_factory=dict)
    exports: dict[WKey, WItem] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"RWorld({self.name!r})"
