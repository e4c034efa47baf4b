"""The imports of generated modules, and the aliases they bind.

Generated code names every module it uses through an underscore alias
(`_typing.cast`, `_rt.Ok`, `_t.Func`), which no WIT name can shadow. This
table owns those aliases: the planner asks a module plan to `use` an entry
and writes what it returns; the templates spell the same aliases literally,
and `Planner.template_imports` declares the entries they need.
"""

from __future__ import annotations

from dataclasses import dataclass

# Import groups, in the order a module lists them (a blank line between).
_STDLIB, _RUNTIME, _PACKAGE = 0, 1, 2
_RUNTIME_TOPS = ("wasmtime", "wbindgen_runtime")


@dataclass(frozen=True)
class Import:
    """`import module as alias`, or with `name`: `from module import name as
    alias` (`module` is relative, `.` or `..imports`, for the package's own)."""

    module: str
    alias: str
    name: str | None = None

    @property
    def line(self) -> str:
        if self.name is None:
            return f"import {self.module} as {self.alias}"
        return f"from {self.module} import {self.name} as {self.alias}"

    @property
    def group(self) -> int:
        if self.module.startswith("."):
            return _PACKAGE
        return _RUNTIME if self.module.split(".")[0] in _RUNTIME_TOPS else _STDLIB

    @property
    def sort_key(self) -> tuple[str, bool, str]:
        # by module, `import` before `from` of the same module
        return (self.module, self.name is not None, self.line)


BUILTINS = Import("builtins", "_builtins")
DATACLASSES = Import("dataclasses", "_dataclasses")
ENUM = Import("enum", "_enum")
OS = Import("os", "_os")
TYPING = Import("typing", "_typing")
WASMTIME = Import("wasmtime", "_wasmtime")
WASMTIME_COMPONENT = Import("wasmtime.component", "_wasmtime_component")
RT = Import("wbindgen_runtime", "_rt")
T = Import("wbindgen_runtime", "_t", name="types")
BUFFERS = Import("wbindgen_runtime", "_buffers", name="buffers")
# Re-exported at the top of every package under their own names (the
# contract's `from pkgname import Err`).
ERR = Import("wbindgen_runtime", "Err", name="Err")
OK = Import("wbindgen_runtime", "Ok", name="Ok")
SOME = Import("wbindgen_runtime", "Some", name="Some")


def package_module(dotted: str, depth: int, alias: str) -> Import:
    """The package's own module `dotted` (`imports.logger`), imported by a
    module `depth` folders below the package's root under `alias`."""
    rel = "." * (depth + 1)
    parent, _, leaf = dotted.rpartition(".")
    return Import(f"{rel}{parent}", alias, name=leaf)


def import_lines(imports: set[Import]) -> list[str]:
    """The import statements, grouped (standard library, wasmtime and the
    runtime, the package's own) and sorted within each group."""
    lines: list[str] = []
    for group in (_STDLIB, _RUNTIME, _PACKAGE):
        chunk = sorted((i for i in imports if i.group == group), key=lambda i: i.sort_key)
        if chunk and lines:
            lines.append("")
        lines.extend(i.line for i in chunk)
    return lines
