"""The caches on disk: compiled components, and a root shared with the
generated bindings of the import hook.

Compiling a large component (a componentize-py guest is ~18 MB) takes
seconds; loading wasmtime's serialized artifact takes milliseconds. So
`load_component(engine, path)` keeps `Component.serialize()` output in the
`components` section of the cache root, keyed by

- a SHA-256 of the component's bytes,
- the wasmtime version, and
- a fingerprint of the engine's configuration (the serialized artifact of a
  fixed empty component compiled by that engine, which encodes the target,
  compiler and its settings),

and reloads it with `Component.deserialize`. `deserialize` loads native code:
who can write an entry can run code in this process. What is trusted and how
is in `cachedir` (private folders, no symlinks, checksummed entries, a
size bound with least-recently-used eviction); a refused folder or entry means
compiling without the cache and one `CacheWarning`.

Configuration (the environment, or `configure()` from code, which wins):
`WBINDGEN_CACHE=0` turns the caches off; `WBINDGEN_CACHE_DIR` names the root
(default `$XDG_CACHE_HOME/wbindgen`, else `~/.cache/wbindgen`), which holds
`components/` and `bindings/`; `WBINDGEN_CACHE_MAX_BYTES` bounds the root's
entries (default 1 GiB; `512M`, `2G` and plain byte counts are accepted).
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
import weakref
from dataclasses import dataclass
from pathlib import Path

import wasmtime
from wasmtime import component as wc

from . import cachedir
from .cachedir import CacheWarning, Refused, Section

__all__ = [
    "CacheWarning",
    "Refused",
    "CacheInfo",
    "configure",
    "cache_folder",
    "max_bytes",
    "load_component",
    "compile_bytes",
    "read_component",
    "clear",
    "info",
    "DEFAULT_MAX_BYTES",
]

# 1 GiB holds the artifacts of about 30 componentize-py guests (~30 MB each,
# one more per lane wrapper) or thousands of small components: a plugin host's
# whole folder stays warm, and a busy afternoon (432 MB seen) fits without
# growing for ever.
DEFAULT_MAX_BYTES = 1 << 30

COMPONENTS = Section("components", ".cwasm", b"WBGCACHE1\n", "compiling without the cache")
BINDINGS = Section("bindings", ".bindings", b"WBGBIND1\n", "generating the bindings in memory")
SECTIONS = (COMPONENTS, BINDINGS)

_enabled: bool | None = None
_folder: Path | None = None
_max_bytes: int | None = None
_fingerprints: weakref.WeakKeyDictionary[wasmtime.Engine, str] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def configure(
    *,
    enabled: bool | None = None,
    folder: str | os.PathLike[str] | None = None,
    max_bytes: int | None = None,
) -> None:
    """Turn the caches on or off, move their root, or bound their size, for
    this process (overrides the environment). `folder` is the root: compiled
    components go to `folder/components`, bindings to `folder/bindings`."""
    global _enabled, _folder, _max_bytes
    if max_bytes is not None:
        if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1:
            raise ValueError(f"max_bytes must be a positive number of bytes, got {max_bytes!r}")
        _max_bytes = max_bytes
    if enabled is not None:
        _enabled = enabled
    if folder is not None:
        _folder = Path(folder)


def _is_enabled() -> bool:
    if not cachedir.supported():
        return False
    if _enabled is not None:
        return _enabled
    return os.environ.get("WBINDGEN_CACHE", "1").strip().lower() not in ("0", "false", "no", "off")


def cache_folder() -> Path:
    """The cache root (the folder `WBINDGEN_CACHE_DIR` names)."""
    if _folder is not None:
        return _folder
    env = os.environ.get("WBINDGEN_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "wbindgen"


_UNITS = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}
_SIZE = re.compile(r"\s*(\d+)\s*([kmgt]?)(?:i?b)?\s*", re.IGNORECASE)


def parse_size(text: str) -> int | None:
    """`1073741824`, `512M`, `1G`, `1GiB` (binary units) as bytes; None if not one."""
    m = _SIZE.fullmatch(text)
    if m is None:
        return None
    n = int(m[1]) * _UNITS[m[2].lower()]
    return n if n > 0 else None


def max_bytes() -> int:
    """The bound on the bytes of all entries under the root."""
    if _max_bytes is not None:
        return _max_bytes
    env = os.environ.get("WBINDGEN_CACHE_MAX_BYTES")
    if env is None or not env.strip():
        return DEFAULT_MAX_BYTES
    n = parse_size(env)
    if n is None:
        cachedir.warn(
            Path("WBINDGEN_CACHE_MAX_BYTES"),
            f"{env!r} is not a size (a positive byte count, or one like 512M or 2G)",
            f"using the default bound of {DEFAULT_MAX_BYTES} bytes",
        )
        return DEFAULT_MAX_BYTES
    return n


def lookup(section: Section, name: str) -> bytes | None:
    """The payload cached under `name`, if the caches are on and it can be
    trusted."""
    if not _is_enabled():
        return None
    return cachedir.get(cache_folder(), section, name)


def store(section: Section, name: str, payload: bytes) -> bool:
    """Cache `payload` under `name` (when the caches are on), keeping the root
    within its bound."""
    if not _is_enabled():
        return False
    return cachedir.put(cache_folder(), section, name, payload, max_bytes(), SECTIONS)


def _fingerprint(engine: wasmtime.Engine) -> str:
    with _lock:
        fp = _fingerprints.get(engine)
    if fp is None:
        probe = bytes(wc.Component(engine, "(component)").serialize())
        h = hashlib.sha256(wasmtime.__name__.encode())
        h.update(_wasmtime_version().encode())
        h.update(probe)
        fp = h.hexdigest()[:24]
        with _lock:
            _fingerprints[engine] = fp
    return fp


def _wasmtime_version() -> str:
    try:
        from importlib.metadata import version

        return version("wasmtime")
    except Exception:  # pragma: no cover - not installed as a distribution
        return "unknown"


def entry_name(data: bytes, engine: wasmtime.Engine) -> str:
    """The name of the compiled-component entry of `data` for `engine`."""
    return f"{hashlib.sha256(data).hexdigest()}-{_fingerprint(engine)}{COMPONENTS.suffix}"


def compile_bytes(engine: wasmtime.Engine, data: bytes) -> wc.Component:
    """Compile `data` (a component binary), through the cache when enabled."""
    if not _is_enabled() or data[:4] != b"\0asm":
        return wc.Component(engine, data)
    name = entry_name(data, engine)
    payload = lookup(COMPONENTS, name)
    if payload is not None:
        try:
            return wc.Component.deserialize(engine, payload)
        except wasmtime.WasmtimeError:
            pass  # stale for this engine after all: recompile below
    component = wc.Component(engine, data)
    store(COMPONENTS, name, bytes(component.serialize()))
    return component


def read_component(path: str | os.PathLike[str]) -> bytes:
    """The component binary at `path`; component text (`.wat`) is converted."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"\0asm":
        data = bytes(wasmtime.wat2wasm(data.decode("utf-8")))
    return data


