"""WIT lexical structure (WIT.md, "Lexical structure").

The lexer turns one file into a list of tokens. Comments are not tokens, but
each token keeps the comments written right before it, from which the parser
takes doc comments (`///` and `/** */`) for the item the token starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .errors import Source, Span, WitError

KEYWORDS = frozenset(
    """as async bool borrow char constructor enum export f32 f64 flags from func
    future import include interface list map option own package record resource
    result s16 s32 s64 s8 static stream string tuple type u16 u32 u64 u8 use
    variant with world error-context""".split()
)

OPERATORS = ("->", "=", ",", ":", ";", "(", ")", "{", "}", "<", ">", "*", "/", ".", "@")

_ID = re.compile(r"%?[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*")
# Semantic Versioning 2.0 (the same shape wit-parser accepts after `@`).
_VERSION = re.compile(
    r"(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)"
    r"(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?"
    r"(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?"
)
_INT = re.compile(r"[0-9]+")
_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_WORD = r"(?:[a-z][0-9a-z]*|[A-Z][0-9A-Z]*)"
_LABEL = re.compile(rf"{_WORD}(?:-(?:[0-9a-z]+|[0-9A-Z]+))*\Z")
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Token:
    kind: str  # "id", "int", "version", "string", "eof", a keyword, or an operator
    value: str  # the identifier without `%`, the literal's text, or the keyword
    span: Span
    comments: tuple[str, ...] = field(default=(), compare=False)


def tokenize(source: Source) -> list[Token]:
    text = source.text
    bad = _FORBIDDEN.search(text)
    if bad is not None:
        raise WitError(
            f"invalid character U+{ord(bad.group()):04X} (control and bidirectional "
            "override characters are not allowed in WIT)",
            Span(source, bad.start(), bad.end()),
        )
    tokens: list[Token] = []
    comments: list[str] = []
    pos = 0
    n = len(text)
    while pos < n:
        ch = text[pos]
        if ch in " \t\r\n":
            pos += 1
            continue
        if text.startswith("//", pos):
            end = text.find("\n", pos)
            end = n if end < 0 else end
            comments.append(text[pos:end])
            pos = end
            continue
        if text.startswith("/*", pos):
            depth, i = 1, pos + 2
            while depth:
                if i >= n:
                    raise WitError("unterminated block comment", Span(source, pos, pos + 2))
                if text.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif text.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    i += 1
            comments.append(text[pos:i])
            pos = i
            continue
        kind: str
        m = _ID.match(text, pos)
        if m is not None:
            word = m.group()
            end = m.end()
            if word.startswith("%"):
                kind, value = "id", word[1:]
            elif word in KEYWORDS:
                kind = value = word
            else:
                kind, value = "id", word
            if kind == "id" and not _LABEL.match(value):
                raise WitError(
                    f"invalid identifier {word!r}: WIT names are kebab-case words, each "
                    "all lowercase or all uppercase, the first starting with a letter",
                    Span(source, pos, end),
                )
        elif ch.isdigit():
            vm = _VERSION.match(text, pos)
            if vm is not None and tokens and tokens[-1].kind in ("@", "="):
                kind, value, end = "version", vm.group(), vm.end()
            else:
                im = _INT.match(text, pos)
                assert im is not None
                kind, value, end = "int", im.group(), im.end()
        elif ch == '"':
            sm = _STRING.match(text, pos)
            if sm is None:
                raise WitError("unterminated string literal", Span(source, pos, pos + 1))
            kind, value, end = "string", _unescape(sm.group()[1:-1]), sm.end()
        elif ch == "_" and not (pos + 1 < n and (text[pos + 1].isalnum() or text[pos + 1] == "-")):
            kind, value, end = "_", "_", pos + 1
        else:
            op = next((o for o in OPERATORS if text.startswith(o, pos)), None)
            if op is None:
                end = pos + 1
                while end < n and not text[end].isspace() and text[end] not in "{}();,:<>":
                    end += 1
                raise WitError(f"unexpected character {ch!r}", Span(source, pos, end))
            kind = value = op
            end = pos + len(op)
        tokens.append(Token(kind, value, Span(source, pos, end), tuple(comments)))
        comments = []
        pos = end
    tokens.append(Token("eof", "", Span(source, n, n), tuple(comments)))
    return tokens


def _unescape(body: str) -> str:
    def repl(m: re.Match[str]) -> str:
        esc = m.group(1)
        simple = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "'": "'", "\\": "\\"}
        if esc in simple:
            return simple[esc]
        if esc.startswith("u{"):
            return chr(int(esc[2:-1], 16))
        return bytes([int(esc, 16)]).decode("latin-1")

    return re.sub(r"\\(u\{[0-9a-fA-F]+\}|[0-9a-fA-F]{2}|.)", repl, body)


def doc_text(comments: tuple[str, ...], *, all_comments: bool = False) -> str | None:
    """The doc string of an item from the comments before it.

    By default only doc comments count: `///` lines (not `////`) and
    `/** ... */` blocks (not `/**/` or `/*** */`), as in the WIT docs and
    Rust. `all_comments=True` takes every comment, which is what wit-parser
    (and so `wasm-tools component wit --json`) does since wasm-tools#1313;
    the tests use it to compare with wasm-tools. The text is then normalised
    the way wit-parser does: markers stripped, trailing space removed, the
    common indentation of non-empty lines removed, trailing newlines dropped.
    """
    lines: list[str] = []
    for c in comments:
        if not all_comments and not _is_doc_comment(c):
            continue
        if c.startswith("/**"):
            body = c[3:-2] if c.endswith("*/") else c[3:]
        else:
            body = c.lstrip("/")
        lines.append(body.rstrip())
    if not lines:
        return None
    indents = [len(d) - len(d.lstrip()) for d in lines if d]
    common = min(indents, default=0)
    if common:
        prefix = " " * common
        lines = [d[common:] if d.startswith(prefix) else d for d in lines]
    out = ""
    for d in lines:
        if not d:
            out += "\n"
        else:
            for line in d.splitlines():
                out += line + "\n"
    return out.rstrip("\n")


def _is_doc_comment(c: str) -> bool:
    if c.startswith("///"):
        return not c.startswith("////")
    if c.startswith("/**"):
        return not (c.startswith("/**/") or c.startswith("/***"))
    return False
