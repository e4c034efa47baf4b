"""wasmtime's component C API as the runtime uses it: struct layouts and prototypes.

The runtime writes ``wasmtime_component_val_t`` trees straight into memory with
``struct.pack_into`` at fixed offsets, so the offsets below must match the C
headers of the wasmtime release in use (``wasmtime/component/val.h``). They are
checked at import, both against our own ctypes mirrors and against
wasmtime-py's ``_bindings`` (generated from the same headers), in the spirit of
the ``const _: () = assert!(...)`` block in wasmtime's ``func.rs``. A mismatch
raises ``LayoutError`` naming the struct and field.

Function prototypes are our own ``CFUNCTYPE`` objects over wasmtime-py's shared
library (never the cached attributes of ``ffi.dll``, which wasmtime-py itself
configures), taking plain integers for pointers so calls convert nothing.

This is also the only module that touches wasmtime-py's private names (its
``_ffi`` module, ``Store._context()``, ``Func._func`` and the rest: see
"wasmtime-py internals" below); they are checked at import like the layouts,
and every message names the installed wasmtime and the supported range.
``tests/test_platforms.py`` fails when a private name is used anywhere else.
"""

from __future__ import annotations

import ctypes
import importlib.metadata
import struct
import sys
import weakref
from ctypes import (
    POINTER,
    Structure,
    Union,
    c_bool,
    c_char_p,
    c_size_t,
    c_uint8,
    c_uint32,
    c_void_p,
)
from typing import Any

import wasmtime
from wasmtime import _ffi as ffi
from wasmtime import component as wc

from .errors import LayoutError

__all__ = [
    "SUPPORTED_WASMTIME",
    "WASMTIME_VERSION",
    "wasmtime_version",
    "ComponentExtern",
    "VAL_SIZE",
    "VAL_OF",
    "ENTRY_SIZE",
    "ENTRY_VAL",
    "NAME_SIZE",
    "KIND",
    "MEM",
    "bytes_addr",
]

# --- the wasmtime release --------------------------------------------------------
#: The wasmtime-py releases the runtime is tested with (pyproject.toml declares the
#: same range; tests/test_platforms.py keeps the two and the docs in step).
SUPPORTED_WASMTIME = ">=49,<52"


def _installed_version() -> str:
    try:
        return importlib.metadata.version("wasmtime")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - vendored copy
        return "(version unknown)"


#: The installed wasmtime-py's version, as its package metadata says.
WASMTIME_VERSION = _installed_version()


def wasmtime_version() -> tuple[int, ...]:
    """The installed wasmtime's release as numbers, e.g. ``(51, 0, 0)``."""
    return tuple(int(p) for p in WASMTIME_VERSION.split(".") if p.isdigit())


def _differs(what: str) -> LayoutError:
    return LayoutError(
        f"{what}: the installed wasmtime {WASMTIME_VERSION} differs from the releases "
        f"wbindgen_runtime supports (wasmtime{SUPPORTED_WASMTIME}); install one of those"
    )


# --- kinds (wasmtime_component_valkind_t, val.h) ---------------------------------
KIND = {
    "bool": 0,
    "s8": 1,
    "u8": 2,
    "s16": 3,
    "u16": 4,
    "s32": 5,
    "u32": 6,
    "s64": 7,
    "u64": 8,
    "f32": 9,
    "f64": 10,
    "char": 11,
    "string": 12,
    "list": 13,
    "record": 14,
    "tuple": 15,
    "variant": 16,
    "enum": 17,
    "option": 18,
    "result": 19,
    "flags": 20,
    "resource": 21,
}


# --- ctypes mirrors of val.h ---------------------------------------------------
class wasm_name_t(Structure):
    _fields_ = [("size", c_size_t), ("data", c_void_p)]


class vec_t(Structure):
    """vallist / valtuple / valrecord / valflags: ``{size_t size; T *data;}``."""

    _fields_ = [("size", c_size_t), ("data", c_void_p)]


class valvariant_t(Structure):
    _fields_ = [("discriminant", wasm_name_t), ("val", c_void_p)]


class valresult_t(Structure):
    _fields_ = [("is_ok", c_bool), ("val", c_void_p)]


class valunion_t(Union):
    _fields_ = [
        ("boolean", c_bool),
        ("u64", ctypes.c_uint64),
        ("f64", ctypes.c_double),
        ("string", wasm_name_t),
        ("list", vec_t),
        ("variant", valvariant_t),
        ("option", c_void_p),
        ("result", valresult_t),
        ("resource", c_void_p),
    ]


