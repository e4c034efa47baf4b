"""Typed export calls: the runtime's ``TypedFunc``.

Like wasmtime's ``TypedFunc``, the type check happens once, when the instance
is loaded; a call then runs a fixed plan. For each export the runtime writes
the plan as Python source (one function per signature, compiled once with
``exec``): scalar parameters are checked with class-identity tests and packed
into a preallocated ``val_t`` array with one ``struct.pack_into``; other
parameters use the compiled lowerers of ``lower.py``; the call goes straight
to ``wasmtime_component_func_call``; scalar results are read with one
``unpack_from`` and others are lifted and then freed with
``wasmtime_component_val_delete``.

The parameter and result slots are per function and the nodes below them
come from the instance's ``Arena``: wasmtime converts every argument before
any guest code runs and writes the result only after the guest returned, so a
reentrant call (from a host import) cannot observe a half-written buffer.
"""

from __future__ import annotations

import ctypes
import struct
import threading
from typing import Any

from . import capi
from .arena import Arena
from .capi import MEM, VAL_OF, VAL_SIZE
from .errors import InstanceTrappedError, Trap, WbindgenError
from .lift import _Raise, compile_lift, lift_result_raising
from .lower import (
    PLAN_GLOBALS,
    SCALAR_FMT,
    Lowerer,
    PostCall,
    abort_post_items,
    compile_lower,
    scalar_slot,
    validate,
)
from .resources import HostTable
from .types import (
    Borrow,
    Func,
    ImportedResource,
    List,
    Option,
    Own,
    Prim,
    Record,
    Result,
    TypeDesc,
    Variant,
)
from .types import Tuple as TupleT

__all__ = ["TypedFunc", "InstanceState", "make_typed_func", "pending"]

#: The exception a host function raised, per thread, until the export call that
#: (indirectly) invoked it re-raises it. Calls nest strictly, so one slot suffices.
pending = threading.local()


