"""The wasm-tools oracle for the WIT front end: `wasm-tools component wit
--json` of a WIT folder or file, normalised into the model.

The normaliser is written independently of `bindgen/wit`: it takes
wit-parser's resolved world (already elaborated by wasm-tools: implied
imports added, includes merged, gates applied) and maps it onto the model's
conventions (import/export owners, `use` as an alias of the other
interface's type, a bare resource name as `own`). Equality of the two models
then checks parsing, resolution, ordering and elaboration against wasm-tools.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from wbindgen_runtime import model as m

Json = Any


def wit_json(wasm_tools: str, path: Path, features: tuple[str, ...] = ()) -> Json:
    cmd = [wasm_tools, "component", "wit", "--json", str(path)]
    if features:
        cmd += ["--features", ",".join(features)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise AssertionError(f"wasm-tools failed on {path}:\n{proc.stderr}")
    return json.loads(proc.stdout)


def _docs(node: Json) -> str | None:
    d = node.get("docs")
    return None if d is None else d.get("contents")


class Normaliser:
    def __init__(self, data: Json, world_index: int) -> None:
        self.d = data
        self.w = data["worlds"][world_index]
        self.exported = {
            v["interface"]["id"]
            for k, v in self.w["exports"].items()
            if "interface" in v and k.startswith("interface-")
        }

    def iname(self, iface_id: int) -> m.InterfaceName:
        iface = self.d["interfaces"][iface_id]
        pkg = self.d["packages"][iface["package"]]["name"]
        base, _, version = pkg.partition("@")
        ns, _, name = base.partition(":")
        return m.InterfaceName(ns, name, iface["name"], version or None)

    def owner_of(self, tid: int, here: int | None, owner: m.Owner) -> m.Owner:
        t = self.d["types"][tid]
        o = t["owner"]
        if o is None or "world" in o:
            return m.Owner(m.Direction.IMPORT, None)
        k = o["interface"]
        if k == here:
            return owner
        if owner.direction is m.Direction.EXPORT and k in self.exported:
            return m.Owner(m.Direction.EXPORT, self.iname(k))
        return m.Owner(m.Direction.IMPORT, self.iname(k))

    def tid(self, tid: int, here: int | None, owner: m.Owner) -> m.TypeId:
        return m.TypeId(self.owner_of(tid, here, owner), self.d["types"][tid]["name"])

    def is_resource(self, tid: int) -> bool:
        kind = self.d["types"][tid]["kind"]
        while isinstance(kind, dict) and isinstance(kind.get("type"), int):
            kind = self.d["types"][kind["type"]]["kind"]
        return kind == "resource"

    def ty(self, t: Json, here: int | None, owner: m.Owner) -> m.Type:
        if isinstance(t, str):
            return m.Primitive(t)  # type: ignore[arg-type]
        td = self.d["types"][t]
        if td["name"] is not None:
            if self.is_resource(t):
                return m.OwnType(self.tid(t, here, owner))
            return m.TypeRef(self.tid(t, here, owner))
        return self.structural(td["kind"], here, owner)

    def structural(self, kind: Json, here: int | None, owner: m.Owner) -> m.Type:
        ((tag, v),) = kind.items()
        if tag == "list":
            return m.ListType(self.ty(v, here, owner))
        if tag == "option":
            return m.OptionType(self.ty(v, here, owner))
        if tag == "tuple":
            return m.TupleType(tuple(self.ty(e, here, owner) for e in v["types"]))
        if tag == "result":
            return m.ResultType(
                None if v.get("ok") is None else self.ty(v["ok"], here, owner),
                None if v.get("err") is None else self.ty(v["err"], here, owner),
            )
        if tag == "handle":
            ((h, rid),) = v.items()
            cls = m.OwnType if h == "own" else m.BorrowType
            return cls(self.tid(rid, here, owner))
        if tag == "type":
            return self.ty(v, here, owner)
        raise AssertionError(f"unexpected anonymous type {kind}")

    def typedef(self, tid: int, here: int | None, owner: m.Owner) -> m.TypeDef:
        td = self.d["types"][tid]
        kind = td["kind"]
        out: m.TypeDefKind
        if kind == "resource":
            out = m.ResourceDef()
        else:
            ((tag, v),) = kind.items()
            if tag == "record":
                out = m.RecordDef(tuple(
                    m.Field(f["name"], self.ty(f["type"], here, owner), _docs(f))
                    for f in v["fields"]
                ))  # fmt: skip
            elif tag == "variant":
                out = m.VariantDef(tuple(
                    m.Case(c["name"], None if c.get("type") is None
                           else self.ty(c["type"], here, owner), _docs(c))
                    for c in v["cases"]
                ))  # fmt: skip
            elif tag in ("enum", "flags"):
                items = v["cases"] if tag == "enum" else v["flags"]
                docs = tuple(_docs(x) for x in items)
                cls = m.EnumDef if tag == "enum" else m.FlagsDef
                out = cls(
                    tuple(x["name"] for x in items),
                    docs if any(d is not None for d in docs) else None,
                )
            elif tag == "type" and isinstance(v, int) and self.d["types"][v]["name"] is not None:
                out = m.AliasDef(m.TypeRef(self.tid(v, here, owner)))
            else:
                out = m.AliasDef(self.structural(kind, here, owner))
        return m.TypeDef(m.TypeId(owner, td["name"]), out, _docs(td))

    def function(self, f: Json, here: int | None, owner: m.Owner) -> m.Function:
        k = f["kind"]
        kind: m.FunctionKind
        # wasm-tools spells an async function's kind with an "async-" prefix.
        is_async = False
        if isinstance(k, str) and k.startswith("async-"):
            k, is_async = k.removeprefix("async-"), True
        elif isinstance(k, dict) and any(t.startswith("async-") for t in k):
            k, is_async = {t.removeprefix("async-"): v for t, v in k.items()}, True
        if k == "freestanding":
            kind = m.Freestanding()
        else:
            ((tag, rid),) = k.items()
            cls = {"method": m.Method, "static": m.Static, "constructor": m.Constructor}[tag]
            kind = cls(self.tid(rid, here, owner))
        return m.Function(
            f["name"],
            kind,
            tuple(m.Param(p["name"], self.ty(p["type"], here, owner)) for p in f["params"]),
            None if f.get("result") is None else self.ty(f["result"], here, owner),
            _docs(f),
            is_async=is_async,
        )

    def interface(self, key: str, iface_id: int, direction: m.Direction) -> m.Interface:
        iface = self.d["interfaces"][iface_id]
        name = (
            self.iname(iface_id) if key.startswith("interface-") else m.InterfaceName("", "", key)
        )
        owner = m.Owner(direction, name)
        return m.Interface(
            owner,
            tuple(self.typedef(t, iface_id, owner) for t in iface["types"].values()),
            tuple(self.function(f, iface_id, owner) for f in iface["functions"].values()),
            _docs(iface),
        )

    def world(self) -> m.World:
        imp = m.Owner(m.Direction.IMPORT, None)
        exp = m.Owner(m.Direction.EXPORT, None)
        imports, itypes, ifuncs, exports, efuncs = [], [], [], [], []
        for key, item in self.w["imports"].items():
            if "interface" in item:
                imports.append(self.interface(key, item["interface"]["id"], m.Direction.IMPORT))
            elif "type" in item:
                itypes.append(self.typedef(item["type"], None, imp))
            else:
                ifuncs.append(self.function(item["function"], None, imp))
        for key, item in self.w["exports"].items():
            if "interface" in item:
                exports.append(self.interface(key, item["interface"]["id"], m.Direction.EXPORT))
            else:
                efuncs.append(self.function(item["function"], None, exp))
        return m.World(
            imports=tuple(imports),
            exports=tuple(exports),
            import_types=tuple(itypes),
            import_functions=tuple(ifuncs),
            export_functions=tuple(efuncs),
            name=self.w["name"],
            docs=_docs(self.w),
        )


def oracle_worlds(data: Json, package: str) -> dict[str, m.World]:
    """Every world of `package` (`ns:name@version`) as the model."""
    out: dict[str, m.World] = {}
    for i, w in enumerate(data["worlds"]):
        if data["packages"][w["package"]]["name"] == package:
            out[w["name"]] = Normaliser(data, i).world()
    return out
