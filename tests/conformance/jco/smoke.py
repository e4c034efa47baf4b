"""jco's `smoke`: the smallest round trip, an export that calls an import."""

from __future__ import annotations

from pathlib import Path

import jco_smoke as pkg
import wasmtime
from jco_smoke.imports import imports as imp

from ..common import stderr_wasi
from ..ledger import Counted, Ledger


class Smoke(Counted):
    def thunk(self) -> None:
        pass


def run(component: Path, ledger: Ledger) -> None:
    inst = pkg.JcoSmoke.instantiate(
        wasmtime.Store(), component, pkg.JcoSmokeImports(imports=Smoke(ledger)),
        wasi=stderr_wasi(),
    )
    for n in range(1, 4):
        ledger.call(inst.thunk)
        assert ledger.host["Smoke.thunk"] == n  # each export call reached the host once
    assert ledger.uncalled(imp.Host) == []
