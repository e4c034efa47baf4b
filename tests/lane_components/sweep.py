"""Every component the tests can find, wrapped by ``build_wrapper`` and compiled by wasmtime.

The lane specs of a component are derived from wasmtime's reflection of the
original (``reflected_exports``): a function is described only when every
type in its signature is one the lane can carry or pass through (scalars,
strings, lists of fixed-layout elements); others are left out, which keeps
them ineligible. The sweep then checks that the wrapper compiles and that its
imports and exports, recursively and structurally, are the original's plus
the lane exports.

    python tests/lane_components/sweep.py      # prints one line per component
"""

from __future__ import annotations

import dataclasses
import random
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import wasmtime
from support.wasmtime_bugs import wat2wasm
from wasmtime import component as wc
from wbindgen_runtime.cache import compile_bytes
from wbindgen_runtime.lane import (
    LaneUnsupportedError,
    build_wrapper,
    lane_export_name,
    lane_specs_for,
)
from wbindgen_runtime.typecheck import wit_of_wasmtime
from wbindgen_runtime.types import Func, List, Prim, Record, Tuple, TypeDesc

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:
    sys.path.insert(0, str(HERE.parent))

from support.paths import ROOT, SHARED, TESTS, lane_build  # noqa: E402

_PRIMS = {
    wc.Bool: "bool", wc.S8: "s8", wc.U8: "u8", wc.S16: "s16", wc.U16: "u16",
    wc.S32: "s32", wc.U32: "u32", wc.S64: "s64", wc.U64: "u64", wc.F32: "f32",
    wc.F64: "f64", wc.Char: "char", wc.String: "string",
}  # fmt: skip


class _Unsupported(Exception):
    pass


def _desc(t: Any) -> TypeDesc:
    """The runtime descriptor of a reflected type the lane can carry or pass through."""
    name = _PRIMS.get(type(t))
    if name is not None:
        return Prim(name)
    if isinstance(t, wc.ListType):
        return List(_desc(t.element))
    if isinstance(t, wc.TupleType):
        return Tuple(tuple(_desc(e) for e in t.elements))
    if isinstance(t, wc.RecordType):
        fields = tuple((n, f"f{i}", _desc(ft)) for i, (n, ft) in enumerate(t.fields))
        cls = dataclasses.make_dataclass("R", [f[1] for f in fields])
        return Record("r", cls, fields)
    raise _Unsupported(type(t).__name__)


def _func(ft: Any) -> Func | None:
    try:
        params = tuple((n, _desc(p)) for n, p in ft.params)
        result = None if ft.result is None else _desc(ft.result)
    except _Unsupported:
        return None
    return Func(params, result)


def reflected_exports(engine: wasmtime.Engine, comp: wc.Component) -> list[tuple[str | None, str, Func]]:
    """(interface, name, Func) for the top-level and one-level-deep exported functions."""
    out: list[tuple[str | None, str, Func]] = []
    for name, item in comp.type.exports(engine).items():
        item = _ty(item)
        if isinstance(item, wc.FuncType):
            f = _func(item)
            if f is not None:
                out.append((None, name, f))
        elif isinstance(item, wc.ComponentInstanceType):
            for fname, fitem in item.exports(engine).items():
                fitem = _ty(fitem)
                if isinstance(fitem, wc.FuncType):
                    f = _func(fitem)
                    if f is not None:
                        out.append((name, fname, f))
    return out


def _ty(item: Any) -> Any:
    return item.ty if hasattr(item, "is_implements") else item


def shape(engine: wasmtime.Engine, item: Any) -> str:
    """A structural spelling of a reflected import/export, instances recursively."""
    item = _ty(item)
    if isinstance(item, wc.FuncType):
        params = ", ".join(f"{n}: {wit_of_wasmtime(p)}" for n, p in item.params)
        return f"func({params}) -> {wit_of_wasmtime(item.result)}"
    if isinstance(item, wc.ComponentInstanceType):
        inner = sorted(f"{n}: {shape(engine, i)}" for n, i in item.exports(engine).items())
        return "instance { " + "; ".join(inner) + " }"
    if isinstance(item, wc.ComponentType):
        return "component"
    if isinstance(item, wc.ResourceType):
        return "resource"
    if isinstance(item, wc.ModuleType):
        return "module"
    return wit_of_wasmtime(item)


def shapes(engine: wasmtime.Engine, items: dict[str, Any]) -> dict[str, str]:
    return {n: shape(engine, i) for n, i in items.items()}


# ---------------------------------------------------------------- the components


def _corpus() -> Iterator[tuple[str, Callable[[], bytes]]]:
    d = SHARED / "corpus" / "wit-component"
    if not d.is_dir():
        return
    for case in sorted(p for p in d.iterdir() if (p / "component.wat").exists()):
        yield f"corpus/{case.name}", lambda case=case: wat2wasm(
            (case / "component.wat").read_text()
        )


def _jco() -> Iterator[tuple[str, Callable[[], bytes]]]:
    d = SHARED / "fixtures" / "jco"
    for p in sorted(d.glob("*.component.wasm")) if d.is_dir() else []:
        yield f"jco/{p.name}", p.read_bytes


