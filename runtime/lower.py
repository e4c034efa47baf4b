"""Lowering: Python values -> ``wasmtime_component_val_t`` trees in Python-owned memory.

wasmtime's ``wasmtime_component_func_call`` only *reads* its arguments (it
converts them to Rust values first), so the trees are written into memory the
runtime owns: the nodes into the instance's ``Arena`` (reused by every call,
see ``arena.py``), strings point straight at the UTF-8 ``bytes`` the call keeps
alive, and nothing is allocated by wasmtime. Every object a tree points into
is appended to the call's ``keep`` list, which lives until the call returns.

A lowerer is ``(value, addr, keep)``: it writes the val_t of ``value`` at the
absolute address ``addr`` (through ``capi.MEM``), allocating child nodes from
the arena. Two plans per type:

* ``compile_lower(t, state)`` returns the fast lowerer: checks that are cheap
  and complete (class identity, struct's own range checks) but raise bare
  errors. Records (and the scalar parameters of a call, see ``funcs.py``) are
  compiled to Python source that packs every scalar field, with its name and
  kind, in one ``struct.pack_into``.
* ``validate(t, value, path)`` is run only after the fast lowerer failed: it
  raises the error users see, naming the parameter and the path inside it
  (``param 'p'.tags[3]: expected str, got int``).

A value that passes ``validate`` always lowers; a value that fails never
reaches wasm. A lowerer writes only inside the blocks it allocated for the
exact number of nodes it writes (a sequence that changes length while it is
being lowered is an error).

What reaches wasmtime is made from the real object, never from what the
object says of itself: class checks use ``type(v)`` (an object can claim any
``__class__``, and ``isinstance`` believes it); a subclass of ``int``,
``float`` or ``str`` is converted by the base type's own method
(``int.__int__``, ...), which its overrides cannot change; a ``bytes``-like
argument is read through the buffer protocol, whose length is the memory's;
and a sequence that is not an exact ``list`` or ``tuple`` is read once into a
list (``snapshot``), whose length is what it iterated, so ``__len__`` decides
no allocation and both paths send the same elements.
"""

from __future__ import annotations

import collections.abc
import functools
import keyword
import math
import struct
import sys
from array import array
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import capi
from ._compat import assert_never
from .capi import (
    EMPTY_ADDR,
    ENTRY_SIZE,
    ENTRY_VAL,
    KIND,
    MEM,
    NAME_SIZE,
    VAL_OF,
    VAL_SIZE,
    bytes_addr,
)
from .errors import ResourceError
from .resources import GuestResource
from .source import compile_source
from .types import (
    INT_RANGES,
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
    wit_name_of,
)
from .values import Err, Ok, Some

if TYPE_CHECKING:
    from .instances import InstanceState

__all__ = [
    "Lowerer",
    "compile_lower",
    "validate",
    "OutOfRangeError",
    "BufferFormatError",
    "PostCall",
    "SCALAR_FMT",
    "scalar_slot",
]

#: ``(value, addr, keep)``: write the val_t of ``value`` at absolute address ``addr``.
Lowerer = Callable[[Any, int, list[Any]], None]


class OutOfRangeError(OverflowError, ValueError):
    """An integer outside its WIT type's range (both an OverflowError and a ValueError)."""


class PostCall:
    """An action tied to one call: ``after()`` once wasm ran, ``abort()`` if it never will."""

    __slots__ = ("after", "abort")

    def __init__(self, after: Callable[[], None], abort: Callable[[], None]) -> None:
        self.after = after
        self.abort = abort


#: struct format of each scalar's payload.
SCALAR_FMT = {
    "bool": "?",
    "s8": "b",
    "u8": "B",
    "s16": "h",
    "u16": "H",
    "s32": "i",
    "u32": "I",
    "s64": "q",
    "u64": "Q",
    "f32": "f",
    "f64": "d",
    "char": "I",
}
#: array typecodes for bulk lists of scalars (same widths as SCALAR_FMT).
ARRAY_CODE = {
    "s8": "b",
    "u8": "B",
    "s16": "h",
    "u16": "H",
    "s32": "i",
    "u32": "I",
    "s64": "q",
    "u64": "Q",
    "f32": "f",
    "f64": "d",
}


def coerce_int(v: Any) -> int:
    """An ``int`` subclass other than ``bool`` is accepted as its int value."""
    t = type(v)
    if issubclass(t, int) and not issubclass(t, bool):
        return int.__int__(v)
    raise TypeError("expected int")


def coerce_float(v: Any) -> float:
    t = type(v)
    if issubclass(t, float):
        return float.__float__(v)
    if issubclass(t, int) and not issubclass(t, bool):
        return int.__float__(v)
    raise TypeError("expected float")


