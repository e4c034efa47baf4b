"""Time the generator end to end (read, check against wasmtime, plan,
render, format) on a small component and on a ~18 MB componentize-py one.

The generation-time check compiles the component with wasmtime; that
dominates for a large component, so both the first run (cold compiled-
component cache) and a later run (warm cache) are shown.

    python benchmarks/bench_generate.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).parent))

from bench_reader import large_component  # noqa: E402
from wbindgen.generate import generate_files  # noqa: E402
from wbindgen_runtime import cache  # noqa: E402


def timed(path: Path, name: str) -> tuple[float, int]:
    start = time.perf_counter()
    files = generate_files(path, name, None)
    return time.perf_counter() - start, sum(len(v) for v in files.values())


def main() -> None:
    cache.configure(enabled=True, folder=tempfile.mkdtemp(prefix="wbindgen-bench-"))
    rows = []
    small = ROOT / "examples" / "kitchen_sink.wat"
    cold, size = timed(small, "kitchen_sink")
    warm = min(timed(small, "kitchen_sink")[0] for _ in range(5))
    rows.append(("kitchen sink (text, 37 KB)", cold, warm, size))
    big = large_component()
    if big is not None:
        cold, size = timed(big, "app")
        warm = min(timed(big, "app")[0] for _ in range(3))
        rows.append((f"componentize-py ({big.stat().st_size / 1e6:.1f} MB)", cold, warm, size))
    print(f"{'component':<32} {'cold cache':>12} {'warm cache':>12} {'output':>10}")
    for label, c, w, n in rows:
        print(f"{label:<32} {c * 1000:>10.0f} ms {w * 1000:>10.0f} ms {n / 1000:>8.1f} KB")


if __name__ == "__main__":
    main()
