"""The reader's internal graph of component-level types.

Every definition in the binary becomes a fresh Python object, and identity
(`is`, identity hashing) is what distinguishes types: two records with the
same fields are two objects, which is exactly what wasmtime's structural
reflection loses. These objects never leave the reader; `world.py` turns the
top-level imports and exports into the frozen model.

The design mirrors wasmparser's (which wit-component's decoder relies on):

* An `eq`-bounded type import/export, or an export of a type, introduces a
  fresh `Alias` of the type it names, so each exported name has its own
  identity that can be "peeled" back to the definition. An exported
  `type pt = point` is an `Alias` whose target is the `Alias` registered for
  `point`; that is how aliases and `use`s are recognised.
* A `(sub resource)` import/export, or a `resource` definition, is a fresh
  `Resource`.
* Instantiating a component substitutes the arguments for its imports
  (`Remapper`), so the exports of a wit-component "shim" instance refer to
  the outer component's types, not the shim's private copies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeAlias

from .names import PrimName

# --------------------------------------------------------------------------
# Value types. `eq=False`: identity is the type's identity.


@dataclass(eq=False)
class Resource:
    pass


@dataclass(eq=False)
class Alias:
    target: AnyType


@dataclass(eq=False)
class PrimT:
    """`(type u32)`: a defined type that is just a primitive."""

    name: PrimName


@dataclass(eq=False)
class RecordT:
    fields: tuple[tuple[str, ValType], ...]


@dataclass(eq=False)
class VariantT:
    cases: tuple[tuple[str, ValType | None], ...]


@dataclass(eq=False)
class ListT:
    element: ValType


@dataclass(eq=False)
class TupleT:
    elements: tuple[ValType, ...]


@dataclass(eq=False)
class FlagsT:
    names: tuple[str, ...]


@dataclass(eq=False)
class EnumT:
    names: tuple[str, ...]


@dataclass(eq=False)
class OptionT:
    inner: ValType


@dataclass(eq=False)
class ResultT:
    ok: ValType | None
    err: ValType | None


@dataclass(eq=False)
class OwnT:
    resource: AnyType


@dataclass(eq=False)
class BorrowT:
    resource: AnyType


DefinedT: TypeAlias = (
    PrimT
    | RecordT
    | VariantT
    | ListT
    | TupleT
    | FlagsT
    | EnumT
    | OptionT
    | ResultT
    | OwnT
    | BorrowT
)
DEFINED_CLASSES = (
    PrimT, RecordT, VariantT, ListT, TupleT, FlagsT, EnumT, OptionT, ResultT, OwnT, BorrowT,
)  # fmt: skip

# A value type is a primitive (by name) or a reference to a type object.
ValType: TypeAlias = "PrimName | AnyType"

# --------------------------------------------------------------------------
# Function, instance and component types, and the entities they contain.


@dataclass(eq=False)
class FuncT:
    params: tuple[tuple[str, ValType], ...]
    result: ValType | None
    is_async: bool = False


@dataclass(eq=False)
class InstanceT:
    exports: dict[str, Entity]
    # Resources introduced by `(export "r" (type (sub resource)))` in an
    # instance *type*: abstract, made fresh each time the type is used for an
    # import or export (each imported instance has its own resources).
    declared_resources: list[Resource] = field(default_factory=list)


@dataclass(eq=False)
class ComponentT:
    imports: dict[str, Entity]
    exports: dict[str, Entity]
    # Resources the component defines (or declares, for a component type):
    # each instantiation makes them fresh.
    defined_resources: list[Resource] = field(default_factory=list)


AnyType: TypeAlias = "Resource | Alias | DefinedT | FuncT | InstanceT | ComponentT"


@dataclass(eq=False)
class TypeEnt:
    """A type import/export: `created` is the new identity pushed onto the
    type index space, `referenced` the type it stands for (the same object
    for a fresh resource)."""

    referenced: AnyType
    created: AnyType


@dataclass(eq=False)
class FuncEnt:
    func: FuncT


@dataclass(eq=False)
class InstanceEnt:
    instance: InstanceT


@dataclass(eq=False)
class ComponentEnt:
    component: ComponentT


@dataclass(eq=False)
class ModuleEnt:
    pass


Entity: TypeAlias = "TypeEnt | FuncEnt | InstanceEnt | ComponentEnt | ModuleEnt"


def peel(ty: AnyType) -> AnyType:
    """The definition behind any number of `Alias` layers. Alias chains are
    acyclic by construction (an alias is created after its target), so this
    terminates."""
    while isinstance(ty, Alias):
        ty = ty.target
    return ty


# --------------------------------------------------------------------------
# Substitution.


class Remapper:
    """Rewrites types under a substitution `{old object: new object}`.

    Objects that refer (transitively) to a substituted object are copied;
    everything else is returned unchanged, so identities are preserved
    wherever nothing changed. Results are memoised in the same map, which
    keeps shared sub-terms shared."""

    def __init__(self, mapping: dict[object, object]) -> None:
        self.map = mapping

    def any(self, ty: AnyType) -> AnyType:
        got = self.map.get(ty)
        if got is not None:
            return got  # type: ignore[return-value]
        new = self._rebuild(ty)
        self.map[ty] = new
        return new

    def val(self, v: ValType) -> ValType:
        return v if isinstance(v, str) else self.any(v)

    def opt(self, v: ValType | None) -> ValType | None:
        return None if v is None else self.val(v)

    def entity(self, e: Entity) -> Entity:
        match e:
            case TypeEnt(referenced=ref, created=created):
                new_ref = self.any(ref)
                new_created = new_ref if created is ref else self.any(created)
                if new_ref is ref and new_created is created:
                    return e
                return TypeEnt(new_ref, new_created)
            case FuncEnt(func=f):
                nf = self.any(f)
                assert isinstance(nf, FuncT)
                return e if nf is f else FuncEnt(nf)
            case InstanceEnt(instance=i):
                ni = self.any(i)
                assert isinstance(ni, InstanceT)
                return e if ni is i else InstanceEnt(ni)
            case ComponentEnt(component=c):
                nc = self.any(c)
                assert isinstance(nc, ComponentT)
                return e if nc is c else ComponentEnt(nc)
            case ModuleEnt():
                return e

    def _rebuild(self, ty: AnyType) -> AnyType:
        match ty:
            case Resource() | PrimT() | FlagsT() | EnumT():
                return ty
            case Alias(target=t):
                nt = self.any(t)
                return ty if nt is t else Alias(nt)
            case RecordT(fields=fields):
                nfields = tuple((n, self.val(v)) for n, v in fields)
                return ty if _same(fields, nfields) else RecordT(nfields)
            case VariantT(cases=cases):
                ncases = tuple((n, self.opt(v)) for n, v in cases)
                return ty if _same(cases, ncases) else VariantT(ncases)
            case ListT(element=el):
                ne = self.val(el)
                return ty if ne is el else ListT(ne)
            case TupleT(elements=els):
                nels = tuple(self.val(v) for v in els)
                return ty if all(a is b for a, b in zip(els, nels)) else TupleT(nels)
            case OptionT(inner=inner):
                ni = self.val(inner)
                return ty if ni is inner else OptionT(ni)
            case ResultT(ok=ok, err=err):
                nok, nerr = self.opt(ok), self.opt(err)
                return ty if nok is ok and nerr is err else ResultT(nok, nerr)
            case OwnT(resource=r):
                nr = self.any(r)
                return ty if nr is r else OwnT(nr)
            case BorrowT(resource=r):
                nr = self.any(r)
                return ty if nr is r else BorrowT(nr)
            case FuncT(params=params, result=result):
                nparams = tuple((n, self.val(v)) for n, v in params)
                nresult = self.opt(result)
                if _same(params, nparams) and nresult is result:
                    return ty
                return FuncT(nparams, nresult)
            case InstanceT(exports=exports, declared_resources=declared):
                nexports = {n: self.entity(e) for n, e in exports.items()}
                ndeclared = [r for r in (self.any(d) for d in declared) if isinstance(r, Resource)]
                if all(nexports[n] is e for n, e in exports.items()) and all(
                    a is b for a, b in zip(declared, ndeclared)
                ):
                    return ty
                return InstanceT(nexports, ndeclared)
            case ComponentT(imports=imports, exports=exports, defined_resources=defined):
                nimports = {n: self.entity(e) for n, e in imports.items()}
                nexports = {n: self.entity(e) for n, e in exports.items()}
                ndefined = [r for r in (self.any(d) for d in defined) if isinstance(r, Resource)]
                if (
                    all(nimports[n] is e for n, e in imports.items())
                    and all(nexports[n] is e for n, e in exports.items())
                    and all(a is b for a, b in zip(defined, ndefined))
                ):
                    return ty
                return ComponentT(nimports, nexports, ndefined)


def _same(
    old: tuple[tuple[str, ValType | None], ...], new: tuple[tuple[str, ValType | None], ...]
) -> bool:
    return all(a[1] is b[1] for a, b in zip(old, new))


def freshen(resources: list[Resource]) -> Remapper:
    """A remapper giving each of `resources` a new identity."""
    return Remapper({r: Resource() for r in resources})
