"""The lane's core modules, written as core WAT and compiled with ``wasmtime.wat2wasm``.

``memory_module(simd)`` (the same for every wrapper) owns the adapter
memory: a bump ``realloc`` (8-aligned, copying on shrink or growth, reset after
each call by the post-return function), the hex ``dec``/``enc`` loops
(simd128 blocks with a scalar tail) and ``unpickle_f64``.
``adapter_module()`` holds one function per lane: it decodes each lane string
in place, turns its byte length into an element count (for ``list<f64>``,
rewrites the pickled floats as the array: see floats.py), calls the lowered
original, and encodes a list result.

Why an ASCII codec: the C API carries strings as UTF-8, so a latin-1 string of
random bytes doubles in size and is transcoded on both sides; hex keeps every
string ASCII, copied as is, and CPython's ``binascii`` codes it at
C speed. docs/lane.md has the measurements behind each choice.
"""

# ruff: noqa: E501  (core WAT text reads better unwrapped)
from __future__ import annotations

import functools
import re
from collections.abc import Sequence

import wasmtime

from .spec import LaneSpec, pickled_f64

# Memory map of the adapter memory.
RET_LOWERED = 16  # the lowered original writes a list result (ptr, len) here
RET_LANE = 24  # the lane function's string result (ptr, len)
DEC_TABLES = 1024  # four 256-entry i32 tables
ENC_TABLE = 5120  # 4096 entries of two ASCII characters
HEAP = 16384
SLACK = 8  # every allocation may be over-read by up to 4 bytes by `enc`


def _wat_bytes(data: bytes) -> str:
    return "".join(f"\\{b:02x}" for b in data)


# The hex decoder reads four characters as one i32 $w and ORs together a table
# entry per character (each table holds its character's bits pre-shifted).
_GATHER = """
      (local.set $x
        (i32.or
          (i32.or
            (i32.load offset={DEC_TABLES} (i32.shl (i32.and (local.get $w) (i32.const 255)) (i32.const 2)))
            (i32.load offset={DEC_T1}
              (i32.shl (i32.and (i32.shr_u (local.get $w) (i32.const 8)) (i32.const 255)) (i32.const 2))))
          (i32.or
            (i32.load offset={DEC_T2}
              (i32.shl (i32.and (i32.shr_u (local.get $w) (i32.const 16)) (i32.const 255)) (i32.const 2)))
            (i32.load offset={DEC_T3} (i32.shl (i32.shr_u (local.get $w) (i32.const 24)) (i32.const 2))))))
"""

