"""A component checked against the bindings and compiled, ready to instantiate many times.

This is wasmtime's ``InstancePre`` (and bindgen's ``FooPre``) for Python:
everything that depends only on the component and the bindings happens once,
in ``prepare``:

1. the component's bytes are read by the reader and checked against the
   bindings (``loadcheck.py``): a mismatch is refused before wasmtime
   compiles anything, and nothing is written to the compiled-component cache;
2. the component is compiled through the cache, wrapped with the bulk lane
   when it has exports the lane serves (``lane/``);
3. the compiled component's types are checked once more, against wasmtime's
   own reflection (``typecheck.py``), an independent second opinion;
4. a Linker gets wasmtime's WASI if the component imports it, and the
   bindings' host functions and resource types (``hostfuncs.py``); or the
   user's own Linker is used as it is (``add_to_linker`` defined the bindings'
   imports in it);
5. each export's call plan is compiled (``plans.py``), once per function of
   the bindings.

``Prepared.instantiate(store, impls)`` then only instantiates through the
Linker and wraps the instance; each export's plan is bound to the instance on
its first call (``BoundInstance.plan``).

``prepare_cached`` is what ``Pkg.instantiate(store, path_or_component, ...)``
uses: a small per-engine cache keyed by the bindings and the component (a
path by its name, size, modification time and inode, so a changed file is
noticed; bytes by their SHA-256; a ``Component`` object by identity).
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NoReturn, SupportsIndex

import wasmtime
from wasmtime import component as wc

from . import capi
from .bindings_spec import Bindings, ExportSpec
from .errors import (
    EngineMismatchError,
    InstantiationError,
    ReaderError,
    TypeCheckError,
    WasiConfigError,
    WbindgenError,
)
from .instances import InstanceState
from .lane import config as lane_config
from .lane.spec import LaneSpec, lane_export_name, lane_specs_for
from .stores import refuse_entry, store_state
from .traps import trap_from_text
from .types import Borrow, ExportedResource, Func, Own

if TYPE_CHECKING:
    from .hostfuncs import HostDefs
    from .loadcheck import LoadPlan
    from .plans import PlanTemplate

# What only preparing a component needs (the reader, the checks, the cache,
# the lane's wrapper, the plan compiler) is imported where it is used, so
# importing a generated package stays cheap.

__all__ = [
    "Prepared",
    "prepare",
    "prepare_cached",
    "add_to_linker",
    "load_component",
    "component_bytes",
]

ComponentSource = Any  # wc.Component | str | os.PathLike[str] | bytes | bytearray | memoryview

_MAGIC = b"\0asm"
_lane_log = logging.getLogger("wbindgen_runtime.lane")

#: Components ``load_component`` (or a path given to ``prepare``) compiled,
#: with the bytes they came from: the lane needs the bytes to wrap them.
_bytes_of: weakref.WeakKeyDictionary[wc.Component, bytes] = weakref.WeakKeyDictionary()


def component_bytes(source: ComponentSource) -> bytes | None:
    """The component binary behind ``source`` (None for a ``Component`` whose
    bytes the runtime never saw)."""
    if isinstance(source, wc.Component):
        return _bytes_of.get(source)
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as f:
            return _binary(f.read())
    if isinstance(source, (bytes, bytearray, memoryview)):
        return _binary(bytes(source))
    raise TypeError(
        f"expected a wasmtime.component.Component, a path or bytes, got {type(source).__name__}"
    )


def _binary(data: bytes) -> bytes:
    """Component text becomes a binary; anything else is left for the reader,
    which says what is wrong with it."""
    if data[:4] == _MAGIC:
        return data
    from .reader import _as_binary

    return _as_binary(data)


def load_component(engine: wasmtime.Engine, source: str | os.PathLike[str] | bytes) -> wc.Component:
    """Compile (or load from the cache) a component, remembering its bytes, so
    that the ``Component`` object gets the bulk lane when given to the bindings."""
    from .cache import compile_bytes

    data = component_bytes(source)
    assert data is not None
    component = compile_bytes(engine, data)
    _bytes_of[component] = data
    return component


@dataclass(frozen=True)
class _Export:
    """One export of the bindings in the prepared component."""

    index: Any  # wasmtime-py ExportIndex (kept alive: plans read its pointer)
    template: PlanTemplate
    lane_index: Any = None
    lane_template: PlanTemplate | None = None


class Prepared:
    """A component prepared for one ``Bindings`` (see the module docstring)."""

    def __init__(
        self,
        engine: wasmtime.Engine,
        bindings: Bindings,
        component: wc.Component,
        plan: LoadPlan,
        linker: wc.Linker,
        *,
        user_linker: bool,
        defs: HostDefs | None,
        lanes: list[LaneSpec],
        codec: str,
        asynchronous: bool = False,
        lane_status: str = "off",
        drops: list[ExportedResource] | None = None,
    ) -> None:
        self.engine = engine
        #: Plans are coroutine functions and instances come from
        #: ``aio.instantiate_async`` (the async face).
        self.asynchronous = asynchronous
        self.bindings = bindings
        self.component = component
        self.load_plan = plan
        self.linker = linker
        self.user_linker = user_linker
        self.defs = defs
        self.lanes = lanes
        self.codec = codec
        #: Whether calls can take the bulk lane (docs/lane.md): "wrapped", "off",
        #: "not eligible[: why]" or "rejected: <reason>" (the plain path serves all).
        self.lane_status = lane_status
        #: The ``Component`` object this was prepared from, when given one (cache key).
        self.source_object: wc.Component | None = None
        self.exports: dict[tuple[str | None, str], _Export] = {}
        threshold = lane_config.threshold()
        lane_of = {(spec.interface, spec.name): k for k, spec in enumerate(lanes)}
        for e in bindings.exports:
            cname = plan.export_names.get(e.interface)
            parent = None
            if cname is not None:
                parent = component.get_export_index(cname)
                if parent is None:  # pragma: no cover - the check found it
                    raise TypeCheckError(f"export '{cname}': missing from the component")
            index = component.get_export_index(e.name, parent)
            if index is None:  # pragma: no cover - the check found it
                raise TypeCheckError(f"export function '{e.name}': missing from the component")
            if e.func.is_async and not asynchronous:
                continue  # an async func: the sync face has no plan for it (see _export)
            template = _template(bindings, e, asynchronous=asynchronous)
            k = lane_of.get((cname, e.name))
            if k is None:
                self.exports[(e.interface, e.name)] = _Export(index, template)
                continue
            lane_index = component.get_export_index(lane_export_name(k))
            if lane_index is None:  # pragma: no cover - the wrapper exports every lane
                raise WbindgenError(f"internal: lane export {lane_export_name(k)} is missing")
            lane_template = _template(bindings, e, lanes[k], threshold, codec)
            self.exports[(e.interface, e.name)] = _Export(
                index, template, lane_index, lane_template
            )

        #: The async face's drop function of each exported resource the wrapper
        #: serves (by its wrapper classes): ``exports`` keys.
        self.drop_keys: dict[type, tuple[None, str]] = {}
        if drops:
            from .lane.wrapper import drop_export_name

        for k, res in enumerate(drops or ()):
            key = (None, drop_export_name(k))
            index = component.get_export_index(key[1])
            if index is None:  # pragma: no cover - the wrapper exports every drop
                raise WbindgenError(f"internal: drop export {key[1]} is missing")
            self.exports[key] = _Export(index, _drop_template(bindings, res))
            self.drop_keys[res.cls_for(True)] = key

    @property
    def lane_enabled(self) -> bool:
        return bool(self.lanes)

    def instantiate(
        self,
        store: wasmtime.Store,
        impls: tuple[Any, ...] = (),
        *,
        wasi: wasmtime.WasiConfig | None = None,
    ) -> Any:
        """A new instance in ``store``; ``impls`` implement the bindings' host
        functions, in ``bindings.imports`` order. Returns a ``BoundInstance``."""
        from .linking import BoundInstance

        if self.asynchronous:
            raise WbindgenError(
                "this component was prepared for the async face: "
                "await wbindgen_runtime.aio.instantiate_async(...)"
            )
        ss, st = self._new_instance_state(store, impls, wasi)
        prev = ss.cur
        if prev is not None:
            refuse_entry(ss, prev)
        ss.cur = st  # a start function may call host imports
        try:
            instance = self.linker.instantiate(store, self.component)
        except wasmtime.WasmtimeError as exc:
            pending, ss.pending = ss.pending, None
            if pending is not None:
                raise pending from None
            err = _instantiation_error(str(exc))
            raise err from err.__cause__  # the start function's Trap, or nothing
        finally:
            ss.cur = prev
        st.handle = instance
        st.prepared = self
        return BoundInstance(store, instance, st, self)

    def _new_instance_state(
        self, store: wasmtime.Store, impls: tuple[Any, ...], wasi: wasmtime.WasiConfig | None
    ) -> tuple[Any, InstanceState]:
        """The store's state (WASI set up) and a new instance's state, before
        instantiating."""
        if len(impls) != len(self.bindings.imports):
            raise TypeError(
                f"expected {len(self.bindings.imports)} host implementations, got {len(impls)}"
            )
        if getattr(store, "engine", self.engine) is not self.engine:
            raise EngineMismatchError(
                "the store's wasmtime.Engine is not the one this component was prepared "
                "with; prepare it with the store's engine (store.engine)"
            )
        ss = store_state(store)
        self._configure_wasi(store, ss, wasi)
        st = InstanceState(store, ss, impls=impls, defs=self.defs, asynchronous=self.asynchronous)
        if self.defs is not None:
            ss.defs.add(self.defs)  # the callbacks outlive every instance of the store
        return ss, st

    def _configure_wasi(
        self, store: wasmtime.Store, ss: Any, wasi: wasmtime.WasiConfig | None
    ) -> None:
        if self.user_linker:
            if wasi is not None:
                raise WasiConfigError(
                    "this component was prepared with your own Linker: configure WASI on the "
                    "store yourself (store.set_wasi) instead of passing wasi="
                )
            return
        plan = self.load_plan
        if plan.wasi or wasi is not None:
            if ss.wasi is None:
                store.set_wasi(wasi if wasi is not None else wasmtime.WasiConfig())
                ss.wasi = wasi if wasi is not None else _DEFAULT_WASI
            elif wasi is not None and wasi is not ss.wasi:
                raise WasiConfigError(
                    "this store already has a WASI configuration (given to an earlier "
                    "instance in it); WASI belongs to a store: pass the same WasiConfig, "
                    "pass none to share it, or use a new Store"
                )
        if plan.wasi_http and not ss.wasi_http:
            store.set_wasi_http()
            ss.wasi_http = True

    def __repr__(self) -> str:
        lane = f", lane for {len(self.lanes)} exports" if self.lanes else ""
        return f"<Prepared {self.bindings!r}{lane}>"

    def __reduce_ex__(self, protocol: SupportsIndex) -> NoReturn:
        # Reached by pickle, copy.copy and copy.deepcopy alike.
        raise TypeError(
            "Prepared holds a component compiled for a wasmtime.Engine of this process, "
            "and its Linker: it cannot be pickled or copied. Send the component's path and "
            "prepare it once in each process (the compiled-component cache makes that a "
            "load, not a compile)"
        )


class _DefaultWasi:
    """The store got the deny-by-default ``WasiConfig()``."""

    __slots__ = ()


_DEFAULT_WASI = _DefaultWasi()


def _template(
    bindings: Bindings,
    e: ExportSpec,
    lane: LaneSpec | None = None,
    threshold: int = 0,
    codec: str = "hex",
    *,
    asynchronous: bool = False,
) -> PlanTemplate:
    """The plan template of an export; compiled once per bindings (and lane spec),
    whatever component it is prepared for."""
    from .plans import PlanTemplate

    key = (e.interface, e.name, lane, threshold, codec, asynchronous)
    t = bindings.templates.get(key)
    if t is None:
        t = bindings.templates[key] = PlanTemplate(
            e.name, e.func, lane=lane, threshold=threshold, codec=codec, asynchronous=asynchronous
        )
    return t


def _drop_template(bindings: Bindings, res: ExportedResource) -> PlanTemplate:
    """The plan of the async face's drop function of ``res`` (``func(h: own<res>)``);
    compiled once per bindings, like the exports' (``_template``)."""
    from .plans import PlanTemplate

    key = ("drop", res)
    t = bindings.templates.get(key)
    if t is None:
        func = Func((("h", Own(res)),))
        t = bindings.templates[key] = PlanTemplate(f"[drop]{res.wit_name}", func, asynchronous=True)
    return t


