"""The bindings' imports as definitions in a ``wasmtime.component.Linker``.

``HostDefs`` defines every host function of a ``Bindings`` (our own C
callback per function, through ``wasmtime_component_linker_instance_add_func``)
and every host resource type (a host ``ResourceType`` with a destructor
callback) in a Linker, once. The callbacks are shared by every store and
instance the Linker serves, so they carry nothing of an instance: wasmtime
hands each call the store's context, the store's call state (``stores.py``)
names the instance whose call is running (``cur``), and that instance holds
the host's implementations (``impls``), its resource handle tables and its
arena. A call that does not come from an instance of these bindings (a
component the user instantiated through the same Linker) is served by a
per-store fallback state whose implementations come from ``impls_for(store)``.

Per instance and import, the work of a callback (lift the arguments, call the
implementation, lower the result) is compiled on first use and kept on the
instance (``InstanceState.host_plans``).

While the host's implementation runs, the store's state says so (``InHost``):
it may call back into wasm from this thread. While the callback lifts and
lowers, the store is busy like any call.

A host exception becomes the error wasmtime unwinds the guest with; when the
call came through the bindings, the exception itself is parked on the store
(``pending``) and the plan that led here raises it as the same object.
"""

from __future__ import annotations

import ctypes
import itertools
import threading
from collections.abc import Callable, Iterable
from typing import Any

import wasmtime
from wasmtime import component as wc

from . import capi
from .bindings_spec import Bindings, where
from .capi import VAL_SIZE
from .errors import WbindgenError
from .instances import InstanceState
from .lift import compile_lift
from .lower import PostCall, abort_post_items, compile_lower, validate
from .resources import _MISSING
from .stores import InHost, StoreState, by_context
from .types import ImportedResource
from .values import Err, Ok

__all__ = ["HostDefs"]

_get_ident = threading.get_ident
_type_ids = itertools.count(0x7762_0000)


def _error_for(exc: BaseException, what: str) -> int:
    text = f"{what} raised {type(exc).__name__}"
    detail = str(exc)
    if detail:
        text += f": {detail}"
    return int(capi.error_new(text.encode("utf-8", "replace")) or 0)


