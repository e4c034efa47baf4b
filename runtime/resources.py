"""Resources in both directions.

* ``GuestResource``: base class of the wrapper classes generated for resources
  the guest exports. A wrapper owns one ``wasmtime_component_resource_any_t``
  handle and is *live*, *dropped* or *consumed* (moved into the guest by an
  ``own<R>`` argument). Using it when not live raises ``ResourceError``.
* ``HostTable``: the handle table of one imported (host-implemented) resource
  type in one instance: ``rep -> Python object``. Lowering an object as
  ``own<R>`` inserts it; lifting ``own``/``borrow`` maps the rep back to the
  object; the guest dropping its handle runs the destructor callback, which
  removes the entry and calls the object's ``drop()`` if it defines one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import capi
from .errors import ResourceError
from .stores import refuse_entry

#: What wasmtime says when a store with async host functions (the async face's)
#: is asked for a sync drop of a guest resource whose type has a destructor.
_NEEDS_ASYNC_DROP = "requires that `*_async` functions are used"
ASYNC_DROP_WHY = (
    "{} cannot run the component's destructor here: a store with async host functions "
    "needs an async resource drop, which wasmtime's C API (and so wasmtime-py) does not "
    "offer. The async face drops through a function its wrapper adds, which a component "
    "given as a Component object (no bytes to wrap) does not have: prepare it from its "
    "path or bytes. The handle was released on the Python side; the component keeps its "
    "resource until the store is dropped."
)

if TYPE_CHECKING:
    from .instances import InstanceState

__all__ = ["AsyncGuestResource", "GuestResource", "HostTable"]

#: ``_MOVING``: passed as ``own`` to a call that has not run yet (any other use
#: of the wrapper in the same call is refused; an aborted call makes it live again).
_LIVE, _DROPPED, _CONSUMED, _MOVING = 0, 1, 2, 3


class GuestResource:
    """A handle to a resource implemented by the guest.

    Call ``drop()`` (or use ``with``) to run the guest's destructor. Passing the
    wrapper as an ``own<R>`` argument moves it into the guest: afterwards every
    use raises ``ResourceError``. Passing it as ``borrow<R>`` does not.
    """

    __slots__ = ("_handle", "_status", "_state", "_plans", "__weakref__")

    _handle: int
    _status: int
    _state: InstanceState | None
    _plans: Any

    def __init__(self, *_args: Any, **_kwargs: Any) -> None:
        raise TypeError(
            f"{type(self).__name__} handles are created by the component "
            "(call its constructor through the instance), not directly"
        )

    @classmethod
    def _wrap(cls, handle: int, state: InstanceState) -> Any:
        self = object.__new__(cls)
        self._handle = handle
        self._status = _LIVE
        self._state = state
        self._plans = None
        return self

    def _funcs(self, table: object) -> Any:
        """This instance's plans of a generated module's function table (a
        ``PlanTable``; a resource's methods all live in its interface's table,
        so the wrapper keeps the one it found)."""
        plans = self._plans
        if plans is None:
            state = self._state
            if state is None:  # pragma: no cover - wrappers are always made by _wrap
                raise ResourceError(f"{type(self).__name__} is not bound to an instance")
            plans = self._plans = state.plan_table(table)
        return plans

    def _live_handle(self) -> int:
        if self._status == _LIVE:
            return self._handle
        raise ResourceError(self._not_live())

    def _not_live(self) -> str:
        if self._status == _MOVING:
            return (
                f"{type(self).__name__} resource is passed as own in this same call "
                "and cannot be used again in it"
            )
        what = "dropped" if self._status == _DROPPED else "moved into the component (passed as own)"
        return f"{type(self).__name__} resource was already {what} and cannot be used"

    def _not_live_in_call(self) -> str:
        return (
            f"{type(self).__name__} resource is passed both as borrow and as own in one call; "
            "wasm cannot take ownership of a handle it is borrowing"
        )

    @property
    def dropped(self) -> bool:
        """True once the handle was dropped or moved into the guest."""
        return self._status != _LIVE

    def _move(self) -> None:
        """Lowered as ``own``: nothing else may use it in this call."""
        self._status = _MOVING

    def _unmove(self) -> None:
        """The call that would have taken it never ran."""
        if self._status == _MOVING:
            self._status = _LIVE

    def _given_to_guest(self) -> None:
        """Mark as moved into the guest and free the host-side box (no destructor)."""
        if self._status in (_LIVE, _MOVING):
            self._status = _CONSUMED
            capi.resource_any_delete(self._handle)
            self._handle = 0

    def drop(self) -> None:
        """Run the guest's destructor for this resource. Raises if not live.

        Dropping a resource of an instance that trapped only forgets the
        handle: the instance cannot run its destructor any more."""
        handle = self._live_handle()
        state = self._state
        assert state is not None
        ss = state.ss
        prev = ss.cur
        if prev is not None:
            refuse_entry(ss, prev)
        self._status = _DROPPED
        self._handle = 0
        if state.trapped:
            capi.resource_any_delete(handle)
            return
        ss.cur = state
        try:
            err = capi.resource_any_drop(state.ctx, handle)
        finally:
            ss.cur = prev
            capi.resource_any_delete(handle)
        if err:
            if state.asynchronous and _NEEDS_ASYNC_DROP in capi.error_text(err):
                # wasmtime refused before running anything: nothing was unwound.
                capi.error_delete(err)
                raise ResourceError(ASYNC_DROP_WHY.format(type(self).__name__))
            state.fail(err)

    def __enter__(self) -> Any:
        self._live_handle()
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if self._status != _LIVE:
            return
        if exc is None:
            self.drop()
            return
        # An exception is in flight (a Trap of this instance, say): it is the
        # one the caller must see. A failing drop is only noted on it.
        try:
            self.drop()
        except Exception as drop_exc:  # noqa: BLE001
            if isinstance(exc, BaseException) and hasattr(exc, "add_note"):
                exc.add_note(
                    f"dropping {type(self).__name__} on leaving the block failed: {drop_exc}"
                )

    def __copy__(self) -> Any:
        raise TypeError(
            f"{type(self).__name__} wraps one handle of a component instance and cannot be "
            "copied (two copies would drop the handle twice); pass the wrapper itself"
        )

    def __deepcopy__(self, memo: object) -> Any:
        return self.__copy__()

    def __reduce_ex__(self, protocol: object) -> Any:
        raise TypeError(
            f"{type(self).__name__} wraps a handle of a component instance in this process and "
            "cannot be pickled; send the values it holds instead"
        )

    def __del__(self) -> None:
        # Never call into wasm from the garbage collector: free the box only.
        # The guest's handle stays allocated until the store goes away.
        try:
            if self._status in (_LIVE, _MOVING) and self._handle:
                capi.resource_any_delete(self._handle)
                self._handle = 0
        except Exception:  # pragma: no cover - interpreter shutdown
            pass

    def __repr__(self) -> str:
        status = ("live", "dropped", "consumed", "moving")[self._status]
        return f"<{type(self).__name__} {status}>"


_MISSING = object()


class HostTable:
    """The reps of one imported resource type inside one instance.

    ``objects`` maps rep -> object; ``_reps`` maps ``id(object)`` -> its reps
    (an object lowered as ``own`` twice has two), so lowering a ``borrow``
    finds the rep in O(1). An id is only meaningful while its object is alive:
    every object in ``_reps`` is also in ``objects`` (a strong reference), and
    the entry is removed together with the object's last rep, so an id can
    never be reused for another object while it is in the map.
    """

    __slots__ = ("wit_name", "type_id", "objects", "_reps", "_next", "_free")

    def __init__(self, wit_name: str, type_id: int) -> None:
        self.wit_name = wit_name
        #: The host resource type id its Linker defined the resource with.
        self.type_id = type_id
        self.objects: dict[int, Any] = {}
        self._reps: dict[int, list[int]] = {}
        self._next = 1
        self._free: list[int] = []

    def insert(self, obj: Any) -> int:
        if obj is None:
            raise TypeError(f"expected a {self.wit_name} resource object, got None")
        if self._free:
            rep = self._free.pop()
        else:
            rep = self._next
            self._next += 1
        self.objects[rep] = obj
        reps = self._reps.get(id(obj))
        if reps is None:
            self._reps[id(obj)] = [rep]
        else:
            reps.append(rep)
        return rep

    def rep_of(self, obj: Any) -> int | None:
        """A rep of an object wasm already holds a handle to, if any."""
        reps = self._reps.get(id(obj))
        return reps[-1] if reps else None

    def get(self, rep: int) -> Any:
        try:
            return self.objects[rep]
        except KeyError:
            raise ResourceError(f"unknown {self.wit_name} handle {rep}") from None

    def take(self, rep: int) -> Any:
        obj = self.get(rep)
        self.remove(rep)
        return obj

    def forget(self, rep: int) -> Any:
        """Remove ``rep``; return its object, or _MISSING (the guest dropped its
        last handle: the caller notifies the object)."""
        obj = self.objects.pop(rep, _MISSING)
        if obj is _MISSING:
            return obj
        self._free.append(rep)
        key = id(obj)
        reps = self._reps[key]
        reps.remove(rep)
        if not reps:
            del self._reps[key]
        return obj

    def remove(self, rep: int) -> None:
        self.forget(rep)


class AsyncGuestResource(GuestResource):
    """A handle to a guest resource of an instance of the async face: its
    methods are coroutines, and so is ``drop()`` (``await r.drop()``, or
    ``async with``). The drop runs the guest's destructor as an awaited call
    of a drop function the async face's wrapper exports (wasmtime's C API has
    no async resource drop)."""

    __slots__ = ()

    async def drop(self) -> None:  # type: ignore[override]
        """Run the guest's destructor for this resource. Raises if not live."""
        self._live_handle()
        state = self._state
        assert state is not None
        key = None if state.prepared is None else state.prepared.drop_keys.get(type(self))
        if key is None or state.trapped:
            GuestResource.drop(self)  # no destructor to await (or none can run)
            return
        plan = state.drop_plans.get(key)
        if plan is None:
            from .linking import BoundInstance

            bound = BoundInstance(state.store, state.handle, state, state.prepared)
            plan = state.drop_plans[key] = bound.plan(*key)
        await plan(self)  # moves the handle into the guest, which drops it
        self._status = _DROPPED

    def __enter__(self) -> Any:
        raise TypeError(
            f"{type(self).__name__} belongs to the async face: use `async with`, "
            "or `await r.drop()`"
        )

    async def __aenter__(self) -> Any:
        self._live_handle()
        return self

    async def __aexit__(self, exc_type: object, exc: object, tb: object) -> None:
        if self._status != _LIVE:
            return
        if exc is None:
            await self.drop()
            return
        try:
            await self.drop()
        except Exception as drop_exc:  # noqa: BLE001
            if isinstance(exc, BaseException) and hasattr(exc, "add_note"):
                exc.add_note(
                    f"dropping {type(self).__name__} on leaving the block failed: {drop_exc}"
                )
