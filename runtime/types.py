"""Type descriptors: what the generated bindings say a function's types are.

Generated code writes these as literals, e.g.::

    _P = Record("point", Point, (("x", "x", F64), ("y", "y", F64)))
    _F = Func((("p", _P), ("tags", List(STRING))), Option(U32))
    _G = Func((("a", S32), ("b", S32)), Result(S32, STRING), raises=True)

They are plain frozen dataclasses with positional constructors (``Func``'s
``raises`` is written by keyword, and only when true; older generated code
passes it positionally, which still works); the runtime compiles them into
lower/lift plans when an instance is loaded.
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass
from typing import Union

__all__ = [
    "Prim",
    "BOOL",
    "S8",
    "U8",
    "S16",
    "U16",
    "S32",
    "U32",
    "S64",
    "U64",
    "F32",
    "F64",
    "CHAR",
    "STRING",
    "List",
    "Tuple",
    "Option",
    "Result",
    "Record",
    "Variant",
    "Enum",
    "Flags",
    "Own",
    "Borrow",
    "ExportedResource",
    "ImportedResource",
    "Func",
    "TypeDesc",
    "ResourceDesc",
    "wit_name_of",
]


@dataclass(frozen=True, slots=True)
class Prim:
    """A primitive WIT type (use the singletons below, not this class)."""

    name: str

    def __repr__(self) -> str:
        return self.name.upper()


BOOL = Prim("bool")
S8 = Prim("s8")
U8 = Prim("u8")
S16 = Prim("s16")
U16 = Prim("u16")
S32 = Prim("s32")
U32 = Prim("u32")
S64 = Prim("s64")
U64 = Prim("u64")
F32 = Prim("f32")
F64 = Prim("f64")
CHAR = Prim("char")
STRING = Prim("string")

#: (min, max) of each integer primitive.
INT_RANGES: dict[str, tuple[int, int]] = {
    "s8": (-(1 << 7), (1 << 7) - 1),
    "u8": (0, (1 << 8) - 1),
    "s16": (-(1 << 15), (1 << 15) - 1),
    "u16": (0, (1 << 16) - 1),
    "s32": (-(1 << 31), (1 << 31) - 1),
    "u32": (0, (1 << 32) - 1),
    "s64": (-(1 << 63), (1 << 63) - 1),
    "u64": (0, (1 << 64) - 1),
}


@dataclass(frozen=True, slots=True)
class List:
    """``list<elem>``; ``list<u8>`` is ``bytes`` in Python."""

    elem: TypeDesc


@dataclass(frozen=True, slots=True)
class Tuple:
    """``tuple<A, B, ...>`` given as ``Tuple((A, B, ...))``."""

    elems: tuple[TypeDesc, ...]


@dataclass(frozen=True, slots=True)
class Option:
    """``option<inner>``: ``T | None``; ``Some`` wraps the outer of nested options."""

    inner: TypeDesc


@dataclass(frozen=True, slots=True)
class Result:
    """``result<ok, err>`` (either may be ``None``): ``Ok(v) | Err(e)`` as a value."""

    ok: TypeDesc | None
    err: TypeDesc | None


@dataclass(frozen=True, slots=True)
class Record:
    """``record``: ``fields`` is ``((wit_field, py_attr, T), ...)`` in WIT order.

    ``cls`` is a dataclass constructed with the ``py_attr`` keywords.
    """

    wit_name: str
    cls: type
    fields: tuple[tuple[str, str, TypeDesc], ...]


@dataclass(frozen=True, slots=True)
class Variant:
    """``variant``: ``cases`` is ``((wit_case, T_or_None, case_cls), ...)``.

    A case class has a ``value`` field when the case has a payload
    (``case_cls(value)``) and no field otherwise (``case_cls()``).
    """

    wit_name: str
    cases: tuple[tuple[str, TypeDesc | None, type], ...]


@dataclass(frozen=True, slots=True)
class Enum:
    """``enum``: ``cls`` is an ``enum.Enum``; ``members`` are the WIT names in order."""

    wit_name: str
    cls: type[enum.Enum]
    members: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Flags:
    """``flags``: ``cls`` is an ``enum.Flag`` whose member i is bit i, WIT order."""

    wit_name: str
    cls: type[enum.Flag]
    members: tuple[str, ...]


@dataclass(frozen=True, slots=True, eq=False)
class ExportedResource:
    """A resource implemented by the guest; ``cls`` subclasses ``GuestResource``.

    ``async_cls`` (also a ``GuestResource``) wraps the handles of instances
    made for the async face, whose methods are coroutines."""

    wit_name: str
    cls: type
    async_cls: type | None = None

    def cls_for(self, asynchronous: bool) -> type:
        """The wrapper class of an instance of the sync or the async face."""
        if asynchronous and self.async_cls is not None:
            return self.async_cls
        return self.cls


@dataclass(frozen=True, slots=True, eq=False)
class ImportedResource:
    """A resource implemented by the host: any Python object, kept in a handle table.

    When the guest drops its last handle the runtime calls the object's
    ``drop()`` method if it has one (drop notification).
    """

    wit_name: str


ResourceDesc = Union[ExportedResource, ImportedResource]


@dataclass(frozen=True, slots=True)
class Own:
    """``own<R>``: passing a guest resource consumes the Python wrapper."""

    resource: ResourceDesc


@dataclass(frozen=True, slots=True)
class Borrow:
    """``borrow<R>``: passing does not consume."""

    resource: ResourceDesc


TypeDesc = Union[Prim, List, Tuple, Option, Result, Record, Variant, Enum, Flags, Own, Borrow]


@dataclass(frozen=True, slots=True)
class Func:
    """A function type: ``params`` is ``((name, T), ...)``.

    ``raises=True`` means ``result`` is a top-level ``Result``: the call returns
    the ok value and raises ``Err(e)``. ``is_async=True`` is a WIT ``async
    func``: called through the async face only.
    """

    params: tuple[tuple[str, TypeDesc], ...] = ()
    result: TypeDesc | None = None
    raises: bool = False
    is_async: bool = False

    def __post_init__(self) -> None:
        if self.raises and not isinstance(self.result, Result):
            raise ValueError("Func(raises=True) needs a Result as its result type")


def func_kind_mismatch(path: str, expected_async: bool) -> str:
    """The message for a sync/async function type mismatch (both type checks)."""
    want, found = ("async func", "func") if expected_async else ("func", "async func")
    return f"{path}: expected {want}, found {found}"


def wit_name_of(t: TypeDesc | None) -> str:
    """The WIT spelling of a descriptor, for messages."""
    if t is None:
        return "_"
    if isinstance(t, Prim):
        return t.name
    if isinstance(t, List):
        return f"list<{wit_name_of(t.elem)}>"
    if isinstance(t, Tuple):
        return "tuple<" + ", ".join(wit_name_of(e) for e in t.elems) + ">"
    if isinstance(t, Option):
        return f"option<{wit_name_of(t.inner)}>"
    if isinstance(t, Result):
        return f"result<{wit_name_of(t.ok)}, {wit_name_of(t.err)}>"
    if isinstance(t, (Record, Variant, Enum, Flags)):
        return t.wit_name
    if isinstance(t, Own):
        return f"own<{t.resource.wit_name}>"
    return f"borrow<{t.resource.wit_name}>"


def record_positional(rec: Record) -> bool:
    """Whether ``rec.cls`` can be built positionally (its dataclass fields are the
    py_attrs in order)."""
    if not dataclasses.is_dataclass(rec.cls):
        return False
    names = [f.name for f in dataclasses.fields(rec.cls) if f.init]
    return names == [attr for _, attr, _ in rec.fields]
