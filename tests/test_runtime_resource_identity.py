"""The load-time check tells resources of the same shape apart: which resource an
own/borrow names, not only own vs borrow."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import wbindgen_runtime as rt
from support.wasmtime_bugs import HOST_BORROW_INTO_EXPORT
from wasmtime import Engine, Store
from wasmtime.component import Component
from wbindgen_runtime.types import U32, Borrow, ExportedResource, Func, ImportedResource, Own

HERE = Path(__file__).parent / "runtime_components"
IFACE = "test:rt/twins"
_ENGINE = Engine()


class Apple(rt.GuestResource):
    __slots__ = ()


class Pear(rt.GuestResource):
    __slots__ = ()


APPLE = ExportedResource("apple", Apple)
PEAR = ExportedResource("pear", Pear)
LEFT = ImportedResource("left")
RIGHT = ImportedResource("right")


class Thing:
    def __init__(self, v: int) -> None:
        self.v = v


@pytest.fixture(scope="module")
def component() -> Component:
    return Component(_ENGINE, (HERE / "twins.wat").read_text())


def exports(**swap: Func) -> list[tuple[str | None, str, Func]]:
    funcs = {
        "[constructor]apple": Func((("v", U32),), Own(APPLE)),
        "[constructor]pear": Func((("v", U32),), Own(PEAR)),
        "[method]apple.get": Func((("self", Borrow(APPLE)),), U32),
        "[method]pear.get": Func((("self", Borrow(PEAR)),), U32),
        "peek-left": Func((("x", Borrow(LEFT)),), U32),
    }
    funcs.update({k.replace("_", "-"): v for k, v in swap.items()})
    return [(None, name, f) for name, f in funcs.items()]


def load(component: Component, ex: Any = None, peek_left: Func | None = None) -> rt.BoundInstance:
    return rt.instantiate(
        Store(_ENGINE),
        component,
        exports=exports() if ex is None else ex,
        imports=[
            (IFACE, "peek-left", peek_left or Func((("x", Borrow(LEFT)),), U32), lambda t: t.v),
            (IFACE, "peek-right", Func((("x", Borrow(RIGHT)),), U32), lambda t: t.v),
        ],
        resources=[(IFACE, "left", LEFT), (IFACE, "right", RIGHT)],
    )


def test_matching_bindings_load_and_run(component: Component) -> None:
    inst = load(component)
    apple = inst.func(None, "[constructor]apple")(5)
    assert isinstance(apple, Apple)
    assert inst.func(None, "[method]apple.get")(apple) == 5


@HOST_BORROW_INTO_EXPORT.needs_fix
def test_matching_bindings_lend_a_host_object(component: Component) -> None:
    assert load(component).func(None, "peek-left")(Thing(9)) == 9


def test_swapped_exported_resource_is_refused(component: Component) -> None:
    bad = exports(**{"[method]apple.get": Func((("self", Borrow(PEAR)),), U32)})
    with pytest.raises(
        rt.TypeCheckError,
        match=r"export function '\[method\]apple.get' param 'self': "
        r"expected borrow<pear>, found borrow<apple> \(pear is bound to resource 'pear'",
    ):
        load(component, bad)


def test_swapped_own_result_is_refused(component: Component) -> None:
    bad = exports(**{"[constructor]pear": Func((("v", U32),), Own(APPLE))})
    with pytest.raises(
        rt.TypeCheckError,
        match=r"export function '\[constructor\]pear' result: expected own<apple>, found own<pear>",
    ):
        load(component, bad)


def test_swapped_imported_resource_in_an_import_is_refused(component: Component) -> None:
    with pytest.raises(
        rt.TypeCheckError,
        match=r"import 'test:rt/twins' function 'peek-left' param 'x': "
        r"expected borrow<right>, found borrow<left> "
        r"\(right is bound to import 'test:rt/twins' resource 'right'\)",
    ):
        load(component, peek_left=Func((("x", Borrow(RIGHT)),), U32))


def test_imported_resource_in_an_export_is_checked(component: Component) -> None:
    bad = exports(peek_left=Func((("x", Borrow(RIGHT)),), U32))
    with pytest.raises(
        rt.TypeCheckError,
        match=r"export function 'peek-left' param 'x': expected borrow<right>, found borrow<left>",
    ):
        load(component, bad)


def test_descriptor_without_an_item_is_bound_at_first_use(component: Component) -> None:
    class Fruit(rt.GuestResource):
        __slots__ = ()

    fruit = ExportedResource("fruit", Fruit)  # no item of that name: bound by its first use
    bad = [
        (None, "[method]apple.get", Func((("self", Borrow(fruit)),), U32)),
        (None, "[method]pear.get", Func((("self", Borrow(fruit)),), U32)),
    ]
    with pytest.raises(
        rt.TypeCheckError,
        match=r"export function '\[method\]pear.get' param 'self': expected borrow<fruit>, "
        r"found borrow<pear> "
        r"\(fruit is bound to export function '\[method\]apple.get' param 'self'\)",
    ):
        load(component, bad)
