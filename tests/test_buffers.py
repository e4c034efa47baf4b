"""Numeric lists as buffers (issue 18): `array.array`, numpy arrays and memoryviews in,
`array.array` out with `BufferList` (`wbindgen --buffers`), on the plain path and the
lane alike.

Every check runs through three instances of the bulk test component: the lane
forced for every length (`threshold=0`), the lane off, and the typed plain path
given the same values as Python lists; the buffer-results variant of each uses
`BufferList` descriptors. Round trips compare bytes, so NaN payloads, -0.0,
subnormals and the extremes are checked bit for bit."""

from __future__ import annotations

import struct
import subprocess
import sys
from array import array
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import wbindgen_runtime as rt
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.components import ROOT
from support.paths import lane_build
from test_lane import BULK
from wasmtime import Engine, Store
from wasmtime import component as wc
from wbindgen_runtime import lane
from wbindgen_runtime.buffers import BufferList
from wbindgen_runtime.lane import LaneCall, lane_export_name, lane_specs_for
from wbindgen_runtime.lower import ARRAY_CODE, BufferFormatError
from wbindgen_runtime.types import F32, F64, S8, S16, S32, S64, U8, U16, U32, U64, Func, List

SCALARS = {"u8": U8, "s8": S8, "u16": U16, "s16": S16, "u32": U32, "s32": S32,
           "u64": U64, "s64": S64, "f32": F32, "f64": F64}  # fmt: skip
NUMPY = {"u8": "u1", "s8": "i1", "u16": "u2", "s16": "i2", "u32": "u4", "s32": "i4",
         "u64": "u8", "s64": "i8", "f32": "f4", "f64": "f8"}  # fmt: skip

#: Bit patterns each type must carry unchanged (as unsigned integers of its width).
EDGES: dict[str, list[int]] = {
    "f64": [
        0x7FF8000000000001,  # quiet NaN with a payload
        0x7FF0000000000001,  # signaling NaN
        0xFFF4000000ABCDEF,  # negative NaN with a payload
        0x8000000000000000,  # -0.0
        0x0000000000000001,  # smallest subnormal
        0x800FFFFFFFFFFFFF,  # largest negative subnormal
        0x7FEFFFFFFFFFFFFF,  # largest finite
        0x7FF0000000000000,  # inf
        0xFFF0000000000000,  # -inf
        0x3FF0000000000000,  # 1.0
    ],
    "f32": [0x7FC00001, 0x7F800001, 0xFFA0ABCD, 0x80000000, 0x00000001, 0x807FFFFF,
            0x7F7FFFFF, 0x7F800000, 0xFF800000, 0x3F800000],  # fmt: skip
}
for _name, _bits in ((n, int(n[1:])) for n in SCALARS if n[0] in "us"):
    _top = (1 << _bits) - 1
    EDGES[_name] = [0, 1, _top, _top - 1, 1 << (_bits - 1), (1 << (_bits - 1)) - 1, 0x5A & _top]

_UINT = {1: "B", 2: "H", 4: "I", 8: "Q"}


def from_bits(name: str, bits: list[int]) -> array[Any]:
    """An array of `name`'s items with exactly these bit patterns."""
    size = array(ARRAY_CODE[name]).itemsize
    return array(ARRAY_CODE[name], struct.pack(f"<{len(bits)}{_UINT[size]}", *bits))


def raw(v: Any, name: str) -> bytes:
    """The items of a result (list or array) as bytes of `name`'s layout."""
    return array(ARRAY_CODE[name], v).tobytes() if not isinstance(v, bytes) else v


def _echo(t: Any, buffers: bool) -> Func:
    ls = (BufferList if buffers else List)(t)
    return Func((("l", ls),), ls)


def exports(buffers: bool) -> list[tuple[str | None, str, Func]]:
    return [(BULK, f"echo-{n}", _echo(t, buffers)) for n, t in SCALARS.items()]


@pytest.fixture(scope="module")
def bulk_bytes() -> bytes:
    return Path(lane_build().build("bulk")).read_bytes()


