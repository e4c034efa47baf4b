"""Bindings from WIT source: `wbindgen --wit WIT -o OUT` (names, docs and the
world's name from the WIT) and `wbindgen COMPONENT --wit WIT` (the same, after
checking that the component implements the world)."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
import wasmtime
from support.components import ROOT, component
from wbindgen.cli import main
from wbindgen.generate import generate_files

KITCHEN_WIT = ROOT / "tests/components/kitchen_sink/wit"
HOST_WIT = ROOT / "tests/components/host_imports/wit"


def _generate(tmp: Path, package: str, *args: str) -> Path:
    out = tmp / "gen" / package
    assert main([*args, "-o", str(out)]) == 0
    return out


def _import(out: Path) -> ModuleType:
    sys.path.insert(0, str(out.parent))
    try:
        for name in [m for m in sys.modules if m == out.name or m.startswith(out.name + ".")]:
            del sys.modules[name]
        return importlib.import_module(out.name)
    finally:
        sys.path.remove(str(out.parent))


@pytest.fixture(scope="module")
def ks_wit(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    """The kitchen sink generated from its WIT alone."""
    return _import(
        _generate(tmp_path_factory.mktemp("wit"), "ks_from_wit", "--wit", str(KITCHEN_WIT))
    )


def test_world_name_is_the_default_class_name(ks_wit: ModuleType) -> None:
    assert ks_wit.KitchenSink.__name__ == "KitchenSink"
    assert not hasattr(ks_wit, "KsFromWit")


def test_docs_become_docstrings(ks_wit: ModuleType) -> None:
    types = importlib.import_module("ks_from_wit.imports.types")
    api = importlib.import_module("ks_from_wit.exports.api")
    assert "Shared value types, `use`d by `api`." in (types.__doc__ or "")
    assert "The functions, each an identity or a small computation." in (api.__doc__ or "")
    assert "The functions, each an identity" in (api.Api.__doc__ or "")
    assert "A point on the integer grid." in (types.Point.__doc__ or "")
    assert "Every scalar type once." in (api.AllScalars.__doc__ or "")
    assert "32 flags: exactly one i32" in (api.Many.__doc__ or "")
    assert "A guest-owned counter" in (api.Counter.__doc__ or "")
    assert "Adds `by` and returns the new value." in (api.Counter.incr.__doc__ or "")
    assert "A new counter holding `a + b`" in (api._CounterClass.merge.__doc__ or "")
    assert "`a / b`; an error when `b` is 0" in (api.Api.checked_div.__doc__ or "")
    assert "The package version, as a world-level export." in (
        ks_wit.KitchenSink.version.__doc__ or ""
    )
    # Alias and variant docstrings are attribute docstrings: read the source.
    source = inspect.getsource(types)
    assert '"""WIT type `pt`.\n\nAn alias: the bindings must keep the name `pt`.\n"""' in source
    assert "One case without payload and three with payloads" in source


def test_wit_bindings_load_the_built_component(ks_wit: ModuleType) -> None:
    api = importlib.import_module("ks_from_wit.exports.api")
    types = importlib.import_module("ks_from_wit.imports.types")
    inst = ks_wit.KitchenSink.instantiate(wasmtime.Store(), str(component("kitchen_sink")))
    assert inst.version() == "0.1.0"
    assert inst.api.add(2, 3) == 5
    assert inst.api.echo_string("héllo") == "héllo"
    assert inst.api.echo_points([types.Point(1, -2)]) == [types.Point(1, -2)]
    assert inst.api.echo_color(types.Color.BLUE_ISH) is types.Color.BLUE_ISH
    assert inst.api.checked_div(7, 2) == 3
    with pytest.raises(ks_wit.Err) as info:
        inst.api.checked_div(1, 0)
    assert isinstance(info.value.value, str)
    with inst.api.counter(5) as c:
        assert isinstance(c, api.Counter)
        assert c.incr(2) == 7


def test_wit_bindings_refuse_a_component_of_another_world(ks_wit: ModuleType) -> None:
    import wbindgen_runtime as rt

    with pytest.raises(rt.TypeCheckError):
        ks_wit.KitchenSink.instantiate(wasmtime.Store(), str(component("host_imports")))


def test_component_with_wit_takes_names_and_docs_from_wit(tmp_path: Path) -> None:
    from_component = generate_files(component("kitchen_sink"), "ks", None)
    both = generate_files(component("kitchen_sink"), "ks", None, wit=KITCHEN_WIT)
    only_wit = generate_files(None, "ks", None, wit=KITCHEN_WIT)
    assert both == only_wit
    assert both.keys() == from_component.keys()
    assert "class KitchenSink:" in both["__init__.py"]
    assert "class Ks:" in from_component["__init__.py"]
    assert "A point on the integer grid." in both["imports/types.py"]
    assert "A point on the integer grid." not in from_component["imports/types.py"]


def test_component_not_implementing_the_world_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "o" / "pkg"
    code = main([str(component("kitchen_sink")), "--wit", str(HOST_WIT), "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1
    assert "does not implement world `host-imports`" in err
    assert "the component imports 'example:kitchen/types@0.1.0', which the world does not" in err
    assert not out.exists()


def test_changed_function_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    wit = tmp_path / "wit"
    wit.mkdir()
    text = (KITCHEN_WIT / "kitchen.wit").read_text()
    (wit / "kitchen.wit").write_text(
        text.replace("add: func(a: u32, b: u32) -> u32;", "add: func(a: u32, b: u64) -> u32;")
    )
    code = main(
        [str(component("kitchen_sink")), "--wit", str(wit), "-o", str(tmp_path / "o" / "p")]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert (
        "export 'example:kitchen/api@0.1.0' function 'add': expected "
        "func(a: u32, b: u64) -> u32, found func(a: u32, b: u32) -> u32"
    ) in err


def test_check_mode_with_wit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _generate(tmp_path, "pkg", "--wit", str(KITCHEN_WIT), "--name", "Sink")
    assert "class Sink:" in (out / "__init__.py").read_text()
    assert main(["--wit", str(KITCHEN_WIT), "--name", "Sink", "-o", str(out), "--check"]) == 0
    assert main(["--wit", str(KITCHEN_WIT), "-o", str(out), "--check"]) == 2


def test_host_imports_from_wit_typecheck(tmp_path: Path) -> None:
    """Bindings from WIT with imports, resources and docs pass mypy --strict."""
    out = _generate(tmp_path, "host_from_wit", "--wit", str(HOST_WIT))
    assert "A host-owned byte buffer." in (out / "imports" / "blobs.py").read_text()
    # As in test_typing: mypy does not run the editable install's import hook.
    (tmp_path / "wbindgen_runtime").symlink_to(ROOT / "runtime", target_is_directory=True)
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "-p", out.name],
        capture_output=True, text=True, cwd=tmp_path,
        env={"MYPYPATH": f"{tmp_path}:{out.parent}", "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    errors = [
        line for line in proc.stdout.splitlines()
        if ": error:" in line and "wbindgen_runtime" not in line
    ]  # fmt: skip
    assert not errors, proc.stdout + proc.stderr


def test_features_flag_includes_unstable_items(tmp_path: Path) -> None:
    from wbindgen import cli

    src = ROOT / "tests" / "wit_sources" / "features"
    plain, fancy = tmp_path / "plain" / "everything", tmp_path / "fancy" / "everything"
    args = ["--wit", str(src), "--world", "everything"]
    assert cli.main([*args, "-o", str(plain)]) == 0
    assert cli.main([*args, "--features", "fancy", "-o", str(fancy)]) == 0
    text = lambda root: "".join(p.read_text() for p in sorted(root.rglob("*.py")))  # noqa: E731
    assert text(plain) != text(fancy)
    assert cli.main([str(ROOT / "examples" / "kitchen_sink.wat"), "--features", "x",
                     "-o", str(tmp_path / "k")]) == 1


def test_component_with_wit_accepts_what_the_loader_accepts(tmp_path: Path) -> None:
    """A componentize-py guest imports WASI its world never names (every guest
    toolchain does): `COMPONENT --wit` accepts it, as the loader links it to
    wasmtime's WASI; the bindings generated from the WIT then load it."""
    guest = component("py_guest")
    files = generate_files(
        guest, "pyg_wit", None, wit=ROOT / "tests/components/py_guest/wit", world_name="guest"
    )
    for rel, text in files.items():
        (tmp_path / "pyg_wit" / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "pyg_wit" / rel).write_text(text)
    sys.path.insert(0, str(tmp_path))
    try:
        pkg = importlib.import_module("pyg_wit")

        class Unused:
            def __getattr__(self, name: str) -> object:
                return lambda *args: None  # `version` calls no import

        fields = pkg.GuestImports.__dataclass_fields__
        imports = pkg.GuestImports(**dict.fromkeys(fields, Unused()))
        assert pkg.Guest.instantiate(wasmtime.Store(), guest, imports).version() == "0.1.0"
    finally:
        sys.path.remove(str(tmp_path))
