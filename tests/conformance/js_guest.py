"""The JavaScript guest of the conformance world: tests/components/js_guest/
app.js, built against tests/components/py_guest/wit with componentize-js
(jco's toolchain: a SpiderMonkey build, from npm).

componentize-js is not a Python dev dependency: it comes from npm (about
385 MB installed) and needs node. Install it where the tests look:

    npm install --prefix .cache/npm @bytecodealliance/componentize-js@0.23.0

(or point WBINDGEN_COMPONENTIZE_JS at its `componentize-js` script). The
build is cached in .cache/components by a hash of the sources and the
tool's version, like tests/components/build.py does.

The guest's bindings are generated under the package name `py_guest`, so
the driver and host code of conformance/py_guest.py run unchanged against
it; they run in a child process (`python -m conformance.js_guest ...`), since
the componentize-py guest's `py_guest` package is imported in the test
process.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from support.paths import ROOT

from .common import GuestBugs

SOURCE = ROOT / "tests" / "components" / "js_guest" / "app.js"
WIT = ROOT / "tests" / "components" / "py_guest" / "wit"
CACHE = ROOT / ".cache" / "components"
VERSION = "0.23.0"
#: What componentize-js 0.23.0 gets wrong (see test_conformance_js_guest.py).
JS_BUGS = frozenset({GuestBugs.U32_HIGH_HALF, GuestBugs.NEGATIVE_S64})
INSTALL = f"npm install --prefix .cache/npm @bytecodealliance/componentize-js@{VERSION}"


def tool() -> str | None:
    """The componentize-js script, or None when it is not installed."""
    if shutil.which("node") is None:
        return None
    explicit = os.environ.get("WBINDGEN_COMPONENTIZE_JS")
    if explicit:
        return explicit if Path(explicit).exists() else None
    local = ROOT / ".cache" / "npm" / "node_modules" / ".bin" / "componentize-js"
    if local.exists():
        return str(local)
    return shutil.which("componentize-js")


def build(
    exe: str,
    source: Path = SOURCE,
    wit: Path = WIT,
    world: str = "guest",
    name: str = "js_guest",
) -> Path:
    """The built JS guest (by default the conformance one; tests/support/plugins.py
    builds a plugin of examples/plugins/wit), building it when its sources changed."""
    version = subprocess.run([exe, "--version"], capture_output=True, text=True).stdout.strip()
    h = hashlib.sha256()
    for p in [source, *sorted(wit.rglob("*.wit"))]:
        h.update(p.name.encode() + b"\0" + p.read_bytes() + b"\0")
    h.update(version.encode())
    out = CACHE / f"{name}-{h.hexdigest()[:16]}.wasm"
    if not out.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / "out.wasm"
            proc = subprocess.run(
                [exe, str(source), "--wit", str(wit), "--world-name", world, "-o", str(target)],
                capture_output=True, text=True,
            )
            if proc.returncode != 0:
                raise RuntimeError(f"componentize-js failed:\n{proc.stdout}{proc.stderr}")
            fd, partial = tempfile.mkstemp(dir=CACHE, prefix=out.name + ".")
            with os.fdopen(fd, "wb") as f:
                f.write(target.read_bytes())
            os.replace(partial, out)
    return out


def run_in_child(bindings: Path, component: Path, mode: str) -> dict[str, object]:
    """`python -m conformance.js_guest MODE COMPONENT` with the JS guest's
    `py_guest` package importable; its JSON answer."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(bindings), str(ROOT / "tests")])}
    proc = subprocess.run(
        [sys.executable, "-m", "conformance.js_guest", mode, str(component)],
        capture_output=True, text=True, env=env, cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    answer: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    return answer


def main(argv: list[str]) -> int:
    mode, component = argv[0], Path(argv[1])
    from .ledger import Ledger
    from .py_guest import Host, instantiate, run

    if mode == "run":
        ledger = Ledger()
        with ledger.watching():
            run(component, ledger, JS_BUGS)
        print(json.dumps({
            "host": ledger.host_calls, "exports": ledger.exports,
            "unreached": ledger.unreached(), "bugs": sorted(JS_BUGS),
        }))
        return 0
    if mode == "bugs":
        # The values the known bugs break, through the bindings and through
        # wasmtime-py's own dynamic API (the runtime's reference path): the
        # two agree, so the fault is the guest's.
        answers: dict[str, object] = {}
        inst = instantiate(component, Host(Ledger()))
        echo_u32 = inst._bound.func("conformance:py-guest/api@0.1.0", "echo-u32")
        for v in (2**31, 2**32 - 1):
            answers[f"echo-u32({v})"] = [inst.api.echo_u32(v), echo_u32.call_reference(v)]
        for key, reference in (("echo-s64(-1)", False), ("echo-s64(-1) reference", True)):
            fresh = instantiate(component, Host(Ledger()))  # a trap ends an instance
            try:
                if reference:
                    func = fresh._bound.func("conformance:py-guest/api@0.1.0", "echo-s64")
                    answers[key] = func.call_reference(-1)
                else:
                    answers[key] = fresh.api.echo_s64(-1)
            except Exception as e:
                answers[key] = type(e).__name__
        print(json.dumps(answers))
        return 0
    raise SystemExit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
