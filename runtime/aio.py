"""The async face: awaited exports, async host imports, guests that yield.

wasmtime-py's Python layer is synchronous, but the C API it ships runs a
component call as a future (``wasmtime_component_func_call_async``): polled,
it runs the guest until it returns, or until the guest waits on a host
function's continuation or yields at an epoch deadline or fuel interval.
The async face drives that future from asyncio:

- An async plan (``plans.PlanTemplate(asynchronous=True)``: the same lowering
  and lifting as the sync plan) waits its turn for the store (``AsyncStore``:
  one call per store at a time; other tasks wait, they are not refused),
  starts the call, and ``drive``s it: poll; while the guest waits on host
  tasks, await them; when it yielded, let the event loop run others
  (``asyncio.sleep(0)``); poll again.
- Host functions are defined with ``add_func_async``: the callback, on
  wasmtime's fiber stack, only lifts the arguments and starts a Task on the
  event loop that runs the implementation (a coroutine function or a plain
  one: neither runs on the fiber), awaits it, and lowers its result; the
  continuation tells wasmtime "ready" once that Task is done, and copies the
  lowered result out. So no user code, and no deep Python stack, runs on the
  fiber.
- A host Task that failed, or the awaiting task being cancelled, aborts the
  call: the call future is deleted (wasmtime unwinds the guest), the instance
  is poisoned, and the host's exception (or ``CancelledError``) propagates.

A store used by the async face needs async calls throughout (wasmtime refuses
sync calls into a store whose Linker has async host functions); sync calls of
the same store from other tasks while an async call is suspended are refused
with ``StoreInUseError``.
"""

from __future__ import annotations

import asyncio
import contextvars
import ctypes
import inspect
import itertools
import struct
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import wasmtime

from . import capi
from .capi import MEM, VAL_SIZE
from .errors import StoreInUseError, WbindgenError
from .stores import StoreState, by_context, refuse_entry, store_state
from .values import Err, Ok

if TYPE_CHECKING:
    from .instances import InstanceState
    from .prepared import Prepared

__all__ = [
    "AsyncStore",
    "drive",
    "instantiate_async",
    "yield_every",
    "async_engine_config",
    "PLAN_GLOBALS",
]

_U_PTR = struct.Struct("<Q").unpack_from
_ZERO8 = bytes(8)

#: The stores (by ``id`` of their state) whose async host functions the
#: current task serves: such a task must not wait for its own store's turn.
_serving: contextvars.ContextVar[frozenset[int]] = contextvars.ContextVar(
    "wbindgen_serving", default=frozenset()
)


class AsyncStore:
    """A store's async state: whose turn it is (one call at a time, per event
    loop), and the host Tasks the suspended call waits on."""

    __slots__ = ("loop", "_lock", "active", "tasks", "turn", "__weakref__")

    def __init__(self, ss: StoreState) -> None:
        self.loop: asyncio.AbstractEventLoop | None = None
        self._lock: asyncio.Lock | None = None
        self.active = False
        self.tasks: set[asyncio.Task[Any]] = set()
        #: The store's one ``async with`` guard (no object per call).
        self.turn = _Turn(ss, self)

    def lock(self) -> asyncio.Lock:
        """The store's lock on the running event loop (a store used from a new
        loop, after the old one closed, gets a new lock)."""
        loop = asyncio.get_running_loop()
        if loop is not self.loop or self._lock is None:
            self.loop = loop
            self._lock = asyncio.Lock()
        return self._lock


def _async_store(ss: StoreState) -> AsyncStore:
    a: AsyncStore | None = ss.aio
    if a is None:
        a = ss.aio = AsyncStore(ss)
    return a


