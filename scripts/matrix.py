#!/usr/bin/env python3
"""CI's test matrix: the supported wasmtime releases and Pythons, each cell in its own venv.

    python3 scripts/matrix.py [--jobs N] [--only CELL ...] [--list]

Cells (the wasmtime range comes from pyproject.toml, ``wasmtime>=A,<B``):

- ``py310``: the whole suite on the oldest Python (3.10) and the newest wasmtime;
- ``wt-oldest``: the runtime, generator and conformance tests (all but the
  project's own lint/type checks, the type-checker tests of generated code and
  the wheel test) on the oldest wasmtime, on Python 3.11;
- ``py313``: the same tests on the newest Python (3.13) and the newest wasmtime;
- ``py312``: the platform checks (the lane engaged, private names) and a smoke
  run of the runtime and generator on Python 3.12.

tests/test_platforms.py (the lane's float pickle engaged on this Python, and
more) runs in every cell. Pythons are found on PATH (``python3.X``) or among
pyenv's versions; a missing one skips its cell with a reason naming it (the
whole suite then runs on ``python3``). Venvs are ``.venv-<cell>`` (git-ignored),
created once and updated on every run; logs and JUnit files go to
``.cache/matrix/``, and so do the compiled components the cells share. Cells
run two at a time (the machine has 2 cores), after the test components are
built once. Exit
status: 0 when every cell that ran passed; 1 when any failed, including a cell
whose pytest collected no tests (exit 5).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOGS = ROOT / ".cache" / "matrix"

#: The Pythons wbindgen supports, oldest first (pyproject: requires-python >=3.10).
PYTHONS = ("3.10", "3.11", "3.12", "3.13")

#: Left out of the runtime/generator/conformance cells: they check tools (ruff,
#: mypy, pyright, the wheel build), not the platform, and run in the whole-suite cell.
NOT_PLATFORM = ("tests/test_self_checks.py", "tests/test_typing.py", "tests/test_wheel.py")

SMOKE = (
    "tests/test_platforms.py",
    "tests/test_lane_routing.py",
    "tests/test_lane_wire.py",
    "tests/test_runtime_values.py",
    "tests/test_e2e_kitchen_sink.py",
    "tests/test_golden.py",
)

LANE_TEST = "test_f64_lists_take_the_lane_on_this_python"


def wasmtime_majors() -> tuple[int, int]:
    """(oldest, newest) major release of the range pyproject.toml declares."""
    text = (ROOT / "pyproject.toml").read_text()
    m = re.search(r'"wasmtime>=(\d+),<(\d+)"', text)
    if not m:
        raise SystemExit('error: pyproject.toml does not declare wasmtime as "wasmtime>=A,<B"')
    return int(m.group(1)), int(m.group(2)) - 1


@dataclasses.dataclass
class Cell:
    name: str
    python: str  # "3.10"
    wasmtime: str  # "newest" or "oldest"
    what: str
    args: tuple[str, ...]
    fallback: bool = False  # run on python3 when this Python is missing

    @property
    def venv(self) -> Path:
        return ROOT / f".venv-{self.name}"


def cells() -> list[Cell]:
    ignore = tuple(f"--ignore={p}" for p in NOT_PLATFORM)
    return [
        Cell("py310", "3.10", "newest", "whole suite", (), fallback=True),
        Cell("wt-oldest", "3.11", "oldest", "runtime, generator, conformance", ignore),
        Cell("py313", "3.13", "newest", "runtime, generator, conformance", ignore),
        Cell("py312", "3.12", "newest", "platform checks and smoke", SMOKE),
    ]


# ---------------------------------------------------------------- finding Pythons


def _minor_of(exe: str) -> str | None:
    """The X.Y of an interpreter that runs, else None (a pyenv shim of a version
    that is not selected exists on PATH but fails)."""
    try:
        proc = subprocess.run(
            [exe, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True, text=True, timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return proc.stdout.strip() if proc.returncode == 0 else None


def _pyenv_root() -> Path | None:
    if os.environ.get("PYENV_ROOT"):
        return Path(os.environ["PYENV_ROOT"])
    exe = shutil.which("pyenv")
    if exe is None:
        return None
    proc = subprocess.run([exe, "root"], capture_output=True, text=True)
    return Path(proc.stdout.strip()) if proc.returncode == 0 and proc.stdout.strip() else None


def find_python(minor: str) -> str | None:
    """An interpreter of Python ``minor`` ("3.12"): ``python3.12`` on PATH, else
    the newest patch release among pyenv's installed versions."""
    candidates: list[str] = []
    on_path = shutil.which(f"python{minor}")
    if on_path:
        candidates.append(on_path)
    root = _pyenv_root()
    if root is not None:

        def patch(p: Path) -> int:
            tail = p.parts[-3].split(".")
            return int(tail[2]) if len(tail) > 2 and tail[2].isdigit() else -1

        found = sorted(root.glob(f"versions/{minor}.*/bin/python{minor}"), key=patch, reverse=True)
        candidates += [str(p) for p in found]
    for exe in candidates:
        if _minor_of(exe) == minor:
            return exe
    return None


