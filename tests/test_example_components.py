"""The example components, checked through wasmtime-py's dynamic API.

`tests/components/{kitchen_sink,host_imports,wasi_hello}/` are hand-written
core modules (WAT) with their WIT worlds. These tests are the independent
oracle that they follow the Canonical ABI: they use only
`wasmtime.component` (untyped values, reflection on every call), never the
bindings this project generates, so a bug in the bindings cannot hide a bug
in the components or the other way round.

How the dynamic API spells WIT values (wasmtime-py 49-51):
- record: an object with attributes (`wasmtime.component.Record`);
- variant, option, result: untagged (the payload itself, `None` for a case
  without payload) when the Python classes of the cases do not overlap,
  else `Variant(tag, payload)`; so `option<option<u32>>` is
  `Variant('none')` / `Variant('some', None)` / `Variant('some', 7)`,
  `result<u32, string>` is `7` or `"message"`, and `shape` is `None`,
  a float, a Record or a str;
- enum: the case name; flags: a set of names; list<u8>: bytes;
- resources: `ResourceAny` (guest or host) and `ResourceHost` (made by the host).
"""

from __future__ import annotations

import math
import struct
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from support.components import component
from support.wasmtime_bugs import TWO_HOST_BORROWS
from wasmtime import Engine, Store, WasiConfig, WasmtimeError
from wasmtime.component import (
    Component,
    Linker,
    Record,
    ResourceAny,
    ResourceHost,
    ResourceType,
    Variant,
)

KITCHEN_API = "example:kitchen/api@0.1.0"
HOST_RUNNER = "example:host/runner@0.1.0"


# ---------------------------------------------------------------- plumbing


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


# Compiled once per engine; the engine is kept with its components so that its
# id cannot be reused by another engine while the entry exists.
_compiled: dict[tuple[int, str], tuple[Engine, Component]] = {}


def _component(engine: Engine, name: str) -> Component:
    key = (id(engine), name)
    if key not in _compiled:
        _compiled[key] = (engine, Component.from_file(engine, str(component(name))))
    return _compiled[key][1]


class Exports:
    """Calls the functions of one exported interface (or of the world when
    `interface` is None), with post-return after each call."""

    def __init__(self, store: Store, instance: Any, interface: str | None) -> None:
        self.store = store
        self.instance = instance
        self.parent = None
        if interface is not None:
            self.parent = instance.get_export_index(store, interface)
            assert self.parent is not None, f"no export {interface!r}"

    def func(self, name: str) -> Any:
        index = self.instance.get_export_index(self.store, name, self.parent)
        assert index is not None, f"no export {name!r}"
        func = self.instance.get_func(self.store, index)
        assert func is not None, f"export {name!r} is not a function"
        return func

    def __call__(self, name: str, *args: Any) -> Any:
        func = self.func(name)
        result = func(self.store, *args)
        func.post_return(self.store)
        return result


def record(**fields: Any) -> Record:
    r = Record()
    for key, value in fields.items():
        setattr(r, key, value)
    return r


def as_dict(r: Any) -> dict[str, Any]:
    return dict(vars(r))


def f32(x: float) -> float:
    """`x` rounded to the nearest f32, as the ABI does."""
    return float(struct.unpack("<f", struct.pack("<f", x))[0])


# ------------------------------------------------------------ kitchen_sink


@pytest.fixture
def kitchen(engine: Engine) -> Iterator[Exports]:
    store = Store(engine)
    linker = Linker(engine)
    instance = linker.instantiate(store, _component(engine, "kitchen_sink"))
    yield Exports(store, instance, KITCHEN_API)


def test_kitchen_sink_exports_and_version(engine: Engine, kitchen: Exports) -> None:
    ty = _component(engine, "kitchen_sink").type
    assert set(ty.exports(engine)) == {"version", KITCHEN_API}
    # `api` uses `types`, so the component imports the types-only interface;
    # the linker needs nothing for it.
    assert set(ty.imports(engine)) == {"example:kitchen/types@0.1.0"}
    world = Exports(kitchen.store, kitchen.instance, None)
    assert world("version") == "0.1.0"
    assert world("version") == "0.1.0"


@pytest.mark.parametrize(
    "a, b, expected",
    [(0, 0, 0), (1, 2, 3), (2**32 - 1, 0, 2**32 - 1), (2**32 - 1, 1, 0), (2**31, 2**31, 0)],
)
def test_add_wraps_like_u32(kitchen: Exports, a: int, b: int, expected: int) -> None:
    assert kitchen("add", a, b) == expected


