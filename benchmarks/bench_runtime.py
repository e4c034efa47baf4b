"""Runtime call cost: wbindgen_runtime's typed plans vs wasmtime-py's dynamic API.

Run: ``python benchmarks/bench_runtime.py`` (one process, best of N repeats; the
machine is noisy, so only ratios measured in the same run are compared).
Prints ns per call for each path and the ratio, the no-argument call against a
raw ctypes ``wasmtime_component_func_call`` with preallocated buffers, and the
RSS growth over 10**6 calls: first of one export, then of a mix of every kind
of call (strings, lists, records, results, guest resources created and dropped,
host resources owned and borrowed, guest -> host calls, and traps in fresh
instances). The fast and dynamic paths of a row are measured alternately, so
both see the same noise; ``--quick`` skips the 10**6-call figures.
"""

from __future__ import annotations

import ctypes
import gc
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import wasmtime
import wbindgen_runtime as rt
from wasmtime import Engine, Store
from wasmtime.component import Component, Linker, Record, ResourceHost, ResourceType
from wbindgen_runtime import capi
from wbindgen_runtime.types import (
    BOOL,
    F64,
    S64,
    STRING,
    U8,
    U32,
    Borrow,
    ExportedResource,
    Func,
    ImportedResource,
    List,
    Option,
    Own,
    Result,
)
from wbindgen_runtime.types import Record as RecordT
from wbindgen_runtime.types import Variant as VariantT