class _Turn:
    """``async with``: wait until no other task's call runs in the store."""

    __slots__ = ("ss", "a", "held")

    def __init__(self, ss: StoreState, a: AsyncStore) -> None:
        self.ss = ss
        self.a = a

    async def __aenter__(self) -> None:
        if id(self.ss) in _serving.get():
            raise StoreInUseError(
                "an async host function cannot call back into the store it serves: the "
                "guest's call is suspended in it until the host function returns"
            )
        lock = self.a.lock()
        await lock.acquire()
        self.held = lock
        self.a.active = True

    async def __aexit__(self, *exc: object) -> None:
        self.a.active = False
        self.held.release()


async def drive(fut: int, st: InstanceState) -> None:
    """Poll the call future ``fut`` to its end, awaiting what the guest waits on.

    On any exception (a failed host Task, the awaiting task cancelled) the
    future is deleted, which unwinds the guest, and the instance is poisoned."""
    ss = st.ss
    a = _async_store(ss)
    poll = capi.call_future_poll
    try:
        while not poll(fut):
            waiting = []
            for task in a.tasks:
                if not task.done():
                    waiting.append(task)
                elif not task.cancelled() and task.exception() is not None:
                    raise task.exception()  # type: ignore[misc]
            if waiting:
                await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
            else:
                await asyncio.sleep(0)  # the guest yielded: let the loop run others
    except BaseException as exc:
        capi.call_future_delete(fut)
        st.trapped = ss.trapped = True
        if isinstance(exc, asyncio.CancelledError):
            st.poisoned_by = "a call of it was cancelled while it ran"
        for task in a.tasks:
            task.cancel()
        a.tasks.clear()
        raise
    capi.call_future_delete(fut)
    await _finish_drops(a)


async def _acall(
    F: int, ctx: int, P: int, n: int, R: int, nres: int, E: int, st: InstanceState
) -> int:
    """An async export call; the ``wasmtime_error_t*`` it ended with (0: none)."""
    MEM[E : E + 8] = _ZERO8
    fut = capi.func_call_async(F, ctx, P, n, R, nres, E)
    if _poll(fut):  # finished without waiting: the usual case
        _delete(fut)
        a = st.ss.aio
        if a is not None and a.tasks:  # host resources the guest dropped meanwhile
            await _finish_drops(a)
    else:
        await drive(fut, st)
    return int(_U_PTR(MEM, E)[0])


def defer_drop(ss: StoreState, drop: Callable[[], Any], what: str) -> None:
    """Run a host resource's ``drop()`` (plain or coroutine function) as a Task
    that the call in flight awaits before it returns, off wasmtime's fiber; it
    may not call back into the store, as no host function of an async call may."""

    async def run() -> None:
        value = drop()
        if inspect.isawaitable(value):
            await value

    loop = asyncio.get_running_loop()
    context = contextvars.copy_context()
    context.run(_serving.set, _serving.get() | {id(ss)})
    task = context.run(loop.create_task, run(), name=what)
    _async_store(ss).tasks.add(task)


async def _finish_drops(a: AsyncStore) -> None:
    """After the guest returned: await the drops it left, raising the first failure."""
    tasks, a.tasks = list(a.tasks), set()
    await asyncio.gather(*tasks, return_exceptions=True)
    for task in tasks:
        if not task.cancelled() and task.exception() is not None:
            raise task.exception()  # type: ignore[misc]


_poll = capi.call_future_poll
_delete = capi.call_future_delete


def _turn(ss: StoreState) -> _Turn:
    return _async_store(ss).turn


#: What async plans use besides the sync plans' names (see plans.py).
PLAN_GLOBALS: dict[str, Any] = {"_turn": _turn, "_acall": _acall}


# -- async host functions ----------------------------------------------------------------

_pending: dict[int, _HostCall] = {}
_tokens = itertools.count(1)


class _HostCall:
    """One async host call in flight: its Task and where its result goes."""

    __slots__ = ("task", "results", "scratch", "keep")

    def __init__(self, results: int) -> None:
        self.results = results
        self.scratch = ctypes.create_string_buffer(VAL_SIZE)
        self.keep: list[Any] = []
        self.task: asyncio.Task[Any] | None = None


