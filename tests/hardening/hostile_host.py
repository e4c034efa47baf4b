"""A host program using the bindings of the hostile component (see hostile.py).

mypy --strict checks it against the generated package; the test then runs
`main`. Every call goes by keyword, under the hostile parameter names.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import wasmtime
from hostile import Err, Hostile, HostileImports, Ok, Some
from hostile.exports import match as m
from hostile.imports import host as h
from hostile.imports import typing as ty

PADS: dict[str, int] = dict(
    cls=1, type=2, match=3, case=4, list=5, bytes=6, tuple=7, value=8, name=9, drop=10,
    instantiate=11, host=12, lambda_=13, class_=14, str=15, bound=2**64 - 1,
)  # fmt: skip


class HostThing:
    """Satisfies h.Host_: the imported resource `host`."""

    def __init__(self, v: int) -> None:
        self.v = v
        self.dropped = False

    def drop_(self) -> int:  # the WIT method `drop`
        return self.v * 2

    def int(self) -> int:
        return self.v * 3

    def drop(self) -> None:  # the drop notification
        self.dropped = True


class HostIface:
    def __init__(self) -> None:
        self.made: list[HostThing] = []

    def host(self, self_: int) -> h.Host_:
        t = HostThing(self_)
        self.made.append(t)
        return t

    def host_value(self, self_: int) -> int:
        return self_ + 100

    def host_value_(self, self_: int) -> int:
        return self_ + 1000

    def list(self, bytes: bytes) -> int:
        return len(bytes) + 20000

    def match(self, case: int) -> int:
        return case + 10000


class TypingIface:
    def ok(self, host: ty.Host_) -> int:
        return host.self + 5

    def err(self, ok: ty.Some_) -> ty.Some_:
        return ty.Some_.ERR if ok is ty.Some_.ERR else ty.Some_.OK


def a_self(seed: int) -> m.Self:
    kw: dict[str, Any] = {f.name: seed % 256 for f in dataclasses.fields(m.Self)}
    kw.update({"self": seed, "cls": f"cls\"'\\{seed}", "value": seed / 2, "list": bytes([seed % 256]) * 3,
               "str": ["\"\"\"", "'''", "\\", "\n"]})  # fmt: skip
    return m.Self(**kw)


def main(component: str) -> dict[str, int]:
    store = wasmtime.Store()
    hosts = HostIface()
    inst = Hostile.instantiate(
        store, component, HostileImports(host=hosts, typing=TypingIface())
    )
    api = inst.match
    checked = 0

    s = a_self(3)
    assert api.match(self_=s, **PADS) == s
    for v in (m.Type_None(), m.Type_Some(7), m.Type_Ok("ok"), m.Type_Err(s), m.Type_Match([s, a_self(4)]),
              m.Type_Case(m.List.DROP), m.Type_Case(None)):  # fmt: skip
        assert api.case(self_=v, **PADS) == v
        checked += 1
    for e in m.List:
        assert api.class_(self_=e, **PADS) is e
        assert api.dropped(self_=e, **PADS) is e
        checked += 2
    everything = (
        m.Int.NONE | m.Int.ALL | m.Int.VALUE | m.Int.NAME | m.Int.SELF | m.Int.CLASS
    )
    for fl in (m.Int(0), m.Int.NONE, m.Int.SELF | m.Int.CLASS, everything):
        assert api.cls(self_=fl, **PADS) == fl
        assert api.err(self_=(m.List.MRO, fl), **PADS) == (m.List.MRO, fl)
        checked += 2
    for fb in (m.FooBar_Baz(1), m.FooBar_None()):
        assert api.print(self_=fb, **PADS) == fb
    for fo in (m.Foo_BarBaz(2), m.Foo_None()):
        assert api.object(self_=fo, **PADS) == fo
    assert api.instantiate(self_=s, **PADS) == s
    assert api.drop(self_=[s, s], **PADS) == [s, s]
    assert api.host(self_=m.Type_Some(1), **PADS) == m.Type_Some(1)
    for text in ("", '"""', "'''\\N{BULLET}", "__import__('os').system('x')", "\x00\n"):
        assert api.str(self_=text, **PADS) == text
        checked += 1
    for raw in (b"", b"\x00\xff", bytearray(b"ab"), memoryview(b"xyz")[1:]):
        out: bytes = api.bytes(self_=raw, **PADS)
        assert out == bytes(raw) and type(out) is bytes
        assert inst.bytes.bytes(bytes=raw) == bytes(raw)
        checked += 2
    words: list[str] = api.tuple(self_=("a", '"""', ""), **PADS)
    assert words == ["a", '"""', ""]
    assert api.float(self_=-0.5, **PADS) == -0.5 and api.float(self_=3, **PADS) == 3.0
    checked += 2
    opts: list[Some[m.List | None] | None] = [None, Some(None), Some(m.List.TRUE)]
    for o in opts:
        assert api.value(self_=o, **PADS) == o
    assert (
        api.name(self_=Ok(s), **PADS) == s
    )  # a function's result: ok value or raise Err
    try:
        api.name(self_=Err(m.Type_None()), **PADS)
        raise AssertionError("no Err")
    except Err as e:
        assert e.value == m.Type_None()
    checked += 14

    b = api.bound(self_=40)
    assert b.drop_() == 41 and b.dropped_() == 42 and not b.dropped
    assert b.int() == 44
    assert api.bound.instantiate(cls=5) == 8
    with api.bound(self_=1) as other:
        assert b.value(cls=other) == 41
    assert other.dropped
    b.drop()
    assert b.dropped
    checked += 6

    assert inst.self.self(self_=6) == 42
    assert inst.instantiate_(self_=1) == 2
    assert inst.int(self_=5) == 15
    x = 9
    assert inst.run(self_=x) == 9 * x + 31106
    assert [t.dropped for t in hosts.made] == [True]
    checked += 5
    return {"calls checked": checked}
