"""The generated async face (issue 20), used as an asyncio application would:
`await World.instantiate(...)`, awaited exports and resource methods, host
Protocols implemented with `async def`, many stores at once, a spinning guest
that yields and is cancelled, WIT `async func` exports through bindings
generated from WIT, and the refusal of what cannot run.

Concurrency is shown by counting host calls in flight, never by timing
(benchmarks/bench_aio.py prints times)."""

from __future__ import annotations

import asyncio
import importlib
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import wasmtime
import wasmtime.component
import wbindgen_runtime as rt
from support.components import GENERATED, ROOT, component
from wbindgen_runtime import aio

sys.path.insert(0, str(GENERATED))

from acme_plugins import PluginWorldAsync, PluginWorldAsyncPre, PluginWorldImportsAsync  # noqa: E402
from acme_plugins.exports.plugin import Document, PluginAsync, SessionAsync  # noqa: E402
from acme_plugins.imports import host  # noqa: E402
from kitchen_sink import KitchenSink, KitchenSinkAsync  # noqa: E402
from kitchen_sink.exports.api import CounterAsync  # noqa: E402
from support import plugins  # noqa: E402

KITCHEN = ROOT / "examples" / "kitchen_sink.wat"


class AsyncKv:
    """A `kv-store` whose methods are coroutines (satisfies `host.KvStoreAsync`)."""

    def __init__(self, owner: AsyncHost, name: str) -> None:
        self.owner, self.name = owner, name
        self.values: dict[str, str] = {}

    async def get(self, key: str) -> str | None:
        await self.owner.io()
        return self.values.get(key)

    async def set(self, key: str, value: str) -> None:
        await self.owner.io()
        self.values[key] = value

    def drop(self) -> None:
        self.owner.dropped.append(self.name)


class AsyncHost:
    """The acme `host` interface as an asyncio server writes it: every call
    awaits (satisfies `host.HostAsync`), counting calls in flight at once."""

    def __init__(self, delay: float = 0.005) -> None:
        self.delay = delay
        self.in_flight = self.most = 0
        self.logs: list[tuple[host.Severity, str]] = []
        self.dropped: list[str] = []

    async def io(self) -> None:
        self.in_flight += 1
        self.most = max(self.most, self.in_flight)
        try:
            await asyncio.sleep(self.delay)
        finally:
            self.in_flight -= 1

    async def kv_store(self, name: str) -> AsyncKv:
        await self.io()
        return AsyncKv(self, name)

    async def log(self, level: host.Severity, message: str) -> None:
        await self.io()
        self.logs.append((level, message))


DOC = Document("release notes", "  what changed \n", ["news", "v2"])


@pytest.fixture(scope="module")
def wat_plugin() -> Path:
    return plugins.wat_plugin()


def test_exports_resources_and_async_host_functions(wat_plugin: Path) -> None:
    h = AsyncHost()

    async def main() -> None:
        store = wasmtime.Store()
        inst = await PluginWorldAsync.instantiate(store, wat_plugin, PluginWorldImportsAsync(host=h))
        p: PluginAsync = inst.plugin
        assert (await p.describe())[0] == "wat-upper"
        assert await p.transform(DOC) == Document("RELEASE NOTES", DOC.body, ["news", "v2", "wat-upper"])
        await p.review(Document("draft", "x", []))
        assert h.logs == [(host.Severity.WARNING, "wat-upper: rejected 'draft': no tags")]
        # An exported resource of the async face, whose methods reach the
        # host's coroutine methods of an imported resource.
        async with await p.session("bob") as bob:
            assert isinstance(bob, SessionAsync)
            assert await bob.add(DOC) == 1
            assert await bob.lookup("release notes") == DOC.body
            assert await bob.lookup("missing") is None
        assert bob.dropped and h.dropped == ["session:bob"]
        with pytest.raises(rt.ResourceError):
            await bob.add(DOC)

    asyncio.run(main())


def test_many_stores_serve_calls_at_once(wat_plugin: Path) -> None:
    """Sixteen plugin instances, each in its own store, each session waiting
    on the host's I/O: the waits overlap (the host sees them in flight at
    once), and every answer is the one its own instance gave."""
    h = AsyncHost(delay=0.01)

    async def one(pre: PluginWorldAsyncPre, k: int) -> str | None:
        inst = await pre.instantiate(wasmtime.Store(pre.prepared.engine), PluginWorldImportsAsync(host=h))
        async with await inst.plugin.session(f"user{k}") as s:
            await s.add(Document("k", str(k), []))
            return await s.lookup("k")

    async def main() -> list[str | None]:
        pre = PluginWorldAsync.prepare(wasmtime.Engine(), wat_plugin)
        return await asyncio.gather(*(one(pre, k) for k in range(16)))

    assert asyncio.run(main()) == [str(k) for k in range(16)]
    assert h.most >= 8, h.most


