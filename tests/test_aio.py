"""The async face of the runtime (runtime/aio.py): awaited exports, host
functions that are coroutines, guests that yield to the event loop, cancellation.

Concurrency is shown by counting host calls in flight at once, never by timing
(benchmarks/bench_aio.py prints the times)."""

from __future__ import annotations

import asyncio
import dataclasses
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import wasmtime
import wasmtime.component
import wbindgen_runtime as rt
from support.components import component
from support.wasmtime_bugs import HOST_BORROW_INTO_EXPORT
from wbindgen_runtime import Err, aio
from wbindgen_runtime.types import (
    S32,
    STRING,
    U32,
    Borrow,
    Func,
    ImportedResource,
    Own,
    Record,
    Result,
)

HERE = Path(__file__).parent / "runtime_components"
IFACE = "test:rt/host"
BLOB = ImportedResource("blob")
EXPORTS = [
    (None, "call-add", Func((("a", U32), ("b", U32)), U32)),
    (None, "call-greet", Func((("name", STRING),), STRING)),
    (None, "call-check", Func((("x", U32),), Result(U32, STRING), True)),
    (None, "call-boom", Func()),
    (None, "blob-roundtrip", Func((("init", STRING),), STRING)),
    (None, "read-borrowed", Func((("b", Borrow(BLOB)),), STRING)),
    (None, "echo-own", Func((("b", Own(BLOB)),), Own(BLOB))),
]
IMPORTS = [
    (IFACE, "add", Func((("a", U32), ("b", U32)), U32)),
    (IFACE, "greet", Func((("name", STRING),), STRING)),
    (IFACE, "check", Func((("x", U32),), Result(U32, STRING), True)),
    (IFACE, "boom", Func()),
    (IFACE, "[constructor]blob", Func((("init", STRING),), Own(BLOB))),
    (IFACE, "[method]blob.read", Func((("self", Borrow(BLOB)),), STRING)),
]
BINDINGS = rt.Bindings(exports=EXPORTS, imports=IMPORTS, resources=[(IFACE, "blob", BLOB)])


class Blob:
    def __init__(self, text: str) -> None:
        self.text = text

    def read(self) -> str:
        return self.text.upper()


class Host:
    """Every host function a coroutine that awaits the event loop, counting
    how many calls are in flight at once."""

    def __init__(self, delay: float = 0.01) -> None:
        self.delay = delay
        self.in_flight = 0
        self.most = 0
        self.boom_exc = KeyError("boom")

    async def _wait(self) -> None:
        self.in_flight += 1
        self.most = max(self.most, self.in_flight)
        try:
            await asyncio.sleep(self.delay)
        finally:
            self.in_flight -= 1

    async def add(self, a: int, b: int) -> int:
        await self._wait()
        return a + b

    async def greet(self, name: str) -> str:
        await self._wait()
        return f"hello, {name}!"

    async def check(self, x: int) -> int:
        await self._wait()
        if x == 0:
            raise Err("zero")
        return x * 2

    async def boom(self) -> None:
        await self._wait()
        raise self.boom_exc

    def blob(self, init: str) -> Blob:  # a plain function works too
        return Blob(init)

    def impls(self) -> tuple[Callable[..., Any], ...]:
        read = rt.host_method("read")
        return (self.add, self.greet, self.check, self.boom, self.blob, read)


@pytest.fixture(scope="module")
def engine() -> wasmtime.Engine:
    return wasmtime.Engine()


@pytest.fixture(scope="module")
def pre(engine: wasmtime.Engine) -> rt.Prepared:
    return rt.prepare(engine, HERE / "host.wat", BINDINGS, asynchronous=True)


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def test_awaited_exports_with_async_host_functions(pre: rt.Prepared) -> None:
    host = Host()

    async def main() -> None:
        inst = await aio.instantiate_async(pre, wasmtime.Store(pre.engine), host.impls())
        assert await inst.plan(None, "call-add")(2, 40) == 42
        assert await inst.plan(None, "call-greet")("wörld") == "hello, wörld!"
        assert await inst.plan(None, "call-check")(21) == 42
        with pytest.raises(Err) as info:
            await inst.plan(None, "call-check")(0)
        assert info.value.value == "zero"
        assert await inst.plan(None, "blob-roundtrip")("abc") == "ABC"
        mine = Blob("mine")
        assert await inst.plan(None, "echo-own")(mine) is mine

    run(main())


