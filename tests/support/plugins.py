"""The plugins of the acme application (examples/plugins/wit) and a host for
them, shared by tests/test_plugin_host.py and its child processes
(tests/support/plugin_child.py).

Plugins, built into the git-ignored .cache/ (never committed):

- `plugin_py`: componentize-py, tests/components/plugin_py/ (18 MB; imports
  WASI although the world does not name it);
- `plugin_js`: componentize-js from npm, tests/components/plugin_js/ (absent
  without node and npm: callers skip with `JS_MISSING`);
- `plugin_wat`: hand-written core WAT, tests/components/plugin_wat/ (imports
  nothing but the world's `host`);
- `plugin_wat_old`: the same core module with an older WIT (the document's
  `body` field was `text`);
- `wat_variant(folder, version)`: the WAT plugin built from a copy of the WIT
  whose package version is `version`.

The bindings are the committed generated_examples/acme_plugins, which the
golden test keeps equal to `wbindgen --wit examples/plugins/wit --world
plugin-world -o .../acme_plugins`.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import wasmtime

from support.components import GENERATED, ROOT, build_module, require_wasm_tools

if str(GENERATED) not in sys.path:
    sys.path.insert(0, str(GENERATED))

from acme_plugins.imports import host  # noqa: E402

WIT = ROOT / "examples" / "plugins" / "wit"
WAT_CORE = ROOT / "tests" / "components" / "plugin_wat" / "core.wat"
JS_SOURCE = ROOT / "tests" / "components" / "plugin_js" / "app.js"
VERSION = "0.1.0"


def py_plugin() -> Path:
    return Path(build_module.build("plugin_py"))


def wat_plugin() -> Path:
    require_wasm_tools()
    return Path(build_module.build("plugin_wat"))


def old_wat_plugin() -> Path:
    require_wasm_tools()
    return Path(build_module.build("plugin_wat_old"))


def js_tool() -> str | None:
    if str(ROOT / "tests") not in sys.path:
        sys.path.insert(0, str(ROOT / "tests"))
    from conformance import js_guest

    return js_guest.tool()


JS_MISSING = (
    "componentize-js (and node) not found; to run: `npm install --prefix .cache/npm "
    "@bytecodealliance/componentize-js@0.23.0`"
)


def js_plugin(exe: str) -> Path:
    from conformance import js_guest

    return js_guest.build(exe, JS_SOURCE, WIT, "plugin-world", "plugin_js")


def wat_variant(folder: Path, version: str) -> Path:
    """The WAT plugin built from copies of the WIT and core module whose
    package version is `version` (in `folder`)."""
    wt = require_wasm_tools()
    wit = folder / "wit"
    wit.mkdir(parents=True)
    for src in WIT.glob("*.wit"):
        text = src.read_text()
        assert f"@{VERSION};" in text
        (wit / src.name).write_text(text.replace(f"@{VERSION}", f"@{version}"))
    core = folder / "core.wat"
    core.write_text(WAT_CORE.read_text().replace(f"@{VERSION}", f"@{version}"))
    embedded, out = folder / "embedded.wasm", folder / f"plugin-{version}.wasm"
    for cmd in (
        [wt, "component", "embed", str(wit), str(core), "--world", "plugin-world",
         "-o", str(embedded)],
        [wt, "component", "new", str(embedded), "-o", str(out)],
    ):
        subprocess.run(cmd, check=True, capture_output=True)
    return out


class KvStore:
    """The host's side of a `kv-store` a plugin opened (satisfies `host.KvStore`)."""

    def __init__(self, owner: RecordingHost, name: str) -> None:
        self.owner = owner
        self.name = name
        self.values: dict[str, str] = {}

    def get(self, key: str) -> str | None:
        return self.values.get(key)

    def set(self, key: str, value: str) -> None:
        self.values[key] = value

    def drop(self) -> None:
        self.owner.dropped.append(self.name)


@dataclass
class RecordingHost:
    """The `host` interface, remembering what plugins did (satisfies `host.Host`)."""

    logs: list[tuple[host.Severity, str]] = field(default_factory=list)
    stores: list[KvStore] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)

    def kv_store(self, name: str) -> KvStore:
        kv = KvStore(self, name)
        self.stores.append(kv)
        return kv

    def log(self, level: host.Severity, message: str) -> None:
        self.logs.append((level, message))


def app_engine() -> wasmtime.Engine:
    """The application's engine: epoch interruption on, for time limits (the
    test module and its child processes share its compiled-component cache
    entries, which are per engine configuration)."""
    config = wasmtime.Config()
    config.epoch_interruption = True
    return wasmtime.Engine(config)


def app_store(engine: wasmtime.Engine) -> wasmtime.Store:
    """A store of its own for one plugin, with a generous epoch deadline (a
    call that needs a tight one sets its own): with the test module's ticker
    running, a plugin that never returns fails its test after
    DEFAULT_SECONDS instead of hanging the suite."""
    store = wasmtime.Store(engine)
    store.set_epoch_deadline(ticks(DEFAULT_SECONDS))
    return store


#: How often the test module's ticker advances the engine's epoch.
TICK_SECONDS = 0.01
DEFAULT_SECONDS = 300.0


def ticks(seconds: float) -> int:
    return max(1, round(seconds / TICK_SECONDS))


def rss_bytes() -> int:
    """This process's resident set size (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS in /proc/self/status")
