"""The bulk lane against wasmtime-py's dynamic API, on the same component, in one process.

    python benchmarks/bench_lane.py [--quick]

Prints best-of-N times for round trips through the identity functions of
tests/lane_components/bulk (built with wasm-tools), the random-vs-ASCII ratio,
the crossover list lengths below which the plain path beats the lane, and the
wrapper build times. Nothing is asserted: figures only.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import wasmtime
import wbindgen_runtime as rt
from wasmtime import component as wc
from wbindgen_runtime.lane import LaneCall, build_wrapper, lane_export_name, lane_specs_for
from wbindgen_runtime.lane import wrapper as lane_wrapper
from wbindgen_runtime.types import F64, U8, Func, List, Record

ROOT = Path(__file__).resolve().parents[1]
BULK = "test:lane/bulk@0.1.0"


@dataclass
class Point:
    x: float
    y: float


POINT = Record("point", Point, (("x", "x", F64), ("y", "y", F64)))
EXPORTS = [
    (BULK, "echo-u8", Func((("l", List(U8)),), List(U8))),
    (BULK, "echo-f64", Func((("l", List(F64)),), List(F64))),
    (BULK, "echo-point", Func((("l", List(POINT)),), List(POINT))),
]


def best(fn: Callable[[], object], repeat: int, min_time: float = 0.0) -> float:
    """Best time of `repeat` runs (each run loops until `min_time` to time tiny calls)."""
    times = []
    for _ in range(repeat):
        n = 0
        start = time.perf_counter()
        while True:
            fn()
            n += 1
            elapsed = time.perf_counter() - start
            if elapsed >= min_time:
                break
        times.append(elapsed / n)
    return min(times)


def fmt(t: float) -> str:
    if t >= 1e-3:
        return f"{t * 1e3:,.2f} ms"
    return f"{t * 1e6:,.1f} µs"


def load_bulk() -> bytes:
    spec = importlib.util.spec_from_file_location(
        "_lane_build", ROOT / "tests/lane_components/build.py"
    )
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return Path(mod.build("bulk")).read_bytes()


class Setup:
    def __init__(self, engine: wasmtime.Engine, original: bytes) -> None:
        self.specs = lane_specs_for(EXPORTS)
        wrapped = build_wrapper(original, self.specs)
        self.store = wasmtime.Store(engine)
        comp = wc.Component(engine, wrapped)
        lane_exports = [
            (None, lane_export_name(k), s.lane_func()) for k, s in enumerate(self.specs)
        ]
        # The typed runtime over the wrapper: plain TypedFuncs of the original's
        # functions and TypedFuncs of the lane exports, in one instance.
        self.bound = rt.instantiate(self.store, comp, exports=EXPORTS + lane_exports)
        # wasmtime-py's dynamic API on the original component, own store.
        self.dstore = wasmtime.Store(engine)
        self.dinst = wc.Linker(engine).instantiate(self.dstore, wc.Component(engine, original))
        self.lstore = wasmtime.Store(engine)
        self.linst = wc.Linker(engine).instantiate(self.lstore, comp)

    def dynamic(self, name: str) -> Callable[[Any], Any]:
        s, i = self.dstore, self.dinst
        f = i.get_func(s, i.get_export_index(s, name, i.get_export_index(s, BULK)))
        return lambda v: f(s, v)

    def lane_dynamic(self, k: int) -> Callable[[Any], Any]:
        f = self.linst.get_func(self.lstore, lane_export_name(k))
        lc = LaneCall(self.specs[k])
        s = self.lstore
        return lambda v: lc.unpack(f(s, *lc.pack((v,))))

    def lane_typed(self, k: int) -> Callable[[Any], Any]:
        f = self.bound.func(None, lane_export_name(k))
        lc = LaneCall(self.specs[k])
        return lambda v: lc.unpack(f(*lc.pack((v,))))

    def typed(self, name: str) -> Callable[[Any], Any]:
        f = self.bound.func(BULK, name)
        return lambda v: f(v)


def main() -> None:
    quick = "--quick" in sys.argv
    rep_slow = 1 if quick else 3
    rep = 3 if quick else 7
    engine = wasmtime.Engine()
    original = load_bulk()
    st = Setup(engine, original)

    rows: list[tuple[str, float, float, str]] = []

    data = os.urandom(1 << 20)
    lane_u8 = st.lane_typed(0)
    assert lane_u8(data) == data
    t_dyn = best(lambda: st.dynamic("echo-u8")(data), rep_slow)
    t_lane = best(lambda: lane_u8(data), rep)
    t_lane_dyn = best(lambda: st.lane_dynamic(0)(data), rep)
    t_typed = best(lambda: st.typed("echo-u8")(data), rep_slow)
    rows.append(("1 MiB list<u8> round trip", t_lane, t_dyn, ">= 40x"))

    floats = [float(i) * 1.5 for i in range(131_072)]
    lane_f64 = st.lane_typed(1)
    assert lane_f64(floats) == floats
    t_dyn_f = best(lambda: st.dynamic("echo-f64")(floats), rep_slow)
    t_lane_f = best(lambda: lane_f64(floats), rep)
    t_typed_f = best(lambda: st.typed("echo-f64")(floats), rep_slow)
    rows.append(("list<f64> x 131,072 round trip", t_lane_f, t_dyn_f, ">= 40x"))

    pts = [Point(float(i), -float(i)) for i in range(65_536)]
    dyn_pts = []
    for p in pts:
        r = wc.Record()
        r.x, r.y = p.x, p.y
        dyn_pts.append(r)
    lane_pt = st.lane_typed(2)
    assert lane_pt(pts) == pts
    t_dyn_p = best(lambda: st.dynamic("echo-point")(dyn_pts), rep_slow)
    t_lane_p = best(lambda: lane_pt(pts), rep)
    t_typed_p = best(lambda: st.typed("echo-point")(pts), rep_slow)
    rows.append(("list<point{x,y: f64}> x 65,536 round trip", t_lane_p, t_dyn_p, ">= 20x"))

    print("## Lane vs wasmtime-py's dynamic API (same component)\n")
    print("| case | lane | dynamic API | ratio | target |")
    print("| --- | --- | --- | --- | --- |")
    for label, lane, dyn, target in rows:
        print(f"| {label} | {fmt(lane)} | {fmt(dyn)} | {dyn / lane:,.0f}x | {target} |")

    print("\n## Other paths for the same calls\n")
    print("| case | lane via dynamic Func | typed runtime, plain path |")
    print("| --- | --- | --- |")
    print(f"| 1 MiB list<u8> | {fmt(t_lane_dyn)} | {fmt(t_typed)} |")
    print(f"| list<f64> x 131,072 | - | {fmt(t_typed_f)} |")
    print(f"| list<point> x 65,536 | - | {fmt(t_typed_p)} |")

    ascii_data = bytes(i % 128 for i in range(1 << 20))
    t_ascii = best(lambda: lane_u8(ascii_data), rep)
    t_rand = best(lambda: lane_u8(data), rep)
    print("\n## Random vs ASCII bytes through the lane (1 MiB round trip)\n")
    print("| random | ASCII | ratio | target |")
    print("| --- | --- | --- | --- |")
    print(f"| {fmt(t_rand)} | {fmt(t_ascii)} | {t_rand / t_ascii:.2f}x | <= 3x |")

    # Breakdown of one 1 MiB lane call.
    lc = LaneCall(st.specs[0])
    f0 = st.bound.func(None, lane_export_name(0))
    packed = lc.pack((data,))
    result = f0(*packed)
    t_pack = best(lambda: lc.pack((data,)), rep)
    t_call = best(lambda: f0(*packed), rep)
    t_unpack = best(lambda: lc.unpack(result), rep)
    print(
        f"\n1 MiB breakdown: pack {fmt(t_pack)}, call (wasm + C API strings) {fmt(t_call)}, "
        f"unpack {fmt(t_unpack)}"
    )

    print("\n## Crossover: plain path vs lane, by list length\n")
    lengths = [0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096, 16384]
    for k, name, make in (
        (0, "echo-u8", lambda n: os.urandom(n)),
        (1, "echo-f64", lambda n: [float(i) for i in range(n)]),
        (2, "echo-point", lambda n: [Point(float(i), 1.0) for i in range(n)]),
    ):
        print(f"### {name}\n")
        print("| n | typed plain | typed lane | dynamic plain | dynamic lane |")
        print("| --- | --- | --- | --- | --- |")
        typed, lane_t = st.typed(name), st.lane_typed(k)
        dyn, lane_d = st.dynamic(name), st.lane_dynamic(k)
        cross_typed = cross_dyn = None
        for n in lengths:
            v = make(n)
            dv = v
            if name == "echo-point":
                dv = []
                for p in v:
                    r = wc.Record()
                    r.x, r.y = p.x, p.y
                    dv.append(r)
            a = best(lambda f=typed, v=v: f(v), 3, 0.02)
            b = best(lambda f=lane_t, v=v: f(v), 3, 0.02)
            c = best(lambda f=dyn, v=dv: f(v), 3, 0.02)
            d = best(lambda f=lane_d, v=v: f(v), 3, 0.02)
            if cross_typed is None and b < a:
                cross_typed = n
            if cross_dyn is None and d < c:
                cross_dyn = n
            print(f"| {n} | {fmt(a)} | {fmt(b)} | {fmt(c)} | {fmt(d)} |")
        print(
            f"\n{name}: the lane wins from n = {cross_typed} (typed plain path) "
            f"and from n = {cross_dyn} (dynamic API)\n"
        )

    print("## Wrapper build time\n")
    print("| component | size | lanes | build |")
    print("| --- | --- | --- | --- |")
    t_b = best(lambda: build_wrapper(original, st.specs), rep)
    print(f"| lane bulk test component | {len(original):,} B | {len(st.specs)} | {fmt(t_b)} |")
    big = ROOT / ".cache" / "bench" / "app.wasm"
    if big.exists():
        raw = big.read_bytes()
        t_big = best(lambda: build_wrapper(raw, []), rep)
        print(f"| componentize-py app.wasm | {len(raw):,} B | 0 | {fmt(t_big)} |")
    else:
        print("| componentize-py app.wasm | (absent: run benchmarks/bench_reader.py) | | |")

    if not quick:
        print("\n## String encoding of the lane exports (1 MiB random round trip)\n")
        for label, code in (("utf8", b"\x00"), ("latin1+utf16", b"\x02")):
            saved = lane_wrapper.STRING_ENCODING
            lane_wrapper.STRING_ENCODING = code
            try:
                alt = Setup(engine, original)
            finally:
                lane_wrapper.STRING_ENCODING = saved
            fn = alt.lane_typed(0)
            assert fn(data) == data
            print(f"- {label}: {fmt(best(lambda f=fn: f(data), rep))}")


if __name__ == "__main__":
    main()
