"""Fan calls out over a ``concurrent.futures.ProcessPoolExecutor``.

Two workers, each with one instance made by the pool's initializer
(``support/pool_worker.py``), warm from the compiled-component cache: the
parent compiles the component into a fresh cache folder first, and the
workers, pointed at that folder, deserialize it instead of compiling (the test
checks no worker wrote an entry). Records, variants, lists, options, results
and a raised ``Err`` and ``Trap`` come back equal, of the same classes.

Workers are started with "spawn": the parent has wasmtime engines (and the
threads wasmtime starts to compile) before the pool exists, and a forked
child inherits that memory without those threads; spawn starts a fresh
interpreter, works on every platform (the default on macOS and Windows), and
is what dask's process workers use. forkserver is also safe here but is
POSIX-only; what it would save is one import of the package per worker.
Cost: about 1-2 s (two interpreters importing wasmtime and the package).
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
import wasmtime
from support.components import GENERATED, ROOT

sys.path.insert(0, str(GENERATED))

import kitchen_sink as ks  # noqa: E402
import wbindgen_runtime as rt  # noqa: E402
from kitchen_sink.exports import api  # noqa: E402
from kitchen_sink.imports import types as t  # noqa: E402
from support import pool_worker  # noqa: E402
from wbindgen_runtime import cache  # noqa: E402

DEMO = ROOT / "examples" / "kitchen_sink.wat"


@pytest.fixture
def warm_cache(tmp_path: Path) -> Iterator[Path]:
    """A cache folder the parent filled by preparing the component once."""
    folder = tmp_path / "cache"
    cache.configure(enabled=True, folder=folder)
    try:
        ks.KitchenSink.prepare(wasmtime.Engine(), str(DEMO))
        yield folder
    finally:
        cache._folder = None
        cache._enabled = None


def entries(folder: Path) -> dict[str, tuple[int, int]]:
    """Compiled-component entries by name: (inode, mtime). A rewrite changes the
    inode; a read that hits marks the entry used (its mtime becomes now)."""
    return {
        p.name: (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in (folder / "components").glob("*.cwasm")
    }


def test_calls_fan_out_over_a_process_pool(warm_cache: Path) -> None:
    before = entries(warm_cache)
    # One artifact: the component as instantiated (wrapped by the bulk lane, as
    # it has list exports; the original alone when the lane is off).
    assert len(before) == 1
    long_ago = 1_000_000_000  # 2001: any hit by a worker moves it to now
    for name in before:
        os.utime(warm_cache / "components" / name, (long_ago, long_ago))
    before = entries(warm_cache)
    points = [t.Point(i, -i) for i in range(40)]
    shapes: list[t.Shape] = [
        t.Shape_None(), t.Shape_Circle(2.5), t.Shape_Rect(t.Point(3, 4)), t.Shape_Named("ü"),
    ]
    jobs: list[tuple[str, tuple[object, ...]]] = [
        ("echo_points", (points[:k],)) for k in (0, 1, 17, 40)
    ]
    jobs += [("echo_shape", (s,)) for s in shapes]
    jobs += [
        ("echo_results", ([ks.Ok(1), ks.Err("bad"), ks.Ok(2**32 - 1)],)),
        ("echo_opt", (ks.Some(None),)),
        ("echo_opt", (ks.Some(3),)),
        ("echo_color", (t.Color.BLUE_ISH,)),
        ("echo_perms", (t.Perms.READ | t.Perms.EXEC,)),
        ("echo_many", (api.Many.F0 | api.Many.F31,)),
        ("echo_bytes", (bytes(range(256)),)),
        ("echo_tuple", ((7, "seven"),)),
    ]
    jobs *= 3  # enough tasks that both workers take some
    ctx = multiprocessing.get_context("spawn")
    # Both workers make their instance before either takes a task (the pool
    # starts a second worker for the second task submitted).
    started = ctx.Barrier(2)
    with ProcessPoolExecutor(
        2, mp_context=ctx, initializer=pool_worker.init_worker,
        initargs=(str(DEMO), str(warm_cache), started),
    ) as pool:
        futures = [pool.submit(pool_worker.call, name, *args) for name, args in jobs]
        results = [f.result(timeout=120) for f in futures]
        assert pool.submit(pool_worker.call_world, "version").result(timeout=120) == "0.1.0"

        # An Err the guest returned is raised in the worker and re-raised here.
        with pytest.raises(ks.Err) as err:
            pool.submit(pool_worker.call, "checked_div", 1, 0).result(timeout=120)
        assert err.value.value == "division by zero"
        # An instance cannot come back: the worker's pickling refuses it, and
        # the pool hands that refusal to the caller.
        with pytest.raises(TypeError, match="^KitchenSink .*cannot be pickled or copied"):
            pool.submit(pool_worker.instance_of_worker).result(timeout=120)
        # A trap crosses too, code and all (it poisons that worker's instance:
        # nothing runs on this pool after it).
        with pytest.raises(rt.Trap) as trap:
            pool.submit(pool_worker.call, "checked_div", -(2**31), -1).result(timeout=120)
        assert trap.value.code is not None

    assert len({pid for pid, _, _ in results}) <= 2  # no worker was replaced
    assert all(made == 1 for _, made, _ in results), "one instance per worker, made once"
    for (name, args), (_, _, got) in zip(jobs, results):
        expected = args[0]
        assert got == expected, name
        assert type(got) is type(expected), name
        if isinstance(expected, list):
            assert [type(x) for x in got] == [type(x) for x in expected], name
    # The results survive another trip, as a worker would send them on.
    assert pickle.loads(pickle.dumps(results)) == results
    # Warm: the workers read the parent's entry (marked used) and wrote none.
    after = entries(warm_cache)
    assert after.keys() == before.keys()
    for name, (inode, mtime) in after.items():
        assert inode == before[name][0], "a worker compiled and rewrote the entry"
        assert mtime > before[name][1], "no worker loaded the entry from this folder"
