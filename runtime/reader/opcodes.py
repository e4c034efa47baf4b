"""Byte-level constants of the component binary format (Binary.md): the
preamble, primitive and sort opcodes, canonical built-ins with their
immediates, and the type opcodes the bindings cannot represent yet."""

from __future__ import annotations

import enum

from .names import PrimName

MAGIC = b"\x00asm"
COMPONENT_VERSION = b"\x0d\x00\x01\x00"
CORE_VERSION = b"\x01\x00\x00\x00"

PRIMITIVES: dict[int, PrimName] = {
    0x7F: "bool", 0x7E: "s8", 0x7D: "u8", 0x7C: "s16", 0x7B: "u16", 0x7A: "s32",
    0x79: "u32", 0x78: "s64", 0x77: "u64", 0x76: "f32", 0x75: "f64", 0x74: "char",
    0x73: "string",
}  # fmt: skip

CORE_SORTS: dict[int, str] = {
    0x00: "func", 0x01: "table", 0x02: "memory", 0x03: "global", 0x04: "tag",
    0x10: "type", 0x11: "module", 0x12: "instance",
}  # fmt: skip

# Canonical built-ins beyond lift/lower/resource.{new,drop,rep} (component-
# model async and threads) and their immediates. They only define core
# functions used inside the component, so they are read past and counted; an
# async *export* is refused where it is lifted, and async *types* where they
# are defined.


class Imm(enum.Enum):
    """The kinds of immediate a canonical built-in carries."""

    TYPE = "type index"
    OPTS = "canonical options"
    FLAG = "async?/cancel?/shared? flag"
    CORE_VALTYPE = "core value type"
    U32 = "u32"
    MEMORY = "core memory index"
    CORE_TYPE = "core type index"
    TABLE = "core table index"
    RESULTS = "result list"


_T, _O, _A, _V, _U = Imm.TYPE, Imm.OPTS, Imm.FLAG, Imm.CORE_VALTYPE, Imm.U32
_M, _CT, _TB, _R = Imm.MEMORY, Imm.CORE_TYPE, Imm.TABLE, Imm.RESULTS
BUILTINS: dict[int, tuple[str, tuple[Imm, ...]]] = {
    0x05: ("task.cancel", ()), 0x06: ("subtask.cancel", (_A,)),
    0x07: ("resource.drop async", (_T,)), 0x08: ("backpressure.set", ()),
    0x09: ("task.return", (_R, _O)), 0x0A: ("context.get", (_V, _U)),
    0x0B: ("context.set", (_V, _U)), 0x0C: ("thread.yield", (_A,)),
    0x0D: ("subtask.drop", ()), 0x0E: ("stream.new", (_T,)),
    0x0F: ("stream.read", (_T, _O)), 0x10: ("stream.write", (_T, _O)),
    0x11: ("stream.cancel-read", (_T, _A)), 0x12: ("stream.cancel-write", (_T, _A)),
    0x13: ("stream.drop-readable", (_T,)), 0x14: ("stream.drop-writable", (_T,)),
    0x15: ("future.new", (_T,)), 0x16: ("future.read", (_T, _O)),
    0x17: ("future.write", (_T, _O)), 0x18: ("future.cancel-read", (_T, _A)),
    0x19: ("future.cancel-write", (_T, _A)), 0x1A: ("future.drop-readable", (_T,)),
    0x1B: ("future.drop-writable", (_T,)), 0x1C: ("error-context.new", (_O,)),
    0x1D: ("error-context.debug-message", (_O,)), 0x1E: ("error-context.drop", ()),
    0x1F: ("waitable-set.new", ()), 0x20: ("waitable-set.wait", (_A, _M)),
    0x21: ("waitable-set.poll", (_A, _M)), 0x22: ("waitable-set.drop", ()),
    0x23: ("waitable.join", ()), 0x24: ("backpressure.inc", ()),
    0x25: ("backpressure.dec", ()), 0x26: ("thread.index", ()),
    0x27: ("thread.new-indirect", (_CT, _TB)), 0x28: ("thread.resume-later", ()),
    0x29: ("thread.suspend", (_A,)), 0x2A: ("thread.suspend-then-resume", (_A,)),
    0x2B: ("thread.yield-then-resume", (_A,)), 0x2C: ("thread.suspend-then-promote", (_A,)),
    0x2D: ("thread.yield-then-promote", (_A,)), 0x40: ("thread.spawn-ref", (_A, _CT)),
    0x41: ("thread.spawn-indirect", (_A, _CT, _TB)),
    0x42: ("thread.available-parallelism", (_A,)),
}  # fmt: skip

UNSUPPORTED_TYPES: dict[int, str] = {
    0x67: "fixed-size list",
    0x66: "stream",
    0x65: "future",
    0x64: "error-context",
    0x63: "map",
}

# Why component-model-async items are refused: not a gap in wbindgen, but in
# the wasmtime-py API the bindings call through.
ASYNC_VALUES_WHY = (
    "wasmtime-py's API cannot pass component-model-async values (futures, streams, error-context)"
)


def unsupported_type_message(opcode: int) -> str:
    what = UNSUPPORTED_TYPES[opcode]
    if what in ("stream", "future", "error-context"):
        return f"{what} types cannot be bound: {ASYNC_VALUES_WHY}"
    return f"{what} types are not supported yet"
