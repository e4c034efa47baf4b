"""Per-instance state the plans share, and how a failed call becomes an exception."""

from __future__ import annotations

import ctypes
import struct
import weakref
from typing import Any, NoReturn

from . import capi
from .arena import Arena
from .capi import MEM
from .errors import InstanceTrappedError, WbindgenError
from .resources import HostTable
from .stores import StoreState
from .traps import trap_from_text
from .types import ImportedResource

__all__ = ["InstanceState"]

_U_PTR = struct.Struct("<Q").unpack_from


class InstanceState:
    """What one instance's plans share: its store and the store's call state,
    the arena its argument trees are written into, the handle tables of host
    resources, the host's implementations of its imports (``impls``, in the
    order of the bindings' imports), the trap flag, and an 8-byte slot for the
    out-parameters of C calls.

    ``defs`` are the host definitions its Linker holds. ``bindings`` maps a
    generated module's function table to this instance's ``PlanTable`` (see
    ``bindings.bind_funcs``), weakly: plans reference this state, and a state
    that referenced its plans would make every instance a reference cycle,
    freed only by the cyclic collector. ``tables_of`` keeps what it takes to
    make such a table again (for a resource wrapper that outlives its
    instance's world object)."""

    __slots__ = (
        "store",
        "ss",
        "ctx",
        "trapped",
        "poisoned_by",
        "arena",
        "tables",
        "impls",
        "defs",
        "host_plans",
        "bindings",
        "tables_of",
        "prepared",
        "handle",
        "asynchronous",
        "drop_plans",
        "_out",
        "out_slot",
        "__weakref__",
    )

    def __init__(
        self,
        store: Any,
        ss: StoreState,
        *,
        impls: tuple[Any, ...] = (),
        defs: Any = None,
        asynchronous: bool = False,
    ) -> None:
        self.store = store
        #: Made for the async face: its guest resources are the async wrappers.
        self.asynchronous = asynchronous
        self.ss = ss
        self.ctx: int = ss.ctx
        self.trapped = False
        #: Why the instance cannot be entered, when not because of a trap
        #: (an async call that was cancelled, say).
        self.poisoned_by: str | None = None
        self.arena = Arena()
        self.tables: dict[ImportedResource, HostTable] = {}
        if defs is not None:
            for r in defs.resources:
                if r.resource not in self.tables:
                    self.tables[r.resource] = HostTable(
                        r.resource.wit_name, defs.type_id(r.resource)
                    )
        self.impls = impls
        self.defs = defs
        #: Per host import of ``defs``: its compiled callback plan, made on first use.
        self.host_plans: list[Any] = [None] * (len(defs.funcs) if defs is not None else 0)
        # id(module's function table) -> weak reference to this instance's
        # PlanTable of it (the table holds the instance: no cycle through here).
        # Plain weakrefs: a WeakValueDictionary cost a tenth of an instantiate.
        self.bindings: dict[int, weakref.ref[Any]] = {}
        self.tables_of: dict[int, tuple[str | None, tuple[str, ...]]] = {}
        #: The wasmtime-py ``Instance`` and the prepared component it came from.
        self.handle: Any = None
        self.prepared: Any = None
        #: The async face's drop plans of this instance (``AsyncGuestResource.drop``).
        self.drop_plans: dict[tuple[None, str], Any] = {}
        self._out = ctypes.create_string_buffer(8)
        self.out_slot: int = ctypes.addressof(self._out)

    def table(self, res: ImportedResource) -> HostTable:
        t = self.tables.get(res)
        if t is None:
            if self.defs is None:
                raise WbindgenError(f"resource '{res.wit_name}' is not an import of this instance")
            t = self.tables[res] = HostTable(res.wit_name, self.defs.type_id(res))
        return t

    def plan_table(self, funcs: object) -> Any:
        """This instance's ``PlanTable`` of a generated module's function table."""
        ref = self.bindings.get(id(funcs))
        table = None if ref is None else ref()
        if table is None:
            from .funcs import PlanTable
            from .linking import BoundInstance

            try:
                interface, names = self.tables_of[id(funcs)]
            except KeyError:
                raise WbindgenError("these functions are not bound to this instance") from None
            bound = BoundInstance(self.store, self.handle, self, self.prepared)
            table = PlanTable(bound, interface, names)
            self.bindings[id(funcs)] = weakref.ref(table)
        return table

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

    def fail(self, err: int) -> NoReturn:
        """Raise the exception for a ``wasmtime_error_t*`` a call of this instance returned.

        A host function's exception parked by its callback is the cause: it is
        raised as itself. Otherwise a ``Trap`` with wasmtime's code and message.
        Either way the instance is poisoned: the guest was unwound."""
        text, exit_code = capi.take_error(err)
        ss = self.ss
        exc = ss.pending
        was_trapped = self.trapped
        self.trapped = ss.trapped = True
        if exc is not None:
            ss.pending = None
            raise exc
        if was_trapped or "cannot enter component instance" in text:
            trapped = trap_from_text(text, exit_code, InstanceTrappedError)
            if self.poisoned_by is not None:
                trapped.message = (
                    f"this component instance cannot be entered again: {self.poisoned_by}; "
                    "create a new instance"
                )
            elif was_trapped:
                trapped.message = (
                    "this component instance trapped earlier and cannot be entered again; "
                    "create a new instance"
                )
            else:
                trapped.message = (
                    "a component instance in this store trapped earlier, and wasmtime enters "
                    "no component instance of a store after a trap; create a new Store"
                )
            trapped.args = (trapped.message,)
            raise trapped
        raise trap_from_text(text, exit_code)
