"""Planning: every decision about the generated package, before any text.

The planner walks the model once and decides where each interface lives
(module paths), what every WIT item is called in Python (through `naming`),
which modules import which, and the runtime descriptor expression of every
type and function. It produces plain dataclasses (`PackagePlan`) that the
templates only render: no template decides anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from wbindgen_runtime import model as m
from wbindgen_runtime.wasi import WasiKind, wasi_kind

from . import naming
from ._compat import assert_never
from .naming import Scope
from .wit_printer import ident, wit_type


class PlanError(Exception):
    """The model holds something the bindings cannot express (reported to the
    user as an unsupported feature, not as a crash)."""


def is_wasi(name: m.InterfaceName | None) -> bool:
    """An interface wasmtime's own WASI provides (`Linker.add_wasip2()` /
    `add_wasi_http()`): imported, it gets no Protocol. Other `wasi:` interfaces
    (`wasi:config/store`, `wasi:keyvalue/...`) are the host's, like any."""
    return name is not None and wasi_kind(str(name)) is not WasiKind.NONE


def is_wasmtimes(owner: m.Owner) -> bool:
    """An imported WASI interface: its functions and resources are wasmtime's.
    (An exported one, `wasi:cli/run`, is the component's like any export.)"""
    return owner.direction is m.Direction.IMPORT and is_wasi(owner.interface)


def doc_tail(docs: str | None, indent: int, *, closing: bool = True) -> str:
    """WIT doc comments to append to a docstring's first line: a blank line,
    then the docs indented to the docstring's column (and, when `closing`,
    the newline and indentation before the closing quotes). Empty without
    docs, so bindings from a component binary are unchanged."""
    if not docs:
        return ""
    text = _escape_doc(docs)
    pad = " " * indent
    body = "".join(f"\n{pad}{line}" if line.strip() else "\n" for line in text.split("\n"))
    return f"\n{body}" + (f"\n{pad}" if closing else "")


def attribute_doc(docs: str | None, indent: int) -> str:
    """The body of an attribute docstring (record field, enum member)."""
    if not docs:
        return ""
    lines = _escape_doc(docs).split("\n")
    if len(lines) == 1:
        return lines[0]
    pad = " " * indent
    rest = "".join(f"\n{pad}{line}" if line.strip() else "\n" for line in lines[1:])
    return f"{lines[0]}{rest}\n{pad}"


def _escape_doc(docs: str) -> str:
    """Docs as the inside of a triple-quoted literal: backslashes and quotes
    escaped, line ends normalised to `\\n`, and other control or line-breaking
    characters (NUL, CR, U+2028, ...) written as escapes, so the text can
    neither end the string nor break the source's line structure."""
    text = docs.replace("\r\n", "\n").replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    text = "".join(
        # a lone surrogate cannot be UTF-8 at all: shown as the text `\udcff`
        f"\\\\u{ord(c):04x}" if 0xD800 <= ord(c) < 0xE000
        else c if c in "\n\t" or not (ord(c) < 32 or 0x7F <= ord(c) < 0xA0 or c in "\u2028\u2029")
        else f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"
        for c in text
    )
    return text + " " if text.endswith('"') else text


# --------------------------------------------------------------------------
# What the templates render.


@dataclass
class FieldPlan:
    name: str
    annotation: str
    doc: str = ""  # attribute docstring from WIT docs


@dataclass
class RecordPlan:
    template = "record.jinja"
    name: str
    wit: str
    fields: list[FieldPlan]
    doc_tail: str = ""


@dataclass
class CasePlan:
    cls: str
    wit: str
    annotation: str | None
    doc_tail: str = ""


@dataclass
class VariantPlan:
    template = "variant.jinja"
    name: str
    wit: str
    cases: list[CasePlan]
    union: str
    doc_tail: str = ""


@dataclass
class MemberPlan:
    name: str
    value: int
    doc: str = ""


@dataclass
class EnumPlan:
    template = "enum.jinja"
    name: str
    wit: str
    members: list[MemberPlan]
    base: str  # "_enum.Enum" or "_enum.Flag"
    doc_tail: str = ""


@dataclass
class CaseAliasPlan:
    name: str
    target: str


@dataclass
class AliasPlan:
    """`Name = Target`; an alias of a variant also re-exports its case
    classes under the alias's name (`Outcome_Ok`), so they are importable
    wherever the alias is."""

    template = "alias.jinja"
    name: str
    wit: str
    target: str
    doc_tail: str = ""
    cases: list[CaseAliasPlan] = field(default_factory=list)


@dataclass
class ParamPlan:
    name: str
    wit: str
    annotation: str


@dataclass
class FunctionPlan:
    """One function as Python sees it. `index` is its position in the
    module's function table, which the runtime resolves once at load."""

    name: str
    wit_name: str
    params: list[ParamPlan]
    returns: str
    signature: str  # the WIT signature, for the docstring
    descriptor: str
    index: int
    host_impl: str = ""  # for imports: the callable the runtime calls
    doc_tail: str = ""  # WIT docs after the signature

    @property
    def arg_names(self) -> str:
        return ", ".join(p.name for p in self.params)

    @property
    def call_prefix(self) -> str:
        # The runtime's plan returns `Any`; mypy --strict wants the declared
        # type, and a string in `cast` costs nothing at run time.
        return f"return _typing.cast({self.returns!r}, " if self.has_returns else ""

    @property
    def call_suffix(self) -> str:
        return ")" if self.has_returns else ""

    @property
    def has_returns(self) -> bool:
        return self.returns != "None"


@dataclass
class ResourceMethodsPlan:
    """An exported resource: its wrapper class (methods) and the per-instance
    class object (constructor and statics) reached from the interface."""

    template = "exported_resource.jinja"
    name: str
    wit: str
    attr: str  # attribute on the interface object
    statics_class: str
    constructor: FunctionPlan | None
    methods: list[FunctionPlan]
    statics: list[FunctionPlan]
    doc_tail: str = ""