RET = 256
#: Canonical options of a function whose arguments and results go through memory.
IN_OUT = '(memory $mem) (realloc $realloc) (post-return (core func $i "reset"))'
WAT = f"""(component
  (import "bench:rt/host" (instance $host
    (export "add" (func (param "a" u32) (param "b" u32) (result u32)))
    (export "blob" (type $blob (sub resource)))
    (export "[constructor]blob" (func (param "size" u32) (result (own $blob))))
    (export "[method]blob.size" (func (param "self" (borrow $blob)) (result u32)))))
  (alias export $host "add" (func $hadd))
  (alias export $host "blob" (type $blob))
  (alias export $host "[constructor]blob" (func $blob-new))
  (alias export $host "[method]blob.size" (func $blob-size))
  (core func $hadd-c (canon lower (func $hadd)))
  (core func $blob-new-c (canon lower (func $blob-new)))
  (core func $blob-size-c (canon lower (func $blob-size)))
  (core func $blob-drop-c (canon resource.drop $blob))
  (type $counter' (resource (rep i32)))
  (core func $counter-new-c (canon resource.new $counter'))
  (core module $r
    (import "h" "blob-new" (func $bn (param i32) (result i32)))
    (import "h" "blob-size" (func $bs (param i32) (result i32)))
    (import "h" "blob-drop" (func $bd (param i32)))
    (import "h" "counter-new" (func $cn (param i32) (result i32)))
    (func (export "blob-cycle") (param $n i32) (result i32) (local $h i32) (local $s i32)
      local.get $n call $bn local.set $h
      local.get $h call $bs local.set $s
      local.get $h call $bd
      local.get $s)
    (func (export "peek") (param i32) (result i32) local.get 0 call $bd i32.const 1)
    (func (export "counter-new") (param i32) (result i32) local.get 0 call $cn)
    (func (export "counter-get") (param i32) (result i32) local.get 0)
    (func (export "boom") unreachable))
  (core instance $ri (instantiate $r (with "h" (instance
    (export "blob-new" (func $blob-new-c)) (export "blob-size" (func $blob-size-c))
    (export "blob-drop" (func $blob-drop-c)) (export "counter-new" (func $counter-new-c))))))
  (core module $m
    (import "h" "add" (func $hadd (param i32 i32) (result i32)))
    (memory (export "mem") 1)
    (global $bump (mut i32) (i32.const 1024))
    (func (export "realloc")
      (param $old i32) (param $os i32) (param $al i32) (param $ns i32) (result i32)
      (local $p i32)
      global.get $bump local.get $al i32.const 1 i32.sub i32.add
      local.get $al i32.const 1 i32.sub i32.const -1 i32.xor i32.and local.set $p
      local.get $p local.get $ns i32.add global.set $bump
      (block $ok
        global.get $bump memory.size i32.const 16 i32.shl i32.le_u br_if $ok
        global.get $bump memory.size i32.const 16 i32.shl i32.sub
        i32.const 65535 i32.add i32.const 16 i32.shr_u
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
      i32.const {RET} local.get 2 f64.store offset=16
      i32.const {RET} local.get 3 i32.store8 offset=24
      i32.const {RET})
    (func (export "list") (param i32 i32) (result i32)
      i32.const {RET} local.get 0 i32.store
      i32.const {RET} local.get 1 i32.store offset=4 i32.const {RET})
    (func (export "shape") (param i32 f64) (result i32)
      i32.const {RET} local.get 0 i32.store8
      i32.const {RET} local.get 1 f64.store offset=8 i32.const {RET})
    (func (export "opt") (param i32 i32) (result i32)
      i32.const {RET} local.get 0 i32.store8
      i32.const {RET} local.get 1 i32.store offset=4 i32.const {RET})
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
  (func (export "add") (param "a" u32) (param "b" u32) (result u32)
    (canon lift (core func $i "add")))
  (func (export "call-host") (param "a" u32) (param "b" u32) (result u32)
    (canon lift (core func $i "call-host")))
  (func (export "echo-rec") (param "r" $rec) (result $rec)
    (canon lift (core func $i "rec") (memory $mem)))
  (func (export "echo-bytes") (param "b" (list u8)) (result (list u8))
    (canon lift (core func $i "list") {IN_OUT}))
  (func (export "echo-points") (param "p" (list $point)) (result (list $point))
    (canon lift (core func $i "list") {IN_OUT}))
  (func (export "echo-shape") (param "s" $shape) (result $shape)
    (canon lift (core func $i "shape") (memory $mem)))
  (func (export "echo-opt") (param "o" (option u32)) (result (option u32))
    (canon lift (core func $i "opt") (memory $mem)))
  (func (export "echo-res")
    (param "r" (result u32 (error string))) (result (result u32 (error string)))
    (canon lift (core func $i "res") {IN_OUT}))
  (func (export "echo-str") (param "s" string) (result string)
    (canon lift (core func $i "list") {IN_OUT}))
  (export $counter "counter" (type $counter'))
  (func (export "[constructor]counter") (param "v" u32) (result (own $counter))
    (canon lift (core func $ri "counter-new")))
  (func (export "[method]counter.get") (param "self" (borrow $counter)) (result u32)
    (canon lift (core func $ri "counter-get")))
  (func (export "blob-cycle") (param "n" u32) (result u32)
    (canon lift (core func $ri "blob-cycle")))
  (func (export "peek") (param "b" (borrow $blob)) (result u32) (canon lift (core func $ri "peek")))
  (func (export "boom") (canon lift (core func $ri "boom")))
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


class Counter(rt.GuestResource):
    __slots__ = ()


class Blob:
    """A host resource: the guest creates, borrows and drops it."""

    __slots__ = ("size",)

    def __init__(self, size: int) -> None:
        self.size = size

    def get_size(self) -> int:
        return self.size


COUNTER = ExportedResource("counter", Counter)
BLOB = ImportedResource("blob")
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
    (None, "echo-str", Func((("s", STRING),), STRING)),
    (None, "[constructor]counter", Func((("v", U32),), Own(COUNTER))),
    (None, "[method]counter.get", Func((("self", Borrow(COUNTER)),), U32)),
    (None, "blob-cycle", Func((("n", U32),), U32)),
    (None, "peek", Func((("b", Borrow(BLOB)),), U32)),
    (None, "boom", Func()),
]
HOST = "bench:rt/host"


def typed_instance(engine: Engine, comp: Component | bytes) -> rt.BoundInstance:
    return rt.instantiate(
        Store(engine),
        comp,
        exports=EXPORTS,
        imports=[
            (HOST, "add", Func((("a", U32), ("b", U32)), U32), lambda a, b: (a + b) & 0xFFFFFFFF),
            (HOST, "[constructor]blob", Func((("size", U32),), Own(BLOB)), Blob),
            (HOST, "[method]blob.size", Func((("self", Borrow(BLOB)),), U32), Blob.get_size),
        ],
        resources=[(HOST, "blob", BLOB)],
    )


def best_pair(
    a: Callable[[], Any], na: int, b: Callable[[], Any] | None, nb: int, repeats: int
) -> tuple[float, float]:
    """Best-of-``repeats`` ns per call of ``a`` and ``b``, measured alternately."""
    out_a = out_b = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter_ns()
        for _ in range(na):
            a()
        out_a = min(out_a, (time.perf_counter_ns() - t0) / na)
        if b is not None:
            t0 = time.perf_counter_ns()
            for _ in range(nb):
                b()
            out_b = min(out_b, (time.perf_counter_ns() - t0) / nb)
    return out_a, out_b


def rss_kib() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def dynamic_instance(engine: Engine, comp: Component) -> tuple[Store, Any]:
    """The same component through wasmtime-py's dynamic API (host blobs are bare reps)."""
    store = Store(engine)
    linker = Linker(engine)
    with linker.root() as root:
        with root.add_instance(HOST) as li:
            li.add_resource("blob", ResourceType.host(7), lambda _store, _rep: None)
            li.add_func("add", lambda _store, a, b: (a + b) & 0xFFFFFFFF)
            li.add_func("[constructor]blob", lambda _store, size: ResourceHost.own(size, 7))
            li.add_func("[method]blob.size", lambda store, b: b.to_host(store).rep)
    return store, linker.instantiate(store, comp)


