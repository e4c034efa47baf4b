"""The compiled-component cache: reused across processes, never trusted when
corrupt or stale, off when asked, and only in a private folder."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import wasmtime
from support.components import ROOT
from wasmtime import component as wc
from wbindgen_runtime import cache

DEMO = ROOT / "examples" / "kitchen_sink.wat"


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    f = tmp_path / "cache"
    cache.configure(enabled=True, folder=f)
    yield f
    cache._folder = None
    cache._enabled = None


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.cwasm"))


def works(component: wc.Component) -> bool:
    return "example:kitchen/api@0.1.0" in component.type.exports(wasmtime.Engine())


def test_second_load_uses_the_entry(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = wasmtime.Engine()
    cache.load_component(engine, DEMO)
    (entry,) = entries(folder)
    assert folder.stat().st_mode & 0o777 == 0o700
    compiled: list[int] = []
    real = wc.Component.__init__

    def counting(self: wc.Component, *a: object) -> None:
        compiled.append(1)
        real(self, *a)  # type: ignore[arg-type]

    monkeypatch.setattr(wc.Component, "__init__", counting)
    c = cache.load_component(engine, DEMO)
    assert compiled == [] and works(c)
    assert entries(folder) == [entry]


@pytest.mark.parametrize("damage", ["flip", "truncate", "garbage-with-valid-checksum", "empty"])
def test_corrupt_or_stale_entry_is_recompiled(folder: Path, damage: str) -> None:
    engine = wasmtime.Engine()
    cache.load_component(engine, DEMO)
    (entry,) = entries(folder)
    raw = bytearray(entry.read_bytes())
    if damage == "flip":
        raw[len(raw) // 2] ^= 0xFF
    elif damage == "truncate":
        del raw[len(raw) // 3 :]
    elif damage == "garbage-with-valid-checksum":
        import hashlib

        payload = b"\x7fELF not really an artifact" * 10
        raw = bytearray(cache._MAGIC + hashlib.sha256(payload).digest() + payload)
    else:
        raw = bytearray()
    entry.write_bytes(bytes(raw))
    c = cache.load_component(engine, DEMO)
    assert works(c)
    assert cache._read_entry(entry) is not None  # replaced by a good one


def test_different_engine_settings_get_their_own_entry(folder: Path) -> None:
    cache.load_component(wasmtime.Engine(), DEMO)
    cfg = wasmtime.Config()
    cfg.cranelift_opt_level = "none"
    cache.load_component(wasmtime.Engine(cfg), DEMO)
    assert len(entries(folder)) == 2


def test_disabled_writes_nothing(folder: Path) -> None:
    cache.configure(enabled=False)
    assert works(cache.load_component(wasmtime.Engine(), DEMO))
    assert not folder.exists() or entries(folder) == []


def test_unsafe_folder_is_not_used(folder: Path) -> None:
    folder.mkdir(mode=0o777)
    os.chmod(folder, 0o777)
    assert works(cache.load_component(wasmtime.Engine(), DEMO))
    assert entries(folder) == []


def test_reused_across_processes(tmp_path: Path) -> None:
    env = dict(os.environ, WBINDGEN_CACHE_DIR=str(tmp_path / "c"), WBINDGEN_CACHE="1")
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
