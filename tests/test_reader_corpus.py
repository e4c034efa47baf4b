"""Conformance with wit-component's own decoder on its component corpus.

`../shared/corpus/wit-component/<case>/component.wat` is a component exactly
as wit-component produced it, and `component.wit.print` is the WIT that
wit-component's decoder recovers from it. The reader's model, printed, must
say the same: every name, kind, field, case, parameter and result, compared
as text after whitespace and the item orderings WIT leaves free are
normalised (see `canonical_wit`).

Cases using a feature the bindings cannot represent yet are listed below with
that feature; for them the reader must refuse with a ReaderError naming it.
"""

from __future__ import annotations

import pytest
from reader_components.support import (
    CORPUS,
    canonical_wit,
    require_shared,
    root_package,
    wasm_tools_wit,
)
from support.wasmtime_bugs import skip_unparsable_text
from wbindgen.wit_printer import print_world
from wbindgen_runtime.errors import ReaderError
from wbindgen_runtime.reader import read_component

# case -> what the ReaderError message must mention.
UNSUPPORTED = {
    "async-import-only-intrinsic": "future types",
    "async-import-tricky": "future types",
    "async-streams-and-futures": "future types",
    "async-unit-builtins": "future types",
    "implements": "implements",
    "import-memory-async-builtins": "future types",
    "realloc-task-hook-async": "future types",
    "return-call-ref-payloads": "stream types",
}


def _cases() -> list[str]:
    if not CORPUS.is_dir():
        return []
    return sorted(p.name for p in CORPUS.iterdir() if (p / "component.wat").exists())


CASES = _cases()


def test_corpus_present() -> None:
    require_shared(CORPUS)
    assert len(CASES) == 125
    assert set(UNSUPPORTED) <= set(CASES)


@pytest.mark.parametrize("case", [c for c in CASES if c not in UNSUPPORTED])
def test_corpus_case_matches_wit_component(case: str) -> None:
    src = CORPUS / case
    text = (src / "component.wat").read_text()
    skip_unparsable_text(text)
    world = read_component(text)
    printed = print_world(world)
    expected = (src / "component.wit.print").read_text()
    assert canonical_wit(root_package(printed)) == canonical_wit(expected), printed


@pytest.mark.parametrize("case", [c for c in CASES if c not in UNSUPPORTED])
def test_corpus_case_matches_wasm_tools_including_packages(case: str) -> None:
    """Stronger than the `.wit.print` files, which omit the bodies of the
    interfaces from other packages: compare everything `wasm-tools
    component wit` prints."""
    path = CORPUS / case / "component.wat"
    skip_unparsable_text(path.read_text())
    printed = print_world(read_component(path.read_text()))
    assert canonical_wit(printed) == canonical_wit(wasm_tools_wit(path)), printed


@pytest.mark.parametrize("case", sorted(UNSUPPORTED))
def test_corpus_unsupported_case_is_refused(case: str) -> None:
    require_shared(CORPUS)
    with pytest.raises(ReaderError) as info:
        read_component((CORPUS / case / "component.wat").read_text())
    assert info.value.unsupported
    assert UNSUPPORTED[case] in str(info.value)
    assert str(info.value).startswith("unsupported component at byte 0x")


def test_corpus_counts() -> None:
    """The counts the issue asks for, against what wasmtime compiles: of the
    111 cases wasmtime compiles (with component-model async enabled), 109
    match and 2 are refused as unsupported: they pass futures, which the C
    API has no values for (`pytest -s -k corpus_counts` prints them)."""
    require_shared(CORPUS)
    import wasmtime
    from wasmtime.component import Component
    from wbindgen_runtime.aio import async_engine_config

    engine = wasmtime.Engine(async_engine_config(component_model_async=True))
    compiled = matching = 0
    for case in CASES:
        wat = (CORPUS / case / "component.wat").read_text()
        try:
            Component(engine, wat)
        except Exception:
            continue
        compiled += 1
        if case in UNSUPPORTED:
            continue
        expected = (CORPUS / case / "component.wit.print").read_text()
        printed = print_world(read_component(wat))
        matching += canonical_wit(root_package(printed)) == canonical_wit(expected)
    print(f"\ncorpus: {matching} matching of {compiled} compiled by wasmtime")
    assert (matching, compiled) == (109, 111)
