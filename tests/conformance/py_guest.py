"""The guests of the conformance world of tests/components/py_guest/wit: a
world that uses every WIT type, an exported resource, world-level exports and
a host import, driven through the generated bindings (package `py_guest`).

Two toolchains build it: componentize-py (tests/components/py_guest) and
componentize-js (tests/components/js_guest, run by conformance/js_guest.py).
`run` takes the known bugs of the guest's toolchain (`GuestBugs`) and then
keeps the values those bugs break away from the calls they break; each bug
has an xfail test that shows it.
"""

from __future__ import annotations

import math
import struct
from pathlib import Path

import py_guest as pkg
import wasmtime
import wbindgen_runtime as rt
from py_guest.exports import api
from py_guest.imports import host as imp
from py_guest.imports import types as t
from wbindgen_runtime import Err, Ok, Some

from .common import GuestBugs, stderr_wasi
from .ledger import Counted, Ledger

S32_MIN, S32_MAX = -(2**31), 2**31 - 1
S64_MIN, S64_MAX = -(2**63), 2**63 - 1
U64_MAX = 2**64 - 1
F32_MAX = struct.unpack("<f", struct.pack("<I", 0x7F7FFFFF))[0]
F64_MAX = 1.7976931348623157e308
INTS = {
    "s8": (-(2**7), 2**7 - 1),
    "u8": (0, 2**8 - 1),
    "s16": (-(2**15), 2**15 - 1),
    "u16": (0, 2**16 - 1),
    "s32": (S32_MIN, S32_MAX),
    "u32": (0, 2**32 - 1),
    "s64": (S64_MIN, S64_MAX),
    "u64": (0, U64_MAX),
}
ALL_PERMS = t.Perms(2**9 - 1)


def f32(v: float) -> float:
    """`v` rounded to the nearest f32, as an f32 export returns it."""
    return float(struct.unpack("<f", struct.pack("<f", v))[0])


class Host(Counted):
    """The obvious implementation of each function of `host`."""

    def __init__(self, ledger: Ledger) -> None:
        super().__init__(ledger)
        self.logged: list[str] = []
        self.table = {"greeting": "hello", "": ""}

    def log(self, msg: str) -> None:
        self.logged.append(msg)

    def echo_scalars(self, s: t.Scalars) -> t.Scalars:
        assert type(s) is t.Scalars and type(s.bool) is bool
        return s

    def scale(self, p: t.Point, factor: float) -> t.Point:
        return t.Point(int(p.x * factor), int(p.y * factor))

    def lookup(self, key: str) -> str | None:
        return self.table.get(key)

    def checked_double(self, x: int) -> int:
        if x < 0:
            raise Err(t.Failure.NEGATIVE)
        if 2 * x > S32_MAX:
            raise Err(t.Failure.TOO_BIG)
        return 2 * x

    def next_color(self, c: t.Color) -> t.Color:
        members = list(t.Color)
        return members[(members.index(c) + 1) % len(members)]

    def toggle(self, p: t.Perms, which: t.Perms) -> t.Perms:
        return p ^ which

    def area(self, s: t.Shape) -> float:
        match s:
            case t.Shape_None():
                return 0.0
            case t.Shape_Circle(value=r):
                return math.pi * r * r
            case t.Shape_Rect(value=(a, b)):
                return float(abs((b.x - a.x) * (b.y - a.y)))
            case t.Shape_Label(value=text):
                return float(len(text))
            case t.Shape_Tagged(value=tag):
                # option<option<u32>>: the value, -1 for some(none), -2 for none.
                return -2.0 if tag is None else -1.0 if tag.value is None else float(tag.value)
            case t.Shape_Many(value=parts):
                return float(len(parts))

    def echo_bundle(self, b: t.Bundle) -> t.Bundle:
        assert type(b.blob) is bytes
        return b

    def bytes_sum(self, data: bytes) -> int:
        return sum(data)


def shapes() -> list[t.Shape]:
    return [
        t.Shape_None(),
        t.Shape_Circle(0.0),
        t.Shape_Circle(-math.inf),
        t.Shape_Circle(math.nan),
        t.Shape_Rect((t.Point(S32_MIN, S32_MAX), t.Point(0, -1))),
        t.Shape_Label(""),
        t.Shape_Label("ünï 😀"),
        t.Shape_Tagged(None),
        t.Shape_Tagged(Some(None)),
        t.Shape_Tagged(Some(0)),
        t.Shape_Tagged(Some(2**32 - 1)),
        t.Shape_Many([]),
        t.Shape_Many([t.ShapePart(t.Point(i, -i), c) for i, c in enumerate(t.Color)]),
    ]


