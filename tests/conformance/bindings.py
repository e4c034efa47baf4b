"""Generating the packages a conformance run uses, checking them (and the
host code written against them) with `mypy --strict`, and reading the table
of results in docs/conformance.md."""

from __future__ import annotations

import contextlib
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from support.paths import ROOT, TESTS

DOC = ROOT / "docs" / "conformance.md"


def generate(component: Path, out: Path) -> None:
    """`wbindgen COMPONENT -o OUT`, through the command line's own entry point
    (in-process: ten components would otherwise pay for ten interpreters)."""
    from wbindgen.cli import main

    status = main([str(component), "-o", str(out)])
    assert status == 0, f"wbindgen {component} -o {out} exited {status}"


@contextlib.contextmanager
def importable(folder: Path) -> Iterator[None]:
    """Generated packages in `folder` importable for the duration."""
    sys.path.insert(0, str(folder))
    try:
        yield
    finally:
        sys.path.remove(str(folder))


def mypy_strict(workdir: Path, bindings: Path, *targets: Path) -> list[str]:
    """mypy --strict errors in `targets` (generated packages, host modules),
    outside the runtime.

    The editable install reaches wbindgen_runtime through an import hook that
    mypy does not run, so the runtime is given by its installed name through
    a symlink on MYPYPATH (as in tests/test_typing.py)."""
    link = workdir / "wbindgen_runtime"
    if not link.exists():
        link.symlink_to(ROOT / "runtime", target_is_directory=True)
    env = {"MYPYPATH": f"{workdir}:{bindings}:{TESTS}", "PATH": "/usr/bin:/bin"}
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--show-error-codes",
         "--no-error-summary", "--cache-dir", str(workdir / ".mypy_cache"),
         *(str(t) for t in targets)],
        capture_output=True, text=True, env=env, cwd=ROOT,
    )
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr
    # wbindgen_runtime is checked by its own tests (and may be mid-edit by
    # another engineer); here only the bindings and the host code count.
    return [
        line for line in proc.stdout.splitlines()
        if ": error:" in line and "wbindgen_runtime/" not in line
    ]


_ROW = re.compile(r"^\|\s*`([\w-]+)`\s*\|.*\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*$")


def documented_counts() -> dict[str, tuple[int, int]]:
    """`name -> (host calls, export calls)` from the results table of
    docs/conformance.md; the tests assert their ledgers against it, so the
    table says what the suite checks."""
    counts: dict[str, tuple[int, int]] = {}
    for line in DOC.read_text().splitlines():
        m = _ROW.match(line)
        if m:
            name, host, exports, total = m.group(1), *map(int, m.group(2, 3, 4))
            assert host + exports == total, f"docs/conformance.md: {name}: total is not the sum"
            counts[name] = (host, exports)
    return counts
