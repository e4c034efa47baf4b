"""Exceptions raised by the runtime.

Argument validation uses the builtin ``TypeError``, ``ValueError`` and
``OverflowError``; everything else derives from ``WbindgenError``.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "WbindgenError",
    "TypeCheckError",
    "Trap",
    "InstanceTrappedError",
    "ResourceError",
    "LayoutError",
    "ReaderError",
    "InstantiationError",
    "EngineMismatchError",
    "StoreInUseError",
    "StoreClosedError",
    "WasiConfigError",
]


class WbindgenError(Exception):
    """Base class of the runtime's own errors."""


class TypeCheckError(WbindgenError):
    """The component does not match what the bindings were generated for.

    The message names the first mismatch by path, e.g.
    ``export 'test:x/api' function 'g' param 'p': record field 2:
    expected 'y: s32', found 'z: s32'``.
    """


class Trap(WbindgenError):
    """A guest trap or another error reported by wasmtime during a call.

    ``message`` is one line: the root cause wasmtime gives (``wasm trap:
    integer divide by zero``). ``code`` is wasmtime's ``TrapCode`` when the
    cause is a trap (``TrapCode.INTERRUPT`` for an epoch deadline,
    ``TrapCode.OUT_OF_FUEL``, ``TrapCode.UNREACHABLE_CODE_REACHED``, ...), else
    None. ``backtrace`` holds the wasm backtrace lines, ``details`` wasmtime's
    whole text, and ``exit_code`` is set when the guest exited through WASI's
    ``exit``.
    """

    def __init__(
        self,
        message: str,
        exit_code: int | None = None,
        *,
        code: Any = None,
        backtrace: tuple[str, ...] = (),
        details: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
        self.code = code
        self.backtrace = backtrace
        self.details = message if details is None else details


class InstanceTrappedError(Trap):
    """The instance trapped earlier and cannot be entered again."""


class ResourceError(WbindgenError):
    """A resource handle was used after it was dropped or moved (consumed),
    or with an instance or store it does not belong to."""


class LayoutError(WbindgenError, ImportError):
    """wasmtime's C structs do not have the layout this runtime was written for."""


class InstantiationError(WbindgenError):
    """wasmtime refused to instantiate a component that matches the bindings:
    a store limit (memories, instances, tables, memory size), a trap while the
    component started, or an import a user-owned Linker does not define."""


class EngineMismatchError(InstantiationError):
    """The component was compiled by another ``wasmtime.Engine`` than the store's."""


class StoreInUseError(WbindgenError):
    """A store was entered while it was already running a call: from a second
    thread at the same time, or from a finalizer, signal handler or argument
    method while the bindings were lowering arguments or lifting results.
    Calls made by host functions (imports) into the store are allowed."""


class StoreClosedError(WbindgenError):
    """The ``wasmtime.Store`` of this instance was closed (or is being closed)."""


class WasiConfigError(WbindgenError):
    """WASI belongs to a store: a second instance asked for another WASI
    configuration than the one the store already has."""


class ReaderError(WbindgenError):
    """The component binary could not be turned into a world model.

    `offset` is the byte offset in the (binary) input where the problem was
    found; `item` names the import, export or definition being read, when
    known. `unsupported` distinguishes a well-formed component using a feature
    the bindings cannot represent yet from malformed input.
    """

    def __init__(
        self,
        message: str,
        offset: int,
        item: str | None = None,
        *,
        unsupported: bool = False,
    ) -> None:
        super().__init__(message, offset, item)
        self.message = message
        self.offset = offset
        self.item = item
        self.unsupported = unsupported

    def __str__(self) -> str:
        what = "unsupported component" if self.unsupported else "malformed component"
        where = f" ({self.item})" if self.item else ""
        return f"{what} at byte {self.offset:#x}{where}: {self.message}"
