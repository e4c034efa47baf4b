"""An instance's export calls: ``TypedFunc`` and the plan tables generated code indexes.

Generated methods call plans directly (``self._f[3](a, b)``): ``_f`` is a
``PlanTable``, a dict that binds an export's plan for its instance the first
time it is indexed (``__missing__``), so creating an instance costs nothing
per export; the plans themselves come from ``plans.py``.

``TypedFunc`` is the same plan as an object, for the low-level API
(``BoundInstance.func(interface, name)``): calling it runs the plan, and
``call_reference`` runs the same call through wasmtime-py's dynamic API (the
oracle of the differential tests).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .types import Func

if TYPE_CHECKING:
    from .instances import InstanceState
    from .linking import BoundInstance

__all__ = ["TypedFunc", "PlanTable"]


class TypedFunc:
    """One export of one instance, type-checked at load; calling it runs its plan.

    ``tf(*args)`` takes the parameters positionally, in WIT order;
    ``tf.fn`` is the plan itself (what generated code calls);
    ``tf.call_reference(*args)`` runs the same call through wasmtime-py's
    dynamic API."""

    __slots__ = ("name", "func_type", "fn", "lane_spec", "lane_threshold", "_bound", "_key")

    def __init__(
        self,
        bound: BoundInstance,
        key: tuple[str | None, str],
        fn: Callable[..., Any],
        func_type: Func,
        lane_spec: Any = None,
        lane_threshold: int | None = None,
    ) -> None:
        self._bound = bound
        self._key = key
        self.name = key[1]
        self.fn = fn
        self.func_type = func_type
        #: The ``LaneSpec`` of an export routed through the bulk lane, else None.
        self.lane_spec = lane_spec
        self.lane_threshold = lane_threshold

    @property
    def _state(self) -> InstanceState:
        return self._bound.state

    def __call__(self, *args: Any) -> Any:
        return self.fn(*args)

    def call_reference(self, *args: Any) -> Any:
        from .reference import call_reference

        return call_reference(self, args)

    def dynamic_func(self) -> Any:
        """wasmtime-py's ``Func`` for this export (the reference path's)."""
        return self._bound.dynamic_func(*self._key)

    def __repr__(self) -> str:
        return f"<TypedFunc {self.name}>"


class PlanTable(dict[int, Callable[..., Any]]):
    """Position in a generated module's ``_FUNCS`` -> this instance's plan, bound
    on first use."""

    __slots__ = ("_bound", "_interface", "_names", "__weakref__")

    def __init__(self, bound: BoundInstance, interface: str | None, names: tuple[str, ...]) -> None:
        super().__init__()
        self._bound = bound
        self._interface = interface
        self._names = names

    def __missing__(self, index: int) -> Callable[..., Any]:
        fn = self._bound.plan(self._interface, self._names[index])
        self[index] = fn
        return fn
