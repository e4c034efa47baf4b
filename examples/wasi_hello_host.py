"""A component that prints through WASI: stdout is granted explicitly."""

from __future__ import annotations

import sys

import wasmtime
from wasi_hello import WasiHello


def main(component: str) -> None:
    wasi = wasmtime.WasiConfig()
    wasi.inherit_stdout()  # deny by default: without this, nothing is printed
    inst = WasiHello.instantiate(wasmtime.Store(), component, wasi=wasi)
    print("returned:", inst.greet("world"))


if __name__ == "__main__":
    main(sys.argv[1])
