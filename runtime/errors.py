"""Exceptions raised by the runtime.

Argument validation uses the builtin ``TypeError``, ``ValueError`` and
``OverflowError``; everything else derives from ``WbindgenError``.
"""

from __future__ import annotations

__all__ = [
    "WbindgenError",
    "TypeCheckError",
    "Trap",
    "InstanceTrappedError",
    "ResourceError",
    "LayoutError",
    "ReaderError",
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

    ``message`` is wasmtime's own message; ``exit_code`` is set when the guest
    exited through WASI's ``proc_exit``.
    """

    def __init__(self, message: str, exit_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


class InstanceTrappedError(Trap):
    """The instance trapped earlier and cannot be entered again."""


class ResourceError(WbindgenError):
    """A resource handle was used after it was dropped or moved (consumed)."""


class LayoutError(WbindgenError, ImportError):
    """wasmtime's C structs do not have the layout this runtime was written for."""


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
