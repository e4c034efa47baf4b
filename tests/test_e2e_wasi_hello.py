"""End to end: a component importing WASI, linked to wasmtime's own WASI."""

from __future__ import annotations

import sys
from pathlib import Path

import wasmtime
from support.components import GENERATED, component

sys.path.insert(0, str(GENERATED))

import wasi_hello as wh  # noqa: E402


def test_prints_through_configured_stdout(tmp_path: Path) -> None:
    out = tmp_path / "stdout.txt"
    cfg = wasmtime.WasiConfig()
    cfg.stdout_file = str(out)
    inst = wh.WasiHello.instantiate(wasmtime.Store(), str(component("wasi_hello")), wasi=cfg)
    assert inst.greet("wörld") == "hello, wörld"
    assert out.read_text(encoding="utf-8") == "hello, wörld\n"


def test_deny_by_default_grants_no_stdio(capfd) -> None:  # type: ignore[no-untyped-def]
    inst = wh.WasiHello.instantiate(wasmtime.Store(), str(component("wasi_hello")))
    assert inst.greet("nobody") == "hello, nobody"
    captured = capfd.readouterr()
    assert "hello, nobody" not in captured.out