class HostDefs:
    """The host functions and resource types of one ``Bindings``, defined in Linkers.

    ``impls_for(store)`` gives the implementations (in ``bindings.imports``
    order) for calls that do not come from an instance of these bindings."""

    def __init__(
        self,
        bindings: Bindings,
        impls_for: Callable[[wasmtime.Store], tuple[Any, ...]] | None = None,
        *,
        asynchronous: bool = False,
    ) -> None:
        self.bindings = bindings
        #: Host functions for the async face (aio.py): defined with
        #: ``add_func_async``, implementations may be coroutine functions.
        self.asynchronous = asynchronous
        self.funcs = bindings.imports
        self.resources = bindings.resources
        self.impls_for = impls_for
        self._type_ids: dict[ImportedResource, int] = {}
        for r in self.resources:
            if r.resource not in self._type_ids:
                self._type_ids[r.resource] = next(_type_ids) & 0xFFFFFFFF
        if asynchronous:
            from .aio import async_callback

            self._callbacks: list[Any] = [
                capi.func_async_callback_t(async_callback(self, k)) for k in range(len(self.funcs))
            ]
        else:
            self._callbacks = [
                capi.func_callback_t(self._callback(k)) for k in range(len(self.funcs))
            ]
        self._dtors = {res: capi.resource_dtor_t(self._destructor(res)) for res in self._type_ids}
        self._rtypes = {res: wc.ResourceType.host(tid) for res, tid in self._type_ids.items()}

    def type_id(self, res: ImportedResource) -> int:
        try:
            return self._type_ids[res]
        except KeyError:
            raise WbindgenError(
                f"resource '{res.wit_name}' is not an import of these bindings"
            ) from None

    # -- defining ---------------------------------------------------------------------

    def define(
        self,
        linker: wc.Linker,
        names: dict[str | None, str | None] | None = None,
        empty: Iterable[str] = (),
    ) -> None:
        """Define everything in ``linker``: interface ``i`` as ``names.get(i, i)``
        (the component's own name for it, when known), and each of ``empty`` as
        an empty instance (an imported interface with only types)."""
        names = names or {}
        groups: dict[str | None, tuple[list[int], list[Any]]] = {}
        for k, f in enumerate(self.funcs):
            groups.setdefault(f.interface, ([], []))[0].append(k)
        for r in self.resources:
            groups.setdefault(r.interface, ([], []))[1].append(r)
        root = linker.root()
        try:
            for iface, (ks, rs) in groups.items():
                li = root if iface is None else root.add_instance(names.get(iface, iface) or iface)
                try:
                    for r in rs:
                        self._add_resource(li, r.name, r.resource)
                    for k in ks:
                        self._add_func(li, k)
                finally:
                    if li is not root:
                        li.close()
            for name in empty:
                root.add_instance(name).close()
        finally:
            root.close()

    def _add_resource(self, li: wc.LinkerInstance, name: str, res: ImportedResource) -> None:
        raw = name.encode()
        err = capi.linker_instance_add_resource(
            capi.ptr_value(li.ptr()),
            raw,
            len(raw),
            capi.ptr_value(self._rtypes[res].ptr()),
            self._dtors[res],
            None,
            None,
        )
        if err:
            message, _ = capi.take_error(err)
            raise WbindgenError(f"cannot define resource '{name}': {message}")

    def _add_func(self, li: wc.LinkerInstance, k: int) -> None:
        spec = self.funcs[k]
        raw = spec.name.encode()
        add = (
            capi.linker_instance_add_func_async
            if self.asynchronous
            else capi.linker_instance_add_func
        )
        err = add(capi.ptr_value(li.ptr()), raw, len(raw), self._callbacks[k], None, None)
        if err:
            message, _ = capi.take_error(err)
            raise WbindgenError(
                f"cannot define {where('host import', spec.interface, spec.name)}: {message}"
            )

    # -- serving calls ----------------------------------------------------------------

    def _serving(self, ss: StoreState | None, what: str) -> tuple[InstanceState, bool]:
        """The instance state serving a call in ``ss``, and whether it came through
        the bindings (so a plan will re-raise a parked exception)."""
        if ss is None:
            raise WbindgenError(
                f"{what}: called in a store the bindings do not know (instantiate through "
                "the Linker the bindings were added to, or through the bindings)"
            )
        inst = ss.cur
        if inst.__class__ is InstanceState and inst.defs is self:
            return inst, True
        fallback = ss.fallbacks.get(id(self))
        if fallback is None:
            store = ss.store
            if self.impls_for is None or store is None:
                raise WbindgenError(
                    f"{what}: called by a component instance the bindings did not create; "
                    "give add_to_linker() an imports_for function to serve such calls"
                )
            fallback = InstanceState(store, ss, impls=tuple(self.impls_for(store)), defs=self)
            ss.fallbacks[id(self)] = fallback
            ss.defs.add(self)
        return fallback, False

    def _callback(self, k: int) -> Callable[..., int]:
        spec = self.funcs[k]
        what = where("host import", spec.interface, spec.name)
        defs = self

        def callback(
            _env: Any, ctx: int, _ty: Any, args: int, _n: int, results: int, _nres: int
        ) -> int:
            ss = by_context.get(ctx)
            through = False
            try:
                inst, through = defs._serving(ss, what)
                assert ss is not None
                plan = inst.host_plans[k]
                if plan is None:
                    plan = inst.host_plans[k] = defs._host_plan(k, inst, what)
                prev = ss.cur
                ss.cur = inst  # busy while lifting and lowering
                try:
                    plan(args, results)
                finally:
                    ss.cur = prev
                return 0
            except BaseException as exc:  # noqa: BLE001 - everything must reach the caller
                if through and ss is not None:
                    ss.pending = exc
                return _error_for(exc, what)

        return callback

    def _host_plan(self, k: int, inst: InstanceState, what: str) -> Callable[[int, int], None]:
        ftype = self.funcs[k].func
        impl = inst.impls[k]
        lifters = [(compile_lift(t, inst), i * VAL_SIZE) for i, (_, t) in enumerate(ftype.params)]
        rt = ftype.result
        low = compile_lower(rt, inst) if rt is not None else None
        scratch = ctypes.create_string_buffer(VAL_SIZE)
        scratch_addr = ctypes.addressof(scratch)
        arena = inst.arena
        raises = ftype.raises
        ss = inst.ss

        def host_plan(args: int, results: int) -> None:
            vals = [lf(args + o) for lf, o in lifters]
            prev = ss.cur
            ss.cur = InHost(_get_ident(), inst)
            try:
                if raises:
                    try:
                        value: Any = Ok(impl(*vals))
                    except Err as e:
                        value = e
                else:
                    value = impl(*vals)
            finally:
                ss.cur = prev
            if low is None:
                return
            keep: list[Any] = []
            # The export call that led here has handed its arguments to wasmtime
            # already: this write phase may reuse the arena (see arena.py).
            arena.reset()
            try:
                low(value, scratch_addr, keep)
            except BaseException as exc:
                abort_post_items(keep)
                if isinstance(exc, Exception):
                    assert rt is not None
                    validate(rt, value, f"{what} result")
                raise
            # wasmtime drops what the callback writes: hand it a deep copy it owns.
            capi.val_clone(scratch_addr, results)
            for item in keep:
                if item.__class__ is PostCall:
                    item.after()

        host_plan.__wbindgen_scratch__ = scratch  # type: ignore[attr-defined]
        return host_plan

    def _destructor(self, res: ImportedResource) -> Callable[..., int]:
        what = f"drop of resource '{res.wit_name}'"
        defs = self

        def dtor(_env: Any, ctx: int, rep: int) -> int:
            ss = by_context.get(ctx)
            through = False
            try:
                inst, through = defs._serving(ss, what)
                assert ss is not None
                obj = inst.table(res).forget(rep)
                if obj is _MISSING:
                    return 0
                drop = getattr(obj, "drop", None)
                if drop is not None and defs.asynchronous:
                    # Not on the fiber (its stack is small, and the drop may
                    # be a coroutine): a Task the suspended call awaits.
                    from .aio import defer_drop

                    defer_drop(ss, drop, what)
                elif drop is not None:
                    prev = ss.cur
                    ss.cur = InHost(_get_ident(), inst)
                    try:
                        drop()
                    finally:
                        ss.cur = prev
                return 0
            except BaseException as exc:  # noqa: BLE001 - everything must reach the caller
                if through and ss is not None:
                    ss.pending = exc
                return _error_for(exc, what)

        return dtor
