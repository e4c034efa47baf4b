"""The planner and `naming` on hand-made models: the decisions docs/guide.md
("Names") promises, checked on the plan itself, without a component, wasm-tools
or wasmtime. Rendering is checked once, on the reserved names of the world
class, by importing what it writes."""

from __future__ import annotations

import importlib
import itertools
import sys
from pathlib import Path

import pytest
from wbindgen import naming
from wbindgen.docstrings import attribute_doc, doc_tail, escape_doc
from wbindgen.errors import PlanError
from wbindgen.generate import render_world
from wbindgen.imports import import_lines
from wbindgen.plan import Planner, plan_package
from wbindgen.plan_nodes import (
    EnumPlan,
    HostResourcePlan,
    ModulePlan,
    PackagePlan,
    RecordPlan,
    ResourceMethodsPlan,
    VariantPlan,
)
from wbindgen.wasmtime_wasi import wasi_owners_used
from wbindgen_runtime import model as m

IMPORT, EXPORT = m.Direction.IMPORT, m.Direction.EXPORT
U32, STRING = m.Primitive("u32"), m.Primitive("string")


# --------------------------------------------------------------------------
# Building models by hand.


def iname(text: str) -> m.InterfaceName:
    """`ns:pkg/name@version`, or a bare `name` for a world-local interface."""
    if ":" not in text:
        return m.InterfaceName("", "", text)
    ns, rest = text.split(":", 1)
    path, _, version = rest.partition("@")
    pkg, name = path.split("/")
    return m.InterfaceName(ns, pkg, name, version or None)


def owner(direction: m.Direction, name: str | None) -> m.Owner:
    return m.Owner(direction, None if name is None else iname(name))


def tid(o: m.Owner, name: str) -> m.TypeId:
    return m.TypeId(o, name)


def typedef(o: m.Owner, name: str, kind: m.TypeDefKind) -> m.TypeDef:
    return m.TypeDef(tid(o, name), kind)


def func(name: str, *params: tuple[str, m.Type], result: m.Type | None = None,
         kind: m.FunctionKind | None = None) -> m.Function:  # fmt: skip
    return m.Function(
        name, kind or m.Freestanding(), tuple(m.Param(n, t) for n, t in params), result
    )


def interface(o: m.Owner, types: tuple[m.TypeDef, ...] = (),
              functions: tuple[m.Function, ...] = ()) -> m.Interface:  # fmt: skip
    return m.Interface(o, types, functions)


def plan_of(world: m.World) -> PackagePlan:
    return plan_package(world, "pkg", "Pkg")


def module(plan: PackagePlan, *path: str) -> ModulePlan:
    (found,) = [mod for mod in plan.modules if mod.path == path]
    return found


# --------------------------------------------------------------------------
# naming: case conversion and escapes.


def test_case_conversion_follows_the_contract() -> None:
    assert naming.snake("blue-ish") == "blue_ish"
    assert naming.snake("HTTP-request") == "http_request"
    assert naming.cap_words("HTTP-request") == "HttpRequest"
    assert naming.shouty("not-found") == "NOT_FOUND"
    assert naming.snake("%for") == "for_"  # a `%`-escaped WIT keyword


def test_only_hard_keywords_are_escaped_on_the_final_identifier() -> None:
    assert naming.snake("for") == "for_"
    assert naming.snake("class") == "class_"
    assert naming.cap_words("none") == "None_"
    assert naming.shouty("true") == "TRUE"  # not a keyword once SHOUTY
    # the case class is escaped as a whole: `None_Break`, not `None__Break_`
    assert naming.case_class("none", "break") == "None_Break"
    # soft keywords and builtin-like names keep their names
    for kept in ("match", "case", "type", "list", "bytes", "str", "print", "id"):
        assert naming.snake(kept) == kept


def test_shadowed_builtins_are_spelled_through_the_builtins_alias() -> None:
    shadowed = {"list", "str", "Point"}
    assert naming.qualify_builtins("list[str]", shadowed) == "_builtins.list[_builtins.str]"
    # a shadowed name that is no builtin, and an unshadowed builtin, stay
    assert naming.qualify_builtins("Point | bytes", shadowed) == "Point | bytes"
    # attribute names (after a dot) are not the builtins
    assert naming.qualify_builtins("_rt.Ok[list[int]]", {"list"}) == "_rt.Ok[_builtins.list[int]]"
    assert naming.qualify_builtins("_m.list", {"list"}) == "_m.list"


