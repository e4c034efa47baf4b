"""The lane's one error: this component or function cannot take the lane."""

from __future__ import annotations

from ..errors import WbindgenError


class LaneUnsupportedError(WbindgenError):
    """The wrapper cannot be built (the caller then uses the plain path).

    Raised for components whose imports are not a copyable prefix, for names
    that collide with the lane's own exports, and for functions that a
    ``LaneSpec`` cannot describe.
    """
