"""The guest of the conformance world `guest` (wit/guest.wit), built with
componentize-py by tests/components/build.py.

Exports echo what they get (the host compares), with a few obvious operations;
`test-imports` calls every function of the imported `host` interface with
fixed arguments, at the edges of their types, and raises (so the component
traps) when the host answers wrong. The exported resource `counter` is in
`api.py`: componentize-py finds a resource's class in the module named after
its interface.
"""

import math

import api
from componentize_py_types import Err, Ok, Result, Some
from wit_world import WitWorld as WitWorldBase
from wit_world import exports
from wit_world.imports import host
from wit_world.imports.types import (
    Bundle,
    Color,
    Failure,
    Perms,
    Point,
    Scalars,
    Shape,
    Shape_Circle,
    Shape_Label,
    Shape_Many,
    Shape_None_,
    Shape_Rect,
    Shape_Tagged,
    ShapePart,
)

S32_MIN, S32_MAX = -(2**31), 2**31 - 1
F32_MAX = 3.4028234663852886e38


def expect(got, want, what: str) -> None:
    same = got == want or (
        isinstance(want, float) and math.isnan(want) and isinstance(got, float) and math.isnan(got)
    )
    if not same:
        raise AssertionError(f"host {what}: got {got!r}, want {want!r}")


class WitWorld(WitWorldBase):
    def version(self) -> str:
        return "0.1.0"

    def test_imports(self) -> None:
        host.log("")
        host.log("ünïcödé 🚩 \0 end")

        for s in (
            Scalars(False, -128, 0, -(2**15), 0, S32_MIN, 0, -(2**63), 0, -F32_MAX, -math.inf,
                    "\0", ""),
            Scalars(True, 127, 255, 2**15 - 1, 2**16 - 1, S32_MAX, 2**32 - 1, 2**63 - 1, 2**64 - 1,
                    F32_MAX, 1.7976931348623157e308, "\U0010ffff", "🚀 𠈄𓀀"),
        ):
            expect(host.echo_scalars(s), s, "echo-scalars")

        expect(host.scale(Point(3, -4), 2.0), Point(6, -8), "scale")
        expect(host.scale(Point(S32_MAX, S32_MIN), 1.0), Point(S32_MAX, S32_MIN), "scale")
        expect(host.scale(Point(7, 9), 0.5), Point(3, 4), "scale")

        expect(host.lookup("greeting"), "hello", "lookup")
        expect(host.lookup(""), "", "lookup")
        expect(host.lookup("missing"), None, "lookup")

        expect(host.checked_double(21), 42, "checked-double")
        expect(host.checked_double(0), 0, "checked-double")
        for x, failure in ((2**30, Failure.TOO_BIG), (-1, Failure.NEGATIVE)):
            try:
                host.checked_double(x)
            except Err as e:
                expect(e.value, failure, "checked-double error")
            else:
                raise AssertionError(f"host checked-double({x}) did not fail")

        expect(host.next_color(Color.RED), Color.GREEN, "next-color")
        expect(host.next_color(Color.GREEN), Color.BLUE, "next-color")
        expect(host.next_color(Color.BLUE), Color.RED, "next-color")

        everything = Perms(0)
        for p in Perms:
            everything |= p
        expect(host.toggle(Perms.READ, Perms.WRITE), Perms.READ | Perms.WRITE, "toggle")
        expect(host.toggle(everything, Perms.B8), everything & ~Perms.B8, "toggle")
        expect(host.toggle(Perms(0), everything), everything, "toggle")

        expect(host.area(Shape_None_()), 0.0, "area")
        expect(host.area(Shape_Circle(1.0)), math.pi, "area")
        expect(host.area(Shape_Rect((Point(-1, -2), Point(3, 4)))), 24.0, "area")
        expect(host.area(Shape_Label("four")), 4.0, "area")
        expect(host.area(Shape_Tagged(Some(7))), 7.0, "area")
        expect(host.area(Shape_Tagged(Some(None))), -1.0, "area")
        expect(host.area(Shape_Tagged(None)), -2.0, "area")
        parts = [ShapePart(Point(i, -i), Color.BLUE) for i in range(5)]
        expect(host.area(Shape_Many(parts)), 5.0, "area")

        for b in bundles():
            expect(host.echo_bundle(b), b, "echo-bundle")

        expect(host.bytes_sum(b""), 0, "bytes-sum")
        expect(host.bytes_sum(bytes(range(256)) * 1000), 255 * 128 * 1000, "bytes-sum")


