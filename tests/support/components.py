"""What tests share: where things are (from `support.paths`), the test
components built from the repo's sources (tests/components/build.py), and one
rule for what is missing.

What `pip install -e '.[dev]'` installs (wasm-tools, componentize-py,
pyright, hypothesis, dask) is required: without it a test fails and says how
to install it. Only what pip cannot install may be absent, and a test that
needs it skips saying why: `../shared` beside the clone, npm's
componentize-js, a second Python.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .paths import GENERATED, ROOT, SHARED, TESTS, components_build, tool, wasm_tools

__all__ = [
    "GENERATED",
    "ROOT",
    "SHARED",
    "TESTS",
    "build_module",
    "component",
    "require_shared",
    "require_tool",
    "require_wasm_tools",
    "wasm_tools",
]

#: tests/components/build.py, loaded once.
build_module = components_build()


def require_tool(name: str) -> str:
    """The dev dependency's console script `name`; its absence fails the test."""
    exe = tool(name)
    if exe is None:
        pytest.fail(
            f"{name} is not installed: it is a dev dependency (pip install -e '.[dev]')",
            pytrace=False,
        )
    return exe


def require_wasm_tools() -> str:
    return require_tool("wasm-tools")


def component(name: str) -> Path:
    """The built example component `name` (fails without the tool it needs)."""
    src = ROOT / "tests/components" / name
    if (src / "core.wat").exists():
        require_wasm_tools()
    elif (src / "app.py").exists():
        require_tool("componentize-py")
    return Path(build_module.build(name))


def require_shared(path: Path = SHARED) -> Path:
    """`path` under `../shared` (the shared fixtures beside the clone, which
    pip cannot install): the test skips, saying so, when it is absent."""
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared fixtures live beside the clone)")
    return path
