"""The load-time check: the bindings against the component's own types, before compiling.

The reader turns the component's bytes into its world (milliseconds, even
for an 18 MB componentize-py guest), so a component that does not match the
bindings is refused before wasmtime compiles anything, and nothing reaches
the compiled-component cache for it. The check compares every export the
bindings call and every import the component makes:

- exports: the interface (matched semver-compatibly, see ``versions.py``),
  then each function: parameter names and types, result, record fields and
  their order, variant cases, enum and flags members, and which resource each
  ``own``/``borrow`` refers to. Extra exports are fine.
- imports: each interface the component imports is the bindings' own (each of
  its functions must be one the bindings implement, with the same type),
  wasmtime's WASI, an interface of types only, or unknown. Unknown imports
  are refused when the bindings build the Linker; with a Linker of the
  user's, they are the user's to define.

Messages name the first mismatch by path, in the words of the runtime's
other check (``typecheck.py``), e.g. ``export 'test:x/api' function 'g'
param 'p': record field 2: expected 'y: s32', found 'z: s32'``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import model as m
from ._compat import assert_never
from .bindings_spec import Bindings, HostFuncSpec, where
from .errors import TypeCheckError
from .types import (
    Borrow,
    Enum,
    Flags,
    Func,
    List,
    Option,
    Own,
    Prim,
    Record,
    ResourceDesc,
    Result,
    Tuple,
    TypeDesc,
    Variant,
    func_kind_mismatch,
    wit_name_of,
)
from .versions import find_compatible, split_version
from .wasi import WasiKind, wasi_kind

__all__ = ["LoadPlan", "check_component", "classify_imports_by_name", "show_type"]


@dataclass
class LoadPlan:
    """What the check found out about linking and calling the component."""

    #: bindings interface -> the component's name for it (exports).
    export_names: dict[str | None, str | None] = field(default_factory=dict)
    #: bindings interface -> the component's name for it (imports the bindings define).
    import_names: dict[str | None, str | None] = field(default_factory=dict)
    wasi: bool = False
    wasi_http: bool = False
    #: Imported interfaces with nothing to call: defined as empty instances.
    empty_imports: list[str] = field(default_factory=list)
    #: Imports neither the bindings nor wasmtime's WASI provide.
    unknown_imports: list[str] = field(default_factory=list)
    #: Imported items the bindings do not implement, found by name before the
    #: types were compared (reported after them: a type mismatch comes first).
    missing: list[str] = field(default_factory=list)


def show_type(world: m.World, t: m.Type | None) -> str:
    """The WIT spelling of a model type (structure, with the names of named types)."""
    match t:
        case None:
            return "_"
        case m.Primitive(name=name):
            return name
        case m.ListType(element=el):
            return f"list<{show_type(world, el)}>"
        case m.TupleType(elements=els):
            return "tuple<" + ", ".join(show_type(world, e) for e in els) + ">"
        case m.OptionType(inner=inner):
            return f"option<{show_type(world, inner)}>"
        case m.ResultType(ok=ok, err=err):
            return f"result<{show_type(world, ok)}, {show_type(world, err)}>"
        case m.OwnType(resource=rid):
            return f"own<{rid.name}>"
        case m.BorrowType(resource=rid):
            return f"borrow<{rid.name}>"
        case m.TypeRef(id=tid):
            td = world.typedef(tid)
            if isinstance(td.kind, m.AliasDef):
                return show_type(world, td.kind.target)
            kind = type(td.kind).__name__.removesuffix("Def").lower()
            return f"{kind} {tid.name}"
        case _:
            assert_never(t)


class _Resources:
    """Which of the component's resource types each resource descriptor stands for."""

    def __init__(self) -> None:
        self.bound: dict[ResourceDesc, tuple[m.TypeId, str]] = {}

    def bind(self, desc: ResourceDesc, rid: m.TypeId, where_: str) -> None:
        self.bound.setdefault(desc, (rid, where_))

    def check(self, path: str, d: Own | Borrow, rid: m.TypeId) -> None:
        bound = self.bound.get(d.resource)
        if bound is None:
            self.bound[d.resource] = (rid, path)
            return
        expected, where_ = bound
        if expected != rid:
            kind = "own" if isinstance(d, Own) else "borrow"
            raise TypeCheckError(
                f"{path}: expected {wit_name_of(d)}, found {kind}<{rid.name}> of {rid.owner} "
                f"({d.resource.wit_name} is bound to {expected.name} of {expected.owner}, "
                f"by {where_})"
            )


