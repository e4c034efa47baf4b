"""The component-binary reader: `read_component(bytes) -> World`.

A pure-Python decoder of the component binary format that follows the type
index spaces, so every name in the model is the component's own WIT name
(see `sections.py` for the decoding, `world.py` for building the model).
"""

from __future__ import annotations

from ..errors import ReaderError
from ..model import World
from .opcodes import MAGIC
from .sections import read_binary
from .world import build_world

__all__ = ["ReaderError", "read_component"]


def read_component(data: bytes | bytearray | memoryview | str) -> World:
    """Read a component binary (or component text) into the world model.

    Raises ReaderError, and nothing else, for any input it cannot read.
    """
    binary = _as_binary(data)
    try:
        return build_world(read_binary(binary))
    except ReaderError:
        raise
    except RecursionError:
        raise ReaderError("types are nested too deeply", 0, unsupported=True) from None
    except Exception as e:
        raise ReaderError(f"internal error while reading ({type(e).__name__}: {e})", 0) from e


def _as_binary(data: bytes | bytearray | memoryview | str) -> bytes:
    if isinstance(data, str):
        text: str | bytes = data
    else:
        raw = bytes(data)
        if raw[:4] == MAGIC:
            return raw
        text = raw
    try:
        import wasmtime

        return bytes(wasmtime.wat2wasm(text))
    except Exception as e:  # noqa: BLE001 - wasmtime raises WasmtimeError or others
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise ReaderError(
            f"not a component binary (no \\0asm magic) and not valid component text: {first}", 0
        ) from None
