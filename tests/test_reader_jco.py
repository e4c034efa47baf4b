"""The model of real components (jco's fixtures, built by wit-bindgen and
other toolchains) against `wasm-tools component wit --json` as an oracle.

Both sides are reduced to the same plain structure: per world item, every
named type (name, kind, fields/cases/members, alias target), every function
(name, kind and its resource, params, result) and, for each reference to a
named type, its owner (interface, with direction) and name.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from reader_components.support import JCO, require_shared, require_wasm_tools
from wbindgen_runtime.model import (
    AliasDef,
    BorrowType,
    Constructor,
    Direction,
    EnumDef,
    FlagsDef,
    Freestanding,
    Function,
    Interface,
    ListType,
    Method,
    OptionType,
    Owner,
    OwnType,
    Primitive,
    RecordDef,
    ResourceDef,
    ResultType,
    Static,
    TupleType,
    Type,
    TypeDef,
    TypeId,
    TypeRef,
    VariantDef,
    World,
)
from wbindgen_runtime.reader import read_component

FIXTURES = sorted(JCO.glob("*.component.wasm")) if JCO.is_dir() else []

# --------------------------------------------------------------------------
# The model, reduced.


def _owner(o: Owner) -> str:
    where = str(o.interface) if o.interface is not None else "world"
    return f"{o.direction.value} {where}"


def _ref(tid: TypeId) -> str:
    return f"{_owner(tid.owner)}.{tid.name}"


def _mty(t: Type | None) -> object:
    match t:
        case None:
            return None
        case Primitive(name=n):
            return n
        case ListType(element=e):
            return ["list", _mty(e)]
        case TupleType(elements=es):
            return ["tuple", [_mty(e) for e in es]]
        case OptionType(inner=i):
            return ["option", _mty(i)]
        case ResultType(ok=ok, err=err):
            return ["result", _mty(ok), _mty(err)]
        case OwnType(resource=r):
            return ["own", _ref(r)]
        case BorrowType(resource=r):
            return ["borrow", _ref(r)]
        case TypeRef(id=tid):
            return ["ref", _ref(tid)]
    raise AssertionError(t)


def _mdef(td: TypeDef) -> object:
    match td.kind:
        case RecordDef(fields=fs):
            return ["record", [[f.name, _mty(f.type)] for f in fs]]
        case VariantDef(cases=cs):
            return ["variant", [[c.name, _mty(c.type)] for c in cs]]
        case EnumDef(members=ms):
            return ["enum", list(ms)]
        case FlagsDef(members=ms):
            return ["flags", list(ms)]
        case ResourceDef():
            return ["resource"]
        case AliasDef(target=t):
            return ["type", _mty(t)]
    raise AssertionError(td)


def _mfunc(f: Function) -> object:
    match f.kind:
        case Freestanding():
            kind: object = "freestanding"
        case Constructor(resource=r):
            kind = ["constructor", _ref(r)]
        case Method(resource=r):
            kind = ["method", _ref(r)]
        case Static(resource=r):
            kind = ["static", _ref(r)]
    return [kind, [[p.name, _mty(p.type)] for p in f.params], _mty(f.result)]


def _minterface(i: Interface) -> object:
    return {
        "types": {td.name: _mdef(td) for td in i.types},
        "functions": {f.name: _mfunc(f) for f in i.functions},
    }


def reduce_model(w: World) -> dict[str, object]:
    out: dict[str, object] = {}
    for d, ifaces, types, funcs in (
        (Direction.IMPORT, w.imports, w.import_types, w.import_functions),
        (Direction.EXPORT, w.exports, w.export_types, w.export_functions),
    ):
        for i in ifaces:
            out[f"{d.value} {i.name}"] = _minterface(i)
        out[f"{d.value} world"] = {
            "types": {td.name: _mdef(td) for td in types},
            "functions": {f.name: _mfunc(f) for f in funcs},
        }
    return out


# --------------------------------------------------------------------------
# wasm-tools' JSON (a wit-parser Resolve), reduced the same way.


class _Json:
    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc
        world = doc["worlds"][0]
        # Interface id -> the world key naming it, and in which directions.
        self.iface_name: dict[int, str] = {}
        self.iface_dirs: dict[int, set[str]] = {}
        for d in ("imports", "exports"):
            for key, item in world[d].items():
                if "interface" in item:
                    iid = item["interface"]["id"]
                    self.iface_name[iid] = self._name(iid, key)
                    self.iface_dirs.setdefault(iid, set()).add(d[:-1])
        # The direction a reference means: wit-component shares an interface
        # both imported and exported; the model gives each side its own
        # types, and an exported interface's references to itself are to its
        # export side.
        self.context: tuple[str, int | None] = ("import", None)

    def _name(self, iid: int, key: str) -> str:
        iface = self.doc["interfaces"][iid]
        if iface["name"] is None:
            return key
        pkg = self.doc["packages"][iface["package"]]["name"]
        base, _, ver = pkg.partition("@")
        return f"{base}/{iface['name']}" + (f"@{ver}" if ver else "")

    def owner(self, owner: dict[str, int]) -> str:
        if "world" in owner:
            return f"{self.context[0]} world"
        iid = owner["interface"]
        dirs = self.iface_dirs.get(iid, {"import"})
        if len(dirs) == 1:
            direction = next(iter(dirs))
        elif self.context[1] == iid:
            direction = self.context[0]
        else:
            direction = "import"
        return f"{direction} {self.iface_name[iid]}"

    def ref(self, tid: int) -> str:
        td = self.doc["types"][tid]
        return f"{self.owner(td['owner'])}.{td['name']}"

    def ty(self, t: Any) -> object:
        if t is None:
            return None
        if isinstance(t, str):
            return t
        td = self.doc["types"][t]
        if td["name"] is not None:
            return ["ref", self.ref(t)]
        return self.anon(td["kind"])

    def anon(self, kind: Any) -> object:
        ((tag, body),) = kind.items()
        match tag:
            case "list":
                return ["list", self.ty(body)]
            case "tuple":
                return ["tuple", [self.ty(e) for e in body["types"]]]
            case "option":
                return ["option", self.ty(body)]
            case "result":
                return ["result", self.ty(body["ok"]), self.ty(body["err"])]
            case "handle":
                ((h, rid),) = body.items()
                return [h, self.ref(rid)]
            case "type":
                return self.ty(body)
        raise AssertionError(kind)

    def typedef(self, tid: int) -> object:
        kind = self.doc["types"][tid]["kind"]
        if kind == "resource":
            return ["resource"]
        ((tag, body),) = kind.items()
        match tag:
            case "record":
                return ["record", [[f["name"], self.ty(f["type"])] for f in body["fields"]]]
            case "variant":
                return ["variant", [[c["name"], self.ty(c["type"])] for c in body["cases"]]]
            case "enum":
                return ["enum", [c["name"] for c in body["cases"]]]
            case "flags":
                return ["flags", [f["name"] for f in body["flags"]]]
            case "type":
                return ["type", self.ty(body)]
            case _:
                return ["type", self.anon(kind)]

    def func(self, f: dict[str, Any]) -> object:
        kind = f["kind"]
        if kind != "freestanding":
            ((tag, rid),) = kind.items()
            kind = [tag, self.ref(rid)]
        return [
            kind,
            [[p["name"], self.ty(p["type"])] for p in f["params"]],
            self.ty(f.get("result")),
        ]

    def reduce(self) -> dict[str, object]:
        world = self.doc["worlds"][0]
        out: dict[str, object] = {}
        for d in ("imports", "exports"):
            direction = d[:-1]
            top: dict[str, dict[str, object]] = {"types": {}, "functions": {}}
            for item in world[d].values():
                if "interface" in item:
                    iid = item["interface"]["id"]
                    self.context = (direction, iid)
                    iface = self.doc["interfaces"][iid]
                    out[f"{direction} {self.iface_name[iid]}"] = {
                        "types": {n: self.typedef(t) for n, t in iface["types"].items()},
                        "functions": {n: self.func(f) for n, f in iface["functions"].items()},
                    }
                else:
                    self.context = (direction, None)
                    if "type" in item:
                        tid = item["type"]
                        top["types"][self.doc["types"][tid]["name"]] = self.typedef(tid)
                    else:
                        f = item["function"]
                        top["functions"][f["name"]] = self.func(f)
            out[f"{direction} world"] = top
        return out


def reduce_json(path: Path) -> dict[str, object]:
    tool = require_wasm_tools()
    proc = subprocess.run(
        [tool, "component", "wit", "--json", str(path)], check=True, capture_output=True, text=True
    )
    return _Json(json.loads(proc.stdout)).reduce()


def test_jco_fixtures_present() -> None:
    require_shared(JCO)
    assert len(FIXTURES) == 10


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name.split(".")[0])
def test_jco_model_matches_wasm_tools(path: Path) -> None:
    expected = reduce_json(path)
    actual = reduce_model(read_component(path.read_bytes()))
    assert set(actual) == set(expected)
    for key in sorted(actual):
        direction, _, name = key.partition(" ")
        other = f"{'export' if direction == 'import' else 'import'} {name}"
        if name == "world" or other not in actual:
            assert actual[key] == expected[key], key
            continue
        # wit-component decodes an interface both imported and exported as
        # one interface holding the members of both sides; the model keeps
        # the sides apart. Each side must agree with it member by member,
        # and together they must cover it.
        mine, theirs, opposite = actual[key], expected[key], actual[other]
        assert isinstance(mine, dict) and isinstance(theirs, dict) and isinstance(opposite, dict)
        for part in ("types", "functions"):
            for member, value in mine[part].items():
                assert theirs[part][member] == value, (key, member)
            assert set(mine[part]) | set(opposite[part]) == set(theirs[part]), (key, part)


def test_oracle_reduction_is_not_vacuous() -> None:
    """The reduction keeps what matters: the resources fixture has resource
    methods, own/borrow handles and a world-level interface mix."""
    require_shared(JCO)
    reduced = reduce_json(JCO / "resources.component.wasm")
    exports = reduced["export exports"]
    assert isinstance(exports, dict)
    add = exports["functions"]["add"]
    assert add == [
        "freestanding",
        [["a", ["borrow", "export exports.z"]], ["b", ["borrow", "export exports.z"]]],
        ["own", "export exports.z"],
    ]
