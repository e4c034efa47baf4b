"""runtime/wasi.py's table of the interfaces wasmtime's own WASI defines,
checked against the installed wasmtime: of every interface of the WASI 0.2
packages jco ships (npm; scripts/test.sh installs it) and of proposals hosts
implement themselves, exactly those the table names link from
`Linker.add_wasip2()` (and `add_wasi_http()`).

wasmtime-py cannot list what a Linker defines, and an import of an instance
that names no real item links to anything, so each candidate is a component
that imports the whole interface as its WIT declares it (wasm-tools'
`component embed --dummy` over a one-import world): it links exactly when
the Linker defines that interface, at matching types."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import wasmtime
from support.components import ROOT, require_wasm_tools
from wasmtime.component import Component, Linker
from wbindgen_runtime.wasi import WASI_HTTP_INTERFACES, WASIP2_INTERFACES, WasiKind, wasi_kind

NPM_WASI = ROOT / ".cache/npm/node_modules/@bytecodealliance/jco/lib/wit/builtin/0.2.12"


def _npm_interfaces() -> set[str]:
    """Every stable interface of jco's WASI 0.2.12 WIT, by `ns:pkg/name`."""
    found: set[str] = set()
    for wit in sorted(NPM_WASI.glob("*/package.wit")):
        text = wit.read_text()
        package = re.search(r"^package (wasi:[a-z-]+)@", text, re.M)
        assert package, wit
        # `@unstable` interfaces are behind a feature gate wasmtime leaves off.
        for gate, name in re.findall(
            r"^\s*(@unstable[^\n]*\n\s*)?interface ([a-z][a-z0-9-]*) \{", text, re.M
        ):
            if not gate:
                found.add(f"{package.group(1)}/{name}")
    return found


def _probe(wit: Path, interface: str, out: Path) -> bytes:
    """A component importing all of `interface` (`ns:pkg/name@version`),
    whose package lives in `wit`'s deps."""
    exe = require_wasm_tools()
    (wit / "world.wit").write_text(f"package probe:p;\nworld w {{\n  import {interface};\n}}\n")
    core, comp = out / "core.wasm", out / "probe.wasm"
    for cmd in (
        [exe, "component", "embed", "--dummy", str(wit), "--world", "w", "-o", str(core)],
        [exe, "component", "new", str(core), "-o", str(comp)],
    ):
        proc = subprocess.run(cmd, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
    return comp.read_bytes()


def _links(engine: wasmtime.Engine, add: Callable[[Linker], None], component: bytes) -> bool:
    linker = Linker(engine)
    add(linker)
    try:
        linker.instantiate(wasmtime.Store(engine), Component(engine, component))
    except wasmtime.WasmtimeError as e:
        assert "matching implementation was not found" in str(e), e
        return False
    return True


def _p2(linker: Linker) -> None:
    linker.add_wasip2()


def _p2_and_http(linker: Linker) -> None:
    linker.add_wasip2()
    linker.add_wasi_http()


#: Proposals' WIT, enough to name one real item of each.
PROPOSALS = {
    "wasi:config/store": "package wasi:config@0.2.0-draft;\ninterface store {\n"
    "  get: func(key: string) -> option<string>;\n}\n",
    "wasi:keyvalue/store": "package wasi:keyvalue@0.2.0-draft;\ninterface store {\n"
    "  resource bucket;\n  open: func(identifier: string) -> bucket;\n}\n",
    "wasi:logging/logging": "package wasi:logging@0.1.0-draft;\ninterface logging {\n"
    "  log: func(context: string, message: string);\n}\n",
}


@pytest.fixture(scope="module")
def probes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """A probe component per interface: jco's WASI 0.2.12 and the proposals."""
    if not NPM_WASI.is_dir():
        pytest.skip(f"no WASI 0.2.12 WIT at {NPM_WASI} (scripts/test.sh installs jco from npm)")
    root = tmp_path_factory.mktemp("probes")
    wit = root / "wit"
    for src in NPM_WASI.glob("*/package.wit"):
        (wit / "deps" / src.parent.name).mkdir(parents=True)
        shutil.copy(src, wit / "deps" / src.parent.name / "package.wit")
    for name, text in PROPOSALS.items():
        folder = wit / "deps" / name.replace(":", "-").replace("/", "-")
        folder.mkdir(parents=True)
        (folder / "package.wit").write_text(text)
    out: dict[str, bytes] = {}
    for interface in sorted(_npm_interfaces()):
        out[interface] = _probe(wit, f"{interface}@0.2.12", root)
    for name, text in PROPOSALS.items():
        version = re.search(r"@([^;]+);", text)
        assert version
        out[name] = _probe(wit, f"{name}@{version.group(1)}", root)
    return out


def test_the_table_says_what_wasmtime_defines(probes: dict[str, bytes]) -> None:
    """A wasmtime release that adds or drops an interface of `add_wasip2()`
    or `add_wasi_http()` fails here until the table follows."""
    engine = wasmtime.Engine()
    assert len(probes) > 30, sorted(probes)
    p2 = {i for i, c in probes.items() if _links(engine, _p2, c)}
    both = {i for i, c in probes.items() if _links(engine, _p2_and_http, c)}
    assert p2 == WASIP2_INTERFACES & probes.keys()
    assert both == (WASIP2_INTERFACES | WASI_HTTP_INTERFACES) & probes.keys()
    # What the table names and jco's packages hold are the same interfaces,
    # but for the handler an HTTP server calls (an export, never wasmtime's).
    assert probes.keys() - both == set(PROPOSALS) | {"wasi:http/incoming-handler", "wasi:cli/run"}
    assert (WASIP2_INTERFACES | WASI_HTTP_INTERFACES) <= probes.keys()


@pytest.mark.parametrize(
    "name",
    ["wasi:cli/environment@0.2.3", "wasi:http/types@0.2.0", "wasi:config/store@0.2.0-draft",
     "wasi:cli/environment@0.3.0", "wasi:cli/run@0.2.3", "wasi:cli/environment@0.2.0-rc-1"],
)  # fmt: skip
def test_wasi_kind_reads_names_by_the_table(name: str) -> None:
    iface, _, version = name.partition("@")
    expected = (
        WasiKind.NONE if not re.fullmatch(r"0\.2\.\d+", version)
        else WasiKind.P2 if iface in WASIP2_INTERFACES
        else WasiKind.HTTP if iface in WASI_HTTP_INTERFACES
        else WasiKind.NONE
    )  # fmt: skip
    assert wasi_kind(name) is expected
