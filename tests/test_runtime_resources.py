"""Resources exported by the guest: wrappers, own/borrow, drop and misuse."""

from __future__ import annotations

from pathlib import Path

import pytest
import wbindgen_runtime as rt
from wasmtime import Engine, Store
from wasmtime.component import Component
from wbindgen_runtime.types import U32, Borrow, ExportedResource, Func, Own

HERE = Path(__file__).parent / "runtime_components"


class Counter(rt.GuestResource):
    __slots__ = ()


COUNTER = ExportedResource("counter", Counter)
EXPORTS = [
    (None, "[constructor]counter", Func((("start", U32),), Own(COUNTER))),
    (None, "[method]counter.get", Func((("self", Borrow(COUNTER)),), U32)),
    (None, "[method]counter.inc", Func((("self", Borrow(COUNTER)),))),
    (None, "[static]counter.consume", Func((("c", Own(COUNTER)),), U32)),
    (None, "drops", Func((), U32)),
]


_ENGINE = Engine()


@pytest.fixture(scope="module")
def component() -> Component:
    return Component(_ENGINE, (HERE / "counter.wat").read_text())


@pytest.fixture()
def inst(component: Component) -> rt.BoundInstance:
    return rt.instantiate(Store(_ENGINE), component, exports=EXPORTS)


def test_constructor_method_drop(inst: rt.BoundInstance) -> None:
    new = inst.func(None, "[constructor]counter")
    get = inst.func(None, "[method]counter.get")
    inc = inst.func(None, "[method]counter.inc")
    drops = inst.func(None, "drops")
    c = new(41)
    assert isinstance(c, Counter)
    inc(c)
    assert get(c) == 42
    assert get.call_reference(c) == 42
    assert drops() == 0
    c.drop()
    assert drops() == 1
    assert c.dropped
    with pytest.raises(rt.ResourceError, match="Counter resource was already dropped"):
        get(c)
    with pytest.raises(rt.ResourceError):
        c.drop()


def test_own_param_consumes(inst: rt.BoundInstance) -> None:
    c = inst.func(None, "[constructor]counter")(7)
    assert inst.func(None, "[static]counter.consume")(c) == 7
    assert inst.func(None, "drops")() == 1
    with pytest.raises(rt.ResourceError, match="moved into the component"):
        inst.func(None, "[method]counter.get")(c)


def test_context_manager_drops(inst: rt.BoundInstance) -> None:
    with inst.func(None, "[constructor]counter")(1) as c:
        assert inst.func(None, "[method]counter.get")(c) == 1
    assert c.dropped
    assert inst.func(None, "drops")() == 1


def test_reference_path_resources(inst: rt.BoundInstance) -> None:
    c = inst.func(None, "[constructor]counter").call_reference(5)
    assert isinstance(c, Counter)
    assert inst.func(None, "[method]counter.get")(c) == 5
    assert inst.func(None, "[static]counter.consume").call_reference(c) == 5
    assert c.dropped


def test_wrong_resource_class(inst: rt.BoundInstance) -> None:
    with pytest.raises(TypeError, match="param 'self': expected Counter, got int"):
        inst.func(None, "[method]counter.get")(3)


def test_cannot_construct_directly() -> None:
    with pytest.raises(TypeError, match="created by the component"):
        Counter()


def test_type_check_own_vs_borrow(component: Component) -> None:
    bad = [(None, "[method]counter.get", Func((("self", Own(COUNTER)),), U32))]
    with pytest.raises(
        rt.TypeCheckError, match="param 'self': expected own<counter>, found borrow<resource>"
    ):
        rt.instantiate(Store(_ENGINE), component, exports=bad)