def test_one_instance_from_many_tasks_takes_turns(wat_plugin: Path) -> None:
    h = AsyncHost()

    async def main() -> list[int]:
        inst = await PluginWorldAsync.instantiate(
            wasmtime.Store(), wat_plugin, PluginWorldImportsAsync(host=h)
        )
        async with await inst.plugin.session("shared") as s:
            return await asyncio.gather(*(s.add(Document(str(k), "b", [])) for k in range(6)))

    assert sorted(asyncio.run(main())) == [1, 2, 3, 4, 5, 6]
    assert h.most == 1  # one store: one call at a time


async def _loop_turns_while_spinning(inst: PluginWorldAsync) -> int:
    """How often another task ran while the plugin spun for ever (`spin(0)`)
    until a `wait_for` of 0.2 s cancelled it."""
    turns = 0

    async def count() -> None:
        nonlocal turns
        while True:
            await asyncio.sleep(0.001)
            turns += 1

    beat = asyncio.ensure_future(count())
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(inst.plugin.spin(0), 0.2)  # 0: forever
    beat.cancel()
    return turns


def test_a_spinning_guest_yields_to_the_loop_and_is_cancelled(wat_plugin: Path) -> None:
    config = wasmtime.Config()
    config.epoch_interruption = True
    engine = wasmtime.Engine(config)
    stop = threading.Event()

    def tick() -> None:
        while not stop.wait(0.002):
            engine.increment_epoch()

    async def main() -> None:
        store = wasmtime.Store(engine)
        aio.yield_every(store, epoch_ticks=1)
        inst = await PluginWorldAsync.instantiate(store, wat_plugin, PluginWorldImportsAsync(host=AsyncHost()))
        assert await _loop_turns_while_spinning(inst) > 10
        # A fresh store serves again; the cancelled one refuses clearly.
        with pytest.raises(rt.WbindgenError):
            await inst.plugin.spin(1)
        other = wasmtime.Store(engine)
        aio.yield_every(other, epoch_ticks=1)
        again = await PluginWorldAsync.instantiate(other, wat_plugin, PluginWorldImportsAsync(host=AsyncHost()))
        assert await again.plugin.spin(1000) == 1000

    t = threading.Thread(target=tick, daemon=True)
    t.start()
    try:
        asyncio.run(main())
    finally:
        stop.set()
        t.join()


def test_kitchen_sink_both_faces_in_one_process() -> None:
    sync = KitchenSink.instantiate(wasmtime.Store(), KITCHEN)
    assert sync.api.add(40, 2) == 42

    async def main() -> None:
        inst = await KitchenSinkAsync.instantiate(wasmtime.Store(), KITCHEN)
        assert await inst.api.add(40, 2) == 42
        assert await inst.version() == sync.version()
        with pytest.raises(OverflowError, match="'a'"):
            await inst.api.add(2**32, 0)
        c = await inst.api.counter(10)
        assert isinstance(c, CounterAsync)
        assert await c.incr(5) == 15
        assert await inst.api.live_counters() == 1
        with pytest.raises(TypeError, match="async with"):
            with c:
                pass
        await c.drop()
        assert c.dropped
        assert await inst.api.live_counters() == 0
        insts = [await KitchenSinkAsync.instantiate(wasmtime.Store(), KITCHEN) for _ in range(4)]
        assert await asyncio.gather(*(i.api.add(k, k) for k, i in enumerate(insts))) == [0, 2, 4, 6]

    asyncio.run(main())
    # A sync instance refuses being awaited-for: its plans are sync.
    assert sync.api.add(1, 1) == 2


def test_the_faces_refuse_each_others_use() -> None:
    async def main() -> None:
        pre = KitchenSinkAsync.prepare(wasmtime.Engine(), KITCHEN)
        with pytest.raises(rt.WbindgenError, match="instantiate"):
            pre.prepared.instantiate(wasmtime.Store(pre.prepared.engine))

    asyncio.run(main())
    with pytest.raises(TypeError, match="cannot be pickled"):
        import pickle

        pickle.dumps(KitchenSinkAsync.prepare(wasmtime.Engine(), KITCHEN))


# ------------------------------------------------------------ WIT async func


