"""``BufferList``: a numeric ``list<T>`` whose values come back as ``array.array``.

Bindings generated with ``wbindgen --buffers`` describe the numeric lists of
their function signatures (``list<s8>``..``list<u64>``, ``list<f32>``,
``list<f64>``, outside records and variants) with ``BufferList`` instead of
``List``: the same WIT type (every check and every lowering treats it as a
``List``), but lifted as an ``array.array`` of the element's type code,
filled with one copy of the bytes, instead of a ``list`` of Python numbers.
``list<u8>`` is ``bytes`` either way. Kept apart from ``types.py`` so that
importing a generated package without ``--buffers`` loads nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass

from .types import List

__all__ = ["BufferList"]


@dataclass(frozen=True, slots=True)
class BufferList(List):
    """``list<elem>`` of a numeric ``elem``, lifted as ``array.array``."""
