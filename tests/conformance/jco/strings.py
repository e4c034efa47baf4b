"""jco's `strings`: strings both directions, empty strings, non-BMP text."""

from __future__ import annotations

from pathlib import Path

import jco_strings as pkg
import wasmtime
from jco_strings.imports import imports as imp

from ..common import stderr_wasi
from ..ledger import Counted, Ledger

UNICODE = "🚀🚀🚀 𠈄𓀀"


class Strings(Counted):
    def take_basic(self, s: str) -> None:
        assert s == "latin utf16", s

    def return_unicode(self) -> str:
        return UNICODE


def run(component: Path, ledger: Ledger) -> None:
    inst = pkg.JcoStrings.instantiate(
        wasmtime.Store(), component, pkg.JcoStringsImports(imports=Strings(ledger)),
        wasi=stderr_wasi(),
    )
    ledger.call(inst.test_imports)
    assert ledger.uncalled(imp.Host) == []

    ledger.check(inst.return_empty(), "")
    samples = (
        "str", UNICODE, "\0", "a\0b", "latin utf16", "ünïcödé", "\x7f\x80\u07ff\u0800",
        "\uffff\U00010000", "\U0010ffff", "😀" * 10_000, "x" * 1_000_000,
    )
    for s in samples:
        ledger.check(inst.roundtrip(s), s)
    # The guest (C, UTF-16) asserts that its argument is not empty.
    ledger.traps("exports_strings_roundtrip", inst.roundtrip, "")
    ledger.traps("cannot be entered again", inst.return_empty)
    for bad in ("\ud800", "a\udfffb"):  # lone surrogates have no UTF-8 form
        try:
            inst.roundtrip(bad)
        except (ValueError, TypeError) as e:
            assert "'s'" in str(e), e
        else:
            raise AssertionError(f"roundtrip({bad!r}) was not refused")
