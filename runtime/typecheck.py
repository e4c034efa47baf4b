"""Load-time type check: the bindings' descriptors against wasmtime's reflection.

wasmtime-py exposes the component's types (``component.type.exports(engine)``
and ``.imports(engine)``, then ``FuncType.params``/``.result``,
``RecordType.fields``, ...). Everything the bindings use is compared once,
before instantiation; the first mismatch raises ``TypeCheckError`` naming it by
path, e.g. ``export 'test:x/api' function 'g' param 'p': record field 2:
expected 'y: s32', found 'z: s32'``.

Resources are checked by identity, not only own vs borrow: wasmtime-py's
``OwnType.ty``/``BorrowType.ty`` is the ``ResourceType`` the handle refers to,
and ``ResourceType.__eq__`` is wasmtime's own type equality
(``wasmtime_component_resource_type_equal``), which tells two resources with
the same shape apart and holds across the import/export boundary. ``Resources``
learns which ``ResourceType`` each descriptor stands for: from the resource
import it was given for (``instantiate(resources=...)``), else from the item
of the descriptor's WIT name in the function's own interface (a resource
``use``d from another interface is re-exported there by the component's
instance type), else from its first use; every later use must be the same type.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from wasmtime import component as wc

from . import capi
from ._compat import assert_never
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

if TYPE_CHECKING:
    import wasmtime

    from .bindings_spec import Bindings
    from .loadcheck import LoadPlan

__all__ = ["check_func", "check_type", "check_with_wasmtime", "wit_of_wasmtime", "Resources"]

#: ``(name) -> item type or None``: the items of the interface (or world) a function belongs to.
ItemLookup = Callable[[str], Any]


class Resources:
    """The ``ResourceType`` each resource descriptor was found to stand for."""

    def __init__(self, names: Callable[[Any], str | None] = lambda _: None) -> None:
        self._bound: dict[ResourceDesc, tuple[Any, str]] = {}
        #: Names a ResourceType for messages (the component's own WIT name for it).
        self._names = names

    def bind(self, desc: ResourceDesc, rtype: Any, where: str) -> None:
        """``desc`` is ``rtype`` (from a resource import given to ``instantiate``)."""
        self._bound.setdefault(desc, (rtype, where))

    def check(self, path: str, d: Own | Borrow, rtype: Any, lookup: ItemLookup | None) -> None:
        desc = d.resource
        bound = self._bound.get(desc)
        if bound is None:
            item = lookup(desc.wit_name) if lookup is not None else None
            if isinstance(item, wc.ResourceType):
                bound = self._bound[desc] = (item, f"resource '{desc.wit_name}' of {path}")
            else:
                self._bound[desc] = (rtype, path)
                return
        expected, where = bound
        if not expected == rtype:
            kind = "own" if isinstance(d, Own) else "borrow"
            found = self._names(rtype)
            found_s = f"{kind}<{found}>" if found else f"{kind} of another resource type"
            raise TypeCheckError(
                f"{path}: expected {wit_name_of(d)}, found {found_s} "
                f"({desc.wit_name} is bound to {where})"
            )


_PRIMS: dict[str, type] = {
    "bool": wc.Bool,
    "s8": wc.S8,
    "u8": wc.U8,
    "s16": wc.S16,
    "u16": wc.U16,
    "s32": wc.S32,
    "u32": wc.U32,
    "s64": wc.S64,
    "u64": wc.U64,
    "f32": wc.F32,
    "f64": wc.F64,
    "char": wc.Char,
    "string": wc.String,
}
_PRIM_NAMES = {cls: name for name, cls in _PRIMS.items()}


def wit_of_wasmtime(t: Any) -> str:
    """A WIT-like spelling of a wasmtime-py ``ValType`` (structural: no type names)."""
    if t is None:
        return "_"
    name = _PRIM_NAMES.get(type(t))
    if name is not None:
        return name
    if isinstance(t, wc.ListType):
        return f"list<{wit_of_wasmtime(t.element)}>"
    if isinstance(t, wc.TupleType):
        return "tuple<" + ", ".join(wit_of_wasmtime(e) for e in t.elements) + ">"
    if isinstance(t, wc.OptionType):
        return f"option<{wit_of_wasmtime(t.payload)}>"
    if isinstance(t, wc.ResultType):
        return f"result<{wit_of_wasmtime(t.ok)}, {wit_of_wasmtime(t.err)}>"
    if isinstance(t, wc.RecordType):
        return "record { " + ", ".join(f"{n}: {wit_of_wasmtime(ft)}" for n, ft in t.fields) + " }"
    if isinstance(t, wc.VariantType):
        return (
            "variant { "
            + ", ".join(n if ct is None else f"{n}({wit_of_wasmtime(ct)})" for n, ct in t.cases)
            + " }"
        )
    if isinstance(t, wc.EnumType):
        return "enum { " + ", ".join(t.names) + " }"
    if isinstance(t, wc.FlagsType):
        return "flags { " + ", ".join(t.names) + " }"
    if isinstance(t, wc.OwnType):
        return "own<resource>"
    if isinstance(t, wc.BorrowType):
        return "borrow<resource>"
    return type(t).__name__


def _mismatch(path: str, expected: str, found: str) -> TypeCheckError:
    return TypeCheckError(f"{path}: expected {expected}, found {found}")


def check_type(
    path: str,
    d: TypeDesc,
    t: Any,
    res: Resources | None = None,
    lookup: ItemLookup | None = None,
) -> None:
    """Raise ``TypeCheckError`` if wasmtime's type ``t`` is not the descriptor ``d``.

    With ``res``, own/borrow also check which resource they refer to (see
    ``Resources``); ``lookup`` looks up items of the function's interface."""
    match d:
        case Prim():
            if type(t) is not _PRIMS[d.name]:
                raise _mismatch(path, d.name, wit_of_wasmtime(t))
        case List():
            if not isinstance(t, wc.ListType):
                raise _mismatch(path, wit_name_of(d), wit_of_wasmtime(t))
            check_type(f"{path}: list element", d.elem, t.element, res, lookup)
        case Tuple():
            if not isinstance(t, wc.TupleType):
                raise _mismatch(path, wit_name_of(d), wit_of_wasmtime(t))
            elems = t.elements
            if len(elems) != len(d.elems):
                raise _mismatch(path, wit_name_of(d), wit_of_wasmtime(t))
            for i, (de, te) in enumerate(zip(d.elems, elems)):
                check_type(f"{path}: tuple element {i + 1}", de, te, res, lookup)
        case Option():
            if not isinstance(t, wc.OptionType):
                raise _mismatch(path, wit_name_of(d), wit_of_wasmtime(t))
            check_type(f"{path}: option payload", d.inner, t.payload, res, lookup)
        case Result():
            if not isinstance(t, wc.ResultType):
                raise _mismatch(path, wit_name_of(d), wit_of_wasmtime(t))
            for label, dc, tc in (("ok", d.ok, t.ok), ("err", d.err, t.err)):
                if (dc is None) != (tc is None):
                    raise _mismatch(f"{path}: result {label}", wit_name_of(dc), wit_of_wasmtime(tc))
                if dc is not None:
                    check_type(f"{path}: result {label}", dc, tc, res, lookup)
        case Record():
            if not isinstance(t, wc.RecordType):
                raise _mismatch(path, f"record {d.wit_name}", wit_of_wasmtime(t))
            fields = t.fields
            for i, (fname, _, ft) in enumerate(d.fields):
                if i >= len(fields):
                    raise TypeCheckError(
                        f"{path}: record field {i + 1}: "
                        f"expected '{fname}: {wit_name_of(ft)}', found no field"
                    )
                tname, tt = fields[i]
                if tname != fname:
                    raise TypeCheckError(
                        f"{path}: record field {i + 1}: expected '{fname}: {wit_name_of(ft)}', "
                        f"found '{tname}: {wit_of_wasmtime(tt)}'"
                    )
                check_type(f"{path}: record field {i + 1} '{fname}'", ft, tt, res, lookup)
            if len(fields) > len(d.fields):
                tname, tt = fields[len(d.fields)]
                raise TypeCheckError(
                    f"{path}: record field {len(d.fields) + 1}: expected no field, "
                    f"found '{tname}: {wit_of_wasmtime(tt)}'"
                )
        case Variant():
            if not isinstance(t, wc.VariantType):
                raise _mismatch(path, f"variant {d.wit_name}", wit_of_wasmtime(t))
            cases = t.cases
            for i, (cname, ct, _) in enumerate(d.cases):
                want = cname if ct is None else f"{cname}({wit_name_of(ct)})"
                if i >= len(cases):
                    raise TypeCheckError(
                        f"{path}: variant case {i + 1}: expected '{want}', found no case"
                    )
                cname_t: str = cases[i][0]
                ctt: Any = cases[i][1]
                got = cname_t if ctt is None else f"{cname_t}({wit_of_wasmtime(ctt)})"
                if cname_t != cname or (ct is None) != (ctt is None):
                    raise TypeCheckError(
                        f"{path}: variant case {i + 1}: expected '{want}', found '{got}'"
                    )
                if ct is not None:
                    check_type(f"{path}: variant case {i + 1} '{cname}'", ct, ctt, res, lookup)
            if len(cases) > len(d.cases):
                raise TypeCheckError(
                    f"{path}: variant case {len(d.cases) + 1}: expected no case, "
                    f"found '{cases[len(d.cases)][0]}'"
                )
        case Enum():
            if not isinstance(t, wc.EnumType):
                raise _mismatch(path, f"enum {d.wit_name}", wit_of_wasmtime(t))
            _check_names(f"{path}: enum", d.members, t.names)
        case Flags():
            if not isinstance(t, wc.FlagsType):
                raise _mismatch(path, f"flags {d.wit_name}", wit_of_wasmtime(t))
            _check_names(f"{path}: flags", d.members, t.names)
        case Own():
            if not isinstance(t, wc.OwnType):
                raise _mismatch(path, wit_name_of(d), wit_of_wasmtime(t))
            if res is not None:
                res.check(path, d, t.ty, lookup)
        case Borrow():
            if not isinstance(t, wc.BorrowType):
                raise _mismatch(path, wit_name_of(d), wit_of_wasmtime(t))
            if res is not None:
                res.check(path, d, t.ty, lookup)
        case _:
            assert_never(d)


