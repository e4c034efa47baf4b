"""Known bugs of the supported wasmtime releases, each with the releases it is in.

A test that needs a fixed wasmtime carries ``BUG.needs_fix`` and skips, naming
the installed release and the one with the fix, where the bug is present; it
runs everywhere else. No test xfails on a wasmtime bug. Each entry's claim (in
these releases, not in the others) is itself tested by
``tests/test_wasmtime_bugs.py``, which runs a minimal reproduction through
wasmtime-py's own dynamic API on whatever release is installed: when a release
changes, that test fails and this table is corrected, never the skips loosened.
"""

from __future__ import annotations

import dataclasses
import re

import pytest
from wbindgen_runtime.capi import WASMTIME_VERSION, wasmtime_version

MAJOR = wasmtime_version()[0]


@dataclasses.dataclass(frozen=True)
class Bug:
    what: str
    #: First affected major release (None: every release the range supports before ``fixed_in``).
    first: int | None
    fixed_in: int

    @property
    def present(self) -> bool:
        return (self.first is None or MAJOR >= self.first) and MAJOR < self.fixed_in

    @property
    def reason(self) -> str:
        return f"wasmtime {WASMTIME_VERSION} bug: {self.what} (fixed in wasmtime {self.fixed_in})"

    @property
    def needs_fix(self) -> pytest.MarkDecorator:
        return pytest.mark.skipif(self.present, reason=self.reason)


HOST_BORROW_INTO_EXPORT = Bug(
    "a borrow<R> of a host resource passed by the host into an export traps "
    "('BUG: no current scope')",
    first=None,
    fixed_in=50,
)

TWO_HOST_BORROWS = Bug(
    "a host function taking two borrow<R> of a host resource traps "
    "('BUG: deferred host scope has no call context')",
    first=50,
    fixed_in=51,
)

NESTED_SHARED_INSTANCE_TYPE = Bug(
    "validating a component that nests another, where two imports share one instance "
    "type exporting a type, panics and aborts the process (wasmparser: "
    "'assertion failed: prev.is_none()'); the lane's wrapper nests the component",
    first=None,
    fixed_in=50,
)

WAT_NAME_ON_IMPORTED_GLOBAL = Bug(
    "the text parser refuses an (@name ...) annotation on an imported global",
    first=None,
    fixed_in=50,
)

_NAMED_IMPORTED_GLOBAL = re.compile(r"\(import [^\n]*\(global [^\n()]*\(@name ")


def skip_unparsable_text(text: str) -> None:
    """Skip a test whose component text this wasmtime's parser cannot read."""
    if WAT_NAME_ON_IMPORTED_GLOBAL.present and _NAMED_IMPORTED_GLOBAL.search(text):
        pytest.skip(WAT_NAME_ON_IMPORTED_GLOBAL.reason)


def wat2wasm(text: str) -> bytes:
    """Component or module text to a binary: wasmtime's parser, or wasm-tools'
    where this wasmtime's parser has a bug the text meets (the sweeps then
    cover the same components on every release)."""
    import subprocess

    import wasmtime

    if not (WAT_NAME_ON_IMPORTED_GLOBAL.present and _NAMED_IMPORTED_GLOBAL.search(text)):
        return bytes(wasmtime.wat2wasm(text))
    from support.components import require_wasm_tools

    exe = require_wasm_tools()
    proc = subprocess.run([exe, "parse", "-"], input=text.encode(), capture_output=True, check=True)
    return proc.stdout
