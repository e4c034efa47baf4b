"""Creating instances: the generated bindings against wasmtime-py's dynamic API.

For each component, in one process, after a first load:

- ``dynamic``: what a host on wasmtime-py's dynamic API does per instance: a
  Linker with the host functions defined, ``instantiate``, ``get_func`` of
  every export, one call (issue 14's baseline);
- ``dyn (linker reused)``: a fresh Store, ``instantiate`` through a Linker made
  once, two calls (issue 19's baseline);
- ``typed (Component)`` / ``typed (path)``: ``Pkg.instantiate(Store(engine),
  component_or_path, imports)`` + one call, the second and later times;
- ``typed (prepared)``: a fresh Store, ``pre.instantiate(store, imports)`` +
  two calls, ``pre`` made once with ``Pkg.prepare(engine, path)``.

Also the first instantiate in a fresh process (compiled cache warm), RSS over
1,000 instantiations of one component, and the cost of the store guard per
call. Ratios are measured in the same run (the machine is noisy); best of N.

    python benchmarks/bench_instantiate.py [--quick]
"""

from __future__ import annotations

import gc
import importlib
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import wasmtime
from wasmtime import Engine, Store
from wasmtime.component import Component, Linker

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "generated_examples"))
sys.path.insert(0, str(ROOT / "examples"))

#: Five exports and one host import (issue 14's first row).
FIVE = """(component
  (import "bench:five/host" (instance $h
    (export "add" (func (param "a" u32) (param "b" u32) (result u32)))))
  (alias export $h "add" (func $hadd))
  (core func $hadd-c (canon lower (func $hadd)))
  (core module $m
    (import "h" "add" (func $hadd (param i32 i32) (result i32)))
    (memory (export "mem") 1)
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) i32.const 1024)
    (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
    (func (export "call-host") (param i32 i32) (result i32) local.get 0 local.get 1 call $hadd)
    (func (export "neg") (param i32) (result i32) i32.const 0 local.get 0 i32.sub)
    (func (export "len") (param i32 i32) (result i32) local.get 1)
    (func (export "nop")))
  (core instance $hi (export "add" (func $hadd-c)))
  (core instance $i (instantiate $m (with "h" (instance $hi))))
  (func $add (param "a" u32) (param "b" u32) (result u32) (canon lift (core func $i "add")))
  (func $call-host (param "a" u32) (param "b" u32) (result u32)
    (canon lift (core func $i "call-host")))
  (func $neg (param "x" s32) (result s32) (canon lift (core func $i "neg")))
  (func $len (param "s" string) (result u32)
    (canon lift (core func $i "len")
      (memory (core memory $i "mem")) (realloc (core func $i "realloc"))))
  (func $nop (canon lift (core func $i "nop")))
  (instance $api (export "add" (func $add)) (export "call-host" (func $call-host))
    (export "neg" (func $neg)) (export "len" (func $len)) (export "nop" (func $nop)))
  (export "bench:five/api" (instance $api)))
"""


def best(fn: Callable[[], Any], n: int, repeat: int) -> float:
    """Best mean seconds per call of ``fn`` over ``repeat`` rounds of ``n``."""
    out = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        for _ in range(n):
            fn()
        out = min(out, (time.perf_counter() - t) / n)
    return out


def us(s: float) -> str:
    return f"{s * 1e6:,.0f} µs" if s < 1e-3 else f"{s * 1e3:,.2f} ms"


def generate(source: Path, package: str, out: Path) -> Any:
    from wbindgen.generate import generate_files

    files = generate_files(source, package, None)
    for rel, text in files.items():
        target = out / package / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    if str(out) not in sys.path:
        sys.path.insert(0, str(out))
    return importlib.import_module(package)


class Case:
    """One component: how to run one instance through each path."""

    name: str
    path: Path

    def dynamic(self, engine: Engine, component: Component) -> None:
        raise NotImplementedError

    def dynamic_linker(self, engine: Engine) -> Linker:
        raise NotImplementedError

    def dynamic_reused(self, engine: Engine, linker: Linker, component: Component) -> None:
        raise NotImplementedError

    def typed(self, store: Store, source: Any) -> None:
        raise NotImplementedError

    def prepared(self, pre: Any, store: Store) -> None:
        raise NotImplementedError

    def prepare(self, engine: Engine) -> Any:
        raise NotImplementedError


