"""generated_examples/, examples/kitchen_sink.wat and the WAT plugins of
examples/plugins/ are what the generator and the builds produce today from
the example sources (components, and the plugin application's WIT):
regeneration changes no byte."""

from __future__ import annotations

import importlib.util

from support.components import ROOT, require_wasm_tools


def _regen():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("_regen", ROOT / "scripts/regen_examples.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_generated_examples_are_up_to_date(capsys) -> None:  # type: ignore[no-untyped-def]
    require_wasm_tools()
    status = _regen().main(["--check"])
    out = capsys.readouterr().out
    assert status == 0, f"run `python scripts/regen_examples.py`:\n{out}"


def test_generation_is_deterministic() -> None:
    require_wasm_tools()
    regen = _regen()
    for name in regen.NAMES:
        assert regen.generated(name) == regen.generated(name)
