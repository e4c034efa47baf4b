"""The plan compiler: one export's call plan, written as Python source once per
component and bound per instance.

Like wasmtime's ``TypedFunc``, the types are checked when the component is
loaded, and a call then runs a fixed plan. For each export the compiler writes
a factory ``bind(F, P, R, RV, st, ss, ctx, ...)`` (compiled once per prepared
component, see ``prepared.py``) whose result is the plan of one instance: a
plain function, so a generated method calls it directly. A plan:

1. enters the store (``stores.py``): ``prev = ss.cur``; anything but idle goes
   to ``refuse_entry``, which lets a host function's call back into wasm
   through and refuses everything else; then ``ss.cur = st`` until the plan
   returns (``finally``);
2. lowers: scalar parameters are checked by exact class (``type(a) is int``;
   anything else is converted by the base type's own method or refused) and
   packed into the parameter slots with one ``struct.pack_into``; other
   parameters use the lowerers of ``lower.py`` (the instance's arena holds
   their nodes). Any exception sends the arguments to ``slow``, which undoes
   what lowering did (on ``BaseException`` too), raises the error that names
   the parameter and the path, and never lowers again;
3. calls ``wasmtime_component_func_call`` with the slots;
4. lifts: a scalar result with one ``unpack_from``, others with a lifter,
   then frees wasmtime's tree.

A lane plan (``lane/``) has the same skeleton: its lane parameters are packed
into strings by strict packers, and any refusal sends the call to the plain
plan of the same instance, after leaving the store.

Per instance, a plan owns one block (``PlanBlock``): the function handle
``F`` that wasmtime wrote, the parameter slots ``P`` and the result slot
``R``. The slots are per function and per instance: wasmtime converts every
argument before any guest code runs and writes the result only after the
guest returned, so a call back into the same function from a host import
cannot see a half-written block.
"""

from __future__ import annotations

import ctypes
import struct
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import capi
from .capi import FUNC_SIZE, KIND, VAL_OF, VAL_SIZE
from .errors import WbindgenError
from .lift import _Raise, compile_lift, lift_result_raising
from .lower import PLAN_GLOBALS, SCALAR_FMT, abort_post_items, compile_lower, scalar_slot, validate
from .source import compile_source
from .stores import refuse_entry
from .types import Borrow, Func, List, Option, Own, Prim, Record, Result, TypeDesc, Variant
from .types import Tuple as TupleT

if TYPE_CHECKING:
    from .instances import InstanceState
    from .lane.spec import LaneSpec

__all__ = ["PlanTemplate", "PlanBlock", "run_post", "async_only"]

Plan = Callable[..., Any]


class PlanBlock:
    """The memory one bound plan owns: ``F`` (the ``wasmtime_component_func_t``
    wasmtime fills in), ``P`` (parameter slots), ``R`` (result slot) and ``E``
    (where an async call leaves its ``wasmtime_error_t*``)."""

    __slots__ = ("_buf", "F", "P", "R", "E")

    def __init__(self, nparams: int) -> None:
        head = (FUNC_SIZE + 7) & ~7
        self._buf = ctypes.create_string_buffer(head + (max(nparams, 1) + 1) * VAL_SIZE + 8)
        self.F = ctypes.addressof(self._buf)
        self.P = self.F + head
        self.R = self.P + max(nparams, 1) * VAL_SIZE
        self.E = self.R + VAL_SIZE


def run_post(keep: list[Any]) -> None:
    from .lower import PostCall

    for item in keep:
        if item.__class__ is PostCall:
            item.after()


def _has_resource(t: TypeDesc | None) -> bool:
    from ._compat import assert_never
    from .types import Enum, Flags

    match t:
        case None | Prim() | Enum() | Flags():
            return False
        case Own() | Borrow():
            return True
        case List():
            return _has_resource(t.elem)
        case TupleT():
            return any(_has_resource(e) for e in t.elems)
        case Option():
            return _has_resource(t.inner)
        case Result():
            return _has_resource(t.ok) or _has_resource(t.err)
        case Record():
            return any(_has_resource(ft) for _, _, ft in t.fields)
        case Variant():
            return any(_has_resource(ct) for _, ct, _ in t.cases)
        case _:
            assert_never(t)


