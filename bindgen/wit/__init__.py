"""WIT source input: a pure-Python parser and resolver for WIT (the
component model's interface language, `WIT.md`), producing the same model
the reader (`bindgen.reader`) produces for a component of the world, plus
the doc comments and the world's name that component binaries lose.

    load_wit(path, world=None) -> model.World

`path` is a `.wit` file (its nested `package ... { }` blocks are its
dependencies) or a folder: its `*.wit` files are the root package and each
entry of its `deps/` folder (a folder of `*.wit` files or one `.wit` file)
is a dependency. Any problem is a `WitError` naming file, line, column and
the offending token.
"""

from __future__ import annotations

from pathlib import Path

from wbindgen_runtime import model as m

from .errors import Source, WitError
from .parser import parse_file
from .resolver import Package, Resolver, select_world
from .to_model import world_to_model

__all__ = ["WitError", "load_wit", "load_resolver"]


def _read(path: Path) -> Source:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise WitError(f"cannot read: {e.strerror or e}", path=path) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise WitError(f"not UTF-8 text (byte {e.start})", path=path) from None
    return Source(path, text.removeprefix("\ufeff"))


def _group(res: Resolver, files: list[Path]) -> Package | None:
    parsed = []
    for f in files:
        src = _read(f)
        parsed.append((src, parse_file(src)))
    return res.add_group(parsed)


def load_resolver(
    path: Path | str,
    *,
    features: frozenset[str] | set[str] = frozenset(),
    all_features: bool = False,
    all_comments_are_docs: bool = False,
) -> tuple[Resolver, Package | None]:
    """Parse and resolve every package under `path`; returns the resolver
    and the root package."""
    path = Path(path)
    res = Resolver(
        frozenset(features), all_features=all_features, all_comments_are_docs=all_comments_are_docs
    )
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix == ".wit" and p.is_file())
        if not files:
            raise WitError("no `*.wit` files in this folder", path=path)
        main = _group(res, files)
        deps = path / "deps"
        if deps.is_dir():
            for entry in sorted(deps.iterdir(), key=lambda p: p.name):
                if entry.is_dir():
                    dep_files = sorted(
                        p for p in entry.iterdir() if p.suffix == ".wit" and p.is_file()
                    )
                    if dep_files:
                        _group(res, dep_files)
                elif entry.suffix == ".wit":
                    _group(res, [entry])
                elif entry.suffix in (".wasm", ".wat"):
                    raise WitError(
                        "binary-encoded WIT packages in `deps/` are not supported; "
                        "use the package's `.wit` files",
                        path=entry,
                    )
    elif path.exists():
        main = _group(res, [path])
    else:
        raise WitError("no such file or folder", path=path)
    res.resolve_all()
    return res, main


def load_wit(
    path: Path | str,
    world: str | None = None,
    *,
    features: frozenset[str] | set[str] = frozenset(),
    all_features: bool = False,
    all_comments_are_docs: bool = False,
) -> m.World:
    """The model of `world` (default: the root package's only world).

    `features` enables `@unstable` items (none by default, like wasm-tools);
    `all_comments_are_docs` takes plain comments as docs too, as wasm-tools does.
    """
    res, main = load_resolver(
        path, features=features, all_features=all_features,
        all_comments_are_docs=all_comments_are_docs,
    )  # fmt: skip
    rworld = select_world(res, main, world, str(path))
    return world_to_model(rworld)
