"""wasmtime's error text -> a ``Trap`` users can act on.

An error from a component call arrives as one text: ``error while executing
at wasm backtrace:``, the frames, then ``Caused by:`` and the chain of causes,
the last being the root (``wasm trap: interrupt``). wasmtime's C API hands out
a ``wasmtime_error_t``, which carries no trap code of its own, so the code is
recovered from the root cause's text: wasmtime prints each ``Trap`` with a
fixed description (its ``Display``), listed here for the codes an application
acts on. tests/test_traps.py produces each of them and checks the mapping.
"""

from __future__ import annotations

import re

from wasmtime import TrapCode

from .errors import Trap

__all__ = ["trap_from_text", "TRAP_DESCRIPTIONS"]

#: wasmtime's description of a trap -> the name of its ``TrapCode``.
_DESCRIPTIONS = {
    "call stack exhausted": "STACK_OVERFLOW",
    "out of bounds memory access": "MEMORY_OUT_OF_BOUNDS",
    "unaligned atomic": "HEAP_MISALIGNED",
    "undefined element: out of bounds table access": "TABLE_OUT_OF_BOUNDS",
    "uninitialized element": "INDIRECT_CALL_TO_NULL",
    "indirect call type mismatch": "BAD_SIGNATURE",
    "integer overflow": "INTEGER_OVERFLOW",
    "integer divide by zero": "INTEGER_DIVISION_BY_ZERO",
    "invalid conversion to integer": "BAD_CONVERSION_TO_INTEGER",
    "wasm `unreachable` instruction executed": "UNREACHABLE",
    "interrupt": "INTERRUPT",
    "all fuel consumed by WebAssembly": "OUT_OF_FUEL",
    "cannot enter component instance": "CANNOT_ENTER_COMPONENT",
}
#: ... and to the code itself, for the codes the installed wasmtime-py names.
TRAP_DESCRIPTIONS: dict[str, TrapCode] = {
    text: getattr(TrapCode, name) for text, name in _DESCRIPTIONS.items() if hasattr(TrapCode, name)
}

_PREFIX = "wasm trap: "
_FRAME = re.compile(r"^\s*\d+:\s")


def _causes(lines: list[str]) -> list[str]:
    """The ``Caused by:`` chain, outermost first, without its numbering."""
    try:
        start = lines.index("Caused by:")
    except ValueError:
        return []
    out = []
    for line in lines[start + 1 :]:
        text = line.strip()
        if not text:
            continue
        m = re.match(r"^\d+:\s*(.*)$", text)
        out.append(m.group(1) if m else text)
    return out


def _backtrace(lines: list[str]) -> tuple[str, ...]:
    frames: list[str] = []
    inside = False
    for line in lines:
        if line.rstrip().endswith("wasm backtrace:"):
            inside = True
            continue
        if inside:
            if _FRAME.match(line):
                frames.append(line.strip())
            elif line.strip():
                break
    return tuple(frames)


def trap_from_text(text: str, exit_code: int | None = None, cls: type[Trap] = Trap) -> Trap:
    """The ``Trap`` (or subclass ``cls``) for wasmtime's error ``text``."""
    lines = text.splitlines()
    causes = _causes(lines)
    root = causes[-1] if causes else next((ln.strip() for ln in lines if ln.strip()), "")
    code = None
    for cause in reversed(causes or [root]):
        if cause.startswith(_PREFIX):
            code = TRAP_DESCRIPTIONS.get(cause[len(_PREFIX) :])
            root = cause
            break
    if exit_code is not None:
        root = f"the component exited with status {exit_code}"
    return cls(root or text, exit_code, code=code, backtrace=_backtrace(lines), details=text)
