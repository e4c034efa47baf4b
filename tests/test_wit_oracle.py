"""The WIT front end against wasm-tools, the reference implementation.

Two oracles:

- `wasm-tools component wit --json` of the same WIT: its resolved world,
  normalised into the model by `tests/wit_sources/oracle.py` (an independent
  mapping of wit-parser's JSON onto the model's owners and aliases), must
  EQUAL the model from `bindgen.wit.load_wit`, for every world of the root
  package: same interfaces in the same order, same TypeIds and owners, same
  type and function order, same docs. wit-parser takes every comment as a
  doc comment (wasm-tools#1313) while wbindgen takes only `///` and
  `/** */`, so the comparison loads with `all_comments_are_docs=True`.
- a component built from the WIT (`wasm-tools component embed --dummy` +
  `component new`): the reader's model of it must match the WIT's model
  under `check_component_matches` (the check `wbindgen C --wit W` runs). Not
  equality: wit-component drops imported types and interfaces nothing uses
  and reorders functions, so the component holds a subset of the world.

WIT sources: the repo's example components (`tests/components/*/wit`), the
WIT beside each jco fixture (`../shared/fixtures/jco/*.wit`, skipped when
absent), `tests/wit_sources/features` (every construct), and the WASI 0.2
packages when present (`$WBINDGEN_WASI_WIT` or /tmp/wbindgen-wasi-wit: one
folder per version holding `cli/`, `io/`, ... fetched from WebAssembly/WASI
v0.2.x tags; never committed, skipped when absent).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support.components import ROOT, SHARED, require_wasm_tools
from wbindgen.wit import load_resolver, load_wit
from wbindgen.wit.conform import check_component_matches, strip_docs
from wbindgen_runtime.reader import read_component

sys.path.insert(0, str(Path(__file__).parent / "wit_sources"))
from oracle import oracle_worlds, wit_json  # noqa: E402

EXAMPLES = sorted((ROOT / "tests/components").glob("*/wit"))
JCO = sorted((SHARED / "fixtures/jco").glob("*.wit")) if SHARED.is_dir() else []
FEATURES = ROOT / "tests/wit_sources/features"
WASI_ROOT = Path(os.environ.get("WBINDGEN_WASI_WIT", "/tmp/wbindgen-wasi-wit"))


# jco's npm package (installed with componentize-js by scripts/test.sh) ships
# WASI's WIT as `<version>/wasi-<package>/package.wit`.
NPM_WASI = ROOT / ".cache/npm/node_modules/@bytecodealliance/jco/lib/wit/builtin"
WASI_PACKAGES = {"cli", "io", "clocks", "filesystem", "random", "sockets"}


def _package_name(folder: Path) -> str:
    return folder.name.removeprefix("wasi-")


def _wasi_versions() -> list[Path]:
    found = []
    for base in (WASI_ROOT, NPM_WASI):
        if base.is_dir():
            found += [
                p
                for p in base.iterdir()
                if p.name.lstrip("v").startswith("0.2.")
                and WASI_PACKAGES <= {_package_name(q) for q in p.iterdir() if q.is_dir()}
            ]
    return sorted(found)


def _assert_same_as_wasm_tools(path: Path, features: tuple[str, ...] = ()) -> int:
    wasm_tools = require_wasm_tools()
    _, main = load_resolver(path, features=set(features), all_comments_are_docs=True)
    assert main is not None
    expected = oracle_worlds(wit_json(wasm_tools, path, features), main.key)
    assert sorted(expected) == sorted(main.worlds)
    for name, want in expected.items():
        got = load_wit(path, name, features=set(features), all_comments_are_docs=True)
        assert got == want, f"{path} world {name}"
    return len(expected)


def _declared_worlds(wit: Path) -> list[str]:
    """The worlds the folder's own files declare (read from the source text)."""
    return sorted(
        w for f in wit.glob("*.wit") for w in re.findall(r"^world ([\w-]+)", f.read_text(), re.M)
    )


@pytest.mark.parametrize("wit", EXAMPLES, ids=lambda p: p.parent.name)
def test_examples_equal_wasm_tools(wit: Path) -> None:
    assert _assert_same_as_wasm_tools(wit) == len(_declared_worlds(wit)) >= 1


@pytest.mark.parametrize("wit", JCO or [None], ids=lambda p: p.stem if p else "absent")
def test_jco_fixture_wit_equals_wasm_tools(wit: Path | None) -> None:
    if wit is None:
        pytest.skip(f"{SHARED / 'fixtures/jco'} is absent")
    assert _assert_same_as_wasm_tools(wit) == 1


