"""Values cross process boundaries by pickle; what lives in one process does not.

Generated values (records, variant cases, enums, flags, ``Some``/``Ok``/``Err``
and any nesting of them in lists, tuples and each other) round-trip equal, with
the same classes, through every pickle protocol from 2 up and through
``copy.deepcopy``: that is what process pools and dask send. A world instance,
its ``BoundInstance``, a prepared component (``Prepared`` and the generated
``*Pre``) and a resource wrapper hold a ``wasmtime.Store`` or compiled code of
this process: pickling (or copying) one is refused with a ``TypeError`` that
names it and says what to send instead.
"""

from __future__ import annotations

import copy
import math
import pickle
import sys
from collections.abc import Iterator
from dataclasses import fields, is_dataclass
from typing import Any

import pytest
import wasmtime
from hypothesis import given, settings
from hypothesis import strategies as st
from support.components import GENERATED, ROOT

sys.path.insert(0, str(GENERATED))

import kitchen_sink as ks  # noqa: E402
import wbindgen_runtime as rt  # noqa: E402
from kitchen_sink.exports import api  # noqa: E402
from kitchen_sink.imports import types as t  # noqa: E402

DEMO = ROOT / "examples" / "kitchen_sink.wat"
PROTOCOLS = list(range(2, pickle.HIGHEST_PROTOCOL + 1))

SCALARS = api.AllScalars(
    True, -128, 255, -(2**15), 2**16 - 1, -(2**31), 2**32 - 1, -(2**63), 2**64 - 1,
    -math.inf, -0.0, "\U0010ffff",
)

VALUES: dict[str, Any] = {
    "record": t.Point(1, -2),
    "record-twin": t.Offset(1, -2),
    "record-of-scalars": SCALARS,
    "case-without-payload": t.Shape_None(),
    "case-float": t.Shape_Circle(1.5),
    "case-record": t.Shape_Rect(t.Point(3, 4)),
    "case-string": t.Shape_Named("ünïcödé 😀"),
    "enum": t.Color.BLUE_ISH,
    "flags": t.Perms.READ | t.Perms.EXEC,
    "flags-empty": t.Perms(0),
    "flags-32": api.Many.F0 | api.Many.F31,
    "some-none": ks.Some(None),
    "some-some": ks.Some(ks.Some(7)),
    "ok": ks.Ok(1),
    "ok-none": ks.Ok(None),
    "err": ks.Err("bad"),
    "err-none": ks.Err(None),
    "results-of-values": [ks.Ok(t.Point(1, 2)), ks.Err(t.Shape_Circle(0.5)), ks.Ok(None)],
    "nested": {
        "shapes": [t.Shape_Rect(t.Point(i, -i)) for i in range(3)] + [t.Shape_None()],
        "pair": (255, "z"),
        "opt": ks.Some(ks.Some(t.Shape_Named("n"))),
        "both": ks.Ok(ks.Err([t.Color.RED, t.Color.GREEN])),
        "bytes": b"\x00\xff" * 4,
    },
}


def same(a: Any, b: Any, at: str = "value") -> None:
    """Equal, and of the very same classes all the way down (``==`` alone would
    let a list come back as a tuple, or an enum member as its int)."""
    assert type(a) is type(b), f"{at}: {type(a).__name__} became {type(b).__name__}"
    if isinstance(a, (list, tuple)):
        assert len(a) == len(b), at
        for k, (x, y) in enumerate(zip(a, b)):
            same(x, y, f"{at}[{k}]")
    elif isinstance(a, dict):
        assert a.keys() == b.keys(), at
        for k in a:
            same(a[k], b[k], f"{at}[{k!r}]")
    elif isinstance(a, (rt.Some, rt.Ok, rt.Err)):
        same(a.value, b.value, f"{at}.value")
    elif is_dataclass(a):
        for f in fields(a):
            same(getattr(a, f.name), getattr(b, f.name), f"{at}.{f.name}")
    elif isinstance(a, float) and math.isnan(a):
        assert math.isnan(b), at
    else:
        assert a == b, f"{at}: {a!r} became {b!r}"
    if not (isinstance(a, float) and math.isnan(a)):
        assert a == b, at