@dataclass
class HostResourcePlan:
    """An imported resource: the Protocol the host's objects implement."""

    template = "imported_resource.jinja"
    name: str
    wit: str
    methods: list[FunctionPlan]
    doc_tail: str = ""


@dataclass
class DescriptorRef:
    wit: str
    descriptor: str


@dataclass
class DescriptorPlan:
    name: str
    expr: str


@dataclass
class InterfaceClassPlan:
    """The object behind `inst.<attr>` for an exported interface (or the world
    object's own functions)."""

    name: str
    doc: str
    functions: list[FunctionPlan]
    resources: list[ResourceMethodsPlan]


@dataclass
class HostProtocolPlan:
    name: str
    doc: str
    functions: list[FunctionPlan]


Block = (
    RecordPlan | VariantPlan | EnumPlan | AliasPlan | ResourceMethodsPlan | HostResourcePlan
)


@dataclass
class ModulePlan:
    """One generated module. `imports` are import statements (sorted when
    rendered), `blocks` the type definitions in dependency order."""

    path: tuple[str, ...]
    doc: str
    owner: m.Owner | None = None
    interface_key: str = ""  # the component-level name ("" for world-level)
    imports: set[str] = field(default_factory=set)
    blocks: list[Block] = field(default_factory=list)
    type_descriptors: list[DescriptorPlan] = field(default_factory=list)
    func_descriptors: list[DescriptorPlan] = field(default_factory=list)
    functions: list[FunctionPlan] = field(default_factory=list)
    interface_class: InterfaceClassPlan | None = None
    host_protocol: HostProtocolPlan | None = None
    host_resources: list[DescriptorRef] = field(default_factory=list)
    scope: Scope = field(default_factory=Scope)

    @property
    def is_root(self) -> bool:
        return self.path == ("__init__.py",)

    @property
    def interface_literal(self) -> str:
        return repr(self.interface_key) if self.interface_key else "None"

    @property
    def import_lines(self) -> list[str]:
        def group(line: str) -> int:
            if line.startswith("from ."):
                return 2
            top = line.split()[1].split(".")[0]
            return 1 if top in ("wasmtime", "wbindgen_runtime") else 0

        def module(line: str) -> tuple[str, bool, str]:
            return (line.split()[1], line.startswith("from"), line)

        lines: list[str] = []
        for g in (0, 1, 2):
            chunk = sorted((x for x in self.imports if group(x) == g), key=module)
            if chunk and lines:
                lines.append("")
            lines.extend(chunk)
        return lines

    @property
    def dotted(self) -> str:
        parts = list(self.path)
        if parts[-1] == "__init__.py":
            parts.pop()
        else:
            parts[-1] = parts[-1][: -len(".py")]
        return ".".join(parts)


@dataclass
class ImportFieldPlan:
    name: str
    annotation: str
    interface: str  # component-level name
    module_alias: str


@dataclass
class ExportAttrPlan:
    name: str
    cls: str
    module_alias: str
    interface: str


@dataclass
class WorldPlan:
    cls: str
    pre_cls: str
    imports_cls: str | None
    import_fields: list[ImportFieldPlan]
    export_attrs: list[ExportAttrPlan]
    # Aliases of the modules whose `_RESOURCES` the linker defines: those of
    # the import fields, and the world-level imports module when its only
    # resources are `use`d ones (no `root` field, still registered).
    resource_modules: list[str]
    functions: list[FunctionPlan]
    uses_wasi: bool
    uses_wasi_http: bool
    wit_doc: str


@dataclass
class PackagePlan:
    package: str
    modules: list[ModulePlan]
    world: WorldPlan
    root: ModulePlan  # the package's __init__.py (world class)


# --------------------------------------------------------------------------
# The planner.


def tuple_literal(items: list[str]) -> str:
    """A tuple expression without a trailing comma (which black would take as
    a request to explode the literal one item per line)."""
    if len(items) == 1:
        return f"({items[0]},)"
    return "(" + ", ".join(items) + ")"

_PRIMITIVE_ANNOTATION: dict[m.PrimitiveName, str] = {
    "bool": "bool",
    "s8": "int",
    "u8": "int",
    "s16": "int",
    "u16": "int",
    "s32": "int",
    "u32": "int",
    "s64": "int",
    "u64": "int",
    "f32": "float",
    "f64": "float",
    "char": "str",
    "string": "str",
}

# List elements a buffer of numbers can carry (`list<u8>` is bytes already).
_BUFFER_ELEMENTS = frozenset(("s8", "u16", "s16", "u32", "s32", "u64", "s64", "f32", "f64"))

# Names the generated modules define or import at top level besides WIT types.
_MODULE_RESERVED = frozenset({"Host", "Some", "Ok", "Err"})
# Members named like builtins keep their names (`def list(self) -> ...`); the
# annotations of their class spell those builtins `_builtins.list` (see
# `unshadow_builtins`). The world class's own API is reserved, and so is `str`
# for its exported-interface attributes: `instantiate`'s signature, written
# by the template after them, spells `str` unqualified.
_WORLD_RESERVED = frozenset({"instantiate"})
_WORLD_ATTR_RESERVED = frozenset({"str"})
# A dataclass takes a class attribute named like a field as that field's
# default, and `getattr(cls, "mro")` finds `type.mro`: a field `mro` would get
# a default (and a later field without one is a TypeError at import).
_DATACLASS_RESERVED = frozenset({"mro"})