class val_t(Structure):
    _fields_ = [("kind", c_uint8), ("of", valunion_t)]


class valrecord_entry_t(Structure):
    _fields_ = [("name", wasm_name_t), ("val", val_t)]


# Expected values, derived by the C layout rules from val.h of wasmtime 49-51
# (64-bit targets): a union of at most 24 bytes aligned to 8 after a u8 kind.
_EXPECTED: dict[str, tuple[int, dict[str, int]]] = {
    "wasm_name_t": (16, {"size": 0, "data": 8}),
    "wasmtime_component_vallist_t": (16, {"size": 0, "data": 8}),
    "wasmtime_component_valvariant_t": (24, {"discriminant": 0, "val": 16}),
    "wasmtime_component_valresult_t": (16, {"is_ok": 0, "val": 8}),
    "wasmtime_component_valunion_t": (24, {}),
    "wasmtime_component_val_t": (32, {"kind": 0, "of": 8}),
    "wasmtime_component_valrecord_entry_t": (48, {"name": 0, "val": 16}),
}


def _check(name: str, cls: Any) -> None:
    size, offsets = _EXPECTED[name]
    if ctypes.sizeof(cls) != size:
        raise _differs(
            f"wasmtime C struct {name} ({cls.__module__}.{cls.__name__}) has size "
            f"{ctypes.sizeof(cls)}, expected {size}"
        )
    for field, off in offsets.items():
        got = getattr(cls, field).offset
        if got != off:
            raise _differs(
                f"wasmtime C struct {name} field '{field}' is at offset {got}, expected {off}"
            )


def check_layouts() -> None:
    """Verify our mirrors and wasmtime-py's bindings against the header layout."""
    ours = {
        "wasm_name_t": wasm_name_t,
        "wasmtime_component_vallist_t": vec_t,
        "wasmtime_component_valvariant_t": valvariant_t,
        "wasmtime_component_valresult_t": valresult_t,
        "wasmtime_component_valunion_t": valunion_t,
        "wasmtime_component_val_t": val_t,
        "wasmtime_component_valrecord_entry_t": valrecord_entry_t,
    }
    theirs = {
        "wasm_name_t": ffi.wasm_name_t,
        "wasmtime_component_vallist_t": ffi.wasmtime_component_vallist_t,
        "wasmtime_component_valvariant_t": ffi.wasmtime_component_valvariant_t,
        "wasmtime_component_valresult_t": ffi.wasmtime_component_valresult_t,
        "wasmtime_component_valunion_t": ffi.wasmtime_component_valunion_t,
        "wasmtime_component_val_t": ffi.wasmtime_component_val_t,
        "wasmtime_component_valrecord_entry_t": ffi.wasmtime_component_valrecord_entry_t,
    }
    for name, cls in ours.items():
        _check(name, cls)
    for name, cls in theirs.items():
        _check(name, cls)
    # Same vec shape for the other vec kinds the runtime writes.
    for other in ("valtuple", "valrecord", "valflags"):
        cls = getattr(ffi, f"wasmtime_component_{other}_t")
        size, offs = _EXPECTED["wasmtime_component_vallist_t"]
        _EXPECTED[f"wasmtime_component_{other}_t"] = (size, offs)
        _check(f"wasmtime_component_{other}_t", cls)


check_layouts()

VAL_SIZE = ctypes.sizeof(val_t)
VAL_OF = val_t.of.offset
ENTRY_SIZE = ctypes.sizeof(valrecord_entry_t)
ENTRY_VAL = valrecord_entry_t.val.offset
NAME_SIZE = ctypes.sizeof(wasm_name_t)
RESULT_VAL = VAL_OF + valresult_t.val.offset

# --- bytes data addresses ---------------------------------------------------------
# wasmtime only reads (clones) argument values, so a string argument may point
# straight at the UTF-8 bytes object the runtime holds for the call's duration.
# CPython stores a bytes object's data inline at a fixed offset; it is measured
# and verified here, and the runtime refuses to load where it does not hold.
_BYTES_OFF = sys.getsizeof(b"") - 1


def _bytes_addr_inline(b: bytes) -> int:
    return id(b) + _BYTES_OFF


def _verify_inline() -> bool:
    probe = b"wbindgen-bytes-probe\x00\xff"
    try:
        return ctypes.string_at(id(probe) + _BYTES_OFF, len(probe)) == probe and (
            sys.implementation.name == "cpython"
        )
    except Exception:  # pragma: no cover
        return False


