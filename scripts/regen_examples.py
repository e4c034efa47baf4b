"""Regenerate the committed packages in generated_examples/ from the example
components' sources (tests/components/<name>/), the packages an application
generates WIT-first (`compose_app`, and `acme_plugins` from the plugin
application's own WIT in examples/plugins/wit), and the example components
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
#: Packages generated WIT-first, as an application does it (no component
#: needed): package -> (WIT folder, world).
WIT_EXAMPLES = {
    "compose_app": ("tests/components/compose_app/wit", "app"),
    "acme_plugins": ("examples/plugins/wit", "plugin-world"),
}
NAMES = (*EXAMPLES, *WIT_EXAMPLES)
TEXT_HEADER = (
    ";; The {name} example component as text: `wasm-tools print` of the build\n"
    ";; of tests/components/{name} (WIT + core.wat). Do not edit; regenerate\n"
    ";; with `python scripts/regen_examples.py`.\n"
)
# The plugin host example (examples/plugin_host.py) runs without any build
# tool: its folder holds the WAT plugins as component text.
PLUGIN_WATS = {
    ROOT / "examples" / "plugins" / "wat_upper.wat": (
        "plugin_wat",
        ";; A plugin of the acme application (examples/plugins/wit) as component text:\n"
        ";; `wasm-tools print` of the build of tests/components/plugin_wat (the WIT +\n"
        ";; core.wat). Do not edit; regenerate with `python scripts/regen_examples.py`.\n",
    ),
    ROOT / "examples" / "plugins" / "outdated.wat": (
        "plugin_wat_old",
        ";; The same plugin built from an OLDER version of the acme WIT (the document's\n"
        ";; `body` field was `text`): the bindings refuse it before compiling it.\n"
        ";; `wasm-tools print` of the build of tests/components/plugin_wat_old. Do not\n"
        ";; edit; regenerate with `python scripts/regen_examples.py`.\n",
    ),
}


def printed(name: str, header: str) -> str:
    """The built component `name` as component text, under `header`."""
    import subprocess

    path = _build_module().build(name)
    wt = _build_module().tool("wasm-tools")
    text = subprocess.run([wt, "print", str(path)], check=True, capture_output=True, text=True)
    return header + text.stdout


def component_texts() -> dict[Path, str]:
    """The component text files of examples/ (path -> text): the README's demo
    and the composition and plugin host examples run without any build tool."""
    texts = {
        ROOT / "examples" / f"{name}.wat": printed(name, TEXT_HEADER.format(name=name))
        for name in ("kitchen_sink", "compose_app", "compose_math")
    }
    texts.update({path: printed(name, header) for path, (name, header) in PLUGIN_WATS.items()})
    return texts


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
    for name in NAMES:
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
    for path, wat in component_texts().items():
        if check:
            if not path.exists() or path.read_text() != wat:
                print(f"{path.relative_to(ROOT)}: differs")
                status = 1
        else:
            path.write_text(wat)
            print(f"regenerated {path.relative_to(ROOT)}")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
