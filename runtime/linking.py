"""An instantiated component (``BoundInstance``) and the low-level ``instantiate``.

``BoundInstance`` binds each export's plan to the instance on first use
(``plan``): it asks wasmtime for the function by the export index the
prepared component computed once, into memory the plan owns, and binds the
plan template to the instance's state. Nothing is looked up by name per call
or per instance.

``instantiate(store, component_or_path, exports=..., imports=...,
resources=...)`` is the runtime's own low-level entry (tests and hand-written
hosts use it; generated packages go through ``Bindings`` and ``prepared``):
it builds a ``Bindings`` from the specs (one per distinct set of specs) and
instantiates through the per-engine cache of prepared components.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterable
from typing import Any, NoReturn, SupportsIndex

import wasmtime
from wasmtime import component as wc

from . import capi
from .bindings_spec import (
    Bindings,
    ExportLike,
    ExportSpec,
    HostFuncSpec,
    ImportSpec,
    ResourceImportSpec,
    ResourceLike,
    where,
)
from .errors import StoreClosedError, TypeCheckError
from .funcs import TypedFunc
from .instances import InstanceState
from .plans import PlanBlock, async_only
from .prepared import Prepared, prepare_cached
from .stores import CLOSED, refuse_entry

__all__ = [
    "ExportSpec",
    "ImportSpec",
    "ResourceImportSpec",
    "BoundInstance",
    "instantiate",
]

ImportLike = Any  # ImportSpec | tuple[str | None, str, Func, Callable]


class BoundInstance:
    """An instantiated component with its typed exports bound on first use."""

    __slots__ = ("store", "instance", "state", "prepared", "_plans", "_funcs", "__weakref__")

    def __init__(
        self, store: wasmtime.Store, instance: wc.Instance, state: InstanceState, prepared: Prepared
    ) -> None:
        self.store = store
        self.instance = instance
        self.state = state
        self.prepared = prepared
        self._plans: dict[tuple[str | None, str], Callable[..., Any]] = {}
        self._funcs: dict[tuple[str | None, str], TypedFunc] = {}

    def _export(self, interface: str | None, name: str) -> Any:
        try:
            return self.prepared.exports[(interface, name)]
        except KeyError:
            for e in self.prepared.bindings.exports:
                if (e.interface, e.name) == (interface, name) and e.func.is_async:
                    raise async_only(where("export", interface, name)) from None
            raise KeyError(
                f"{where('export', interface, name)} is not an export of these bindings"
            ) from None

    def _get_func(self, index: Any, block: PlanBlock, key: tuple[str | None, str]) -> None:
        """Have wasmtime write the instance's function at ``index`` into ``block``."""
        st = self.state
        ss = st.ss
        prev = ss.cur
        if prev is CLOSED:
            raise StoreClosedError("the wasmtime.Store of this instance was closed")
        if prev is not None:
            refuse_entry(ss, prev)
        ss.cur = st
        try:
            found = capi.instance_get_func(
                capi.instance_address(self.instance), st.ctx, capi.ptr_value(index.ptr()), block.F
            )
        finally:
            ss.cur = prev
        if not found:
            raise TypeCheckError(f"{where('export', *key)}: missing from the instance")

    def plan(self, interface: str | None, name: str) -> Callable[..., Any]:
        """The plan (a plain function) of an export of the bindings."""
        key = (interface, name)
        found = self._plans.get(key)
        if found is not None:
            return found
        export = self._export(interface, name)
        block = PlanBlock(len(export.template.func.params))
        self._get_func(export.index, block, key)
        fn: Callable[..., Any] = export.template.bind(self.state, block)
        if export.lane_template is not None:
            lane_block = PlanBlock(len(export.lane_template.lane.params))
            self._get_func(export.lane_index, lane_block, key)
            fn = export.lane_template.bind(self.state, lane_block, plain=fn)
        self._plans[key] = fn
        return fn

    def func(self, interface: str | None, name: str) -> TypedFunc:
        """The ``TypedFunc`` of an export of the bindings."""
        key = (interface, name)
        tf = self._funcs.get(key)
        if tf is None:
            fn = self.plan(interface, name)
            export = self._export(interface, name)
            lane = export.lane_template
            tf = TypedFunc(
                self,
                key,
                fn,
                export.template.func,
                lane.lane if lane is not None else None,
                lane.threshold if lane is not None else None,
            )
            self._funcs[key] = tf
        return tf

    def dynamic_func(self, interface: str | None, name: str) -> Any:
        """wasmtime-py's ``Func`` of an export (the reference path's)."""
        export = self._export(interface, name)
        dyn = self.instance.get_func(self.store, export.index)
        if dyn is None:  # pragma: no cover - the check found it
            raise TypeCheckError(f"{where('export', interface, name)}: missing from the instance")
        return dyn

    @property
    def trapped(self) -> bool:
        """True once a call trapped; every later call raises ``InstanceTrappedError``."""
        return self.state.trapped

    @property
    def lane_enabled(self) -> bool:
        """Whether the instance was made from a lane-wrapped component."""
        return self.prepared.lane_enabled

    def __reduce_ex__(self, protocol: SupportsIndex) -> NoReturn:
        # Reached by pickle, copy.copy and copy.deepcopy alike.
        raise TypeError(
            "BoundInstance is an instance of a component in a wasmtime.Store of this "
            "process: it cannot be pickled or copied. Send the values its functions take "
            "and return, or the component's path, and instantiate the component in the "
            "other process"
        )


def _norm_import(i: ImportLike) -> ImportSpec:
    return i if isinstance(i, ImportSpec) else ImportSpec(*i)


#: Bindings built by ``instantiate`` from equal specs are one object (the
#: prepared-component cache is per Bindings object).
_interned: weakref.WeakValueDictionary[Any, Bindings] = weakref.WeakValueDictionary()
_interned_lock = threading.Lock()


def _bindings_for(
    exports: Iterable[ExportLike],
    imports: list[ImportSpec],
    resources: Iterable[ResourceLike],
) -> Bindings:
    candidate = Bindings(
        exports,
        [HostFuncSpec(i.interface, i.name, i.func) for i in imports],
        resources,
    )
    key = candidate.key()
    with _interned_lock:
        found = _interned.get(key)
        if found is None:
            _interned[key] = found = candidate
    return found


def instantiate(
    store: wasmtime.Store,
    component_or_path: Any,
    *,
    exports: Iterable[ExportLike] = (),
    imports: Iterable[ImportLike] = (),
    resources: Iterable[ResourceLike] = (),
    wasi: wasmtime.WasiConfig | None = None,
    wasi_needed: bool | None = None,  # noqa: ARG001 (older generated code passes it)
    wasi_http: bool | None = None,  # noqa: ARG001
    lane: bool = True,
) -> BoundInstance:
    """Check, link and instantiate a component for the given specs.

    WASI is linked when the component imports it (``wasi_needed`` and
    ``wasi_http`` are accepted for older generated code and ignored)."""
    import_specs = [_norm_import(i) for i in imports]
    bindings = _bindings_for(exports, import_specs, resources)
    pre = prepare_cached(store.engine, component_or_path, bindings, lane=lane)
    bound: BoundInstance = pre.instantiate(store, tuple(i.impl for i in import_specs), wasi=wasi)
    return bound