_CHANGED = (TypeError, ValueError, OverflowError, struct.error)


def _slow_path(name: str, params: tuple[tuple[str, TypeDesc], ...]) -> Callable[..., Any]:
    """The error path of a plan's lowering: undo, then raise the error users see."""

    def slow(args: tuple[Any, ...], keep: list[Any], exc: BaseException) -> None:
        abort_post_items(keep)
        if not isinstance(exc, Exception):
            raise exc  # KeyboardInterrupt and friends, after the clean-up
        for (pname, t), v in zip(params, args):
            validate(t, v, f"param '{pname}'")
        if isinstance(exc, _CHANGED) and (not exc.args or "changed" in str(exc)):
            # The fast lowering refused what validation, reading again, accepts:
            # the argument is not what it was a moment ago.
            raise ValueError(
                f"{name}(): an argument changed while it was being read (another thread "
                "mutated it, or it yields or compares differently on a second reading)"
            ) from exc
        raise exc

    return slow


_U_VEC = struct.Struct("<QQ").unpack_from


def async_only(what: str) -> WbindgenError:
    """The error for a sync call of a WIT ``async func``."""
    return WbindgenError(
        f"{what} is a WIT async func: wasmtime calls it asynchronously only; use the "
        "bindings' async face (prepare(..., asynchronous=True))"
    )


