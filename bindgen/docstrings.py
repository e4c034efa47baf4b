"""Docstrings of generated code: WIT doc comments made safe to write inside
triple quotes, and laid out at the docstring's column."""

from __future__ import annotations


def doc_tail(docs: str | None, indent: int, *, closing: bool = True) -> str:
    """WIT doc comments to append to a docstring's first line: a blank line,
    then the docs indented to the docstring's column (and, when `closing`,
    the newline and indentation before the closing quotes). Empty without
    docs, so bindings from a component binary are unchanged."""
    if not docs:
        return ""
    return paragraph_tail(escape_doc(docs), indent, closing=closing)


def paragraph_tail(text: str, indent: int, *, closing: bool = True) -> str:
    """`text` (already escaped) as a docstring's next paragraph, laid out as
    `doc_tail` lays out docs."""
    pad = " " * indent
    body = "".join(f"\n{pad}{line}" if line.strip() else "\n" for line in text.split("\n"))
    return f"\n{body}" + (f"\n{pad}" if closing else "")


def function_doc_tail(docs: str | None, raises: str | None, indent: int) -> str:
    """What follows a function docstring's signature line: its WIT docs,
    then what it raises (`raises`, text of ours that needs no escaping)."""
    paragraphs = [escape_doc(docs)] if docs else []
    if raises:
        paragraphs.append(raises)
    return paragraph_tail("\n\n".join(paragraphs), indent) if paragraphs else ""


def attribute_doc(docs: str | None, indent: int) -> str:
    """The body of an attribute docstring (record field, enum member)."""
    if not docs:
        return ""
    lines = escape_doc(docs).split("\n")
    if len(lines) == 1:
        return lines[0]
    pad = " " * indent
    rest = "".join(f"\n{pad}{line}" if line.strip() else "\n" for line in lines[1:])
    return f"{lines[0]}{rest}\n{pad}"


def escape_doc(docs: str) -> str:
    """Docs as the inside of a triple-quoted literal: backslashes and quotes
    escaped, line ends normalised to `\\n`, and other control or line-breaking
    characters (NUL, CR, U+2028, ...) written as escapes, so the text can
    neither end the string nor break the source's line structure."""
    text = docs.replace("\r\n", "\n").replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    text = "".join(_escape_char(c) for c in text)
    return text + " " if text.endswith('"') else text


def _escape_char(c: str) -> str:
    code = ord(c)
    if 0xD800 <= code < 0xE000:
        # a lone surrogate cannot be UTF-8 at all: shown as the text `\udcff`
        return f"\\\\u{code:04x}"
    if c in "\n\t" or not (code < 32 or 0x7F <= code < 0xA0 or c in "\u2028\u2029"):
        return c
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