@pytest.fixture(scope="module")
def asy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Bindings generated from tests/components/async_funcs/wit, as an app
    owning that WIT would generate them."""
    out = tmp_path_factory.mktemp("asy")
    wit = ROOT / "tests/components/async_funcs/wit"
    proc = subprocess.run(
        [sys.executable, "-m", "wbindgen", "--wit", str(wit), "--world", "asy", "-o", str(out / "asy")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module("asy")
    finally:
        sys.path.remove(str(out))
        for name in [n for n in sys.modules if n == "asy" or n.startswith("asy.")]:
            del sys.modules[name]


def test_wit_async_funcs_through_generated_bindings(asy: Any) -> None:
    engine = wasmtime.Engine(aio.async_engine_config(component_model_async=True))
    logged: list[str] = []

    class Log:
        async def log(self, msg: str) -> None:
            await asyncio.sleep(0)
            logged.append(msg)

    async def main() -> None:
        inst = await asy.AsyAsync.instantiate(
            wasmtime.Store(engine), component("async_funcs"), asy.AsyImportsAsync(root=Log())
        )
        assert await inst.add(2, 40) == 42
        assert await inst.echo("héllo") == "héllo"
        assert await inst.double(21) == 42
        point = asy.exports.shapes.Point
        assert await inst.shapes.scale(point(2, -3), 5) == point(10, -15)

    asyncio.run(main())
    assert logged == ["héllo"]
    # The sync face has the sync function only; the async ones are not there.
    sync = asy.Asy.instantiate(
        wasmtime.Store(engine), component("async_funcs"), asy.AsyImports(root=Log())
    )
    assert sync.double(4) == 8
    assert not hasattr(sync, "add") and not hasattr(sync.shapes, "scale")


def test_an_imported_wit_async_func_is_refused_naming_why(tmp_path: Path) -> None:
    wit = tmp_path / "wit"
    wit.mkdir()
    (wit / "w.wit").write_text(
        "package test:imp;\nworld w {\n  import fetch: async func(url: string) -> string;\n"
        "  export run: func();\n}\n"
    )
    proc = subprocess.run(
        [sys.executable, "-m", "wbindgen", "--wit", str(wit), "-o", str(tmp_path / "w")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    assert "function 'fetch': an imported WIT async func cannot be served yet" in proc.stderr
    assert "func_new_concurrent" in proc.stderr
    assert not (tmp_path / "w").exists()


def test_a_component_object_has_no_drop_function_and_says_so(wat_plugin: Path) -> None:
    """The async face drops through a function of its wrapper; a Component
    object has no bytes to wrap, so dropping a resource with a destructor is
    refused naming why (and the handle is released, not double-freed)."""
    engine = wasmtime.Engine()
    compiled = wasmtime.component.Component(engine, wat_plugin.read_bytes())

    async def main() -> None:
        inst = await PluginWorldAsync.instantiate(
            wasmtime.Store(engine), compiled, PluginWorldImportsAsync(host=AsyncHost())
        )
        s = await inst.plugin.session("eve")
        with pytest.raises(rt.ResourceError, match="prepare it from its path or bytes"):
            await s.drop()
        assert s.dropped
        with pytest.raises(rt.ResourceError):
            await s.add(DOC)
        assert await inst.plugin.spin(3) == 3  # the instance serves on

    asyncio.run(main())


def test_a_componentize_py_plugin_on_the_async_face() -> None:
    """The 18 MB Python plugin (WASI imports and all), served by an async host."""
    path = plugins.py_plugin()
    h = AsyncHost()

    async def main() -> None:
        engine = wasmtime.Engine()
        inst = await PluginWorldAsync.instantiate(
            wasmtime.Store(engine), path, PluginWorldImportsAsync(host=h)
        )
        assert (await inst.plugin.describe())[0] == "py-upper"
        async with await inst.plugin.session("zoe") as z:
            assert await z.add(DOC) == 1
            assert await z.lookup("release notes") == DOC.body
        assert await inst.plugin.transform(DOC) == Document(
            "RELEASE NOTES", DOC.body, ["news", "v2", "py-upper"]
        )

    asyncio.run(main())


def test_the_example_server_answers_concurrent_requests(tmp_path: Path) -> None:
    """`python examples/plugin_server.py --demo`: twenty clients at once over
    TCP, a fresh plugin instance per request, awaited host calls."""
    proc = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "plugin_server.py"), "--demo"],
        capture_output=True, text=True, cwd=tmp_path, timeout=300,
    )  # fmt: skip
    assert (proc.returncode, proc.stderr) == (0, "")
    lines = proc.stdout.splitlines()
    answers = [line for line in lines if line.startswith("request ")]
    assert answers == [f"request {k}: accepted 'DOC {k}' (1 kept)" for k in range(20)]
    logged = sorted(line for line in lines if line.startswith("  [request"))
    assert logged == sorted(f"  [request {k}] info: session opened for request-{k}" for k in range(1, 21))
    assert lines[-1].startswith("20 requests, each with a fresh instance")


DEEP_DROP_CHILD = """
import asyncio, sys, wasmtime
sys.path[:0] = [{generated!r}, {tests!r}]
from acme_plugins import PluginWorldAsync, PluginWorldImportsAsync
from acme_plugins.exports.plugin import Document
from support import plugins
from wbindgen_runtime import aio
from test_async_face import AsyncHost, AsyncKv

