"""Reading past core types declared inside component and instance types.

Core type *sections* are skipped by their size; a core type declared inside
a component-level type has no size prefix, so it must be parsed to be
skipped. Only its extent matters, never its meaning.
"""

from __future__ import annotations

from .cursor import Cursor


class CoreTypeSkipper:
    """Reads past a core type declared inside a component or instance type
    (where, unlike in a core type section, there is no size to skip by)."""

    def __init__(self, cur: Cursor) -> None:
        self.cur = cur

    def core_type(self, *, in_module_type: bool) -> None:
        cur = self.cur
        start = cur.pos
        b = cur.byte()
        match b:
            case 0x50 if not in_module_type:
                for _ in range(cur.count("module type declaration", 2)):
                    self.module_decl()
            case 0x00 if not in_module_type:
                if cur.byte() != 0x50:
                    raise cur.error("expected a core subtype", start + 1)
                self.subtype_body()
            case 0x4E:
                for _ in range(cur.count("rec group entry", 1)):
                    self.subtype()
            case _:
                cur.pos = start
                self.subtype()

    def subtype(self) -> None:
        cur = self.cur
        b = cur.peek()
        if b in (0x50, 0x4F):
            cur.pos += 1
            self.subtype_body()  # final (0x4F) or not: the same body
        else:
            self.comptype()

    def subtype_body(self) -> None:
        cur = self.cur
        for _ in range(cur.count("supertype", 1)):
            cur.u32()
        self.comptype()

    def comptype(self) -> None:
        cur = self.cur
        start = cur.pos
        b = cur.byte()
        match b:
            case 0x60:
                for _ in range(cur.count("core parameter", 1)):
                    self.valtype()
                for _ in range(cur.count("core result", 1)):
                    self.valtype()
            case 0x5F:
                for _ in range(cur.count("struct field", 2)):
                    self.storagetype()
                    cur.byte()
            case 0x5E:
                self.storagetype()
                cur.byte()
            case _:
                raise cur.unsupported(f"core type form 0x{b:02x} is not supported", start)

    def storagetype(self) -> None:
        if self.cur.peek() in (0x78, 0x77):  # i8, i16
            self.cur.pos += 1
        else:
            self.valtype()

    def valtype(self) -> None:
        cur = self.cur
        start = cur.pos
        b = cur.byte()
        if 0x7B <= b <= 0x7F or 0x69 <= b <= 0x74:
            return  # numeric, vector, or abstract heap type shorthand
        if b in (0x63, 0x64):
            cur.s33()
            return
        raise cur.error(f"unknown core value type 0x{b:02x}", start)

    def limits(self) -> None:
        cur = self.cur
        flags = cur.byte()
        cur.u64()
        if flags & 0x01:
            cur.u64()
        if flags & 0x08:
            cur.u32()

    def externtype(self) -> None:
        cur = self.cur
        start = cur.pos
        match cur.byte():
            case 0x00 | 0x20:
                cur.u32()
            case 0x01:
                self.valtype()
                self.limits()
            case 0x02:
                self.limits()
            case 0x03:
                self.valtype()
                cur.byte()
            case 0x04:
                cur.byte()
                cur.u32()
            case b:
                raise cur.error(f"unknown core extern type 0x{b:02x}", start)

    def module_decl(self) -> None:
        cur = self.cur
        start = cur.pos
        match cur.byte():
            case 0x00:
                cur.name("core import module")
                cur.name("core import name")
                self.externtype()
            case 0x01:
                self.core_type(in_module_type=True)
            case 0x02:
                if cur.byte() != 0x10 or cur.byte() != 0x01:
                    raise cur.error("malformed core alias in module type", start)
                cur.u32()
                cur.u32()
            case 0x03:
                cur.name("core export name")
                self.externtype()
            case b:
                raise cur.error(f"unknown module type declaration 0x{b:02x}", start)
