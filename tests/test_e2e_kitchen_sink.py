"""End to end: the committed kitchen-sink bindings against the component built
from tests/components/kitchen_sink, every export with edge values."""

from __future__ import annotations

import math
import sys

import pytest
import wasmtime
from support.components import GENERATED, component

sys.path.insert(0, str(GENERATED))

import kitchen_sink as ks  # noqa: E402
import wbindgen_runtime as rt  # noqa: E402
from kitchen_sink.exports import api  # noqa: E402
from kitchen_sink.imports import types as t  # noqa: E402


@pytest.fixture
def inst() -> ks.KitchenSink:
    store = wasmtime.Store()
    return ks.KitchenSink.instantiate(store, str(component("kitchen_sink")))


def test_world_function(inst: ks.KitchenSink) -> None:
    assert inst.version() == "0.1.0"


@pytest.mark.parametrize("a,b", [(0, 0), (1, 2), (2**32 - 1, 0), (2**31, 2**31 - 1)])
def test_add(inst: ks.KitchenSink, a: int, b: int) -> None:
    assert inst.api.add(a, b) == (a + b) % 2**32
    assert inst.api.add(b=b, a=a) == (a + b) % 2**32


def test_add_out_of_range_raises_before_wasm(inst: ks.KitchenSink) -> None:
    with pytest.raises((OverflowError, ValueError), match="'a'"):
        inst.api.add(2**32, 0)
    with pytest.raises((OverflowError, ValueError), match="'b'"):
        inst.api.add(0, -1)
    with pytest.raises(TypeError, match="'a'"):
        inst.api.add(True, 1)  # type: ignore[arg-type]


def test_scalars_min_max(inst: ks.KitchenSink) -> None:
    lo = api.AllScalars(False, -128, 0, -(2**15), 0, -(2**31), 0, -(2**63), 0, -math.inf, -0.0, "\0")
    hi = api.AllScalars(
        True, 127, 255, 2**15 - 1, 2**16 - 1, 2**31 - 1, 2**32 - 1, 2**63 - 1, 2**64 - 1,
        math.inf, 1.7976931348623157e308, "\U0010ffff",
    )
    assert inst.api.echo_scalars(lo) == lo
    assert inst.api.echo_scalars(hi) == hi
    nan = api.AllScalars(True, 0, 0, 0, 0, 0, 0, 0, 0, math.nan, math.nan, "😀")
    out = inst.api.echo_scalars(nan)
    assert math.isnan(out.f) and math.isnan(out.d) and out.c == "😀"
    assert type(out) is api.AllScalars


@pytest.mark.parametrize("s", ["", "hello", "ünïcödé 😀", "x" * 100_000])
def test_strings(inst: ks.KitchenSink, s: str) -> None:
    assert inst.api.echo_string(s) == s


@pytest.mark.parametrize("b", [b"", bytes(range(256)), bytearray(b"abc"), memoryview(b"xyz"), b"\xff" * 300_000])
def test_bytes(inst: ks.KitchenSink, b: bytes) -> None:
    out = inst.api.echo_bytes(b)
    assert out == bytes(b) and type(out) is bytes


def test_points_records_and_twins(inst: ks.KitchenSink) -> None:
    pts = [t.Point(i, -i) for i in range(1000)]
    assert inst.api.echo_points(pts) == pts
    assert inst.api.echo_points(()) == []
    assert inst.api.echo_pt(t.Point(-(2**31), 2**31 - 1)) == t.Point(-(2**31), 2**31 - 1)
    # `offset` has point's fields but is its own class: the bindings know which.
    off = inst.api.echo_offset(t.Offset(1, 2))
    assert type(off) is t.Offset and off == t.Offset(1, 2)
    with pytest.raises(TypeError, match="'o'"):
        inst.api.echo_offset(t.Point(1, 2))  # type: ignore[arg-type]
    assert api.Pt is t.Point and api.Point is t.Point


