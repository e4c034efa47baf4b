"""Bad input: every failure is a ReaderError with one clear line naming what
is wrong and where (byte offset, item); nothing else escapes, nothing hangs,
nothing reads past the input."""

from __future__ import annotations

import pytest
import wasmtime
from hardening.fuzzer import COMPONENT_PREAMBLE as PREAMBLE
from hardening.fuzzer import uleb as leb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wbindgen_runtime.errors import ReaderError
from wbindgen_runtime.reader import read_component


def name(s: str | bytes) -> bytes:
    raw = s.encode() if isinstance(s, str) else s
    return leb(len(raw)) + raw


def vec(*items: bytes) -> bytes:
    return leb(len(items)) + b"".join(items)


def section(section_id: int, payload: bytes) -> bytes:
    return bytes([section_id]) + leb(len(payload)) + payload


def component(*sections: bytes) -> bytes:
    return PREAMBLE + b"".join(sections)


def import_resource(import_name: str | bytes) -> bytes:
    """An import section importing one abstract resource type."""
    return section(10, vec(b"\x00" + name(import_name) + b"\x03\x01"))


def refused(data: bytes | str, *fragments: str, unsupported: bool = False) -> ReaderError:
    with pytest.raises(ReaderError) as info:
        read_component(data)
    err = info.value
    text = str(err)
    assert "\n" not in text
    assert text.startswith("unsupported component" if unsupported else "malformed component")
    assert f"at byte {err.offset:#x}" in text
    for fragment in fragments:
        assert fragment in text, text
    assert err.unsupported is unsupported
    if isinstance(data, bytes) and data[:4] == b"\x00asm":
        assert 0 <= err.offset <= len(data)
    return err


SMALL = """
(component
  (type $r (record (field "x" u32) (field "y" string)))
  (import "a:b/c@1.0.0" (instance $i
    (type $rr (record (field "x" u32)))
    (export "r" (type $e (eq $rr)))
    (type $f (func (param "p" $e) (result $e)))
    (export "f" (func (type $f)))
  ))
  (import "t" (type $t (eq $r)))
  (type $g (func (param "a" $t) (result string)))
  (import "g" (func (type $g)))
)
"""


def small_binary() -> bytes:
    return bytes(wasmtime.wat2wasm(SMALL))


def test_small_component_reads() -> None:
    world = read_component(small_binary())
    assert [str(i.name) for i in world.imports] == ["a:b/c@1.0.0"]


# --------------------------------------------------------------------------
# Not a component at all.


@pytest.mark.parametrize("data", [b"", b"hello", b"\x00as", b"\x7fELF\x02\x01\x01"])
def test_not_wasm(data: bytes) -> None:
    refused(data, "not a component binary", "not valid component text")


def test_not_wasm_text() -> None:
    refused("(component (import", "not valid component text")


def test_core_module_binary() -> None:
    core = bytes(wasmtime.wat2wasm('(module (func (export "f")))'))
    err = refused(core, "core WebAssembly module, not a component")
    assert err.offset == 4


def test_core_module_text() -> None:
    refused("(module)", "core WebAssembly module")


def test_unknown_layer_and_version() -> None:
    refused(b"\x00asm\x0d\x00\x02\x00", "unknown binary layer")
    refused(b"\x00asm\x0c\x00\x01\x00", "version 0xc", unsupported=True)


# --------------------------------------------------------------------------
# Malformed bytes.


def _section_ends(data: bytes) -> set[int]:
    """Offsets where a top-level section ends: cutting there leaves a
    shorter but well-formed component."""
    ends = {8}
    pos = 8
    while pos < len(data):
        pos += 1
        size = shift = 0
        while True:
            b = data[pos]
            pos += 1
            size |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                break
        pos += size
        ends.add(pos)
    return ends


def test_every_truncation_is_refused() -> None:
    data = small_binary()
    ends = _section_ends(data)
    for cut in range(len(data)):
        if cut in ends:
            read_component(data[:cut])
            continue
        with pytest.raises(ReaderError) as info:
            read_component(data[:cut])
        assert 0 <= info.value.offset <= cut, cut


