"""The on-disk cache root: private folders of checksummed entries, bounded.

Both caches (compiled components, generated bindings) keep their entries in a
subfolder ("section") of one root. What is read back is either native code
(`Component.deserialize`) or Python source (`exec`), so whoever can write an
entry can run code in the reading process. The rules that keep that "only
you":

- The root and each section are opened without following a symlink
  (O_NOFOLLOW) and checked on the open descriptor: a folder, owned by the
  effective user, not writable by group or others. Everything after that is
  relative to the descriptor (`dir_fd`), so renaming or replacing a folder in
  between cannot redirect a read or a write.
- An entry is opened the same way and must be a regular file owned by the
  user, not writable by group or others, starting with its section's magic and
  a SHA-256 of the rest. The checksum catches damage, not an attacker: that is
  what the ownership checks are for.
- Writes go to a fresh private temporary file, then `os.replace`: readers see
  the old entry or the new one, never half of one.
- A refused folder or entry is reported once per process with `CacheWarning`
  and treated as absent; a refused folder is never written to.

Least-recently-used bound: a hit sets the entry's times to now; after a write
the oldest entries of all sections go until the total is within the bound. The
entry just written is never evicted, and an entry larger than the whole bound
is not stored. Other processes evict at the same time: a file that vanishes
under us is a miss, never an error.

Platforms without `O_NOFOLLOW`, `dir_fd` and user ids (Windows) get no disk
cache: the checks above cannot be made there.
"""

from __future__ import annotations

import errno
import hashlib
import os
import secrets
import stat
import threading
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "CacheWarning",
    "Section",
    "Usage",
    "Refused",
    "supported",
    "get",
    "put",
    "clear",
    "usage",
    "seal",
]

_DIGEST = 32
_TMP = ".tmp-"
_STALE_TMP_SECONDS = 3600.0  # a writer killed mid-write leaves one behind


class CacheWarning(UserWarning):
    """A cache folder or entry was refused (not private, a symlink, damaged) or
    a cache setting is invalid; the program goes on without that cache entry."""


class Refused(Exception):
    """A folder or entry that must not be trusted; `str()` says why."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


@dataclass(frozen=True)
class Section:
    """One cache's subfolder of the root and the format of its entries."""

    name: str
    suffix: str
    magic: bytes
    fallback: str  # what the program does instead, for the warning


@dataclass(frozen=True)
class Usage:
    entries: int
    bytes: int


def supported() -> bool:
    """Whether this platform has what the checks need."""
    return (
        hasattr(os, "O_NOFOLLOW")
        and hasattr(os, "O_DIRECTORY")
        and hasattr(os, "geteuid")
        # os.replace is os.rename with another error on an existing target;
        # the set lists the function object rename only.
        and {os.open, os.rename, os.unlink, os.mkdir, os.stat} <= os.supports_dir_fd
        and {os.scandir, os.utime} <= os.supports_fd
    )


# Absent on Windows, where supported() is false and none of this runs.
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _NOFOLLOW | _CLOEXEC
# O_NONBLOCK: a FIFO planted under an entry's name must not hang the reader.
_READ_FLAGS = os.O_RDONLY | _NOFOLLOW | _CLOEXEC | getattr(os, "O_NONBLOCK", 0)
_WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC

_warned: set[tuple[str, str]] = set()
_warned_lock = threading.Lock()


def warn(path: Path, reason: str, fallback: str) -> None:
    """One `CacheWarning` per folder and reason in a process."""
    with _warned_lock:
        if (str(path), reason) in _warned:
            return
        _warned.add((str(path), reason))
    warnings.warn(
        f"wbindgen: not using the cache at {path}: {reason}; {fallback} "
        "(see 'Caches and trust' in the guide)",
        CacheWarning,
        stacklevel=4,
    )


def _check(path: Path, st: os.stat_result, want_dir: bool) -> None:
    if want_dir and not stat.S_ISDIR(st.st_mode):
        raise Refused(path, "not a folder")
    if not want_dir and not stat.S_ISREG(st.st_mode):
        raise Refused(path, "not a regular file")
    if st.st_uid != os.geteuid():
        raise Refused(path, f"owned by uid {st.st_uid}, not by this user (uid {os.geteuid()})")
    if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise Refused(path, f"writable by group or others (mode {stat.S_IMODE(st.st_mode):04o})")


def _what_is(name: str | os.PathLike[str], parent: int | None) -> str:
    try:
        st = os.stat(name, dir_fd=parent, follow_symlinks=False)
    except OSError:
        return "not a folder"
    return "a symbolic link" if stat.S_ISLNK(st.st_mode) else "not a folder"


