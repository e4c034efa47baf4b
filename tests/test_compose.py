"""Composing like wasmtime's bindgen (issue 19): WASI commands, `wasi:`
proposals implemented by the host, the user's own Linker, and the lane switch."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import wasmtime
import wbindgen_runtime as rt
from support.components import GENERATED, ROOT, component
from wbindgen.generate import generate_files
from wbindgen_runtime.command import run_command

EXAMPLES = ROOT / "examples"


def generate(source: Path | None, package: str, out: Path, **kw: Any) -> ModuleType:
    for rel, text in generate_files(source, package, None, **kw).items():
        target = out / package / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    sys.path.insert(0, str(out))
    try:
        return importlib.import_module(package)
    finally:
        sys.path.remove(str(out))


# -- WASI commands -----------------------------------------------------------------------


def test_a_command_runs_with_args_and_captured_stdout() -> None:
    echo = component("wasi_echo")
    chunks: list[bytes] = []
    assert run_command(echo, ["hello", "wörld"], stdout=chunks.append) == 0
    assert b"".join(chunks) == "hello wörld\n".encode()


def test_a_command_s_exit_status(tmp_path: Path) -> None:
    echo = component("wasi_echo")
    out = tmp_path / "out.txt"
    assert run_command(echo, ["returns", "err"], stdout=out) == 1  # run returned err
    assert out.read_text() == "returns err\n"
    assert run_command(echo, ["calls", "exit"], stdout=out) == 1  # wasi:cli/exit(err)
    assert out.read_text() == "calls exit\n"
    assert run_command(echo, []) == 0  # nothing granted: the output goes nowhere


def test_a_command_through_its_generated_bindings(tmp_path: Path) -> None:
    pkg = generate(component("wasi_echo"), "wasi_echo_cmd", tmp_path)
    wasi = wasmtime.WasiConfig()
    wasi.argv = ["main", "x", "exit"]
    inst = pkg.WasiEchoCmd.instantiate(wasmtime.Store(), component("wasi_echo"), wasi=wasi)
    with pytest.raises(rt.Trap) as info:
        inst.run.run()
    assert info.value.exit_code == 1
    assert info.value.message == "the component exited with status 1"
    wasi = wasmtime.WasiConfig()
    wasi.argv = ["main", "x", "err"]
    inst = pkg.WasiEchoCmd.instantiate(wasmtime.Store(), component("wasi_echo"), wasi=wasi)
    with pytest.raises(rt.Err):
        inst.run.run()


def test_a_component_that_is_not_a_command_is_refused() -> None:
    with pytest.raises(rt.TypeCheckError, match="export 'wasi:cli/run@0.2.0': missing"):
        run_command(ROOT / "examples" / "kitchen_sink.wat")


# -- a wasi: proposal wasmtime does not provide ---------------------------------------------


def test_a_wasi_proposal_is_implemented_by_the_host(tmp_path: Path) -> None:
    comp = component("config_store")
    pkg = generate(comp, "config_user", tmp_path)
    store_mod = importlib.import_module("config_user.imports.store")

    class Config:
        def get(self, key: str) -> str | None:
            if key == "broken":
                raise rt.Err(store_mod.Error_Io("disk on fire"))
            return {"greeting": "hello"}.get(key)

    imports = pkg.ConfigUserImports(store=Config())
    inst = pkg.ConfigUser.instantiate(wasmtime.Store(), comp, imports)
    assert inst.lookup("greeting") == "hello"
    assert inst.lookup("unset") == ""
    assert inst.lookup("broken") == "error: disk on fire"


# -- the user's own Linker --------------------------------------------------------------


def test_the_composition_example_runs() -> None:
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / "compose_linker.py"),
         str(EXAMPLES / "compose_app.wat"), str(EXAMPLES / "compose_math.wat")],
        capture_output=True, text=True, env={"PYTHONPATH": str(GENERATED), "PATH": "/usr/bin"},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[:3] == [
        f"request {i}: stamp=1700000000 sum={40 + i} log=['hello']" for i in range(3)
    ]
    assert lines[3].startswith("telemetry: unknown import: `example:compose/telemetry@0.1.0")


@pytest.fixture
def compose_app() -> ModuleType:
    sys.path.insert(0, str(GENERATED))
    try:
        return importlib.import_module("compose_app")
    finally:
        sys.path.remove(str(GENERATED))


def test_without_the_user_s_linker_unknown_imports_are_refused(compose_app: ModuleType) -> None:
    with pytest.raises(
        rt.TypeCheckError, match="import 'example:compose/math@0.1.0': the component"
    ):
        compose_app.App.prepare(wasmtime.Engine(), EXAMPLES / "compose_app.wat")


def test_the_user_s_linker_must_hold_the_bindings_imports(compose_app: ModuleType) -> None:
    engine = wasmtime.Engine()
    linker = wasmtime.component.Linker(engine)
    with pytest.raises(rt.WbindgenError, match="add_to_linker"):
        compose_app.App.prepare(linker, EXAMPLES / "compose_app.wat")
    compose_app.App.add_to_linker(linker)
    with pytest.raises(rt.WbindgenError, match="already added"):
        compose_app.App.add_to_linker(linker)


def test_wasi_belongs_to_the_user_with_their_linker(compose_app: ModuleType) -> None:
    engine = wasmtime.Engine()
    linker = wasmtime.component.Linker(engine)
    linker.add_wasip2()
    compose_app.App.add_to_linker(linker)
    with linker.root() as root:
        with root.add_instance("example:compose/math@0.1.0") as m:
            m.add_func("add", lambda ctx, a, b: a + b)
        with root.add_instance("example:compose/telemetry@0.1.0") as t:
            t.add_func("record-event", lambda ctx, name: None)
    comp = rt.load_component(engine, EXAMPLES / "compose_app.wat")
    pre = compose_app.App.prepare(linker, comp)
    host = type("Host", (), {"log": lambda self, msg: None})()
    with pytest.raises(rt.WasiConfigError, match="your own Linker"):
        pre.instantiate(wasmtime.Store(engine), compose_app.AppImports(host=host),
                        wasi=wasmtime.WasiConfig())  # fmt: skip
    store = wasmtime.Store(engine)
    store.set_wasi(wasmtime.WasiConfig())
    inst = pre.instantiate(store, compose_app.AppImports(host=host))
    assert inst.api.sum(2, 3) == 5
    assert inst.api.stamp() > 1_700_000_000  # wasmtime's own clock


def test_imports_for_serves_instances_the_bindings_did_not_create(
    compose_app: ModuleType,
) -> None:
    """A component the user instantiates through the same Linker (wasmtime-py's
    dynamic API) calls the bindings' host functions: `imports_for(store)` serves it."""
    engine = wasmtime.Engine()
    lines: list[str] = []
    host = type("Host", (), {"log": lambda self, msg: lines.append(msg)})()
    linker = wasmtime.component.Linker(engine)
    linker.add_wasip2()
    compose_app.App.add_to_linker(linker, lambda store: compose_app.AppImports(host=host))
    comp = wasmtime.component.Component(engine, (EXAMPLES / "compose_app.wat").read_text())
    linker.define_unknown_imports_as_traps(comp)
    store = wasmtime.Store(engine)
    store.set_wasi(wasmtime.WasiConfig())
    instance = linker.instantiate(store, comp)
    api = instance.get_export_index(store, "example:compose/api@0.1.0")
    hello = instance.get_func(store, instance.get_export_index(store, "hello", api))
    assert hello is not None
    hello(store)
    assert lines == ["hello"]


# -- the lane switch ---------------------------------------------------------------------


def _fits(pkg: ModuleType, pre: Any, instances: int) -> bool:
    store = wasmtime.Store(pre.prepared.engine)
    store.set_limits(instances=instances)
    try:
        pre.instantiate(store)
        return True
    except rt.InstantiationError as e:
        assert "instance count too high" in str(e) or "resource limit exceeded" in str(e), e
        return False


def test_the_lane_never_changes_what_limits_see_without_a_say() -> None:
    sys.path.insert(0, str(GENERATED))
    try:
        kitchen = importlib.import_module("kitchen_sink")
    finally:
        sys.path.remove(str(GENERATED))
    engine = wasmtime.Engine()
    plain = kitchen.KitchenSink.prepare(engine, EXAMPLES / "kitchen_sink.wat", lane=False)
    lane = kitchen.KitchenSink.prepare(engine, EXAMPLES / "kitchen_sink.wat")
    assert not plain.prepared.lane_enabled and lane.prepared.lane_enabled
    need = next(n for n in range(1, 64) if _fits(kitchen, plain, n))
    assert not _fits(kitchen, lane, need)  # the wrapper adds core instances
    assert next(n for n in range(need, 64) if _fits(kitchen, lane, n)) == need + 3