def test_truncated_section_names_the_offset() -> None:
    data = component(section(7, vec(b"\x70\x79")))[:-1]
    refused(data, "section 7 size 3 exceeds the 2 bytes remaining", "at byte 0x9:")


def test_unknown_section_id() -> None:
    refused(component(section(13, b"")), "unknown section id 13", "at byte 0x8")


def test_section_with_trailing_bytes() -> None:
    refused(component(section(7, vec(b"\x70\x79") + b"\x00")), "unread trailing bytes")


@pytest.mark.parametrize(
    ("size", "message"),
    [
        (b"\xff\xff\xff\xff\x7f", "too large for u32 (LEB128 overflow)"),
        (b"\x80\x80\x80\x80\x80\x01", "too long (LEB128 overflow)"),
    ],
)
def test_leb128_overflow(size: bytes, message: str) -> None:
    err = refused(PREAMBLE + b"\x07" + size, message)
    assert err.offset == 9


def test_vector_count_larger_than_input() -> None:
    refused(component(section(7, leb(1_000_000))), "type count 1000000 exceeds")


def test_type_index_out_of_range() -> None:
    err = refused(component(section(7, vec(b"\x70\x05"))), "type index 5 out of range")
    assert err.item == "type 0"


def test_function_index_out_of_range() -> None:
    export = b"\x00" + name("f") + b"\x01" + leb(3) + b"\x00"
    refused(component(section(11, vec(export))), "function index 3 out of range", "(export 'f')")


def test_instance_index_out_of_range() -> None:
    alias = b"\x03\x00" + leb(0) + name("t")
    refused(component(section(6, vec(alias))), "instance index 0 out of range")


def test_alias_of_missing_export() -> None:
    data = bytes(
        wasmtime.wat2wasm(
            '(component (import "a:b/c" (instance (export "x" (type (sub resource))))))'
        )
    )
    alias = b"\x03\x00" + leb(0) + name("nope")
    refused(data + section(6, vec(alias)), "instance has no export named 'nope'")


def test_unknown_type_opcode() -> None:
    refused(component(section(7, vec(b"\x55"))), "unknown type opcode 0x55")


def test_handle_to_non_resource() -> None:
    refused(component(section(7, vec(b"\x73", b"\x69\x00"))), "not a resource")


def test_deep_nesting_is_refused_not_crashed() -> None:
    inner = PREAMBLE
    for _ in range(80):
        inner = PREAMBLE + section(4, inner)
    refused(inner, "nested more than 64 deep", unsupported=True)


# --------------------------------------------------------------------------
# Names.


@pytest.mark.parametrize(
    ("bad", "why"),
    [
        ('a"b', "not a valid"),
        ("a\\b", "not a valid"),
        ("a\nb", "not a valid"),
        ("%foo", "not a valid"),
        ("Foo", "not a valid"),
        ("a--b", "not a valid"),
        ("a-", "not a valid"),
        ("", "not a valid"),
        ("a b", "not a valid"),
        ("1abc", "not a valid"),
        ("a:b/c@1.x", "(not semver)"),
        ("[method]r", "missing the '.'"),
        ("[constructor]", "not a valid kebab-case"),
    ],
)
def test_invalid_import_name(bad: str, why: str) -> None:
    err = refused(component(import_resource(bad)), why)
    assert err.item == f"import {bad!r}"
    assert err.offset == 8 + 2 + 1 + 1  # section id, size, count, name tag


def test_invalid_utf8_name() -> None:
    refused(component(import_resource(b"a\xffb")), "not valid UTF-8")


def test_nested_namespace_is_unsupported() -> None:
    refused(component(import_resource("a:b:c/d/e")), "nested namespaces", unsupported=True)


def test_invalid_record_field_name() -> None:
    record = b"\x72" + vec(name("x y") + b"\x79")
    refused(component(section(7, vec(record))), "record field 'x y' is not a valid", "(type 0)")


