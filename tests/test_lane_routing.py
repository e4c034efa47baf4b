"""The lane wired into the typed call path: routing, equality with the plain path, errors,
traps, imports, caching and the switch. Every check runs the same calls with the lane on
and off (`wbindgen_runtime.lane.configure`) and compares."""

from __future__ import annotations

import hashlib
import math
import os
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import wasmtime
import wbindgen_runtime as rt
from support.components import GENERATED, ROOT, component
from support.paths import lane_build
from test_lane import (
    BULK,
    ECHO_ELEMS,
    EXPORTS,
    Mixed,
    Padded,
    Point,
    Wide,
    list_of,
    same,
)
from wasmtime import Engine, Store
from wasmtime import component as wc
from wbindgen_runtime import lane
from wbindgen_runtime.lane import build_wrapper, lane_specs_for
from wbindgen_runtime.types import U8, U32, Func, List

sys.path.insert(0, str(GENERATED))

import host_imports as hi  # noqa: E402
import kitchen_sink as ks  # noqa: E402
from kitchen_sink.imports import types as kt  # noqa: E402
from test_e2e_host_imports import Blobs, Logger, Root  # noqa: E402


@pytest.fixture(autouse=True)
def _lane_defaults() -> Iterator[None]:
    saved = (lane.enabled(), lane.threshold())
    yield
    lane.configure(enabled=saved[0], threshold=saved[1])


@pytest.fixture(scope="module")
def bulk_bytes() -> bytes:
    return Path(lane_build().build("bulk")).read_bytes()


def bound(data: Any, *, enabled: bool = True, threshold: int | None = None) -> rt.BoundInstance:
    lane.configure(enabled=enabled, threshold=threshold)
    try:
        return rt.instantiate(Store(Engine()), data, exports=EXPORTS)
    finally:
        lane.configure(enabled=True, threshold=lane.DEFAULT_THRESHOLD)


class Both:
    """The same component loaded with the lane (routed, or forced for every length) and without."""

    def __init__(self, data: bytes, threshold: int | None = None) -> None:
        self.lane = bound(data, threshold=threshold)
        self.plain = bound(data, enabled=False)

    def call(self, iface: str | None, name: str, *args: Any) -> Any:
        got = self.lane.func(iface, name)(*args)
        expected = self.plain.func(iface, name)(*args)
        assert same(got, expected), f"{name}: lane {got!r:.200} != plain {expected!r:.200}"
        return got


# ------------------------------------------------------------------ routing


def test_eligible_exports_are_routed_only_with_bytes_or_a_path(
    bulk_bytes: bytes, tmp_path: Path
) -> None:
    path = tmp_path / "bulk.wasm"
    path.write_bytes(bulk_bytes)
    for data in (bulk_bytes, path, str(path)):
        b = bound(data)
        f = b.func(BULK, "echo-u8")
        assert f.lane_spec is not None and f.lane_threshold == lane.DEFAULT_THRESHOLD
    assert bound(bulk_bytes, enabled=False).func(BULK, "echo-u8").lane_spec is None
    # A Component object has no bytes to wrap: the plain path.
    engine = Engine()
    b = rt.instantiate(Store(engine), wc.Component(engine, bulk_bytes), exports=EXPORTS)
    assert b.func(BULK, "echo-u8").lane_spec is None
    assert b.func(BULK, "echo-u8")(b"x" * 100) == b"x" * 100


