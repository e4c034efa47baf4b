"""Planning: every decision about the generated package, before any text.

The planner walks the model once and decides where each interface lives
(module paths), what every WIT item is called in Python (through `naming`),
which modules import which, and the runtime descriptor expression of every
type and function. It produces the plain dataclasses of `plan_nodes`
(`PackagePlan`) that the templates only render: no template decides anything.

Beside it: `naming` (identifiers, scopes, the reserved names), `imports` (the
generated modules' imports and aliases), `docstrings` (WIT docs made safe in
triple quotes) and `wasmtime_wasi` (which WASI interfaces are wasmtime's).
"""

from __future__ import annotations

import dataclasses
import re

from wbindgen_runtime import model as m

from . import imports, naming
from ._compat import assert_never
from .docstrings import attribute_doc, doc_tail, function_doc_tail
from .errors import PlanError
from .imports import BUFFERS, RT, TYPING, T
from .naming import Scope
from .plan_nodes import (
    AliasPlan,
    Block,
    CaseAliasPlan,
    CasePlan,
    DescriptorPlan,
    DescriptorRef,
    EnumPlan,
    ExportAttrPlan,
    FieldPlan,
    FunctionPlan,
    HostProtocolPlan,
    HostResourcePlan,
    ImportFieldPlan,
    InterfaceClassPlan,
    MemberPlan,
    ModulePlan,
    PackagePlan,
    ParamPlan,
    RecordPlan,
    ResourceMethodsPlan,
    VariantPlan,
    WorldPlan,
)
from .wasmtime_wasi import is_wasi, refuse_wasmtimes_resources, wasi_owners_used
from .wit_printer import ident, wit_type


def tuple_literal(items: list[str]) -> str:
    """A tuple expression without a trailing comma (which black would take as
    a request to explode the literal one item per line)."""
    if len(items) == 1:
        return f"({items[0]},)"
    return "(" + ", ".join(items) + ")"