class PlanTemplate:
    """One export's plan source, compiled once; ``bind`` makes an instance's plan.

    ``lane`` (a ``LaneSpec``) makes it the lane plan of a wrapped component's
    lane export; it then routes calls below ``threshold`` elements, or any the
    lane refuses, to the plain plan passed to ``bind``."""

    __slots__ = (
        "name",
        "func",
        "lane",
        "threshold",
        "codec",
        "asynchronous",
        "has_post",
        "_bind",
        "source",
    )

    def __init__(
        self,
        name: str,
        func: Func,
        *,
        lane: LaneSpec | None = None,
        threshold: int = 0,
        codec: str = "hex",
        asynchronous: bool = False,
    ) -> None:
        if func.is_async and not asynchronous:
            raise async_only(f"function '{name}'")
        self.name = name
        self.func = func
        self.lane = lane
        self.asynchronous = asynchronous
        self.threshold = threshold
        self.codec = codec
        self.has_post = any(_has_resource(t) for _, t in func.params)
        ns: dict[str, Any] = dict(PLAN_GLOBALS)
        ns.update(
            _call=capi.func_call,
            _entry=refuse_entry,
            _vdel=capi.val_delete,
            _post=run_post,
            _Raise=_Raise,
            _UV=_U_VEC,
            BaseException=BaseException,
            Exception=Exception,
        )
        if asynchronous:
            from .aio import PLAN_GLOBALS as ASYNC_GLOBALS

            ns.update(ASYNC_GLOBALS)
        src = self._lane_source(ns) if lane is not None else self._plain_source(ns)
        self.source = src
        exec(compile_source(src, f"<wbindgen plan {name}>"), ns)
        self._bind: Callable[..., Plan] = ns["bind"]

    # -- plain plans --------------------------------------------------------------

    def _plain_source(self, ns: dict[str, Any]) -> str:
        func = self.func
        params = func.params
        n = len(params)
        args = [f"a{i}" for i in range(n)]
        arglist = ", ".join(args)
        ns["_slow"] = _slow_path(self.name, params)
        body: list[str] = []
        pack_fmt = "<"
        pack_args: list[str] = []
        pos = 0
        complex_lines: list[str] = []
        complex_params: list[str] = []
        for i, (_, t) in enumerate(params):
            a = args[i]
            off = i * VAL_SIZE
            if isinstance(t, Prim):
                if pos < off:
                    pack_fmt += f"{off - pos}x"
                # String bytes stay alive as locals of the plan until it returns.
                lines, fmt, slot_args = scalar_slot(t.name, a, None)
                body += lines
                pack_fmt += fmt
                pack_args += slot_args
                pos = off + struct.calcsize("<" + fmt)
            else:
                complex_params += [f"low{i}", f"P{i}"]
                complex_lines.append(f"low{i}({a}, P{i}, keep)")
        if complex_lines:
            body.append("ar.top = ar.base")
        if pack_args:
            ns["_pk"] = struct.Struct(pack_fmt).pack_into
            body.append(f"_pk(_MEM, P, {', '.join(pack_args)})")
        body += complex_lines
        nres = 0 if func.result is None else 1
        bind_params = ["F", "P", "R", "RV", "st", "ss", "ctx", "ar", *complex_params, "lift", "E"]
        src = [f"def bind({', '.join(bind_params)}):"]
        # The async face (aio.py) waits its turn for the store (another task's
        # call may be suspended in it), then runs the same plan with an async
        # call in the middle.
        indent = "        "
        if self.asynchronous:
            src.append(f"    async def plan({arglist}{', /' if args else ''}):")
            src.append("        async with _turn(ss):")
            indent = "            "
        else:
            src.append(f"    def plan({arglist}{', /' if args else ''}):")
        src += [
            f"{indent}prev = ss.cur",
            f"{indent}if prev is not None: _entry(ss, prev)",
            f"{indent}ss.cur = st",
            f"{indent}try:",
        ]
        inner: list[str] = []
        if body:
            inner.append("keep = []")
            inner.append("try:")
            inner += [f"    {line}" for line in body]
            inner.append("except BaseException as e:")
            inner.append(f"    _slow(({arglist}{',' if n == 1 else ''}), keep, e)")
        if self.asynchronous:
            inner.append(f"err = await _acall(F, ctx, P, {n}, R, {nres}, E, st)")
        else:
            inner.append(f"err = _call(F, ctx, P, {n}, R, {nres})")
        if self.has_post:
            inner.append("_post(keep)")
        inner.append("if err: st.fail(err)")
        inner += self._result_lines(ns)
        src += [f"{indent}    {line}" for line in inner]
        src += [f"{indent}finally:", f"{indent}    ss.cur = prev", "    return plan", ""]
        return "\n".join(src)

    def _result_lines(self, ns: dict[str, Any]) -> list[str]:
        rt = self.func.result
        if rt is None:
            return ["return None"]
        if isinstance(rt, Prim) and rt.name != "string":
            ns["_ur"] = struct.Struct("<" + SCALAR_FMT[rt.name]).unpack_from
            if rt.name == "char":
                return ["return chr(_ur(_MEM, RV)[0])"]
            return ["return _ur(_MEM, RV)[0]"]
        # wasmtime assigns the next result over the slot (dropping the old
        # value): once freed, the slot is reset to a bool.
        lines = [
            "try:",
            "    r = lift(R)",
            "finally:",
            "    _vdel(R)",
            "    _MEM[R] = 0",
        ]
        if self.func.raises:
            lines.append("if r.__class__ is _Raise: raise r.exc")
        lines.append("return r")
        return lines

    # -- lane plans ---------------------------------------------------------------

    def _lane_source(self, ns: dict[str, Any]) -> str:
        from .buffers import BufferList
        from .lane.call import unpacker
        from .lane.route import strict_packer
        from .lane.spec import pickled_f64

        spec = self.lane
        assert spec is not None
        params = spec.params
        n = len(params)
        args = [f"a{i}" for i in range(n)]
        arglist = ", ".join(args)
        lane_args = [args[i] for i, p in enumerate(params) if p.lane is not None]
        body: list[str] = []
        pack_fmt = "<"
        pack_args: list[str] = []
        pos = 0
        string_kind = str(KIND["string"])
        for i, p in enumerate(params):
            a = args[i]
            off = i * VAL_SIZE
            if pos < off:
                pack_fmt += f"{off - pos}x"
            if p.lane is not None:
                ns[f"_pk{i}"] = strict_packer(p.lane, self.codec)
                fmt = f"B{VAL_OF - 1}xQQ"
                if pickled_f64(p.lane):  # (hex, its length, or one more for raw doubles)
                    body.append(f"{a}_b, {a}_n = _pk{i}({a})")
                    slot_args = [string_kind, f"{a}_n", f"_baddr({a}_b)"]
                else:
                    body.append(f"{a}_b = _pk{i}({a})")
                    slot_args = [string_kind, f"len({a}_b)", f"_baddr({a}_b)"]
            else:
                assert isinstance(p.desc, Prim)
                lines, fmt, slot_args = scalar_slot(p.desc.name, a, None)
                body += lines
            pack_fmt += fmt
            pack_args += slot_args
            pos = off + struct.calcsize("<" + fmt)
        ns["_pk"] = struct.Struct(pack_fmt).pack_into
        body.append(f"_pk(_MEM, P, {', '.join(pack_args)})")
        src = ["def bind(F, P, R, RV, st, ss, ctx, plain):"]
        src.append(f"    def plan({arglist}{', /' if args else ''}):")
        src += [
            "        prev = ss.cur",
            "        if prev is not None: _entry(ss, prev)",
            "        ss.cur = st",
            "        try:",
            "            try:",
        ]
        if lane_args:
            total = " + ".join(f"len({a})" for a in lane_args)
            src.append(f"                go = {total} >= {int(self.threshold)}")
            src.append("                if go:")
            src += [f"                    {line}" for line in body]
        else:  # only the result is a lane list: its length is unknown, the lane costs little
            src.append("                go = True")
            src += [f"                {line}" for line in body]
        src += ["            except Exception:", "                go = False", "            if go:"]
        nres = 0 if spec.result is None else 1
        inner = [f"err = _call(F, ctx, P, {n}, R, {nres})", "if err: st.fail(err)"]
        rt = spec.result
        if rt is None:
            inner.append("return None")
        elif spec.result_lane is None:
            assert isinstance(rt, Prim)
            ns["_ur"] = struct.Struct("<" + SCALAR_FMT[rt.name]).unpack_from
            conv = "chr(_ur(_MEM, RV)[0])" if rt.name == "char" else "_ur(_MEM, RV)[0]"
            inner.append(f"return {conv}")
        else:
            ns["_unpack"] = unpacker(spec.result_lane, buffer=isinstance(rt, BufferList))
            inner += [
                "try:",
                "    m, p = _UV(_MEM, RV)",
                "    r = _unpack(_MEM[p : p + m])",
                "finally:",
                "    _vdel(R)",
                "    _MEM[R] = 0",
                "return r",
            ]
        src += [f"                {line}" for line in inner]
        src += [
            "        finally:",
            "            ss.cur = prev",
            # Outside the store: the plain plan enters it again itself.
            f"        return plain({arglist})",
            "    return plan",
            "",
        ]
        return "\n".join(src)

    # -- binding ----------------------------------------------------------------------

    def bind(self, st: InstanceState, block: PlanBlock, plain: Plan | None = None) -> Plan:
        """This template's plan for instance ``st``, calling the function in ``block``."""
        rv = block.R + VAL_OF
        if self.lane is not None:
            assert plain is not None
            fn = self._bind(block.F, block.P, block.R, rv, st, st.ss, st.ctx, plain)
        else:
            func = self.func
            complex_args: list[Any] = []
            for i, (_, t) in enumerate(func.params):
                if not isinstance(t, Prim):
                    complex_args += [compile_lower(t, st), block.P + i * VAL_SIZE]
            rt = func.result
            lift: Any = None
            if rt is not None and not (isinstance(rt, Prim) and rt.name != "string"):
                if func.raises:
                    assert isinstance(rt, Result)
                    lift = lift_result_raising(rt, st)
                else:
                    lift = compile_lift(rt, st)
            fn = self._bind(
                block.F,
                block.P,
                block.R,
                rv,
                st,
                st.ss,
                st.ctx,
                st.arena,
                *complex_args,
                lift,
                block.E,
            )
        fn.__wbindgen_block__ = block  # type: ignore[attr-defined]  # the plan's memory
        fn.__qualname__ = fn.__name__ = self.name.replace("-", "_").replace(".", "_")
        return fn
