"""Random WIT type trees, their identity components, descriptors and values.

A `Node` is one WIT type. From a tree of them this module builds:

* the component text of an identity function ``id(x: T, p0..p15: u64) -> T``
  (the identity machinery of ``tests/runtime_components/wat.py``: the
  seventeen parameters spill to memory, so ``x`` sits at offset 0 of the
  parameter tuple, which is exactly the memory layout of a ``T`` result);
* the runtime descriptor (`wbindgen_runtime.types`) with freshly made Python
  classes for its records, variants, enums and flags;
* a hypothesis strategy of Python values of T in the contract's forms,
  paired with the value the call must give back (`expected`);
* `same(a, b)`: equality that is exact about types and treats NaN as NaN.
"""

from __future__ import annotations

import dataclasses
import enum
import math
import random
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st
from wbindgen_runtime import Err, Ok, Some
from wbindgen_runtime import types as T

PRIMS = (
    "bool",
    "s8",
    "u8",
    "s16",
    "u16",
    "s32",
    "u32",
    "s64",
    "u64",
    "f32",
    "f64",
    "char",
    "string",
)
PRIM_DESC = {p: getattr(T, p.upper()) for p in PRIMS}
PADS = 16

# --------------------------------------------------------------------------
# The tree.


@dataclass(eq=False)
class Node:
    """One WIT type. ``kind`` is a primitive name or one of
    list/option/result/tuple/record/variant/enum/flags. ``kids`` are the
    child types (``None`` for an absent result side or an empty case);
    ``count`` is the member count of an enum or flags."""

    kind: str
    kids: tuple[Node | None, ...] = ()
    count: int = 0
    # Filled in by `Built`: the WAT name of a named type.
    name: str = field(default="", compare=False)

    def wit(self) -> str:
        """The WIT spelling (for reports; names are the generated t0, f0...)."""
        k = self.kind
        if k in PRIMS:
            return k
        if k == "list":
            return f"list<{self.kids[0].wit()}>"  # type: ignore[union-attr]
        if k == "option":
            return f"option<{self.kids[0].wit()}>"  # type: ignore[union-attr]
        if k == "result":
            ok, err = self.kids
            parts = [ok.wit() if ok else "_"] + ([err.wit()] if err else [])
            return (
                "result"
                if ok is None and err is None
                else f"result<{', '.join(parts)}>"
            )
        if k == "tuple":
            return f"tuple<{', '.join(c.wit() for c in self.kids)}>"  # type: ignore[union-attr]
        if k == "record":
            return "record{" + ", ".join(f"f{i}: {c.wit()}" for i, c in enumerate(self.kids)) + "}"  # type: ignore[union-attr]
        if k == "variant":
            return (
                "variant{"
                + ", ".join(
                    f"c{i}" + (f"({c.wit()})" if c else "")
                    for i, c in enumerate(self.kids)
                )
                + "}"
            )
        return f"{k}[{self.count}]"

    def depth(self) -> int:
        return 1 + max((c.depth() for c in self.kids if c is not None), default=0)


def prim(name: str) -> Node:
    return Node(name)


# --------------------------------------------------------------------------
# Strategies of trees.

_leaf = st.one_of(
    st.sampled_from(PRIMS).map(prim),
    st.integers(1, 300).map(lambda n: Node("enum", count=n)),
    st.integers(1, 32).map(lambda n: Node("flags", count=n)),
)


def type_trees(max_depth: int = 4) -> st.SearchStrategy[Node]:
    """WIT types nested up to `max_depth` composite levels."""
    if max_depth <= 0:
        return _leaf
    sub = type_trees(max_depth - 1)
    opt_sub = st.one_of(st.none(), sub)
    return st.deferred(
        lambda: st.one_of(
            _leaf,
            sub.map(lambda c: Node("list", (c,))),
            sub.map(lambda c: Node("option", (c,))),
            st.tuples(opt_sub, opt_sub).map(lambda kids: Node("result", kids)),
            st.lists(sub, min_size=1, max_size=4).map(
                lambda kids: Node("tuple", tuple(kids))
            ),
            st.lists(sub, min_size=1, max_size=4).map(
                lambda kids: Node("record", tuple(kids))
            ),
            st.lists(opt_sub, min_size=1, max_size=5).map(
                lambda kids: Node("variant", tuple(kids))
            ),
        )
    )


