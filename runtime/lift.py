"""Lifting: ``wasmtime_component_val_t`` trees (owned by wasmtime) -> Python values.

A lifter is ``(addr) -> value``: it reads the val_t at the absolute address
``addr`` in place through ``capi.MEM`` (one ``struct.unpack_from`` per node, a
slice for a string, a strided slice for a list of scalars), so nothing is
copied through ctypes. A ``BufferList`` (bindings generated with ``--buffers``)
of numbers is lifted as an ``array.array`` instead of a ``list``. Records
whose fields are all numbers or bools are read with one ``unpack_from`` for
all fields. Lifters only read; the caller frees the
tree afterwards (``wasmtime_component_val_delete``) when wasmtime gave it to us,
which is why guest resource handles are cloned rather than taken.
"""

from __future__ import annotations

import functools
import struct
from array import array
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import capi
from ._compat import assert_never
from .buffers import BufferList
from .capi import ENTRY_SIZE, ENTRY_VAL, MEM, NAME_SIZE, VAL_OF, VAL_SIZE
from .lower import ARRAY_CODE, SCALAR_FMT
from .types import (
    Borrow,
    Enum,
    ExportedResource,
    Flags,
    List,
    Option,
    Own,
    Prim,
    Record,
    Result,
    Tuple,
    TypeDesc,
    Variant,
    record_positional,
)
from .values import Err, Ok, Some

if TYPE_CHECKING:
    from .instances import InstanceState

__all__ = ["Lifter", "compile_lift", "lift_result_raising"]

#: ``(addr) -> value``: the value of the val_t at absolute address ``addr``.
Lifter = Callable[[int], Any]

_U_VEC = struct.Struct("<QQ").unpack_from
_U_PTR = struct.Struct("<Q").unpack_from
_U_RESULT = struct.Struct(f"<?{capi.RESULT_VAL - VAL_OF - 1}xQ").unpack_from
_U_VARIANT = struct.Struct("<QQQ").unpack_from


def compile_lift(t: TypeDesc, state: InstanceState) -> Lifter:
    match t:
        case Prim():
            return _lift_prim(t)
        case List():
            return _lift_list(t, state)
        case Tuple():
            els = tuple(compile_lift(e, state) for e in t.elems)
            return _lift_tuple(els)
        case Option():
            return _lift_option(t, state)
        case Result():
            return _lift_result(t, state)
        case Record():
            return _lift_record(t, state)
        case Variant():
            return _lift_variant(t, state)
        case Enum():
            return _lift_enum(t)
        case Flags():
            return _lift_flags(t)
        case Own() | Borrow():
            return _lift_resource(t, state)
        case _:
            assert_never(t)


@functools.cache  # stateless: one per primitive type, shared by every instance
def _lift_prim(t: Prim) -> Lifter:
    name = t.name
    if name == "string":

        def lift_string(a: int) -> str:
            n, p = _U_VEC(MEM, a + VAL_OF)
            return MEM[p : p + n].tobytes().decode() if n else ""

        return lift_string
    u = struct.Struct("<" + SCALAR_FMT[name]).unpack_from
    if name == "char":

        def lift_char(a: int) -> str:
            return chr(u(MEM, a + VAL_OF)[0])

        return lift_char

    def lift_scalar(a: int) -> Any:
        return u(MEM, a + VAL_OF)[0]

    return lift_scalar


