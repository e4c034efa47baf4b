"""First start against second start of a ~18 MB componentize-py component,
each in a fresh process, sharing one compiled-component cache folder.

"Start" is what a host program pays before its first call: loading the
component (compiling it, or deserializing the cached artifact) and
instantiating it with WASI. Wall time of the whole process is shown too.

    python benchmarks/bench_cache.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
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


def main() -> None:
    big = large_component()
    if big is None:
        return
    folder = tempfile.mkdtemp(prefix="wbindgen-cache-bench-")
    first, first_wall = start(big, folder)
    seconds = [start(big, folder) for _ in range(3)]
    second, second_wall = min(s[0] for s in seconds), min(s[1] for s in seconds)
    print(f"component: {big.name} ({big.stat().st_size / 1e6:.1f} MB)")
    print(f"{'':<14} {'load+instantiate':>18} {'process wall':>14}")
    print(f"{'first start':<14} {first * 1000:>15.0f} ms {first_wall * 1000:>11.0f} ms")
    print(f"{'second start':<14} {second * 1000:>15.0f} ms {second_wall * 1000:>11.0f} ms")
    print(
        f"ratio: {first / second:.0f}x (load+instantiate), {first_wall / second_wall:.1f}x (wall)"
    )


if __name__ == "__main__":
    main()
