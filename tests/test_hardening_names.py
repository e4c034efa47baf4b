"""Hostile names: WIT names that are Python keywords, soft keywords,
builtins, names of generated internals and of the runtime's API, and names
that may collide after case conversion. The generated package must import,
pass mypy --strict together with a host program using it, and work end to
end; nothing runs at import beyond definitions. Names that are not valid WIT
identifiers, reachable only in a crafted binary, are refused by the reader.
"""

from __future__ import annotations

import ast
import builtins
import dataclasses
import importlib
import subprocess
import sys
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import wasmtime
from hardening import hostile
from hardening.fuzzer import parse, serialize
from support.components import ROOT, require_wasm_tools
from wbindgen.generate import generate_files, render_world
from wbindgen_runtime.errors import ReaderError
from wbindgen_runtime.reader import read_component

HOST_PROGRAM = Path(__file__).parent / "hardening" / "hostile_host.py"


@pytest.fixture(scope="module")
def hostile_wasm() -> Path:
    return hostile.build(ROOT / ".cache" / "hardening", require_wasm_tools())


@pytest.fixture(scope="module")
def package(
    hostile_wasm: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path]:
    out = tmp_path_factory.mktemp("hostile")
    for rel, text in generate_files(hostile_wasm, "hostile", None).items():
        (out / "hostile" / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / "hostile" / rel).write_text(text)
    (out / "hostile_host.py").write_text(HOST_PROGRAM.read_text())
    sys.path.insert(0, str(out))
    try:
        yield out
    finally:
        sys.path.remove(str(out))
        for name in [
            n
            for n in sys.modules
            if n == "hostile" or n.startswith(("hostile.", "hostile_host"))
        ]:
            del sys.modules[name]


def test_hostile_package_works_end_to_end(package: Path, hostile_wasm: Path) -> None:
    host = importlib.import_module("hostile_host")
    counts = host.main(str(hostile_wasm))
    assert counts["calls checked"] >= 40


def test_hostile_package_and_host_program_pass_mypy_strict(package: Path) -> None:
    link = package / "_mypy" / "wbindgen_runtime"
    link.parent.mkdir(exist_ok=True)
    if not link.exists():
        link.symlink_to(ROOT / "runtime", target_is_directory=True)
    env = {"MYPYPATH": f"{link.parent}:{package}", "PATH": "/usr/bin:/bin"}
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--show-error-codes",
         "--no-error-summary", "-p", "hostile", "-m", "hostile_host"],
        capture_output=True, text=True, env=env, cwd=package,
    )  # fmt: skip
    errors = [
        line
        for line in proc.stdout.splitlines()
        if ": error:" in line and "wbindgen_runtime" not in line
    ]
    assert errors == [], proc.stdout
    assert proc.returncode in (0, 1), proc.stderr


def test_hostile_names_are_mapped_as_documented(package: Path) -> None:
    from hostile import Hostile
    from hostile.exports import match as m
    from hostile.imports import host as h

    # keywords get a trailing `_`; soft keywords and most builtins do not
    fields = {f.name for f in dataclasses.fields(m.Self)}
    assert {
        "match",
        "case",
        "type",
        "print",
        "object",
        "self",
        "value",
        "name",
    } <= fields
    assert {"class_", "def_", "lambda_", "none", "true", "false"} <= fields
    # builtins keep their names too (only hard keywords are escaped) ...
    builtin_like = {"list", "str", "int", "bytes", "bool", "float", "tuple", "bytearray",
                    "memoryview", "id"}  # fmt: skip
    assert builtin_like <= fields
    assert not {f"{n}_" for n in builtin_like} & fields
    # ... and the annotations they would shadow name the builtins through
    # `_builtins`, so they resolve to the builtins, not to the members
    hints = typing.get_type_hints(m.Self)
    assert hints["list"] is bytes and hints["str"] == list[str] and hints["bool"] is int
    assert typing.get_type_hints(h.Host.list) == {"bytes": bytes, "return": int}
    assert typing.get_type_hints(h.Host_.int) == {"return": int}
    assert typing.get_type_hints(m.Match.bytes)["return"] is bytes
    assert typing.get_type_hints(m.Match.float)["return"] is float
    assert typing.get_type_hints(m.Bound.int) == {"return": int}
    assert typing.get_type_hints(Hostile.int) == {"self_": int, "return": int}
    from hostile.exports import bytes as b

    assert typing.get_type_hints(b.Bytes.bytes) == {
        "bytes": bytes | bytearray | memoryview, "return": bytes,
    }
    assert "bytes" in Hostile.__slots__
    # the runtime's value types and the Host Protocol keep their names
    assert m.Some_ is m.Self and h.Host_ is not h.Host
    # the runtime API of a wrapper and of the world class wins
    assert hasattr(m.Bound, "drop_") and hasattr(m.Bound, "dropped_")
    assert callable(Hostile.instantiate) and hasattr(Hostile, "instantiate_")
    assert m.FooBar_Baz is not m.Foo_BarBaz


