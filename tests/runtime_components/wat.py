"""Builders of the component-text (WAT) test components of the runtime tests.

Identity functions are written without per-type core code: each one is
``id-NAME(x: T, p0: u64, ..., p15: u64) -> T``. Seventeen parameters flatten to
more than MAX_FLAT_PARAMS (16) core values, so the caller stores the parameter
tuple in guest memory (through ``realloc``) and passes one pointer; ``x`` sits
at offset 0 of that tuple, which is exactly the memory layout of a ``T``
result. So the core function returns the same pointer when T's results are
returned through memory (more than MAX_FLAT_RESULTS = 1 flat value), or loads
the one flat value from it otherwise. A ``post-return`` resets the bump
allocator after every call, and a ``calls`` counter proves whether guest code
ran.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

PADS = 16


def realloc(export: str) -> str:
    """A bump allocator's realloc that copies on resize (wasmtime may shrink a
    string with a second call), exported as `export`."""
    return _REALLOC.replace("{export}", export)


_REALLOC = r"""
  (func $realloc (export "{export}") (param $old i32) (param $old_size i32) (param $align i32) (param $new_size i32) (result i32)
    (local $p i32)
    global.get $bump
    local.get $align i32.const 1 i32.sub i32.add
    local.get $align i32.const 1 i32.sub i32.const -1 i32.xor
    i32.and
    local.set $p
    local.get $p local.get $new_size i32.add global.set $bump
    (block $ok
      global.get $bump
      memory.size i32.const 16 i32.shl
      i32.le_u
      br_if $ok
      global.get $bump memory.size i32.const 16 i32.shl i32.sub
      i32.const 65535 i32.add i32.const 16 i32.shr_u
      memory.grow
      i32.const -1 i32.ne
      br_if $ok
      unreachable)
    (if (local.get $old)
      (then
        local.get $p
        local.get $old
        local.get $old_size local.get $new_size local.get $old_size local.get $new_size i32.lt_u select
        memory.copy))
    local.get $p)
"""

ALLOC = (
    r"""
    (memory (export "mem") 1)
    (global $bump (mut i32) (i32.const 1024))
    (global $calls (mut i32) (i32.const 0))
"""
    + textwrap.indent(realloc("realloc"), "  ")
    + r"""    (func $tick global.get $calls i32.const 1 i32.add global.set $calls)
    (func (export "calls") (result i32) global.get $calls)
    (func (export "reset-i32") (param i32) i32.const 1024 global.set $bump)
    (func (export "reset-i64") (param i64) i32.const 1024 global.set $bump)
    (func (export "reset-f32") (param f32) i32.const 1024 global.set $bump)
    (func (export "reset-f64") (param f64) i32.const 1024 global.set $bump)
    (func (export "reset") i32.const 1024 global.set $bump)
"""
)

#: core function of an identity by the flat kind of its result.
LOADS = {
    "ptr": ("i32", "local.get 0"),
    "u8": ("i32", "local.get 0 i32.load8_u"),
    "s8": ("i32", "local.get 0 i32.load8_s"),
    "u16": ("i32", "local.get 0 i32.load16_u"),
    "s16": ("i32", "local.get 0 i32.load16_s"),
    "i32": ("i32", "local.get 0 i32.load"),
    "i64": ("i64", "local.get 0 i64.load"),
    "f32": ("f32", "local.get 0 f32.load"),
    "f64": ("f64", "local.get 0 f64.load"),
}


@dataclass(frozen=True)
class Identity:
    """``id-<name>(x: <wit>, pads) -> <wit>``; ``load`` picks the core function (see LOADS)."""

    name: str
    wit: str
    load: str = "ptr"


def identity_component(
    idents: list[Identity],
    types: str = "",
    interface: str | None = None,
    extra_core: str = "",
    extra: str = "",
) -> str:
    """A component exporting the identities (world-level, or in ``interface``)."""
    core_funcs = "\n".join(
        f'    (func (export "id-{k}") (param i32) (result {rt}) call $tick {body})'
        for k, (rt, body) in LOADS.items()
    )
    pads = " ".join(f'(param "p{i}" u64)' for i in range(PADS))
    lifted = []
    for ident in idents:
        rt = LOADS[ident.load][0]
        lifted.append(
            f'  (func $id-{ident.name} (param "x" {ident.wit}) {pads} (result {ident.wit})\n'
            f'    (canon lift (core func $i "id-{ident.load}") (memory $mem) (realloc $realloc)'
            f' (post-return (core func $i "reset-{rt}"))))'
        )
    exports = "\n".join(f'  (export "id-{i.name}" (func $id-{i.name}))' for i in idents)
    if interface is not None:
        inst_exports = " ".join(f'(export "id-{i.name}" (func $id-{i.name}))' for i in idents)
        exports = f'  (instance $api {inst_exports})\n  (export "{interface}" (instance $api))'
    return f"""(component
  (core module $m
{ALLOC}
{core_funcs}
{extra_core}
  )
  (core instance $i (instantiate $m))
  (alias core export $i "mem" (core memory $mem))
  (alias core export $i "realloc" (core func $realloc))
{types}
{chr(10).join(lifted)}
  (func $calls (result u32) (canon lift (core func $i "calls")))
  (export "calls" (func $calls))
{extra}
{exports}
)
"""
