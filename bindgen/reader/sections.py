"""Decoding of the component binary format (Binary.md) into index spaces.

`read_binary` walks the top-level component's sections in order, building
each index space (types, functions, instances, components; core sorts are
only counted) exactly as the validator would, so that every import and export
ends up with its precise type object (`types.py`). Nested components are read
recursively. Core modules are skipped by their size, and core instance and
core type sections by theirs: their contents never matter to the world, and
skipping keeps a large (componentize-py) component cheap to read.

Anything the bindings cannot represent yet (async, streams, futures,
error-context, maps, fixed-size lists, values, `start`) raises an
"unsupported" ReaderError at the byte where it is declared.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from .cursor import Cursor
from .names import ExternName, NameError_, PrimName, is_label, parse_extern_name
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

MAGIC = b"\x00asm"
COMPONENT_VERSION = b"\x0d\x00\x01\x00"
CORE_VERSION = b"\x01\x00\x00\x00"

PRIMITIVES: dict[int, PrimName] = {
    0x7F: "bool", 0x7E: "s8", 0x7D: "u8", 0x7C: "s16", 0x7B: "u16", 0x7A: "s32",
    0x79: "u32", 0x78: "s64", 0x77: "u64", 0x76: "f32", 0x75: "f64", 0x74: "char",
    0x73: "string",
}  # fmt: skip

CORE_SORTS: dict[int, str] = {
    0x00: "func", 0x01: "table", 0x02: "memory", 0x03: "global", 0x04: "tag",
    0x10: "type", 0x11: "module", 0x12: "instance",
}  # fmt: skip

# Canonical built-ins beyond lift/lower/resource.{new,drop,rep} (component-
# model async and threads) and their immediates. They only define core
# functions used inside the component, so they are read past and counted; an
# async *export* is refused where it is lifted, and async *types* where they
# are defined.
_T = "typeidx"
_O = "opts"
_A = "flag"  # async?/cancel?/shared? byte
_V = "corevaltype"
_U = "u32"
_M = "memidx"
_CT = "coretypeidx"
_TB = "tableidx"
_R = "resultlist"
BUILTINS: dict[int, tuple[str, tuple[str, ...]]] = {
    0x05: ("task.cancel", ()), 0x06: ("subtask.cancel", (_A,)),
    0x07: ("resource.drop async", (_T,)), 0x08: ("backpressure.set", ()),
    0x09: ("task.return", (_R, _O)), 0x0A: ("context.get", (_V, _U)),
    0x0B: ("context.set", (_V, _U)), 0x0C: ("thread.yield", (_A,)),
    0x0D: ("subtask.drop", ()), 0x0E: ("stream.new", (_T,)),
    0x0F: ("stream.read", (_T, _O)), 0x10: ("stream.write", (_T, _O)),
    0x11: ("stream.cancel-read", (_T, _A)), 0x12: ("stream.cancel-write", (_T, _A)),
    0x13: ("stream.drop-readable", (_T,)), 0x14: ("stream.drop-writable", (_T,)),
    0x15: ("future.new", (_T,)), 0x16: ("future.read", (_T, _O)),
    0x17: ("future.write", (_T, _O)), 0x18: ("future.cancel-read", (_T, _A)),
    0x19: ("future.cancel-write", (_T, _A)), 0x1A: ("future.drop-readable", (_T,)),
    0x1B: ("future.drop-writable", (_T,)), 0x1C: ("error-context.new", (_O,)),
    0x1D: ("error-context.debug-message", (_O,)), 0x1E: ("error-context.drop", ()),
    0x1F: ("waitable-set.new", ()), 0x20: ("waitable-set.wait", (_A, _M)),
    0x21: ("waitable-set.poll", (_A, _M)), 0x22: ("waitable-set.drop", ()),
    0x23: ("waitable.join", ()), 0x24: ("backpressure.inc", ()),
    0x25: ("backpressure.dec", ()), 0x26: ("thread.index", ()),
    0x27: ("thread.new-indirect", (_CT, _TB)), 0x28: ("thread.resume-later", ()),
    0x29: ("thread.suspend", (_A,)), 0x2A: ("thread.suspend-then-resume", (_A,)),
    0x2B: ("thread.yield-then-resume", (_A,)), 0x2C: ("thread.suspend-then-promote", (_A,)),
    0x2D: ("thread.yield-then-promote", (_A,)), 0x40: ("thread.spawn-ref", (_A, _CT)),
    0x41: ("thread.spawn-indirect", (_A, _CT, _TB)),
    0x42: ("thread.available-parallelism", (_A,)),
}  # fmt: skip

UNSUPPORTED_TYPES: dict[int, str] = {
    0x67: "fixed-size list",
    0x66: "stream",
    0x65: "future",
    0x64: "error-context",
    0x63: "map",
}

# Nesting of components and component/instance types; a hostile input could
# otherwise recurse until Python's stack is exhausted.
MAX_DEPTH = 64

ScopeKind = Literal["component", "component-type", "instance-type"]
Direction = Literal["import", "export"]


@dataclass
class Extern:
    direction: Direction
    name: str
    parsed: ExternName
    entity: Entity
    offset: int


@dataclass
class Scope:
    """One component definition or component/instance type: its index
    spaces, and what it imports and exports."""

    kind: ScopeKind
    parent: Scope | None
    depth: int
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
    scope = Scope("component", None, 0)
    _Reader().component(cur, scope)
    return scope.externs


class _Reader:
    # ------------------------------------------------------------------
    # Components and sections.

    def component(self, cur: Cursor, scope: Scope) -> None:
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

    def section(self, section_id: int, body: Cursor, scope: Scope, start: int) -> None:
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
                inner = Scope("component", scope, scope.depth + 1)
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
                for i in range(body.count("type", 1)):
                    body.item = f"type {len(scope.types)}"
                    scope.types.append(self.deftype(body, scope))
                    del i
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

    def type_at(self, cur: Cursor, scope: Scope) -> AnyType:
        return scope.types[self._index(cur, scope.types, "type")]

    def func_type_at(self, cur: Cursor, scope: Scope) -> FuncT:
        start = cur.pos
        ty = peel(self.type_at(cur, scope))
        if not isinstance(ty, FuncT):
            raise cur.error("type is not a function type", start)
        return ty

    def instance_type_at(self, cur: Cursor, scope: Scope) -> InstanceT:
        start = cur.pos
        ty = peel(self.type_at(cur, scope))
        if not isinstance(ty, InstanceT):
            raise cur.error("type is not an instance type", start)
        return ty

    def component_type_at(self, cur: Cursor, scope: Scope) -> ComponentT:
        start = cur.pos
        ty = peel(self.type_at(cur, scope))
        if not isinstance(ty, ComponentT):
            raise cur.error("type is not a component type", start)
        return ty

    def core_index(self, cur: Cursor, scope: Scope, sort: str) -> None:
        self._index(cur, scope.core[sort], f"core {sort}")

    # ------------------------------------------------------------------
    # Names.

    def extern_name(self, cur: Cursor) -> tuple[str, ExternName]:
        """`nameattributes`: a name with optional attributes."""
        start = cur.pos
        tag = cur.byte()
        if tag not in (0x00, 0x01, 0x02):
            raise cur.error(f"unknown import/export name encoding 0x{tag:02x}", start)
        name_at = cur.pos
        name = cur.name("import/export name")
        cur.item = repr(name)
        suffix: str | None = None
        if tag == 0x02:
            for _ in range(cur.count("name attribute", 2)):
                attr_at = cur.pos
                kind = cur.byte()
                match kind:
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
                        raise cur.error(f"unknown name attribute 0x{kind:02x}", attr_at)
        try:
            return name, parse_extern_name(name, suffix)
        except NameError_ as e:
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

    def valtype(self, cur: Cursor, scope: Scope) -> ValType:
        start = cur.pos
        b = cur.peek()
        if b in PRIMITIVES:
            cur.pos += 1
            return PRIMITIVES[b]
        if b in UNSUPPORTED_TYPES:
            raise cur.unsupported(f"{UNSUPPORTED_TYPES[b]} types are not supported yet", start)
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

    def opt_valtype(self, cur: Cursor, scope: Scope) -> ValType | None:
        start = cur.pos
        match cur.byte():
            case 0x00:
                return None
            case 0x01:
                return self.valtype(cur, scope)
            case b:
                raise cur.error(f"invalid optional value type marker 0x{b:02x}", start)

    def resource_ref(self, cur: Cursor, scope: Scope) -> AnyType:
        start = cur.pos
        ty = self.type_at(cur, scope)
        if not isinstance(peel(ty), Resource):
            raise cur.error("handle type refers to a type that is not a resource", start)
        return ty

    def deftype(self, cur: Cursor, scope: Scope) -> AnyType:
        start = cur.pos
        b = cur.peek()
        match b:
            case 0x40 | 0x43:
                cur.pos += 1
                if b == 0x43:
                    raise cur.unsupported("async function types are not supported yet", start)
                return self.functype(cur, scope)
            case 0x41 | 0x42:
                cur.pos += 1
                if scope.depth + 1 > MAX_DEPTH:
                    raise cur.unsupported(f"types nested more than {MAX_DEPTH} deep", start)
                kind: ScopeKind = "component-type" if b == 0x41 else "instance-type"
                inner = Scope(kind, scope, scope.depth + 1)
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

    def defvaltype(self, cur: Cursor, scope: Scope) -> DefinedT:
        start = cur.pos
        b = cur.byte()
        if b in PRIMITIVES:
            return PrimT(PRIMITIVES[b])
        if b in UNSUPPORTED_TYPES:
            raise cur.unsupported(f"{UNSUPPORTED_TYPES[b]} types are not supported yet", start)
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

    def functype(self, cur: Cursor, scope: Scope) -> FuncT:
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
        return FuncT(tuple(params), result)

    def type_decls(self, cur: Cursor, scope: Scope) -> None:
        """The declarations of a component type (0x41) or instance type (0x42)."""
        for _ in range(cur.count("type declaration", 2)):
            start = cur.pos
            tag = cur.byte()
            match tag:
                case 0x00:
                    CoreTypeSkipper(cur).core_type(in_module_type=False)
                    scope.core["type"] += 1
                case 0x01:
                    saved = cur.item
                    cur.item = f"type {len(scope.types)}"
                    scope.types.append(self.deftype(cur, scope))
                    cur.item = saved
                case 0x02:
                    self.alias(cur, scope)
                case 0x03 if scope.kind == "component-type":
                    name, parsed = self.extern_name(cur)
                    ent = self.externtype(cur, scope)
                    self.add_extern(cur, scope, "import", name, parsed, ent, start)
                    cur.item = None
                case 0x04:
                    name, parsed = self.extern_name(cur)
                    ent = self.externtype(cur, scope)
                    self.add_extern(cur, scope, "export", name, parsed, ent, start)
                    cur.item = None
                case _:
                    raise cur.error(f"unknown {scope.kind} declaration 0x{tag:02x}", start)

    def externtype(self, cur: Cursor, scope: Scope) -> Entity:
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
        scope: Scope,
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
        self, scope: Scope, direction: Direction, inst: InstanceT, *, fresh_names: bool
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
                remap = Remapper(dict(renamed))
                for old, new in renamed.items():
                    new.target = remap.any(old.target)
                bound = remap.any(inst)
                assert isinstance(bound, InstanceT)
                inst = bound
        return inst

    def push_entity(self, scope: Scope, ent: Entity) -> None:
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

    def import_(self, cur: Cursor, scope: Scope) -> None:
        start = cur.pos
        name, parsed = self.extern_name(cur)
        ent = self.externtype(cur, scope)
        self.add_extern(cur, scope, "import", name, parsed, ent, start)
        cur.item = None

    def export(self, cur: Cursor, scope: Scope) -> None:
        start = cur.pos
        name, parsed = self.extern_name(cur)
        ent = self.sort_entity(cur, scope, for_export=True)
        ascribed = self.opt_flag(cur)
        if ascribed:
            ent = self.externtype(cur, scope)
        self.add_extern(cur, scope, "export", name, parsed, ent, start, fresh=ascribed)
        cur.item = None

    def sort_entity(self, cur: Cursor, scope: Scope, *, for_export: bool) -> Entity:
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

    def instance(self, cur: Cursor, scope: Scope) -> None:
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
                    name, _parsed = self.extern_name(cur)
                    cur.item = None
                    if name in exports:
                        raise cur.error(f"duplicate instance export {name!r}", at)
                    exports[name] = self.sort_entity(cur, scope, for_export=False)
                scope.instances.append(InstanceT(exports))
            case b:
                raise cur.error(f"unknown instance expression 0x{b:02x}", start)

    def instantiate(
        self, cur: Cursor, scope: Scope, comp: ComponentT, args: dict[str, Entity], offset: int
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

    def alias(self, cur: Cursor, scope: Scope) -> None:
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
                target: Scope | None = scope
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

    def canon(self, cur: Cursor, scope: Scope) -> None:
        start = cur.pos
        op = cur.byte()
        match op:
            case 0x00:
                if cur.byte() != 0x00:
                    raise cur.error("canon lift must lift a core function", start + 1)
                self.core_index(cur, scope, "func")
                self.canon_opts(cur, scope, "lift")
                scope.funcs.append(self.func_type_at(cur, scope))
            case 0x01:
                if cur.byte() != 0x00:
                    raise cur.error("canon lower must lower a function", start + 1)
                self._index(cur, scope.funcs, "function")
                self.canon_opts(cur, scope, "lower")
                scope.core["func"] += 1
            case 0x02 | 0x03 | 0x04:
                self.resource_ref(cur, scope)
                scope.core["func"] += 1
            case _ if op in BUILTINS:
                self.builtin(cur, scope, *BUILTINS[op])
                scope.core["func"] += 1
            case _:
                raise cur.error(f"unknown canonical function opcode 0x{op:02x}", start)

    def builtin(self, cur: Cursor, scope: Scope, name: str, immediates: tuple[str, ...]) -> None:
        cur.item = f"canon {name}"
        for imm in immediates:
            if imm == _T:
                self.type_at(cur, scope)
            elif imm == _O:
                self.canon_opts(cur, scope, name)
            elif imm == _A:
                self.opt_flag(cur)
            elif imm == _V:
                CoreTypeSkipper(cur).valtype()
            elif imm == _U:
                cur.u32()
            elif imm == _M:
                self.core_index(cur, scope, "memory")
            elif imm == _CT:
                self.core_index(cur, scope, "type")
            elif imm == _TB:
                self.core_index(cur, scope, "table")
            elif imm == _R:
                start = cur.pos
                match cur.byte():
                    case 0x00:
                        self.valtype(cur, scope)
                    case 0x01:
                        if cur.u32() != 0:
                            raise cur.error("named results are not supported", start)
                    case b:
                        raise cur.error(f"invalid result list marker 0x{b:02x}", start)
        cur.item = None

    def canon_opts(self, cur: Cursor, scope: Scope, what: str) -> None:
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
                    # An async lower only changes how the guest calls an
                    # import; an async lift makes an async export.
                    if what == "lift":
                        raise cur.unsupported(
                            "async lift (an async export) is not supported yet", start
                        )
                case 0x07:
                    self.core_index(cur, scope, "func")
                    if what == "lift":
                        raise cur.unsupported("async lift (callback) is not supported yet", start)
                case 0x08:
                    self.core_index(cur, scope, "type")
                case b:
                    raise cur.error(f"unknown canonical option 0x{b:02x}", start)


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


class CoreTypeSkipper:
    """Reads past a core type declared inside a component or instance type
    (where, unlike in a core type section, there is no size to skip by)."""

    def __init__(self, cur: Cursor) -> None:
        self.cur = cur

    def core_type(self, *, in_module_type: bool) -> None:
        cur = self.cur
        start = cur.pos
        b = cur.byte()
        match b:
            case 0x50 if not in_module_type:
                for _ in range(cur.count("module type declaration", 2)):
                    self.module_decl()
            case 0x00 if not in_module_type:
                if cur.byte() != 0x50:
                    raise cur.error("expected a core subtype", start + 1)
                self.subtype_body(final=False)
            case 0x4E:
                for _ in range(cur.count("rec group entry", 1)):
                    self.subtype()
            case _:
                cur.pos = start
                self.subtype()

    def subtype(self) -> None:
        cur = self.cur
        b = cur.peek()
        if b in (0x50, 0x4F):
            cur.pos += 1
            self.subtype_body(final=b == 0x4F)
        else:
            self.comptype()

    def subtype_body(self, *, final: bool) -> None:
        cur = self.cur
        for _ in range(cur.count("supertype", 1)):
            cur.u32()
        self.comptype()

    def comptype(self) -> None:
        cur = self.cur
        start = cur.pos
        b = cur.byte()
        match b:
            case 0x60:
                for _ in range(cur.count("core parameter", 1)):
                    self.valtype()
                for _ in range(cur.count("core result", 1)):
                    self.valtype()
            case 0x5F:
                for _ in range(cur.count("struct field", 2)):
                    self.storagetype()
                    cur.byte()
            case 0x5E:
                self.storagetype()
                cur.byte()
            case _:
                raise cur.unsupported(f"core type form 0x{b:02x} is not supported", start)

    def storagetype(self) -> None:
        if self.cur.peek() in (0x78, 0x77):  # i8, i16
            self.cur.pos += 1
        else:
            self.valtype()

    def valtype(self) -> None:
        cur = self.cur
        start = cur.pos
        b = cur.byte()
        if 0x7B <= b <= 0x7F or 0x69 <= b <= 0x74:
            return  # numeric, vector, or abstract heap type shorthand
        if b in (0x63, 0x64):
            cur.s33()
            return
        raise cur.error(f"unknown core value type 0x{b:02x}", start)

    def limits(self) -> None:
        cur = self.cur
        flags = cur.byte()
        cur.u64()
        if flags & 0x01:
            cur.u64()
        if flags & 0x08:
            cur.u32()

    def externtype(self) -> None:
        cur = self.cur
        start = cur.pos
        match cur.byte():
            case 0x00 | 0x20:
                cur.u32()
            case 0x01:
                self.valtype()
                self.limits()
            case 0x02:
                self.limits()
            case 0x03:
                self.valtype()
                cur.byte()
            case 0x04:
                cur.byte()
                cur.u32()
            case b:
                raise cur.error(f"unknown core extern type 0x{b:02x}", start)

    def module_decl(self) -> None:
        cur = self.cur
        start = cur.pos
        match cur.byte():
            case 0x00:
                cur.name("core import module")
                cur.name("core import name")
                self.externtype()
            case 0x01:
                self.core_type(in_module_type=True)
            case 0x02:
                if cur.byte() != 0x10 or cur.byte() != 0x01:
                    raise cur.error("malformed core alias in module type", start)
                cur.u32()
                cur.u32()
            case 0x03:
                cur.name("core export name")
                self.externtype()
            case b:
                raise cur.error(f"unknown module type declaration 0x{b:02x}", start)
