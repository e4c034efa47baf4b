"""Where the repository's things are, the dev tools, and the one loader of
scripts by path.

No pytest here: the build scripts under tests/, scripts/ and benchmarks/
import this too (with `tests/` on `sys.path`). What a test does when
something is missing is decided in `support.components`.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"
# The project's shared material lives beside the clone, never inside it.
SHARED = ROOT.parent / "shared"
GENERATED = ROOT / "generated_examples"


def tool(name: str) -> str | None:
    """A console script of the dev dependencies (`wasm-tools`,
    `componentize-py`, `pyright`): next to this Python first (a venv that is
    not activated), then on PATH."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    return shutil.which(name)


def wasm_tools() -> str | None:
    return tool("wasm-tools")


def load_script(path: Path, name: str) -> ModuleType:
    """A script of the repository (`tests/components/build.py`,
    `scripts/regen_examples.py`), which is no package module, loaded by its
    path once per process under `name`."""
    loaded = sys.modules.get(name)
    if loaded is not None:
        return loaded
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    # registered first: dataclasses and pickling look their module up by name
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


def components_build() -> ModuleType:
    """tests/components/build.py: the test components built from source."""
    return load_script(TESTS / "components" / "build.py", "_wbindgen_components_build")


def lane_build() -> ModuleType:
    """tests/lane_components/build.py: the lane's test components."""
    return load_script(TESTS / "lane_components" / "build.py", "_wbindgen_lane_build")


def regen_examples() -> ModuleType:
    """scripts/regen_examples.py: what generated_examples/ should hold."""
    return load_script(ROOT / "scripts" / "regen_examples.py", "_wbindgen_regen_examples")