# --------------------------------------------------------------------------
# Nothing runs at import time beyond definitions; WIT text appears only as
# identifiers and repr() string literals (and in docstrings, verbatim).

SAFE_ROOTS = {"_t", "_rt", "_typing", "_dataclasses", "_enum"}


def _module_level_calls(tree: ast.Module) -> Iterator[ast.Call]:
    """Calls evaluated when the module is imported (not inside a def)."""
    stack: list[ast.AST] = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            stack.extend(
                node.decorator_list if not isinstance(node, ast.Lambda) else []
            )
            continue
        if isinstance(node, ast.Call):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def _root(node: ast.expr) -> str:
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else "?"


def check_inert(files: dict[str, str]) -> int:
    """Every module-level call goes to the runtime, typing, dataclasses or
    enum, or constructs a generated class; returns the calls checked."""
    n = 0
    for rel, text in files.items():
        if not rel.endswith(".py"):
            continue
        tree = ast.parse(text)
        classes = {c.name for c in ast.walk(tree) if isinstance(c, ast.ClassDef)}
        for call in _module_level_calls(tree):
            root = _root(call.func)
            ok = root in SAFE_ROOTS or root in classes or root.startswith("_m_")
            assert (
                ok
            ), f"{rel}:{call.lineno}: module-level call of {ast.unparse(call.func)}"
            n += 1
    return n


def test_generated_hostile_package_is_inert(hostile_wasm: Path) -> None:
    files = generate_files(hostile_wasm, "hostile", None)
    assert check_inert(files) > 10


def _with_docs(obj: Any, doc: str) -> Any:
    """`obj` with every `docs` (and member docs) of the model set to `doc`."""
    if isinstance(obj, tuple):
        return tuple(_with_docs(x, doc) for x in obj)
    if not dataclasses.is_dataclass(obj) or isinstance(obj, type):
        return obj
    changes: dict[str, Any] = {}
    for f in dataclasses.fields(obj):
        if not f.init:
            continue
        v = getattr(obj, f.name)
        if f.name == "docs":
            changes[f.name] = doc
        elif f.name == "member_docs":
            members = getattr(obj, "members", ())
            changes[f.name] = tuple(doc for _ in members)
        else:
            changes[f.name] = _with_docs(v, doc)
    return dataclasses.replace(obj, **changes)


EVIL_DOCS = [
    '"""\nimport builtins; builtins.WBINDGEN_PWNED = 1\n"""',
    "'''\nimport builtins; builtins.WBINDGEN_PWNED = 1\n'''",
    '\\"""; import builtins; builtins.WBINDGEN_PWNED = 1 #',
    "ends with a backslash \\",
    "\\N{BULLET} \\x00 \\u12 {{ mod }} {% raw %} `x`",
    "a nul \x00 and other controls \x01\x1b[31m\x7f",
    "line ends: \r\n, \r, \u2028, \u2029, \x85, \x0c",
    "\ufeff BOM and \U0001f600 and \udcff lone surrogate",
]


@pytest.mark.parametrize("doc", EVIL_DOCS)
def test_doc_comments_cannot_inject_code(
    hostile_wasm: Path, tmp_path: Path, doc: str
) -> None:
    """A model from WIT source carries doc comments: whatever the generator
    does with them, the output parses, stays inert and runs nothing."""
    world = read_component(hostile_wasm.read_bytes())
    evil = _with_docs(world, doc)
    try:
        files = render_world(evil, "evil", "Evil")
    except Exception as e:  # noqa: BLE001 - refusing is fine, crashing is not
        from wbindgen.generate import GenerateError

        assert isinstance(e, GenerateError), e
        return
    check_inert(files)
    for rel, text in files.items():
        target = tmp_path / "evil" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
        if rel.endswith(".py"):
            tree = ast.parse(text)
            docstrings = {
                id(n.value) for n in ast.walk(tree)
                if isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant)
            }  # fmt: skip
            for node in ast.walk(tree):
                if isinstance(node, ast.Constant) and "PWNED" in str(node.value):
                    # only ever inside a docstring, line by line verbatim
                    assert id(node) in docstrings, (rel, node.lineno)
                    for line in doc.splitlines():
                        assert line.strip() in node.value, (line, node.value)
    sys.path.insert(0, str(tmp_path))
    try:
        importlib.import_module("evil")
        assert not hasattr(builtins, "WBINDGEN_PWNED")
    finally:
        sys.path.remove(str(tmp_path))
        for name in [n for n in sys.modules if n == "evil" or n.startswith("evil.")]:
            del sys.modules[name]