def _wat_files() -> Iterator[tuple[str, Callable[[], bytes]]]:
    for p in [
        *sorted((TESTS / "runtime_components").glob("*.wat")),
        *sorted((TESTS / "reader_components").glob("*.wat")),
        ROOT / "examples" / "kitchen_sink.wat",
    ]:
        yield str(p.relative_to(ROOT)), lambda p=p: wat2wasm(p.read_text())


def _generated_wat() -> Iterator[tuple[str, Callable[[], bytes]]]:
    from runtime_components import wat
    from runtime_components.identities import identity_wat

    def text(text: str) -> Callable[[], bytes]:
        return lambda: wat2wasm(text)

    yield "runtime_components/identities", text(identity_wat())
    idents = [wat.Identity("string", "string"), wat.Identity("list", "(list string)")]
    yield "runtime_components/identity-interface", text(
        wat.identity_component(idents, interface="test:x/api")
    )
    from runtime_components.identities import IDENTITIES, TYPES

    typed = [wat.Identity(n, w, ld) for n, (w, _, ld) in IDENTITIES.items()]
    yield "runtime_components/identities-in-interface", text(
        wat.identity_component(typed, TYPES, interface="test:x/api")
    )
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import bench_runtime

        yield "benchmarks/bench_runtime", text(bench_runtime.WAT)
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    import test_hardening_names

    yield "hardening/names-template", text(test_hardening_names.TEMPLATE)
    from hardening.typegen import Built, random_tree

    rng = random.Random(7)
    for k in range(12):
        yield f"hardening/typegen-{k}", text(Built(random_tree(rng)).component_wat())


#: Built components the sweep leaves to another one: a componentize-py guest is
#: 18 MB of the same runtime around a few lines of Python, and each costs two
#: compiles here (seconds each) and one in the codegen sweep; py_guest stands
#: for the toolchain.
SAME_TOOLCHAIN_AS = {"plugin_py": "py_guest"}


def _built() -> Iterator[tuple[str, Callable[[], bytes]]]:
    from support.paths import components_build, wasm_tools

    exe = wasm_tools()
    if exe is None:  # a dev dependency: its absence must not shrink the sweep
        raise RuntimeError(
            "wasm-tools is not installed: it is a dev dependency (pip install -e '.[dev]')"
        )
    build_module, lane = components_build(), lane_build()
    for name in build_module.names():
        if name in SAME_TOOLCHAIN_AS:
            continue
        yield f"components/{name}", lambda name=name: Path(build_module.build(name)).read_bytes()
    for name in ("bulk",):
        yield f"lane_components/{name}", lambda name=name: Path(lane.build(name)).read_bytes()
    from hardening import hostile

    yield "hardening/hostile", lambda: hostile.build(ROOT / ".cache" / "hardening", exe).read_bytes()


def components() -> Iterator[tuple[str, Callable[[], bytes]]]:
    """(label, loader) of every component the sweep covers."""
    yield from _corpus()
    yield from _jco()
    yield from _wat_files()
    yield from _generated_wat()
    yield from _built()


# ---------------------------------------------------------------- one component


@dataclasses.dataclass
class Outcome:
    label: str
    status: str  # "wrapped", "refused", "skipped" (wasmtime rejects the original)
    lanes: int = 0
    detail: str = ""


def sweep_one(engine: wasmtime.Engine, label: str, raw: bytes) -> Outcome:
    """Wrap one component; raise AssertionError when wasmtime rejects the wrapper or
    its imports/exports differ from the original's plus the lane exports."""
    # Through the runtime's compiled-component cache: the big guests are compiled
    # by other tests too, and by the other cells of the CI matrix.
    try:
        orig = compile_bytes(engine, raw)
    except wasmtime.WasmtimeError as e:
        return Outcome(label, "skipped", detail=str(e).splitlines()[0])
    specs = lane_specs_for(reflected_exports(engine, orig))
    try:
        wrapped = build_wrapper(raw, specs)
    except LaneUnsupportedError as e:
        return Outcome(label, "refused", detail=str(e))
    try:
        w = compile_bytes(engine, wrapped)
    except wasmtime.WasmtimeError as e:
        raise AssertionError(f"{label}: wasmtime rejects the wrapper: {e}") from None
    o_ex = shapes(engine, orig.type.exports(engine))
    w_ex = shapes(engine, w.type.exports(engine))
    lanes = {lane_export_name(k): shape(engine, None) for k in range(len(specs))}
    lane_names = set(lanes)
    assert set(w_ex) == set(o_ex) | lane_names, f"{label}: export names differ"
    assert {n: s for n, s in w_ex.items() if n not in lane_names} == o_ex, f"{label}: export types differ"
    o_im = shapes(engine, orig.type.imports(engine))
    assert shapes(engine, w.type.imports(engine)) == o_im, f"{label}: imports differ"
    return Outcome(label, "wrapped", lanes=len(specs))


def main() -> int:
    engine = wasmtime.Engine()
    tally: dict[str, int] = {}
    for label, load in components():
        try:
            out = sweep_one(engine, label, load())
        except AssertionError as e:
            out = Outcome(label, "FAILED", detail=str(e).splitlines()[0][:300])
        tally[out.status] = tally.get(out.status, 0) + 1
        print(f"{out.status:8} {out.lanes:2} {label} {out.detail}")
    print(tally)
    return 0


if __name__ == "__main__":
    sys.exit(main())
