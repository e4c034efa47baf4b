"""The exported resource `session` of interface `plugin`: a user's documents,
kept in the host's `kv-store` named after the user (a host resource the
guest creates, uses and drops)."""

from wit_world.exports import plugin
from wit_world.imports import host


class Session(plugin.Session):
    def __init__(self, user: str) -> None:
        self.user = user
        self.kept = 0
        self.store = host.KvStore(f"session:{user}")
        host.log(host.Severity.INFO, f"session opened for {user}")

    def add(self, doc: plugin.Document) -> int:
        self.store.set(doc.title, doc.body)
        self.kept += 1
        return self.kept

    def lookup(self, title: str) -> str | None:
        return self.store.get(title)

    def note(self, level: host.Severity, message: str) -> None:
        host.log(level, f"{self.user}: {message}")

    def crash(self) -> None:
        raise RuntimeError(f"session of {self.user} crashed on purpose")
