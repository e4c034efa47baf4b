"""jco's `resource-borrow-simple`: a world-level imported resource `r`,
constructed by the guest and passed back to the host as `borrow<r>`."""

from __future__ import annotations

from pathlib import Path

import jco_resource_borrow_simple as pkg
import wasmtime
from jco_resource_borrow_simple import imports as imp

from ..ledger import Counted, Ledger


class R(Counted):
    def __init__(self, ledger: Ledger) -> None:
        super().__init__(ledger)
        self.dropped = False

    def drop(self) -> None:
        assert not self.dropped
        self.dropped = True


class Root(Counted):
    def __init__(self, ledger: Ledger) -> None:
        super().__init__(ledger)
        self.made: list[R] = []
        self.tested: list[R] = []

    def r(self) -> R:
        r = R(self.ledger)
        self.made.append(r)
        return r

    def test(self, r: imp.R) -> None:
        assert isinstance(r, R) and r in self.made and not r.dropped  # the very object
        self.tested.append(r)


def run(component: Path, ledger: Ledger) -> None:
    root = Root(ledger)
    inst = pkg.JcoResourceBorrowSimple.instantiate(
        wasmtime.Store(), component, pkg.JcoResourceBorrowSimpleImports(root=root)
    )
    for n in range(1, 3):
        ledger.call(inst.test_imports)
        assert len(root.made) == n and root.tested == root.made
        assert root.made[-1].dropped  # the guest dropped its handle on return
    assert ledger.uncalled(imp.Host, imp.R) == []