def _bound(data: bytes, *, buffers: bool, enabled: bool) -> rt.BoundInstance:
    lane.configure(enabled=enabled, threshold=0)
    try:
        return rt.instantiate(Store(Engine()), data, exports=exports(buffers))
    finally:
        lane.configure(enabled=True, threshold=lane.DEFAULT_THRESHOLD)


ROUTES = [("lane", True), ("plain", False)]


@pytest.fixture(scope="module")
def instances(bulk_bytes: bytes) -> dict[tuple[str, bool], rt.BoundInstance]:
    return {
        (route, buffers): _bound(bulk_bytes, buffers=buffers, enabled=on)
        for route, on in ROUTES
        for buffers in (False, True)
    }


def call(instances: dict[tuple[str, bool], rt.BoundInstance], route: str, buffers: bool,
         name: str, v: Any) -> Any:  # fmt: skip
    f = instances[(route, buffers)].func(BULK, f"echo-{name}")
    assert (f.lane_spec is not None) == (route == "lane")
    return f(v)


def inputs(name: str, a: array[Any]) -> Iterator[tuple[str, Any]]:
    """The same items as array.array, numpy array, memoryviews and a strided view."""
    yield "array", a
    yield "numpy", np.frombuffer(a.tobytes(), dtype="<" + NUMPY[name])
    yield "memoryview", memoryview(a)
    yield "ctypes-style '<' format", memoryview(bytearray(a.tobytes())).cast("B").cast(a.typecode)
    # Each item twice, copied bit for bit (a float round trip would quiet NaNs).
    doubled = np.repeat(np.frombuffer(a.tobytes(), dtype=NUMPY[name]), 2)
    yield "strided numpy", doubled[::2]
    yield "strided memoryview", memoryview(array(a.typecode, doubled.tobytes()))[1::2]


# ---------------------------------------------------------------- round trips


@pytest.mark.parametrize("route", [r for r, _ in ROUTES])
@pytest.mark.parametrize("name", list(SCALARS))
def test_round_trips_are_bit_exact(instances: Any, route: str, name: str) -> None:
    a = from_bits(name, EDGES[name] * 3)  # 30 items: above any threshold too
    for label, v in inputs(name, a):
        out = call(instances, route, True, name, v)
        if name == "u8":
            assert out == a.tobytes(), label
            continue
        assert type(out) is array and out.typecode == ARRAY_CODE[name], label
        assert out.tobytes() == a.tobytes(), (label, out)
        as_list = call(instances, route, False, name, v)
        assert type(as_list) is list
        if name == "f32":
            # A Python float is a double: converting an f32 signaling NaN to
            # one quiets it (the CPU's conversion), on both paths alike.
            quiet = array("f", as_list).tobytes() == from_bits("f32", [
                b | 0x400000 if b & 0x7F800000 == 0x7F800000 and b & 0x7FFFFF else b
                for b in EDGES["f32"] * 3]).tobytes()  # fmt: skip
            assert quiet, label
        else:
            assert raw(as_list, name) == a.tobytes(), label


@pytest.mark.parametrize("route", [r for r, _ in ROUTES])
def test_empty_and_reversed_buffers(instances: Any, route: str) -> None:
    assert call(instances, route, True, "f64", array("d")) == array("d")
    assert call(instances, route, False, "u32", np.zeros(0, dtype=np.uint32)) == []
    rev = np.arange(40, dtype=np.int16)[::-1]  # negative strides: copied in order
    assert call(instances, route, False, "s16", rev) == list(range(39, -1, -1))


class LyingArray(array):  # type: ignore[type-arg]
    """Claims another length and other items: only its memory may count."""

    def __len__(self) -> int:
        return 1_000_000

    def __iter__(self) -> Iterator[Any]:
        return iter([0] * 3)


@pytest.mark.parametrize("route", [r for r, _ in ROUTES])
def test_the_memory_decides_not_len_or_iter(instances: Any, route: str) -> None:
    v = LyingArray("d", [1.5, -2.0, 4.25] * 10)
    real = array("d", [1.5, -2.0, 4.25] * 10)
    assert call(instances, route, True, "f64", v).tobytes() == real.tobytes()
    assert call(instances, route, False, "f64", v) == [1.5, -2.0, 4.25] * 10


