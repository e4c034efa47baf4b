"""Routing a typed export call through the lane or the plain path.

``make_routed_func(state, plain, lane_dyn, spec, threshold)`` returns a
``TypedFunc`` for one lane-eligible export of a wrapped instance. Its plan
(Python source compiled once, like ``funcs.make_typed_func``) sends a call
through the lane export when the call's lane lists hold at least
``threshold`` elements together (always, for a function whose only lane list
is its result), and through ``plain`` (the original's function, re-exported
by the wrapper) otherwise.

The lane route packs with *strict* packers: each accepts only what the plain
path accepts with the same meaning (exact element classes, checked per field
for records and tuples, ranges checked by ``array``/``struct``) and raises
anything otherwise. Any exception while packing sends the call to the plain
path, whose validator raises the usual error naming the param and path, or
which performs the call (an ``int`` subclass, a ``float`` beyond ``f32``'s
range, ...). So both routes accept the same arguments, produce the same
values and raise the same errors, before any wasm runs.

The encoded arguments are passed as ``bytes`` (the val_t's string points into
them) and the result is decoded straight from wasmtime's string, so no
``str`` is built on either side.
"""

from __future__ import annotations

import ctypes
import struct
import sys
from array import array
from collections.abc import Callable
from itertools import starmap
from operator import attrgetter
from typing import Any

from .. import capi
from ..capi import KIND, VAL_OF, VAL_SIZE
from ..funcs import InstanceState, TypedFunc, _store_closed
from ..lower import PLAN_GLOBALS, SCALAR_FMT, _is_sequence, scalar_slot
from ..types import Prim, Record, Tuple
from .call import _ARRAY_CODES, CODEC_FUNCS, columns_exact, element_classes, unpacker
from .floats import FloatPickler
from .spec import ElementLayout, LaneSpec, pickled_f64

__all__ = ["make_routed_func", "strict_packer"]

_BIG = sys.byteorder == "big"
_U_VEC = struct.Struct("<QQ").unpack_from

_BOOL = frozenset((bool,))
_STR = frozenset((str,))

RawPacker = Callable[[Any], bytes]


class _Refused(Exception):
    """The lane packer does not take this value: the plain path will."""


def _seq(v: Any) -> None:
    if v.__class__ is not list and v.__class__ is not tuple and not _is_sequence(v):
        raise _Refused


def strict_packer(lay: ElementLayout, codec: str) -> RawPacker:
    """The encoded ``bytes`` of a lane list, or an exception where the plain path might differ."""
    enc = CODEC_FUNCS[codec][0]
    desc = lay.desc
    if isinstance(desc, Prim):
        scalar = desc.name
        if scalar == "u8":

            def pack_u8(v: Any) -> bytes:
                if v.__class__ is bytes or isinstance(v, (bytes, bytearray)):
                    return enc(v)
                if isinstance(v, memoryview):
                    return enc(v.cast("B"))
                raise _Refused

            return pack_u8
        if scalar == "bool":

            def pack_bool(v: Any) -> bytes:
                _seq(v)
                if not _BOOL.issuperset(map(type, v)):
                    raise _Refused
                return enc(bytes(v))

            return pack_bool
        if scalar == "char":

            def pack_char(v: Any) -> bytes:
                _seq(v)
                if not _STR.issuperset(map(type, v)):
                    raise _Refused
                s = "".join(v)
                if len(s) != len(v):
                    raise _Refused
                return enc(s.encode("utf-32-le"))  # surrogates raise

            return pack_char
        if pickled_f64(lay):
            numbers = FloatPickler().numbers

            def pack_f64(v: Any) -> bytes:
                if v.__class__ is not list:
                    _seq(v)
                    v = list(v)
                p = numbers(v)
                if p is None:
                    raise _Refused
                return enc(p)

            return pack_f64
        code = _ARRAY_CODES[scalar]
        allowed = element_classes(scalar)

        def pack_scalars(v: Any) -> bytes:
            _seq(v)
            if not allowed.issuperset(map(type, v)):
                raise _Refused
            a = array(code, v)  # range-checks integers; f32 rounds as the plain path does
            if _BIG:  # pragma: no cover - little-endian CI only
                a.byteswap()
            return enc(a)

        return pack_scalars
    assert isinstance(desc, (Record, Tuple))
    spack = struct.Struct(lay.struct_format).pack
    kinds = [element_classes(s) for s in lay.scalars]
    width = len(kinds)
    if isinstance(desc, Tuple):

        def pack_tuples(v: Any) -> bytes:
            _seq(v)
            if not v:
                return b""
            if v.__class__ is not list:
                v = list(v)
            if not _TUPLE.issuperset(map(type, v)) or {width} != set(map(len, v)):
                raise _Refused
            if not columns_exact(kinds, zip(*v)):
                raise _Refused
            return enc(b"".join(starmap(spack, v)))

        return pack_tuples
    cls = desc.cls
    cls_set = frozenset((cls,))
    getters = [attrgetter(attr) for _, attr, _ in desc.fields]
    getter = attrgetter(*(attr for _, attr, _ in desc.fields))
    single = width == 1

    def pack_records(v: Any) -> bytes:
        _seq(v)
        if not cls_set.issuperset(map(type, v)):
            raise _Refused
        if not columns_exact(kinds, (map(g, v) for g in getters)):
            raise _Refused
        if single:
            return enc(b"".join(map(spack, map(getter, v))))
        return enc(b"".join(starmap(spack, map(getter, v))))

    return pack_records