@HOST_BORROW_INTO_EXPORT.needs_fix
def test_a_host_resource_borrowed_into_an_awaited_export(pre: rt.Prepared) -> None:
    async def main() -> None:
        inst = await aio.instantiate_async(pre, wasmtime.Store(pre.engine), Host().impls())
        assert await inst.plan(None, "read-borrowed")(Blob("mine")) == "MINE"

    run(main())


def test_calls_in_separate_stores_run_concurrently(pre: rt.Prepared) -> None:
    host = Host()
    n = 16

    async def main() -> list[int]:
        insts = [
            await aio.instantiate_async(pre, wasmtime.Store(pre.engine), host.impls())
            for _ in range(n)
        ]
        return await asyncio.gather(*(i.plan(None, "call-add")(k, 1) for k, i in enumerate(insts)))

    assert run(main()) == [k + 1 for k in range(n)]
    assert host.most == n  # every guest waited on its host call at the same time


def test_calls_in_one_store_take_turns(pre: rt.Prepared) -> None:
    host = Host(delay=0.001)

    async def main() -> list[int]:
        inst = await aio.instantiate_async(pre, wasmtime.Store(pre.engine), host.impls())
        add = inst.plan(None, "call-add")
        return await asyncio.gather(*(add(k, 1) for k in range(8)))

    assert run(main()) == [k + 1 for k in range(8)]
    assert host.most == 1


def test_the_event_loop_keeps_serving_while_a_host_call_waits(pre: rt.Prepared) -> None:
    host = Host(delay=0.05)
    ticks = 0

    async def ticker(stop: asyncio.Event) -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            await asyncio.sleep(0)

    async def main() -> None:
        stop = asyncio.Event()
        t = asyncio.create_task(ticker(stop))
        inst = await aio.instantiate_async(pre, wasmtime.Store(pre.engine), host.impls())
        assert await inst.plan(None, "call-add")(1, 2) == 3
        stop.set()
        await t

    run(main())
    assert ticks > 1


def test_a_host_exception_comes_back_and_poisons(pre: rt.Prepared) -> None:
    host = Host(delay=0)

    async def main() -> None:
        inst = await aio.instantiate_async(pre, wasmtime.Store(pre.engine), host.impls())
        with pytest.raises(KeyError) as info:
            await inst.plan(None, "call-boom")()
        assert info.value is host.boom_exc
        with pytest.raises(rt.InstanceTrappedError):
            await inst.plan(None, "call-add")(1, 2)

    run(main())


def test_misuse_is_a_clear_error(pre: rt.Prepared, engine: wasmtime.Engine) -> None:
    with pytest.raises(rt.WbindgenError, match="async face"):
        pre.instantiate(wasmtime.Store(engine), Host().impls())
    sync_pre = rt.prepare(engine, HERE / "host.wat", BINDINGS)
    with pytest.raises(rt.WbindgenError, match="prepared for sync calls"):
        run(aio.instantiate_async(sync_pre, wasmtime.Store(engine), Host().impls()))

    host = Host(delay=0)
    inner: list[BaseException] = []

    async def main() -> None:
        store = wasmtime.Store(engine)
        inst = await aio.instantiate_async(pre, store, host.impls())
        add = inst.plan(None, "call-add")

        async def reentering(a: int, b: int) -> int:
            try:
                await add(a, b)  # the store this host function serves
            except rt.StoreInUseError as e:
                inner.append(e)
                raise
            return 0

        other = await aio.instantiate_async(pre, store, (reentering, *host.impls()[1:]))
        with pytest.raises(rt.StoreInUseError, match="cannot call back into the store it serves"):
            await other.plan(None, "call-add")(1, 2)

    run(main())
    assert inner


SPIN = """(component
  (core module $m (func (export "spin") (loop br 0)) (func (export "nop")))
  (core instance $i (instantiate $m))
  (func (export "spin") (canon lift (core func $i "spin")))
  (func (export "nop") (canon lift (core func $i "nop"))))"""
SPIN_BINDINGS = rt.Bindings(exports=[(None, "spin", Func()), (None, "nop", Func())])


def test_a_spinning_guest_yields_and_is_cancelled() -> None:
    config = wasmtime.Config()
    config.epoch_interruption = True
    engine = wasmtime.Engine(config)
    pre = rt.prepare(engine, SPIN.encode(), SPIN_BINDINGS, asynchronous=True)
    stop = threading.Event()

    def tick() -> None:
        while not stop.wait(0.001):
            engine.increment_epoch()

    ticker = threading.Thread(target=tick, daemon=True)
    ticker.start()
    served = 0

    async def main() -> None:
        nonlocal served
        store = wasmtime.Store(engine)
        store.set_epoch_deadline(1)
        aio.yield_every(store, epoch_ticks=1)
        inst = await aio.instantiate_async(pre, store)
        spin = asyncio.create_task(inst.plan(None, "spin")())
        while served < 5:  # another task keeps running while the guest computes
            await asyncio.sleep(0.002)
            served += 1
        assert not spin.done()
        spin.cancel()
        with pytest.raises(asyncio.CancelledError):
            await spin
        with pytest.raises(rt.InstanceTrappedError, match="was cancelled"):
            await inst.plan(None, "nop")()

    try:
        run(main())
    finally:
        stop.set()
        ticker.join()
    assert served == 5


