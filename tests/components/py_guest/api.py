"""The exported resource `counter` of interface `api` (componentize-py looks
for it in the module named after the interface)."""


from wit_world.exports import api


class Counter(api.Counter):
    made = 0

    def __init__(self, start: int) -> None:
        self._value = start
        self._history: list[int] = [start]
        Counter.made += 1

    def incr(self, by: int) -> int:
        self._value += by
        self._history.append(self._value)
        return self._value

    def value(self) -> int:
        return self._value

    def history(self) -> list[int]:
        return list(self._history)

    @classmethod
    def merge(cls, into: "Counter", other: "Counter") -> "Counter":
        merged = Counter(into._value + other._value)
        merged._history = into._history + other._history + [merged._value]
        return merged
