"""The command line: `wbindgen COMPONENT -o OUT [--name N] [--check]`
(`--check` prints a unified diff of what regenerating would change),
`wbindgen --wit WIT [--world W] -o OUT` (WIT source: names and docs; with a
COMPONENT too, it must implement the world), `wbindgen inspect COMPONENT` and
`wbindgen cache info|clear` (the on-disk caches of the runtime and the import
hook).

Expected failures (bad input, refused output folder, unsupported types) print
one line starting with `error:` and exit 1; a disagreement between the reader
and wasmtime is a wbindgen bug and exits 3 with `internal error:`. No
traceback is shown for either.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__

EXIT_ERROR = 1
EXIT_CHECK_DIFFERS = 2
EXIT_INTERNAL = 3


def _generate_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="wbindgen",
        description="Generate typed Python bindings for a WebAssembly component.",
        epilog="Also: `wbindgen inspect COMPONENT` prints the component's world as WIT; "
        "`wbindgen cache info|clear` shows or empties the on-disk caches.",
    )
    p.add_argument(
        "component",
        nargs="?",
        help="the component (.wasm binary or .wat text); optional with --wit",
    )
    p.add_argument(
        "--wit",
        metavar="PATH",
        help="WIT source (a .wit file or a folder with deps/): the world's names and doc "
        "comments; with a component, check that it implements the world",
    )
    p.add_argument(
        "--world",
        metavar="NAME",
        help="the world of the --wit source (default: its root package's only world)",
    )
    p.add_argument(
        "--features",
        help="comma-separated WIT features whose @unstable items to include (default: none)",
    )
    p.add_argument(
        "-o", "--out", required=True, help="output folder; its last part is the package name"
    )
    p.add_argument(
        "--name",
        help="class name of the world (default: CapWords of the WIT world's name with "
        "--wit, else of the package)",
    )
    p.add_argument(
        "--buffers",
        action="store_true",
        help="numeric lists (list<s8>..list<u64>, list<f32>, list<f64>) in function signatures "
        "come back as array.array, not list (export results, host function parameters)",
    )
    p.add_argument(
        "--check",
        action="store_true",
        help="do not write: when the files on disk differ, print a unified diff and a "
        "summary and exit 2",
    )
    p.add_argument("--version", action="version", version=f"wbindgen {__version__}")
    return p


def _inspect_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="wbindgen inspect", description="Print a component's world as WIT."
    )
    p.add_argument("component")
    return p


def _cache_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="wbindgen cache",
        description="The on-disk caches (compiled components, import-hook bindings).",
    )
    p.add_argument(
        "action",
        choices=["info", "clear"],
        help="info: folder, entries, bytes and bound; clear: remove every entry",
    )
    return p


def _mib(n: int) -> str:
    return f"{n / (1 << 20):.1f} MiB"


def _cache_command(action: str) -> int:
    from wbindgen_runtime import cache

    if action == "clear":
        try:
            removed = cache.clear()
        except cache.Refused as e:
            return _fail(f"not clearing the cache: {e}")
        print(
            f"removed {removed.entries} entries ({_mib(removed.bytes)}) from {cache.cache_folder()}"
        )
        return 0
    i = cache.info()
    print(f"folder: {i.folder}")
    for name, u in i.sections.items():
        print(f"{name}: {u.entries} entries, {_mib(u.bytes)}")
    print(
        f"total: {i.entries} entries, {_mib(i.bytes)} of a {_mib(i.max_bytes)} bound "
        f"({i.bytes} of {i.max_bytes} bytes; WBINDGEN_CACHE_MAX_BYTES)"
    )
    print(f"enabled: {'yes' if i.enabled else 'no'}")
    if i.refused is not None:
        return _fail(f"the cache is not used: {i.refused}")
    return 0


def _fail(message: str, code: int = EXIT_ERROR) -> int:
    print(f"{'internal error' if code == EXIT_INTERNAL else 'error'}: {message}", file=sys.stderr)
    return code


def main(argv: list[str] | None = None) -> int:
    from .errors import GenerateError, InternalError, OutputError, ReaderError
    from .generate import generate_files, load_world
    from .output import diff_package, unified_diff, write_package

    args_list = sys.argv[1:] if argv is None else argv
    try:
        if args_list[:1] == ["inspect"]:
            from .wit_printer import print_world

            args = _inspect_parser().parse_args(args_list[1:])
            world, _ = load_world(Path(args.component))
            sys.stdout.write(print_world(world))
            return 0
        if args_list[:1] == ["cache"]:
            return _cache_command(_cache_parser().parse_args(args_list[1:]).action)
        args = _generate_parser().parse_args(args_list)
        out = Path(args.out)
        if args.component is None and args.wit is None:
            return _fail("give a COMPONENT, or WIT source with --wit")
        files = generate_files(
            None if args.component is None else Path(args.component),
            out.name,
            args.name,
            feedback=True,
            wit=None if args.wit is None else Path(args.wit),
            world_name=args.world,
            features=frozenset(f for f in (args.features or "").split(",") if f),
            buffers=args.buffers,
        )
        if args.check:
            differences = diff_package(out, files)
            if differences:
                # The diff on stdout (to read or pipe to a file), the summary
                # on stderr after it.
                sys.stdout.write(unified_diff(out, files))
                sys.stdout.flush()
                print(f"{out}: generated bindings are out of date:", file=sys.stderr)
                for line in differences:
                    print(f"  {line}", file=sys.stderr)
                return EXIT_CHECK_DIFFERS
            print(f"{out}: up to date ({len(files)} files)")
            return 0
        write_package(out, files)
        print(f"wrote {len(files)} files to {out}")
        return 0
    except (ReaderError, GenerateError, OutputError) as e:
        return _fail(str(e))
    except InternalError as e:
        return _fail(str(e), EXIT_INTERNAL)
    except KeyboardInterrupt:
        return 130
