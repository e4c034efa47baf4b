"""The reference path: the same call through wasmtime-py's dynamic API.

``TypedFunc.call_reference(*args)`` converts the generated classes to
wasmtime-py's dynamic values (``Record`` objects with WIT field names,
``Variant(tag, payload)`` where wasmtime-py tags, names as strings for enums,
sets of names for flags), calls ``wasmtime.component.Func.__call__`` (which
re-reads the function type through the C API on every call) and converts the
result back. It is slow and exists as the oracle of differential tests: the
fast plan must return exactly what this path returns.

Resources: a guest resource travels as a clone of its ``ResourceAny``; a host
(imported) resource as a ``ResourceHost`` of its rep in the instance's handle
table, following the same table rules as the fast plan (``own`` inserts,
``borrow`` reuses the rep or registers the object for the call, a returned
``own`` takes the object out of the table).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import wasmtime
from wasmtime import component as wc

from . import capi
from ._compat import assert_never
from .errors import InstanceTrappedError, WbindgenError
from .lower import validate
from .stores import refuse_entry
from .traps import trap_from_text
from .types import (
    Borrow,
    Enum,
    ExportedResource,
    Flags,
    ImportedResource,
    List,
    Option,
    Own,
    Prim,
    Record,
    Result,
    Tuple,
    TypeDesc,
    Variant,
)
from .values import Err, Ok, Some

if TYPE_CHECKING:
    from .funcs import TypedFunc
    from .instances import InstanceState

__all__ = ["call_reference", "to_dynamic", "from_dynamic"]


def _classes(wt: Any) -> tuple[type, ...]:
    s: set[type] = set()
    if wt is None:
        return (type(None),)
    wt.add_classes(s)
    return tuple(s)


def to_dynamic(d: TypeDesc, wt: Any, v: Any, post: list[Any], state: InstanceState) -> Any:
    """Our value -> wasmtime-py's dynamic value for type ``wt``."""
    match d:
        case Prim():
            if d.name in ("f32", "f64"):
                return float(v)
            return v
        case List():
            if isinstance(d.elem, Prim) and d.elem.name == "u8":
                return bytes(v)
            et = wt.element
            return [to_dynamic(d.elem, et, e, post, state) for e in v]
        case Tuple():
            return tuple(
                to_dynamic(de, te, e, post, state) for de, te, e in zip(d.elems, wt.elements, v)
            )
        case Option():
            if v is None:
                return wc.Variant("none") if capi.variant_tagged(wt) else None
            payload = v.value if isinstance(d.inner, Option) else v
            p = to_dynamic(d.inner, wt.payload, payload, post, state)
            return wc.Variant("some", p) if capi.variant_tagged(wt) else p
        case Result():
            is_ok = isinstance(v, Ok)
            case_d, case_t = (d.ok, wt.ok) if is_ok else (d.err, wt.err)
            p = None if case_d is None else to_dynamic(case_d, case_t, v.value, post, state)
            if capi.variant_tagged(wt):
                return wc.Variant("ok" if is_ok else "err", p)
            return p
        case Record():
            r = wc.Record()
            for (fname, attr, ft), (_, tt) in zip(d.fields, wt.fields):
                setattr(r, fname, to_dynamic(ft, tt, getattr(v, attr), post, state))
            return r
        case Variant():
            case_value: Any = v  # a generated case class with a `value` field
            for (cname, ct, ccls), (_, tt) in zip(d.cases, wt.cases):
                if v.__class__ is ccls:
                    p = None if ct is None else to_dynamic(ct, tt, case_value.value, post, state)
                    return wc.Variant(cname, p) if capi.variant_tagged(wt) else p
            raise TypeError(f"not a case of {d.wit_name}: {v!r}")
        case Enum():
            return d.members[list(d.cls).index(v)]
        case Flags():
            return {m for i, m in enumerate(d.members) if v.value >> i & 1}
        case Own() | Borrow():
            if not isinstance(d.resource, ExportedResource):
                return _host_to_dynamic(d, v, post, state)
            handle = v._live_handle()
            clone = capi.resource_any_clone(handle)
            ra = capi.resource_any_from_address(clone)
            if isinstance(d, Own):
                post.append(v._given_to_guest)
            return ra
        case _:
            assert_never(d)


