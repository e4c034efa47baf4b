"""The bulk lane: lists with a fixed element layout cross the C API as ASCII (hex) strings.

``build_wrapper(original, lanes)`` wraps a component (nested unchanged) and adds,
per ``LaneSpec``, an export ``lane_export_name(k)`` taking and returning strings
in place of the function's top-level lists; ``LaneCall`` packs Python values into
those strings and unpacks results. See docs/lane.md.
"""

from __future__ import annotations

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
    "LaneUnsupportedError",
    "element_layout",
    "lane_export_name",
    "lane_specs_for",
]