# The adapter memory: its realloc and reset, and the f64 unpickler.
_MEMORY_COMMON = """
  (memory (export "memory") 1)
  (global $bump (mut i32) (i32.const {HEAP}))
  (data (i32.const {DEC_TABLES}) "{dec}")
  (data (i32.const {ENC_TABLE}) "{enc}")

  (func $realloc (export "realloc") (param $old i32) (param $old_size i32) (param $align i32) (param $size i32) (result i32)
    (local $p i32) (local $have i32)
    ;; 8-aligned always: latin1+utf16 strings need 2, lists up to 8.
    (local.set $p (i32.and (i32.add (global.get $bump) (i32.const 7)) (i32.const -8)))
    (global.set $bump (i32.add (i32.add (local.get $p) (local.get $size)) (i32.const {SLACK})))
    (if (i32.lt_u (global.get $bump) (local.get $p)) (then unreachable))
    (local.set $have (i32.shl (memory.size) (i32.const 16)))
    (if (i32.gt_u (global.get $bump) (local.get $have))
      (then
        (if (i32.eq (memory.grow (i32.shr_u (i32.add (i32.sub (global.get $bump) (local.get $have))
                                                     (i32.const 65535))
                                            (i32.const 16)))
                    (i32.const -1))
          (then unreachable))))
    ;; wasmtime may shrink (or grow) a string with a second call: keep its bytes.
    (if (i32.ne (local.get $old) (i32.const 0))
      (then (memory.copy (local.get $p) (local.get $old)
              (select (local.get $old_size) (local.get $size)
                      (i32.lt_u (local.get $old_size) (local.get $size))))))
    (local.get $p))

  (func (export "reset") (global.set $bump (i32.const {HEAP})))

  ;; A list<f64> argument arrives as the pickle (protocol 2) of a list of
  ;; floats (see floats.py): at p, m bytes, already checked by the runtime.
  ;; Rewrites its doubles in place as the Canonical ABI array (little-endian,
  ;; from p on) and returns the element count; any other stream traps.
  (func (export "unpickle_f64") (param $p i32) (param $m i32) (result i32)
    (local $q i32) (local $o i32) (local $end i32) (local $c i32) (local $x i64)
    (if (i32.lt_u (local.get $m) (i32.const 6)) (then unreachable))
    (if (i32.ne (i32.load (local.get $p)) (i32.const 0x715d0280)) (then unreachable))
    (if (i32.load8_u offset=4 (local.get $p)) (then unreachable))
    (local.set $end (i32.add (local.get $p) (local.get $m)))
    (local.set $q (i32.add (local.get $p) (i32.const 5)))
    (local.set $o (local.get $p))
    (block $stop
      (loop $op
        (if (i32.ge_u (local.get $q) (local.get $end)) (then unreachable))
        (local.set $c (i32.load8_u (local.get $q)))
        (br_if $stop (i32.eq (local.get $c) (i32.const 0x2e)))  ;; STOP '.'
        (if (i32.eq (local.get $c) (i32.const 0x47))  ;; one BINFLOAT, then APPEND 'a'
          (then
            (if (i32.ge_u (i32.add (local.get $q) (i32.const 9)) (local.get $end)) (then unreachable))
            {STORE_SWAPPED}
            (local.set $o (i32.add (local.get $o) (i32.const 8)))
            (local.set $q (i32.add (local.get $q) (i32.const 9)))
            (if (i32.ne (i32.load8_u (local.get $q)) (i32.const 0x61)) (then unreachable))
            (local.set $q (i32.add (local.get $q) (i32.const 1)))
            (br $op)))
        (if (i32.ne (local.get $c) (i32.const 0x28)) (then unreachable))  ;; MARK '('
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (block $appends
          (loop $item
            (if (i32.ge_u (local.get $q) (local.get $end)) (then unreachable))
            (br_if $appends (i32.ne (i32.load8_u (local.get $q)) (i32.const 0x47)))
            (if (i32.ge_u (i32.add (local.get $q) (i32.const 9)) (local.get $end)) (then unreachable))
            ;; The 8 bytes after 'G' are the double big-endian: reverse them.
            {STORE_SWAPPED}
            (local.set $o (i32.add (local.get $o) (i32.const 8)))
            (local.set $q (i32.add (local.get $q) (i32.const 9)))
            (br $item)))
        (if (i32.ne (i32.load8_u (local.get $q)) (i32.const 0x65)) (then unreachable))  ;; APPENDS 'e'
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $op)))
    (if (i32.ne (i32.add (local.get $q) (i32.const 1)) (local.get $end)) (then unreachable))
    (i32.shr_u (i32.sub (local.get $o) (local.get $p)) (i32.const 3)))
"""


def _nibbles(dst: str, chars: str) -> str:
    """WAT setting ``dst`` to the nibbles of 16 hex characters ('0'-'9', 'a'-'f',
    'A'-'F'); a lane holding any other character gets bit 4 (``BAD_BITS``) set.
    Written out at each use: Cranelift does not inline wasm calls."""
    return f"""        (local.set $d (i8x16.sub {chars} (v128.const i8x16 {{SPLAT_30}})))
        (local.set $dm (i8x16.lt_u (local.get $d) (v128.const i8x16 {{SPLAT_10}})))
        (local.set $l (i8x16.sub (v128.or (i8x16.add (local.get $d) (v128.const i8x16 {{SPLAT_30}}))
                                          (v128.const i8x16 {{SPLAT_20}}))
                                 (v128.const i8x16 {{SPLAT_61}})))
        (local.set {dst}
          (v128.or
            (v128.bitselect (local.get $d) (i8x16.add (local.get $l) (v128.const i8x16 {{SPLAT_10}}))
                            (local.get $dm))
            (v128.andnot (v128.const i8x16 {{BAD_BITS}})
                         (v128.or (local.get $dm) (i8x16.lt_u (local.get $l) (v128.const i8x16 {{SPLAT_6}}))))))
"""


def _pairs(nibbles: str) -> str:
    """WAT for the bytes hi<<4 | lo of the nibble pairs (hi, lo) in each 16-bit lane (low halves)."""
    return f"""
            (v128.and (v128.or (i16x8.shl (local.get {nibbles}) (i32.const 4))
                               (i16x8.shr_u (local.get {nibbles}) (i32.const 8)))
                      (v128.const i16x8 255 255 255 255 255 255 255 255))"""