class _Checker:
    def __init__(self, world: m.World) -> None:
        self.world = world
        self.res = _Resources()

    def resource_id(self, rid: m.TypeId) -> m.TypeId:
        """The defining resource of ``rid`` (through ``use`` aliases)."""
        seen = 0
        while seen < 64:
            td = self.world.typedef(rid)
            if isinstance(td.kind, m.AliasDef) and isinstance(td.kind.target, m.TypeRef):
                rid = td.kind.target.id
                seen += 1
                continue
            return rid
        return rid

    def mismatch(self, path: str, expected: str, t: m.Type | None) -> TypeCheckError:
        return TypeCheckError(f"{path}: expected {expected}, found {show_type(self.world, t)}")

    def named(self, t: m.Type) -> m.TypeDefKind | None:
        t = self.world.resolve(t)
        if isinstance(t, m.TypeRef):
            return self.world.typedef(t.id).kind
        return None

    def check_type(self, path: str, d: TypeDesc, t: m.Type) -> None:
        t = self.world.resolve(t)
        match d:
            case Prim():
                if not (isinstance(t, m.Primitive) and t.name == d.name):
                    raise self.mismatch(path, d.name, t)
            case List():
                if not isinstance(t, m.ListType):
                    raise self.mismatch(path, wit_name_of(d), t)
                self.check_type(f"{path}: list element", d.elem, t.element)
            case Tuple():
                if not isinstance(t, m.TupleType) or len(t.elements) != len(d.elems):
                    raise self.mismatch(path, wit_name_of(d), t)
                for i, (de, te) in enumerate(zip(d.elems, t.elements)):
                    self.check_type(f"{path}: tuple element {i + 1}", de, te)
            case Option():
                if not isinstance(t, m.OptionType):
                    raise self.mismatch(path, wit_name_of(d), t)
                self.check_type(f"{path}: option payload", d.inner, t.inner)
            case Result():
                if not isinstance(t, m.ResultType):
                    raise self.mismatch(path, wit_name_of(d), t)
                for label, dc, tc in (("ok", d.ok, t.ok), ("err", d.err, t.err)):
                    if (dc is None) != (tc is None):
                        raise self.mismatch(f"{path}: result {label}", wit_name_of(dc), tc)
                    if dc is not None and tc is not None:
                        self.check_type(f"{path}: result {label}", dc, tc)
            case Record():
                kind = self.named(t)
                if not isinstance(kind, m.RecordDef):
                    raise self.mismatch(path, f"record {d.wit_name}", t)
                fields = kind.fields
                for i, (fname, _, ft) in enumerate(d.fields):
                    if i >= len(fields):
                        raise TypeCheckError(
                            f"{path}: record field {i + 1}: "
                            f"expected '{fname}: {wit_name_of(ft)}', found no field"
                        )
                    f = fields[i]
                    if f.name != fname:
                        raise TypeCheckError(
                            f"{path}: record field {i + 1}: expected '{fname}: "
                            f"{wit_name_of(ft)}', found '{f.name}: {show_type(self.world, f.type)}'"
                        )
                    self.check_type(f"{path}: record field {i + 1} '{fname}'", ft, f.type)
                if len(fields) > len(d.fields):
                    f = fields[len(d.fields)]
                    raise TypeCheckError(
                        f"{path}: record field {len(d.fields) + 1}: expected no field, "
                        f"found '{f.name}: {show_type(self.world, f.type)}'"
                    )
            case Variant():
                kind = self.named(t)
                if not isinstance(kind, m.VariantDef):
                    raise self.mismatch(path, f"variant {d.wit_name}", t)
                cases = kind.cases
                for i, (cname, ct, _) in enumerate(d.cases):
                    want = cname if ct is None else f"{cname}({wit_name_of(ct)})"
                    if i >= len(cases):
                        raise TypeCheckError(
                            f"{path}: variant case {i + 1}: expected '{want}', found no case"
                        )
                    c = cases[i]
                    got = c.name if c.type is None else f"{c.name}({show_type(self.world, c.type)})"
                    if c.name != cname or (ct is None) != (c.type is None):
                        raise TypeCheckError(
                            f"{path}: variant case {i + 1}: expected '{want}', found '{got}'"
                        )
                    if ct is not None and c.type is not None:
                        self.check_type(f"{path}: variant case {i + 1} '{cname}'", ct, c.type)
                if len(cases) > len(d.cases):
                    raise TypeCheckError(
                        f"{path}: variant case {len(d.cases) + 1}: expected no case, "
                        f"found '{cases[len(d.cases)].name}'"
                    )
            case Enum():
                kind = self.named(t)
                if not isinstance(kind, m.EnumDef):
                    raise self.mismatch(path, f"enum {d.wit_name}", t)
                _check_names(f"{path}: enum", d.members, kind.members)
            case Flags():
                kind = self.named(t)
                if not isinstance(kind, m.FlagsDef):
                    raise self.mismatch(path, f"flags {d.wit_name}", t)
                _check_names(f"{path}: flags", d.members, kind.members)
            case Own():
                if not isinstance(t, m.OwnType):
                    raise self.mismatch(path, wit_name_of(d), t)
                self.res.check(path, d, self.resource_id(t.resource))
            case Borrow():
                if not isinstance(t, m.BorrowType):
                    raise self.mismatch(path, wit_name_of(d), t)
                self.res.check(path, d, self.resource_id(t.resource))
            case _:
                assert_never(d)

    def check_func(self, path: str, d: Func, fn: m.Function) -> None:
        if d.is_async != fn.is_async:
            raise TypeCheckError(func_kind_mismatch(path, d.is_async))
        params = fn.params
        for i, (pname, pt) in enumerate(d.params):
            if i >= len(params):
                raise TypeCheckError(
                    f"{path}: param {i + 1}: expected '{pname}', "
                    f"the component's function has {len(params)} params"
                )
            p = params[i]
            if p.name != pname:
                raise TypeCheckError(f"{path}: param {i + 1}: expected '{pname}', found '{p.name}'")
            self.check_type(f"{path} param '{pname}'", pt, p.type)
        if len(params) > len(d.params):
            raise TypeCheckError(
                f"{path}: param {len(d.params) + 1}: expected no param, "
                f"found '{params[len(d.params)].name}'"
            )
        if (d.result is None) != (fn.result is None):
            raise self.mismatch(f"{path} result", wit_name_of(d.result), fn.result)
        if d.result is not None and fn.result is not None:
            self.check_type(f"{path} result", d.result, fn.result)