_TUPLE = frozenset((tuple,))


def make_routed_func(
    state: InstanceState,
    plain: TypedFunc,
    lane_dyn: Any,
    spec: LaneSpec,
    threshold: int,
    codec: str,
) -> TypedFunc:
    """The ``TypedFunc`` of one lane-eligible export: lane above ``threshold``, else ``plain``."""
    params = spec.params
    n = len(params)
    pbuf = ctypes.create_string_buffer(max(n, 1) * VAL_SIZE)
    rbuf = ctypes.create_string_buffer(VAL_SIZE)
    paddr = ctypes.addressof(pbuf)
    raddr = ctypes.addressof(rbuf)
    ns: dict[str, Any] = dict(PLAN_GLOBALS)
    ns.update(
        {
            "_plain": plain,
            "_call": capi.func_call,
            "_F": capi.func_address(lane_dyn),
            "_lane_dyn": lane_dyn,  # owns the wasmtime_component_func_t at _F
            "_CTX": state.ctx,
            "_PBUF": pbuf,
            "_PADDR": paddr,
            "_RBUF": rbuf,
            "_RADDR": raddr,
            "_st": state,
            "_store": state.store,
            "_closed": _store_closed,
            "_vdel": capi.val_delete,
            "_UV": _U_VEC,
            "Exception": Exception,
        }
    )
    args = [f"a{i}" for i in range(n)]
    arglist = ", ".join(args)
    lane_args = [args[i] for i, p in enumerate(params) if p.lane is not None]
    body: list[str] = []
    pack_fmt = "<"
    pack_args: list[str] = []
    pos = 0
    string_kind = str(KIND["string"])
    for i, p in enumerate(params):
        a = args[i]
        off = i * VAL_SIZE
        if pos < off:
            pack_fmt += f"{off - pos}x"
        if p.lane is not None:
            ns[f"_pk{i}"] = strict_packer(p.lane, codec)
            body.append(f"{a}_b = _pk{i}({a})")
            fmt, slot_args = f"B{VAL_OF - 1}xQQ", [string_kind, f"len({a}_b)", f"_baddr({a}_b)"]
        else:
            assert isinstance(p.desc, Prim)
            lines, fmt, slot_args = scalar_slot(p.desc.name, a, None)
            body += lines
        pack_fmt += fmt
        pack_args += slot_args
        pos = off + struct.calcsize("<" + fmt)
    ns["_pk"] = struct.Struct(pack_fmt).pack_into
    body.append(f"_pk(_PBUF, 0, {', '.join(pack_args)})")

    src = [f"def __call__(self, {arglist}, /):" if args else "def __call__(self, /):"]
    if hasattr(state.store, capi.STORE_CONTEXT_ATTR):
        src.append(f"    if _store.{capi.STORE_CONTEXT_ATTR} is None: _closed()")
    src.append("    try:")
    if lane_args:
        total = " + ".join(f"len({a})" for a in lane_args)
        src.append(f"        go = {total} >= {int(threshold)}")
        src.append("        if go:")
        src += [f"            {line}" for line in body]
    else:  # only the result is a lane list: its length is unknown, the lane costs little
        src.append("        go = True")
        src += [f"        {line}" for line in body]
    src.append("    except Exception:")
    src.append("        go = False")
    src.append(f"    if not go: return _plain({arglist})")
    nres = 0 if spec.result is None else 1
    src.append(f"    err = _call(_F, _CTX, _PADDR, {n}, _RADDR, {nres})")
    src.append("    if err: _st.fail(err)")
    rt = spec.result
    if rt is None:
        src.append("    return None")
    elif spec.result_lane is None:
        assert isinstance(rt, Prim)
        ns["_ur"] = struct.Struct("<" + SCALAR_FMT[rt.name]).unpack_from
        if rt.name == "char":
            src.append(f"    return chr(_ur(_RBUF, {VAL_OF})[0])")
        else:
            src.append(f"    return _ur(_RBUF, {VAL_OF})[0]")
    else:
        ns["_unpack"] = unpacker(spec.result_lane, CODEC_FUNCS[codec][1])
        src += [
            "    try:",
            f"        m, p = _UV(_MEM, {raddr + VAL_OF})",
            "        r = _unpack(_MEM[p : p + m])",
            "    finally:",
            "        _vdel(_RADDR)",
            "        _MEM[_RADDR] = 0",
            "    return r",
        ]
    code = "\n".join(src) + "\n"
    exec(compile(code, f"<wbindgen lane plan {plain.name}>", "exec"), ns)
    cls = type(
        f"TypedFunc[{plain.name}]",
        (TypedFunc,),
        {
            "__slots__": (),
            "__call__": ns["__call__"],
            "lane_spec": spec,
            "lane_threshold": threshold,
        },
    )
    tf: TypedFunc = object.__new__(cls)
    tf.name = plain.name
    tf.func_type = plain.func_type
    tf._state = state
    tf._func = plain._func
    tf._dyn = plain._dyn
    tf._slow = plain._slow
    return tf
