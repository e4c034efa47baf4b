"""Host imports: the guest calls Python; exceptions and resources come back intact."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import wbindgen_runtime as rt
from support.wasmtime_bugs import HOST_BORROW_INTO_EXPORT
from wasmtime import Engine, Store
from wasmtime.component import Component
from wbindgen_runtime import Err
from wbindgen_runtime.types import STRING, U32, Borrow, Func, ImportedResource, Own, Result

HERE = Path(__file__).parent / "runtime_components"
IFACE = "test:rt/host"
BLOB = ImportedResource("blob")


class Blob:
    """A host-implemented resource: ``drop()`` is the drop notification."""

    def __init__(self, log: list[str], init: str) -> None:
        self.log = log
        self.data = init
        log.append(f"new {init}")

    def read(self) -> str:
        return self.data.upper()

    def drop(self) -> None:
        self.log.append(f"drop {self.data}")


class Host:
    def __init__(self) -> None:
        self.log: list[str] = []
        self.boom_exc = KeyError("from host")

    def add(self, a: int, b: int) -> int:
        return (a + b) & 0xFFFFFFFF

    def greet(self, name: str) -> str:
        return f"hello, {name}!"

    def check(self, x: int) -> int:
        if x == 0:
            raise Err("zero")
        return x * 2

    def boom(self) -> None:
        raise self.boom_exc


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


@pytest.fixture(scope="module")
def component(engine: Engine) -> Component:
    return Component(engine, (HERE / "host.wat").read_text())


EXPORTS = [
    (None, "call-add", Func((("a", U32), ("b", U32)), U32)),
    (None, "add-loop", Func((("n", U32),), U32)),
    (None, "call-greet", Func((("name", STRING),), STRING)),
    (None, "call-check", Func((("x", U32),), Result(U32, STRING), raises=True)),
    (None, "call-boom", Func()),
    (None, "blob-roundtrip", Func((("init", STRING),), STRING)),
    (None, "keep", Func((("init", STRING),))),
    (None, "read-kept", Func((), STRING)),
    (None, "drop-kept", Func()),
    (None, "read-borrowed", Func((("b", Borrow(BLOB)),), STRING)),
    (None, "echo-own", Func((("b", Own(BLOB)),), Own(BLOB))),
    (None, "take-own", Func((("b", Own(BLOB)),))),
]


def bind(engine: Engine, component: Component, host: Host, **kw: Any) -> rt.BoundInstance:
    imports = [
        (IFACE, "add", Func((("a", U32), ("b", U32)), U32), host.add),
        (IFACE, "greet", Func((("name", STRING),), STRING), host.greet),
        (IFACE, "check", Func((("x", U32),), Result(U32, STRING), raises=True), host.check),
        (IFACE, "boom", Func(), host.boom),
        (
            IFACE,
            "[constructor]blob",
            Func((("init", STRING),), Own(BLOB)),
            lambda s: Blob(host.log, s),
        ),
        (IFACE, "[method]blob.read", Func((("self", Borrow(BLOB)),), STRING), Blob.read),
    ]
    return rt.instantiate(
        Store(engine),
        component,
        exports=EXPORTS,
        imports=imports,
        resources=[(IFACE, "blob", BLOB)],
        **kw,
    )


def test_guest_calls_host(engine: Engine, component: Component) -> None:
    inst = bind(engine, component, Host())
    assert inst.func(None, "call-add")(2, 40) == 42
    assert inst.func(None, "add-loop")(1000) == 1000
    assert inst.func(None, "call-greet")("wörld") == "hello, wörld!"
    assert inst.func(None, "call-greet").call_reference("x") == "hello, x!"


def test_host_result_raises_err(engine: Engine, component: Component) -> None:
    inst = bind(engine, component, Host())
    f = inst.func(None, "call-check")
    assert f(21) == 42
    with pytest.raises(Err) as info:
        f(0)
    assert info.value.value == "zero"
    with pytest.raises(Err):
        f.call_reference(0)


def test_host_exception_propagates_as_same_object(engine: Engine, component: Component) -> None:
    host = Host()
    inst = bind(engine, component, host)
    with pytest.raises(KeyError) as info:
        inst.func(None, "call-boom")()
    assert info.value is host.boom_exc
    with pytest.raises(rt.InstanceTrappedError):
        inst.func(None, "call-add")(1, 2)


def test_host_exception_through_reference_path(engine: Engine, component: Component) -> None:
    host = Host()
    inst = bind(engine, component, host)
    with pytest.raises(KeyError) as info:
        inst.func(None, "call-boom").call_reference()
    assert info.value is host.boom_exc


def test_bad_host_result_names_the_import(engine: Engine, component: Component) -> None:
    host = Host()
    host.greet = lambda name: 5  # type: ignore[method-assign,assignment,return-value]
    inst = bind(engine, component, host)
    with pytest.raises(
        TypeError, match="host import 'test:rt/host' function 'greet' result: expected str, got int"
    ):
        inst.func(None, "call-greet")("x")


def test_imported_resource_lifecycle(engine: Engine, component: Component) -> None:
    host = Host()
    inst = bind(engine, component, host)
    assert inst.func(None, "blob-roundtrip")("abc") == "ABC"
    assert host.log == ["new abc", "drop abc"]
    inst.func(None, "keep")("kept")
    assert inst.func(None, "read-kept")() == "KEPT"
    assert host.log[-1] == "new kept"
    table = inst.state.tables[BLOB]
    assert len(table.objects) == 1
    inst.func(None, "drop-kept")()
    assert host.log[-1] == "drop kept"
    assert not table.objects


@HOST_BORROW_INTO_EXPORT.needs_fix
def test_host_resource_passed_in_and_back(engine: Engine, component: Component) -> None:
    host = Host()
    inst = bind(engine, component, host)
    b = Blob(host.log, "mine")
    assert inst.func(None, "read-borrowed")(b) == "MINE"
    back = inst.func(None, "echo-own")(b)
    assert back is b
    inst.func(None, "take-own")(b)
    assert host.log[-1] == "drop mine"
    assert not inst.state.tables[BLOB].objects


def test_drop_exception_reaches_caller(engine: Engine, component: Component) -> None:
    host = Host()
    inst = bind(engine, component, host)
    b = Blob(host.log, "x")
    err = RuntimeError("drop failed")

    def bad_drop() -> None:
        raise err

    b.drop = bad_drop  # type: ignore[method-assign]
    with pytest.raises(RuntimeError) as info:
        inst.func(None, "take-own")(b)
    assert info.value is err


def test_missing_import_is_a_type_check_error(engine: Engine, component: Component) -> None:
    with pytest.raises(
        rt.TypeCheckError, match="import 'test:rt/host' function 'add': the component imports it"
    ):
        rt.instantiate(Store(engine), component, exports=EXPORTS, resources=[(IFACE, "blob", BLOB)])


def test_import_type_mismatch(engine: Engine, component: Component) -> None:
    host = Host()
    imports = [(IFACE, "add", Func((("a", U32), ("b", STRING)), U32), host.add)]
    with pytest.raises(
        rt.TypeCheckError,
        match="import 'test:rt/host' function 'add' param 'b': expected string, found u32",
    ):
        rt.instantiate(Store(engine), component, exports=EXPORTS, imports=imports)


def test_reentrancy_host_calls_another_instance(engine: Engine, component: Component) -> None:
    inner = bind(engine, component, Host())
    host = Host()
    host.add = lambda a, b: inner.func(None, "call-add")(a, b) + 1000  # type: ignore[method-assign]
    outer = bind(engine, component, host)
    assert outer.func(None, "call-add")(1, 2) == 1003
    assert outer.func(None, "add-loop")(3) == 3003


@HOST_BORROW_INTO_EXPORT.needs_fix
def test_host_resources_through_reference_path(engine: Engine, component: Component) -> None:
    host = Host()
    inst = bind(engine, component, host)
    table = inst.state.tables[BLOB]
    b = Blob(host.log, "ref")
    assert inst.func(None, "read-borrowed").call_reference(b) == "REF"
    assert not table.objects  # a borrow of an unknown object is registered for the call only
    back = inst.func(None, "echo-own").call_reference(b)
    assert back is b
    assert not table.objects
    inst.func(None, "take-own").call_reference(b)
    assert host.log[-1] == "drop ref"
    assert not table.objects
    # The two paths share the table: a blob kept by the guest is borrowed by its rep.
    inst.func(None, "keep")("kept")
    assert inst.func(None, "read-kept").call_reference() == "KEPT"
    (kept,) = table.objects.values()
    assert inst.func(None, "read-borrowed").call_reference(kept) == "KEPT"
    assert len(table.objects) == 1


@HOST_BORROW_INTO_EXPORT.needs_fix
def test_reference_path_equals_fast_path_for_host_resources(
    engine: Engine, component: Component
) -> None:
    fast, ref = Host(), Host()
    a, b = bind(engine, component, fast), bind(engine, component, ref)
    for inst, log, call in ((a, fast.log, "__call__"), (b, ref.log, "call_reference")):
        blob = Blob(log, "x")
        assert getattr(inst.func(None, "read-borrowed"), call)(blob) == "X"
        assert getattr(inst.func(None, "echo-own"), call)(blob) is blob
        getattr(inst.func(None, "take-own"), call)(blob)
        assert getattr(inst.func(None, "blob-roundtrip"), call)("y") == "Y"
    assert fast.log == ref.log


class _NoScan(dict[int, Any]):
    """A rep table that fails if anyone walks it (a borrow lookup must not)."""

    def __iter__(self) -> Any:
        raise AssertionError("linear scan of the handle table")

    items = values = keys = __iter__  # type: ignore[assignment]


def test_host_table_finds_borrowed_objects_by_identity_without_scanning() -> None:
    from wbindgen_runtime.resources import HostTable

    class Anything:
        """Equal to everything and unhashable: only identity may be used."""

        __hash__ = None  # type: ignore[assignment]

        def __eq__(self, other: object) -> bool:
            return True

    table = HostTable("blob", 1)
    table.objects = _NoScan()
    a, b = Anything(), Anything()
    ra, rb = table.insert(a), table.insert(b)
    for _ in range(1000):
        table.insert(Anything())  # a big table: lookups stay O(1)
    assert table.rep_of(a) == ra and table.rep_of(b) == rb
    assert table.rep_of(Anything()) is None
    ra2 = table.insert(a)  # lowered as own twice: two reps, one object
    assert ra2 != ra and table.rep_of(a) in (ra, ra2)
    table.remove(ra2)
    assert table.rep_of(a) == ra
    assert table.take(ra) is a
    assert table.rep_of(a) is None
    table.forget(rb)
    assert table.rep_of(b) is None
    assert len(table.objects) == 1000


def test_host_table_ids_are_not_confused_after_an_object_dies() -> None:
    """An id is reused by CPython once its object is freed; the table keeps its objects alive,
    and forgets the id together with the object."""
    from wbindgen_runtime.resources import HostTable

    table = HostTable("blob", 1)
    rep = table.insert(Blob([], "first"))
    old = table.take(rep)
    del old
    fresh = Blob([], "second")  # may well get the same id
    assert table.rep_of(fresh) is None


@HOST_BORROW_INTO_EXPORT.needs_fix
def test_borrow_of_a_kept_object_reuses_its_rep(engine: Engine, component: Component) -> None:
    host = Host()
    inst = bind(engine, component, host)
    inst.func(None, "keep")("kept")
    table = inst.state.tables[BLOB]
    ((rep, kept),) = table.objects.items()
    assert inst.func(None, "read-borrowed")(kept) == "KEPT"
    assert table.objects == {rep: kept}