def char_code(v: Any) -> int:
    if type(v) is not str:
        v = coerce_str(v)
    c = ord(v)
    if 0xD800 <= c <= 0xDFFF:
        raise ValueError("surrogate")
    return c


def f32_bits_safe(v: float) -> float:
    """struct's 'f' refuses finite doubles beyond f32's range; the ABI rounds them to inf."""
    if math.isfinite(v) and abs(v) > 3.4028235677973366e38:
        return math.copysign(math.inf, v)
    return v


def coerce_str(v: Any) -> str:
    """A ``str`` subclass as an exact ``str`` (``str.__str__`` copies the data; ``str(v)``
    could return the subclass, whose ``encode`` might not give the bytes of its text)."""
    if issubclass(type(v), str):
        return str.__str__(v)
    raise TypeError("expected str")


def _is_sequence(v: Any) -> bool:
    t = type(v)
    return issubclass(t, collections.abc.Sequence) and not issubclass(t, (str, bytes, bytearray))


def snapshot(v: Any) -> list[Any]:
    """A sequence other than an exact list or tuple, read once into a list."""
    if not _is_sequence(v):
        raise TypeError
    return list(v)


def byte_view(v: Any) -> Any:
    """The bytes of a ``list<u8>`` argument, as an object whose length is its memory's
    (subclasses cannot lie about it): ``bytes``/``bytearray`` (or a subclass), a
    ``memoryview`` (its raw bytes, whatever its format, as always), or any other
    buffer of 1-byte unsigned items (``array('B')``, a numpy ``uint8`` array)."""
    t = type(v)
    if t is bytes or t is bytearray:
        return v
    if issubclass(t, (bytes, bytearray)):
        return memoryview(v).cast("B")
    if issubclass(t, memoryview):
        if v.c_contiguous:
            return v.cast("B") if v.format != "B" or v.ndim != 1 else v
        return v.tobytes()
    m = numeric_buffer(v, "u8")
    if m is None:
        raise TypeError
    return m


# --- numeric lists from buffers ------------------------------------------------------
#
# A ``list<T>`` of a numeric T takes any object with the buffer protocol whose
# items are T's: same kind (signed, unsigned, float) and the same item size,
# in the host's byte order. The format letter alone does not decide it: the
# C type names differ by platform ('l' is 8 bytes on Linux, 4 on Windows;
# numpy says 'l' for int64 where array says 'q'), ctypes spells formats '<d',
# struct '=d'. So a format is read as an optional byte-order prefix and one
# letter, and compared by kind and ``memoryview.itemsize``. Nothing is
# converted: any other format is refused with both formats named.

#: WIT scalar -> (kind, item size) of the buffer items it takes.
_BUFFER_ITEM = {
    "u8": ("u", 1),
    "s8": ("s", 1),
    "u16": ("u", 2),
    "s16": ("s", 2),
    "u32": ("u", 4),
    "s32": ("s", 4),
    "u64": ("u", 8),
    "s64": ("s", 8),
    "f32": ("f", 4),
    "f64": ("f", 8),
}
_KIND_OF_LETTER = {
    **dict.fromkeys("bhilqn", "s"),
    **dict.fromkeys("BHILQN", "u"),
    **dict.fromkeys("efd", "f"),
}
_KIND_WORDS = {"s": "signed int", "u": "unsigned int", "f": "float"}
_LITTLE = sys.byteorder == "little"
#: Byte-order prefixes meaning the host's order ('' and '@' native, '=' native
#: order with standard sizes, '<'/'>'/'!' explicit).
_HOST_ORDER = frozenset(("", "@", "=", "<" if _LITTLE else ">", "" if _LITTLE else "!"))


class BufferFormatError(TypeError):
    """A buffer argument whose items are not the list's element type."""


def describe_format(fmt: str, itemsize: int) -> str:
    """``'d' (8-byte float)``: a buffer format as users read it."""
    order, letter = (fmt[:1], fmt[1:]) if fmt[:1] in "@=<>!" else ("", fmt)
    kind = _KIND_OF_LETTER.get(letter) if len(letter) == 1 else None
    if kind is None:
        return f"{fmt!r} ({itemsize}-byte items, not a number format)"
    if order and order not in _HOST_ORDER:
        endian = "big" if _LITTLE else "little"
        return f"{fmt!r} ({itemsize}-byte {_KIND_WORDS[kind]}, {endian}-endian)"
    return f"{fmt!r} ({itemsize}-byte {_KIND_WORDS[kind]})"


