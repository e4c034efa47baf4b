"""The project's own code passes its checks: mypy --strict on both installed
packages, and ruff on everything."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from support.components import ROOT


def test_mypy_strict_on_wbindgen_and_runtime(tmp_path: Path) -> None:
    # The editable install maps bindgen/ and runtime/ to their import names
    # through a hook mypy does not run: give mypy the names as folders.
    (tmp_path / "wbindgen").symlink_to(ROOT / "bindgen", target_is_directory=True)
    (tmp_path / "wbindgen_runtime").symlink_to(ROOT / "runtime", target_is_directory=True)
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental",
         "--config-file", str(ROOT / "pyproject.toml"), "-p", "wbindgen", "-p", "wbindgen_runtime"],
        capture_output=True, text=True, cwd=tmp_path, env={"MYPYPATH": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_ruff_is_clean() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--output-format", "concise", "."],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_packages_have_no_unused_code_and_are_formatted() -> None:
    """Over the two packages, beyond the repo-wide rules: unused arguments
    (ARG) and `noqa` comments that silence nothing (RUF100), on top of the
    unused imports and variables (F401, F841) that `ruff check` already
    refuses everywhere; and `ruff format` leaves them unchanged."""
    lint = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--output-format", "concise",
         "--extend-select", "ARG,RUF100", "bindgen", "runtime"],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    assert lint.returncode == 0, lint.stdout + lint.stderr
    fmt = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "bindgen", "runtime"],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr
