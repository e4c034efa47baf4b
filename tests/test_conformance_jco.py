"""Conformance with real components built by other toolchains: every
component of ../shared/fixtures/jco (jco's runtime-test fixtures, built
with wit-bindgen from C and Rust, and one by hand).

For each: generate bindings into a temporary folder, check them and the host
code written against them with `mypy --strict`, implement the imported test
interface through the generated Protocols, call `test-imports` (the guest
calls every imported function with fixed arguments and traps on a wrong
answer), then call every export with values at the edges of its types. The
calls checked are counted and must match docs/conformance.md.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from conformance.bindings import documented_counts, generate, importable, mypy_strict
from conformance.ledger import Ledger
from support.components import ROOT, SHARED, require_shared

JCO = SHARED / "fixtures" / "jco"
HOSTS = ROOT / "tests" / "conformance"

# Each component, by the name of its file and of its module in conformance/jco.
NAMES = {
    "adder": "adder",
    "asmjs_bigint": "asmjs_bigint",
    "lists": "lists",
    "many-arguments": "many_arguments",
    "numbers": "numbers",
    "records": "records",
    "resource-borrow-simple": "resource_borrow_simple",
    "resources": "resources",
    "smoke": "smoke",
    "strings": "strings",
}


def wasm(name: str) -> Path:
    return JCO / f"{name}.component.wasm"


@pytest.fixture(scope="module")
def bindings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    require_shared(JCO)
    out = tmp_path_factory.mktemp("jco-bindings")
    for name, module in NAMES.items():
        generate(wasm(name), out / f"jco_{module}")
    with importable(out):
        yield out


def test_every_fixture_is_covered_and_documented() -> None:
    require_shared(JCO)
    present = {p.name.removesuffix(".component.wasm") for p in JCO.glob("*.component.wasm")}
    assert present == set(NAMES), "a fixture without a conformance run (or a run without one)"
    assert set(documented_counts()) >= set(NAMES), "docs/conformance.md lacks a row"
    for module in NAMES.values():
        assert (HOSTS / "jco" / f"{module}.py").is_file()


def test_bindings_and_host_code_pass_mypy_strict(bindings: Path, tmp_path: Path) -> None:
    errors = mypy_strict(
        tmp_path, bindings,
        *sorted(bindings.glob("jco_*")),
        HOSTS / "__init__.py", HOSTS / "ledger.py", HOSTS / "common.py", HOSTS / "jco",
    )
    assert errors == []


@pytest.mark.parametrize("name", sorted(NAMES))
def test_component(bindings: Path, name: str) -> None:
    run = importlib.import_module(f"conformance.jco.{NAMES[name]}").run
    ledger = Ledger()
    with ledger.watching():
        run(wasm(name), ledger)
    assert ledger.declared, "no export was bound"
    assert ledger.unreached() == []
    assert (ledger.host_calls, ledger.exports) == documented_counts()[name], dict(ledger.host)


def test_a_wrong_host_answer_makes_the_guest_trap(bindings: Path) -> None:
    """The control: `test-imports` really checks the host's answers."""
    import jco_numbers as pkg
    import wasmtime
    import wbindgen_runtime as rt
    from conformance.jco.numbers import Numbers

    class OffByOne(Numbers):
        def roundtrip_u16(self, a: int) -> int:
            return (a + 1) % 2**16

    inst = pkg.JcoNumbers.instantiate(
        wasmtime.Store(), wasm("numbers"), pkg.JcoNumbersImports(test=OffByOne(Ledger()))
    )
    with pytest.raises(rt.Trap, match="test_imports|test-imports|unreachable"):
        inst.test_imports()


def test_a_failing_host_import_surfaces_as_itself(bindings: Path) -> None:
    import jco_lists as pkg
    import wasmtime
    from conformance.jco.lists import Lists

    class Refusing(Lists):
        def list_param3(self, a: list[str]) -> None:
            raise LookupError(f"refused {a}")

    inst = pkg.JcoLists.instantiate(
        wasmtime.Store(), wasm("lists"), pkg.JcoListsImports(test=Refusing(Ledger()))
    )
    with pytest.raises(LookupError, match=r"refused \['foo', 'bar', 'baz'\]"):
        inst.test_imports()
