"""jco's `numbers`: every integer width, f32, f64 and char, both directions."""

from __future__ import annotations

import math
import struct
from pathlib import Path

import jco_numbers as pkg
import wasmtime
from jco_numbers.imports import test as imp

from ..common import stderr_wasi
from ..ledger import Counted, Ledger

INTS = {
    "u8": (0, 2**8 - 1),
    "s8": (-(2**7), 2**7 - 1),
    "u16": (0, 2**16 - 1),
    "s16": (-(2**15), 2**15 - 1),
    "u32": (0, 2**32 - 1),
    "s32": (-(2**31), 2**31 - 1),
    "u64": (0, 2**64 - 1),
    "s64": (-(2**63), 2**63 - 1),
}
F32_MAX = struct.unpack("<f", struct.pack("<I", 0x7F7FFFFF))[0]
F32_TINY = struct.unpack("<f", struct.pack("<I", 1))[0]  # the smallest subnormal
F64_TINY = 5e-324
CHARS = ("\0", "a", " ", "\x7f", "é", "\ud7ff", "\ue000", "🚩", "\U0010ffff")


class Numbers(Counted):
    """The identity for each roundtrip; a stored scalar."""

    def __init__(self, ledger: Ledger) -> None:
        super().__init__(ledger)
        self.scalar = 0

    def roundtrip_u8(self, a: int) -> int:
        return a

    def roundtrip_s8(self, a: int) -> int:
        return a

    def roundtrip_u16(self, a: int) -> int:
        return a

    def roundtrip_s16(self, a: int) -> int:
        return a

    def roundtrip_u32(self, a: int) -> int:
        return a

    def roundtrip_s32(self, a: int) -> int:
        return a

    def roundtrip_u64(self, a: int) -> int:
        return a

    def roundtrip_s64(self, a: int) -> int:
        return a

    def roundtrip_f32(self, a: float) -> float:
        return a

    def roundtrip_f64(self, a: float) -> float:
        return a

    def roundtrip_char(self, a: str) -> str:
        assert len(a) == 1
        return a

    def set_scalar(self, a: int) -> None:
        self.scalar = a

    def get_scalar(self) -> int:
        return self.scalar


def run(component: Path, ledger: Ledger) -> None:
    host = Numbers(ledger)
    inst = pkg.JcoNumbers.instantiate(
        wasmtime.Store(), component, pkg.JcoNumbersImports(test=host), wasi=stderr_wasi()
    )
    ledger.call(inst.test_imports)
    assert ledger.uncalled(imp.Host) == []
    assert host.scalar == 4  # the guest's last set-scalar

    t = inst.test
    roundtrips = {
        "u8": t.roundtrip_u8,
        "s8": t.roundtrip_s8,
        "u16": t.roundtrip_u16,
        "s16": t.roundtrip_s16,
        "u32": t.roundtrip_u32,
        "s32": t.roundtrip_s32,
        "u64": t.roundtrip_u64,
        "s64": t.roundtrip_s64,
    }
    for name, (lo, hi) in INTS.items():
        fn = roundtrips[name]
        for v in (lo, lo + 1, 0, 1, hi // 2, hi // 2 + 1, hi - 1, hi):
            ledger.check(fn(v), v)
        for bad in (lo - 1, hi + 1):
            try:
                fn(bad)
            except (OverflowError, ValueError) as e:
                assert "'a'" in str(e), e
            else:
                raise AssertionError(f"roundtrip-{name}({bad}) was not refused")

    for f in (0.0, -0.0, 1.0, -1.5, F32_MAX, -F32_MAX, F32_TINY, math.inf, -math.inf, math.nan):
        ledger.check(t.roundtrip_f32(f), f)
    ledger.check(t.roundtrip_f32(3), 3.0)  # an int is accepted for a float
    ledger.check(t.roundtrip_f32(0.1), struct.unpack("<f", struct.pack("<f", 0.1))[0])
    for f in (0.0, -0.0, 0.1, -1e300, 1.7976931348623157e308, F64_TINY, math.inf, -math.inf,
              math.nan):
        ledger.check(t.roundtrip_f64(f), f)
    for c in CHARS:
        ledger.check(t.roundtrip_char(c), c)

    for scalar in (2, 0, 2**32 - 1, 4):
        ledger.call(t.set_scalar, scalar)
        ledger.check(t.get_scalar(), scalar)
