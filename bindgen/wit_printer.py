"""Render a World as WIT text, in the style of `wasm-tools component wit`.

A component read from its binary has no package or world name, so, like
wit-component, the world is printed as `world root` in `package
root:component`; the interfaces it imports and exports from other packages
follow as `package ns:pkg { interface ... }` blocks.
"""

from __future__ import annotations

from collections.abc import Iterable

from wbindgen_runtime.model import (
    AliasDef,
    BorrowType,
    Constructor,
    Direction,
    EnumDef,
    FlagsDef,
    Freestanding,
    Function,
    Interface,
    InterfaceName,
    ListType,
    Method,
    OptionType,
    Owner,
    OwnType,
    Primitive,
    RecordDef,
    ResourceDef,
    ResultType,
    Static,
    TupleType,
    Type,
    TypeDef,
    TypeId,
    TypeRef,
    VariantDef,
    World,
)

from ._compat import assert_never

KEYWORDS = frozenset(
    [
        "as", "async", "bool", "borrow", "char", "constructor", "enum", "export", "f32",
        "f64", "flags", "from", "func", "future", "import", "include", "interface", "list",
        "map", "option", "own", "package", "record", "resource", "result", "s16", "s32",
        "s64", "s8", "static", "stream", "string", "tuple", "type", "u16", "u32", "u64",
        "u8", "use", "variant", "with", "world", "error-context", "union",
    ]
)  # fmt: skip

INDENT = "  "


def ident(name: str) -> str:
    """A WIT identifier, `%`-escaped where it would read as a keyword."""
    return f"%{name}" if name in KEYWORDS else name


def print_world(world: World) -> str:
    return _Printer(world).print()


