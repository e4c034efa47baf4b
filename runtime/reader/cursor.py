"""A bounds-checked byte cursor over (a window of) the input.

Every read checks against `end`, so a truncated or lying size field becomes a
`ReaderError` at the offending offset instead of an IndexError or a read past
the section. Offsets in errors are absolute positions in the whole input.
"""

from __future__ import annotations

from ..errors import ReaderError

# LEB128 encodings of u32 take at most 5 bytes; s33 (type indices in core
# heap types) also 5; u64 10.
_MAX_U32_BYTES = 5


class Cursor:
    __slots__ = ("data", "end", "item", "pos")

    def __init__(self, data: bytes, pos: int = 0, end: int | None = None) -> None:
        self.data = data
        self.pos = pos
        self.end = len(data) if end is None else end
        # Name of the import/export/definition being read, for error messages.
        self.item: str | None = None

    def error(self, message: str, offset: int | None = None) -> ReaderError:
        return ReaderError(message, self.pos if offset is None else offset, self.item)

    def unsupported(self, message: str, offset: int | None = None) -> ReaderError:
        return ReaderError(
            message, self.pos if offset is None else offset, self.item, unsupported=True
        )

    @property
    def at_end(self) -> bool:
        return self.pos >= self.end

    def remaining(self) -> int:
        return self.end - self.pos

    def byte(self) -> int:
        if self.pos >= self.end:
            raise self.error("unexpected end of input")
        b = self.data[self.pos]
        self.pos += 1
        return b

    def peek(self) -> int:
        if self.pos >= self.end:
            raise self.error("unexpected end of input")
        return self.data[self.pos]

    def bytes(self, n: int) -> bytes:
        if n < 0 or n > self.end - self.pos:
            raise self.error(
                f"unexpected end of input (need {n} bytes, have {self.end - self.pos})"
            )
        out = self.data[self.pos : self.pos + n]
        self.pos += n
        return out

    def skip(self, n: int) -> None:
        if n < 0 or n > self.end - self.pos:
            raise self.error(
                f"unexpected end of input (need {n} bytes, have {self.end - self.pos})"
            )
        self.pos += n

    def u32(self) -> int:
        start = self.pos
        result = 0
        shift = 0
        for i in range(_MAX_U32_BYTES):
            b = self.byte()
            result |= (b & 0x7F) << shift
            if not b & 0x80:
                # The fifth byte may only carry the top 4 bits of a u32.
                if i == _MAX_U32_BYTES - 1 and b > 0x0F:
                    raise self.error("integer too large for u32 (LEB128 overflow)", start)
                return result
            shift += 7
        raise self.error("integer representation too long (LEB128 overflow)", start)

    def u64(self) -> int:
        start = self.pos
        result = 0
        shift = 0
        for i in range(10):
            b = self.byte()
            result |= (b & 0x7F) << shift
            if not b & 0x80:
                if i == 9 and b > 0x01:
                    raise self.error("integer too large for u64 (LEB128 overflow)", start)
                return result
            shift += 7
        raise self.error("integer representation too long (LEB128 overflow)", start)

    def s33(self) -> int:
        """Signed LEB128 up to 33 bits (core heap types, block types)."""
        start = self.pos
        result = 0
        shift = 0
        for _ in range(5):
            b = self.byte()
            result |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                if b & 0x40:
                    result -= 1 << shift
                return result
        raise self.error("integer representation too long (LEB128 overflow)", start)

    def count(self, what: str, min_entry_bytes: int = 1) -> int:
        """A vector length. Each entry takes at least `min_entry_bytes`, so a
        length larger than the remaining bytes allow is rejected up front;
        this bounds every loop by the input length."""
        start = self.pos
        n = self.u32()
        if n * min_entry_bytes > self.remaining():
            raise self.error(
                f"{what} count {n} exceeds the {self.remaining()} bytes remaining", start
            )
        return n

    def name(self, what: str = "name") -> str:
        start = self.pos
        n = self.u32()
        raw = self.bytes(n)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise self.error(f"{what} is not valid UTF-8", start) from None

    def sub(self, size: int, what: str = "size", at: int | None = None) -> Cursor:
        """A cursor over the next `size` bytes; self moves past them. `at` is
        where the size was read, for the error."""
        if size > self.end - self.pos:
            raise self.error(
                f"{what} {size} exceeds the {self.end - self.pos} bytes remaining",
                self.pos if at is None else at,
            )
        c = Cursor(self.data, self.pos, self.pos + size)
        c.item = self.item
        self.pos += size
        return c
