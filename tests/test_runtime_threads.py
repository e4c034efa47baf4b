"""Separate stores on separate threads, and reentrancy across instances.

ctypes releases the GIL around ``wasmtime_component_func_call``, so two
threads really run guest code at the same time. Each thread has its own Store
and instance (one store must not be used from two threads at once); plans,
arenas and handle tables are per instance, and a host exception is parked per
thread, so the threads must not see each other's values or exceptions.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import wbindgen_runtime as rt
from runtime_components.identities import (
    All,
    Point,
    Shape_Label,
    Shape_Rect,
    identity_exports,
    identity_wat,
)
from support.wasmtime_bugs import HOST_BORROW_INTO_EXPORT
from test_runtime_imports import BLOB, Blob, Host, bind
from wasmtime import Engine, Store
from wasmtime.component import Component
from wbindgen_runtime import Err, Ok

PAD = (0,) * 16
HERE = Path(__file__).parent / "runtime_components"
ROUNDS = 300


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


def run_concurrently(workers: list[Callable[[threading.Barrier], None]]) -> None:
    """Run each worker on its own thread, all released at once; re-raise the first failure."""
    barrier = threading.Barrier(len(workers))
    failures: list[BaseException] = []

    def guarded(work: Callable[[threading.Barrier], None]) -> None:
        try:
            work(barrier)
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            failures.append(exc)
            barrier.abort()

    threads = [threading.Thread(target=guarded, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
        assert not t.is_alive(), "a worker thread hung"
    if failures:
        raise failures[0]


def test_values_on_two_threads(engine: Engine) -> None:
    component = Component(engine, identity_wat())

    def worker(tag: str) -> Callable[[threading.Barrier], None]:
        def work(barrier: threading.Barrier) -> None:
            inst = rt.instantiate(Store(engine), component, exports=identity_exports())
            f = {n: inst.func(None, f"id-{n}") for n in ("string", "list-string", "all", "shape")}
            f["bytes"] = inst.func(None, "id-bytes")
            f["res"] = inst.func(None, "id-res-u32-string")
            barrier.wait()
            for i in range(ROUNDS):
                s = f"{tag}-{i}-" + "é" * (i % 5)
                assert f["string"](s, *PAD) == s
                words = [f"{tag}{j}" for j in range(i % 9)]
                assert f["list-string"](words, *PAD) == words
                rec = All(i % 2 == 0, i % 100, i, -i, 0.5, s, s.encode(), i if i % 3 else None)
                assert f["all"](rec, *PAD) == rec
                shape = Shape_Rect(Point(i, -i)) if i % 2 else Shape_Label(s)
                assert f["shape"](shape, *PAD) == shape
                res = Ok(i) if i % 2 else Err(s)
                assert f["res"](res, *PAD) == res
                if i % 50 == 0:  # big enough to grow the arena while the other thread runs
                    blob = tag.encode() * (20_000 + i)
                    assert f["bytes"](blob, *PAD) == blob

        return work

    run_concurrently([worker("left"), worker("right")])


@HOST_BORROW_INTO_EXPORT.needs_fix
def test_host_imports_and_resources_on_two_threads(engine: Engine) -> None:
    component = Component(engine, (HERE / "host.wat").read_text())

    def worker(tag: str) -> Callable[[threading.Barrier], None]:
        def work(barrier: threading.Barrier) -> None:
            host = Host()
            host.boom_exc = KeyError(tag)
            inst = bind(engine, component, host)
            greet, add = inst.func(None, "call-greet"), inst.func(None, "call-add")
            roundtrip, read = inst.func(None, "blob-roundtrip"), inst.func(None, "read-borrowed")
            check = inst.func(None, "call-check")
            barrier.wait()
            for i in range(ROUNDS):
                assert greet(f"{tag}{i}") == f"hello, {tag}{i}!"
                assert add(i, 1) == i + 1
                assert roundtrip(f"{tag}{i}") == f"{tag}{i}".upper()
                assert read(Blob(host.log, tag)) == tag.upper()
                with pytest.raises(Err) as info:
                    check(0)
                assert info.value.value == "zero"
            assert not inst.state.tables[BLOB].objects
            # A host exception is delivered on the thread whose call raised it.
            with pytest.raises(KeyError) as boom:
                inst.func(None, "call-boom")()
            assert boom.value is host.boom_exc

        return work

    run_concurrently([worker("a"), worker("b")])


def test_reentrant_call_into_another_instance_with_nested_values(engine: Engine) -> None:
    """A host import calls into a second instance while the first one's call is in progress;
    both instances' arenas and tables stay intact."""
    component = Component(engine, (HERE / "host.wat").read_text())
    inner_host = Host()
    inner = bind(engine, component, inner_host)
    host = Host()
    seen: list[Any] = []

    def greet(name: str) -> str:
        # Nested: a string result and a host resource through the inner instance.
        out = inner.func(None, "call-greet")(name * 2)
        seen.append(inner.func(None, "blob-roundtrip")(name))
        return out

    host.greet = greet  # type: ignore[method-assign]
    outer = bind(engine, component, host)
    for i in range(50):
        assert outer.func(None, "call-greet")(f"n{i}") == f"hello, n{i}n{i}!"
    assert seen == [f"N{i}" for i in range(50)]
    assert not inner.state.tables[BLOB].objects
