"""A trap's code, one-line message and backtrace (runtime/traps.py).

Each trap below is produced by a guest, through the typed plans; its
`Trap.code` is wasmtime-py's `TrapCode`, its message one line, its wasm
backtrace kept apart."""

from __future__ import annotations

import threading

import pytest
import wasmtime
import wbindgen_runtime as rt
from wasmtime import TrapCode
from wbindgen_runtime.types import S32, Func

WAT = """(component
  (core module $m
    (memory 1)
    (func (export "unreachable") unreachable)
    (func (export "div") (result i32) i32.const 1 i32.const 0 i32.div_s)
    (func (export "oob") (result i32) i32.const 999999 i32.load)
    (func $rec (export "rec") call $rec)
    (func (export "spin") (loop br 0)))
  (core instance $i (instantiate $m))
  (func (export "unreachable") (canon lift (core func $i "unreachable")))
  (func (export "div") (result s32) (canon lift (core func $i "div")))
  (func (export "oob") (result s32) (canon lift (core func $i "oob")))
  (func (export "rec") (canon lift (core func $i "rec")))
  (func (export "spin") (canon lift (core func $i "spin"))))
"""
EXPORTS = [
    (None, "unreachable", Func()),
    (None, "div", Func((), S32)),
    (None, "oob", Func((), S32)),
    (None, "rec", Func()),
    (None, "spin", Func()),
]


def instance(config: wasmtime.Config | None = None) -> tuple[wasmtime.Store, rt.BoundInstance]:
    engine = wasmtime.Engine(config) if config is not None else wasmtime.Engine()
    store = wasmtime.Store(engine)
    return store, rt.instantiate(store, WAT.encode(), exports=EXPORTS)


@pytest.mark.parametrize(
    ("name", "code", "text"),
    [
        ("unreachable", TrapCode.UNREACHABLE, "wasm trap: wasm `unreachable` instruction executed"),
        ("div", TrapCode.INTEGER_DIVISION_BY_ZERO, "wasm trap: integer divide by zero"),
        ("oob", TrapCode.MEMORY_OUT_OF_BOUNDS, "wasm trap: out of bounds memory access"),
        ("rec", TrapCode.STACK_OVERFLOW, "wasm trap: call stack exhausted"),
    ],
)
def test_guest_traps_carry_their_code(name: str, code: TrapCode, text: str) -> None:
    _, inst = instance()
    with pytest.raises(rt.Trap) as info:
        inst.func(None, name)()
    trap = info.value
    assert trap.code is code
    assert trap.message == text and str(trap) == text
    assert "\n" not in trap.message
    assert trap.backtrace and all("\n" not in frame for frame in trap.backtrace)
    assert text in trap.details and "wasm backtrace" in trap.details
    # The instance is poisoned: the next call says so, with its own code.
    with pytest.raises(rt.InstanceTrappedError) as again:
        inst.func(None, "div")()
    assert again.value.code is TrapCode.CANNOT_ENTER_COMPONENT
    assert "trapped earlier" in again.value.message


def test_out_of_fuel() -> None:
    config = wasmtime.Config()
    config.consume_fuel = True
    store, inst = instance(config)
    store.set_fuel(10_000)
    with pytest.raises(rt.Trap) as info:
        inst.func(None, "spin")()
    assert info.value.code is TrapCode.OUT_OF_FUEL


def test_an_epoch_deadline_interrupts() -> None:
    config = wasmtime.Config()
    config.epoch_interruption = True
    store, inst = instance(config)
    store.set_epoch_deadline(1)
    timer = threading.Timer(0.05, store.engine.increment_epoch)
    timer.start()
    with pytest.raises(rt.Trap) as info:
        inst.func(None, "spin")()
    timer.join()
    assert info.value.code is TrapCode.INTERRUPT
    assert info.value.message == "wasm trap: interrupt"


def test_a_trap_poisons_the_store_and_the_message_says_so() -> None:
    store, first = instance()
    second = rt.instantiate(store, WAT.encode(), exports=EXPORTS)
    with pytest.raises(rt.Trap):
        first.func(None, "unreachable")()
    with pytest.raises(rt.InstanceTrappedError, match="create a new Store"):
        second.func(None, "div")()


def test_every_listed_description_maps_to_a_code() -> None:
    from wbindgen_runtime.traps import TRAP_DESCRIPTIONS, trap_from_text

    for text, code in TRAP_DESCRIPTIONS.items():
        trap = trap_from_text(f"error while executing\n\nCaused by:\n    wasm trap: {text}\n")
        assert trap.code is code and trap.message == f"wasm trap: {text}"
    plain = trap_from_text("host import 'x' function 'f' raised ValueError: no")
    assert (
        plain.code is None and plain.message == "host import 'x' function 'f' raised ValueError: no"
    )
