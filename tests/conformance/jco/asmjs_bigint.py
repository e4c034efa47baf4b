"""jco's `asmjs_bigint`: a tiny hand-made component with a world-level
`add: func(x: s64, y: s64) -> s64` and no imports at all."""

from __future__ import annotations

from pathlib import Path

import jco_asmjs_bigint as pkg
import wasmtime

from ..ledger import Ledger

S64_MIN, S64_MAX = -(2**63), 2**63 - 1


def _wrap(v: int) -> int:
    """s64 addition in wasm wraps around."""
    return (v + 2**63) % 2**64 - 2**63


def run(component: Path, ledger: Ledger) -> None:
    inst = pkg.JcoAsmjsBigint.instantiate(wasmtime.Store(), component)
    cases = (
        (1, 2), (1 << 33, -(1 << 42)), (0, 0), (-1, 1), (S64_MAX, 0), (S64_MIN, 0),
        (S64_MAX, S64_MIN), (S64_MAX, 1), (S64_MIN, -1), (2**32, 2**32),
    )
    for x, y in cases:
        ledger.check(inst.add(x, y), _wrap(x + y))
