"""Loading a component: type check, host imports, instantiation, export plans.

``instantiate(store, component_or_path, exports=..., imports=..., resources=...)``
checks every export and import the bindings use against the component's own
types, defines the host imports on a fresh ``Linker`` through the runtime's
own C callbacks (one compiled plan per import: lift the arguments, call the
Python callable, lower the result), instantiates, resolves every export once
and returns a ``BoundInstance`` whose ``func(interface, name)`` gives the
``TypedFunc`` of an export. Calls never look anything up by name.
"""

from __future__ import annotations

import ctypes
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Union

import wasmtime
from wasmtime import component as wc

from . import capi
from .cache import compile_bytes, read_component
from .capi import VAL_SIZE
from .errors import TypeCheckError, WbindgenError
from .funcs import InstanceState, TypedFunc, make_typed_func, pending
from .lane import adapter as lane_adapter
from .lane import config as lane_config
from .lane.errors import LaneUnsupportedError
from .lane.route import make_routed_func
from .lane.spec import LaneSpec, lane_export_name, lane_specs_for
from .lane.wrapper import build_wrapper
from .lift import compile_lift
from .lower import PostCall, abort_post_items, compile_lower, validate
from .typecheck import Resources, check_func
from .types import Func, ImportedResource
from .values import Err, Ok

__all__ = ["ExportSpec", "ImportSpec", "ResourceImportSpec", "BoundInstance", "instantiate"]


@dataclass(frozen=True)
class ExportSpec:
    """An export the bindings call: ``interface`` is None for world-level functions."""

    interface: str | None
    name: str
    func: Func


@dataclass(frozen=True)
class ImportSpec:
    """A host function: ``interface`` is None for world-level imports.

    ``impl`` receives the lifted arguments positionally and returns the result
    (for ``raises=True``: the ok value, or raises ``Err(e)``).
    """

    interface: str | None
    name: str
    func: Func
    impl: Callable[..., Any]


@dataclass(frozen=True)
class ResourceImportSpec:
    """A host-implemented resource type the component imports."""

    interface: str | None
    name: str
    resource: ImportedResource


ExportLike = Union[ExportSpec, tuple[Union[str, None], str, Func]]
ImportLike = Union[ImportSpec, tuple[Union[str, None], str, Func, Callable[..., Any]]]
ResourceLike = Union[ResourceImportSpec, tuple[Union[str, None], str, ImportedResource]]


_NOT_PROVIDED = "the component imports it but the bindings provide no implementation"


def _where(kind: str, interface: str | None, name: str) -> str:
    if interface is None:
        return f"{kind} function '{name}'"
    return f"{kind} '{interface}' function '{name}'"


class BoundInstance:
    """An instantiated component with its typed exports resolved."""

    def __init__(self, store: wasmtime.Store, instance: wc.Instance, state: InstanceState) -> None:
        self.store = store
        self.instance = instance
        self.state = state
        self._funcs: dict[tuple[str | None, str], TypedFunc] = {}

    def func(self, interface: str | None, name: str) -> TypedFunc:
        """The ``TypedFunc`` of an export given to ``instantiate``."""
        try:
            return self._funcs[(interface, name)]
        except KeyError:
            raise KeyError(
                f"{_where('export', interface, name)} was not declared to instantiate()"
            ) from None

    @property
    def trapped(self) -> bool:
        """True once a call trapped; every later call raises ``InstanceTrappedError``."""
        return self.state.trapped


def _load_component(
    engine: wasmtime.Engine, component_or_path: Any, export_specs: list[ExportSpec]
) -> tuple[wc.Component, list[LaneSpec], str]:
    """The component to instantiate and the lane specs its wrapper was built with.

    Given a path or bytes, the lane-eligible exports get the bulk lane: the
    wrapper (the original nested unchanged plus one lane export per spec) is
    compiled through the cache instead of the original. A component object
    carries no bytes to wrap: it is used as is, every call takes the plain path.
    """
    if isinstance(component_or_path, wc.Component):
        return component_or_path, [], lane_adapter.CODEC
    if isinstance(component_or_path, (str, os.PathLike)):
        data = read_component(component_or_path)
    elif isinstance(component_or_path, (bytes, bytearray, memoryview)):
        data = bytes(component_or_path)
    else:
        raise TypeError(
            "expected a wasmtime.component.Component, a path or bytes, "
            f"got {type(component_or_path).__name__}"
        )
    specs = lane_specs_for(export_specs) if lane_config.enabled() else []
    codec = lane_adapter.CODEC
    # An engine configured without simd128 rejects the first wrapper; a
    # wrapper both attempts fail to build or compile means the component is
    # not wrappable or the bindings disagree with its function types: then
    # the plain path, whose type check reports any disagreement against the
    # original.
    for simd in (True, False) if specs else ():
        try:
            wrapped = build_wrapper(data, specs, codec=codec, simd=simd)
            # Compiled artifacts are reused across processes (see cache.py).
            return compile_bytes(engine, wrapped), specs, codec
        except LaneUnsupportedError:
            break
        except wasmtime.WasmtimeError:
            continue
    return compile_bytes(engine, data), [], codec


