"""A host implementing the imports of the host-imports component through the
generated Protocols (mypy checks that every method is there and typed)."""

from __future__ import annotations

import sys
import time

import wasmtime
from host_imports import Err, HostImports, HostImportsImports
from host_imports.imports import blobs, logger


class Blob:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, n: int) -> bytes:
        return self.data[:n]

    def size(self) -> int:
        return len(self.data)

    def drop(self) -> None:
        print(f"host: blob of {len(self.data)} bytes dropped by the guest")


class Logger:
    def log(self, level: logger.Level, msg: str) -> None:
        print(f"guest log [{level.name}]: {msg}")

    def get_config(self, key: str) -> str | None:
        return {"greeting": "hello"}.get(key)


class Blobs:
    def blob(self, init: bytes) -> blobs.Blob:
        return Blob(init)

    def blob_merge(self, a: blobs.Blob, b: blobs.Blob) -> blobs.Blob:
        assert isinstance(a, Blob) and isinstance(b, Blob)
        return Blob(a.data + b.data)

    def fail(self, msg: str) -> int:
        if not msg:
            raise Err("empty message")
        return len(msg)


class Clock:
    def now(self) -> int:
        return time.time_ns()


def main(component: str) -> None:
    imports = HostImportsImports(logger=Logger(), blobs=Blobs(), root=Clock())
    inst = HostImports.instantiate(wasmtime.Store(), component, imports)
    print(inst.runner.run("world"))
    print(inst.runner.blob_roundtrip(b"some bytes"))
    print(inst.runner.try_fail("four"))
    print(inst.runner.stamped("now"))


if __name__ == "__main__":
    main(sys.argv[1])