if not _verify_inline():  # pragma: no cover
    raise LayoutError("wbindgen_runtime needs CPython's bytes layout (inline data)")

bytes_addr = _bytes_addr_inline

# --- absolute addressing ----------------------------------------------------------
# The plans read and write val_t trees at absolute addresses: wasmtime's result
# trees live in memory it allocated, argument trees in the instance's Arena.
# Going through ctypes for each access (``string_at``, ``from_address``) costs a
# few hundred ns per node; instead ``MEM`` is the process's address space as one
# writable byte buffer, so ``struct.unpack_from(MEM, addr)``, ``MEM[a:b]`` and
# strided slices read and write in place. Nothing is bounds-checked against the
# real allocation: every address used with MEM comes from wasmtime or from an
# Arena block of known size, and the plans write only inside those.
_ADDRESS_SPACE = (ctypes.c_char * sys.maxsize).from_address(0)
MEM: Any = memoryview(_ADDRESS_SPACE).cast("B")

# --- prototypes -------------------------------------------------------------------
_lib = ffi.dll


def _proto(name: str, restype: Any, *argtypes: Any) -> Any:
    return ctypes.CFUNCTYPE(restype, *argtypes)((name, _lib))


func_call = _proto(
    "wasmtime_component_func_call",
    c_void_p,
    c_void_p,
    c_void_p,
    c_void_p,
    c_size_t,
    c_void_p,
    c_size_t,
)
instance_get_func = _proto(
    "wasmtime_component_instance_get_func", c_bool, c_void_p, c_void_p, c_void_p, c_void_p
)
val_delete = _proto("wasmtime_component_val_delete", None, c_void_p)
val_clone = _proto("wasmtime_component_val_clone", None, c_void_p, c_void_p)
error_new = _proto("wasmtime_error_new", c_void_p, c_char_p)
error_message = _proto("wasmtime_error_message", None, c_void_p, POINTER(ffi.wasm_byte_vec_t))
error_exit_status = _proto("wasmtime_error_exit_status", c_bool, c_void_p, POINTER(ctypes.c_int))
error_delete = _proto("wasmtime_error_delete", None, c_void_p)
byte_vec_delete = _proto("wasm_byte_vec_delete", None, POINTER(ffi.wasm_byte_vec_t))
resource_any_clone = _proto("wasmtime_component_resource_any_clone", c_void_p, c_void_p)
resource_any_drop = _proto("wasmtime_component_resource_any_drop", c_void_p, c_void_p, c_void_p)
resource_any_delete = _proto("wasmtime_component_resource_any_delete", None, c_void_p)
# Out-pointers are plain addresses too (a slot of the instance's scratch memory).
resource_any_to_host = _proto(
    "wasmtime_component_resource_any_to_host", c_void_p, c_void_p, c_void_p, c_void_p
)
resource_host_new = _proto(
    "wasmtime_component_resource_host_new", c_void_p, c_bool, c_uint32, c_uint32
)
resource_host_rep = _proto("wasmtime_component_resource_host_rep", c_uint32, c_void_p)
resource_host_type = _proto("wasmtime_component_resource_host_type", c_uint32, c_void_p)
resource_host_delete = _proto("wasmtime_component_resource_host_delete", None, c_void_p)
resource_host_to_any = _proto(
    "wasmtime_component_resource_host_to_any", c_void_p, c_void_p, c_void_p, c_void_p
)

#: ``wasmtime_component_func_callback_t`` with integer pointers.
func_callback_t = ctypes.CFUNCTYPE(
    c_size_t, c_void_p, c_void_p, c_void_p, c_void_p, c_size_t, c_void_p, c_size_t
)
#: ``wasmtime_component_resource_destructor_t``.
resource_dtor_t = ctypes.CFUNCTYPE(c_size_t, c_void_p, c_void_p, c_uint32)
finalizer_t = ctypes.CFUNCTYPE(None, c_void_p)
# Host functions and resources are defined with a NULL finalizer: wasmtime
# calls a finalizer when it drops the Linker, which may be at interpreter
# exit, after the ctypes thunk of a Python finalizer was freed (a crash).
# Their callbacks' lifetimes are kept by HostDefs, not by wasmtime.
linker_instance_add_func = _proto(
    "wasmtime_component_linker_instance_add_func",
    c_void_p,
    c_void_p,
    c_char_p,
    c_size_t,
    func_callback_t,
    c_void_p,
    c_void_p,  # finalizer: always NULL (see below)
)
linker_instance_add_resource = _proto(
    "wasmtime_component_linker_instance_add_resource",
    c_void_p,
    c_void_p,
    c_char_p,
    c_size_t,
    c_void_p,
    resource_dtor_t,
    c_void_p,
    c_void_p,  # finalizer: always NULL
)