@pytest.mark.parametrize("protocol", PROTOCOLS)
@pytest.mark.parametrize("name", list(VALUES))
def test_values_round_trip_through_pickle(name: str, protocol: int) -> None:
    value = VALUES[name]
    same(value, pickle.loads(pickle.dumps(value, protocol)))


def _leaves() -> st.SearchStrategy[Any]:
    i32 = st.integers(-(2**31), 2**31 - 1)
    point = st.builds(t.Point, i32, i32)
    return st.one_of(
        point,
        st.builds(t.Offset, i32, i32),
        st.just(t.Shape_None()),
        st.builds(t.Shape_Circle, st.floats(allow_nan=False)),
        st.builds(t.Shape_Rect, point),
        st.builds(t.Shape_Named, st.text()),
        st.sampled_from(list(t.Color)),
        st.builds(t.Perms, st.integers(0, 7)),
        st.builds(api.Many, st.integers(0, 2**32 - 1)),
        st.integers(0, 2**64 - 1),
        st.text(),
        st.binary(max_size=64),
        st.none(),
    )


#: Any nesting of generated values in Some/Ok/Err, lists and tuples.
NESTED = st.recursive(
    _leaves(),
    lambda inner: st.one_of(
        st.builds(ks.Some, inner),
        st.builds(ks.Ok, inner),
        st.builds(ks.Err, inner),
        st.lists(inner, max_size=4),
        st.tuples(inner, inner),
    ),
    max_leaves=12,
)


@settings(max_examples=50, deadline=None)
@given(value=NESTED, protocol=st.sampled_from(PROTOCOLS))
def test_nested_values_round_trip(value: Any, protocol: int) -> None:
    same(value, pickle.loads(pickle.dumps(value, protocol)))
    same(value, copy.deepcopy(value))


@pytest.mark.parametrize("name", list(VALUES))
def test_values_round_trip_through_deepcopy(name: str) -> None:
    value = VALUES[name]
    back = copy.deepcopy(value)
    same(value, back)
    if isinstance(value, (list, dict, rt.Some, rt.Ok, rt.Err)) or is_dataclass(value):
        assert back is not value  # a copy, not the same object


def test_enum_and_flags_members_come_back_as_the_members() -> None:
    for member in (t.Color.RED, t.Perms.WRITE, api.Many.F31):
        for protocol in PROTOCOLS:
            assert pickle.loads(pickle.dumps(member, protocol)) is member


def test_err_keeps_its_args_and_is_still_raisable() -> None:
    back = pickle.loads(pickle.dumps(ks.Err(value="kw")))
    assert back.args == ("kw",) and back.value == "kw"
    with pytest.raises(ks.Err) as info:
        raise back
    assert info.value.value == "kw"


@pytest.fixture
def inst() -> ks.KitchenSink:
    return ks.KitchenSink.instantiate(wasmtime.Store(), str(DEMO))


def test_values_the_runtime_lifted_round_trip(inst: ks.KitchenSink) -> None:
    """Values built by the runtime's lifting code (not by their constructors)."""
    lifted = [
        inst.api.echo_scalars(SCALARS),
        inst.api.echo_points([t.Point(1, 2), t.Point(-3, 4)]),
        inst.api.echo_shape(t.Shape_Rect(t.Point(3, 4))),
        inst.api.echo_shape(t.Shape_None()),
        inst.api.echo_color(t.Color.GREEN),
        inst.api.echo_perms(t.Perms.READ | t.Perms.WRITE),
        inst.api.echo_many(api.Many.F1 | api.Many.F30),
        inst.api.echo_opt(ks.Some(None)),
        inst.api.echo_opt(ks.Some(5)),
        inst.api.echo_results([ks.Ok(1), ks.Err("bad"), ks.Ok(2**32 - 1)]),
        inst.api.echo_tuple((255, "z")),
        inst.api.echo_bytes(b"\x00\x01" * 64),
        inst.api.echo_offset(t.Offset(5, 6)),
    ]
    for protocol in PROTOCOLS:
        same(lifted, pickle.loads(pickle.dumps(lifted, protocol)))
    same(lifted, copy.deepcopy(lifted))


