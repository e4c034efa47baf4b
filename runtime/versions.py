"""Interface names and semver-compatible matching, as wasmtime's Linker does it.

wasmtime resolves an import ``a:b/c@0.2.3`` to a definition ``a:b/c@0.2.0``
(and the other way round): two versions match when they agree on the part
semver says may not change, the major version from 1.0.0 on and the minor
version below it; ``0.0.x`` versions and pre-releases match only themselves.
The bindings follow the same rule for exports and imports, so a plugin built
from a patch release of an application's WIT loads, and one built from an
incompatible release is refused with the version it has.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["split_version", "compatible", "find_compatible", "version_key"]

_SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$"
)


def split_version(name: str) -> tuple[str, str | None]:
    """``a:b/c@1.2.3`` -> (``a:b/c``, ``1.2.3``); no ``@`` -> (name, None)."""
    base, at, version = name.partition("@")
    return (base, version) if at else (name, None)


def _compat_key(version: str) -> tuple[str, ...] | None:
    """The part of ``version`` two compatible versions share (None: only itself)."""
    m = _SEMVER.match(version)
    if m is None or m.group(4):
        return None
    major, minor = m.group(1), m.group(2)
    if major != "0":
        return (major,)
    if minor != "0":
        return ("0", minor)
    return None


def compatible(a: str, b: str) -> bool:
    """Whether interface (or item) names ``a`` and ``b`` match as wasmtime's Linker matches them."""
    if a == b:
        return True
    base_a, va = split_version(a)
    base_b, vb = split_version(b)
    if base_a != base_b or va is None or vb is None:
        return False
    ka, kb = _compat_key(va), _compat_key(vb)
    return ka is not None and ka == kb


def version_key(version: str | None) -> tuple[int, int, int]:
    m = _SEMVER.match(version or "")
    if m is None:
        return (-1, -1, -1)
    return (int(m.group(1)), int(m.group(2)), int(m.group(3)))


def find_compatible(want: str, names: Iterable[str]) -> str | None:
    """The name among ``names`` that ``want`` resolves to: itself, else the newest
    compatible version."""
    best: str | None = None
    for name in names:
        if name == want:
            return name
        if compatible(want, name) and (
            best is None
            or version_key(split_version(name)[1]) > version_key(split_version(best)[1])
        ):
            best = name
    return best
