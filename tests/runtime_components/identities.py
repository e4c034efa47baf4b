"""The identity component of the runtime tests, with its Python classes and descriptors."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from wbindgen_runtime.types import (
    BOOL,
    CHAR,
    F32,
    F64,
    S8,
    S16,
    S32,
    S64,
    STRING,
    U8,
    U16,
    U32,
    U64,
    Enum,
    Flags,
    Func,
    List,
    Option,
    Record,
    Result,
    Tuple,
    TypeDesc,
    Variant,
)

from .wat import PADS, Identity, identity_component


@dataclass
class Point:
    x: float
    y: float


@dataclass
class All:
    a: bool
    b: int
    c: int
    d: int
    e: float
    f: str
    g: bytes
    h: int | None


@dataclass
class Shape_Circle:
    value: float


@dataclass
class Shape_Rect:
    value: Point


@dataclass
class Shape_None:
    pass


@dataclass
class Shape_Label:
    value: str


@dataclass
class Outer_Inner:
    value: object


@dataclass
class Outer_Nothing:
    pass


@dataclass
class Outer_Pair:
    value: tuple[object, object]


class Color(enum.Enum):
    RED = 0
    GREEN = 1
    BLUE = 2


Big = enum.Flag("Big", [f"F{i}" for i in range(32)])


class Small(enum.Flag):
    A = 1
    B = 2
    C = 4


POINT = Record("point", Point, (("x", "x", F64), ("y", "y", F64)))
ALL = Record(
    "all",
    All,
    (
        ("a", "a", BOOL),
        ("b", "b", S8),
        ("c", "c", U16),
        ("d", "d", S64),
        ("e", "e", F32),
        ("f", "f", STRING),
        ("g", "g", List(U8)),
        ("h", "h", Option(U32)),
    ),
)
SHAPE = Variant(
    "shape",
    (
        ("circle", F64, Shape_Circle),
        ("rect", POINT, Shape_Rect),
        ("none", None, Shape_None),
        ("label", STRING, Shape_Label),
    ),
)
OUTER = Variant(
    "outer",
    (
        ("inner", SHAPE, Outer_Inner),
        ("nothing", None, Outer_Nothing),
        ("pair", Tuple((SHAPE, SHAPE)), Outer_Pair),
    ),
)
COLOR = Enum("color", Color, ("red", "green", "blue"))
BIG = Flags("big", Big, tuple(f"f{i}" for i in range(32)))
SMALL = Flags("small", Small, ("a", "b", "c"))

TYPES = f"""
  (type $point' (record (field "x" f64) (field "y" f64)))
  (export $point "point" (type $point'))
  (type $all' (record (field "a" bool) (field "b" s8) (field "c" u16) (field "d" s64) (field "e" f32)
    (field "f" string) (field "g" (list u8)) (field "h" (option u32))))
  (export $all "all" (type $all'))
  (type $shape' (variant (case "circle" f64) (case "rect" $point) (case "none") (case "label" string)))
  (export $shape "shape" (type $shape'))
  (type $outer' (variant (case "inner" $shape) (case "nothing") (case "pair" (tuple $shape $shape))))
  (export $outer "outer" (type $outer'))
  (type $color' (enum "red" "green" "blue"))
  (export $color "color" (type $color'))
  (type $big' (flags {" ".join(f'"f{i}"' for i in range(32))}))
  (export $big "big" (type $big'))
  (type $small' (flags "a" "b" "c"))
  (export $small "small" (type $small'))
"""

#: name -> (WIT text in the component, descriptor, flat load of the core identity)
IDENTITIES: dict[str, tuple[str, TypeDesc, str]] = {
    "bool": ("bool", BOOL, "u8"),
    "s8": ("s8", S8, "s8"),
    "u8": ("u8", U8, "u8"),
    "s16": ("s16", S16, "s16"),
    "u16": ("u16", U16, "u16"),
    "s32": ("s32", S32, "i32"),
    "u32": ("u32", U32, "i32"),
    "s64": ("s64", S64, "i64"),
    "u64": ("u64", U64, "i64"),
    "f32": ("f32", F32, "f32"),
    "f64": ("f64", F64, "f64"),
    "char": ("char", CHAR, "i32"),
    "string": ("string", STRING, "ptr"),
    "bytes": ("(list u8)", List(U8), "ptr"),
    "list-u32": ("(list u32)", List(U32), "ptr"),
    "list-s8": ("(list s8)", List(S8), "ptr"),
    "list-s64": ("(list s64)", List(S64), "ptr"),
    "list-u64": ("(list u64)", List(U64), "ptr"),
    "list-f32": ("(list f32)", List(F32), "ptr"),
    "list-f64": ("(list f64)", List(F64), "ptr"),
    "list-bool": ("(list bool)", List(BOOL), "ptr"),
    "list-char": ("(list char)", List(CHAR), "ptr"),
    "list-string": ("(list string)", List(STRING), "ptr"),
    "list-point": ("(list $point)", List(POINT), "ptr"),
    "list-list-u16": ("(list (list u16))", List(List(U16)), "ptr"),
    "tuple": ("(tuple u8 string f64)", Tuple((U8, STRING, F64)), "ptr"),
    "point": ("$point", POINT, "ptr"),
    "all": ("$all", ALL, "ptr"),
    "shape": ("$shape", SHAPE, "ptr"),
    "outer": ("$outer", OUTER, "ptr"),
    "color": ("$color", COLOR, "u8"),
    "big": ("$big", BIG, "i32"),
    "small": ("$small", SMALL, "u8"),
    "opt-u32": ("(option u32)", Option(U32), "ptr"),
    "opt-opt-u32": ("(option (option u32))", Option(Option(U32)), "ptr"),
    "opt-string": ("(option string)", Option(STRING), "ptr"),
    "opt-point": ("(option $point)", Option(POINT), "ptr"),
    "res-u32-string": ("(result u32 (error string))", Result(U32, STRING), "ptr"),
    "res-unit-string": ("(result (error string))", Result(None, STRING), "ptr"),
    "res-u32": ("(result u32)", Result(U32, None), "ptr"),
    "res-unit": ("(result)", Result(None, None), "u8"),
    "list-res": ("(list (result u32 (error string)))", List(Result(U32, STRING)), "ptr"),
    "opt-res": ("(option (result string (error u32)))", Option(Result(STRING, U32)), "ptr"),
    "res-res": (
        "(result (result (error string)) (error string))",
        Result(Result(None, STRING), STRING),
        "ptr",
    ),
}

PAD_PARAMS = tuple((f"p{i}", U64) for i in range(PADS))

SUM17 = r"""
    (func (export "sum17") (param $p i32) (result i64)
      (local $i i32) (local $acc i64)
      call $tick
      (block $done
        (loop $next
          local.get $i i32.const 17 i32.ge_u br_if $done
          local.get $acc
          local.get $p local.get $i i32.const 4 i32.mul i32.add i64.load32_u
          i64.add local.set $acc
          local.get $i i32.const 1 i32.add local.set $i
          br $next))
      local.get $acc)
    (func (export "boom") call $tick unreachable)
"""
SUM17_PARAMS = " ".join(f'(param "a{i}" u32)' for i in range(17))
EXTRA = f"""
  (func $sum17 {SUM17_PARAMS} (result u64)
    (canon lift (core func $i "sum17") (memory $mem) (realloc $realloc) (post-return (core func $i "reset-i64"))))
  (export "sum17" (func $sum17))
  (func $boom (canon lift (core func $i "boom")))
  (export "boom" (func $boom))
"""


def identity_wat() -> str:
    idents = [Identity(name, wit, load) for name, (wit, _, load) in IDENTITIES.items()]
    return identity_component(idents, TYPES, extra_core=SUM17, extra=EXTRA)


def identity_exports() -> list[tuple[str | None, str, Func]]:
    specs: list[tuple[str | None, str, Func]] = [
        (None, f"id-{name}", Func((("x", t),) + PAD_PARAMS, t))
        for name, (_, t, _) in IDENTITIES.items()
    ]
    specs.append((None, "calls", Func((), U32)))
    specs.append((None, "sum17", Func(tuple((f"a{i}", U32) for i in range(17)), U64)))
    specs.append((None, "boom", Func()))
    return specs
