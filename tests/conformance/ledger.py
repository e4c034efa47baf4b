"""Counting and comparing the calls a conformance run checks.

A run checks calls in two directions:

* host calls: the guest calls an imported function and the host implementation
  answers. The guest traps when an answer is wrong, and the host asserts what
  it receives, so every host call that answered (a value, or the `Err` of a
  result) is a checked call. Host classes derive from `Counted`, which counts
  each call of a public method.
* export calls: the test calls an exported function and compares the result
  with `Ledger.check` (exact types, NaN and the sign of zero included), or
  calls a function without a result with `Ledger.call` (the guest asserts its
  arguments, so returning normally is the check), or calls one that must trap
  in the guest with `Ledger.traps`.

`Ledger.watching()` also records which exported functions the bindings
called into wasm, by WIT name, so a run can show it reached every export.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import functools
import math
import weakref
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any, ParamSpec, TypeVar

import wbindgen_runtime
from wbindgen_runtime import Err, Ok, PlanTable, Some, Trap

P = ParamSpec("P")
T = TypeVar("T")


class Ledger:
    """The calls one conformance run checked."""

    def __init__(self) -> None:
        self.host: Counter[str] = Counter()  # "Class.method" -> calls answered
        self.exports = 0
        self.reached: Counter[str] = Counter()  # "interface#function" -> calls into wasm
        self.declared: set[str] = set()  # every export the bindings bound

    @property
    def host_calls(self) -> int:
        return sum(self.host.values())

    def check(self, got: T, want: T) -> T:
        """One export call's result, compared exactly with `want`."""
        problem = difference(got, want)
        assert problem is None, f"{problem}: got {got!r}, want {want!r}"
        self.exports += 1
        return got

    def call(self, fn: Callable[P, object], *args: P.args, **kwargs: P.kwargs) -> None:
        """One export call without a result (its own checks are the guest's)."""
        result = fn(*args, **kwargs)
        assert result is None, f"{fn} returned {result!r}, expected None"
        self.exports += 1

    def traps(
        self, where: str, fn: Callable[P, object], *args: P.args, **kwargs: P.kwargs
    ) -> Trap:
        """One export call that must trap in the guest, at `where` (a name in
        wasmtime's backtrace)."""
        try:
            fn(*args, **kwargs)
        except Trap as e:
            text = "\n".join((str(e), *e.backtrace))
            assert where in text, f"trapped elsewhere than {where}: {text}"
            self.exports += 1
            return e
        raise AssertionError(f"{fn} did not trap")

    @contextlib.contextmanager
    def watching(self) -> Iterator[None]:
        """Record the exports instances made meanwhile call into wasm.

        Generated worlds resolve their exports once per instance through
        `wbindgen_runtime.bind_funcs` (interface objects and resource wrappers
        alike); wrapping what it returns sees every call the bindings make."""
        original = wbindgen_runtime.bind_funcs

        def bind(bound: Any, interface: str | None, funcs: Any) -> PlanTable:
            table = original(bound, interface, funcs)
            keys = [f"{interface or 'world'}#{name}" for name, _ in funcs]
            self.declared.update(keys)
            watched = _Watched(table, keys, self.reached)
            bound.state.bindings[id(funcs)] = weakref.ref(watched)  # as bind_funcs keeps it
            return watched

        wbindgen_runtime.bind_funcs = bind
        try:
            yield
        finally:
            wbindgen_runtime.bind_funcs = original

    def unreached(self) -> list[str]:
        """Exports (interface#function) no call of the run went into."""
        return sorted(self.declared - set(self.reached))

    def uncalled(self, *protocols: type) -> list[str]:
        """Members of the generated Protocols that no host call reached: every
        imported function must have been exercised by the guest."""
        called = {key.rpartition(".")[2] for key in self.host}
        return [
            f"{proto.__name__}.{name}"
            for proto in protocols
            for name in protocol_members(proto)
            if name not in called
        ]


class _Watched(PlanTable):
    """A plan table (position -> plan, bound on first use) whose plans count their calls."""

    __slots__ = ("_table", "_keys", "_counter")

    def __init__(self, table: PlanTable, keys: list[str], counter: Counter[str]) -> None:
        super().__init__(table._bound, table._interface, table._names)
        self._table, self._keys, self._counter = table, keys, counter

    def __missing__(self, index: int) -> Any:
        watched = self[index] = _Reached(self._counter, self._keys[index], self._table[index])
        return watched


class _Reached:
    __slots__ = ("_counter", "_key", "_func")

    def __init__(self, counter: Counter[str], key: str, func: Callable[..., Any]) -> None:
        self._counter, self._key, self._func = counter, key, func

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self._counter[self._key] += 1
        return self._func(*args, **kwargs)


def protocol_members(proto: type) -> list[str]:
    return sorted(n for n, v in vars(proto).items() if callable(v) and not n.startswith("_"))


class Counted:
    """Base of host implementations: each call of a public method is counted
    in `self.ledger` under `ClassName.method`."""

    ledger: Ledger

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name, fn in list(vars(cls).items()):
            if callable(fn) and not name.startswith("_") and not isinstance(fn, type):
                setattr(cls, name, _counting(f"{cls.__name__}.{name}", fn))


def _counting(key: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def counted(self: Counted, *args: Any, **kwargs: Any) -> Any:
        # Counted once it answered: a value, or the error case of a result.
        try:
            result = fn(self, *args, **kwargs)
        except Err:
            self.ledger.host[key] += 1
            raise
        self.ledger.host[key] += 1
        return result

    return counted


def difference(got: object, want: object, path: str = "") -> str | None:
    """Why `got` is not exactly `want` (types included), or None.

    Floats compare bit-for-bit in spirit: NaN equals NaN and 0.0 differs from
    -0.0. `bool` is not an `int` here, nor `bytearray` a `bytes`.
    """
    where = path or "value"
    if type(got) is not type(want):
        return f"{where}: type {type(got).__name__}, want {type(want).__name__}"
    if isinstance(want, float):
        assert isinstance(got, float)
        if math.isnan(want):
            return None if math.isnan(got) else f"{where}: {got!r} is not NaN"
        if got != want or math.copysign(1.0, got) != math.copysign(1.0, want):
            return f"{where}: {got!r} != {want!r}"
        return None
    if isinstance(want, (list, tuple)):
        assert isinstance(got, (list, tuple))
        if len(got) != len(want):
            return f"{where}: length {len(got)}, want {len(want)}"
        for i, (g, w) in enumerate(zip(got, want)):
            problem = difference(g, w, f"{path}[{i}]")
            if problem is not None:
                return problem
        return None
    if isinstance(want, (Some, Ok, Err)):
        assert isinstance(got, (Some, Ok, Err))
        return difference(got.value, want.value, f"{path}.value")
    if dataclasses.is_dataclass(want) and not isinstance(want, type):
        for field in dataclasses.fields(want):
            problem = difference(
                getattr(got, field.name), getattr(want, field.name), f"{path}.{field.name}"
            )
            if problem is not None:
                return problem
        return None
    if isinstance(want, enum.Enum):
        return None if got == want else f"{where}: {got!r} != {want!r}"
    return None if got == want else f"{where}: {got!r} != {want!r}"
