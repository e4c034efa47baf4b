"""The platforms wbindgen supports: the wasmtime range, declared once and checked,
wasmtime-py's private names confined to runtime/capi.py, and the lane's
CPython-dependent float pickle engaged on the Python running this test (the CI
matrix, scripts/matrix.py, runs this file on every Python it finds)."""

from __future__ import annotations

import ast
import ctypes
import importlib.metadata
import importlib.util
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
import wasmtime
import wbindgen_runtime as rt
from support.components import ROOT
from support.paths import lane_build
from test_lane import BULK, EXPORTS, same
from wasmtime import Engine, Store
from wasmtime import component as wc
from wbindgen_runtime import capi, lane
from wbindgen_runtime.errors import LayoutError
from wbindgen_runtime.lane.floats import FloatPickler, is_float_pickle

# ------------------------------------------------------------------ the range


def _pyproject_range() -> str:
    m = re.search(r'"wasmtime(>=\d+,<\d+)"', (ROOT / "pyproject.toml").read_text())
    assert m, "pyproject.toml must declare wasmtime as a range of majors: wasmtime>=A,<B"
    return m.group(1)


def _matrix() -> Any:
    spec = importlib.util.spec_from_file_location("_wbindgen_matrix", ROOT / "scripts/matrix.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # its dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


def test_the_range_is_declared_once_and_everywhere_the_same() -> None:
    declared = _pyproject_range()
    assert capi.SUPPORTED_WASMTIME == declared
    assert f"wasmtime{declared}" in (ROOT / "README.md").read_text()
    guide = (ROOT / "docs/guide.md").read_text()
    assert f"wasmtime{declared}" in guide and "Python 3.10" in guide
    lo, hi = map(int, re.findall(r"\d+", declared))
    matrix = _matrix()
    assert matrix.wasmtime_majors() == (lo, hi - 1)
    assert matrix.PYTHONS[0] == "3.10" and 'requires-python = ">=3.10"' in (
        ROOT / "pyproject.toml"
    ).read_text()


def test_installed_wasmtime_is_what_capi_reports() -> None:
    assert capi.WASMTIME_VERSION == importlib.metadata.version("wasmtime")
    assert capi.wasmtime_version()[0] == int(capi.WASMTIME_VERSION.split(".")[0])


def test_layout_errors_name_the_installed_wasmtime_and_the_range(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    wanted = (f"wasmtime {capi.WASMTIME_VERSION}", f"wasmtime{capi.SUPPORTED_WASMTIME}")

    class Short(ctypes.Structure):
        _fields_ = [("kind", ctypes.c_uint8)]

    with pytest.raises(LayoutError) as info:
        capi._check("wasmtime_component_val_t", Short)
    assert all(w in str(info.value) for w in wanted), info.value
    assert "wasmtime_component_val_t" in str(info.value)

    monkeypatch.setattr(wc.ResourceAny, "_from_ptr", None)
    with pytest.raises(LayoutError, match=r"ResourceAny\._from_ptr") as info:
        capi.check_internals()
    assert all(w in str(info.value) for w in wanted), info.value
    monkeypatch.undo()

    monkeypatch.setattr(capi, "STORE_CONTEXT_ATTR", "_Store__elsewhere")
    with pytest.raises(LayoutError, match="_Store__elsewhere") as info:
        capi.check_internals()
    assert all(w in str(info.value) for w in wanted), info.value
    monkeypatch.undo()
    capi.check_internals()  # and the real thing passes


# ------------------------------------------------------------------ private names

#: Trees whose Python must not touch wasmtime-py's private names (tests may).
SCANNED = ("bindgen", "runtime", "benchmarks", "scripts", "examples", "generated_examples")
CAPI = ROOT / "runtime" / "capi.py"

#: Private names wasmtime-py and this project both define: an attribute access
#: cannot tell whose it is, so the scan skips them. Rename the project's to close
#: the gap (then drop the entry; the test fails while an entry is stale).
KNOWN_SHARED: dict[str, str] = {}


def _private(name: str) -> bool:
    return name.startswith("_") and not name.endswith("_")


class _Definitions(ast.NodeVisitor):
    """Private attribute names a module defines: methods and class attributes,
    ``__slots__``, and attributes assigned anywhere (``__x`` inside class C is
    stored as ``_C__x``, so it is recorded that way)."""

    def __init__(self) -> None:
        self.names: set[str] = set()
        self.classes: list[str] = []

    def add(self, name: str) -> None:
        if name.startswith("__") and not name.endswith("__") and self.classes:
            name = f"_{self.classes[-1].lstrip('_')}{name}"
        if _private(name):
            self.names.add(name)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.classes.append(node.name)
        for item in node.body:
            if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.add(item.name)
            elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                self.add(item.target.id)
            elif isinstance(item, ast.Assign):
                for t in item.targets:
                    if isinstance(t, ast.Name) and t.id == "__slots__":
                        for e in getattr(item.value, "elts", []):
                            if isinstance(e, ast.Constant) and isinstance(e.value, str):
                                self.add(e.value)
                    elif isinstance(t, ast.Name):
                        self.add(t.id)
        self.generic_visit(node)
        self.classes.pop()

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if isinstance(node.ctx, ast.Store):
            self.add(node.attr)
        self.generic_visit(node)


def _defined_names(files: Iterable[Path]) -> set[str]:
    d = _Definitions()
    for f in files:
        d.visit(ast.parse(f.read_text(), str(f)))
    return d.names


def _wasmtime_files() -> list[Path]:
    pkg = Path(wasmtime.__file__).parent
    # _bindings.py is generated ctypes prototypes: public C names only.
    return [f for f in pkg.rglob("*.py") if f.name != "_bindings.py"]


def wasmtime_private_names() -> tuple[set[str], set[str]]:
    """(private attribute names, private module names) of the installed wasmtime-py."""
    pkg = Path(wasmtime.__file__).parent
    modules = {p.stem for p in pkg.rglob("_*.py") if _private(p.stem)}
    modules |= {p.name for p in pkg.rglob("_*") if p.is_dir() and _private(p.name)}
    return _defined_names(_wasmtime_files()), modules


def _project_files() -> Iterator[Path]:
    for d in SCANNED:
        yield from sorted((ROOT / d).rglob("*.py"))


def private_uses(source: str, filename: str, names: set[str], modules: set[str]) -> list[str]:
    """Each use of a wasmtime-py private name in ``source``, as ``file:line: what``."""
    found: list[str] = []

    def hit(node: ast.AST, what: str) -> None:
        found.append(f"{filename}:{getattr(node, 'lineno', 0)}: {what}")

    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "wasmtime" and any(_private(p) for p in parts[1:]):
                    hit(node, f"import {alias.name}")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "wasmtime":
            parts = (node.module or "").split(".")
            if any(_private(p) for p in parts[1:]):
                hit(node, f"from {node.module} import ...")
            for alias in node.names:
                if _private(alias.name):
                    hit(node, f"from {node.module} import {alias.name}")
        elif isinstance(node, ast.Attribute) and (node.attr in names or node.attr in modules):
            hit(node, f".{node.attr}")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "hasattr", "setattr", "delattr")
            and len(node.args) > 1
            and isinstance(node.args[1], ast.Constant)
            and node.args[1].value in names
        ):
            hit(node, f"{node.func.id}(..., {node.args[1].value!r})")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            # A mangled name spelled out (plans are generated as source text).
            if node.value in names and "__" in node.value:
                hit(node, f"the string {node.value!r}")
    return sorted(found, key=lambda f: int(f.split(":")[1]))