def _scalars(**overrides: Any) -> Record:
    fields: dict[str, Any] = {
        "b": True,
        "a8": -5,
        "b8": 200,
        "a16": -300,
        "b16": 60000,
        "a32": -70000,
        "b32": 3_000_000_000,
        "a64": -(2**40),
        "b64": 2**63 + 5,
        "f": 1.5,
        "d": -2.25,
        "c": "x",
    }
    fields.update(overrides)
    return record(**fields)


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {
            "b": False,
            "a8": -128,
            "b8": 0,
            "a16": -32768,
            "b16": 0,
            "a32": -(2**31),
            "b32": 0,
            "a64": -(2**63),
            "b64": 0,
            "f": 0.0,
            "d": 0.0,
            "c": "\0",
        },
        {
            "b": True,
            "a8": 127,
            "b8": 255,
            "a16": 32767,
            "b16": 65535,
            "a32": 2**31 - 1,
            "b32": 2**32 - 1,
            "a64": 2**63 - 1,
            "b64": 2**64 - 1,
            "f": 3.4028234663852886e38,
            "d": 1.7976931348623157e308,
            "c": "\U0010ffff",
        },
        {"f": math.inf, "d": -math.inf, "c": "\U0001f600"},  # non-BMP char
        {"f": -0.0, "d": 5e-324, "c": "\ud7ff"},  # largest scalar value below the surrogates
        {"f": 0.1, "d": 0.1, "c": "\ue000"},  # smallest scalar value above the surrogates
    ],
)
def test_echo_scalars(kitchen: Exports, overrides: dict[str, Any]) -> None:
    sent = _scalars(**overrides)
    got = as_dict(kitchen("echo-scalars", sent))
    expected = as_dict(sent)
    expected["f"] = f32(expected["f"])
    assert got == expected
    assert list(got) == ["b", "a8", "b8", "a16", "b16", "a32", "b32", "a64", "b64", "f", "d", "c"]
    assert math.copysign(1.0, got["f"]) == math.copysign(1.0, expected["f"])


def test_echo_scalars_nan(kitchen: Exports) -> None:
    got = kitchen("echo-scalars", _scalars(f=math.nan, d=math.nan))
    assert math.isnan(got.f) and math.isnan(got.d)


@pytest.mark.parametrize(
    "s",
    [
        "",
        "a",
        "héllo wörld",
        "\U0001f600 non-BMP \U0010ffff",
        "\0inner\0nul",
        "x" * 100_000,
        "ü" * (1 << 20),
    ],
    ids=["empty", "one", "latin1", "non-bmp", "nul", "100k", "2MiB-utf8"],
)
def test_echo_string(kitchen: Exports, s: str) -> None:
    assert kitchen("echo-string", s) == s


@pytest.mark.parametrize(
    "b",
    [b"", b"\x00", bytes(range(256)), bytes(i % 251 for i in range(200_000))],
    ids=["empty", "zero", "all-bytes", "200k"],
)
def test_echo_bytes(kitchen: Exports, b: bytes) -> None:
    # 200 kB is past the 128 KiB the module starts with: cabi_realloc grows memory.
    assert kitchen("echo-bytes", b) == b


def test_echo_points(kitchen: Exports) -> None:
    assert kitchen("echo-points", []) == []
    points = [record(x=i, y=-i) for i in range(-1000, 1000)]
    points += [record(x=-(2**31), y=2**31 - 1)]
    got = kitchen("echo-points", points)
    assert [as_dict(p) for p in got] == [as_dict(p) for p in points]


@pytest.mark.parametrize("t", [(0, ""), (255, "tuple \U0001f600"), (7, "z" * 10_000)])
def test_echo_tuple(kitchen: Exports, t: tuple[int, str]) -> None:
    assert kitchen("echo-tuple", t) == t


@pytest.mark.parametrize(
    "shape",
    [
        None,
        0.0,
        -1.5,
        math.inf,
        2.0**-1074,
        1.7976931348623157e308,
        "",
        "named \U0001f600",
        "n" * 5000,
    ],
    ids=[
        "none",
        "circle-0",
        "circle-neg",
        "circle-inf",
        "circle-subnormal",
        "circle-max",
        "named-empty",
        "named-non-bmp",
        "named-long",
    ],
)
def test_echo_shape(kitchen: Exports, shape: Any) -> None:
    got = kitchen("echo-shape", shape)
    assert got == shape
    assert type(got) is type(shape)


