"""Structure-aware fuzzing of the reader, and of the generator behind it.

The promise checked on every input: ``read_component`` returns a world or
raises ``ReaderError`` (never an "internal error", which is how the reader
wraps its own bugs), within ``READ_BOUND`` seconds; and for every world it
accepts, ``render_world`` returns files that are valid Python or raises
``GenerateError`` (``PlanError`` is turned into it), never anything else.

Inputs are seeds (valid components) mutated by byte-level mutations (bit
flips, interesting bytes, truncation, insertion, deletion) and by mutations
of the section tree: a component's sections, the sections of its nested
components and of its core modules are parsed into a tree, then a section
anywhere in it is dropped, duplicated, swapped, moved, spliced in from
another seed, has its payload flipped, cut or grown, its leading vector count
or any LEB inside it changed, or its length field lied about; the tree is
serialized back with every other length correct, so a mutation deep inside
reaches the parser of that depth. Plus random bytes, with and without the
component preamble.
"""

from __future__ import annotations

import ast
import hashlib
import random
import signal
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from support.paths import ROOT, SHARED
from wbindgen.generate import GenerateError, render_world
from wbindgen_runtime.errors import ReaderError
from wbindgen_runtime.reader import read_component

READ_BOUND = 1.0
RENDER_BOUND = 20.0
HARD_TIMEOUT = 30.0
MAGIC = b"\x00asm"
COMPONENT_PREAMBLE = b"\x00asm\x0d\x00\x01\x00"
MODULE_PREAMBLE = b"\x00asm\x01\x00\x00\x00"

# --------------------------------------------------------------------------
# LEB128


def uleb(n: int) -> bytes:
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def read_uleb(data: bytes, pos: int) -> tuple[int, int] | None:
    """(value, next position), or None when no LEB of at most 5 bytes starts at pos."""
    n = shift = 0
    for i in range(5):
        if pos + i >= len(data):
            return None
        b = data[pos + i]
        n |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return n, pos + i + 1
    return None


# --------------------------------------------------------------------------
# The section tree.


@dataclass
class Section:
    sid: int
    payload: bytes | Binary


@dataclass
class Binary:
    preamble: bytes
    sections: list[Section] = field(default_factory=list)
    tail: bytes = b""  # bytes after the last whole section (a broken seed)


def parse(data: bytes, depth: int = 0) -> Binary:
    b = Binary(data[:8])
    is_component = data[4:8] == COMPONENT_PREAMBLE[4:8]
    pos = 8
    while pos < len(data):
        sid = data[pos]
        got = read_uleb(data, pos + 1)
        if got is None or got[1] + got[0] > len(data):
            b.tail = data[pos:]
            break
        size, start = got
        raw = data[start : start + size]
        payload: bytes | Binary = raw
        if is_component and sid in (1, 4) and raw[:4] == MAGIC and depth < 8:
            payload = parse(raw, depth + 1)
        b.sections.append(Section(sid, payload))
        pos = start + size
    return b


Lie = Callable[[int], bytes]


def serialize(b: Binary, lies: dict[int, Lie] | None = None) -> bytes:
    """The bytes of `b`; `lies` maps id(section) to a size-field encoder."""
    out = bytearray(b.preamble)
    for s in b.sections:
        payload = (
            s.payload if isinstance(s.payload, bytes) else serialize(s.payload, lies)
        )
        enc = (lies or {}).get(id(s), uleb)
        out += bytes([s.sid]) + enc(len(payload)) + payload
    out += b.tail
    return bytes(out)


def all_sections(b: Binary) -> list[tuple[Binary, int]]:
    """Every (parent, index) in the tree, depth-first."""
    found: list[tuple[Binary, int]] = []
    for i, s in enumerate(b.sections):
        found.append((b, i))
        if isinstance(s.payload, Binary):
            found.extend(all_sections(s.payload))
    return found


def clone(b: Binary) -> Binary:
    return Binary(
        b.preamble,
        [
            Section(
                s.sid, s.payload if isinstance(s.payload, bytes) else clone(s.payload)
            )
            for s in b.sections
        ],
        b.tail,
    )


# --------------------------------------------------------------------------
# Mutations.

INTERESTING_BYTES = [
    0x00,
    0x01,
    0x7F,
    0x80,
    0xFF,
    0x40,
    0x3F,
    0x6F,
    0x70,
    0x71,
    0x72,
    0x73,
]


def interesting_ints(n: int) -> list[int]:
    return [
        0,
        1,
        n - 1 if n else 0,
        n + 1,
        n * 2 + 1,
        0x7F,
        0x80,
        0x3FFF,
        0x4000,
        0xFFFF,
        1 << 20,
        0xFFFFFFFF,
    ]


