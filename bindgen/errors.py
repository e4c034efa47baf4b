"""Errors the generator reports to its user.

Expected failures (bad input) are exceptions carrying enough context for a
one-line message; the CLI prints `str(error)` and exits non-zero, so no
traceback is shown for them. The CLI catches `GenerateError`, `ReaderError`
and `OutputError` as the user's (exit 1) and `InternalError` as a wbindgen
bug (exit 3); the others are turned into one of those where they arise.

The WIT front end's `WitError` stays in `wit/errors.py`, beside the source
spans it carries (the front end is a unit: it raises nothing else, and
`load_wit_world` turns it into a `GenerateError`).
"""

from __future__ import annotations

# The reader lives in the runtime (the loader checks bytes before compiling);
# its error is the generator's too.
from wbindgen_runtime.errors import ReaderError

__all__ = [
    "GenerateError",
    "InternalError",
    "ModelMismatch",
    "OutputError",
    "PlanError",
    "ReaderError",
    "WorldMismatch",
]


class GenerateError(Exception):
    """Expected failure: bad options, or a component the bindings cannot serve."""


class InternalError(Exception):
    """A wbindgen bug: the reader and wasmtime disagree, or output is invalid."""


class PlanError(Exception):
    """The model holds something the bindings cannot express (reported to the
    user as an unsupported feature, not as a crash): a `GenerateError` once
    `render_world` catches it."""


class ModelMismatch(Exception):
    """The reader's model and wasmtime's reflection disagree (a wbindgen bug):
    an `InternalError` once the pipeline catches it."""


class WorldMismatch(Exception):
    """The component does not implement the WIT world given with it; the
    message names the first difference by path (a `GenerateError` once the
    pipeline catches it)."""


class OutputError(Exception):
    """The output folder cannot be written, or holds files the generator did
    not write (which it never overwrites)."""
