"""jco's `many-arguments`: 16 u64 parameters, more than MAX_FLAT_PARAMS, so
the canonical ABI passes them through memory in both directions."""

from __future__ import annotations

from pathlib import Path

import jco_many_arguments as pkg
import wasmtime
from jco_many_arguments.imports import imports as imp

from ..common import stderr_wasi
from ..ledger import Counted, Ledger

ARGS = tuple(range(1, 17))


class ManyArguments(Counted):
    """The guest forwards its own arguments (which it checks are 1..16)."""

    def many_arguments(
        self, a1: int, a2: int, a3: int, a4: int, a5: int, a6: int, a7: int, a8: int,
        a9: int, a10: int, a11: int, a12: int, a13: int, a14: int, a15: int, a16: int,
    ) -> None:
        got = (a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16)
        assert got == ARGS, got


def run(component: Path, ledger: Ledger) -> None:
    inst = pkg.JcoManyArguments.instantiate(
        wasmtime.Store(), component,
        pkg.JcoManyArgumentsImports(imports=ManyArguments(ledger)), wasi=stderr_wasi(),
    )
    ledger.call(inst.many_arguments, *ARGS)
    names = {f"a{i}": i for i in ARGS}
    ledger.call(inst.many_arguments, **names)  # by keyword, under the WIT names
    assert ledger.uncalled(imp.Host) == []
    assert ledger.host["ManyArguments.many_arguments"] == 2