def test_a_scope_resolves_collisions_in_claim_order() -> None:
    scope = naming.Scope(frozenset({"drop"}))
    assert scope.claim("a", "x") == "x"
    assert scope.claim("b", "x") == "x_"
    assert scope.claim("c", "x_") == "x__"  # `x_` was taken by the collision
    assert scope.claim("d", "drop") == "drop_"  # reserved names are never handed out
    # the same key always gets the same name
    assert scope.claim("b", "anything") == "x_"
    assert "x__" in scope and "y" not in scope


# --------------------------------------------------------------------------
# Docstrings.


def test_doc_escaping_cannot_end_the_string_or_break_lines() -> None:
    # (a closing quote gets a space: `""""` would end the literal early)
    assert escape_doc('say """hi""" now') == 'say \\"\\"\\"hi\\"\\"\\" now'
    assert escape_doc("a\\b") == "a\\\\b"
    assert escape_doc("nul\0 cr\r bell\x07") == "nul\\x00 cr\\x0d bell\\x07"
    assert escape_doc("line\u2028sep") == "line\\u2028sep"
    assert escape_doc("lone \udcff") == "lone \\\\udcff"
    assert escape_doc("windows\r\nends") == "windows\nends"
    assert escape_doc('ends with "') == 'ends with " '  # not `""""` at the close
    assert escape_doc("tab\tand é kept") == "tab\tand é kept"
    for bad in ('"""', "\\", "\0", "\r", "\u2028", "\u0085", "\udcff", '"'):
        text = escape_doc(f"x{bad}y{bad}")
        # what it becomes is one line of a valid triple-quoted literal
        assert "\n" not in text and eval(f'"""{text}"""')  # noqa: S307


def test_doc_layout() -> None:
    assert doc_tail(None, 4) == "" and doc_tail("", 4) == ""
    assert doc_tail("one\n\ntwo", 4) == "\n\n    one\n\n    two\n    "
    assert doc_tail("one", 0, closing=False) == "\n\none"
    assert attribute_doc("one", 4) == "one"
    assert attribute_doc("one\ntwo", 4) == "one\n    two\n    "


# --------------------------------------------------------------------------
# Module names: the ladder.


def names(*texts: str) -> dict[str, str]:
    wanted = [iname(t) for t in texts]
    got = Planner.module_names(wanted)
    return {str(n): got[n] for n in wanted}


def test_module_names_are_plain_where_unique() -> None:
    assert names("wasi:io/streams@0.2.0", "a:b/http-types") == {
        "wasi:io/streams@0.2.0": "streams",
        "a:b/http-types": "http_types",
    }


def test_module_names_qualify_by_package_then_namespace_then_version() -> None:
    assert names("a:one/types", "a:two/types", "b:two/types", "b:two/types@1.0.0",
                 "b:two/types@2.0.0-rc.1", "c:x/run") == {  # fmt: skip
        "a:one/types": "one_types",  # the package tells it apart
        "a:two/types": "a_two_types",  # the namespace does
        "b:two/types": "b_two_types",
        "b:two/types@1.0.0": "b_two_types_v1_0_0",  # only the version does
        "b:two/types@2.0.0-rc.1": "b_two_types_v2_0_0_rc_1",
        "c:x/run": "run",
    }


def test_module_names_depend_only_on_the_set() -> None:
    texts = ["a:one/types", "a:two/types", "b:two/types", "b:two/types@1.0.0", "local", "c:d/local"]
    first = names(*texts)
    for order in itertools.permutations(texts):
        assert names(*order) == first
    assert first["local"] == "local" or first["c:d/local"] != "local"
    assert len(set(first.values())) == len(texts)


def test_module_names_are_escaped_and_never_init() -> None:
    assert names("a:b/for") == {"a:b/for": "for_"}


# --------------------------------------------------------------------------
# The planner: scopes, reserved names, imports.