def _instantiation_error(text: str) -> InstantiationError:
    if "cross-`Engine`" in text:
        return EngineMismatchError(
            f"the component was compiled by another wasmtime.Engine than the store's: {text}"
        )
    cause = trap_from_text(text)  # its message is wasmtime's root cause, on one line
    err = InstantiationError(f"wasmtime could not instantiate the component: {cause.message}")
    if cause.code is not None or cause.backtrace:
        err.__cause__ = cause  # a start function trapped
    return err


#: wasmtime before 50 aborts validating a nested component whose imported
#: instances share one type (tests/support/wasmtime_bugs.py).
_NESTS_SHARED_TYPES = capi.wasmtime_version()[0] >= 50


def _compile(
    engine: wasmtime.Engine,
    data: bytes,
    lanes: list[LaneSpec],
    status: str,
    drops: list[tuple[str, str]] | None = None,
) -> tuple[wc.Component, list[LaneSpec], str, str, bool]:
    """The component to instantiate, the lane specs its wrapper serves, the
    codec, the lane status (``status`` when there is no lane to build) and
    whether the wrapper exports the drop functions of ``drops`` (the async
    face's, which has no lanes: see ``wrapper.build_wrapper``).

    An engine configured without simd128 rejects the first wrapper; a wrapper
    both attempts fail to build or compile means the component is not
    wrappable: then the plain path, said in a warning (compiling a rejected
    wrapper can triple the first start of a large component)."""
    from .cache import compile_bytes
    from .lane import wrapper
    from .lane.adapter import CODEC as codec
    from .lane.errors import LaneUnsupportedError

    if drops:
        try:
            wrapped = wrapper.build_wrapper(
                data, [], drops=drops, shared_instance_types=_NESTS_SHARED_TYPES
            )
            return compile_bytes(engine, wrapped), [], codec, status, True
        except (LaneUnsupportedError, wasmtime.WasmtimeError) as e:
            # Then dropping such a resource says why it cannot run its destructor.
            _lane_log.info("no drop functions for the async face: %s", e)
    for simd in (True, False) if lanes else ():
        try:
            wrapped = wrapper.build_wrapper(
                data, lanes, codec=codec, simd=simd, shared_instance_types=_NESTS_SHARED_TYPES
            )
            return compile_bytes(engine, wrapped), lanes, codec, "wrapped", False
        except LaneUnsupportedError as e:
            status = f"rejected: {e}"
            break
        except wasmtime.WasmtimeError as e:
            status = f"rejected: wasmtime: {(str(e).strip().splitlines() or ['?'])[0]}"
    if status.startswith("rejected"):
        _lane_log.warning("bulk lane not used, calls take the plain path (%s)", status)
    try:
        return compile_bytes(engine, data), [], codec, status, False
    except wasmtime.WasmtimeError as exc:
        if "component model async" not in str(exc):
            raise
        raise WbindgenError(
            "the component uses component-model async (WIT async func): compile it with an "
            "engine that enables it, wasmtime.Engine(wbindgen_runtime.aio.async_engine_config("
            f"component_model_async=True)); wasmtime said: {str(exc).splitlines()[-1].strip()}"
        ) from exc


