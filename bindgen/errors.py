"""Errors the generator reports to its user.

Expected failures (bad input) are exceptions carrying enough context for a
one-line message; the CLI prints `str(error)` and exits non-zero, so no
traceback is shown for them.
"""

from __future__ import annotations


class ReaderError(Exception):
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