def from_dynamic(d: TypeDesc, wt: Any, x: Any, state: InstanceState) -> Any:
    """wasmtime-py's dynamic value -> our value."""
    match d:
        case Prim():
            return x
        case List():
            if isinstance(d.elem, Prim) and d.elem.name == "u8":
                return bytes(x)
            et = wt.element
            return [from_dynamic(d.elem, et, e, state) for e in x]
        case Tuple():
            return tuple(
                from_dynamic(de, te, e, state) for de, te, e in zip(d.elems, wt.elements, x)
            )
        case Option():
            if capi.variant_tagged(wt):
                if x.tag == "none":
                    return None
                x = x.payload
            elif x is None:
                return None
            inner = from_dynamic(d.inner, wt.payload, x, state)
            return Some(inner) if isinstance(d.inner, Option) else inner
        case Result():
            if capi.variant_tagged(wt):
                is_ok, p = x.tag == "ok", x.payload
            else:
                # wasmtime-py only untags when the two cases' classes are disjoint.
                if d.ok is None:
                    is_ok = x is None
                elif d.err is None:
                    is_ok = x is not None
                else:
                    is_ok = _matches(wt.ok, x)
                p = x
            case_d, case_t = (d.ok, wt.ok) if is_ok else (d.err, wt.err)
            val = None if case_d is None else from_dynamic(case_d, case_t, p, state)
            return Ok(val) if is_ok else Err(val)
        case Record():
            kw = {
                attr: from_dynamic(ft, tt, getattr(x, fname), state)
                for (fname, attr, ft), (_, tt) in zip(d.fields, wt.fields)
            }
            return d.cls(**kw)
        case Variant():
            pairs = list(zip(d.cases, wt.cases))
            if capi.variant_tagged(wt):
                for (cname, ct, ccls), (_, tt) in pairs:
                    if cname == x.tag:
                        return (
                            ccls() if ct is None else ccls(from_dynamic(ct, tt, x.payload, state))
                        )
            else:
                for (_, ct, ccls), (_, tt) in pairs:
                    if ct is None and x is None:
                        return ccls()
                    if ct is not None and _matches(tt, x):
                        return ccls(from_dynamic(ct, tt, x, state))
            raise AssertionError(f"no case of {d.wit_name} matches {x!r}")
        case Enum():
            return list(d.cls)[d.members.index(x)]
        case Flags():
            bits = 0
            for i, m in enumerate(d.members):
                if m in x:
                    bits |= 1 << i
            return d.cls(bits)
        case Own() | Borrow():
            if not isinstance(d.resource, ExportedResource):
                return _host_from_dynamic(d, x, state)
            wrapper: Any = d.resource.cls
            return wrapper._wrap(capi.resource_any_release(x), state)
        case _:
            assert_never(d)


def _host_to_dynamic(d: Own | Borrow, v: Any, post: list[Any], state: InstanceState) -> Any:
    """A host object as wasmtime-py's ``ResourceHost``, with the fast plan's table rules:
    ``own`` puts it in the handle table (the guest's drop removes it), ``borrow``
    reuses its rep or registers it for the call only."""
    assert isinstance(d.resource, ImportedResource)
    table = state.table(d.resource)
    if isinstance(d, Own):
        return wc.ResourceHost.own(table.insert(v), table.type_id)
    rep = table.rep_of(v)
    if rep is None:
        rep = table.insert(v)
        temporary = rep
        post.append(lambda: table.remove(temporary))
    return wc.ResourceHost.borrow(rep, table.type_id)


def _host_from_dynamic(d: Own | Borrow, x: Any, state: InstanceState) -> Any:
    """wasmtime-py's ``ResourceAny`` of a host resource -> the object in the handle table."""
    assert isinstance(d.resource, ImportedResource)
    table = state.table(d.resource)
    host = x.to_host(state.store)
    if host.type != table.type_id:
        raise WbindgenError(f"resource handle is not a {table.wit_name}")
    rep = host.rep
    # An own handle coming back means the guest gave the object up.
    return table.take(rep) if isinstance(d, Own) else table.get(rep)


def _matches(wt: Any, x: Any) -> bool:
    return wt is not None and isinstance(x, _classes(wt))


def call_reference(tf: TypedFunc, args: tuple[Any, ...]) -> Any:
    ftype = tf.func_type
    state = tf._state
    store = state.store
    if len(args) != len(ftype.params):
        raise TypeError(f"{tf.name}() takes {len(ftype.params)} arguments, got {len(args)}")
    for (pname, t), v in zip(ftype.params, args):
        validate(t, v, f"param '{pname}'")
    dyn = tf.dynamic_func()
    ss = state.ss
    prev = ss.cur
    if prev is not None:
        refuse_entry(ss, prev)
    ss.cur = state
    try:
        fty = dyn.type(store)
        post: list[Any] = []
        dyn_args = [
            to_dynamic(t, wt, v, post, state)
            for (_, t), (_, wt), v in zip(ftype.params, fty.params, args)
        ]
        try:
            raw = dyn(store, *dyn_args)
        except wasmtime.WasmtimeError as exc:
            pending, ss.pending = ss.pending, None
            message = str(exc)
            state.trapped = ss.trapped = True
            if pending is not None:
                raise pending from None
            if "cannot enter component instance" in message:
                raise InstanceTrappedError(
                    "this component instance trapped earlier and cannot be entered again; "
                    "create a new instance"
                ) from None
            raise trap_from_text(message) from None
        finally:
            for action in post:
                action()
        if ftype.result is None:
            return None
        value = from_dynamic(ftype.result, fty.result, raw, state)
    finally:
        ss.cur = prev
    if ftype.raises:
        if isinstance(value, Err):
            raise value
        return value.value
    return value
