"""mypy --strict on the generated packages, on the example host programs, and
on a file of wrong usage that must fail with the expected errors."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from support.components import GENERATED, ROOT, require_tool

EXAMPLES = ROOT / "examples"
BAD = Path(__file__).parent / "typing" / "bad_usage.py"
PACKAGES = ("kitchen_sink", "host_imports", "wasi_hello", "compose_app", "acme_plugins")


def mypy(tmp_path: Path, *targets: str) -> subprocess.CompletedProcess[str]:
    # The editable install reaches wbindgen_runtime through an import hook that
    # mypy does not run; give it the package by its installed name instead.
    link = tmp_path / "wbindgen_runtime"
    if not link.exists():
        link.symlink_to(ROOT / "runtime", target_is_directory=True)
    env = {"MYPYPATH": f"{tmp_path}:{GENERATED}", "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--show-error-codes",
         "--no-error-summary", *targets],
        capture_output=True, text=True, env=env, cwd=ROOT,
    )


def errors_outside_runtime(out: str) -> list[str]:
    return [line for line in out.splitlines() if ": error:" in line and "wbindgen_runtime" not in line]


def test_generated_packages_and_examples_pass_mypy_strict(tmp_path: Path) -> None:
    proc = mypy(
        tmp_path, *(str(GENERATED / n) for n in PACKAGES),
        str(EXAMPLES / "kitchen_sink_host.py"), str(EXAMPLES / "host_imports_host.py"),
        str(EXAMPLES / "wasi_hello_host.py"), str(EXAMPLES / "compose_linker.py"),
        str(EXAMPLES / "plugin_host.py"), str(EXAMPLES / "plugin_server.py"),
    )
    assert errors_outside_runtime(proc.stdout + proc.stderr) == []
    assert proc.returncode in (0, 1), proc.stderr


def test_wrong_usage_fails_with_the_expected_errors(tmp_path: Path) -> None:
    proc = mypy(tmp_path, str(BAD))
    found: dict[int, list[str]] = {}
    for line in errors_outside_runtime(proc.stdout):
        m = re.match(r".*bad_usage\.py:(\d+): error: (.*)", line)
        assert m, f"error outside the bad-usage file: {line}"
        found.setdefault(int(m.group(1)), []).append(m.group(2))
    expected = {
        i: mark.split("# E: ", 1)[1].strip()
        for i, mark in enumerate(BAD.read_text().splitlines(), start=1)
        if "# E: " in mark
    }
    assert expected, "the bad-usage file lost its expectations"
    for line, text in expected.items():
        assert any(text in msg for msg in found.get(line, [])), (line, text, found.get(line))
    unexpected = {k: v for k, v in found.items() if k not in expected}
    assert unexpected == {}, unexpected


@pytest.mark.parametrize("name", PACKAGES)
def test_generated_code_is_black_formatted(name: str) -> None:
    import black

    for path in (GENERATED / name).rglob("*.py"):
        src = path.read_text()
        assert black.format_str(src, mode=black.Mode()) == src, path


def test_generated_packages_pass_pyright_strict(tmp_path: Path) -> None:
    import json

    exe = require_tool("pyright")
    link = tmp_path / "wbindgen_runtime"
    link.symlink_to(ROOT / "runtime", target_is_directory=True)
    config = tmp_path / "pyrightconfig.json"
    config.write_text(json.dumps({
        "extraPaths": [str(tmp_path), str(GENERATED)],
        "typeCheckingMode": "strict",
        "pythonVersion": "3.10",
    }))
    proc = subprocess.run(
        [exe, "-p", str(config), "--pythonpath", sys.executable,
         *(str(GENERATED / n) for n in PACKAGES)],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert proc.returncode == 0 and "0 errors" in proc.stdout, proc.stdout + proc.stderr