def test_echo_shape_nan_and_rect(kitchen: Exports) -> None:
    assert math.isnan(kitchen("echo-shape", math.nan))
    for x, y in [(0, 0), (-1, -1), (-(2**31), 2**31 - 1), (2**31 - 1, -(2**31))]:
        # rect.x rides in the low half of the joined i64 slot: a negative x
        # must come back without its sign-extension garbage.
        got = kitchen("echo-shape", record(x=x, y=y))
        assert as_dict(got) == {"x": x, "y": y}


@pytest.mark.parametrize("c", ["red", "green", "blue-ish"])
def test_echo_color(kitchen: Exports, c: str) -> None:
    assert kitchen("echo-color", c) == c


def test_echo_color_unknown_case_is_rejected(kitchen: Exports) -> None:
    with pytest.raises(WasmtimeError):
        kitchen("echo-color", "purple")


@pytest.mark.parametrize(
    "p", [set(), {"read"}, {"write"}, {"exec"}, {"read", "exec"}, {"read", "write", "exec"}]
)
def test_echo_perms(kitchen: Exports, p: set[str]) -> None:
    assert kitchen("echo-perms", p) == p


ALL_MANY = {f"f{i}" for i in range(32)}


@pytest.mark.parametrize(
    "m",
    [set(), {"f0"}, {"f31"}, {"f0", "f31"}, {f"f{i}" for i in range(0, 32, 2)}, ALL_MANY],
    ids=["none", "f0", "f31", "ends", "even", "all"],
)
def test_echo_many(kitchen: Exports, m: set[str]) -> None:
    assert kitchen("echo-many", m) == m


@pytest.mark.parametrize(
    "o",
    [
        Variant("none"),
        Variant("some", None),
        Variant("some", 0),
        Variant("some", 7),
        Variant("some", 2**32 - 1),
    ],
    ids=["none", "some-none", "some-some-0", "some-some-7", "some-some-max"],
)
def test_echo_opt(kitchen: Exports, o: Variant) -> None:
    assert kitchen("echo-opt", o) == o


def test_echo_results(kitchen: Exports) -> None:
    assert kitchen("echo-results", []) == []
    # result<u32, string> is untagged in the dynamic API: int = ok, str = err
    values: list[int | str] = [0, "", 2**32 - 1, "bad \U0001f600", 42, "e" * 3000]
    values = values * 50
    assert kitchen("echo-results", values) == values


def test_echo_pt_and_offset_are_distinct_names_same_shape(engine: Engine, kitchen: Exports) -> None:
    for name in ("echo-pt", "echo-offset"):
        for x, y in [(0, 0), (-(2**31), 2**31 - 1), (123, -456)]:
            assert as_dict(kitchen(name, record(x=x, y=y))) == {"x": x, "y": y}
    # wasmtime's reflection compares records structurally: `offset` and
    # `point` look the same to it, which is why the bindings read names
    # from the binary instead.
    pt_ty = kitchen.func("echo-pt").type(kitchen.store)
    off_ty = kitchen.func("echo-offset").type(kitchen.store)
    assert [n for n, _ in pt_ty.params[0][1].fields] == ["x", "y"]
    assert [n for n, _ in off_ty.params[0][1].fields] == ["x", "y"]


@pytest.mark.parametrize(
    "a, b, expected",
    [
        (7, 2, 3),
        (-7, 2, -3),
        (2**31 - 1, 1, 2**31 - 1),
        (-(2**31), 1, -(2**31)),
        (0, 5, 0),
        (5, 0, "division by zero"),
        (0, 0, "division by zero"),
    ],
)
def test_checked_div(kitchen: Exports, a: int, b: int, expected: int | str) -> None:
    assert kitchen("checked-div", a, b) == expected


def test_checked_div_traps_and_poisons_the_instance(kitchen: Exports) -> None:
    with pytest.raises(WasmtimeError) as info:
        kitchen("checked-div", -(2**31), -1)
    assert "overflow" in str(info.value).lower()
    # a trapped instance cannot be entered again
    with pytest.raises(WasmtimeError):
        kitchen("add", 1, 2)


