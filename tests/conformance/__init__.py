"""Conformance runs: real components from other toolchains, driven through
bindings generated at test time.

`ledger` counts and compares the calls; `bindings` generates packages and
runs mypy on them; `jco/<fixture>.py` holds, per component of
`../shared/fixtures/jco`, the host implementation of its imports (written
against the generated Protocols, so mypy checks it) and the calls of its
exports; `py_guest.py` does the same for tests/components/py_guest.

These modules import the generated packages, so they are imported only
after the bindings were generated onto `sys.path`.
"""
