"""The wrapper is valid for every component the tests can find (tests/lane_components/sweep.py).

Each component is wrapped with lane specs derived from wasmtime's reflection
of its exports; wasmtime must compile the wrapper, and the wrapper's imports
and exports (names and structural types, instances recursively) must be the
original's plus the lane exports. Components that wasmtime itself rejects
(async, threads, newer proposals) are still wrapped, and the wrapper must be
built (no refusal) and, with wasm-tools present, validate.

Hand-written component WAT that exports types at its top level needs the
wrapper's export ascriptions (runtime/lane/_restate.py): those components also
take the lane through `instantiate`.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import wasmtime
import wbindgen_runtime as rt
from lane_components import sweep
from runtime_components.wat import ALLOC
from support.components import ROOT, require_wasm_tools
from support.wasmtime_bugs import NESTED_SHARED_INSTANCE_TYPE, wat2wasm
from wasmtime import Engine, Store
from wasmtime import component as wc
from wbindgen_runtime import lane
from wbindgen_runtime.lane import build_wrapper
from wbindgen_runtime.lane import config as lane_config
from wbindgen_runtime.types import F64, U8, Func, List, Record

COMPONENTS: list[tuple[str, Callable[[], bytes]]] = list(sweep.components())


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


@pytest.mark.parametrize("label,load", COMPONENTS, ids=[c[0] for c in COMPONENTS])
def test_wrapper_compiles_for_every_component(
    engine: Engine, label: str, load: Callable[[], bytes], tmp_path: Path
) -> None:
    if label == "tests/reader_components/double_import.wat" and NESTED_SHARED_INSTANCE_TYPE.present:
        pytest.skip(NESTED_SHARED_INSTANCE_TYPE.reason)
    raw = load()
    out = sweep.sweep_one(engine, label, raw)  # raises AssertionError on a bad wrapper
    assert out.status in ("wrapped", "skipped"), out
    if out.status == "skipped":  # wasmtime rejects the original itself
        wrapped = build_wrapper(raw, [])
        exe = require_wasm_tools()
        (tmp_path / "w.wasm").write_bytes(wrapped)
        proc = subprocess.run(
            [exe, "validate", "--features", "all", str(tmp_path / "w.wasm")],
            capture_output=True,
            text=True,
        )
        assert proc.returncode == 0, proc.stderr


def test_sweep_covers_the_hand_written_classes() -> None:
    labels = {label for label, _ in COMPONENTS}
    for must in (
        "runtime_components/identities",
        "runtime_components/identities-in-interface",
        "tests/runtime_components/counter.wat",
        "tests/runtime_components/twins.wat",
        "benchmarks/bench_runtime",
        "hardening/typegen-1",
    ):
        assert must in labels


# ---------------------------------------------------------------- through instantiate

#: Top-level exported types used by a world-level function and by a function
#: of an inline instance: both re-exports need ascriptions in the wrapper.
HAND_WRITTEN = f"""(component
  (core module $m
{ALLOC}
    (func (export "echo") (param i32 i32) (result i32)
      call $tick
      i32.const 16 local.get 0 i32.store
      i32.const 20 local.get 1 i32.store
      i32.const 16))
  (core instance $i (instantiate $m))
  (alias core export $i "mem" (core memory $mem))
  (alias core export $i "realloc" (core func $realloc))
  (type $point' (record (field "x" f64) (field "y" f64)))
  (export $point "point" (type $point'))
  (type $pair' (record (field "a" $point) (field "b" $point)))
  (export $pair "pair" (type $pair'))
  (func $echo-points (param "l" (list $point)) (result (list $point))
    (canon lift (core func $i "echo") (memory $mem) (realloc $realloc)
      (post-return (core func $i "reset-i32"))))
  (func $echo-bytes (param "l" (list u8)) (result (list u8))
    (canon lift (core func $i "echo") (memory $mem) (realloc $realloc)
      (post-return (core func $i "reset-i32"))))
  (func $calls (result u32) (canon lift (core func $i "calls")))
  (export "calls" (func $calls))
  (export "echo-bytes" (func $echo-bytes))
  (instance $api (export "echo-points" (func $echo-points)) (export "point" (type $point)))
  (export "test:hand/api" (instance $api))
)
"""


@dataclass
class Point:
    x: float
    y: float


POINT = Record("point", Point, (("x", "x", F64), ("y", "y", F64)))
EXPORTS: list[tuple[str | None, str, Func]] = [
    (None, "echo-bytes", Func((("l", List(U8)),), List(U8))),
    ("test:hand/api", "echo-points", Func((("l", List(POINT)),), List(POINT))),
]


def test_hand_written_types_take_the_lane(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = bytes(wasmtime.wat2wasm(HAND_WRITTEN))
    assert sweep.sweep_one(engine, "hand", raw).lanes == 2
    monkeypatch.setattr(lane_config, "_enabled", True)
    monkeypatch.setattr(lane_config, "_threshold", 0)
    bound = rt.instantiate(Store(engine), raw, exports=EXPORTS)
    echo_bytes = bound.func(None, "echo-bytes")
    echo_points = bound.func("test:hand/api", "echo-points")
    assert echo_bytes.lane_spec is not None and echo_points.lane_spec is not None
    data = bytes(range(256)) * 300
    assert echo_bytes(data) == data
    pts = [Point(float(i), -0.5 * i) for i in range(1000)]
    assert echo_points(pts) == pts


def test_wrapper_exports_keep_their_structure(engine: Engine) -> None:
    raw = bytes(wasmtime.wat2wasm(HAND_WRITTEN))
    specs = lane.lane_specs_for(EXPORTS)
    o = wc.Component(engine, raw)
    w = wc.Component(engine, build_wrapper(raw, specs))
    o_ex = sweep.shapes(engine, o.type.exports(engine))
    w_ex = sweep.shapes(engine, w.type.exports(engine))
    assert {n: s for n, s in w_ex.items() if not n.startswith("wbindgen-lane-")} == o_ex
    assert "point" in o_ex["test:hand/api"]


def test_the_lane_leaves_shared_instance_types_alone_where_wasmtime_aborts() -> None:
    """wasmtime before 50 aborts the process validating the wrapper of a
    component whose imported instances share one type: the runtime then
    serves it on the plain path instead of building that wrapper."""
    from wbindgen_runtime import prepared
    from wbindgen_runtime.lane import LaneUnsupportedError

    raw = wat2wasm((ROOT / "tests/reader_components/double_import.wat").read_text())
    with pytest.raises(LaneUnsupportedError, match="share one instance type"):
        build_wrapper(raw, [], shared_instance_types=False)
    assert build_wrapper(raw, [])[:4] == b"\0asm"
    assert prepared._NESTS_SHARED_TYPES is not NESTED_SHARED_INSTANCE_TYPE.present
