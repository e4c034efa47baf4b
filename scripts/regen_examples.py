"""Regenerate the committed packages in generated_examples/ from the example
components' sources (tests/components/<name>/). The golden test fails when
this would change a byte.

    python scripts/regen_examples.py          # rewrite generated_examples/
    python scripts/regen_examples.py --check  # exit 1 (and print the diff) if anything differs
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "generated_examples"
EXAMPLES = ("kitchen_sink", "host_imports", "wasi_hello")
# The README's demo needs no wasm-tools: it reads the kitchen sink as text.
DEMO_WAT = ROOT / "examples" / "kitchen_sink.wat"
DEMO_HEADER = (
    ";; The kitchen-sink example component as text: `wasm-tools print` of the build\n"
    ";; of tests/components/kitchen_sink (WIT + core.wat). Do not edit; regenerate\n"
    ";; with `python scripts/regen_examples.py`.\n"
)


def demo_wat() -> str:
    import subprocess

    path = _build_module().build("kitchen_sink")
    wt = _build_module().tool("wasm-tools")
    text = subprocess.run([wt, "print", str(path)], check=True, capture_output=True, text=True)
    return DEMO_HEADER + text.stdout


def _build_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("build", ROOT / "tests/components/build.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def generated(name: str) -> dict[str, str]:
    from wbindgen.generate import generate_files

    return generate_files(_build_module().build(name), name, None)


def main(argv: list[str]) -> int:
    from wbindgen.output import diff_package, unified_diff, write_package

    check = "--check" in argv
    status = 0
    for name in EXAMPLES:
        files = generated(name)
        if check:
            diff = diff_package(OUT / name, files)
            if diff:
                print(unified_diff(OUT / name, files), end="")
            for line in diff:
                print(f"{name}/{line}")
            status |= bool(diff)
        else:
            write_package(OUT / name, files)
            print(f"regenerated generated_examples/{name} ({len(files)} files)")
    wat = demo_wat()
    if check:
        if not DEMO_WAT.exists() or DEMO_WAT.read_text() != wat:
            print(f"{DEMO_WAT.relative_to(ROOT)}: differs")
            status = 1
    else:
        DEMO_WAT.write_text(wat)
        print(f"regenerated {DEMO_WAT.relative_to(ROOT)}")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
