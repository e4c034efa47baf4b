"""The opt-in import hook: `import name` finds `name.wasm` on sys.path."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from support.components import component

CODE = """
import sys, wasmtime
import wbindgen.loader
import {name}
from {name}.imports import types
inst = {name}.{cls}.instantiate(wasmtime.Store(), {name}.__wasm_path__)
print(inst.api.echo_pt(types.Point(3, 4)), inst.version())
"""


def run(code: str, cwd: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {"PYTHONPATH": str(cwd), "WBINDGEN_CACHE_DIR": str(cache), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd, env=env)


def test_import_a_component_without_a_generation_step(tmp_path: Path) -> None:
    shutil.copy(component("kitchen_sink"), tmp_path / "mycomp.wasm")
    proc = run(CODE.format(name="mycomp", cls="Mycomp"), tmp_path, tmp_path / "cache")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "Point(x=3, y=4) 0.1.0"
    entries = list((tmp_path / "cache" / "bindings").glob("*.bindings"))
    assert len(entries) == 1
    # Both caches live under the one root WBINDGEN_CACHE_DIR names, nothing beside it.
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == ["bindings", "components"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "mycomp.wasm"]
    # A second process reuses the generated files (and the compiled artifact).
    proc = run(CODE.format(name="mycomp", cls="Mycomp"), tmp_path, tmp_path / "cache")
    assert proc.returncode == 0 and "Point(x=3, y=4)" in proc.stdout


def test_regular_modules_win_and_others_are_untouched(tmp_path: Path) -> None:
    shutil.copy(component("kitchen_sink"), tmp_path / "json.wasm")
    proc = run("import wbindgen.loader, json; print(json.__file__)", tmp_path, tmp_path / "c")
    assert proc.returncode == 0 and proc.stdout.strip().endswith(".py")
    proc = run("import wbindgen.loader\ntry:\n import nothing_here\nexcept ImportError: print('no')",
               tmp_path, tmp_path / "c")
    assert proc.stdout.strip() == "no"


def test_bad_component_is_a_clear_import_error(tmp_path: Path) -> None:
    (tmp_path / "broken.wasm").write_bytes(b"\0asm\x0d\x00\x01\x00garbage")
    proc = run("import wbindgen.loader\ntry:\n import broken\nexcept ImportError as e: print(e)",
               tmp_path, tmp_path / "c")
    assert proc.returncode == 0, proc.stderr
    assert "cannot generate bindings for" in proc.stdout and "broken.wasm" in proc.stdout


def test_tracebacks_show_the_generated_lines(tmp_path: Path) -> None:
    """Bindings imported from a `.wasm` are on no disk: their loader serves
    the text to linecache."""
    shutil.copy(component("kitchen_sink"), tmp_path / "tbcomp.wasm")
    code = """
import traceback, wasmtime, wbindgen.loader
import tbcomp
inst = tbcomp.Tbcomp.instantiate(wasmtime.Store(), tbcomp.__wasm_path__)
try:
    inst.api.echo_pt("not a point")
except TypeError:
    traceback.print_exc()
"""
    proc = run(code, tmp_path, tmp_path / "cache")
    assert proc.returncode == 0, proc.stderr
    frame = proc.stderr.split('tbcomp.wasm!exports/api.py", line ', 1)[1].splitlines()
    assert frame[0].endswith("in echo_pt")
    assert frame[1].strip().startswith('return _typing.cast("Pt", self._f['), proc.stderr
    # and the runtime's plan and record lowerer below it show theirs (runtime/source.py)
    for generated in ("<wbindgen plan echo-pt #", "<wbindgen lower record point #"):
        after = proc.stderr.split(generated, 1)[1].splitlines()
        assert after[1].strip(), proc.stderr