def test_module_level_names_reserved_and_collisions_resolved() -> None:
    api = owner(EXPORT, "a:b/api")
    world = m.World(
        imports=(),
        exports=(
            interface(api, types=(
                typedef(api, "host", m.EnumDef(("x",))),
                typedef(api, "ok", m.EnumDef(("x",))),
                typedef(api, "foo-bar", m.RecordDef((m.Field("a", U32),))),
                typedef(api, "FOO-bar", m.RecordDef((m.Field("a", U32),))),
                typedef(api, "none", m.VariantDef((m.Case("break", None), m.Case("x", U32)))),
            )),
        ),
    )  # fmt: skip
    mod = module(plan_of(world), "exports", "api.py")
    assert [b.name for b in mod.blocks] == ["Host_", "Ok_", "FooBar", "FooBar_", "None_"]
    variant = mod.blocks[-1]
    assert isinstance(variant, VariantPlan)
    assert [c.cls for c in variant.cases] == ["None_Break", "None_X"]


def test_members_named_like_builtins_keep_their_names() -> None:
    api = owner(EXPORT, "a:b/api")
    chunk = typedef(api, "chunk", m.RecordDef((
        m.Field("list", m.ListType(U32)),
        m.Field("str", STRING),
        m.Field("mro", U32),
        m.Field("for", U32),
    )))  # fmt: skip
    world = m.World(imports=(), exports=(interface(api, types=(chunk,)),))
    mod = module(plan_of(world), "exports", "api.py")
    record = mod.blocks[0]
    assert isinstance(record, RecordPlan)
    fields = {f.name: f.annotation for f in record.fields}
    # `mro` is reserved in a dataclass, `for` is a keyword; builtins stay
    assert fields == {
        "list": "_builtins.list[int]",
        "str": "_builtins.str",
        "mro_": "int",
        "for_": "int",
    }
    assert "import builtins as _builtins" in mod.import_lines


def test_reserved_names_of_generated_classes() -> None:
    api = owner(EXPORT, "a:b/api")
    host_api = owner(IMPORT, "a:b/host-api")
    res, hres = tid(api, "res"), tid(host_api, "hres")
    world = m.World(
        imports=(
            interface(host_api, types=(m.TypeDef(hres, m.ResourceDef()),), functions=(
                func("[method]hres.drop", ("self", m.BorrowType(hres)), result=U32,
                     kind=m.Method(hres)),
            )),
        ),
        exports=(
            interface(api, types=(
                m.TypeDef(res, m.ResourceDef()),
                typedef(api, "colour", m.FlagsDef(("name", "value"))),
            ), functions=(
                func("[method]res.drop", ("self", m.BorrowType(res)), result=U32, kind=m.Method(res)),
                func("[method]res.dropped", ("self", m.BorrowType(res)), kind=m.Method(res)),
                func("[method]res.get", ("self", m.BorrowType(res)), ("self", U32),
                     kind=m.Method(res)),
                func("make", ("self", U32), ("SELF", U32)),
            )),
        ),
        export_functions=(func("instantiate"), func("prepare"), func("add-to-linker"),
                          func("other")),
    )  # fmt: skip
    plan = plan_of(world)
    exported = module(plan, "exports", "api.py")
    wrapper = exported.blocks[0]
    assert isinstance(wrapper, ResourceMethodsPlan)
    assert [f.name for f in wrapper.methods] == ["drop_", "dropped_", "get"]
    # a method's own `self` is the Python self; a WIT parameter `self` is `self_`
    assert [p.name for p in wrapper.methods[2].params] == ["self_"]
    assert exported.interface_class is not None
    (make,) = exported.interface_class.functions
    assert [p.name for p in make.params] == ["self_", "self__"]
    flags = exported.blocks[1]
    assert isinstance(flags, EnumPlan)
    assert [(x.name, x.value) for x in flags.members] == [("NAME", 1), ("VALUE", 2)]
    protocol = module(plan, "imports", "host_api.py").blocks[0]
    assert isinstance(protocol, HostResourcePlan)
    assert [f.name for f in protocol.methods] == ["drop_"]
    # the world class's own API wins over the world's exports
    assert [f.name for f in plan.world.functions] == [
        "instantiate_", "prepare_", "add_to_linker_", "other",
    ]


def test_world_attributes_and_imports_fields_are_separate_namespaces() -> None:
    both = "a:b/str"
    world = m.World(
        imports=(interface(owner(IMPORT, both), functions=(func("f"),)),),
        exports=(
            interface(owner(EXPORT, both), functions=(func("f"),)),
            interface(owner(EXPORT, "a:b/instantiate"), functions=(func("f"),)),
        ),
    )
    plan = plan_of(world)
    # `str` is spelled unqualified in `instantiate`'s signature; the class
    # method `instantiate` is the world's
    assert [a.name for a in plan.world.export_attrs] == ["str_", "instantiate_"]
    assert [f.name for f in plan.world.import_fields] == ["str"]


