"""A component whose every name is hostile to generated Python.

WIT source (every identifier `%`-escaped) plus a hand-written core module
that follows wit-component's names, built with `wasm-tools component embed`
and `component new`. Each exported function is an identity: it takes
``x: T`` and sixteen ``u64`` pads (seventeen parameters spill to memory, see
tests/runtime_components/wat.py) and returns ``x``; the core function
returns the pointer to the spilled parameters, or loads the one flat value.
The pads are hostile parameter names too, so keyword calls are exercised.

Builtins used in annotations (`bytes`, `list`, `str`, `int`, `float`, `tuple`) name
functions, fields, parameters, methods, an exported interface and a
world-level export, and keep those names.

Also: an exported resource whose methods are named like the wrapper's own
API (`drop`, `dropped`), an imported resource named like the interface's
`Host` Protocol, a static function and a free function that map to the same
Host method name, and case classes that might collide after conversion.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import tempfile
from pathlib import Path

from runtime_components.wat import realloc

# Python keywords, soft keywords, builtins, names of generated internals and
# of the runtime's API: every one a valid WIT identifier once `%`-escaped.
HOSTILE = [
    "match", "case", "type", "list", "int", "print", "object", "str", "bytes",
    "self", "cls", "value", "name", "drop", "dropped", "instantiate", "host",
    "some", "ok", "err", "none", "true", "false", "class", "def", "import",
    "from", "lambda", "async", "await", "yield", "return", "pass", "global",
    "typing", "dataclasses", "enum", "annotations", "bool", "float", "dict",
    "tuple", "super", "exec", "eval", "os", "rt", "t", "funcs", "bound", "f",
    "with", "is", "not", "and", "or", "del", "try", "while", "for", "in",
    "raise", "assert", "break", "continue", "finally", "except", "elif",
    "else", "if", "nonlocal", "mro", "init", "slots", "protocol", "store",
    "bytearray", "memoryview", "id",
]  # fmt: skip

PADS = [
    "cls", "type", "match", "case", "list", "bytes", "tuple", "value", "name",
    "drop", "instantiate", "host", "lambda", "class", "str", "bound",
]  # fmt: skip


def p(name: str) -> str:
    return f"%{name}"


def pads_wit() -> str:
    return ", ".join(f"%{n}: u64" for n in PADS)


# name -> (WIT type, load kind of the core identity, Python test value maker name)
# Types are defined in the `match` interface below.
FUNCS: dict[str, tuple[str, str]] = {
    "match": ("%self", "ptr"),
    "case": ("%type", "ptr"),
    "class": ("%list", "u8"),
    "cls": ("%int", "u8"),
    "print": ("foo-bar", "ptr"),
    "object": ("foo", "ptr"),
    "instantiate": ("%some", "ptr"),
    "drop": ("%ok", "ptr"),
    "dropped": ("%none", "u8"),
    "host": ("%true", "ptr"),
    "str": ("string", "ptr"),
    "bytes": ("list<u8>", "ptr"),
    "tuple": ("list<string>", "ptr"),
    "float": ("f64", "f64"),
    "value": ("option<option<%list>>", "ptr"),
    "name": ("result<%self, %type>", "ptr"),
    "err": ("tuple<%list, %int>", "ptr"),
}


def interface_wit() -> str:
    fields = ", ".join(
        f"%{n}: u8" for n in HOSTILE if n not in ("self", "cls", "value", "list", "str")
    )
    funcs = "\n".join(
        f"  %{n}: func(%self: {t}, {pads_wit()}) -> {t};" for n, (t, _) in FUNCS.items()
    )
    return f"""
interface %match {{
  record %self {{ %self: u32, %cls: string, %value: f64, %list: list<u8>, %str: list<string>, {fields} }}
  variant %type {{ %none, %some(u32), %ok(string), %err(%self), %match(list<%self>), %case(option<%list>) }}
  enum %list {{ %none, %true, %false, %value, %name, %mro, %self, %class, %drop }}
  flags %int {{ %none, %all, %value, %name, %self, %class }}
  variant foo-bar {{ baz(u32), %none }}
  variant foo {{ bar-baz(u32), %none }}
  type %some = %self;
  type %ok = list<%self>;
  type %none = %list;
  type %true = %type;
  resource %bound {{
    constructor(%self: u32);
    %drop: func() -> u32;
    %dropped: func() -> u32;
    %instantiate: static func(%cls: u32) -> u32;
    %int: func() -> u32;
    %value: func(%cls: borrow<%bound>) -> u32;
  }}
{funcs}
}}
"""


WIT = f"""package test:hostile;
{interface_wit()}
world hostile {{
  import %host: interface {{
    resource %host {{
      constructor(%self: u32);
      %drop: func() -> u32;
      %int: func() -> u32;
      %value: static func(%self: u32) -> u32;
    }}
    %host-value: func(%self: u32) -> u32;
    %list: func(%bytes: list<u8>) -> u32;
    %match: func(%case: u32) -> u32;
  }}
  import %typing: interface {{
    record %host {{ %self: u32 }}
    enum %some {{ %ok, %err }}
    %ok: func(%host: %host) -> u32;
    %err: func(%ok: %some) -> %some;
  }}
  export %match;
  export %self: interface {{
    %self: func(%self: u32) -> u32;
  }}
  export %bytes: interface {{
    %bytes: func(%bytes: list<u8>) -> list<u8>;
  }}
  export %instantiate: func(%self: u32) -> u32;
  export %int: func(%self: u32) -> u32;
  export %run: func(%self: u32) -> u32;
}}
"""

ALLOC = (
    r"""
  (memory (export "memory") 1)
  (global $bump (mut i32) (i32.const 1024))
