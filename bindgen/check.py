"""The generation-time check: the reader's model against wasmtime's reflection.

The reader decodes the binary itself to recover exact names; wasmtime
compiles the same bytes and reflects on structure. If the two disagree on any
function the bindings would bind (its parameters, result, field/case/member
names and order), the reader is wrong, and generating from its model would
produce bindings that fail at load time. So a disagreement is an internal
error, never a warning.
"""

from __future__ import annotations

import wasmtime
import wasmtime.component as wc
from wbindgen_runtime import model as m
from wbindgen_runtime.capi import ComponentExtern
from wbindgen_runtime.typecheck import wit_of_wasmtime as describe

from ._compat import assert_never
from .errors import ModelMismatch


class _Checker:
    def __init__(self, world: m.World) -> None:
        self.world = world

    def fail(self, path: str, expected: str, found: str) -> ModelMismatch:
        return ModelMismatch(f"{path}: reader has {expected}, wasmtime has {found}")

    def check_type(self, path: str, ours: m.Type, theirs: wc.ValType) -> None:
        ty = self.world.resolve(ours)
        match ty:
            case m.Primitive(name=name):
                found = describe(theirs)
                if found != name:
                    raise self.fail(path, name, found)
            case m.ListType(element=el):
                if not isinstance(theirs, wc.ListType):
                    raise self.fail(path, "a list", describe(theirs))
                self.check_type(f"{path} element", el, theirs.element)
            case m.TupleType(elements=els):
                if not isinstance(theirs, wc.TupleType) or len(theirs.elements) != len(els):
                    raise self.fail(path, f"a tuple of {len(els)}", describe(theirs))
                for i, (a, b) in enumerate(zip(els, theirs.elements)):
                    self.check_type(f"{path} element {i}", a, b)
            case m.OptionType(inner=inner):
                if not isinstance(theirs, wc.OptionType):
                    raise self.fail(path, "an option", describe(theirs))
                self.check_type(f"{path} payload", inner, theirs.payload)
            case m.ResultType(ok=ok, err=err):
                if not isinstance(theirs, wc.ResultType):
                    raise self.fail(path, "a result", describe(theirs))
                self.check_optional(f"{path} ok", ok, theirs.ok)
                self.check_optional(f"{path} err", err, theirs.err)
            case m.OwnType():
                if not isinstance(theirs, wc.OwnType):
                    raise self.fail(path, "own<resource>", describe(theirs))
            case m.BorrowType():
                if not isinstance(theirs, wc.BorrowType):
                    raise self.fail(path, "borrow<resource>", describe(theirs))
            case m.TypeRef(id=id):
                self.check_named(path, self.world.typedef(id), theirs)
            case _:
                assert_never(ty)

    def check_optional(self, path: str, ours: m.Type | None, theirs: wc.ValType | None) -> None:
        if ours is None or theirs is None:
            if ours is not None or theirs is not None:
                raise self.fail(path, "a payload" if ours else "none", "the other")
            return
        self.check_type(path, ours, theirs)

    def check_named(self, path: str, td: m.TypeDef, theirs: wc.ValType) -> None:
        path = f"{path} ({td.name})"
        kind = td.kind
        match kind:
            case m.RecordDef(fields=fields):
                if not isinstance(theirs, wc.RecordType):
                    raise self.fail(path, "a record", describe(theirs))
                names = [f.name for f in fields]
                found = [n for n, _ in theirs.fields]
                if names != found:
                    raise self.fail(path, f"fields {names}", f"fields {found}")
                for f, (_, t) in zip(fields, theirs.fields):
                    self.check_type(f"{path} field '{f.name}'", f.type, t)
            case m.VariantDef(cases=cases):
                if not isinstance(theirs, wc.VariantType):
                    raise self.fail(path, "a variant", describe(theirs))
                names = [c.name for c in cases]
                found = [n for n, _ in theirs.cases]
                if names != found:
                    raise self.fail(path, f"cases {names}", f"cases {found}")
                for c, (_, payload) in zip(cases, theirs.cases):
                    self.check_optional(f"{path} case '{c.name}'", c.type, payload)
            case m.EnumDef(members=members):
                if not isinstance(theirs, wc.EnumType) or list(members) != theirs.names:
                    raise self.fail(path, f"enum {list(members)}", describe(theirs))
            case m.FlagsDef(members=members):
                if not isinstance(theirs, wc.FlagsType) or list(members) != theirs.names:
                    raise self.fail(path, f"flags {list(members)}", describe(theirs))
            case m.ResourceDef():
                raise self.fail(path, "a resource used as a value", describe(theirs))
            case m.AliasDef(target=target):
                self.check_type(path, target, theirs)
            case _:
                assert_never(kind)

    def check_function(self, path: str, fn: m.Function, theirs: object) -> None:
        path = f"{path} function '{fn.name}'"
        if not isinstance(theirs, wc.FuncType):
            raise self.fail(path, "a function", type(theirs).__name__)
        params = theirs.params
        ours = [p.name for p in fn.params]
        found = [n for n, _ in params]
        if ours != found:
            raise self.fail(path, f"params {ours}", f"params {found}")
        for p, (_, t) in zip(fn.params, params):
            self.check_type(f"{path} param '{p.name}'", p.type, t)
        self.check_optional(f"{path} result", fn.result, theirs.result)

    def check_items(
        self,
        direction: str,
        interfaces: tuple[m.Interface, ...],
        functions: tuple[m.Function, ...],
        reflected: dict[str, ComponentExtern],
    ) -> None:
        for iface in interfaces:
            name = str(iface.name)
            path = f"{direction} '{name}'"
            if name not in reflected:
                raise self.fail(path, "this interface", "no such item")
            inst = reflected[name].ty
            if not isinstance(inst, wc.ComponentInstanceType):
                raise self.fail(path, "an instance", type(inst).__name__)
            items = inst.exports(self.engine)
            for fn in iface.functions:
                if fn.name not in items:
                    raise self.fail(path, f"function '{fn.name}'", "no such function")
                self.check_function(path, fn, items[fn.name].ty)
        for fn in functions:
            if fn.name not in reflected:
                raise self.fail(f"{direction} function '{fn.name}'", "it", "no such item")
            self.check_function(direction, fn, reflected[fn.name].ty)

    def run(self, component: wc.Component, engine: wasmtime.Engine) -> None:
        self.engine = engine
        ty = component.type
        w = self.world
        self.check_items("import", w.imports, w.import_functions, ty.imports(engine))
        self.check_items("export", w.exports, w.export_functions, ty.exports(engine))


def compile_component(data: bytes, engine: wasmtime.Engine | None = None) -> wc.Component:
    # Through the runtime's cache: the user's first instantiate of the same
    # component then loads the artifact this check compiled.
    from wbindgen_runtime.cache import compile_bytes

    return compile_bytes(engine or wasmtime.Engine(), data)


def check_world(world: m.World, data: bytes) -> None:
    """Raise ModelMismatch naming the first disagreement. `wasmtime.WasmtimeError`
    escapes when wasmtime cannot compile the component at all."""
    engine = wasmtime.Engine()
    try:
        component = compile_component(data, engine)
    except wasmtime.WasmtimeError as exc:
        if "component model async" not in str(exc):
            raise
        # Stackful async lifts are off by default; the async face's engines
        # turn them on, so the check does too.
        from wbindgen_runtime.aio import async_engine_config

        engine = wasmtime.Engine(async_engine_config(component_model_async=True))
        component = compile_component(data, engine)
    _Checker(world).run(component, engine)
