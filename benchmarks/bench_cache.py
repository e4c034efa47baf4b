"""The caches on disk: what they save, and what their checks cost.

1. First start against second start of a ~18 MB componentize-py component,
   each in a fresh process, sharing one cache root. "Start" is what a host
   program pays before its first call: loading the component (compiling it,
   or deserializing the cached artifact) and instantiating it with WASI.
   Wall time of the whole process is shown too.
2. Reading one entry back, in process: the trusted read (`cache.lookup`:
   root, folder and entry opened without following links, ownership and mode
   checked, checksum verified, entry marked used) against a plain read and
   checksum of the same file (what the cache did before the checks), for the
   large artifact and for a small one.
3. A write that evicts, with 1,000 entries in the root (the scan for the
   least recently used).

    python benchmarks/bench_cache.py
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_reader import large_component  # noqa: E402

CHILD = """
import sys, time, wasmtime
from wasmtime.component import Linker
from wbindgen_runtime.cache import load_component
t = time.perf_counter()
engine = wasmtime.Engine()
component = load_component(engine, sys.argv[1])
store = wasmtime.Store(engine)
store.set_wasi(wasmtime.WasiConfig())
linker = Linker(engine)
linker.add_wasip2()
linker.instantiate(store, component)
print(time.perf_counter() - t)
"""


def start(path: Path, folder: str) -> tuple[float, float]:
    env = dict(os.environ, WBINDGEN_CACHE_DIR=folder, WBINDGEN_CACHE="1")
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", CHILD, str(path)], env=env, check=True,
                         capture_output=True, text=True).stdout
    return float(out), time.perf_counter() - t


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def plain_read(path: Path) -> bytes:
    raw = path.read_bytes()
    hashlib.sha256(raw[42:]).digest()
    return raw


def reads(folder: str) -> None:
    from wbindgen_runtime import cache

    cache.configure(enabled=True, folder=folder)
    print("\nreading one entry back (best of N, in process)")
    print(f"{'entry':<22} {'size':>10} {'plain read':>12} {'trusted read':>14} {'checks':>10}")
    small = cache.COMPONENTS.suffix
    cache.store(cache.COMPONENTS, "small" + small, b"s" * 40_000)
    for path in sorted((Path(folder) / "components").iterdir(), key=lambda p: p.stat().st_size):
        n = 2000 if path.stat().st_size < 1e6 else 20
        plain = best(lambda p=path: plain_read(p), n)
        trusted = best(lambda p=path: cache.lookup(cache.COMPONENTS, p.name), n)
        label = "small (40 KB)" if path.name.startswith("small") else "componentize-py"
        print(f"{label:<22} {path.stat().st_size / 1e6:>7.2f} MB {plain * 1e6:>9.0f} us "
              f"{trusted * 1e6:>11.0f} us {(trusted - plain) * 1e6:>7.0f} us")


def eviction() -> None:
    from wbindgen_runtime import cache

    root = tempfile.mkdtemp(prefix="wbindgen-evict-bench-")
    try:
        cache.configure(enabled=True, folder=root, max_bytes=1000 * 1100)
        for i in range(1000):
            cache.store(cache.COMPONENTS, f"{i}.cwasm", b"e" * 1000)
        i = iter(range(1000, 10**6))
        t = best(lambda: cache.store(cache.COMPONENTS, f"{next(i)}.cwasm", b"e" * 1000), 50)
        left = len(os.listdir(Path(root) / "components"))
        print(f"\na write that evicts, 1,000 entries in the root: {t * 1e3:.2f} ms "
              f"({left} entries left)")
    finally:
        shutil.rmtree(root)


def main() -> None:
    big = large_component()
    if big is None:
        return
    folder = tempfile.mkdtemp(prefix="wbindgen-cache-bench-")
    try:
        first, first_wall = start(big, folder)
        seconds = [start(big, folder) for _ in range(3)]
        second, second_wall = min(s[0] for s in seconds), min(s[1] for s in seconds)
        print(f"component: {big.name} ({big.stat().st_size / 1e6:.1f} MB)")
        print(f"{'':<14} {'load+instantiate':>18} {'process wall':>14}")
        print(f"{'first start':<14} {first * 1000:>15.0f} ms {first_wall * 1000:>11.0f} ms")
        print(f"{'second start':<14} {second * 1000:>15.0f} ms {second_wall * 1000:>11.0f} ms")
        print(
            f"ratio: {first / second:.0f}x (load+instantiate), "
            f"{first_wall / second_wall:.1f}x (wall)"
        )
        reads(folder)
    finally:
        shutil.rmtree(folder)
    eviction()


if __name__ == "__main__":
    main()