def test_tuple(inst: ks.KitchenSink) -> None:
    assert inst.api.echo_tuple((255, "z")) == (255, "z")


@pytest.mark.parametrize(
    "shape",
    [t.Shape_None(), t.Shape_Circle(2.5), t.Shape_Circle(-math.inf), t.Shape_Rect(t.Point(-5, 7)),
     t.Shape_Named(""), t.Shape_Named("a name")],
)
def test_variant_every_case(inst: ks.KitchenSink, shape: t.Shape) -> None:
    out = inst.api.echo_shape(shape)
    assert out == shape and type(out) is type(shape)


def test_enum_and_flags(inst: ks.KitchenSink) -> None:
    for c in t.Color:
        assert inst.api.echo_color(c) is c
    assert t.Color.BLUE_ISH.name == "BLUE_ISH"
    for p in (t.Perms(0), t.Perms.READ, t.Perms.READ | t.Perms.EXEC, t.Perms.READ | t.Perms.WRITE | t.Perms.EXEC):
        assert inst.api.echo_perms(p) == p
    all32 = api.Many(0)
    for m in api.Many:
        all32 |= m
    assert inst.api.echo_many(all32) == all32
    assert inst.api.echo_many(api.Many.F31 | api.Many.F0) == api.Many.F31 | api.Many.F0
    with pytest.raises(TypeError, match="'c'"):
        inst.api.echo_color(0)  # type: ignore[arg-type]


@pytest.mark.parametrize("o", [None, rt.Some(None), rt.Some(0), rt.Some(2**32 - 1)])
def test_option_option(inst: ks.KitchenSink, o: rt.Some[int | None] | None) -> None:
    assert inst.api.echo_opt(o) == o


def test_results_in_a_list(inst: ks.KitchenSink) -> None:
    rs: list[rt.Ok[int] | rt.Err[str]] = [ks.Ok(1), ks.Err("bad"), ks.Ok(2**32 - 1), ks.Err("")]
    assert inst.api.echo_results(rs) == rs


def test_result_raises_err(inst: ks.KitchenSink) -> None:
    assert inst.api.checked_div(7, 2) == 3
    with pytest.raises(ks.Err) as info:
        inst.api.checked_div(1, 0)
    assert info.value.value == "division by zero"


def test_many_args_spill(inst: ks.KitchenSink) -> None:
    args = [2**32 - 1] * 17
    assert inst.api.many_args(*args) == 17 * (2**32 - 1)
    assert inst.api.many_args(*range(1, 18)) == sum(range(1, 18))


def test_nothing(inst: ks.KitchenSink) -> None:
    assert inst.api.nothing() is None


def test_trap_then_instance_poisoned(inst: ks.KitchenSink) -> None:
    with pytest.raises(rt.Trap):
        inst.api.checked_div(-(2**31), -1)
    with pytest.raises(rt.InstanceTrappedError, match="cannot be entered again"):
        inst.api.add(1, 2)


def test_exported_resource_lifecycle(inst: ks.KitchenSink) -> None:
    assert inst.api.live_counters() == 0
    c = inst.api.counter(5)
    assert isinstance(c, api.Counter)
    assert c.get() == 5
    assert c.incr(3) == 8
    assert inst.api.live_counters() == 1
    with inst.api.counter(10) as d:
        merged = inst.api.counter.merge(c, d)  # c borrowed, d moved into the guest
        assert merged.get() == 18
        assert c.get() == 8
        with pytest.raises(rt.ResourceError, match="moved"):
            d.get()
    merged.drop()
    c.drop()
    with pytest.raises(rt.ResourceError, match="dropped"):
        c.get()
    with pytest.raises(rt.ResourceError):
        c.drop()
    assert inst.api.live_counters() == 0


def test_wrong_component_fails_load_check() -> None:
    store = wasmtime.Store()
    with pytest.raises(rt.TypeCheckError, match="export 'example:kitchen/api@0.1.0'"):
        ks.KitchenSink.instantiate(store, str(component("host_imports")))