def _check_names(path: str, want: tuple[str, ...], got: list[str]) -> None:
    for i, w in enumerate(want):
        g = got[i] if i < len(got) else None
        if g != w:
            found = f"'{g}'" if g is not None else "no member"
            raise TypeCheckError(f"{path} member {i + 1}: expected '{w}', found {found}")
    if len(got) > len(want):
        raise TypeCheckError(
            f"{path} member {len(want) + 1}: expected no member, found '{got[len(want)]}'"
        )


def check_func(
    path: str, d: Func, ft: Any, res: Resources | None = None, lookup: ItemLookup | None = None
) -> None:
    """Compare a function descriptor with a wasmtime-py ``FuncType``."""
    if not isinstance(ft, wc.FuncType):
        raise TypeCheckError(f"{path}: expected a function, found {type(ft).__name__}")
    if d.is_async != capi.func_type_async(capi.ptr_value(ft.ptr())):
        raise TypeCheckError(func_kind_mismatch(path, d.is_async))
    params = ft.params
    for i, (pname, pt) in enumerate(d.params):
        if i >= len(params):
            raise TypeCheckError(
                f"{path}: param {i + 1}: expected '{pname}', "
                f"the component's function has {len(params)} params"
            )
        tname, tt = params[i]
        if tname != pname:
            raise TypeCheckError(f"{path}: param {i + 1}: expected '{pname}', found '{tname}'")
        check_type(f"{path} param '{pname}'", pt, tt, res, lookup)
    if len(params) > len(d.params):
        raise TypeCheckError(
            f"{path}: param {len(d.params) + 1}: expected no param, "
            f"found '{params[len(d.params)][0]}'"
        )
    result = ft.result
    if (d.result is None) != (result is None):
        raise _mismatch(f"{path} result", wit_name_of(d.result), wit_of_wasmtime(result))
    if d.result is not None:
        check_type(f"{path} result", d.result, result, res, lookup)


