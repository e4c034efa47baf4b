"""The bulk lane: lists with a fixed element layout cross the C API as ASCII (hex) strings.

``build_wrapper(original, lanes)`` wraps a component (nested unchanged) and adds,
per ``LaneSpec``, an export ``lane_export_name(k)`` taking and returning strings
in place of the function's top-level lists; ``LaneCall`` packs Python values into
those strings and unpacks results. See docs/lane.md.

The names below are loaded on first use: importing a generated package (which
imports the runtime) does not pay for the lane's modules until a component is
prepared.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .call import LaneCall
    from .config import DEFAULT_THRESHOLD, configure, enabled, threshold
    from .errors import LaneUnsupportedError
    from .spec import (
        ElementLayout,
        LaneParam,
        LaneSpec,
        element_layout,
        lane_export_name,
        lane_specs_for,
    )
    from .wrapper import build_wrapper

_HOME = {
    "configure": ".config",
    "enabled": ".config",
    "threshold": ".config",
    "DEFAULT_THRESHOLD": ".config",
    "build_wrapper": ".wrapper",
    "LaneCall": ".call",
    "LaneSpec": ".spec",
    "LaneParam": ".spec",
    "ElementLayout": ".spec",
    "element_layout": ".spec",
    "lane_export_name": ".spec",
    "lane_specs_for": ".spec",
    "LaneUnsupportedError": ".errors",
}

__all__ = [
    "configure",
    "enabled",
    "threshold",
    "DEFAULT_THRESHOLD",
    "build_wrapper",
    "LaneCall",
    "LaneSpec",
    "LaneParam",
    "ElementLayout",
    "element_layout",
    "lane_export_name",
    "lane_specs_for",
    "LaneUnsupportedError",
]


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(home, __name__), name)