_HEX_WAT = (
    "(module\n"
    + _MEMORY_COMMON
    + """
  ;; Decode hex at p (n characters) in place; returns the byte count. Four
  ;; characters per step: t0[c0] | t1[c1] | t2[c2] | t3[c3] is the two bytes as a
  ;; little-endian i32 (the tables hold each nibble pre-shifted); an invalid
  ;; character sets bit 16.
  (func (export "dec") (param $p i32) (param $n i32) (result i32)
    (local $i i32) (local $o i32) (local $end i32) (local $w i32) (local $x i32) (local $err i32)
    ;; simd>
    (local $a v128) (local $b v128) (local $bad v128) (local $d v128) (local $l v128) (local $dm v128)
    ;; <simd
    (if (i32.and (local.get $n) (i32.const 1)) (then unreachable))
    (local.set $i (local.get $p))
    (local.set $o (local.get $p))
    ;; simd>
    ;; 32 characters -> 16 bytes per step with simd128 (writes stay behind reads).
    (local.set $end (i32.add (local.get $p) (i32.and (local.get $n) (i32.const -32))))
    (block $done
      (loop $block
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
"""
    + _nibbles("$a", "(v128.load (local.get $i))")
    + _nibbles("$b", "(v128.load offset=16 (local.get $i))")
    + """        (local.set $bad (v128.or (local.get $bad) (v128.or (local.get $a) (local.get $b))))
        (v128.store (local.get $o)
          (i8x16.narrow_i16x8_u """
    + _pairs("$a")
    + _pairs("$b")
    + """))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (local.set $i (i32.add (local.get $i) (i32.const 32)))
        (br $block)))
    (if (v128.any_true (v128.and (local.get $bad) (v128.const i8x16 {BAD_BITS})))
      (then unreachable))
    ;; <simd
    (local.set $end (i32.add (local.get $p) (i32.and (local.get $n) (i32.const -4))))
    (block $done
      (loop $quad
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $w (i32.load (local.get $i)))
"""
    + _GATHER
    + """        (local.set $err (i32.or (local.get $err) (local.get $x)))
        (i32.store16 (local.get $o) (local.get $x))
        (local.set $o (i32.add (local.get $o) (i32.const 2)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $quad)))
    (if (i32.and (local.get $n) (i32.const 2))
      (then
        (local.set $w (i32.load16_u (local.get $i)))
        (local.set $x
          (i32.or
            (i32.load offset={DEC_TABLES} (i32.shl (i32.and (local.get $w) (i32.const 255)) (i32.const 2)))
            (i32.load offset={DEC_T1} (i32.shl (i32.shr_u (local.get $w) (i32.const 8)) (i32.const 2)))))
        (local.set $err (i32.or (local.get $err) (local.get $x)))
        (i32.store8 (local.get $o) (local.get $x))))
    (if (i32.and (local.get $err) (i32.const {INVALID})) (then unreachable))
    (i32.shr_u (local.get $n) (i32.const 1)))

  ;; Encode n bytes at p as hex into a new allocation; returns a pointer to (ptr, len).
  (func (export "enc") (param $p i32) (param $n i32) (result i32)
    (local $out i32) (local $i i32) (local $o i32) (local $end i32) (local $w i32)
    ;; simd>
    (local $v v128) (local $hi v128)
    ;; <simd
    (local.set $out (call $realloc (i32.const 0) (i32.const 0) (i32.const 8)
                                   (i32.shl (local.get $n) (i32.const 1))))
    (local.set $i (local.get $p))
    (local.set $o (local.get $out))
    ;; simd>
    ;; 16 bytes -> 32 characters per step with simd128.
    (local.set $end (i32.add (local.get $p) (i32.and (local.get $n) (i32.const -16))))
    (block $done
      (loop $block
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $v (v128.load (local.get $i)))
        (local.set $hi (i8x16.swizzle (v128.const i8x16 {DIGITS}) (i8x16.shr_u (local.get $v) (i32.const 4))))
        (local.set $v (i8x16.swizzle (v128.const i8x16 {DIGITS}) (v128.and (local.get $v) (v128.const i8x16 {LOW_NIBBLE}))))
        (v128.store (local.get $o)
          (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $hi) (local.get $v)))
        (v128.store offset=16 (local.get $o)
          (i8x16.shuffle 8 24 9 25 10 26 11 27 12 28 13 29 14 30 15 31 (local.get $hi) (local.get $v)))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (local.set $o (i32.add (local.get $o) (i32.const 32)))
        (br $block)))
    ;; <simd
    (local.set $end (i32.add (local.get $p) (i32.and (local.get $n) (i32.const -2))))
    (block $done
      (loop $pair
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $w (i32.load16_u (local.get $i)))
        (i32.store (local.get $o)
          (i32.or (i32.load16_u offset={ENC_TABLE} (i32.shl (i32.and (local.get $w) (i32.const 255)) (i32.const 1)))
                  (i32.shl (i32.load16_u offset={ENC_TABLE} (i32.shl (i32.shr_u (local.get $w) (i32.const 8)) (i32.const 1)))
                           (i32.const 16))))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (local.set $o (i32.add (local.get $o) (i32.const 4)))
        (br $pair)))
    (if (i32.and (local.get $n) (i32.const 1))
      (then
        (i32.store16 (local.get $o)
          (i32.load16_u offset={ENC_TABLE} (i32.shl (i32.load8_u (local.get $i)) (i32.const 1))))))
    (i32.store (i32.const {RET_LANE}) (local.get $out))
    (i32.store (i32.const {RET_LANE_LEN}) (i32.shl (local.get $n) (i32.const 1)))
    (i32.const {RET_LANE}))
)
"""
)