def _lift_list(t: List, state: InstanceState) -> Lifter:
    elem = t.elem
    if isinstance(elem, Prim) and elem.name == "u8":

        def lift_bytes(a: int) -> bytes:
            n, p = _U_VEC(MEM, a + VAL_OF)
            return MEM[p + VAL_OF : p + n * VAL_SIZE : VAL_SIZE].tobytes() if n else b""

        return lift_bytes
    if isinstance(elem, Prim) and elem.name in ARRAY_CODE:
        code = ARRAY_CODE[elem.name]
        width = struct.calcsize(code)
        start, step = VAL_OF // width, VAL_SIZE // width
        if isinstance(t, BufferList):

            def lift_array(a: int) -> array[Any]:
                n, p = _U_VEC(MEM, a + VAL_OF)
                if not n:
                    return array(code)
                # One gather of the payloads, then array's own copy of the bytes.
                return array(code, MEM[p : p + n * VAL_SIZE].cast(code)[start::step].tobytes())

            return lift_array

        def lift_scalars(a: int) -> list[Any]:
            n, p = _U_VEC(MEM, a + VAL_OF)
            if not n:
                return []
            return MEM[p : p + n * VAL_SIZE].cast(code)[start::step].tolist()  # type: ignore[no-any-return]

        return lift_scalars
    if isinstance(elem, Prim) and elem.name in ("bool", "char"):
        conv: Callable[[int], Any] = bool if elem.name == "bool" else chr
        code = "B" if elem.name == "bool" else "I"
        width = struct.calcsize(code)
        start, step = VAL_OF // width, VAL_SIZE // width

        def lift_small(a: int) -> list[Any]:
            n, p = _U_VEC(MEM, a + VAL_OF)
            if not n:
                return []
            return list(map(conv, MEM[p : p + n * VAL_SIZE].cast(code)[start::step]))

        return lift_small
    el = compile_lift(elem, state)

    def lift_list(a: int) -> list[Any]:
        n, p = _U_VEC(MEM, a + VAL_OF)
        if not n:
            return []
        return [el(e) for e in range(p, p + n * VAL_SIZE, VAL_SIZE)]

    return lift_list


def _lift_tuple(els: tuple[Lifter, ...]) -> Lifter:
    n = len(els)
    pairs = tuple(zip(els, range(0, n * VAL_SIZE, VAL_SIZE)))

    def lift_tuple(a: int) -> tuple[Any, ...]:
        m, p = _U_VEC(MEM, a + VAL_OF)
        if m != n:
            raise AssertionError("tuple arity changed under a type-checked plan")
        return tuple([el(p + eo) for el, eo in pairs])

    return lift_tuple


def _lift_option(t: Option, state: InstanceState) -> Lifter:
    inner = compile_lift(t.inner, state)
    if isinstance(t.inner, Option):

        def lift_option_some(a: int) -> Any:
            p = _U_PTR(MEM, a + VAL_OF)[0]
            return Some(inner(p)) if p else None

        return lift_option_some

    def lift_option(a: int) -> Any:
        p = _U_PTR(MEM, a + VAL_OF)[0]
        return inner(p) if p else None

    return lift_option


def _lift_result(t: Result, state: InstanceState) -> Lifter:
    ok = compile_lift(t.ok, state) if t.ok is not None else None
    err = compile_lift(t.err, state) if t.err is not None else None

    def lift_result(a: int) -> Any:
        is_ok, p = _U_RESULT(MEM, a + VAL_OF)
        if is_ok:
            return Ok(ok(p) if ok is not None else None)
        return Err(err(p) if err is not None else None)

    return lift_result


def lift_result_raising(t: Result, state: InstanceState) -> Lifter:
    """A top-level ``result<T, E>`` of a ``raises=True`` function: returns T, raises ``Err(e)``."""
    ok = compile_lift(t.ok, state) if t.ok is not None else None
    err = compile_lift(t.err, state) if t.err is not None else None

    def lift_raising(a: int) -> Any:
        is_ok, p = _U_RESULT(MEM, a + VAL_OF)
        if is_ok:
            return ok(p) if ok is not None else None
        return _Raise(Err(err(p) if err is not None else None))

    return lift_raising


class _Raise:
    """Marks a lifted ``Err`` to be raised once the result tree has been freed."""

    __slots__ = ("exc",)

    def __init__(self, exc: BaseException) -> None:
        self.exc = exc


#: Scalars one ``unpack_from`` returns as their Python value.
_DIRECT = frozenset(SCALAR_FMT) - {"char"}


