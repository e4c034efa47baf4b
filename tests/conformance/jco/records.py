"""jco's `records`: tuples, flags of 2, 3, 8, 16 and 32 members, a record."""

from __future__ import annotations

from pathlib import Path

import jco_records as pkg
import wasmtime
from jco_records.exports import test as ex
from jco_records.imports import test as imp

from ..common import stderr_wasi
from ..ledger import Counted, Ledger


class Records(Counted):
    """The identity, except `multiple-results` (4, 5) and the swap."""

    def multiple_results(self) -> tuple[int, int]:
        return 4, 5

    def swap_tuple(self, a: tuple[int, int]) -> tuple[int, int]:
        return a[1], a[0]

    def roundtrip_flags1(self, a: imp.F1) -> imp.F1:
        assert type(a) is imp.F1
        return a

    def roundtrip_flags2(self, a: imp.F2) -> imp.F2:
        assert type(a) is imp.F2
        return a

    def roundtrip_flags3(
        self, a: imp.Flag8, b: imp.Flag16, c: imp.Flag32
    ) -> tuple[imp.Flag8, imp.Flag16, imp.Flag32]:
        return a, b, c

    def roundtrip_record1(self, a: imp.R1) -> imp.R1:
        assert type(a) is imp.R1
        return imp.R1(a.a, a.b)

    def tuple1(self, a: tuple[int]) -> tuple[int]:
        return (a[0],)


def run(component: Path, ledger: Ledger) -> None:
    inst = pkg.JcoRecords.instantiate(
        wasmtime.Store(), component, pkg.JcoRecordsImports(test=Records(ledger)),
        wasi=stderr_wasi(),
    )
    ledger.call(inst.test_imports)
    assert ledger.uncalled(imp.Host) == []

    t = inst.test
    ledger.check(t.multiple_results(), (100, 200))
    for a, b in ((1, 2), (0, 0), (255, 2**32 - 1), (128, 2**31)):
        ledger.check(t.swap_tuple((a, b)), (b, a))
    ledger.check(t.tuple1((0,)), (0,))
    ledger.check(t.tuple1((255,)), (255,))

    F1, F2 = ex.F1, ex.F2
    for f1 in (F1(0), F1.A, F1.B, F1.A | F1.B):
        ledger.check(t.roundtrip_flags1(f1), f1)
        ledger.check(t.roundtrip_record1(ex.R1(255, f1)), ex.R1(255, f1))
    ledger.check(t.roundtrip_record1(ex.R1(0, F1(0))), ex.R1(0, F1(0)))
    for f2 in (F2(0), F2.C, F2.D, F2.E, F2.C | F2.E, F2.C | F2.D | F2.E):
        ledger.check(t.roundtrip_flags2(f2), f2)

    Flag8, Flag16, Flag32 = ex.Flag8, ex.Flag16, ex.Flag32
    cases = [
        (Flag8(0), Flag16(0), Flag32(0)),
        (Flag8.B0, Flag16.B1, Flag32.B2),
        (Flag8.B7, Flag16.B15, Flag32.B31),  # the top bit of each width
        (Flag8.B0 | Flag8.B7, Flag16.B0 | Flag16.B8 | Flag16.B15, Flag32.B0 | Flag32.B16),
        (Flag8(2**8 - 1), Flag16(2**16 - 1), Flag32(2**32 - 1)),  # every member
    ]
    for a8, b16, c32 in cases:
        ledger.check(t.roundtrip_flags3(a8, b16, c32), (a8, b16, c32))
    for i in range(32):  # each member alone, through the 32-bit flags
        ledger.check(t.roundtrip_flags3(Flag8(1 << (i % 8)), Flag16(1 << (i % 16)), Flag32(1 << i)),
                     (Flag8(1 << (i % 8)), Flag16(1 << (i % 16)), Flag32(1 << i)))