def test_private_wasmtime_names_live_only_in_capi() -> None:
    names, modules = wasmtime_private_names()
    shared = (names | modules) & _defined_names(_project_files())
    assert shared == set(KNOWN_SHARED), (
        "private names both wasmtime-py and wbindgen define changed: "
        f"now {sorted(shared)}, listed {sorted(KNOWN_SHARED)}; rename the project's own "
        "attribute rather than listing a new one"
    )
    names -= shared
    modules -= shared
    uses: list[str] = []
    for f in _project_files():
        if f != CAPI:
            uses += private_uses(f.read_text(), str(f.relative_to(ROOT)), names, modules)
    pattern = re.compile(
        r"\.(" + "|".join(map(re.escape, sorted(names | modules))) + r")\b|wasmtime(\.\w+)*\._"
    )
    for t in sorted((ROOT / "templates").glob("*.jinja")):
        for i, line in enumerate(t.read_text().splitlines(), 1):
            if pattern.search(line):
                uses.append(f"{t.relative_to(ROOT)}:{i}: {line.strip()}")
    assert not uses, "wasmtime-py private names outside runtime/capi.py:\n" + "\n".join(uses)
    # capi itself is where they are: the scan sees them there.
    assert private_uses(CAPI.read_text(), "capi.py", names, modules)


