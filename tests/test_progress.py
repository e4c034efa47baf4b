"""Slow CLI steps say what they are doing; fast ones stay quiet."""

from __future__ import annotations

import time

import pytest
from wbindgen import progress


def test_slow_step_announces_itself(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(progress, "DELAY", 0.01)
    with progress.step("compiling big.wasm"):
        time.sleep(0.2)
    err = capsys.readouterr().err
    assert "wbindgen: compiling big.wasm..." in err and "done in" in err


def test_fast_or_disabled_step_is_quiet(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    with progress.step("quick"):
        pass
    monkeypatch.setattr(progress, "DELAY", 0.0)
    with progress.step("library use", enabled=False):
        time.sleep(0.05)
    assert capsys.readouterr().err == ""
