"""Scaling out: what processes cost around the bindings.

1. Import time of a generated package in a fresh process (median of N):
   `python -c pass`, `import wasmtime.component`, `import wbindgen_runtime`,
   `import kitchen_sink`; then the modules that dominate it
   (`python -X importtime`, median self time per module).
2. Worker start-up of a `ProcessPoolExecutor` (2 workers, spawn; forkserver
   beside it): from creating the pool to both workers holding their instance,
   cold (an empty compiled-component cache) and warm (the cache the cold run
   filled), with what each worker's initializer spent preparing and
   instantiating. `--large` adds the ~18 MB componentize-py guest of
   bench_reader.py (loaded with no exports: the load itself).
3. One call's round trip through the pool (submit, then wait for the
   result), against the same call in process; and calls per second of a
   `pool.map` with chunks.
4. dask.distributed: `LocalCluster` (2 processes, 1 thread each) start-up,
   loading the component on every worker (`client.run`), one task's round
   trip, tasks per second of a `client.map`, and shutdown.

    python benchmarks/bench_scaleout.py [--large] [--no-dask]
"""

from __future__ import annotations

import multiprocessing
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
GENERATED = ROOT / "generated_examples"
DEMO = str(ROOT / "examples" / "kitchen_sink.wat")
sys.path.insert(0, str(GENERATED))
sys.path.insert(0, str(ROOT / "examples"))
sys.path.insert(0, str(Path(__file__).parent))

import wasmtime  # noqa: E402
from kitchen_sink import KitchenSink  # noqa: E402
from kitchen_sink.imports.types import Point  # noqa: E402
from wbindgen_runtime import cache  # noqa: E402

# --- the worker side (spawned workers import this file as __mp_main__) -------------

_inst: Any = None
_load = 0.0


def init_worker(path: str, folder: str, large: bool, started: Any) -> None:
    global _inst, _load
    t = time.perf_counter()
    cache.configure(enabled=True, folder=folder)
    engine = wasmtime.Engine()
    store = wasmtime.Store(engine)
    if large:
        import wbindgen_runtime as rt

        _inst = rt.instantiate(store, path)
    else:
        _inst = KitchenSink.prepare(engine, path).instantiate(store)
    _load = time.perf_counter() - t
    started.wait(timeout=300)


def load_seconds() -> float:
    return _load


def add(a: int, b: int) -> int:
    return int(_inst.api.add(a, b))


def echo_points(points: list[Point]) -> list[Point]:
    result: list[Point] = _inst.api.echo_points(points)
    return result


# --- the parent side -----------------------------------------------------------------


def median_of(fn: Callable[[], object], n: int) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def import_times(n: int) -> None:
    env = dict(os.environ, PYTHONPATH=str(GENERATED))
    py = sys.executable
    print(f"1. import time in a fresh process (median of {n}; whole process, wall)")
    base = None
    for code in ("pass", "import wasmtime.component", "import wbindgen_runtime",
                 "import kitchen_sink"):
        t = median_of(lambda c=code: subprocess.run([py, "-c", c], env=env, check=True), n)
        extra = "" if base is None else f"   (+{(t - base) * 1e3:.0f} ms over an empty start)"
        base = t if base is None else base
        print(f"   {code:<28} {t * 1e3:7.0f} ms{extra}")
    cum: dict[str, list[int]] = defaultdict(list)
    own: dict[str, list[int]] = defaultdict(list)
    for _ in range(n):
        err = subprocess.run([py, "-X", "importtime", "-c", "import kitchen_sink"], env=env,
                             capture_output=True, text=True, check=True).stderr
        for m in re.finditer(r"import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)", err):
            own[m[4]].append(int(m[1]))
            cum[m[4]].append(int(m[2]))
    groups = {
        "wasmtime (all of it)": lambda name: name == "wasmtime",
        "wbindgen_runtime (all of it)": lambda name: name == "wbindgen_runtime",
        "  of which prepare-time only: loadcheck+model": lambda name: name in (
            "wbindgen_runtime.loadcheck",),
        "  of which prepare-time only: lane": lambda name: name == "wbindgen_runtime.lane",
        "kitchen_sink's own modules (self time)": None,
    }
    print("   -X importtime of `import kitchen_sink` (median cumulative ms)")
    for label, pick in groups.items():
        if pick is None:
            total = sum(
                statistics.median(v) for k, v in own.items() if k.startswith("kitchen_sink")
            )
        else:
            total = sum(statistics.median(v) for k, v in cum.items() if pick(k))
        print(f"   {label:<46} {total / 1e3:7.1f} ms")
    top = sorted(own.items(), key=lambda kv: -statistics.median(kv[1]))[:8]
    print("   largest self times: " + ", ".join(
        f"{k} {statistics.median(v) / 1e3:.1f}" for k, v in top))


WARM_CHILD = """
import sys, time
t0 = time.perf_counter()
import wasmtime
from kitchen_sink import KitchenSink
t1 = time.perf_counter()
engine = wasmtime.Engine()
t2 = time.perf_counter()
import importlib.metadata  # what the cache key's wasmtime version needs
t3 = time.perf_counter()
import wbindgen_runtime.reader, wbindgen_runtime.loadcheck  # what the load check needs
t4 = time.perf_counter()
pre = KitchenSink.prepare(engine, sys.argv[1])
t5 = time.perf_counter()
pre.instantiate(wasmtime.Store(engine)).api.add(1, 2)
t6 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t6 - t5)
"""


