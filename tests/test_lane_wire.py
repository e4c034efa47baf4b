"""What travels inside the lane's strings: the simd128 hex codec of the adapter memory,
and list<f64> parameters as a pickle of floats (runtime/lane/floats.py) that the
adapter's `unpickle_f64` turns back into the Canonical ABI array.

The core memory module is instantiated on its own here, so each wasm routine is
checked against CPython's `binascii`/`struct` byte for byte, including the
inputs it must refuse (a trap)."""

from __future__ import annotations

import binascii
import math
import os
import pickle
import random
import struct
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import wasmtime
import wbindgen_runtime as rt
from hypothesis import given, settings
from hypothesis import strategies as st
from support.paths import lane_build
from test_lane import BULK, EXPORTS
from wasmtime import Engine, Store
from wbindgen_runtime import lane
from wbindgen_runtime.lane import adapter
from wbindgen_runtime.lane.floats import FloatPickler, is_float_pickle

_FP = FloatPickler()
dump_floats = _FP.dump
pickle_numbers = _FP.numbers


class Memory:
    """The adapter memory module, instantiated bare."""

    def __init__(self, simd: bool = True) -> None:
        engine = Engine()
        self.store = Store(engine)
        module = wasmtime.Module(engine, adapter.memory_module(simd))
        inst = wasmtime.Instance(self.store, module, [])
        ex = inst.exports(self.store)
        self.mem = ex["memory"]
        self.realloc, self.dec, self.enc = ex["realloc"], ex["dec"], ex["enc"]
        self.unpickle = ex["unpickle_f64"]
        self.reset = ex["reset"]

    def put(self, data: bytes) -> int:
        p = self.realloc(self.store, 0, 0, 8, len(data))
        assert isinstance(p, int)
        self.mem.write(self.store, data, p)
        return p

    def get(self, p: int, n: int) -> bytes:
        return bytes(self.mem.read(self.store, p, p + n))

    def decode(self, text: bytes) -> bytes:
        self.reset(self.store)
        p = self.put(text)
        n = self.dec(self.store, p, len(text))
        assert isinstance(n, int)
        return self.get(p, n)

    def encode(self, data: bytes) -> bytes:
        self.reset(self.store)
        p = self.put(data)
        ret = self.enc(self.store, p, len(data))
        assert isinstance(ret, int)
        ptr, n = struct.unpack("<II", self.get(ret, 8))
        return self.get(ptr, n)

    def unpickle_f64(self, stream: bytes) -> bytes:
        self.reset(self.store)
        p = self.put(stream)
        n = self.unpickle(self.store, p, len(stream))
        assert isinstance(n, int)
        return self.get(p, 8 * n)


@pytest.fixture(scope="module", params=[True, False], ids=["simd", "scalar"])
def hexmem(request: pytest.FixtureRequest) -> Memory:
    return Memory(request.param)


def test_scalar_module_has_no_simd_instructions() -> None:
    # Both builds are valid modules; only the scalar one compiles on an engine without simd128.
    config = wasmtime.Config()
    config.wasm_simd = False
    config.wasm_relaxed_simd = False
    engine = Engine(config)
    wasmtime.Module(engine, adapter.memory_module(False))
    with pytest.raises(wasmtime.WasmtimeError):
        wasmtime.Module(engine, adapter.memory_module(True))


# Every length around the 16-byte (encode) and 32-character (decode) simd blocks.
SIZES = list(range(0, 70)) + [255, 256, 257, 1000, 4095, 4096, 4097, 65536 + 7]


def test_hex_codec_matches_binascii(hexmem: Memory) -> None:
    rnd = random.Random(7)
    for n in SIZES:
        data = bytes(rnd.getrandbits(8) for _ in range(n))
        text = binascii.hexlify(data)
        assert hexmem.encode(data) == text, n
        assert hexmem.decode(text) == data, n
        assert hexmem.decode(text.upper()) == data, n
    every = bytes(range(256))
    assert hexmem.encode(every) == binascii.hexlify(every)
    assert hexmem.decode(binascii.hexlify(every)) == every


