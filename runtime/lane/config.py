"""The lane's switch and routing threshold.

``WBINDGEN_LANE=0`` (also ``false``/``no``/``off``) turns the lane off: every
export takes the plain path and ``instantiate`` loads the original component.
``configure(enabled=..., threshold=...)`` does the same from code and overrides
the environment; both are read when a component is instantiated (instances
keep the routing they were created with).
"""

from __future__ import annotations

import os

__all__ = ["configure", "enabled", "threshold", "DEFAULT_THRESHOLD"]

#: A call takes the lane when its lane lists hold at least this many elements
#: together (measured: benchmarks/bench_lane.py, docs/lane.md).
DEFAULT_THRESHOLD = 16

_enabled: bool | None = None
_threshold: int | None = None


def configure(*, enabled: bool | None = None, threshold: int | None = None) -> None:
    """Turn the lane on or off, or move the routing threshold, for this process."""
    global _enabled, _threshold
    if enabled is not None:
        _enabled = enabled
    if threshold is not None:
        if threshold < 0:
            raise ValueError("the lane threshold is a number of elements (>= 0)")
        _threshold = threshold


def enabled() -> bool:
    if _enabled is not None:
        return _enabled
    return os.environ.get("WBINDGEN_LANE", "1").strip().lower() not in ("0", "false", "no", "off")


def threshold() -> int:
    return DEFAULT_THRESHOLD if _threshold is None else _threshold
