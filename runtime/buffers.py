"""Numeric lists as buffers: ``Buffer`` (what their arguments take), ``BufferList``
and ``Array`` (``--buffers`` results).

A ``list<T>`` argument of a numeric ``T`` takes a sequence of numbers or any
buffer of ``T``'s items (``lower.numeric_buffer``). Generated annotations say
``Sequence[float] | Buffer``; ``Buffer`` is, for type checkers,
``typing_extensions.Buffer`` (whose stubs mypy and pyright bundle for every
Python) or a numpy array: numpy's stubs declare ``ndarray.__buffer__`` only
for Python 3.12+, so before that an array is recognised by its
``__array_interface__``. At run time it is only a name for ``get_type_hints``:
``collections.abc.Buffer`` (Python 3.12+), else ``memoryview``.

Bindings generated with ``wbindgen --buffers`` describe the numeric lists of
their function signatures (``list<s8>``..``list<u64>``, ``list<f32>``,
``list<f64>``, written in the signature rather than through a named type)
with ``BufferList`` instead of ``List``: the same WIT type (every check and
every lowering treats it as a ``List``), lifted as an ``array.array`` of the
element's type code (one copy of the bytes) instead of a ``list`` of Python
numbers, annotated ``Array[float]`` (``array.array``; at run time before
Python 3.12, where ``array.array`` is not subscriptable, ``MutableSequence``).
``list<u8>`` is ``bytes`` either way. This module imports nothing beyond
``types.py`` and the standard library: generated packages import it.
"""

from __future__ import annotations

import collections.abc
import sys
from array import array
from collections.abc import MutableSequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from .types import List

__all__ = ["Array", "Buffer", "BufferList"]

if TYPE_CHECKING:
    from array import array as Array
    from typing import TypeAlias

    from typing_extensions import Buffer as _StdBuffer

    class _NumpyArray(Protocol):
        @property
        def __array_interface__(self) -> dict[str, Any]: ...

    Buffer: TypeAlias = "_StdBuffer | _NumpyArray"
else:
    Buffer = getattr(collections.abc, "Buffer", memoryview)
    # array.array is subscriptable from Python 3.12; before, get_type_hints
    # reads Array[int] as MutableSequence[int] (which an array is).
    Array = array if sys.version_info >= (3, 12) else MutableSequence


@dataclass(frozen=True, slots=True)
class BufferList(List):
    """``list<elem>`` of a numeric ``elem``, lifted as ``array.array``."""