def _export_funcs(inst: Any, store: Store, names: dict[str | None, list[str]]) -> dict[str, Any]:
    funcs = {}
    for iface, fnames in names.items():
        idx = inst.get_export_index(store, iface) if iface else None
        for n in fnames:
            funcs[n] = inst.get_func(store, inst.get_export_index(store, n, idx))
    return funcs


class Five(Case):
    name = "5 exports, 1 host import"

    def __init__(self, tmp: Path) -> None:
        self.path = tmp / "five.wat"
        self.path.write_text(FIVE)
        self.pkg = generate(self.path, "bench_five", tmp)
        self.host = type("Host", (), {"add": lambda self, a, b: a + b})()
        fields = self.pkg.BenchFiveImports.__dataclass_fields__
        self.imports = self.pkg.BenchFiveImports(**{f: self.host for f in fields})
        self.names = {"bench:five/api": ["add", "call-host", "neg", "len", "nop"]}

    def make_linker(self, engine: Engine) -> Linker:
        linker = Linker(engine)
        with linker.root() as root, root.add_instance("bench:five/host") as h:
            h.add_func("add", lambda store, a, b: a + b)
        return linker

    def dynamic(self, engine: Engine, component: Component) -> None:
        store = Store(engine)
        linker = self.make_linker(engine)
        inst = linker.instantiate(store, component)
        funcs = _export_funcs(inst, store, self.names)
        assert funcs["add"](store, 2, 3) == 5

    def dynamic_linker(self, engine: Engine) -> Linker:
        return self.make_linker(engine)

    def dynamic_reused(self, engine: Engine, linker: Linker, component: Component) -> None:
        store = Store(engine)
        inst = linker.instantiate(store, component)
        f = inst.get_func(store, inst.get_export_index(
            store, "add", inst.get_export_index(store, "bench:five/api")))
        assert f(store, 2, 3) == 5
        assert f(store, 4, 5) == 9

    def typed(self, store: Store, source: Any) -> None:
        inst = self.pkg.BenchFive.instantiate(store, source, self.imports)
        assert inst.api.add(2, 3) == 5

    def prepare(self, engine: Engine) -> Any:
        return self.pkg.BenchFive.prepare(engine, self.path)

    def prepared(self, pre: Any, store: Store) -> None:
        inst = pre.instantiate(store, self.imports)
        assert inst.api.add(2, 3) == 5
        assert inst.api.add(4, 5) == 9


class KitchenSink(Case):
    name = "examples/kitchen_sink.wat"

    def __init__(self) -> None:
        self.path = ROOT / "examples" / "kitchen_sink.wat"
        import kitchen_sink

        self.pkg = kitchen_sink
        from kitchen_sink.exports import api

        self.names = {
            "example:kitchen/api@0.1.0": [name for name, _ in api._FUNCS],
            None: ["version"],
        }

    def dynamic(self, engine: Engine, component: Component) -> None:
        store = Store(engine)
        inst = Linker(engine).instantiate(store, component)
        funcs = _export_funcs(inst, store, self.names)
        assert funcs["add"](store, 2, 3) == 5

    def dynamic_linker(self, engine: Engine) -> Linker:
        return Linker(engine)

    def dynamic_reused(self, engine: Engine, linker: Linker, component: Component) -> None:
        store = Store(engine)
        inst = linker.instantiate(store, component)
        f = inst.get_func(store, inst.get_export_index(
            store, "add", inst.get_export_index(store, "example:kitchen/api@0.1.0")))
        assert f(store, 2, 3) == 5
        assert f(store, 4, 5) == 9

    def typed(self, store: Store, source: Any) -> None:
        assert self.pkg.KitchenSink.instantiate(store, source).api.add(2, 3) == 5

    def prepare(self, engine: Engine) -> Any:
        return self.pkg.KitchenSink.prepare(engine, self.path)

    def prepared(self, pre: Any, store: Store) -> None:
        inst = pre.instantiate(store)
        assert inst.api.add(2, 3) == 5
        assert inst.api.add(4, 5) == 9