def random_tree(rng: random.Random, depth: int = 4) -> Node:
    """A seeded random tree (for the long per-type runs), biased to composites."""
    if depth <= 0 or rng.random() < 0.2:
        r = rng.random()
        if r < 0.8:
            return prim(rng.choice(PRIMS))
        if r < 0.9:
            return Node("enum", count=rng.choice([1, 2, 3, 255, 256, 257]))
        return Node("flags", count=rng.choice([1, 8, 9, 16, 17, 32]))
    kind = rng.choice(["list", "option", "result", "tuple", "record", "variant"])
    sub = lambda: random_tree(rng, depth - 1)  # noqa: E731
    maybe = lambda: sub() if rng.random() < 0.7 else None  # noqa: E731
    if kind in ("list", "option"):
        return Node(kind, (sub(),))
    if kind == "result":
        return Node(kind, (maybe(), maybe()))
    if kind == "variant":
        return Node(kind, tuple(maybe() for _ in range(rng.randint(1, 5))))
    return Node(kind, tuple(sub() for _ in range(rng.randint(1, 4))))


# --------------------------------------------------------------------------
# Canonical ABI facts needed to pick the identity's core function.


def _disc_size(n: int) -> int:
    return 1 if n <= 256 else 2 if n <= 65536 else 4


def flat(t: Node | None) -> list[str]:
    if t is None:
        return []
    k = t.kind
    if k in ("s64", "u64"):
        return ["i64"]
    if k in ("f32", "f64"):
        return [k]
    if k in ("string", "list"):
        return ["i32", "i32"]
    if k in PRIMS or k in ("enum", "flags"):
        return ["i32"]
    if k == "list":
        return ["i32", "i32"]
    if k in ("record", "tuple"):
        return [f for c in t.kids for f in flat(c)]
    # option, result, variant: discriminant + joined payloads
    cases = [t.kids[0], None] if k == "option" else list(t.kids)
    joined: list[str] = []
    for c in cases:
        for i, f in enumerate(flat(c)):
            if i < len(joined):
                if joined[i] != f:
                    joined[i] = "i32" if {joined[i], f} == {"i32", "f32"} else "i64"
            else:
                joined.append(f)
    return ["i32"] + joined


def size(t: Node) -> int:
    k = t.kind
    if k in ("bool", "s8", "u8"):
        return 1
    if k in ("s16", "u16"):
        return 2
    if k in ("s32", "u32", "f32", "char"):
        return 4
    if k in ("s64", "u64", "f64"):
        return 8
    if k in ("string", "list"):
        return 8
    if k == "enum":
        return _disc_size(t.count)
    if k == "flags":
        return 1 if t.count <= 8 else 2 if t.count <= 16 else 4
    raise AssertionError("only single-flat types are sized here")


def load_kind(t: Node) -> str:
    """The LOADS key of wat.py whose core function gives back a T."""
    fl = flat(t)
    if len(fl) != 1:
        return "ptr"
    f = fl[0]
    if f != "i32":
        return f
    # One i32: a scalar, an enum, flags, a payload-less variant or result, or
    # a record/tuple of exactly one such thing.
    node = t
    while node.kind in ("record", "tuple"):
        node = node.kids[0]  # type: ignore[assignment]
    if node.kind in ("variant", "result", "option"):
        n = 2 if node.kind != "variant" else len(node.kids)
        s = _disc_size(n)
    else:
        s = size(node)
    return {1: "u8", 2: "u16", 4: "i32"}[s]


# --------------------------------------------------------------------------
# Component text, descriptors and values.