def buffer_mismatch(m: memoryview, name: str) -> str | None:
    """Why the buffer ``m`` cannot be a ``list<name>`` (None if it can)."""
    kind, size = _BUFFER_ITEM[name]
    code = ARRAY_CODE[name]
    fmt = m.format
    order, letter = (fmt[:1], fmt[1:]) if fmt[:1] in "@=<>!" else ("", fmt)
    if _KIND_OF_LETTER.get(letter) != kind or m.itemsize != size or order not in _HOST_ORDER:
        want = f"{code!r} ({size}-byte {_KIND_WORDS[kind]})"
        return (
            f"list<{name}> takes buffers of format {want}, got a buffer of format "
            f"{describe_format(fmt, m.itemsize)}; convert it first (array({code!r}, ...), "
            "numpy's .astype(...))"
        )
    if m.ndim != 1:
        return (
            f"list<{name}> takes 1-dimensional buffers, got {m.ndim} dimensions "
            f"(shape {m.shape}); flatten it first (numpy's .ravel())"
        )
    return None


def numeric_buffer(v: Any, name: str) -> memoryview | None:
    """The items of a buffer argument for ``list<name>``, as a 1-D memoryview of
    format ``ARRAY_CODE[name]`` (the buffer's own memory when it is contiguous,
    a copy of its items when it is strided); None when ``v`` has no buffer
    protocol; ``BufferFormatError`` when its items are not ``name``'s.

    The length is the buffer protocol's (the memory's), never ``__len__``; the
    exporter cannot resize its memory while the view exists, and the caller
    copies the items before it returns."""
    try:
        m = memoryview(v)
    except TypeError:
        return None
    why = buffer_mismatch(m, name)
    if why is not None:
        m.release()  # the traceback must not keep the exporter locked
        raise BufferFormatError(why)
    code: Any = ARRAY_CODE[name]  # (typeshed's cast overloads want a literal)
    if m.format == code:
        return m if m.c_contiguous else memoryview(m.tobytes()).cast(code)
    # Same items, another spelling ('<d', 'l' for 'q'): memoryview copies only
    # between identical format strings, so view the same bytes as `code`.
    return (m if m.c_contiguous else memoryview(m.tobytes())).cast("B").cast(code)


def _changed_size() -> None:
    raise ValueError("sequence changed size while it was being lowered")


#: Names every generated plan (here and in funcs.py) may use.
PLAN_GLOBALS: dict[str, Any] = {
    "_MEM": MEM,
    "_int": coerce_int,
    "_float": coerce_float,
    "_char": char_code,
    "_str": coerce_str,
    "_f32": f32_bits_safe,
    "_baddr": bytes_addr,
    "TypeError": TypeError,
    "type": type,
    "int": int,
    "float": float,
    "str": str,
    "bool": bool,
}


def scalar_slot(name: str, var: str, keep: str | None) -> tuple[list[str], str, list[str]]:
    """Plan source for one scalar val_t: the lines that check ``var`` (coercing it
    in place), the struct format from the kind byte to the end of the payload,
    and the pack arguments. A string's UTF-8 bytes are kept alive by the list
    named ``keep``, or by the frame (``keep=None``: the plan's own locals)."""
    kind = str(KIND[name])
    if name == "string":
        b = f"{var}_b"
        lines = [f"if type({var}) is not str: {var} = _str({var})", f"{b} = {var}.encode()"]
        if keep is not None:
            lines.append(f"{keep}.append({b})")
        return lines, f"B{VAL_OF - 1}xQQ", [kind, f"len({b})", f"_baddr({b})"]
    fmt = f"B{VAL_OF - 1}x{SCALAR_FMT[name]}"
    if name == "bool":
        return [f"if type({var}) is not bool: raise TypeError"], fmt, [kind, var]
    if name in INT_RANGES:
        return [f"if type({var}) is not int: {var} = _int({var})"], fmt, [kind, var]
    if name == "f64":
        return [f"if type({var}) is not float: {var} = _float({var})"], fmt, [kind, var]
    if name == "f32":
        check = f"if type({var}) is not float: {var} = _float({var})"
        return [check], fmt, [kind, f"_f32({var})"]
    assert name == "char"
    return [], fmt, [kind, f"_char({var})"]


def compile_lower(t: TypeDesc, state: InstanceState) -> Lowerer:
    """The fast lowerer of ``t`` for one instance (resources need its tables)."""
    match t:
        case Prim():
            return _lower_prim(t)
        case List():
            return _lower_list(t, state)
        case Tuple():
            return _lower_tuple(t, state)
        case Option():
            return _lower_option(t, state)
        case Result():
            return _lower_result(t, state)
        case Record():
            return _lower_record(t, state)
        case Variant():
            return _lower_variant(t, state)
        case Enum():
            return _lower_enum(t)
        case Flags():
            return _lower_flags(t)
        case Own() | Borrow():
            return _lower_resource(t, state)
        case _:
            assert_never(t)


