"""The syntax tree of WIT files, as the parser reads them (WIT.md grammar).

Names keep their spans so that resolution errors point at the source.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Union

from .errors import Span


@dataclass(frozen=True)
class Id:
    name: str
    span: Span


# ---- attributes (feature gates) ------------------------------------------


@dataclass(frozen=True)
class Attribute:
    kind: Literal["since", "unstable", "deprecated", "external-id"]
    value: str
    span: Span


# ---- types -----------------------------------------------------------------


@dataclass(frozen=True)
class TPrim:
    name: str
    span: Span


@dataclass(frozen=True)
class TName:
    id: Id

    @property
    def span(self) -> Span:
        return self.id.span


@dataclass(frozen=True)
class TList:
    element: Ty
    span: Span


@dataclass(frozen=True)
class TTuple:
    elements: tuple[Ty, ...]
    span: Span


@dataclass(frozen=True)
class TOption:
    inner: Ty
    span: Span


@dataclass(frozen=True)
class TResult:
    ok: Ty | None
    err: Ty | None
    span: Span


@dataclass(frozen=True)
class THandle:
    borrow: bool
    resource: Id
    span: Span


@dataclass(frozen=True)
class TUnsupported:
    """`future`, `stream`, `map`, `error-context`, fixed-length lists: valid
    WIT the bindings cannot represent yet (an error at resolution, naming it)."""

    what: str
    inner: tuple[Ty, ...]
    span: Span


Ty = Union[TPrim, TName, TList, TTuple, TOption, TResult, THandle, TUnsupported]


# ---- type definitions ------------------------------------------------------


@dataclass(frozen=True)
class Named:
    """A field, case or member: its name, payload type (if any) and docs."""

    id: Id
    ty: Ty | None
    docs: tuple[str, ...]


@dataclass(frozen=True)
class Func:
    params: tuple[tuple[Id, Ty], ...]
    result: Ty | None
    is_async: bool
    span: Span


@dataclass(frozen=True)
class ResourceFunc:
    kind: Literal["constructor", "method", "static"]
    id: Id  # `constructor` for the constructor
    func: Func
    docs: tuple[str, ...]
    attrs: tuple[Attribute, ...]


@dataclass(frozen=True)
class TypeDef:
    kind: Literal["record", "variant", "enum", "flags", "resource", "type"]
    id: Id
    docs: tuple[str, ...]
    attrs: tuple[Attribute, ...]
    items: tuple[Named, ...] = ()  # fields, cases or members
    funcs: tuple[ResourceFunc, ...] = ()  # resource methods
    alias: Ty | None = None  # `type x = ty`


# ---- paths, use, functions ------------------------------------------------


@dataclass(frozen=True)
class LocalPath:
    """`foo`: an interface or world of this package (or a top-level `use`)."""

    id: Id

    @property
    def span(self) -> Span:
        return self.id.span


@dataclass(frozen=True)
class PackagePath:
    """`ns:pkg/name@version`."""

    namespace: str
    package: str
    version: str | None
    id: Id  # the interface or world name
    span: Span

    @property
    def package_name(self) -> str:
        base = f"{self.namespace}:{self.package}"
        return f"{base}@{self.version}" if self.version else base

    def __str__(self) -> str:
        base = f"{self.namespace}:{self.package}/{self.id.name}"
        return f"{base}@{self.version}" if self.version else base


UsePath = Union[LocalPath, PackagePath]


@dataclass(frozen=True)
class Use:
    path: UsePath
    names: tuple[tuple[Id, Id | None], ...]  # (name, as)
    attrs: tuple[Attribute, ...]
    span: Span


@dataclass(frozen=True)
class NamedFunc:
    id: Id
    func: Func
    docs: tuple[str, ...]
    attrs: tuple[Attribute, ...]


InterfaceItem = Union[TypeDef, NamedFunc, Use]


@dataclass(frozen=True)
class Interface:
    id: Id
    items: tuple[InterfaceItem, ...]
    docs: tuple[str, ...]
    attrs: tuple[Attribute, ...]


# ---- worlds ----------------------------------------------------------------


@dataclass(frozen=True)
class ExternFunc:
    id: Id
    func: Func


@dataclass(frozen=True)
class ExternInterface:
    id: Id
    items: tuple[InterfaceItem, ...]


@dataclass(frozen=True)
class ExternPath:
    path: UsePath


@dataclass(frozen=True)
class ExternNamedPath:
    id: Id
    path: UsePath


ExternKind = Union[ExternFunc, ExternInterface, ExternPath, ExternNamedPath]


@dataclass(frozen=True)
class ImportExport:
    direction: Literal["import", "export"]
    kind: ExternKind
    docs: tuple[str, ...]
    attrs: tuple[Attribute, ...]
    span: Span


@dataclass(frozen=True)
class Include:
    path: UsePath
    names: tuple[tuple[Id, Id], ...]
    attrs: tuple[Attribute, ...]
    span: Span


WorldItem = Union[ImportExport, Use, TypeDef, Include]


@dataclass(frozen=True)
class World:
    id: Id
    items: tuple[WorldItem, ...]
    docs: tuple[str, ...]
    attrs: tuple[Attribute, ...]


# ---- files and packages ------------------------------------------------------


@dataclass(frozen=True)
class PackageName:
    namespace: str
    name: str
    version: str | None
    span: Span

    @property
    def key(self) -> str:
        base = f"{self.namespace}:{self.name}"
        return f"{base}@{self.version}" if self.version else base


@dataclass(frozen=True)
class TopUse:
    path: UsePath
    as_: Id | None
    span: Span

    @property
    def name(self) -> Id:
        if self.as_ is not None:
            return self.as_
        return self.path.id


@dataclass(frozen=True)
class NestedPackage:
    name: PackageName
    items: tuple[Interface | World | TopUse, ...]


@dataclass(frozen=True)
class File:
    package: PackageName | None
    items: tuple[Interface | World | TopUse | NestedPackage, ...]