def _continuation_ready(env: int) -> bool:
    call = _pending.get(env)
    if call is None or call.task is None or not call.task.done():
        return False
    if call.task.cancelled() or call.task.exception() is not None:
        return False  # the driver aborts the call before polling again
    if call.task.result():  # a result was lowered into the scratch root
        capi.val_clone(ctypes.addressof(call.scratch), call.results)
    from .plans import run_post

    run_post(call.keep)
    return True


def _continuation_dropped(env: int) -> None:
    _pending.pop(env, None)


_READY: Any = capi.continuation_callback_t(_continuation_ready)
_DROPPED: Any = capi.finalizer_t(_continuation_dropped)


def async_callback(defs: Any, k: int) -> Callable[..., None]:
    """The ``wasmtime_component_func_async_callback_t`` of host function ``k`` of ``defs``."""
    from .bindings_spec import where
    from .hostfuncs import _error_for
    from .lift import compile_lift
    from .lower import compile_lower, validate

    spec = defs.funcs[k]
    what = where("host import", spec.interface, spec.name)
    ftype = spec.func
    rt = ftype.result
    raises = ftype.raises

    def plan_for(inst: InstanceState) -> Any:
        lifters = [(compile_lift(t, inst), i * VAL_SIZE) for i, (_, t) in enumerate(ftype.params)]
        low = compile_lower(rt, inst) if rt is not None else None
        return lifters, low

    def callback(
        _env: Any,
        ctx: int,
        _ty: Any,
        args: int,
        _n: int,
        results: int,
        _nres: int,
        err_ret: int,
        continuation: int,
    ) -> None:
        ss = by_context.get(ctx)
        through = False
        try:
            inst, through = defs._serving(ss, what)
            assert ss is not None
            plan = inst.host_plans[k]
            if plan is None:
                plan = inst.host_plans[k] = plan_for(inst)
            lifters, low = plan
            vals = [lf(args + o) for lf, o in lifters]  # on the fiber: our code only
            impl = inst.impls[k]
            call = _HostCall(results)
            token = next(_tokens)

            async def run() -> bool:
                if raises:
                    try:
                        value: Any = impl(*vals)
                        if inspect.isawaitable(value):
                            value = await value
                        value = Ok(value)
                    except Err as e:
                        value = e
                else:
                    value = impl(*vals)
                    if inspect.isawaitable(value):
                        value = await value
                if low is None:
                    return False
                inst.arena.reset()  # the export call's arguments were consumed
                try:
                    low(value, ctypes.addressof(call.scratch), call.keep)
                except BaseException:
                    from .lower import abort_post_items

                    abort_post_items(call.keep)
                    assert rt is not None
                    validate(rt, value, f"{what} result")
                    raise
                return True

            loop = asyncio.get_running_loop()
            context = contextvars.copy_context()
            context.run(_serving.set, _serving.get() | {id(ss)})
            # The Task copies the context it is created in (Python 3.10 has no
            # `create_task(context=...)`): inside `context.run`, that is `context`.
            call.task = context.run(loop.create_task, run())
            _async_store(ss).tasks.add(call.task)
            _pending[token] = call
            cont = capi.async_continuation_t.from_address(continuation)
            cont.callback = _READY
            cont.env = token
            cont.finalizer = _DROPPED
        except BaseException as exc:  # noqa: BLE001 - everything must reach the caller
            if through and ss is not None:
                ss.pending = exc
            MEM[err_ret : err_ret + 8] = struct.pack("<Q", _error_for(exc, what))
            cont = capi.async_continuation_t.from_address(continuation)
            cont.callback = _READY
            cont.env = 0

    return callback


# -- instantiation ---------------------------------------------------------------------------