@dataclass
class Built:
    """One type tree made concrete: its WAT, descriptor and Python classes."""

    root: Node
    defs: list[str] = field(default_factory=list)
    desc: Any = None
    classes: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._n = 0
        self.wat_type = self._wat(self.root)
        self.desc = self._desc(self.root)

    # WAT ------------------------------------------------------------------
    def _wat(self, t: Node | None) -> str:
        assert t is not None
        k = t.kind
        if k in PRIMS:
            return k
        if k == "list":
            return f"(list {self._wat(t.kids[0])})"
        if k == "option":
            return f"(option {self._wat(t.kids[0])})"
        if k == "result":
            ok, err = t.kids
            return (
                "(result"
                + (f" {self._wat(ok)}" if ok else "")
                + (f" (error {self._wat(err)})" if err else "")
                + ")"
            )
        if k == "tuple":
            return "(tuple " + " ".join(self._wat(c) for c in t.kids) + ")"
        if k == "record":
            body = " ".join(
                f'(field "f{i}" {self._wat(c)})' for i, c in enumerate(t.kids)
            )
            return self._named(t, f"(record {body})")
        if k == "variant":
            body = " ".join(
                f'(case "c{i}"' + (f" {self._wat(c)}" if c else "") + ")"
                for i, c in enumerate(t.kids)
            )
            return self._named(t, f"(variant {body})")
        if k == "enum":
            return self._named(
                t, "(enum " + " ".join(f'"e{i}"' for i in range(t.count)) + ")"
            )
        if k == "flags":
            return self._named(
                t, "(flags " + " ".join(f'"g{i}"' for i in range(t.count)) + ")"
            )
        raise AssertionError(k)

    def _named(self, t: Node, body: str) -> str:
        t.name = f"t{self._n}"
        self._n += 1
        self.defs.append(
            f"  (type ${t.name}' {body})\n  (export ${t.name} \"{t.name}\" (type ${t.name}'))"
        )
        return f"${t.name}"

    # descriptors ------------------------------------------------------------
    def _desc(self, t: Node | None) -> Any:
        assert t is not None
        k = t.kind
        if k in PRIMS:
            return PRIM_DESC[k]
        if k == "list":
            return T.List(self._desc(t.kids[0]))
        if k == "option":
            return T.Option(self._desc(t.kids[0]))
        if k == "result":
            ok, err = t.kids
            return T.Result(
                self._desc(ok) if ok else None, self._desc(err) if err else None
            )
        if k == "tuple":
            return T.Tuple(tuple(self._desc(c) for c in t.kids))
        cap = t.name.upper()
        if k == "record":
            cls = dataclasses.make_dataclass(cap, [f"f{i}" for i in range(len(t.kids))])
            self.classes[t.name] = cls
            return T.Record(
                t.name,
                cls,
                tuple((f"f{i}", f"f{i}", self._desc(c)) for i, c in enumerate(t.kids)),
            )
        if k == "variant":
            cases = []
            for i, c in enumerate(t.kids):
                cls = dataclasses.make_dataclass(f"{cap}_C{i}", ["value"] if c else [])
                cases.append((f"c{i}", self._desc(c) if c else None, cls))
            self.classes[t.name] = cases
            return T.Variant(t.name, tuple(cases))
        if k == "enum":
            cls = enum.Enum(cap, [(f"E{i}", i) for i in range(t.count)])  # type: ignore[misc]
            self.classes[t.name] = cls
            return T.Enum(t.name, cls, tuple(f"e{i}" for i in range(t.count)))
        if k == "flags":
            cls = enum.Flag(cap, [(f"G{i}", 1 << i) for i in range(t.count)])  # type: ignore[misc]
            self.classes[t.name] = cls
            return T.Flags(t.name, cls, tuple(f"g{i}" for i in range(t.count)))
        raise AssertionError(k)

    # the component ------------------------------------------------------------
    def component_wat(self) -> str:
        from runtime_components.wat import Identity, identity_component

        ident = Identity("x", self.wat_type, load_kind(self.root))
        return identity_component([ident], "\n".join(self.defs))

    def func(self) -> T.Func:
        pads = tuple((f"p{i}", T.U64) for i in range(PADS))
        return T.Func((("x", self.desc),) + pads, self.desc)


# --------------------------------------------------------------------------
# Values: strategies of (argument, expected result) pairs.

_INT = {n: T.INT_RANGES[n] for n in T.INT_RANGES}
CHARS = st.characters(blacklist_categories=("Cs",))


