"""Round trips of every row of the value contract through the identity component.

Each case runs through the fast plan and through the reference path
(wasmtime-py's dynamic API); both must give the expected value.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
import wbindgen_runtime as rt
from runtime_components.identities import (
    All,
    Big,
    Color,
    Outer_Inner,
    Outer_Nothing,
    Outer_Pair,
    Point,
    Shape_Circle,
    Shape_Label,
    Shape_None,
    Shape_Rect,
    Small,
    identity_exports,
    identity_wat,
)
from wasmtime import Engine, Store
from wasmtime.component import Component
from wbindgen_runtime import Err, Ok, Some

PAD = (0,) * 16
F32_MAX = 3.4028234663852886e38


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


@pytest.fixture(scope="module")
def component(engine: Engine) -> Component:
    return Component(engine, identity_wat())


@pytest.fixture()
def inst(engine: Engine, component: Component) -> rt.BoundInstance:
    return rt.instantiate(Store(engine), component, exports=identity_exports())


def same(a: Any, b: Any) -> bool:
    """Equality that treats NaN as equal to NaN, through containers (via repr)."""
    return type(a) is type(b) and repr(a) == repr(b)


CASES: list[tuple[str, Any, Any]] = [
    ("bool", True, True),
    ("bool", False, False),
    ("s8", -128, -128),
    ("s8", 127, 127),
    ("u8", 0, 0),
    ("u8", 255, 255),
    ("s16", -32768, -32768),
    ("s16", 32767, 32767),
    ("u16", 65535, 65535),
    ("s32", -(2**31), -(2**31)),
    ("s32", 2**31 - 1, 2**31 - 1),
    ("u32", 2**32 - 1, 2**32 - 1),
    ("s64", -(2**63), -(2**63)),
    ("s64", 2**63 - 1, 2**63 - 1),
    ("u64", 2**64 - 1, 2**64 - 1),
    ("u64", 0, 0),
    ("f32", 1.5, 1.5),
    ("f32", 3, 3.0),
    ("f32", math.inf, math.inf),
    ("f32", -math.inf, -math.inf),
    ("f32", F32_MAX, F32_MAX),
    ("f32", -0.0, -0.0),
    ("f32", 1e300, math.inf),
    ("f32", 0.1, 0.10000000149011612),
    ("f64", 0.1, 0.1),
    ("f64", -math.inf, -math.inf),
    ("f64", 5e-324, 5e-324),
    ("f64", 7, 7.0),
    ("f64", 1.7976931348623157e308, 1.7976931348623157e308),
    ("char", "a", "a"),
    ("char", "\U0001f600", "\U0001f600"),
    ("char", "\uffff", "\uffff"),
    ("char", "\U0010ffff", "\U0010ffff"),
    ("char", "\x00", "\x00"),
    ("string", "", ""),
    ("string", "héllo wörld \U0001f600", "héllo wörld \U0001f600"),
    ("string", "x" * 1_000_000, "x" * 1_000_000),
    ("string", "a\x00b", "a\x00b"),
    ("bytes", b"", b""),
    ("bytes", b"\x00\xff" * 3, b"\x00\xff" * 3),
    ("bytes", bytearray(b"ab"), b"ab"),
    ("bytes", memoryview(b"xyz"), b"xyz"),
    ("bytes", bytes(range(256)) * 1024, bytes(range(256)) * 1024),
    ("list-u32", [], []),
    ("list-u32", [0, 1, 2**32 - 1], [0, 1, 2**32 - 1]),
    ("list-u32", (5, 6), [5, 6]),
    ("list-u32", list(range(100_000)), list(range(100_000))),
    ("list-s8", [-128, 0, 127], [-128, 0, 127]),
    ("list-s64", [-(2**63), 2**63 - 1], [-(2**63), 2**63 - 1]),
    ("list-u64", [2**64 - 1], [2**64 - 1]),
    ("list-f32", [1.5, 2, -math.inf], [1.5, 2.0, -math.inf]),
    ("list-f64", [0.1, 3, math.inf], [0.1, 3.0, math.inf]),
    ("list-bool", [True, False, True], [True, False, True]),
    ("list-char", ["a", "\U0001f600"], ["a", "\U0001f600"]),
    ("list-string", ["", "a", "\U0001f600" * 3], ["", "a", "\U0001f600" * 3]),
    ("list-point", [Point(1, 2), Point(-0.5, 1e300)], [Point(1.0, 2.0), Point(-0.5, 1e300)]),
    ("list-list-u16", [[], [1, 2], [65535]], [[], [1, 2], [65535]]),
    ("tuple", (255, "s", 2.5), (255, "s", 2.5)),
    ("point", Point(1.25, -3), Point(1.25, -3.0)),
    (
        "all",
        All(True, -5, 65535, -(2**63), 1.5, "str", b"\x01\x02", None),
        All(True, -5, 65535, -(2**63), 1.5, "str", b"\x01\x02", None),
    ),
    (
        "all",
        All(False, 127, 0, 2**63 - 1, -0.0, "", b"", 7),
        All(False, 127, 0, 2**63 - 1, -0.0, "", b"", 7),
    ),
    ("shape", Shape_Circle(2.5), Shape_Circle(2.5)),
    ("shape", Shape_Rect(Point(1, 2)), Shape_Rect(Point(1.0, 2.0))),
    ("shape", Shape_None(), Shape_None()),
    ("shape", Shape_Label("lbl"), Shape_Label("lbl")),
    ("outer", Outer_Inner(Shape_Label("x")), Outer_Inner(Shape_Label("x"))),
    ("outer", Outer_Nothing(), Outer_Nothing()),
    (
        "outer",
        Outer_Pair((Shape_None(), Shape_Circle(1.0))),
        Outer_Pair((Shape_None(), Shape_Circle(1.0))),
    ),
    ("color", Color.RED, Color.RED),
    ("color", Color.BLUE, Color.BLUE),
    ("big", Big(0), Big(0)),
    ("big", Big(0xFFFFFFFF), Big(0xFFFFFFFF)),
    ("big", Big.F31 | Big.F0, Big.F31 | Big.F0),
    ("small", Small.A | Small.C, Small.A | Small.C),
    ("small", Small(0), Small(0)),
    ("opt-u32", None, None),
    ("opt-u32", 0, 0),
    ("opt-u32", 2**32 - 1, 2**32 - 1),
    ("opt-opt-u32", None, None),
    ("opt-opt-u32", Some(None), Some(None)),
    ("opt-opt-u32", Some(5), Some(5)),
    ("opt-string", "s", "s"),
    ("opt-string", None, None),
    ("opt-point", Point(0, 0), Point(0.0, 0.0)),
    ("res-u32-string", Ok(5), Ok(5)),
    ("res-u32-string", Err("bad"), Err("bad")),
    ("res-unit-string", Ok(None), Ok(None)),
    ("res-unit-string", Err("e"), Err("e")),
    ("res-u32", Ok(1), Ok(1)),
    ("res-u32", Err(None), Err(None)),
    ("res-unit", Ok(None), Ok(None)),
    ("res-unit", Err(None), Err(None)),
    ("list-res", [Ok(1), Err("x"), Ok(2**32 - 1)], [Ok(1), Err("x"), Ok(2**32 - 1)]),
    ("opt-res", Ok("a"), Ok("a")),
    ("opt-res", Err(3), Err(3)),
    ("opt-res", None, None),
    ("res-res", Ok(Err("inner")), Ok(Err("inner"))),
    ("res-res", Ok(Ok(None)), Ok(Ok(None))),
    ("res-res", Err("outer"), Err("outer")),
]


@pytest.mark.parametrize(
    ("name", "arg", "expected"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_round_trip_fast_equals_reference(
    inst: rt.BoundInstance, name: str, arg: Any, expected: Any
) -> None:
    f = inst.func(None, f"id-{name}")
    fast = f(arg, *PAD)
    assert same(fast, expected), (fast, expected)
    ref = f.call_reference(arg, *PAD)
    assert same(ref, fast), (ref, fast)


def test_nan_round_trips(inst: rt.BoundInstance) -> None:
    for name in ("f32", "f64"):
        assert math.isnan(inst.func(None, f"id-{name}")(math.nan, *PAD))
        assert math.isnan(inst.func(None, f"id-{name}").call_reference(math.nan, *PAD))
    out = inst.func(None, "id-list-f64")([math.nan, 1.0], *PAD)
    assert math.isnan(out[0]) and out[1] == 1.0


def test_seventeen_params_spill_to_memory(inst: rt.BoundInstance) -> None:
    f = inst.func(None, "sum17")
    args = [i * 1000 + 7 for i in range(16)] + [2**32 - 1]
    assert f(*args) == sum(args)
    assert f.call_reference(*args) == sum(args)


def test_reentrant_buffers_are_reused_safely(inst: rt.BoundInstance) -> None:
    f = inst.func(None, "id-list-string")
    for n in range(50):
        vals = [str(i) * (i % 7) for i in range(n)]
        assert f(vals, *PAD) == vals


def test_returned_collections_are_fresh_python_objects(inst: rt.BoundInstance) -> None:
    out = inst.func(None, "id-bytes")(bytearray(b"abc"), *PAD)
    assert type(out) is bytes
    lst = inst.func(None, "id-list-u32")((1, 2), *PAD)
    assert type(lst) is list


class _SneakyStr(str):
    """Its own ``encode`` would point the tree at a bytearray's header."""

    def encode(self, *args: Any, **kwargs: Any) -> Any:
        return bytearray(b"\xff" * 64)

    def __str__(self) -> str:
        return _SneakyStr("other")


