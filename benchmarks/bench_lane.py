"""The bulk lane, through the typed runtime, against wasmtime-py's dynamic API, in one process.

    python benchmarks/bench_lane.py [--quick]

`wbindgen_runtime.instantiate` is given the component's bytes, so the lane is
wired in as users get it (the wrapper is built and compiled through the cache;
each lane-eligible export routes by list length). The dynamic API runs the
original component. Prints best-of-N round trips through the identity
functions of tests/lane_components/bulk (built with wasm-tools), the
random-vs-ASCII ratio, the crossover list lengths between the plain path and
the lane (which set the routing threshold), and wrapper build times. Buffers
(array.array, numpy) in and out: benchmarks/bench_buffers.py. Nothing is asserted: figures only.
"""

from __future__ import annotations

import binascii
import importlib.util
import os
import sys
import time
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import wasmtime
import wbindgen_runtime as rt
from wasmtime import component as wc
from wbindgen_runtime import lane
from wbindgen_runtime.lane import adapter, build_wrapper, lane_specs_for
from wbindgen_runtime.lane.floats import FloatPickler
from wbindgen_runtime.types import BOOL, CHAR, F64, U8, U16, U32, Func, List, Record, TypeDesc

ROOT = Path(__file__).resolve().parents[1]
BULK = "test:lane/bulk@0.1.0"


@dataclass
class Point:
    x: float
    y: float


@dataclass
class Mixed:
    a: int
    b: int
    c: int
    d: int
    e: bool


POINT = Record("point", Point, (("x", "x", F64), ("y", "y", F64)))
MIXED = Record(
    "mixed",
    Mixed,
    (("a", "a", U8), ("b", "b", U16), ("c", "c", U32), ("d", "d", U8), ("e", "e", BOOL)),
)


def _echo(t: TypeDesc) -> Func:
    return Func((("l", List(t)),), List(t))


ELEMS: dict[str, tuple[TypeDesc, Callable[[int], Any]]] = {
    "u8": (U8, lambda n: os.urandom(n)),
    "u32": (U32, lambda n: list(range(n))),
    "f64": (F64, lambda n: [float(i) * 1.5 for i in range(n)]),
    "bool": (BOOL, lambda n: [i % 3 == 0 for i in range(n)]),
    "char": (CHAR, lambda n: [chr(0x41 + i % 50) for i in range(n)]),
    "point": (POINT, lambda n: [Point(float(i), -float(i)) for i in range(n)]),
    "mixed": (MIXED, lambda n: [Mixed(i % 256, i % 65536, i, 7, i % 2 == 0) for i in range(n)]),
}
EXPORTS = [(BULK, f"echo-{name}", _echo(t)) for name, (t, _) in ELEMS.items()]


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
    return f"{t * 1e6:,.2f} µs"


def load_bulk() -> bytes:
    spec = importlib.util.spec_from_file_location(
        "_lane_build", ROOT / "tests/lane_components/build.py"
    )
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return Path(mod.build("bulk")).read_bytes()


def typed(engine: wasmtime.Engine, original: bytes, **config: Any) -> rt.BoundInstance:
    """A typed instance with the lane configured as given (restored afterwards)."""
    saved = (lane.enabled(), lane.threshold())
    lane.configure(**config)
    try:
        return rt.instantiate(wasmtime.Store(engine), original, exports=EXPORTS)
    finally:
        lane.configure(enabled=saved[0], threshold=saved[1])


class Dynamic:
    """wasmtime-py's dynamic API on the original component."""

    def __init__(self, engine: wasmtime.Engine, original: bytes) -> None:
        self.store = wasmtime.Store(engine)
        self.inst = wc.Linker(engine).instantiate(self.store, wc.Component(engine, original))

    def func(self, name: str) -> Callable[[Any], Any]:
        s, i = self.store, self.inst
        f = i.get_func(s, i.get_export_index(s, name, i.get_export_index(s, BULK)))
        return lambda v: f(s, v)


def to_dyn(v: Any) -> Any:
    if isinstance(v, list) and v and hasattr(v[0], "__dataclass_fields__"):
        out = []
        for p in v:
            r = wc.Record()
            for k in p.__dataclass_fields__:
                setattr(r, k, getattr(p, k))
            out.append(r)
        return out
    return v


