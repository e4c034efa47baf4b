"""A plugin host: loads every plugin in a folder, each in a store of its own,
with a time limit on every call and a memory limit per plugin, and keeps
going when a plugin misbehaves (traps, loops for ever, or was built from
another version of the plugin API).

    python examples/plugin_host.py examples/plugins/

The application owns its plugin API as WIT (examples/plugins/wit) and
generated its bindings from it once, WIT-first:

    wbindgen --wit examples/plugins/wit --world plugin-world -o generated_examples/acme_plugins

Plugins are components built from that WIT by anyone, with any toolchain
(componentize-py, componentize-js, cargo-component, or WAT as here). See the
"Plugin host" chapter of docs/guide.md.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ParamSpec, TypeVar

import wasmtime
from wbindgen_runtime import (
    InstantiationError,
    ReaderError,
    Trap,
    TypeCheckError,
    WbindgenError,
)

# The bindings are committed in generated_examples/; an application keeps
# them in its own package instead.
sys.path.append(str(Path(__file__).resolve().parent.parent / "generated_examples"))

from acme_plugins import PluginWorld, PluginWorldImports  # noqa: E402
from acme_plugins.exports.plugin import (  # noqa: E402
    Capabilities,
    Document,
    Outcome,
    Outcome_Accepted,
    Outcome_Rejected,
    Outcome_Skipped,
)
from acme_plugins.imports import host  # noqa: E402

P = ParamSpec("P")
T = TypeVar("T")

TICK_SECONDS = 0.01  # how often the engine's epoch advances
CALL_SECONDS = 0.5  # the time limit of one call into a plugin
MEMORY_BYTES = 64 << 20  # the most linear memory one plugin may have
DOCS = [
    Document("Release notes", "  What changed in 2.0.\n", ["news", "v2"]),
    Document("Draft", "Not ready.", []),
    Document("", "No title at all.", ["misc"]),
]


# ---------------------------------------------------------------- the host side


class KvStore:
    """A `kv-store` a plugin opened: satisfies the generated `host.KvStore`."""

    def __init__(self, plugin: str, name: str) -> None:
        self.plugin = plugin
        self.name = name
        self.values: dict[str, str] = {}

    def get(self, key: str) -> str | None:
        return self.values.get(key)

    def set(self, key: str, value: str) -> None:
        self.values[key] = value

    def drop(self) -> None:  # optional: called when the plugin drops its last handle
        print(f"  [{self.plugin}] closed kv-store {self.name!r} ({len(self.values)} keys)")


class Host:
    """The `host` interface, one per plugin: satisfies the generated `host.Host`."""

    def __init__(self, plugin: str) -> None:
        self.plugin = plugin

    def kv_store(self, name: str) -> KvStore:
        return KvStore(self.plugin, name)

    def log(self, level: host.Severity, message: str) -> None:
        print(f"  [{self.plugin}] {level.name.lower()}: {message}")


# ---------------------------------------------------------------- limits


def new_engine() -> wasmtime.Engine:
    """One engine for every plugin; epoch interruption makes time limits
    possible (fuel, `config.consume_fuel`, would too, counting instructions
    instead of time)."""
    config = wasmtime.Config()
    config.epoch_interruption = True
    return wasmtime.Engine(config)


def start_ticker(engine: wasmtime.Engine) -> threading.Event:
    """Advance the engine's epoch every TICK_SECONDS; set the event to stop."""
    stop = threading.Event()

    def tick() -> None:
        while not stop.wait(TICK_SECONDS):
            engine.increment_epoch()

    threading.Thread(target=tick, daemon=True, name="epoch-ticker").start()
    return stop