class _SneakyTuple(tuple):  # type: ignore[type-arg]
    def __iter__(self) -> Any:
        return iter(())


class _LongList(list):  # type: ignore[type-arg]
    def __len__(self) -> int:
        return 1000


def test_subclasses_cannot_make_the_plan_write_outside_its_nodes(inst: rt.BoundInstance) -> None:
    """The plans write trees at raw addresses: what they write is decided by the real data
    of str/tuple/list subclasses, never by overridden methods that could lie about it."""
    assert inst.func(None, "id-string")(_SneakyStr("héllo"), *PAD) == "héllo"
    assert inst.func(None, "id-list-string")([_SneakyStr("a"), "b"], *PAD) == ["a", "b"]
    rec = All(True, 1, 2, 3, 0.5, _SneakyStr("in a record"), b"", None)
    assert inst.func(None, "id-all")(rec, *PAD).f == "in a record"
    assert inst.func(None, "id-tuple")(_SneakyTuple((1, "s", 2.5)), *PAD) == (1, "s", 2.5)
    # A list subclass is read once, by iteration: its __len__ decides nothing.
    assert inst.func(None, "id-list-string")(_LongList(["x", "y"]), *PAD) == ["x", "y"]
    assert inst.func(None, "id-list-string")(["still", "fine"], *PAD) == ["still", "fine"]