class HostImports(Case):
    name = "host-imports example"

    def __init__(self) -> None:
        from support.components import component

        self.path = component("host_imports")
        import host_imports
        from host_imports_host import Blobs, Clock, Logger

        self.pkg = host_imports
        self.imports = host_imports.HostImportsImports(
            logger=Logger(), blobs=Blobs(), root=Clock()
        )
        self.names = {
            "example:host/runner@0.1.0": [
                "run", "blob-roundtrip", "merged-size", "try-fail", "world-now", "stamped",
            ]
        }  # fmt: skip

    def make_linker(self, engine: Engine) -> Linker:
        from wasmtime.component import ResourceHost, ResourceType

        linker = Linker(engine)
        blob = ResourceType.host(7)
        with linker.root() as root:
            root.add_func("now", lambda store: 1)
            with root.add_instance("example:host/logger@0.1.0") as lg:
                lg.add_func("log", lambda store, level, msg: None)
                lg.add_func("get-config", lambda store, key: None)
            with root.add_instance("example:host/blobs@0.1.0") as bl:
                bl.add_resource("blob", blob, lambda store, rep: None)
                bl.add_func("[constructor]blob", lambda store, init: ResourceHost.own(1, 7))
                bl.add_func("[method]blob.read", lambda store, b, n: b"")
                bl.add_func("[method]blob.size", lambda store, b: 0)
                bl.add_func("[static]blob.merge", lambda store, a, b: ResourceHost.own(2, 7))
                bl.add_func("fail", lambda store, msg: len(msg))
        return linker

    def dynamic(self, engine: Engine, component: Component) -> None:
        store = Store(engine)
        inst = self.make_linker(engine).instantiate(store, component)
        funcs = _export_funcs(inst, store, self.names)
        assert funcs["world-now"](store) == 1

    def dynamic_linker(self, engine: Engine) -> Linker:
        return self.make_linker(engine)

    def dynamic_reused(self, engine: Engine, linker: Linker, component: Component) -> None:
        store = Store(engine)
        inst = linker.instantiate(store, component)
        f = inst.get_func(store, inst.get_export_index(
            store, "world-now", inst.get_export_index(store, "example:host/runner@0.1.0")))
        assert f(store) == 1
        assert f(store) == 1

    def typed(self, store: Store, source: Any) -> None:
        inst = self.pkg.HostImports.instantiate(store, source, self.imports)
        assert inst.runner.world_now() > 0

    def prepare(self, engine: Engine) -> Any:
        return self.pkg.HostImports.prepare(engine, self.path)

    def prepared(self, pre: Any, store: Store) -> None:
        inst = pre.instantiate(store, self.imports)
        assert inst.runner.world_now() > 0
        assert inst.runner.world_now() > 0


class PyGuest(Case):
    name = "componentize-py guest (18 MB)"

    def __init__(self, tmp: Path) -> None:
        from support.components import component

        self.path = component("py_guest")
        self.pkg = generate(self.path, "bench_py_guest", tmp)
        generate(self.path, "py_guest", tmp)  # the package the conformance host is written for
        from conformance.ledger import Ledger
        from conformance.py_guest import Host

        self.host = Host(Ledger())
        fields = self.pkg.BenchPyGuestImports.__dataclass_fields__
        self.imports = self.pkg.BenchPyGuestImports(**{f: self.host for f in fields})
        api = importlib.import_module("bench_py_guest.exports.api")
        self.names = {
            "conformance:py-guest/api@0.1.0": [name for name, _ in api._FUNCS],
            None: ["version", "test-imports"],
        }

    def make_linker(self, engine: Engine) -> Linker:
        # wasmtime's WASI, and a trapping stub for each function of the
        # world's `host` interface (the calls made here never reach them).
        # Not define_unknown_imports_as_traps: it would define the guest's
        # wasi 0.2.9 names exactly, shadowing what WASI serves them by semver.
        linker = Linker(engine)
        linker.add_wasip2()

        def stub(*_args: Any) -> Any:
            raise RuntimeError("not called by this benchmark")

        by_iface: dict[str, list[str]] = {}
        for spec in self.pkg._BINDINGS.imports:
            by_iface.setdefault(spec.interface, []).append(spec.name)
        by_iface.setdefault("conformance:py-guest/types@0.1.0", [])  # types only
        with linker.root() as root:
            for iface, names in by_iface.items():
                with root.add_instance(iface) as inst:
                    for name in names:
                        inst.add_func(name, stub)
        return linker

    def dynamic(self, engine: Engine, component: Component) -> None:
        self.component_obj = component
        store = Store(engine)
        store.set_wasi(wasmtime.WasiConfig())
        inst = self.make_linker(engine).instantiate(store, component)
        funcs = _export_funcs(inst, store, self.names)
        assert funcs["version"](store) == "0.1.0"

    def dynamic_linker(self, engine: Engine) -> Linker:
        return self.make_linker(engine)

    def dynamic_reused(self, engine: Engine, linker: Linker, component: Component) -> None:
        store = Store(engine)
        store.set_wasi(wasmtime.WasiConfig())
        inst = linker.instantiate(store, component)
        f = inst.get_func(store, "version")
        assert f(store) == "0.1.0"
        assert f(store) == "0.1.0"

    def typed(self, store: Store, source: Any) -> None:
        inst = self.pkg.BenchPyGuest.instantiate(store, source, self.imports)
        assert inst.version() == "0.1.0"

    def prepare(self, engine: Engine) -> Any:
        return self.pkg.BenchPyGuest.prepare(engine, self.path)

    def prepared(self, pre: Any, store: Store) -> None:
        inst = pre.instantiate(store, self.imports)
        assert inst.version() == "0.1.0"
        assert inst.version() == "0.1.0"


