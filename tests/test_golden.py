"""generated_examples/, examples/kitchen_sink.wat and the WAT plugins of
examples/plugins/ are what the generator and the builds produce today from
the example sources (components, and the plugin application's WIT):
regeneration changes no byte."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from support.components import ROOT, require_wasm_tools
from support.paths import regen_examples as _regen


def test_generated_examples_are_up_to_date(capsys) -> None:  # type: ignore[no-untyped-def]
    require_wasm_tools()
    status = _regen().main(["--check"])
    out = capsys.readouterr().out
    assert status == 0, f"run `python scripts/regen_examples.py`:\n{out}"


def test_generation_is_deterministic() -> None:
    """The same bytes from another process with another string-hash seed
    (set and dict orders of strings differ between them)."""
    require_wasm_tools()
    regen = _regen()
    names = list(regen.NAMES)
    here = {name: regen.generated(name) for name in names}
    current = os.environ.get("PYTHONHASHSEED", "")
    seed = "1" if current in ("", "random", "0") else str((int(current) + 1) % 2**32)
    code = (
        "import json, sys; sys.path.insert(0, 'tests');"
        "from support.paths import regen_examples as r;"
        f"json.dump({{'hash': hash('wbindgen'), 'files': {{n: r().generated(n) for n in {names!r}}}}},"
        " sys.stdout)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONHASHSEED": seed},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    there = json.loads(proc.stdout)
    assert there["hash"] != hash("wbindgen"), "the two processes hash strings alike"
    assert there["files"] == here