class Planner:
    def __init__(
        self, world: m.World, package: str, class_name: str, *, buffers: bool = False
    ) -> None:
        self.world = world
        self.package = package
        self.class_name = class_name
        # `--buffers`: numeric lists written in signatures come out of wasm as
        # `array.array` (export results, host function parameters).
        self.buffers = buffers
        self.modules: dict[m.Owner, ModulePlan] = {}
        self.type_names: dict[m.TypeId, str] = {}  # python name, in owner's module
        self.descriptor_names: dict[m.TypeId, str] = {}
        # (variant or alias of one, case) -> case class or its re-export, in
        # the owner's module
        self.case_names: dict[tuple[m.TypeId, str], str] = {}
        self.skipped: set[m.Owner] = set()  # unused WASI interfaces: no module
        self.resource_blocks: dict[m.TypeId, ResourceMethodsPlan | HostResourcePlan] = {}

    # ---- placement ---------------------------------------------------------

    def place_modules(self) -> None:
        w = self.world
        self.root = ModulePlan(
            ("__init__.py",),
            f"Bindings of the world `{self.class_name}`." + doc_tail(self.world.docs, 0),
        )
        imports_init = ModulePlan(
            ("imports", "__init__.py"),
            "World-level imports: the `Host` Protocol and their types.",
            owner=m.Owner(m.Direction.IMPORT, None),
        )
        exports_init = ModulePlan(
            ("exports", "__init__.py"),
            "World-level exports' types.",
            owner=m.Owner(m.Direction.EXPORT, None),
        )
        self.modules[imports_init.owner] = imports_init  # type: ignore[index]
        self.modules[exports_init.owner] = exports_init  # type: ignore[index]
        for direction, ifaces in (("imports", w.imports), ("exports", w.exports)):
            names = self.module_names([i.name for i in ifaces if i.owner not in self.skipped])
            for iface in ifaces:
                if iface.owner in self.skipped:
                    continue
                mod = ModulePlan(
                    (direction, names[iface.name] + ".py"),
                    f"{direction[:-1].capitalize()}ed interface `{iface.name}`."
                    + doc_tail(iface.docs, 0),
                    owner=iface.owner,
                    interface_key=str(iface.name),
                )
                self.modules[iface.owner] = mod
        for mod in (*self.modules.values(), self.root):
            mod.scope = Scope(_MODULE_RESERVED)

    @staticmethod
    def module_names(names: list[m.InterfaceName]) -> dict[m.InterfaceName, str]:
        """snake_case interface names; qualified by package, then namespace,
        then version, until unique (deterministic: depends only on the set)."""
        def plain(n: m.InterfaceName) -> str:
            return naming.snake(n.name)

        def with_package(n: m.InterfaceName) -> str:
            return naming.snake(f"{n.package}-{n.name}") if n.package else plain(n)

        def with_namespace(n: m.InterfaceName) -> str:
            return naming.snake(f"{n.namespace}-{n.package}-{n.name}") if n.namespace else plain(n)

        forms = [plain, with_package, with_namespace]
        result: dict[m.InterfaceName, str] = {}
        pending = list(names)
        for form in forms:
            counts: dict[str, int] = {}
            for n in pending:
                counts[form(n)] = counts.get(form(n), 0) + 1
            rest = []
            for n in pending:
                if counts[form(n)] == 1 and form(n) not in result.values():
                    result[n] = form(n)
                else:
                    rest.append(n)
            pending = rest
        for n in sorted(pending):
            base = naming.snake(f"{n.namespace}-{n.package}-{n.name}")
            version = (n.version or "").replace(".", "_").replace("-", "_").replace("+", "_")
            cand = f"{base}_v{version}" if version else base
            while cand in result.values() or cand == "__init__":
                cand += "_"
            result[n] = cand
        return result

    def module_of(self, owner: m.Owner) -> ModulePlan:
        return self.modules[owner]

    def alias_for(self, target: ModulePlan, user: ModulePlan) -> str:
        """How `user` refers to `target` module: a relative import under an
        underscore alias so no WIT name can shadow it."""
        alias = "_m_" + "_".join(target.dotted.split(".")) if target.dotted else "_m_root"
        depth = len(user.path) - 1
        rel = "." * (depth + 1)
        parent, _, leaf = target.dotted.rpartition(".")
        if parent:
            user.imports.add(f"from {rel}{parent} import {leaf} as {alias}")
        else:
            user.imports.add(f"from {rel} import {leaf} as {alias}")
        return alias

    def ref(self, id: m.TypeId, user: ModulePlan, what: dict[m.TypeId, str]) -> str:
        owner = self.module_of(id.owner)
        name = what[id]
        if owner is user:
            return name
        return f"{self.alias_for(owner, user)}.{name}"

    # ---- names of types ---------------------------------------------------

    def planned_types(self) -> list[m.TypeDef]:
        return [td for td in self.world.all_types() if td.id.owner not in self.skipped]

    def name_types(self) -> None:
        for td in self.planned_types():
            mod = self.module_of(td.id.owner)
            kind = td.kind
            name = mod.scope.claim(("type", td.id), naming.cap_words(td.name))
            self.type_names[td.id] = name
            if not isinstance(kind, (m.AliasDef, m.ResourceDef)):
                self.descriptor_names[td.id] = "_T_" + name
            elif isinstance(kind, m.ResourceDef):
                self.descriptor_names[td.id] = "_R_" + name
        # Case classes after every type name (a type keeps its name over a
        # case class), and the re-exports of aliased variants after those.
        for td in self.planned_types():
            if isinstance(td.kind, m.VariantDef):
                mod = self.module_of(td.id.owner)
                for c in td.kind.cases:
                    self.case_names[(td.id, c.name)] = mod.scope.claim(
                        ("case", td.id, c.name), naming.case_class(td.name, c.name)
                    )
        for td in self.planned_types():
            if isinstance(td.kind, m.AliasDef) and self.aliased_variant(td) is not None:
                mod = self.module_of(td.id.owner)
                for c in self.aliased_variant_cases(td):
                    self.case_names[(td.id, c.name)] = mod.scope.claim(
                        ("case", td.id, c.name), naming.case_class(td.name, c.name)
                    )

    def aliased_variant(self, td: m.TypeDef) -> m.TypeId | None:
        """The variant an alias names, through any chain of aliases."""
        target = self.world.resolve(m.TypeRef(td.id))
        if isinstance(target, m.TypeRef) and isinstance(
            self.world.typedef(target.id).kind, m.VariantDef
        ):
            return target.id
        return None

    def aliased_variant_cases(self, td: m.TypeDef) -> tuple[m.Case, ...]:
        vid = self.aliased_variant(td)
        assert vid is not None
        kind = self.world.typedef(vid).kind
        assert isinstance(kind, m.VariantDef)
        return kind.cases

    # ---- type expressions -------------------------------------------------

    def annotation(self, ty: m.Type, user: ModulePlan, *, arg: bool, buffers: bool = False) -> str:
        """The Python type of a WIT type, as an argument (`arg`, accepting
        more) or as a returned value (`buffers`: numeric lists as
        `array.array`, in signatures of `--buffers` bindings)."""
        match ty:
            case m.Primitive(name=name):
                if arg and name in ("f32", "f64"):
                    return "float"  # int is accepted: PEP 484 promotes int to float
                return _PRIMITIVE_ANNOTATION[name]
            case m.ListType(element=m.Primitive(name="u8")):
                return "bytes | bytearray | memoryview" if arg else "bytes"
            case m.ListType(element=el):
                inner = self.annotation(el, user, arg=arg, buffers=buffers)
                numeric = isinstance(el, m.Primitive) and el.name in _BUFFER_ELEMENTS
                if arg:
                    user.imports.add("import typing as _typing")
                    if numeric:  # array.array, numpy arrays, memoryviews of its items
                        user.imports.add("from wbindgen_runtime import buffers as _buffers")
                        return f"_typing.Sequence[{inner}] | _buffers.Buffer"
                    return f"_typing.Sequence[{inner}]"
                if numeric and buffers:
                    user.imports.add("from wbindgen_runtime import buffers as _buffers")
                    return f"_buffers.Array[{inner}]"
                return f"list[{inner}]"
            case m.TupleType(elements=els):
                if not els:
                    return "tuple[()]"
                return (
                    "tuple["
                    + ", ".join(self.annotation(e, user, arg=arg, buffers=buffers) for e in els)
                    + "]"
                )
            case m.OptionType(inner=inner):
                inner_ann = self.annotation(inner, user, arg=arg, buffers=buffers)
                if isinstance(self.world.resolve(inner), m.OptionType):
                    user.imports.add("import wbindgen_runtime as _rt")
                    return f"_rt.Some[{inner_ann}] | None"
                return f"{inner_ann} | None"
            case m.ResultType(ok=ok, err=err):
                user.imports.add("import wbindgen_runtime as _rt")
                oka = (
                    self.annotation(ok, user, arg=arg, buffers=buffers)
                    if ok is not None
                    else "None"
                )
                erra = (
                    self.annotation(err, user, arg=arg, buffers=buffers)
                    if err is not None
                    else "None"
                )
                return f"_rt.Ok[{oka}] | _rt.Err[{erra}]"
            case m.OwnType(resource=rid) | m.BorrowType(resource=rid):
                return self.ref(self.resource_id(rid), user, self.type_names)
            case m.TypeRef(id=id):
                return self.ref(id, user, self.type_names)
            case _:
                assert_never(ty)

    def resource_id(self, id: m.TypeId) -> m.TypeId:
        """A resource may be reached through `use` aliases; its class lives
        with its definition."""
        ty = self.world.resolve(m.TypeRef(id))
        if not isinstance(ty, m.TypeRef):  # a reader that does not validate let it through
            raise PlanError(f"type '{id.name}' is used as a resource handle but is not a resource")
        return ty.id

    def descriptor(self, ty: m.Type, user: ModulePlan, *, buffers: bool = False) -> str:
        """The runtime descriptor of a WIT type (`buffers`: numeric lists written
        here, not through a named type, as `BufferList`)."""
        user.imports.add("from wbindgen_runtime import types as _t")
        match ty:
            case m.Primitive(name=name):
                return f"_t.{name.upper()}"
            case m.ListType(element=el):
                if buffers and isinstance(el, m.Primitive) and el.name in _BUFFER_ELEMENTS:
                    user.imports.add("from wbindgen_runtime import buffers as _buffers")
                    return f"_buffers.BufferList({self.descriptor(el, user)})"
                return f"_t.List({self.descriptor(el, user, buffers=buffers)})"
            case m.TupleType(elements=els):
                parts = [self.descriptor(e, user, buffers=buffers) for e in els]
                return f"_t.Tuple({tuple_literal(parts)})"
            case m.OptionType(inner=inner):
                return f"_t.Option({self.descriptor(inner, user, buffers=buffers)})"
            case m.ResultType(ok=ok, err=err):
                oks = self.descriptor(ok, user, buffers=buffers) if ok is not None else "None"
                errs = self.descriptor(err, user, buffers=buffers) if err is not None else "None"
                return f"_t.Result({oks}, {errs})"
            case m.OwnType(resource=rid):
                res = self.ref(self.resource_id(rid), user, self.descriptor_names)
                return f"_t.Own({res})"
            case m.BorrowType(resource=rid):
                res = self.ref(self.resource_id(rid), user, self.descriptor_names)
                return f"_t.Borrow({res})"
            case m.TypeRef(id=id):
                td = self.world.typedef(id)
                if isinstance(td.kind, m.AliasDef):
                    return self.descriptor(td.kind.target, user)
                return self.ref(id, user, self.descriptor_names)
            case _:
                assert_never(ty)

    # ---- WIT text for docstrings -------------------------------------------

    def wit_signature(self, fn: m.Function) -> str:
        params = ", ".join(f"{ident(p.name)}: {wit_type(p.type)}" for p in fn.params)
        res = f" -> {wit_type(fn.result)}" if fn.result is not None else ""
        return f"{fn.item_name}: func({params}){res}"

    # ---- type definitions ----------------------------------------------------

    def plan_types(self) -> None:
        for td in self.planned_types():
            mod = self.module_of(td.id.owner)
            name = self.type_names[td.id]
            kind = td.kind
            match kind:
                case m.RecordDef(fields=fields):
                    mod.imports.add("import dataclasses as _dataclasses")
                    fscope = Scope(_DATACLASS_RESERVED)
                    fplans = [
                        FieldPlan(
                            fscope.claim(f.name, naming.snake(f.name)),
                            self.annotation(f.type, mod, arg=False),
                            attribute_doc(f.docs, 4),
                        )
                        for f in fields
                    ]
                    mod.blocks.append(RecordPlan(name, td.name, fplans, doc_tail(td.docs, 4)))
                    attrs = tuple_literal(
                        [
                            f"({f.name!r}, {fp.name!r}, {self.descriptor(f.type, mod)})"
                            for f, fp in zip(fields, fplans)
                        ]
                    )
                    self.type_descriptor(mod, td, f"_t.Record({td.name!r}, {name}, {attrs})")
                case m.VariantDef(cases=cases):
                    mod.imports.add("import dataclasses as _dataclasses")
                    cplans = []
                    for c in cases:
                        cls = self.case_names[(td.id, c.name)]
                        ann = self.annotation(c.type, mod, arg=False) if c.type else None
                        cplans.append(CasePlan(cls, c.name, ann, doc_tail(c.docs, 4)))
                    union = " | ".join(c.cls for c in cplans)
                    if len(cplans) > 1:
                        mod.imports.add("import typing as _typing")
                        union = "_typing.Union[" + ", ".join(c.cls for c in cplans) + "]"
                    mod.blocks.append(
                        VariantPlan(name, td.name, cplans, union, doc_tail(td.docs, 0))
                    )
                    cases_expr = tuple_literal(
                        [
                            f"({c.name!r}, "
                            f"{self.descriptor(c.type, mod) if c.type else 'None'}, {cp.cls})"
                            for c, cp in zip(cases, cplans)
                        ]
                    )
                    self.type_descriptor(mod, td, f"_t.Variant({td.name!r}, {cases_expr})")
                case m.EnumDef(members=members) | m.FlagsDef(members=members):
                    is_flags = isinstance(kind, m.FlagsDef)
                    mod.imports.add("import enum as _enum")
                    mscope = Scope({"name", "value"})
                    mplans = [
                        MemberPlan(
                            mscope.claim(mem, naming.shouty(mem)), (1 << i) if is_flags else i
                        )
                        for i, mem in enumerate(members)
                    ]
                    base = "_enum.Flag" if is_flags else "_enum.Enum"
                    for mp, mdoc in zip(mplans, kind.member_docs or ()):
                        mp.doc = attribute_doc(mdoc, 4)
                    mod.blocks.append(EnumPlan(name, td.name, mplans, base, doc_tail(td.docs, 4)))
                    desc = "Flags" if is_flags else "Enum"
                    names = tuple_literal([repr(mem) for mem in members])
                    self.type_descriptor(mod, td, f"_t.{desc}({td.name!r}, {name}, {names})")
                case m.AliasDef(target=target):
                    alias = AliasPlan(
                        name, td.name, self.annotation(target, mod, arg=False), doc_tail(td.docs, 0)
                    )
                    vid = self.aliased_variant(td)
                    if vid is not None:
                        owner = self.module_of(vid.owner)
                        prefix = "" if owner is mod else f"{self.alias_for(owner, mod)}."
                        alias.cases = [
                            CaseAliasPlan(
                                self.case_names[(td.id, c.name)],
                                prefix + self.case_names[(vid, c.name)],
                            )
                            for c in self.aliased_variant_cases(td)
                        ]
                    mod.blocks.append(alias)
                case m.ResourceDef():
                    # The block is placed here, in definition order, and filled
                    # when the owner's functions are planned.
                    block: Block
                    if td.id.owner.direction is m.Direction.EXPORT:
                        mod.imports.add("import wbindgen_runtime as _rt")
                        block = ResourceMethodsPlan(
                            name, td.name, "", "", None, [], [], doc_tail(td.docs, 4, closing=False)
                        )
                        expr = f"_t.ExportedResource({td.name!r}, {name})"
                    else:
                        mod.imports.add("import typing as _typing")
                        block = HostResourcePlan(
                            name, td.name, [], doc_tail(td.docs, 4, closing=False)
                        )
                        expr = f"_t.ImportedResource({td.name!r})"
                    self.resource_blocks[td.id] = block
                    mod.blocks.append(block)
                    self.type_descriptor(mod, td, expr)
                case _:
                    assert_never(kind)

    def type_descriptor(self, mod: ModulePlan, td: m.TypeDef, expr: str) -> None:
        # (a module whose only item is a resource has no function to import it)
        mod.imports.add("from wbindgen_runtime import types as _t")
        mod.type_descriptors.append(DescriptorPlan(self.descriptor_names[td.id], expr))

    # ---- functions -------------------------------------------------------------

    def function(self, fn: m.Function, mod: ModulePlan, name: str, *, host: bool) -> FunctionPlan:
        """Plan one function. A method's first WIT parameter (`self`) is the
        Python `self` of the resource class, so it is left out of `params`."""
        # `_t` names the function's descriptor even when no parameter or
        # result needs it (`thunk: func()`).
        mod.imports.update(
            (
                "import typing as _typing",
                "import wbindgen_runtime as _rt",
                "from wbindgen_runtime import types as _t",
            )
        )
        pscope = Scope({"self"})
        wit_params = fn.params[1:] if isinstance(fn.kind, m.Method) else fn.params
        params = [
            ParamPlan(
                pscope.claim(p.name, naming.snake(p.name)),
                p.name,
                # A host implementation receives what an export returns, and
                # returns what an export accepts.
                self.annotation(p.type, mod, arg=not host, buffers=self.buffers),
            )
            for p in wit_params
        ]
        raises = isinstance(fn.result, m.ResultType)
        out = self.buffers and not host  # what comes out of wasm: results of exports
        if fn.result is None:
            returns = "None"
        elif isinstance(fn.result, m.ResultType):
            ok = fn.result.ok
            returns = self.annotation(ok, mod, arg=host, buffers=out) if ok is not None else "None"
        else:
            returns = self.annotation(fn.result, mod, arg=host, buffers=out)
        # BufferList only changes how a list is lifted: marking every inline
        # numeric list of the signature gives arrays to what comes out of wasm.
        pdesc = tuple_literal(
            [
                f"({p.name!r}, {self.descriptor(p.type, mod, buffers=self.buffers)})"
                for p in fn.params
            ]
        )
        rdesc = (
            self.descriptor(fn.result, mod, buffers=self.buffers)
            if fn.result is not None
            else "None"
        )
        index = len(mod.functions)
        desc_name = f"_F{index}"
        mod.func_descriptors.append(
            DescriptorPlan(desc_name, f"_t.Func({pdesc}, {rdesc}, {raises})")
        )
        plan = FunctionPlan(
            name=name,
            wit_name=fn.name,
            params=params,
            returns=returns,
            signature=self.wit_signature(fn),
            descriptor=desc_name,
            index=index,
            doc_tail=doc_tail(fn.docs, 8),
        )
        if host:
            plan.host_impl = (
                f"_rt.host_method({name!r})"
                if isinstance(fn.kind, m.Method)
                else f"host.{name}"
            )
        mod.functions.append(plan)
        return plan


    # ---- interfaces ------------------------------------------------------------

    def resources_of(self, types: tuple[m.TypeDef, ...]) -> list[m.TypeDef]:
        return [td for td in types if isinstance(td.kind, m.ResourceDef)]

    def functions_of(
        self,
        fns: tuple[m.Function, ...],
        res: m.TypeId,
        kind: type[m.Constructor] | type[m.Method] | type[m.Static],
    ) -> list[m.Function]:
        return [
            f
            for f in fns
            if isinstance(f.kind, kind)
            and isinstance(f.kind, (m.Constructor, m.Method, m.Static))
            and f.kind.resource == res
        ]

    def plan_exported(
        self, mod: ModulePlan, types: tuple[m.TypeDef, ...], fns: tuple[m.Function, ...],
        class_name: str, doc: str, iscope: Scope,
    ) -> InterfaceClassPlan:
        """The interface object of an exported interface (or, for the world,
        the world class's own functions) and its resources' wrapper classes."""
        resources = self.resources_of(types)
        res_attrs = {td.id: iscope.claim(("res", td.id), naming.snake(td.name)) for td in resources}
        free = [
            self.function(f, mod, iscope.claim(f.name, naming.snake(f.name)), host=False)
            for f in fns
            if isinstance(f.kind, m.Freestanding)
        ]
        rplans: list[ResourceMethodsPlan] = []
        for td in resources:
            block = self.resource_blocks[td.id]
            assert isinstance(block, ResourceMethodsPlan)
            wscope = Scope({"drop", "dropped"})
            sscope = Scope()
            ctors = self.functions_of(fns, td.id, m.Constructor)
            block.methods = [
                self.function(f, mod, wscope.claim(f.name, naming.snake(f.item_name)), host=False
                )
                for f in self.functions_of(fns, td.id, m.Method)
            ]
            block.statics = [
                self.function(f, mod, sscope.claim(f.name, naming.snake(f.item_name)), host=False
                )
                for f in self.functions_of(fns, td.id, m.Static)
            ]
            block.constructor = (
                self.function(ctors[0], mod, "__call__", host=False) if ctors else None
            )
            block.attr = res_attrs[td.id]
            block.statics_class = mod.scope.claim(("statics", td.id), f"_{block.name}Class")
            rplans.append(block)
        return InterfaceClassPlan(class_name, doc, free, rplans)

    def plan_imported(
        self, mod: ModulePlan, types: tuple[m.TypeDef, ...], fns: tuple[m.Function, ...], doc: str
    ) -> None:
        """The `Host` Protocol of an imported interface (or of the world's own
        imports) and its resources' Protocols."""
        hscope = Scope()
        resources = self.resources_of(types)
        functions: list[FunctionPlan] = []
        for f in fns:
            match f.kind:
                case m.Freestanding():
                    name = hscope.claim(f.name, naming.snake(f.name))
                case m.Constructor(resource=rid):
                    name = hscope.claim(f.name, naming.snake(rid.name))
                case m.Static(resource=rid):
                    name = hscope.claim(f.name, naming.snake(f"{rid.name}-{f.item_name}"))
                case m.Method():
                    continue
                case _:
                    assert_never(f.kind)
            functions.append(self.function(f, mod, name, host=True))
        for td in resources:
            block = self.resource_blocks[td.id]
            assert isinstance(block, HostResourcePlan)
            rscope = Scope({"drop"})
            block.methods = [
                self.function(f, mod, rscope.claim(f.name, naming.snake(f.item_name)), host=True
                )
                for f in self.functions_of(fns, td.id, m.Method)
            ]
        mod.host_resources = [
            DescriptorRef(td.name, self.descriptor_names[td.id]) for td in resources
        ] + self.used_host_resources(mod, types)
        # An interface's `use`d resources are defined in its linker instance
        # too, which the imports field carries; at world level they need no
        # definition, so a world whose imports are only `use`d types has no
        # empty `Host` to fill in.
        if functions or resources or (mod.host_resources and mod.interface_key):
            mod.host_protocol = HostProtocolPlan("Host", doc, functions)

    def used_host_resources(
        self, mod: ModulePlan, types: tuple[m.TypeDef, ...]
    ) -> list[DescriptorRef]:
        """Resources this imported interface `use`s from another imported
        interface. wasmtime wants them defined here too, as the same resource
        type, so they are registered under this interface with the owner's
        descriptor (one handle table for both names)."""
        used: list[DescriptorRef] = []
        for td in types:
            if not isinstance(td.kind, m.AliasDef):
                continue
            target = self.world.resolve(m.TypeRef(td.id))
            if not isinstance(target, m.TypeRef):
                continue
            owner = target.id.owner
            if (
                isinstance(self.world.typedef(target.id).kind, m.ResourceDef)
                and owner.direction is m.Direction.IMPORT
                and not is_wasi(owner.interface)
            ):
                used.append(
                    DescriptorRef(td.name, self.ref(target.id, mod, self.descriptor_names))
                )
        return used

    # ---- the whole package -----------------------------------------------------

    def wasi_types_used(self) -> set[m.Owner]:
        """Imported WASI interfaces get a module only when another item uses
        one of their types (their functions are wasmtime's business)."""
        used: set[m.Owner] = set()
        seen: set[m.TypeId] = set()
        by_owner = {i.owner: i for i in (*self.world.imports, *self.world.exports)}

        def visit(ty: m.Type | None) -> None:
            match ty:
                case None | m.Primitive():
                    pass
                case m.ListType(element=el):
                    visit(el)
                case m.TupleType(elements=els):
                    for e in els:
                        visit(e)
                case m.OptionType(inner=inner):
                    visit(inner)
                case m.ResultType(ok=ok, err=err):
                    visit(ok)
                    visit(err)
                case m.OwnType(resource=id) | m.BorrowType(resource=id) | m.TypeRef(id=id):
                    if id in seen:
                        return
                    seen.add(id)
                    if is_wasmtimes(id.owner) and id.owner not in used:
                        used.add(id.owner)
                        # Its module defines all its types and its resources'
                        # methods: what they use needs a module too.
                        iface = by_owner.get(id.owner)
                        for td in iface.types if iface else ():
                            visit(m.TypeRef(td.id))
                        for fn in iface.functions if iface else ():
                            for p in fn.params:
                                visit(p.type)
                            visit(fn.result)
                    kind = self.world.typedef(id).kind
                    match kind:
                        case m.RecordDef(fields=fields):
                            for f in fields:
                                visit(f.type)
                        case m.VariantDef(cases=cases):
                            for c in cases:
                                visit(c.type)
                        case m.AliasDef(target=target):
                            visit(target)
                        case m.EnumDef() | m.FlagsDef() | m.ResourceDef():
                            pass
                        case _:
                            assert_never(kind)
                case _:
                    assert_never(ty)

        w = self.world
        for td in w.all_types():
            if not is_wasmtimes(td.id.owner):
                visit(m.TypeRef(td.id))
        for fns in [w.import_functions, w.export_functions] + [
            i.functions for i in (*w.imports, *w.exports) if not is_wasmtimes(i.owner)
        ]:
            for fn in fns:
                for p in fn.params:
                    visit(p.type)
                visit(fn.result)
        return used

    def check_exported_wasi(self, name: str, functions: tuple[m.Function, ...]) -> None:
        """An exported WASI interface (`wasi:cli/run`) is called like any export,
        unless its functions pass resources of wasmtime's WASI (`wasi:http`'s
        `incoming-handler` takes an `incoming-request`): Python cannot make or
        hold those (only wasmtime's own HTTP server can), and the interface is
        then of no use to a Python host."""
        seen: set[m.TypeId] = set()

        def wasmtimes(ty: m.Type | None) -> m.TypeId | None:
            match ty:
                case None | m.Primitive():
                    return None
                case m.ListType(element=t) | m.OptionType(inner=t):
                    return wasmtimes(t)
                case m.TupleType(elements=ts):
                    return next((r for t in ts if (r := wasmtimes(t))), None)
                case m.ResultType(ok=ok, err=err):
                    return wasmtimes(ok) or wasmtimes(err)
                case m.OwnType(resource=id) | m.BorrowType(resource=id) | m.TypeRef(id=id):
                    if id in seen:
                        return None
                    seen.add(id)
                    kind = self.world.typedef(id).kind
                    match kind:
                        case m.ResourceDef():
                            return id if is_wasmtimes(id.owner) else None
                        case m.AliasDef(target=target):
                            return wasmtimes(target)
                        case m.RecordDef(fields=fields):
                            return next((r for f in fields if (r := wasmtimes(f.type))), None)
                        case m.VariantDef(cases=cases):
                            return next((r for c in cases if (r := wasmtimes(c.type))), None)
                        case m.EnumDef() | m.FlagsDef():
                            return None
                        case _:
                            assert_never(kind)
                case _:
                    assert_never(ty)

        for fn in functions:
            for ty in (*(p.type for p in fn.params), fn.result):
                res = wasmtimes(ty)
                if res is not None:
                    raise PlanError(
                        f"the component exports {name}, whose function `{fn.name}` passes "
                        f"the resource `{res.name}` of wasmtime's own WASI "
                        f"(`{res.owner.interface}`), which only wasmtime itself can create "
                        "or hold (its HTTP server, for `wasi:http/incoming-handler`); Python "
                        "bindings cannot call it"
                    )

    def plan(self) -> PackagePlan:
        w = self.world
        wasi_used = self.wasi_types_used()
        for iface in w.imports:
            if is_wasi(iface.name) and iface.owner not in wasi_used:
                self.skipped.add(iface.owner)
        for iface in w.exports:
            if iface.name.namespace == "wasi":
                self.check_exported_wasi(f"`{iface.name}`", iface.functions)
        self.place_modules()
        self.name_types()
        self.plan_types()
        # The world class (export attributes, world-level functions) and the
        # imports dataclass (one field per imported interface) are separate
        # namespaces: an interface both imported and exported (`test`) is
        # `imports.test` on one and `inst.test` on the other.
        wscope = Scope(_WORLD_RESERVED)
        field_scope = Scope(_DATACLASS_RESERVED)
        import_fields: list[ImportFieldPlan] = []
        export_attrs: list[ExportAttrPlan] = []
        root = self.root
        uses_wasi = False
        uses_wasi_http = False

        for iface in w.imports:
            if is_wasi(iface.name):
                uses_wasi = True
                uses_wasi_http |= iface.name.package == "http"
                continue
            mod = self.module_of(iface.owner)
            self.plan_imported(
                mod, iface.types, iface.functions,
                f"What the host implements for the imported interface `{iface.name}`."
                + doc_tail(iface.docs, 4),
            )
            if mod.host_protocol is not None:
                field_name = field_scope.claim(("import", iface.name), mod.path[-1][: -len(".py")])
                alias = self.alias_for(mod, root)
                import_fields.append(
                    ImportFieldPlan(field_name, f"{alias}.Host", str(iface.name), alias)
                )
        imports_init = self.module_of(m.Owner(m.Direction.IMPORT, None))
        self.plan_imported(
            imports_init, w.import_types, w.import_functions,
            "World-level functions and resources the host implements.",
        )
        if imports_init.host_protocol is not None:
            alias = self.alias_for(imports_init, root)
            field_name = field_scope.claim(("import", None), "root")
            import_fields.append(ImportFieldPlan(field_name, f"{alias}.Host", "", alias))
        resource_modules = [f.module_alias for f in import_fields]
        if imports_init.host_protocol is None and imports_init.host_resources:
            # world-level `use`d resources: registered, with no field to fill
            resource_modules.append(self.alias_for(imports_init, root))

        for iface in w.exports:
            mod = self.module_of(iface.owner)
            cls = mod.scope.claim(("interface", iface.name), naming.cap_words(iface.name.name))
            mod.interface_class = self.plan_exported(
                mod, iface.types, iface.functions, cls,
                f"The exported interface `{iface.name}` of one instance."
                + doc_tail(iface.docs, 4),
                Scope(),
            )
            wanted = mod.path[-1][: -len(".py")]
            if wanted in _WORLD_ATTR_RESERVED:
                wanted += "_"
            attr = wscope.claim(("export", iface.name), wanted)
            export_attrs.append(
                ExportAttrPlan(attr, cls, self.alias_for(mod, root), str(iface.name))
            )

        root.imports.update(
            (
                "import builtins as _builtins",
                "import os as _os",
                "import typing as _typing",
                "import wasmtime as _wasmtime",
                "import wasmtime.component as _wasmtime_component",
                "import wbindgen_runtime as _rt",
                "from wbindgen_runtime import types as _t",
                "from wbindgen_runtime import Err as Err",
                "from wbindgen_runtime import Ok as Ok",
                "from wbindgen_runtime import Some as Some",
            )
        )
        if import_fields:
            root.imports.add("import dataclasses as _dataclasses")
        world_funcs = self.plan_exported(
            root, w.export_types, w.export_functions, self.class_name, "", wscope
        )
        imports_cls = naming.escape(self.class_name + "Imports") if import_fields else None
        world = WorldPlan(
            cls=self.class_name,
            pre_cls=naming.escape(self.class_name + "Pre"),
            imports_cls=imports_cls,
            import_fields=import_fields,
            export_attrs=export_attrs,
            resource_modules=resource_modules,
            functions=world_funcs.functions,
            uses_wasi=uses_wasi,
            uses_wasi_http=uses_wasi_http,
            wit_doc=doc_tail(w.docs, 4, closing=False),
        )
        modules = [*self.modules.values(), root]
        for mod in modules:
            self.unshadow_builtins(mod)
            self.template_imports(mod)
        self.unshadow_functions(root, world.functions, {a.name for a in export_attrs})
        return PackagePlan(self.package, modules, world, root)

    # ---- after planning ------------------------------------------------------

    @staticmethod
    def template_imports(mod: ModulePlan) -> None:
        """What the templates write besides the planned expressions: the
        function table (`_t.Func`), the interface class (`_rt.TypedFunc`), the
        Host Protocol and the resource table (`_typing`, `_t`). A module whose
        interface has no functions of its own still has them."""
        if mod.functions or mod.interface_class is not None or mod.host_protocol is not None:
            mod.imports.add("from wbindgen_runtime import types as _t")
        if mod.interface_class is not None:
            mod.imports.add("import wbindgen_runtime as _rt")
        if mod.host_protocol is not None:
            mod.imports.add("import typing as _typing")
        if mod.host_resources:
            mod.imports.add("from wbindgen_runtime import types as _t")

    def unshadow_builtins(self, mod: ModulePlan) -> None:
        """A name bound earlier in a class body shadows the builtin of that
        name in the annotations after it (mypy reads `-> list[int]` below a
        method `list` as that method), and a parameter shadows it in the
        function's body (the `_typing.cast` of the result). Wherever a member
        or parameter is named like a builtin, the class's annotations spell
        that builtin `_builtins.list`; the member keeps its WIT name."""
        for b in mod.blocks:
            match b:
                case RecordPlan(fields=fields):
                    names = {f.name for f in fields}
                    for f in fields:
                        f.annotation = self.qualified(mod, f.annotation, names)
                case ResourceMethodsPlan():
                    self.unshadow_functions(mod, b.methods, set())
                    ctor = [b.constructor] if b.constructor is not None else []
                    self.unshadow_functions(mod, [*ctor, *b.statics], set())
                case HostResourcePlan(methods=methods):
                    self.unshadow_functions(mod, methods, set())
                case VariantPlan() | EnumPlan() | AliasPlan():
                    pass  # case classes hold only `value`; the rest is module-level
                case _:
                    assert_never(b)
        if mod.interface_class is not None:
            attrs = {r.attr for r in mod.interface_class.resources}
            self.unshadow_functions(mod, mod.interface_class.functions, attrs)
        if mod.host_protocol is not None:
            self.unshadow_functions(mod, mod.host_protocol.functions, set())

    def unshadow_functions(
        self, mod: ModulePlan, functions: list[FunctionPlan], attrs: set[str]
    ) -> None:
        """The annotations of `functions`, methods of one class that also has
        the attributes `attrs`."""
        members = attrs | {f.name for f in functions}
        for f in functions:
            for p in f.params:
                p.annotation = self.qualified(mod, p.annotation, members)
            f.returns = self.qualified(mod, f.returns, members | {p.name for p in f.params})

    @staticmethod
    def qualified(mod: ModulePlan, annotation: str, shadowed: set[str]) -> str:
        spelled = naming.qualify_builtins(annotation, shadowed)
        if spelled != annotation:
            mod.imports.add("import builtins as _builtins")
        return spelled


def plan_package(
    world: m.World, package: str, class_name: str, *, buffers: bool = False
) -> PackagePlan:
    return Planner(world, package, class_name, buffers=buffers).plan()
