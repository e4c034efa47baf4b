"""Bad WIT gets one clear error naming file, line, column and the offending
token: from the API as `WitError`, from the CLI as one `error:` line and
exit status 1, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from wbindgen.cli import main
from wbindgen.wit import WitError, load_wit

GOOD_IFACE = "interface i { f: func(); }\nworld w { export i; }\n"

# (name, files {relative path: text}, expected message part, (line, col), token)
CASES: list[tuple[str, dict[str, str], str, tuple[int, int], str]] = [
    (
        "missing semicolon",
        {"a.wit": "package a:b;\ninterface i {\n  f: func()\n}\n"},
        "expected `;`",
        (4, 1),
        "}",
    ),
    (
        "bad character",
        {"a.wit": "package a:b;\ninterface i { f: func() -> u32 $; }\n"},
        "unexpected character",
        (2, 32),
        "$",
    ),
    (
        "unknown type",
        {"a.wit": "package a:b;\ninterface i {\n  f: func(x: nope);\n}\n"},
        "type `nope` does not exist",
        (3, 14),
        "nope",
    ),
    (
        "unknown type in record",
        {"a.wit": "package a:b;\ninterface i {\n  record r { a: u32, b: missing }\n}\n"},
        "type `missing` does not exist",
        (3, 25),
        "missing",
    ),
    (
        "unknown interface in use",
        {"a.wit": "package a:b;\ninterface i {\n  use other.{t};\n}\n"},
        "interface `other` does not exist",
        (3, 7),
        "other",
    ),
    (
        "unknown type in use",
        {"a.wit": "package a:b;\ninterface j { type t = u8; }\ninterface i {\n  use j.{u};\n}\n"},
        "type `u` does not exist in interface `a:b/j`",
        (4, 10),
        "u",
    ),
    (
        "duplicate type",
        {"a.wit": "package a:b;\ninterface i {\n  type t = u8;\n  record t { a: u8 }\n}\n"},
        "name `t` is defined more than once",
        (4, 10),
        "t",
    ),
    (
        "duplicate function",
        {"a.wit": "package a:b;\ninterface i {\n  f: func();\n  f: func();\n}\n"},
        "name `f` is defined more than once",
        (4, 3),
        "f",
    ),
    (
        "duplicate field",
        {"a.wit": "package a:b;\ninterface i {\n  record r { a: u8, a: u8 }\n}\n"},
        "field `a` is defined more than once",
        (3, 21),
        "a",
    ),
    (
        "duplicate interface",
        {"a.wit": "package a:b;\ninterface i {}\n", "b.wit": "interface i {}\n"},
        "`i` is defined more than once",
        (1, 11),
        "i",
    ),
    (
        "duplicate import",
        {"a.wit": "package a:b;\nworld w {\n  import f: func();\n  import f: func();\n}\n"},
        "import `f` conflicts with prior func",
        (4, 10),
        "f",
    ),
    (
        "type cycle",
        {"a.wit": "package a:b;\ninterface i {\n  record a { b: b }\n  record b { a: a }\n}\n"},
        "depends on itself",
        (3, 17),
        "b",
    ),
    (
        "interface cycle",
        {
            "a.wit": "package a:b;\ninterface i { use j.{t}; type u = u8; }\n"
            "interface j { use i.{u}; type t = u8; }\n"
        },
        "depends on itself",
        (3, 19),
        "i",
    ),
    (
        "include cycle",
        {"a.wit": "package a:b;\nworld v { include w; }\nworld w { include v; }\n"},
        "includes itself",
        (3, 19),
        "v",
    ),
    (
        "unknown package",
        {"a.wit": "package a:b;\ninterface i {\n  use wasi:io/streams@0.2.0.{input-stream};\n}\n"},
        "package `wasi:io@0.2.0` not found",
        (3, 7),
        "wasi:io/streams@0.2.0",
    ),
    (
        "borrow of a record",
        {
            "a.wit": "package a:b;\ninterface i {\n  record r { a: u8 }\n"
            "  f: func(x: borrow<r>);\n}\n"
        },
        "must be a resource",
        (4, 21),
        "r",
    ),
    (
        "borrow in a result",
        {"a.wit": "package a:b;\ninterface i {\n  resource r;\n  f: func() -> borrow<r>;\n}\n"},
        "contains a `borrow<T>`",
        (4, 16),
        "borrow<r>",
    ),
    (
        "unterminated comment",
        {"a.wit": "package a:b;\n/* never closed\ninterface i {}\n"},
        "unterminated block comment",
        (2, 1),
        "/*",
    ),
    (
        "bad identifier",
        {"a.wit": "package a:b;\ninterface Mixed-case {}\n"},
        "invalid identifier",
        (2, 11),
        "Mixed-case",
    ),
    ("no package", {"a.wit": "interface i {}\n"}, "no `package` declaration", (1, 11), "i"),
    (
        "since without version",
        {"a.wit": "package a:b;\ninterface i {\n  @since(version = 1.0.0)\n  f: func();\n}\n"},
        "must have a version",
        (3, 3),
        "@since(version = 1.0.0)",
    ),
    (
        "unknown attribute",
        {"a.wit": "package a:b@1.0.0;\n@sometimes(x = y)\ninterface i {}\n"},
        "unknown attribute",
        (2, 2),
        "sometimes",
    ),
    (
        "unsupported stream",
        {
            "a.wit": "package a:b;\ninterface i {\n  f: func() -> stream<u8>;\n}\n"
            "world w { export i; }\n"
        },
        "`stream` types cannot be bound: wasmtime-py's API cannot pass component-model-async "
        "values",
        (3, 16),
        "stream<u8>",
    ),
    (
        "excluded type",
        {
            "a.wit": "package a:b@1.0.0;\ninterface i {\n  @unstable(feature = x)\n  type t = u8;\n"
            "  f: func(a: t);\n}\n"
        },
        "type `t` is left out (@unstable(feature = x) is not enabled)",
        (5, 14),
        "t",
    ),
    (
        "unknown dep interface",
        {
            "a.wit": "package a:b;\nworld w { import c:d/nope; }\n",
            "deps/c.wit": "package c:d;\ninterface other {}\n",
        },
        "interface `nope` does not exist in package `c:d`",
        (2, 18),
        "c:d/nope",
    ),
]


def _write(tmp: Path, files: dict[str, str]) -> Path:
    root = tmp / "wit"
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


@pytest.mark.parametrize(("files", "message", "where", "token"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])  # fmt: skip
def test_bad_wit_names_file_line_column_and_token(
    tmp_path: Path, files: dict[str, str], message: str, where: tuple[int, int], token: str
) -> None:
    root = _write(tmp_path, files)
    with pytest.raises(WitError) as info:
        load_wit(root)
    err = info.value
    assert message in err.message, str(err)
    assert err.path is not None and err.path.parent in (root, root / "deps"), str(err)
    assert (err.line, err.column) == where, str(err)
    assert err.token == token, str(err)
    assert str(err).startswith(f"{err.path}:{where[0]}:{where[1]}: "), str(err)


def test_cli_reports_bad_wit_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _write(tmp_path, {"a.wit": "package a:b;\ninterface i {\n  f: func(x: nope);\n}\n"})
    code = main(["--wit", str(root), "-o", str(tmp_path / "out" / "pkg")])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1 and err.startswith("error: ")
    assert f"{root / 'a.wit'}:3:14: type `nope` does not exist (at 'nope')" in err
    assert not (tmp_path / "out").exists()


def test_cli_subprocess_has_no_traceback(tmp_path: Path) -> None:
    root = _write(tmp_path, {"a.wit": "package a:b;\ninterface i {\n"})
    proc = subprocess.run(
        [sys.executable, "-m", "wbindgen", "--wit", str(root), "-o", str(tmp_path / "o" / "p")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("error: ") and proc.stderr.count("\n") == 1
    assert "a.wit:3:1: expected a type definition, a function, `use` or `}`" in proc.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--world", "nope"], "world `nope` not found"),
        (["--world", "x:y/z"], "unknown package `x:y`"),
    ],
)
def test_cli_world_selection_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    root = _write(tmp_path, {"a.wit": "package a:b;\n" + GOOD_IFACE})
    assert main(["--wit", str(root), *args, "-o", str(tmp_path / "o" / "p")]) == 1
    assert message in capsys.readouterr().err


def test_several_worlds_need_world(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _write(tmp_path, {"a.wit": "package a:b;\n" + GOOD_IFACE + "world v { import i; }\n"})
    assert main(["--wit", str(root), "-o", str(tmp_path / "o" / "p")]) == 1
    assert "has several worlds (v, w); choose one with --world" in capsys.readouterr().err
    assert main(["--wit", str(root), "--world", "v", "-o", str(tmp_path / "o" / "p")]) == 0


def test_missing_path_and_no_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--wit", str(tmp_path / "nope"), "-o", str(tmp_path / "o" / "p")]) == 1
    assert "no such file or folder" in capsys.readouterr().err
    assert main(["-o", str(tmp_path / "o" / "p")]) == 1
    assert "give a COMPONENT, or WIT source with --wit" in capsys.readouterr().err