def warm_breakdown(n: int) -> None:
    folder = tempfile.mkdtemp(prefix="wbindgen-scaleout-bench-")
    env = dict(os.environ, PYTHONPATH=str(GENERATED), WBINDGEN_CACHE_DIR=folder)
    try:
        runs = [
            [float(x) for x in subprocess.run(
                [sys.executable, "-c", WARM_CHILD, DEMO], env=env, check=True,
                capture_output=True, text=True).stdout.split()]
            for _ in range(n + 1)
        ][1:]  # the first run compiles and fills the cache
    finally:
        shutil.rmtree(folder)
    labels = ("import wasmtime + kitchen_sink", "wasmtime.Engine()",
              "import importlib.metadata (cache key)", "import the reader + load check",
              "prepare, the rest (warm)", "instantiate + first call")
    print(f"   a warm worker's load in a fresh process (median of {n}):")
    for k, label in enumerate(labels):
        print(f"     {label:<40} {statistics.median(r[k] for r in runs) * 1e3:7.1f} ms")


def pool_start(method: str, path: str, folder: str, large: bool) -> tuple[float, list[float], Any]:
    ctx = multiprocessing.get_context(method)
    started = ctx.Barrier(2)
    t = time.perf_counter()
    pool = ProcessPoolExecutor(2, mp_context=ctx, initializer=init_worker,
                               initargs=(path, folder, large, started))
    loads = [f.result() for f in [pool.submit(load_seconds) for _ in range(2)]]
    return time.perf_counter() - t, loads, pool


def worker_start(large: bool) -> None:
    path = DEMO
    if large:
        from bench_reader import large_component

        big = large_component()
        if big is None:
            return
        path = str(big)
    print(f"\n2. worker start-up, ProcessPoolExecutor(2): {Path(path).name}")
    print(f"   {'':<22} {'pool ready':>11} {'per worker: prepare+instantiate':>34}")
    folder = tempfile.mkdtemp(prefix="wbindgen-scaleout-bench-")
    try:
        rows = [("spawn, cold cache", "spawn"), ("spawn, warm cache", "spawn"),
                ("spawn, warm again", "spawn"), ("forkserver, warm", "forkserver")]
        for label, method in rows:
            wall, loads, pool = pool_start(method, path, folder, large)
            pool.shutdown()
            each = ", ".join(f"{x * 1e3:.0f}" for x in loads)
            print(f"   {label:<22} {wall * 1e3:8.0f} ms {each:>31} ms")
    finally:
        shutil.rmtree(folder)


def pool_calls() -> None:
    folder = tempfile.mkdtemp(prefix="wbindgen-scaleout-bench-")
    try:
        _, _, pool = pool_start("spawn", DEMO, folder, False)
        with pool:
            inst = KitchenSink.instantiate(wasmtime.Store(), DEMO)
            pts = [Point(i, -i) for i in range(100)]
            print("\n3. one call's round trip (median of 300)")
            print(f"   {'':<26} {'in process':>12} {'through the pool':>18}")
            for label, local, remote in (
                ("add(1, 2)", lambda: inst.api.add(1, 2),
                 lambda: pool.submit(add, 1, 2).result()),
                ("echo_points(100 points)", lambda: inst.api.echo_points(pts),
                 lambda: pool.submit(echo_points, pts).result()),
            ):
                lo, re_ = median_of(local, 300), median_of(remote, 300)
                print(f"   {label:<26} {lo * 1e6:9.1f} us {re_ * 1e6:15.0f} us")
            n = 20_000
            for chunk in (1, 64, 1024):
                t = time.perf_counter()
                list(pool.map(add, range(n), range(n), chunksize=chunk))
                dt = time.perf_counter() - t
                print(f"   pool.map(add, {n} calls, chunksize={chunk:<4}) "
                      f"{n / dt:9.0f} calls/s ({dt / n * 1e6:.0f} us each)")
    finally:
        shutil.rmtree(folder)


def dask_figures() -> None:
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        print("\n4. dask.distributed is not installed: skipped")
        return
    import dask_fanout

    print("\n4. dask.distributed, LocalCluster(n_workers=2, threads_per_worker=1, processes=True)")
    KitchenSink.prepare(wasmtime.Engine(), DEMO)  # the cache the workers inherit is warm
    t0 = time.perf_counter()
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                           dashboard_address=None)
    client = Client(cluster)
    t1 = time.perf_counter()
    client.run(dask_fanout.warm, DEMO)
    t2 = time.perf_counter()
    one = median_of(lambda: client.submit(dask_fanout.work, 3, DEMO, pure=False).result(), 100)
    n = 2000
    t3 = time.perf_counter()
    out = client.gather(client.map(dask_fanout.work, range(n), path=DEMO, pure=False))
    t4 = time.perf_counter()
    assert len(out) == n
    client.close()
    cluster.close()
    t5 = time.perf_counter()
    print(f"   cluster start-up (scheduler, 2 nannies + workers, client) {(t1 - t0):6.2f} s")
    print(f"   load the component on every worker (client.run)         {(t2 - t1) * 1e3:6.0f} ms")
    print(f"   one task's round trip (3 calls inside; median of 100)   {one * 1e3:6.1f} ms")
    print(f"   client.map of {n} tasks, gathered                      {(t4 - t3):6.2f} s "
          f"({n / (t4 - t3):.0f} tasks/s)")
    print(f"   shutdown                                                {(t5 - t4):6.2f} s")


def main() -> None:
    args = sys.argv[1:]
    import_times(15)
    worker_start(False)
    warm_breakdown(9)
    if "--large" in args:
        worker_start(True)
    pool_calls()
    if "--no-dask" not in args:
        dask_figures()


if __name__ == "__main__":
    main()
