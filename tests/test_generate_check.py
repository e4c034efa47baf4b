"""The generation-time check: a model that disagrees with wasmtime's
reflection stops generation as an internal error, and nothing is written."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from support.components import ROOT
from wbindgen import cli
from wbindgen.check import ModelMismatch, check_world
from wbindgen.generate import load_world
from wbindgen_runtime import model as m

DEMO = ROOT / "examples" / "kitchen_sink.wat"


def renamed_field(world: m.World) -> m.World:
    """The kitchen sink with `point`'s second field renamed: what a reader bug
    mixing up two records would produce."""
    imports = []
    for iface in world.imports:
        types = []
        for td in iface.types:
            if td.name == "point" and isinstance(td.kind, m.RecordDef):
                x, _ = td.kind.fields
                td = dataclasses.replace(td, kind=m.RecordDef((x, m.Field("z", x.type))))
            types.append(td)
        imports.append(dataclasses.replace(iface, types=tuple(types)))
    return dataclasses.replace(world, imports=tuple(imports), _index={})


def test_model_agrees_with_wasmtime() -> None:
    world, data = load_world(DEMO)
    check_world(world, data)


def test_mismatch_names_the_path() -> None:
    world, data = load_world(DEMO)
    with pytest.raises(ModelMismatch, match=r"param 'v'|param 'p'.*fields \['x', 'z'\]"):
        check_world(renamed_field(world), data)


def test_cli_reports_internal_error_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import wbindgen.generate as gen

    real = gen.load_world

    def bad_load(path: Path) -> tuple[m.World, bytes]:
        world, data = real(path)
        return renamed_field(world), data

    monkeypatch.setattr(gen, "load_world", bad_load)
    out = tmp_path / "kitchen"
    assert cli.main([str(DEMO), "-o", str(out)]) == cli.EXIT_INTERNAL
    err = capsys.readouterr().err
    assert err.startswith("internal error: ") and "disagrees with wasmtime" in err
    assert "fields ['x', 'z']" in err
    assert not out.exists()