def main() -> None:
    quick = "--quick" in sys.argv
    rep_slow = 1 if quick else 3
    rep = 3 if quick else 7
    engine = wasmtime.Engine()
    original = load_bulk()
    routed = typed(engine, original)  # what users get: lane above the threshold
    plain = typed(engine, original, enabled=False)
    always = typed(engine, original, threshold=0)
    dyn = Dynamic(engine, original)
    assert routed.func(BULK, "echo-u8").lane_spec is not None
    assert plain.func(BULK, "echo-u8").lane_spec is None

    def row(name: str, v: Any) -> tuple[float, float, float]:
        f, g, d = routed.func(BULK, name), plain.func(BULK, name), dyn.func(name)
        dv = to_dyn(v)
        assert f(v) == v
        t_lane = best(lambda: f(v), rep)
        t_plain = best(lambda: g(v), rep_slow)
        t_dyn = best(lambda: d(dv), rep_slow)
        return t_lane, t_plain, t_dyn

    data = os.urandom(1 << 20)
    floats = [float(i) * 1.5 for i in range(131_072)]
    pts = [Point(float(i), -float(i)) for i in range(65_536)]
    rows = [
        ("1 MiB list<u8> round trip", row("echo-u8", data), ">= 40x"),
        ("list<f64> x 131,072 round trip", row("echo-f64", floats), ">= 40x"),
        ("list<point{x,y: f64}> x 65,536 round trip", row("echo-point", pts), ">= 20x"),
    ]
    print(f"## Typed runtime (lane wired in, codec {adapter.CODEC}) vs the dynamic API\n")
    print("| case | typed (lane) | typed (lane off) | dynamic API | ratio | target |")
    print("| --- | --- | --- | --- | --- | --- |")
    for label, (t_lane, t_plain, t_dyn), target in rows:
        print(
            f"| {label} | {fmt(t_lane)} | {fmt(t_plain)} | {fmt(t_dyn)} "
            f"| {t_dyn / t_lane:,.0f}x | {target} |"
        )

    # Where the list<f64> round trip goes: the CPython steps the lane cannot
    # skip while the API takes and returns list[float], timed alone.
    fp = FloatPickler()
    packed = fp.numbers(floats)
    assert packed is not None
    raw = array("d", floats).tobytes()
    raw_hex = binascii.hexlify(raw)
    steps = [
        ("pickle the list (checks and packs)", best(lambda: fp.numbers(floats), rep)),
        ("hexlify the pickle", best(lambda: binascii.hexlify(packed), rep)),
        ("unhexlify the result", best(lambda: binascii.unhexlify(raw_hex), rep)),
        ("array('d', result).tolist()", best(lambda: array("d", raw).tolist(), rep)),
    ]
    t_f64, _, t_f64_dyn = rows[1][1]
    cpython = sum(t for _, t in steps)
    print("\n## Where the list<f64> x 131,072 round trip goes (same run)\n")
    print("| step | time |")
    print("| --- | --- |")
    for label, t in steps:
        print(f"| {label} | {fmt(t)} |")
    print(f"| CPython steps together | {fmt(cpython)} |")
    rest = t_f64 - cpython
    print(f"| the rest (C API copies, wasm codec and unpickling, adapters) | {fmt(rest)} |")
    print(f"| round trip through the lane | {fmt(t_f64)} |")
    print(f"| 40x the dynamic API would need | {fmt(t_f64_dyn / 40)} |")

    f_u8 = routed.func(BULK, "echo-u8")
    ascii_data = bytes(i % 128 for i in range(1 << 20))
    t_ascii = best(lambda: f_u8(ascii_data), rep)
    t_rand = best(lambda: f_u8(data), rep)
    print("\n## Random vs ASCII bytes through the lane (1 MiB round trip)\n")
    print("| random | ASCII | ratio | target |")
    print("| --- | --- | --- | --- |")
    print(f"| {fmt(t_rand)} | {fmt(t_ascii)} | {t_rand / t_ascii:.2f}x | <= 3x |")

    print("\n## Crossover: typed plain path vs typed lane, by list length\n")
    lengths = [0, 1, 2, 4, 8, 12, 16, 24, 32, 64, 256, 4096]
    print("| n | " + " | ".join(f"{e} plain / lane" for e in ELEMS) + " |")
    print("| --- |" + " --- |" * len(ELEMS))
    last_loss: dict[str, int] = {e: -1 for e in ELEMS}
    for n in lengths:
        cells = []
        for e, (_, make) in ELEMS.items():
            v = make(n)
            g, f = plain.func(BULK, f"echo-{e}"), always.func(BULK, f"echo-{e}")
            t_p = best(lambda g=g, v=v: g(v), 5, 0.02)
            t_l = best(lambda f=f, v=v: f(v), 5, 0.02)
            if t_l >= t_p:
                last_loss[e] = n
            cells.append(f"{fmt(t_p)} / {fmt(t_l)}")
        print(f"| {n} | " + " | ".join(cells) + " |")
    print()
    for e, n in last_loss.items():
        nxt = next((m for m in lengths if m > n), None)
        print(f"- {e}: the lane wins from n = {nxt} (last length where it lost: {n})")
    print(f"\nRouting threshold in use: {lane.threshold()} elements")

    print("\n## Wrapper build and load\n")
    specs = lane_specs_for(EXPORTS)
    t_b = best(lambda: build_wrapper(original, specs), rep)
    t_load = best(lambda: rt.instantiate(wasmtime.Store(engine), original, exports=EXPORTS), rep)
    print(f"- bulk test component ({len(original):,} B, {len(specs)} lanes): build {fmt(t_b)}")
    print(f"- instantiate with the lane (cached wrapper, type check, plans): {fmt(t_load)}")
    big = ROOT / ".cache" / "bench" / "app.wasm"
    if big.exists():
        raw = big.read_bytes()
        t_big = best(lambda: build_wrapper(raw, []), rep)
        print(f"- componentize-py app.wasm ({len(raw):,} B, 0 lanes): build {fmt(t_big)}")


if __name__ == "__main__":
    main()
