"""What a ``wasmtime.Store`` holds for the bindings: its call state.

A wasmtime Store is the unit that must never run two things at once: its
instances share one stack of guest calls, and the runtime's plans write
argument trees and read results in memory wasmtime reads back. So every entry
into wasm through the bindings (an export call, a resource drop, the
reference path, instantiation) goes through one per-store slot, ``cur``:

- ``None``: idle. The entry sets ``cur`` to its instance's state and puts the
  previous value back when it leaves (``finally``), so the fast path costs
  one attribute load, one compare and two stores.
- an ``InstanceState``: a call of that instance is lowering its arguments,
  running, or lifting its result. Another entry now is refused with
  ``StoreInUseError``: it comes from a second thread (wasmtime would crash
  or panic), or from a finalizer, a signal handler or an argument's own
  method on this thread (it would overwrite the arena and result slots the
  outer call is using).
- an ``InHost``: a host function (an import implemented in Python) is running
  on thread ``thread`` inside a call of ``inst``. Entries from that thread are
  calls back into wasm, which wasmtime allows and the runtime supports: the
  outer call's arguments were consumed before the guest ran and its result
  slot is written only after the guest returns. Entries from other threads
  are refused.
- ``CLOSED``: the store was closed; every entry raises ``StoreClosedError``.

Closing a store while a call runs in it (from a host function, or from
another thread) would free it under wasmtime's feet: the runtime refuses it,
by routing the store's own destructor through ``_guarded_delete``.

The state also holds what belongs to the store rather than to one instance:
the exception a host function raised until the call that led to it re-raises
it (``pending``), the store's WASI configuration, and the host definitions
(C callbacks) instances of this store may call, which must outlive them.
Host callbacks find the state from the ``wasmtime_context_t*`` wasmtime passes
them (``by_context``).
"""

from __future__ import annotations

import sys
import threading
import weakref
from typing import Any

from . import capi
from .errors import StoreClosedError, StoreInUseError

__all__ = ["StoreState", "InHost", "CLOSED", "store_state", "by_context", "refuse_entry"]

_get_ident = threading.get_ident


class InHost:
    """``cur`` while a host function of ``inst`` runs on ``thread``."""

    __slots__ = ("thread", "inst")

    def __init__(self, thread: int, inst: Any) -> None:
        self.thread = thread
        self.inst = inst


class _Closed:
    __slots__ = ()

    def __repr__(self) -> str:
        return "CLOSED"


CLOSED: Any = _Closed()

#: ``wasmtime_context_t*`` -> the state of the live store that has it.
by_context: dict[int, StoreState] = {}
# Reentrant: a store collected while another is registered (a GC pass inside
# the locked region) closes, and forgets itself, on the same thread.
_lock = threading.RLock()


class StoreState:
    """The bindings' per-store state (see the module docstring)."""

    __slots__ = (
        "cur",
        "pending",
        "trapped",
        "ctx",
        "wasi",
        "wasi_http",
        "defs",
        "fallbacks",
        "aio",
        "_store_ref",
        "__weakref__",
    )

    def __init__(self, store: Any) -> None:
        self.cur: Any = None
        #: The exception a host function raised, until the call that led to it
        #: re-raises it (``InstanceState.fail``).
        self.pending: BaseException | None = None
        #: A call of an instance of this store trapped (wasmtime then enters
        #: none of the store's component instances again).
        self.trapped = False
        self.ctx = capi.store_context(store)
        #: The WASI configuration the bindings gave this store (``True`` for
        #: the deny-by-default one), or None before any.
        self.wasi: Any = None
        self.wasi_http = False
        #: Host definitions (C callbacks) instances of this store may call.
        self.defs: set[Any] = set()
        #: Per host definitions: the state serving calls that do not come from
        #: an instance of the bindings (a component the user instantiated
        #: through their own Linker calling the bindings' host functions).
        self.fallbacks: dict[int, Any] = {}
        #: The async face's per-store state (aio.AsyncStore), made on first use.
        self.aio: Any = None
        self._store_ref = weakref.ref(store)

    @property
    def store(self) -> Any:
        return self._store_ref()

    def closed(self) -> None:
        """The store is gone: refuse every later entry, forget the context."""
        self.cur = CLOSED
        with _lock:
            if by_context.get(self.ctx) is self:
                del by_context[self.ctx]


def _guarded_delete(ss: StoreState) -> None:
    cur = ss.cur
    if cur is not None and cur is not CLOSED:
        raise StoreInUseError(
            "cannot close this wasmtime.Store while a call runs in it "
            "(from a host function, or from another thread)"
        )
    ss.closed()


def store_state(store: Any) -> StoreState:
    """The bindings' state of ``store``, created on first use."""
    ss: StoreState | None = store.__dict__.get("_wbindgen_store")
    if ss is not None:
        return ss
    if capi.store_closed(store):
        raise StoreClosedError("this wasmtime.Store was closed")
    with _lock:
        ss = store.__dict__.get("_wbindgen_store")
        if ss is not None:
            return ss
        ss = StoreState(store)
        # A context address is reused once its store was freed: the newest
        # live store owns it.
        by_context[ss.ctx] = ss
        store.__dict__["_wbindgen_store"] = ss
    # Closing the store, explicitly or when it is collected, goes through the
    # guard, which also forgets its context.
    capi.guard_store_delete(store, lambda: _guarded_delete(ss))
    return ss


def _plan_frame_of(ss: StoreState) -> bool:
    """Whether this thread is inside a call of ``ss`` (a plan's frame holds it),
    above the entry that is asking (frames: this, ``refuse_entry``, the entry)."""
    f = sys._getframe(3)
    while f is not None:
        if f.f_code.co_filename.startswith("<wbindgen") and f.f_locals.get("ss") is ss:
            return True
        f = f.f_back  # type: ignore[assignment]
    return False


def refuse_entry(ss: StoreState, prev: Any) -> None:
    """The slow path of an entry that found ``cur`` set: return if this entry is
    a call back into wasm from a host function on this thread, else raise."""
    if prev.__class__ is InHost:
        if prev.thread == _get_ident():
            return
        raise StoreInUseError(
            "this wasmtime.Store is in use by another thread (one of its host functions "
            "is running there); a Store must be used by one thread at a time: give each "
            "thread its own Store"
        )
    if prev is CLOSED:
        raise StoreClosedError("the wasmtime.Store of this instance was closed")
    if ss.aio is not None and ss.aio.active:
        raise StoreInUseError(
            "an async call of this wasmtime.Store is waiting (for an async host function or a "
            "yield); the store cannot be entered until it finishes (an async host function "
            "cannot call back into the store it serves)"
        )
    if _plan_frame_of(ss):
        raise StoreInUseError(
            "re-entered a call of this wasmtime.Store while it was lowering arguments or "
            "lifting results (from a finalizer, a signal handler or a method of an "
            "argument); only host functions may call back into the store"
        )
    raise StoreInUseError(
        "this wasmtime.Store is running a call on another thread; a Store must be used "
        "by one thread at a time: give each thread its own Store"
    )
