"""The one error the WIT front end raises: `WitError`, carrying the file, line,
column and offending token, so the CLI can print one line that points at it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Source:
    """One WIT file's text, kept for turning offsets into lines and columns."""

    path: Path
    text: str

    def line_col(self, offset: int) -> tuple[int, int]:
        line = self.text.count("\n", 0, offset) + 1
        col = offset - (self.text.rfind("\n", 0, offset) + 1) + 1
        return line, col


@dataclass(frozen=True)
class Span:
    source: Source
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.source.text[self.start : self.end]


class WitError(Exception):
    """Bad WIT input: syntax, resolution or validation. `str()` is
    `path:line:col: message (at 'token')` when the place is known."""

    def __init__(self, message: str, span: Span | None = None, *, path: Path | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.span = span
        self.path = span.source.path if span is not None else path
        self.line: int | None = None
        self.column: int | None = None
        self.token: str | None = None
        if span is not None:
            self.line, self.column = span.source.line_col(span.start)
            self.token = span.text

    def __str__(self) -> str:
        if self.span is None:
            return f"{self.path}: {self.message}" if self.path is not None else self.message
        token = self.token or ""
        if len(token) > 40:
            token = token[:37] + "..."
        at = f" (at {token!r})" if token else " (at end of file)"
        return f"{self.path}:{self.line}:{self.column}: {self.message}{at}"
