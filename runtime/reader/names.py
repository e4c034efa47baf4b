"""Component import/export names and WIT labels (Explainer.md, "Import and
Export Definitions").

Binary names are checked strictly: a label is kebab-case ASCII, and there is
no `%` escape in the binary format, so anything with quotes, backslashes,
spaces or newlines is refused before it can reach generated code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, TypeAlias

PrimName = Literal[
    "bool", "s8", "u8", "s16", "u16", "s32", "u32", "s64", "u64",
    "f32", "f64", "char", "string",
]  # fmt: skip

_WORD = r"[0-9a-z]+"
_ACRONYM = r"[0-9A-Z]+"
_LABEL = rf"(?:[a-z][0-9a-z]*|[A-Z][0-9A-Z]*)(?:-(?:{_WORD}|{_ACRONYM}))*"
_WORDS = r"[a-z][0-9a-z]*(?:-[0-9a-z]+)*"
# Semantic Versioning 2.0 (semver.org's regular expression, without names).
_SEMVER = (
    r"(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)"
    r"(?:-(?:(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+(?:[0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?"
)
# 🔗 canonical versions (`@1`, `@0.2`) completed by a `versionsuffix`.
_CANONVERSION = r"(?:[1-9]\d*|0\.[1-9]\d*|0\.0\.[1-9]\d*|0\.0\.0)"

_LABEL_RE = re.compile(rf"{_LABEL}\Z")
_INTERFACE_RE = re.compile(
    rf"(?P<ns>{_WORDS}):(?P<pkg>{_WORDS})/(?P<iface>{_LABEL})(?:@(?P<ver>[^@]*))?\Z"
)
_NESTED_RE = re.compile(rf"(?:{_WORDS}:)+{_WORDS}(?:/{_LABEL})+(?:@.*)?\Z")
_SEMVER_RE = re.compile(rf"{_SEMVER}\Z")
_CANONVERSION_RE = re.compile(rf"{_CANONVERSION}\Z")


def is_label(s: str) -> bool:
    return _LABEL_RE.match(s) is not None


@dataclass(frozen=True)
class Label:
    name: str


@dataclass(frozen=True)
class ConstructorName:
    resource: str


@dataclass(frozen=True)
class MethodName:
    resource: str
    name: str


@dataclass(frozen=True)
class StaticName:
    resource: str
    name: str


@dataclass(frozen=True)
class InterfaceId:
    namespace: str
    package: str
    name: str
    version: str | None


ExternName: TypeAlias = Label | ConstructorName | MethodName | StaticName | InterfaceId


class ExternNameError(ValueError):
    """A name that is not a valid component extern name; `unsupported` when
    it is valid but uses a gated feature (nested namespaces)."""

    def __init__(self, message: str, unsupported: bool = False) -> None:
        super().__init__(message)
        self.unsupported = unsupported


def _check_label(s: str, whole: str) -> str:
    if not is_label(s):
        raise ExternNameError(f"{whole!r} is not a valid kebab-case WIT name")
    return s


def _resource_dot(rest: str, whole: str) -> tuple[str, str]:
    resource, dot, item = rest.partition(".")
    if not dot:
        raise ExternNameError(f"{whole!r} is missing the '.' between resource and function name")
    return _check_label(resource, whole), _check_label(item, whole)


def parse_extern_name(s: str, version_suffix: str | None = None) -> ExternName:
    """Parse an import/export name; raises ExternNameError with a reason."""
    if s.startswith("[constructor]"):
        return ConstructorName(_check_label(s[len("[constructor]") :], s))
    if s.startswith("[method]"):
        return MethodName(*_resource_dot(s[len("[method]") :], s))
    if s.startswith("[static]"):
        return StaticName(*_resource_dot(s[len("[static]") :], s))
    if is_label(s):
        return Label(s)
    m = _INTERFACE_RE.match(s)
    if m is not None:
        ver = m.group("ver")
        if ver is not None:
            if version_suffix is not None and _CANONVERSION_RE.match(ver):
                ver = ver + version_suffix
            if not _SEMVER_RE.match(ver):
                raise ExternNameError(f"{s!r} has an invalid version {ver!r} (not semver)")
        return InterfaceId(m.group("ns"), m.group("pkg"), m.group("iface"), ver)
    if _NESTED_RE.match(s):
        raise ExternNameError(
            f"{s!r} uses nested namespaces or packages, which the bindings cannot represent yet",
            unsupported=True,
        )
    raise ExternNameError(f"{s!r} is not a valid WIT name (kebab-case label or ns:pkg/interface)")