def mutate_bytes(rng: random.Random, data: bytes) -> bytes:
    if not data:
        return bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
    d = bytearray(data)
    op = rng.randrange(6)
    if op == 0:
        for _ in range(rng.randint(1, 8)):
            d[rng.randrange(len(d))] ^= 1 << rng.randrange(8)
    elif op == 1:
        for _ in range(rng.randint(1, 4)):
            d[rng.randrange(len(d))] = rng.choice(INTERESTING_BYTES)
    elif op == 2:
        del d[rng.randrange(len(d) + 1) :]
    elif op == 3:
        at = rng.randrange(len(d) + 1)
        d[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
    elif op == 4:
        at = rng.randrange(len(d))
        del d[at : at + rng.randint(1, 8)]
    else:
        at = rng.randrange(len(d))
        n = rng.randint(1, 16)
        chunk = d[at : at + n]
        to = rng.randrange(len(d) + 1)
        d[to:to] = chunk
    return bytes(d)


def mutate_payload(rng: random.Random, payload: bytes) -> bytes:
    """Change a section's own bytes (its framing stays right on serialize)."""
    op = rng.randrange(4)
    if op == 0 and payload:
        # the leading vector count
        got = read_uleb(payload, 0)
        if got is not None:
            n, end = got
            return uleb(rng.choice(interesting_ints(n))) + payload[end:]
    if op == 1 and payload:
        # any LEB in the payload (many are counts, lengths and indices)
        for _ in range(8):
            at = rng.randrange(len(payload))
            got = read_uleb(payload, at)
            if got is not None:
                n, end = got
                new = rng.choice(interesting_ints(n))
                if rng.random() < 0.3:  # an overlong encoding of the same value
                    enc = bytearray(uleb(new))
                    enc[-1] |= 0x80
                    enc += b"\x80" * rng.randint(0, 3) + b"\x00"
                    return payload[:at] + bytes(enc) + payload[end:]
                return payload[:at] + uleb(new) + payload[end:]
    return mutate_bytes(rng, payload)


def lie(rng: random.Random) -> Lie:
    delta = rng.choice([-8, -2, -1, 1, 2, 8, 1 << 20, 0xFFFFFFFF])
    overlong = rng.random() < 0.2

    def enc(true: int) -> bytes:
        n = max(0, true + delta) if delta < 1 << 20 else delta
        if overlong:
            return bytes([0x80 | (n & 0x7F)] + [0x80] * 5 + [0])
        return uleb(n)

    return enc


def mutate_tree(rng: random.Random, seed: Binary, other: Binary) -> bytes:
    b = clone(seed)
    spots = all_sections(b)
    if not spots:
        return mutate_bytes(rng, serialize(b))
    parent, i = rng.choice(spots)
    s = parent.sections[i]
    op = rng.randrange(9)
    lies: dict[int, Lie] = {}
    if op == 0:
        del parent.sections[i]
    elif op == 1:
        parent.sections.insert(
            rng.randrange(len(parent.sections) + 1), clone(Binary(b"", [s])).sections[0]
        )
    elif op == 2:
        j = rng.randrange(len(parent.sections))
        parent.sections[i], parent.sections[j] = parent.sections[j], parent.sections[i]
    elif op == 3:
        moved = parent.sections.pop(i)
        parent.sections.insert(rng.randrange(len(parent.sections) + 1), moved)
    elif op == 4:
        donors = all_sections(other)
        if donors:
            dp, di = rng.choice(donors)
            donor = clone(Binary(b"", [dp.sections[di]])).sections[0]
            if rng.random() < 0.5:
                parent.sections[i] = donor
            else:
                parent.sections.insert(rng.randrange(len(parent.sections) + 1), donor)
    elif op == 5:
        lies[id(s)] = lie(rng)
    elif op == 6:
        s.sid = rng.choice([s.sid ^ (1 << rng.randrange(4)), rng.randrange(16), 0x7F])
    else:
        if isinstance(s.payload, Binary):
            # mutate one level down: raw bytes of a nested binary
            s.payload = mutate_payload(rng, serialize(s.payload))
        else:
            s.payload = mutate_payload(rng, s.payload)
    return serialize(b, lies)


# --------------------------------------------------------------------------
# Running one input.


class Timeout(BaseException):
    """Raised by the alarm; a BaseException so the reader cannot swallow it."""


def _alarm(signum: int, frame: object) -> None:
    raise Timeout


@dataclass
class Outcome:
    kind: str  # accepted / refused / finding
    detail: str = ""
    read_seconds: float = 0.0
    rendered: bool = False


@dataclass
class Fuzzer:
    seeds: list[bytes]
    rng: random.Random
    render: bool = True
    stats: Counter[str] = field(default_factory=Counter)
    findings: list[tuple[str, bytes]] = field(default_factory=list)
    seen_worlds: set[str] = field(default_factory=set)
    slowest_read: float = 0.0

    def __post_init__(self) -> None:
        self.trees = [parse(s) for s in self.seeds]

    def next_input(self) -> bytes:
        rng = self.rng
        r = rng.random()
        if r < 0.03:
            return bytes(rng.randrange(256) for _ in range(rng.randint(0, 64)))
        if r < 0.08:
            return COMPONENT_PREAMBLE + bytes(
                rng.randrange(256) for _ in range(rng.randint(0, 96))
            )
        k = rng.randrange(len(self.seeds))
        if r < 0.45:
            data = mutate_bytes(rng, self.seeds[k])
        else:
            data = mutate_tree(
                rng, self.trees[k], self.trees[rng.randrange(len(self.trees))]
            )
        if rng.random() < 0.15:  # stack a second mutation
            data = mutate_bytes(rng, data)
        return data

    def run_one(self, data: bytes) -> Outcome:
        out = check_input(data, render=self.render, seen=self.seen_worlds)
        self.stats["executions"] += 1
        self.stats[out.kind] += 1
        if out.rendered:
            self.stats["rendered"] += 1
        self.slowest_read = max(self.slowest_read, out.read_seconds)
        if out.kind == "finding":
            self.findings.append((out.detail, data))
        return out

    def run(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.run_one(self.next_input())


def check_input(
    data: bytes, *, render: bool = True, seen: set[str] | None = None
) -> Outcome:
    """Check the promise on one input; a broken promise is a 'finding'."""
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, HARD_TIMEOUT)
    t0 = time.perf_counter()
    try:
        try:
            world = read_component(data)
        except ReaderError as e:
            took = time.perf_counter() - t0
            if "internal error" in str(e):
                return Outcome("finding", f"reader internal error: {e}", took)
            if took > READ_BOUND:
                return Outcome("finding", f"reader took {took:.2f}s to refuse", took)
            return Outcome("refused", str(e), took)
        except Timeout:
            return Outcome("finding", f"reader hung over {HARD_TIMEOUT}s", HARD_TIMEOUT)
        except (
            BaseException
        ) as e:  # noqa: BLE001 - anything but ReaderError breaks the promise
            return Outcome(
                "finding",
                f"reader raised {type(e).__name__}: {e}",
                time.perf_counter() - t0,
            )
        took = time.perf_counter() - t0
        if took > READ_BOUND:
            return Outcome("finding", f"reader took {took:.2f}s to accept", took)
        if not render:
            return Outcome("accepted", "", took)
        key = hashlib.sha256(repr(world).encode()).hexdigest()
        if seen is not None:
            if key in seen:
                return Outcome("accepted", "", took)
            seen.add(key)
        t1 = time.perf_counter()
        try:
            files = render_world(world, "fuzzed", "Fuzzed")
        except GenerateError:
            return Outcome("accepted", "", took)
        except Timeout:
            return Outcome("finding", f"generator hung over {HARD_TIMEOUT}s", took)
        except BaseException as e:  # noqa: BLE001
            tb = traceback.extract_tb(e.__traceback__)[-1]
            return Outcome(
                "finding",
                f"generator raised {type(e).__name__}: {e} ({Path(tb.filename).name}:{tb.lineno})",
                took,
            )
        if time.perf_counter() - t1 > RENDER_BOUND:
            return Outcome("finding", f"generator took over {RENDER_BOUND}s", took)
        for rel, text in files.items():
            if rel.endswith(".py"):
                try:
                    ast.parse(text, rel)
                    compile(text, rel, "exec")
                except SyntaxError as e:
                    return Outcome(
                        "finding", f"generator wrote invalid Python in {rel}: {e}", took
                    )
        return Outcome("accepted", "", took, rendered=True)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


# --------------------------------------------------------------------------
# Seeds.


def load_seeds(
    *, with_corpus: bool = True, with_examples: bool = True
) -> dict[str, bytes]:
    """Valid components: the wit-component corpus, jco fixtures, the runtime
    tests' WAT components, random identity components and the examples."""
    import wasmtime

    seeds: dict[str, bytes] = {}
    if with_corpus and (SHARED / "corpus/wit-component").is_dir():
        for wat in sorted((SHARED / "corpus/wit-component").glob("*/component.wat")):
            try:
                seeds[f"corpus/{wat.parent.name}"] = bytes(
                    wasmtime.wat2wasm(wat.read_text())
                )
            except Exception:  # noqa: BLE001 - a few corpus entries need newer features
                pass
    if with_corpus and (SHARED / "fixtures/jco").is_dir():
        for w in sorted((SHARED / "fixtures/jco").glob("*.wasm")):
            seeds[f"jco/{w.name}"] = w.read_bytes()
    rc = ROOT / "tests/runtime_components"
    for wat in sorted(rc.glob("*.wat")):
        seeds[f"runtime/{wat.name}"] = bytes(wasmtime.wat2wasm(wat.read_text()))
    from runtime_components.identities import identity_wat

    seeds["runtime/identities"] = bytes(wasmtime.wat2wasm(identity_wat()))
    from .typegen import Built, random_tree

    rng = random.Random(7)
    for i in range(6):
        seeds[f"typegen/{i}"] = bytes(
            wasmtime.wat2wasm(Built(random_tree(rng)).component_wat())
        )
    if with_examples:
        cache = ROOT / ".cache/components"
        for w in sorted(cache.glob("*.wasm")) if cache.is_dir() else []:
            seeds[f"example/{w.name}"] = w.read_bytes()
    return seeds