def _norm_export(e: ExportLike) -> ExportSpec:
    return e if isinstance(e, ExportSpec) else ExportSpec(*e)


def _norm_import(i: ImportLike) -> ImportSpec:
    return i if isinstance(i, ImportSpec) else ImportSpec(*i)


def _norm_resource(r: ResourceLike) -> ResourceImportSpec:
    return r if isinstance(r, ResourceImportSpec) else ResourceImportSpec(*r)


class _Items:
    """Lazily expanded view of the component's exports or imports (name -> item type)."""

    def __init__(self, engine: wasmtime.Engine, top: dict[str, Any]) -> None:
        self.engine = engine
        self.top = top
        self.inner: dict[str, dict[str, Any]] = {}

    def interface(self, name: str) -> dict[str, Any] | None:
        if name not in self.inner:
            ext = self.top.get(name)
            if ext is None:
                return None
            ty = ext.ty
            if not isinstance(ty, wc.ComponentInstanceType):
                raise TypeCheckError(
                    f"'{name}' is a {type(ty).__name__}, expected an interface instance"
                )
            self.inner[name] = {k: v.ty for k, v in ty.exports(self.engine).items()}
        return self.inner[name]

    def item(self, interface: str | None, name: str) -> Any:
        if interface is None:
            ext = self.top.get(name)
            return None if ext is None else ext.ty
        items = self.interface(interface)
        return None if items is None else items.get(name)

    def scope(self, interface: str | None) -> Callable[[str], Any]:
        """Item lookup in one interface (or the world, for ``None``)."""
        return lambda name: self.item(interface, name)

    def resources(self) -> Iterator[tuple[str, Any]]:
        """Every resource type item (world level, then per interface) with its name."""
        for name, ext in self.top.items():
            if isinstance(ext.ty, wc.ResourceType):
                yield name, ext.ty
        for name, ext in self.top.items():
            if isinstance(ext.ty, wc.ComponentInstanceType):
                for item_name, ty in (self.interface(name) or {}).items():
                    if isinstance(ty, wc.ResourceType):
                        yield item_name, ty


def _resource_namer(*views: _Items) -> Callable[[Any], str | None]:
    """The WIT name the component gives a ResourceType (for error messages)."""

    def name_of(rtype: Any) -> str | None:
        for view in views:
            for name, ty in view.resources():
                if ty == rtype:
                    return name
        return None

    return name_of


