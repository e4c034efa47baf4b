"""The async face (runtime/aio.py): what awaiting an export costs, and what
concurrency buys.

- an awaited `add(u32, u32)` against the same call through the sync plan and
  through wasmtime-py's dynamic API (one process, best of N);
- N instances in N stores, each export calling a host function that awaits
  `asyncio.sleep(0.01)`: the N calls together take about one sleep, not N;
- the same N calls in one store take turns: about N sleeps.

    python benchmarks/bench_aio.py [--quick]
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import wasmtime
import wbindgen_runtime as rt
from wasmtime.component import Component, Linker
from wbindgen_runtime import aio
from wbindgen_runtime.types import U32, Func

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_instantiate import FIVE  # noqa: E402
from bench_instantiate import best as best_sync  # noqa: E402

API = "bench:five/api"
BINDINGS = rt.Bindings(
    exports=[
        (API, "add", Func((("a", U32), ("b", U32)), U32)),
        (API, "call-host", Func((("a", U32), ("b", U32)), U32)),
    ],
    imports=[("bench:five/host", "add", Func((("a", U32), ("b", U32)), U32))],
)


async def best_async(fn: Callable[[], Awaitable[Any]], n: int, repeat: int) -> float:
    out = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        for _ in range(n):
            await fn()
        out = min(out, (time.perf_counter() - t) / n)
    return out


async def main() -> None:
    quick = "--quick" in sys.argv
    n, repeat = (2000, 3) if quick else (20000, 5)
    engine = wasmtime.Engine()

    def plain_add(a: int, b: int) -> int:
        return a + b

    async def sleepy_add(a: int, b: int) -> int:
        await asyncio.sleep(0.01)
        return a + b

    sync_pre = rt.prepare(engine, FIVE.encode(), BINDINGS)
    sync_add = sync_pre.instantiate(wasmtime.Store(engine), (plain_add,)).plan(API, "add")
    apre = rt.prepare(engine, FIVE.encode(), BINDINGS, asynchronous=True)
    ainst = await aio.instantiate_async(apre, wasmtime.Store(engine), (plain_add,))
    async_add = ainst.plan(API, "add")

    dstore = wasmtime.Store(engine)
    linker = Linker(engine)
    with linker.root() as root, root.add_instance("bench:five/host") as h:
        h.add_func("add", lambda s, a, b: a + b)
    dinst = linker.instantiate(dstore, Component(engine, FIVE))
    dyn = dinst.get_func(dstore, dinst.get_export_index(
        dstore, "add", dinst.get_export_index(dstore, API)))  # fmt: skip
    assert dyn is not None

    t_async = await best_async(lambda: async_add(1, 2), n, repeat)
    t_sync = best_sync(lambda: sync_add(1, 2), n, repeat)
    t_dyn = best_sync(lambda: dyn(dstore, 1, 2), n // 4, repeat)
    print("| call | time | against the awaited call |")
    print("| --- | ---: | ---: |")
    print(f"| awaited `add` (async face) | {t_async * 1e6:.2f} µs | 1.00x |")
    print(f"| sync typed `add` | {t_sync * 1e6:.2f} µs | {t_sync / t_async:.2f}x |")
    print(f"| dynamic API `add` | {t_dyn * 1e6:.2f} µs | {t_dyn / t_async:.2f}x |")
    print(f"async overhead over the sync plan: {(t_async - t_sync) * 1e6:.2f} µs per call")
    print()
    await generated_rows(engine, n, repeat)
    print()

    count = 16 if quick else 64
    insts = [
        await aio.instantiate_async(apre, wasmtime.Store(engine), (sleepy_add,))
        for _ in range(count)
    ]
    t = time.perf_counter()
    await asyncio.gather(*(i.plan(API, "call-host")(k, 1) for k, i in enumerate(insts)))
    spread = time.perf_counter() - t
    one = insts[0].plan(API, "call-host")
    t = time.perf_counter()
    await asyncio.gather(*(one(k, 1) for k in range(count)))
    same = time.perf_counter() - t
    print(f"{count} calls awaiting 10 ms in the host, {count} stores: {spread * 1e3:.1f} ms")
    print(f"{count} calls awaiting 10 ms in the host, one store (turns): {same * 1e3:.1f} ms")


async def generated_rows(engine: wasmtime.Engine, n: int, repeat: int) -> None:
    """The same through the generated package (generated_examples/kitchen_sink):
    calls, instantiation from a prepared component, and a resource's life."""
    sys.path.insert(0, str(ROOT / "generated_examples"))
    from kitchen_sink import KitchenSink, KitchenSinkAsync

    path = ROOT / "examples" / "kitchen_sink.wat"
    pre = KitchenSink.prepare(engine, path)
    apre = KitchenSinkAsync.prepare(engine, path)
    sync = pre.instantiate(wasmtime.Store(engine))
    ainst = await apre.instantiate(wasmtime.Store(engine))
    dstore = wasmtime.Store(engine)
    comp = Component(engine, path.read_text())
    linker = Linker(engine)
    dinst = linker.instantiate(dstore, comp)
    dyn = dinst.get_func(dstore, dinst.get_export_index(
        dstore, "add", dinst.get_export_index(dstore, "example:kitchen/api@0.1.0")))  # fmt: skip
    assert dyn is not None

    def dyn_add() -> int:
        out: int = dyn(dstore, 1, 2)
        dyn.post_return(dstore)
        return out

    t_async = await best_async(lambda: ainst.api.add(1, 2), n, repeat)
    t_sync = best_sync(lambda: sync.api.add(1, 2), n, repeat)
    t_dyn = best_sync(dyn_add, n // 4, repeat)

    async def async_counter() -> None:
        c = await ainst.api.counter(1)
        await c.incr(1)
        await c.drop()

    def sync_counter() -> None:
        c = sync.api.counter(1)
        c.incr(1)
        c.drop()

    t_ares = await best_async(async_counter, n // 10, repeat)
    t_sres = best_sync(sync_counter, n // 10, repeat)
    m = max(50, n // 100)
    t_ainst = await best_async(lambda: apre.instantiate(wasmtime.Store(engine)), m, repeat)
    t_sinst = best_sync(lambda: pre.instantiate(wasmtime.Store(engine)), m, repeat)
    t_dinst = best_sync(lambda: Linker(engine).instantiate(wasmtime.Store(engine), comp), m, repeat)
    print("generated package (kitchen sink), one process:")
    print("| operation | async face | sync face | dynamic API | async / sync | dynamic / async |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for what, a, sy, d in (
        ("`api.add(1, 2)`", t_async, t_sync, t_dyn),
        ("counter: construct, `incr`, `drop`", t_ares, t_sres, None),
        ("instantiate from a prepared component", t_ainst, t_sinst, t_dinst),
    ):
        dcol = f"{d * 1e6:.1f} µs" if d is not None else "-"
        ratio = f"{d / a:.2f}x" if d is not None else "-"
        cols = (what, f"{a * 1e6:.1f} µs", f"{sy * 1e6:.1f} µs", dcol, f"{a / sy:.2f}x", ratio)
        print("| " + " | ".join(cols) + " |")


ROOT = Path(__file__).resolve().parent.parent


if __name__ == "__main__":
    asyncio.run(main())
