"""Generated plan source, compiled so that tracebacks and debuggers can show it.

The runtime writes Python source for its call plans and record lowerers and
compiles it once. Registering each source with ``linecache`` under a unique
file name (as attrs does for the methods it writes) lets a traceback through
a plan print the plan's own lines instead of nothing.
"""

from __future__ import annotations

import itertools
import linecache
from types import CodeType

__all__ = ["compile_source"]

_serial = itertools.count(1)


def compile_source(src: str, name: str) -> CodeType:
    """Compile ``src``; ``name`` (``<wbindgen ...>``) becomes a unique file name."""
    filename = (
        f"{name[:-1]} #{next(_serial)}>" if name.endswith(">") else f"{name} #{next(_serial)}"
    )
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    return compile(src, filename, "exec")