def bundles() -> list[t.Bundle]:
    return [
        t.Bundle("", [], None, None, Ok(0), [], Ok(None), t.Shape_None(), t.Perms(0), b"", []),
        t.Bundle(
            "every ⚑ case",
            [t.Point(S32_MIN, S32_MAX)] * 100,
            t.Color.GREEN,
            Some(None),
            Err(t.Failure.DIVISION_BY_ZERO),
            [Ok("yes"), Err(255), Ok(""), Err(0)],
            Err(None),
            t.Shape_Many([t.ShapePart(t.Point(1, 2), t.Color.RED)]),
            ALL_PERMS,
            bytes(range(256)) * 64,
            [("a", None), ("b", -0.0), ("c", math.inf), ("d", F64_MAX)],
        ),
        t.Bundle("s", [t.Point(1, 1)], t.Color.BLUE, Some("some"), Ok(U64_MAX), [Ok("x")],
                 Ok(None), t.Shape_Tagged(Some(7)), t.Perms.EXEC | t.Perms.B8, b"\0", [("", 1.5)]),
    ]


def instantiate(component: Path, host: Host) -> pkg.PyGuest:
    return pkg.PyGuest.instantiate(
        wasmtime.Store(), component, pkg.PyGuestImports(host=host), wasi=stderr_wasi()
    )


def run(component: Path, ledger: Ledger, bugs: frozenset[str] = frozenset()) -> None:
    host = Host(ledger)
    inst = instantiate(component, host)
    ledger.check(inst.version(), "0.1.0")
    ledger.call(inst.test_imports)
    assert ledger.uncalled(imp.Host) == []
    assert host.logged == ["", "ünïcödé 🚩 \0 end"]
    exercise_values(inst.api, ledger, bugs)
    exercise_results(inst.api, ledger)
    exercise_resources(inst.api, ledger, bugs)


def exercise_values(a: api.Api, ledger: Ledger, bugs: frozenset[str]) -> None:
    for v in (False, True):
        ledger.check(a.echo_bool(v), v)
    echo = {
        "s8": a.echo_s8, "u8": a.echo_u8, "s16": a.echo_s16, "u16": a.echo_u16,
        "s32": a.echo_s32, "u32": a.echo_u32, "s64": a.echo_s64, "u64": a.echo_u64,
    }
    for name, (least, most) in INTS.items():
        for n in (least, least + 1, 0, most - 1, most):
            if name == "u32" and n >= 2**31 and GuestBugs.U32_HIGH_HALF in bugs:
                continue
            if name == "s64" and n < 0 and GuestBugs.NEGATIVE_S64 in bugs:
                continue
            ledger.check(echo[name](n), n)
    for f in (0.0, -0.0, 1.5, F32_MAX, -F32_MAX, 1e-45, math.inf, -math.inf, math.nan, 0.1):
        ledger.check(a.echo_f32(f), f32(f))
    for f in (0.0, -0.0, 0.1, F64_MAX, -F64_MAX, 5e-324, math.inf, -math.inf, math.nan):
        ledger.check(a.echo_f64(f), f)
    chars = ("\0", "a", "\x7f", "\x80", "\u07ff", "\ud7ff", "\ue000", "\uffff", "🚩", "\U0010ffff")
    for c in chars:
        ledger.check(a.echo_char(c), c)
    for text in ("", "a", "\0", "ünïcödé", "🚀🚀🚀 𠈄𓀀", "x" * 100_000):
        ledger.check(a.echo_string(text), text)
    for data in (b"", b"\0", bytes(range(256)), bytearray(b"abc"), memoryview(b"xyz"),
                 b"\xff" * 1_000_000):
        ledger.check(a.echo_bytes(data), bytes(data))

    lo = t.Scalars(False, -128, 0, -(2**15), 0, S32_MIN, 0, S64_MIN, 0, -F32_MAX, -math.inf,
                   "\0", "")
    hi = t.Scalars(True, 127, 255, 2**15 - 1, 2**16 - 1, S32_MAX, 2**32 - 1, S64_MAX, U64_MAX,
                   F32_MAX, F64_MAX, "\U0010ffff", "ünï 😀")
    for s in (lo, hi):
        ledger.check(a.echo_scalars(s), s)

    points = [t.Point(i, -i) for i in range(1000)]
    ledger.check(a.echo_points(points), points)
    ledger.check(a.echo_points(()), [])
    ledger.check(a.echo_points((t.Point(S32_MIN, S32_MAX),)), [t.Point(S32_MIN, S32_MAX)])
    for tup in ((0, S64_MIN, "", -0.0, "\0"), (255, S64_MAX, "ü", F32_MAX, "\U0010ffff")):
        ledger.check(a.echo_tuple(tup), tup)
    ledger.check(a.swap(("s", [0, 2**16 - 1])), ([0, 2**16 - 1], "s"))
    ledger.check(a.swap(("", ())), ([], ""))

    for color in t.Color:
        ledger.check(a.echo_color(color), color)
    for perms in (t.Perms(0), t.Perms.READ, t.Perms.B7, t.Perms.B8, t.Perms.B7 | t.Perms.B8,
                  ALL_PERMS):
        ledger.check(a.echo_perms(perms), perms)
    for shape in shapes():
        ledger.check(a.echo_shape(shape), shape)
    ledger.check(a.echo_shapes(shapes()), shapes())
    ledger.check(a.echo_shapes([]), [])

    for opt in (None, "", "x"):
        ledger.check(a.echo_option(opt), opt)
    nesteds: list[Some[int | None] | None] = [None, Some(None), Some(0), Some(2**32 - 1)]
    for nested in nesteds:
        ledger.check(a.echo_nested(nested), nested)
    results: list[Ok[int] | Err[str]] = [Ok(0), Err(""), Ok(2**32 - 1), Err("no ⚑")]
    ledger.check(a.echo_results(results), results)
    ledger.check(a.echo_results([]), [])
    for opt_result in (None, Ok(t.Point(1, -1)), Err(t.Failure.TOO_BIG), Err(t.Failure.NEGATIVE)):
        ledger.check(a.echo_option_result(opt_result), opt_result)
    for b in bundles():
        ledger.check(a.echo_bundle(b), b)