def test_imports_follow_what_the_module_names() -> None:
    api = owner(EXPORT, "a:b/api")
    types_ = owner(EXPORT, "a:b/types")
    point = typedef(types_, "point", m.RecordDef((m.Field("x", U32),)))
    world = m.World(
        imports=(),
        exports=(
            interface(types_, types=(point,)),
            interface(api, functions=(
                func("total", ("xs", m.ListType(m.TypeRef(point.id))), result=U32),
            )),
        ),
    )  # fmt: skip
    plan = plan_of(world)
    api_mod = module(plan, "exports", "api.py")
    assert api_mod.interface_class is not None
    (total,) = api_mod.interface_class.functions
    assert total.params[0].annotation == "_typing.Sequence[_m_exports_types.Point]"
    assert api_mod.import_lines == [
        "import typing as _typing",
        "",
        "import wbindgen_runtime as _rt",
        "from wbindgen_runtime import types as _t",
        "",
        "from ..exports import types as _m_exports_types",
    ]
    assert module(plan, "exports", "types.py").import_lines == [
        "import dataclasses as _dataclasses",
        "",
        "import wbindgen_runtime as _rt",  # its (empty) interface class
        "from wbindgen_runtime import types as _t",
    ]


def test_import_lines_are_grouped_and_sorted() -> None:
    from wbindgen import imports as i

    lines = import_lines({i.T, i.TYPING, i.RT, i.package_module("imports.a", 1, "_m_imports_a"),
                          i.package_module("exports", 0, "_m_exports"), i.WASMTIME_COMPONENT,
                          i.WASMTIME, i.BUILTINS, i.ERR})  # fmt: skip
    assert lines == [
        "import builtins as _builtins",
        "import typing as _typing",
        "",
        "import wasmtime as _wasmtime",
        "import wasmtime.component as _wasmtime_component",
        "import wbindgen_runtime as _rt",
        "from wbindgen_runtime import Err as Err",
        "from wbindgen_runtime import types as _t",
        "",
        "from . import exports as _m_exports",
        "from ..imports import a as _m_imports_a",
    ]


# --------------------------------------------------------------------------
# What of WASI is wasmtime's, over the model's reachability walk.


def _wasi_world(export_fn: m.Function) -> m.World:
    streams = owner(IMPORT, "wasi:io/streams@0.2.0")
    error = owner(IMPORT, "wasi:io/error@0.2.0")
    clocks = owner(IMPORT, "wasi:clocks/monotonic-clock@0.2.0")
    err = m.TypeDef(tid(error, "error"), m.ResourceDef())
    stream = m.TypeDef(tid(streams, "output-stream"), m.ResourceDef())
    stream_err = m.TypeDef(tid(streams, "error"), m.AliasDef(m.TypeRef(err.id)))
    return m.World(
        imports=(
            interface(error, types=(err,)),
            interface(streams, types=(stream_err, stream), functions=(
                func("[method]output-stream.write", ("self", m.BorrowType(stream.id)),
                     result=m.ResultType(None, m.OwnType(stream_err.id)),
                     kind=m.Method(stream.id)),
            )),
            interface(clocks, functions=(func("now", result=m.Primitive("u64")),)),
        ),
        exports=(),
        export_functions=(export_fn,),
    )  # fmt: skip


def test_types_reachable_from_follow_aliases_fields_and_handles() -> None:
    w = owner(EXPORT, None)
    inner = typedef(w, "inner", m.EnumDef(("a",)))
    alias = typedef(w, "alias", m.AliasDef(m.TypeRef(inner.id)))
    res = m.TypeDef(tid(w, "res"), m.ResourceDef())
    outer = typedef(w, "outer", m.VariantDef((
        m.Case("x", m.TupleType((m.TypeRef(alias.id), m.OwnType(res.id)))),
        m.Case("y", m.OptionType(m.TypeRef(inner.id))),
    )))  # fmt: skip
    world = m.World(imports=(), exports=(), export_types=(inner, alias, res, outer))
    reached = world.types_reachable_from([None, U32, m.ListType(m.TypeRef(outer.id))])
    assert reached == [outer.id, alias.id, inner.id, res.id]  # depth first, each once
    assert world.types_reachable_from([m.ResultType(None, None), STRING]) == []