# --- async calls (the asyncio face, aio.py) -------------------------------------------
# wasmtime drives an async call as a future: ``call_future_poll`` runs the
# guest until it finishes (true) or waits (false) on a host function's
# continuation or a yield (epoch deadline, fuel interval).
func_call_async = _proto(
    "wasmtime_component_func_call_async",
    c_void_p,
    c_void_p,
    c_void_p,
    c_void_p,
    c_size_t,
    c_void_p,
    c_size_t,
    c_void_p,
)
call_future_poll = _proto("wasmtime_call_future_poll", c_bool, c_void_p)
call_future_delete = _proto("wasmtime_call_future_delete", None, c_void_p)
linker_instantiate_async = _proto(
    "wasmtime_component_linker_instantiate_async",
    c_void_p,
    c_void_p,
    c_void_p,
    c_void_p,
    c_void_p,
    c_void_p,
)
#: ``wasmtime_func_async_continuation_callback_t``: ready yet?
continuation_callback_t = ctypes.CFUNCTYPE(c_bool, c_void_p)


class async_continuation_t(Structure):
    _fields_ = [
        ("callback", continuation_callback_t),
        ("env", c_void_p),
        ("finalizer", finalizer_t),
    ]


#: ``wasmtime_component_func_async_callback_t`` with integer pointers.
func_async_callback_t = ctypes.CFUNCTYPE(
    None, c_void_p, c_void_p, c_void_p, c_void_p, c_size_t, c_void_p, c_size_t, c_void_p, c_void_p
)
linker_instance_add_func_async = _proto(
    "wasmtime_component_linker_instance_add_func_async",
    c_void_p,
    c_void_p,
    c_char_p,
    c_size_t,
    func_async_callback_t,
    c_void_p,
    c_void_p,  # finalizer: always NULL
)
linker_add_wasip2_async = _proto("wasmtime_component_linker_add_wasip2_async", c_void_p, c_void_p)
linker_add_wasi_http_async = _proto(
    "wasmtime_component_linker_add_wasi_http_async", c_void_p, c_void_p
)
# Returns nothing (wasmtime's `Store::epoch_deadline_async_yield_and_update` is
# infallible); wasmtime-py's own binding declares an error pointer it never gets.
epoch_deadline_async_yield_and_update = _proto(
    "wasmtime_context_epoch_deadline_async_yield_and_update", None, c_void_p, ctypes.c_uint64
)
fuel_async_yield_interval = _proto(
    "wasmtime_context_fuel_async_yield_interval", c_void_p, c_void_p, ctypes.c_uint64
)
func_type_async = _proto("wasmtime_component_func_type_async", c_bool, c_void_p)
config_async_stack_size_set = _proto(
    "wasmtime_config_async_stack_size_set", None, c_void_p, c_size_t
)
config_component_model_async_set = _proto(
    "wasmtime_config_wasm_component_model_async_set", None, c_void_p, c_bool
)
# Stackful async lifts (``[async-lift-stackful]``, no callback): what a
# guest without its own event loop exports.
config_component_model_async_stackful_set = _proto(
    "wasmtime_config_wasm_component_model_async_stackful_set", None, c_void_p, c_bool
)


def linker_address(linker: Any) -> int:
    """The ``wasmtime_component_linker_t*`` of a wasmtime-py component ``Linker``."""
    return ptr_value(linker.ptr())


def config_address(config: Any) -> int:
    """The ``wasm_config_t*`` of a wasmtime-py ``Config`` (before an Engine takes it)."""
    return ptr_value(config.ptr())


def instance_struct() -> Any:
    """A zeroed ``wasmtime_component_instance_t`` for an async instantiation to fill."""
    return ffi.wasmtime_component_instance_t()


def instance_from_raw(raw: Any) -> Any:
    """A wasmtime-py component ``Instance`` around a ``wasmtime_component_instance_t``
    an async instantiation wrote."""
    from wasmtime.component import Instance

    return Instance._from_raw(raw)


