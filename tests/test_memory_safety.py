"""Nothing done through the generated API may crash the process, read freed
memory or return another call's data (issue 22).

Each attack runs in its own process (a crash fails the test instead of killing
the run) against the committed generated packages: the kitchen sink (guest
resources, records, tuples, enums, lists) and host-imports (host functions and
host resources). Each asserts the clear error or the right value, and that the
process is still sound afterwards. Findings 7 and 11 use the runtime's own API
where the generated packages have no matching signature.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from support.components import GENERATED, ROOT, component

KITCHEN_WAT = ROOT / "examples" / "kitchen_sink.wat"

PRELUDE = """
import collections.abc, copy, gc, os, pickle, signal, sys, threading, time
import wasmtime
import wbindgen_runtime as rt
sys.path.insert(0, {generated!r})
from kitchen_sink import KitchenSink
from kitchen_sink.exports import api
from kitchen_sink.imports import types
store = wasmtime.Store()
inst = KitchenSink.instantiate(store, {kitchen!r})
"""

HOST_PRELUDE = """
import sys, threading, time
import wasmtime
import wbindgen_runtime as rt
sys.path.insert(0, {generated!r})
sys.path.insert(0, {examples!r})
from host_imports import HostImports, HostImportsImports
from host_imports_host import Blob, Blobs, Clock, Logger
COMPONENT = {component!r}
store = wasmtime.Store()


def make(logger, store=store):
    imports = HostImportsImports(logger=logger, blobs=Blobs(), root=Clock())
    return HostImports.instantiate(store, COMPONENT, imports)