# -- WIT async func (component-model async): tests/components/async_funcs ---------------------

SHAPES = "test:asy/shapes@0.1.0"


@dataclasses.dataclass
class Point:
    x: int
    y: int


POINT = Record("point", Point, (("x", "x", S32), ("y", "y", S32)))
ASYNC_FUNCS = rt.Bindings(
    exports=[
        (None, "add", Func((("a", U32), ("b", U32)), U32, is_async=True)),
        (None, "echo", Func((("s", STRING),), STRING, is_async=True)),
        (None, "double", Func((("a", U32),), U32)),
        (SHAPES, "scale", Func((("p", POINT), ("by", S32)), POINT, is_async=True)),
    ],
    imports=[(None, "log", Func((("msg", STRING),)))],
)


@pytest.fixture(scope="module")
def async_engine() -> wasmtime.Engine:
    return wasmtime.Engine(aio.async_engine_config(component_model_async=True))


def test_wit_async_funcs_end_to_end(async_engine: wasmtime.Engine) -> None:
    """Stackful and callback async lifts, a record through an interface's async
    func, a sync host import (a coroutine here) called from inside one."""
    pre = rt.prepare(async_engine, component("async_funcs"), ASYNC_FUNCS, asynchronous=True)
    logged: list[str] = []

    async def log(msg: str) -> None:
        await asyncio.sleep(0)
        logged.append(msg)

    async def main() -> None:
        inst = await aio.instantiate_async(pre, wasmtime.Store(async_engine), (log,))
        assert await inst.plan(None, "add")(2, 40) == 42
        assert await inst.plan(None, "echo")("héllo") == "héllo"
        assert await inst.plan(None, "double")(21) == 42
        assert await inst.plan(SHAPES, "scale")(Point(2, -3), 5) == Point(10, -15)
        with pytest.raises(rt.OutOfRangeError, match="'a'"):
            await inst.plan(None, "add")(-1, 0)
        # Many at once over several stores.
        insts = [
            await aio.instantiate_async(pre, wasmtime.Store(async_engine), (log,))
            for _ in range(4)
        ]
        got = await asyncio.gather(*(i.plan(None, "add")(k, k) for k, i in enumerate(insts)))
        assert got == [0, 2, 4, 6]

    run(main())
    assert logged == ["héllo"]


def test_wit_async_funcs_refused_where_they_cannot_run(async_engine: wasmtime.Engine) -> None:
    path = component("async_funcs")
    # The sync face: the plain export runs, the async ones say where to go.
    pre = rt.prepare(async_engine, path, ASYNC_FUNCS)
    inst = pre.instantiate(wasmtime.Store(async_engine), (lambda msg: None,))
    assert inst.plan(None, "double")(4) == 8
    with pytest.raises(rt.WbindgenError, match="export function 'add' is a WIT async func"):
        inst.plan(None, "add")
    # An engine without component-model async (this component lifts stackfully).
    with pytest.raises(rt.WbindgenError, match="async_engine_config"):
        rt.prepare(wasmtime.Engine(), path, ASYNC_FUNCS, asynchronous=True)
    # Bindings that expect a sync func, and the other way round.
    sync_add = rt.Bindings(exports=[(None, "add", Func((("a", U32), ("b", U32)), U32))])
    with pytest.raises(rt.TypeCheckError, match="export function 'add': expected func, found async func"):
        rt.prepare(async_engine, path, sync_add)
    # The same through wasmtime's reflection (a Component whose bytes are unknown).
    compiled = wasmtime.component.Component(async_engine, path.read_bytes())
    with pytest.raises(rt.TypeCheckError, match="export function 'add': expected func, found async func"):
        rt.prepare(async_engine, compiled, sync_add)
    async_double = rt.Bindings(exports=[(None, "double", Func((("a", U32),), U32, is_async=True))])
    with pytest.raises(rt.TypeCheckError, match="expected async func, found func"):
        rt.prepare(async_engine, path, async_double, asynchronous=True)