def instantiate(
    store: wasmtime.Store,
    component_or_path: Any,
    *,
    exports: Iterable[ExportLike] = (),
    imports: Iterable[ImportLike] = (),
    resources: Iterable[ResourceLike] = (),
    wasi: wasmtime.WasiConfig | None = None,
    wasi_needed: bool = False,
    wasi_http: bool = False,
) -> BoundInstance:
    """Type-check, link and instantiate a component; see the module docstring."""
    engine = store.engine
    export_specs = [_norm_export(e) for e in exports]
    comp, lanes, codec = _load_component(engine, component_or_path, export_specs)
    import_specs = [_norm_import(i) for i in imports]
    resource_specs = [_norm_resource(r) for r in resources]

    ctype = comp.type
    comp_exports = _Items(engine, ctype.exports(engine))
    comp_imports = _Items(engine, ctype.imports(engine))
    res = Resources(_resource_namer(comp_exports, comp_imports))
    for r in resource_specs:
        rtype = comp_imports.item(r.interface, r.name)
        if isinstance(rtype, wc.ResourceType):
            where = f"'{r.interface}' resource" if r.interface is not None else "resource"
            res.bind(r.resource, rtype, f"import {where} '{r.name}'")

    for e in export_specs:
        where = _where("export", e.interface, e.name)
        if e.interface is not None and comp_exports.interface(e.interface) is None:
            raise TypeCheckError(f"export '{e.interface}': missing from the component")
        ft = comp_exports.item(e.interface, e.name)
        if ft is None:
            raise TypeCheckError(f"{where}: missing from the component")
        check_func(where, e.func, ft, res, comp_exports.scope(e.interface))

    provided_funcs = {(i.interface, i.name) for i in import_specs}
    provided_res = {(r.interface, r.name) for r in resource_specs}
    provided_ifaces = {i.interface for i in import_specs} | {r.interface for r in resource_specs}
    for i in import_specs:
        ft = comp_imports.item(i.interface, i.name)
        if ft is not None:
            check_func(
                _where("import", i.interface, i.name),
                i.func,
                ft,
                res,
                comp_imports.scope(i.interface),
            )
    for name, ext in comp_imports.top.items():
        if name.startswith("wasi:"):
            if not wasi_needed:
                raise TypeCheckError(
                    f"import '{name}': the component needs WASI but the bindings were loaded "
                    "with wasi_needed=False"
                )
            continue
        ty = ext.ty
        if isinstance(ty, wc.ComponentInstanceType):
            items = comp_imports.interface(name) or {}
            for item_name, item_ty in items.items():
                if isinstance(item_ty, wc.FuncType) and (name, item_name) not in provided_funcs:
                    raise TypeCheckError(
                        f"import '{name}' function '{item_name}': {_NOT_PROVIDED}"
                    )
                if isinstance(item_ty, wc.ResourceType) and (name, item_name) not in provided_res:
                    raise TypeCheckError(
                        f"import '{name}' resource '{item_name}': {_NOT_PROVIDED}"
                    )
            if not items and name not in provided_ifaces:
                continue
        elif isinstance(ty, wc.FuncType):
            if (None, name) not in provided_funcs:
                raise TypeCheckError(
                    f"import function '{name}': {_NOT_PROVIDED}"
                )
        elif isinstance(ty, wc.ResourceType):
            if (None, name) not in provided_res:
                raise TypeCheckError(
                    f"import resource '{name}': {_NOT_PROVIDED}"
                )

    state = InstanceState(store)
    linker = wc.Linker(engine)
    if wasi_needed:
        linker.add_wasip2()
        store.set_wasi(wasi if wasi is not None else wasmtime.WasiConfig())
        if wasi_http:
            linker.add_wasi_http()
            store.set_wasi_http()
    _define_imports(linker, state, import_specs, resource_specs)
    try:
        instance = linker.instantiate(store, comp)
    except wasmtime.WasmtimeError as exc:
        exc_pending = getattr(pending, "exc", None)
        if exc_pending is not None:
            pending.exc = None
            raise exc_pending from None
        raise TypeCheckError(f"instantiation failed: {exc}") from None
    finally:
        linker.close()
    # Host callbacks must outlive every instance in the store.
    keep = store.__dict__.setdefault("_wbindgen_states", [])
    keep.append(state)

    bound = BoundInstance(store, instance, state)
    lane_of = {(spec.interface, spec.name): k for k, spec in enumerate(lanes)}
    threshold = lane_config.threshold()
    for e in export_specs:
        idx = None
        if e.interface is not None:
            idx = instance.get_export_index(store, e.interface)
        fidx = instance.get_export_index(store, e.name, idx)
        dyn = instance.get_func(store, fidx) if fidx is not None else None
        if dyn is None:
            raise TypeCheckError(
                f"{_where('export', e.interface, e.name)}: missing from the instance"
            )
        tf = make_typed_func(state, dyn, e.name, e.func)
        k = lane_of.get((e.interface, e.name))
        if k is not None:
            lane_idx = instance.get_export_index(store, lane_export_name(k))
            lane_dyn = instance.get_func(store, lane_idx) if lane_idx is not None else None
            if lane_dyn is None:  # pragma: no cover - the wrapper exports every lane
                raise WbindgenError(f"internal: lane export {lane_export_name(k)} is missing")
            tf = make_routed_func(state, tf, lane_dyn, lanes[k], threshold, codec)
        bound._funcs[(e.interface, e.name)] = tf
    return bound


