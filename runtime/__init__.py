"""wbindgen_runtime: the small library generated bindings import.

It plays the part of wasmtime's ``TypedFunc`` for Python: the component is
type-checked once when it is loaded, and every call then runs a precomputed
lower -> call -> lift plan that writes ``wasmtime_component_val_t`` trees
straight into ctypes buffers and calls ``wasmtime_component_func_call``.

Public API (see docs/runtime.md for the full story):

Values (``wbindgen_runtime.values``)
    ``Some(value)``, ``Ok(value)``, ``Err(value)``: payload in ``.value``,
    equality by value; ``Err`` is an ``Exception``.

Type descriptors (``wbindgen_runtime.types``)
    ``BOOL S8 U8 S16 U16 S32 U32 S64 U64 F32 F64 CHAR STRING``,
    ``List(elem)``, ``Tuple((a, b, ...))``, ``Option(inner)``,
    ``Result(ok_or_None, err_or_None)``,
    ``Record(wit_name, cls, ((wit_field, py_attr, T), ...))``,
    ``Variant(wit_name, ((wit_case, T_or_None, case_cls), ...))``,
    ``Enum(wit_name, cls, (wit_member, ...))``, ``Flags(wit_name, cls, (wit_member, ...))``,
    ``Own(res)``, ``Borrow(res)``, ``ExportedResource(wit_name, cls)``,
    ``ImportedResource(wit_name)``,
    ``Func(params=((name, T), ...), result=T_or_None, raises=False)``.

Loading (what generated packages use)
    ``Bindings(exports=..., imports=..., resources=...)``: what a package was
    generated for. ``prepare(engine_or_linker, component_or_path, bindings,
    lane=True) -> Prepared``: check (on the component's bytes, before
    compiling), compile, link and plan once; ``Prepared.instantiate(store,
    impls, wasi=None) -> BoundInstance`` many times. ``prepare_cached`` reuses
    the prepared component while the same one is loaded again.
    ``add_to_linker(linker, bindings, impls_for)`` defines the bindings'
    imports in a Linker of the user's. ``load_component(engine, path)``: a
    ``Component`` that keeps its bytes (so it gets the bulk lane).

Loading (low level)
    ``instantiate(store, component_or_path, *, exports=[(iface_or_None, name, Func)],
    imports=[(iface_or_None, name, Func, callable)],
    resources=[(iface_or_None, resource_name, ImportedResource)],
    wasi=None) -> BoundInstance``; ``BoundInstance.func(iface_or_None, name) ->
    TypedFunc``; ``TypedFunc(*args)`` runs the plan, ``TypedFunc.call_reference(*args)``
    runs the same call through wasmtime-py's dynamic API.

Resources
    ``GuestResource``: base class of generated wrappers of guest resources
    (``drop()``, context manager, ``dropped``). Host resources are plain
    Python objects; their optional ``drop()`` is called when the guest drops
    its last handle.

Errors
    ``WbindgenError`` > ``TypeCheckError``, ``ReaderError`` (unreadable
    component), ``InstantiationError`` > ``EngineMismatchError``, ``Trap`` (with
    ``code``, ``message``, ``backtrace``) > ``InstanceTrappedError``,
    ``ResourceError``, ``StoreInUseError``, ``StoreClosedError``,
    ``WasiConfigError``, ``LayoutError``; bad arguments raise ``TypeError``,
    ``ValueError`` or ``OutOfRangeError`` (both ``OverflowError`` and
    ``ValueError``) naming the parameter and path, before any wasm runs.
"""

from __future__ import annotations

from typing import Any

import wasmtime

from . import types
from .bindings import bind_funcs, host_method, specs
from .bindings_spec import Bindings, ExportSpec, HostFuncSpec, ImportSpec, ResourceImportSpec
from .command import run_command
from .errors import (
    EngineMismatchError,
    InstanceTrappedError,
    InstantiationError,
    LayoutError,
    ReaderError,
    ResourceError,
    StoreClosedError,
    StoreInUseError,
    Trap,
    TypeCheckError,
    WasiConfigError,
    WbindgenError,
)
from .funcs import PlanTable, TypedFunc
from .linking import BoundInstance, instantiate
from .lower import OutOfRangeError
from .prepared import Prepared, add_to_linker, load_component, prepare, prepare_cached
from .resources import AsyncGuestResource, GuestResource
from .values import Err, Ok, Some

__version__ = "0.1.0"


async def instantiate_async(
    pre: Prepared,
    store: wasmtime.Store,
    impls: tuple[Any, ...] = (),
    *,
    wasi: wasmtime.WasiConfig | None = None,
) -> BoundInstance:
    """``aio.instantiate_async``, for generated async faces; asyncio and the
    async machinery are imported on the first async instance, not with the
    bindings."""
    from .aio import instantiate_async as instantiate_in_turn

    bound: BoundInstance = await instantiate_in_turn(pre, store, impls, wasi=wasi)
    return bound


__all__ = [
    "Some",
    "Ok",
    "Err",
    "types",
    "Bindings",
    "prepare",
    "prepare_cached",
    "Prepared",
    "add_to_linker",
    "load_component",
    "run_command",
    "instantiate",
    "instantiate_async",
    "BoundInstance",
    "TypedFunc",
    "PlanTable",
    "ExportSpec",
    "HostFuncSpec",
    "ImportSpec",
    "ResourceImportSpec",
    "GuestResource",
    "AsyncGuestResource",
    "bind_funcs",
    "host_method",
    "specs",
    "WbindgenError",
    "TypeCheckError",
    "ReaderError",
    "InstantiationError",
    "EngineMismatchError",
    "Trap",
    "InstanceTrappedError",
    "ResourceError",
    "StoreInUseError",
    "StoreClosedError",
    "WasiConfigError",
    "LayoutError",
    "OutOfRangeError",
]
