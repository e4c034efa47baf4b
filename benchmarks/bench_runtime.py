"""Runtime call cost: wbindgen_runtime's typed plans vs wasmtime-py's dynamic API.

Run: ``python benchmarks/bench_runtime.py`` (one process, best of N repeats; the
machine is noisy, so only ratios measured in the same run are compared).
Prints ns per call for each path and the ratio, the no-argument call against a
raw ctypes ``wasmtime_component_func_call`` with preallocated buffers, and the
RSS growth over 10**6 calls.
"""

from __future__ import annotations

import ctypes
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import wbindgen_runtime as rt
from wasmtime import Engine, Store
from wasmtime.component import Component, Linker, Record
from wbindgen_runtime import capi
from wbindgen_runtime.types import (
    BOOL,
    F64,
    S64,
    STRING,
    U8,
    U32,
    Func,
    List,
    Option,
    Result,
)
from wbindgen_runtime.types import Record as RecordT
from wbindgen_runtime.types import Variant as VariantT

RET = 256
WAT = f"""(component
  (import "bench:rt/host" (instance $host (export "add" (func (param "a" u32) (param "b" u32) (result u32)))))
  (alias export $host "add" (func $hadd))
  (core func $hadd-c (canon lower (func $hadd)))
  (core module $m
    (import "h" "add" (func $hadd (param i32 i32) (result i32)))
    (memory (export "mem") 1)
    (global $bump (mut i32) (i32.const 1024))
    (func (export "realloc") (param $old i32) (param $os i32) (param $al i32) (param $ns i32) (result i32)
      (local $p i32)
      global.get $bump local.get $al i32.const 1 i32.sub i32.add
      local.get $al i32.const 1 i32.sub i32.const -1 i32.xor i32.and local.set $p
      local.get $p local.get $ns i32.add global.set $bump
      (block $ok
        global.get $bump memory.size i32.const 16 i32.shl i32.le_u br_if $ok
        global.get $bump memory.size i32.const 16 i32.shl i32.sub i32.const 65535 i32.add i32.const 16 i32.shr_u
        memory.grow i32.const -1 i32.ne br_if $ok unreachable)
      (if (local.get $old) (then local.get $p local.get $old
        local.get $os local.get $ns local.get $os local.get $ns i32.lt_u select memory.copy))
      local.get $p)
    (func (export "reset") (param i32) i32.const 1024 global.set $bump)
    (func (export "nop"))
    (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
    (func (export "call-host") (param i32 i32) (result i32) local.get 0 local.get 1 call $hadd)
    (func (export "rec") (param i32 i64 f64 i32) (result i32)
      i32.const {RET} local.get 0 i32.store i32.const {RET} local.get 1 i64.store offset=8
      i32.const {RET} local.get 2 f64.store offset=16 i32.const {RET} local.get 3 i32.store8 offset=24
      i32.const {RET})
    (func (export "list") (param i32 i32) (result i32)
      i32.const {RET} local.get 0 i32.store i32.const {RET} local.get 1 i32.store offset=4 i32.const {RET})
    (func (export "shape") (param i32 f64) (result i32)
      i32.const {RET} local.get 0 i32.store8 i32.const {RET} local.get 1 f64.store offset=8 i32.const {RET})
    (func (export "opt") (param i32 i32) (result i32)
      i32.const {RET} local.get 0 i32.store8 i32.const {RET} local.get 1 i32.store offset=4 i32.const {RET})
    (func (export "res") (param i32 i32 i32) (result i32)
      i32.const {RET} local.get 0 i32.store8 i32.const {RET} local.get 1 i32.store offset=4
      i32.const {RET} local.get 2 i32.store offset=8 i32.const {RET}))
  (core instance $hi (export "add" (func $hadd-c)))
  (core instance $i (instantiate $m (with "h" (instance $hi))))
  (alias core export $i "mem" (core memory $mem))
  (alias core export $i "realloc" (core func $realloc))
  (type $rec' (record (field "a" u32) (field "b" s64) (field "c" f64) (field "d" bool)))
  (export $rec "rec" (type $rec'))
  (type $point' (record (field "x" f64) (field "y" f64)))
  (export $point "point" (type $point'))
  (type $shape' (variant (case "circle" f64) (case "none")))
  (export $shape "shape" (type $shape'))
  (func (export "nop") (canon lift (core func $i "nop")))
  (func (export "add") (param "a" u32) (param "b" u32) (result u32) (canon lift (core func $i "add")))
  (func (export "call-host") (param "a" u32) (param "b" u32) (result u32) (canon lift (core func $i "call-host")))
  (func (export "echo-rec") (param "r" $rec) (result $rec) (canon lift (core func $i "rec") (memory $mem)))
  (func (export "echo-bytes") (param "b" (list u8)) (result (list u8))
    (canon lift (core func $i "list") (memory $mem) (realloc $realloc) (post-return (core func $i "reset"))))
  (func (export "echo-points") (param "p" (list $point)) (result (list $point))
    (canon lift (core func $i "list") (memory $mem) (realloc $realloc) (post-return (core func $i "reset"))))
  (func (export "echo-shape") (param "s" $shape) (result $shape) (canon lift (core func $i "shape") (memory $mem)))
  (func (export "echo-opt") (param "o" (option u32)) (result (option u32)) (canon lift (core func $i "opt") (memory $mem)))
  (func (export "echo-res") (param "r" (result u32 (error string))) (result (result u32 (error string)))
    (canon lift (core func $i "res") (memory $mem) (realloc $realloc) (post-return (core func $i "reset"))))
)
"""