@functools.cache  # stateless: one per primitive type, shared by every instance
def _lower_prim(t: Prim) -> Lowerer:
    kind = KIND[t.name]
    name = t.name
    if name == "string":
        pk_s = capi.val_struct("QQ").pack_into

        def low_string(v: Any, addr: int, keep: list[Any]) -> None:
            if type(v) is not str:
                v = coerce_str(v)
            b = v.encode()
            keep.append(b)
            pk_s(MEM, addr, kind, len(b), bytes_addr(b))

        return low_string
    pk = capi.val_struct(SCALAR_FMT[name]).pack_into
    if name == "bool":

        def low_bool(v: Any, addr: int, keep: list[Any]) -> None:
            if type(v) is not bool:
                raise TypeError
            pk(MEM, addr, kind, v)

        return low_bool
    if name in INT_RANGES:

        def low_int(v: Any, addr: int, keep: list[Any]) -> None:
            if type(v) is not int:
                v = coerce_int(v)
            pk(MEM, addr, kind, v)

        return low_int
    if name == "f64":

        def low_f64(v: Any, addr: int, keep: list[Any]) -> None:
            if type(v) is not float:
                v = coerce_float(v)
            pk(MEM, addr, kind, v)

        return low_f64
    if name == "f32":

        def low_f32(v: Any, addr: int, keep: list[Any]) -> None:
            if type(v) is not float:
                v = coerce_float(v)
            pk(MEM, addr, kind, f32_bits_safe(v))

        return low_f32
    assert name == "char"

    def low_char(v: Any, addr: int, keep: list[Any]) -> None:
        pk(MEM, addr, kind, char_code(v))

    return low_char


_PK_VEC = capi.val_struct("QQ").pack_into


def _lower_list(t: List, state: InstanceState) -> Lowerer:
    kind = KIND["list"]
    elem = t.elem
    alloc = state.arena.alloc
    if isinstance(elem, Prim) and elem.name == "u8":
        ekind = bytes((KIND["u8"],))

        def low_bytes(v: Any, addr: int, keep: list[Any]) -> None:
            if type(v) is not bytes:
                v = byte_view(v)
            n = len(v)
            if n == 0:
                _PK_VEC(MEM, addr, kind, 0, EMPTY_ADDR)
                return
            a = alloc(n * VAL_SIZE, keep)
            end = a + n * VAL_SIZE
            MEM[a:end:VAL_SIZE] = ekind * n
            MEM[a + VAL_OF : end : VAL_SIZE] = v
            _PK_VEC(MEM, addr, kind, n, a)

        return low_bytes
    if isinstance(elem, Prim) and elem.name in ARRAY_CODE:
        return _lower_scalar_list(elem.name, state)
    el = compile_lower(elem, state)

    def low_list(v: Any, addr: int, keep: list[Any]) -> None:
        if type(v) is not list and type(v) is not tuple:
            v = snapshot(v)
        n = len(v)
        if n == 0:
            _PK_VEC(MEM, addr, kind, 0, EMPTY_ADDR)
            return
        a = alloc(n * VAL_SIZE, keep)
        last = a + (n - 1) * VAL_SIZE
        o = a - VAL_SIZE
        for o, e in zip(range(a, last + 1, VAL_SIZE), v):
            el(e, o, keep)
        if o != last or len(v) != n:
            _changed_size()
        _PK_VEC(MEM, addr, kind, n, a)

    return low_list


def _lower_scalar_list(name: str, state: InstanceState) -> Lowerer:
    """Bulk path: one ``array`` conversion and one strided copy for the whole list."""
    kind = KIND["list"]
    ekind = bytes((KIND[name],))
    code = ARRAY_CODE[name]
    width = struct.calcsize(code)
    start, step = VAL_OF // width, VAL_SIZE // width
    is_float = name in ("f32", "f64")
    allowed = frozenset((int, float)) if is_float else frozenset((int,))
    alloc = state.arena.alloc

    def low_scalars(v: Any, addr: int, keep: list[Any]) -> None:
        if type(v) is not list and type(v) is not tuple:
            vals: Any = numeric_buffer(v, name)  # the items as they are, no conversion
            if vals is None:
                v = snapshot(v)
        else:
            vals = None
        if vals is None:
            if not allowed.issuperset(map(type, v)):
                # int/float subclasses (validate accepts them) as exact values; others raise
                v = [coerce_float(x) for x in v] if is_float else [coerce_int(x) for x in v]
            vals = array(code, v)  # range-checks integers, rounds f32
        n = len(vals)
        if n == 0:
            _PK_VEC(MEM, addr, kind, 0, EMPTY_ADDR)
            return
        a = alloc(n * VAL_SIZE, keep)
        end = a + n * VAL_SIZE
        MEM[a:end:VAL_SIZE] = ekind * n
        MEM[a:end].cast(code)[start::step] = vals
        _PK_VEC(MEM, addr, kind, n, a)

    return low_scalars


