"""The generator's pipeline: read, check against wasmtime, plan, render.

bytes --reader--> model --check--> model --planner--> plan --templates--> files
"""

from __future__ import annotations

import keyword
from pathlib import Path

from wbindgen_runtime import model as m

from . import naming, progress
from .check import check_world
from .errors import GenerateError, InternalError, ModelMismatch, PlanError, ReaderError
from .plan import plan_package
from .render import format_python, render


def read_input(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise GenerateError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise GenerateError(f"{path}: is a folder, not a component") from None
    except OSError as e:
        raise GenerateError(f"{path}: cannot read: {e.strerror or e}") from None
    return data


def load_world(path: Path) -> tuple[m.World, bytes]:
    """The component's world and its binary (component text is converted)."""
    from wbindgen_runtime.reader import read_component

    data = to_binary(path, read_input(path))
    try:
        return read_component(data), data
    except ReaderError as e:
        raise GenerateError(f"{path}: {e}") from None


def to_binary(path: Path, data: bytes) -> bytes:
    """Component text becomes a binary through wasmtime's `wat2wasm`; anything
    else goes to the reader as it is, which says what is wrong with it."""
    if data[:4] == b"\0asm":
        return data
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return data
    if not text.lstrip().startswith(("(", ";;")):
        return data
    import wasmtime

    try:
        return bytes(wasmtime.wat2wasm(text))
    except Exception as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise GenerateError(f"{path}: invalid component text: {first}") from None


def check_package_name(package: str) -> None:
    if not package.isidentifier() or keyword.iskeyword(package):
        raise GenerateError(
            f"package name {package!r} (the last part of -o) is not a Python identifier"
        )


def default_class_name(package: str) -> str:
    return naming.cap_words(package.replace("_", "-").lower()) or "World"


def load_wit_world(
    wit: Path, world_name: str | None, features: frozenset[str] = frozenset()
) -> m.World:
    """The model of a world from WIT source (`--wit`), docs and name included;
    `features` enables the `@unstable(feature = ...)` items they name."""
    from .wit import WitError, load_wit

    try:
        return load_wit(wit, world_name, features=features)
    except WitError as e:
        raise GenerateError(str(e)) from None


def generate_files(
    path: Path | None,
    package: str,
    class_name: str | None,
    *,
    feedback: bool = False,
    wit: Path | None = None,
    world_name: str | None = None,
    features: frozenset[str] = frozenset(),
    buffers: bool = False,
) -> dict[str, str]:
    """The generated package's files (relative path -> text). With `feedback`,
    steps that take over a second say so on stderr (the CLI's choice);
    `buffers`: numeric lists in signatures come back as `array.array`.

    With `wit`, names and docs come from the WIT world (`world_name`, or the
    root package's only world), whose name is the default class name; a
    component given as well must implement that world."""
    check_package_name(package)
    if class_name is not None and (not class_name.isidentifier() or keyword.iskeyword(class_name)):
        raise GenerateError(f"--name {class_name!r} is not a Python identifier")
    if wit is not None:
        wit_world = load_wit_world(wit, world_name, features)
        if path is not None:
            from .errors import WorldMismatch
            from .wit.conform import check_component_matches

            component_world = _checked_component(path, feedback)
            try:
                check_component_matches(component_world, wit_world)
            except WorldMismatch as e:
                raise GenerateError(
                    f"{path} does not implement world `{wit_world.name}` of {wit}: {e}"
                ) from None
        default = naming.cap_words(wit_world.name) if wit_world.name else None
        with progress.step("rendering the bindings", enabled=feedback):
            return render_world(
                wit_world,
                package,
                class_name or default or default_class_name(package),
                source="WIT",  # a component given too was only checked against it
                buffers=buffers,
            )
    if path is None:
        raise GenerateError("give a component, or WIT source with --wit")
    if world_name is not None or features:
        raise GenerateError("--world and --features apply to WIT given with --wit")
    world = _checked_component(path, feedback)
    with progress.step("rendering the bindings", enabled=feedback):
        return render_world(
            world, package, class_name or default_class_name(package), buffers=buffers
        )


def _checked_component(path: Path, feedback: bool) -> m.World:
    """The reader's model of the component, checked against wasmtime."""
    with progress.step(f"reading {path.name}", enabled=feedback):
        world, data = load_world(path)
    try:
        with progress.step(
            f"compiling {path.name} ({len(data) / 1e6:.1f} MB) with wasmtime to check the model",
            enabled=feedback,
        ):
            check_world(world, data)
    except ModelMismatch as e:
        raise InternalError(
            f"{path}: the reader's model disagrees with wasmtime ({e}); "
            "nothing was generated. Please report this as a wbindgen bug."
        ) from None
    except Exception as e:  # wasmtime could not compile what the reader accepted
        raise GenerateError(
            f"{path}: wasmtime cannot compile this component: {one_line(str(e))}"
        ) from None
    return world


def one_line(message: str) -> str:
    """wasmtime's error with its chain of causes (`Caused by:` then `0: ...`
    lines) as one line, outermost first: a refusal is one `error:` line."""
    parts = []
    for line in message.splitlines():
        line = line.strip()
        if not line or line == "Caused by:":
            continue
        head, sep, rest = line.partition(": ")
        parts.append(rest if sep and head.isdigit() else line)
    return ": ".join(parts)


def render_world(
    world: m.World,
    package: str,
    class_name: str,
    *,
    source: str = "a WebAssembly component",
    buffers: bool = False,
) -> dict[str, str]:
    """The files of the package; `source` says in each file's header what the
    bindings were generated from."""
    try:
        plan = plan_package(world, package, class_name, buffers=buffers)
    except PlanError as e:
        raise GenerateError(str(e)) from None
    files: dict[str, str] = {}
    for mod in plan.modules:
        rel = "/".join(mod.path)
        text = render("module.jinja", mod=mod, world=plan.world, source=source)
        files[rel] = format_python(text, rel)
    files["py.typed"] = ""
    return dict(sorted(files.items()))