class _Items:
    """Lazily expanded view of the component's exports or imports (name -> item type)."""

    def __init__(self, engine: Any, top: dict[str, Any]) -> None:
        self.engine = engine
        self.top = top
        self.inner: dict[str, dict[str, Any]] = {}

    def interface(self, name: str) -> dict[str, Any] | None:
        if name not in self.inner:
            ext = self.top.get(name)
            if ext is None:
                return None
            ty = ext.ty
            if not isinstance(ty, wc.ComponentInstanceType):
                raise TypeCheckError(
                    f"'{name}' is a {type(ty).__name__}, expected an interface instance"
                )
            self.inner[name] = {k: v.ty for k, v in ty.exports(self.engine).items()}
        return self.inner[name]

    def item(self, interface: str | None, name: str) -> Any:
        if interface is None:
            ext = self.top.get(name)
            return None if ext is None else ext.ty
        items = self.interface(interface)
        return None if items is None else items.get(name)

    def lookup(self, interface: str | None) -> ItemLookup:
        """Item lookup in one interface (or the world, for ``None``)."""
        return lambda name: self.item(interface, name)

    def resources(self) -> Iterator[tuple[str, Any]]:
        """Every resource type item (world level, then per interface) with its name."""
        for name, ext in self.top.items():
            if isinstance(ext.ty, wc.ResourceType):
                yield name, ext.ty
        for name, ext in self.top.items():
            if isinstance(ext.ty, wc.ComponentInstanceType):
                for item_name, ty in (self.interface(name) or {}).items():
                    if isinstance(ty, wc.ResourceType):
                        yield item_name, ty


