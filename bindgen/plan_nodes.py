"""What the templates read: the plan of a generated package.

The planner (`plan.py`) fills these plain dataclasses; the templates only
render them. Every name, annotation and descriptor expression in them is
final Python text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from wbindgen_runtime import model as m

from . import imports
from .imports import Import
from .naming import Scope


@dataclass
class FieldPlan:
    name: str
    annotation: str
    doc: str = ""  # attribute docstring from WIT docs


@dataclass
class RecordPlan:
    template = "record.jinja"
    name: str
    wit: str
    fields: list[FieldPlan]
    doc_tail: str = ""


@dataclass
class CasePlan:
    cls: str
    wit: str
    annotation: str | None
    doc_tail: str = ""


@dataclass
class VariantPlan:
    template = "variant.jinja"
    name: str
    wit: str
    cases: list[CasePlan]
    union: str
    doc_tail: str = ""


@dataclass
class MemberPlan:
    name: str
    value: int
    doc: str = ""


@dataclass
class EnumPlan:
    template = "enum.jinja"
    name: str
    wit: str
    wit_kind: str  # "enum" or "flags"
    members: list[MemberPlan]
    base: str  # "_enum.Enum" or "_enum.Flag"
    doc_tail: str = ""


@dataclass
class CaseAliasPlan:
    name: str
    target: str


@dataclass
class AliasPlan:
    """`Name = Target`; an alias of a variant also re-exports its case
    classes under the alias's name (`Outcome_Ok`), so they are importable
    wherever the alias is."""

    template = "alias.jinja"
    name: str
    wit: str
    target: str
    doc_tail: str = ""
    cases: list[CaseAliasPlan] = field(default_factory=list)


@dataclass
class ParamPlan:
    name: str
    wit: str
    annotation: str


@dataclass
class FunctionPlan:
    """One function as Python sees it. `index` is its position in the
    module's function table, which the runtime resolves once at load."""

    name: str
    wit_name: str
    params: list[ParamPlan]
    returns: str
    signature: str  # the WIT signature, for the docstring
    descriptor: str
    index: int
    host_impl: str = ""  # for imports: the callable the runtime calls
    doc_tail: str = ""  # WIT docs after the signature
    # A WIT `async func`: an export of the async face only.
    is_async: bool = False
    # The same function as the async face spells it: its annotations name
    # the async resource classes, and a host may return an awaitable.
    aface: FunctionPlan | None = None

    @property
    def arg_names(self) -> str:
        return ", ".join(p.name for p in self.params)

    @property
    def call_prefix(self) -> str:
        # The runtime's plan returns `Any`; mypy --strict wants the declared
        # type, and a string in `cast` costs nothing at run time.
        cast = f"{imports.TYPING.alias}.cast"
        return f"return {cast}({self.returns!r}, " if self.has_returns else ""

    @property
    def call_suffix(self) -> str:
        return ")" if self.has_returns else ""

    @property
    def await_prefix(self) -> str:
        """`call_prefix` of an `async def` method: the plan is awaited."""
        cast = f"{imports.TYPING.alias}.cast"
        return f"return {cast}({self.returns!r}, await " if self.has_returns else "await "

    @property
    def has_returns(self) -> bool:
        return self.returns != "None"


@dataclass
class ResourceMethodsPlan:
    """An exported resource: its wrapper class (methods) and the per-instance
    class object (constructor and statics) reached from the interface."""

    template = "exported_resource.jinja"
    name: str
    wit: str
    attr: str  # attribute on the interface object
    statics_class: str
    async_name: str  # the wrapper class of the async face
    async_statics_class: str
    constructor: FunctionPlan | None
    methods: list[FunctionPlan]
    statics: list[FunctionPlan]
    doc_tail: str = ""


@dataclass
class HostResourcePlan:
    """An imported resource: the Protocol the host's objects implement."""

    template = "imported_resource.jinja"
    name: str
    wit: str
    async_name: str  # its Protocol for the async face (methods may be coroutines)
    methods: list[FunctionPlan]
    doc_tail: str = ""


@dataclass
class DescriptorRef:
    wit: str
    descriptor: str


@dataclass
class DescriptorPlan:
    name: str
    expr: str


@dataclass
class InterfaceClassPlan:
    """The object behind `inst.<attr>` for an exported interface (or the world
    object's own functions)."""

    name: str
    doc: str
    functions: list[FunctionPlan]
    resources: list[ResourceMethodsPlan]
    async_name: str = ""  # the class of the async face ("" for the world's own)


@dataclass
class HostProtocolPlan:
    name: str
    doc: str
    functions: list[FunctionPlan]
    async_name: str = "HostAsync"


Block = RecordPlan | VariantPlan | EnumPlan | AliasPlan | ResourceMethodsPlan | HostResourcePlan


@dataclass
class ModulePlan:
    """One generated module. `imports` are what it imports (sorted when
    rendered), `blocks` the type definitions in dependency order."""

    path: tuple[str, ...]
    doc: str
    owner: m.Owner | None = None
    interface_key: str = ""  # the component-level name ("" for world-level)
    imports: set[Import] = field(default_factory=set)
    blocks: list[Block] = field(default_factory=list)
    type_descriptors: list[DescriptorPlan] = field(default_factory=list)
    func_descriptors: list[DescriptorPlan] = field(default_factory=list)
    functions: list[FunctionPlan] = field(default_factory=list)
    interface_class: InterfaceClassPlan | None = None
    host_protocol: HostProtocolPlan | None = None
    host_resources: list[DescriptorRef] = field(default_factory=list)
    scope: Scope = field(default_factory=Scope)

    def use(self, imp: Import) -> str:
        """Import `imp` here; its alias, for the text that names it."""
        self.imports.add(imp)
        return imp.alias

    @property
    def is_root(self) -> bool:
        return self.path == ("__init__.py",)

    @property
    def interface_literal(self) -> str:
        return repr(self.interface_key) if self.interface_key else "None"

    @property
    def import_lines(self) -> list[str]:
        return imports.import_lines(self.imports)

    @property
    def dotted(self) -> str:
        parts = list(self.path)
        if parts[-1] == "__init__.py":
            parts.pop()
        else:
            parts[-1] = parts[-1][: -len(".py")]
        return ".".join(parts)


@dataclass
class ImportFieldPlan:
    name: str
    annotation: str
    async_annotation: str
    interface: str  # component-level name
    module_alias: str


@dataclass
class ExportAttrPlan:
    name: str
    cls: str
    async_cls: str
    module_alias: str
    interface: str


@dataclass
class WorldPlan:
    cls: str
    pre_cls: str
    imports_cls: str | None
    # The async face: `await {async_cls}.instantiate(...)`, its Pre, and the
    # imports dataclass whose Protocols accept coroutines.
    async_cls: str
    async_pre_cls: str
    imports_async_cls: str | None
    import_fields: list[ImportFieldPlan]
    export_attrs: list[ExportAttrPlan]
    # Aliases of the modules whose `_RESOURCES` the linker defines: those of
    # the import fields, and the world-level imports module when its only
    # resources are `use`d ones (no `root` field, still registered).
    resource_modules: list[str]
    functions: list[FunctionPlan]
    uses_wasi: bool
    uses_wasi_http: bool
    wit_doc: str


@dataclass
class PackagePlan:
    package: str
    modules: list[ModulePlan]
    world: WorldPlan
    root: ModulePlan  # the package's __init__.py (world class)