def test_duplicate_names() -> None:
    record = b"\x72" + vec(name("x") + b"\x79", name("x") + b"\x79")
    refused(component(section(7, vec(record))), "duplicate record field 'x'")
    imports = section(10, vec(*(b"\x00" + name("r") + b"\x03\x01" for _ in range(2))))
    refused(component(imports), "duplicate import name 'r'")


def test_method_of_unknown_resource() -> None:
    wat = """(component
      (type $f (func))
      (import "[static]nope.f" (func (type $f))))"""
    refused(wat, "resource 'nope'", "import '[static]nope.f'")


# --------------------------------------------------------------------------
# Types and functions the bindings cannot represent (yet, or at all through
# wasmtime-py: component-model-async, and the message says so).


@pytest.mark.parametrize(
    ("wat", "what", "why"),
    [
        ('(component (type (future u32)) (import "f" (type (eq 0))))', "future types",
         "wasmtime-py's API cannot pass component-model-async values"),
        ('(component (type (stream u8)) (import "s" (type (eq 0))))', "stream types",
         "wasmtime-py's API cannot pass component-model-async values"),
        ("(component (type (list error-context)))", "error-context types",
         "wasmtime-py's API cannot pass component-model-async values"),
    ],
)  # fmt: skip
def test_unsupported_types_from_text(wat: str, what: str, why: str) -> None:
    err = refused(wat, what, why, unsupported=True)
    assert err.item == "type 0"


@pytest.mark.parametrize(
    ("body", "what"),
    [(b"\x63\x73\x79", "map types"), (b"\x67\x79\x04", "fixed-size list types")],
)
def test_unsupported_types_from_bytes(body: bytes, what: str) -> None:
    refused(component(section(7, vec(body))), what, "not supported yet", unsupported=True)


def test_async_option_on_a_sync_function_type_is_refused() -> None:
    # The spec: the async option may only be used with async function types.
    wat = """(component
      (core module $m (func (export "f")))
      (core instance $i (instantiate $m))
      (type $t (func))
      (func $f (type $t) (canon lift (core func $i "f") async))
      (export "f" (func $f)))"""
    refused(wat, "canon lift: the async option needs an async function type")


def test_async_function_types_are_read() -> None:
    wat = """(component
      (type $t (func async (param "x" u32) (result u32)))
      (import "slow" (func (type $t)))
      (core module $m (func (export "f") (param i32)))
      (core instance $i (instantiate $m))
      (func $f (type $t) (canon lift (core func $i "f") async))
      (export "f" (func $f)))"""
    world = read_component(wat)
    assert [(f.name, f.is_async) for f in world.import_functions] == [("slow", True)]
    assert [(f.name, f.is_async) for f in world.export_functions] == [("f", True)]


def test_values_and_start_are_refused() -> None:
    refused(component(section(12, vec())), "component values", unsupported=True)
    refused(component(section(9, b"\x00\x00\x00")), "start functions", unsupported=True)


# --------------------------------------------------------------------------
# Nothing but ReaderError, whatever the bytes.


def test_internal_errors_become_reader_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    import wbindgen_runtime.reader as reader

    def broken(_externs: object) -> object:
        raise KeyError("boom")

    monkeypatch.setattr(reader, "build_world", broken)
    refused(small_binary(), "internal error", "KeyError")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=200))
def test_arbitrary_bytes_after_preamble(tail: bytes) -> None:
    try:
        read_component(PREAMBLE + tail)
    except ReaderError:
        pass


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_mutated_component(data: st.DataObject) -> None:
    raw = bytearray(small_binary())
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(8, len(raw) - 1))
        raw[at] = data.draw(st.integers(0, 255))
    try:
        read_component(bytes(raw))
    except ReaderError:
        pass


def test_exponentially_large_type_is_refused() -> None:
    """A few bytes can describe a tuple of tuples ... with 2**40 leaves."""
    types = [b"\x6f" + vec(b"\x7d", b"\x7d")]
    types += [b"\x6f" + vec(leb(i), leb(i)) for i in range(40)]
    err = refused(component(section(7, vec(*types))), "type is too large")
    assert err.item is not None and err.item.startswith("type ")