# ---------------------------------------------------------------- refusals

MISMATCHES: list[tuple[str, Callable[[], Any], str, str]] = [
    ("f64", lambda: array("f", [1.0] * 20), "'d' (8-byte float)", "'f' (4-byte float)"),
    ("u32", lambda: np.arange(20, dtype=np.int64), "'I' (4-byte unsigned int)",
     "'l' (8-byte signed int)"),
    ("s64", lambda: array("d", [1.0] * 20), "'q' (8-byte signed int)", "'d' (8-byte float)"),
    ("u32", lambda: np.arange(20, dtype=np.int32), "'I' (4-byte unsigned int)",
     "'i' (4-byte signed int)"),
    ("f64", lambda: np.zeros(20, dtype=">f8"), "'d' (8-byte float)",
     "'>d' (8-byte float, big-endian)"),
    ("u16", lambda: b"\x00" * 40, "'H' (2-byte unsigned int)", "'B' (1-byte unsigned int)"),
    ("f32", lambda: np.zeros(20, dtype=np.float16), "'f' (4-byte float)", "'e' (2-byte float)"),
    ("u8", lambda: array("i", [1] * 20), "'B' (1-byte unsigned int)", "'i' (4-byte signed int)"),
    ("f64", lambda: np.zeros(20, dtype=np.complex64), "'d' (8-byte float)", "'Zf'"),
]  # fmt: skip


@pytest.mark.parametrize("route", [r for r, _ in ROUTES])
@pytest.mark.parametrize("name,make,want,got", MISMATCHES, ids=[f"{m[0]}-{m[3]}" for m in MISMATCHES])
def test_other_formats_are_refused_naming_both(
    instances: Any, route: str, name: str, make: Callable[[], Any], want: str, got: str
) -> None:
    with pytest.raises(BufferFormatError) as e:
        call(instances, route, False, name, make())
    msg = str(e.value)
    assert msg.startswith(f"param 'l': list<{name}> takes buffers of format {want}"), msg
    assert f"got a buffer of format {got}" in msg, msg
    assert isinstance(e.value, TypeError)


@pytest.mark.parametrize("route", [r for r, _ in ROUTES])
def test_two_dimensional_buffers_are_refused(instances: Any, route: str) -> None:
    with pytest.raises(BufferFormatError, match=r"takes 1-dimensional buffers, got 2 dimensions "
                       r"\(shape \(4, 5\)\); flatten it first"):  # fmt: skip
        call(instances, route, False, "f64", np.zeros((4, 5)))
    with pytest.raises(BufferFormatError, match="got 0 dimensions"):
        call(instances, route, False, "f64", np.float64(1.0))


@pytest.mark.parametrize("route", [r for r, _ in ROUTES])
def test_a_refused_buffer_is_not_left_locked(instances: Any, route: str) -> None:
    a = array("f", [1.0] * 20)
    with pytest.raises(BufferFormatError) as e:
        call(instances, route, False, "f64", a)
    a.append(2.0)  # resizing raises BufferError while any view of it is alive
    ok = array("d", [1.0] * 20)
    call(instances, route, False, "f64", ok)
    ok.append(2.0)
    assert e.value is not None  # the exception (and its traceback) is still alive here


def test_lane_call_refuses_the_same_formats(bulk_bytes: bytes) -> None:
    """The dynamic-API helper `LaneCall` packs buffers with the same rules."""
    exps = exports(False)
    spec = lane_specs_for(exps)[[n for _, n, _ in exps].index("echo-f64")]
    lc = LaneCall(spec)
    with pytest.raises(BufferFormatError, match="param 'l': list<f64> takes buffers of format 'd'"):
        lc.pack([array("f", [1.0])])
    engine = Engine()
    specs = lane_specs_for(exps)
    comp = wc.Component(engine, lane.build_wrapper(bulk_bytes, specs))
    store = Store(engine)
    inst = wc.Linker(engine).instantiate(store, comp)
    k = specs.index(spec)
    f = inst.get_func(store, lane_export_name(k))
    assert f is not None
    data = from_bits("f64", EDGES["f64"])
    got = lc.call(lambda *a: f(store, *a), data)  # raw doubles, then as a list: same path
    assert array("d", got).tobytes() == data.tobytes()
    assert array("d", lc.call(lambda *a: f(store, *a), list(data))).tobytes() == data.tobytes()


