"""Reader and generator fuzzing: a short deterministic run of the fuzzer
(scripts/fuzz_reader.py runs it for minutes), and every input that once
broke the promise (`read_component` returns or raises ReaderError within
1 s; `render_world` on what it accepts gives valid Python or raises
GenerateError), as a regression test."""

from __future__ import annotations

import importlib
import random
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import wasmtime
import wasmtime.component
from hardening.fuzzer import Fuzzer, check_input, load_seeds
from support.components import ROOT, SHARED, require_wasm_tools
from wbindgen.generate import GenerateError, generate_files, render_world
from wbindgen_runtime.reader import read_component

# Found by the fuzzer (seed 20240611): a corpus component whose instantiation
# passes `own<r>` where the shim imports a resource, so the reader's model has
# `type r = own<r>` used as a handle. wasmtime refuses the component; the
# planner asserted. Now a PlanError (GenerateError).
OWN_OF_ALIAS = bytes.fromhex(
    "0061736d0d00010001e1010061736d01000000010e0360017f0060017f017f6000017f024a02115b6578706f72745d66"
    "6f6f3a6261722f61105b7265736f757263652d64726f705d720000115b6578706f72745d666f6f3a6261722f610f5b72"
    "65736f757263652d7265705d72000103020102070f010b736f6d652d6e616d65236600020a05010300000b0051097072"
    "6f647563657273010c70726f6365737365642d6279020d7769742d636f6d706f6e656e741224434152474f5f504b475f"
    "56455253494f4e0f6d792d66616b652d62696e6467656e063132332e3435000c046e616d650005046d61696e0704013f"
    "7f0008050203000400023f020102105b7265736f757263652d64726f705d7200000f5b7265736f757263652d7265705d"
    "720001000001115b6578706f72745d666f6f3a6261722f61120004510061736d0d0001000a1201000d696d706f72742d"
    "747970652d7203010b0701000172030000002a0e636f6d706f6e656e742d6e616d65001918666f6f3a6261722f612d73"
    "68696d2d636f6d706f6e656e740514010000010d696d706f72742d747970652d7203000b0f010009666f6f3a6261722f"
    "61050000060601030001017204510061736d0d0001000a1201000d696d706f72742d747970652d7203010b0701000172"
    "030000002a0e636f6d706f6e656e742d6e616d65001918666f6f3a6261722f622d7368696d2d636f6d706f6e656e7405"
    "14010001010d696d706f72742d747970652d7203010b0f010009666f6f3a6261722f6205020007070269004000000206"
    "1101000001010b736f6d652d6e616d6523660707026900400000020806010000020003060601030003017204a9010061"
    "736d0d0001000a3903000d696d706f72742d747970652d720301000e696d706f72742d747970652d7230030000000f69"
    "6d706f72742d747970652d7230310300010707026902400000030a1201000d696d706f72742d66756e632d6601040b07"
    "010001720301000707026905400000060b09010001660100010107002a0e636f6d706f6e656e742d6e616d6500191873"
    "6f6d652d6e616d652d7368696d2d636f6d706f6e656e740547010002040d696d706f72742d66756e632d6601000d696d"
    "706f72742d747970652d7203010e696d706f72742d747970652d723003040f696d706f72742d747970652d7230310300"
    "0b0f010009736f6d652d6e616d65050400003a0970726f647563657273010c70726f6365737365642d6279010d776974"
    "2d636f6d706f6e656e741224434152474f5f504b475f56455253494f4e00bd020e636f6d706f6e656e742d6e616d6501"
    "2d000003000d7265736f757263652e64726f70010c7265736f757263652e726570020b736f6d652d6e616d6523660109"
    "00110100046d61696e011c00120200115b6578706f72745d666f6f3a6261722f6101046d61696e01050101000166010b"
    "0303000172010172040172015004030018666f6f3a6261722f612d7368696d2d636f6d706f6e656e740118666f6f3a62"
    "61722f622d7368696d2d636f6d706f6e656e740218736f6d652d6e616d652d7368696d2d636f6d706f6e656e74016e05"
    "060017666f6f3a6261722f612d7368696d2d696e7374616e63650109666f6f3a6261722f610217666f6f3a6261722f62"
    "2d7368696d2d696e7374616e63650309666f6f3a6261722f620417736f6d652d6e616d652d7368696d2d696e7374616e"
    "63650509736f6d652d6e616d65"
)


def test_fuzz_finding_handle_to_a_non_resource_is_a_generate_error() -> None:
    world = read_component(OWN_OF_ALIAS)
    with pytest.raises(GenerateError, match="not a resource"):
        render_world(world, "p", "P")
    assert check_input(OWN_OF_ALIAS).kind == "accepted"


# Found by the fuzzer (seed 20240611) as a corpus mutant, then reduced to a
# valid component: an export using a WASI resource made the planner plan the
# WASI interface's module without the WASI interfaces its types use (KeyError).
WASI_RESOURCE_IN_EXPORT = """package test:w;
world w {
  use wasi:io/streams@0.2.0.{output-stream};
  export f: func(s: borrow<output-stream>) -> u32;
}
"""
# Found while reducing it: an interface whose only item is a resource gave a
# module without `_rt`, `_INTERFACE` or `_FUNCS` (NameError at import).
RESOURCE_ONLY_INTERFACES = """package test:w2;
interface a { resource r; }
interface b { use a.{r}; f: func(x: borrow<r>) -> u32; }
interface c { resource s; }
world w { export a; export b; export c; }
"""
USED_IMPORTED_RESOURCE = """package test:w3;
interface a { resource r; }
interface b { use a.{r}; f: func(x: borrow<r>) -> u32; }
world w { import a; import b; }
"""


