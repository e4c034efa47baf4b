"""The composable level: the host owns the wasmtime Linker.

The bindings (`compose_app`, generated from world `app` of
tests/components/compose_app/wit) define exactly their own imports in a
Linker the host made. The host adds the rest with wasmtime-py's own API:
wasmtime's WASI with the wall clock replaced by a fixed one (for
reproducible tests), the `math` interface served by a second component, and
traps for `telemetry`, an import the bindings do not know. Then it prepares
the component once and instantiates it in a fresh store per use.

    python examples/compose_linker.py COMPOSE_APP COMPOSE_MATH

(both component files: `examples/compose_app.wat` and `examples/compose_math.wat`).
"""

from __future__ import annotations

import sys

import wasmtime
from compose_app import App, AppImports
from wasmtime.component import Component, Func, Instance, Linker, Record
from wbindgen_runtime import Trap

FIXED_SECONDS = 1_700_000_000


class Host:
    """Implements `example:compose/host` (the generated Protocol `imports.host.Host`)."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def log(self, msg: str) -> None:
        self.lines.append(msg)


def fixed_now(store: wasmtime.StoreContext) -> Record:
    """`wasi:clocks/wall-clock.now`, fixed (wasmtime-py's dynamic value of a record)."""
    now = Record()
    setattr(now, "seconds", FIXED_SECONDS)  # noqa: B010 - Record's fields are dynamic
    setattr(now, "nanoseconds", 0)  # noqa: B010
    return now


class MathProvider:
    """The second component: instantiated in each store beside the app, its
    `add` export serves the app's `math` import (the store runs one request at
    a time, so the current store's instance is the one to call)."""

    def __init__(self, engine: wasmtime.Engine, path: str) -> None:
        self.component = Component(engine, open(path).read())
        self.linker = Linker(engine)
        self.current: Func | None = None

    def instantiate(self, store: wasmtime.Store) -> None:
        instance: Instance = self.linker.instantiate(store, self.component)
        iface = instance.get_export_index(store, "example:compose/math@0.1.0")
        add = instance.get_export_index(store, "add", iface)
        assert add is not None
        self.current = instance.get_func(store, add)

    def add(self, ctx: wasmtime.StoreContext, a: int, b: int) -> int:
        assert self.current is not None
        result = self.current(ctx, a, b)
        assert isinstance(result, int)
        return result


def build_linker(engine: wasmtime.Engine, math: MathProvider, component: Component) -> Linker:
    linker = Linker(engine)
    linker.allow_shadowing = True
    linker.add_wasip2()
    with linker.root() as root:
        with root.add_instance("wasi:clocks/wall-clock@0.2.0") as clock:
            clock.add_func("now", fixed_now)  # shadows wasmtime's own
        with root.add_instance("example:compose/math@0.1.0") as m:
            m.add_func("add", math.add)
    App.add_to_linker(linker)  # the bindings' own imports: `host`
    linker.define_unknown_imports_as_traps(component)  # telemetry: traps if called
    return linker


def main(app_path: str, math_path: str) -> None:
    engine = wasmtime.Engine()
    component = Component(engine, open(app_path).read())
    math = MathProvider(engine, math_path)
    pre = App.prepare(build_linker(engine, math, component), component)

    for request in range(3):
        store = wasmtime.Store(engine)
        store.set_wasi(wasmtime.WasiConfig())  # the host's Linker: the host's WASI
        math.instantiate(store)
        host = Host()
        inst = pre.instantiate(store, AppImports(host=host))
        inst.api.hello()
        print(f"request {request}: stamp={inst.api.stamp()} sum={inst.api.sum(request, 40)}",
              f"log={host.lines}")  # fmt: skip
    try:
        inst.api.report()
    except Trap as e:
        print(f"telemetry: {e.message}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