def test_a_wasi_interface_gets_a_module_only_when_its_types_are_used() -> None:
    world = _wasi_world(func("f", ("s", m.BorrowType(tid(owner(IMPORT, "wasi:io/streams@0.2.0"),
                                                          "output-stream")))))  # fmt: skip
    used = {str(o.interface) for o in wasi_owners_used(world)}
    # streams by the export; error by the streams module's own method
    assert used == {"wasi:io/streams@0.2.0", "wasi:io/error@0.2.0"}
    plan = plan_of(world)
    assert sorted(mod.path[-1] for mod in plan.modules if mod.path[0] == "imports") == [
        "__init__.py", "error.py", "streams.py",
    ]
    # wasmtime's: no Protocol, no imports field
    assert all(mod.host_protocol is None for mod in plan.modules)
    assert plan.world.uses_wasi and not plan.world.import_fields
    assert wasi_owners_used(_wasi_world(func("g"))) == set()


def test_an_exported_wasi_interface_passing_wasmtimes_resources_is_refused() -> None:
    stream = tid(owner(IMPORT, "wasi:io/streams@0.2.0"), "output-stream")
    run = owner(EXPORT, "wasi:cli/run@0.2.0")
    handler = owner(EXPORT, "wasi:http/incoming-handler@0.2.0")
    base = _wasi_world(func("g"))
    ok = m.World(imports=base.imports, exports=(interface(run, functions=(
        func("run", result=m.ResultType(None, None)),)),))  # fmt: skip
    assert [a.name for a in plan_of(ok).world.export_attrs] == ["run"]
    bad = m.World(imports=base.imports, exports=(interface(handler, functions=(
        func("handle", ("out", m.OptionType(m.OwnType(stream)))),)),))  # fmt: skip
    with pytest.raises(PlanError, match=r"`handle` passes the resource `output-stream`"):
        plan_of(bad)


# --------------------------------------------------------------------------
# Rendered: the world class's own API survives exports named like it.


def test_world_class_api_wins_over_exports_named_like_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = m.World(
        imports=(),
        exports=(interface(owner(EXPORT, "a:b/add-to-linker"), functions=(func("f"),)),),
        export_functions=(func("prepare", result=U32), func("instantiate", result=U32)),
    )
    for rel, text in render_world(world, "reserved_pkg", "Reserved").items():
        (tmp_path / "reserved_pkg" / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "reserved_pkg" / rel).write_text(text)
    monkeypatch.syspath_prepend(str(tmp_path))
    pkg = importlib.import_module("reserved_pkg")
    try:
        cls = pkg.Reserved
        for api in ("instantiate", "prepare", "add_to_linker"):
            assert isinstance(cls.__dict__[api], classmethod), api
        assert callable(cls.prepare_) and callable(cls.instantiate_)
        assert "add_to_linker_" in cls.__slots__
    finally:
        for name in [n for n in sys.modules if n.startswith("reserved_pkg")]:
            del sys.modules[name]


# --------------------------------------------------------------------------
# Functions: what the docstring says is raised, and the descriptor's keyword.