def _linker_defs(linker: wc.Linker) -> dict[int, tuple[Bindings, HostDefs]]:
    registry = _defs_by_linker.get(linker)
    if registry is None:
        registry = _defs_by_linker[linker] = {}
    return registry


_defs_by_linker: weakref.WeakKeyDictionary[wc.Linker, dict[int, tuple[Bindings, HostDefs]]] = (
    weakref.WeakKeyDictionary()
)


def add_to_linker(
    linker: wc.Linker,
    bindings: Bindings,
    impls_for: Callable[[wasmtime.Store], tuple[Any, ...]] | None = None,
) -> HostDefs:
    """Define the bindings' host functions and resource types in ``linker``,
    under the bindings' interface names (wasmtime's Linker matches imports of
    semver-compatible versions to them). ``impls_for(store)`` serves calls from
    instances the bindings did not create."""
    from .hostfuncs import HostDefs

    registry = _linker_defs(linker)
    if id(bindings) in registry:
        raise WbindgenError("these bindings were already added to this Linker")
    defs = HostDefs(bindings, impls_for)
    defs.define(linker)
    registry[id(bindings)] = (bindings, defs)
    # Instances the user makes through this Linker may call the bindings' host
    # functions: the store they run in must be one the callbacks can find.
    capi.before_linker_instantiate(linker, _known_store)
    return defs