def _open_dir(path: Path, name: str | os.PathLike[str], parent: int | None, create: bool) -> int:
    """A descriptor of the checked folder; Refused, or FileNotFoundError when it
    is absent and `create` is false."""
    for attempt in (0, 1):
        try:
            fd = os.open(name, _DIR_FLAGS, dir_fd=parent)
        except FileNotFoundError:
            if not create or attempt:
                raise
            try:
                if parent is None:
                    # Above the root: ordinary folders such as ~/.cache.
                    os.makedirs(path.parent, exist_ok=True)
            except OSError as e:
                raise Refused(path, f"cannot be created ({e.strerror or e})") from None
            try:
                os.mkdir(name, 0o700, dir_fd=parent)
            except FileExistsError:
                pass  # another process made it first: check theirs like any other
            except OSError as e:
                raise Refused(path, f"cannot be created ({e.strerror or e})") from None
            continue
        except OSError as e:
            if e.errno in (errno.ELOOP, errno.ENOTDIR):
                # With O_DIRECTORY, Linux says ENOTDIR for a link to a folder.
                raise Refused(path, _what_is(name, parent)) from None
            raise Refused(path, f"cannot be opened ({e.strerror})") from None
        try:
            _check(path, os.fstat(fd), want_dir=True)
        except BaseException:
            os.close(fd)
            raise
        return fd
    raise AssertionError("unreachable")  # pragma: no cover


class _Folder:
    """A checked folder, held open: names inside it resolve against `fd`."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self.fd = fd

    def close(self) -> None:
        os.close(self.fd)

    def read(self, name: str, magic: bytes) -> bytes | None:
        """The verified payload of entry `name`, None when absent; Refused
        when it is there but not to be trusted. A hit marks it used now."""
        path = self.path / name
        try:
            fd = os.open(name, _READ_FLAGS, dir_fd=self.fd)
        except FileNotFoundError:
            return None
        except OSError as e:
            if e.errno == errno.ELOOP:
                raise Refused(path, "a symbolic link") from None
            raise Refused(path, f"cannot be opened ({e.strerror})") from None
        with open(fd, "rb", closefd=True) as f:
            _check(path, os.fstat(fd), want_dir=False)
            raw = f.read()
            payload = unseal(raw, magic)
            if payload is None:
                raise Refused(path, "damaged or altered (its checksum does not match its content)")
            try:
                os.utime(fd)
            except OSError:
                pass  # the order of eviction is a hint, never a reason to fail
        return payload

    def write(self, name: str, data: bytes) -> bool:
        tmp = f"{_TMP}{os.getpid()}-{secrets.token_hex(6)}"
        try:
            fd = os.open(tmp, _WRITE_FLAGS, 0o600, dir_fd=self.fd)
        except OSError:
            return False
        try:
            with open(fd, "wb", closefd=True) as f:
                f.write(data)
            os.replace(tmp, name, src_dir_fd=self.fd, dst_dir_fd=self.fd)
            return True
        except OSError:
            self.unlink(tmp)
            return False

    def unlink(self, name: str) -> int:
        """The bytes freed by removing `name` (0 when someone else was first)."""
        try:
            size = os.stat(name, dir_fd=self.fd, follow_symlinks=False).st_size
            os.unlink(name, dir_fd=self.fd)
        except OSError:
            return 0
        return size

    def scan(self) -> Iterator[tuple[str, os.stat_result]]:
        """Names and lstat of what is in the folder now (vanished files skipped)."""
        try:
            it = os.scandir(self.fd)
        except OSError:
            return
        with it:
            for e in it:
                try:
                    yield e.name, e.stat(follow_symlinks=False)
                except OSError:
                    continue


def seal(payload: bytes, magic: bytes) -> bytes:
    """An entry's bytes: magic, SHA-256 of the payload, payload."""
    return magic + hashlib.sha256(payload).digest() + payload


def unseal(raw: bytes, magic: bytes) -> bytes | None:
    head = len(magic) + _DIGEST
    if len(raw) <= head or not raw.startswith(magic):
        return None
    payload = raw[head:]
    if hashlib.sha256(payload).digest() != raw[len(magic) : head]:
        return None
    return payload


def _open_root(root: Path, create: bool) -> _Folder:
    return _Folder(root, _open_dir(root, root, None, create))


def _open_section(root: _Folder, section: Section, create: bool) -> _Folder:
    path = root.path / section.name
    return _Folder(path, _open_dir(path, section.name, root.fd, create))


def _open_both(root: Path, section: Section, create: bool) -> tuple[_Folder, _Folder] | None:
    """The checked root and section, or None: absent (and not to be created)
    or refused (warned)."""
    try:
        top = _open_root(root, create)
    except FileNotFoundError:
        return None
    except Refused as e:
        warn(e.path, e.reason, section.fallback)
        return None
    try:
        return top, _open_section(top, section, create)
    except FileNotFoundError:
        pass
    except Refused as e:
        warn(e.path, e.reason, section.fallback)
    top.close()
    return None