sys.setrecursionlimit(10_000)  # CPython 3.10 counts the C frames too

def deep(n):
    return 0 if n == 0 else 1 + sum(map(deep, [n - 1]))  # a C frame per level

class DeepKv(AsyncKv):
    def drop(self):  # deep Python recursion: fatal on a small fiber stack
        self.owner.dropped.append((self.name, deep(800)))

class SlowKv(AsyncKv):
    async def drop(self):  # a coroutine: awaited before the guest's call returns
        await asyncio.sleep(0.01)
        self.owner.dropped.append((self.name, "closed"))

class Host(AsyncHost):
    async def kv_store(self, name):
        return (DeepKv if name.endswith("deep") else SlowKv)(self, name)

async def main():
    engine = wasmtime.Engine(aio.async_engine_config(stack_size=192 << 10, max_wasm_stack=64 << 10))
    h = Host()
    inst = await PluginWorldAsync.instantiate(
        wasmtime.Store(engine), plugins.wat_plugin(), PluginWorldImportsAsync(host=h))
    for who in ("deep", "slow"):
        async with await inst.plugin.session(who) as s:
            await s.add(Document("t", "b", []))
    print(h.dropped)

asyncio.run(main())
"""


def test_host_resource_drops_run_off_the_fiber_and_may_be_coroutines() -> None:
    """A host resource's drop() runs as a Task on the event loop, not on
    wasmtime's fiber: deep recursion there survives a 192 KiB fiber stack
    (a 128 KiB one crashed the process at 100 frames when drops ran on it),
    and `async def drop` is awaited before the guest's call returns."""
    code = DEEP_DROP_CHILD.format(generated=str(GENERATED), tests=str(ROOT / "tests"))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, (proc.returncode, proc.stderr[-2000:])
    assert proc.stdout.strip() == "[('session:deep', 800), ('session:slow', 'closed')]"


def test_a_fiber_stack_below_the_wasm_stack_is_refused_not_a_crash() -> None:
    with pytest.raises(ValueError, match=r"must exceed max_wasm_stack \(524288 bytes\)"):
        aio.async_engine_config(stack_size=128 << 10)
    wasmtime.Engine(aio.async_engine_config(stack_size=128 << 10, max_wasm_stack=64 << 10))


def test_a_trap_is_raised_from_the_await_and_leaving_async_with_keeps_it(wat_plugin: Path) -> None:
    """As on the sync face: the guest's Trap comes out of the `await` as
    itself (not the drop's failure on leaving the block), and the instance
    then refuses further calls clearly."""

    async def main() -> None:
        inst = await PluginWorldAsync.instantiate(
            wasmtime.Store(), wat_plugin, PluginWorldImportsAsync(host=AsyncHost())
        )
        with pytest.raises(rt.Trap) as info:
            async with await inst.plugin.session("kim") as s:
                await s.crash()
        assert info.type is rt.Trap and info.value.code is wasmtime.TrapCode.UNREACHABLE
        with pytest.raises(rt.InstanceTrappedError, match="trapped earlier"):
            await inst.plugin.spin(1)

    asyncio.run(main())


def test_a_guest_yields_every_n_fuel_and_runs_out_of_it(wat_plugin: Path) -> None:
    """The fuel variant of cooperative scheduling: the guest yields every
    10,000 units, the loop keeps ticking, a wait_for cancels the spin; and
    a guest that exhausts its fuel traps with OUT_OF_FUEL from the await."""
    config = wasmtime.Config()
    config.consume_fuel = True
    engine = wasmtime.Engine(config)

    async def main() -> None:
        store = wasmtime.Store(engine)
        store.set_fuel(10**12)
        aio.yield_every(store, fuel=10_000)
        inst = await PluginWorldAsync.instantiate(store, wat_plugin, PluginWorldImportsAsync(host=AsyncHost()))
        assert await inst.plugin.spin(50_000) == 50_000
        assert await _loop_turns_while_spinning(inst) > 10
        short = wasmtime.Store(engine)
        short.set_fuel(2_000_000)
        aio.yield_every(short, fuel=10_000)
        inst2 = await PluginWorldAsync.instantiate(short, wat_plugin, PluginWorldImportsAsync(host=AsyncHost()))
        with pytest.raises(rt.Trap) as info:
            await inst2.plugin.spin(0)
        assert info.value.code is wasmtime.TrapCode.OUT_OF_FUEL

    asyncio.run(main())
