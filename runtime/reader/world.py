"""Turning the top-level imports and exports into the model's World.

This follows wit-component's decoder (wit-parser's `decoding.rs`): each type
exported by an imported or exported instance becomes a named TypeDef; when
the type it stands for is already named (an alias chain reaching a registered
identity), the TypeDef is an alias of that name, which is how `type pt =
point` and `use other.{point}` come back. Names therefore come from the type
index spaces, never from structural comparison.

Unlike wit-component, an interface both imported and exported is two model
Interfaces with separate owners (the bindings give them separate types).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .._compat import assert_never
from ..errors import ReaderError
from ..model import (
    AliasDef,
    BorrowType,
    Case,
    Constructor,
    Direction,
    EnumDef,
    Field,
    FlagsDef,
    Freestanding,
    Function,
    FunctionKind,
    Interface,
    InterfaceName,
    ListType,
    Method,
    OptionType,
    Owner,
    OwnType,
    Param,
    Primitive,
    RecordDef,
    ResourceDef,
    ResultType,
    Static,
    TupleType,
    Type,
    TypeDef,
    TypeDefKind,
    TypeId,
    TypeRef,
    VariantDef,
    World,
)
from .names import (
    ConstructorName,
    ExternName,
    ExternNameError,
    InterfaceId,
    Label,
    MethodName,
    StaticName,
    parse_extern_name,
)
from .sections import Extern
from .types import (
    Alias,
    AnyType,
    BorrowT,
    ComponentEnt,
    ComponentT,
    EnumT,
    FlagsT,
    FuncEnt,
    FuncT,
    InstanceEnt,
    InstanceT,
    ListT,
    ModuleEnt,
    OptionT,
    OwnT,
    PrimT,
    RecordT,
    Resource,
    ResultT,
    TupleT,
    TypeEnt,
    ValType,
    VariantT,
    peel,
)


@dataclass
class _Scope:
    """What is being filled in: an interface or one side of the world."""

    owner: Owner
    types: list[TypeDef] = field(default_factory=list)
    functions: list[Function] = field(default_factory=list)


class _Context(Exception):
    """Internal: a problem found while converting, before the item is known."""


class WorldBuilder:
    def __init__(self) -> None:
        # Identity of each registered type object (the `created` identity of
        # a type export) -> its model name.
        self.named: dict[object, TypeId] = {}
        # The first name given to each resource, by resource identity: a
        # resource re-exported through another instance is that name.
        self.resource_names: dict[Resource, TypeId] = {}
        # Resources by owner and WIT name, for [constructor]/[method]/[static].
        self.resources_by_owner: dict[Owner, dict[str, TypeId]] = {}
        self.anonymous: dict[object, Type] = {}
        self.imports: list[Interface] = []
        self.exports: list[Interface] = []
        self.world_import = _Scope(Owner(Direction.IMPORT, None))
        self.world_export = _Scope(Owner(Direction.EXPORT, None))

    def build(self, externs: list[Extern]) -> World:
        for ext in externs:
            try:
                self.extern(ext)
            except _Context as e:
                raise ReaderError(str(e), ext.offset, f"{ext.direction} {ext.name!r}") from None
        return World(
            imports=tuple(self.imports),
            exports=tuple(self.exports),
            import_types=tuple(self.world_import.types),
            import_functions=tuple(self.world_import.functions),
            export_types=tuple(self.world_export.types),
            export_functions=tuple(self.world_export.functions),
        )

    # ------------------------------------------------------------------

    def extern(self, ext: Extern) -> None:
        direction = Direction.IMPORT if ext.direction == "import" else Direction.EXPORT
        world_scope = self.world_import if direction is Direction.IMPORT else self.world_export
        match ext.entity:
            case InstanceEnt(instance=inst):
                self.interface(direction, ext, inst)
            case FuncEnt(func=func):
                world_scope.functions.append(
                    self.function(ext.name, ext.parsed, func, world_scope.owner)
                )
            case TypeEnt() as ent:
                if direction is Direction.EXPORT:
                    raise _Context("a component may not export a type at the world level in WIT")
                world_scope.types.append(self.type_export(ext.name, ent, world_scope.owner))
            case ComponentEnt() | ModuleEnt():
                # Not part of a WIT world (wit-component ignores such
                # imports); an export of one cannot be expressed.
                if direction is Direction.EXPORT:
                    raise _Context("only functions and instances can be exported in WIT")
            case _:
                assert_never(ext.entity)

    def interface(self, direction: Direction, ext: Extern, inst: InstanceT) -> None:
        match ext.parsed:
            case InterfaceId(namespace=ns, package=pkg, name=name, version=ver):
                iname = InterfaceName(ns, pkg, name, ver)
            case Label(name=name):
                iname = InterfaceName("", "", name)
            case ConstructorName() | MethodName() | StaticName():
                raise _Context("an instance cannot have a function-like name")
            case _:
                assert_never(ext.parsed)
        scope = _Scope(Owner(direction, iname))
        for name, ent in inst.exports.items():
            try:
                match ent:
                    case TypeEnt():
                        scope.types.append(self.type_export(name, ent, scope.owner))
                    case FuncEnt(func=func):
                        parsed = _parse_item_name(name)
                        scope.functions.append(self.function(name, parsed, func, scope.owner))
                    case InstanceEnt() | ComponentEnt() | ModuleEnt():
                        raise _Context("only types and functions can be interface members in WIT")
                    case _:
                        assert_never(ent)
            except _Context as e:
                raise _Context(f"{_member_kind(ent)} {name!r}: {e}") from None
        out = Interface(scope.owner, tuple(scope.types), tuple(scope.functions))
        (self.imports if direction is Direction.IMPORT else self.exports).append(out)

    # ------------------------------------------------------------------
    # Types.

    def find_named(self, ty: AnyType) -> TypeId | None:
        """The name already given to `ty`, following its alias chain; a
        resource also answers to the first name given to it."""
        cur: AnyType = ty
        while True:
            hit = self.named.get(cur)
            if hit is not None:
                return hit
            if isinstance(cur, Alias):
                cur = cur.target
                continue
            if isinstance(cur, Resource):
                return self.resource_names.get(cur)
            return None

    def type_export(self, name: str, ent: TypeEnt, owner: Owner) -> TypeDef:
        prev = self.find_named(ent.referenced)
        kind: TypeDefKind
        if prev is not None:
            kind = AliasDef(TypeRef(prev))
        else:
            kind = self.definition(peel(ent.referenced))
        tid = TypeId(owner, name)
        if ent.created in self.named:
            raise _Context(f"type {name!r} is exported more than once, which WIT cannot express")
        self.named[ent.created] = tid
        if isinstance(kind, ResourceDef):
            self.resources_by_owner.setdefault(owner, {})[name] = tid
            base = peel(ent.created)
            assert isinstance(base, Resource)
            self.resource_names.setdefault(base, tid)
        elif isinstance(kind, AliasDef) and isinstance(peel(ent.referenced), Resource):
            # `use other.{r}`: methods of `r` may still be declared here.
            self.resources_by_owner.setdefault(owner, {})[name] = tid
        return TypeDef(tid, kind)

    def definition(self, ty: AnyType) -> TypeDefKind:
        match ty:
            case Resource():
                return ResourceDef()
            case RecordT(fields=fields):
                return RecordDef(tuple(Field(n, self.valtype(v)) for n, v in fields))
            case VariantT(cases=cases):
                return VariantDef(
                    tuple(Case(n, None if v is None else self.valtype(v)) for n, v in cases)
                )
            case EnumT(names=names):
                return EnumDef(names)
            case FlagsT(names=names):
                return FlagsDef(names)
            case PrimT() | ListT() | TupleT() | OptionT() | ResultT() | OwnT() | BorrowT():
                return AliasDef(self.structural(ty))
            case Alias():
                raise AssertionError("definition() takes a peeled type")
            case FuncT() | InstanceT() | ComponentT():
                raise _Context("only value types and resources can be named in WIT")
            case _:
                assert_never(ty)

    def valtype(self, v: ValType) -> Type:
        if isinstance(v, str):
            return Primitive(v)
        named = self.find_named(v)
        if named is not None:
            return TypeRef(named)
        ty = peel(v)
        match ty:
            case PrimT() | ListT() | TupleT() | OptionT() | ResultT() | OwnT() | BorrowT():
                # Anonymous types are shared in the type DAG; converting each
                # once keeps this linear in the input.
                done = self.anonymous.get(ty)
                if done is None:
                    done = self.anonymous[ty] = self.structural(ty)
                return done
            case RecordT() | VariantT() | EnumT() | FlagsT():
                raise _Context(
                    f"uses an unnamed {type(ty).__name__[:-1].lower()} type; "
                    "WIT requires records, variants, enums and flags to be named"
                )
            case Resource() | FuncT() | InstanceT() | ComponentT():
                raise _Context("uses a type that is not a value type")
            case Alias():
                raise AssertionError("peel() leaves no Alias")
            case _:
                assert_never(ty)

    def structural(self, ty: PrimT | ListT | TupleT | OptionT | ResultT | OwnT | BorrowT) -> Type:
        match ty:
            case PrimT(name=name):
                return Primitive(name)
            case ListT(element=el):
                return ListType(self.valtype(el))
            case TupleT(elements=els):
                return TupleType(tuple(self.valtype(e) for e in els))
            case OptionT(inner=inner):
                return OptionType(self.valtype(inner))
            case ResultT(ok=ok, err=err):
                return ResultType(
                    None if ok is None else self.valtype(ok),
                    None if err is None else self.valtype(err),
                )
            case OwnT(resource=r):
                return OwnType(self.resource(r))
            case BorrowT(resource=r):
                return BorrowType(self.resource(r))
            case _:
                assert_never(ty)

    def resource(self, r: AnyType) -> TypeId:
        named = self.find_named(r)
        if named is None:
            raise _Context("uses a resource that is neither imported nor exported by name")
        return named

    # ------------------------------------------------------------------
    # Functions.

    def function(self, name: str, parsed: ExternName, func: FuncT, owner: Owner) -> Function:
        kind: FunctionKind
        match parsed:
            case Label():
                kind = Freestanding()
            case ConstructorName(resource=r):
                kind = Constructor(self.resource_named(r, owner))
            case MethodName(resource=r):
                kind = Method(self.resource_named(r, owner))
            case StaticName(resource=r):
                kind = Static(self.resource_named(r, owner))
            case InterfaceId():
                raise _Context(f"{name!r} is an interface name, not a function name")
            case _:
                assert_never(parsed)
        params = []
        for pname, pty in func.params:
            try:
                params.append(Param(pname, self.valtype(pty)))
            except _Context as e:
                raise _Context(f"function {name!r} param {pname!r}: {e}") from None
        try:
            result = None if func.result is None else self.valtype(func.result)
        except _Context as e:
            raise _Context(f"function {name!r} result: {e}") from None
        return Function(name, kind, tuple(params), result, is_async=func.is_async)

    def resource_named(self, resource: str, owner: Owner) -> TypeId:
        tid = self.resources_by_owner.get(owner, {}).get(resource)
        if tid is None:
            raise _Context(f"refers to resource {resource!r}, which is not defined before it")
        return tid


def _parse_item_name(name: str) -> ExternName:
    try:
        return parse_extern_name(name)
    except ExternNameError as e:
        raise _Context(str(e)) from None


def _member_kind(ent: object) -> str:
    match ent:
        case TypeEnt():
            return "type"
        case FuncEnt():
            return "function"
        case _:
            return "member"


def build_world(externs: list[Extern]) -> World:
    return WorldBuilder().build(externs)
