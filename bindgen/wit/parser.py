"""A recursive-descent parser for WIT files (WIT.md, "Top-level items" on).

`parse_file(source)` returns the file's syntax tree; any syntax error is a
`WitError` pointing at the offending token.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from . import ast
from .errors import Source, Span, WitError
from .lexer import Token, tokenize

T = TypeVar("T")

PRIMITIVES = frozenset("bool s8 u8 s16 u16 s32 u32 s64 u64 f32 f64 char string".split())
_TYPEDEF_KEYWORDS = frozenset({"record", "variant", "enum", "flags", "resource", "type"})
_MAX_DEPTH = 100


def _describe(tok: Token) -> str:
    if tok.kind == "eof":
        return "end of file"
    if tok.kind == "id":
        return f"identifier `{tok.value}`"
    if tok.kind in ("int", "version", "string"):
        return f"{tok.kind} `{tok.span.text}`"
    if tok.kind.isalpha() or "-" in tok.kind:
        return f"keyword `{tok.kind}`"
    return f"`{tok.kind}`"


class Parser:
    def __init__(self, source: Source) -> None:
        self.source = source
        self.toks = tokenize(source)
        self.i = 0

    # ---- token helpers ---------------------------------------------------

    def peek(self, k: int = 0) -> Token:
        return self.toks[min(self.i + k, len(self.toks) - 1)]

    def next(self) -> Token:
        tok = self.toks[self.i]
        if tok.kind != "eof":
            self.i += 1
        return tok

    def at(self, kind: str) -> bool:
        return self.peek().kind == kind

    def eat(self, kind: str) -> Token | None:
        if self.at(kind):
            return self.next()
        return None

    def error(self, message: str, tok: Token | None = None) -> WitError:
        return WitError(message, (tok or self.peek()).span)

    def expect(self, kind: str, what: str | None = None) -> Token:
        tok = self.peek()
        if tok.kind != kind:
            want = what or (f"`{kind}`" if not kind.isalpha() else f"keyword `{kind}`")
            raise self.error(f"expected {want}, found {_describe(tok)}", tok)
        return self.next()

    def ident(self, what: str = "an identifier") -> ast.Id:
        tok = self.peek()
        if tok.kind != "id":
            raise self.error(f"expected {what}, found {_describe(tok)}", tok)
        self.next()
        return ast.Id(tok.value, tok.span)

    def docs(self) -> tuple[str, ...]:
        return self.peek().comments

    def span_from(self, start: Token) -> Span:
        prev = self.toks[self.i - 1] if self.i else start
        return Span(self.source, start.span.start, max(prev.span.end, start.span.end))

    def comma_list(self, end: str, item: Callable[[], T]) -> list[T]:
        """`item (',' item)* ','? end`."""
        out: list[T] = []
        while not self.eat(end):
            out.append(item())
            if not self.eat(","):
                self.expect(end, f"`,` or `{end}`")
                break
        return out

    # ---- files -------------------------------------------------------------

    def file(self) -> ast.File:
        package: ast.PackageName | None = None
        if self.at("package"):
            save = self.i
            self.next()
            name = self.package_name()
            if self.eat(";"):
                package = name
            else:
                self.i = save
        items: list[ast.Interface | ast.World | ast.TopUse | ast.NestedPackage] = []
        while not self.at("eof"):
            if self.at("package"):
                items.append(self.nested_package())
            else:
                items.append(self.decl())
        return ast.File(package, tuple(items))

    def nested_package(self) -> ast.NestedPackage:
        self.expect("package")
        name = self.package_name()
        self.expect("{", "`{` or `;` after the package name")
        items: list[ast.Interface | ast.World | ast.TopUse] = []
        while not self.eat("}"):
            if self.at("eof"):
                raise self.error("expected `}` closing the nested package")
            if self.at("package"):
                raise self.error("packages cannot be nested inside other packages")
            items.append(self.decl())
        return ast.NestedPackage(name, tuple(items))

    def package_name(self) -> ast.PackageName:
        start = self.peek()
        ns = self.ident("a package namespace")
        self.expect(":", "`:` in the package name `namespace:name`")
        name = self.ident("a package name")
        if self.at(":") or self.at("/"):
            raise self.error("nested namespaces and packages are not supported")
        version = self.opt_version()
        return ast.PackageName(ns.name, name.name, version, self.span_from(start))

    def opt_version(self) -> str | None:
        if not self.eat("@"):
            return None
        return self.expect("version", "a semantic version such as 0.2.0").value

    def decl(self) -> ast.Interface | ast.World | ast.TopUse:
        docs = self.docs()
        attrs = self.attributes()
        tok = self.peek()
        if tok.kind == "interface":
            self.next()
            name = self.ident("an interface name")
            return ast.Interface(name, self.interface_items(), docs, attrs)
        if tok.kind == "world":
            self.next()
            name = self.ident("a world name")
            return ast.World(name, self.world_items(), docs, attrs)
        if tok.kind == "use":
            if attrs:
                raise self.error("a top-level `use` cannot have attributes", tok)
            self.next()
            path = self.use_path()
            as_ = self.ident() if self.eat("as") else None
            self.expect(";")
            return ast.TopUse(path, as_, self.span_from(tok))
        raise self.error(
            f"expected `interface`, `world`, `use` or `package`, found {_describe(tok)}", tok
        )

    # ---- attributes ----------------------------------------------------------

    def attributes(self) -> tuple[ast.Attribute, ...]:
        out: list[ast.Attribute] = []
        while self.at("@"):
            start = self.next()
            name = self.ident("an attribute name (`since`, `unstable` or `deprecated`)")
            self.expect("(")
            value: str
            kind = name.name
            if kind in ("since", "deprecated"):
                field = self.ident("`version`")
                if field.name != "version":
                    raise WitError(f"expected `version`, found `{field.name}`", field.span)
                self.expect("=")
                value = self.expect("version", "a semantic version such as 0.2.0").value
            elif kind == "unstable":
                field = self.ident("`feature`")
                if field.name != "feature":
                    raise WitError(f"expected `feature`, found `{field.name}`", field.span)
                self.expect("=")
                value = self.ident("a feature name").name
            elif kind == "external-id":
                value = self.expect("string", "a string").value
            else:
                raise WitError(f"unknown attribute `@{kind}`", name.span)
            self.expect(")")
            out.append(ast.Attribute(kind, value, self.span_from(start)))  # type: ignore[arg-type]
        return tuple(out)

    # ---- paths -----------------------------------------------------------------

    def use_path(self) -> ast.UsePath:
        start = self.peek()
        first = self.ident("an interface name or `namespace:package/interface`")
        if not self.eat(":"):
            return ast.LocalPath(first)
        pkg = self.ident("a package name")
        if self.at(":"):
            raise self.error("nested namespaces are not supported")
        self.expect("/", "`/` and an interface name after `namespace:package`")
        name = self.ident("an interface or world name")
        if self.at("/"):
            raise self.error("nested packages are not supported")
        version = self.opt_version()
        return ast.PackagePath(first.name, pkg.name, version, name, self.span_from(start))

    # ---- interfaces --------------------------------------------------------------

    def interface_items(self) -> tuple[ast.InterfaceItem, ...]:
        self.expect("{")
        items: list[ast.InterfaceItem] = []
        while True:
            docs = self.docs()
            if self.eat("}"):
                break
            attrs = self.attributes()
            tok = self.peek()
            if tok.kind == "use":
                items.append(self.use_item(attrs))
            elif tok.kind in _TYPEDEF_KEYWORDS:
                items.append(self.typedef(docs, attrs))
            elif tok.kind == "id":
                name = self.ident()
                self.expect(":", "`:` and `func` after the function name")
                func = self.func_type()
                self.expect(";")
                items.append(ast.NamedFunc(name, func, docs, attrs))
            else:
                raise self.error(
                    "expected a type definition, a function, `use` or `}`, "
                    f"found {_describe(tok)}",
                    tok,
                )
        return tuple(items)

    def use_item(self, attrs: tuple[ast.Attribute, ...]) -> ast.Use:
        start = self.expect("use")
        path = self.use_path()
        self.expect(".", "`.{` and the names to use")
        self.expect("{")

        def name() -> tuple[ast.Id, ast.Id | None]:
            n = self.ident("a type name")
            return (n, self.ident() if self.eat("as") else None)

        names = self.comma_list("}", name)
        if not names:
            raise self.error("`use` must name at least one type", start)
        self.expect(";")
        return ast.Use(path, tuple(names), attrs, self.span_from(start))

    def func_type(self) -> ast.Func:
        start = self.peek()
        is_async = bool(self.eat("async"))
        self.expect("func")
        params = self.params()
        result = self.ty() if self.eat("->") else None
        return ast.Func(params, result, is_async, self.span_from(start))

    def params(self) -> tuple[tuple[ast.Id, ast.Ty], ...]:
        self.expect("(", "`(` and the parameters")

        def param() -> tuple[ast.Id, ast.Ty]:
            n = self.ident("a parameter name")
            self.expect(":", "`:` and the parameter's type")
            return (n, self.ty())

        return tuple(self.comma_list(")", param))

    def typedef(self, docs: tuple[str, ...], attrs: tuple[ast.Attribute, ...]) -> ast.TypeDef:
        kw = self.next().kind
        name = self.ident("a type name")
        if kw == "type":
            self.expect("=")
            target = self.ty()
            self.expect(";")
            return ast.TypeDef("type", name, docs, attrs, alias=target)
        if kw == "resource":
            funcs: list[ast.ResourceFunc] = []
            if self.eat("{"):
                while True:
                    fdocs = self.docs()
                    if self.eat("}"):
                        break
                    fattrs = self.attributes()
                    funcs.append(self.resource_func(fdocs, fattrs))
            else:
                self.expect(";", "`;` or `{`")
            return ast.TypeDef("resource", name, docs, attrs, funcs=tuple(funcs))
        self.expect("{")

        def item() -> ast.Named:
            idocs = self.docs()
            n = self.ident()
            ty: ast.Ty | None = None
            if kw == "record":
                self.expect(":", "`:` and the field's type")
                ty = self.ty()
            elif kw == "variant" and self.eat("("):
                ty = self.ty()
                self.expect(")")
            return ast.Named(n, ty, idocs)

        items = self.comma_list("}", item)
        if not items and kw in ("variant", "enum"):
            raise WitError(f"{kw} `{name.name}` must have at least one case", name.span)
        return ast.TypeDef(kw, name, docs, attrs, items=tuple(items))  # type: ignore[arg-type]

    def resource_func(
        self, docs: tuple[str, ...], attrs: tuple[ast.Attribute, ...]
    ) -> ast.ResourceFunc:
        tok = self.peek()
        if tok.kind == "constructor":
            self.next()
            start = tok
            params = self.params()
            result = self.ty() if self.eat("->") else None
            self.expect(";")
            func = ast.Func(params, result, False, self.span_from(start))
            return ast.ResourceFunc(
                "constructor", ast.Id("constructor", tok.span), func, docs, attrs
            )
        name = self.ident("a method name, `constructor` or `}`")
        self.expect(":", "`:` and `func` after the method name")
        kind: str = "method"
        if self.eat("static"):
            kind = "static"
        func = self.func_type()
        self.expect(";")
        return ast.ResourceFunc(kind, name, func, docs, attrs)  # type: ignore[arg-type]

    # ---- types ---------------------------------------------------------------------

    def ty(self, depth: int = 0) -> ast.Ty:
        tok = self.peek()
        if depth > _MAX_DEPTH:
            raise self.error("type nesting too deep", tok)
        if tok.kind in PRIMITIVES:
            self.next()
            return ast.TPrim(tok.kind, tok.span)
        if tok.kind == "id":
            return ast.TName(self.ident())
        if tok.kind in ("list", "option", "tuple", "result", "borrow", "own", "future",
                        "stream", "map", "error-context"):  # fmt: skip
            self.next()
            return self.compound(tok, depth)
        raise self.error(f"expected a type, found {_describe(tok)}", tok)

    def compound(self, tok: Token, depth: int) -> ast.Ty:
        kind = tok.kind
        if kind == "error-context":
            return ast.TUnsupported("error-context", (), tok.span)
        if kind in ("result", "future", "stream") and not self.at("<"):
            if kind == "result":
                return ast.TResult(None, None, tok.span)
            return ast.TUnsupported(kind, (), tok.span)
        self.expect("<")
        if kind in ("borrow", "own"):
            res = self.ident("a resource name")
            self.expect(">")
            return ast.THandle(kind == "borrow", res, self.span_from(tok))
        if kind == "tuple":
            els = self.comma_list(">", lambda: self.ty(depth + 1))
            return ast.TTuple(tuple(els), self.span_from(tok))
        if kind == "result":
            ok: ast.Ty | None = None
            if not self.eat("_"):
                ok = self.ty(depth + 1)
            err: ast.Ty | None = None
            if self.eat(","):
                err = self.ty(depth + 1)
            elif ok is None:
                raise self.error("expected `,` and an error type after `result<_`")
            self.expect(">")
            return ast.TResult(ok, err, self.span_from(tok))
        if kind == "map":
            key = self.ty(depth + 1)
            self.expect(",")
            value = self.ty(depth + 1)
            self.expect(">")
            return ast.TUnsupported("map", (key, value), self.span_from(tok))
        inner = self.ty(depth + 1)
        if kind == "list" and self.eat(","):
            self.expect("int", "the list's fixed length")
            self.expect(">")
            return ast.TUnsupported("fixed-length list", (inner,), self.span_from(tok))
        self.expect(">")
        if kind == "list":
            return ast.TList(inner, self.span_from(tok))
        if kind == "option":
            return ast.TOption(inner, self.span_from(tok))
        return ast.TUnsupported(kind, (inner,), self.span_from(tok))

    # ---- worlds ----------------------------------------------------------------------

    def world_items(self) -> tuple[ast.WorldItem, ...]:
        self.expect("{")
        items: list[ast.WorldItem] = []
        while True:
            docs = self.docs()
            if self.eat("}"):
                break
            attrs = self.attributes()
            tok = self.peek()
            if tok.kind in ("import", "export"):
                items.append(self.import_export(docs, attrs))
            elif tok.kind == "use":
                items.append(self.use_item(attrs))
            elif tok.kind in _TYPEDEF_KEYWORDS:
                items.append(self.typedef(docs, attrs))
            elif tok.kind == "include":
                items.append(self.include(attrs))
            else:
                raise self.error(
                    "expected `import`, `export`, `use`, `include`, a type definition or `}`, "
                    f"found {_describe(tok)}",
                    tok,
                )
        return tuple(items)

    def import_export(
        self, docs: tuple[str, ...], attrs: tuple[ast.Attribute, ...]
    ) -> ast.ImportExport:
        start = self.next()
        direction = start.kind
        kind: ast.ExternKind
        if (
            self.peek().kind == "id"
            and self.peek(1).kind == ":"
            and not (self.peek(2).kind == "id" and self.peek(3).kind == "/")
        ):
            name = self.ident()
            self.expect(":")
            nxt = self.peek()
            if nxt.kind in ("func", "async"):
                kind = ast.ExternFunc(name, self.func_type())
                self.expect(";")
            elif nxt.kind == "interface":
                self.next()
                kind = ast.ExternInterface(name, self.interface_items())
            elif nxt.kind == "id":
                kind = ast.ExternNamedPath(name, self.use_path())
                self.expect(";")
            else:
                raise self.error(
                    f"expected `func`, `interface` or an interface name, found {_describe(nxt)}"
                )
        else:
            kind = ast.ExternPath(self.use_path())
            self.expect(";")
        return ast.ImportExport(direction, kind, docs, attrs, self.span_from(start))  # type: ignore[arg-type]

    def include(self, attrs: tuple[ast.Attribute, ...]) -> ast.Include:
        start = self.expect("include")
        path = self.use_path()
        names: list[tuple[ast.Id, ast.Id]] = []
        if self.eat("with"):
            self.expect("{")

            def pair() -> tuple[ast.Id, ast.Id]:
                a = self.ident()
                self.expect("as")
                return (a, self.ident())

            names = self.comma_list("}", pair)
        else:
            self.expect(";", "`;` or `with`")
        return ast.Include(path, tuple(names), attrs, self.span_from(start))


def parse_file(source: Source) -> ast.File:
    return Parser(source).file()