"""


def _run(code: str, tmp_path: Path, env: dict[str, str] | None = None) -> str:
    full_env = {
        **os.environ,
        "WBINDGEN_CACHE_DIR": str(tmp_path.parent / "memory-safety-cache"),
        **(env or {}),
    }
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, env=full_env
    )
    assert proc.returncode == 0, (
        f"the attack ended the process with {proc.returncode}\n"
        f"--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr[-4000:]}"
    )
    return proc.stdout


def attack(body: str, tmp_path: Path, env: dict[str, str] | None = None) -> str:
    prelude = PRELUDE.format(generated=str(GENERATED), kitchen=str(KITCHEN_WAT))
    return _run(prelude + textwrap.dedent(body), tmp_path, env)


def host_attack(body: str, tmp_path: Path) -> str:
    prelude = HOST_PRELUDE.format(
        generated=str(GENERATED),
        examples=str(ROOT / "examples"),
        component=str(component("host_imports")),
    )
    return _run(prelude + textwrap.dedent(body), tmp_path)


# 1 -----------------------------------------------------------------------------------


def test_a_str_impostor_is_refused_and_str_subclasses_send_their_text(tmp_path: Path) -> None:
    out = attack(
        """
        class Fake:
            @property
            def __class__(self): return str
            def encode(self, *a): return b"evil"
        try:
            inst.api.echo_string(Fake())
        except TypeError as e:
            print("refused:", e)

        class Liar(str):
            def encode(self, *a, **k): return b"\\xff"
        print("subclass:", inst.api.echo_string(Liar("ok")))

        class Huge(bytes):
            def __len__(self): return 10**8
        print("bytes:", inst.api.echo_bytes(Huge(b"hello")))
        print("still fine:", inst.api.add(1, 2))
        """,
        tmp_path,
    )
    assert "refused: param 's': expected str, got Fake" in out
    assert "subclass: ok" in out
    assert "bytes: b'hello'" in out
    assert "still fine: 3" in out


def test_a_host_function_returning_a_str_impostor_raises_not_writes(tmp_path: Path) -> None:
    out = host_attack(
        """
        class Fake:
            @property
            def __class__(self): return str
            def encode(self, *a): return b"x" * 64
        class FakeConfig(Logger):
            def get_config(self, key): return Fake()
        inst = make(FakeConfig())
        try:
            inst.runner.run("hi")
        except TypeError as e:
            print("refused:", e)
        """,
        tmp_path,
    )
    assert "refused:" in out and "expected str, got Fake" in out


# 2 -----------------------------------------------------------------------------------


def test_a_tuple_impostor_is_refused(tmp_path: Path) -> None:
    out = attack(
        """
        class T:
            @property
            def __class__(self): return tuple
            def __len__(self): return 2
            def __iter__(self): return iter(())
        inst.api.echo_tuple((7, "warm the arena with a real call"))
        try:
            inst.api.echo_tuple(T())
        except TypeError as e:
            print("refused:", e)

        class Sub(tuple):
            def __iter__(self): return iter((1, "lie"))
        print("subclass:", inst.api.echo_tuple(Sub((200, "truth"))))
        """,
        tmp_path,
    )
    assert "refused: param 't': expected tuple, got T" in out
    assert "subclass: (200, 'truth')" in out


# 3 -----------------------------------------------------------------------------------


def test_resource_wrappers_refuse_copy_and_pickle(tmp_path: Path) -> None:
    out = attack(
        """
        c = inst.api.counter(1)
        for how in (copy.copy, copy.deepcopy, pickle.dumps):
            try:
                how(c)
            except TypeError as e:
                print("refused:", how.__name__, str(e)[:40])
        print("get:", c.get())
        c.drop()
        del c
        gc.collect()
        print("live:", inst.api.live_counters())
        """,
        tmp_path,
        env={"MALLOC_PERTURB_": "165"},
    )
    assert out.count("refused:") == 3
    assert "get: 1" in out and "live: 0" in out


# 4 -----------------------------------------------------------------------------------


def test_dropping_after_the_store_closed_is_a_clear_error(tmp_path: Path) -> None:
    out = attack(
        """
        c = inst.api.counter(1)
        d = inst.api.counter(2)
        store.close()
        try:
            c.drop()
        except rt.StoreClosedError as e:
            print("drop:", e)
        try:
            with d:
                pass
        except rt.StoreClosedError as e:
            print("with:", e)
        try:
            inst.api.add(1, 2)
        except rt.StoreClosedError as e:
            print("call:", e)
        del c, d
        gc.collect()
        print("done")
        """,
        tmp_path,
        env={"MALLOC_PERTURB_": "165"},
    )
    assert out.count("was closed") == 3 and "done" in out


# 5 -----------------------------------------------------------------------------------


def test_a_finalizer_calling_in_while_results_are_lifted(tmp_path: Path) -> None:
    out = attack(
        """
        outcomes = []
        class Cyclic:
            def __init__(self): self.me = self
            def __del__(self):
                try:
                    outcomes.append(inst.api.add(1, 2))
                except rt.StoreInUseError as e:
                    outcomes.append("refused")
        gc.set_threshold(5)
        points = [types.Point(i, -i) for i in range(300)]
        for _ in range(40):
            for _ in range(50):
                Cyclic()
            assert inst.api.echo_points(points) == points
        gc.collect()
        print("refused" in outcomes, 3 in outcomes)
        """,
        tmp_path,
    )
    assert out.strip() == "True True"


def test_a_signal_handler_calling_in_while_arguments_are_lowered(tmp_path: Path) -> None:
    out = attack(
        """
        handled = {"ok": 0, "refused": 0}
        def handler(signum, frame):
            try:
                assert inst.api.add(2, 3) == 5
                handled["ok"] += 1
            except rt.StoreInUseError:
                handled["refused"] += 1
        signal.signal(signal.SIGALRM, handler)
        signal.setitimer(signal.ITIMER_REAL, 0.0005, 0.0005)
        points = [types.Point(i, i) for i in range(3000)]
        calls = 0
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            # The interrupted call is unaffected: same arguments, same result.
            assert inst.api.echo_points(points) == points
            calls += 1
        signal.setitimer(signal.ITIMER_REAL, 0)
        assert inst.api.add(1, 1) == 2
        print(handled["refused"] > 0, handled["ok"] > 0, calls > 0)
        """,
        tmp_path,
    )
    assert out.strip() == "True True True"


def test_an_argument_calling_in_while_it_is_read(tmp_path: Path) -> None:
    out = attack(
        """
        class Sneaky(collections.abc.Sequence):
            def __len__(self): return 2
            def __getitem__(self, i):
                if i >= 2: raise IndexError
                inst.api.add(1, 1)
                return types.Point(i, i)
        try:
            inst.api.echo_points(Sneaky())
        except rt.StoreInUseError as e:
            print("refused:", e)
        print("after:", inst.api.echo_points([types.Point(1, 2)]))
        """,
        tmp_path,
    )
    assert "refused: re-entered a call of this wasmtime.Store" in out
    assert "after: [Point(x=1, y=2)]" in out


# 6 -----------------------------------------------------------------------------------


def test_closing_the_store_during_a_call_is_refused(tmp_path: Path) -> None:
    out = host_attack(
        """
        own_store = wasmtime.Store()
        class Closing(Logger):
            def log(self, level, msg): own_store.close()
        try:
            make(Closing(), own_store).runner.run("x")
        except rt.StoreInUseError as e:
            print("host:", e)

        class Slow(Logger):
            def log(self, level, msg): time.sleep(0.3)
        inst = make(Slow())
        errors = []
        def closer():
            time.sleep(0.1)
            try:
                store.close()
            except rt.StoreInUseError as e:
                errors.append(e)
        t = threading.Thread(target=closer)
        t.start()
        out = inst.runner.run("y")
        t.join()
        print("thread:", errors[0] if errors else None)
        print("result:", out)
        store.close()
        try:
            inst.runner.run("z")
        except rt.StoreClosedError:
            print("closed for good")
        """,
        tmp_path,
    )
    assert "host: cannot close this wasmtime.Store while a call runs in it" in out
    assert "thread: cannot close this wasmtime.Store while a call runs in it" in out
    assert "result: hello y" in out and "closed for good" in out


# 7 -----------------------------------------------------------------------------------

HOST_LIST_WAT = r"""(component
  (import "t:m/h" (instance $h (export "blob" (type (sub resource)))))
  (alias export $h "blob" (type $blob))
  (core module $m
    (memory (export "mem") 1)
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) i32.const 1024)
    (func (export "count") (param i32 i32) (result i32) local.get 1))
  (core instance $i (instantiate $m))
  (func (export "count") (param "l" (list (own $blob))) (result u32)
    (canon lift (core func $i "count") (memory (core memory $i "mem")) (realloc (core func $i "realloc")))))
