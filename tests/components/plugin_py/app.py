"""A plugin of the `acme:plugins` application (examples/plugins/wit), written
in Python and built with componentize-py by tests/components/build.py.

It upper-cases titles, rejects documents without tags, and keeps a
session's documents in the host's `kv-store`. The exported resource
`session` is in `plugin.py`: componentize-py looks for a resource's class in
the module named after its interface. `describe` prints a line: the
component imports WASI for it (every componentize-py guest does), although
the world does not name WASI.
"""

from wit_world import exports
from wit_world.exports.plugin import (
    Capabilities,
    Document,
    Outcome,
    Outcome_Accepted,
    Outcome_Rejected,
    Outcome_Skipped,
)
from wit_world.imports import host

NAME = "py-upper"


class Plugin(exports.Plugin):
    def describe(self) -> tuple[str, Capabilities]:
        print(f"{NAME}: describe() called")
        return NAME, Capabilities.TRANSFORM | Capabilities.REVIEW | Capabilities.SESSIONS

    def transform(self, doc: Document) -> Document:
        return Document(doc.title.upper(), doc.body, [*doc.tags, NAME])

    def review(self, doc: Document) -> Outcome:
        if not doc.title:
            return Outcome_Skipped()
        if not doc.tags:
            host.log(host.Severity.WARNING, f"{NAME}: rejected '{doc.title}': no tags")
            return Outcome_Rejected("no tags")
        return Outcome_Accepted(Document(doc.title, doc.body.strip(), doc.tags))

    def stats(self, docs: list[Document]) -> tuple[int, int]:
        return len(docs), sum(len(d.body.encode()) for d in docs)

    def spin(self, rounds: int) -> int:
        i = 0
        while rounds == 0 or i < rounds:
            i += 1
        return i