def _known_store(store: Any) -> None:
    if isinstance(store, wasmtime.Store):
        store_state(store)


def prepare(
    engine_or_linker: wasmtime.Engine | wc.Linker,
    source: ComponentSource,
    bindings: Bindings,
    *,
    lane: bool = True,
    asynchronous: bool = False,
) -> Prepared:
    """Check, compile and plan ``source`` for ``bindings`` (see the module docstring).

    ``asynchronous`` prepares it for the async face (aio.py): host functions
    defined as async, plans that are coroutine functions (no bulk lane yet).

    With an Engine the bindings build their own Linker (wasmtime's WASI where
    the component imports it, and the bindings' imports; any other import is
    refused here). With a Linker of yours, it is used as it is: call
    ``add_to_linker`` on it first when the bindings have imports."""
    from .hostfuncs import HostDefs
    from .lane.adapter import CODEC
    from .typecheck import check_with_wasmtime

    if isinstance(engine_or_linker, wc.Linker):
        user_linker: wc.Linker | None = engine_or_linker
        engine = engine_or_linker.engine
    elif isinstance(engine_or_linker, wasmtime.Engine):
        user_linker = None
        engine = engine_or_linker
    else:
        raise TypeError(
            "expected a wasmtime.Engine or a wasmtime.component.Linker, "
            f"got {type(engine_or_linker).__name__}"
        )
    if asynchronous:
        if user_linker is not None:
            raise WbindgenError("the async face builds its own Linker: prepare it with an Engine")
        lane = False
    data = component_bytes(source)
    drops: list[tuple[str, ExportedResource]] = []
    lanes: list[LaneSpec] = []
    codec = CODEC
    lane_on = lane and lane_config.enabled()
    lane_status = "not eligible" if lane_on else "off"
    if data is not None:
        plan = _check_bytes(engine, data, bindings, refuse_unknown=user_linker is None)
        if lane_on:
            lanes = lane_specs_for(
                (plan.export_names.get(e.interface), e.name, e.func) for e in bindings.exports
            )
        if asynchronous:  # by the component's own names for the interfaces
            drops = [
                (cname, r)
                for i, r in _exported_resources(bindings)
                if (cname := plan.export_names.get(i)) is not None
            ]
        component, lanes, codec, lane_status, dropping = _compile(
            engine, data, lanes, lane_status, [(i, r.wit_name) for i, r in drops]
        )
        if not dropping:
            drops = []
        if not isinstance(source, wc.Component):
            _bytes_of[component] = data
    else:
        assert isinstance(source, wc.Component)
        if lane_on:
            lane_status = "not eligible: a Component object has no bytes to wrap (pass its path)"
        component = source
        plan = _plan_from_wasmtime(engine, component, bindings, refuse_unknown=user_linker is None)
    check_with_wasmtime(engine, component, bindings, plan)
    if plan.missing:
        raise TypeCheckError(plan.missing[0])
    if user_linker is not None:
        found = _linker_defs(user_linker).get(id(bindings))
        defs = found[1] if found is not None else None
        if defs is None and (plan.import_names.keys() - {None} or _imports_world_items(bindings)):
            raise WbindgenError(
                "the component imports functions these bindings implement: define them in "
                "your Linker first with Pkg.add_to_linker(linker, ...)"
            )
        linker = user_linker
    else:
        linker = wc.Linker(engine)
        if asynchronous:  # WASI for async calls: wasmtime's async implementation
            for needed, add in ((plan.wasi, capi.linker_add_wasip2_async),
                                (plan.wasi_http, capi.linker_add_wasi_http_async)):  # fmt: skip
                if needed:
                    err = add(capi.linker_address(linker))
                    if err:
                        message, _ = capi.take_error(err)
                        raise WbindgenError(f"cannot add wasmtime's WASI: {message}")
        else:
            if plan.wasi:
                linker.add_wasip2()
            if plan.wasi_http:
                linker.add_wasi_http()
        defs = None
        if bindings.imports or bindings.resources:
            defs = HostDefs(bindings, asynchronous=asynchronous)
            defs.define(linker, plan.import_names, plan.empty_imports)
        elif plan.empty_imports:
            root = linker.root()
            try:
                for name in plan.empty_imports:
                    root.add_instance(name).close()
            finally:
                root.close()
    return Prepared(
        engine,
        bindings,
        component,
        plan,
        linker,
        user_linker=user_linker is not None,
        defs=defs,
        lanes=lanes,
        codec=codec,
        asynchronous=asynchronous,
        lane_status=lane_status,
        drops=[r for _, r in drops],
    )


