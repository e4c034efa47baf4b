"""Conformance with a guest written in Python and built by componentize-py
(tests/components/py_guest): a world that uses every WIT type, an exported
resource, world-level exports and a host import.

The component is built from its sources by tests/components/build.py
(cached by a hash of the sources), its bindings are generated into a
temporary folder and checked with `mypy --strict` together with the host
code of tests/conformance/py_guest.py, which implements the import through
the generated Protocol and calls every export. The calls checked are counted
and must match docs/conformance.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conformance.bindings import documented_counts, generate, importable, mypy_strict
from conformance.ledger import Ledger
from support.components import ROOT, component, require_tool

HOSTS = ROOT / "tests" / "conformance"


@pytest.fixture(scope="module")
def guest(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """(the built component, the folder holding its generated package)."""
    require_tool("componentize-py")
    wasm = component("py_guest")
    out = tmp_path_factory.mktemp("py-guest-bindings")
    generate(wasm, out / "py_guest")
    with importable(out):
        yield wasm, out


def test_bindings_and_host_code_pass_mypy_strict(
    guest: tuple[Path, Path], tmp_path: Path
) -> None:
    _, bindings = guest
    errors = mypy_strict(
        tmp_path, bindings, bindings / "py_guest",
        HOSTS / "__init__.py", HOSTS / "ledger.py", HOSTS / "common.py", HOSTS / "py_guest.py",
        HOSTS / "js_guest.py",
    )
    assert errors == []


def test_every_import_and_export(guest: tuple[Path, Path]) -> None:
    from conformance.py_guest import run

    ledger = Ledger()
    with ledger.watching():
        run(guest[0], ledger)
    # componentize-py's own `exports.init` runs once, when the component is
    # built (it starts the Python interpreter that the build snapshots); it is
    # not part of the guest's world and is not called here.
    assert ledger.unreached() == ["exports#init"]
    assert (ledger.host_calls, ledger.exports) == documented_counts()["py_guest"], dict(
        ledger.host
    )


def test_a_wrong_host_answer_makes_the_guest_trap(guest: tuple[Path, Path]) -> None:
    """The control: the guest's `test-imports` really checks the answers."""
    import py_guest.imports.types as t
    import wbindgen_runtime as rt
    from conformance.py_guest import Host, instantiate

    class Stuck(Host):
        def next_color(self, c: t.Color) -> t.Color:
            return c

    inst = instantiate(guest[0], Stuck(Ledger()))
    with pytest.raises(rt.Trap):
        inst.test_imports()
    with pytest.raises(rt.InstanceTrappedError):
        inst.version()


def test_a_host_exception_reaches_the_caller_as_itself(guest: tuple[Path, Path]) -> None:
    from conformance.py_guest import Host, instantiate

    class Failing(Host):
        def bytes_sum(self, data: bytes) -> int:
            raise OverflowError(f"{len(data)} bytes are too many")

    inst = instantiate(guest[0], Failing(Ledger()))
    with pytest.raises(OverflowError, match="^0 bytes are too many$"):
        inst.test_imports()


def test_the_wasi_guest_takes_the_bulk_lane(guest: tuple[Path, Path]) -> None:
    """A componentize-py guest imports WASI: the lane's wrapper passes the imports
    through and its list exports are routed through the lane."""
    import os

    import py_guest.imports.types as t
    from conformance.py_guest import Host, instantiate

    inst = instantiate(guest[0], Host(Ledger()))
    api = "conformance:py-guest/api@0.1.0"
    assert inst._bound.func(api, "echo-bytes").lane_spec is not None
    assert inst._bound.func(api, "echo-points").lane_spec is not None
    for n in (16, 1001, 300_001):
        data = os.urandom(n)
        assert inst.api.echo_bytes(data) == data
    points = [t.Point(i, -i) for i in range(5000)]
    assert inst.api.echo_points(points) == points
    assert inst.version() == "0.1.0"
