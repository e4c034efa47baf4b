"""``build_wrapper``: the original component nested unchanged, plus one lane export per spec.

Wrapper layout (index spaces continue from the copied import prefix):

1. the original's leading type/import/alias/core-type sections, copied, so the
   wrapper imports exactly what the original imports, in the same index spaces;
2. the original's bytes as a nested component, instantiated ``with`` each import;
3. an alias of every export of that instance, exported under its own name (the
   name bytes copied verbatim);
4. the lane: the memory module and its instance, ``canon lower`` of each lane
   function into that memory, the adapter module instantiated with the lowered
   functions, and ``canon lift`` of each ``lane{k}`` as ``wbindgen-lane-f{k}``.
"""

from __future__ import annotations

from collections.abc import Sequence

from . import _binary as b
from .adapter import adapter_module, memory_module
from .call import check_codec
from .errors import LaneUnsupportedError
from .spec import SCALARS, LaneSpec, lane_export_name

# String encoding of the lane exports and of the lowerings they call (the two
# must agree so that passed-through strings keep their flat form). Lane strings
# are hex (ASCII), which utf8 copies without transcoding.
STRING_ENCODING = b"\x00"  # canonopt 0x00: utf8 (0x02 would be latin1+utf16)

_PRIM_CODES = {
    "bool": 0x7F,
    "s8": 0x7E,
    "u8": 0x7D,
    "s16": 0x7C,
    "u16": 0x7B,
    "s32": 0x7A,
    "u32": 0x79,
    "s64": 0x78,
    "u64": 0x77,
    "f32": 0x76,
    "f64": 0x75,
    "char": 0x74,
    "string": 0x73,
}


def _valtype(name: str) -> bytes:
    return bytes([_PRIM_CODES[name]])


def _lane_functype(spec: LaneSpec) -> bytes:
    params = []
    for i, p in enumerate(spec.params):
        pname = "string" if p.lane is not None else p.desc.name  # type: ignore[union-attr]
        params.append(b.name(f"p{i}") + _valtype(pname))
    if spec.result_lane is not None:
        result = b"\x00" + _valtype("string")
    elif spec.result is None:
        result = b"\x01\x00"
    else:
        result = b"\x00" + _valtype(spec.result.name)  # type: ignore[union-attr]
    return b"\x40" + b.vec(params) + result


def _sortidx(sort: bytes, idx: int) -> bytes:
    return sort + b.u32(idx)


def drop_export_name(k: int) -> str:
    return f"wbindgen-drop-{k}"


def _drop_exports(
    lay: b.Layout, alias_of: dict[str, int], drops: Sequence[tuple[str, str]]
) -> bytes:
    """The sections of the drop functions. wasmtime's C API can drop a guest
    resource only synchronously, which a store with async host functions
    refuses; a lifted ``canon resource.drop`` is an export the async face can
    call (and await) with the handle instead."""
    names = {e.name for e in lay.exports}
    res_types: list[int] = []
    aliases = []
    for iface, res in drops:
        if iface not in alias_of:
            raise LaneUnsupportedError(f"the component exports no interface {iface!r}")
        aliases.append(b.TYPE_SORT + b"\x00" + b.u32(alias_of[iface]) + b.name(res))
        res_types.append(lay.add(b.TYPE_SORT))
    drops_core = [lay.add(b.CORE_FUNC) for _ in drops]
    own_types = [lay.add(b.TYPE_SORT) for _ in drops]
    func_types = [lay.add(b.TYPE_SORT) for _ in drops]
    funcs = [lay.add(b.FUNC) for _ in drops]
    exports = []
    for k, f in enumerate(funcs):
        if drop_export_name(k) in names:
            raise LaneUnsupportedError(f"the component already exports {drop_export_name(k)!r}")
        exports.append(b"\x00" + b.name(drop_export_name(k)) + _sortidx(b.FUNC, f) + b"\x00")
    return b"".join(
        (
            b.section(b.ALIAS, b.vec(aliases)),
            # canon resource.drop (0x03) of each resource type
            b.section(b.CANON, b.vec([b"\x03" + b.u32(t) for t in res_types])),
            # own<R> (0x69), then func(h: own<R>) with no results
            b.section(
                b.TYPE,
                b.vec(
                    [b"\x69" + b.u32(t) for t in res_types]
                    + [b"\x40" + b.vec([b.name("h") + b.u32(t)]) + b"\x01\x00" for t in own_types]
                ),
            ),  # fmt: skip
            # canon lift of each drop, no options
            b.section(
                b.CANON,
                b.vec(
                    [
                        b"\x00\x00" + b.u32(d) + b.u32(0) + b.u32(t)
                        for d, t in zip(drops_core, func_types, strict=True)
                    ]
                ),
            ),  # fmt: skip
            b.section(b.EXPORT, b.vec(exports)),
        )
    )


