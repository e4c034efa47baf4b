"""Decoding of the component binary format (Binary.md) into index spaces.

`read_binary` walks the top-level component's sections in order, building
each index space (types, functions, instances, components; core sorts are
only counted) exactly as the validator would, so that every import and export
ends up with its precise type object (`types.py`). Nested components are read
recursively. Core modules are skipped by their size, and core instance and
core type sections by theirs: their contents never matter to the world, and
skipping keeps a large (componentize-py) component cheap to read.

Anything the bindings cannot represent yet (streams, futures, error-context,
maps, fixed-size lists, values, `start`) raises an "unsupported" ReaderError
at the byte where it is declared. Async function types (WIT `async func`) are
read, marked ``is_async``; which of them can be bound is the generator's and
the loader's decision (exports can, through the async face; imports cannot).
Async and thread built-ins used only inside the component (such as
`context.get` for thread-local storage) are read past: they do not change
the world.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from .._compat import assert_never
from .core_types import CoreTypeSkipper
from .cursor import Cursor
from .names import ExternName, ExternNameError, is_label, parse_extern_name
from .opcodes import (
    BUILTINS,
    COMPONENT_VERSION,
    CORE_SORTS,
    CORE_VERSION,
    MAGIC,
    PRIMITIVES,
    UNSUPPORTED_TYPES,
    Imm,
    unsupported_type_message,
)
from .types import (
    DEFINED_CLASSES,
    Alias,
    AnyType,
    BorrowT,
    ComponentEnt,
    ComponentT,
    DefinedT,
    Entity,
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
    Remapper,
    Resource,
    ResultT,
    TupleT,
    TypeEnt,
    ValType,
    VariantT,
    freshen,
    peel,
)

# Nesting of components and component/instance types; a hostile input could
# otherwise recurse until Python's stack is exhausted.
MAX_DEPTH = 64
# Largest expanded size of one type (wasmparser's limit is of this order).
MAX_TYPE_SIZE = 1_000_000

SpacesKind = Literal["component", "component-type", "instance-type"]
Direction = Literal["import", "export"]


@dataclass
class Extern:
    direction: Direction
    name: str
    parsed: ExternName
    entity: Entity
    offset: int


@dataclass
class IndexSpaces:
    """One component definition or component/instance type: its index
    spaces, and what it imports and exports."""

    kind: SpacesKind
    parent: IndexSpaces | None
    depth: int
    # Where this scope is, as a prefix for error items ("component 2, ").
    where: str = ""
    types: list[AnyType] = field(default_factory=list)
    funcs: list[FuncT] = field(default_factory=list)
    instances: list[InstanceT] = field(default_factory=list)
    components: list[ComponentT] = field(default_factory=list)
    core: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CORE_SORTS.values(), 0))
    imports: dict[str, Entity] = field(default_factory=dict)
    exports: dict[str, Entity] = field(default_factory=dict)
    # Resources defined (component) or declared (types) in this scope.
    resources: list[Resource] = field(default_factory=list)
    externs: list[Extern] = field(default_factory=list)


def read_binary(data: bytes) -> list[Extern]:
    """The top-level imports and exports of a component binary, in order."""
    cur = Cursor(data)
    scope = IndexSpaces("component", None, 0)
    _Reader().component(cur, scope)
    return scope.externs


class _Reader:
    def __init__(self) -> None:
        # Expanded size of each type object seen (see check_size).
        self.sizes: dict[object, int] = {}

    # ------------------------------------------------------------------
    # Components and sections.

    def component(self, cur: Cursor, scope: IndexSpaces) -> None:
        self.preamble(cur)
        while not cur.at_end:
            start = cur.pos
            section_id = cur.byte()
            size_at = cur.pos
            size = cur.u32()
            body = cur.sub(size, f"section {section_id} size", size_at)
            self.section(section_id, body, scope, start)

    def preamble(self, cur: Cursor) -> None:
        if cur.remaining() < 8 or cur.data[cur.pos : cur.pos + 4] != MAGIC:
            raise cur.error("not a WebAssembly binary (missing the \\0asm magic)")
        cur.skip(4)
        version = cur.bytes(4)
        if version == CORE_VERSION:
            raise cur.error(
                "this is a core WebAssembly module, not a component "
                "(wrap it with `wasm-tools component new`)",
                cur.pos - 4,
            )
        if version[2:] != b"\x01\x00":
            raise cur.error(f"unknown binary layer {version[2:].hex()}", cur.pos - 2)
        if version != COMPONENT_VERSION:
            raise cur.unsupported(
                f"component binary version 0x{version[0] | version[1] << 8:x} "
                "is not supported (expected 0xd)",
                cur.pos - 4,
            )

    def section(self, section_id: int, body: Cursor, scope: IndexSpaces, start: int) -> None:
        match section_id:
            case 0:  # custom: name, then anything
                body.name("custom section name")
                body.pos = body.end
            case 1:  # core module: skipped by its size
                if body.remaining() < 8 or body.bytes(8) != MAGIC + CORE_VERSION:
                    raise body.error("core module section does not hold a core module", start)
                body.pos = body.end
                scope.core["module"] += 1
            case 2:  # core instances: counted, not parsed
                scope.core["instance"] += body.count("core instance", 2)
                body.pos = body.end
            case 3:  # core types: counted, not parsed
                scope.core["type"] += body.count("core type", 1)
                body.pos = body.end
            case 4:
                if scope.depth + 1 > MAX_DEPTH:
                    raise body.unsupported(f"components nested more than {MAX_DEPTH} deep")
                where = f"{scope.where}component {len(scope.components)}, "
                inner = IndexSpaces("component", scope, scope.depth + 1, where)
                self.component(body, inner)
                scope.components.append(
                    ComponentT(dict(inner.imports), dict(inner.exports), list(inner.resources))
                )
            case 5:
                for _ in range(body.count("instance", 2)):
                    self.instance(body, scope)
            case 6:
                for _ in range(body.count("alias", 3)):
                    self.alias(body, scope)
            case 7:
                for _ in range(body.count("type", 1)):
                    body.item = f"{scope.where}type {len(scope.types)}"
                    scope.types.append(self.deftype(body, scope))
                body.item = None
            case 8:
                for _ in range(body.count("canonical function", 1)):
                    self.canon(body, scope)
            case 9:
                raise body.unsupported(
                    "start functions (component values) are not supported", start
                )
            case 10:
                for _ in range(body.count("import", 2)):
                    self.import_(body, scope)
            case 11:
                for _ in range(body.count("export", 3)):
                    self.export(body, scope)
            case 12:
                raise body.unsupported("component values are not supported", start)
            case _:
                raise body.error(f"unknown section id {section_id}", start)
        if not body.at_end:
            raise body.error(f"section {section_id} has {body.remaining()} unread trailing bytes")

    # ------------------------------------------------------------------
    # Index-space lookups.

    def _index(self, cur: Cursor, space: Sequence[object] | int, what: str) -> int:
        start = cur.pos
        idx = cur.u32()
        n = space if isinstance(space, int) else len(space)
        if idx >= n:
            raise cur.error(f"{what} index {idx} out of range (only {n} defined)", start)
        return idx

    def type_at(self, cur: Cursor, scope: IndexSpaces) -> AnyType:
        return scope.types[self._index(cur, scope.types, "type")]

    def func_type_at(self, cur: Cursor, scope: IndexSpaces) -> FuncT:
        start = cur.pos
        ty = peel(self.type_at(cur, scope))
        if not isinstance(ty, FuncT):
            raise cur.error("type is not a function type", start)
        return ty

    def instance_type_at(self, cur: Cursor, scope: IndexSpaces) -> InstanceT:
        start = cur.pos
        ty = peel(self.type_at(cur, scope))
        if not isinstance(ty, InstanceT):
            raise cur.error("type is not an instance type", start)
        return ty

    def component_type_at(self, cur: Cursor, scope: IndexSpaces) -> ComponentT:
        start = cur.pos
        ty = peel(self.type_at(cur, scope))
        if not isinstance(ty, ComponentT):
            raise cur.error("type is not a component type", start)
        return ty

    def core_index(self, cur: Cursor, scope: IndexSpaces, sort: str) -> None:
        self._index(cur, scope.core[sort], f"core {sort}")

    # ------------------------------------------------------------------
    # Names.

    def extern_name(self, cur: Cursor, scope: IndexSpaces, kind: str) -> tuple[str, ExternName]:
        """`nameattributes`: a name with optional attributes. Sets the
        cursor's item to it, for errors; the caller restores the item."""
        start = cur.pos
        tag = cur.byte()
        if tag not in (0x00, 0x01, 0x02):
            raise cur.error(f"unknown import/export name encoding 0x{tag:02x}", start)
        name_at = cur.pos
        name = cur.name(f"{kind} name")
        cur.item = f"{scope.where}{kind} {name!r}"
        suffix: str | None = None
        if tag == 0x02:
            for _ in range(cur.count("name attribute", 2)):
                attr_at = cur.pos
                attr = cur.byte()
                match attr:
                    case 0x00:
                        impl = cur.name("implements name")
                        raise cur.unsupported(
                            f"`implements {impl!r}` attributes are not supported", attr_at
                        )
                    case 0x01:
                        suffix = cur.name("version suffix")
                    case 0x02:
                        cur.name("external id")
                    case _:
                        raise cur.error(f"unknown name attribute 0x{attr:02x}", attr_at)
        try:
            return name, parse_extern_name(name, suffix)
        except ExternNameError as e:
            if e.unsupported:
                raise cur.unsupported(str(e), name_at) from None
            raise cur.error(str(e), name_at) from None

    def label(self, cur: Cursor, what: str) -> str:
        start = cur.pos
        s = cur.name(what)
        if not is_label(s):
            raise cur.error(f"{what} {s!r} is not a valid kebab-case WIT name", start)
        return s

    def labels(self, cur: Cursor, what: str, *, nonempty: bool = True) -> list[str]:
        start = cur.pos
        n = cur.count(what, 1)
        if nonempty and n == 0:
            raise cur.error(f"{what} list is empty", start)
        out: list[str] = []
        for _ in range(n):
            at = cur.pos
            s = self.label(cur, what)
            if s in out:
                raise cur.error(f"duplicate {what} {s!r}", at)
            out.append(s)
        return out

    # ------------------------------------------------------------------
    # Types.

    def valtype(self, cur: Cursor, scope: IndexSpaces) -> ValType:
        start = cur.pos
        b = cur.peek()
        if b in PRIMITIVES:
            cur.pos += 1
            return PRIMITIVES[b]
        if b in UNSUPPORTED_TYPES:
            raise cur.unsupported(unsupported_type_message(b), start)
        idx = cur.s33()
        if idx < 0:
            raise cur.error(f"unknown value type opcode 0x{b:02x}", start)
        if idx >= len(scope.types):
            raise cur.error(
                f"type index {idx} out of range (only {len(scope.types)} defined)", start
            )
        ty = scope.types[idx]
        if not isinstance(peel(ty), DEFINED_CLASSES):
            raise cur.error(f"type index {idx} is not a value type", start)
        return ty

    def opt_valtype(self, cur: Cursor, scope: IndexSpaces) -> ValType | None:
        start = cur.pos
        match cur.byte():
            case 0x00:
                return None
            case 0x01:
                return self.valtype(cur, scope)
            case b:
                raise cur.error(f"invalid optional value type marker 0x{b:02x}", start)

    def resource_ref(self, cur: Cursor, scope: IndexSpaces) -> AnyType:
        start = cur.pos
        ty = self.type_at(cur, scope)
        if not isinstance(peel(ty), Resource):
            raise cur.error("handle type refers to a type that is not a resource", start)
        return ty

    def deftype(self, cur: Cursor, scope: IndexSpaces) -> AnyType:
        start = cur.pos
        b = cur.peek()
        match b:
            case 0x40 | 0x43:
                cur.pos += 1
                return self.functype(cur, scope, is_async=b == 0x43)
            case 0x41 | 0x42:
                cur.pos += 1
                if scope.depth + 1 > MAX_DEPTH:
                    raise cur.unsupported(f"types nested more than {MAX_DEPTH} deep", start)
                kind: SpacesKind = "component-type" if b == 0x41 else "instance-type"
                where = cur.item + ", " if cur.item else scope.where
                inner = IndexSpaces(kind, scope, scope.depth + 1, where)
                self.type_decls(cur, inner)
                if b == 0x42:
                    return InstanceT(dict(inner.exports), list(inner.resources))
                return ComponentT(dict(inner.imports), dict(inner.exports), list(inner.resources))
            case 0x3F:
                cur.pos += 1
                if scope.kind != "component":
                    raise cur.error("resource types may only be defined in a component", start)
                rep = cur.byte()
                if rep not in (0x7F, 0x7E):
                    raise cur.error(f"invalid resource representation 0x{rep:02x}", start + 1)
                if self.opt_flag(cur):
                    self.core_index(cur, scope, "func")
                r = Resource()
                scope.resources.append(r)
                return r
            case _:
                return self.defvaltype(cur, scope)

    def opt_flag(self, cur: Cursor) -> bool:
        start = cur.pos
        b = cur.byte()
        if b > 1:
            raise cur.error(f"invalid optional marker 0x{b:02x}", start)
        return b == 1

    def defvaltype(self, cur: Cursor, scope: IndexSpaces) -> DefinedT:
        start = cur.pos
        ty = self._defvaltype(cur, scope)
        self.check_size(cur, ty, start)
        return ty

    def check_size(self, cur: Cursor, ty: AnyType, offset: int) -> None:
        """Refuse types whose expansion is huge. Types form a DAG, so a few
        bytes can describe a tuple of tuples of ... with 2**40 leaves; the
        model (and anything generated from it) spells types out, so their
        expanded size is bounded like wasmparser bounds it."""
        size = self.size(ty)
        if size > MAX_TYPE_SIZE:
            raise cur.error(
                f"type is too large (expands to more than {MAX_TYPE_SIZE} nodes)", offset
            )

    def size(self, ty: ValType | None) -> int:
        if ty is None or isinstance(ty, str):
            return 1
        got = self.sizes.get(ty)
        if got is not None:
            return got
        match ty:
            case RecordT(fields=items) | FuncT(params=items):
                n = 1 + sum(self.size(v) for _, v in items)
                if isinstance(ty, FuncT):
                    n += self.size(ty.result)
            case VariantT(cases=cases):
                n = 1 + sum(self.size(v) for _, v in cases)
            case TupleT(elements=els):
                n = 1 + sum(self.size(v) for v in els)
            case ListT(element=v) | OptionT(inner=v):
                n = 1 + self.size(v)
            case ResultT(ok=ok, err=err):
                n = 1 + self.size(ok) + self.size(err)
            case Alias(target=t):
                n = self.size(t)
            case _:
                n = 1
        n = min(n, MAX_TYPE_SIZE + 1)
        self.sizes[ty] = n
        return n

    def _defvaltype(self, cur: Cursor, scope: IndexSpaces) -> DefinedT:
        start = cur.pos
        b = cur.byte()
        if b in PRIMITIVES:
            return PrimT(PRIMITIVES[b])
        if b in UNSUPPORTED_TYPES:
            raise cur.unsupported(unsupported_type_message(b), start)
        match b:
            case 0x72:
                n = cur.count("record field", 2)
                if n == 0:
                    raise cur.error("record has no fields", start)
                fields: list[tuple[str, ValType]] = []
                for _ in range(n):
                    at = cur.pos
                    name = self.label(cur, "record field")
                    if any(f[0] == name for f in fields):
                        raise cur.error(f"duplicate record field {name!r}", at)
                    fields.append((name, self.valtype(cur, scope)))
                return RecordT(tuple(fields))
            case 0x71:
                n = cur.count("variant case", 3)
                if n == 0:
                    raise cur.error("variant has no cases", start)
                cases: list[tuple[str, ValType | None]] = []
                for _ in range(n):
                    at = cur.pos
                    name = self.label(cur, "variant case")
                    if any(c[0] == name for c in cases):
                        raise cur.error(f"duplicate variant case {name!r}", at)
                    payload = self.opt_valtype(cur, scope)
                    if cur.byte() != 0x00:
                        raise cur.error("variant case refinements are not supported", cur.pos - 1)
                    cases.append((name, payload))
                return VariantT(tuple(cases))
            case 0x70:
                return ListT(self.valtype(cur, scope))
            case 0x6F:
                n = cur.count("tuple element", 1)
                if n == 0:
                    raise cur.error("tuple has no elements", start)
                return TupleT(tuple(self.valtype(cur, scope) for _ in range(n)))
            case 0x6E:
                names = self.labels(cur, "flag")
                if len(names) > 32:
                    raise cur.error(f"flags has {len(names)} members (at most 32)", start)
                return FlagsT(tuple(names))
            case 0x6D:
                return EnumT(tuple(self.labels(cur, "enum case")))
            case 0x6B:
                return OptionT(self.valtype(cur, scope))
            case 0x6A:
                ok = self.opt_valtype(cur, scope)
                err = self.opt_valtype(cur, scope)
                return ResultT(ok, err)
            case 0x69:
                return OwnT(self.resource_ref(cur, scope))
            case 0x68:
                return BorrowT(self.resource_ref(cur, scope))
            case _:
                raise cur.error(f"unknown type opcode 0x{b:02x}", start)

    def functype(self, cur: Cursor, scope: IndexSpaces, *, is_async: bool) -> FuncT:
        func_at = cur.pos
        params: list[tuple[str, ValType]] = []
        for _ in range(cur.count("parameter", 2)):
            at = cur.pos
            name = self.label(cur, "parameter")
            if any(p[0] == name for p in params):
                raise cur.error(f"duplicate parameter {name!r}", at)
            params.append((name, self.valtype(cur, scope)))
        start = cur.pos
        match cur.byte():
            case 0x00:
                result: ValType | None = self.valtype(cur, scope)
            case 0x01:
                if cur.u32() != 0:
                    raise cur.unsupported("named function results are not supported", start)
                result = None
            case b:
                raise cur.error(f"invalid function result list marker 0x{b:02x}", start)
        func = FuncT(tuple(params), result, is_async)
        self.check_size(cur, func, func_at)
        return func

    def type_decls(self, cur: Cursor, scope: IndexSpaces) -> None:
        """The declarations of a component type (0x41) or instance type (0x42)."""
        for _ in range(cur.count("type declaration", 2)):
            start = cur.pos
            tag = cur.byte()
            match tag:
                case 0x00:
                    CoreTypeSkipper(cur).core_type(in_module_type=False)
                    scope.core["type"] += 1
                case 0x01:
                    saved, cur.item = cur.item, f"{scope.where}type {len(scope.types)}"
                    scope.types.append(self.deftype(cur, scope))
                    cur.item = saved
                case 0x02:
                    self.alias(cur, scope)
                case 0x03 | 0x04 if tag == 0x04 or scope.kind == "component-type":
                    direction: Direction = "import" if tag == 0x03 else "export"
                    saved = cur.item
                    name, parsed = self.extern_name(cur, scope, direction)
                    ent = self.externtype(cur, scope)
                    self.add_extern(cur, scope, direction, name, parsed, ent, start)
                    cur.item = saved
                case _:
                    raise cur.error(f"unknown {scope.kind} declaration 0x{tag:02x}", start)

    def externtype(self, cur: Cursor, scope: IndexSpaces) -> Entity:
        start = cur.pos
        match cur.byte():
            case 0x00:
                if cur.byte() != 0x11:
                    raise cur.error("core extern type must be a module type", start)
                self.core_index(cur, scope, "type")
                return ModuleEnt()
            case 0x01:
                return FuncEnt(self.func_type_at(cur, scope))
            case 0x02:
                raise cur.unsupported("component values are not supported", start)
            case 0x03:
                bound = cur.byte()
                if bound == 0x00:
                    ref = self.type_at(cur, scope)
                    return TypeEnt(ref, Alias(ref))
                if bound == 0x01:
                    r = Resource()
                    return TypeEnt(r, r)
                raise cur.error(f"unknown type bound 0x{bound:02x}", start + 1)
            case 0x04:
                return ComponentEnt(self.component_type_at(cur, scope))
            case 0x05:
                return InstanceEnt(self.instance_type_at(cur, scope))
            case b:
                raise cur.error(f"unknown extern type 0x{b:02x}", start)

    # ------------------------------------------------------------------
    # Imports, exports, and what they add to the index spaces.

    def add_extern(
        self,
        cur: Cursor,
        scope: IndexSpaces,
        direction: Direction,
        name: str,
        parsed: ExternName,
        ent: Entity,
        offset: int,
        *,
        fresh: bool = True,
    ) -> None:
        """Add an import or export. `fresh` (all but an un-ascribed export
        of an existing instance) gives an instance's type exports their
        own identities, so two imports of one instance type are two sets of
        named types."""
        table = scope.imports if direction == "import" else scope.exports
        if name in table:
            raise cur.error(f"duplicate {direction} name {name!r}", offset)
        match ent:
            case InstanceEnt(instance=inst):
                ent = InstanceEnt(self.bind_instance(scope, direction, inst, fresh_names=fresh))
            case TypeEnt(referenced=Resource() as r, created=created) if created is r:
                if direction == "export" or scope.kind == "instance-type":
                    scope.resources.append(r)
            case _:
                pass
        table[name] = ent
        self.push_entity(scope, ent)
        if scope.depth == 0:
            scope.externs.append(Extern(direction, name, parsed, ent, offset))

    def bind_instance(
        self, scope: IndexSpaces, direction: Direction, inst: InstanceT, *, fresh_names: bool
    ) -> InstanceT:
        """The instance type an import or export actually has: its declared
        resources made fresh (wasmparser's prepare_instance_import/export)
        and, if `fresh_names`, new identities for its exported types."""
        if inst.declared_resources:
            remap = freshen(inst.declared_resources)
            bound = remap.any(inst)
            assert isinstance(bound, InstanceT)
            bound.declared_resources = []
            if direction == "export" or scope.kind == "instance-type":
                scope.resources.extend(r for r in remap.map.values() if isinstance(r, Resource))
            inst = bound
        if fresh_names:
            renamed = {
                e.created: Alias(e.created.target)
                for e in inst.exports.values()
                if isinstance(e, TypeEnt) and isinstance(e.created, Alias)
            }
            if renamed:
                mapping: dict[object, object] = {old: new for old, new in renamed.items()}
                remap = Remapper(mapping)
                for old, new in renamed.items():
                    new.target = remap.any(old.target)
                bound = remap.any(inst)
                assert isinstance(bound, InstanceT)
                inst = bound
        return inst

    def push_entity(self, scope: IndexSpaces, ent: Entity) -> None:
        match ent:
            case TypeEnt(created=created):
                scope.types.append(created)
            case FuncEnt(func=f):
                scope.funcs.append(f)
            case InstanceEnt(instance=i):
                scope.instances.append(i)
            case ComponentEnt(component=c):
                scope.components.append(c)
            case ModuleEnt():
                scope.core["module"] += 1

    def import_(self, cur: Cursor, scope: IndexSpaces) -> None:
        start = cur.pos
        name, parsed = self.extern_name(cur, scope, "import")
        ent = self.externtype(cur, scope)
        self.add_extern(cur, scope, "import", name, parsed, ent, start)
        cur.item = None

    def export(self, cur: Cursor, scope: IndexSpaces) -> None:
        start = cur.pos
        name, parsed = self.extern_name(cur, scope, "export")
        ent = self.sort_entity(cur, scope, for_export=True)
        ascribed = self.opt_flag(cur)
        if ascribed:
            ent = self.externtype(cur, scope)
        self.add_extern(cur, scope, "export", name, parsed, ent, start, fresh=ascribed)
        cur.item = None

    def sort_entity(self, cur: Cursor, scope: IndexSpaces, *, for_export: bool) -> Entity:
        """A `sortidx`, as the entity it denotes."""
        start = cur.pos
        sort = cur.byte()
        match sort:
            case 0x00:
                core_sort = cur.byte()
                if core_sort != 0x11:
                    raise cur.error("only core modules may be exported or passed", start)
                self.core_index(cur, scope, "module")
                return ModuleEnt()
            case 0x01:
                return FuncEnt(scope.funcs[self._index(cur, scope.funcs, "function")])
            case 0x02:
                raise cur.unsupported("component values are not supported", start)
            case 0x03:
                ty = self.type_at(cur, scope)
                # An export of a type introduces a new identity (with_unique);
                # an instantiation argument or bag-of-exports item does not.
                return TypeEnt(ty, Alias(ty) if for_export else ty)
            case 0x04:
                return ComponentEnt(
                    scope.components[self._index(cur, scope.components, "component")]
                )
            case 0x05:
                return InstanceEnt(scope.instances[self._index(cur, scope.instances, "instance")])
            case _:
                raise cur.error(f"unknown sort 0x{sort:02x}", start)

    # ------------------------------------------------------------------
    # Instances.

    def instance(self, cur: Cursor, scope: IndexSpaces) -> None:
        start = cur.pos
        match cur.byte():
            case 0x00:
                comp = scope.components[self._index(cur, scope.components, "component")]
                args: dict[str, Entity] = {}
                for _ in range(cur.count("instantiation argument", 3)):
                    at = cur.pos
                    name = cur.name("instantiation argument name")
                    if name in args:
                        raise cur.error(f"duplicate instantiation argument {name!r}", at)
                    args[name] = self.sort_entity(cur, scope, for_export=False)
                scope.instances.append(self.instantiate(cur, scope, comp, args, start))
            case 0x01:
                exports: dict[str, Entity] = {}
                for _ in range(cur.count("instance export", 3)):
                    at = cur.pos
                    name, _parsed = self.extern_name(cur, scope, "instance export")
                    cur.item = None
                    if name in exports:
                        raise cur.error(f"duplicate instance export {name!r}", at)
                    exports[name] = self.sort_entity(cur, scope, for_export=False)
                scope.instances.append(InstanceT(exports))
            case b:
                raise cur.error(f"unknown instance expression 0x{b:02x}", start)

    def instantiate(
        self,
        cur: Cursor,
        scope: IndexSpaces,
        comp: ComponentT,
        args: dict[str, Entity],
        offset: int,
    ) -> InstanceT:
        """The instance type of `comp` instantiated with `args`: its exports
        with the arguments substituted for its imports and its own resources
        made fresh."""
        mapping: dict[object, object] = {}
        for name, expected in comp.imports.items():
            arg = args.get(name)
            if arg is None:
                raise cur.error(f"instantiation is missing argument {name!r}", offset)
            self.match_arg(cur, name, expected, arg, mapping, offset)
        for r in comp.defined_resources:
            fresh = Resource()
            mapping[r] = fresh
            scope.resources.append(fresh)
        remap = Remapper(mapping)
        return InstanceT({n: remap.entity(e) for n, e in comp.exports.items()})

    def match_arg(
        self,
        cur: Cursor,
        name: str,
        expected: Entity,
        arg: Entity,
        mapping: dict[object, object],
        offset: int,
    ) -> None:
        match expected, arg:
            case TypeEnt(created=exp), TypeEnt(created=got):
                mapping[exp] = got
            case InstanceEnt(instance=exp_i), InstanceEnt(instance=got_i):
                for n, e in exp_i.exports.items():
                    a = got_i.exports.get(n)
                    if a is None:
                        raise cur.error(
                            f"instantiation argument {name!r} has no export {n!r}", offset
                        )
                    self.match_arg(cur, f"{name}.{n}", e, a, mapping, offset)
            case (
                (FuncEnt(), FuncEnt())
                | (ComponentEnt(), ComponentEnt())
                | (
                    ModuleEnt(),
                    ModuleEnt(),
                )
            ):
                pass
            case _:
                raise cur.error(
                    f"instantiation argument {name!r} is a {_kind(arg)}, expected a "
                    f"{_kind(expected)}",
                    offset,
                )

    # ------------------------------------------------------------------
    # Aliases.

    def alias(self, cur: Cursor, scope: IndexSpaces) -> None:
        start = cur.pos
        sort = cur.byte()
        core_sort = CORE_SORTS.get(cur.byte()) if sort == 0x00 else None
        if sort == 0x00 and core_sort is None:
            raise cur.error("unknown core sort in alias", start + 1)
        if sort not in (0x00, 0x01, 0x02, 0x03, 0x04, 0x05):
            raise cur.error(f"unknown sort 0x{sort:02x} in alias", start)
        if sort == 0x02:
            raise cur.unsupported("component values are not supported", start)
        tag = cur.byte()
        match tag:
            case 0x00:  # export of a component instance
                inst = scope.instances[self._index(cur, scope.instances, "instance")]
                name_at = cur.pos
                name = cur.name("alias export name")
                ent = inst.exports.get(name)
                if ent is None:
                    raise cur.error(f"instance has no export named {name!r}", name_at)
                want = {
                    0x00: ModuleEnt,
                    0x01: FuncEnt,
                    0x03: TypeEnt,
                    0x04: ComponentEnt,
                    0x05: InstanceEnt,
                }[sort]
                if not isinstance(ent, want) or (sort == 0x00 and core_sort != "module"):
                    raise cur.error(
                        f"export {name!r} is a {_kind(ent)}, not the aliased sort", name_at
                    )
                self.push_entity(scope, ent)
            case 0x01:  # export of a core instance
                if core_sort is None:
                    raise cur.error("core export alias of a component sort", start)
                self.core_index(cur, scope, "instance")
                cur.name("core export name")
                scope.core[core_sort] += 1
            case 0x02:  # outer
                count_at = cur.pos
                count = cur.u32()
                target: IndexSpaces | None = scope
                for _ in range(count):
                    target = target.parent if target is not None else None
                if target is None:
                    raise cur.error(
                        f"outer alias count {count} exceeds the enclosing scopes", count_at
                    )
                if sort == 0x03:
                    scope.types.append(self.type_at(cur, target))
                elif sort == 0x04:
                    scope.components.append(
                        target.components[self._index(cur, target.components, "component")]
                    )
                elif core_sort in ("type", "module"):
                    self.core_index(cur, target, core_sort)
                    scope.core[core_sort] += 1
                else:
                    raise cur.error(
                        "outer aliases may only refer to types, modules and components", start
                    )
            case _:
                raise cur.error(f"unknown alias target 0x{tag:02x}", start)

    # ------------------------------------------------------------------
    # Canonical functions.

    def canon(self, cur: Cursor, scope: IndexSpaces) -> None:
        start = cur.pos
        op = cur.byte()
        match op:
            case 0x00:
                if cur.byte() != 0x00:
                    raise cur.error("canon lift must lift a core function", start + 1)
                self.core_index(cur, scope, "func")
                async_at = self.canon_opts(cur, scope)
                func = self.func_type_at(cur, scope)
                self.check_async_option(cur, func, async_at, "lift")
                scope.funcs.append(func)
            case 0x01:
                if cur.byte() != 0x00:
                    raise cur.error("canon lower must lower a function", start + 1)
                lowered = scope.funcs[self._index(cur, scope.funcs, "function")]
                self.check_async_option(cur, lowered, self.canon_opts(cur, scope), "lower")
                scope.core["func"] += 1
            case 0x02 | 0x03 | 0x04:
                self.resource_ref(cur, scope)
                scope.core["func"] += 1
            case _ if op in BUILTINS:
                self.builtin(cur, scope, *BUILTINS[op])
                scope.core["func"] += 1
            case _:
                raise cur.error(f"unknown canonical function opcode 0x{op:02x}", start)

    def builtin(
        self, cur: Cursor, scope: IndexSpaces, name: str, immediates: tuple[Imm, ...]
    ) -> None:
        saved, cur.item = cur.item, f"canon {name}"
        for imm in immediates:
            match imm:
                case Imm.TYPE:
                    self.type_at(cur, scope)
                case Imm.OPTS:
                    self.canon_opts(cur, scope)
                case Imm.FLAG:
                    self.opt_flag(cur)
                case Imm.CORE_VALTYPE:
                    CoreTypeSkipper(cur).valtype()
                case Imm.U32:
                    cur.u32()
                case Imm.MEMORY:
                    self.core_index(cur, scope, "memory")
                case Imm.CORE_TYPE:
                    self.core_index(cur, scope, "type")
                case Imm.TABLE:
                    self.core_index(cur, scope, "table")
                case Imm.RESULTS:
                    start = cur.pos
                    match cur.byte():
                        case 0x00:
                            self.valtype(cur, scope)
                        case 0x01:
                            if cur.u32() != 0:
                                raise cur.error("named results are not supported", start)
                        case b:
                            raise cur.error(f"invalid result list marker 0x{b:02x}", start)
                case _:
                    assert_never(imm)
        cur.item = saved

    @staticmethod
    def check_async_option(cur: Cursor, func: FuncT, async_at: int | None, what: str) -> None:
        if async_at is not None and not func.is_async:
            raise cur.error(
                f"canon {what}: the async option needs an async function type", async_at
            )

    def canon_opts(self, cur: Cursor, scope: IndexSpaces) -> int | None:
        """Read canonical options; the offset of an ``async`` option, if any."""
        async_at = None
        for _ in range(cur.count("canonical option", 1)):
            start = cur.pos
            match cur.byte():
                case 0x00 | 0x01 | 0x02:
                    pass
                case 0x03:
                    self.core_index(cur, scope, "memory")
                case 0x04 | 0x05:
                    self.core_index(cur, scope, "func")
                case 0x06:
                    # How the guest lifts or lowers; the function type says
                    # what the bindings call.
                    async_at = start
                case 0x07:
                    self.core_index(cur, scope, "func")  # the async lift's callback
                case 0x08:
                    self.core_index(cur, scope, "type")
                case b:
                    raise cur.error(f"unknown canonical option 0x{b:02x}", start)
        return async_at


def _kind(ent: Entity) -> str:
    match ent:
        case TypeEnt():
            return "type"
        case FuncEnt():
            return "function"
        case InstanceEnt():
            return "instance"
        case ComponentEnt():
            return "component"
        case ModuleEnt():
            return "core module"