def test_many_args_are_spilled_to_memory(kitchen: Exports) -> None:
    func = kitchen.func("many-args")
    assert len(func.type(kitchen.store).params) == 17
    assert kitchen("many-args", *range(1, 18)) == sum(range(1, 18))
    assert kitchen("many-args", *([0] * 17)) == 0
    # the sum of 17 u32::MAX needs the u64 result
    assert kitchen("many-args", *([2**32 - 1] * 17)) == 17 * (2**32 - 1)
    # each argument lands at its own offset
    for i in range(17):
        args = [0] * 17
        args[i] = 1 << i
        assert kitchen("many-args", *args) == 1 << i


def test_nothing(kitchen: Exports) -> None:
    func = kitchen.func("nothing")
    ty = func.type(kitchen.store)
    assert ty.params == [] and ty.result is None
    assert kitchen("nothing") is None


def test_counter_lifecycle(kitchen: Exports) -> None:
    assert kitchen("live-counters") == 0
    c = kitchen("[constructor]counter", 5)
    assert isinstance(c, ResourceAny) and c.owned
    assert kitchen("live-counters") == 1
    assert kitchen("[method]counter.get", c) == 5
    assert kitchen("[method]counter.incr", c, 3) == 8
    assert kitchen("[method]counter.incr", c, 2**32 - 8) == 0  # u32 wraps
    assert kitchen("[method]counter.get", c) == 0
    c.drop(kitchen.store)
    assert kitchen("live-counters") == 0


def test_counter_merge_consumes_b_and_borrows_a(kitchen: Exports) -> None:
    a = kitchen("[constructor]counter", 10)
    b = kitchen("[constructor]counter", 32)
    assert kitchen("live-counters") == 2
    m = kitchen("[static]counter.merge", a, b)  # b is own: consumed
    # the guest dropped `b` (its destructor ran) and made `m`
    assert kitchen("live-counters") == 2
    assert kitchen("[method]counter.get", m) == 42
    assert kitchen("[method]counter.get", a) == 10  # a was only borrowed
    with pytest.raises(ValueError):
        kitchen("[method]counter.get", b)  # the Python handle was moved out
    a.drop(kitchen.store)
    assert kitchen("live-counters") == 1
    m.drop(kitchen.store)
    assert kitchen("live-counters") == 0


def test_counters_many_and_cells_reused(kitchen: Exports) -> None:
    counters = [kitchen("[constructor]counter", i) for i in range(100)]
    assert kitchen("live-counters") == 100
    assert [kitchen("[method]counter.get", c) for c in counters] == list(range(100))
    for i, c in enumerate(counters):
        c.drop(kitchen.store)
        assert kitchen("live-counters") == 99 - i
    again = [kitchen("[constructor]counter", 1000 + i) for i in range(10)]
    assert [kitchen("[method]counter.get", c) for c in again] == list(range(1000, 1010))
    for c in again:
        c.drop(kitchen.store)
    assert kitchen("live-counters") == 0


def test_kitchen_calls_in_sequence_do_not_leak_between_calls(kitchen: Exports) -> None:
    # post-return resets the heap: many calls with big arguments must keep working
    for i in range(20):
        s = f"{i}:" + "q" * 50_000
        assert kitchen("echo-string", s) == s
        assert kitchen("echo-tuple", (i, s)) == (i, s)


# ------------------------------------------------------------ host_imports

BLOB_TYPE = 7  # the host's id for `blob`, any u32


class HostState:
    def __init__(self) -> None:
        self.logs: list[tuple[str, str]] = []
        self.config: dict[str, str] = {}
        self.blobs: dict[int, bytes] = {}
        self.next_rep = 1
        self.dropped: list[int] = []
        self.calls: list[str] = []
        self.now = 1_700_000_000_123_456_789
        self.fail: Callable[[str], int | str] = lambda msg: msg


