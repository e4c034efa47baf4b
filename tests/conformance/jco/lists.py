"""jco's `lists` (a C guest): lists of every kind, strings, large lists."""

from __future__ import annotations

import math
import struct
from collections.abc import Callable, Sequence
from pathlib import Path

import jco_lists as pkg
import wasmtime
from jco_lists.exports import test as ex
from jco_lists.imports import test as imp

from ..common import stderr_wasi
from ..ledger import Counted, Ledger

F32_MAX = struct.unpack("<f", struct.pack("<I", 0x7F7FFFFF))[0]
F64_MAX = 1.7976931348623157e308


def _is(got: object, want: object) -> None:
    assert type(got) is type(want) and got == want, (got, want)


class Lists(Counted):
    """Asserts what the guest passes (the guest asserts what it gets back)."""

    def empty_list_param(self, a: bytes) -> None:
        _is(a, b"")

    def empty_string_param(self, a: str) -> None:
        _is(a, "")

    def empty_list_result(self) -> bytes:
        return b""

    def empty_string_result(self) -> str:
        return ""

    def list_param(self, a: bytes) -> None:
        _is(a, bytes([1, 2, 3, 4]))

    def list_param2(self, a: str) -> None:
        _is(a, "foo")

    def list_param3(self, a: list[str]) -> None:
        _is(a, ["foo", "bar", "baz"])

    def list_param4(self, a: list[list[str]]) -> None:
        _is(a, [["foo", "bar"], ["baz"]])

    def list_param5(self, a: list[tuple[int, int, int]]) -> None:
        _is(a, [(1, 2, 3), (4, 5, 6)])

    def list_result(self) -> bytes:
        return bytes([1, 2, 3, 4, 5])

    def list_result2(self) -> str:
        return "hello!"

    def list_result3(self) -> Sequence[str]:
        return ("hello,", "world!")  # any sequence is accepted

    def list_minmax8(self, a: bytes, b: list[int]) -> tuple[bytearray, list[int]]:
        _is(a, bytes([0, 255]))
        _is(b, [-128, 127])
        return bytearray(a), b

    def list_minmax16(self, a: list[int], b: list[int]) -> tuple[list[int], list[int]]:
        _is(a, [0, 2**16 - 1])
        _is(b, [-(2**15), 2**15 - 1])
        return a, b

    def list_minmax32(self, a: list[int], b: list[int]) -> tuple[list[int], list[int]]:
        _is(a, [0, 2**32 - 1])
        _is(b, [-(2**31), 2**31 - 1])
        return a, b

    def list_minmax64(self, a: list[int], b: list[int]) -> tuple[list[int], list[int]]:
        _is(a, [0, 2**64 - 1])
        _is(b, [-(2**63), 2**63 - 1])
        return a, b

    def list_minmax_float(
        self, a: list[float], b: list[float]
    ) -> tuple[list[float], list[float]]:
        _is(a, [-F32_MAX, F32_MAX, -math.inf, math.inf])
        _is(b, [-F64_MAX, F64_MAX, -math.inf, math.inf])
        return a, b

    def list_roundtrip(self, a: bytes) -> memoryview:
        assert type(a) is bytes
        return memoryview(a)

    def string_roundtrip(self, a: str) -> str:
        return a


def instantiate(component: Path, ledger: Ledger) -> pkg.JcoLists:
    return pkg.JcoLists.instantiate(
        wasmtime.Store(), component, pkg.JcoListsImports(test=Lists(ledger)), wasi=stderr_wasi()
    )


def run(component: Path, ledger: Ledger) -> None:
    inst = instantiate(component, ledger)
    before = inst.allocated_bytes()
    ledger.call(inst.test_imports)
    assert ledger.uncalled(imp.Host) == []

    t = inst.test
    ledger.call(t.empty_list_param, b"")
    ledger.call(t.empty_list_param, bytearray())
    ledger.call(t.empty_string_param, "")
    ledger.call(t.list_param, bytes([1, 2, 3, 4]))
    ledger.call(t.list_param, memoryview(bytes([0, 1, 2, 3, 4, 5]))[1:5])
    ledger.call(t.list_param2, "foo")
    ledger.call(t.list_param3, ["foo", "bar", "baz"])
    ledger.call(t.list_param3, ("foo", "bar", "baz"))
    ledger.call(t.list_param4, [["foo", "bar"], ["baz"]])
    ledger.call(t.list_param5, [(1, 2, 3), (4, 5, 6)])
    ledger.call(t.list_param_large, ["blah"] * 1000)
    ledger.call(t.list_param_large, ["x" * i for i in range(1000)])
    ledger.check(t.empty_list_result(), b"")
    ledger.check(t.empty_string_result(), "")
    ledger.check(t.list_result(), bytes([1, 2, 3, 4, 5]))
    ledger.check(t.list_result2(), "hello!")
    ledger.check(t.list_result3(), ["hello,", "world!"])
    for data in (b"", b"x", bytes(range(256)), bytes(range(256)) * 4096):
        ledger.check(t.list_roundtrip(data), data)
    ledger.check(t.list_roundtrip(memoryview(b"\0\1\2\3\4\5\6\7")[2:6]), b"\2\3\4\5")
    for s in ("", "x", "hello ⚑ world", "\0", "🚩" * 1000, "\U0010ffff", "a" * 200_000):
        ledger.check(t.string_roundtrip(s), s)
    assert inst.allocated_bytes() == before  # the guest freed what the calls allocated

    # The guest implements its `list-minmax*` exports as `assert(0)`: each
    # call lowers both lists, then traps in the guest, and the instance
    # refuses to be entered again.
    minmax: tuple[tuple[str, Callable[[ex.Test], object]], ...] = (
        ("8", lambda t: t.list_minmax8(bytes([0, 255]), [-128, 127])),
        ("16", lambda t: t.list_minmax16([0, 2**16 - 1], [-(2**15), 2**15 - 1])),
        ("32", lambda t: t.list_minmax32([0, 2**32 - 1], [-(2**31), 2**31 - 1])),
        ("64", lambda t: t.list_minmax64([0, 2**64 - 1], [-(2**63), 2**63 - 1])),
        ("_float", lambda t: t.list_minmax_float([-F32_MAX, math.inf], [-F64_MAX, math.nan])),
    )
    for width, call in minmax:
        fresh = instantiate(component, ledger).test
        ledger.traps(f"exports_test_lists_test_list_minmax{width}", call, fresh)
        ledger.traps("cannot be entered again", fresh.list_result)
