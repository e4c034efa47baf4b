"""Soak: a million mixed calls must keep the process's RSS flat.

    python benchmarks/soak.py [--calls 1000000] [--trap-every 500]

The mix (one round = 12 calls): a string, a list<u32> of 64, a record of
every scalar kind plus string/bytes/option, a variant, a list of records,
an option<result>; a guest resource constructed, used and dropped; a host
import returning a string, a host resource made, borrowed and dropped by the
guest, and a host function whose `result` raises `Err`. Every `--trap-every`
rounds, three calls that fail in the middle of a call, each on a fresh
instance (a trapped instance cannot be entered again): a guest trap
raised through a host import's exception, a guest `realloc` that traps while
arguments are lowered, and a host import returning a value of the wrong type
(an error raised while its result is lowered).

Prints RSS after a warm-up and at every tenth of the run, and the growth
from the warm-up to the end. Figures, not a timed test.
"""

from __future__ import annotations

import argparse
import collections
import gc
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import wbindgen_runtime as rt  # noqa: E402
from runtime_components import identities as ids  # noqa: E402
from runtime_components import wat  # noqa: E402
from test_runtime_imports import Host, bind  # noqa: E402
from test_runtime_resources import EXPORTS as COUNTER_EXPORTS  # noqa: E402
from wasmtime import Engine, Store  # noqa: E402
from wasmtime.component import Component  # noqa: E402
from wbindgen_runtime import Err  # noqa: E402
from wbindgen_runtime.types import STRING, U64, Func  # noqa: E402

PAD = (0,) * 16


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=1_000_000)
    ap.add_argument("--trap-every", type=int, default=500)
    args = ap.parse_args()

    engine = Engine()
    ident_c = Component(engine, ids.identity_wat())
    counter_c = Component(
        engine, (ROOT / "tests/runtime_components/counter.wat").read_text()
    )
    host_c = Component(engine, (ROOT / "tests/runtime_components/host.wat").read_text())
    trapping_alloc = wat.ALLOC.replace(
        "(local $p i32)\n",
        "(local $p i32)\n"
        "      local.get $new_size i32.const 4096 i32.gt_u (if (then unreachable))\n",
        1,
    )
    realloc_c = Component(
        engine,
        wat.identity_component([wat.Identity("string", "string")]).replace(
            wat.ALLOC, trapping_alloc
        ),
    )
    realloc_exports = [
        (
            None,
            "id-string",
            Func((("x", STRING),) + tuple((f"p{i}", U64) for i in range(16)), STRING),
        )
    ]

    store = Store(engine)
    ident = rt.instantiate(store, ident_c, exports=ids.identity_exports())
    host = Host()
    host.log = collections.deque(maxlen=8)  # type: ignore[assignment]  # (a list would grow)
    hinst = bind(engine, host_c, host)

    s_id = ident.func(None, "id-string")
    l_id = ident.func(None, "id-list-u32")
    all_id = ident.func(None, "id-all")
    shape_id = ident.func(None, "id-shape")
    lp_id = ident.func(None, "id-list-point")
    or_id = ident.func(None, "id-opt-res")
    funcs = {}

    def fresh_counter() -> None:
        # counter.wat never frees a resource's 4-byte cell: a new instance
        # every 10,000 constructions keeps it inside its one page
        inst = rt.instantiate(Store(engine), counter_c, exports=COUNTER_EXPORTS)
        funcs["new"] = inst.func(None, "[constructor]counter")
        funcs["get"] = inst.func(None, "[method]counter.get")

    fresh_counter()
    greet = hinst.func(None, "call-greet")
    blob_rt = hinst.func(None, "blob-roundtrip")
    check = hinst.func(None, "call-check")

    text = "héllo, wörld " * 4
    nums = list(range(64))
    rec = ids.All(True, -5, 65535, -(2**63), 1.5, "field", b"\x00\x01" * 8, 7)
    shape = ids.Shape_Rect(ids.Point(1.0, 2.0))
    points = [ids.Point(float(i), -float(i)) for i in range(16)]
    optres = rt.Ok("ok")

    def round_() -> None:
        assert s_id(text, *PAD) == text
        assert l_id(nums, *PAD) == nums
        assert all_id(rec, *PAD) == rec
        assert shape_id(shape, *PAD) == shape
        assert lp_id(points, *PAD) == points
        assert or_id(optres, *PAD) == optres
        c = funcs["new"](3)
        assert funcs["get"](c) == 3
        c.drop()
        assert greet("soak") == "hello, soak!"
        assert blob_rt("abc") == "ABC"
        try:
            check(0)
        except Err:
            pass
        else:
            raise AssertionError("no Err")

    traps = {
        "host exception": 0,
        "realloc trap while lowering": 0,
        "bad host result": 0,
    }

    def trap_round() -> None:
        h = Host()
        h.boom_exc = RuntimeError("boom")  # type: ignore[assignment]
        i = bind(engine, host_c, h)
        try:
            i.func(None, "call-boom")()
        except RuntimeError:
            traps["host exception"] += 1
        i2 = rt.instantiate(Store(engine), realloc_c, exports=realloc_exports)
        try:
            i2.func(None, "id-string")("x" * 8192, *PAD)
        except rt.Trap:
            traps["realloc trap while lowering"] += 1
        h3 = Host()
        h3.greet = lambda name: 12345  # type: ignore[assignment,method-assign,return-value]
        i3 = bind(engine, host_c, h3)
        try:
            i3.func(None, "call-greet")("x")
        except TypeError:
            traps["bad host result"] += 1

    per_round = 12
    rounds = args.calls // per_round
    warm = max(rounds // 20, 1)
    t0 = time.perf_counter()
    for r in range(warm):
        round_()
        if r % args.trap_every == 0:
            trap_round()
        if r % 10_000 == 9_999:
            fresh_counter()
    gc.collect()
    base = rss_kib()
    print(f"warm-up: {warm * per_round} calls, RSS {base / 1024:.1f} MiB", flush=True)
    marks = []
    step = max(rounds // 10, 1)
    for r in range(rounds):
        round_()
        if r % args.trap_every == 0:
            trap_round()
        if r % 10_000 == 9_999:
            fresh_counter()
        if (r + 1) % step == 0:
            gc.collect()
            marks.append(rss_kib())
            print(
                f"  {(r + 1) * per_round:>9} calls: RSS {marks[-1] / 1024:.1f} MiB",
                flush=True,
            )
    took = time.perf_counter() - t0
    gc.collect()
    end = rss_kib()
    tables = {k.wit_name: len(v.objects) for k, v in hinst.state.tables.items()}
    print(
        f"{rounds * per_round} calls (+ {warm * per_round} warm-up) in {took:.0f}s; "
        f"failing calls: {traps}; host handle tables at the end: {tables}"
    )
    print(
        f"RSS: {base / 1024:.1f} MiB after warm-up -> {end / 1024:.1f} MiB at the end "
        f"({(end - base) / 1024:+.1f} MiB); max over the run {max(marks) / 1024:.1f} MiB"
    )
    assert all(n == 0 for n in tables.values()), tables
    return 0


if __name__ == "__main__":
    sys.exit(main())
