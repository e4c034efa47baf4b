"""The language-neutral model of a component's world.

The reader (binary) and the WIT front end (`bindgen/wit`) produce this; the printer, the
generator's planner and the generation-time check consume it. Everything here
is a frozen dataclass of plain values: no wasmtime objects, no ctypes.

Only a model built from WIT source carries doc comments (`docs` fields,
None otherwise): component binaries keep none.

Named types are referred to by `TypeId` (owner plus WIT name) rather than by
object, so the model has no cycles and two structurally identical records
`a` and `b` stay distinct.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal, Union

from ._compat import assert_never

# --------------------------------------------------------------------------
# Owners: who defines a named type or a function.


class Direction(enum.Enum):
    IMPORT = "import"
    EXPORT = "export"


@dataclass(frozen=True, order=True)
class InterfaceName:
    """`namespace:package/name@version`; `namespace`/`package` are empty for a
    world-local (unnamed) interface such as `import lists: interface {...}`."""

    namespace: str
    package: str
    name: str
    version: str | None = None

    @property
    def is_local(self) -> bool:
        return not self.namespace

    @property
    def package_id(self) -> str:
        """`ns:pkg@ver` (empty for a world-local interface)."""
        if self.is_local:
            return ""
        base = f"{self.namespace}:{self.package}"
        return f"{base}@{self.version}" if self.version else base

    def __str__(self) -> str:
        if self.is_local:
            return self.name
        base = f"{self.namespace}:{self.package}/{self.name}"
        return f"{base}@{self.version}" if self.version else base


@dataclass(frozen=True, order=True)
class Owner:
    """Where a named type lives: an interface imported or exported by the
    world, or the world itself (`interface is None`). An interface both
    imported and exported has two owners with separate types."""

    direction: Direction
    interface: InterfaceName | None

    def __str__(self) -> str:
        where = str(self.interface) if self.interface else "world"
        return f"{self.direction.value} {where}"


@dataclass(frozen=True, order=True)
class TypeId:
    owner: Owner
    name: str

    def __str__(self) -> str:
        return f"{self.owner}: {self.name}"


# --------------------------------------------------------------------------
# Type expressions: what a parameter, field or payload refers to.

PrimitiveName = Literal[
    "bool", "s8", "u8", "s16", "u16", "s32", "u32", "s64", "u64",
    "f32", "f64", "char", "string",
]  # fmt: skip


@dataclass(frozen=True)
class Primitive:
    name: PrimitiveName


@dataclass(frozen=True)
class ListType:
    element: Type


@dataclass(frozen=True)
class TupleType:
    elements: tuple[Type, ...]


@dataclass(frozen=True)
class OptionType:
    inner: Type


@dataclass(frozen=True)
class ResultType:
    ok: Type | None
    err: Type | None


@dataclass(frozen=True)
class OwnType:
    resource: TypeId


@dataclass(frozen=True)
class BorrowType:
    resource: TypeId


@dataclass(frozen=True)
class TypeRef:
    """A reference to a named type (record, variant, enum, flags, alias, or a
    named anonymous type such as `type bytes = list<u8>`)."""

    id: TypeId


Type = Union[Primitive, ListType, TupleType, OptionType, ResultType, OwnType, BorrowType, TypeRef]


# --------------------------------------------------------------------------
# Named type definitions.


@dataclass(frozen=True)
class Field:
    name: str
    type: Type
    docs: str | None = None


@dataclass(frozen=True)
class RecordDef:
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class Case:
    name: str
    type: Type | None
    docs: str | None = None


@dataclass(frozen=True)
class VariantDef:
    cases: tuple[Case, ...]


@dataclass(frozen=True)
class EnumDef:
    members: tuple[str, ...]
    # Doc comments of the members, in order, when the model comes from WIT.
    member_docs: tuple[str | None, ...] | None = None


@dataclass(frozen=True)
class FlagsDef:
    members: tuple[str, ...]
    member_docs: tuple[str | None, ...] | None = None


@dataclass(frozen=True)
class ResourceDef:
    """A resource type; its constructor, methods and statics are the owner's
    functions whose `kind` names it."""


@dataclass(frozen=True)
class AliasDef:
    """`type pt = point`, `type bytes = list<u8>`, or (when `target` is owned
    elsewhere) a `use other.{point as pt}`."""

    target: Type


TypeDefKind = Union[RecordDef, VariantDef, EnumDef, FlagsDef, ResourceDef, AliasDef]


@dataclass(frozen=True)
class TypeDef:
    id: TypeId
    kind: TypeDefKind
    docs: str | None = None

    @property
    def name(self) -> str:
        return self.id.name


# --------------------------------------------------------------------------
# Functions.


@dataclass(frozen=True)
class Freestanding:
    pass


@dataclass(frozen=True)
class Constructor:
    resource: TypeId


@dataclass(frozen=True)
class Method:
    resource: TypeId


@dataclass(frozen=True)
class Static:
    resource: TypeId


FunctionKind = Union[Freestanding, Constructor, Method, Static]


@dataclass(frozen=True)
class Param:
    name: str
    type: Type


@dataclass(frozen=True)
class Function:
    """`name` is the component-level name (`[method]counter.get`);
    `item_name` is the WIT-level name (`get`, or `constructor`)."""

    name: str
    kind: FunctionKind
    params: tuple[Param, ...]
    result: Type | None
    docs: str | None = None
    #: WIT ``async func`` (a component-model-async function type).
    is_async: bool = False

    @property
    def signature_types(self) -> tuple[Type | None, ...]:
        """Its parameters' types, then its result's (None when it has none)."""
        return (*(p.type for p in self.params), self.result)

    @property
    def item_name(self) -> str:
        match self.kind:
            case Freestanding():
                return self.name
            case Constructor():
                return "constructor"
            case Method() | Static():
                return self.name.split(".", 1)[1]
        raise AssertionError(self.kind)  # pragma: no cover


# --------------------------------------------------------------------------
# Interfaces and the world.


@dataclass(frozen=True)
class Interface:
    owner: Owner
    types: tuple[TypeDef, ...]
    functions: tuple[Function, ...]
    docs: str | None = None

    @property
    def name(self) -> InterfaceName:
        assert self.owner.interface is not None
        return self.owner.interface


@dataclass(frozen=True)
class World:
    """The world a component targets. `name` is unknown for a component read
    from its binary (the binary does not keep it) and is then None."""

    imports: tuple[Interface, ...]
    exports: tuple[Interface, ...]
    # World-level items (owner.interface is None).
    import_types: tuple[TypeDef, ...] = ()
    import_functions: tuple[Function, ...] = ()
    export_types: tuple[TypeDef, ...] = ()
    export_functions: tuple[Function, ...] = ()
    name: str | None = None
    docs: str | None = None
    _index: dict[TypeId, TypeDef] = field(
        default_factory=dict, compare=False, repr=False, hash=False
    )

    def __post_init__(self) -> None:
        index = self._index
        for td in self.all_types():
            index[td.id] = td

    def all_types(self) -> tuple[TypeDef, ...]:
        out: list[TypeDef] = list(self.import_types)
        for i in self.imports:
            out.extend(i.types)
        out.extend(self.export_types)
        for i in self.exports:
            out.extend(i.types)
        return tuple(out)

    def typedef(self, id: TypeId) -> TypeDef:
        return self._index[id]

    def resolve(self, ty: Type) -> Type:
        """Follow `TypeRef`s through aliases to the underlying structure; a
        reference to a record/variant/enum/flags/resource stays a `TypeRef`
        to its defining TypeDef."""
        while isinstance(ty, TypeRef):
            td = self._index[ty.id]
            if isinstance(td.kind, AliasDef):
                ty = td.kind.target
            else:
                return ty
        return ty

    def types_reachable_from(self, roots: Iterable[Type | None]) -> list[TypeId]:
        """Every named type the types `roots` reach, through aliases, record
        fields, variant cases and resource handles: each once, in the order a
        depth-first walk first reaches it (None, a missing result, reaches
        nothing)."""
        reached: dict[TypeId, None] = {}

        def visit(ty: Type | None) -> None:
            match ty:
                case None | Primitive():
                    pass
                case ListType(element=t) | OptionType(inner=t):
                    visit(t)
                case TupleType(elements=ts):
                    for t in ts:
                        visit(t)
                case ResultType(ok=ok, err=err):
                    visit(ok)
                    visit(err)
                case OwnType(resource=id) | BorrowType(resource=id) | TypeRef(id=id):
                    if id not in reached:
                        reached[id] = None
                        visit_def(self._index[id].kind)
                case _:
                    assert_never(ty)

        def visit_def(kind: TypeDefKind) -> None:
            match kind:
                case RecordDef(fields=fields):
                    for f in fields:
                        visit(f.type)
                case VariantDef(cases=cases):
                    for c in cases:
                        visit(c.type)
                case AliasDef(target=target):
                    visit(target)
                case EnumDef() | FlagsDef() | ResourceDef():
                    pass
                case _:
                    assert_never(kind)

        for root in roots:
            visit(root)
        return list(reached)
