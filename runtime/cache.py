"""A cache of compiled components across processes.

Compiling a large component (a componentize-py guest is ~18 MB) takes
seconds; loading wasmtime's serialized artifact takes milliseconds. So
`load_component(engine, path)` keeps `Component.serialize()` output in a
user-private folder, keyed by

- a SHA-256 of the component's bytes,
- the wasmtime version, and
- a fingerprint of the engine's configuration (the serialized artifact of a
  fixed empty component compiled by that engine, which encodes the target,
  compiler and its settings),

and reloads it with `Component.deserialize`. An entry is written with a
SHA-256 of its own bytes and is checked before wasmtime sees it: a corrupt,
truncated or stale entry is recompiled and replaced, never deserialized.

Trusting the folder: `deserialize` loads native code. Anyone who can write
the cache folder can make your process run code of their choosing, so the
folder is created private (0700) and is not used at all when it is owned by
another user or writable by group or others.

Configuration: `WBINDGEN_CACHE=0` turns the cache off; `WBINDGEN_CACHE_DIR`
chooses the folder (default `$XDG_CACHE_HOME/wbindgen/components`, else
`~/.cache/wbindgen/components`); `configure()` does the same from code.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
import threading
import weakref
from pathlib import Path

import wasmtime
from wasmtime import component as wc

__all__ = ["configure", "cache_folder", "load_component", "compile_bytes", "read_component"]

_MAGIC = b"WBGCACHE1\n"
_DIGEST = 32

_enabled: bool | None = None
_folder: Path | None = None
_fingerprints: weakref.WeakKeyDictionary[wasmtime.Engine, str] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def configure(*, enabled: bool | None = None, folder: str | os.PathLike[str] | None = None) -> None:
    """Turn the cache on or off, or move it, for this process (overrides the
    environment)."""
    global _enabled, _folder
    if enabled is not None:
        _enabled = enabled
    if folder is not None:
        _folder = Path(folder)


def _is_enabled() -> bool:
    if _enabled is not None:
        return _enabled
    return os.environ.get("WBINDGEN_CACHE", "1").strip().lower() not in ("0", "false", "no", "off")


def cache_folder() -> Path:
    if _folder is not None:
        return _folder
    env = os.environ.get("WBINDGEN_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "wbindgen" / "components"


def _private_folder() -> Path | None:
    """The cache folder, created 0700; None when it is not safe to use."""
    folder = cache_folder()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = folder.stat()
    except OSError:
        return None
    if not stat.S_ISDIR(st.st_mode):
        return None
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        return None
    if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return None
    return folder


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


def _entry_path(folder: Path, data: bytes, engine: wasmtime.Engine) -> Path:
    return folder / f"{hashlib.sha256(data).hexdigest()}-{_fingerprint(engine)}.cwasm"


def _read_entry(path: Path) -> bytes | None:
    """The serialized artifact if the entry is intact, else None."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    head = len(_MAGIC) + _DIGEST
    if len(raw) <= head or not raw.startswith(_MAGIC):
        return None
    digest, payload = raw[len(_MAGIC) : head], raw[head:]
    if hashlib.sha256(payload).digest() != digest:
        return None
    return payload


def _write_entry(path: Path, payload: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".cwasm")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(_MAGIC + hashlib.sha256(payload).digest() + payload)
        os.replace(tmp, path)  # readers see the old entry or the new, never half
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def compile_bytes(engine: wasmtime.Engine, data: bytes) -> wc.Component:
    """Compile `data` (a component binary), through the cache when enabled."""
    folder = _private_folder() if _is_enabled() and data[:4] == b"\0asm" else None
    if folder is None:
        return wc.Component(engine, data)
    entry = _entry_path(folder, data, engine)
    payload = _read_entry(entry)
    if payload is not None:
        try:
            return wc.Component.deserialize(engine, payload)
        except wasmtime.WasmtimeError:
            pass  # stale for this engine after all: recompile below
    component = wc.Component(engine, data)
    _write_entry(entry, bytes(component.serialize()))
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
