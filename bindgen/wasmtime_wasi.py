"""What of WASI the bindings leave to wasmtime.

An imported WASI interface that wasmtime provides (`Linker.add_wasip2()`,
`add_wasi_http()`) gets no Protocol: its functions and resources are
wasmtime's. Its types still get a module where the rest of the bindings use
them, and an export passing wasmtime's own resources cannot be called from
Python at all.
"""

from __future__ import annotations

from wbindgen_runtime import model as m
from wbindgen_runtime.wasi import WasiKind, wasi_kind

from .errors import PlanError


def is_wasi(name: m.InterfaceName | None) -> bool:
    """An interface wasmtime's own WASI provides (`Linker.add_wasip2()` /
    `add_wasi_http()`): imported, it gets no Protocol. Other `wasi:` interfaces
    (`wasi:config/store`, `wasi:keyvalue/...`) are the host's, like any."""
    return name is not None and wasi_kind(str(name)) is not WasiKind.NONE


def is_wasmtimes(owner: m.Owner) -> bool:
    """An imported WASI interface: its functions and resources are wasmtime's.
    (An exported one, `wasi:cli/run`, is the component's like any export.)"""
    return owner.direction is m.Direction.IMPORT and is_wasi(owner.interface)


def wasi_owners_used(world: m.World) -> set[m.Owner]:
    """The imported WASI interfaces that need a module: those whose types
    another item uses. Such a module defines all its interface's types and
    its resources' methods, so what those use needs a module too."""
    by_owner = {i.owner: i for i in (*world.imports, *world.exports)}
    roots: list[m.Type | None] = [
        m.TypeRef(td.id) for td in world.all_types() if not is_wasmtimes(td.id.owner)
    ]
    for fns in [world.import_functions, world.export_functions] + [
        i.functions for i in (*world.imports, *world.exports) if not is_wasmtimes(i.owner)
    ]:
        for fn in fns:
            roots.extend(fn.signature_types)
    used: set[m.Owner] = set()
    while True:
        reached = world.types_reachable_from(roots)
        new = {id.owner for id in reached if is_wasmtimes(id.owner)} - used
        if not new:
            return used
        used |= new
        for owner in sorted(new, key=str):
            iface = by_owner.get(owner)
            if iface is None:
                continue
            roots.extend(m.TypeRef(td.id) for td in iface.types)
            for fn in iface.functions:
                roots.extend(fn.signature_types)


def refuse_wasmtimes_resources(
    world: m.World, name: str, functions: tuple[m.Function, ...]
) -> None:
    """An exported WASI interface (`wasi:cli/run`) is called like any export,
    unless its functions pass resources of wasmtime's WASI (`wasi:http`'s
    `incoming-handler` takes an `incoming-request`): Python cannot make or
    hold those (only wasmtime's own HTTP server can), and the interface is
    then of no use to a Python host."""
    for fn in functions:
        for id in world.types_reachable_from(fn.signature_types):
            if isinstance(world.typedef(id).kind, m.ResourceDef) and is_wasmtimes(id.owner):
                raise PlanError(
                    f"the component exports {name}, whose function `{fn.name}` passes "
                    f"the resource `{id.name}` of wasmtime's own WASI "
                    f"(`{id.owner.interface}`), which only wasmtime itself can create "
                    "or hold (its HTTP server, for `wasi:http/incoming-handler`); Python "
                    "bindings cannot call it"
                )