def _link_host(linker: Linker, st: HostState) -> None:
    def rep_of(store: Any, handle: ResourceAny) -> int:
        host = handle.to_host(store)
        assert host.type == BLOB_TYPE
        return int(host.rep)

    def new_blob(data: bytes) -> ResourceHost:
        rep = st.next_rep
        st.next_rep += 1
        st.blobs[rep] = data
        return ResourceHost.own(rep, BLOB_TYPE)

    def log(store: Any, level: str, msg: str) -> None:
        st.calls.append("log")
        st.logs.append((level, msg))

    def get_config(store: Any, key: str) -> str | None:
        st.calls.append("get-config")
        return st.config.get(key)

    def blob_ctor(store: Any, init: bytes) -> ResourceHost:
        st.calls.append("[constructor]blob")
        return new_blob(bytes(init))

    def blob_read(store: Any, self: ResourceAny, n: int) -> bytes:
        st.calls.append("[method]blob.read")
        assert not self.owned
        return st.blobs[rep_of(store, self)][:n]

    def blob_size(store: Any, self: ResourceAny) -> int:
        st.calls.append("[method]blob.size")
        assert not self.owned
        return len(st.blobs[rep_of(store, self)])

    def blob_merge(store: Any, a: ResourceAny, b: ResourceAny) -> ResourceHost:
        st.calls.append("[static]blob.merge")
        assert not a.owned and not b.owned
        return new_blob(st.blobs[rep_of(store, a)] + st.blobs[rep_of(store, b)])

    def blob_dtor(store: Any, rep: int) -> None:
        st.dropped.append(rep)
        del st.blobs[rep]

    def fail(store: Any, msg: str) -> int | str:
        st.calls.append("fail")
        return st.fail(msg)

    def now(store: Any) -> int:
        st.calls.append("now")
        return st.now

    with linker.root() as root:
        root.add_func("now", now)
        with root.add_instance("example:host/logger@0.1.0") as logger:
            logger.add_func("log", log)
            logger.add_func("get-config", get_config)
        with root.add_instance("example:host/blobs@0.1.0") as blobs:
            blobs.add_resource("blob", ResourceType.host(BLOB_TYPE), blob_dtor)
            blobs.add_func("[constructor]blob", blob_ctor)
            blobs.add_func("[method]blob.read", blob_read)
            blobs.add_func("[method]blob.size", blob_size)
            blobs.add_func("[static]blob.merge", blob_merge)
            blobs.add_func("fail", fail)
        # types only: an empty instance (wasmtime also accepts it missing)
        with root.add_instance("example:host/shared-types@0.1.0"):
            pass


@pytest.fixture
def host(engine: Engine) -> Iterator[tuple[Exports, HostState]]:
    st = HostState()
    store = Store(engine)
    linker = Linker(engine)
    _link_host(linker, st)
    instance = linker.instantiate(store, _component(engine, "host_imports"))
    yield Exports(store, instance, HOST_RUNNER), st


def test_host_imports_shape(engine: Engine) -> None:
    ty = _component(engine, "host_imports").type
    assert set(ty.imports(engine)) == {
        "example:host/logger@0.1.0",
        "example:host/blobs@0.1.0",
        "example:host/shared-types@0.1.0",
        "now",
    }
    assert set(ty.exports(engine)) == {HOST_RUNNER}


def test_host_imports_missing_import_fails_to_link(engine: Engine) -> None:
    linker = Linker(engine)
    with pytest.raises(WasmtimeError):
        linker.instantiate(Store(engine), _component(engine, "host_imports"))


def test_run_calls_log_and_get_config(host: tuple[Exports, HostState]) -> None:
    runner, st = host
    assert runner("run", "world") == "none world"
    assert st.logs == [("info", "world")]
    assert st.calls == ["log", "get-config"]
    st.config["greeting"] = "hello \U0001f600"
    assert runner("run", "") == "hello \U0001f600 "
    st.config["greeting"] = "g" * 70_000
    long = "m" * 70_000
    assert runner("run", long) == "g" * 70_000 + " " + long
    assert st.logs[-1] == ("info", long)


@pytest.mark.parametrize(
    "data",
    [b"", b"\x01", bytes(range(256)), bytes(i % 253 for i in range(100_000))],
    ids=["empty", "one", "all-bytes", "100k"],
)
def test_blob_roundtrip(host: tuple[Exports, HostState], data: bytes) -> None:
    runner, st = host
    assert runner("blob-roundtrip", data) == data
    assert st.calls == ["[constructor]blob", "[method]blob.size", "[method]blob.read"]
    assert st.dropped == [1] and st.blobs == {}  # the guest dropped its own handle