def test_a_top_level_result_is_raised_and_said_so() -> None:
    base = owner(IMPORT, "a:b/base")
    types_ = owner(EXPORT, "a:b/types")
    api = owner(EXPORT, "a:b/api")
    host = owner(IMPORT, "a:b/host")
    code = typedef(base, "code", m.EnumDef(("bad",)))
    # an alias in another module: the docstring names it, nothing imports it
    alias = typedef(types_, "failure", m.AliasDef(m.TypeRef(code.id)))
    world = m.World(
        imports=(
            interface(base, types=(code,)),
            interface(host, functions=(
                func("check", ("x", U32), result=m.ResultType(U32, m.ListType(STRING))),
            )),
        ),
        exports=(
            interface(types_, types=(alias,)),
            interface(api, functions=(
                func("div", ("a", U32), result=m.ResultType(U32, m.TypeRef(alias.id))),
                func("bare", result=m.ResultType(None, None)),
                func("plain", result=m.OptionType(m.ResultType(U32, STRING))),
            )),
        ),
    )  # fmt: skip
    plan = plan_of(world)
    api_mod = module(plan, "exports", "api.py")
    assert api_mod.interface_class is not None
    div, bare, plain = api_mod.interface_class.functions
    assert div.returns == "int"
    assert div.doc_tail == "\n\n        Raises `Err[Failure]` carrying the function's error.\n        "
    assert "Raises `Err[None]`" in bare.doc_tail
    assert plain.doc_tail == ""  # a result inside an option is a value
    exprs = [d.expr for d in api_mod.func_descriptors]
    assert exprs == [
        "_t.Func((('a', _t.U32),), _t.Result(_t.U32, _m_imports_base._T_Code), raises=True)",
        "_t.Func((), _t.Result(None, None), raises=True)",
        "_t.Func((), _t.Option(_t.Result(_t.U32, _t.STRING)))",
    ]
    assert not any("exports import types" in line for line in api_mod.import_lines)
    host_mod = module(plan, "imports", "host.py")
    assert host_mod.host_protocol is not None
    (check,) = host_mod.host_protocol.functions
    # what the host raises is what an export would accept
    assert "Raise `Err[_typing.Sequence[str]]`" not in check.doc_tail
    assert "Raise `Err[Sequence[str]]` to return the function's error." in check.doc_tail


# --------------------------------------------------------------------------
# The async face.


def test_the_async_face_names_come_after_every_wit_name() -> None:
    """A WIT type named like an async class keeps its name; the async class
    and the interface's async class take the next free ones."""
    api = owner(EXPORT, "a:b/api")
    counter = tid(api, "counter")
    world = m.World(
        imports=(),
        exports=(
            interface(
                api,
                types=(
                    typedef(api, "counter", m.ResourceDef()),
                    typedef(api, "counter-async", m.RecordDef((m.Field("a", U32),))),
                    typedef(api, "api-async", m.EnumDef(("x",))),
                ),
                functions=(
                    func("[constructor]counter", ("v", U32), result=m.OwnType(counter),
                         kind=m.Constructor(counter)),
                    func("[method]counter.get", ("self", m.BorrowType(counter)), result=U32,
                         kind=m.Method(counter)),
                    func("peek", ("c", m.BorrowType(counter)), result=U32),
                ),
            ),
        ),
    )  # fmt: skip
    mod = module(plan_of(world), "exports", "api.py")
    assert [b.name for b in mod.blocks] == ["Counter", "CounterAsync", "ApiAsync"]
    res = mod.blocks[0]
    assert isinstance(res, ResourceMethodsPlan)
    assert (res.async_name, res.async_statics_class) == ("CounterAsync_", "_CounterClassAsync")
    assert mod.interface_class is not None
    assert (mod.interface_class.name, mod.interface_class.async_name) == ("Api", "ApiAsync_")
    (peek,) = mod.interface_class.functions
    assert peek.params[0].annotation == "Counter"
    assert peek.aface is not None and peek.aface.params[0].annotation == "CounterAsync_"
    assert res.constructor is not None and res.constructor.aface is not None
    assert res.constructor.aface.returns == "CounterAsync_"


def test_wit_async_funcs_are_marked_for_the_async_face_and_imported_ones_refused() -> None:
    api = owner(EXPORT, "a:b/api")
    fetch = m.Function("fetch", m.Freestanding(), (m.Param("url", STRING),), STRING, is_async=True)
    world = m.World(imports=(), exports=(interface(api, functions=(fetch,)),))
    mod = module(plan_of(world), "exports", "api.py")
    (f,) = mod.functions
    assert f.is_async and "is_async=True" in mod.func_descriptors[0].expr
    host = owner(IMPORT, "a:b/net")
    imported = m.World(imports=(interface(host, functions=(fetch,)),), exports=())
    with pytest.raises(PlanError, match="'fetch': an imported WIT async func cannot be served yet"):
        plan_of(imported)


def test_host_protocols_of_the_async_face_accept_awaitables() -> None:
    host = owner(IMPORT, "a:b/net")
    world = m.World(
        imports=(interface(host, functions=(func("get", ("url", STRING), result=STRING),)),),
        exports=(),
    )
    mod = module(plan_of(world), "imports", "net.py")
    assert mod.host_protocol is not None
    (get,) = mod.host_protocol.functions
    assert get.returns == "str"
    assert get.aface is not None and get.aface.returns == "str | _typing.Awaitable[str]"