def _resource_namer(*views: _Items) -> Callable[[Any], str | None]:
    """The WIT name the component gives a ResourceType (for error messages)."""

    def name_of(rtype: Any) -> str | None:
        for view in views:
            for name, ty in view.resources():
                if ty == rtype:
                    return name
        return None

    return name_of


def check_with_wasmtime(
    engine: wasmtime.Engine, component: Any, bindings: Bindings, plan: LoadPlan
) -> None:
    """Every export the bindings call and every import they implement, against
    wasmtime's reflection of the compiled component (under the component's own,
    possibly semver-newer, interface names found by ``plan``)."""
    from .bindings_spec import where

    ctype = component.type
    comp_exports = _Items(engine, ctype.exports(engine))
    comp_imports = _Items(engine, ctype.imports(engine))
    res = Resources(_resource_namer(comp_exports, comp_imports))
    for r in bindings.resources:
        if r.interface is not None and r.interface not in plan.import_names:
            continue
        cname = plan.import_names.get(r.interface)
        rtype = comp_imports.item(cname, r.name)
        if isinstance(rtype, wc.ResourceType):
            kind = f"'{cname}' resource" if cname is not None else "resource"
            res.bind(r.resource, rtype, f"import {kind} '{r.name}'")
    for e in bindings.exports:
        cname = plan.export_names.get(e.interface)
        path = where("export", e.interface, e.name)
        ft = comp_exports.item(cname, e.name)
        if ft is None:
            raise TypeCheckError(f"{path}: missing from the component")
        check_func(path, e.func, ft, res, comp_exports.lookup(cname))
    for i in bindings.imports:
        if i.interface is not None and i.interface not in plan.import_names:
            continue  # the component does not import this interface
        cname = plan.import_names.get(i.interface)
        ft = comp_imports.item(cname, i.name)
        if ft is not None:
            check_func(where("import", i.interface, i.name), i.func, ft, res,
                       comp_imports.lookup(cname))  # fmt: skip
