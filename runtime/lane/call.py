"""``LaneCall``: Python values <-> the lane export's hex strings, at C speed where possible.

Lists of scalars go through ``array`` (one C-level conversion each way), or are
taken as they are from a buffer of the element's items (``lower.numeric_buffer``:
same formats, same errors as the typed runtime); records
and tuples through one ``struct.Struct`` per element (``starmap``/``iter_unpack``,
so the loop runs in C but each record is still built by its class).
"""

from __future__ import annotations

import binascii
import pickle
import struct
import sys
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import starmap
from operator import attrgetter
from typing import Any

from ..lower import ARRAY_CODE, BufferFormatError, OutOfRangeError, byte_view, numeric_buffer
from ..types import INT_RANGES, Prim, Record, Tuple, record_positional
from .spec import ElementLayout, LaneSpec, pickled_f64

__all__ = ["LaneCall"]

#: The lane's codec: lists travel as hex (docs/lane.md, "The adapter").
ENCODE: Callable[[Any], bytes] = binascii.hexlify
DECODE: Callable[[Any], bytes] = binascii.unhexlify


def check_codec(codec: str | None) -> None:
    """Hex is the lane's only codec (``adapter.CODEC``)."""
    if codec not in (None, "hex"):
        raise ValueError(f"unknown lane codec {codec!r}: the lane's codec is 'hex'")


_BIG = sys.byteorder == "big"


#: scalar -> array type code (little-endian data; swapped on big-endian hosts):
#: the typed runtime's, so both paths return arrays of the same type code.
_ARRAY_CODES: dict[str, str] = ARRAY_CODE

Packer = Callable[[Any], str]
Unpacker = Callable[[Any], Any]

_INT = frozenset((int,))
_NUM = frozenset((int, float))
_BOOL = frozenset((bool,))


def element_classes(scalar: str) -> frozenset[type]:
    """The exact classes the typed runtime's bulk checks take for a scalar
    (``struct`` and ``array`` would also take ``bool`` for an int, ...)."""
    if scalar == "bool":
        return _BOOL
    if scalar in ("f32", "f64"):
        return _NUM
    return _INT


def columns_exact(kinds: Iterable[frozenset[type]], columns: Iterable[Iterable[Any]]) -> bool:
    """True if every value of each column is of an exact class of its kind."""
    return all(ok.issuperset(map(type, col)) for ok, col in zip(kinds, columns))


def _where(name: str) -> str:
    return f"param {name!r}"


def _buffer(where: str, v: Any, scalar: str) -> memoryview | None:
    """``lower.numeric_buffer`` with the param named in its error."""
    try:
        return numeric_buffer(v, scalar)
    except BufferFormatError as e:
        raise BufferFormatError(f"{where}: {e}") from None