class _Printer:
    def __init__(self, world: World) -> None:
        self.world = world
        self.out: list[str] = []

    def line(self, depth: int, text: str = "") -> None:
        self.out.append(f"{INDENT * depth}{text}" if text else "")

    # ------------------------------------------------------------------

    def print(self) -> str:
        w = self.world
        name = w.name or "root"
        self.line(0, "package root:component;")
        self.line(0)
        self.line(0, f"world {ident(name)} {{")
        imports_printed = self.world_side(
            Direction.IMPORT, w.imports, w.import_types, w.import_functions
        )
        if imports_printed and (w.exports or w.export_types or w.export_functions):
            self.line(0)
        self.world_side(Direction.EXPORT, w.exports, w.export_types, w.export_functions)
        self.line(0, "}")
        self.packages()
        return "\n".join(self.out) + "\n"

    def world_side(
        self,
        direction: Direction,
        interfaces: Iterable[Interface],
        types: tuple[TypeDef, ...],
        functions: tuple[Function, ...],
    ) -> bool:
        keyword = direction.value
        printed = False
        for iface in interfaces:
            printed = True
            if iface.name.is_local:
                self.line(1, f"{keyword} {ident(iface.name.name)}: interface {{")
                self.interface_body(2, iface.owner, iface.types, iface.functions, blank_funcs=True)
                self.line(1, "}")
            else:
                self.line(1, f"{keyword} {iface.name};")
        owner = Owner(direction, None)
        if types:
            printed = True
            self.types_block(1, owner, types)
        for f in functions:
            if isinstance(f.kind, Freestanding):
                printed = True
                self.line(1, f"{keyword} {ident(f.name)}: {self.signature(f)};")
        return printed

    def packages(self) -> None:
        """`package ns:pkg@ver { interface ... }` for every non-local
        interface. An interface both imported and exported is one WIT
        interface: it is printed once, with the members of both sides."""
        merged: dict[InterfaceName, Interface] = {}
        for iface in (*self.world.imports, *self.world.exports):
            if iface.name.is_local:
                continue
            prev = merged.get(iface.name)
            if prev is None:
                merged[iface.name] = iface
                continue
            type_names = {td.name for td in prev.types}
            func_names = {f.name for f in prev.functions}
            merged[iface.name] = Interface(
                prev.owner,
                prev.types + tuple(td for td in iface.types if td.name not in type_names),
                prev.functions + tuple(f for f in iface.functions if f.name not in func_names),
            )
        by_package: dict[str, list[Interface]] = {}
        for iface in merged.values():
            by_package.setdefault(iface.name.package_id, []).append(iface)
        for pkg, ifaces in by_package.items():
            self.line(0, f"package {pkg} {{")
            for iface in ifaces:
                self.line(1, f"interface {ident(iface.name.name)} {{")
                self.interface_body(2, iface.owner, iface.types, iface.functions, blank_funcs=False)
                self.line(1, "}")
            self.line(0, "}")

    # ------------------------------------------------------------------
    # Interface bodies.

    def interface_body(
        self,
        depth: int,
        owner: Owner,
        types: tuple[TypeDef, ...],
        functions: tuple[Function, ...],
        *,
        blank_funcs: bool,
    ) -> None:
        self.types_block(depth, owner, types, functions)
        free = [f for f in functions if isinstance(f.kind, Freestanding)]
        for i, f in enumerate(free):
            if blank_funcs or i == 0 and types:
                self.line(0)
            self.line(depth, f"{ident(f.name)}: {self.signature(f)};")

    def types_block(
        self,
        depth: int,
        owner: Owner,
        types: tuple[TypeDef, ...],
        functions: tuple[Function, ...] = (),
    ) -> None:
        # `use` statements first, grouped by the interface they come from.
        uses: dict[Owner, list[tuple[str, str]]] = {}
        defs: list[TypeDef] = []
        for td in types:
            target = self.use_target(td)
            if target is not None:
                uses.setdefault(target.owner, []).append((target.name, td.name))
            else:
                defs.append(td)
        for src, names in uses.items():
            items = ", ".join(ident(a) if a == b else f"{ident(a)} as {ident(b)}" for a, b in names)
            self.line(depth, f"use {self.path_from(owner, src)}.{{{items}}};")
        world_funcs = functions if owner.interface is not None else self.world_functions(owner)
        for i, td in enumerate(defs):
            if i or uses:
                self.line(0)
            self.typedef(depth, td, world_funcs)

    def world_functions(self, owner: Owner) -> tuple[Function, ...]:
        w = self.world
        return w.import_functions if owner.direction is Direction.IMPORT else w.export_functions

    def use_target(self, td: TypeDef) -> TypeId | None:
        """The type a `use` brings in, when `td` is one."""
        if isinstance(td.kind, AliasDef) and isinstance(td.kind.target, TypeRef):
            target = td.kind.target.id
            if target.owner != td.id.owner:
                return target
        return None

    def path_from(self, here: Owner, src: Owner) -> str:
        iface = src.interface
        if iface is None:
            return "world"
        cur = here.interface
        if cur is not None and not cur.is_local and cur.package_id == iface.package_id:
            return ident(iface.name)
        return str(iface)

    def typedef(self, depth: int, td: TypeDef, functions: tuple[Function, ...]) -> None:
        name = ident(td.name)
        kind = td.kind
        match kind:
            case RecordDef(fields=fields):
                self.line(depth, f"record {name} {{")
                for f in fields:
                    self.line(depth + 1, f"{ident(f.name)}: {wit_type(f.type)},")
                self.line(depth, "}")
            case VariantDef(cases=cases):
                self.line(depth, f"variant {name} {{")
                for c in cases:
                    payload = "" if c.type is None else f"({wit_type(c.type)})"
                    self.line(depth + 1, f"{ident(c.name)}{payload},")
                self.line(depth, "}")
            case EnumDef(members=names) | FlagsDef(members=names):
                keyword = "enum" if isinstance(kind, EnumDef) else "flags"
                self.line(depth, f"{keyword} {name} {{")
                for m in names:
                    self.line(depth + 1, f"{ident(m)},")
                self.line(depth, "}")
            case ResourceDef():
                methods = [f for f in functions if _resource_of(f) == td.id]
                if not methods:
                    self.line(depth, f"resource {name};")
                    return
                self.line(depth, f"resource {name} {{")
                for method in methods:
                    self.line(depth + 1, self.resource_function(method))
                self.line(depth, "}")
            case AliasDef(target=OwnType(resource=r)):
                # Inside expressions an owned handle reads as the bare
                # resource name; as a definition it is spelled out.
                self.line(depth, f"type {name} = own<{ident(r.name)}>;")
            case AliasDef(target=target):
                self.line(depth, f"type {name} = {wit_type(target)};")
            case _:
                assert_never(kind)

    # ------------------------------------------------------------------
    # Functions and type expressions.

    def resource_function(self, f: Function) -> str:
        match f.kind:
            case Constructor():
                # A fallible constructor shows its result; a plain one
                # returns `own<r>` implicitly.
                params = self.params(f)
                if f.result is None or isinstance(f.result, OwnType):
                    return f"constructor({params});"
                return f"constructor({params}) -> {wit_type(f.result)};"
            case Method():
                return f"{ident(f.item_name)}: {self.signature(f, skip_self=True)};"
            case Static():
                return f"{ident(f.item_name)}: static {self.signature(f)};"
            case Freestanding():
                return f"{ident(f.name)}: {self.signature(f)};"
            case _:
                assert_never(f.kind)

    def params(self, f: Function, skip_self: bool = False) -> str:
        ps = f.params[1:] if skip_self and f.params and f.params[0].name == "self" else f.params
        return ", ".join(f"{ident(p.name)}: {wit_type(p.type)}" for p in ps)

    def signature(self, f: Function, skip_self: bool = False) -> str:
        result = "" if f.result is None else f" -> {wit_type(f.result)}"
        return f"func({self.params(f, skip_self)}){result}"


def wit_type(t: Type) -> str:
    """A type expression in WIT syntax (named types by their own name)."""
    match t:
        case Primitive(name=name):
            return name
        case ListType(element=el):
            return f"list<{wit_type(el)}>"
        case TupleType(elements=els):
            return f"tuple<{', '.join(wit_type(e) for e in els)}>"
        case OptionType(inner=inner):
            return f"option<{wit_type(inner)}>"
        case ResultType(ok=None, err=None):
            return "result"
        case ResultType(ok=ok, err=None):
            assert ok is not None
            return f"result<{wit_type(ok)}>"
        case ResultType(ok=None, err=err):
            assert err is not None
            return f"result<_, {wit_type(err)}>"
        case ResultType(ok=ok, err=err):
            assert ok is not None and err is not None
            return f"result<{wit_type(ok)}, {wit_type(err)}>"
        case OwnType(resource=r):
            return ident(r.name)
        case BorrowType(resource=r):
            return f"borrow<{ident(r.name)}>"
        case TypeRef(id=tid):
            return ident(tid.name)
        case _:
            assert_never(t)


def _resource_of(f: Function) -> TypeId | None:
    match f.kind:
        case Constructor(resource=r) | Method(resource=r) | Static(resource=r):
            return r
        case Freestanding():
            return None
        case _:
            assert_never(f.kind)
