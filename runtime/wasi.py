"""Which ``wasi:`` interfaces wasmtime's own WASI provides.

Every guest toolchain adds WASI imports the application's world never names
(componentize-py and componentize-js import ``wasi:io``, ``wasi:cli`` and
more). The bindings link those to wasmtime's WASI (``add_wasip2()``, and
``add_wasi_http()`` for ``wasi:http``) and treat every other ``wasi:`` import
(``wasi:config``, ``wasi:keyvalue``, ``wasi:logging``, ...: proposals that
hosts such as Spin or wasmCloud implement themselves) like any interface: the
host implements it through a Protocol.

wasmtime-py cannot list what a Linker defines, and an empty instance import
links whatever the Linker holds, so the interfaces are a table:
tests/test_wasi_table.py checks it against the installed wasmtime by linking
one real item of every interface (and fails on a release that adds or drops
one). wasmtime defines WASI 0.2 at its newest 0.2.x and its Linker matches any
``@0.2.x`` import to it (semver).
"""

from __future__ import annotations

import re
from enum import Enum

from .versions import split_version

__all__ = ["WasiKind", "wasi_kind", "WASIP2_INTERFACES", "WASI_HTTP_INTERFACES"]


class WasiKind(Enum):
    """Who provides an imported interface."""

    P2 = "wasmtime's WASI (Linker.add_wasip2)"
    HTTP = "wasmtime's WASI HTTP (Linker.add_wasi_http)"
    NONE = "not wasmtime's WASI"


#: What ``Linker.add_wasip2()`` defines (wasmtime 49-51), without versions.
WASIP2_INTERFACES = frozenset(
    {
        "wasi:cli/environment",
        "wasi:cli/exit",
        "wasi:cli/stdin",
        "wasi:cli/stdout",
        "wasi:cli/stderr",
        "wasi:cli/terminal-input",
        "wasi:cli/terminal-output",
        "wasi:cli/terminal-stdin",
        "wasi:cli/terminal-stdout",
        "wasi:cli/terminal-stderr",
        "wasi:clocks/monotonic-clock",
        "wasi:clocks/wall-clock",
        "wasi:filesystem/types",
        "wasi:filesystem/preopens",
        "wasi:io/error",
        "wasi:io/poll",
        "wasi:io/streams",
        "wasi:random/random",
        "wasi:random/insecure",
        "wasi:random/insecure-seed",
        "wasi:sockets/network",
        "wasi:sockets/instance-network",
        "wasi:sockets/tcp",
        "wasi:sockets/tcp-create-socket",
        "wasi:sockets/udp",
        "wasi:sockets/udp-create-socket",
        "wasi:sockets/ip-name-lookup",
    }
)

#: What ``Linker.add_wasi_http()`` adds.
WASI_HTTP_INTERFACES = frozenset({"wasi:http/types", "wasi:http/outgoing-handler"})


_P2_VERSION = re.compile(r"0\.2\.(0|[1-9][0-9]*)")  # a release, not a pre-release


def wasi_kind(name: str) -> WasiKind:
    """Whether wasmtime's WASI provides the interface ``name`` (``wasi:io/poll@0.2.9``)."""
    base, version = split_version(name)
    if version is None or not _P2_VERSION.fullmatch(version):
        return WasiKind.NONE
    if base in WASIP2_INTERFACES:
        return WasiKind.P2
    if base in WASI_HTTP_INTERFACES:
        return WasiKind.HTTP
    return WasiKind.NONE