def get(root: Path, section: Section, name: str) -> bytes | None:
    """The payload of a trusted, intact entry, else None (with a warning when
    something was refused)."""
    opened = _open_both(root, section, create=False)
    if opened is None:
        return None
    top, folder = opened
    top.close()
    try:
        return folder.read(name, section.magic)
    except Refused as e:
        warn(e.path, e.reason, f"{section.fallback}; the entry will be replaced")
        return None
    finally:
        folder.close()


def put(
    root: Path,
    section: Section,
    name: str,
    payload: bytes,
    bound: int,
    sections: tuple[Section, ...],
) -> bool:
    """Store an entry (replacing whatever is under its name), then evict the
    least recently used entries of `sections` beyond `bound` bytes. False when
    nothing was stored: a refused folder (warned), a full disk, an entry larger
    than the bound."""
    data = seal(payload, section.magic)
    if len(data) > bound:
        return False
    opened = _open_both(root, section, create=True)
    if opened is None:
        return False
    top, folder = opened
    try:
        try:
            written = folder.write(name, data)
        finally:
            folder.close()
        if written:
            _evict(top, sections, bound, keep=(section.name, name))
        return written
    finally:
        top.close()


def _entries(folder: _Folder, section: Section, now: float) -> Iterator[tuple[str, os.stat_result]]:
    for name, st in folder.scan():
        if not stat.S_ISREG(st.st_mode):
            continue
        if name.startswith(_TMP):
            if now - st.st_mtime > _STALE_TMP_SECONDS:
                folder.unlink(name)
            continue
        if name.endswith(section.suffix):
            yield name, st


def _open_existing(top: _Folder, sections: tuple[Section, ...]) -> list[tuple[Section, _Folder]]:
    opened = []
    for s in sections:
        try:
            opened.append((s, _open_section(top, s, create=False)))
        except FileNotFoundError:
            continue
        except Refused as e:
            warn(e.path, e.reason, s.fallback)
    return opened


def _evict(top: _Folder, sections: tuple[Section, ...], bound: int, keep: tuple[str, str]) -> None:
    opened = _open_existing(top, sections)
    try:
        now = time.time()
        found = [
            (st.st_mtime_ns, s.name, name, st.st_size, folder)
            for s, folder in opened
            for name, st in _entries(folder, s, now)
        ]
        total = sum(f[3] for f in found)
        for _, sname, name, size, folder in sorted(found, key=lambda f: f[:3]):
            if total <= bound:
                break
            if (sname, name) == keep:
                continue
            folder.unlink(name)
            total -= size  # gone, by us or by a process evicting beside us
    finally:
        for _, folder in opened:
            folder.close()


def usage(root: Path, sections: tuple[Section, ...]) -> dict[str, Usage]:
    """Entries and bytes per section. Raises Refused for a refused root;
    FileNotFoundError when there is no cache yet."""
    top = _open_root(root, create=False)
    try:
        result = {s.name: Usage(0, 0) for s in sections}
        opened = []
        for s in sections:
            try:
                opened.append((s, _open_section(top, s, create=False)))
            except FileNotFoundError:
                continue
        try:
            now = time.time()
            for s, folder in opened:
                sizes = [st.st_size for _, st in _entries(folder, s, now)]
                result[s.name] = Usage(len(sizes), sum(sizes))
        finally:
            for _, folder in opened:
                folder.close()
        return result
    finally:
        top.close()


def clear(root: Path, sections: tuple[Section, ...]) -> Usage:
    """Remove every file of the sections (entries, leftovers of older versions,
    temporary files of writers that died); folders and the temporary files of
    writes in progress stay. Raises Refused (nothing is
    removed from a folder that is not private) and FileNotFoundError."""
    top = _open_root(root, create=False)
    try:
        opened = []
        try:
            for s in sections:
                try:
                    opened.append(_open_section(top, s, create=False))
                except FileNotFoundError:
                    continue
            entries = freed = 0
            now = time.time()
            for folder in opened:
                for name, st in list(folder.scan()):
                    if not (stat.S_ISREG(st.st_mode) or stat.S_ISLNK(st.st_mode)):
                        continue
                    if name.startswith(_TMP):
                        # Another process's write in flight; stale ones go.
                        if now - st.st_mtime > _STALE_TMP_SECONDS:
                            folder.unlink(name)
                        continue
                    freed += folder.unlink(name)
                    entries += 1
            return Usage(entries, freed)
        finally:
            for folder in opened:
                folder.close()
    finally:
        top.close()