async def instantiate_async(
    pre: Prepared,
    store: wasmtime.Store,
    impls: tuple[Any, ...] = (),
    *,
    wasi: wasmtime.WasiConfig | None = None,
) -> Any:
    """A new instance of an async-prepared component in ``store`` (a ``BoundInstance``
    whose plans are coroutine functions)."""
    from .linking import BoundInstance
    from .prepared import _instantiation_error

    if not pre.asynchronous:
        raise WbindgenError("prepared for sync calls: use Prepared.instantiate")
    ss, st = pre._new_instance_state(store, impls, wasi)
    raw = capi.instance_struct()
    err = ctypes.c_void_p()
    async with _turn(ss):
        prev = ss.cur
        if prev is not None:
            refuse_entry(ss, prev)
        ss.cur = st
        try:
            fut = capi.linker_instantiate_async(
                capi.linker_address(pre.linker),
                st.ctx,
                capi.ptr_value(pre.component.ptr()),
                ctypes.addressof(raw),
                ctypes.addressof(err),
            )
            await drive(int(fut), st)
        finally:
            ss.cur = prev
    if err.value:
        text, _ = capi.take_error(err.value)
        pending, ss.pending = ss.pending, None
        if pending is not None:
            raise pending
        raise _instantiation_error(text)
    instance = capi.instance_from_raw(raw)
    st.handle = instance
    st.prepared = pre
    return BoundInstance(store, instance, st, pre)


# -- yields and engines --------------------------------------------------------------------


def yield_every(
    store: wasmtime.Store, *, epoch_ticks: int | None = None, fuel: int | None = None
) -> None:
    """Make a long-running guest yield to the event loop instead of blocking it:
    at each epoch deadline (then extended by ``epoch_ticks``; the engine needs
    ``epoch_interruption``, and something must call ``engine.increment_epoch()``),
    and/or every ``fuel`` units of fuel (the engine needs ``consume_fuel``)."""
    ctx = capi.store_context(store)
    store_state(store)
    if epoch_ticks is not None:
        capi.epoch_deadline_async_yield_and_update(ctx, epoch_ticks)
    if fuel is not None:
        err = capi.fuel_async_yield_interval(ctx, fuel)
        if err:
            message, _ = capi.take_error(err)
            raise WbindgenError(f"cannot make the store yield every {fuel} fuel: {message}")


def async_engine_config(
    config: wasmtime.Config | None = None,
    *,
    stack_size: int = 8 << 20,
    max_wasm_stack: int | None = None,
    component_model_async: bool = False,
) -> wasmtime.Config:
    """A ``wasmtime.Config`` for engines serving the async face: a larger fiber
    stack (wasmtime's host functions of an async call run on it; the runtime
    keeps Python work off it: host functions and host resources' ``drop()``
    run as Tasks on the event loop) and, with ``component_model_async``, WIT
    ``async func`` support (both lifts: with a callback, and stackful).

    ``stack_size`` must exceed the wasm stack limit (``max_wasm_stack``,
    wasmtime's default 512 KiB), which runs on the same fiber: wasmtime would
    abort the process creating the engine otherwise, so it is refused here."""
    wasm_stack = _DEFAULT_MAX_WASM_STACK if max_wasm_stack is None else max_wasm_stack
    if stack_size <= wasm_stack:
        raise ValueError(
            f"stack_size ({stack_size} bytes) must exceed max_wasm_stack ({wasm_stack} bytes): "
            "wasm runs on the same fiber stack; pass a smaller max_wasm_stack too"
        )
    config = config or wasmtime.Config()
    if max_wasm_stack is not None:
        config.max_wasm_stack = max_wasm_stack
    address = capi.config_address(config)
    capi.config_async_stack_size_set(address, stack_size)
    if component_model_async:
        capi.config_component_model_async_set(address, True)
        capi.config_component_model_async_stackful_set(address, True)
    return config


#: wasmtime's default ``max_wasm_stack`` (``Config::max_wasm_stack``).
_DEFAULT_MAX_WASM_STACK = 512 << 10
