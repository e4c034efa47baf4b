"""Export type ascriptions: the original's export types restated in the wrapper's index space.

Why: exporting a type creates a fresh type (Binary.md: every export "introduces
a new index"), and validation requires every record, variant, enum, flags and
resource in the type of an export to be an exported (or imported) type. When
the original exports a type at its top level (``(export "point" (type ...))``)
and a function using it, the wrapper's alias of that function still refers to
the *nested instance's* ``point``, which the wrapper's own export of ``point``
does not name: wasmtime rejects the wrapper ("type/func not valid to be used as
export"). Exported instances carry their own type exports and need nothing.

So, when the original has top-level type exports, each re-export gets an
ascription restating its type with the wrapper's exported types: a function's
``functype``, a type's ``(eq T)``, an inline instance's ``instancetype``. The
types are copied from the original's own definitions (type sections after the
copied prefix, ``canon lift`` type indices, export ascriptions, inline
instances), with type indices remapped: prefix indices stay, a type the
original exported maps to the wrapper's export of it, other definitions are
copied. What cannot be restated this way (types from nested instances,
component/instance type definitions, unknown encodings) keeps the plain
re-export: for a valid original it then does not refer to an exported type.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Union

from . import _binary as b
from .errors import LaneUnsupportedError

#: A type definition with its type-index references cut out: ("s", i) is a
#: `valtype` index (signed LEB128), ("u", i) an `own`/`borrow` index (u32).
Ref = tuple[str, int]
Template = tuple[Union[bytes, Ref], ...]


class _Opaque(Exception):
    """An encoding this module does not follow: the rest of the walk is unknown."""


# Origins of the original's indices after the prefix.
@dataclass(frozen=True)
class Def:
    template: Template


@dataclass(frozen=True)
class Exported:
    k: int  # the position of the top-level export that created the index


@dataclass(frozen=True)
class AliasOf:
    instance: int
    name: str


@dataclass(frozen=True)
class Lifted:
    type_idx: int


@dataclass(frozen=True)
class Inline:
    exports: tuple[tuple[bytes, bytes, int], ...]  # (nameattributes bytes, sort, index)


Origin = Union[Def, Exported, AliasOf, Lifted, Inline, None]


@dataclass(frozen=True)
class TopExport:
    raw_name: bytes
    sort: bytes
    index: int
    ascribed: tuple[int, int] | None  # (externtype tag, type index) of an ascription


@dataclass
class Defs:
    prefix: dict[bytes, int]
    types: dict[int, Origin] = field(default_factory=dict)
    funcs: dict[int, Origin] = field(default_factory=dict)
    instances: dict[int, Origin] = field(default_factory=dict)
    exports: list[TopExport] = field(default_factory=list)

    @property
    def exports_types(self) -> bool:
        return any(e.sort == b.TYPE_SORT for e in self.exports)


def _s33(n: int) -> bytes:
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if (n == 0 and not byte & 0x40) or (n == -1 and byte & 0x40):
            out.append(byte)
            return bytes(out)
        out.append(byte | 0x80)


class _T:
    """Reads one definition into a Template."""

    def __init__(self, c: b._Cursor) -> None:
        self.c = c
        self.parts: list[bytes | Ref] = []
        self.mark = c.pos

    def _cut(self) -> None:
        if self.c.pos > self.mark:
            self.parts.append(self.c.data[self.mark : self.c.pos])
        self.mark = self.c.pos

    def ref(self, kind: str) -> None:
        self._cut()
        v = self.c.s33() if kind == "s" else self.c.u32()
        if v < 0:  # a primitive value type: keep its byte
            self.mark = self.c.pos - 1
            self._cut()
            return
        self.parts.append((kind, v))
        self.mark = self.c.pos

    def valtype(self) -> None:
        self.ref("s")

    def opt(self, f: Callable[[], None]) -> None:
        if self.c.byte():
            f()

    def label(self) -> None:
        self.c.skip_name()

    def done(self) -> Template:
        self._cut()
        return tuple(self.parts)


def _deftype(c: b._Cursor) -> Origin:
    """One `deftype`; None (and the cursor past it) for a resource type."""
    t = _T(c)
    tag = c.byte()
    if tag >= 0x73 or tag == 0x64:  # primvaltype
        return Def(t.done())
    if tag == 0x72:  # record
        for _ in range(c.u32()):
            t.label()
            t.valtype()
    elif tag == 0x71:  # variant
        for _ in range(c.u32()):
            t.label()
            t.opt(t.valtype)
            if c.byte() != 0:
                raise _Opaque
    elif tag in (0x70, 0x6B):  # list, option
        t.valtype()
    elif tag == 0x67:  # fixed-length list
        t.valtype()
        c.u32()
    elif tag == 0x6F:  # tuple
        for _ in range(c.u32()):
            t.valtype()
    elif tag in (0x6E, 0x6D):  # flags, enum
        for _ in range(c.u32()):
            t.label()
    elif tag == 0x6A:  # result
        t.opt(t.valtype)
        t.opt(t.valtype)
    elif tag in (0x69, 0x68):  # own, borrow
        t.ref("u")
    elif tag in (0x66, 0x65):  # stream, future
        t.opt(t.valtype)
    elif tag == 0x63:  # map
        t.valtype()
        t.valtype()
    elif tag in (0x40, 0x43):  # functype
        for _ in range(c.u32()):
            t.label()
            t.valtype()
        if c.byte() == 0:
            t.valtype()
        elif c.byte() != 0:
            raise _Opaque
    elif tag == 0x3F:  # resource: defined by the original, never copied
        if c.byte() not in (0x7F, 0x7E):
            raise _Opaque
        if c.byte():
            c.u32()
        return None
    else:  # component/instance types and anything newer
        raise _Opaque
    return Def(t.done())


def _opts(c: b._Cursor) -> None:
    for _ in range(c.u32()):
        o = c.byte()
        if o in (0x03, 0x04, 0x05, 0x07):
            c.u32()
        elif o > 0x07:
            raise _Opaque


_CANON_NONE = {0x05, 0x0D, 0x1E, 0x1F, 0x22, 0x23, 0x24, 0x25, 0x26, 0x28}
_CANON_IDX = {0x02, 0x03, 0x04, 0x0E, 0x13, 0x14, 0x15, 0x1A, 0x1B}
_CANON_IDX_OPTS = {0x0F, 0x10, 0x16, 0x17}
_CANON_IDX_FLAG = {0x11, 0x12, 0x18, 0x19}
_CANON_FLAG = {0x06, 0x0C, 0x29, 0x2A, 0x2B, 0x2C, 0x2D, 0x42}


def _canon(c: b._Cursor) -> int | None:
    """One `canon`; the type index of a `canon lift`, None for the others (core funcs)."""
    op = c.byte()
    if op == 0x00:
        if c.byte() != 0x00:
            raise _Opaque
        c.u32()
        _opts(c)
        return c.u32()
    if op == 0x01:
        if c.byte() != 0x00:
            raise _Opaque
        c.u32()
        _opts(c)
    elif op in _CANON_NONE:
        pass
    elif op in _CANON_IDX:
        c.u32()
    elif op in _CANON_IDX_OPTS:
        c.u32()
        _opts(c)
    elif op in _CANON_IDX_FLAG:
        c.u32()
        c.byte()
    elif op in _CANON_FLAG:
        c.byte()
    elif op == 0x09:
        if c.byte() == 0:
            c.s33()
        else:
            c.byte()
        _opts(c)
    elif op in (0x1C, 0x1D):
        _opts(c)
    elif op in (0x0A, 0x0B):
        c.byte()
        c.u32()
    elif op in (0x20, 0x21):
        c.byte()
        c.u32()
    elif op == 0x27:
        c.u32()
        c.u32()
    elif op == 0x40:
        c.byte()
        c.u32()
    elif op == 0x41:
        c.byte()
        c.u32()
        c.u32()
    else:
        raise _Opaque
    return None


def read_defs(data: bytes, prefix_end: int, prefix: dict[bytes, int]) -> Defs | None:
    """The origins of the original's type, func and instance indices after its
    prefix (which ends at offset ``prefix_end``), and its top-level exports.
    None when the walk meets an encoding it does not follow."""
    defs = Defs(dict(prefix))
    counts = dict(prefix)

    def add(sort: bytes, origin: Origin = None) -> None:
        i = counts.get(sort, 0)
        counts[sort] = i + 1
        space = {b.TYPE_SORT: defs.types, b.FUNC: defs.funcs, b.INSTANCE_SORT: defs.instances}
        if sort in space:
            space[sort][i] = origin

    try:
        for s in b.sections(data):
            if s.start < prefix_end:
                continue
            c = b._Cursor(data, s.body, s.end)
            if s.sid == b.TYPE:
                n = c.u32()
                for k in range(n):
                    try:
                        add(b.TYPE_SORT, _deftype(c))
                    except _Opaque:  # the count is known; the rest of the section is not
                        for _ in range(k, n):
                            add(b.TYPE_SORT)
                        break
            elif s.sid == b.CANON:
                for _ in range(c.u32()):
                    ft = _canon(c)
                    if ft is None:
                        add(b.CORE_FUNC)
                    else:
                        add(b.FUNC, Lifted(ft))
            elif s.sid == b.ALIAS:
                for _ in range(c.u32()):
                    sort = c.sort()
                    kind = c.byte()
                    if kind == 0:
                        inst = c.u32()
                        add(sort, AliasOf(inst, c.skip_name()))
                    elif kind == 1:
                        c.u32()
                        c.skip_name()
                        add(sort)
                    else:
                        c.u32()
                        c.u32()
                        add(sort)
            elif s.sid == b.INSTANCE:
                for _ in range(c.u32()):
                    if c.byte() == 0:
                        c.u32()
                        for _ in range(c.u32()):
                            c.skip_name()
                            c.sort()
                            c.u32()
                        add(b.INSTANCE_SORT)
                    else:
                        items = []
                        for _ in range(c.u32()):
                            start = c.pos
                            c.name_attributes()
                            raw = data[start : c.pos]
                            items.append((raw, c.sort(), c.u32()))
                        add(b.INSTANCE_SORT, Inline(tuple(items)))
            elif s.sid == b.EXPORT:
                for _ in range(c.u32()):
                    start = c.pos
                    c.name_attributes()
                    raw = data[start : c.pos]
                    sort = c.sort()
                    idx = c.u32()
                    ascribed = None
                    if c.byte() == 1:
                        tag = c.byte()
                        if tag in (1, 4, 5):
                            ascribed = (tag, c.u32())
                        elif tag == 3:
                            if c.byte() == 0:
                                ascribed = (3, c.u32())
                        else:
                            raise _Opaque
                    k = len(defs.exports)
                    defs.exports.append(TopExport(raw, sort, idx, ascribed))
                    add(sort, Exported(k))
            elif s.sid == b.COMPONENT:
                add(b.COMPONENT_SORT)
            elif s.sid == b.CORE_MODULE:
                add(b.CORE_MODULE_SORT)
            elif s.sid == b.CORE_INSTANCE:
                for _ in range(c.u32()):
                    add(b.CORE_INSTANCE_SORT)
            elif s.sid == b.CORE_TYPE:
                for _ in range(c.u32()):
                    add(b.CORE_TYPE_SORT)
            elif s.sid in (b.START, b.IMPORT):
                raise _Opaque  # values are not followed; imports were refused earlier
    except (_Opaque, LaneUnsupportedError):
        return None
    return defs


class Restater:
    """Writes restated types into the wrapper (``pending`` type entries, flushed by the
    caller before the export that uses them)."""

    def __init__(self, defs: Defs, alloc_type: Callable[[], int]) -> None:
        self.defs = defs
        self.alloc_type = alloc_type
        self.pending: list[bytes] = []
        self.created: dict[int, int] = {}  # top-level export k -> the wrapper's index
        self._memo: dict[int, int | None] = {}

    def _define(self, entry: bytes) -> int:
        self.pending.append(entry)
        return self.alloc_type()

    def type_idx(self, t: int, depth: int = 0) -> int | None:
        """The wrapper's type index standing for the original's type ``t``."""
        if t < self.defs.prefix.get(b.TYPE_SORT, 0):
            return t
        if t in self._memo:
            return self._memo[t]
        if depth > 100:
            return None
        o = self.defs.types.get(t)
        out: int | None = None
        if isinstance(o, Exported):
            out = self.created.get(o.k)
        elif isinstance(o, AliasOf):
            target = self._inline_export(o.instance, b.TYPE_SORT, o.name)
            out = None if target is None else self.type_idx(target, depth + 1)
        elif isinstance(o, Def):
            parts = []
            for p in o.template:
                if isinstance(p, bytes):
                    parts.append(p)
                    continue
                w = self.type_idx(p[1], depth + 1)
                if w is None:
                    break
                parts.append(_s33(w) if p[0] == "s" else b.u32(w))
            else:
                out = self._define(b"".join(parts))
        self._memo[t] = out
        return out

    def _inline_export(self, inst: int, sort: bytes, name: str) -> int | None:
        o = self.defs.instances.get(inst)
        if isinstance(o, Exported):
            e = self.defs.exports[o.k]
            return self._inline_export(e.index, sort, name) if e.sort == b.INSTANCE_SORT else None
        if not isinstance(o, Inline):
            return None
        for raw, s, idx in o.exports:
            if s == sort and _name_of(raw) == name:
                return idx
        return None

    def func_type(self, f: int, depth: int = 0) -> int | None:
        """The wrapper's index of the original function ``f``'s functype."""
        if depth > 100:
            return None
        o = self.defs.funcs.get(f)
        if isinstance(o, Lifted):
            return self.type_idx(o.type_idx)
        if isinstance(o, Exported):
            e = self.defs.exports[o.k]
            if e.ascribed is not None:
                return self.type_idx(e.ascribed[1])
            return self.func_type(e.index, depth + 1)
        if isinstance(o, AliasOf):
            target = self._inline_export(o.instance, b.FUNC, o.name)
            return None if target is None else self.func_type(target, depth + 1)
        return None

    def instance_type(self, i: int) -> int | None:
        """A wrapper `instancetype` restating an inline instance of the original."""
        o = self.defs.instances.get(i)
        if isinstance(o, Exported):
            e = self.defs.exports[o.k]
            if e.ascribed is not None:
                return None
            return self.instance_type(e.index)
        if not isinstance(o, Inline):
            return None
        decls: list[bytes] = []
        local = 0
        for raw, sort, idx in o.exports:
            if sort == b.FUNC:
                w = self.func_type(idx)
                tag = b"\x01"
            elif sort == b.TYPE_SORT:
                w = self.type_idx(idx)
                tag = b"\x03\x00"
            else:
                return None
            if w is None:
                return None
            # alias outer 1 w (type), then export it under the inline export's name
            decls.append(b"\x02" + b.TYPE_SORT + b"\x02" + b.u32(1) + b.u32(w))
            decls.append(b"\x04" + raw + tag + b.u32(local))
            local += 2 if sort == b.TYPE_SORT else 1
        return self._define(b"\x42" + b.vec(decls))

    def ascription(self, e: TopExport) -> bytes | None:
        """The `externtype` restating top-level export ``e``, or None to export it plain."""
        if e.sort == b.FUNC:
            w = self.func_type(e.index)
            return None if w is None else b"\x01" + b.u32(w)
        if e.sort == b.TYPE_SORT:
            if e.ascribed is not None and e.ascribed[0] != 3:
                return None
            w = self.type_idx(e.index if e.ascribed is None else e.ascribed[1])
            return None if w is None else b"\x03\x00" + b.u32(w)
        if e.sort == b.INSTANCE_SORT:
            w = self.instance_type(e.index)
            return None if w is None else b"\x05" + b.u32(w)
        return None


def _name_of(raw: bytes) -> str:
    return b._Cursor(raw, 0, len(raw)).name_attributes()