def exercise_results(a: api.Api, ledger: Ledger) -> None:
    ledger.check(a.checked_div(7, 2), 3)
    ledger.check(a.checked_div(-7, 2), -3)
    ledger.check(a.checked_div(S32_MIN, 1), S32_MIN)
    for x, y, failure in ((1, 0, t.Failure.DIVISION_BY_ZERO), (S32_MIN, -1, t.Failure.TOO_BIG)):
        try:
            a.checked_div(x, y)
        except Err as e:
            ledger.check(e.value, failure)
        else:
            raise AssertionError(f"checked-div({x}, {y}) did not raise")

    # Only the outermost result raises.
    ledger.check(a.nested_result(True, True), Ok(None))
    ledger.check(a.nested_result(True, False), Err("inner"))
    try:
        a.nested_result(False, True)
    except Err as e:
        ledger.check(e.value, "outer")
    else:
        raise AssertionError("nested-result(false, _) did not raise")
    ledger.call(a.no_payload, True)
    try:
        a.no_payload(False)
    except Err as e:
        ledger.check(e.value, None)
    else:
        raise AssertionError("no-payload(false) did not raise")

    # An export that calls the host's `scale` while it runs.
    ledger.check(a.scaled_area(t.Point(3, 4), 2.0), 48.0)
    ledger.check(a.scaled_area(t.Point(-5, 5), 0.5), -4.0)


def exercise_resources(a: api.Api, ledger: Ledger, bugs: frozenset[str]) -> None:
    base = a.counters_made()
    if GuestBugs.NEGATIVE_S64 in bugs:
        start, steps = 0, (2**62, 0)
    else:
        start, steps = S64_MIN, (S64_MAX, 1)  # -> -1 -> 0
    history = [start, start + steps[0], start + steps[0] + steps[1]]
    v = history[-1]
    c = a.counter(start)
    ledger.check(c.value(), start)
    for by, want in zip(steps, history[1:]):
        ledger.check(c.incr(by), want)
    ledger.check(c.history(), history)
    d = a.counter(5)
    ledger.check(a.counters_made(), base + 2)
    ledger.check(a.total(c, d), v + 5)  # two borrows: both stay usable
    ledger.check(a.total(d, d), 10)  # the same handle borrowed twice
    merged = a.counter.merge(c, d)  # borrow<counter>, own<counter>
    assert d.dropped and not c.dropped
    ledger.check(merged.value(), v + 5)
    ledger.check(merged.history(), [*history, 5, v + 5])
    try:
        d.value()
    except rt.ResourceError:
        pass
    else:
        raise AssertionError("a counter moved into merge was usable")
    ledger.check(a.consume(merged), v + 5)  # own: moved in, dropped by the guest
    assert merged.dropped
    with a.counter(S64_MAX) as e:
        ledger.check(e.incr(0), S64_MAX)
    assert e.dropped
    c.drop()
    ledger.check(a.counters_made(), base + 4)  # c, d, merged, e
    try:
        c.incr(1)
    except rt.ResourceError:
        pass
    else:
        raise AssertionError("a dropped counter was usable")