"""
    + realloc("cabi_realloc")
    + r"""  (func $reset (param i32) i32.const 1024 global.set $bump)
"""
)

LOADS = {
    "ptr": "local.get 0",
    "u8": "local.get 0 i32.load8_u",
    "u16": "local.get 0 i32.load16_u",
    "f64": "local.get 0 f64.load",
}

IFACE = "test:hostile/match"


def core_wat() -> str:
    out = [
        "(module",
        '  (import "host" "[constructor]host" (func $host_new (param i32) (result i32)))',
        '  (import "host" "[method]host.drop" (func $host_drop_m (param i32) (result i32)))',
        '  (import "host" "[method]host.int" (func $host_int_m (param i32) (result i32)))',
        '  (import "host" "list" (func $host_list (param i32 i32) (result i32)))',
        '  (import "host" "[static]host.value" (func $host_value (param i32) (result i32)))',
        '  (import "host" "host-value" (func $host_value_f (param i32) (result i32)))',
        '  (import "host" "match" (func $host_match (param i32) (result i32)))',
        '  (import "host" "[resource-drop]host" (func $host_rdrop (param i32)))',
        '  (import "typing" "ok" (func $typing_ok (param i32) (result i32)))',
        '  (import "typing" "err" (func $typing_err (param i32) (result i32)))',
        f'  (import "[export]{IFACE}" "[resource-new]bound" (func $drop_new (param i32) (result i32)))',
        ALLOC,
    ]
    for n, (_, load) in FUNCS.items():
        result = "f64" if load == "f64" else "i32"
        out.append(
            f'  (func (export "{IFACE}#{n}") (param i32) (result {result}) {LOADS[load]})'
        )
        if result == "i32":  # (a post-return takes the flat results)
            out.append(f'  (export "cabi_post_{IFACE}#{n}" (func $reset))')
    out += [
        f'  (func (export "{IFACE}#[constructor]bound") (param i32) (result i32) local.get 0 call $drop_new)',
        f'  (func (export "{IFACE}#[method]bound.drop") (param i32) (result i32) local.get 0 i32.const 1 i32.add)',
        f'  (func (export "{IFACE}#[method]bound.dropped") (param i32) (result i32) local.get 0 i32.const 2 i32.add)',
        f'  (func (export "{IFACE}#[static]bound.instantiate") (param i32) (result i32) local.get 0 i32.const 3 i32.add)',
        f'  (func (export "{IFACE}#[method]bound.int") (param i32) (result i32) local.get 0 i32.const 4 i32.add)',
        f'  (func (export "{IFACE}#[method]bound.value") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)',
        f'  (func (export "{IFACE}#[dtor]bound") (param i32))',
        '  (func (export "self#self") (param i32) (result i32) local.get 0 i32.const 7 i32.mul)',
        # bytes(b) = b: the result area (pointer, length) at 16
        """  (func (export "bytes#bytes") (param i32 i32) (result i32)
    i32.const 16 local.get 0 i32.store i32.const 20 local.get 1 i32.store i32.const 16)""",
        '  (export "cabi_post_bytes#bytes" (func $reset))',
        '  (func (export "instantiate") (param i32) (result i32) local.get 0 i32.const 1 i32.add)',
        '  (func (export "int") (param i32) (result i32) local.get 0 i32.const 3 i32.mul)',
        # run(x) = host(x).drop() + host(x).int() + host.value(x) + host-value(x) + list(b"")
        #   + match(x) + typing.ok({x}) + typing.err(err), dropping the handle
        """  (func (export "run") (param $x i32) (result i32) (local $h i32) (local $acc i32)
    local.get $x call $host_new local.set $h
    local.get $h call $host_drop_m local.set $acc
    local.get $acc local.get $h call $host_int_m i32.add local.set $acc
    local.get $h call $host_rdrop
    local.get $acc local.get $x call $host_value i32.add
    local.get $x call $host_value_f i32.add
    i32.const 0 i32.const 0 call $host_list i32.add
    local.get $x call $host_match i32.add
    local.get $x call $typing_ok i32.add
    i32.const 1 call $typing_err i32.add)""",
        ")",
    ]
    return "\n".join(out)


def build(cache: Path, wasm_tools: str) -> Path:
    """The hostile component (cached by the hash of its sources). Processes may
    build it at the same time (the CI matrix runs two cells at once): each works
    in its own folder and the last atomic rename wins."""
    wit, core = WIT, core_wat()
    key = hashlib.sha256((wit + core).encode()).hexdigest()[:16]
    target = cache / f"hostile-{key}.wasm"
    if target.exists():
        return target
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache, prefix=f"hostile-{key}-") as tmp:
        work = Path(tmp)
        (work / "world.wit").write_text(wit)
        (work / "core.wat").write_text(core)
        embedded = work / "embedded.wasm"
        built = work / "component.wasm"
        for cmd in (
            [wasm_tools, "component", "embed", str(work / "world.wit"), str(work / "core.wat"),
             "-o", str(embedded)],
            [wasm_tools, "component", "new", str(embedded), "-o", str(built)],
        ):  # fmt: skip
            proc = subprocess.run(cmd, capture_output=True, text=True)
            if proc.returncode != 0:
                raise RuntimeError(f"{' '.join(cmd[:3])} failed: {proc.stderr}")
        os.replace(built, target)
    return target
