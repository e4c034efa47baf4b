"""End to end: the committed host-imports bindings, with the host side written
against the generated Protocols."""

from __future__ import annotations

import sys

import pytest
import wasmtime
from support.components import GENERATED, component
from support.wasmtime_bugs import TWO_HOST_BORROWS

sys.path.insert(0, str(GENERATED))

import host_imports as hi  # noqa: E402
import wbindgen_runtime as rt  # noqa: E402
from host_imports.imports import (  # noqa: E402
    blobs,
    logger,
    shared_types,  # noqa: E402
)


class MyBlob:
    def __init__(self, data: bytes) -> None:
        self.data = bytes(data)
        self.dropped = False

    def read(self, n: int) -> bytes:
        return self.data[:n]

    def size(self) -> int:
        return len(self.data)

    def drop(self) -> None:
        self.dropped = True


class Logger:
    def __init__(self) -> None:
        self.lines: list[tuple[logger.Level, str]] = []
        self.config: dict[str, str] = {}

    def log(self, level: logger.Level, msg: str) -> None:
        self.lines.append((level, msg))

    def get_config(self, key: str) -> str | None:
        return self.config.get(key)


class Blobs:
    def __init__(self) -> None:
        self.made: list[MyBlob] = []

    def blob(self, init: bytes) -> MyBlob:
        b = MyBlob(init)
        self.made.append(b)
        return b

    def blob_merge(self, a: blobs.Blob, b: blobs.Blob) -> MyBlob:
        assert isinstance(a, MyBlob) and isinstance(b, MyBlob)
        return self.blob(a.data + b.data)

    def fail(self, msg: str) -> int:
        if msg.startswith("err"):
            raise rt.Err(msg.upper())
        if msg == "boom":
            raise KeyError("host failure")
        return len(msg)


class Root:
    def __init__(self) -> None:
        self.t = 0

    def now(self) -> int:
        self.t += 1
        return 2**64 - self.t


@pytest.fixture
def host() -> hi.HostImportsImports:
    return hi.HostImportsImports(logger=Logger(), blobs=Blobs(), root=Root())


@pytest.fixture
def inst(host: hi.HostImportsImports) -> hi.HostImports:
    return hi.HostImports.instantiate(wasmtime.Store(), str(component("host_imports")), host)


def test_interface_functions(inst: hi.HostImports, host: hi.HostImportsImports) -> None:
    log = host.logger
    assert isinstance(log, Logger)
    assert inst.runner.run("hi") == "none hi"
    log.config["greeting"] = "hello"
    assert inst.runner.run("ünï 😀") == "hello ünï 😀"
    assert log.lines == [(logger.Level.INFO, "hi"), (logger.Level.INFO, "ünï 😀")]


def test_world_level_import_and_types_only_interface(inst: hi.HostImports) -> None:
    assert inst.runner.world_now() == 2**64 - 1
    s = inst.runner.stamped("note")
    assert s == shared_types.Stamp(2**64 - 2, "note") and type(s) is shared_types.Stamp


@pytest.mark.parametrize("data", [b"", b"abc", bytes(range(256)) * 100])
def test_imported_resource_lifecycle(inst: hi.HostImports, host: hi.HostImportsImports, data: bytes) -> None:
    b = host.blobs
    assert isinstance(b, Blobs)
    assert inst.runner.blob_roundtrip(data) == data
    assert len(b.made) == 1 and b.made[0].dropped  # drop notification reached the host


def test_host_result_ok_and_err(inst: hi.HostImports) -> None:
    assert inst.runner.try_fail("four") == 4
    with pytest.raises(rt.Err) as info:
        inst.runner.try_fail("error!")
    assert info.value.value == "ERROR!"


def test_host_exception_reaches_caller_as_itself(inst: hi.HostImports) -> None:
    with pytest.raises(KeyError, match="host failure"):
        inst.runner.try_fail("boom")


def test_host_returning_wrong_type_is_a_clear_error(host: hi.HostImportsImports) -> None:
    class BadRoot:
        def now(self) -> int:
            return "soon"  # type: ignore[return-value]

    inst = hi.HostImports.instantiate(
        wasmtime.Store(), str(component("host_imports")),
        hi.HostImportsImports(logger=host.logger, blobs=host.blobs, root=BadRoot()),
    )
    with pytest.raises(TypeError, match="now"):
        inst.runner.world_now()


@TWO_HOST_BORROWS.needs_fix
def test_static_with_two_borrows(inst: hi.HostImports) -> None:
    assert inst.runner.merged_size(b"ab", b"cde") == 5