# `_typing.`, `_rt.`, `_m_exports_types.`: the aliases an annotation names.
_ALIAS_PREFIX = re.compile(r"(?<![\w.])_\w+\.")

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
        # resource -> its class (exported) or Protocol (imported) of the async face
        self.async_names: dict[m.TypeId, str] = {}
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
            mod.scope = Scope(naming.MODULE_RESERVED)

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
        # (a version-less name sorts first among names that differ only there)
        for n in sorted(pending, key=lambda n: (n.namespace, n.package, n.name, n.version or "")):
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
        return user.use(imports.package_module(target.dotted, len(user.path) - 1, alias))

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
        # The async face's resource classes, after every WIT-given name.
        for td in self.planned_types():
            if isinstance(td.kind, m.ResourceDef):
                mod = self.module_of(td.id.owner)
                self.async_names[td.id] = mod.scope.claim(
                    ("async", td.id), self.type_names[td.id] + "Async"
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

    def annotation(
        self,
        ty: m.Type,
        user: ModulePlan,
        *,
        arg: bool,
        buffers: bool = False,
        aface: bool = False,
    ) -> str:
        """The Python type of a WIT type, as an argument (`arg`, accepting
        more) or as a returned value (`buffers`: numeric lists as
        `array.array`, in signatures of `--buffers` bindings; `aface`: a
        resource handle as the async face's class or Protocol)."""
        kw = {"buffers": buffers, "aface": aface}
        match ty:
            case m.Primitive(name=name):
                if arg and name in ("f32", "f64"):
                    return "float"  # int is accepted: PEP 484 promotes int to float
                return _PRIMITIVE_ANNOTATION[name]
            case m.ListType(element=m.Primitive(name="u8")):
                return "bytes | bytearray | memoryview" if arg else "bytes"
            case m.ListType(element=el):
                inner = self.annotation(el, user, arg=arg, **kw)
                numeric = isinstance(el, m.Primitive) and el.name in _BUFFER_ELEMENTS
                if arg:
                    seq = f"{user.use(TYPING)}.Sequence[{inner}]"
                    if numeric:  # array.array, numpy arrays, memoryviews of its items
                        return f"{seq} | {user.use(BUFFERS)}.Buffer"
                    return seq
                if numeric and buffers:
                    return f"{user.use(BUFFERS)}.Array[{inner}]"
                return f"list[{inner}]"
            case m.TupleType(elements=els):
                if not els:
                    return "tuple[()]"
                parts = (self.annotation(e, user, arg=arg, **kw) for e in els)
                return "tuple[" + ", ".join(parts) + "]"
            case m.OptionType(inner=inner):
                inner_ann = self.annotation(inner, user, arg=arg, **kw)
                if isinstance(self.world.resolve(inner), m.OptionType):
                    return f"{user.use(RT)}.Some[{inner_ann}] | None"
                return f"{inner_ann} | None"
            case m.ResultType(ok=ok, err=err):
                rt = user.use(RT)
                oka, erra = (
                    "None" if x is None else self.annotation(x, user, arg=arg, **kw)
                    for x in (ok, err)
                )
                return f"{rt}.Ok[{oka}] | {rt}.Err[{erra}]"
            case m.OwnType(resource=rid) | m.BorrowType(resource=rid):
                names = self.async_names if aface else self.type_names
                return self.ref(self.resource_id(rid), user, names)
            case m.TypeRef(id=id):
                # Named types are shared by both faces: a resource inside a
                # record keeps its sync class name (docs/guide.md, async face).
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
        t = user.use(T)
        match ty:
            case m.Primitive(name=name):
                return f"{t}.{name.upper()}"
            case m.ListType(element=el):
                if buffers and isinstance(el, m.Primitive) and el.name in _BUFFER_ELEMENTS:
                    return f"{user.use(BUFFERS)}.BufferList({self.descriptor(el, user)})"
                return f"{t}.List({self.descriptor(el, user, buffers=buffers)})"
            case m.TupleType(elements=els):
                parts = [self.descriptor(e, user, buffers=buffers) for e in els]
                return f"{t}.Tuple({tuple_literal(parts)})"
            case m.OptionType(inner=inner):
                return f"{t}.Option({self.descriptor(inner, user, buffers=buffers)})"
            case m.ResultType(ok=ok, err=err):
                oks = self.descriptor(ok, user, buffers=buffers) if ok is not None else "None"
                errs = self.descriptor(err, user, buffers=buffers) if err is not None else "None"
                return f"{t}.Result({oks}, {errs})"
            case m.OwnType(resource=rid):
                res = self.ref(self.resource_id(rid), user, self.descriptor_names)
                return f"{t}.Own({res})"
            case m.BorrowType(resource=rid):
                res = self.ref(self.resource_id(rid), user, self.descriptor_names)
                return f"{t}.Borrow({res})"
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
                    mod.use(imports.DATACLASSES)
                    fscope = Scope(naming.DATACLASS_RESERVED)
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
                    self.type_descriptor(mod, td, "Record", f"{td.name!r}, {name}, {attrs}")
                case m.VariantDef(cases=cases):
                    mod.use(imports.DATACLASSES)
                    cplans = []
                    for c in cases:
                        cls = self.case_names[(td.id, c.name)]
                        ann = self.annotation(c.type, mod, arg=False) if c.type else None
                        cplans.append(CasePlan(cls, c.name, ann, doc_tail(c.docs, 4)))
                    union = " | ".join(c.cls for c in cplans)
                    if len(cplans) > 1:
                        union = f"{mod.use(TYPING)}.Union[" + ", ".join(c.cls for c in cplans) + "]"
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
                    self.type_descriptor(mod, td, "Variant", f"{td.name!r}, {cases_expr}")
                case m.EnumDef(members=members) | m.FlagsDef(members=members):
                    is_flags = isinstance(kind, m.FlagsDef)
                    enum = mod.use(imports.ENUM)
                    mscope = Scope(naming.ENUM_MEMBER_RESERVED)
                    mplans = [
                        MemberPlan(
                            mscope.claim(mem, naming.shouty(mem)), (1 << i) if is_flags else i
                        )
                        for i, mem in enumerate(members)
                    ]
                    base = f"{enum}.Flag" if is_flags else f"{enum}.Enum"
                    for mp, mdoc in zip(mplans, kind.member_docs or ()):
                        mp.doc = attribute_doc(mdoc, 4)
                    wit_kind = "flags" if is_flags else "enum"
                    mod.blocks.append(
                        EnumPlan(name, td.name, wit_kind, mplans, base, doc_tail(td.docs, 4))
                    )
                    desc = "Flags" if is_flags else "Enum"
                    names = tuple_literal([repr(mem) for mem in members])
                    self.type_descriptor(mod, td, desc, f"{td.name!r}, {name}, {names}")
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
                    # (the templates spell `_rt.GuestResource` and `_typing.Protocol`)
                    block: Block
                    if td.id.owner.direction is m.Direction.EXPORT:
                        mod.use(RT)
                        aname = self.async_names[td.id]
                        block = ResourceMethodsPlan(
                            name, td.name, "", "", aname, "", None, [], [],
                            doc_tail(td.docs, 4, closing=False),
                        )  # fmt: skip
                        self.type_descriptor(
                            mod, td, "ExportedResource", f"{td.name!r}, {name}, {aname}"
                        )
                    else:
                        mod.use(TYPING)
                        block = HostResourcePlan(
                            name, td.name, self.async_names[td.id], [],
                            doc_tail(td.docs, 4, closing=False),
                        )  # fmt: skip
                        self.type_descriptor(mod, td, "ImportedResource", f"{td.name!r}")
                    self.resource_blocks[td.id] = block
                    mod.blocks.append(block)
                case _:
                    assert_never(kind)

    def type_descriptor(self, mod: ModulePlan, td: m.TypeDef, ctor: str, args: str) -> None:
        """`_T_Name = _t.<ctor>(<args>)` in the owner's module (even one whose
        only item is a resource, which has no function to import `_t`)."""
        expr = f"{mod.use(T)}.{ctor}({args})"
        mod.type_descriptors.append(DescriptorPlan(self.descriptor_names[td.id], expr))

    # ---- functions -------------------------------------------------------------

    def function(self, fn: m.Function, mod: ModulePlan, name: str, *, host: bool) -> FunctionPlan:
        """Plan one function. A method's first WIT parameter (`self`) is the
        Python `self` of the resource class, so it is left out of `params`."""
        if fn.is_async and host:
            raise PlanError(
                f"function '{fn.name}': an imported WIT async func cannot be served yet: "
                "wasmtime's C API has no concurrent host functions (func_new_concurrent); "
                "exported async funcs are supported"
            )
        # `_t` names the function's descriptor even when no parameter or
        # result needs it (`thunk: func()`); `_typing` casts its result.
        mod.use(TYPING)
        rt = mod.use(RT)
        t = mod.use(T)
        pscope = Scope(naming.PARAM_RESERVED)
        wit_params = fn.params[1:] if isinstance(fn.kind, m.Method) else fn.params
        named = [(pscope.claim(p.name, naming.snake(p.name)), p) for p in wit_params]
        params, returns = self.signature(fn, mod, named, host=host, aface=False)
        aparams, areturns = self.signature(fn, mod, named, host=host, aface=True)
        if host:  # an implementation for the async face may be a coroutine
            areturns = f"{areturns} | {mod.use(TYPING)}.Awaitable[{areturns}]"
        raises = None
        if isinstance(fn.result, m.ResultType):
            raises = self.raises_doc(fn.result, mod, host=host)
        # BufferList only changes how a list is lifted: marking every inline
        # numeric list of the signature gives arrays to what comes out of wasm.
        buf = self.buffers
        pdesc = tuple_literal(
            [f"({p.name!r}, {self.descriptor(p.type, mod, buffers=buf)})" for p in fn.params]
        )
        rdesc = "None" if fn.result is None else self.descriptor(fn.result, mod, buffers=buf)
        index = len(mod.functions)
        desc_name = f"_F{index}"
        # A top-level result is raised (`Err`), not returned: said by keyword.
        keywords = ", raises=True" if raises is not None else ""
        if fn.is_async:
            keywords += ", is_async=True"
        mod.func_descriptors.append(
            DescriptorPlan(desc_name, f"{t}.Func({pdesc}, {rdesc}{keywords})")
        )
        plan = FunctionPlan(
            name=name,
            wit_name=fn.name,
            params=params,
            returns=returns,
            signature=self.wit_signature(fn),
            descriptor=desc_name,
            index=index,
            doc_tail=function_doc_tail(fn.docs, raises, 8),
            is_async=fn.is_async,
        )
        if host:
            plan.host_impl = (
                f"{rt}.host_method({name!r})" if isinstance(fn.kind, m.Method) else f"host.{name}"
            )
        plan.aface = dataclasses.replace(plan, params=aparams, returns=areturns, aface=None)
        mod.functions.append(plan)
        return plan

    def signature(
        self,
        fn: m.Function,
        mod: ModulePlan,
        named: list[tuple[str, m.Param]],
        *,
        host: bool,
        aface: bool,
    ) -> tuple[list[ParamPlan], str]:
        """The parameters (`named`: each with its Python name) and the
        returned type of `fn` as one face spells them."""
        params = [
            ParamPlan(
                name,
                p.name,
                # A host implementation receives what an export returns, and
                # returns what an export accepts.
                self.annotation(p.type, mod, arg=not host, buffers=self.buffers, aface=aface),
            )
            for name, p in named
        ]
        out = self.buffers and not host  # what comes out of wasm: results of exports
        result = fn.result.ok if isinstance(fn.result, m.ResultType) else fn.result
        if result is None:
            return params, "None"
        return params, self.annotation(result, mod, arg=host, buffers=out, aface=aface)

    def raises_doc(self, result: m.ResultType, mod: ModulePlan, *, host: bool) -> str:
        """The docstring's line on a top-level result's error: raised by an
        export's method, raised by the host's implementation of an import.
        The error's type is spelled as the annotations spell it, without the
        module aliases (`Err[Code]`, not `Err[_m_exports_types.Code]`)."""
        if result.err is None:
            err = "None"
        else:
            # A scratch module at the same depth: what the annotation would
            # import is not imported for a docstring.
            scratch = ModulePlan(mod.path, "")
            err = _ALIAS_PREFIX.sub("", self.annotation(result.err, scratch, arg=host))
        if host:
            return f"Raise `Err[{err}]` to return the function's error."
        return f"Raises `Err[{err}]` carrying the function's error."

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
        self,
        mod: ModulePlan,
        types: tuple[m.TypeDef, ...],
        fns: tuple[m.Function, ...],
        class_name: str,
        doc: str,
        iscope: Scope,
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
            wscope = Scope(naming.GUEST_RESOURCE_RESERVED)
            sscope = Scope()
            ctors = self.functions_of(fns, td.id, m.Constructor)
            block.methods = [
                self.function(f, mod, wscope.claim(f.name, naming.snake(f.item_name)), host=False)
                for f in self.functions_of(fns, td.id, m.Method)
            ]
            block.statics = [
                self.function(f, mod, sscope.claim(f.name, naming.snake(f.item_name)), host=False)
                for f in self.functions_of(fns, td.id, m.Static)
            ]
            block.constructor = (
                self.function(ctors[0], mod, "__call__", host=False) if ctors else None
            )
            block.attr = res_attrs[td.id]
            block.statics_class = mod.scope.claim(("statics", td.id), f"_{block.name}Class")
            block.async_statics_class = mod.scope.claim(
                ("async-statics", td.id), f"_{block.name}ClassAsync"
            )
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
            rscope = Scope(naming.HOST_RESOURCE_RESERVED)
            block.methods = [
                self.function(f, mod, rscope.claim(f.name, naming.snake(f.item_name)), host=True)
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
                used.append(DescriptorRef(td.name, self.ref(target.id, mod, self.descriptor_names)))
        return used

    # ---- the whole package -----------------------------------------------------

    def plan(self) -> PackagePlan:
        w = self.world
        wasi_used = wasi_owners_used(w)
        for iface in w.imports:
            if is_wasi(iface.name) and iface.owner not in wasi_used:
                self.skipped.add(iface.owner)
        for iface in w.exports:
            if iface.name.namespace == "wasi":
                refuse_wasmtimes_resources(w, f"`{iface.name}`", iface.functions)
        self.place_modules()
        self.name_types()
        self.plan_types()
        # The world class (export attributes, world-level functions) and the
        # imports dataclass (one field per imported interface) are separate
        # namespaces: an interface both imported and exported (`test`) is
        # `imports.test` on one and `inst.test` on the other.
        wscope = Scope(naming.WORLD_RESERVED)
        field_scope = Scope(naming.DATACLASS_RESERVED)
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
                mod,
                iface.types,
                iface.functions,
                f"What the host implements for the imported interface `{iface.name}`."
                + doc_tail(iface.docs, 4),
            )
            if mod.host_protocol is not None:
                field_name = field_scope.claim(("import", iface.name), mod.path[-1][: -len(".py")])
                alias = self.alias_for(mod, root)
                import_fields.append(
                    ImportFieldPlan(
                        field_name, f"{alias}.Host", f"{alias}.HostAsync", str(iface.name), alias
                    )
                )
        imports_init = self.module_of(m.Owner(m.Direction.IMPORT, None))
        self.plan_imported(
            imports_init,
            w.import_types,
            w.import_functions,
            "World-level functions and resources the host implements.",
        )
        if imports_init.host_protocol is not None:
            alias = self.alias_for(imports_init, root)
            field_name = field_scope.claim(("import", None), "root")
            import_fields.append(
                ImportFieldPlan(field_name, f"{alias}.Host", f"{alias}.HostAsync", "", alias)
            )
        resource_modules = [f.module_alias for f in import_fields]
        if imports_init.host_protocol is None and imports_init.host_resources:
            # world-level `use`d resources: registered, with no field to fill
            resource_modules.append(self.alias_for(imports_init, root))

        for iface in w.exports:
            mod = self.module_of(iface.owner)
            cls = mod.scope.claim(("interface", iface.name), naming.cap_words(iface.name.name))
            acls = mod.scope.claim(("interface-async", iface.name), cls + "Async")
            mod.interface_class = self.plan_exported(
                mod,
                iface.types,
                iface.functions,
                cls,
                f"The exported interface `{iface.name}` of one instance." + doc_tail(iface.docs, 4),
                Scope(),
            )
            mod.interface_class.async_name = acls
            wanted = mod.path[-1][: -len(".py")]
            if wanted in naming.WORLD_ATTR_RESERVED:
                wanted += "_"
            attr = wscope.claim(("export", iface.name), wanted)
            export_attrs.append(
                ExportAttrPlan(attr, cls, acls, self.alias_for(mod, root), str(iface.name))
            )

        # What the world class's template spells, and the package's re-exports.
        root.imports.update(
            (
                imports.BUILTINS,
                imports.OS,
                TYPING,
                imports.WASMTIME,
                imports.WASMTIME_COMPONENT,
                RT,
                T,
                imports.ERR,
                imports.OK,
                imports.SOME,
            )
        )
        if import_fields:
            root.use(imports.DATACLASSES)
        world_funcs = self.plan_exported(
            root, w.export_types, w.export_functions, self.class_name, "", wscope
        )
        imports_cls = naming.escape(self.class_name + "Imports") if import_fields else None
        imports_async = naming.escape(self.class_name + "ImportsAsync") if import_fields else None
        world = WorldPlan(
            cls=self.class_name,
            pre_cls=naming.escape(self.class_name + "Pre"),
            imports_cls=imports_cls,
            async_cls=naming.escape(self.class_name + "Async"),
            async_pre_cls=naming.escape(self.class_name + "AsyncPre"),
            imports_async_cls=imports_async,
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
            mod.use(T)
        if mod.interface_class is not None:
            mod.use(RT)
        if mod.host_protocol is not None:
            mod.use(TYPING)
        if mod.host_resources:
            mod.use(T)

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
            for face in (f, f.aface) if f.aface is not None else (f,):
                for p in face.params:
                    p.annotation = self.qualified(mod, p.annotation, members)
                shadowed = members | {p.name for p in face.params}
                face.returns = self.qualified(mod, face.returns, shadowed)

    @staticmethod
    def qualified(mod: ModulePlan, annotation: str, shadowed: set[str]) -> str:
        spelled = naming.qualify_builtins(annotation, shadowed)
        if spelled != annotation:
            mod.use(imports.BUILTINS)
        return spelled


def plan_package(
    world: m.World, package: str, class_name: str, *, buffers: bool = False
) -> PackagePlan:
    return Planner(world, package, class_name, buffers=buffers).plan()
