"""What the reader recovers from real wit-component-shaped components,
built from the WIT sources in `reader_components/` with `wasm-tools
component embed --dummy` + `component new` (skipped without wasm-tools).

Each test states the exact model it expects: twins stay distinct, aliases
and `use`s keep their names and owners, an interface both imported and
exported gets two owners, resources get their constructors, methods and
statics, and versions survive.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from reader_components.support import build_from_source, canonical_wit, wasm_tools_wit
from wbindgen.wit_printer import print_world
from wbindgen_runtime.model import (
    AliasDef,
    BorrowType,
    Constructor,
    Direction,
    EnumDef,
    Field,
    Freestanding,
    Function,
    Interface,
    InterfaceName,
    ListType,
    Method,
    OptionType,
    Owner,
    OwnType,
    Param,
    Primitive,
    RecordDef,
    ResourceDef,
    ResultType,
    Static,
    TupleType,
    TypeDef,
    TypeId,
    TypeRef,
    World,
)
from wbindgen_runtime.reader import read_component

IMPORT, EXPORT = Direction.IMPORT, Direction.EXPORT


def iface(world: World, direction: Direction, name: str) -> Interface:
    side = world.imports if direction is IMPORT else world.exports
    found = [i for i in side if str(i.name) == name]
    assert len(found) == 1, [str(i.name) for i in side]
    return found[0]


def typedef(i: Interface, name: str) -> TypeDef:
    return next(td for td in i.types if td.name == name)


def func(i: Interface, name: str) -> Function:
    return next(f for f in i.functions if f.name == name)


def ref(owner: Owner, name: str) -> TypeRef:
    return TypeRef(TypeId(owner, name))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[World, Path]]:
    out: dict[str, tuple[World, Path]] = {}
    for name, deps in (("twins", ()), ("aliases", ()), ("resources", ()), ("versions", ("cli",))):
        tmp = tmp_path_factory.mktemp(name)
        data = build_from_source(name, tmp, deps=deps)
        path = tmp / "component.wasm"
        out[name] = (read_component(data), path)
    return out


@pytest.mark.parametrize("name", ["twins", "aliases", "resources", "versions"])
def test_prints_what_wasm_tools_prints(built: dict[str, tuple[World, Path]], name: str) -> None:
    world, path = built[name]
    assert canonical_wit(print_world(world)) == canonical_wit(wasm_tools_wit(path))


def test_twin_records_stay_distinct(built: dict[str, tuple[World, Path]]) -> None:
    world, _ = built["twins"]
    for direction in (IMPORT, EXPORT):
        api = iface(world, direction, "test:twins/api")
        owner = Owner(direction, InterfaceName("test", "twins", "api"))
        assert typedef(api, "a").kind == typedef(api, "b").kind  # same fields...
        g = func(api, "g")  # ...but `g` speaks of `b`, never `a`
        assert g.params == (Param("p", ref(owner, "b")),)
        assert g.result == ref(owner, "b")
        f = func(api, "f")
        assert f.params == (Param("p", ref(owner, "a")), Param("q", ref(owner, "e2")))
        assert f.result == TupleType((ref(owner, "a"), ref(owner, "b"), ref(owner, "e1")))
        assert typedef(api, "e1").kind == EnumDef(("one", "two"))
    local = iface(world, IMPORT, "local-api")
    assert local.name == InterfaceName("", "", "local-api")
    h = func(local, "h")
    assert h.params == (Param("p", ref(local.owner, "b")),)
    assert h.result == ref(local.owner, "a")


def test_aliases_and_uses(built: dict[str, tuple[World, Path]]) -> None:
    world, _ = built["aliases"]
    types_name = InterfaceName("test", "aliases", "types", "0.3.0-rc.1")
    types_owner = Owner(IMPORT, types_name)
    types = iface(world, IMPORT, str(types_name))
    assert typedef(types, "point").kind == RecordDef(
        (Field("x", Primitive("s32")), Field("y", Primitive("s32")))
    )
    assert typedef(types, "pt").kind == AliasDef(ref(types_owner, "point"))
    assert typedef(types, "bytes").kind == AliasDef(ListType(Primitive("u8")))
    assert typedef(types, "blob").kind == ResourceDef()

    for direction in (IMPORT, EXPORT):
        api = iface(world, direction, "test:aliases/api@0.3.0-rc.1")
        own = api.owner
        # `use types.{point, pt, bytes as octets, blob}`: aliases of the
        # *imported* `types` interface's definitions, renamed where renamed.
        assert typedef(api, "point").kind == AliasDef(ref(types_owner, "point"))
        assert typedef(api, "pt").kind == AliasDef(ref(types_owner, "pt"))
        assert typedef(api, "octets").kind == AliasDef(ref(types_owner, "bytes"))
        assert typedef(api, "blob").kind == AliasDef(ref(types_owner, "blob"))
        # Local aliases of those stay within the interface's own side.
        assert typedef(api, "pt2").kind == AliasDef(ref(own, "pt"))
        assert typedef(api, "maybe").kind == AliasDef(OptionType(ref(own, "point")))
        move = func(api, "move")
        assert move.params == (Param("p", ref(own, "pt")), Param("by", ref(own, "pt2")))
        assert move.result == ref(own, "point")
        read = func(api, "read")
        assert read.params == (Param("b", BorrowType(TypeId(own, "blob"))),)
        assert read.result == ref(own, "octets")

    # World-level `use` and a world-level export using it.
    world_import = Owner(IMPORT, None)
    assert [td.name for td in world.import_types] == ["point", "pt"]
    assert world.import_types[1].kind == AliasDef(ref(types_owner, "pt"))
    (run,) = world.export_functions
    assert run.params == (Param("p", ref(world_import, "point")),)
    assert run.result == ref(world_import, "pt")
    # The model resolves aliases to the definition.
    assert world.resolve(run.result) == ref(types_owner, "point")


def test_interface_imported_and_exported_has_two_owners(
    built: dict[str, tuple[World, Path]],
) -> None:
    world, _ = built["twins"]
    imported = iface(world, IMPORT, "test:twins/api")
    exported = iface(world, EXPORT, "test:twins/api")
    assert imported.owner != exported.owner
    assert imported.owner.direction is IMPORT and exported.owner.direction is EXPORT
    assert {td.id.owner for td in imported.types} == {imported.owner}
    assert {td.id.owner for td in exported.types} == {exported.owner}
    assert world.typedef(TypeId(exported.owner, "b")).kind == typedef(imported, "b").kind


def test_resources_of_every_kind(built: dict[str, tuple[World, Path]]) -> None:
    world, _ = built["resources"]
    for direction in (IMPORT, EXPORT):
        counters = iface(world, direction, "test:resources/counters")
        counter = TypeId(counters.owner, "counter")
        parser = TypeId(counters.owner, "parser")
        assert typedef(counters, "counter").kind == ResourceDef()
        assert func(counters, "[constructor]counter") == Function(
            "[constructor]counter",
            Constructor(counter),
            (Param("init", Primitive("u32")),),
            OwnType(counter),
        )
        get = func(counters, "[method]counter.get")
        assert get.kind == Method(counter) and get.item_name == "get"
        assert get.params == (Param("self", BorrowType(counter)),)
        add = func(counters, "[method]counter.add")
        assert add.params == (
            Param("self", BorrowType(counter)),
            Param("other", BorrowType(counter)),
        )
        merge = func(counters, "[static]counter.merge")
        assert merge.kind == Static(counter) and merge.item_name == "merge"
        assert merge.params == (Param("a", OwnType(counter)), Param("b", OwnType(counter)))
        assert merge.result == OwnType(counter)
        fallible = func(counters, "[constructor]parser")
        assert fallible.kind == Constructor(parser) and fallible.item_name == "constructor"
        assert fallible.result == ResultType(OwnType(parser), Primitive("string"))
        assert func(counters, "make").kind == Freestanding()

    # A resource imported at the world level, with its functions.
    world_owner = Owner(IMPORT, None)
    token = TypeId(world_owner, "token")
    assert world.import_types == (TypeDef(token, ResourceDef()),)
    by_name = {f.name: f for f in world.import_functions}
    assert by_name["[constructor]token"].kind == Constructor(token)
    assert by_name["[method]token.check"].kind == Method(token)
    assert by_name["[static]token.mint"].kind == Static(token)
    assert by_name["[static]token.mint"].result == OwnType(token)
    assert by_name["check-token"].params == (Param("t", BorrowType(token)),)
    assert by_name["take-token"].params == (Param("t", OwnType(token)),)


def test_versioned_names(built: dict[str, tuple[World, Path]]) -> None:
    world, _ = built["versions"]
    greet = iface(world, IMPORT, "test:versions/greet@1.2.3")
    assert greet.name == InterfaceName("test", "versions", "greet", "1.2.3")
    assert greet.name.package_id == "test:versions@1.2.3"
    env = iface(world, IMPORT, "wasi:cli/environment@0.2.0")
    assert env.name == InterfaceName("wasi", "cli", "environment", "0.2.0")
    assert func(env, "get-arguments").result == ListType(Primitive("string"))
    assert iface(world, EXPORT, "test:versions/greet@1.2.3").owner.direction is EXPORT


# --------------------------------------------------------------------------
# Hand-written component text for encodings wit-component does not emit today.

SOURCES = Path(__file__).resolve().parent / "reader_components"


def test_export_with_type_ascription() -> None:
    """An instance exported with an ascribed instance type (older encoders)
    takes its types from the ascription, which refers to imported types by
    outer alias."""
    path = SOURCES / "ascribed_export.wat"
    world = read_component(path.read_text())
    assert canonical_wit(print_world(world)) == canonical_wit(wasm_tools_wit(path))
    types_owner = Owner(IMPORT, InterfaceName("a", "b", "types"))
    again = iface(world, EXPORT, "a:b/api-again")
    own = again.owner
    assert typedef(again, "point").kind == AliasDef(ref(types_owner, "point"))
    f = func(again, "f")
    assert f.params == (Param("s", ref(own, "shape")),)
    assert f.result == ref(own, "pair")


def test_one_instance_type_imported_twice() -> None:
    world = read_component((SOURCES / "double_import.wat").read_text())
    one = iface(world, IMPORT, "a:b/one")
    two = iface(world, IMPORT, "a:b/two@1.0.0")
    for i in (one, two):
        assert [td.name for td in i.types] == ["res", "point", "pt"]
        assert typedef(i, "pt").kind == AliasDef(ref(i.owner, "point"))
        get = func(i, "[method]res.get")
        assert get.params == (Param("self", BorrowType(TypeId(i.owner, "res"))),)
        assert get.result == ref(i.owner, "pt")
    (mix,) = world.import_functions
    assert mix.params == (
        Param("p", ref(one.owner, "point")),
        Param("r", OwnType(TypeId(two.owner, "res"))),
    )
    assert mix.result == ref(one.owner, "point")