def error_text(err: int) -> str:
    """The message of a ``wasmtime_error_t*``, which stays allocated."""
    vec = ffi.wasm_byte_vec_t()
    error_message(err, ctypes.byref(vec))
    try:
        return ctypes.string_at(vec.data, vec.size).decode("utf-8", "replace")
    finally:
        byte_vec_delete(ctypes.byref(vec))


def take_error(err: int) -> tuple[str, int | None]:
    """Read and free a ``wasmtime_error_t*``: its message and WASI exit status."""
    message = error_text(err)
    code = ctypes.c_int(0)
    exit_code = code.value if error_exit_status(err, ctypes.byref(code)) else None
    error_delete(err)
    return message, exit_code


def ptr_value(p: Any) -> int:
    """The address held by a ctypes pointer (0 for NULL)."""
    try:
        v = c_void_p.from_buffer(p).value  # the pointer's own bytes, without a cast object
    except TypeError:
        v = ctypes.cast(p, c_void_p).value
    return int(v or 0)


# --- wasmtime-py internals ----------------------------------------------------------
# The runtime needs a few things wasmtime-py keeps private: its ctypes bindings
# (``wasmtime._ffi``, imported at the top), the raw context of a Store, the C
# handle inside a component Func, whether a Store was closed, raw ResourceAny
# pointers, how a variant type is tagged in the dynamic API, and the class of
# reflected component items. Every such use goes through here, and
# ``check_internals`` (run at import, beside ``check_layouts``) verifies each one,
# so a wasmtime-py release that moves them fails here with the installed version
# named, not somewhere deep inside a call.

try:
    # Only a type (the items of ``ComponentType.imports()``/``exports()``); absent
    # before wasmtime-py 49, whose reflection the generator's check cannot use.
    from wasmtime.component._types import ComponentExtern
except ImportError as e:  # pragma: no cover - a wasmtime-py outside the range
    raise _differs(f"wasmtime.component._types.ComponentExtern cannot be imported ({e})") from None

#: The attribute that is None once a ``wasmtime.Store`` was closed (read by the
#: generated plans' closed-store check, which must cost one attribute load).
STORE_CONTEXT_ATTR = "_Store__context"


def store_context(store: Any) -> int:
    """The ``wasmtime_context_t*`` of a live ``wasmtime.Store``."""
    return ptr_value(store._context())


def store_closed(store: Any) -> bool:
    return getattr(store, STORE_CONTEXT_ATTR, None) is None


def func_address(func: Any) -> int:
    """The address of the ``wasmtime_component_func_t`` inside a wasmtime-py
    component ``Func`` (valid while ``func`` is alive)."""
    return ctypes.addressof(func._func)


def instance_address(instance: Any) -> int:
    """The address of the ``wasmtime_component_instance_t`` inside a wasmtime-py
    component ``Instance`` (valid while ``instance`` is alive)."""
    return ctypes.addressof(instance._instance)


def guard_store_delete(store: Any, hook: Any) -> None:
    """Run ``hook()`` before ``store`` is freed; it may refuse by raising.

    wasmtime-py frees a Store in ``Managed.close()`` (also reached from
    ``__del__`` and ``with``) by calling ``self._delete(ptr)``; an attribute of
    the instance shadows the class's method. The replacement holds the store
    only weakly (no cycle: a store still dies when its last reference goes);
    when the cyclic collector has already cleared that reference, the store is
    being collected and only its C object is left to free."""
    cls_delete = type(store)._delete
    store_ref = weakref.ref(store)

    def _delete(ptr: Any) -> None:
        hook()
        live = store_ref()
        if live is not None:
            cls_delete(live, ptr)
        else:
            ffi.wasmtime_store_delete(ptr)

    store.__dict__["_delete"] = _delete


def before_linker_instantiate(linker: Any, hook: Any) -> None:
    """Run ``hook(store)`` before each ``linker.instantiate(store, component)``.

    Like ``guard_store_delete``: an attribute of the instance shadows the
    class's method (wasmtime-py's ``component.Linker.instantiate``)."""
    cls_instantiate = type(linker).instantiate
    linker_ref = weakref.ref(linker)

    def instantiate(store: Any, component: Any) -> Any:
        hook(store)
        live = linker_ref()
        assert live is not None  # a bound call holds the linker
        return cls_instantiate(live, store, component)

    linker.__dict__["instantiate"] = instantiate