# ---------------------------------------------------------------- running


@dataclasses.dataclass
class Outcome:
    cell: Cell
    status: str  # "passed", "failed", "skipped"
    detail: str = ""
    python: str = ""
    wasmtime: str = ""
    counts: Counter[str] = dataclasses.field(default_factory=Counter)
    skips: Counter[str] = dataclasses.field(default_factory=Counter)
    lane: str = "not run"
    seconds: float = 0.0


def _venv_versions(py: Path) -> tuple[str, str]:
    proc = subprocess.run(
        [str(py), "-c", "import sys, importlib.metadata as m; "
         "print(sys.version.split()[0], m.version('wasmtime'))"],
        capture_output=True, text=True,
    )
    parts = proc.stdout.split()
    return (parts[0], parts[1]) if len(parts) == 2 else ("?", "?")


def _read_junit(path: Path, out: Outcome) -> None:
    if not path.exists():
        return
    for case in ET.parse(path).iter("testcase"):
        skipped = case.find("skipped")
        if case.find("failure") is not None or case.find("error") is not None:
            result = "failed"
        elif skipped is not None and skipped.get("type") == "pytest.xfail":
            result = "xfailed"
        elif skipped is not None:
            result = "skipped"
            out.skips[(skipped.get("message") or "").strip()] += 1
        else:
            result = "passed"
        out.counts[result] += 1
        if case.get("name") == LANE_TEST:
            out.lane = "engaged" if result == "passed" else result


def setup(cell: Cell, python: str, log: Path) -> bool:
    with log.open("w") as f:
        proc = subprocess.run(
            [str(ROOT / "scripts/setup_venv.sh"), str(cell.venv), python, cell.wasmtime],
            cwd=ROOT, stdout=f, stderr=subprocess.STDOUT,
        )
    return proc.returncode == 0


#: Compiled components, shared by the cells: cells on the same wasmtime reuse each
#: other's artifacts (the key holds the wasmtime version and engine settings, and
#: every entry is verified before use), so the big guests are compiled once per
#: wasmtime release, not once per cell. Tests of the cache itself use their own folders.
COMPILED = LOGS / "compiled-components"

PREBUILD = (
    # The test components every cell uses, built once before cells run side by side
    # (the builds are atomic, but two cells building the same guest waste a core).
    ["tests/components/build.py"],
    ["tests/lane_components/build.py"],
    ["-c", "import sys; sys.path.insert(0, 'tests'); from conformance import js_guest\n"
           "exe = js_guest.tool()\nif exe: js_guest.build(exe)"],
)


def prebuild(python: Path, log: Path) -> bool:
    with log.open("w") as f:
        for args in PREBUILD:
            if subprocess.run([str(python), *args], cwd=ROOT, stdout=f,
                              stderr=subprocess.STDOUT).returncode != 0:
                return False
    return True


def run_cell(cell: Cell, out: Outcome, timeout: float) -> None:
    log, xml = LOGS / f"{cell.name}.log", LOGS / f"{cell.name}.xml"
    xml.unlink(missing_ok=True)
    cmd = [str(cell.venv / "bin/python"), "-m", "pytest", "-q", "-p", "no:cacheprovider",
           f"--junitxml={xml}", *cell.args]
    env = dict(os.environ, WBINDGEN_CACHE_DIR=str(COMPILED))
    start = time.monotonic()
    with log.open("w") as f:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=f, stderr=subprocess.STDOUT,
                                start_new_session=True, env=env)
        try:
            rc = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            rc = -1
    out.seconds = time.monotonic() - start
    _read_junit(xml, out)
    if rc == 0:
        out.status = "passed"
    else:
        out.status = "failed"
        reasons = {5: "pytest collected no tests (exit 5)", -1: f"timed out after {timeout:.0f} s"}
        out.detail = reasons.get(rc, f"pytest exit {rc}")