def _hex_dec_tables() -> bytes:
    # Four characters (c0 c1 c2 c3) decode to bytes b0 = n(c0)<<4 | n(c1) and
    # b1 = n(c2)<<4 | n(c3), i.e. the i32 t0[c0] | t1[c1] | t2[c2] | t3[c3].
    nib = {ch: int(chr(ch), 16) for ch in b"0123456789abcdefABCDEF"}
    out = bytearray()
    for shift in (4, 0, 12, 8):
        for ch in range(256):
            v = nib.get(ch)
            x = _INVALID_HEX if v is None else v << shift
            out += x.to_bytes(4, "little")
    return bytes(out)


def _hex_enc_table() -> bytes:
    return b"".join(f"{v:02x}".encode() for v in range(256))


_INVALID_HEX = 0x10000


def _splat(byte: int) -> str:
    return " ".join([str(byte)] * 16)


# v128 constants of the simd128 hex loops, as i8x16 lane lists.
_SIMD_CONSTANTS = {
    "BAD_BITS": _splat(0x10),
    "SPLAT_30": _splat(0x30),
    "SPLAT_10": _splat(10),
    "SPLAT_20": _splat(0x20),
    "SPLAT_61": _splat(0x61),
    "SPLAT_6": _splat(6),
    "LOW_NIBBLE": _splat(0x0F),
    "DIGITS": " ".join(str(c) for c in b"0123456789abcdef"),
    "REVERSE8": "7 6 5 4 3 2 1 0 8 9 10 11 12 13 14 15",
}

#: The lane's codec (the only one): see docs/lane.md, "The adapter".
CODEC = "hex"


# The 8 bytes after a BINFLOAT opcode at $q, byte-reversed, stored at $o.
_STORE_SWAPPED_SIMD = """(v128.store64_lane 0 (local.get $o)
              (i8x16.swizzle (v128.load64_zero offset=1 (local.get $q)) (v128.const i8x16 {REVERSE8})))"""
_STORE_SWAPPED_SCALAR = """(local.set $x (i64.load offset=1 (local.get $q)))
            (local.set $x (i64.or (i64.shl (i64.and (local.get $x) (i64.const 0x00ff00ff00ff00ff)) (i64.const 8))
                                  (i64.and (i64.shr_u (local.get $x) (i64.const 8)) (i64.const 0x00ff00ff00ff00ff))))
            (local.set $x (i64.or (i64.shl (i64.and (local.get $x) (i64.const 0x0000ffff0000ffff)) (i64.const 16))
                                  (i64.and (i64.shr_u (local.get $x) (i64.const 16)) (i64.const 0x0000ffff0000ffff))))
            (i64.store (local.get $o) (i64.rotl (local.get $x) (i64.const 32)))"""
_SIMD_REGION = re.compile(r"^ *;; simd>$.*?^ *;; <simd$\n", re.M | re.S)


@functools.cache
def memory_module(simd: bool = True) -> bytes:
    """The adapter memory's core module (compiled once per process).

    With ``simd`` (wasm simd128, on in wasmtime's default config) the hex loops
    take 16 bytes per step and f64 byte swaps are one shuffle; without, the
    same routines are scalar only, for engines configured without simd.
    """
    wat, dec, enc, invalid = _HEX_WAT, _hex_dec_tables(), _hex_enc_table(), _INVALID_HEX
    for key, value in {
        "HEAP": HEAP,
        "SLACK": SLACK,
        "DEC_TABLES": DEC_TABLES,
        "DEC_T1": DEC_TABLES + 1024,
        "DEC_T2": DEC_TABLES + 2048,
        "DEC_T3": DEC_TABLES + 3072,
        "ENC_TABLE": ENC_TABLE,
        "INVALID": invalid,
        "RET_LANE": RET_LANE,
        "RET_LANE_LEN": RET_LANE + 4,
        "STORE_SWAPPED": _STORE_SWAPPED_SIMD if simd else _STORE_SWAPPED_SCALAR,
        **_SIMD_CONSTANTS,
    }.items():
        wat = wat.replace("{" + key + "}", str(value))
    wat = wat.replace("{dec}", _wat_bytes(dec)).replace("{enc}", _wat_bytes(enc))
    if not simd:
        wat = _SIMD_REGION.sub("", wat)
        assert "v128" not in wat
    return bytes(wasmtime.wat2wasm(wat))