def _lower_tuple(t: Tuple, state: InstanceState) -> Lowerer:
    kind = KIND["tuple"]
    els = tuple(compile_lower(e, state) for e in t.elems)
    n = len(els)
    size = n * VAL_SIZE
    offs = tuple(zip(els, range(0, size, VAL_SIZE)))
    alloc = state.arena.alloc

    def low_tuple(v: Any, addr: int, keep: list[Any]) -> None:
        if type(v) is not tuple:
            if not issubclass(type(v), tuple):
                raise TypeError
            v = tuple.__iter__(v)  # a subclass's own __iter__ must not decide what is written
            v = tuple(v)
        if len(v) != n:
            raise TypeError
        if n == 0:
            _PK_VEC(MEM, addr, kind, 0, EMPTY_ADDR)
            return
        a = alloc(size, keep)
        for (el, o), e in zip(offs, v):
            el(e, a + o, keep)
        _PK_VEC(MEM, addr, kind, n, a)

    return low_tuple


_PK_PTR = capi.val_struct("Q").pack_into


def _lower_option(t: Option, state: InstanceState) -> Lowerer:
    kind = KIND["option"]
    inner = compile_lower(t.inner, state)
    wrapped = isinstance(t.inner, Option)
    alloc = state.arena.alloc

    def low_option(v: Any, addr: int, keep: list[Any]) -> None:
        if v is None:
            _PK_PTR(MEM, addr, kind, 0)
            return
        if wrapped:
            if type(v) is not Some:
                raise TypeError
            v = v.value
        child = alloc(VAL_SIZE, keep)
        inner(v, child, keep)
        _PK_PTR(MEM, addr, kind, child)

    return low_option


_PK_RESULT = capi.val_struct(f"?{capi.RESULT_VAL - VAL_OF - 1}xQ").pack_into


def _lower_result(t: Result, state: InstanceState) -> Lowerer:
    kind = KIND["result"]
    ok = compile_lower(t.ok, state) if t.ok is not None else None
    err = compile_lower(t.err, state) if t.err is not None else None
    alloc = state.arena.alloc

    def low_result(v: Any, addr: int, keep: list[Any]) -> None:
        cls = type(v)
        if cls is Ok:
            is_ok, low = True, ok
        elif cls is Err:
            is_ok, low = False, err
        else:
            raise TypeError
        if low is None:
            if v.value is not None:
                raise TypeError
            _PK_RESULT(MEM, addr, kind, is_ok, 0)
            return
        child = alloc(VAL_SIZE, keep)
        low(v.value, child, keep)
        _PK_RESULT(MEM, addr, kind, is_ok, child)

    return low_result


def _attr_expr(obj: str, attr: str) -> str:
    if attr.isidentifier() and not keyword.iskeyword(attr):
        return f"{obj}.{attr}"
    return f"getattr({obj}, {attr!r})"


def _lower_record(t: Record, state: InstanceState) -> Lowerer:
    """Compiled to source: one pack of every field name and scalar field, then the others.

    The source depends only on the descriptor: it is compiled once (a factory
    taking the instance's arena and the field lowerers) and bound per instance."""
    n = len(t.fields)
    if n == 0:
        kind = KIND["record"]
        cls = t.cls

        def low_empty(v: Any, addr: int, keep: list[Any]) -> None:
            if type(v) is not cls and not issubclass(type(v), cls):
                raise TypeError
            _PK_VEC(MEM, addr, kind, 0, EMPTY_ADDR)

        return low_empty
    factory, others = _record_factory(t)
    return factory(state.arena.alloc, *(compile_lower(t.fields[i][2], state) for i in others))


#: id(Record descriptor) -> (descriptor, factory, indexes of the non-scalar fields).
_RECORD_FACTORIES: dict[int, tuple[Record, Callable[..., Lowerer], tuple[int, ...]]] = {}


