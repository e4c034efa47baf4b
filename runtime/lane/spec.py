"""Which functions take the lane, and the Canonical ABI layout of their list elements."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..types import (
    F64,
    STRING,
    Func,
    List,
    Prim,
    Record,
    Tuple,
    TypeDesc,
)

__all__ = [
    "ElementLayout",
    "LaneParam",
    "LaneSpec",
    "element_layout",
    "lane_export_name",
    "lane_specs_for",
    "pickled_f64",
    "MAX_FLAT_PARAMS",
]

MAX_FLAT_PARAMS = 16

#: scalar name -> (size == alignment, struct code, core wasm type)
SCALARS: dict[str, tuple[int, str, str]] = {
    "bool": (1, "?", "i32"),
    "s8": (1, "b", "i32"),
    "u8": (1, "B", "i32"),
    "s16": (2, "h", "i32"),
    "u16": (2, "H", "i32"),
    "s32": (4, "i", "i32"),
    "u32": (4, "I", "i32"),
    "s64": (8, "q", "i64"),
    "u64": (8, "Q", "i64"),
    "f32": (4, "f", "f32"),
    "f64": (8, "d", "f64"),
    "char": (4, "I", "i32"),
}


def _align_to(n: int, a: int) -> int:
    return (n + a - 1) // a * a


@dataclass(frozen=True, slots=True)
class ElementLayout:
    """The Canonical ABI layout of one list element (`elem_size`, `alignment`).

    ``scalars``/``offsets`` list the element's scalar fields in WIT order (one
    field at offset 0 for a list of scalars); ``desc`` is the runtime type
    descriptor of the element, used to rebuild Python values.
    """

    desc: TypeDesc
    size: int
    align: int
    scalars: tuple[str, ...]
    offsets: tuple[int, ...]

    @property
    def struct_format(self) -> str:
        """A little-endian `struct` format for one element, padding included."""
        fmt = ["<"]
        pos = 0
        for name, off in zip(self.scalars, self.offsets):
            if off > pos:
                fmt.append(f"{off - pos}x")
            fmt.append(SCALARS[name][1])
            pos = off + SCALARS[name][0]
        if self.size > pos:
            fmt.append(f"{self.size - pos}x")
        return "".join(fmt)


def element_layout(t: TypeDesc) -> ElementLayout | None:
    """The layout of a lane list's element type, or None if it has no fixed scalar layout.

    Lane elements are scalars (not string), and records or tuples whose fields
    are scalars other than char.
    """
    if isinstance(t, Prim):
        if t.name not in SCALARS:
            return None
        size = SCALARS[t.name][0]
        return ElementLayout(t, size, size, (t.name,), (0,))
    field_types: list[TypeDesc]
    if isinstance(t, Record):
        field_types = [ft for _, _, ft in t.fields]
    elif isinstance(t, Tuple):
        field_types = list(t.elems)
    else:
        return None
    if not field_types:
        return None
    names: list[str] = []
    offsets: list[int] = []
    pos = 0
    align = 1
    for ft in field_types:
        if not isinstance(ft, Prim) or ft.name not in SCALARS or ft.name == "char":
            return None
        size = SCALARS[ft.name][0]
        pos = _align_to(pos, size)
        names.append(ft.name)
        offsets.append(pos)
        pos += size
        align = max(align, size)
    return ElementLayout(t, _align_to(pos, align), align, tuple(names), tuple(offsets))


def pickled_f64(lay: ElementLayout) -> bool:
    """True for ``list<f64>`` params: they travel as a pickle of floats (floats.py)."""
    return lay.desc == F64


@dataclass(frozen=True, slots=True)
class LaneParam:
    """A lane function's parameter: a lane list (``lane`` set) or a passed-through scalar."""

    name: str
    desc: TypeDesc
    lane: ElementLayout | None

    @property
    def flat(self) -> tuple[str, ...]:
        """Core wasm types of this parameter, flattened."""
        if self.lane is not None or self.desc == STRING:
            return ("i32", "i32")
        assert isinstance(self.desc, Prim)
        return (SCALARS[self.desc.name][2],)


@dataclass(frozen=True, slots=True)
class LaneSpec:
    """One exported function that takes the lane.

    ``interface`` is None for a world-level function. Every ``list<T>`` with a
    fixed element layout at the top level of the signature crosses as a string
    (``params[i].lane`` / ``result_lane`` set); the other parameters are
    scalars or strings and pass through unchanged; the result is a lane list,
    a scalar, or nothing.
    """

    interface: str | None
    name: str
    params: tuple[LaneParam, ...]
    result: TypeDesc | None
    result_lane: ElementLayout | None

    @staticmethod
    def from_func(interface: str | None, name: str, func: Func) -> LaneSpec | None:
        """The spec of a function, or None when it cannot take (or gains nothing from) the lane."""
        if func.raises:
            return None
        params: list[LaneParam] = []
        for pname, pt in func.params:
            if isinstance(pt, List):
                lay = element_layout(pt.elem)
                if lay is None:
                    return None
                params.append(LaneParam(pname, pt, lay))
            elif isinstance(pt, Prim):
                params.append(LaneParam(pname, pt, None))
            else:
                return None
        result_lane: ElementLayout | None = None
        rt = func.result
        if isinstance(rt, List):
            result_lane = element_layout(rt.elem)
            if result_lane is None:
                return None
        elif rt is not None and not (isinstance(rt, Prim) and rt != STRING):
            return None
        if result_lane is None and all(p.lane is None for p in params):
            return None
        spec = LaneSpec(interface, name, tuple(params), rt, result_lane)
        if len(spec.core_params) > MAX_FLAT_PARAMS:
            return None
        return spec

    @property
    def core_params(self) -> tuple[str, ...]:
        return tuple(t for p in self.params for t in p.flat)

    @property
    def core_result(self) -> str | None:
        """The adapter's core result: a pointer for a lane list, the scalar's type, or None."""
        if self.result_lane is not None:
            return "i32"
        if self.result is None:
            return None
        assert isinstance(self.result, Prim)
        return SCALARS[self.result.name][2]

    def lane_func(self) -> Func:
        """The descriptor of the wrapper's lane export (lane lists become ``string``)."""
        params = tuple(
            (f"p{i}", STRING if p.lane is not None else p.desc) for i, p in enumerate(self.params)
        )
        result = STRING if self.result_lane is not None else self.result
        return Func(params, result, False)


def lane_export_name(index: int) -> str:
    """The wrapper's export name for ``lanes[index]`` (a plain kebab-case name)."""
    return f"wbindgen-lane-f{index}"


def lane_specs_for(exports: Iterable[Any]) -> list[LaneSpec]:
    """Lane specs for the eligible functions among runtime export descriptors.

    ``exports`` holds ``(interface, name, Func)`` tuples or ``ExportSpec``s, as
    given to ``wbindgen_runtime.instantiate``.
    """
    out: list[LaneSpec] = []
    for e in exports:
        if isinstance(e, tuple):
            interface, name, func = e
        else:
            interface, name, func = e.interface, e.name, e.func
        spec = LaneSpec.from_func(interface, name, func)
        if spec is not None:
            out.append(spec)
    return out
