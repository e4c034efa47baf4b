"""jco's `adder`: one exported function in a versioned package
(`docs:adder/add@0.1.0`), no imports but WASI."""

from __future__ import annotations

from pathlib import Path

import jco_adder as pkg
import wasmtime

from ..ledger import Ledger

U32 = 2**32 - 1


def run(component: Path, ledger: Ledger) -> None:
    inst = pkg.JcoAdder.instantiate(wasmtime.Store(), component)
    for x, y in ((0, 0), (1, 2), (U32, 0), (0, U32), (2**31, 2**31 - 1), (123456, 654321)):
        ledger.check(inst.add.add(x, y), x + y)
    ledger.check(inst.add.add(y=2, x=40), 42)