def bundles() -> list[Bundle]:
    return [
        Bundle("", [], None, None, Ok(0), [], Ok(None), Shape_None_(), Perms(0), b"", []),
        Bundle(
            "full ⚑",
            [Point(S32_MIN, S32_MAX), Point(0, 0)],
            Color.BLUE,
            Some(None),
            Err(Failure.DIVISION_BY_ZERO),
            [Ok("yes"), Err(255), Ok(""), Err(0)],
            Err(None),
            Shape_Many([ShapePart(Point(1, 2), Color.RED)]),
            Perms.READ | Perms.B8,
            bytes(range(256)),
            [("a", None), ("b", -0.0), ("c", math.inf)],
        ),
        Bundle("s", [Point(1, 1)], Color.RED, Some("some"), Ok(2**64 - 1), [Ok("x")], Ok(None),
               Shape_Tagged(Some(2**32 - 1)), Perms.EXEC, b"\0", [("", 1.5)]),
    ]


class Api(exports.Api):
    def echo_bool(self, v: bool) -> bool:
        return v

    def echo_s8(self, v: int) -> int:
        return v

    def echo_u8(self, v: int) -> int:
        return v

    def echo_s16(self, v: int) -> int:
        return v

    def echo_u16(self, v: int) -> int:
        return v

    def echo_s32(self, v: int) -> int:
        return v

    def echo_u32(self, v: int) -> int:
        return v

    def echo_s64(self, v: int) -> int:
        return v

    def echo_u64(self, v: int) -> int:
        return v

    def echo_f32(self, v: float) -> float:
        return v

    def echo_f64(self, v: float) -> float:
        return v

    def echo_char(self, v: str) -> str:
        return v

    def echo_string(self, v: str) -> str:
        return v

    def echo_bytes(self, v: bytes) -> bytes:
        return v

    def echo_scalars(self, v: Scalars) -> Scalars:
        return v

    def echo_points(self, v: list[Point]) -> list[Point]:
        return v

    def echo_tuple(self, v: tuple[int, int, str, float, str]) -> tuple[int, int, str, float, str]:
        return v

    def swap(self, v: tuple[str, list[int]]) -> tuple[list[int], str]:
        return (v[1], v[0])

    def echo_color(self, v: Color) -> Color:
        return v

    def echo_perms(self, v: Perms) -> Perms:
        return v

    def echo_shape(self, v: Shape) -> Shape:
        return v

    def echo_shapes(self, v: list[Shape]) -> list[Shape]:
        return v

    def echo_option(self, v: str | None) -> str | None:
        return v

    def echo_nested(self, v: Some[int | None] | None) -> Some[int | None] | None:
        return v

    def echo_results(self, v: list[Result[int, str]]) -> list[Result[int, str]]:
        return v

    def echo_option_result(
        self, v: Result[Point, Failure] | None
    ) -> Result[Point, Failure] | None:
        return v

    def echo_bundle(self, v: Bundle) -> Bundle:
        return v

    def checked_div(self, a: int, b: int) -> int:
        if b == 0:
            raise Err(Failure.DIVISION_BY_ZERO)
        q = abs(a) // abs(b) * (1 if (a < 0) == (b < 0) else -1)
        if q > S32_MAX:
            raise Err(Failure.TOO_BIG)
        return q

    def nested_result(self, outer: bool, inner: bool) -> Result[None, str]:
        if not outer:
            raise Err("outer")
        return Ok(None) if inner else Err("inner")

    def no_payload(self, ok: bool) -> None:
        if not ok:
            raise Err(None)

    def scaled_area(self, p: Point, factor: float) -> float:
        q = host.scale(p, factor)
        return float(q.x * q.y)

    def total(self, a: api.Counter, b: api.Counter) -> int:
        return a.value() + b.value()

    def consume(self, c: api.Counter) -> int:
        return c.value()

    def counters_made(self) -> int:
        return api.Counter.made
