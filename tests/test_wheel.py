"""wbindgen as users install it (it is on no package index): the wheel built from
the repo, in a fresh venv beside the oldest and the newest supported wasmtime,
works from any folder; and after the README's setup (scripts/demo.sh, a regular
install) a user's `mypy --strict` sees wbindgen_runtime and the generated
package. The CI matrix runs this file on the oldest supported Python."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from support.components import ROOT

DEMO = ROOT / "examples" / "kitchen_sink.wat"
HOST = ROOT / "examples" / "kitchen_sink_host.py"

#: A user's own program: imports the generated package and the runtime.
USER_PROGRAM = '''
import sys

import wasmtime
import wbindgen_runtime
from kitchen_sink import KitchenSink
from kitchen_sink.imports.types import Point


def main(path: str) -> int:
    inst = KitchenSink.instantiate(wasmtime.Store(), path)
    try:
        points: list[Point] = inst.api.echo_points([Point(1, 2)])
    except wbindgen_runtime.Trap as e:
        print(e, file=sys.stderr)
        return 1
    print(points)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
'''


def _majors() -> tuple[int, int]:
    m = re.search(r'"wasmtime>=(\d+),<(\d+)"', (ROOT / "pyproject.toml").read_text())
    assert m
    return int(m.group(1)), int(m.group(2)) - 1


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    proc = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(ROOT)],
        capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (whl,) = dist.glob("wbindgen-*.whl")
    return whl


def test_wheel_contents(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "wbindgen/cli.py" in names and "wbindgen_runtime/reader/world.py" in names
    assert "wbindgen/templates/module.jinja" in names
    assert "wbindgen_runtime/__init__.py" in names and "wbindgen_runtime/py.typed" in names
    assert not any(n.startswith(("tests/", "bindgen/", "runtime/", "templates/")) for n in names)
    meta = zipfile.ZipFile(wheel).read("wbindgen-0.1.0.dist-info/METADATA").decode()
    lo, hi = _majors()
    assert f"Requires-Dist: wasmtime<{hi + 1},>={lo}" in meta, meta


def _venv(where: Path) -> Path:
    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True)
    return where / "bin" / "python"


def _mypy_strict(python: Path, pkg_dir: Path, *files: Path) -> subprocess.CompletedProcess[str]:
    """mypy (from this environment) checking ``files`` as the user's venv ``python`` sees them."""
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--python-executable",
         str(python), *map(str, files)],
        capture_output=True, text=True, cwd=pkg_dir,
        env={"MYPYPATH": str(pkg_dir), "PATH": os.environ.get("PATH", "/usr/bin:/bin")},
    )


@pytest.mark.parametrize("which", ["oldest", "newest"])
def test_installed_wheel_runs_beside_each_supported_wasmtime(
    wheel: Path, tmp_path: Path, which: str
) -> None:
    lo, hi = _majors()
    major = lo if which == "oldest" else hi
    py = _venv(tmp_path / "venv")
    proc = subprocess.run(
        [str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel),
         f"wasmtime=={major}.*"],
        capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stderr
    proc = subprocess.run(
        [str(py), "-c", "import importlib.metadata as m; print(m.version('wasmtime'))"],
        capture_output=True, text=True,
    )
    assert proc.stdout.startswith(f"{major}."), proc.stdout + proc.stderr
    work = tmp_path / "elsewhere"
    work.mkdir()
    proc = subprocess.run(
        [str(tmp_path / "venv/bin/wbindgen"), str(DEMO), "-o", "out/kitchen_sink"],
        capture_output=True, text=True, cwd=work,
    )
    assert proc.returncode == 0, proc.stderr
    proc = subprocess.run(
        [str(py), str(HOST), str(DEMO)],
        capture_output=True, text=True, cwd=work, env={"PYTHONPATH": str(work / "out")},
    )
    assert proc.returncode == 0, proc.stderr
    assert "counter: 15 live: 1" in proc.stdout
    proc = subprocess.run([str(py), "-m", "wbindgen", "--version"], capture_output=True, text=True, cwd=work)
    assert proc.returncode == 0 and "wbindgen 0.1.0" in proc.stdout


def test_readme_setup_keeps_the_users_mypy_strict_working(tmp_path: Path) -> None:
    venv, out = tmp_path / "venv", tmp_path / "out"
    env = dict(os.environ, WBINDGEN_VENV=str(venv), WBINDGEN_DEMO_OUT=str(out),
               WBINDGEN_PYTHON=sys.executable)
    proc = subprocess.run([str(ROOT / "scripts/demo.sh")], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "counter: 15 live: 1" in proc.stdout
    program = out / "my_host.py"
    program.write_text(USER_PROGRAM)
    proc = _mypy_strict(venv / "bin/python", out, program, HOST)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Success: no issues found in 2 source files" in proc.stdout
    proc = subprocess.run(
        [str(venv / "bin/python"), str(program), str(DEMO)],
        capture_output=True, text=True, env={"PYTHONPATH": str(out)},
    )
    assert proc.returncode == 0 and "Point(x=1, y=2)" in proc.stdout, proc.stderr