def test_the_scan_finds_each_kind_of_use() -> None:
    names, modules = wasmtime_private_names()
    source = (
        "import wasmtime._ffi\n"
        "from wasmtime import _ffi as ffi\n"
        "from wasmtime.component._types import ComponentExtern\n"
        "import wasmtime\n"
        "ctx = store._context()\n"
        "closed = store._Store__context is None\n"
        "tagged = getattr(vt, '_tagged')()\n"
        "lib = wasmtime._ffi.dll\n"
        "attr = '_Store__context'\n"
        "ok = store.data()\n"
        "ns['_lift'] = 1  # the project's own names in its own namespaces are fine\n"
    )
    found = private_uses(source, "x.py", names, modules)
    assert [f.split(": ", 1)[0] for f in found] == [f"x.py:{i}" for i in (1, 2, 3, 5, 6, 7, 8, 9)]


# ------------------------------------------------------------------ the lane on this Python


def test_f64_lists_take_the_lane_on_this_python(monkeypatch: pytest.MonkeyPatch) -> None:
    """The lane sends ``list<f64>`` as CPython's protocol-2 pickle and checks its
    layout on every call, falling back to the plain path where it differs. Here
    the check must pass on this interpreter, and a routed call must really go
    through the lane export: the routed function's ``_call`` (the C call of the
    lane export) runs and its ``_plain`` fallback does not."""
    where = f"Python {sys.version.split()[0]}"
    floats = [i / 7 for i in range(2500)] + [float("inf"), -0.0, 5e-324, float("nan")]
    numbers = [1, 2.5, -(2**53), 7] * 10  # ints go through float(), as on the plain path
    pickler = FloatPickler()
    for v in (floats, numbers, [], [0.5]):
        p = pickler.numbers(v)
        assert p is not None and is_float_pickle(p, len(v)), f"{where}: float pickle layout differs"

    data = Path(lane_build().build("bulk")).read_bytes()
    lane.configure(enabled=True, threshold=lane.DEFAULT_THRESHOLD)
    try:
        bound = rt.instantiate(Store(Engine()), data, exports=EXPORTS)
    finally:
        lane.configure(enabled=True, threshold=lane.DEFAULT_THRESHOLD)
    f = bound.func(BULK, "echo-f64")
    assert f.lane_spec is not None, f"{where}: echo-f64 was not routed"
    # The lane plan calls the lane export through its template's `_call`; its
    # fallback is the plain plan of the same instance, a cell of its closure.
    lane_glb = f.fn.__globals__
    cell = f.fn.__closure__[f.fn.__code__.co_freevars.index("plain")]  # type: ignore[index]
    taken: list[str] = []
    real_lane, real_plain = lane_glb["_call"], cell.cell_contents

    def lane_call(*a: Any) -> Any:
        taken.append("lane")
        return real_lane(*a)

    def plain(*a: Any) -> Any:
        taken.append("plain")
        return real_plain(*a)

    monkeypatch.setitem(lane_glb, "_call", lane_call)
    monkeypatch.setattr(cell, "cell_contents", plain)
    assert same(f(floats), floats)
    assert same(f(numbers), [float(x) for x in numbers])
    assert taken == ["lane", "lane"], f"{where}: {taken}"
    # The spies see the other path too: a short list and a refused element go plain.
    assert f([1.5]) == [1.5]
    with pytest.raises(TypeError):
        f([1.5] * 20 + ["x"])
    assert taken == ["lane", "lane", "plain", "plain"], f"{where}: {taken}"
