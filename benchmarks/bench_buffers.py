"""Numeric lists as buffers, through the typed runtime, against wasmtime-py's dynamic API.

    python benchmarks/bench_buffers.py [--quick]

One process. The component is tests/lane_components/bulk (built with
wasm-tools); `wbindgen_runtime.instantiate` is given its bytes, so the bulk
lane is wired in as users get it. Each row is a round trip through an identity
function (`echo-f64`, `echo-u32`, `echo-u8`) with the argument given as a
Python list, an `array.array` or a numpy array, and the result as a list
(default) or as an `array.array` (`BufferList` descriptors, what
`wbindgen --buffers` generates). The baseline is the dynamic API on the
original component with the same values as a Python list (`bytes` for
`list<u8>`). Best of N; nothing is asserted: figures only.
"""

from __future__ import annotations

import sys
from array import array
from typing import Any

import numpy as np
import wasmtime
import wbindgen_runtime as rt
from bench_lane import BULK, Dynamic, best, fmt, load_bulk
from wbindgen_runtime import lane
from wbindgen_runtime.buffers import BufferList
from wbindgen_runtime.types import F64, U8, U32, Func, List, TypeDesc

N = 131_072


def exports(buffers: bool) -> list[tuple[str | None, str, Func]]:
    out = []
    for name, t in (("f64", F64), ("u32", U32), ("u8", U8)):
        ls: TypeDesc = (BufferList if buffers else List)(t)
        out.append((BULK, f"echo-{name}", Func((("l", ls),), ls)))
    return out


def main() -> None:
    quick = "--quick" in sys.argv
    rep, rep_dyn = (5, 1) if quick else (15, 3)
    engine = wasmtime.Engine()
    original = load_bulk()

    def typed(buffers: bool, enabled: bool = True) -> rt.BoundInstance:
        lane.configure(enabled=enabled)
        try:
            return rt.instantiate(wasmtime.Store(engine), original, exports=exports(buffers))
        finally:
            lane.configure(enabled=True)

    lists, arrays = typed(False), typed(True)
    plain_lists, plain_arrays = typed(False, enabled=False), typed(True, enabled=False)
    dyn = Dynamic(engine, original)
    assert lists.func(BULK, "echo-f64").lane_spec is not None

    floats = [float(i) * 1.5 - 7e4 for i in range(N)]
    ints = [(i * 2654435761) % (1 << 32) for i in range(N)]
    data = bytes(np.random.default_rng(7).integers(0, 256, 1 << 20, dtype=np.uint8))
    cases: list[tuple[str, str, Any, list[tuple[str, Any]]]] = [
        ("f64", f"list<f64> x {N:,}", floats,
         [("list", floats), ("array('d')", array("d", floats)),
          ("numpy float64", np.array(floats))]),
        ("u32", f"list<u32> x {N:,}", ints,
         [("list", ints), ("array('I')", array("I", ints)),
          ("numpy uint32", np.array(ints, dtype=np.uint32))]),
        ("u8", "list<u8> x 1 MiB", data,
         [("bytes", data), ("array('B')", array("B", data)),
          ("numpy uint8", np.frombuffer(data, dtype=np.uint8))]),
    ]  # fmt: skip

    print("## Numeric lists as buffers: typed runtime (lane) vs the dynamic API with a list\n")
    print("| list | argument | list results | ratio | buffer results | ratio "
          "| plain path (lists / buffers) | dynamic API |")  # fmt: skip
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, label, baseline, args in cases:
        d = dyn.func(f"echo-{name}")
        t_dyn = best(lambda d=d, v=baseline: d(v), rep_dyn)
        fl, fa = lists.func(BULK, f"echo-{name}"), arrays.func(BULK, f"echo-{name}")
        pl, pa = plain_lists.func(BULK, f"echo-{name}"), plain_arrays.func(BULK, f"echo-{name}")
        for arg_label, v in args:
            want = baseline if name == "u8" else list(baseline)
            assert fl(v) == want and list(fa(v)) == list(want)
            t_l = best(lambda f=fl, v=v: f(v), rep)
            t_a = best(lambda f=fa, v=v: f(v), rep)
            t_pl = best(lambda f=pl, v=v: f(v), max(1, rep // 5))
            t_pa = best(lambda f=pa, v=v: f(v), max(1, rep // 5))
            print(f"| {label} | {arg_label} | {fmt(t_l)} | {t_dyn / t_l:,.0f}x "
                  f"| {fmt(t_a)} | {t_dyn / t_a:,.0f}x | {fmt(t_pl)} / {fmt(t_pa)} "
                  f"| {fmt(t_dyn)} |")  # fmt: skip
    print("\nTargets (issue 18): list<f64> from array('d') and numpy >= 40x with list results,")
    print(">= 60x with buffer results. list<u8> results are bytes either way.")


if __name__ == "__main__":
    main()
