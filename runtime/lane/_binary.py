"""Just enough of the component binary format to splice a wrapper around a component.

Only the top level of the original is walked: section ids and sizes, and the
entries of the import, alias and export sections (their sorts, to count index
spaces). Nested components and core modules are never parsed; their bytes are
copied.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from .errors import LaneUnsupportedError

PREAMBLE = b"\x00asm\x0d\x00\x01\x00"

# Section ids (Binary.md).
CUSTOM = 0
CORE_MODULE = 1
CORE_INSTANCE = 2
CORE_TYPE = 3
COMPONENT = 4
INSTANCE = 5
ALIAS = 6
TYPE = 7
CANON = 8
START = 9
IMPORT = 10
EXPORT = 11

# Index spaces, keyed by the sort bytes of a `sortidx` (component sorts are one
# byte; core sorts are 0x00 followed by the core sort byte).
FUNC = b"\x01"
VALUE = b"\x02"
TYPE_SORT = b"\x03"
COMPONENT_SORT = b"\x04"
INSTANCE_SORT = b"\x05"
CORE_FUNC = b"\x00\x00"
CORE_MEMORY = b"\x00\x02"
CORE_TYPE_SORT = b"\x00\x10"
CORE_MODULE_SORT = b"\x00\x11"
CORE_INSTANCE_SORT = b"\x00\x12"

_PREFIX_SECTIONS = frozenset({CUSTOM, CORE_TYPE, ALIAS, TYPE, IMPORT})


def u32(n: int) -> bytes:
    """Unsigned LEB128."""
    if n < 0 or n >= 1 << 32:
        raise ValueError(f"u32 out of range: {n}")
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def name(s: str) -> bytes:
    raw = s.encode("utf-8")
    return u32(len(raw)) + raw


def vec(items: list[bytes]) -> bytes:
    return u32(len(items)) + b"".join(items)


def section(sid: int, payload: bytes) -> bytes:
    return bytes([sid]) + u32(len(payload)) + payload


class _Cursor:
    __slots__ = ("data", "pos", "end")

    def __init__(self, data: bytes, pos: int, end: int) -> None:
        self.data = data
        self.pos = pos
        self.end = end

    def fail(self, what: str) -> LaneUnsupportedError:
        return LaneUnsupportedError(f"malformed component at offset {self.pos}: {what}")

    def byte(self) -> int:
        if self.pos >= self.end:
            raise self.fail("unexpected end of section")
        b = self.data[self.pos]
        self.pos += 1
        return b

    def u32(self) -> int:
        result = shift = 0
        for _ in range(5):
            b = self.byte()
            result |= (b & 0x7F) << shift
            if not b & 0x80:
                return result
            shift += 7
        raise self.fail("LEB128 too long")

    def s33(self) -> int:
        result = shift = 0
        for _ in range(5):
            b = self.byte()
            result |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                if b & 0x40:
                    result -= 1 << shift
                return result
        raise self.fail("LEB128 too long")

    def skip_name(self) -> str:
        n = self.u32()
        if n > self.end - self.pos:
            raise self.fail("name runs past the section")
        raw = self.data[self.pos : self.pos + n]
        self.pos += n
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as e:
            raise self.fail("name is not UTF-8") from e

    def name_attributes(self) -> str:
        tag = self.byte()
        if tag not in (0, 1, 2):
            raise self.fail(f"unknown name encoding 0x{tag:02x}")
        n = self.skip_name()
        if tag == 2:
            for _ in range(self.u32()):
                kind = self.byte()
                if kind not in (0, 1, 2):
                    raise self.fail(f"unknown name attribute 0x{kind:02x}")
                self.skip_name()
        return n

    def sort(self) -> bytes:
        b = self.byte()
        if b == 0:
            return bytes([0, self.byte()])
        if b > 5:
            raise self.fail(f"unknown sort 0x{b:02x}")
        return bytes([b])

    def extern_sort(self) -> bytes:
        """Read an `externtype`, returning the sort it declares."""
        tag = self.byte()
        if tag == 0:
            if self.byte() != 0x11:
                raise self.fail("core extern type other than module")
            self.u32()
            return CORE_MODULE_SORT
        if tag == 2:
            if self.byte() == 0:
                self.u32()
            else:
                self.s33()
            return VALUE
        if tag == 3:
            if self.byte() == 0:
                self.u32()
            return TYPE_SORT
        if tag in (1, 4, 5):
            self.u32()
            return bytes([tag])
        raise self.fail(f"unknown extern type 0x{tag:02x}")


@dataclass
class Section:
    sid: int
    start: int  # offset of the id byte
    body: int  # offset of the payload
    end: int


def sections(data: bytes) -> Iterator[Section]:
    if data[:8] != PREAMBLE:
        if data[:4] == b"\x00asm":
            raise LaneUnsupportedError("not a component (a core module, or another version)")
        raise LaneUnsupportedError("not a WebAssembly component")
    c = _Cursor(data, 8, len(data))
    while c.pos < c.end:
        start = c.pos
        sid = c.byte()
        size = c.u32()
        body = c.pos
        if size > c.end - body:
            raise c.fail(f"section {sid} runs past the end")
        c.pos = body + size
        yield Section(sid, start, body, c.pos)


@dataclass
class ImportItem:
    name: str
    sort: bytes
    index: int


@dataclass
class ExportItem:
    name: str
    raw_name: bytes  # the `nameattributes` bytes, copied verbatim
    sort: bytes


@dataclass
class Layout:
    """What the wrapper needs to know about the original's top level."""

    prefix: bytes  # the copied sections (custom sections dropped)
    counts: dict[bytes, int] = field(default_factory=dict)
    imports: list[ImportItem] = field(default_factory=list)
    exports: list[ExportItem] = field(default_factory=list)
    #: The type index of each imported instance, in import order.
    instance_import_types: list[int] = field(default_factory=list)

    def add(self, sort: bytes) -> int:
        i = self.counts.get(sort, 0)
        self.counts[sort] = i + 1
        return i