def test_env_switch(bulk_bytes: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    import wbindgen_runtime.lane.config as cfg

    monkeypatch.setattr(cfg, "_enabled", None)
    monkeypatch.setenv("WBINDGEN_LANE", "0")
    assert not lane.enabled()
    b = rt.instantiate(Store(Engine()), bulk_bytes, exports=EXPORTS)
    assert b.func(BULK, "echo-u8").lane_spec is None
    monkeypatch.setenv("WBINDGEN_LANE", "1")
    b = rt.instantiate(Store(Engine()), bulk_bytes, exports=EXPORTS)
    assert b.func(BULK, "echo-u8").lane_spec is not None


def test_threshold_routes_by_length(bulk_bytes: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    b = bound(bulk_bytes)
    f = b.func(BULK, "echo-u8")
    lane_calls = []
    glb = f.fn.__globals__
    real = glb["_call"]

    def spy(*a: Any) -> Any:
        lane_calls.append(1)
        return real(*a)

    monkeypatch.setitem(glb, "_call", spy)
    f(b"x" * 15)
    assert lane_calls == []
    f(b"x" * 16)
    assert lane_calls == [1]
    # A function whose only lane list is its result always takes the lane.
    assert b.func(BULK, "make").lane_spec is not None


# ------------------------------------------------------------------ equality


LENGTHS = [0, 1, 3, 15, 16, 17, 255, 4099]


@pytest.mark.parametrize("threshold", [0, None])
def test_every_element_type_equals_the_plain_path(bulk_bytes: bytes, threshold: int | None) -> None:
    both = Both(bulk_bytes, threshold)
    for elem, t in ECHO_ELEMS.items():
        for n in LENGTHS:
            value = list_of(t, n)
            got = both.call(BULK, f"echo-{elem}", value)
            assert same(got, value) or elem == "f32"
    for n in (0, 1, 16, 1000):
        data = list_of(U8, n)
        assert both.call(BULK, "sum", data) == sum(data)
        assert both.call(BULK, "make", n, 250) == bytes((250 + i) % 256 for i in range(n))
        assert both.call(BULK, "tag-len", "wörld", data) == 6 + n
        ls = list_of(U32, n, seed=1)
        both.call(BULK, "scale", 3, ls, "é", 2**40, data)
    both.call(None, "echo-world", os.urandom(100))
    both.call(None, "echo-wpoints", list_of(ECHO_ELEMS["point"], 0))


def test_every_byte_value_and_bytes_like(bulk_bytes: bytes) -> None:
    both = Both(bulk_bytes)
    every = bytes(range(256))
    for shift in range(4):
        data = every[shift:] + every[:shift]
        assert both.call(BULK, "echo-u8", data) == data
    data = os.urandom(1001)
    for v in (bytearray(data), memoryview(data), memoryview(data)[::1]):
        assert both.call(BULK, "echo-u8", v) == data
    assert both.call(BULK, "echo-u8", memoryview(data).cast("B", (7, 143))) == data


def test_16_mib(bulk_bytes: bytes) -> None:
    b = bound(bulk_bytes)
    data = os.urandom(16 << 20)
    assert b.func(BULK, "echo-u8")(data) == data
    assert b.func(BULK, "sum")(data) == sum(data)
    floats = list_of(ECHO_ELEMS["f64"], 1 << 21)
    assert same(b.func(BULK, "echo-f64")(floats), floats)


def test_values_only_the_plain_path_takes(bulk_bytes: bytes) -> None:
    """int subclasses, float subclasses, tuples, f32 beyond range: the lane refuses, plain runs."""

    class MyInt(int):
        pass

    class MyFloat(float):
        pass

    both = Both(bulk_bytes, threshold=0)
    assert both.call(BULK, "echo-u32", [MyInt(5)] * 20) == [5] * 20
    assert both.call(BULK, "echo-f64", [MyFloat(1.5)] * 20) == [1.5] * 20
    assert both.call(BULK, "echo-u32", tuple(range(20))) == list(range(20))
    wide = [Wide(1, 2, 1e39), Wide(-1, -2, -1e39)] * 10
    assert [w.c for w in both.call(BULK, "echo-wide", wide)][:2] == [math.inf, -math.inf]
    assert both.call(BULK, "echo-f32", [1e39] * 20) == [math.inf] * 20


# ------------------------------------------------------------------ errors

BAD: list[tuple[str, tuple[Any, ...]]] = [
    ("echo-u8", ("text" * 10,)),
    ("echo-u8", ([1] * 20,)),
    ("echo-u8", (5,)),
    ("echo-u16", ([1] * 19 + [65536],)),
    ("echo-s8", ([-129] * 20,)),
    ("echo-u32", ([1.5] * 20,)),
    ("echo-u32", ([1] * 19 + [True],)),
    ("echo-u64", ([-1] * 20,)),
    ("echo-f64", ([1.0] * 19 + ["x"],)),
    ("echo-f64", ([1.0] * 19 + [True],)),
    ("echo-f64", ([Decimal(1)] * 20,)),
    ("echo-f64", ([2**1024] * 20,)),
    ("echo-bool", ([True] * 19 + [1],)),
    ("echo-char", (["a"] * 19 + ["ab"],)),
    ("echo-char", (["a"] * 19 + ["\ud800"],)),
    ("echo-point", ([Padded(1, 2.0)] * 20,)),
    ("echo-padded", ([Padded(1, 2.0)] * 19 + [Padded(256, 2.0)],)),
    ("echo-padded", ([Padded(True, 2.0)] * 20,)),
    ("echo-padded", ([Padded(1, True)] * 20,)),  # type: ignore[arg-type]
    ("echo-padded", ([Padded(1.5, 2.0)] * 20,)),  # type: ignore[arg-type]
    ("echo-mixed", ([Mixed(1, 2, 3, 4, 1)] * 20,)),  # type: ignore[arg-type]
    ("echo-pair", ([(1, 2.0)] * 19 + [(1,)],)),
    ("echo-pair", ([(1, 2.0)] * 19 + [(1, "x")],)),
    ("echo-pair", ([(True, 2.0)] * 20,)),
    ("echo-pair", ([(-1, 2.0)] * 20,)),
    ("echo-point", (iter([Point(1.0, 2.0)] * 20),)),
    ("sum", (b"", b"")),
    ("make", (2**32, 1)),
    ("make", (True, 1)),
    ("tag-len", (5, b"x" * 20)),
    ("scale", (1, [1] * 20, "t", -1, b"")),
]


@pytest.mark.parametrize(("name", "args"), BAD, ids=[f"{n}-{i}" for i, (n, _) in enumerate(BAD)])
def test_bad_arguments_raise_what_the_plain_path_raises(
    bulk_bytes: bytes, name: str, args: tuple[Any, ...]
) -> None:
    both = Both(bulk_bytes, threshold=0)
    with pytest.raises(Exception) as plain_err:
        both.plain.func(BULK, name)(*args)
    with pytest.raises(Exception) as lane_err:
        both.lane.func(BULK, name)(*args)
    assert type(lane_err.value) is type(plain_err.value)
    assert str(lane_err.value) == str(plain_err.value)
    assert isinstance(lane_err.value, (TypeError, ValueError, OverflowError))
    assert "param" in str(lane_err.value) or "argument" in str(lane_err.value)
    assert both.lane.func(BULK, "echo-u8")(b"still fine" * 3) == b"still fine" * 3


# ------------------------------------------------------------------ traps


@pytest.mark.parametrize("threshold", [0, None])
def test_trap_then_instance_trapped_like_the_plain_path(
    bulk_bytes: bytes, threshold: int | None
) -> None:
    both = Both(bulk_bytes, threshold)
    assert both.call(BULK, "trap13", b"x" * 12) == b"x" * 12
    errs = []
    for b in (both.lane, both.plain):
        with pytest.raises(rt.Trap) as e:
            b.func(BULK, "trap13")(b"x" * 13)
        assert type(e.value) is rt.Trap and "unreachable" in str(e.value)
        assert "wbindgen-lane" not in str(e.value)
        errs.append(e.value)
        for name, arg in (("echo-u8", b"ok"), ("echo-u8", b"x" * 100), ("sum", b"")):
            with pytest.raises(rt.InstanceTrappedError):
                b.func(BULK, name)(arg)
        assert b.trapped


# ------------------------------------------------------------------ load-time check


def test_type_check_names_the_original_and_falls_back(bulk_bytes: bytes) -> None:
    def msg(exports: list[tuple[str | None, str, Func]], enabled: bool) -> str:
        lane.configure(enabled=enabled)
        with pytest.raises(rt.TypeCheckError) as e:
            rt.instantiate(Store(Engine()), bulk_bytes, exports=exports)
        return str(e.value)

    cases = [
        [(BULK, "echo-u8", Func((("l", List(U32)),), List(U32)))],  # same flat shape
        [(BULK, "make", Func((("n", List(U8)), ("seed", U8)), List(U8)))],  # wrapper rejected
        [(BULK, "nope", Func((("l", List(U8)),), List(U8)))],
        [("test:lane/none", "echo-u8", Func((("l", List(U8)),), List(U8)))],
        [(None, "nope", Func((("l", List(U8)),), List(U8)))],
    ]
    for exports in cases:
        on, off = msg(exports, True), msg(exports, False)
        assert on == off
        assert "lane" not in on.replace("test:lane/", "")


def test_unsupported_component_falls_back(
    bulk_bytes: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    import wbindgen_runtime.lane.wrapper as wrapper
    from wbindgen_runtime.lane import LaneUnsupportedError

    def refuse(*a: Any, **k: Any) -> bytes:
        raise LaneUnsupportedError("no")

    monkeypatch.setattr(wrapper, "build_wrapper", refuse)
    b = rt.instantiate(Store(Engine()), bulk_bytes, exports=EXPORTS)
    assert b.func(BULK, "echo-u8").lane_spec is None
    assert b.func(BULK, "echo-u8")(b"x" * 100) == b"x" * 100
    assert b.prepared.lane_status == "rejected: no"


# ------------------------------------------------------------------ status


def test_lane_status_says_why_calls_take_the_plain_path(
    bulk_bytes: bytes, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    import wbindgen_runtime.lane.wrapper as wrapper

    def prepared(source: Any, exports: Any = EXPORTS, **kw: Any) -> rt.Prepared:
        with caplog.at_level(logging.INFO, logger="wbindgen_runtime.lane"):
            return rt.prepare(Engine(), source, rt.Bindings(exports=exports), **kw)

    assert prepared(bulk_bytes).lane_status == "wrapped"
    assert prepared(bulk_bytes, lane=False).lane_status == "off"
    lane.configure(enabled=False)
    assert prepared(bulk_bytes).lane_status == "off"
    lane.configure(enabled=True)
    assert prepared(bulk_bytes, exports=[]).lane_status == "not eligible"
    status = prepared(wc.Component(Engine(), bulk_bytes)).lane_status
    assert status == "not eligible: a Component object has no bytes to wrap (pass its path)"
    assert caplog.records == []  # nothing was rejected so far

    # wasmtime rejects the wrapper (both builds): the original is compiled
    # instead, and a warning says so, once.
    monkeypatch.setattr(wrapper, "build_wrapper", lambda *a, **k: b"\0asm\x0d\0\x01\0junk")
    pre = prepared(bulk_bytes)
    assert pre.lane_status.startswith("rejected: wasmtime: "), pre.lane_status
    assert [(r.name, r.levelname) for r in caplog.records] == [("wbindgen_runtime.lane", "WARNING")]
    assert pre.lane_status in caplog.records[0].getMessage()
    assert "plain path" in caplog.records[0].getMessage()
    inst = pre.instantiate(Store(pre.engine))
    assert inst.func(BULK, "echo-u8").lane_spec is None
    assert inst.func(BULK, "echo-u8")(b"x" * 100) == b"x" * 100


def test_generated_pre_reports_the_lane_status() -> None:
    engine = Engine()
    path = str(component("kitchen_sink"))
    assert ks.KitchenSink.prepare(engine, path).lane_status == "wrapped"
    assert ks.KitchenSink.prepare(engine, path, lane=False).lane_status == "off"


# ------------------------------------------------------------------ caching


def test_wrapper_goes_through_the_compiled_cache(bulk_bytes: bytes, tmp_path: Path) -> None:
    import subprocess

    folder = tmp_path / "cache"
    comp = tmp_path / "bulk.wasm"
    comp.write_bytes(bulk_bytes)
    code = (
        "import sys, wasmtime, wbindgen_runtime as rt; sys.path.insert(0, 'tests');"
        "from test_lane import EXPORTS, BULK;"
        f"b = rt.instantiate(wasmtime.Store(), {str(comp)!r}, exports=EXPORTS);"
        "f = b.func(BULK, 'echo-u8'); assert f.lane_spec is not None;"
        "assert f(b'y' * 100) == b'y' * 100"
    )
    env = dict(os.environ, WBINDGEN_CACHE_DIR=str(folder), WBINDGEN_CACHE="1")
    for _ in range(2):
        subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=ROOT)
    wrapped = build_wrapper(bulk_bytes, lane_specs_for(EXPORTS))
    digest = hashlib.sha256(wrapped).hexdigest()
    entries = sorted(p.name for p in (folder / "components").glob("*.cwasm"))
    assert len(entries) == 1 and entries[0].startswith(digest), entries


# ------------------------------------------------------------------ generated bindings


@pytest.mark.parametrize("enabled", [True, False])
def test_kitchen_sink_bytes_and_points(enabled: bool) -> None:
    lane.configure(enabled=enabled)
    inst = ks.KitchenSink.instantiate(wasmtime.Store(), str(component("kitchen_sink")))
    lane.configure(enabled=False)
    plain = ks.KitchenSink.instantiate(wasmtime.Store(), str(component("kitchen_sink")))
    assert (
        inst._bound.func("example:kitchen/api@0.1.0", "echo-bytes").lane_spec is not None
    ) is enabled
    for n in (0, 1, 15, 16, 17, 1000, 300_001):
        data = os.urandom(n)
        assert inst.api.echo_bytes(data) == plain.api.echo_bytes(data) == data
        pts = [kt.Point(i - n, (2**31 - 1) - i) for i in range(min(n, 5000))]
        assert inst.api.echo_points(pts) == plain.api.echo_points(pts) == pts
    with pytest.raises(TypeError, match="param 'p'") as e:
        inst.api.echo_points([kt.Point(True, 1)] * 20)  # type: ignore[arg-type]
    with pytest.raises(TypeError) as e2:
        plain.api.echo_points([kt.Point(True, 1)] * 20)  # type: ignore[arg-type]
    assert str(e.value) == str(e2.value)
    with pytest.raises(OverflowError, match="param 'p'"):
        inst.api.echo_points([kt.Point(2**31, 1)] * 20)


def test_host_imports_blob_roundtrip_through_the_lane() -> None:
    host = hi.HostImportsImports(logger=Logger(), blobs=Blobs(), root=Root())
    inst = hi.HostImports.instantiate(wasmtime.Store(), str(component("host_imports")), host)
    assert inst._bound.func("example:host/runner@0.1.0", "blob-roundtrip").lane_spec is not None
    for data in (b"", b"abc", os.urandom(100_000)):
        assert inst.runner.blob_roundtrip(data) == data
    b = host.blobs
    assert isinstance(b, Blobs) and all(m.dropped for m in b.made) and len(b.made) == 3
    assert inst.runner.run("hi") == "none hi"