def _lane_func(k: int, spec: LaneSpec) -> str:
    params = []
    body = []
    args = []
    idx = 0
    for p in spec.params:
        if p.lane is None:
            for t in p.flat:
                params.append(f"(param $a{idx} {t})")
                args.append(f"(local.get $a{idx})")
                idx += 1
            continue
        ptr, n = f"$a{idx}", f"$a{idx + 1}"
        params.append(f"(param {ptr} i32) (param {n} i32)")
        idx += 2
        size = p.lane.size
        if pickled_f64(p.lane):
            # A list arrives as a float pickle (even length: hex); a buffer's
            # doubles arrive raw, their hex followed by one NUL (odd length).
            body.append(
                f"(if (i32.and (local.get {n}) (i32.const 1))"
                f" (then (local.set {n} (i32.sub (local.get {n}) (i32.const 1)))"
                f" (if (i32.load8_u (i32.add (local.get {ptr}) (local.get {n}))) (then unreachable))"
                f" (local.set {n} (call $dec (local.get {ptr}) (local.get {n})))"
                f" (if (i32.and (local.get {n}) (i32.const 7)) (then unreachable))"
                f" (local.set {n} (i32.shr_u (local.get {n}) (i32.const 3))))"
                f" (else (local.set {n} (call $dec (local.get {ptr}) (local.get {n})))"
                f" (local.set {n} (call $unpickle_f64 (local.get {ptr}) (local.get {n})))))"
            )
            args.append(f"(local.get {ptr}) (local.get {n})")
            continue
        body.append(f"(local.set {n} (call $dec (local.get {ptr}) (local.get {n})))")
        if size > 1:
            body.append(
                f"(if (i32.rem_u (local.get {n}) (i32.const {size})) (then unreachable))"
                f"(local.set {n} (i32.div_u (local.get {n}) (i32.const {size})))"
            )
        args.append(f"(local.get {ptr}) (local.get {n})")
    result = f"(result {spec.core_result})" if spec.core_result else ""
    if spec.result_lane is not None:
        args.append(f"(i32.const {RET_LOWERED})")
        body.append(f"(call $f{k} {' '.join(args)})")
        body.append(
            f"(call $enc (i32.load (i32.const {RET_LOWERED})) "
            f"(i32.mul (i32.load (i32.const {RET_LOWERED + 4})) "
            f"(i32.const {spec.result_lane.size})))"
        )
    else:
        body.append(f"(call $f{k} {' '.join(args)})")
    post_param = f"(param {spec.core_result})" if spec.core_result else ""
    return (
        f'(func (export "lane{k}") {" ".join(params)} {result}\n    '
        + "\n    ".join(body)
        + ")\n"
        + f'(func (export "post{k}") {post_param} (call $reset))\n'
    )


def _lowered_import(k: int, spec: LaneSpec) -> str:
    params = list(spec.core_params)
    result = ""
    if spec.result_lane is not None:
        params.append("i32")  # return pointer: a list flattens to 2 values > MAX_FLAT_RESULTS
    elif spec.core_result is not None:
        result = f"(result {spec.core_result})"
    return f'(import "f" "{k}" (func $f{k} (param {" ".join(params)}) {result}))'


def adapter_module(lanes: Sequence[LaneSpec]) -> bytes:
    """The core module with one ``lane{k}``/``post{k}`` pair per lane spec."""
    parts = [
        "(module",
        '(import "m" "memory" (memory 0))',
        '(import "m" "dec" (func $dec (param i32 i32) (result i32)))',
        '(import "m" "enc" (func $enc (param i32 i32) (result i32)))',
        '(import "m" "reset" (func $reset))',
        '(import "m" "unpickle_f64" (func $unpickle_f64 (param i32 i32) (result i32)))',
    ]
    parts += [_lowered_import(k, s) for k, s in enumerate(lanes)]
    parts += [_lane_func(k, s) for k, s in enumerate(lanes)]
    parts.append(")")
    return bytes(wasmtime.wat2wasm("\n".join(parts)))
