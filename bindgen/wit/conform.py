"""Does a component implement a WIT world? Compare the reader's model of
the component with the WIT's model and name the first difference.

The component may import less than the world (wit-component drops imports
and imported types nothing uses) and export more; everything it does import
must be in the world with the same definition, and everything the world
exports must be exported by the component with the same definition. Order
does not matter (wit-component reorders functions); names, owners and
structure do. Doc comments are ignored (binaries keep none).
"""

from __future__ import annotations

import dataclasses
from typing import TypeVar

from wbindgen_runtime import model as m
from wbindgen_runtime.versions import find_compatible
from wbindgen_runtime.wasi import WasiKind, wasi_kind

from ..errors import WorldMismatch

T = TypeVar("T")


def strip_docs(world: m.World) -> m.World:
    """The world without doc comments and without its name (what a model
    read from a component binary holds)."""

    def td(t: m.TypeDef) -> m.TypeDef:
        kind = t.kind
        match kind:
            case m.RecordDef(fields=fields):
                kind = m.RecordDef(tuple(dataclasses.replace(f, docs=None) for f in fields))
            case m.VariantDef(cases=cases):
                kind = m.VariantDef(tuple(dataclasses.replace(c, docs=None) for c in cases))
            case m.EnumDef() | m.FlagsDef():
                kind = dataclasses.replace(kind, member_docs=None)
            case _:
                pass
        return m.TypeDef(t.id, kind)

    def fn(f: m.Function) -> m.Function:
        return dataclasses.replace(f, docs=None)

    def iface(i: m.Interface) -> m.Interface:
        return m.Interface(i.owner, tuple(map(td, i.types)), tuple(map(fn, i.functions)))

    return m.World(
        imports=tuple(map(iface, world.imports)),
        exports=tuple(map(iface, world.exports)),
        import_types=tuple(map(td, world.import_types)),
        import_functions=tuple(map(fn, world.import_functions)),
        export_types=tuple(map(td, world.export_types)),
        export_functions=tuple(map(fn, world.export_functions)),
    )


def _show_type(t: m.Type | None) -> str:
    match t:
        case None:
            return "_"
        case m.Primitive(name=name):
            return name
        case m.ListType(element=el):
            return f"list<{_show_type(el)}>"
        case m.TupleType(elements=els):
            return "tuple<" + ", ".join(map(_show_type, els)) + ">"
        case m.OptionType(inner=inner):
            return f"option<{_show_type(inner)}>"
        case m.ResultType(ok=ok, err=err):
            return f"result<{_show_type(ok)}, {_show_type(err)}>"
        case m.OwnType(resource=rid):
            return f"own<{rid}>"
        case m.BorrowType(resource=rid):
            return f"borrow<{rid}>"
        case m.TypeRef(id=tid):
            return f"`{tid.name}` of {tid.owner}"
    raise AssertionError(t)  # pragma: no cover


def _show_kind(k: m.TypeDefKind) -> str:
    match k:
        case m.RecordDef(fields=fields):
            return "record {" + ", ".join(f"{f.name}: {_show_type(f.type)}" for f in fields) + "}"
        case m.VariantDef(cases=cases):
            return (
                "variant {"
                + ", ".join(
                    c.name if c.type is None else f"{c.name}({_show_type(c.type)})" for c in cases
                )
                + "}"
            )
        case m.EnumDef(members=members):
            return "enum {" + ", ".join(members) + "}"
        case m.FlagsDef(members=members):
            return "flags {" + ", ".join(members) + "}"
        case m.ResourceDef():
            return "resource"
        case m.AliasDef(target=target):
            return f"type = {_show_type(target)}"
    raise AssertionError(k)  # pragma: no cover


def _show_func(f: m.Function) -> str:
    params = ", ".join(f"{p.name}: {_show_type(p.type)}" for p in f.params)
    res = "" if f.result is None else f" -> {_show_type(f.result)}"
    return f"func({params}){res}"


def _compare_types(where: str, have: tuple[m.TypeDef, ...], want: tuple[m.TypeDef, ...],
                   *, required: bool) -> None:  # fmt: skip
    """`have` (component) against `want` (WIT). `required`: every type of
    `want` must be in `have` (exports); else every type of `have` must be
    in `want` (imports)."""
    mine = {t.name: t for t in have}
    theirs = {t.name: t for t in want}
    for name in theirs if required else mine:
        a, b = mine.get(name), theirs.get(name)
        if a is None:
            raise WorldMismatch(f"{where}: the component has no type {name!r}")
        if b is None:
            raise WorldMismatch(f"{where}: the component has type {name!r}, which the world lacks")
        if a.kind != b.kind:
            raise WorldMismatch(
                f"{where} type {name!r}: expected {_show_kind(b.kind)}, found {_show_kind(a.kind)}"
            )


def _compare_funcs(where: str, have: tuple[m.Function, ...], want: tuple[m.Function, ...],
                   *, required: bool) -> None:  # fmt: skip
    mine = {f.name: f for f in have}
    theirs = {f.name: f for f in want}
    for name in theirs if required else mine:
        a, b = mine.get(name), theirs.get(name)
        if a is None:
            raise WorldMismatch(f"{where}: the component has no function {name!r}")
        if b is None:
            raise WorldMismatch(
                f"{where}: the component has function {name!r}, which the world lacks"
            )
        if a != b:
            raise WorldMismatch(
                f"{where} function {name!r}: expected {_show_func(b)}, found {_show_func(a)}"
            )


def _by_name(
    wanted: m.InterfaceName, have: dict[m.InterfaceName, m.Interface]
) -> m.Interface | None:
    """The interface of `have` that `wanted` matches, semver-compatibly (as the
    loader and wasmtime's Linker match them)."""
    found = find_compatible(str(wanted), [str(n) for n in have])
    return next((i for n, i in have.items() if str(n) == found), None)


def check_component_matches(component: m.World, wit: m.World) -> None:
    """Raise WorldMismatch naming the first way `component` (read from a
    binary) fails to implement `wit` (read from WIT).

    As the loader (`wbindgen_runtime.loadcheck`) accepts: imports of wasmtime's
    own WASI the world does not name (every guest toolchain adds some) are
    fine, and interface names match semver-compatibly."""
    wit = strip_docs(wit)
    component = strip_docs(component)
    wit_imports = {i.name: i for i in wit.imports}
    for ci in component.imports:
        wi = _by_name(ci.name, wit_imports)
        if wi is None:
            if wasi_kind(str(ci.name)) is not WasiKind.NONE:
                continue  # linked to wasmtime's WASI by the loader
            raise WorldMismatch(f"the component imports '{ci.name}', which the world does not")
        _compare_types(f"import '{ci.name}'", ci.types, wi.types, required=False)
        _compare_funcs(f"import '{ci.name}'", ci.functions, wi.functions, required=False)
    _compare_types("world import", component.import_types, wit.import_types, required=False)
    _compare_funcs("world import", component.import_functions, wit.import_functions,
                   required=False)  # fmt: skip
    comp_exports = {i.name: i for i in component.exports}
    for wi in wit.exports:
        found = _by_name(wi.name, comp_exports)
        if found is None:
            raise WorldMismatch(f"the component does not export '{wi.name}'")
        _compare_types(f"export '{wi.name}'", found.types, wi.types, required=True)
        _compare_funcs(f"export '{wi.name}'", found.functions, wi.functions, required=True)
    _compare_funcs("world export", component.export_functions, wit.export_functions,
                   required=True)  # fmt: skip