def _line(o: Outcome) -> str:
    c = o.counts
    python, wasmtime = o.python or o.cell.python, o.wasmtime or o.cell.wasmtime
    head = f"{o.cell.name:10} Python {python:8} wasmtime {wasmtime:8}"
    if o.status == "skipped":
        return f"{head} SKIPPED: {o.detail}"
    counts = (f"{c['passed']} passed, {c['skipped']} skipped, {c['xfailed']} xfailed, "
              f"{c['failed']} failed")
    tail = f" ({o.detail})" if o.detail else ""
    return f"{head} {o.status.upper():7} {counts} in {o.seconds:.0f} s; lane {o.lane}{tail}"


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("--only", nargs="*", help="run only these cells")
    ap.add_argument("--list", action="store_true", help="list the cells and exit")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds per cell")
    args = ap.parse_args(argv)
    lo, hi = wasmtime_majors()
    todo = [c for c in cells() if not args.only or c.name in args.only]
    if args.list or not todo:
        for c in cells():
            print(f"{c.name:10} Python {c.python}  wasmtime {c.wasmtime} "
                  f"({hi if c.wasmtime == 'newest' else lo})  {c.what}")
        return 0 if args.list else 2
    LOGS.mkdir(parents=True, exist_ok=True)
    print(f"matrix: wasmtime {lo}..{hi} (pyproject.toml), Pythons {', '.join(PYTHONS)}", flush=True)

    outcomes = [Outcome(cell, "pending") for cell in todo]
    # Each worker sets a cell's venv up (one at a time: an editable install writes
    # into the tree) and runs it, so one cell's setup overlaps another's tests.
    lock, setup_lock = threading.Lock(), threading.Lock()
    pending = list(outcomes)
    prebuild_lock = threading.Lock()
    prebuilt: list[bool] = []

    def report(out: Outcome) -> None:
        with lock:
            print(_line(out), flush=True)
            if out.status == "failed" and (LOGS / f"{out.cell.name}.log").exists():
                tail = (LOGS / f"{out.cell.name}.log").read_text(errors="replace").splitlines()
                print("\n".join(f"    | {ln}" for ln in tail[-40:]), flush=True)

    def prepare(out: Outcome) -> bool:
        cell = out.cell
        python = find_python(cell.python)
        if python is None and cell.fallback:
            python = shutil.which("python3")
            out.detail = f"python{cell.python} not found: ran on python3"
        if python is None:
            out.status = "skipped"
            out.detail = f"python{cell.python} not found (looked on PATH and in pyenv's versions)"
            return False
        t = time.monotonic()
        with setup_lock:
            ok = setup(cell, python, LOGS / f"{cell.name}.setup.log")
        if not ok:
            out.status = "failed"
            out.detail = f"venv setup failed: see .cache/matrix/{cell.name}.setup.log"
            return False
        out.python, out.wasmtime = _venv_versions(cell.venv / "bin/python")
        with lock:
            print(f"{cell.name:10} set up: Python {out.python}, wasmtime {out.wasmtime} "
                  f"({time.monotonic() - t:.0f} s)", flush=True)
        # The first cell set up builds the test components; the others wait for it.
        with prebuild_lock:
            if not prebuilt:
                t = time.monotonic()
                ok = prebuild(cell.venv / "bin/python", LOGS / "prebuild.log")
                prebuilt.append(ok)
                with lock:
                    print(f"test components built ({time.monotonic() - t:.0f} s)" if ok else
                          "note: building the test components failed (.cache/matrix/prebuild.log)"
                          "; each cell builds what it needs", flush=True)
        return True

    def worker() -> None:
        while True:
            with lock:
                if not pending:
                    return
                out = pending.pop(0)
            if prepare(out):
                run_cell(out.cell, out, args.timeout)
            report(out)

    threads = [threading.Thread(target=worker) for _ in range(max(1, args.jobs))]
    for th in threads:
        th.start()
    for th in threads:
        th.join()

    print("\nmatrix summary (logs and JUnit files in .cache/matrix/):")
    total: Counter[str] = Counter()
    for o in outcomes:
        print("  " + _line(o))
        for reason, n in sorted(o.skips.items()):
            print(f"      skipped {n}: {reason}")
        total.update(o.counts)
    failed = [o for o in outcomes if o.status == "failed"]
    # A cell can fail with no failing test (setup, no tests collected, timeout): count it.
    broken = sum(1 for o in failed if not o.counts["failed"])
    print(f"matrix: {total['passed']} passed, {total['failed'] + broken} failed, "
          f"{total['skipped']} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