def _define_imports(
    linker: wc.Linker,
    state: InstanceState,
    funcs: list[ImportSpec],
    resources: list[ResourceImportSpec],
) -> None:
    by_iface: dict[str | None, tuple[list[ImportSpec], list[ResourceImportSpec]]] = {}
    for f in funcs:
        by_iface.setdefault(f.interface, ([], []))[0].append(f)
    for r in resources:
        by_iface.setdefault(r.interface, ([], []))[1].append(r)
    root = linker.root()
    try:
        for iface, (fs, rs) in by_iface.items():
            li = root if iface is None else root.add_instance(iface)
            try:
                for r in rs:
                    _add_resource(li, state, r)
                for f in fs:
                    _add_func(li, state, f)
            finally:
                if li is not root:
                    li.close()
    finally:
        root.close()


def _finalize_nothing(_data: Any) -> None:
    return None


_no_finalizer: Any = capi.finalizer_t(_finalize_nothing)


def _raise_into_wasm(exc: BaseException, what: str) -> int:
    pending.exc = exc
    return int(capi.error_new(f"{what} raised {type(exc).__name__}".encode()) or 0)


def _add_resource(li: wc.LinkerInstance, state: InstanceState, r: ResourceImportSpec) -> None:
    table = state.table(r.resource)
    rtype = wc.ResourceType.host(table.type_id)

    def dtor(_env: Any, _ctx: Any, rep: int) -> int:
        try:
            table.destroyed(rep)
            return 0
        except BaseException as exc:  # noqa: BLE001 - everything must reach the caller
            return _raise_into_wasm(exc, f"drop of resource '{r.name}'")

    cb = capi.resource_dtor_t(dtor)
    state.keepalive += [cb, rtype]
    name = r.name.encode()
    err = capi.linker_instance_add_resource(
        capi.ptr_value(li.ptr()),
        name,
        len(name),
        capi.ptr_value(rtype.ptr()),
        cb,
        None,
        _no_finalizer,
    )
    if err:
        message, _ = capi.take_error(err)
        raise WbindgenError(f"cannot define resource '{r.name}': {message}")


def _add_func(li: wc.LinkerInstance, state: InstanceState, spec: ImportSpec) -> None:
    ftype = spec.func
    impl = spec.impl
    lifters = [(compile_lift(t, state), i * VAL_SIZE) for i, (_, t) in enumerate(ftype.params)]
    rt = ftype.result
    where = _where("host import", spec.interface, spec.name)
    low = compile_lower(rt, state) if rt is not None else None
    scratch = ctypes.create_string_buffer(VAL_SIZE)
    state.keepalive.append(scratch)  # the plan below only holds its address
    scratch_addr = ctypes.addressof(scratch)
    arena = state.arena
    raises = ftype.raises

    def callback(_env: Any, _ctx: Any, _ty: Any, args: int, n: int, results: int, nres: int) -> int:
        try:
            if raises:
                try:
                    value: Any = Ok(impl(*[lf(args + o) for lf, o in lifters]))
                except Err as e:
                    value = e
            else:
                value = impl(*[lf(args + o) for lf, o in lifters])
            if low is None:
                return 0
            keep: list[Any] = []
            # The export call that led here has handed its arguments to wasmtime
            # already: this write phase may reuse the arena (see arena.py).
            arena.reset()
            try:
                low(value, scratch_addr, keep)
            except Exception:
                abort_post_items(keep)
                assert rt is not None
                validate(rt, value, f"{where} result")
                raise
            # wasmtime drops what the callback writes: hand it a deep copy it owns.
            capi.val_clone(scratch_addr, results)
            for item in keep:
                if item.__class__ is PostCall:
                    item.after()
            return 0
        except BaseException as exc:  # noqa: BLE001 - everything must reach the caller
            return _raise_into_wasm(exc, where)

    cb = capi.func_callback_t(callback)
    state.keepalive.append(cb)
    name = spec.name.encode()
    err = capi.linker_instance_add_func(
        capi.ptr_value(li.ptr()), name, len(name), cb, None, _no_finalizer
    )
    if err:
        message, _ = capi.take_error(err)
        raise WbindgenError(f"cannot define {where}: {message}")
