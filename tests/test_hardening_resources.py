"""Resource misuse and traps in the middle of a call: a clear error each
time, no crash, nothing left behind (handle tables empty, the instance
usable when it did not trap, refused when it did)."""

from __future__ import annotations

import gc
import weakref
from typing import Any

import pytest
import wbindgen_runtime as rt
from runtime_components import wat
from support.wasmtime_bugs import HOST_BORROW_INTO_EXPORT
from test_runtime_imports import BLOB, Blob, Host, bind
from test_runtime_imports import EXPORTS as IMPORT_EXPORTS
from test_runtime_imports import HERE as IMPORTS_HERE
from test_runtime_resources import EXPORTS, HERE
from wasmtime import Engine, Store
from wasmtime.component import Component
from wbindgen_runtime.types import STRING, U32, U64, Borrow, Func, Own, Result

ENGINE = Engine()
COUNTER = Component(ENGINE, (HERE / "counter.wat").read_text())
HOST = Component(ENGINE, (IMPORTS_HERE / "host.wat").read_text())


def counter_instance() -> rt.BoundInstance:
    return rt.instantiate(Store(ENGINE), COUNTER, exports=EXPORTS)


def f(inst: rt.BoundInstance, name: str) -> rt.TypedFunc:
    return inst.func(None, name)


# --------------------------------------------------------------------------
# Guest (exported) resources.


def test_double_drop_and_drop_after_move_are_clear_errors() -> None:
    inst = counter_instance()
    c = f(inst, "[constructor]counter")(1)
    c.drop()
    with pytest.raises(rt.ResourceError, match="already dropped"):
        c.drop()
    m = f(inst, "[constructor]counter")(2)
    assert f(inst, "[static]counter.consume")(m) == 2
    with pytest.raises(rt.ResourceError, match="moved into the component"):
        m.drop()
    with pytest.raises(rt.ResourceError, match="moved into the component"):
        f(inst, "[static]counter.consume")(m)  # a second move
    assert f(inst, "drops")() == 2  # the guest ran each destructor exactly once


@pytest.mark.parametrize("path", ["fast", "reference"])
def test_use_after_drop_or_move_raises_before_wasm_runs(path: str) -> None:
    inst = counter_instance()
    get = f(inst, "[method]counter.get")
    call = get if path == "fast" else get.call_reference
    dropped = f(inst, "[constructor]counter")(1)
    dropped.drop()
    moved = f(inst, "[constructor]counter")(2)
    f(inst, "[static]counter.consume")(moved)
    for bad, what in (
        (dropped, "already dropped"),
        (moved, "moved into the component"),
    ):
        with pytest.raises(rt.ResourceError, match=what):
            call(bad)
    # the instance is fine afterwards
    assert get(f(inst, "[constructor]counter")(7)) == 7


def test_with_block_after_an_explicit_drop_does_not_drop_twice() -> None:
    inst = counter_instance()
    with f(inst, "[constructor]counter")(1) as c:
        c.drop()
    assert f(inst, "drops")() == 1


def test_wrapper_of_another_instance_is_refused() -> None:
    store = Store(ENGINE)
    a = rt.instantiate(store, COUNTER, exports=EXPORTS)
    b = rt.instantiate(store, COUNTER, exports=EXPORTS)  # same store, other instance
    c = rt.instantiate(Store(ENGINE), COUNTER, exports=EXPORTS)  # other store
    w = f(a, "[constructor]counter")(3)
    for other in (b, c):
        for name in ("[method]counter.get", "[static]counter.consume"):
            with pytest.raises(rt.ResourceError, match="belongs to another instance"):
                f(other, name)(w)
        assert f(other, "[method]counter.get")(f(other, "[constructor]counter")(4)) == 4
    assert f(a, "[method]counter.get")(w) == 3  # untouched: not consumed by the refusal


def test_wrapper_of_another_instance_through_the_reference_path() -> None:
    """wasmtime's dynamic API refuses too (a Trap naming the mismatch); it
    also leaves that instance unenterable, which the runtime reports."""
    a, b = counter_instance(), counter_instance()
    w = f(a, "[constructor]counter")(3)
    with pytest.raises(rt.Trap, match="mismatched resource types"):
        f(b, "[method]counter.get").call_reference(w)
    assert f(a, "[method]counter.get")(w) == 3


def test_store_released_with_live_resources() -> None:
    store = Store(ENGINE)
    inst = rt.instantiate(store, COUNTER, exports=EXPORTS)
    live = [f(inst, "[constructor]counter")(i) for i in range(5)]
    get = f(inst, "[method]counter.get")
    store_ref = weakref.ref(store)
    del inst, store
    gc.collect()
    # wrappers keep what they need alive: still usable, no crash
    assert get(live[0]) == 0
    live[1].drop()
    del get
    gc.collect()
    live[2].drop()
    del live  # three live wrappers collected: they never call into wasm
    gc.collect()
    assert store_ref() is None, "the store outlived every wrapper and function"


# --------------------------------------------------------------------------
# Host (imported) resources.