def rows(case: Case, n: int, repeat: int) -> list[tuple[str, float, float]]:
    engine = Engine()
    from wbindgen_runtime.prepared import load_component

    component = load_component(engine, case.path)  # keeps its bytes: gets the lane
    if isinstance(case, PyGuest):
        case.component_obj = component
    # first loads, not timed
    case.dynamic(engine, component)
    case.typed(Store(engine), component)
    case.typed(Store(engine), str(case.path))
    t_dyn = best(lambda: case.dynamic(engine, component), n, repeat)
    t_comp = best(lambda: case.typed(Store(engine), component), n, repeat)
    t_path = best(lambda: case.typed(Store(engine), str(case.path)), n, repeat)
    linker = case.dynamic_linker(engine)
    pre = case.prepare(engine)
    case.dynamic_reused(engine, linker, component)
    case.prepared(pre, Store(engine))
    t_reused = best(lambda: case.dynamic_reused(engine, linker, component), n, repeat)
    t_pre = best(lambda: case.prepared(pre, Store(engine)), n, repeat)
    return [
        ("instantiate from a Component + 1 call vs dynamic", t_comp, t_dyn),
        ("instantiate from a path + 1 call vs dynamic", t_path, t_dyn),
        ("fresh Store + prepared instantiate + 2 calls vs dynamic, linker reused", t_pre,
         t_reused),
    ]  # fmt: skip


FIRST = """
import sys, time
t0 = time.perf_counter()
sys.path[:0] = {paths!r}
import wasmtime
import {module}
t1 = time.perf_counter()
{setup}
inst = {call}
t2 = time.perf_counter()
print(f"{{(t1 - t0) * 1e3:.1f}} {{(t2 - t1) * 1e3:.1f}}")
"""


def first_instantiate(case: Case, tmp: Path) -> tuple[float, float]:
    """Import, then first instantiate in a fresh process (compiled cache warm)."""
    paths = [str(ROOT / "generated_examples"), str(ROOT / "examples"), str(ROOT / "tests"),
             str(tmp)]  # fmt: skip
    if isinstance(case, KitchenSink):
        module, setup = "kitchen_sink", ""
        call = f"kitchen_sink.KitchenSink.instantiate(wasmtime.Store(), {str(case.path)!r})"
    elif isinstance(case, HostImports):
        module = "host_imports"
        setup = (
            "from host_imports_host import Blobs, Clock, Logger\n"
            "imports = host_imports.HostImportsImports(logger=Logger(), blobs=Blobs(), "
            "root=Clock())"
        )
        call = (
            f"host_imports.HostImports.instantiate(wasmtime.Store(), {str(case.path)!r}, imports)"
        )
    else:
        module = case.pkg.__name__  # type: ignore[attr-defined]
        cls = [c for c in dir(case.pkg) if c.endswith("Imports")][0]  # type: ignore[attr-defined]
        world = cls[: -len("Imports")]
        setup = (
            f"host = type('H', (), {{'__getattr__': lambda s, n: (lambda *a: 0)}})()\n"
            f"imports = {module}.{cls}(**{{f: host for f in {module}.{cls}.__dataclass_fields__}})"
        )
        call = f"{module}.{world}.instantiate(wasmtime.Store(), {str(case.path)!r}, imports)"
    code = FIRST.format(paths=paths, module=module, setup=setup, call=call)
    times = []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True).stdout.split()  # fmt: skip
        times.append((float(out[0]), float(out[1])))
    return min(t[0] for t in times), min(t[1] for t in times)


