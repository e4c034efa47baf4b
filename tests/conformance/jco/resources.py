"""jco's `resources`: an imported resource `y` implemented by the host, and
exported resources `x`, `z`, `kebab-case` with constructors, methods, static
functions, `own` and `borrow` parameters."""

from __future__ import annotations

from pathlib import Path

import jco_resources as pkg
import wasmtime
import wbindgen_runtime as rt
from jco_resources.imports import imports as imp

from ..common import stderr_wasi
from ..ledger import Counted, Ledger

S32_MIN, S32_MAX, U32_MAX = -(2**31), 2**31 - 1, 2**32 - 1


class Y(Counted):
    def __init__(self, ledger: Ledger, a: int) -> None:
        super().__init__(ledger)
        self.a = a
        self.dropped = False

    def get_a(self) -> int:
        assert not self.dropped
        return self.a

    def set_a(self, a: int) -> None:
        assert not self.dropped
        self.a = a

    def drop(self) -> None:
        assert not self.dropped
        self.dropped = True


class Imports(Counted):
    def __init__(self, ledger: Ledger) -> None:
        super().__init__(ledger)
        self.made: list[Y] = []

    def y(self, a: int) -> Y:
        y = Y(self.ledger, a)
        self.made.append(y)
        return y

    def y_add(self, y: imp.Y, a: int) -> Y:
        assert isinstance(y, Y) and y in self.made  # the very object, moved to the host
        return self.y(y.a + a)


def run(component: Path, ledger: Ledger) -> None:
    host = Imports(ledger)
    inst = pkg.JcoResources.instantiate(
        wasmtime.Store(), component, pkg.JcoResourcesImports(imports=host), wasi=stderr_wasi()
    )
    e = inst.exports
    ledger.call(e.test_imports)  # result<_, string>: an Err would raise
    assert ledger.uncalled(imp.Host, imp.Y) == []
    # The C guest: y(10), set-a 20, add(y, 10); y(1), y(2), set-a 10 and 20,
    # add(y1, 20), add(y2, 30). It then drops y, y1 and y2, which it had moved
    # into `add`: their handle slots were reused by the results of `add`, so
    # those are the ones dropped. Objects moved into the host stay the host's.
    assert [y.a for y in host.made] == [20, 30, 10, 20, 30, 50]
    assert [y.dropped for y in host.made] == [False, True, False, False, True, True]

    # x: constructor, methods, a static taking and returning own<x>.
    x = e.x(S32_MIN)
    ledger.check(x.get_a(), S32_MIN)
    for v in (S32_MAX, 0, -1, 7):
        ledger.call(x.set_a, v)
        ledger.check(x.get_a(), v)
    x2 = e.x.add(x, 35)  # own<x> moves in and comes back
    ledger.check(x2.get_a(), 42)
    assert x.dropped
    for use_after_move in (x.get_a, lambda: x.set_a(1), lambda: e.consume(x)):
        try:
            use_after_move()
        except rt.ResourceError:
            pass
        else:
            raise AssertionError("a moved resource was usable")
    ledger.call(e.consume, x2)
    assert x2.dropped
    with e.x(1) as x3:
        ledger.check(x3.get_a(), 1)
    assert x3.dropped

    # z: the guest counts destructor runs (`num-dropped` answers count + 1).
    ledger.check(e.z.num_dropped(), 1)
    z1, z2 = e.z(S32_MAX), e.z(S32_MIN)
    z3 = e.add(z1, z2)  # two borrow<z> of guest resources
    ledger.check(z3.get_a(), -1)
    ledger.check(z1.get_a(), S32_MAX)  # borrows leave the wrappers usable
    ledger.check(e.add(z3, z3).get_a(), -2)  # the same handle borrowed twice; result dropped
    z3.drop()
    ledger.check(e.z.num_dropped(), 2)
    with e.z(0) as z4:
        ledger.check(z4.get_a(), 0)
    ledger.check(e.z.num_dropped(), 3)
    z1.drop()
    z2.drop()
    ledger.check(e.z.num_dropped(), 5)
    try:
        z1.get_a()
    except rt.ResourceError:
        pass
    else:
        raise AssertionError("a dropped resource was usable")

    # kebab-case: a u32 payload and a static consuming own<kebab-case>.
    for v in (0, U32_MAX):
        k = e.kebab_case(v)
        ledger.check(k.get_a(), v)
        ledger.check(e.kebab_case.take_owned(k), v)
        assert k.dropped
