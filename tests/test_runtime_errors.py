"""Bad arguments, traps and load-time type mismatches."""

from __future__ import annotations

import enum
from typing import Any

import pytest
import wbindgen_runtime as rt
from runtime_components.identities import (
    ALL,
    All,
    Big,
    Color,
    Point,
    Shape_Circle,
    Small,
    identity_exports,
    identity_wat,
)
from wasmtime import Engine, Store
from wasmtime.component import Component
from wbindgen_runtime.types import F64, S32, STRING, U32, Func, List, Record

PAD = (0,) * 16


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


@pytest.fixture(scope="module")
def component(engine: Engine) -> Component:
    return Component(engine, identity_wat())


@pytest.fixture()
def inst(engine: Engine, component: Component) -> rt.BoundInstance:
    return rt.instantiate(Store(engine), component, exports=identity_exports())


class Other(enum.Enum):
    RED = 0


BAD: list[tuple[str, Any, type[Exception], str]] = [
    ("u8", 256, ValueError, "param 'x': 256 is out of range for u8 [0, 255]"),
    ("u8", -1, OverflowError, "param 'x': -1 is out of range for u8"),
    ("s8", -129, ValueError, "out of range for s8"),
    ("s16", 32768, ValueError, "out of range for s16"),
    ("u32", 2**32, ValueError, "out of range for u32"),
    ("s64", 2**63, ValueError, "out of range for s64"),
    ("u64", -1, ValueError, "out of range for u64"),
    ("u32", True, TypeError, "param 'x': expected int (u32), got bool"),
    ("s64", 1.0, TypeError, "expected int (s64), got float"),
    ("bool", 1, TypeError, "param 'x': expected bool, got int"),
    ("f64", True, TypeError, "expected float or int (f64), got bool"),
    ("f64", "1", TypeError, "expected float or int"),
    (
        "char",
        "ab",
        ValueError,
        "param 'x': expected a single character (char), got a str of length 2",
    ),
    ("char", "", ValueError, "length 0"),
    ("char", "\ud800", ValueError, "surrogate code point U+D800"),
    ("char", 97, TypeError, "expected str of length 1"),
    ("string", "ok\udfffno", ValueError, "param 'x': lone surrogate U+DFFF at index 2"),
    ("string", b"bytes", TypeError, "param 'x': expected str, got bytes"),
    ("bytes", "str", TypeError, "expected bytes, bytearray or memoryview, got str"),
    ("bytes", [1, 2], TypeError, "expected bytes"),
    ("list-u32", [1, -2], ValueError, "param 'x'[1]: -2 is out of range for u32"),
    ("list-u32", [1, True], TypeError, "param 'x'[1]: expected int (u32), got bool"),
    ("list-u32", "abc", TypeError, "expected a sequence"),
    ("list-string", ["a", "b", "c", 3], TypeError, "param 'x'[3]: expected str, got int"),
    (
        "list-point",
        [Point(1, 2), Point(1, "y")],
        TypeError,
        "param 'x'[1].y: expected float or int (f64), got str",
    ),
    ("point", (1.0, 2.0), TypeError, "param 'x': expected Point, got tuple"),
    (
        "all",
        All(True, 0, 0, 0, 0.0, "", b"", 2**32),
        ValueError,
        "param 'x'.h: 4294967296 is out of range",
    ),
    ("tuple", (1, "a"), ValueError, "expected a tuple of 3 items, got 2"),
    ("tuple", (1, "a", None), TypeError, "param 'x'[2]: expected float or int"),
    (
        "shape",
        Point(1, 2),
        TypeError,
        "param 'x': expected one of Shape_Circle, Shape_Rect, Shape_None, Shape_Label, got Point",
    ),
    (
        "shape",
        Shape_Circle("r"),
        TypeError,
        "param 'x'.value: expected float or int (f64), got str",
    ),
    ("color", Other.RED, TypeError, "param 'x': expected Color, got Other"),
    ("color", "red", TypeError, "expected Color, got str"),
    ("small", Big.F0, TypeError, "param 'x': expected Small, got Big"),
    (
        "opt-opt-u32",
        5,
        TypeError,
        "param 'x': expected Some(...) or None for option<option<u32>>, got int",
    ),
    ("opt-u32", -1, ValueError, "param 'x': -1 is out of range for u32"),
    ("res-u32-string", 5, TypeError, "param 'x': expected Ok(...) or Err(...), got int"),
    ("res-u32-string", rt.Err(5), TypeError, "param 'x'.value: expected str, got int"),
    (
        "res-unit-string",
        rt.Ok(1),
        ValueError,
        "Ok of result<_, string> carries no value, expected Ok(None)",
    ),
    (
        "list-res",
        [rt.Ok(1), rt.Ok("x")],
        TypeError,
        "param 'x'[1].value: expected int (u32), got str",
    ),
]