def _lift_record(t: Record, state: InstanceState) -> Lifter:
    cls = t.cls
    n = len(t.fields)
    attrs = tuple(attr for _, attr, _ in t.fields)
    positional = record_positional(t)
    if n and all(isinstance(ft, Prim) and ft.name in _DIRECT for _, _, ft in t.fields):
        # All fields in one unpack: each payload sits at a fixed offset of its entry.
        fmt, pos = "<", 0
        for i, (_, _, ft) in enumerate(t.fields):
            assert isinstance(ft, Prim)
            off = i * ENTRY_SIZE + ENTRY_VAL + VAL_OF
            fmt += f"{off - pos}x{SCALAR_FMT[ft.name]}"
            pos = off + struct.calcsize("<" + SCALAR_FMT[ft.name])
        unpack = struct.Struct(fmt).unpack_from

        if positional:

            def lift_flat_record(a: int) -> Any:
                m, p = _U_VEC(MEM, a + VAL_OF)
                if m != n:
                    raise AssertionError("record shape changed under a type-checked plan")
                return cls(*unpack(MEM, p))

            return lift_flat_record

        def lift_flat_record_kw(a: int) -> Any:
            m, p = _U_VEC(MEM, a + VAL_OF)
            if m != n:
                raise AssertionError("record shape changed under a type-checked plan")
            return cls(**dict(zip(attrs, unpack(MEM, p))))

        return lift_flat_record_kw

    lifters = tuple(
        (compile_lift(ft, state), i * ENTRY_SIZE + ENTRY_VAL)
        for i, (_, _, ft) in enumerate(t.fields)
    )

    def lift_record(a: int) -> Any:
        m, p = _U_VEC(MEM, a + VAL_OF)
        if m != n:
            raise AssertionError("record shape changed under a type-checked plan")
        vals = [lf(p + fo) for lf, fo in lifters]
        if positional:
            return cls(*vals)
        return cls(**dict(zip(attrs, vals)))

    return lift_record


def _lift_variant(t: Variant, state: InstanceState) -> Lifter:
    cases: dict[bytes, tuple[type, Lifter | None]] = {}
    for name, ct, ccls in t.cases:
        cases[name.encode()] = (ccls, compile_lift(ct, state) if ct is not None else None)

    def lift_variant(a: int) -> Any:
        nlen, naddr, p = _U_VARIANT(MEM, a + VAL_OF)
        ccls, lf = cases[MEM[naddr : naddr + nlen].tobytes()]
        if lf is None:
            return ccls()
        return ccls(lf(p))

    return lift_variant


def _lift_enum(t: Enum) -> Lifter:
    members = dict(zip((m.encode() for m in t.members), t.cls))

    def lift_enum(a: int) -> Any:
        nlen, naddr = _U_VEC(MEM, a + VAL_OF)
        return members[MEM[naddr : naddr + nlen].tobytes()]

    return lift_enum


def _lift_flags(t: Flags) -> Lifter:
    cls = t.cls
    bits = {m.encode(): 1 << i for i, m in enumerate(t.members)}

    def lift_flags(a: int) -> Any:
        n, p = _U_VEC(MEM, a + VAL_OF)
        value = 0
        for e in range(p, p + n * NAME_SIZE, NAME_SIZE):
            nlen, naddr = _U_VEC(MEM, e)
            value |= bits[MEM[naddr : naddr + nlen].tobytes()]
        return cls(value)

    return lift_flags


def _lift_resource(t: Own | Borrow, state: InstanceState) -> Lifter:
    res = t.resource
    if isinstance(res, ExportedResource):
        cls: Any = res.cls_for(state.asynchronous)

        def lift_guest(a: int) -> Any:
            handle = _U_PTR(MEM, a + VAL_OF)[0]
            # The tree is freed after lifting: keep a clone of the handle box.
            return cls._wrap(capi.resource_any_clone(handle), state)

        return lift_guest
    table = state.table(res)
    own = isinstance(t, Own)

    def lift_host(a: int) -> Any:
        handle = _U_PTR(MEM, a + VAL_OF)[0]
        rep = state.host_rep_of(handle, table)
        # An own handle coming back means the guest gave the object up.
        return table.take(rep) if own else table.get(rep)

    return lift_host