def _check_names(path: str, want: tuple[str, ...], got: tuple[str, ...]) -> None:
    for i, w in enumerate(want):
        g = got[i] if i < len(got) else None
        if g != w:
            found = f"'{g}'" if g is not None else "no member"
            raise TypeCheckError(f"{path} member {i + 1}: expected '{w}', found {found}")
    if len(got) > len(want):
        raise TypeCheckError(
            f"{path} member {len(want) + 1}: expected no member, found '{got[len(want)]}'"
        )


def _missing(kind: str, want: str, names: list[str]) -> TypeCheckError:
    base, _ = split_version(want)
    same = sorted(n for n in names if split_version(n)[0] == base)
    if same:
        found = ", ".join(f"'{n}'" for n in same)
        return TypeCheckError(
            f"{kind} '{want}': the component has {found}, which is not semver-compatible"
        )
    return TypeCheckError(f"{kind} '{want}': missing from the component")


def check_component(world: m.World, bindings: Bindings, *, refuse_unknown: bool) -> LoadPlan:
    """Check the component's ``world`` against ``bindings``; the LoadPlan, or
    ``TypeCheckError`` naming the first mismatch."""
    ck = _Checker(world)
    plan = LoadPlan()
    exports = {str(i.name): i for i in world.exports}
    imports = {str(i.name): i for i in world.imports}

    # Host resources first: each descriptor is the component's resource of that name.
    by_iface: dict[str | None, set[str]] = {}
    for f in bindings.imports:
        by_iface.setdefault(f.interface, set()).add(f.name)
    for r in bindings.resources:
        by_iface.setdefault(r.interface, set())
    for iface in by_iface:
        if iface is None:
            plan.import_names[None] = None
            continue
        found = find_compatible(iface, imports)
        if found is not None:
            plan.import_names[iface] = found
    for r in bindings.resources:
        cname = plan.import_names.get(r.interface, r.interface)
        if r.interface is not None and r.interface not in plan.import_names:
            continue
        owner = m.Owner(m.Direction.IMPORT, imports[cname].name if cname is not None else None)
        rid = m.TypeId(owner, r.name)
        try:
            world.typedef(rid)
        except KeyError:
            continue  # the component does not import this resource: nothing to bind
        where_ = f"import '{cname}' resource" if cname is not None else "import resource"
        ck.res.bind(r.resource, ck.resource_id(rid), f"{where_} '{r.name}'")

    for e in bindings.exports:
        path = where("export", e.interface, e.name)
        if e.interface is None:
            plan.export_names[None] = None
            fns = {f.name: f for f in world.export_functions}
        else:
            found = plan.export_names.get(e.interface)
            if found is None:
                found = find_compatible(e.interface, exports)
                if found is None:
                    raise _missing("export", e.interface, list(exports))
                plan.export_names[e.interface] = found
            fns = {f.name: f for f in exports[found].functions}
        fn = fns.get(e.name)
        if fn is None:
            raise TypeCheckError(f"{path}: missing from the component")
        ck.check_func(path, e.func, fn)

    provided = {(f.interface, f.name): f for f in bindings.imports}
    provided_res = {(r.interface, r.name) for r in bindings.resources}
    ours = {c: b for b, c in plan.import_names.items() if b is not None and c is not None}
    for name, imported in imports.items():
        binding_iface = ours.get(name)
        if binding_iface is None:
            match wasi_kind(name):
                case WasiKind.P2:
                    plan.wasi = True
                case WasiKind.HTTP:
                    plan.wasi = plan.wasi_http = True
                case WasiKind.NONE:
                    has_items = imported.functions or any(
                        isinstance(t.kind, m.ResourceDef) for t in imported.types
                    )
                    (plan.unknown_imports if has_items else plan.empty_imports).append(name)
            continue
        _check_imports(ck, binding_iface, name, imported.functions, imported.types,
                       provided, provided_res)  # fmt: skip
    _check_imports(ck, None, None, world.import_functions, world.import_types,
                   provided, provided_res)  # fmt: skip
    if refuse_unknown and plan.unknown_imports:
        raise _unknown(plan.unknown_imports[0])
    return plan


