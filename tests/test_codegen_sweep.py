"""The codegen sweep: bindings for every component and WIT world in reach.

In the spirit of wit-bindgen's codegen tests (tests as data, nobody tuned the
inputs for wbindgen):

- components: every case of `../shared/corpus/wit-component`, the jco
  fixtures of `../shared/fixtures/jco`, and every component of the project's
  tests (`tests/components/*`, the component text of `tests/runtime_components`
  and `tests/reader_components`, the lane and hardening components: the
  list `tests/lane_components/sweep.py` gathers), plus the componentize-js
  guest when npm installed componentize-js;
- WIT: each corpus case's `component.wit.print`, the jco `.wit` files, the
  project's WIT (`tests/components/*/wit`, `tests/wit_sources/features`
  with and without its feature, `tests/reader_components/*.wit`, the
  hostile-names WIT) and the WASI 0.2.12 worlds shipped in jco's npm package.

Each input goes through `wbindgen` (the command line's entry point, in a
process pool); a refusal must be one `error:` line naming a known reason.
Then one `mypy --strict` run and one pyright (strict) run over every
generated package together; each package is imported, and where the
component needs no imports or only WASI it is instantiated through both
faces of its bindings (`Pkg.instantiate(store, path)`, then `await
PkgAsync.instantiate(store, path)`, on an engine with component-model async).
Every outcome is counted
and the counts must equal the tables of docs/conformance.md ("The codegen
sweep"); `python tests/test_codegen_sweep.py` prints them.

Rows whose inputs live in `../shared` skip when it is absent; the npm rows
skip when npm did not install jco/componentize-js (scripts/test.sh does).
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from support.components import ROOT, SHARED, require_tool
from support.paths import tool

CORPUS = SHARED / "corpus" / "wit-component"
JCO = SHARED / "fixtures" / "jco"
NPM_WASI = ROOT / ".cache/npm/node_modules/@bytecodealliance/jco/lib/wit/builtin/0.2.12"
DOC = ROOT / "docs" / "conformance.md"
TESTS = ROOT / "tests"
# What the sweep found broken, in one world (see its doc comment).
BREADTH = TESTS / "wit_sources" / "breadth"

# The rows of the counts table, in its order: (key, what the row holds).
ROWS = {
    "corpus-components": "wit-component corpus: `component.wat`",
    "corpus-wit": "wit-component corpus: `component.wit.print` through `--wit`",
    "jco-components": "jco fixtures: `*.component.wasm`",
    "jco-wit": "jco fixtures: `*.wit`",
    "project-components": "the project's test components",
    "project-wit": "the project's WIT",
    "npm-js-guest": "componentize-js guest (npm)",
    "npm-wasi": "WASI 0.2.12 worlds from jco's npm package",
}
SHARED_ROWS = {"corpus-components", "corpus-wit", "jco-components", "jco-wit"}
NPM_ROWS = {"npm-js-guest", "npm-wasi"}

# A refusal names its reason: the first pattern found in the `error:` line
# gives the reason counted in the table. A refusal matching none fails.
REASONS = [
    ("imported WIT async func cannot be served",
     "imported async functions (wasmtime's C API has no concurrent host functions)"),
    ("future types", "future types (wasmtime-py cannot pass them)"),
    ("stream types", "stream types (wasmtime-py cannot pass them)"),
    ("`future` types", "future types (wasmtime-py cannot pass them)"),
    ("`stream` types", "stream types (wasmtime-py cannot pass them)"),
    ("error-context types", "error-context types (wasmtime-py cannot pass them)"),
    ("component model error-context feature",
     "error-context built-ins (wasmtime's C API cannot enable them)"),
    ("custom page sizes proposal", "custom page sizes (a wasm proposal wasmtime leaves off)"),
    ("component model threading", "component-model threading (off in wasmtime)"),
    ("64-bit `context.get`", "64-bit `context.get` (off in wasmtime)"),
    ("`context.get` immediate must be zero", "a second `context.get` slot (off in wasmtime)"),
    ("`implements", "`implements` attributes"),
    ("may not export a type at the world level", "a world-level type export (not WIT)"),
    ("reexport of an imported function", "an export re-exporting an import (wasmtime)"),
    ("of wasmtime's own WASI", "an exported WASI interface passing wasmtime's WASI resources"),
    ("not found (is it missing from the `deps/` folder?)",
     "a package the WIT file does not hold (`.wit.print` leaves them out)"),
]  # fmt: skip


@dataclass(frozen=True)
class Input:
    row: str
    label: str
    package: str
    component: Path | None = None
    wit: Path | None = None
    world: str | None = None
    features: str | None = None

    def argv(self, out: Path) -> list[str]:
        args = [] if self.component is None else [str(self.component)]
        if self.wit is not None:
            args += ["--wit", str(self.wit)]
        if self.world is not None:
            args += ["--world", self.world]
        if self.features is not None:
            args += ["--features", self.features]
        return [*args, "-o", str(out / self.package)]


@dataclass
class Outcome:
    input: Input
    refusal: str | None = None  # the whole stderr of a refusal
    imported: bool = False
    instantiable: bool = False
    instantiated: bool = False
    trapped: bool = False  # instantiating ran the guest's start code, which trapped
    failure: str = ""  # why importing or instantiating failed
    seconds: float = 0.0

    @property
    def generated(self) -> bool:
        return self.refusal is None


# --------------------------------------------------------------------------
# The inputs.


def _package(row: str, label: str) -> str:
    return re.sub(r"\W", "_", f"{row}_{label}").lower()


def _components(src: Path) -> Iterator[Input]:
    """Every component, as a binary file under `src`."""
    from lane_components import sweep

    def write(row: str, label: str, data: bytes) -> Input:
        package = _package(row, label)
        path = src / f"{package}.wasm"
        path.write_bytes(data)
        return Input(row, label, package, component=path)

    for label, load in sweep.components():
        if label.startswith("corpus/"):
            row = "corpus-components"
        elif label.startswith("jco/"):
            row = "jco-components"
        else:
            row = "project-components"
        yield write(row, label.removesuffix(".component.wasm"), load())
    from conformance import js_guest

    exe = js_guest.tool()
    if exe is not None:
        yield write("npm-js-guest", "js_guest", js_guest.build(exe).read_bytes())


def _wits(src: Path) -> Iterator[Input]:
    if CORPUS.is_dir():
        for case in sorted(p for p in CORPUS.iterdir() if (p / "component.wit.print").exists()):
            yield Input("corpus-wit", case.name, _package("corpus-wit", case.name),
                        wit=case / "component.wit.print")  # fmt: skip
    for wit in sorted(JCO.glob("*.wit")) if JCO.is_dir() else []:
        yield Input("jco-wit", wit.stem, _package("jco-wit", wit.stem), wit=wit)
    for wit in sorted(TESTS.glob("components/*/wit")):
        name = wit.parent.name
        worlds = sorted(
            w
            for f in wit.glob("*.wit")
            for w in re.findall(r"^world ([\w-]+)", f.read_text(), re.M)
        )
        if len(worlds) == 1:
            yield Input("project-wit", name, _package("project-wit", name), wit=wit)
            continue
        for world in worlds:  # a package of several worlds: each of them
            label = f"{name}-{world}"
            yield Input("project-wit", label, _package("project-wit", label), wit=wit, world=world)
    yield Input("project-wit", "breadth", _package("project-wit", "breadth"), wit=BREADTH)
    features = TESTS / "wit_sources" / "features"
    for world in ("base", "everything", "bigger"):
        for feats in (None, "fancy"):
            label = f"features-{world}" + (f"-{feats}" if feats else "")
            yield Input("project-wit", label, _package("project-wit", label),
                        wit=features, world=world, features=feats)  # fmt: skip
    for wit in sorted((TESTS / "reader_components").glob("*.wit")):
        # as build_from_source lays them out: the file beside the deps it may use
        folder = src / "reader_wit" / wit.stem
        folder.mkdir(parents=True)
        shutil.copy(wit, folder / "world.wit")
        shutil.copytree(TESTS / "reader_components" / "deps", folder / "deps")
        label = f"reader-{wit.stem}"
        yield Input("project-wit", label, _package("project-wit", label), wit=folder)
    from hardening import hostile

    hostile_wit = src / "hostile.wit"
    hostile_wit.write_text(hostile.WIT)
    yield Input("project-wit", "hostile", _package("project-wit", "hostile"), wit=hostile_wit)
    if NPM_WASI.is_dir():
        for root in _wasi_layouts(src / "wasi"):
            for world in re.findall(r"^world ([\w-]+)", (root / "package.wit").read_text(), re.M):
                label = f"{root.name}-{world}"
                yield Input("npm-wasi", label, _package("npm-wasi", label), wit=root, world=world)


def _wasi_layouts(dest: Path) -> list[Path]:
    """Each WASI package as a root folder with the others in `deps/` (jco
    ships them as `<version>/wasi-<package>/package.wit`)."""
    roots = []
    packages = sorted(p for p in NPM_WASI.iterdir() if p.is_dir())
    for pkg in packages:
        root = dest / pkg.name.removeprefix("wasi-")
        shutil.copytree(pkg, root)
        for other in packages:
            if other != pkg:
                shutil.copytree(other, root / "deps" / other.name.removeprefix("wasi-"))
        roots.append(root)
    return roots


# --------------------------------------------------------------------------
# One input, in a worker process: generate, import, instantiate.


def _only_wasi_imports(path: Path) -> bool:
    """The component needs no imports from the host, or only WASI."""
    from wbindgen.generate import load_world
    from wbindgen.wasmtime_wasi import is_wasi
    from wbindgen_runtime import model as m

    world, _ = load_world(path)
    return (
        not world.import_functions
        and not any(isinstance(t.kind, m.ResourceDef) for t in world.import_types)
        and all(is_wasi(i.name) for i in world.imports)
    )


def _world_classes(module: object) -> tuple[Any, Any]:
    """The world class of the sync face and that of the async face."""
    import inspect

    classes = [
        v for v in vars(module).values()
        if isinstance(v, type) and v.__module__ == getattr(module, "__name__", None)
        and isinstance(vars(v).get("instantiate"), classmethod)
    ]  # fmt: skip
    sync = [c for c in classes if not inspect.iscoroutinefunction(c.instantiate)]
    aface = [c for c in classes if inspect.iscoroutinefunction(c.instantiate)]
    assert len(sync) == 1 and len(aface) == 1, classes
    return sync[0], aface[0]


def _instantiate_both_faces(module: object, component: Path) -> None:
    """Instantiate through the sync face and through the async face (with an
    engine that has component-model async, which a component lifting async
    exports needs)."""
    import asyncio

    import wasmtime
    from wbindgen_runtime import aio

    sync, aface = _world_classes(module)
    engine = wasmtime.Engine(aio.async_engine_config(component_model_async=True))
    sync.instantiate(wasmtime.Store(engine), str(component))
    asyncio.run(aface.instantiate(wasmtime.Store(engine), str(component)))


def run_one(inp: Input, out: Path) -> Outcome:
    from wbindgen.cli import main

    started = time.perf_counter()
    outcome = Outcome(inp)
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        status = main(inp.argv(out))
    if status != 0:
        outcome.refusal = err.getvalue()
        outcome.seconds = time.perf_counter() - started
        return outcome
    if str(out) not in sys.path:
        sys.path.insert(0, str(out))
    try:
        module = importlib.import_module(inp.package)
        for sub in sorted((out / inp.package).rglob("*.py")):
            rel = sub.relative_to(out).with_suffix("")
            parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
            importlib.import_module(".".join(parts))
        outcome.imported = True
        if inp.component is not None and _only_wasi_imports(inp.component):
            outcome.instantiable = True
            try:
                _instantiate_both_faces(module, inp.component)
                outcome.instantiated = True
            except Exception as e:  # noqa: BLE001 - the guest's own trap is expected
                if "wasm trap" not in str(e):
                    raise
                outcome.trapped = True
    except Exception as e:  # noqa: BLE001 - reported per input by the tests
        outcome.failure = f"{type(e).__name__}: {e}"
    outcome.seconds = time.perf_counter() - started
    return outcome


def _run_many(batch: list[Input], out: Path) -> list[Outcome]:
    return [run_one(inp, out) for inp in batch]


# --------------------------------------------------------------------------
# The checkers, once over every package.


def mypy_errors(out: Path, packages: list[str]) -> subprocess.Popen[str]:
    link = out.parent / "mypy_path" / "wbindgen_runtime"
    link.parent.mkdir(exist_ok=True)
    link.symlink_to(ROOT / "runtime", target_is_directory=True)
    env = {"MYPYPATH": f"{link.parent}:{out}", "PATH": "/usr/bin:/bin"}
    return subprocess.Popen(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--show-error-codes",
         "--no-error-summary", "--cache-dir", os.devnull,
         *(a for p in packages for a in ("-p", p))],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=out,
    )  # fmt: skip


def pyright_run(out: Path) -> subprocess.Popen[str] | None:
    exe = tool("pyright")
    if exe is None:
        return None
    link = out.parent / "pyright_path" / "wbindgen_runtime"
    link.parent.mkdir(exist_ok=True)
    link.symlink_to(ROOT / "runtime", target_is_directory=True)
    config = out.parent / "pyrightconfig.json"
    config.write_text(json.dumps({
        "include": [str(out)],
        "extraPaths": [str(link.parent), str(out)],
        "typeCheckingMode": "strict",
        "pythonVersion": "3.10",
    }))  # fmt: skip
    return subprocess.Popen(
        [exe, "-p", str(config), "--pythonpath", sys.executable, "--outputjson"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=out.parent,
    )  # fmt: skip


@dataclass
class Sweep:
    outcomes: list[Outcome]
    mypy_errors: dict[str, list[str]]  # package -> errors
    pyright_errors: dict[str, list[str]] | None  # None: pyright not installed
    seconds: float
    present: set[str] = field(default_factory=set)  # rows whose inputs exist
    phases: dict[str, float] = field(default_factory=dict)  # wall time of each step

    def row(self, key: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.input.row == key]

    def counts(self, key: str) -> tuple[int, ...]:
        rows = self.row(key)
        generated = [o for o in rows if o.generated]
        pyright = self.pyright_errors or {}
        return (
            len(rows),
            len(generated),
            len(rows) - len(generated),
            sum(o.input.package not in self.mypy_errors for o in generated),
            sum(o.input.package not in pyright for o in generated),
            sum(o.imported for o in rows),
            sum(o.instantiated for o in rows),
        )

    def reasons(self) -> Counter[str]:
        return Counter(reason_of(o.refusal) for o in self.outcomes if o.refusal is not None)


def reason_of(refusal: str) -> str:
    for needle, reason in REASONS:
        if needle in refusal:
            return reason
    return f"UNKNOWN: {refusal.strip()}"


def sweep(work: Path, workers: int = 2) -> Sweep:
    started = time.perf_counter()
    src, out = work / "inputs", work / "packages"
    src.mkdir(parents=True)
    out.mkdir()
    inputs = [*_components(src), *_wits(src)]
    phases = {"inputs": time.perf_counter() - started}
    assert len({i.package for i in inputs}) == len(inputs), "package names collide"
    # The big guests first, each alone in a batch; the rest in batches of ten
    # (one process start and one import of the generator per batch).
    order = sorted(inputs, key=lambda i: -(i.component.stat().st_size if i.component else 0))
    big = [[i] for i in order if i.component and i.component.stat().st_size > 1_000_000]
    rest = [i for i in order if [i] not in big]
    batches = big + [rest[k : k + 10] for k in range(0, len(rest), 10)]
    import multiprocessing

    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        outcomes = [
            o for batch in pool.map(_run_many, batches, [out] * len(batches)) for o in batch
        ]
    phases["generate, import, instantiate"] = time.perf_counter() - started - sum(phases.values())
    packages = sorted(o.input.package for o in outcomes if o.generated)
    mypy_proc = mypy_errors(out, packages)
    pyright_proc = pyright_run(out)
    mypy_out, mypy_err = mypy_proc.communicate()
    assert mypy_proc.returncode in (0, 1), mypy_out + mypy_err
    by_package: dict[str, list[str]] = {}
    generated = set(packages)
    for line in mypy_out.splitlines():
        # (the runtime is checked by its own tests, and may be mid-edit)
        if ": error:" in line and line.split("/", 1)[0] in generated:
            by_package.setdefault(line.split("/", 1)[0], []).append(line)
    pyright_errors: dict[str, list[str]] | None = None
    if pyright_proc is not None:
        p_out, p_err = pyright_proc.communicate()
        report = json.loads(p_out)
        pyright_errors = {}
        for d in report["generalDiagnostics"]:
            if d["severity"] == "error":
                rel = Path(d["file"]).relative_to(out)
                pyright_errors.setdefault(rel.parts[0], []).append(
                    f"{rel}:{d['range']['start']['line'] + 1}: {d['message']}"
                )
    phases["mypy and pyright"] = time.perf_counter() - started - sum(phases.values())
    present = {o.input.row for o in outcomes}
    order_of = {i.package: k for k, i in enumerate(inputs)}
    outcomes.sort(key=lambda o: order_of[o.input.package])
    return Sweep(
        outcomes, by_package, pyright_errors, time.perf_counter() - started, present, phases
    )


# --------------------------------------------------------------------------
# The documented tables.

_COUNTS = re.compile(
    r"^\| ([^|]+?) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \|$"
)
_REASON = re.compile(r"^\| ([^|]+?) \| (\d+) \|$")
SECTION = "## The codegen sweep"


def _section() -> list[str]:
    lines = DOC.read_text().splitlines()
    start = lines.index(SECTION)
    end = next((k for k in range(start + 1, len(lines)) if lines[k].startswith("## ")), len(lines))
    return lines[start:end]


def documented_counts() -> dict[str, tuple[int, ...]]:
    by_title = {title: key for key, title in ROWS.items()}
    found = {}
    for line in _section():
        m = _COUNTS.match(line)
        if m and m.group(1) in by_title:
            found[by_title[m.group(1)]] = tuple(int(g) for g in m.groups()[1:])
    return found


def documented_reasons() -> dict[str, int]:
    return {m.group(1): int(m.group(2)) for line in _section() if (m := _REASON.match(line))}


def tables(result: Sweep) -> str:
    lines = [
        "| inputs | total | generated | refused | mypy-clean | pyright-clean | imported | instantiated |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for key, title in ROWS.items():
        if key in result.present:
            lines.append(f"| {title} | " + " | ".join(map(str, result.counts(key))) + " |")
    lines += ["", "| refused because of | inputs |", "| --- | ---: |"]
    for reason, n in sorted(result.reasons().items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"| {reason} | {n} |")
    return "\n".join(lines)


# --------------------------------------------------------------------------
# The tests.


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> Sweep:
    return sweep(tmp_path_factory.mktemp("sweep"))


def test_every_generated_package_passes_mypy_strict(result: Sweep) -> None:
    assert result.mypy_errors == {}, "\n".join(e for v in result.mypy_errors.values() for e in v)


def test_every_generated_package_passes_pyright_strict(result: Sweep) -> None:
    if result.pyright_errors is None:
        require_tool("pyright")  # fails: a dev dependency
    assert result.pyright_errors == {}, "\n".join(
        e for v in result.pyright_errors.values() for e in v
    )


# Corpus components whose dummy core module has a start function that traps
# (`unreachable`, an empty table): instantiating them must run it and trap.
TRAPS_IN_START = {"corpus/initialize", "corpus/link-wasip3-tls-no-threads", "corpus/wasm-init-task"}


def test_every_generated_package_imports_and_instantiates(result: Sweep) -> None:
    failed = [f"{o.input.label}: {o.failure}" for o in result.outcomes if o.failure]
    assert failed == []
    assert all(o.imported for o in result.outcomes if o.generated)
    trapped = {o.input.label for o in result.outcomes if o.trapped}
    assert trapped == (TRAPS_IN_START if CORPUS.is_dir() else set())
    assert all(o.instantiated for o in result.outcomes if o.instantiable and not o.trapped)


def test_every_refusal_is_one_error_line_naming_its_reason(result: Sweep) -> None:
    for o in result.outcomes:
        if o.refusal is None:
            continue
        lines = o.refusal.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), (o.input.label, o.refusal)
        assert "Traceback" not in o.refusal
    unknown = [r for r in result.reasons() if r.startswith("UNKNOWN")]
    assert unknown == []


def test_the_reasons_are_documented(result: Sweep) -> None:
    if not SHARED.is_dir() or not NPM_WASI.is_dir():
        pytest.skip("the refusal counts are documented for all rows (../shared and npm present)")
    assert documented_reasons() == dict(result.reasons()), "\n" + tables(result)


@pytest.mark.parametrize("row", list(ROWS))
def test_counts_are_documented(result: Sweep, row: str) -> None:
    if row in SHARED_ROWS and not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent (the shared fixtures live beside the clone)")
    if row == "npm-wasi" and not NPM_WASI.is_dir():
        pytest.skip(f"no WASI 0.2.12 WIT at {NPM_WASI} (scripts/test.sh installs jco from npm)")
    if row == "npm-js-guest" and row not in result.present:
        pytest.skip("componentize-js is not installed (scripts/test.sh installs it from npm)")
    documented = documented_counts()
    assert row in documented, f"docs/conformance.md lacks the row {ROWS[row]!r}\n" + tables(result)
    assert result.counts(row) == documented[row], "\n" + tables(result)


# --------------------------------------------------------------------------
# What the sweep found, as focused tests that need neither ../shared nor npm.


def _generate(tmp_path: Path, package: str, *argv: str) -> Any:
    from wbindgen.cli import main

    assert main([*argv, "-o", str(tmp_path / package)]) == 0
    sys.path.insert(0, str(tmp_path))
    try:
        return importlib.import_module(package)
    finally:
        sys.path.remove(str(tmp_path))


@pytest.fixture
def breadth(tmp_path: Path) -> Iterator[Any]:
    yield _generate(tmp_path, "breadth", "--wit", str(BREADTH))
    for name in [n for n in sys.modules if n == "breadth" or n.startswith("breadth.")]:
        del sys.modules[name]


def test_world_level_used_types_need_no_root(breadth: Any) -> None:
    import dataclasses

    from breadth import imports as world_imports
    from wbindgen.generate import load_wit_world
    from wbindgen.plan import plan_package

    fields = [f.name for f in dataclasses.fields(breadth.BreadthImports)]
    assert fields == ["types", "uses_only", "host_api"]  # no `root`: nothing to implement
    assert not hasattr(world_imports, "Host")
    # the `use`d resource is still there for the linker, at world level
    assert world_imports._INTERFACE is None
    assert [name for name, _ in world_imports._RESOURCES] == ["handle"]
    plan = plan_package(load_wit_world(BREADTH, None), "breadth", "Breadth")
    assert plan.world.resource_modules[-1] == "_m_imports"


def test_world_level_used_resource_instantiates(breadth: Any, tmp_path: Path) -> None:
    import wasmtime
    from support.components import require_wasm_tools

    tool = require_wasm_tools()
    core, comp = tmp_path / "core.wasm", tmp_path / "c.wasm"
    subprocess.run([tool, "component", "embed", "--dummy", str(BREADTH), "-o", str(core)],
                   check=True)  # fmt: skip
    subprocess.run([tool, "component", "new", str(core), "-o", str(comp)], check=True)

    class HostApi:
        def blob(self, bytes: bytes) -> Any: ...
        def str(self, bytes: bytes) -> str: ...
        def list(self) -> list[Any]: ...

    imports = breadth.BreadthImports(types=object(), uses_only=object(), host_api=HostApi())
    breadth.Breadth.instantiate(wasmtime.Store(), comp, imports)


def test_case_classes_come_with_their_variant(breadth: Any) -> None:
    from breadth.exports import api, shapes
    from breadth.imports import types, uses_only

    for module in (api, uses_only):
        assert module.Outcome is types.Outcome
        assert module.Outcome_Ok is types.Outcome_Ok and module.Outcome_None is types.Outcome_None
    # under the name of the alias (`use types.{outcome as result-of}`)
    assert shapes.ResultOf_Failed is types.Outcome_Failed


def test_builtin_like_names_are_kept(breadth: Any) -> None:
    import dataclasses
    import typing

    from breadth.exports import api
    from breadth.imports import host_api, types

    assert [f.name for f in dataclasses.fields(types.Chunk)] == [
        "bytes", "list", "str", "id", "type", "int", "float", "bool", "tuple",
    ]  # fmt: skip
    hints = typing.get_type_hints(types.Chunk)
    assert (
        hints["bytes"] is bytes and hints["list"] == list[str] and hints["tuple"] == tuple[int, int]
    )
    assert typing.get_type_hints(api.Api.str) == {
        "str": str,
        "list": typing.Sequence[str],
        "return": list[str],
    }
    assert set(vars(host_api.Host)) >= {"str", "list", "blob"}
    assert typing.get_type_hints(host_api.Blob.bytes) == {"return": bytes | bytearray | memoryview}
    assert "drop" not in vars(host_api.Blob)  # optional: not in the Protocol


def test_a_command_component_runs_through_its_bindings(tmp_path: Path) -> None:
    """An exported WASI interface (`wasi:cli/run`) is the component's own,
    called like any export; the rest of its exports are named like builtins."""
    import wasmtime
    from support.components import component
    from wbindgen_runtime import Err

    path = component("wasi_command")
    pkg = _generate(tmp_path, "wasi_command", str(path))
    try:
        inst = pkg.WasiCommand.instantiate(wasmtime.Store(), path)
        assert inst.run.run() is None
        inst.api.fail_next(bool=True)
        with pytest.raises(Err) as info:
            inst.run.run()
        assert info.value.value is None
        assert inst.run.run() is None
        assert inst.api.bytes(bytes=memoryview(b"\x00abc")[1:]) == b"abc"
        assert inst.api.str(str="\u00e9t\u00e9") == "\u00e9t\u00e9"
        assert inst.api.list(list=range(7)) == 7
    finally:
        for name in [n for n in sys.modules if n.split(".")[0] == "wasi_command"]:
            del sys.modules[name]


def test_an_exported_wasi_interface_passing_wasmtime_resources_is_refused(
    tmp_path: Path,
) -> None:
    wit = tmp_path / "wit"
    (wit / "deps" / "io").mkdir(parents=True)
    (wit / "deps" / "io" / "streams.wit").write_text(
        "package wasi:io@0.2.0;\ninterface streams { resource input-stream; }\n"
        "interface sink {\n  use streams.{input-stream};\n"
        "  consume: func(s: borrow<input-stream>);\n}\n"
    )
    (wit / "world.wit").write_text("package a:b;\nworld w { export wasi:io/sink@0.2.0; }\n")
    proc = subprocess.run(
        [sys.executable, "-m", "wbindgen", "--wit", str(wit), "-o", str(tmp_path / "w")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert proc.returncode == 1 and proc.stderr.count("\n") == 1, proc.stderr
    assert proc.stderr.startswith(
        "error: the component exports `wasi:io/sink@0.2.0`, whose function "
        "`consume` passes the resource `input-stream` of wasmtime's own WASI"
    ), proc.stderr
    assert not (tmp_path / "w").exists()


def test_one_line_keeps_wasmtime_s_causes() -> None:
    from wbindgen.generate import one_line

    assert one_line("failed to parse\n\nCaused by:\n    0: inner\n    1: cause: x (at 0x2)\n") == (
        "failed to parse: inner: cause: x (at 0x2)"
    )


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        r = sweep(Path(tmp))
        print(tables(r))
        for o in r.outcomes:
            if o.failure:
                print("FAILED", o.input.label, o.failure)
        for pkg, errs in {**r.mypy_errors, **(r.pyright_errors or {})}.items():
            print(pkg, *errs[:3], sep="\n  ")
        slow = sorted(r.outcomes, key=lambda o: -o.seconds)[:5]
        print(f"{r.seconds:.1f} s:", ", ".join(f"{k} {v:.1f} s" for k, v in r.phases.items()))
        print("slowest:", ", ".join(f"{o.input.label} {o.seconds:.1f} s" for o in slow))
