"""Every Python name the generator writes is decided here.

WIT names are kebab-case words, each all-lowercase or all-uppercase
(`blue-ish`, `HTTP-request`). The contract maps them to snake_case
(functions, params, fields, modules), CapWords (types) and SHOUTY (enum and
flags members). Escapes are applied to the final identifier only, so variant
`none` is `None_` while its case `break` is `None_Break`.

Only hard keywords are escaped: a member named like a builtin (`bytes`,
`list`, `str`) keeps its name, and the annotations of its class spell that
builtin `_builtins.bytes` instead (`qualify_builtins`).

Generated internals all start with an underscore, and WIT names never do, so
the two cannot collide. What can collide is distinct WIT names that map to
the same Python name in one scope (a module, a class body, a Protocol); a
`Scope` detects that and resolves it deterministically by appending `_`
in the order names are claimed, which the planner keeps stable.
"""

from __future__ import annotations

import builtins
import keyword
import re
from collections.abc import Collection

from .imports import BUILTINS

# `match`, `case`, `type` and `_` are soft keywords and legal identifiers; only
# hard keywords (which include None/True/False) must be escaped.
_KEYWORDS = frozenset(keyword.kwlist)


def _words(wit_name: str) -> list[str]:
    name = wit_name[1:] if wit_name.startswith("%") else wit_name
    return [w for w in name.split("-") if w]


def escape(identifier: str) -> str:
    """A trailing underscore for Python keywords."""
    return identifier + "_" if identifier in _KEYWORDS else identifier


def snake(wit_name: str) -> str:
    return escape("_".join(w.lower() for w in _words(wit_name)))


def cap_words(wit_name: str) -> str:
    return escape(_cap(wit_name))


def _cap(wit_name: str) -> str:
    return "".join(w[:1].upper() + w[1:].lower() for w in _words(wit_name))


def shouty(wit_name: str) -> str:
    return escape("_".join(w.upper() for w in _words(wit_name)))


def case_class(type_name: str, case_name: str) -> str:
    """`Shape_Circle`: one class per variant case, escaped as a whole."""
    return escape(f"{_cap(type_name)}_{_cap(case_name)}")


def is_builtin(identifier: str) -> bool:
    return hasattr(builtins, identifier)


# A bare (unqualified) identifier in an annotation: every name the planner
# writes there is a builtin, a CapWords type or an underscored alias.
_BARE_NAME = re.compile(r"(?<![\w.])([A-Za-z_]\w*)")


def qualify_builtins(annotation: str, shadowed: Collection[str]) -> str:
    """`annotation` with every builtin named in `shadowed` (members of the
    class it is written in, or parameters of the function whose body
    repeats it) spelled through the module's `_builtins` alias."""
    return _BARE_NAME.sub(
        lambda m: f"{BUILTINS.alias}.{m[1]}" if m[1] in shadowed and is_builtin(m[1]) else m[1],
        annotation,
    )


class Scope:
    """One Python namespace. `claim` returns the name to use for `wanted`,
    appending underscores until it is free; the same `key` always gets the
    same name, so a WIT item referred to twice is named once. Names in
    `reserved` are never handed out (the generated API owns them)."""

    def __init__(self, reserved: frozenset[str] | set[str] = frozenset()) -> None:
        self._taken: set[str] = set(reserved)
        self._by_key: dict[object, str] = {}

    def claim(self, key: object, wanted: str) -> str:
        if key in self._by_key:
            return self._by_key[key]
        name = wanted
        while name in self._taken:
            name += "_"
        self._taken.add(name)
        self._by_key[key] = name
        return name

    def __contains__(self, name: str) -> bool:
        return name in self._taken


# --------------------------------------------------------------------------
# Names the generated API owns in each kind of scope (docs/guide.md, "Names").
# Members named like builtins are not here: they keep their names and the
# annotations of their class spell those builtins `_builtins.list`.

#: A module's types: what generated modules define or import at top level
#: besides WIT types.
MODULE_RESERVED = frozenset({"Host", "HostAsync", "Some", "Ok", "Err"})
#: The world class's own API (its classmethods), beside the exported
#: interfaces' attributes and the world's own functions.
WORLD_RESERVED = frozenset({"instantiate", "prepare", "add_to_linker"})
#: An exported interface's attribute on the world class: `instantiate`'s
#: signature, written by the template after them, spells `str` unqualified.
WORLD_ATTR_RESERVED = frozenset({"str"})
#: A dataclass's fields (records, the world's imports): a class attribute
#: named like a field is taken as that field's default, and `getattr(cls,
#: "mro")` finds `type.mro`, so a field `mro` would get a default (and a later
#: field without one is a TypeError at import).
DATACLASS_RESERVED = frozenset({"mro"})
#: Members of an `enum.Enum` or `enum.Flag`.
ENUM_MEMBER_RESERVED = frozenset({"name", "value"})
#: A function's parameters: methods take the instance as `self`.
PARAM_RESERVED = frozenset({"self"})
#: Methods of an exported resource's wrapper class (`_rt.GuestResource`).
GUEST_RESOURCE_RESERVED = frozenset({"drop", "dropped"})
#: Methods of an imported resource's Protocol: `drop` is the optional drop
#: notification the runtime calls.
HOST_RESOURCE_RESERVED = frozenset({"drop"})