@dataclass
class Rec:
    a: int
    b: int
    c: float
    d: bool


@dataclass
class Point:
    x: float
    y: float


@dataclass
class Shape_Circle:
    value: float


@dataclass
class Shape_None:
    pass


REC = RecordT("rec", Rec, (("a", "a", U32), ("b", "b", S64), ("c", "c", F64), ("d", "d", BOOL)))
POINT = RecordT("point", Point, (("x", "x", F64), ("y", "y", F64)))
SHAPE = VariantT("shape", (("circle", F64, Shape_Circle), ("none", None, Shape_None)))
RES = Result(U32, STRING)
EXPORTS = [
    (None, "nop", Func()),
    (None, "add", Func((("a", U32), ("b", U32)), U32)),
    (None, "call-host", Func((("a", U32), ("b", U32)), U32)),
    (None, "echo-rec", Func((("r", REC),), REC)),
    (None, "echo-bytes", Func((("b", List(U8)),), List(U8))),
    (None, "echo-points", Func((("p", List(POINT)),), List(POINT))),
    (None, "echo-shape", Func((("s", SHAPE),), SHAPE)),
    (None, "echo-opt", Func((("o", Option(U32)),), Option(U32))),
    (None, "echo-res", Func((("r", RES),), RES)),
]


def best(fn: Callable[[], Any], n: int, repeats: int = 5) -> float:
    """Best-of-``repeats`` ns per call of ``fn`` run ``n`` times."""
    out = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter_ns()
        for _ in range(n):
            fn()
        out = min(out, (time.perf_counter_ns() - t0) / n)
    return out