def refuse_copies() -> None:
    """Make ``copy``/``pickle`` of wasmtime-py's handle objects a clear TypeError.

    wasmtime-py 50's ``Store``, ``Engine``, ``component.Component`` and
    ``component.Linker`` copy their C pointer on ``copy.copy``, and both copies
    free it: a crash at the second free. Registering a reducer that refuses
    (``copyreg``, which both ``copy`` and ``pickle`` consult) turns that into
    an exception; it changes nothing that worked."""
    import copyreg

    import wasmtime
    from wasmtime import component

    def refuse(obj: Any) -> Any:
        raise TypeError(
            f"a wasmtime {type(obj).__name__} owns a native handle of this process and "
            "cannot be copied or pickled; share it, or make another one"
        )

    for cls in (wasmtime.Store, wasmtime.Engine, component.Component, component.Linker):
        copyreg.pickle(cls, refuse)


refuse_copies()

#: Bytes of a ``wasmtime_component_func_t`` (a plain value: copying it is allowed).
FUNC_SIZE = ctypes.sizeof(ffi.wasmtime_component_func_t)


def variant_tagged(vt: wc.VariantType | wc.OptionType | wc.ResultType) -> bool:
    """Whether wasmtime-py's dynamic API wraps this variant's (option's, result's)
    values in ``wasmtime.component.Variant`` (it does when two cases' payloads
    could be confused) or passes the bare payload."""
    return bool(vt._tagged())


def resource_any_from_address(addr: int) -> wc.ResourceAny:
    """A wasmtime-py ``ResourceAny`` owning the ``wasmtime_component_resource_any_t*``
    at ``addr`` (it deletes it when collected)."""
    ptr = ctypes.cast(addr, POINTER(ffi.wasmtime_component_resource_any_t))
    return wc.ResourceAny._from_ptr(ptr)


def resource_any_release(ra: wc.ResourceAny) -> int:
    """Take the ``wasmtime_component_resource_any_t*`` out of a ``ResourceAny``
    (which then no longer deletes it): the caller owns the address returned."""
    return ptr_value(ra._consume())


def check_internals() -> None:
    """Verify that the private wasmtime-py names above still mean what the runtime
    assumes (each check runs the name on a real object where that is cheap)."""
    for owner, name in (
        (wasmtime.Store, "_context"),
        (wasmtime.Store, "_delete"),
        (wc.Linker, "instantiate"),
        (wc.Instance, "_from_raw"),
        (wc.Func, "_from_raw"),
        (wc.ResourceAny, "_from_ptr"),
        (wc.ResourceAny, "_consume"),
        (wc.VariantType, "_tagged"),
        (wc.OptionType, "_tagged"),
        (wc.ResultType, "_tagged"),
    ):
        if not callable(getattr(owner, name, None)):
            raise _differs(f"wasmtime-py has no {owner.__module__}.{owner.__qualname__}.{name}")
    for struct_name in ("wasmtime_component_func_t", "wasmtime_component_resource_any_t"):
        if not hasattr(ffi, struct_name):
            raise _differs(f"wasmtime._ffi has no {struct_name}")
    store = wasmtime.Store(wasmtime.Engine())
    live = getattr(store, STORE_CONTEXT_ATTR, None)
    if live is None or ptr_value(live) != store_context(store) or store_closed(store):
        raise _differs(f"a live wasmtime.Store does not keep its context in {STORE_CONTEXT_ATTR}")
    store.close()
    if not store_closed(store):
        raise _differs(f"a closed wasmtime.Store does not clear {STORE_CONTEXT_ATTR}")
    raw = ffi.wasmtime_component_func_t()
    if func_address(wc.Func._from_raw(raw)) != ctypes.addressof(raw):
        raise _differs("a wasmtime.component.Func does not hold its C handle in _func")
    inst = instance_struct()
    if instance_address(wc.Instance._from_raw(inst)) != ctypes.addressof(inst):
        raise _differs("a wasmtime.component.Instance does not hold its C handle in _instance")


check_internals()


# Struct helpers shared by the lower and lift plans.
def val_struct(payload: str) -> struct.Struct:
    """A ``Struct`` writing ``kind`` then ``payload`` at the union's offset."""
    return struct.Struct(f"<B{VAL_OF - 1}x{payload}")


EMPTY = ctypes.create_string_buffer(VAL_SIZE)
#: A valid, aligned non-NULL address for zero-length vectors.
EMPTY_ADDR = ctypes.addressof(EMPTY)
