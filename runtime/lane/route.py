"""The lane route's packers: Python lists -> the lane's strings, strictly.

A lane plan (``plans.PlanTemplate`` with a ``LaneSpec``) sends a call through
the lane export when the call's lane lists hold at least ``threshold``
elements together (always, for a function whose only lane list is its
result), and through the plain plan (the original's function, re-exported by
the wrapper) otherwise.

The lane route packs with *strict* packers: each accepts only what the plain
path accepts with the same meaning (exact element classes, checked per field
for records and tuples, ranges checked by ``array``/``struct``) and raises
anything otherwise. Any exception while packing sends the call to the plain
path, whose validator raises the usual error naming the param and path, or
which performs the call (an ``int`` subclass, a ``float`` beyond ``f32``'s
range, ...). So both routes accept the same arguments, produce the same
values and raise the same errors, before any wasm runs.

A buffer of the element's items (``lower.numeric_buffer``: ``array.array``,
numpy arrays, memoryviews) is sent as it is, hex-encoded straight from its
memory; a buffer of other items is refused here and named by the plain path.

The encoded arguments are passed as ``bytes`` (the val_t's string points into
them) and the result is decoded straight from wasmtime's string, so no
``str`` is built on either side.
"""

from __future__ import annotations

import struct
import sys
from array import array
from collections.abc import Callable
from itertools import starmap
from operator import attrgetter
from typing import Any

from ..lower import _is_sequence, byte_view, numeric_buffer
from ..types import Prim, Record, Tuple
from .call import _ARRAY_CODES, ENCODE, check_codec, columns_exact, element_classes
from .floats import FloatPickler
from .spec import ElementLayout, pickled_f64

__all__ = ["strict_packer"]

_BIG = sys.byteorder == "big"

_BOOL = frozenset((bool,))
_STR = frozenset((str,))

RawPacker = Callable[[Any], Any]


class _Refused(Exception):
    """The lane packer does not take this value: the plain path will."""


def _seq(v: Any) -> Any:
    """``v`` itself if an exact list or tuple, else a list of what it iterates once
    (as the plain path's ``lower.snapshot``: both send the same elements)."""
    if type(v) is list or type(v) is tuple:
        return v
    if not _is_sequence(v):
        raise _Refused
    return list(v)


def strict_packer(lay: ElementLayout, codec: str | None = None) -> RawPacker:
    """The hex ``bytes`` of a lane list, or an exception where the plain path might differ.

    A ``list<f64>`` packer returns ``(bytes, length)`` instead: the pickle of a
    list and its length, or the hex of a buffer's doubles and one more than
    its length: the string then ends with the NUL that ends every ``bytes``
    object's memory (CPython's C API guarantees it), which tells the adapter
    the doubles are raw (``adapter._lane_func``) without copying the hex."""
    check_codec(codec)
    enc = ENCODE
    desc = lay.desc
    if isinstance(desc, Prim):
        scalar = desc.name
        if scalar == "u8":

            def pack_u8(v: Any) -> bytes:
                if type(v) is not bytes:
                    v = byte_view(v)
                return enc(v)

            return pack_u8
        if scalar == "bool":

            def pack_bool(v: Any) -> bytes:
                v = _seq(v)
                if not _BOOL.issuperset(map(type, v)):
                    raise _Refused
                return enc(bytes(v))

            return pack_bool
        if scalar == "char":

            def pack_char(v: Any) -> bytes:
                v = _seq(v)
                if not _STR.issuperset(map(type, v)):
                    raise _Refused
                s = "".join(v)
                if len(s) != len(v):
                    raise _Refused
                return enc(s.encode("utf-32-le"))  # surrogates raise

            return pack_char
        if pickled_f64(lay):
            numbers = FloatPickler().numbers

            def pack_f64(v: Any) -> tuple[bytes, int]:
                if type(v) is not list:
                    if type(v) is not tuple:
                        m = numeric_buffer(v, "f64")
                        if m is not None:
                            h = enc(m)
                            return h, len(h) + 1
                        v = _seq(v)
                    v = list(v)
                p = numbers(v)
                if p is None:
                    raise _Refused
                h = enc(p)
                return h, len(h)

            return pack_f64
        code = _ARRAY_CODES[scalar]
        allowed = element_classes(scalar)

        def pack_scalars(v: Any) -> bytes:
            if type(v) is not list and type(v) is not tuple:
                m = numeric_buffer(v, scalar)  # its items as they are, or a refusal
                if m is not None:
                    if _BIG:  # pragma: no cover - little-endian CI only
                        a = array(code, m.tobytes())
                        a.byteswap()
                        return enc(a)
                    return enc(m)
                v = _seq(v)
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
            v = _seq(v)
            if not v:
                return b""
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
        v = _seq(v)
        if not cls_set.issuperset(map(type, v)):
            raise _Refused
        if not columns_exact(kinds, (map(g, v) for g in getters)):
            raise _Refused
        if single:
            return enc(b"".join(map(spack, map(getter, v))))
        return enc(b"".join(starmap(spack, map(getter, v))))

    return pack_records


_TUPLE = frozenset((tuple,))
