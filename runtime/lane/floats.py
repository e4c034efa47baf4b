"""``list<f64>`` parameters cross the lane as a pickle (protocol 2) of a list of floats.

Why pickle: a lane list must be checked (the contract takes ``float`` or
``int``, and the plain path refuses ``bool``, ``Decimal`` and the like) and
packed. ``set(map(type, v))`` plus ``array('d', v)`` is two passes of about
10 ns per element; CPython's C pickler does both in one pass of about 7 ns.
It writes an exact ``float`` as ``G`` and its 8 bytes big-endian and any other
object with another opcode, so a stream whose element opcodes are all ``G``
holds exact floats only. The adapter's ``unpickle_f64`` (in wasm) turns the
records back into the Canonical ABI array of little-endian doubles, in place.

``FloatPickler.dump(v)`` never runs user code: ``_NoReduce.reducer_override`` is
called for every object the pickler does not handle natively (instances of
user classes, subclasses of builtins, ``Decimal``, ...) and refuses it before
any ``__reduce__``/``__getstate__`` is looked at. Builtin containers and
atoms (``int``, ``bool``, ``None``, ``str``, ``bytes``, ``list``, ...) are
written natively, and simply fail the ``G`` check.

Stream layout (``pickle.dumps(list_of_floats, 2)``, CPython's ``batch_list_exact``):
``80 02`` ``]`` ``q 00`` then, for 0 elements ``.``; for 1 element
``G d8 a .``; for more, batches of at most 1000 elements ``( (G d8)* e``
followed by ``.``.
"""

from __future__ import annotations

import pickle
from typing import Any

from .call import element_classes

__all__ = ["FloatPickler", "is_float_pickle", "HEADER", "BATCH"]

HEADER = b"\x80\x02]q\x00"  # PROTO 2, EMPTY_LIST, BINPUT 0
BATCH = 1000  # CPython's pickle BATCHSIZE
_G = ord("G")
_G_BATCH = b"G" * BATCH
_NUM = element_classes("f64")


class _NoReduce(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        raise TypeError("not a float")


class _Sink:
    """A pickler's file: the C pickler hands its whole output (protocol 2 has no
    frames) to ``write`` in one piece, which is kept without a copy."""

    __slots__ = ("write",)

    def __init__(self, write: Any) -> None:
        self.write = write


class FloatPickler:
    """Pickles Python lists for the f64 wire. Reused call after call (creating a
    pickler costs more than pickling a short list); like the store a routed
    function belongs to, one is not for concurrent use."""

    __slots__ = ("_out", "_pickler")

    def __init__(self) -> None:
        self._out: list[bytes] = []
        self._pickler = _NoReduce(_Sink(self._out.append), 2)

    def dump(self, v: list[Any]) -> bytes:
        """Protocol-2 pickle of the list ``v`` (runs no user code; may raise on odd elements)."""
        out = self._out
        out.clear()
        self._pickler.clear_memo()
        self._pickler.dump(v)
        data = b"".join(out)
        out.clear()
        return data

    def numbers(self, v: list[Any]) -> bytes | None:
        """The float pickle of a list of exact ``float``s and ``int``s; None for anything else.

        Exact floats are pickled as they are (one C pass); a list that also
        holds ``int``s is pickled as ``list(map(float, v))``, the conversion
        ``array('d', v)`` and the plain path make (``OverflowError`` for an
        int beyond f64's range).
        """
        try:
            p: bytes | None = self.dump(v)
        except Exception:  # a refused object, or a container too deep to pickle
            p = None
        if p is not None and is_float_pickle(p, len(v)):
            return p
        if not _NUM.issuperset(map(type, v)):
            return None
        p = self.dump(list(map(float, v)))
        # Checked again so that a Python whose pickler lays lists out otherwise
        # sends every call to the plain path instead of making the adapter trap.
        return p if is_float_pickle(p, len(v)) else None


def is_float_pickle(p: bytes, n: int) -> bool:
    """True if ``p`` is the pickle of a list of exactly ``n`` exact floats."""
    h = len(HEADER)
    if n == 0:
        return p == HEADER + b"."
    if n == 1:
        return len(p) == h + 11 and p[h] == _G and p.endswith(b"a.") and p.startswith(HEADER)
    batches = -(-n // BATCH)
    if len(p) != h + 2 * batches + 9 * n + 1 or not p.startswith(HEADER) or p[-1] != 0x2E:
        return False
    off = h
    for k in (BATCH,) * (n // BATCH) + ((n % BATCH,) if n % BATCH else ()):
        end = off + 1 + 9 * k  # '(' then k records of 'G' and 8 bytes, then 'e'
        if p[off] != 0x28 or p[off + 1 : end : 9] != _G_BATCH[:k] or p[end] != 0x65:
            return False
        off = end + 1
    return True