@pytest.mark.parametrize("n", [32, 64, 70, 6])
def test_hex_decoder_refuses_every_non_hex_character(hexmem: Memory, n: int) -> None:
    """In a simd block (n >= 32) and in the scalar tail: each position, each bad character."""
    good = binascii.hexlify(os.urandom(n // 2))
    bad_chars = [c for c in range(256) if c not in b"0123456789abcdefABCDEF"]
    rnd = random.Random(n)
    for pos in range(len(good)):
        for c in rnd.sample(bad_chars, 6) + [0x2F, 0x3A, 0x40, 0x47, 0x60, 0x67]:
            text = good[:pos] + bytes([c]) + good[pos + 1 :]
            with pytest.raises(wasmtime.Trap):
                hexmem.decode(text)
    with pytest.raises(wasmtime.Trap):
        hexmem.decode(good[:-1])  # odd length


# ------------------------------------------------------------------ f64 as a pickle

SPECIAL = [
    0.0, -0.0, 1.5, -2.25, math.inf, -math.inf, math.nan, 5e-324, -5e-324,
    2.2250738585072014e-308, 1.7976931348623157e308, 0.1,
]  # fmt: skip

COUNTS = [0, 1, 2, 3, 999, 1000, 1001, 1999, 2000, 2001, 4099]


def _floats(n: int) -> list[float]:
    rnd = random.Random(n)
    return [SPECIAL[i] if i < len(SPECIAL) else rnd.uniform(-1e9, 1e9) for i in range(n)]


def _bits(v: list[float]) -> bytes:
    return struct.pack(f"<{len(v)}d", *v)


@pytest.mark.parametrize("n", COUNTS)
def test_pickled_floats_become_the_abi_array(hexmem: Memory, n: int) -> None:
    v = _floats(n)
    p = dump_floats(v)
    assert p == pickle.dumps(v, 2)
    assert is_float_pickle(p, n)
    assert not is_float_pickle(p, n + 1) and (n == 0 or not is_float_pickle(p, n - 1))
    assert hexmem.unpickle_f64(p) == _bits(v)  # bit for bit: NaN, -0.0, subnormals


def test_other_elements_fail_the_float_check() -> None:
    class MyFloat(float):
        pass

    for odd in (1, True, None, "x", b"x", [1.0], (1.0,), 2**70, MyFloat(1.5), Decimal(1)):
        for n in (1, 2, 1000, 1001):
            for at in {0, n - 1, n // 2}:
                v: list[Any] = _floats(n)
                v[at] = odd
                try:
                    p = dump_floats(v)
                except TypeError:
                    continue  # refused outright (Decimal, MyFloat)
                assert not is_float_pickle(p, n), (odd, n, at)


def test_no_user_code_runs_while_pickling() -> None:
    called: list[str] = []

    class Sneaky:
        def __reduce__(self) -> Any:
            called.append("reduce")
            return (float, (1.0,))

        def __getstate__(self) -> Any:
            called.append("getstate")
            return {}

    class SneakyFloat(float):
        def __reduce_ex__(self, proto: Any) -> Any:
            called.append("reduce_ex")
            return (float, (float(self),))

    for odd in (Sneaky(), SneakyFloat(2.0)):
        with pytest.raises(TypeError):
            dump_floats([1.0, odd, 3.0])
        assert pickle_numbers([1.0, odd, 3.0]) is None
    assert called == []
    assert dump_floats([1.0, 2.0]) == pickle.dumps([1.0, 2.0], 2)  # reusable after a refusal


def test_pickle_numbers_converts_ints_like_array() -> None:
    v: list[Any] = [1, 2.5, -(2**53) - 1, 10**300]
    p = pickle_numbers(v)
    assert p is not None and is_float_pickle(p, 4)
    assert pickle.loads(p) == [1.0, 2.5, float(-(2**53) - 1), 1e300]
    assert pickle_numbers([1.0, True]) is None
    assert pickle_numbers([1.0, Fraction(1, 2)]) is None
    with pytest.raises(OverflowError):
        pickle_numbers([1.0, 2**1024])


@pytest.mark.parametrize(
    "stream",
    [
        b"",
        b"\x80\x02]q\x00",  # no STOP
        b"\x80\x03]q\x00.",  # another protocol
        b"\x80\x02]q\x01.",  # another memo index
        b"\x80\x02]q\x00(G" + b"\x00" * 8 + b".",  # MARK without APPENDS
        b"\x80\x02]q\x00(G" + b"\x00" * 8 + b"K\x01e.",  # an int among the floats
        b"\x80\x02]q\x00(G" + b"\x00" * 8 + b"e",  # no STOP after APPENDS
        b"\x80\x02]q\x00(G" + b"\x00" * 8 + b"e.x",  # bytes after STOP
        b"\x80\x02]q\x00G" + b"\x00" * 8 + b".",  # one float without APPEND
        b"\x80\x02]q\x00(G" + b"\x00" * 5,  # cut inside a float
        b"\x80\x02]q\x00\x88a.",  # True
    ],
)
def test_unpickle_f64_traps_on_anything_else(hexmem: Memory, stream: bytes) -> None:
    with pytest.raises(wasmtime.Trap):
        hexmem.unpickle_f64(stream)


# ------------------------------------------------------------------ through the routed lane


@pytest.fixture(scope="module")
def bulk_bytes() -> bytes:
    return Path(lane_build().build("bulk")).read_bytes()


def test_f64_lists_through_the_routed_lane_bit_for_bit(bulk_bytes: bytes) -> None:
    saved = (lane.enabled(), lane.threshold())
    lane.configure(enabled=True, threshold=0)
    try:
        b = rt.instantiate(Store(Engine()), bulk_bytes, exports=EXPORTS)
    finally:
        lane.configure(enabled=saved[0], threshold=saved[1])
    f = b.func(BULK, "echo-f64")
    assert f.lane_spec is not None
    for n in COUNTS:
        v = _floats(n)
        assert _bits(f(v)) == _bits(v), n
        assert _bits(f(tuple(v))) == _bits(v), n
    mixed: list[Any] = [1, 2.5, 3, 10**300]
    assert f(mixed) == [1.0, 2.5, 3.0, 1e300]
    assert all(type(x) is float for x in f(mixed))


def test_an_engine_without_simd_gets_the_scalar_lane(bulk_bytes: bytes) -> None:
    config = wasmtime.Config()
    config.wasm_simd = False
    config.wasm_relaxed_simd = False
    b = rt.instantiate(Store(Engine(config)), bulk_bytes, exports=EXPORTS)
    f = b.func(BULK, "echo-f64")
    assert f.lane_spec is not None
    for n in (16, 1001, 4099):
        v = _floats(n)
        assert _bits(f(v)) == _bits(v)
    data = os.urandom(100_003)
    assert b.func(BULK, "echo-u8")(data) == data


# ------------------------------------------------------------------ property: lane == plain


class _Sub(float):
    pass


_ODD = st.sampled_from([True, False, None, "x", b"\x00", Decimal("1.5"), _Sub(2.5), [1.0], (1.0,)])
_ELEMENT = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(2**60), max_value=2**60),
    st.integers(min_value=2**1020, max_value=2**1030),
    _ODD,
)


@pytest.fixture(scope="module")
def both_f64(bulk_bytes: bytes) -> tuple[Any, Any]:
    saved = (lane.enabled(), lane.threshold())
    try:
        lane.configure(enabled=True, threshold=0)
        routed = rt.instantiate(Store(Engine()), bulk_bytes, exports=EXPORTS)
        lane.configure(enabled=False)
        plain = rt.instantiate(Store(Engine()), bulk_bytes, exports=EXPORTS)
    finally:
        lane.configure(enabled=saved[0], threshold=saved[1])
    f, g = routed.func(BULK, "echo-f64"), plain.func(BULK, "echo-f64")
    assert f.lane_spec is not None and g.lane_spec is None
    return f, g


def _outcome(fn: Any, v: Any) -> tuple[str, Any]:
    try:
        return "ok", fn(v)
    except Exception as e:  # the same class and message on both routes
        return type(e).__name__, str(e)


@settings(max_examples=300, deadline=None, database=None)
@given(
    st.lists(_ELEMENT, min_size=1, max_size=12),
    st.integers(min_value=0, max_value=2100),
    st.booleans(),
    st.data(),
)
def test_lane_and_plain_agree_on_any_f64_list(
    both_f64: tuple[Any, Any], pattern: list[Any], n: int, floats_only: bool, data: Any
) -> None:
    """Lists of every length around the pickle batches, of floats (any bits), ints in
    and out of f64's range, and values both routes must refuse, as a list or a tuple."""
    if floats_only:
        pattern = [x for x in pattern if type(x) is float] or [0.5]
    v = (pattern * (n // len(pattern) + 1))[:n]
    arg = tuple(v) if data.draw(st.booleans()) else v
    f, g = both_f64
    got, expected = _outcome(f, arg), _outcome(g, arg)
    assert got[0] == expected[0], (got, expected)
    if got[0] == "ok":
        assert len(got[1]) == len(expected[1]) == n
        assert all(type(x) is float for x in got[1])
        for a, b in zip(got[1], expected[1]):
            assert (math.isnan(a) and math.isnan(b)) or _bits([a]) == _bits([b])
    else:
        assert got == expected


def test_an_unexpected_pickle_layout_takes_the_plain_path(
    both_f64: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """If a Python's pickler laid lists out differently, the check fails for every
    list and the calls run on the plain path: same values, no trap."""
    from wbindgen_runtime.lane import floats

    monkeypatch.setattr(floats, "BATCH", 500)
    monkeypatch.setattr(floats, "_G_BATCH", b"G" * 500)
    f, _ = both_f64
    v = _floats(1001)
    assert FloatPickler().numbers(v) is None
    assert FloatPickler().numbers([1, 2.5] * 600) is None
    assert _bits(f(v)) == _bits(v)
    assert f([1, 2.5] * 600) == [1.0, 2.5] * 600
