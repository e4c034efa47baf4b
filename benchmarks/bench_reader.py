"""Time `read_component` on a small component and on a large (~18 MB)
componentize-py component.

The large one is built once with componentize-py into `.cache/bench/` (git
ignored) and reused. Core modules are skipped by their size, so reading time
depends on the component-level sections, not on the megabytes of CPython
inside; the target is well under 0.5 s.

    python benchmarks/bench_reader.py
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import wasmtime
from wbindgen_runtime.reader import read_component

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "bench"

SMALL_WAT = """
(component
  (type $api (instance
    (type $rec (record (field "x" s32) (field "y" s32)))
    (export "point" (type $p (eq $rec)))
    (type $f (func (param "a" $p) (param "b" $p) (result $p)))
    (export "add" (func (type $f)))
  ))
  (import "bench:app/api" (instance (type $api)))
)
"""

APP_WIT = """\
package bench:app;

interface api {
  record point { x: s32, y: s32 }
  add: func(a: point, b: point) -> point;
}

world app {
  export api;
}
"""

APP_PY = """\
from wit_world import exports
from wit_world.exports.api import Point


class Api(exports.Api):
    def add(self, a: Point, b: Point) -> Point:
        return Point(a.x + b.x, a.y + b.y)
"""


def _tool(name: str) -> str | None:
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name)


def large_component() -> Path | None:
    out = CACHE / "app.wasm"
    if out.exists():
        return out
    tool = _tool("componentize-py")
    if tool is None:
        print("componentize-py is not installed: skipping the large component")
        return None
    (CACHE / "wit").mkdir(parents=True, exist_ok=True)
    (CACHE / "wit" / "app.wit").write_text(APP_WIT)
    (CACHE / "app.py").write_text(APP_PY)
    print("building the componentize-py component (once, cached) ...")
    subprocess.run(
        [tool, "-d", "wit", "-w", "app", "componentize", "app", "-o", "app.wasm"],
        cwd=CACHE,
        check=True,
        capture_output=True,
    )
    return out


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def report(label: str, data: bytes, repeat: int) -> None:
    best, median = timed(lambda: read_component(data), repeat)
    size = f"{len(data) / 1e6:.1f} MB" if len(data) > 1e6 else f"{len(data)} B"
    print(f"{label:<34} {size:>9}   best {best * 1e3:8.2f} ms   median {median * 1e3:8.2f} ms")


def main() -> None:
    report("small component (one interface)", bytes(wasmtime.wat2wasm(SMALL_WAT)), 200)
    jco = ROOT.parent / "shared" / "fixtures" / "jco" / "resources.component.wasm"
    if jco.exists():
        report("jco resources fixture", jco.read_bytes(), 50)
    large = large_component()
    if large is not None:
        report("componentize-py component", large.read_bytes(), 20)


if __name__ == "__main__":
    main()