def mixed_calls(engine: Engine, comp: Component, total: int) -> dict[str, int]:
    """``total`` export calls of every kind; returns what ran. Every 1000th round traps
    a fresh instance (its own Store) and checks that it refuses the next call."""
    inst = typed_instance(engine, comp)
    f = {name: inst.func(None, name) for _, name, _ in EXPORTS}
    echo_str, echo_points, echo_rec = f["echo-str"], f["echo-points"], f["echo-rec"]
    echo_res, echo_bytes, peek = f["echo-res"], f["echo-bytes"], f["peek"]
    new_counter, get, cycle = f["[constructor]counter"], f["[method]counter.get"], f["blob-cycle"]
    points = [Point(float(i), 0.5) for i in range(8)]
    rec = Rec(1, -2, 3.5, True)
    payload = bytes(range(64))
    kinds = {"export calls": 0, "host calls": 0, "traps": 0}
    i = 0
    while kinds["export calls"] < total:
        s = f"string {i}"
        assert echo_str(s) == s
        assert len(echo_points(points)) == 8
        assert echo_rec(rec) == rec
        assert echo_res(rt.Err(s)) == rt.Err(s)
        assert echo_bytes(payload) == payload
        c = new_counter(i & 0xFFFF)
        assert get(c) == i & 0xFFFF
        c.drop()  # runs the guest's destructor: an export call too
        assert cycle(i & 0xFF) == i & 0xFF  # host: constructor, method, destructor
        assert peek(Blob(i)) == 1  # a host object lent for the call only
        kinds["export calls"] += 10
        kinds["host calls"] += 3
        if i % 1000 == 0:
            doomed = typed_instance(engine, comp)
            try:
                doomed.func(None, "boom")()
            except rt.Trap:
                kinds["traps"] += 1
            try:
                doomed.func(None, "add")(1, 2)
            except rt.InstanceTrappedError:
                pass
            kinds["export calls"] += 2
        i += 1
    assert not inst.state.tables[BLOB].objects, "host handle table leaked entries"
    return kinds