def _exported_resources(bindings: Bindings) -> list[tuple[str, ExportedResource]]:
    """The resources of the bindings' exported interfaces, as their functions
    name them (a constructor's result, a method's ``self``), in first-seen order."""
    found: dict[tuple[str, str], ExportedResource] = {}
    for e in bindings.exports:
        if e.interface is None:
            continue  # a world-level resource: not wrapped (rare; drops stay sync-only)
        for t in (*(t for _, t in e.func.params), e.func.result):
            if isinstance(t, (Own, Borrow)) and isinstance(t.resource, ExportedResource):
                found.setdefault((e.interface, t.resource.wit_name), t.resource)
    return [(i, r) for (i, _), r in found.items()]


def _check_bytes(
    engine: wasmtime.Engine, data: bytes, bindings: Bindings, *, refuse_unknown: bool
) -> LoadPlan:
    """The load-time check on the component's bytes, before compiling it.

    A component the reader cannot model (one that exports types at its top
    level, which WIT cannot say, written by hand) may still be one wasmtime
    runs: it is then compiled and checked by reflection alone. Bytes that are
    not a component binary at all are refused with the reader's error."""
    from .cache import compile_bytes
    from .loadcheck import check_component
    from .reader import read_component

    try:
        world = read_component(data)
    except ReaderError as reader_error:
        if data[:4] != _MAGIC or data[6:8] != b"\x01\x00":
            raise  # not a component binary (a core module, garbage, bad text)
        try:
            original = compile_bytes(engine, data)
        except wasmtime.WasmtimeError:
            raise reader_error from None
        return _plan_from_wasmtime(engine, original, bindings, refuse_unknown=refuse_unknown)
    return check_component(world, bindings, refuse_unknown=refuse_unknown)


