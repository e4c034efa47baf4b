"""Scratch memory for the ``val_t`` trees the runtime hands to wasmtime.

Lowering a value writes a tree of ``val_t`` nodes: an ``option`` points at its
payload, a ``record`` at its entries, a ``list`` at its elements. Allocating a
ctypes buffer per node costs more than the rest of a small call, so each
instance owns one ``Arena``: a bump allocator over a ctypes block that every
*write phase* reuses.

A write phase is the lowering of an export call's arguments or of a host
import's result. It starts with ``reset()``, allocates with ``alloc()`` and
ends when wasmtime has read the tree: ``wasmtime_component_func_call`` converts
every argument before any guest code runs, and a host import's result is
deep-copied (``wasmtime_component_val_clone``) before the callback returns.
Write phases of one instance therefore never overlap, even when a host import
calls back into wasm, and a later phase may overwrite an earlier one's nodes.
(Lowering never calls into wasm: it runs no user code other than reading the
argument objects, so an argument whose ``__iter__`` called this instance would
be unsupported, as it is with one store on two threads.)

Each instance has its own arena, so separate stores on separate threads never
share one. A phase that outgrows the block moves to a block twice as large;
the old block joins the call's ``keep`` list so the nodes already written stay
valid until the call returns. Blocks up to ``RETAIN_MAX`` (1 MiB) are kept for
the next calls; a phase needing more (a 1 MiB ``list<u8>`` needs 32 MiB of
nodes) borrows a large block for the call, so an instance holds at most 1 MiB
between calls, however large its past arguments were: many instances that
each passed a large list once do not add up. Faulting a fresh 32 MiB block in
costs a third of such a call, so the large block is not freed with the call
but returned to its thread's spare slot, one per thread (up to
``SPARE_MAX``), which the next large phase on that thread borrows again.
"""

from __future__ import annotations

import ctypes
import threading
from typing import Any

__all__ = ["Arena", "INITIAL_SIZE", "RETAIN_MAX", "SPARE_MAX"]

INITIAL_SIZE = 4096
RETAIN_MAX = 1 << 20
SPARE_MAX = 64 << 20

_spare = threading.local()


class _Lent:
    """A large block lent to one call: its thread's spare slot gets it back when
    the call's ``keep`` list goes away."""

    __slots__ = ("block",)

    def __init__(self, block: Any) -> None:
        self.block = block

    def __del__(self) -> None:
        block = self.block
        if ctypes.sizeof(block) <= SPARE_MAX:
            current = getattr(_spare, "block", None)
            if current is None or ctypes.sizeof(current) < ctypes.sizeof(block):
                _spare.block = block


def _borrow(n: int) -> Any:
    """A block of at least ``n`` bytes: the thread's spare if large enough."""
    block = getattr(_spare, "block", None)
    if block is not None and ctypes.sizeof(block) >= n:
        _spare.block = None
        return block
    return ctypes.create_string_buffer(n)


class Arena:
    """A bump allocator over a reusable ctypes block (addresses are absolute)."""

    __slots__ = ("_block", "base", "top", "end")

    def __init__(self, size: int = INITIAL_SIZE) -> None:
        self._install(size)

    def _install(self, size: int) -> None:
        self._block = ctypes.create_string_buffer(size)
        self.base = self.top = ctypes.addressof(self._block)
        self.end = self.base + size

    @property
    def size(self) -> int:
        return self.end - self.base

    def reset(self) -> None:
        """Start a write phase (generated plans inline this as ``top = base``)."""
        self.top = self.base

    def alloc(self, n: int, keep: list[Any]) -> int:
        """The address of ``n`` bytes (a multiple of 8) valid until the call returns."""
        a = self.top
        t = a + n
        if t > self.end:
            return self._grow(n, keep)
        self.top = t
        return a

    def _grow(self, n: int, keep: list[Any]) -> int:
        want = self.end - self.base
        need = self.top - self.base + n
        while want < need:
            want *= 2
        if want > RETAIN_MAX:
            block = _borrow(n)
            keep.append(_Lent(block))
            return ctypes.addressof(block)
        keep.append(self._block)
        self._install(want)
        self.top = self.base + n
        return self.base
