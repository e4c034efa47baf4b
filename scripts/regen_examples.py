"""Regenerate the committed packages in generated_examples/ from the example
components' sources (tests/components/<name>/), and the example components
kept as component text in examples/ (so the examples run without wasm-tools).
The golden test fails when this would change a byte.

    python scripts/regen_examples.py          # rewrite generated_examples/ and examples/*.wat
    python scripts/regen_examples.py --check  # exit 1 (and print the diff) if anything differs
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "generated_examples"
#: Packages generated from a built component: the package name is the component's.
EXAMPLES = ("kitchen_sink", "host_imports", "wasi_hello")
#: Packages generated WIT-first: package -> (WIT folder, world).
WIT_EXAMPLES = {
    "compose_app": ("tests/components/compose_app/wit", "app"),
}
#: Components kept as text for the examples: component -> file in examples/.
COMPONENT_TEXTS = {
    "kitchen_sink": "kitchen_sink.wat",
    "compose_app": "compose_app.wat",
    "compose_math": "compose_math.wat",
}
TEXT_HEADER = (
    ";; The {name} example component as text: `wasm-tools print` of the build\n"
    ";; of tests/components/{name} (WIT + core.wat). Do not edit; regenerate\n"
    ";; with `python scripts/regen_examples.py`.\n"
)


def component_text(name: str) -> str:
    import subprocess

    path = _build_module().build(name)
    wt = _build_module().tool("wasm-tools")
    text = subprocess.run([wt, "print", str(path)], check=True, capture_output=True, text=True)
    return TEXT_HEADER.format(name=name) + text.stdout


def _build_module():  # type: ignore[no-untyped-def]
    """tests/components/build.py, through the tests' one loader of it."""
    if str(ROOT / "tests") not in sys.path:
        sys.path.insert(0, str(ROOT / "tests"))
    from support.paths import components_build

    return components_build()


def generated(name: str) -> dict[str, str]:
    from wbindgen.generate import generate_files

    if name in WIT_EXAMPLES:
        wit, world = WIT_EXAMPLES[name]
        return generate_files(None, name, None, wit=ROOT / wit, world_name=world)
    return generate_files(_build_module().build(name), name, None)


def main(argv: list[str]) -> int:
    from wbindgen.output import diff_package, unified_diff, write_package

    check = "--check" in argv
    status = 0
    for name in (*EXAMPLES, *WIT_EXAMPLES):
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
    for name, file in COMPONENT_TEXTS.items():
        target = ROOT / "examples" / file
        text = component_text(name)
        if check:
            if not target.exists() or target.read_text() != text:
                print(f"{target.relative_to(ROOT)}: differs")
                status = 1
        else:
            target.write_text(text)
            print(f"regenerated {target.relative_to(ROOT)}")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
