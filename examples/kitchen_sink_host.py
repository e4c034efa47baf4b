"""A host program using the kitchen-sink bindings.

    wbindgen examples/kitchen_sink.wat -o out/kitchen_sink
    PYTHONPATH=out python examples/kitchen_sink_host.py examples/kitchen_sink.wat

(generated_examples/ holds the same bindings, committed.)
"""

from __future__ import annotations

import sys

import wasmtime
from kitchen_sink import Err, KitchenSink, Some
from kitchen_sink.exports.api import AllScalars, Many
from kitchen_sink.imports.types import Color, Perms, Point, Shape, Shape_Circle, Shape_Rect


def describe(shape: Shape) -> str:
    match shape:
        case Shape_Circle(value=r):
            return f"a circle of radius {r}"
        case Shape_Rect(value=Point(x, y)):
            return f"a rectangle to ({x}, {y})"
        case _:
            return type(shape).__name__


def main(component: str) -> None:
    store = wasmtime.Store()
    inst = KitchenSink.instantiate(store, component)
    print("version:", inst.version())
    print("add(40, 2) =", inst.api.add(40, 2))
    print("points:", inst.api.echo_points([Point(1, 2), Point(-3, 4)]))
    print("shape:", describe(inst.api.echo_shape(Shape_Rect(Point(3, 4)))))
    print("color:", inst.api.echo_color(Color.BLUE_ISH))
    print("perms:", inst.api.echo_perms(Perms.READ | Perms.WRITE))
    print("flags:", inst.api.echo_many(Many.F0 | Many.F31))
    print("option<option<u32>>:", inst.api.echo_opt(Some(None)))
    scalars = AllScalars(True, -1, 255, -2, 65535, -3, 2**32 - 1, -4, 2**64 - 1, 1.5, 2.5, "λ")
    print("scalars round trip:", inst.api.echo_scalars(scalars) == scalars)
    try:
        inst.api.checked_div(1, 0)
    except Err as e:
        print("checked_div(1, 0) raised Err:", e.value)
    with inst.api.counter(10) as counter:
        counter.incr(5)
        print("counter:", counter.get(), "live:", inst.api.live_counters())
    print("live after the with block:", inst.api.live_counters())
    try:
        inst.api.add(2**32, 0)
    except OverflowError as e:
        print("out of range, before any wasm ran:", e)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "examples/kitchen_sink.wat")