def _dummy_component(tmp: Path, wit: str) -> Path:
    """A component for `wit` whose core functions trap (wasm-tools --dummy)."""
    exe = require_wasm_tools()
    (tmp / "wit").mkdir(parents=True)
    (tmp / "wit" / "w.wit").write_text(wit)
    shutil.copytree(ROOT / "tests/components/wasi_hello/wit/deps", tmp / "wit" / "deps")
    subprocess.run(
        [
            exe,
            "component",
            "embed",
            "--dummy",
            str(tmp / "wit"),
            "-o",
            str(tmp / "e.wasm"),
        ],
        check=True,
    )
    subprocess.run(
        [exe, "component", "new", str(tmp / "e.wasm"), "-o", str(tmp / "c.wasm")],
        check=True,
    )
    return tmp / "c.wasm"


def _generate_and_import(wasm: Path, out: Path, package: str) -> object:
    for rel, text in generate_files(wasm, package, None).items():
        (out / package / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / package / rel).write_text(text)
    sys.path.insert(0, str(out))
    try:
        return importlib.import_module(package)
    finally:
        sys.path.remove(str(out))


@pytest.mark.parametrize(
    ("wit", "package"),
    [(WASI_RESOURCE_IN_EXPORT, "wasi_res"), (RESOURCE_ONLY_INTERFACES, "res_only"),
     (USED_IMPORTED_RESOURCE, "used_res")],
)  # fmt: skip
def test_generated_package_imports(tmp_path: Path, wit: str, package: str) -> None:
    wasm = _dummy_component(tmp_path / "src", wit)
    mod = _generate_and_import(wasm, tmp_path / "out", package)
    assert hasattr(mod, package.title().replace("_", ""))


def test_resource_only_interfaces_instantiate(tmp_path: Path) -> None:
    wasm = _dummy_component(tmp_path / "src", RESOURCE_ONLY_INTERFACES)
    mod = _generate_and_import(wasm, tmp_path / "out", "res_only2")
    inst = mod.ResOnly2.instantiate(wasmtime.Store(), str(wasm))  # type: ignore[attr-defined]
    assert inst.a is not None and inst.c is not None


def test_used_imported_resource_instantiates(tmp_path: Path) -> None:
    """A resource `use`d by a second imported interface is registered under
    both names, as one resource type."""
    wasm = _dummy_component(tmp_path / "src", USED_IMPORTED_RESOURCE)
    mod: Any = _generate_and_import(wasm, tmp_path / "out", "used_res2")
    a, b = importlib.import_module("used_res2.imports.a"), importlib.import_module("used_res2.imports.b")
    # the bindings register both names with the owner's one descriptor ...
    assert a._RESOURCES == (("r", a._R_R),) and b._RESOURCES == (("r", a._R_R),)
    assert b._RESOURCES[0][1] is a._R_R

    class A:
        pass

    class B:
        def f(self, x: object) -> int:
            return 1

    # ... and wasmtime instantiates only when the two names are one type
    mod.UsedRes2.instantiate(wasmtime.Store(), str(wasm), mod.UsedRes2Imports(a=A(), b=B()))
    engine = wasmtime.Engine()
    component = wasmtime.component.Component.from_file(engine, str(wasm))
    for ta, tb, works in ((1, 1, True), (1, 2, False)):
        linker = wasmtime.component.Linker(engine)
        with linker.root() as root:
            with root.add_instance("test:w3/a") as ia:
                ia.add_resource("r", wasmtime.component.ResourceType.host(ta), lambda s, rep: None)
            with root.add_instance("test:w3/b") as ib:
                ib.add_resource("r", wasmtime.component.ResourceType.host(tb), lambda s, rep: None)
                ib.add_func("f", lambda s, x: 1)
        if works:
            linker.instantiate(wasmtime.Store(engine), component)
        else:
            with pytest.raises(wasmtime.WasmtimeError, match="test:w3/b"):
                linker.instantiate(wasmtime.Store(engine), component)


def test_short_fuzz_run_finds_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """600 inputs of the fuzzer with a fixed seed (reader and generator). The
    time bound here only has to catch a hang: CI shares two cores, so it is
    looser than the 1 s that `scripts/fuzz_reader.py` holds the reader to."""
    import hardening.fuzzer as fuzzer

    monkeypatch.setattr(fuzzer, "READ_BOUND", 5.0)
    seeds = load_seeds()
    # The repo's own components always; the shared corpus and fixtures when
    # ../shared is beside the clone.
    assert len(seeds) >= (100 if (SHARED / "corpus").is_dir() else 10), len(seeds)
    fz = Fuzzer(list(seeds.values()), random.Random(1234))
    for _ in range(600):
        fz.run_one(fz.next_input())
    assert fz.stats["refused"] > 200 and fz.stats["rendered"] > 5, fz.stats
    assert fz.findings == [], fz.findings[:3]