@pytest.mark.parametrize(
    ("name", "arg", "exc", "message"), BAD, ids=[f"{b[0]}-{i}" for i, b in enumerate(BAD)]
)
def test_bad_arguments_raise_before_wasm_runs(
    inst: rt.BoundInstance, name: str, arg: Any, exc: type[Exception], message: str
) -> None:
    calls = inst.func(None, "calls")
    before = calls()
    f = inst.func(None, f"id-{name}")
    with pytest.raises(exc) as info:
        f(arg, *PAD)
    assert message in str(info.value)
    with pytest.raises(exc):
        f.call_reference(arg, *PAD)
    assert calls() == before, "the guest ran despite a bad argument"
    # The instance is still usable afterwards.
    assert inst.func(None, "id-u32")(3, *PAD) == 3


def test_bad_padding_param_is_named(inst: rt.BoundInstance) -> None:
    before = inst.func(None, "calls")()
    with pytest.raises(ValueError, match="param 'p15': -1 is out of range for u64"):
        inst.func(None, "id-u8")(1, *((0,) * 15 + (-1,)))
    assert inst.func(None, "calls")() == before


def test_wrong_arity_is_a_type_error(inst: rt.BoundInstance) -> None:
    with pytest.raises(TypeError):
        inst.func(None, "sum17")(1, 2)


def test_trap_then_instance_is_unusable(inst: rt.BoundInstance) -> None:
    with pytest.raises(rt.Trap) as info:
        inst.func(None, "boom")()
    assert "unreachable" in str(info.value)
    assert not isinstance(info.value, rt.InstanceTrappedError)
    assert inst.trapped
    with pytest.raises(
        rt.InstanceTrappedError, match="trapped earlier and cannot be entered again"
    ):
        inst.func(None, "calls")()
    with pytest.raises(rt.InstanceTrappedError):
        inst.func(None, "id-string")("x", *PAD)


def test_trap_through_reference_path(inst: rt.BoundInstance) -> None:
    with pytest.raises(rt.Trap):
        inst.func(None, "boom").call_reference()
    with pytest.raises(rt.InstanceTrappedError):
        inst.func(None, "calls").call_reference()


class Pt2:
    pass


def _load(engine: Engine, component: Component, *specs: Any) -> None:
    rt.instantiate(Store(engine), component, exports=list(specs))


def test_type_check_names_the_record_field(engine: Engine, component: Component) -> None:
    bad = Record("point", Pt2, (("x", "x", F64), ("z", "z", F64)))
    with pytest.raises(rt.TypeCheckError) as info:
        _load(
            engine,
            component,
            (
                None,
                "id-point",
                Func((("x", bad),) + tuple((f"p{i}", rt.types.U64) for i in range(16)), bad),
            ),
        )
    assert str(info.value) == (
        "export function 'id-point' param 'x': record field 2: expected 'z: f64', found 'y: f64'"
    )


def test_type_check_errors(engine: Engine, component: Component) -> None:
    pads = tuple((f"p{i}", rt.types.U64) for i in range(16))
    with pytest.raises(
        rt.TypeCheckError, match="export function 'nope': missing from the component"
    ):
        _load(engine, component, (None, "nope", Func()))
    with pytest.raises(rt.TypeCheckError, match="export 'test:x/api': missing from the component"):
        _load(engine, component, ("test:x/api", "f", Func()))
    with pytest.raises(rt.TypeCheckError, match="param 'x': expected s32, found u32"):
        _load(engine, component, (None, "id-u32", Func((("x", S32),) + pads, S32)))
    with pytest.raises(rt.TypeCheckError, match="param 1: expected 'y', found 'x'"):
        _load(engine, component, (None, "id-u32", Func((("y", U32),) + pads, U32)))
    with pytest.raises(rt.TypeCheckError, match="result: expected string, found u32"):
        _load(engine, component, (None, "id-u32", Func((("x", U32),) + pads, STRING)))
    with pytest.raises(rt.TypeCheckError, match="list element: expected u32, found u16"):
        _load(
            engine,
            component,
            (None, "id-list-list-u16", Func((("x", List(List(U32))),) + pads, List(List(U32)))),
        )
    enum_bad = rt.types.Enum("color", Color, ("red", "green", "teal"))
    with pytest.raises(rt.TypeCheckError, match="enum member 3: expected 'teal', found 'blue'"):
        _load(engine, component, (None, "id-color", Func((("x", enum_bad),) + pads, enum_bad)))
    # Extra exports are fine, and a matching subset loads.
    _load(engine, component, (None, "calls", Func((), U32)))
    assert ALL.wit_name == "all" and Small.A