def _imports_world_items(bindings: Bindings) -> bool:
    return any(f.interface is None for f in bindings.imports) or any(
        r.interface is None for r in bindings.resources
    )


def _plan_from_wasmtime(
    engine: wasmtime.Engine, component: wc.Component, bindings: Bindings, *, refuse_unknown: bool
) -> LoadPlan:
    """The LoadPlan of a ``Component`` whose bytes the runtime never saw, from
    wasmtime's reflection (names and kinds; the types are checked next)."""
    from .loadcheck import classify_imports_by_name

    ctype = component.type
    return classify_imports_by_name(
        bindings,
        {name: ext.ty for name, ext in ctype.exports(engine).items()},
        {name: ext.ty for name, ext in ctype.imports(engine).items()},
        engine,
        refuse_unknown=refuse_unknown,
    )


# --- the per-engine cache behind Pkg.instantiate(store, path_or_component) --------------

_CACHE_SIZE = 16
_cache: weakref.WeakKeyDictionary[wasmtime.Engine, OrderedDict[Any, Prepared]] = (
    weakref.WeakKeyDictionary()
)
_cache_lock = threading.Lock()


def _source_key(source: ComponentSource) -> tuple[Any, ...]:
    if isinstance(source, wc.Component):
        return ("component", id(source))
    if isinstance(source, (str, os.PathLike)):
        st = os.stat(source)
        return ("path", os.fspath(source), st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev)
    if isinstance(source, (bytes, bytearray, memoryview)):
        return ("bytes", hashlib.sha256(source).digest())
    raise TypeError(
        f"expected a wasmtime.component.Component, a path or bytes, got {type(source).__name__}"
    )


def prepare_cached(
    engine: wasmtime.Engine,
    source: ComponentSource,
    bindings: Bindings,
    *,
    lane: bool = True,
    asynchronous: bool = False,
) -> Prepared:
    """``prepare(engine, source, bindings)``, reused while the same bindings load
    the same component in this process."""
    key = (id(bindings), _source_key(source), lane and lane_config.enabled(),
           lane_config.threshold(), asynchronous)  # fmt: skip
    with _cache_lock:
        per_engine = _cache.get(engine)
        if per_engine is None:
            per_engine = _cache[engine] = OrderedDict()
        hit = per_engine.get(key)
        if hit is not None and hit.bindings is bindings and _same_source(hit, source):
            per_engine.move_to_end(key)
            return hit
    pre = prepare(engine, source, bindings, lane=lane, asynchronous=asynchronous)
    pre.source_object = source if isinstance(source, wc.Component) else None
    with _cache_lock:
        per_engine[key] = pre
        while len(per_engine) > _CACHE_SIZE:
            per_engine.popitem(last=False)
    return pre


def _same_source(pre: Prepared, source: ComponentSource) -> bool:
    if isinstance(source, wc.Component):
        return pre.source_object is source
    return True
