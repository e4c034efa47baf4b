"""Helpers shared by the reader and WIT printer tests.

- the shared corpus and fixtures (tests skip with a reason when `../shared`
  is absent; wasm-tools and the rest are `support.components`'s);
- building real wit-component-shaped components from WIT sources;
- a canonical form of WIT text for comparing printed worlds.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from support.components import SHARED, require_shared, require_wasm_tools

__all__ = [
    "CORPUS",
    "JCO",
    "build_from_source",
    "build_from_wit",
    "canonical_wit",
    "require_shared",
    "require_wasm_tools",
    "root_package",
    "wasm_tools_wit",
]

HERE = Path(__file__).resolve().parent
CORPUS = SHARED / "corpus" / "wit-component"
JCO = SHARED / "fixtures" / "jco"


def build_from_wit(
    wit: str, tmp_path: Path, world: str | None = None, deps: tuple[str, ...] = ()
) -> bytes:
    """A component as wit-component makes it: a dummy core module for the
    world, embedded and wrapped (`component embed --dummy` + `component new`).
    `deps` names packages under `reader_components/deps/` the WIT uses."""
    tool = require_wasm_tools()
    wit_dir = tmp_path / "wit"
    wit_dir.mkdir(exist_ok=True)
    (wit_dir / "world.wit").write_text(wit)
    for dep in deps:
        shutil.copytree(HERE / "deps" / dep, wit_dir / "deps" / dep)
    core = tmp_path / "core.wasm"
    out = tmp_path / "component.wasm"
    embed = [tool, "component", "embed", "--dummy", str(wit_dir), "-o", str(core)]
    if world is not None:
        embed += ["-w", world]
    subprocess.run(embed, check=True, capture_output=True)
    subprocess.run(
        [tool, "component", "new", str(core), "-o", str(out)], check=True, capture_output=True
    )
    return out.read_bytes()


def build_from_source(name: str, tmp_path: Path, deps: tuple[str, ...] = ()) -> bytes:
    """`build_from_wit` of `reader_components/<name>.wit`."""
    return build_from_wit((HERE / f"{name}.wit").read_text(), tmp_path, deps=deps)


def wasm_tools_wit(path: Path, *extra: str) -> str:
    tool = require_wasm_tools()
    proc = subprocess.run(
        [tool, "component", "wit", *extra, str(path)], check=True, capture_output=True, text=True
    )
    return proc.stdout


# --------------------------------------------------------------------------
# Canonical WIT text.

# Blocks whose items are ordered by meaning; every other block (package,
# world, interface, resource) lists items in an order WIT leaves free.
_ORDERED_BLOCKS = ("record", "variant", "enum", "flags")

Item = str | tuple[str, list["Item"]]


def canonical_wit(text: str) -> list[Item]:
    """WIT text as a tree of items: whitespace and blank lines dropped,
    `use p.{a, b}` split into one item per name, and the items of each
    order-free block sorted. Every name, kind, field, case, parameter and
    result is still compared, as text."""
    lines = [line.strip() for line in text.splitlines()]
    root: list[Item] = []
    stack = [root]
    for line in lines:
        if not line or line.startswith("//"):
            continue
        if line.endswith("{"):
            children: list[Item] = []
            stack[-1].append((line, children))
            stack.append(children)
        elif line == "}":
            stack.pop()
        else:
            m = re.fullmatch(r"use (\S+)\.\{(.*)\};", line)
            if m:
                for name in m.group(2).split(","):
                    stack[-1].append(f"use {m.group(1)}.{{{name.strip()}}};")
            else:
                stack[-1].append(line)
    return _normalise(root, ordered=False)


def _normalise(items: list[Item], *, ordered: bool) -> list[Item]:
    out: list[Item] = []
    for item in items:
        if isinstance(item, tuple):
            head, children = item
            out.append((head, _normalise(children, ordered=head.split()[0] in _ORDERED_BLOCKS)))
        else:
            out.append(item)
    return out if ordered else sorted(out, key=repr)


def root_package(text: str) -> str:
    """The `package root:component; world root {...}` part of printed WIT,
    without the `package ns:pkg {...}` blocks of the interfaces it uses."""
    cut = text.find("\npackage ", 1)
    return text if cut < 0 else text[: cut + 1]