def read_layout(data: bytes) -> Layout:
    """Split the original into its import prefix and the rest; list its exports.

    Raises `LaneUnsupportedError` when an import section comes after any other
    kind of definition (the imports are then not a prefix that can be copied).
    """
    secs = list(sections(data))
    out = Layout(b"")
    prefix: list[bytes] = []
    in_prefix = True
    for s in secs:
        if in_prefix and s.sid not in _PREFIX_SECTIONS:
            in_prefix = False
        c = _Cursor(data, s.body, s.end)
        if in_prefix:
            if s.sid == CUSTOM:
                continue
            prefix.append(data[s.start : s.end])
            if s.sid == TYPE:
                for _ in range(c.u32()):
                    out.add(TYPE_SORT)
            elif s.sid == CORE_TYPE:
                for _ in range(c.u32()):
                    out.add(CORE_TYPE_SORT)
            elif s.sid == IMPORT:
                for _ in range(c.u32()):
                    n = c.name_attributes()
                    at = c.pos
                    sort = c.extern_sort()
                    if sort == INSTANCE_SORT:  # 0x05 typeidx
                        out.instance_import_types.append(_Cursor(data, at + 1, c.pos).u32())
                    out.imports.append(ImportItem(n, sort, out.add(sort)))
            elif s.sid == ALIAS:
                for _ in range(c.u32()):
                    sort = c.sort()
                    kind = c.byte()
                    if kind in (0, 1):
                        c.u32()
                        c.skip_name()
                    elif kind == 2:
                        c.u32()
                        c.u32()
                    else:
                        raise c.fail(f"unknown alias target 0x{kind:02x}")
                    out.add(sort)
            continue
        if s.sid == IMPORT:
            raise LaneUnsupportedError(
                "the component's imports are not a leading prefix of its sections "
                "(an import follows other definitions)"
            )
        if s.sid == EXPORT:
            for _ in range(c.u32()):
                start = c.pos
                n = c.name_attributes()
                raw = data[start : c.pos]
                sort = c.sort()
                c.u32()
                if c.byte() == 1:
                    c.extern_sort()
                out.exports.append(ExportItem(n, raw, sort))
    out.prefix = b"".join(prefix)
    return out
