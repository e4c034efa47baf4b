"""A resolved world becomes the model (`bindgen/model.py`), with the owners,
`TypeId`s and aliases the reader gives a component of that world:

- an interface imported (or exported) by the world owns its types on that
  side: `Owner(IMPORT|EXPORT, name)`; world-level types are imports of the
  world (`Owner(IMPORT, None)`);
- a type an interface `use`s is an `AliasDef` of a `TypeRef` to the other
  interface's type; on the export side that other interface is the export
  when the world exports it, else the import (wit-parser's elaboration);
- a bare resource name in a value position is `own<r>`; `type x = r` stays
  an alias of `r`.
"""

from __future__ import annotations

from wbindgen_runtime import model as m
from wbindgen_runtime.reader.opcodes import ASYNC_VALUES_WHY

from . import resolved as r
from .errors import WitError


class _Converter:
    def __init__(self, world: r.RWorld) -> None:
        self.world = world
        self.exported = {
            item.interface
            for key, item in world.exports.items()
            if isinstance(key, r.RInterface) and isinstance(item, r.WInterface)
        }

    def iname(self, key: r.WKey, iface: r.RInterface) -> m.InterfaceName:
        if isinstance(key, str):
            return m.InterfaceName("", "", key)
        assert iface.namespace is not None and iface.package is not None and iface.name
        return m.InterfaceName(iface.namespace, iface.package, iface.name, iface.version)

    def owner_of(self, t: r.RType, here: r.RInterface | None, here_owner: m.Owner) -> m.Owner:
        """The model owner of `t` seen from an item owned by `here_owner`."""
        if isinstance(t.owner, r.RWorld):
            return m.Owner(m.Direction.IMPORT, None)
        if t.owner is here:
            return here_owner
        if here_owner.direction is m.Direction.EXPORT and t.owner in self.exported:
            return m.Owner(m.Direction.EXPORT, self.iname(t.owner, t.owner))
        return m.Owner(m.Direction.IMPORT, self.iname(t.owner, t.owner))

    def tid(self, t: r.RType, here: r.RInterface | None, owner: m.Owner) -> m.TypeId:
        return m.TypeId(self.owner_of(t, here, owner), t.name)

    def ty(self, t: r.RTy, here: r.RInterface | None, owner: m.Owner) -> m.Type:
        match t:
            case str():
                return m.Primitive(t)  # type: ignore[arg-type]
            case r.RList(element=el):
                return m.ListType(self.ty(el, here, owner))
            case r.RTuple(elements=els):
                return m.TupleType(tuple(self.ty(e, here, owner) for e in els))
            case r.ROption(inner=inner):
                return m.OptionType(self.ty(inner, here, owner))
            case r.RResult(ok=ok, err=err):
                return m.ResultType(
                    None if ok is None else self.ty(ok, here, owner),
                    None if err is None else self.ty(err, here, owner),
                )
            case r.ROwn(resource=res):
                return m.OwnType(self.tid(res, here, owner))
            case r.RBorrow(resource=res):
                return m.BorrowType(self.tid(res, here, owner))
            case r.RRef(type=ty):
                return m.TypeRef(self.tid(ty, here, owner))
            case r.RUnsupported(what=what, span=span):
                why = (
                    ASYNC_VALUES_WHY
                    if what in ("future", "stream", "error-context")
                    else "the bindings cannot represent them yet"
                )
                raise WitError(f"`{what}` types cannot be bound: {why}", span)
        raise AssertionError(t)  # pragma: no cover

    def typedef(self, t: r.RType, here: r.RInterface | None, owner: m.Owner) -> m.TypeDef:
        kind: m.TypeDefKind
        match t.kind:
            case r.RRecord(fields=fields):
                kind = m.RecordDef(
                    tuple(m.Field(f.name, self.ty(f.type, here, owner), f.docs) for f in fields)
                )
            case r.RVariant(cases=cases):
                kind = m.VariantDef(tuple(
                    m.Case(c.name, None if c.type is None else self.ty(c.type, here, owner),
                           c.docs)
                    for c in cases
                ))  # fmt: skip
            case r.REnum(members=members):
                kind = m.EnumDef(tuple(x.name for x in members), _member_docs(members))
            case r.RFlags(members=members):
                kind = m.FlagsDef(tuple(x.name for x in members), _member_docs(members))
            case r.RResource():
                kind = m.ResourceDef()
            case r.RAlias(target=target):
                kind = m.AliasDef(self.ty(target, here, owner))
            case _:
                raise AssertionError(t.kind)  # pragma: no cover
        return m.TypeDef(m.TypeId(owner, t.name), kind, t.docs)

    def function(self, f: r.RFunc, here: r.RInterface | None, owner: m.Owner) -> m.Function:
        kind: m.FunctionKind
        if f.resource is None:
            kind = m.Freestanding()
        else:
            res = self.tid(f.resource, here, owner)
            kind = (
                m.Constructor(res) if f.kind == "constructor"
                else m.Method(res) if f.kind == "method"
                else m.Static(res)
            )  # fmt: skip
        return m.Function(
            f.name,
            kind,
            tuple(m.Param(n, self.ty(t, here, owner)) for n, t in f.params),
            None if f.result is None else self.ty(f.result, here, owner),
            f.docs,
            is_async=f.is_async,
        )

    def interface(self, key: r.WKey, item: r.WInterface, direction: m.Direction) -> m.Interface:
        iface = item.interface
        owner = m.Owner(direction, self.iname(key, iface))
        return m.Interface(
            owner,
            tuple(self.typedef(t, iface, owner) for t in iface.types.values()),
            tuple(self.function(f, iface, owner) for f in iface.functions),
            iface.docs,
        )

    def convert(self) -> m.World:
        w = self.world
        imp = m.Owner(m.Direction.IMPORT, None)
        exp = m.Owner(m.Direction.EXPORT, None)
        imports, import_types, import_functions = [], [], []
        for key, item in w.imports.items():
            match item:
                case r.WInterface():
                    imports.append(self.interface(key, item, m.Direction.IMPORT))
                case r.WType(type=t):
                    import_types.append(self.typedef(t, None, imp))
                case r.WFunc(func=f):
                    import_functions.append(self.function(f, None, imp))
        exports, export_functions = [], []
        for key, item in w.exports.items():
            match item:
                case r.WInterface():
                    exports.append(self.interface(key, item, m.Direction.EXPORT))
                case r.WFunc(func=f):
                    export_functions.append(self.function(f, None, exp))
                case r.WType():
                    raise AssertionError("a world cannot export a type")  # pragma: no cover
        return m.World(
            imports=tuple(imports),
            exports=tuple(exports),
            import_types=tuple(import_types),
            import_functions=tuple(import_functions),
            export_types=(),
            export_functions=tuple(export_functions),
            name=w.name,
            docs=w.docs,
        )


def _member_docs(members: tuple[r.RMember, ...]) -> tuple[str | None, ...] | None:
    docs = tuple(x.docs for x in members)
    return docs if any(d is not None for d in docs) else None


def world_to_model(world: r.RWorld) -> m.World:
    return _Converter(world).convert()