@HOST_BORROW_INTO_EXPORT.needs_fix
def test_host_keeps_a_borrowed_object_past_the_call() -> None:
    """The host's `read(self)` receives the very object; keeping it and
    passing it back later (as borrow, then as own) works and leaks nothing."""
    kept: list[Any] = []

    class KeepingBlob(Blob):
        def read(self) -> str:
            kept.append(self)
            return super().read()

    host = Host()
    inst = rt.instantiate(
        Store(ENGINE), HOST,
        exports=IMPORT_EXPORTS,
        imports=[
            ("test:rt/host", "add", Func((("a", U32), ("b", U32)), U32), host.add),
            ("test:rt/host", "greet", Func((("name", STRING),), STRING), host.greet),
            ("test:rt/host", "check", Func((("x", U32),), Result(U32, STRING), raises=True), host.check),
            ("test:rt/host", "boom", Func(), host.boom),
            ("test:rt/host", "[constructor]blob", Func((("init", STRING),), Own(BLOB)),
             lambda s: KeepingBlob(host.log, s)),
            ("test:rt/host", "[method]blob.read", Func((("self", Borrow(BLOB)),), STRING),
             KeepingBlob.read),
        ],
        resources=[("test:rt/host", "blob", BLOB)],
    )  # fmt: skip
    assert f(inst, "blob-roundtrip")("abc") == "ABC"  # guest: new, read (borrow), drop
    (obj,) = kept
    assert host.log == ["new abc", "drop abc"]  # dropped by the guest, kept by the host
    table = inst.state.tables[BLOB]
    assert not table.objects
    assert f(inst, "read-borrowed")(obj) == "ABC"  # registered for that call only
    assert not table.objects
    assert f(inst, "echo-own")(obj) is obj
    f(inst, "take-own")(obj)
    assert host.log[-1] == "drop abc" and not table.objects


def test_host_object_returned_twice_as_own() -> None:
    host = Host()
    inst = bind(ENGINE, HOST, host)
    b = Blob(host.log, "twice")
    assert f(inst, "echo-own")(b) is b
    assert f(inst, "echo-own")(b) is b
    f(inst, "take-own")(b)
    assert not inst.state.tables[BLOB].objects


def test_host_returning_a_wrong_object_is_a_clear_error() -> None:
    host = Host()
    inst = rt.instantiate(
        Store(ENGINE), HOST,
        exports=IMPORT_EXPORTS,
        imports=[
            ("test:rt/host", "add", Func((("a", U32), ("b", U32)), U32), lambda a, b: "not an int"),
            ("test:rt/host", "greet", Func((("name", STRING),), STRING), lambda n: 42),
            ("test:rt/host", "check", Func((("x", U32),), Result(U32, STRING), raises=True), host.check),
            ("test:rt/host", "boom", Func(), host.boom),
            ("test:rt/host", "[constructor]blob", Func((("init", STRING),), Own(BLOB)), lambda s: None),
            ("test:rt/host", "[method]blob.read", Func((("self", Borrow(BLOB)),), STRING), Blob.read),
        ],
        resources=[("test:rt/host", "blob", BLOB)],
    )  # fmt: skip
    with pytest.raises(
        TypeError, match="host import 'test:rt/host' function 'add' result"
    ):
        f(inst, "call-add")(1, 2)
    with pytest.raises((rt.InstanceTrappedError, TypeError)):
        f(inst, "call-greet")("x")


# --------------------------------------------------------------------------
# A guest realloc that traps while the runtime lowers arguments or results.

TRAPPING_ALLOC = wat.ALLOC.replace(
    "(local $p i32)\n",
    "(local $p i32)\n      local.get $new_size i32.const 4096 i32.gt_u (if (then unreachable))\n",
    1,
)


def trapping_component() -> Component:
    text = wat.identity_component(
        [wat.Identity("string", "string"), wat.Identity("list", "(list string)")]
    )
    return Component(ENGINE, text.replace(wat.ALLOC, TRAPPING_ALLOC))


def test_realloc_trap_while_lowering_is_a_trap_and_poisons_only_that_instance() -> None:
    comp = trapping_component()
    pads = (0,) * 16
    exports = [
        (
            None,
            "id-string",
            Func((("x", STRING),) + tuple((f"p{i}", U64) for i in range(16)), STRING),
        )
    ]
    inst = rt.instantiate(Store(ENGINE), comp, exports=exports)
    g = f(inst, "id-string")
    assert g("small", *pads) == "small"
    with pytest.raises(rt.Trap) as info:
        g("x" * 10_000, *pads)
    assert "unreachable" in str(info.value) or "trap" in str(info.value).lower()
    with pytest.raises(rt.InstanceTrappedError):
        g("small", *pads)
    other = rt.instantiate(Store(ENGINE), comp, exports=exports)
    assert f(other, "id-string")("small", *pads) == "small"


def test_host_exception_while_lowering_its_result_propagates() -> None:
    host = Host()

    class Boom(Exception):
        pass

    def greet(name: str) -> str:
        raise Boom(name)

    host.greet = greet  # type: ignore[method-assign]
    inst = bind(ENGINE, HOST, host)
    with pytest.raises(Boom):
        f(inst, "call-greet")("x")
    with pytest.raises(rt.InstanceTrappedError):  # the guest was unwound
        f(inst, "call-add")(1, 2)