# --------------------------------------------------------------------------
# Names that are not WIT identifiers, in a crafted binary: refused.

PLACE = "zqzqzq"
TEMPLATE = """
(component
  (import "zqzqzq:pkg/iface@1.0.0" (instance $i
    (type $rr (record (field "zqzqzq-field" u32)))
    (export "zqzqzq-rec" (type $r (eq $rr)))
    (type $vv (variant (case "zqzqzq-case" u32) (case "other")))
    (export "zqzqzq-var" (type $v (eq $vv)))
    (type $ee (enum "zqzqzq-enum" "b"))
    (export "zqzqzq-en" (type $e (eq $ee)))
    (type $ff (flags "zqzqzq-flag" "b"))
    (export "zqzqzq-fl" (type $fl (eq $ff)))
    (export "zqzqzq-res" (type $res (sub resource)))
    (type $f (func (param "zqzqzq-param" $r) (param "v" $v) (param "e" $e) (param "fl" $fl) (result u32)))
    (export "zqzqzq-func" (func (type $f)))
    (type $m (func (param "self" (borrow $res))))
    (export "[method]zqzqzq-res.zqzqzq-meth" (func (type $m)))
  ))
)
"""
BAD_NAMES = [
    'a"b', "a\\b", "a\nb", '"""', "'''", "__import__('os').system('x')", "a b", "a_b",
    "%type", "Type", "café", "a\u2028b", "a\x00b", "", "-a", "a--b", "1a",
]  # fmt: skip
POSITIONS = [
    ("field", "zqzqzq-field"),
    ("case", "zqzqzq-case"),
    ("enum member", "zqzqzq-enum"),
    ("flags member", "zqzqzq-flag"),
    ("type name", "zqzqzq-rec"),
    ("resource name", "zqzqzq-res"),
    ("function name", "zqzqzq-func"),
    ("param name", "zqzqzq-param"),
    ("method name", "zqzqzq-meth"),
    ("namespace", "zqzqzq:pkg"),
]


def _craft(position: str, bad: str) -> bytes:
    """The template binary with one name replaced by `bad` (raw bytes), every
    length prefix and section size kept right."""
    data = bytes(wasmtime.wat2wasm(TEMPLATE))
    tree = parse(data)
    target = dict(POSITIONS)[position].encode()
    hit = 0

    def fix(raw: bytes) -> bytes:
        nonlocal hit
        out = bytearray()
        i = 0
        while i < len(raw):
            j = raw.find(PLACE.encode(), i)
            if j < 0:
                out += raw[i:]
                break
            # the whole name starts at j (or at its `[method]` prefix) and is
            # preceded by its one-byte length
            start = j - 8 if raw[j - 8 : j] == b"[method]" else j
            length = raw[start - 1]
            name = raw[start : start + length]
            if target in name:
                new = name.replace(target, bad.encode())
                out += raw[i : start - 1] + bytes([len(new)]) + new
                hit += 1
            else:
                out += raw[i : start + length]
            i = start + length
        return bytes(out)

    for s in tree.sections:
        if isinstance(s.payload, bytes):
            s.payload = fix(s.payload)
    assert hit >= 1, (position, bad)
    return serialize(tree)


def test_template_reads_when_names_are_valid() -> None:
    world = read_component(bytes(wasmtime.wat2wasm(TEMPLATE)))
    assert world.imports and check_inert(render_world(world, "tpl", "Tpl")) > 0
    for position, _ in POSITIONS:  # a valid replacement keeps it readable
        read_component(
            _craft(position, "ok-name" if position != "namespace" else "ok:pkg")
        )


@pytest.mark.parametrize("position", [p for p, _ in POSITIONS])
def test_invalid_names_in_a_binary_are_refused(position: str) -> None:
    for bad in BAD_NAMES:
        if position == "namespace" and bad == "":
            continue
        data = _craft(position, bad)
        with pytest.raises(ReaderError) as info:
            read_component(data)
        text = str(info.value)
        assert "\n" not in text and "internal error" not in text, text
        assert text.startswith("malformed component"), text