# ---------------------------------------------------------------- property


@st.composite
def numbers(draw: st.DrawFn) -> tuple[str, array[Any]]:
    name = draw(st.sampled_from([n for n in SCALARS if n != "u8"]))
    size = array(ARRAY_CODE[name]).itemsize
    bits = draw(st.lists(st.integers(0, (1 << (8 * size)) - 1), max_size=40))
    return name, from_bits(name, bits)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=numbers(), route=st.sampled_from([r for r, _ in ROUTES]),
       kind=st.sampled_from(["array", "numpy"]))  # fmt: skip
def test_buffer_input_equals_list_input(instances: Any, case: Any, route: str, kind: str) -> None:
    name, a = case
    v = a if kind == "array" else np.frombuffer(a.tobytes(), dtype=NUMPY[name])
    from_buffer = call(instances, route, True, name, v)
    from_list = call(instances, route, True, name, a.tolist())
    if name == "f32":  # the list holds doubles: compare what the list can say
        from_list_of_buffer = call(instances, route, True, name, array("f", a.tolist()))
        assert from_list.tobytes() == from_list_of_buffer.tobytes()
    else:
        assert from_buffer.tobytes() == from_list.tobytes() == a.tobytes()
    assert from_buffer.tobytes() == a.tobytes()


# ---------------------------------------------------------------- generated bindings


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Bindings of the bulk component, plain (`bulk`) and with `--buffers` (`bulkbuf`)."""
    from wbindgen.cli import main

    out = tmp_path_factory.mktemp("gen")
    wasm = lane_build().build("bulk")
    assert main([str(wasm), "-o", str(out / "bulk")]) == 0
    assert main([str(wasm), "-o", str(out / "bulkbuf"), "--buffers"]) == 0
    return out


def test_buffers_option_returns_arrays(generated: Path, bulk_bytes: bytes) -> None:
    sys.path.insert(0, str(generated))
    try:
        import bulk
        import bulkbuf
    finally:
        sys.path.remove(str(generated))
    data = np.linspace(-1, 1, 1000)
    plain = bulk.Bulk.instantiate(Store(Engine()), bulk_bytes)
    arrays = bulkbuf.Bulkbuf.instantiate(Store(Engine()), bulk_bytes)
    assert plain.bulk.echo_f64(data) == data.tolist()
    got = arrays.bulk.echo_f64(data)
    assert type(got) is array and got.tobytes() == data.tobytes()
    assert np.array_equal(np.frombuffer(got, dtype=np.float64), data)  # no copy needed
    assert arrays.bulk.echo_u8(b"xyz") == b"xyz"  # list<u8> stays bytes
    scaled = arrays.bulk.scale(3, array("I", [1, 2]), "t", 1, b"\x05")
    assert type(scaled) is array and scaled.tolist() == [4, 7, 5]


USAGE = '''
from __future__ import annotations
from array import array
import numpy as np
import wasmtime
from bulk import Bulk
from bulkbuf import Bulkbuf

inst = Bulk.instantiate(wasmtime.Store(), "b.wasm")
a: list[float] = inst.bulk.echo_f64(array("d", [1.0]))
b: list[float] = inst.bulk.echo_f64(np.zeros(3))
c: list[int] = inst.bulk.echo_u32(np.zeros(3, dtype=np.uint32))
d: list[float] = inst.bulk.echo_f64([1.0, 2])
e: array[float] = Bulkbuf.instantiate(wasmtime.Store(), "b.wasm").bulk.echo_f64(np.zeros(2))
inst.bulk.echo_f64(["x"])  # E: List item 0 has incompatible type "str"; expected "float"
f: list[float] = Bulkbuf.instantiate(wasmtime.Store(), "b.wasm").bulk.echo_f64([1.0])  # E: Incompatible types in assignment
'''


def test_numpy_and_array_pass_mypy_strict(generated: Path, tmp_path: Path) -> None:
    """Python 3.10 is the project's mypy target: numpy's stubs declare
    `ndarray.__buffer__` only for 3.12+, so `Buffer` also names numpy arrays."""
    (tmp_path / "usage.py").write_text(USAGE)
    (tmp_path / "wbindgen_runtime").symlink_to(ROOT / "runtime", target_is_directory=True)
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--show-error-codes",
         "--no-error-summary", "--python-version", "3.10", "usage.py"],
        capture_output=True, text=True, cwd=tmp_path,
        env={"MYPYPATH": f"{tmp_path}:{generated}", "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    errors = [ln for ln in proc.stdout.splitlines() if ln.startswith("usage.py:")]
    expected = {i: ln.split("# E: ")[1] for i, ln in enumerate(USAGE.splitlines(), 1) if "# E: " in ln}
    found = {int(ln.split(":")[1]): ln for ln in errors}
    assert set(found) == set(expected), proc.stdout + proc.stderr
    for line, text in expected.items():
        assert text in found[line], (line, found[line])


def test_numpy_and_array_pass_pyright_strict(generated: Path, tmp_path: Path) -> None:
    import json

    exe = Path(sys.executable).parent / "pyright"
    (tmp_path / "usage.py").write_text(USAGE)
    (tmp_path / "wbindgen_runtime").symlink_to(ROOT / "runtime", target_is_directory=True)
    (tmp_path / "pyrightconfig.json").write_text(json.dumps({
        "extraPaths": [str(tmp_path), str(generated)],
        "typeCheckingMode": "strict",
        "pythonVersion": "3.10",
        "reportUnusedVariable": False,
    }))  # fmt: skip
    proc = subprocess.run(
        [str(exe), "-p", str(tmp_path / "pyrightconfig.json"), "--outputjson",
         "--pythonpath", sys.executable, str(tmp_path / "usage.py")],
        capture_output=True, text=True, cwd=tmp_path,
    )  # fmt: skip
    report = json.loads(proc.stdout)
    lines = sorted(
        d["range"]["start"]["line"] + 1
        for d in report["generalDiagnostics"]
        if d["severity"] == "error"
    )
    expected = [i for i, ln in enumerate(USAGE.splitlines(), 1) if "# E: " in ln]
    assert lines == expected, report["generalDiagnostics"]


NESTED_WIT = """
package t:n;
world w {
  export f: func(a: list<list<f64>>, b: option<list<u32>>) -> tuple<list<list<s16>>, option<list<f32>>>;
  record r { x: list<f64> }
  export g: func(v: r) -> r;
  type samples = list<f64>;
  export h: func(s: samples) -> samples;
}
"""


def test_buffers_option_marks_lists_written_in_signatures(tmp_path: Path) -> None:
    """Arrays where the signature spells the list (through options, tuples and
    lists), lists inside records and named aliases: descriptors and annotations agree."""
    from wbindgen.generate import generate_files

    (tmp_path / "w.wit").write_text(NESTED_WIT)
    files = generate_files(None, "nest", None, wit=tmp_path / "w.wit", buffers=True)
    root, types = files["__init__.py"], files["imports/__init__.py"]
    assert '("a", _t.List(_buffers.BufferList(_t.F64)))' in root
    assert '("b", _t.Option(_buffers.BufferList(_t.U32)))' in root
    assert "a: _typing.Sequence[_typing.Sequence[float] | _buffers.Buffer]" in root
    assert "-> tuple[list[_buffers.Array[int]], _buffers.Array[float] | None]:" in root
    assert "_F2 = _t.Func((('s', _t.List(_t.F64)),), _t.List(_t.F64))" in root.replace('"', "'")
    assert "x: list[float]" in types and "Samples = list[float]" in types
    plain = generate_files(None, "nest", None, wit=tmp_path / "w.wit")["__init__.py"]
    assert "BufferList" not in plain and "Array[" not in plain