"""


def test_an_interrupt_while_lowering_releases_every_host_object(tmp_path: Path) -> None:
    wat = tmp_path / "host_list.wat"
    wat.write_text(HOST_LIST_WAT)
    out = _run(
        textwrap.dedent(
            f"""
            import wasmtime
            import wbindgen_runtime as rt
            from wbindgen_runtime.types import U32, Func, ImportedResource, List, Own
            BLOB = ImportedResource("blob")
            inst = rt.instantiate(
                wasmtime.Store(), {str(wat)!r},
                exports=[(None, "count", Func((("l", List(Own(BLOB))),), U32))],
                resources=[("t:m/h", "blob", BLOB)],
            )
            count = inst.func(None, "count")
            class Interrupting:
                def __init__(self, n): self.n = n
                def __iter__(self):
                    for _ in range(self.n):
                        yield object()
                    raise KeyboardInterrupt
                def __len__(self): return self.n
                def __getitem__(self, i): raise IndexError
            import collections.abc
            collections.abc.Sequence.register(Interrupting)
            for _ in range(100):
                try:
                    count(Interrupting(100))
                except KeyboardInterrupt:
                    pass
            print("left in the table:", len(inst.state.tables[BLOB].objects))
            print("count:", count([object(), object()]))
            """
        ),
        tmp_path,
    )
    assert "left in the table: 0" in out
    assert "count: 2" in out


# 8 -----------------------------------------------------------------------------------


def test_a_host_exception_belongs_to_its_call(tmp_path: Path) -> None:
    out = host_attack(
        """
        class Boom(Exception):
            pass
        class Raising(Logger):
            def log(self, level, msg): raise Boom("from the host")
        inst = make(Raising())
        try:
            inst.runner.run("a")
        except Boom as e:
            print("own call:", e)
        # The instance is poisoned; a second instance in another store traps
        # on its own: its error must be its own, never the stale Boom.
        other = make(Logger(), wasmtime.Store())
        try:
            inst.runner.run("b")
        except rt.InstanceTrappedError as e:
            print("poisoned:", type(e).__name__)
        print("other:", other.runner.try_fail("x"))
        """,
        tmp_path,
    )
    assert "own call: from the host" in out
    assert "poisoned: InstanceTrappedError" in out
    assert "other: 1" in out


# 9 -----------------------------------------------------------------------------------


def test_int_and_float_subclasses_send_their_values(tmp_path: Path) -> None:
    out = attack(
        """
        class I(int):
            def __int__(self): return 1000
            def __index__(self): return 1000
        class F(float):
            def __float__(self): return 99.0
        print("add:", inst.api.add(I(5), 1))
        s = api.AllScalars(True, I(-1), 2, 3, 4, 5, 6, 7, 8, F(0.5), F(0.25), "c")
        r = inst.api.echo_scalars(s)
        print("scalars:", r.a8, r.f, r.d)
        try:
            inst.api.add(I(-1), 1)
        except OverflowError as e:
            print("range:", e)
        """,
        tmp_path,
    )
    assert "add: 6" in out
    assert "scalars: -1 0.5 0.25" in out
    assert "range: param 'a': -1 is out of range for u32" in out


# 10 ----------------------------------------------------------------------------------


def test_one_wrapper_as_borrow_and_own_in_one_call(tmp_path: Path) -> None:
    out = attack(
        """
        c = inst.api.counter(5)
        try:
            inst.api.counter.merge(c, c)
        except rt.ResourceError as e:
            print("refused:", e)
        print("still live:", c.get(), inst.api.add(1, 2))
        d = inst.api.counter(1)
        m = inst.api.counter.merge(c, d)
        print("merged:", m.get(), d.dropped)
        """,
        tmp_path,
    )
    assert "refused: Counter resource is passed both as borrow and as own in one call" in out
    assert "still live: 5 3" in out
    assert "merged: 6 True" in out


# 11 ----------------------------------------------------------------------------------


def test_short_lived_instances_do_not_pile_up_memory(tmp_path: Path) -> None:
    out = attack(
        """
        def rss():
            with open("/proc/self/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) // 1024
        from wasmtime.component import Component
        comp = Component(store.engine, open({kitchen!r}).read())
        data = bytes(range(256)) * 8192  # 2 MiB, on the plain path (no lane: a Component)
        KitchenSink.instantiate(store, comp).api.echo_bytes(data)
        gc.collect()
        before = rss()
        for _ in range(20):
            assert KitchenSink.instantiate(store, comp).api.echo_bytes(data) == data
        gc.collect()
        print("grew MiB:", rss() - before)

        class Liar(collections.abc.Sequence):
            def __len__(self): return 2**28
            def __getitem__(self, i):
                if i >= 3: raise IndexError
                return types.Point(i, i)
        t0 = time.monotonic()
        print("liar:", len(inst.api.echo_points(Liar())), time.monotonic() - t0 < 5)
        """.replace("{kitchen!r}", repr(str(KITCHEN_WAT))),
        tmp_path,
    )
    grew = int(out.split("grew MiB:")[1].split()[0])
    assert grew < 200, out
    assert "liar: 3 True" in out


# 12 ----------------------------------------------------------------------------------


def test_values_never_change_silently(tmp_path: Path) -> None:
    out = attack(
        """
        class Short(collections.abc.Sequence):
            def __len__(self): return 2
            def __getitem__(self, i):
                if i >= 5: raise IndexError
                return types.Point(i, i)
        print("plain:", len(inst.api.echo_points(Short())))

        class Once(collections.abc.Sequence):
            def __init__(self): self.reads = 0
            def __len__(self): return 2
            def __iter__(self):
                self.reads += 1
                if self.reads == 1:
                    yield types.Point(1, 1)
                    yield "not a point"
            def __getitem__(self, i): raise IndexError
        try:
            inst.api.echo_points(Once())
        except ValueError as e:
            print("changed:", e)

        class Generous:
            def __eq__(self, other): return True
            def __hash__(self): return hash(types.Color.RED)
        try:
            inst.api.echo_color(Generous())
        except TypeError as e:
            print("enum:", e)
        """,
        tmp_path,
    )
    assert "plain: 5" in out
    assert "changed: echo-points(): an argument changed while it was being read" in out
    assert "enum: param 'c': expected Color, got Generous" in out


def test_the_lane_and_the_plain_path_send_the_same_elements(tmp_path: Path) -> None:
    """A path gets the lane: a sequence lying about its length sends what it iterates."""
    out = attack(
        """
        class Liar(collections.abc.Sequence):
            def __init__(self, claimed, real): self.claimed, self.real = claimed, real
            def __len__(self): return self.claimed
            def __getitem__(self, i):
                if i >= self.real: raise IndexError
                return types.Point(i, -i)
        print("lane:", inst._bound.prepared.lane_enabled)
        print("long claim:", len(inst.api.echo_points(Liar(100, 20))))
        print("short claim:", len(inst.api.echo_points(Liar(2, 40))))
        """,
        tmp_path,
    )
    assert "lane: True" in out
    assert "long claim: 20" in out and "short claim: 40" in out


@pytest.mark.parametrize("threads", [2])
def test_one_store_from_two_threads_is_a_clear_error(tmp_path: Path, threads: int) -> None:
    out = attack(
        f"""
        errors, results = [], []
        points = [types.Point(i, i) for i in range(20000)]
        start = threading.Barrier({threads})
        def work():
            start.wait()
            for _ in range(30):
                try:
                    results.append(inst.api.echo_points(points) == points)
                except rt.StoreInUseError as e:
                    errors.append(str(e))
        ts = [threading.Thread(target=work) for _ in range({threads})]
        for t in ts: t.start()
        for t in ts: t.join()
        print("all correct:", all(results), "refused:", len(errors) > 0)
        print(errors[0] if errors else "")
        """,
        tmp_path,
    )
    assert "all correct: True refused: True" in out
    assert "a Store must be used by one thread at a time" in out


def test_copying_wasmtime_handles_is_refused_not_a_double_free(tmp_path: Path) -> None:
    """wasmtime-py copies the C pointer of a Store, Engine, Component or Linker
    on `copy.copy` and frees it twice; with the runtime imported it refuses."""
    out = attack(
        """
        from wasmtime.component import Component, Linker
        engine = wasmtime.Engine()
        objects = [wasmtime.Store(engine), engine, Component(engine, "(component)"), Linker(engine)]
        for obj in objects:
            for how in (copy.copy, copy.deepcopy, pickle.dumps):
                try:
                    how(obj)
                except TypeError as e:
                    print("refused:", type(obj).__name__, how.__name__)
        del objects
        gc.collect()
        print("still here")
        """,
        tmp_path,
    )
    assert out.count("refused:") == 12 and "still here" in out


def test_linkers_outliving_the_runtime_modules_at_exit(tmp_path: Path) -> None:
    """At interpreter exit the runtime's modules may be torn down (their dicts
    cleared) before a Linker holding its host functions is freed, e.g. one in
    the prepared-component cache: wasmtime must not call back into a freed
    ctypes thunk then (it did: the host functions' finalizer, a SIGSEGV at the
    end of a pytest run). The teardown is done here by hand, in the order that
    crashed."""
    out = host_attack(
        """
        import gc
        from wasmtime.component import Linker
        inst = make(Logger())
        linker = Linker(store.engine)
        HostImports.add_to_linker(linker)
        from wbindgen_runtime import hostfuncs, prepared
        hostfuncs.__dict__.clear()
        gc.collect()
        del inst, linker
        prepared._cache.clear()
        gc.collect()
        print("survived")
        """,
        tmp_path,
    )
    assert out.strip().endswith("survived")
