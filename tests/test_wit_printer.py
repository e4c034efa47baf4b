"""The WIT printer on hand-built models: exact text, in the style of
`wasm-tools component wit`."""

from __future__ import annotations

from pathlib import Path

from reader_components.support import canonical_wit, require_wasm_tools, wasm_tools_wit
from wbindgen.wit_printer import ident, print_world
from wbindgen_runtime.model import (
    AliasDef,
    BorrowType,
    Case,
    Constructor,
    Direction,
    EnumDef,
    Field,
    FlagsDef,
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
    VariantDef,
    World,
)

U32 = Primitive("u32")
STRING = Primitive("string")
TYPES = InterfaceName("test", "pkg", "types", "1.0.0")
API = InterfaceName("test", "pkg", "api", "1.0.0")
IMP_TYPES = Owner(Direction.IMPORT, TYPES)
IMP_API = Owner(Direction.IMPORT, API)
EXP_API = Owner(Direction.EXPORT, API)


def test_ident_escapes_keywords_only() -> None:
    assert ident("type") == "%type"
    assert ident("result") == "%result"
    assert ident("types") == "types"
    assert ident("get-a") == "get-a"


def _types_interface() -> Interface:
    point = TypeId(IMP_TYPES, "point")
    return Interface(
        IMP_TYPES,
        (
            TypeDef(point, RecordDef((Field("x", U32), Field("type", U32)))),
            TypeDef(TypeId(IMP_TYPES, "pt"), AliasDef(TypeRef(point))),
            TypeDef(TypeId(IMP_TYPES, "blob"), ResourceDef()),
        ),
        (),
    )


def _api_interface(owner: Owner) -> Interface:
    counter = TypeId(owner, "counter")
    shape = TypeId(owner, "shape")
    return Interface(
        owner,
        (
            TypeDef(TypeId(owner, "point"), AliasDef(TypeRef(TypeId(IMP_TYPES, "point")))),
            TypeDef(TypeId(owner, "p2"), AliasDef(TypeRef(TypeId(IMP_TYPES, "pt")))),
            TypeDef(counter, ResourceDef()),
            TypeDef(
                shape,
                VariantDef((Case("none", None), Case("dot", TypeRef(TypeId(owner, "point"))))),
            ),
            TypeDef(TypeId(owner, "color"), EnumDef(("red", "green"))),
            TypeDef(TypeId(owner, "perms"), FlagsDef(("read", "write"))),
            TypeDef(TypeId(owner, "handle"), AliasDef(OwnType(counter))),
        ),
        (
            Function(
                "[constructor]counter",
                Constructor(counter),
                (Param("init", U32),),
                OwnType(counter),
            ),
            Function(
                "[method]counter.get",
                Method(counter),
                (Param("self", BorrowType(counter)),),
                ResultType(U32, STRING),
            ),
            Function(
                "[static]counter.merge",
                Static(counter),
                (Param("a", OwnType(counter)), Param("b", BorrowType(counter))),
                OwnType(counter),
            ),
            Function(
                "f",
                Freestanding(),
                (Param("s", TypeRef(shape)), Param("l", ListType(OptionType(STRING)))),
                TupleType((ResultType(None, None), ResultType(None, U32), ResultType(U32, None))),
            ),
            Function("g", Freestanding(), (), None),
        ),
    )


def test_full_world() -> None:
    local = InterfaceName("", "", "local")
    local_owner = Owner(Direction.EXPORT, local)
    token = TypeId(Owner(Direction.IMPORT, None), "token")
    world = World(
        imports=(_types_interface(), _api_interface(IMP_API)),
        exports=(
            _api_interface(EXP_API),
            Interface(
                local_owner,
                (TypeDef(TypeId(local_owner, "pt"), AliasDef(TypeRef(TypeId(IMP_TYPES, "pt")))),),
                (
                    Function(
                        "use-it",
                        Freestanding(),
                        (Param("p", TypeRef(TypeId(local_owner, "pt"))),),
                        None,
                    ),
                ),
            ),
        ),
        import_types=(
            TypeDef(
                TypeId(Owner(Direction.IMPORT, None), "point"),
                AliasDef(TypeRef(TypeId(IMP_TYPES, "point"))),
            ),
            TypeDef(token, ResourceDef()),
        ),
        import_functions=(
            Function(
                "[constructor]token", Constructor(token), (), ResultType(OwnType(token), STRING)
            ),
            Function("check", Freestanding(), (Param("t", BorrowType(token)),), Primitive("bool")),
        ),
        export_functions=(Function("run", Freestanding(), (), None),),
    )
    assert print_world(world) == EXPECTED


EXPECTED = """\
package root:component;

world root {
  import test:pkg/types@1.0.0;
  import test:pkg/api@1.0.0;
  use test:pkg/types@1.0.0.{point};

  resource token {
    constructor() -> result<token, string>;
  }
  import check: func(t: borrow<token>) -> bool;

  export test:pkg/api@1.0.0;
  export local: interface {
    use test:pkg/types@1.0.0.{pt};

    use-it: func(p: pt);
  }
  export run: func();
}
package test:pkg@1.0.0 {
  interface types {
    record point {
      x: u32,
      %type: u32,
    }

    type pt = point;

    resource blob;
  }
  interface api {
    use types.{point, pt as p2};

    resource counter {
      constructor(init: u32);
      get: func() -> result<u32, string>;
      merge: static func(a: counter, b: borrow<counter>) -> counter;
    }

    variant shape {
      none,
      dot(point),
    }

    enum color {
      red,
      green,
    }

    flags perms {
      read,
      write,
    }

    type handle = own<counter>;

    f: func(s: shape, l: list<option<string>>) -> tuple<result, result<_, u32>, result<u32>>;
    g: func();
  }
}
"""


def test_printed_wit_is_valid_wit(tmp_path: Path) -> None:
    """wasm-tools parses what the printer writes and reads back the same."""
    require_wasm_tools()
    path = tmp_path / "world.wit"
    path.write_text(EXPECTED)
    assert canonical_wit(wasm_tools_wit(path)) == canonical_wit(EXPECTED)