def _packer(name: str, lay: ElementLayout) -> Packer:
    def _hex(data: Any) -> str:
        return ENCODE(data).decode("ascii")

    desc = lay.desc
    where = _where(name)
    if isinstance(desc, Prim):
        scalar = desc.name
        if scalar == "u8":

            def pack_u8(v: Any) -> str:
                if isinstance(v, (bytes, bytearray, memoryview)):
                    return _hex(byte_view(v))
                if _buffer(where, v, "u8") is not None:
                    return _hex(byte_view(v))
                if isinstance(v, str) or not isinstance(v, Sequence):
                    raise TypeError(f"{where}: expected bytes, got {type(v).__name__}")
                try:
                    return _hex(bytes(v))
                except ValueError as e:
                    raise OutOfRangeError(f"{where}: {e}") from None
                except TypeError as e:
                    raise TypeError(f"{where}: {e}") from None

            return pack_u8
        if scalar == "bool":

            def pack_bool(v: Any) -> str:
                _check_seq(where, v)
                if not set(map(type, v)) <= {bool}:
                    bad = next(x for x in v if type(x) is not bool)
                    raise TypeError(f"{where}: expected bool, got {type(bad).__name__}")
                return _hex(bytes(v))

            return pack_bool
        if scalar == "char":

            def pack_char(v: Any) -> str:
                _check_seq(where, v)
                if not set(map(type, v)) <= {str}:
                    bad = next(x for x in v if type(x) is not str)
                    raise TypeError(f"{where}: expected str, got {type(bad).__name__}")
                s = "".join(v)
                if len(s) != len(v):
                    raise ValueError(f"{where}: expected single characters")
                try:
                    return _hex(s.encode("utf-32-le"))
                except UnicodeEncodeError:
                    raise ValueError(f"{where}: surrogate code points are not chars") from None

            return pack_char
        code = _ARRAY_CODES[scalar]
        is_float = scalar in ("f32", "f64")
        wire_pickle = pickled_f64(lay)

        def pack_scalars(v: Any) -> str:
            m = None if isinstance(v, (list, tuple)) else _buffer(where, v, scalar)
            if m is not None:  # a buffer of the element's items: sent as they are
                if wire_pickle:  # raw doubles: their hex and a NUL (adapter._lane_func)
                    return _hex(m) + "\0"
                if _BIG:  # pragma: no cover - little-endian CI only
                    swapped = array(code, m.tobytes())
                    swapped.byteswap()
                    return _hex(swapped)
                return _hex(m)
            _check_seq(where, v)
            if not is_float and not set(map(type, v)) <= {int}:
                bad = next(x for x in v if type(x) is not int)
                if not isinstance(bad, int) or isinstance(bad, bool):
                    raise TypeError(f"{where}: expected int, got {type(bad).__name__}")
            try:
                a = array(code, v)
            except OverflowError as e:
                raise OutOfRangeError(f"{where}: {scalar} out of range ({e})") from None
            except TypeError as e:
                raise TypeError(f"{where}: {e}") from None
            if wire_pickle:  # list<f64> travels as a pickle of floats (floats.py)
                return _hex(pickle.dumps(a.tolist(), 2))
            if _BIG:  # pragma: no cover - little-endian CI only
                a.byteswap()
            return _hex(a)

        return pack_scalars
    assert isinstance(desc, (Record, Tuple))
    st = struct.Struct(lay.struct_format)
    spack = st.pack
    # struct takes bool for an int field and an int for a bool field; the
    # typed runtime does not, so each field's classes are checked first.
    kinds = [element_classes(scalar) for scalar in lay.scalars]
    if isinstance(desc, Tuple):
        width = len(desc.elems)

        def pack_tuples(v: Any) -> str:
            _check_seq(where, v)
            bad = next((x for x in v if not isinstance(x, tuple) or len(x) != width), None)
            if bad is not None:
                raise TypeError(f"{where}: expected a {width}-tuple, got {bad!r}")
            if columns_exact(kinds, zip(*v)):
                try:
                    return _hex(b"".join(starmap(spack, v)))
                except (struct.error, OverflowError):
                    pass
            return _hex(b"".join(starmap(spack, _checked_rows(where, lay, v))))

        return pack_tuples
    cls = desc.cls
    attrs = [attr for _, attr, _ in desc.fields]
    getter = attrgetter(*attrs)
    getters = [attrgetter(a) for a in attrs]
    single = len(attrs) == 1

    def pack_records(v: Any) -> str:
        _check_seq(where, v)
        if not set(map(type, v)) <= {cls}:
            bad = next(x for x in v if type(x) is not cls)
            raise TypeError(f"{where}: expected {cls.__name__}, got {type(bad).__name__}")
        if columns_exact(kinds, (map(g, v) for g in getters)):
            try:
                if single:
                    return _hex(b"".join(map(spack, map(getter, v))))
                return _hex(b"".join(starmap(spack, map(getter, v))))
            except (struct.error, OverflowError):
                pass
        rows = ((getter(x),) if single else getter(x) for x in v)
        return _hex(b"".join(starmap(spack, _checked_rows(where, lay, rows))))

    return pack_records


def _checked_rows(where: str, lay: ElementLayout, rows: Iterable[Any]) -> Iterator[tuple[Any, ...]]:
    """The slow path after a fast pack failed: name the bad field; round f32 as the ABI does."""
    for i, row in enumerate(rows):
        out = []
        for j, (scalar, x) in enumerate(zip(lay.scalars, row)):
            at = f"{where}[{i}] field {j}"
            if scalar == "bool":
                if type(x) is not bool:
                    raise TypeError(f"{at}: expected bool, got {type(x).__name__}")
            elif scalar in ("f32", "f64"):
                if isinstance(x, bool) or not isinstance(x, (int, float)):
                    raise TypeError(f"{at}: expected float, got {type(x).__name__}")
                if scalar == "f32":
                    x = array("f", [x])[0]  # beyond f32's range: +-inf
            else:
                if isinstance(x, bool) or not isinstance(x, int):
                    raise TypeError(f"{at}: expected int, got {type(x).__name__}")
                lo, hi = INT_RANGES[scalar]
                if not lo <= x <= hi:
                    raise OutOfRangeError(f"{at}: {x} out of range for {scalar}")
            out.append(x)
        yield tuple(out)