def _check_spec(spec: LaneSpec) -> None:
    for p in spec.params:
        if p.lane is None and getattr(p.desc, "name", None) not in (*SCALARS, "string"):
            raise LaneUnsupportedError(
                f"lane function {spec.name!r}: param {p.name!r} is neither a lane list nor a scalar"
            )


def build_wrapper(
    original: bytes,
    lanes: Sequence[LaneSpec],
    *,
    codec: str | None = None,
    simd: bool = True,
    shared_instance_types: bool = True,
    drops: Sequence[tuple[str, str]] = (),
) -> bytes:
    """A component behaving as ``original`` that also exports ``lane_export_name(k)`` per lane
    and ``drop_export_name(k)`` per ``(interface, resource)`` of ``drops``: a
    function taking an ``own`` handle of that exported resource and dropping it,
    which runs the component's destructor inside an (async) call.

    Raises ``LaneUnsupportedError`` when the original's imports cannot be
    copied as a prefix, when it exports types at its top level, when a spec
    names a world-level function or an interface the original does not
    export, or when a lane export name is already taken. ``codec`` may only
    be "hex" (``adapter.CODEC``, the lane's one codec). ``simd=False`` builds
    the adapter memory without simd128 instructions, for engines configured
    without them (same strings, slower loops). ``shared_instance_types=False``
    refuses an original whose imported instances share one type definition
    (what wasmtime before 50 cannot validate once nested). Functions inside an exported
    interface and the specs' function types are not checked here: the
    runtime's load-time type check of the original's exports, which the
    wrapper re-exports unchanged, covers them, and a spec that disagrees with
    the component makes wasmtime reject the wrapper when compiling it.
    """
    check_codec(codec)
    original = bytes(original)
    lay = b.read_layout(original)
    shared = lay.instance_import_types
    if not shared_instance_types and len(set(shared)) < len(shared):
        # wasmtime < 50 aborts the process validating such a nesting (a
        # wasmparser assertion): refused here, the plain path serves it.
        raise LaneUnsupportedError("two imported instances share one instance type")
    if any(e.sort == b.TYPE_SORT for e in lay.exports):
        # A type exported at the top level (hand-written WAT; WIT cannot say
        # it, no toolchain writes it) makes a fresh type that the nested
        # instance's functions do not use: plain re-exports of them would not
        # validate, and restating their types is not worth its code.
        raise LaneUnsupportedError(
            "the component exports types at its top level (hand-written WAT): "
            "the plain path serves it"
        )
    export_names = {e.name for e in lay.exports}
    for k in range(len(lanes)):
        if lane_export_name(k) in export_names:
            raise LaneUnsupportedError(f"the component already exports {lane_export_name(k)!r}")
    for spec in lanes:
        _check_spec(spec)

    out = [b.PREAMBLE, lay.prefix]

    # 2. The original, nested and instantiated with every import passed through.
    comp_idx = lay.add(b.COMPONENT_SORT)
    out.append(b.section(b.COMPONENT, original))
    args = [b.name(i.name) + _sortidx(i.sort, i.index) for i in lay.imports]
    inst = lay.add(b.INSTANCE_SORT)
    out.append(b.section(b.INSTANCE, b.vec([b"\x00" + b.u32(comp_idx) + b.vec(args)])))

    # 3. Re-export everything, plainly.
    aliases: list[bytes] = []
    alias_of: dict[str, int] = {}
    for e in lay.exports:
        alias_of[e.name] = lay.add(e.sort)
        aliases.append(e.sort + b"\x00" + b.u32(inst) + b.name(e.name))
    if aliases:
        out.append(b.section(b.ALIAS, b.vec(aliases)))
    exports = []
    for e in lay.exports:
        exports.append(e.raw_name + _sortidx(e.sort, alias_of[e.name]) + b"\x00")
        lay.add(e.sort)
    if exports:
        out.append(b.section(b.EXPORT, b.vec(exports)))
    if drops:
        out.append(_drop_exports(lay, alias_of, drops))
    if not lanes:
        return b"".join(out)

    # The original functions the lanes call.
    fn_aliases: list[bytes] = []
    originals: list[int] = []
    for spec in lanes:
        if spec.interface is None:
            ex = next((e for e in lay.exports if e.name == spec.name), None)
            if ex is None or ex.sort != b.FUNC:
                raise LaneUnsupportedError(f"the component exports no function {spec.name!r}")
            originals.append(alias_of[spec.name])
            continue
        ex = next((e for e in lay.exports if e.name == spec.interface), None)
        if ex is None or ex.sort != b.INSTANCE_SORT:
            raise LaneUnsupportedError(f"the component exports no interface {spec.interface!r}")
        fn_aliases.append(b.FUNC + b"\x00" + b.u32(alias_of[spec.interface]) + b.name(spec.name))
        originals.append(lay.add(b.FUNC))
    if fn_aliases:
        out.append(b.section(b.ALIAS, b.vec(fn_aliases)))

    # 4. The adapter memory, the lowered originals, the adapter.
    mem_mod = lay.add(b.CORE_MODULE_SORT)
    out.append(b.section(b.CORE_MODULE, memory_module(simd)))
    mem_inst = lay.add(b.CORE_INSTANCE_SORT)
    out.append(b.section(b.CORE_INSTANCE, b.vec([b"\x00" + b.u32(mem_mod) + b.vec([])])))
    memory = lay.add(b.CORE_MEMORY)
    realloc = lay.add(b.CORE_FUNC)
    out.append(
        b.section(
            b.ALIAS,
            b.vec(
                [
                    b.CORE_MEMORY + b"\x01" + b.u32(mem_inst) + b.name("memory"),
                    b.CORE_FUNC + b"\x01" + b.u32(mem_inst) + b.name("realloc"),
                ]
            ),
        )
    )
    mem_opts = b"\x03" + b.u32(memory) + b"\x04" + b.u32(realloc)
    lowers = []
    lowered: list[int] = []
    for f in originals:
        # opts: string-encoding, memory, realloc
        lowers.append(b"\x01\x00" + b.u32(f) + b.u32(3) + STRING_ENCODING + mem_opts)
        lowered.append(lay.add(b.CORE_FUNC))
    out.append(b.section(b.CANON, b.vec(lowers)))

    ad_mod = lay.add(b.CORE_MODULE_SORT)
    out.append(b.section(b.CORE_MODULE, adapter_module(lanes)))
    inline = b"\x01" + b.vec(
        [b.name(str(k)) + b.CORE_FUNC[1:] + b.u32(f) for k, f in enumerate(lowered)]
    )
    fns_inst = lay.add(b.CORE_INSTANCE_SORT)
    instantiate = (
        b"\x00"
        + b.u32(ad_mod)
        + b.vec(
            [
                b.name("m") + b"\x12" + b.u32(mem_inst),
                b.name("f") + b"\x12" + b.u32(fns_inst),
            ]
        )
    )
    ad_inst = lay.add(b.CORE_INSTANCE_SORT)
    out.append(b.section(b.CORE_INSTANCE, b.vec([inline, instantiate])))

    core_aliases = []
    lane_core: list[tuple[int, int]] = []
    for k in range(len(lanes)):
        core_aliases.append(b.CORE_FUNC + b"\x01" + b.u32(ad_inst) + b.name(f"lane{k}"))
        core_aliases.append(b.CORE_FUNC + b"\x01" + b.u32(ad_inst) + b.name(f"post{k}"))
        lane_core.append((lay.add(b.CORE_FUNC), lay.add(b.CORE_FUNC)))
    out.append(b.section(b.ALIAS, b.vec(core_aliases)))

    types = []
    type_idx: list[int] = []
    for spec in lanes:
        types.append(_lane_functype(spec))
        type_idx.append(lay.add(b.TYPE_SORT))
    out.append(b.section(b.TYPE, b.vec(types)))

    lifts = []
    lane_funcs: list[int] = []
    for k, (fn, post) in enumerate(lane_core):
        # opts: string-encoding, memory, realloc, post-return
        opts = STRING_ENCODING + mem_opts + b"\x05" + b.u32(post)
        lifts.append(b"\x00\x00" + b.u32(fn) + b.u32(4) + opts + b.u32(type_idx[k]))
        lane_funcs.append(lay.add(b.FUNC))
    out.append(b.section(b.CANON, b.vec(lifts)))

    lane_exports = [
        b"\x00" + b.name(lane_export_name(k)) + _sortidx(b.FUNC, f) + b"\x00"
        for k, f in enumerate(lane_funcs)
    ]
    out.append(b.section(b.EXPORT, b.vec(lane_exports)))
    return b"".join(out)