def main() -> None:
    quick = "--quick" in sys.argv[1:]
    engine = Engine()
    comp = Component(engine, WAT)

    dstore, dinst = dynamic_instance(engine, comp)
    dyn = {name: dinst.get_func(dstore, name) for _, name, _ in EXPORTS}

    def dcall(name: str, *args: Any) -> Any:
        f = dyn[name]
        r = f(dstore, *args)
        f.post_return(dstore)
        return r

    # This hand-written component exports types at its top level, which no
    # toolchain writes and the lane's wrapper leaves to the plain path; the
    # lane rows use the bulk test component (built by wit-component), through
    # bench_lane's loaders, against the dynamic API on that component.
    bound = typed_instance(engine, bytes(wasmtime.wat2wasm(WAT)))
    import bench_lane

    bulk = bench_lane.load_bulk()
    lane_inst = rt.instantiate(Store(engine), bulk, exports=bench_lane.EXPORTS)
    lane_dyn = bench_lane.Dynamic(engine, bulk)
    lane_u8 = lane_inst.func(bench_lane.BULK, "echo-u8").fn
    lane_points = lane_inst.func(bench_lane.BULK, "echo-point").fn
    dyn_u8, dyn_bulk_points = lane_dyn.func("echo-u8"), lane_dyn.func("echo-point")
    lane_pts = [bench_lane.Point(float(p), -float(p)) for p in range(1000)]
    assert lane_inst.prepared.lane_status == "wrapped", lane_inst.prepared.lane_status
    lane_dpts = bench_lane.to_dyn(lane_pts)
    tstore = bound.store
    # The plans themselves, as generated methods call them.
    tf = {name: bound.func(None, name).fn for _, name, _ in EXPORTS}
    plain = typed_instance(engine, comp)
    pf = {name: plain.func(None, name).fn for _, name, _ in EXPORTS}

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
        rep: int = 7,
    ) -> None:
        tf_ns, dy_ns = best_pair(fast, n, slow, max(1, n // 8), rep)
        rows.append((label, tf_ns, dy_ns, target))

    assert tf["add"](2, 3) == 5 and dcall("add", 2, 3) == 5
    assert tf["echo-bytes"](mib) == mib
    assert tf["echo-points"](points) == points
    assert tf["echo-res"](rt.Err("e")) == rt.Err("e") and dcall("echo-res", "e") == "e"
    row("add(u32, u32) -> u32", 8, lambda: tf["add"](1, 2), lambda: dcall("add", 1, 2), 20000)
    row(
        "record of 4 scalars",
        10,
        lambda: tf["echo-rec"](rec),
        lambda: dcall("echo-rec", drec),
        20000,
    )
    assert lane_u8(mib) == mib and lane_points(lane_pts) == lane_pts
    row("1 MiB list<u8> round trip (lane)", 8, lambda: lane_u8(mib), lambda: dyn_u8(mib), 8, 3)
    row(
        "1 MiB list<u8> round trip (plain path)",
        8,
        lambda: pf["echo-bytes"](mib),
        lambda: dcall("echo-bytes", mib),
        8,
        3,
    )
    row(
        "list<point> x1000 round trip (plain path)",
        6,
        lambda: pf["echo-points"](points),
        lambda: dcall("echo-points", dpoints),
        40,
    )
    row(
        "list<point> x1000 round trip (lane)",
        6,
        lambda: lane_points(lane_pts),
        lambda: dyn_bulk_points(lane_dpts),
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
    nop = bound.func(None, "nop").fn
    fptr = nop.__wbindgen_block__.F  # the function handle the plan calls
    ctx = capi.store_context(tstore)
    call = capi.func_call
    pbuf = ctypes.create_string_buffer(32)
    rbuf = ctypes.create_string_buffer(32)
    pa, ra = ctypes.addressof(pbuf), ctypes.addressof(rbuf)

    def raw() -> None:
        if call(fptr, ctx, pa, 0, ra, 0):
            raise RuntimeError

    nop_ns, raw_ns = best_pair(nop, 50000, raw, 50000, 7)

    print(f"wbindgen_runtime benchmark (python {sys.version.split()[0]}, best of N)")
    print(f"{'case':34} {'typed ns':>12} {'dynamic ns':>14} {'ratio':>8} {'target':>8}")
    for label, t_ns, d_ns, target in rows:
        ratio = d_ns / t_ns
        mark = "ok" if ratio >= target else "MISS"
        print(f"{label:34} {t_ns:12.0f} {d_ns:14.0f} {ratio:7.1f}x {target:6.0f}x {mark}")
    ratio = nop_ns / raw_ns
    print(
        f"{'no-arg call vs raw ctypes call':34} {nop_ns:12.0f} {raw_ns:14.0f} {ratio:7.2f}x "
        f"{'<=1.5x':>8} {'ok' if ratio <= 1.5 else 'MISS'}"
    )
    if quick:
        return

    add = tf["add"]
    before = rss_kib()
    for _ in range(1_000_000):
        add(1, 2)
    grown = (rss_kib() - before) / 1024
    print(
        f"{'RSS growth over 10**6 add calls':34} {grown:11.2f} MiB {'< 10 MiB':>24} "
        f"{'ok' if grown < 10 else 'MISS'}"
    )

    mixed_calls(engine, comp, 100_000)  # warm up: caches, arenas, free lists
    gc.collect()
    before = rss_kib()
    t0 = time.perf_counter()
    kinds = mixed_calls(engine, comp, 1_000_000)
    seconds = time.perf_counter() - t0
    gc.collect()
    grown = (rss_kib() - before) / 1024
    print(
        f"{'RSS growth over 10**6 mixed calls':34} {grown:11.2f} MiB {'< 10 MiB':>24} "
        f"{'ok' if grown < 10 else 'MISS'}"
    )
    print(
        f"  (mixed: {kinds['export calls']} export calls incl. {kinds['traps']} traps in fresh "
        f"instances, {kinds['host calls']} host calls, {seconds:.1f} s; strings, list<point>, "
        "records, result, list<u8>, guest resources new/borrow/drop, host resources "
        "own/borrow/drop)"
    )


if __name__ == "__main__":
    main()
