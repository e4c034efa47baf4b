"""Name resolution and validation of parsed WIT packages, following
wit-parser (the reference implementation behind `wasm-tools`) closely enough
that the model built from a world is the one a component of that world has:

- types of an interface are ordered like wit-parser orders them: `use`d
  names first, then definitions in a stable topological order;
- a world's imports are elaborated: every interface an import or export
  `use`s from is imported first (or exported, for an export whose dependency
  is exported too), then world-level types, then functions;
- `include` unions worlds (interfaces de-duplicated, plain names renamed by
  `with`);
- `@unstable` items are left out unless their feature is enabled; `@since`
  and `@deprecated` are checked against the package version.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar, Union

from . import ast
from . import resolved as r
from .errors import Source, Span, WitError
from .lexer import doc_text

_Item = TypeVar("_Item", r.RInterface, r.RWorld)

Item = Union[r.RInterface, r.RWorld]


@dataclass(eq=False)
class FileScope:
    """Names a file (or a nested package block) brings into scope with a
    top-level `use`."""

    uses: dict[str, ast.TopUse] = field(default_factory=dict)


@dataclass(eq=False)
class Package:
    name: ast.PackageName
    interfaces: dict[str, tuple[ast.Interface, FileScope]] = field(default_factory=dict)
    worlds: dict[str, tuple[ast.World, FileScope]] = field(default_factory=dict)
    done_interfaces: dict[str, r.RInterface | str] = field(default_factory=dict)
    done_worlds: dict[str, r.RWorld | str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return self.name.key

    def define(self, item: ast.Interface | ast.World, scope: FileScope) -> None:
        name = item.id.name
        prev = self.interfaces.get(name) or self.worlds.get(name)
        if prev is not None:
            raise WitError(
                f"`{name}` is defined more than once in package `{self.key}`", item.id.span
            )
        if isinstance(item, ast.Interface):
            self.interfaces[name] = (item, scope)
        else:
            self.worlds[name] = (item, scope)


def _version_key(v: str) -> tuple[int, int, int, int, tuple[tuple[int, int | str], ...]]:
    core, _, rest = v.partition("+")[0].partition("-")
    major, minor, patch = (int(x) for x in core.split("."))
    if not rest:
        return (major, minor, patch, 1, ())
    pre = tuple((0, int(p)) if p.isdigit() else (1, p) for p in rest.split("."))
    return (major, minor, patch, 0, pre)


class Resolver:
    def __init__(self, features: frozenset[str] = frozenset(), *, all_features: bool = False,
                 all_comments_are_docs: bool = False) -> None:  # fmt: skip
        self.packages: dict[str, Package] = {}
        self.features = features
        self.all_features = all_features
        self.all_comments = all_comments_are_docs
        self.in_progress: set[tuple[str, str, str]] = set()

    # ---- loading -------------------------------------------------------------

    def add_group(self, files: list[tuple[Source, ast.File]]) -> Package | None:
        """One root or one `deps/` entry: the files of one package, plus the
        packages nested in them. Returns the group's main package (None when
        the files only hold nested packages)."""
        main_name: ast.PackageName | None = None
        for _, f in files:
            if f.package is not None:
                if main_name is not None and f.package.key != main_name.key:
                    raise WitError(
                        f"package `{f.package.key}` differs from package `{main_name.key}` "
                        "declared by another file of the same folder",
                        f.package.span,
                    )
                main_name = main_name or f.package
        main: Package | None = None
        for _, f in files:
            scope = FileScope()
            top = [i for i in f.items if not isinstance(i, ast.NestedPackage)]
            if top:
                if main_name is None:
                    first = top[0]
                    span = first.span if isinstance(first, ast.TopUse) else first.id.span
                    raise WitError(
                        "no `package` declaration: a WIT file that defines interfaces or "
                        "worlds must start with `package namespace:name;` (or another file "
                        "of its folder must)",
                        span,
                    )
                if main is None:
                    main = self._new_package(main_name)
                self._fill(main, top, scope)
            for item in f.items:
                if isinstance(item, ast.NestedPackage):
                    nested = self._new_package(item.name)
                    self._fill(nested, list(item.items), FileScope())
        if main is None and main_name is not None:
            main = self._new_package(main_name)
        return main

    def _new_package(self, name: ast.PackageName) -> Package:
        prev = self.packages.get(name.key)
        if prev is not None:
            line, col = prev.name.span.source.line_col(prev.name.span.start)
            raise WitError(
                f"package `{name.key}` is defined more than once "
                f"(also at {prev.name.span.source.path}:{line}:{col})",
                name.span,
            )
        pkg = Package(name)
        self.packages[name.key] = pkg
        return pkg

    def _fill(
        self, pkg: Package, items: list[ast.Interface | ast.World | ast.TopUse], scope: FileScope
    ) -> None:
        for item in items:
            if isinstance(item, ast.TopUse):
                name = item.name
                if name.name in scope.uses:
                    raise WitError(f"name `{name.name}` is defined more than once", name.span)
                scope.uses[name.name] = item
            else:
                pkg.define(item, scope)
        for used, use in scope.uses.items():
            defined = pkg.interfaces.get(used) or pkg.worlds.get(used)
            if defined is not None and defined[1] is scope:
                raise WitError(f"name `{used}` is defined more than once", use.name.span)

    def resolve_all(self) -> None:
        """Resolve every interface and world of every package, so that errors
        anywhere are reported (as wasm-tools does)."""
        for pkg in list(self.packages.values()):
            for name, (iface, _) in list(pkg.interfaces.items()):
                if self.gate(iface.attrs, pkg.name) is None:
                    self.interface(pkg, name, iface.id.span)
            for name, (world, _) in list(pkg.worlds.items()):
                if self.gate(world.attrs, pkg.name) is None:
                    self.world(pkg, name, world.id.span)

    # ---- gates ------------------------------------------------------------------

    def gate(self, attrs: tuple[ast.Attribute, ...], pkg: ast.PackageName) -> str | None:
        """None when the item is included, else why it is left out."""
        seen: dict[str, ast.Attribute] = {}
        for a in attrs:
            if a.kind in seen:
                raise WitError(f"cannot specify @{a.kind} twice", a.span)
            seen[a.kind] = a
        since, unstable, deprecated = (
            seen.get("since"),
            seen.get("unstable"),
            seen.get("deprecated"),
        )
        if since is not None and unstable is not None:
            raise WitError("cannot specify both @since and @unstable", since.span)
        if deprecated is not None and since is None and unstable is None:
            raise WitError("@deprecated needs @since or @unstable beside it", deprecated.span)
        if since is not None:
            if pkg.version is None:
                raise WitError(
                    f"package `{pkg.key}` contains a feature gate with a version, "
                    "so it must have a version",
                    since.span,
                )
            if _version_key(since.value) > _version_key(pkg.version):
                raise WitError(
                    f"feature gate cannot reference unreleased version {since.value} of "
                    f"package `{pkg.key}` (current version {pkg.version})",
                    since.span,
                )
        if unstable is not None:
            if self.all_features or unstable.value in self.features:
                return None
            return f"@unstable(feature = {unstable.value})"
        return None

    def docs(self, comments: tuple[str, ...]) -> str | None:
        return doc_text(comments, all_comments=self.all_comments)

    # ---- paths ---------------------------------------------------------------------

    def lookup(self, path: ast.UsePath, pkg: Package, scope: FileScope, *, want: str) -> Item:
        """The interface (`want="interface"`) or world a path names."""
        if isinstance(path, ast.LocalPath):
            name = path.id.name
            use = scope.uses.get(name)
            if use is not None:
                target_scope = FileScope() if isinstance(use.path, ast.LocalPath) else scope
                return self.lookup(use.path, pkg, target_scope, want=want)
            target_pkg = pkg
        else:
            found = self.packages.get(path.package_name)
            if found is None:
                known = sorted(
                    k for k in self.packages if k.split("@")[0] == path.package_name.split("@")[0]
                )
                hint = f"; known: {', '.join(f'`{k}`' for k in known)}" if known else ""
                where = "" if known else " (is it missing from the `deps/` folder?)"
                raise WitError(f"package `{path.package_name}` not found{where}{hint}", path.span)
            target_pkg = found
            name = path.id.name
        if name in target_pkg.interfaces:
            if want != "interface":
                raise WitError(f"`{name}` is an interface, not a world", path.span)
            return self.interface(target_pkg, name, path.span)
        if name in target_pkg.worlds:
            if want != "world":
                raise WitError(f"`{name}` is a world, not an interface", path.span)
            return self.world(target_pkg, name, path.span)
        where = "" if target_pkg is pkg else f" in package `{target_pkg.key}`"
        raise WitError(f"{want} `{name}` does not exist{where}", path.span)

    # ---- interfaces ----------------------------------------------------------------

    def interface(self, pkg: Package, name: str, at: Span) -> r.RInterface:
        node, scope = pkg.interfaces[name]

        def build() -> r.RInterface:
            iface = r.RInterface(
                pkg.name.namespace, pkg.name.name, pkg.name.version, name,
                self.docs(node.docs), node.id.span,
            )  # fmt: skip
            self.interface_body(iface, node.items, pkg, scope)
            return iface

        return self.resolve_once(
            pkg, "interface", name, node.attrs, pkg.done_interfaces, at,
            "depends on itself (a `use` cycle)", build,
        )  # fmt: skip

    def resolve_once(
        self,
        pkg: Package,
        kind: str,
        name: str,
        attrs: tuple[ast.Attribute, ...],
        done: dict[str, _Item | str],
        at: Span,
        cycle: str,
        build: Callable[[], _Item],
    ) -> _Item:
        """An interface or world resolved once: from `done` when it was, refused
        when its gate is off (remembered) or when resolving it reaches itself."""
        prior = done.get(name)
        if isinstance(prior, str):
            raise WitError(f"{kind} `{name}` is left out ({prior} is not enabled)", at)
        if prior is not None:
            return prior
        key = (pkg.key, kind, name)
        if key in self.in_progress:
            raise WitError(f"{kind} `{name}` {cycle}", at)
        reason = self.gate(attrs, pkg.name)
        if reason is not None:
            done[name] = reason
            raise WitError(f"{kind} `{name}` is left out ({reason} is not enabled)", at)
        self.in_progress.add(key)
        try:
            item = build()
        finally:
            self.in_progress.discard(key)
        done[name] = item
        return item

    def interface_body(
        self, iface: r.RInterface, items: tuple[ast.InterfaceItem, ...], pkg: Package,
        scope: FileScope,
    ) -> None:  # fmt: skip
        lookup = self.types(
            iface, [i for i in items if isinstance(i, (ast.Use, ast.TypeDef))], pkg, scope
        )
        for name, t in lookup.items():
            if isinstance(t, r.RType):
                iface.types[name] = t
        names: set[str] = set(lookup)
        for item in items:
            if isinstance(item, ast.NamedFunc):
                if item.id.name in names:
                    raise WitError(f"name `{item.id.name}` is defined more than once", item.id.span)
                names.add(item.id.name)
                if self.gate(item.attrs, pkg.name) is not None:
                    continue
                iface.functions.append(
                    self.function(
                        item.id.name, "freestanding", None, item.func, item.docs, lookup
                    )  # fmt: skip
                )
            elif isinstance(item, ast.TypeDef) and item.kind == "resource":
                res = lookup.get(item.id.name)
                if isinstance(res, r.RType):
                    iface.functions.extend(self.resource_funcs(item, res, pkg, lookup))

    def types(
        self, owner: r.RInterface | r.RWorld, items: list[ast.Use | ast.TypeDef], pkg: Package,
        scope: FileScope,
    ) -> dict[str, r.RType | str]:  # fmt: skip
        """Resolve the `use`s and type definitions of an interface or world:
        name -> type, or the reason a gated-off type is left out."""
        lookup: dict[str, r.RType | str] = {}
        spans: dict[str, Span] = {}

        def define(name: ast.Id, value: r.RType | str) -> None:
            if name.name in lookup:
                raise WitError(f"name `{name.name}` is defined more than once", name.span)
            lookup[name.name] = value
            spans[name.name] = name.span

        for u in items:
            if not isinstance(u, ast.Use):
                continue
            reason = self.gate(u.attrs, pkg.name)
            if reason is not None:
                for nm, as_ in u.names:
                    define(as_ or nm, reason)
                continue
            target = self.lookup(u.path, pkg, scope, want="interface")
            assert isinstance(target, r.RInterface)
            for nm, as_ in u.names:
                t = target.types.get(nm.name)
                if t is None:
                    if any(f.name == nm.name for f in target.functions):
                        raise WitError(f"cannot `use` function `{nm.name}`", nm.span)
                    raise WitError(
                        f"type `{nm.name}` does not exist in interface `{target.ident()}`", nm.span
                    )
                local = as_ or nm
                define(local, r.RType(local.name, owner, r.RAlias(r.RRef(t)), None, local.span))
        # Definitions in wit-parser's order: a stable topological sort over the
        # `use`d names and the definitions, in source order.
        entries: list[tuple[str, list[ast.Id]]] = []
        defs: dict[str, ast.TypeDef] = {}
        for it in items:
            if isinstance(it, ast.Use):
                for nm, as_ in it.names:
                    entries.append(((as_ or nm).name, []))
            else:
                if it.id.name in defs or (it.id.name in lookup):
                    raise WitError(f"name `{it.id.name}` is defined more than once", it.id.span)
                defs[it.id.name] = it
                deps: list[ast.Id] = []
                _collect_deps(it, deps)
                entries.append((it.id.name, deps))
        for name in _toposort(entries):
            td = defs.get(name)
            if td is None:
                continue
            reason = self.gate(td.attrs, pkg.name)
            if reason is not None:
                define(td.id, reason)
                continue
            kind = self.typedef_kind(td, lookup)
            define(td.id, r.RType(td.id.name, owner, kind, self.docs(td.docs), td.id.span))
        return lookup

    def typedef_kind(self, td: ast.TypeDef, lookup: dict[str, r.RType | str]) -> r.RKind:
        match td.kind:
            case "record":
                return r.RRecord(tuple(
                    r.RField(f.id.name, self.ty(f.ty, lookup), self.docs(f.docs))
                    for f in _unique(td.items, "field") if f.ty is not None
                ))  # fmt: skip
            case "variant":
                return r.RVariant(tuple(
                    r.RCase(c.id.name, None if c.ty is None else self.ty(c.ty, lookup),
                            self.docs(c.docs))
                    for c in _unique(td.items, "case")
                ))  # fmt: skip
            case "enum":
                return r.REnum(
                    tuple(
                        r.RMember(c.id.name, self.docs(c.docs)) for c in _unique(td.items, "case")
                    )
                )
            case "flags":
                return r.RFlags(
                    tuple(
                        r.RMember(c.id.name, self.docs(c.docs)) for c in _unique(td.items, "flag")
                    )
                )
            case "resource":
                return r.RResource()
            case "type":
                assert td.alias is not None
                if isinstance(td.alias, ast.TName):
                    return r.RAlias(r.RRef(self.named(td.alias.id, lookup)))
                return r.RAlias(self.ty(td.alias, lookup))
        raise AssertionError(td.kind)  # pragma: no cover

    def named(self, name: ast.Id, lookup: dict[str, r.RType | str]) -> r.RType:
        t = lookup.get(name.name)
        if t is None:
            raise WitError(f"type `{name.name}` does not exist", name.span)
        if isinstance(t, str):
            raise WitError(f"type `{name.name}` is left out ({t} is not enabled)", name.span)
        return t

    def resource(self, name: ast.Id, lookup: dict[str, r.RType | str]) -> r.RType:
        t = self.named(name, lookup)
        if not isinstance(t.base().kind, r.RResource):
            raise WitError(f"type `{name.name}` used in a handle must be a resource", name.span)
        return t

    def ty(self, ty: ast.Ty, lookup: dict[str, r.RType | str]) -> r.RTy:
        match ty:
            case ast.TPrim(name=name):
                return name
            case ast.TName(id=id):
                t = self.named(id, lookup)
                return r.ROwn(t) if isinstance(t.base().kind, r.RResource) else r.RRef(t)
            case ast.TList(element=el):
                return r.RList(self.ty(el, lookup))
            case ast.TTuple(elements=els):
                return r.RTuple(tuple(self.ty(e, lookup) for e in els))
            case ast.TOption(inner=inner):
                return r.ROption(self.ty(inner, lookup))
            case ast.TResult(ok=ok, err=err):
                return r.RResult(
                    None if ok is None else self.ty(ok, lookup),
                    None if err is None else self.ty(err, lookup),
                )
            case ast.THandle(borrow=borrow, resource=res):
                t = self.resource(res, lookup)
                return r.RBorrow(t) if borrow else r.ROwn(t)
            case ast.TUnsupported(what=what, inner=inner, span=span):
                for i in inner:
                    self.ty(i, lookup)
                return r.RUnsupported(what, span)
        raise AssertionError(ty)  # pragma: no cover

    def function(
        self, name: str, kind: str, resource: r.RType | None, func: ast.Func,
        docs: tuple[str, ...], lookup: dict[str, r.RType | str],
    ) -> r.RFunc:  # fmt: skip
        params: list[tuple[str, r.RTy]] = []
        if kind == "method":
            assert resource is not None
            params.append(("self", r.RBorrow(resource)))
        for pname, pty in func.params:
            if any(p[0] == pname.name for p in params):
                raise WitError(f"param `{pname.name}` is defined more than once", pname.span)
            params.append((pname.name, self.ty(pty, lookup)))
        result: r.RTy | None
        if kind == "constructor":
            assert resource is not None
            if func.result is None:
                result = r.ROwn(resource)
            else:
                result = self.ty(func.result, lookup)
                ok = result.ok if isinstance(result, r.RResult) else None
                if not isinstance(result, r.RResult):
                    raise WitError(
                        "if a constructor return type is declared it must be a `result`",
                        func.result.span,
                    )
                if not (isinstance(ok, r.ROwn) and ok.resource is resource):
                    raise WitError(
                        "the `ok` type must be the resource being constructed", func.result.span
                    )
        else:
            result = None if func.result is None else self.ty(func.result, lookup)
        if result is not None and _has_borrow(result, set()):
            assert func.result is not None or kind == "constructor"
            raise WitError(
                f"function `{name}` returns a type which contains a `borrow<T>`, "
                "which is not supported",
                func.result.span if func.result is not None else func.span,
            )
        return r.RFunc(name, kind, resource, tuple(params), result, self.docs(docs),  # type: ignore[arg-type]
                       func.is_async, func.span)  # fmt: skip

    def resource_funcs(
        self, td: ast.TypeDef, res: r.RType, pkg: Package, lookup: dict[str, r.RType | str]
    ) -> list[r.RFunc]:
        out: list[r.RFunc] = []
        seen: set[str] = set()
        ctors = 0
        for f in td.funcs:
            if f.kind == "constructor":
                ctors += 1
                if ctors > 1:
                    raise WitError("duplicate constructors", f.id.span)
            elif f.id.name in seen:
                raise WitError(f"duplicate function name `{f.id.name}`", f.id.span)
            seen.add(f.id.name)
            if self.gate(f.attrs, pkg.name) is not None:
                continue
            name = {
                "constructor": f"[constructor]{res.name}",
                "method": f"[method]{res.name}.{f.id.name}",
                "static": f"[static]{res.name}.{f.id.name}",
            }[f.kind]
            out.append(self.function(name, f.kind, res, f.func, f.docs, lookup))
        return out

    # ---- worlds ----------------------------------------------------------------

    def world(self, pkg: Package, name: str, at: Span) -> r.RWorld:
        node, scope = pkg.worlds[name]
        return self.resolve_once(
            pkg, "world", name, node.attrs, pkg.done_worlds, at,
            "includes itself (an `include` cycle)",
            lambda: self.world_body(node, pkg, scope),
        )  # fmt: skip

    def world_body(self, node: ast.World, pkg: Package, scope: FileScope) -> r.RWorld:
        p = pkg.name
        world = r.RWorld(p.namespace, p.name, p.version, node.id.name, self.docs(node.docs),
                         node.id.span)  # fmt: skip
        lookup = self.types(
            world, [i for i in node.items if isinstance(i, (ast.Use, ast.TypeDef))], pkg, scope
        )
        for tname, t in lookup.items():
            if isinstance(t, r.RType):
                world.imports[tname] = r.WType(t)
        seen_ifaces: dict[str, set[r.RInterface]] = {"import": set(), "export": set()}
        for item in node.items:
            if isinstance(item, ast.TypeDef) and item.kind == "resource":
                res = lookup.get(item.id.name)
                if isinstance(res, r.RType):
                    for f in self.resource_funcs(item, res, pkg, lookup):
                        world.imports[f.name] = r.WFunc(f)
                continue
            if not isinstance(item, ast.ImportExport):
                continue
            if self.gate(item.attrs, p) is not None:
                continue
            dst = world.imports if item.direction == "import" else world.exports
            key: r.WKey
            value: r.WItem
            match item.kind:
                case ast.ExternFunc(id=fid, func=func):
                    key = fid.name
                    value = r.WFunc(self.function(fid.name, "freestanding", None, func,
                                                  item.docs, lookup))  # fmt: skip
                    span = fid.span
                case ast.ExternInterface(id=iid, items=items):
                    iface = r.RInterface(None, None, None, None, self.docs(item.docs), iid.span)
                    self.interface_body(iface, items, pkg, scope)
                    key, value, span = iid.name, r.WInterface(iface, None), iid.span
                case ast.ExternPath(path=path):
                    found = self.lookup(path, pkg, scope, want="interface")
                    assert isinstance(found, r.RInterface)
                    if found in seen_ifaces[item.direction]:
                        raise WitError(
                            f"interface cannot be {item.direction}ed more than once", path.span
                        )
                    seen_ifaces[item.direction].add(found)
                    key, value, span = found, r.WInterface(found, self.docs(item.docs)), path.span
                case ast.ExternNamedPath(id=nid, path=path):
                    found = self.lookup(path, pkg, scope, want="interface")
                    assert isinstance(found, r.RInterface)
                    key, value, span = nid.name, r.WInterface(found, self.docs(item.docs)), nid.span
            if key in dst:
                prev = dst[key]
                what = {r.WInterface: "interface", r.WFunc: "func", r.WType: "type"}[type(prev)]
                raise WitError(
                    f"{item.direction} `{key}` conflicts with prior {what} of same name", span
                )
            dst[key] = value
        for inc in node.items:
            if isinstance(inc, ast.Include) and self.gate(inc.attrs, p) is None:
                self.include(world, inc, pkg, scope)
        _check_case_insensitive(world)
        _elaborate(world, node.id.span)
        return world

    def include(self, world: r.RWorld, inc: ast.Include, pkg: Package, scope: FileScope) -> None:
        other = self.lookup(inc.path, pkg, scope, want="world")
        assert isinstance(other, r.RWorld)
        renames = {a.name: b.name for a, b in inc.names}
        plain = {k for k in (*other.imports, *other.exports) if isinstance(k, str)}
        for a, _ in inc.names:
            if a.name not in plain:
                raise WitError(
                    f"no import or export kebab-name `{a.name}` in world `{other.name}` "
                    "(an interface name cannot be renamed)",
                    a.span,
                )
        # World-level types are copied into this world (renamed by `with`),
        # and the copied functions refer to the copies.
        mapping: dict[int, r.RType] = {}
        for item in other.imports.values():
            if isinstance(item, r.WType):
                t = item.type
                mapping[id(t)] = r.RType(renames.get(t.name, t.name), world, t.kind, t.docs, t.span)
        for copy in mapping.values():
            copy.kind = _subst_kind(copy.kind, mapping)
        for src, dst, direction in ((other.imports, world.imports, "import"),
                                    (other.exports, world.exports, "export")):  # fmt: skip
            for k, item in src.items():
                if isinstance(k, str):
                    new_key = renames.get(k, k)
                    new_item: r.WItem
                    if isinstance(item, r.WType):
                        new_item = r.WType(mapping[id(item.type)])
                    elif isinstance(item, r.WFunc):
                        f = item.func
                        new_item = r.WFunc(r.RFunc(
                            new_key if f.kind == "freestanding" else f.name, f.kind,
                            None if f.resource is None else mapping.get(id(f.resource), f.resource),
                            tuple((n, _subst(t, mapping)) for n, t in f.params),
                            None if f.result is None else _subst(f.result, mapping),
                            f.docs, f.is_async, f.span,
                        ))  # fmt: skip
                    else:
                        new_item = item
                    if new_key in dst:
                        raise WitError(
                            f"{direction} `{new_key}` from the included world `{other.name}` "
                            "conflicts with an item of the same name (rename it with `with`)",
                            inc.span,
                        )
                    dst[new_key] = new_item
                elif k not in dst:
                    dst[k] = item


# ---- helpers ---------------------------------------------------------------------


def _unique(items: tuple[ast.Named, ...], what: str) -> tuple[ast.Named, ...]:
    seen: set[str] = set()
    for it in items:
        if it.id.name in seen:
            raise WitError(f"{what} `{it.id.name}` is defined more than once", it.id.span)
        seen.add(it.id.name)
    return items


def _collect_deps(td: ast.TypeDef, out: list[ast.Id]) -> None:
    def visit(t: ast.Ty | None) -> None:
        match t:
            case None | ast.TPrim():
                pass
            case ast.TName(id=id):
                out.append(id)
            case ast.THandle(resource=res):
                out.append(res)
            case ast.TList(element=el):
                visit(el)
            case ast.TOption(inner=inner):
                visit(inner)
            case ast.TTuple(elements=els):
                for e in els:
                    visit(e)
            case ast.TResult(ok=ok, err=err):
                visit(ok)
                visit(err)
            case ast.TUnsupported(inner=inner):
                for e in inner:
                    visit(e)

    for it in td.items:
        visit(it.ty)
    visit(td.alias)


def _toposort(entries: list[tuple[str, list[ast.Id]]]) -> list[str]:
    """wit-parser's `toposort`: dependencies first, otherwise source order;
    unknown names and cycles are errors."""
    index = {name: i for i, (name, _) in enumerate(entries)}
    remaining = [len(deps) for _, deps in entries]
    reverse: list[list[int]] = [[] for _ in entries]
    for i, (_, deps) in enumerate(entries):
        for d in deps:
            j = index.get(d.name)
            if j is None:
                raise WitError(f"type `{d.name}` does not exist", d.span)
            reverse[j].append(i)
    heap = [i for i, n in enumerate(remaining) if n == 0]
    heapq.heapify(heap)
    order: list[str] = []
    while heap:
        i = heapq.heappop(heap)
        order.append(entries[i][0])
        for k in reverse[i]:
            remaining[k] -= 1
            if remaining[k] == 0:
                heapq.heappush(heap, k)
    if len(order) == len(entries):
        return order
    for i, (_, deps) in enumerate(entries):
        if remaining[i] == 0:
            continue
        for d in deps:
            if remaining[index[d.name]] != 0:
                raise WitError(f"type `{d.name}` depends on itself (a cycle of types)", d.span)
    raise AssertionError("toposort found no cycle")  # pragma: no cover


def _has_borrow(t: r.RTy, seen: set[int]) -> bool:
    match t:
        case str() | r.ROwn() | r.RUnsupported():
            return False
        case r.RBorrow():
            return True
        case r.RList(element=el):
            return _has_borrow(el, seen)
        case r.ROption(inner=inner):
            return _has_borrow(inner, seen)
        case r.RTuple(elements=els):
            return any(_has_borrow(e, seen) for e in els)
        case r.RResult(ok=ok, err=err):
            return any(x is not None and _has_borrow(x, seen) for x in (ok, err))
        case r.RRef(type=ty):
            if id(ty) in seen:
                return False
            seen.add(id(ty))
            match ty.kind:
                case r.RRecord(fields=fields):
                    return any(_has_borrow(f.type, seen) for f in fields)
                case r.RVariant(cases=cases):
                    return any(c.type is not None and _has_borrow(c.type, seen) for c in cases)
                case r.RAlias(target=target):
                    return _has_borrow(target, seen)
                case _:
                    return False
    raise AssertionError(t)  # pragma: no cover


def _subst(t: r.RTy, m: dict[int, r.RType]) -> r.RTy:
    match t:
        case str() | r.RUnsupported():
            return t
        case r.RRef(type=ty):
            return r.RRef(m.get(id(ty), ty))
        case r.ROwn(resource=ty):
            return r.ROwn(m.get(id(ty), ty))
        case r.RBorrow(resource=ty):
            return r.RBorrow(m.get(id(ty), ty))
        case r.RList(element=el):
            return r.RList(_subst(el, m))
        case r.ROption(inner=inner):
            return r.ROption(_subst(inner, m))
        case r.RTuple(elements=els):
            return r.RTuple(tuple(_subst(e, m) for e in els))
        case r.RResult(ok=ok, err=err):
            return r.RResult(
                None if ok is None else _subst(ok, m), None if err is None else _subst(err, m)
            )
    raise AssertionError(t)  # pragma: no cover


def _subst_kind(k: r.RKind, m: dict[int, r.RType]) -> r.RKind:
    match k:
        case r.RRecord(fields=fields):
            return r.RRecord(tuple(r.RField(f.name, _subst(f.type, m), f.docs) for f in fields))
        case r.RVariant(cases=cases):
            return r.RVariant(tuple(
                r.RCase(c.name, None if c.type is None else _subst(c.type, m), c.docs)
                for c in cases
            ))  # fmt: skip
        case r.RAlias(target=target):
            return r.RAlias(_subst(target, m))
        case _:
            return k


def _check_case_insensitive(world: r.RWorld) -> None:
    for what, items in (("import", world.imports), ("export", world.exports)):
        seen: dict[str, str] = {}
        for k in items:
            if isinstance(k, str):
                low = k.lower()
                if low in seen and seen[low] != k:
                    raise WitError(
                        f"{what} `{k}` in world `{world.name}` conflicts with {what} "
                        f"`{seen[low]}` (kebab-case names are case-insensitive)",
                        world.span,
                    )
                seen[low] = k


def _class(item: r.WItem) -> int:
    """wit-parser's sort key for world imports: interfaces, `use`d types,
    other types, freestanding functions, resource functions."""
    match item:
        case r.WInterface():
            return 0
        case r.WType(type=t):
            return 1 if t.interface_dep() is not None else 2
        case r.WFunc(func=f):
            return 3 if f.resource is None else 4
    raise AssertionError(item)  # pragma: no cover


def _elaborate(world: r.RWorld, span: Span) -> None:
    """wit-parser's `elaborate_world`: add every interface that imports and
    exports depend on, dependencies first."""
    new_imports: dict[r.WKey, r.WItem] = {}

    def add_import(key: r.WKey, iface: r.RInterface, docs: str | None) -> None:
        if key in new_imports:
            return
        for dep in iface.deps():
            add_import(dep, dep, None)
        new_imports[key] = r.WInterface(iface, docs)

    for key, item in sorted(world.imports.items(), key=lambda kv: _class(kv[1])):
        match item:
            case r.WInterface(interface=iface, docs=docs):
                add_import(key, iface, docs)
            case r.WFunc():
                new_imports[key] = item
            case r.WType(type=t):
                dep = t.interface_dep()
                if dep is not None:
                    add_import(dep, dep, None)
                new_imports[key] = item

    new_exports: dict[r.WKey, r.WItem] = {}
    export_ifaces: dict[r.WKey, r.WInterface] = {}
    for key, item in world.exports.items():
        if isinstance(item, r.WInterface):
            export_ifaces[key] = item
        else:
            new_exports[key] = item
    required: set[r.RInterface] = set()

    def add_export(key: r.WKey, item: r.WInterface, as_export: bool) -> bool:
        if key in new_exports:
            return as_export
        iface = item.interface
        if not as_export and iface in required:
            return True
        for dep in iface.deps():
            dep_export = as_export and dep in export_ifaces
            if not add_export(dep, export_ifaces.get(dep) or r.WInterface(dep, None), dep_export):
                return False
        if as_export:
            if iface in required:
                return False
            new_exports[key] = item
        else:
            required.add(iface)
            if key not in new_imports:
                new_imports[key] = item
        return True

    for key, item in export_ifaces.items():
        if not add_export(key, item, True):
            name = key if isinstance(key, str) else key.ident()
            raise WitError(
                f"world `{world.name}`: export `{name}` depends on an interface that is both "
                "imported and exported, which a component cannot express (export the "
                "interfaces it uses as well, or none of them)",
                span,
            )
    world.imports = dict(sorted(new_imports.items(), key=lambda kv: _class(kv[1])))
    world.exports = new_exports


_WORLD_PATH = re.compile(
    r"(?P<ns>[a-z][0-9a-z-]*):(?P<pkg>[a-z][0-9a-z-]*)/(?P<name>[^@/]+)(?:@(?P<ver>.+))?\Z"
)


def select_world(res: Resolver, main: Package | None, spec: str | None, where: str) -> r.RWorld:
    """WIT.md "Specifying a World": the only world of the root package, a
    world of it by name, or `ns:pkg/world[@version]` anywhere."""
    if spec is None:
        if main is None:
            raise WitError(f"{where} defines no root package, so there is no world to select")
        if len(main.worlds) != 1:
            if not main.worlds:
                raise WitError(f"package `{main.key}` in {where} contains no worlds")
            names = ", ".join(sorted(main.worlds))
            raise WitError(
                f"package `{main.key}` in {where} has several worlds ({names}); "
                "choose one with --world"
            )
        name = next(iter(main.worlds))
        return res.world(main, name, main.worlds[name][0].id.span)
    m = _WORLD_PATH.match(spec)
    if m is None:
        if main is None or spec not in main.worlds:
            known = ", ".join(sorted(main.worlds)) if main is not None else ""
            raise WitError(
                f"world `{spec}` not found in {where}" + (f" (worlds: {known})" if known else "")
            )
        return res.world(main, spec, main.worlds[spec][0].id.span)
    key = f"{m.group('ns')}:{m.group('pkg')}" + (f"@{m.group('ver')}" if m.group("ver") else "")
    pkg = res.packages.get(key)
    if pkg is None and m.group("ver") is None:
        versions = [p for k, p in res.packages.items() if k.split("@")[0] == key]
        if len(versions) > 1:
            raise WitError(f"package `{key}` is available at several versions; give one")
        pkg = versions[0] if versions else None
    if pkg is None:
        raise WitError(f"unknown package `{key}` in world `{spec}`")
    name = m.group("name")
    if name not in pkg.worlds:
        raise WitError(f"world `{name}` not found in package `{pkg.key}`")
    return res.world(pkg, name, pkg.worlds[name][0].id.span)
