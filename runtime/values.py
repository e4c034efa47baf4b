"""The value wrappers of the contract: ``Some``, ``Ok`` and ``Err``.

Each carries its payload in ``.value`` and compares by value.  ``Err`` is an
``Exception`` so that a function returning ``result<T, E>`` can raise it (and a
host implementing an import can raise it), and it is still usable as a value
inside containers (``list[Ok[int] | Err[str]]``).
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

T = TypeVar("T")
E = TypeVar("E")

__all__ = ["Some", "Ok", "Err"]


class Some(Generic[T]):
    """The present case of an ``option<T>`` whose ``T`` is itself an option.

    ``option<option<u32>>`` is ``Some[int | None] | None``: ``Some(None)`` is
    "present, holding none", ``None`` is "absent".
    """

    __slots__ = ("value",)
    __match_args__ = ("value",)

    def __init__(self, value: T) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return other.__class__ is Some and self.value == other.value

    def __hash__(self) -> int:
        return hash((Some, self.value))

    def __repr__(self) -> str:
        return f"Some({self.value!r})"

    def __reduce__(self) -> Any:
        return (Some, (self.value,))


class Ok(Generic[T]):
    """The ok case of a ``result<T, E>`` used as a value (``Ok(None)`` without payload)."""

    __slots__ = ("value",)
    __match_args__ = ("value",)

    def __init__(self, value: T) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return other.__class__ is Ok and self.value == other.value

    def __hash__(self) -> int:
        return hash((Ok, self.value))

    def __repr__(self) -> str:
        return f"Ok({self.value!r})"

    def __reduce__(self) -> Any:
        return (Ok, (self.value,))


class Err(Exception, Generic[E]):
    """The error case of a ``result<T, E>``: raised by functions, usable as a value."""

    # A slot and no super().__init__ call: BaseException.__new__ has already set
    # ``args`` from the positional argument, and lifting builds many of these.
    __slots__ = ("value",)
    __match_args__ = ("value",)

    def __init__(self, value: E) -> None:
        self.value = value
        if not self.args:  # given by keyword
            self.args = (value,)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Err) and self.value == other.value

    def __hash__(self) -> int:
        return hash((Err, self.value))

    def __repr__(self) -> str:
        return f"Err({self.value!r})"

    def __str__(self) -> str:
        return repr(self)

    def __reduce__(self) -> Any:
        return (Err, (self.value,))