def test_errors_raised_by_calls_round_trip(inst: ks.KitchenSink) -> None:
    """A worker's exception reaches the caller by pickle: ``Err``, argument
    errors and ``Trap`` keep their class and what they carry."""
    raised: list[BaseException] = []
    with pytest.raises(ks.Err) as err:
        inst.api.checked_div(1, 0)
    raised.append(err.value)
    with pytest.raises(rt.OutOfRangeError) as oor:
        inst.api.add(2**32, 0)
    raised.append(oor.value)
    with pytest.raises(TypeError) as te:
        inst.api.echo_points([t.Point(1, "2")])  # type: ignore[arg-type]
    raised.append(te.value)
    with pytest.raises(rt.Trap) as trap:
        inst.api.checked_div(-(2**31), -1)
    raised.append(trap.value)
    for protocol in PROTOCOLS:
        for exc in raised:
            back = pickle.loads(pickle.dumps(exc, protocol))
            assert type(back) is type(exc)
            assert str(back) == str(exc)
            assert back.args == exc.args
    back_trap = pickle.loads(pickle.dumps(trap.value))
    assert back_trap.code == trap.value.code and back_trap.code is not None
    assert back_trap.message == trap.value.message
    assert back_trap.backtrace == trap.value.backtrace
    assert back_trap.details == trap.value.details
    assert pickle.loads(pickle.dumps(err.value)).value == "division by zero"


# --- what lives in one process is refused -------------------------------------------


@pytest.fixture
def in_process() -> Iterator[dict[str, tuple[object, str]]]:
    """Objects that hold a Store or compiled code, with the hint each message gives."""
    engine = wasmtime.Engine()
    pre = ks.KitchenSink.prepare(engine, str(DEMO))
    inst = pre.instantiate(wasmtime.Store(engine))
    counter = inst.api.counter(1)
    yield {
        "KitchenSink": (inst, "Send the values"),
        "BoundInstance": (inst._bound, "Send the values"),
        "KitchenSinkPre": (pre, "KitchenSink.prepare(engine, path)"),
        "Prepared": (pre.prepared, "prepare it once in each process"),
        "Counter": (counter, "send the values it holds"),
    }
    counter.drop()


@pytest.mark.parametrize(
    "name", ["KitchenSink", "BoundInstance", "KitchenSinkPre", "Prepared", "Counter"]
)
def test_pickling_what_lives_in_one_process_is_refused(
    in_process: dict[str, tuple[object, str]], name: str
) -> None:
    obj, hint = in_process[name]
    for protocol in PROTOCOLS:
        with pytest.raises(TypeError, match=rf"^{name} .*this process.*cannot be pickled") as info:
            pickle.dumps(obj, protocol)
        assert hint in str(info.value)
    # Held inside a value, it is refused with the same message.
    with pytest.raises(TypeError, match=rf"^{name} .*cannot be pickled"):
        pickle.dumps({"results": [t.Point(1, 2)], "by": obj})


@pytest.mark.parametrize("name", ["KitchenSink", "BoundInstance", "KitchenSinkPre", "Prepared"])
def test_copying_an_instance_or_prepared_component_is_refused(
    in_process: dict[str, tuple[object, str]], name: str
) -> None:
    """A copy would share (shallow) or try to duplicate (deep) the Store and
    compiled code underneath: both are refused with the same message."""
    obj, _ = in_process[name]
    for copier in (copy.copy, copy.deepcopy):
        with pytest.raises(TypeError, match=rf"^{name} .*cannot be pickled or copied"):
            copier(obj)


def test_copying_a_resource_wrapper_is_refused(
    in_process: dict[str, tuple[object, str]],
) -> None:
    counter, _ = in_process["Counter"]
    for copier in (copy.copy, copy.deepcopy):
        with pytest.raises(TypeError, match="^Counter wraps one handle .* cannot be copied"):
            copier(counter)


def test_a_refused_pickle_leaves_the_instance_working(
    in_process: dict[str, tuple[object, str]],
) -> None:
    inst, _ = in_process["KitchenSink"]
    assert isinstance(inst, ks.KitchenSink)
    with pytest.raises(TypeError):
        pickle.dumps(inst)
    assert inst.api.echo_points([t.Point(1, 2)]) == [t.Point(1, 2)]
    counter, _ = in_process["Counter"]
    assert isinstance(counter, api.Counter)
    with pytest.raises(TypeError):
        pickle.dumps(counter)
    assert counter.incr(2) == 3
