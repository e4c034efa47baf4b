"""Wrong uses of the generated bindings: mypy must reject every line marked
an error marker comment (`# E` then the expected text) and nothing else."""

from __future__ import annotations

import wasmtime
from host_imports import HostImportsImports
from host_imports.imports import blobs, logger
from kitchen_sink import KitchenSink, KitchenSinkAsync
from kitchen_sink.imports.types import Point, Shape_Circle

inst = KitchenSink.instantiate(wasmtime.Store(), "k.wasm")
inst.api.add("1", 2)  # E: Argument 1 to "add" of "Api" has incompatible type "str"
inst.api.echo_pt(Point(x=1, z=2))  # E: Unexpected keyword argument "z"
inst.api.echo_shape(Shape_Circle("round"))  # E: Argument 1 to "Shape_Circle" has incompatible type "str"
inst.api.echo_string(b"bytes")  # E: incompatible type "bytes"; expected "str"
n: str = inst.api.add(1, 2)  # E: Incompatible types in assignment
inst.api.no_such_function()  # E: "Api" has no attribute "no_such_function"


class IncompleteLogger:
    # get_config is missing
    def log(self, level: logger.Level, msg: str) -> None:
        pass


class QuietBlob:
    # no drop(): it is optional, so the Protocol accepts this class
    def read(self, n: int) -> bytes:
        return b""

    def size(self) -> int:
        return 0


class WrongBlob:
    def read(self, n: str) -> bytes:  # wrong parameter type
        return b""

    def size(self) -> int:
        return 0

    def drop(self) -> None:
        pass


quiet: blobs.Blob = QuietBlob()
wrong: blobs.Blob = WrongBlob()  # E: Incompatible types in assignment (expression has type "WrongBlob", variable has type "Blob")


class Blobs:
    def blob(self, init: bytes) -> blobs.Blob:
        raise NotImplementedError

    def blob_merge(self, a: blobs.Blob, b: blobs.Blob) -> blobs.Blob:
        raise NotImplementedError

    def fail(self, msg: str) -> str:  # wrong return type
        return msg


class Clock:
    def now(self) -> int:
        return 0


HostImportsImports(
    logger=IncompleteLogger(),  # E: Argument "logger" to "HostImportsImports" has incompatible type "IncompleteLogger"
    blobs=Blobs(),  # E: Argument "blobs" to "HostImportsImports" has incompatible type "Blobs"
    root=Clock(),
)


async def async_face() -> None:
    ainst = await KitchenSinkAsync.instantiate(wasmtime.Store(), "k.wasm")
    total: int = await ainst.api.add(1, 2)
    forgot: int = ainst.api.add(1, 2)  # noqa: F841  # E: Incompatible types in assignment (expression has type "Coroutine[Any, Any, int]", variable has type "int")
    KitchenSinkAsync.instantiate(wasmtime.Store(), "k.wasm").api  # noqa: B018  # E: "Coroutine[Any, Any, KitchenSinkAsync]" has no attribute "api"
    counter = await ainst.api.counter(total)
    async with counter:
        await counter.incr(1)
    counter.incr(1) + 1  # E: Unsupported operand types for + ("Coroutine[Any, Any, int]" and "int")
    await ainst.api.add("1", 2)  # E: Argument 1 to "add" of "ApiAsync" has incompatible type "str"