class InstanceState:
    """Per-instance data the plans share: the store context, trap flag, handle
    tables, the arena the argument trees are written into, and an 8-byte slot
    for the out-parameters of C calls."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.ctx: int = capi.store_context(store)
        self.trapped = False
        self.arena = Arena()
        self._out = ctypes.create_string_buffer(8)
        self.out_slot: int = ctypes.addressof(self._out)
        self.tables: dict[ImportedResource, HostTable] = {}
        self.keepalive: list[Any] = []
        #: Per-instance tables of generated modules (see ``bindings.bind_funcs``).
        self.bindings: dict[int, tuple[Any, ...]] = {}

    def table(self, res: ImportedResource) -> HostTable:
        t = self.tables.get(res)
        if t is None:
            t = self.tables[res] = HostTable(res.wit_name)
        return t

    def host_rep_of(self, handle: int, table: HostTable) -> int:
        err = capi.resource_any_to_host(self.ctx, handle, self.out_slot)
        if err:
            self.fail(err)
        host = _U_PTR(MEM, self.out_slot)[0]
        try:
            if capi.resource_host_type(host) != table.type_id:
                raise WbindgenError(f"resource handle is not a {table.wit_name}")
            return int(capi.resource_host_rep(host))
        finally:
            capi.resource_host_delete(host)

    def fail(self, err: int) -> Any:
        """Raise the exception for a ``wasmtime_error_t*`` returned by a call."""
        message, exit_code = capi.take_error(err)
        exc = getattr(pending, "exc", None)
        if exc is not None:
            pending.exc = None
            self.trapped = True
            raise exc
        if self.trapped or "cannot enter component instance" in message:
            self.trapped = True
            raise InstanceTrappedError(
                "this component instance trapped earlier and cannot be entered again; "
                f"create a new instance (wasmtime: {message})"
            )
        self.trapped = True
        raise Trap(message, exit_code)


_U_PTR = struct.Struct("<Q").unpack_from


def run_post(keep: list[Any]) -> None:
    for item in keep:
        if item.__class__ is PostCall:
            item.after()


def _has_resource(t: TypeDesc | None) -> bool:
    match t:
        case None | Prim():
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
            return False


class TypedFunc:
    """One export, type-checked at load; calling it runs the precomputed plan.

    ``tf(*args)`` takes the parameters positionally, in WIT order.
    ``tf.call_reference(*args)`` runs the same call through wasmtime-py's
    dynamic API (the oracle of the differential tests).
    """

    __slots__ = ("name", "func_type", "_state", "_func", "_dyn", "_slow")

    name: str
    func_type: Func
    _state: InstanceState
    _func: Any
    _dyn: Any
    _slow: Any
    #: The ``LaneSpec`` of an export routed through the bulk lane (class attribute of
    #: routed plans; see lane/route.py), else None.
    lane_spec: Any = None
    lane_threshold: int | None = None

    def __call__(self, *args: Any) -> Any:  # replaced by the generated plan
        raise NotImplementedError

    def call_reference(self, *args: Any) -> Any:
        from .reference import call_reference

        return call_reference(self, args)

    def __repr__(self) -> str:
        return f"<TypedFunc {self.name}>"


def make_typed_func(state: InstanceState, dyn: Any, name: str, ftype: Func) -> TypedFunc:
    """Compile the call plan of one export. ``dyn`` is wasmtime-py's ``Func``."""
    params = ftype.params
    n = len(params)
    pbuf = ctypes.create_string_buffer(max(n, 1) * VAL_SIZE)
    rbuf = ctypes.create_string_buffer(VAL_SIZE)
    paddr = ctypes.addressof(pbuf)
    raddr = ctypes.addressof(rbuf)
    arena = state.arena
    lowerers: list[Lowerer] = [compile_lower(t, state) for _, t in params]
    ns: dict[str, Any] = dict(PLAN_GLOBALS)
    ns.update(
        {
            "_call": capi.func_call,
            "_F": capi.func_address(dyn),
            "_CTX": state.ctx,
            "_PBUF": pbuf,
            "_PADDR": paddr,
            "_RBUF": rbuf,
            "_RADDR": raddr,
            "_ar": arena,
            "_st": state,
            "_store": state.store,
            "_post": run_post,
            "_vdel": capi.val_delete,
            "_Raise": _Raise,
            "_closed": _store_closed,
            "Exception": Exception,
        }
    )
    args = [f"a{i}" for i in range(n)]
    body: list[str] = []
    pack_fmt = "<"
    pack_args: list[str] = []
    pos = 0  # bytes of the param buffer covered by pack_fmt
    complex_lines: list[str] = []
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
            ns[f"_low{i}"] = lowerers[i]
            complex_lines.append(f"_low{i}({a}, {paddr + off}, keep)")
    has_post = any(_has_resource(t) for _, t in params)
    if complex_lines:
        body.append("_ar.top = _ar.base")
    if pack_args:
        ns["_pk"] = struct.Struct(pack_fmt).pack_into
        body.append(f"_pk(_PBUF, 0, {', '.join(pack_args)})")
    body += complex_lines

    def slow(args_: tuple[Any, ...], keep: list[Any]) -> list[Any]:
        abort_post_items(keep)
        for (pname, t), v in zip(params, args_):
            validate(t, v, f"param '{pname}'")
        keep = []
        arena.reset()
        try:
            for i, (low, v) in enumerate(zip(lowerers, args_)):
                low(v, paddr + i * VAL_SIZE, keep)
        except BaseException:
            abort_post_items(keep)
            raise
        return keep

    ns["_slow"] = slow
    src = [f"def __call__(self, {', '.join(args)}, /):" if args else "def __call__(self, /):"]
    if hasattr(state.store, capi.STORE_CONTEXT_ATTR):
        src.append(f"    if _store.{capi.STORE_CONTEXT_ATTR} is None: _closed()")
    if body:
        src.append("    keep = []")
        src.append("    try:")
        src += [f"        {line}" for line in body]
        src.append("    except Exception:")
        src.append(f"        keep = _slow(({', '.join(args)},), keep)")
    nres = 0 if ftype.result is None else 1
    src.append(f"    err = _call(_F, _CTX, _PADDR, {n}, _RADDR, {nres})")
    if has_post:
        src.append("    _post(keep)")
    src.append("    if err: _st.fail(err)")
    rt = ftype.result
    if rt is None:
        src.append("    return None")
    elif isinstance(rt, Prim) and rt.name not in ("string",):
        ns["_ur"] = struct.Struct("<" + SCALAR_FMT[rt.name]).unpack_from
        if rt.name == "char":
            src.append(f"    return chr(_ur(_RBUF, {VAL_OF})[0])")
        else:
            src.append(f"    return _ur(_RBUF, {VAL_OF})[0]")
    else:
        if ftype.raises:
            assert isinstance(rt, Result)
            ns["_lift"] = lift_result_raising(rt, state)
        else:
            ns["_lift"] = compile_lift(rt, state)
        # wasmtime assigns the next result over the slot (dropping the old
        # value): once freed, the slot is reset to a bool.
        src += [
            "    try:",
            "        r = _lift(_RADDR)",
            "    finally:",
            "        _vdel(_RADDR)",
            "        _MEM[_RADDR] = 0",
        ]
        if ftype.raises:
            src.append("    if r.__class__ is _Raise: raise r.exc")
        src.append("    return r")
    code = "\n".join(src) + "\n"
    exec(compile(code, f"<wbindgen plan {name}>", "exec"), ns)
    cls = type(f"TypedFunc[{name}]", (TypedFunc,), {"__slots__": (), "__call__": ns["__call__"]})
    tf: TypedFunc = object.__new__(cls)
    tf.name = name
    tf.func_type = ftype
    tf._state = state
    tf._func = dyn._func
    tf._dyn = dyn
    tf._slow = slow
    return tf


def _store_closed() -> None:
    raise WbindgenError("the wasmtime Store of this instance was closed")