def load_component(engine: wasmtime.Engine, path: str | os.PathLike[str]) -> wc.Component:
    """The component at `path`, compiled or loaded from the cache. Component
    text (`.wat`) is accepted and converted first."""
    return compile_bytes(engine, read_component(path))


@dataclass(frozen=True)
class CacheInfo:
    folder: Path
    enabled: bool
    max_bytes: int
    sections: dict[str, cachedir.Usage]
    refused: str | None  # why the root or a section is not used, if it is not

    @property
    def entries(self) -> int:
        return sum(u.entries for u in self.sections.values())

    @property
    def bytes(self) -> int:
        return sum(u.bytes for u in self.sections.values())


def info() -> CacheInfo:
    """Where the caches are, what they hold, their bound, and whether they
    are refused (never creates anything)."""
    root = cache_folder()
    empty = {s.name: cachedir.Usage(0, 0) for s in SECTIONS}
    enabled = _is_enabled()
    try:
        sections, refused = cachedir.usage(root, SECTIONS), None
    except FileNotFoundError:
        sections, refused = empty, None
    except cachedir.Refused as e:
        sections, refused = empty, str(e)
    if not cachedir.supported():
        refused = "this platform cannot check a folder's owner without following links"
    return CacheInfo(root, enabled, max_bytes(), sections, refused)


def clear() -> cachedir.Usage:
    """Remove every cached entry under the root (compiled components and
    bindings); the entries and bytes removed. Raises `Refused` for a
    folder that is not private: nothing is removed there."""
    try:
        return cachedir.clear(cache_folder(), SECTIONS)
    except FileNotFoundError:
        return cachedir.Usage(0, 0)