def rss_kib() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def main() -> None:
    engine = Engine()
    comp = Component(engine, WAT)

    # Dynamic API instance.
    dstore = Store(engine)
    linker = Linker(engine)
    with linker.root() as root:
        with root.add_instance("bench:rt/host") as li:
            li.add_func("add", lambda _store, a, b: (a + b) & 0xFFFFFFFF)
    dinst = linker.instantiate(dstore, comp)
    dyn = {name: dinst.get_func(dstore, name) for _, name, _ in EXPORTS}

    def dcall(name: str, *args: Any) -> Any:
        f = dyn[name]
        r = f(dstore, *args)
        f.post_return(dstore)
        return r

    # Typed instance.
    tstore = Store(engine)
    bound = rt.instantiate(
        tstore,
        comp,
        exports=EXPORTS,
        imports=[
            (
                "bench:rt/host",
                "add",
                Func((("a", U32), ("b", U32)), U32),
                lambda a, b: (a + b) & 0xFFFFFFFF,
            )
        ],
    )
    tf = {name: bound.func(None, name) for _, name, _ in EXPORTS}

    mib = os.urandom(1 << 20)
    points = [Point(float(i), -float(i)) for i in range(1000)]

    def dyn_rec() -> Record:
        r = Record()
        r.a, r.b, r.c, r.d = 1, -2, 3.5, True
        return r

    def dyn_points() -> list[Record]:
        out = []
        for p in points:
            r = Record()
            r.x, r.y = p.x, p.y
            out.append(r)
        return out

    rec = Rec(1, -2, 3.5, True)
    drec = dyn_rec()
    dpoints = dyn_points()
    rows: list[tuple[str, float, float, float]] = []

    def row(
        label: str,
        target: float,
        fast: Callable[[], Any],
        slow: Callable[[], Any],
        n: int,
        rep: int = 5,
    ) -> None:
        tf_ns = best(fast, n, rep)
        dy_ns = best(slow, max(1, n // 8), rep)
        rows.append((label, tf_ns, dy_ns, target))

    assert tf["add"](2, 3) == 5 and dcall("add", 2, 3) == 5
    assert tf["echo-bytes"](mib) == mib
    assert tf["echo-points"](points) == points
    row("add(u32, u32) -> u32", 8, lambda: tf["add"](1, 2), lambda: dcall("add", 1, 2), 20000)
    row(
        "record of 4 scalars",
        10,
        lambda: tf["echo-rec"](rec),
        lambda: dcall("echo-rec", drec),
        20000,
    )
    row(
        "1 MiB list<u8> round trip",
        8,
        lambda: tf["echo-bytes"](mib),
        lambda: dcall("echo-bytes", mib),
        8,
        3,
    )
    row(
        "list<point> x1000 round trip",
        6,
        lambda: tf["echo-points"](points),
        lambda: dcall("echo-points", dpoints),
        40,
        3,
    )
    row(
        "variant round trip",
        8,
        lambda: tf["echo-shape"](Shape_Circle(1.5)),
        lambda: dcall("echo-shape", 1.5),
        20000,
    )
    row("option<u32> round trip", 8, lambda: tf["echo-opt"](7), lambda: dcall("echo-opt", 7), 20000)
    row(
        "result<u32, string> round trip",
        8,
        lambda: tf["echo-res"](rt.Err("e")),
        lambda: dcall("echo-res", "e"),
        20000,
    )
    row(
        "guest -> host call",
        4,
        lambda: tf["call-host"](1, 2),
        lambda: dcall("call-host", 1, 2),
        20000,
    )

    # No-argument call vs raw ctypes with preallocated buffers.
    nop = bound.func(None, "nop")
    fptr = ctypes.addressof(nop._func)
    ctx = capi.ptr_value(tstore._context())
    call = capi.func_call
    pbuf = ctypes.create_string_buffer(32)
    rbuf = ctypes.create_string_buffer(32)
    pa, ra = ctypes.addressof(pbuf), ctypes.addressof(rbuf)

    def raw() -> None:
        if call(fptr, ctx, pa, 0, ra, 0):
            raise RuntimeError

    raw_ns = best(raw, 50000)
    nop_ns = best(nop, 50000)

    print(f"wbindgen_runtime benchmark (python {sys.version.split()[0]}, best of N)")
    print(f"{'case':34} {'typed ns':>12} {'dynamic ns':>14} {'ratio':>8} {'target':>8}")
    for label, t_ns, d_ns, target in rows:
        ratio = d_ns / t_ns
        mark = "ok" if ratio >= target else "MISS"
        print(f"{label:34} {t_ns:12.0f} {d_ns:14.0f} {ratio:7.1f}x {target:6.0f}x {mark}")
    ratio = nop_ns / raw_ns
    print(
        f"{'no-arg call vs raw ctypes call':34} {nop_ns:12.0f} {raw_ns:14.0f} {ratio:7.2f}x {'<=1.5x':>8} "
        f"{'ok' if ratio <= 1.5 else 'MISS'}"
    )

    add = tf["add"]
    before = rss_kib()
    for _ in range(1_000_000):
        add(1, 2)
    grown = (rss_kib() - before) / 1024
    print(
        f"{'RSS growth over 10**6 add calls':34} {grown:11.2f} MiB {'< 10 MiB':>24} {'ok' if grown < 10 else 'MISS'}"
    )


if __name__ == "__main__":
    main()