# Two borrow<blob> params in one call into a dynamic host function fail inside
# wasmtime 50 before the Python function runs (tests/test_wasmtime_bugs.py
# reproduces it); one borrow (every `[method]` here) works there too.
@TWO_HOST_BORROWS.needs_fix
def test_merged_size(host: tuple[Exports, HostState]) -> None:
    runner, st = host
    assert runner("merged-size", b"abc", b"defgh") == 8
    assert st.calls == [
        "[constructor]blob",
        "[constructor]blob",
        "[static]blob.merge",
        "[method]blob.size",
    ]
    assert sorted(st.dropped) == [1, 2, 3] and st.blobs == {}
    assert runner("merged-size", b"", b"") == 0
    assert runner("merged-size", bytes(3000), bytes(5000)) == 8000
    assert st.blobs == {}


@pytest.mark.parametrize(
    "answer",
    [0, 2**32 - 1, "", "it failed", "\U0001f600" * 1000],
)
def test_try_fail_passes_the_result_through(
    host: tuple[Exports, HostState], answer: int | str
) -> None:
    runner, st = host
    seen: list[str] = []

    def fail(msg: str) -> int | str:
        seen.append(msg)
        return answer

    st.fail = fail
    assert runner("try-fail", "why") == answer
    assert seen == ["why"]


def test_world_level_import(host: tuple[Exports, HostState]) -> None:
    runner, st = host
    assert runner("world-now") == st.now
    st.now = 2**64 - 1
    assert runner("world-now") == 2**64 - 1
    st.now = 0
    assert runner("world-now") == 0


def test_stamped_uses_the_shared_types_record(host: tuple[Exports, HostState]) -> None:
    runner, st = host
    got = runner("stamped", "note \U0001f600")
    assert as_dict(got) == {"time": st.now, "note": "note \U0001f600"}
    ty = runner.func("stamped").type(runner.store).result
    assert [n for n, _ in ty.fields] == ["time", "note"]


def test_host_exception_surfaces_from_the_export(host: tuple[Exports, HostState]) -> None:
    runner, st = host

    class Boom(Exception):
        pass

    def fail(msg: str) -> int | str:
        raise Boom(msg)

    st.fail = fail
    with pytest.raises(Boom, match="kaboom"):
        runner("try-fail", "kaboom")


def test_host_returning_a_wrong_type_is_an_error(host: tuple[Exports, HostState]) -> None:
    runner, st = host
    st.fail = lambda msg: 1.5  # type: ignore[assignment, return-value]
    with pytest.raises((TypeError, ValueError, WasmtimeError)):
        runner("try-fail", "x")


# -------------------------------------------------------------- wasi_hello


def _greeter(engine: Engine, stdout: Path | None) -> Exports:
    wasi = WasiConfig()
    if stdout is not None:
        wasi.stdout_file = str(stdout)
    store = Store(engine)
    store.set_wasi(wasi)
    linker = Linker(engine)
    linker.add_wasip2()
    instance = linker.instantiate(store, _component(engine, "wasi_hello"))
    return Exports(store, instance, None)


def test_wasi_hello_imports(engine: Engine) -> None:
    ty = _component(engine, "wasi_hello").type
    assert set(ty.imports(engine)) == {
        "wasi:io/error@0.2.0",
        "wasi:io/streams@0.2.0",
        "wasi:cli/stdout@0.2.0",
    }
    assert set(ty.exports(engine)) == {"greet"}


def test_wasi_hello_greets_through_stdout(engine: Engine, tmp_path: Path) -> None:
    out = tmp_path / "stdout.txt"
    greeter = _greeter(engine, out)
    assert greeter("greet", "world") == "hello, world"
    assert greeter("greet", "") == "hello, "
    assert greeter("greet", "\U0001f600 wörld") == "hello, \U0001f600 wörld"
    name = "n" * 4000  # blocking-write-and-flush takes at most 4096 bytes
    assert greeter("greet", name) == "hello, " + name
    assert out.read_text(encoding="utf-8") == (
        "hello, world\nhello, \nhello, \U0001f600 wörld\nhello, " + name + "\n"
    )


def test_wasi_hello_without_stdout_still_returns(engine: Engine) -> None:
    # a WasiConfig that grants nothing: stdout is a sink, the write succeeds
    greeter = _greeter(engine, None)
    assert greeter("greet", "nobody") == "hello, nobody"


def test_wasi_hello_needs_wasi_linked(engine: Engine) -> None:
    with pytest.raises(WasmtimeError):
        Linker(engine).instantiate(Store(engine), _component(engine, "wasi_hello"))