class Plugin:
    """One plugin, in a store of its own: a trap ends every component
    instance of its store, so no plugin can take another one down."""

    def __init__(self, engine: wasmtime.Engine, path: Path) -> None:
        self.engine = engine
        self.label = path.name
        # Checked against the bindings (before compiling: a mismatch is
        # refused in milliseconds), compiled and planned once; every restart
        # only instantiates. Compiling takes seconds for a large plugin, so
        # it happens before any deadline is set: an epoch deadline counts
        # wall time from the moment it is set.
        self.pre = PluginWorld.prepare(engine, path)
        self.inst = self.load()

    def load(self) -> PluginWorld:
        """A fresh instance in a fresh store."""
        self.store = wasmtime.Store(self.engine)
        self.store.set_limits(memory_size=MEMORY_BYTES)
        with self.time_limit(CALL_SECONDS):  # instantiation may run guest code
            # No wasi=: a plugin that imports WASI (every componentize-py and
            # componentize-js plugin does) gets none of the host's files, env
            # or stdio. Pass a wasmtime.WasiConfig to grant some.
            return self.pre.instantiate(self.store, PluginWorldImports(host=Host(self.label)))

    def restart(self) -> None:
        self.inst = self.load()

    @contextmanager
    def time_limit(self, seconds: float) -> Iterator[None]:
        """Calls into the plugin inside the block (a resource's drop at the
        end of a `with` too) trap with TrapCode.INTERRUPT after `seconds`.
        The deadline counts from now; outside a block the last one stays."""
        self.store.set_epoch_deadline(max(1, round(seconds / TICK_SECONDS)))
        yield

    def call(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """`fn(*args, **kwargs)` (a call into this plugin) under the time limit."""
        with self.time_limit(CALL_SECONDS):
            return fn(*args, **kwargs)


# ---------------------------------------------------------------- the application


def load_folder(engine: wasmtime.Engine, folder: Path) -> list[Plugin]:
    loaded = []
    for path in sorted(folder.iterdir()):
        if path.suffix not in (".wasm", ".wat"):
            continue
        try:
            plugin = Plugin(engine, path)
            name, caps = plugin.call(plugin.inst.plugin.describe)
        except TypeCheckError as e:  # built from another version of the WIT
            print(f"{path.name}: refused: {e}")
            continue
        except ReaderError as e:  # not a component at all
            print(f"{path.name}: not a component: {e}")
            continue
        except (InstantiationError, Trap) as e:  # a limit, a trap, the time limit
            print(f"{path.name}: could not start: {e}")
            continue
        can = ", ".join(str(c.name).lower() for c in Capabilities if c in caps)
        print(f"{path.name}: loaded plugin {name!r}, which can: {can}")
        loaded.append(plugin)
    return loaded


def show(outcome: Outcome) -> str:
    match outcome:
        case Outcome_Accepted(value=doc):
            return f"accepted as {doc.title!r} / {doc.body!r}"
        case Outcome_Rejected(value=reason):
            return f"rejected: {reason}"
        case Outcome_Skipped():
            return "skipped"


def work(plugin: Plugin) -> None:
    """What the application asks of every plugin."""
    p = plugin.inst.plugin
    print(f"{plugin.label}:")
    print(f"  transform: {plugin.call(p.transform, DOCS[0])}")
    for doc in DOCS:
        print(f"  review {doc.title!r}: {show(plugin.call(p.review, doc))}")
    count, size = plugin.call(p.stats, DOCS)
    print(f"  stats: {count} documents, {size} bytes of body")
    with plugin.time_limit(CALL_SECONDS), p.session("ada") as session:
        for doc in DOCS[:2]:
            session.add(doc)
        print(f"  session lookup 'Draft': {session.lookup('Draft')!r}")


def misbehave(plugin: Plugin) -> None:
    """What a buggy plugin may do, and what the host does about it."""
    try:
        with plugin.time_limit(0.2):
            plugin.inst.plugin.spin(0)  # loops for ever
    except Trap as e:
        print(f"  spin(0): stopped by the time limit ({trap_code(e)}); restarting the plugin")
        plugin.restart()
    try:
        with plugin.time_limit(CALL_SECONDS), plugin.inst.plugin.session("bob") as session:
            session.crash()
    except Trap as e:  # the plugin's own trap, not an error of the session's drop
        print(f"  session.crash(): trapped ({trap_code(e)}: {e.message}); restarting the plugin")
        plugin.restart()
    print(f"  after the restarts: spin(3) = {plugin.call(plugin.inst.plugin.spin, 3)}")


def trap_code(e: Trap) -> str:
    """The name of a trap's wasmtime.TrapCode (None when wasmtime gave no code)."""
    return "no trap code" if e.code is None else str(e.code.name)


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not Path(argv[0]).is_dir():
        print("usage: plugin_host.py FOLDER (a folder of plugins: .wasm, .wat)", file=sys.stderr)
        return 2
    engine = new_engine()
    stop = start_ticker(engine)
    try:
        for plugin in load_folder(engine, Path(argv[0])):
            try:
                work(plugin)
                misbehave(plugin)
            except WbindgenError as e:  # anything else a plugin got wrong
                print(f"  {plugin.label}: failed: {e}; disabled")
    finally:
        stop.set()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