def rss_mib() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def rss_over(case: Case, count: int) -> tuple[float, float, float]:
    """RSS before, after 100 and after ``count`` instantiations (a fresh Store each)."""
    engine = Engine()
    for _ in range(100):
        case.typed(Store(engine), str(case.path))
    gc.collect()
    start = rss_mib()
    for i in range(count):
        case.typed(Store(engine), str(case.path))
        if i == 99:
            gc.collect()
            mid = rss_mib()
    gc.collect()
    return start, mid, rss_mib()


def guard_cost(n: int) -> tuple[float, float]:
    """ns per add() with the store guard, and the guard's statements alone."""
    import timeit

    import kitchen_sink

    inst = kitchen_sink.KitchenSink.instantiate(Store(), ROOT / "examples" / "kitchen_sink.wat")
    add = inst.api.add
    t_add = min(timeit.repeat(lambda: add(1, 2), number=n, repeat=5)) / n

    class SS:
        __slots__ = ("cur",)

    ss = SS()
    ss.cur = None
    st = object()
    src = (
        "def guarded():\n"
        "    prev = ss.cur\n"
        "    if prev is not None: raise RuntimeError\n"
        "    ss.cur = st\n"
        "    try:\n"
        "        pass\n"
        "    finally:\n"
        "        ss.cur = prev\n"
        "def bare():\n"
        "    pass\n"
    )
    ns: dict[str, Any] = {"ss": ss, "st": st, "RuntimeError": RuntimeError}
    exec(src, ns)
    g = min(timeit.repeat(ns["guarded"], number=n, repeat=5)) / n
    b = min(timeit.repeat(ns["bare"], number=n, repeat=5)) / n
    return t_add, g - b


def main() -> None:
    quick = "--quick" in sys.argv
    n, repeat = (50, 3) if quick else (200, 5)
    tmp = Path(tempfile.mkdtemp(prefix="wbindgen-bench-inst-"))
    os.environ.setdefault("WBINDGEN_CACHE_DIR", str(tmp / "cache"))
    cases: list[Case] = [Five(tmp), KitchenSink(), HostImports()]
    if not quick:
        cases.append(PyGuest(tmp))
    print("| component | row | typed | dynamic | ratio | target |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for case in cases:
        reps = n if not isinstance(case, PyGuest) else max(10, n // 10)
        for label, typed, dyn in rows(case, reps, repeat):
            print(f"| {case.name} | {label} | {us(typed)} | {us(dyn)} | {typed / dyn:.2f}x "
                  "| <= 1.5x |")  # fmt: skip
    print()
    print("| component | import (fresh process) | first instantiate (fresh process, cache warm) |")
    print("| --- | ---: | ---: |")
    for case in cases:
        imp, first = first_instantiate(case, tmp)
        print(f"| {case.name} | {imp:.1f} ms | {first:.1f} ms |")
    print()
    count = 200 if quick else 1000
    start, mid, end = rss_over(cases[1], count)
    print(f"RSS over {count} instantiations of {cases[1].name} (a fresh Store each, by path): "
          f"{start:.1f} MiB before, {mid:.1f} after 100, {end:.1f} MiB after {count}")  # fmt: skip
    t_add, g = guard_cost(200_000 if quick else 1_000_000)
    print(
        f"store guard: {g * 1e9:.0f} ns per call, {g / t_add:.1%} of add() ({t_add * 1e9:.0f} ns)"
    )


if __name__ == "__main__":
    main()
