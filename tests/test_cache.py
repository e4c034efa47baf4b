"""The compiled-component cache: reused across processes, never trusted when
corrupt or stale, off when asked, and only in a private folder (the attacks
on that folder are in test_cache_trust.py, the size bound in
test_cache_bound.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
import wasmtime
from support.components import ROOT
from wasmtime import component as wc
from wbindgen_runtime import cache

DEMO = ROOT / "examples" / "kitchen_sink.wat"


@pytest.fixture
def root(tmp_path: Path) -> Iterator[Path]:
    f = tmp_path / "cache"
    cache.configure(enabled=True, folder=f)
    yield f
    cache._folder = None
    cache._enabled = None
    cache._max_bytes = None


def entries(root: Path) -> list[Path]:
    return sorted((root / "components").glob("*.cwasm"))


def works(component: wc.Component) -> bool:
    return "example:kitchen/api@0.1.0" in component.type.exports(wasmtime.Engine())


def test_second_load_uses_the_entry(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = wasmtime.Engine()
    cache.load_component(engine, DEMO)
    (entry,) = entries(root)
    assert root.stat().st_mode & 0o777 == 0o700
    assert (root / "components").stat().st_mode & 0o777 == 0o700
    assert entry.stat().st_mode & 0o777 == 0o600
    compiled: list[int] = []
    real = wc.Component.__init__

    def counting(self: wc.Component, *a: object) -> None:
        compiled.append(1)
        real(self, *a)  # type: ignore[arg-type]

    monkeypatch.setattr(wc.Component, "__init__", counting)
    c = cache.load_component(engine, DEMO)
    assert compiled == [] and works(c)
    assert entries(root) == [entry]


@pytest.mark.parametrize("damage", ["flip", "truncate", "garbage-with-valid-checksum", "empty"])
def test_corrupt_or_stale_entry_is_recompiled(root: Path, damage: str) -> None:
    engine = wasmtime.Engine()
    cache.load_component(engine, DEMO)
    (entry,) = entries(root)
    raw = bytearray(entry.read_bytes())
    if damage == "flip":
        raw[len(raw) // 2] ^= 0xFF
    elif damage == "truncate":
        del raw[len(raw) // 3 :]
    elif damage == "garbage-with-valid-checksum":
        import hashlib

        payload = b"\x7fELF not really an artifact" * 10
        raw = bytearray(cache.COMPONENTS.magic + hashlib.sha256(payload).digest() + payload)
    else:
        raw = bytearray()
    entry.write_bytes(bytes(raw))
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        c = cache.load_component(engine, DEMO)
    assert works(c)
    assert cache.lookup(cache.COMPONENTS, entry.name) is not None  # replaced by a good one
    said = [str(w.message) for w in seen if issubclass(w.category, cache.CacheWarning)]
    if damage == "garbage-with-valid-checksum":
        # Intact as written, refused by wasmtime: stale, not damage; quiet.
        assert said == []
    else:
        assert len(said) == 1 and str(entry) in said[0] and "checksum" in said[0], said


def test_different_engine_settings_get_their_own_entry(root: Path) -> None:
    cache.load_component(wasmtime.Engine(), DEMO)
    cfg = wasmtime.Config()
    cfg.cranelift_opt_level = "none"
    cache.load_component(wasmtime.Engine(cfg), DEMO)
    assert len(entries(root)) == 2


def test_disabled_writes_nothing(root: Path) -> None:
    cache.configure(enabled=False)
    assert works(cache.load_component(wasmtime.Engine(), DEMO))
    assert not root.exists()


def test_unsafe_folder_is_not_used(root: Path) -> None:
    root.mkdir(mode=0o777)
    os.chmod(root, 0o777)
    with pytest.warns(cache.CacheWarning, match=f"{root}: writable by group or others"):
        assert works(cache.load_component(wasmtime.Engine(), DEMO))
    assert list(root.iterdir()) == []


def test_the_root_holds_one_folder_per_cache(root: Path) -> None:
    # WBINDGEN_CACHE_DIR (and configure(folder=)) name the root; nothing is
    # ever put beside it.
    cache.load_component(wasmtime.Engine(), DEMO)
    assert sorted(p.name for p in root.iterdir()) == ["components"]
    assert sorted(p.name for p in root.parent.iterdir()) == ["cache"]
    assert cache.cache_folder() == root


def test_reused_across_processes(tmp_path: Path) -> None:
    env = dict(os.environ, WBINDGEN_CACHE_DIR=str(tmp_path / "c"), WBINDGEN_CACHE="1")
    env.pop("WBINDGEN_CACHE_MAX_BYTES", None)
    code = (
        "import sys, wasmtime; from wbindgen_runtime import cache; "
        "from wasmtime import component as wc; real = wc.Component.__init__; n = []\n"
        "def count(self, *a): n.append(1); real(self, *a)\n"
        "wc.Component.__init__ = count\n"
        f"cache.load_component(wasmtime.Engine(), {str(DEMO)!r}); print(len(n))"
    )
    first = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    second = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    # The first process compiled the component (and the engine's probe); the
    # second only compiled the probe and deserialized the component.
    assert int(first.stdout) == int(second.stdout) + 1
    assert len(list((tmp_path / "c" / "components").glob("*.cwasm"))) == 1


def test_default_root(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("WBINDGEN_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_folder() == tmp_path / "xdg" / "wbindgen"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.cache_folder() == tmp_path / "home" / ".cache" / "wbindgen"
