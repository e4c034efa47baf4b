"""Loading components through generated bindings: the check on the bytes
before compiling, semver-compatible names, reuse of prepared components, the
error types of bad input, WASI per store, and values typed as mypy types them."""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import wasmtime
import wbindgen_runtime as rt
from support.components import GENERATED, ROOT, component
from wasmtime.component import Component
from wbindgen_runtime import cache

KITCHEN = ROOT / "examples" / "kitchen_sink.wat"


def _import(name: str) -> ModuleType:
    sys.path.insert(0, str(GENERATED))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(GENERATED))


@pytest.fixture(scope="module")
def kitchen() -> ModuleType:
    return _import("kitchen_sink")


@pytest.fixture
def private_cache(tmp_path: Path) -> Any:
    root = tmp_path / "cache"
    cache.configure(enabled=True, folder=root)
    yield root
    cache._folder = None  # type: ignore[attr-defined]
    cache._enabled = None  # type: ignore[attr-defined]


def _variant(text: str, old: str, new: str) -> bytes:
    assert old in text
    return wasmtime.wat2wasm(text.replace(old, new))


def test_a_mismatch_is_refused_before_compiling(
    kitchen: ModuleType, private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    renamed = _variant(KITCHEN.read_text(), '(field "x" s32)', '(field "left" s32)')
    compiled: list[int] = []
    real = cache.compile_bytes
    monkeypatch.setattr(cache, "compile_bytes", lambda e, d: compiled.append(1) or real(e, d))
    t = time.perf_counter()
    with pytest.raises(rt.TypeCheckError) as info:
        kitchen.KitchenSink.instantiate(wasmtime.Store(), renamed)
    elapsed = time.perf_counter() - t
    assert "record field 1: expected 'x: s32', found 'left: s32'" in str(info.value)
    assert compiled == []  # wasmtime compiled nothing...
    assert not any(private_cache.rglob("*.cwasm"))  # ...and the cache holds nothing of it
    assert elapsed < 1.0, elapsed


def test_semver_compatible_versions_load_and_others_are_named(kitchen: ModuleType) -> None:
    text = KITCHEN.read_text()
    patch = _variant(text, "example:kitchen/api@0.1.0", "example:kitchen/api@0.1.7")
    inst = kitchen.KitchenSink.instantiate(wasmtime.Store(), patch)
    assert inst.api.add(40, 2) == 42
    minor = _variant(text, "example:kitchen/api@0.1.0", "example:kitchen/api@0.2.0")
    with pytest.raises(rt.TypeCheckError) as info:
        kitchen.KitchenSink.instantiate(wasmtime.Store(), minor)
    assert str(info.value) == (
        "export 'example:kitchen/api@0.1.0': the component has "
        "'example:kitchen/api@0.2.0', which is not semver-compatible"
    )


def test_the_same_path_is_prepared_once_and_a_changed_file_is_noticed(
    kitchen: ModuleType, tmp_path: Path
) -> None:
    path = tmp_path / "k.wat"
    path.write_text(KITCHEN.read_text())
    engine = wasmtime.Engine()
    first = kitchen.KitchenSink.instantiate(wasmtime.Store(engine), path)
    again = kitchen.KitchenSink.instantiate(wasmtime.Store(engine), path)
    assert first._bound.prepared is again._bound.prepared
    path.write_text(KITCHEN.read_text().replace('(field "x" s32)', '(field "left" s32)'))
    with pytest.raises(rt.TypeCheckError, match="found 'left: s32'"):
        kitchen.KitchenSink.instantiate(wasmtime.Store(engine), path)


def test_a_component_object_gets_the_lane_when_its_bytes_are_known(kitchen: ModuleType) -> None:
    engine = wasmtime.Engine()
    known = rt.load_component(engine, KITCHEN)
    assert kitchen.KitchenSink.instantiate(wasmtime.Store(engine), known)._bound.lane_enabled
    foreign = Component(engine, KITCHEN.read_text())
    inst = kitchen.KitchenSink.instantiate(wasmtime.Store(engine), foreign)
    assert not inst._bound.lane_enabled  # wasmtime keeps no bytes to wrap
    assert inst.api.echo_bytes(b"x" * 100) == b"x" * 100


def test_bad_input_gets_its_own_error_types(kitchen: ModuleType, tmp_path: Path) -> None:
    with pytest.raises(rt.ReaderError, match="not a component binary"):
        kitchen.KitchenSink.instantiate(wasmtime.Store(), b"\x7fELF garbage")
    core = wasmtime.wat2wasm("(module)")
    with pytest.raises(rt.ReaderError, match="core WebAssembly module, not a component"):
        kitchen.KitchenSink.instantiate(wasmtime.Store(), core)
    with pytest.raises(FileNotFoundError):
        kitchen.KitchenSink.instantiate(wasmtime.Store(), tmp_path / "missing.wasm")
    # A Component of another engine whose bytes the runtime knows is compiled
    # again for the store's engine; one it never saw cannot be, and is named.
    known = rt.load_component(wasmtime.Engine(), KITCHEN)
    assert kitchen.KitchenSink.instantiate(wasmtime.Store(), known).api.add(1, 2) == 3
    foreign = Component(wasmtime.Engine(), KITCHEN.read_text())
    with pytest.raises(rt.EngineMismatchError, match="another wasmtime.Engine"):
        kitchen.KitchenSink.instantiate(wasmtime.Store(), foreign)
    store = wasmtime.Store()
    store.set_limits(memory_size=1024)
    with pytest.raises(rt.InstantiationError, match="memory"):
        kitchen.KitchenSink.instantiate(store, KITCHEN)
    for err in (rt.ReaderError, rt.EngineMismatchError, rt.InstantiationError):
        assert issubclass(err, rt.WbindgenError)


def test_wasi_belongs_to_the_store() -> None:
    hello = _import("wasi_hello")
    path = component("wasi_hello")
    out: list[bytes] = []
    wasi = wasmtime.WasiConfig()
    wasi.stdout_custom = out.append
    store = wasmtime.Store()
    first = hello.WasiHello.instantiate(store, path, wasi=wasi)
    second = hello.WasiHello.instantiate(store, path)  # shares the store's WASI
    third = hello.WasiHello.instantiate(store, path, wasi=wasi)  # the same one: fine
    for inst in (first, second, third):
        inst.greet("you")
    assert b"".join(out) == b"hello, you\n" * 3
    with pytest.raises(rt.WasiConfigError, match="belongs to a store"):
        hello.WasiHello.instantiate(store, path, wasi=wasmtime.WasiConfig())
    first.greet("again")  # the first instance's WASI was not replaced
    assert out[-1] == b"hello, again\n"


def test_subclasses_of_generated_classes_are_accepted(kitchen: ModuleType) -> None:
    from kitchen_sink.imports.types import Point, Shape_Rect

    class TaggedPoint(Point):
        tag = "mine"

    class BigRect(Shape_Rect):
        pass

    inst = kitchen.KitchenSink.instantiate(wasmtime.Store(), KITCHEN)
    assert inst.api.echo_points([TaggedPoint(1, 2), Point(3, 4)]) == [Point(1, 2), Point(3, 4)]
    assert inst.api.echo_shape(BigRect(TaggedPoint(5, 6))) == Shape_Rect(Point(5, 6))