def _check_seq(where: str, v: Any) -> None:
    if isinstance(v, (str, bytes, bytearray)) or not isinstance(v, Sequence):
        raise TypeError(f"{where}: expected a sequence, got {type(v).__name__}")


def unpacker(lay: ElementLayout, *, buffer: bool = False) -> Unpacker:
    """The Python value of a lane list result from its hex text (``str`` or any
    bytes-like object). ``buffer``: numbers come back as an ``array.array``
    (a ``BufferList`` result) instead of a list."""
    _a2b = DECODE
    desc = lay.desc
    if isinstance(desc, Prim):
        scalar = desc.name
        if scalar == "u8":
            return _a2b
        if scalar == "bool":
            return lambda s: list(map(bool, _a2b(s)))
        if scalar == "char":
            return lambda s: list(_a2b(s).decode("utf-32-le"))
        code = _ARRAY_CODES[scalar]
        if _BIG:  # pragma: no cover

            def unpack_swapped(s: Any) -> Any:
                a = array(code)
                a.frombytes(_a2b(s))
                a.byteswap()
                return a if buffer else a.tolist()

            return unpack_swapped
        if buffer:
            return lambda s: array(code, _a2b(s))  # one copy of the decoded bytes
        # array(code, bytes) copies once, but its tolist beats memoryview.cast's
        return lambda s: array(code, _a2b(s)).tolist()
    assert isinstance(desc, (Record, Tuple))
    iter_unpack = struct.Struct(lay.struct_format).iter_unpack
    if isinstance(desc, Tuple):
        return lambda s: list(iter_unpack(_a2b(s)))
    cls = desc.cls
    if record_positional(desc):
        return lambda s: list(starmap(cls, iter_unpack(_a2b(s))))
    attrs = [attr for _, attr, _ in desc.fields]
    return lambda s: [cls(**dict(zip(attrs, t))) for t in iter_unpack(_a2b(s))]


class LaneCall:
    """Packs arguments for, and unpacks the result of, the lane export of one ``LaneSpec``.

    ``pack(args)`` returns the lane export's arguments (a hex ``str`` per lane
    list, other arguments unchanged); ``unpack(result)`` turns its result back
    into ``bytes`` (``list<u8>``), ``list[int|float|bool|str]`` (an
    ``array.array`` of numbers for a ``BufferList`` result), ``list[Record]``
    or ``list[tuple]``, and passes scalar results through.
    """

    __slots__ = ("spec", "_packers", "_unpack", "_arity")

    def __init__(self, spec: LaneSpec, codec: str | None = None) -> None:
        from ..buffers import BufferList

        check_codec(codec)
        self.spec = spec
        self._packers: tuple[tuple[int, Packer], ...] = tuple(
            (i, _packer(p.name, p.lane)) for i, p in enumerate(spec.params) if p.lane is not None
        )
        self._unpack: Unpacker | None = (
            unpacker(spec.result_lane, buffer=isinstance(spec.result, BufferList))
            if spec.result_lane is not None
            else None
        )
        self._arity = len(spec.params)

    def pack(self, args: Sequence[Any]) -> list[Any]:
        if len(args) != self._arity:
            raise TypeError(f"{self.spec.name}() takes {self._arity} arguments ({len(args)} given)")
        out = list(args)
        for i, packer in self._packers:
            out[i] = packer(out[i])
        return out

    def unpack(self, result: Any) -> Any:
        if self._unpack is None:
            return result
        return self._unpack(result)

    def call(self, func: Callable[..., Any], *args: Any) -> Any:
        """``unpack(func(*pack(args)))``: ``func`` is the lane export bound to its store."""
        return self.unpack(func(*self.pack(args)))
