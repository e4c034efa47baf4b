"""Differential property tests of the runtime: for random WIT types nested up
to depth 4 and random values of them, the fast plan (`TypedFunc.__call__`)
and the reference path (`TypedFunc.call_reference`, wasmtime-py's dynamic
API) both give back exactly the value that went into an identity function.

Two profiles, chosen by ``WBINDGEN_PROFILE``:

* ``quick`` (default, CI): a few values per catalogued type, a few dozen
  random type trees; about 20 s.
* ``long``: 10,000 values per catalogued type and 2,000 random type trees
  (``scripts/property_long.sh``); prints its counts.
"""

from __future__ import annotations

import os
import random
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import wasmtime
import wbindgen_runtime as rt
from hardening.typegen import (
    PRIMS,
    Built,
    Node,
    prim,
    random_tree,
    reference_cannot_carry,
    same,
    type_trees,
    values,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wasmtime import Engine, Store
from wasmtime.component import Component

PROFILE = os.environ.get("WBINDGEN_PROFILE", "quick")
LONG = PROFILE == "long"
PER_TYPE = int(os.environ.get("WBINDGEN_PER_TYPE", 10_000 if LONG else 25))
RANDOM_TYPES = int(os.environ.get("WBINDGEN_RANDOM_TYPES", 2_000 if LONG else 300))
SEEDED = int(os.environ.get("WBINDGEN_SEEDED_TYPES", 24 if LONG else 12))
PAD = (0,) * 16
COUNTS: Counter[str] = Counter()

COMMON = dict(deadline=None, database=None, suppress_health_check=list(HealthCheck))


def catalogue() -> dict[str, Node]:
    """Every primitive, a list and an option of each, the interesting edges
    (discriminant sizes, flags widths, payload joins) and seeded random trees."""
    cat: dict[str, Node] = {p: prim(p) for p in PRIMS}
    for p in PRIMS:
        cat[f"list<{p}>"] = Node("list", (prim(p),))
        cat[f"option<{p}>"] = Node("option", (prim(p),))
    for n in (1, 2, 256, 257):
        cat[f"enum[{n}]"] = Node("enum", count=n)
    for n in (1, 8, 9, 16, 17, 32):
        cat[f"flags[{n}]"] = Node("flags", count=n)
    cat["option<option<option<u32>>>"] = Node(
        "option", (Node("option", (Node("option", (prim("u32"),)),)),)
    )
    cat["result"] = Node("result", (None, None))
    cat["result<f32, s64>"] = Node("result", (prim("f32"), prim("s64")))
    cat["variant{f32,u64,string,_}"] = Node(
        "variant", (prim("f32"), prim("u64"), prim("string"), None)
    )
    cat["variant{_,_}"] = Node("variant", (None, None))
    cat["record{char}"] = Node("record", (prim("char"),))
    cat["tuple<s8>"] = Node("tuple", (prim("s8"),))
    cat["list<list<list<string>>>"] = Node(
        "list", (Node("list", (Node("list", (prim("string"),)),)),)
    )
    rng = random.Random(int(os.environ.get("WBINDGEN_SEED", "20240611")))
    for i in range(SEEDED):
        t = random_tree(rng)
        cat[f"seeded{i}:{t.wit()[:60]}"] = t
    return cat


CATALOGUE = catalogue()


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


@pytest.fixture(scope="module", autouse=True)
def report() -> Iterator[None]:
    yield
    if COUNTS:
        print(
            f"\n[{PROFILE}] "
            + ", ".join(f"{k}: {v}" for k, v in sorted(COUNTS.items()))
        )


def bind(engine: Engine, node: Node) -> tuple[Built, rt.TypedFunc]:
    b = Built(node)
    comp = Component(engine, bytes(wasmtime.wat2wasm(b.component_wat())))
    inst = rt.instantiate(Store(engine), comp, exports=[(None, "id-x", b.func())])
    return b, inst.func(None, "id-x")


def check(f: rt.TypedFunc, arg: Any, expected: Any, tree: Node) -> None:
    fast = f(arg, *PAD)
    assert same(fast, expected), (fast, expected)
    try:
        ref = f.call_reference(arg, *PAD)
    except ValueError as e:
        # a wasmtime-py limitation (see reference_cannot_carry), not ours
        if "value not valid for this variant" in str(e) and reference_cannot_carry(
            tree
        ):
            COUNTS["values the reference path cannot carry (wasmtime-py)"] += 1
            return
        raise
    if not same(ref, expected) and reference_cannot_carry(tree):
        COUNTS["values the reference path cannot carry (wasmtime-py)"] += 1
        return
    assert same(ref, expected), (ref, expected)


@pytest.mark.parametrize("key", list(CATALOGUE))
def test_catalogued_type_round_trips(engine: Engine, key: str) -> None:
    b, f = bind(engine, CATALOGUE[key])

    @settings(max_examples=PER_TYPE, **COMMON)  # type: ignore[arg-type]
    @given(values(b))
    def run(pair: tuple[Any, Any]) -> None:
        COUNTS["catalogue values"] += 1
        check(f, *pair, CATALOGUE[key])

    run()
    COUNTS["catalogue types"] += 1


@settings(max_examples=RANDOM_TYPES, **COMMON)  # type: ignore[arg-type]
@given(type_trees(4), st.data())
def test_random_type_trees_round_trip(tree: Node, data: st.DataObject) -> None:
    engine = _engine()
    b, f = bind(engine, tree)
    COUNTS["random types"] += 1
    COUNTS[f"random types of depth {tree.depth()}"] += 1
    for _ in range(data.draw(st.integers(1, 4))):
        arg, expected = data.draw(values(b))
        COUNTS["random type values"] += 1
        check(f, arg, expected, tree)


_ENGINE: list[Engine] = []


def _engine() -> Engine:
    if not _ENGINE:
        _ENGINE.append(Engine())
    return _ENGINE[0]


@pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")
def test_reference_limitation_is_detected_exactly() -> None:
    r = Node("result", (Node("variant", (None,)), prim("u16")))
    assert reference_cannot_carry(r)
    assert reference_cannot_carry(Node("list", (r,)))
    assert not reference_cannot_carry(
        Node("result", (prim("u16"), Node("variant", (None,))))
    )
    assert not reference_cannot_carry(
        Node("option", (Node("variant", (None, prim("u8"))),))
    )
    assert reference_cannot_carry(Node("result", (prim("u8"), prim("bool"))))
    assert not reference_cannot_carry(Node("result", (prim("bool"), prim("u8"))))


def test_depth_four_trees_are_reached() -> None:
    """The strategy does produce the deepest trees the task asks for."""
    from hypothesis import find

    deep = find(
        type_trees(4),
        lambda t: t.depth() >= 5,
        settings=settings(database=None, max_examples=5000),
    )
    assert deep.depth() == 5  # four composite levels over a leaf
