"""`typing.assert_never` on Python 3.10 too (the project supports 3.10)."""

from __future__ import annotations

import sys
from typing import NoReturn

if sys.version_info >= (3, 11):
    from typing import assert_never
else:  # pragma: no cover

    def assert_never(arg: NoReturn, /) -> NoReturn:
        raise AssertionError(f"unhandled case: {arg!r}")


__all__ = ["assert_never"]