def _record_factory(t: Record) -> tuple[Callable[..., Lowerer], tuple[int, ...]]:
    cached = _RECORD_FACTORIES.get(id(t))
    if cached is not None and cached[0] is t:
        return cached[1], cached[2]
    n = len(t.fields)
    names = [f.encode() for f, _, _ in t.fields]
    ns: dict[str, Any] = dict(PLAN_GLOBALS)
    ns.update(_cls=t.cls, _pkv=_PK_VEC, _names=names, _issub=issubclass)
    body = ["if type(v) is not _cls and not _issub(type(v), _cls): raise TypeError"]
    fmt = "<"
    args: list[str] = []
    others: list[str] = []
    other_idx: list[int] = []
    for i, ((_, attr, ft), nb) in enumerate(zip(t.fields, names)):
        var = f"f{i}"
        fmt += "QQ"
        args += [str(len(nb)), str(bytes_addr(nb))]
        if isinstance(ft, Prim):
            body.append(f"{var} = {_attr_expr('v', attr)}")
            lines, sfmt, sargs = scalar_slot(ft.name, var, "keep")
            body += lines
            fmt += sfmt
            fmt += f"{VAL_SIZE - struct.calcsize('<' + sfmt)}x"
            args += sargs
        else:
            fmt += f"{VAL_SIZE}x"
            other_idx.append(i)
            others.append(
                f"_low{i}({_attr_expr('v', attr)}, e + {i * ENTRY_SIZE + ENTRY_VAL}, keep)"
            )
    assert struct.calcsize(fmt) == n * ENTRY_SIZE
    ns["_pk"] = struct.Struct(fmt).pack_into
    body.append(f"e = _alloc({n * ENTRY_SIZE}, keep)")
    body.append(f"_pk(_MEM, e, {', '.join(args)})")
    body += others
    body.append(f"_pkv(_MEM, addr, {KIND['record']}, {n}, e)")
    params = ", ".join(["_alloc", *(f"_low{i}" for i in other_idx)])
    src = (
        f"def bind_record({params}):\n"
        "    def low_record(v, addr, keep):\n"
        + "".join(f"        {line}\n" for line in body)
        + "    return low_record\n"
    )
    exec(compile_source(src, f"<wbindgen lower record {t.wit_name}>"), ns)
    factory: Callable[..., Lowerer] = ns["bind_record"]
    _RECORD_FACTORIES[id(t)] = (t, factory, tuple(other_idx))
    return factory, tuple(other_idx)


_PK_VARIANT = capi.val_struct("QQQ").pack_into


def _lower_variant(t: Variant, state: InstanceState) -> Lowerer:
    kind = KIND["variant"]
    names = [c.encode() for c, _, _ in t.cases]
    cases: dict[type, tuple[int, int, Lowerer | None]] = {}
    for nb, (_, ct, ccls) in zip(names, t.cases):
        cases[ccls] = (
            len(nb),
            bytes_addr(nb),
            compile_lower(ct, state) if ct is not None else None,
        )
    alloc = state.arena.alloc

    def low_variant(v: Any, addr: int, keep: list[Any]) -> None:
        case = cases.get(type(v))
        if case is None:
            case = _subclass_case(cases, v)
        nlen, naddr, low = case
        if low is None:
            _PK_VARIANT(MEM, addr, kind, nlen, naddr, 0)
            return
        child = alloc(VAL_SIZE, keep)
        low(v.value, child, keep)
        _PK_VARIANT(MEM, addr, kind, nlen, naddr, child)

    low_variant.names = names  # type: ignore[attr-defined]
    return low_variant


def _subclass_case(cases: dict[type, Any], v: Any) -> Any:
    """The case of an instance of a subclass of a case class (what mypy accepts)."""
    for base in type(v).__mro__[1:]:
        case = cases.get(base)
        if case is not None:
            return case
    raise TypeError


def _lower_enum(t: Enum) -> Lowerer:
    kind = KIND["enum"]
    names = [m.encode() for m in t.members]
    members = list(t.cls)
    if len(members) != len(names):
        raise ValueError(
            f"enum class {t.cls.__name__} has {len(members)} members, "
            f"WIT {t.wit_name} has {len(names)}"
        )
    # By identity: a member is never "equal" to an impostor with a generous __eq__.
    table = {id(m): (len(nb), bytes_addr(nb)) for m, nb in zip(members, names)}
    keep_members = members  # the ids above stay valid while the members live
    cls = t.cls

    def low_enum(v: Any, addr: int, keep: list[Any]) -> None:
        if type(v) is not cls:
            raise TypeError
        nlen, naddr = table[id(v)]
        assert keep_members
        _PK_VEC(MEM, addr, kind, nlen, naddr)

    low_enum.names = names  # type: ignore[attr-defined]
    return low_enum