@pytest.mark.parametrize("features", [(), ("fancy",)], ids=["default", "fancy"])
def test_every_construct_equals_wasm_tools(features: tuple[str, ...]) -> None:
    assert _assert_same_as_wasm_tools(FEATURES, features) == 3


def _wasi_layouts(tmp: Path, version: Path) -> list[Path]:
    """Each WASI package as a root folder with the others in `deps/`."""
    out = []
    for pkg in sorted(p for p in version.iterdir() if p.is_dir()):
        root = tmp / version.name / _package_name(pkg)
        shutil.copytree(pkg, root)
        for other in version.iterdir():
            if other.is_dir() and other != pkg:
                shutil.copytree(other, root / "deps" / _package_name(other))
        out.append(root)
    return out


@pytest.mark.parametrize(
    "version",
    _wasi_versions() or [None],
    ids=lambda p: f"{p.parent.name}-{p.name}" if p else "absent",
)
def test_wasi_packages_equal_wasm_tools(version: Path | None, tmp_path: Path) -> None:
    if version is None:
        pytest.skip(
            f"no WASI 0.2 WIT at {WASI_ROOT} or {NPM_WASI} (scripts/test.sh installs the "
            "latter from npm; or set WBINDGEN_WASI_WIT to <version>/{cli,io,clocks,...})"
        )
    roots = _wasi_layouts(tmp_path, version)
    assert {r.name for r in roots} >= {"cli", "io", "clocks", "filesystem", "random", "sockets"}
    worlds = 0
    for root in roots:
        worlds += _assert_same_as_wasm_tools(root)
        if (root / "deps" / "clocks" / "timezone.wit").exists() or root.name == "clocks":
            worlds += _assert_same_as_wasm_tools(root, ("clocks-timezone",))
    assert worlds >= 7


# ---- the component oracle ------------------------------------------------------


def _dummy_component(wit: Path, world: str, tmp: Path) -> bytes:
    wasm_tools = require_wasm_tools()
    core, comp = tmp / "core.wasm", tmp / "component.wasm"
    for cmd in (
        [wasm_tools, "component", "embed", "--dummy", str(wit), "--world", world, "-o", str(core)],
        [wasm_tools, "component", "new", str(core), "-o", str(comp)],
    ):
        proc = subprocess.run(cmd, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
    return comp.read_bytes()


@pytest.mark.parametrize(
    ("wit", "world"),
    [
        (w, world)
        for w in EXAMPLES
        for world in (_declared_worlds(w) if len(_declared_worlds(w)) > 1 else [None])
    ]
    + [(FEATURES, "base"), (FEATURES, "everything"), (FEATURES, "bigger")],
    ids=lambda v: v.parent.name if isinstance(v, Path) and v.name == "wit" else str(v),
)
def test_dummy_component_implements_the_world(wit: Path, world: str | None, tmp_path: Path) -> None:
    model = load_wit(wit, world)
    assert model.name is not None
    component = read_component(_dummy_component(wit, model.name, tmp_path))
    check_component_matches(component, model)
    # What the component keeps, it keeps exactly: every exported interface
    # has the WIT's types in the WIT's order.
    wit_exports = {i.name: i for i in strip_docs(model).exports}
    for iface in component.exports:
        assert tuple(t.name for t in iface.types) == tuple(
            t.name for t in wit_exports[iface.name].types
        )


def test_kitchen_sink_model_equals_the_readers(tmp_path: Path) -> None:
    """Where wit-component keeps everything (the kitchen sink uses every type
    it declares), the reader's model of the built component is the WIT's
    model minus docs and world name, exactly."""
    wit = ROOT / "tests/components/kitchen_sink/wit"
    model = load_wit(wit)
    component = read_component(_dummy_component(wit, "kitchen-sink", tmp_path))
    assert component == strip_docs(model)


@pytest.mark.parametrize("wit", JCO or [None], ids=lambda p: p.stem if p else "absent")
def test_jco_components_implement_their_wit(wit: Path | None) -> None:
    if wit is None:
        pytest.skip(f"{SHARED / 'fixtures/jco'} is absent")
    component = read_component(wit.with_suffix("").with_suffix(".component.wasm").read_bytes())
    check_component_matches(component, load_wit(wit))