def _check_imports(
    ck: _Checker,
    binding_iface: str | None,
    name: str | None,
    functions: tuple[m.Function, ...],
    types: tuple[m.TypeDef, ...],
    provided: dict[tuple[str | None, str], HostFuncSpec],
    provided_res: set[tuple[str | None, str]],
) -> None:
    for fn in functions:
        spec = provided.get((binding_iface, fn.name))
        path = where("import", name, fn.name)
        if spec is None:
            raise TypeCheckError(
                f"{path}: the component imports it but the bindings provide no implementation"
            )
        ck.check_func(path, spec.func, fn)
    for td in types:
        if isinstance(td.kind, m.ResourceDef) and (binding_iface, td.name) not in provided_res:
            where_ = f"import '{name}' resource" if name is not None else "import resource"
            raise TypeCheckError(
                f"{where_} '{td.name}': the component imports it but the bindings "
                "provide no implementation"
            )


def classify_imports_by_name(
    bindings: Bindings,
    exports: dict[str, Any],
    imports: dict[str, Any],
    engine: Any,
    *,
    refuse_unknown: bool,
) -> LoadPlan:
    """The LoadPlan of a component known only through wasmtime's reflection (a
    ``Component`` object whose bytes the runtime never saw): names and kinds
    here, the types in ``typecheck.check_with_wasmtime``."""
    from wasmtime import component as wc

    plan = LoadPlan()
    for e in bindings.exports:
        if e.interface is None:
            plan.export_names[None] = None
        elif e.interface not in plan.export_names:
            found = find_compatible(e.interface, exports)
            if found is None:
                raise _missing("export", e.interface, list(exports))
            plan.export_names[e.interface] = found
    provided = {(f.interface, f.name) for f in bindings.imports}
    provided_res = {(r.interface, r.name) for r in bindings.resources}
    ifaces = {f.interface for f in bindings.imports} | {r.interface for r in bindings.resources}
    for iface in ifaces:
        if iface is None:
            plan.import_names[None] = None
        else:
            found = find_compatible(iface, imports)
            if found is not None:
                plan.import_names[iface] = found
    ours = {v: k for k, v in plan.import_names.items() if v is not None}
    no_impl = "the component imports it but the bindings provide no implementation"
    for name, ty in imports.items():
        if isinstance(ty, (wc.FuncType, wc.ResourceType)):
            kind = "function" if isinstance(ty, wc.FuncType) else "resource"
            have = provided if kind == "function" else provided_res
            if (None, name) not in have:
                plan.missing.append(f"import {kind} '{name}': {no_impl}")
            continue
        if not isinstance(ty, wc.ComponentInstanceType):
            plan.unknown_imports.append(name)
            continue
        items = {k: v.ty for k, v in ty.exports(engine).items()}
        binding_iface = ours.get(name)
        if binding_iface is not None:
            for item, ity in items.items():
                if isinstance(ity, wc.FuncType) and (binding_iface, item) not in provided:
                    plan.missing.append(f"import '{name}' function '{item}': {no_impl}")
                if isinstance(ity, wc.ResourceType) and (binding_iface, item) not in provided_res:
                    plan.missing.append(f"import '{name}' resource '{item}': {no_impl}")
            continue
        wkind = wasi_kind(name)
        if wkind is WasiKind.P2:
            plan.wasi = True
        elif wkind is WasiKind.HTTP:
            plan.wasi = plan.wasi_http = True
        elif not any(isinstance(t, (wc.FuncType, wc.ResourceType)) for t in items.values()):
            plan.empty_imports.append(name)
        else:
            plan.unknown_imports.append(name)
    if refuse_unknown and plan.unknown_imports:
        plan.missing.append(str(_unknown(plan.unknown_imports[0])))
    return plan


def _unknown(name: str) -> TypeCheckError:
    return TypeCheckError(
        f"import '{name}': the component imports it, but it is neither an interface of "
        "these bindings nor one of wasmtime's WASI interfaces (to provide it yourself, "
        "prepare the component with your own Linker that defines it)"
    )