def _lower_flags(t: Flags) -> Lowerer:
    kind = KIND["flags"]
    cls = t.cls
    names = [m.encode() for m in t.members]
    entries = [struct.pack("<QQ", len(nb), bytes_addr(nb)) for nb in names]
    n = len(names)

    def low_flags(v: Any, addr: int, keep: list[Any]) -> None:
        if type(v) is not cls:
            raise TypeError
        bits = int.__int__(v.value)
        if bits >> n:
            raise ValueError
        if not bits:
            _PK_VEC(MEM, addr, kind, 0, EMPTY_ADDR)
            return
        data = b"".join([e for i, e in enumerate(entries) if bits >> i & 1])
        keep.append(data)
        _PK_VEC(MEM, addr, kind, len(data) // NAME_SIZE, bytes_addr(data))

    low_flags.names = names  # type: ignore[attr-defined]
    return low_flags


_U_PTR = struct.Struct("<Q").unpack_from


def _lower_resource(t: Own | Borrow, state: InstanceState) -> Lowerer:
    kind = KIND["resource"]
    res = t.resource
    own = isinstance(t, Own)
    if isinstance(res, ExportedResource):
        cls = res.cls_for(state.asynchronous)

        def low_guest(v: Any, addr: int, keep: list[Any]) -> None:
            if not issubclass(type(v), cls) or not issubclass(type(v), GuestResource):
                raise TypeError
            handle = v._live_handle()
            if v._state is not state:
                raise ResourceError(f"{cls.__name__} resource belongs to another instance")
            if own:
                # Moving: any other use in this call (borrow or own) is refused.
                if v in keep:
                    raise ResourceError(v._not_live_in_call())
                v._move()
                keep.append(PostCall(v._given_to_guest, v._unmove))
            else:
                keep.append(v)  # lets a later own of the same wrapper see the borrow
            _PK_PTR(MEM, addr, kind, handle)

        return low_guest
    table = state.table(res)
    out = state.out_slot

    def low_host(v: Any, addr: int, keep: list[Any]) -> None:
        if v is None:
            raise TypeError
        rep = None if own else table.rep_of(v)
        temporary = rep is None and not own  # a borrow lends an object wasm holds no handle to
        if rep is None:
            rep = table.insert(v)
        host = capi.resource_host_new(own, rep, table.type_id)
        err = capi.resource_host_to_any(state.ctx, host, out)
        capi.resource_host_delete(host)
        if err:
            table.remove(rep)
            state.fail(err)
        handle = _U_PTR(MEM, out)[0]

        def after() -> None:
            capi.resource_any_delete(handle)
            if temporary:
                table.remove(rep)

        def abort() -> None:
            capi.resource_any_delete(handle)
            if own or temporary:
                table.remove(rep)

        keep.append(PostCall(after, abort))
        _PK_PTR(MEM, addr, kind, handle)

    return low_host


def abort_post_items(keep: list[Any]) -> None:
    """Undo the side effects of a lowering that will not be followed by a call."""
    for item in keep:
        if item.__class__ is PostCall:
            item.abort()


# --- validation with paths ---------------------------------------------------------


def _tname(v: Any) -> str:
    return type(v).__qualname__


def _is(v: Any, cls: type | tuple[type, ...]) -> bool:
    """``isinstance`` by the real type (an object's ``__class__`` may lie)."""
    return issubclass(type(v), cls)


def validate(t: TypeDesc, v: Any, path: str) -> None:
    """Raise the TypeError/ValueError/OverflowError that names ``path`` if ``v`` is not a ``t``.

    Sequences other than exact lists and tuples are read once here too, so a
    sequence whose second reading differs from its first cannot pass."""
    match t:
        case Prim():
            _validate_prim(t.name, v, path)
        case List():
            if isinstance(t.elem, Prim) and t.elem.name == "u8":
                if _is(v, (bytes, bytearray, memoryview)):
                    return
                _validate_buffer(v, "u8", path, "expected bytes, bytearray or memoryview")
                return
            elem = t.elem
            if isinstance(elem, Prim) and elem.name in ARRAY_CODE:
                if type(v) is not list and type(v) is not tuple:  # as the lowerer decides
                    if _validate_buffer(v, elem.name, path, None):
                        return
            if not _is_sequence(v):
                raise TypeError(
                    f"{path}: expected a sequence (list<{wit_name_of(t.elem)}>), got {_tname(v)}"
                )
            items = v if type(v) is list or type(v) is tuple else list(v)
            for i, e in enumerate(items):
                validate(t.elem, e, f"{path}[{i}]")
        case Tuple():
            if not _is(v, tuple):
                raise TypeError(f"{path}: expected tuple, got {_tname(v)}")
            items = tuple(tuple.__iter__(v))
            if len(items) != len(t.elems):
                raise ValueError(
                    f"{path}: expected a tuple of {len(t.elems)} items, got {len(items)}"
                )
            for i, (et, e) in enumerate(zip(t.elems, items)):
                validate(et, e, f"{path}[{i}]")
        case Option():
            if v is None:
                return
            if isinstance(t.inner, Option):
                if type(v) is not Some:
                    raise TypeError(
                        f"{path}: expected Some(...) or None for {wit_name_of(t)}, got {_tname(v)}"
                    )
                validate(t.inner, v.value, f"{path}.value")
            else:
                validate(t.inner, v, path)
        case Result():
            if type(v) is Ok:
                case_t, label = t.ok, "Ok"
            elif type(v) is Err:
                case_t, label = t.err, "Err"
            else:
                raise TypeError(f"{path}: expected Ok(...) or Err(...), got {_tname(v)}")
            if case_t is None:
                if v.value is not None:
                    raise ValueError(
                        f"{path}: {label} of {wit_name_of(t)} carries no value, "
                        f"expected {label}(None)"
                    )
            else:
                validate(case_t, v.value, f"{path}.value")
        case Record():
            if not _is(v, t.cls):
                raise TypeError(f"{path}: expected {t.cls.__qualname__}, got {_tname(v)}")
            for _, attr, ft in t.fields:
                try:
                    fv = getattr(v, attr)
                except AttributeError:
                    raise TypeError(f"{path}.{attr}: missing field") from None
                validate(ft, fv, f"{path}.{attr}")
        case Variant():
            for _, ct, ccls in t.cases:
                if _is(v, ccls):
                    if ct is not None:
                        validate(ct, getattr(v, "value", None), f"{path}.value")
                    return
            expected = ", ".join(c.__qualname__ for _, _, c in t.cases)
            raise TypeError(f"{path}: expected one of {expected}, got {_tname(v)}")
        case Enum():
            members: list[Any] = list(t.cls)
            if type(v) is not t.cls:
                raise TypeError(f"{path}: expected {t.cls.__qualname__}, got {_tname(v)}")
            if not any(v is m for m in members[: len(t.members)]):
                raise ValueError(f"{path}: {v!r} is not a member of WIT enum {t.wit_name}")
        case Flags():
            if type(v) is not t.cls:
                raise TypeError(f"{path}: expected {t.cls.__qualname__}, got {_tname(v)}")
            if int.__int__(v.value) >> len(t.members):
                raise ValueError(
                    f"{path}: {v!r} sets bits that WIT flags {t.wit_name} does not have"
                )
        case Own() | Borrow():
            res = t.resource
            if isinstance(res, ExportedResource):
                if not (_is(v, res.cls) or (res.async_cls is not None and _is(v, res.async_cls))):
                    raise TypeError(f"{path}: expected {res.cls.__qualname__}, got {_tname(v)}")
                if _is(v, GuestResource) and v.dropped:
                    raise ResourceError(f"{path}: {v._not_live()}")
            else:
                assert isinstance(res, ImportedResource)
                if v is None:
                    raise TypeError(f"{path}: expected a {res.wit_name} resource object, got None")
        case _:
            assert_never(t)


def _validate_buffer(v: Any, name: str, path: str, otherwise: str | None) -> bool:
    """True if ``v`` is a buffer ``list<name>`` takes; raises if it is a buffer
    of other items; False (or ``otherwise`` raised) if it has no buffer protocol."""
    try:
        m = memoryview(v)
    except TypeError:
        if otherwise is not None:
            raise TypeError(f"{path}: {otherwise}, got {_tname(v)}") from None
        return False
    why = buffer_mismatch(m, name)
    m.release()
    if why is not None:
        raise BufferFormatError(f"{path}: {why}")
    return True


def _validate_prim(name: str, v: Any, path: str) -> None:
    if name == "bool":
        if type(v) is not bool:
            raise TypeError(f"{path}: expected bool, got {_tname(v)}")
    elif name in INT_RANGES:
        if not _is(v, int) or _is(v, bool):
            raise TypeError(f"{path}: expected int ({name}), got {_tname(v)}")
        n = int.__int__(v)
        lo, hi = INT_RANGES[name]
        if not lo <= n <= hi:
            raise OutOfRangeError(f"{path}: {n} is out of range for {name} [{lo}, {hi}]")
    elif name in ("f32", "f64"):
        if not _is(v, (int, float)) or _is(v, bool):
            raise TypeError(f"{path}: expected float or int ({name}), got {_tname(v)}")
        if _is(v, int):
            try:
                int.__float__(v)
            except OverflowError:
                raise OutOfRangeError(f"{path}: {v} is too large for {name}") from None
    elif name == "char":
        if not _is(v, str):
            raise TypeError(f"{path}: expected str of length 1 (char), got {_tname(v)}")
        text = str.__str__(v)
        if len(text) != 1:
            raise ValueError(
                f"{path}: expected a single character (char), got a str of length {len(text)}"
            )
        if 0xD800 <= ord(text) <= 0xDFFF:
            raise ValueError(f"{path}: surrogate code point U+{ord(text):04X} is not a valid char")
    elif name == "string":
        if not _is(v, str):
            raise TypeError(f"{path}: expected str, got {_tname(v)}")
        text = str.__str__(v)
        try:
            text.encode()
        except UnicodeEncodeError as e:
            raise ValueError(
                f"{path}: lone surrogate U+{ord(text[e.start]):04X} at index {e.start} "
                "cannot be encoded as a WIT string"
            ) from None
    else:  # pragma: no cover
        raise AssertionError(name)
