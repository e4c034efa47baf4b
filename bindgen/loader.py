"""An opt-in import hook: `import mycomp` finds `mycomp.wasm` on `sys.path`.

    import wbindgen.loader          # installs the hook
    import mycomp                   # generates bindings for mycomp.wasm in memory
    inst = mycomp.Mycomp.instantiate(store, mycomp.__wasm_path__)

Bindings are generated as `wbindgen mycomp.wasm -o .../mycomp` would write
them (the package name is the file's stem), kept in memory and cached on disk
by the SHA-256 of the component's bytes, so a later process imports them
without generating. The cache is the `bindings` section of the runtime's cache
root (`wbindgen_runtime.cache`): a private folder whose entries are checked
before their code runs; anything refused there is regenerated in memory with a
`CacheWarning`. A `.wasm` is only considered when no regular module or
package of that name is found first on the same `sys.path` entry.

Static types: the hook runs at import time, so mypy cannot see its output.
Generate the same package once for the type checker,
`wbindgen mycomp.wasm -o typings/mycomp`, and point mypy at it
(`mypy_path = typings`); the runtime import still uses the hook.
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from . import __version__

__all__ = ["install", "uninstall", "WasmFinder"]


def entry_name(data: bytes, package: str) -> str:
    """The bindings entry of a component's bytes under a package name."""
    from wbindgen_runtime.cache import BINDINGS

    key = hashlib.sha256(data + f"\0{package}\0{__version__}".encode()).hexdigest()
    return key + BINDINGS.suffix


def _decode(payload: bytes) -> dict[str, str] | None:
    try:
        files = json.loads(payload.decode("utf-8"))
    except ValueError:
        return None
    if isinstance(files, dict) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in files.items()
    ):
        return files
    return None


def _generated_files(path: Path, package: str) -> dict[str, str]:
    from wbindgen_runtime import cache

    from .generate import generate_files

    name = entry_name(path.read_bytes(), package)
    payload = cache.lookup(cache.BINDINGS, name)
    if payload is not None:
        files = _decode(payload)
        if files is not None:
            return files
        # Intact (its checksum holds) yet not bindings: written by something
        # else under our name; generate and replace it.
    files = generate_files(path, package, None)
    cache.store(cache.BINDINGS, name, json.dumps(files).encode("utf-8"))
    return files


class _SourceLoader(importlib.abc.Loader):
    def __init__(self, source: str, origin: str, wasm: Path) -> None:
        self.source = source
        self.origin = origin
        self.wasm = wasm

    def create_module(self, _spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return None  # the default module

    def exec_module(self, module: ModuleType) -> None:
        module.__wasm_path__ = str(self.wasm)  # type: ignore[attr-defined]
        exec(compile(self.source, self.origin, "exec"), module.__dict__)

    def get_source(self, _fullname: str) -> str:
        """The generated text, which is on no disk: `linecache` asks the
        module's loader for it, so tracebacks, `inspect` and debuggers show
        the bindings' lines."""
        return self.source


class WasmFinder(importlib.abc.MetaPathFinder):
    def __init__(self) -> None:
        # package name -> (component path, generated files)
        self.packages: dict[str, tuple[Path, dict[str, str]]] = {}

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,  # noqa: ARG002 (importlib's signature)
        target: ModuleType | None = None,  # noqa: ARG002
    ) -> importlib.machinery.ModuleSpec | None:
        top, _, rest = fullname.partition(".")
        if top not in self.packages:
            if rest or not top.isidentifier():
                return None
            wasm = self._locate(top)
            if wasm is None:
                return None
            from .errors import GenerateError, InternalError, ReaderError

            try:
                self.packages[top] = (wasm, _generated_files(wasm, top))
            except (ReaderError, GenerateError, InternalError) as e:
                raise ImportError(f"cannot generate bindings for {wasm}: {e}", name=top) from None
        wasm, files = self.packages[top]
        parts = rest.split(".") if rest else []
        as_package = "/".join([*parts, "__init__.py"])
        as_module = "/".join(parts) + ".py" if parts else None
        if as_package in files:
            rel, is_pkg = as_package, True
        elif as_module is not None and as_module in files:
            rel, is_pkg = as_module, False
        else:
            return None
        origin = f"{wasm}!{rel}"
        spec = importlib.util.spec_from_loader(
            fullname, _SourceLoader(files[rel], origin, wasm), origin=origin, is_package=is_pkg
        )
        if spec is not None and is_pkg:
            spec.submodule_search_locations = []
        return spec

    @staticmethod
    def _locate(name: str) -> Path | None:
        for entry in sys.path:
            base = Path(entry or ".")
            if (base / name / "__init__.py").exists() or (base / f"{name}.py").exists():
                return None  # a real module of that name wins
            candidate = base / f"{name}.wasm"
            if candidate.is_file():
                return candidate.resolve()
        return None


_finder: WasmFinder | None = None


def install() -> WasmFinder:
    global _finder
    if _finder is None:
        _finder = WasmFinder()
        sys.meta_path.append(_finder)
    return _finder


def uninstall() -> None:
    global _finder
    if _finder is not None:
        sys.meta_path.remove(_finder)
        _finder = None


install()