def values(
    b: Built, t: Node | None = None, *, top: bool = True
) -> st.SearchStrategy[tuple[Any, Any]]:
    """(argument, expected) pairs for the tree `t` (default: the root).

    The argument uses any accepted form (a tuple for a list, a bytearray or
    memoryview for list<u8>, an int for a float); `expected` is the form the
    call returns."""
    t = b.root if t is None else t
    k = t.kind
    small = 6 if top else 3
    if k == "bool":
        return st.booleans().map(lambda v: (v, v))
    if k in _INT:
        lo, hi = _INT[k]
        return st.integers(lo, hi).map(lambda v: (v, v))
    if k in ("f32", "f64"):
        w = 32 if k == "f32" else 64
        floats = st.floats(width=w).map(lambda v: (v, v))
        ints = st.integers(-(1 << 24), 1 << 24).map(lambda v: (v, float(v)))
        return st.one_of(floats, ints)
    if k == "char":
        return CHARS.map(lambda v: (v, v))
    if k == "string":
        return st.text(CHARS, max_size=40 if top else 8).map(lambda v: (v, v))
    if k == "list":
        elem = t.kids[0]
        assert elem is not None
        if elem.kind == "u8":
            raw = st.binary(max_size=64 if top else 8)
            return st.one_of(
                raw.map(lambda v: (v, v)),
                raw.map(lambda v: (bytearray(v), v)),
                raw.map(lambda v: (memoryview(v), v)),
            )
        items = st.lists(values(b, elem, top=False), max_size=small)
        return st.one_of(
            items.map(lambda xs: ([a for a, _ in xs], [e for _, e in xs])),
            items.map(lambda xs: (tuple(a for a, _ in xs), [e for _, e in xs])),
        )
    if k == "option":
        inner = t.kids[0]
        assert inner is not None
        wrap = inner.kind == "option"
        some = values(b, inner, top=False).map(
            lambda p: (Some(p[0]), Some(p[1])) if wrap else p
        )
        return st.one_of(st.just((None, None)), some)
    if k == "result":
        ok, err = t.kids
        oks = values(b, ok, top=False) if ok else st.just((None, None))
        errs = values(b, err, top=False) if err else st.just((None, None))
        return st.one_of(
            oks.map(lambda p: (Ok(p[0]), Ok(p[1]))),
            errs.map(lambda p: (Err(p[0]), Err(p[1]))),
        )
    if k == "tuple":
        return st.tuples(*(values(b, c, top=False) for c in t.kids)).map(  # type: ignore[arg-type]
            lambda ps: (tuple(a for a, _ in ps), tuple(e for _, e in ps))
        )
    if k == "record":
        cls = b.classes[t.name]
        return st.tuples(*(values(b, c, top=False) for c in t.kids)).map(  # type: ignore[arg-type]
            lambda ps: (cls(*(a for a, _ in ps)), cls(*(e for _, e in ps)))
        )
    if k == "variant":
        cases = b.classes[t.name]
        options = []
        for (_, _, cls), c in zip(cases, t.kids):
            if c is None:
                options.append(st.just(cls).map(lambda c_: (c_(), c_())))
            else:
                options.append(
                    values(b, c, top=False).map(lambda p, c_=cls: (c_(p[0]), c_(p[1])))
                )
        return st.one_of(*options)
    if k == "enum":
        return st.sampled_from(list(b.classes[t.name])).map(lambda v: (v, v))
    if k == "flags":
        cls = b.classes[t.name]
        return st.integers(0, (1 << t.count) - 1).map(
            lambda bits: (cls(bits), cls(bits))
        )
    raise AssertionError(k)


# --------------------------------------------------------------------------
# Where wasmtime-py's dynamic API (the reference path) cannot carry a value.

_PY_CLASSES = {
    "bool": "bool",
    "char": "str",
    "string": "str",
    "f32": "float",
    "f64": "float",
}


def _dyn_classes(t: Node | None) -> set[str]:
    """The Python classes wasmtime-py's dynamic API uses for a value of t."""
    if t is None:
        return {"object"}  # a payload-less case
    k = t.kind
    if k in PRIMS:
        return {_PY_CLASSES.get(k, "int")}
    if k == "list":
        return (
            {"bytes"} if t.kids[0] is not None and t.kids[0].kind == "u8" else {"list"}
        )
    simple = {"tuple": "tuple", "record": "Record", "enum": "str", "flags": "set"}
    if k in simple:
        return {simple[k]}
    cases = _dyn_cases(t)
    seen: set[str] = set()
    for c in cases:
        cs = _dyn_classes(c)
        if cs & seen:
            return {"Variant"}  # tagged
        seen |= cs
    return seen


def _dyn_cases(t: Node) -> list[Node | None]:
    return [None, t.kids[0]] if t.kind == "option" else list(t.kids)


def reference_cannot_carry(t: Node | None) -> bool:
    """wasmtime-py picks an untagged variant's case by `isinstance` against
    each case's classes in order, and gives a payload-less case the class
    `object`: a case whose payload type is itself such an untagged
    variant-like type swallows every later case (e.g. `result<variant{c0},
    u16>` cannot carry `Err(5)` through the dynamic API: `ValueError: value
    not valid for this variant`); and a case of an integer type swallows a
    later `bool` case (`result<u8, bool>` turns `Err(False)` into `Ok(0)`)."""
    if t is None or t.kind in PRIMS or t.kind in ("enum", "flags"):
        return False
    if any(reference_cannot_carry(c) for c in t.kids):
        return True
    if t.kind not in ("option", "result", "variant") or _dyn_classes(t) == {"Variant"}:
        return False
    classes = [_dyn_classes(c) if c is not None else set() for c in _dyn_cases(t)]
    for i, cs in enumerate(classes[:-1]):
        later = set().union(*classes[i + 1 :])
        # `object` matches anything; `int` matches a bool (bool subclasses int)
        if "object" in cs or ("int" in cs and "bool" in later):
            return True
    return False


def same(a: Any, b: Any) -> bool:
    """Equal values of exactly the same types; NaN equals NaN (any payload)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return (math.isnan(a) and math.isnan(b)) or (
            a == b and math.copysign(1, a) == math.copysign(1, b)
        )
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, (Some, Ok, Err)):
        return same(a.value, b.value)
    if dataclasses.is_dataclass(a):
        return all(
            same(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a)
        )
    return bool(a == b)
