"""Errors the generator reports to its user.

Expected failures (bad input) are exceptions carrying enough context for a
one-line message; the CLI prints `str(error)` and exits non-zero, so no
traceback is shown for them.
"""

from __future__ import annotations

# The reader lives in the runtime (the loader checks bytes before compiling);
# its error is the generator's too.
from wbindgen_runtime.errors import ReaderError

__all__ = ["ReaderError"]
