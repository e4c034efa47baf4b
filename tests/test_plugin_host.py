"""End to end, as an application does it (issue 13): the acme application owns
its plugin API as WIT (examples/plugins/wit, no WASI in the world), generates
ONE package from it (generated_examples/acme_plugins, which the golden test
keeps equal to `wbindgen --wit examples/plugins/wit --world plugin-world`),
and runs plugins other people built from that WIT with real toolchains:
componentize-py, componentize-js (when npm installed it) and hand-written WAT
(tests/support/plugins.py builds them into .cache/).

Every plugin gets a store of its own, as the guide's "Plugin host" chapter
says, because a trap in a store ends every component instance of that store.
The engine has epoch interruption on (time limits); fuel is shown with an
engine of its own and the small WAT plugin, since fuel changes the compiled
code and compiling the 18 MB Python plugin twice would cost the suite
another compile.

The module's compiled-component cache is a folder of its own
(WBINDGEN_CACHE_DIR), empty at the start: the first load of the Python
plugin is a real compile, measured, and the refusals are compared with it.
Child processes (tests/support/plugin_child.py) share that folder.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import wasmtime
import wbindgen_runtime as rt
from support.components import GENERATED, ROOT
from wasmtime import component as wc
from wbindgen_runtime import cache

sys.path.insert(0, str(GENERATED))

from acme_plugins import PluginWorld, PluginWorldImports  # noqa: E402
from acme_plugins.exports.plugin import (  # noqa: E402
    Capabilities,
    Document,
    Outcome_Accepted,
    Outcome_Rejected,
    Outcome_Skipped,
)
from acme_plugins.imports import host  # noqa: E402
from support import plugins  # noqa: E402
from support.plugins import TICK_SECONDS, RecordingHost, app_engine, app_store  # noqa: E402

NAMES = {"wat": "wat-upper", "py": "py-upper", "js": "js-upper"}
DOC = Document("release notes", "  what changed \n", ["news", "v2"])


@pytest.fixture(scope="module")
def cache_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("plugin-cache")
    mp = pytest.MonkeyPatch()
    mp.setenv("WBINDGEN_CACHE_DIR", str(root))
    assert cache.cache_folder() == root, "a test left cache.configure(folder=...) set"
    yield root
    mp.undo()


@pytest.fixture(scope="module")
def engine(cache_root: Path) -> Iterator[wasmtime.Engine]:
    """The application's engine, its epoch advanced every TICK_SECONDS."""
    engine = app_engine()
    stop = threading.Event()

    def tick() -> None:
        while not stop.wait(TICK_SECONDS):
            engine.increment_epoch()

    ticker = threading.Thread(target=tick, daemon=True)
    ticker.start()
    yield engine
    stop.set()
    ticker.join()


@pytest.fixture(scope="module")
def py_compile_seconds(engine: wasmtime.Engine, cache_root: Path) -> float:
    """The first load of the Python plugin in this module: a compile, since
    the module's cache starts empty."""
    path = plugins.py_plugin()
    before = cache.info().entries
    t = time.perf_counter()
    PluginWorld.instantiate(app_store(engine), path, PluginWorldImports(host=RecordingHost()))
    seconds = time.perf_counter() - t
    assert cache.info().entries > before, "the first load was not a compile"
    return seconds


@pytest.fixture(scope="module")
def js_path(cache_root: Path) -> Path:
    exe = plugins.js_tool()
    if exe is None:
        pytest.skip(plugins.JS_MISSING)
    return plugins.js_plugin(exe)


@pytest.fixture(params=["wat", "py", "js"])
def plugin(request: pytest.FixtureRequest, py_compile_seconds: float) -> tuple[str, Path]:
    kind: str = request.param
    if kind == "wat":
        return kind, plugins.wat_plugin()
    if kind == "py":
        return kind, plugins.py_plugin()
    return kind, request.getfixturevalue("js_path")


def load(engine: wasmtime.Engine, path: Path) -> tuple[PluginWorld, RecordingHost, wasmtime.Store]:
    """One plugin in a store of its own."""
    store = app_store(engine)
    h = RecordingHost()
    return PluginWorld.instantiate(store, path, PluginWorldImports(host=h)), h, store


# ---------------------------------------------------------------- every export


def test_every_export_and_both_kinds_of_resource(
    engine: wasmtime.Engine, plugin: tuple[str, Path]
) -> None:
    kind, path = plugin
    name = NAMES[kind]
    inst, h, _ = load(engine, path)
    p = inst.plugin

    assert p.describe() == (name, Capabilities.TRANSFORM | Capabilities.REVIEW | Capabilities.SESSIONS)
    assert p.transform(DOC) == Document("RELEASE NOTES", DOC.body, ["news", "v2", name])
    assert p.review(DOC) == Outcome_Accepted(Document("release notes", "what changed", ["news", "v2"]))
    assert p.review(Document("draft", "x", [])) == Outcome_Rejected("no tags")
    assert p.review(Document("", "x", ["a"])) == Outcome_Skipped()
    assert h.logs == [(host.Severity.WARNING, f"{name}: rejected 'draft': no tags")]
    docs = [DOC, Document("b", "héllo", []), Document("c", "", ["x"] * 100)]
    assert p.stats(docs) == (3, len(DOC.body) + 6)
    assert p.stats([]) == (0, 0)
    assert p.spin(10_000) == 10_000

    # The host drives sessions (a resource the plugin exports); each session
    # opens, uses and drops a kv-store (a resource the host implements).
    h.logs.clear()
    with p.session("bob") as bob, p.session("ann") as ann:
        assert bob.add(DOC) == 1
        assert bob.add(Document("todo", "ship it", [])) == 2
        assert ann.add(Document("todo", "rest", [])) == 1
        assert bob.lookup("todo") == "ship it" and ann.lookup("todo") == "rest"
        assert bob.lookup("missing") is None
        bob.note(host.Severity.ERROR, "disk full")
    assert [kv.name for kv in h.stores] == ["session:bob", "session:ann"]
    assert h.stores[0].values == {"release notes": DOC.body, "todo": "ship it"}
    assert h.logs == [
        (host.Severity.INFO, "session opened for bob"),
        (host.Severity.INFO, "session opened for ann"),
        (host.Severity.ERROR, "bob: disk full"),
    ]
    with pytest.raises(rt.ResourceError):
        bob.add(DOC)
    if kind == "wat":
        # Its destructor drops the kv-store handle at once; the Python and
        # JavaScript plugins leave that to their garbage collectors.
        assert sorted(h.dropped) == ["session:ann", "session:bob"]


def test_a_plugin_importing_nothing_but_the_world(engine: wasmtime.Engine) -> None:
    """The WAT plugin imports only `acme:plugins/host`; the toolchains' plugins
    import WASI too, though the world never names it."""
    from wbindgen_runtime.reader import read_component

    def imported(path: Path) -> set[str]:
        world = read_component(path.read_bytes())
        return {f"{i.name.namespace}:{i.name.package}" for i in world.imports}

    assert imported(plugins.wat_plugin()) == {"acme:plugins"}
    assert imported(plugins.py_plugin()) >= {"acme:plugins", "wasi:cli", "wasi:io"}


# ---------------------------------------------------------------- traps


def test_a_trap_inside_a_with_block_comes_out_as_itself(
    engine: wasmtime.Engine, plugin: tuple[str, Path]
) -> None:
    kind, path = plugin
    inst, _, _ = load(engine, path)
    with pytest.raises(rt.Trap) as caught:
        with inst.plugin.session("eve") as s:
            s.crash()
    trap = caught.value
    assert type(trap) is rt.Trap, type(trap)  # not the InstanceTrappedError of the drop
    assert trap.code == wasmtime.TrapCode.UNREACHABLE
    assert "\n" not in trap.message and "unreachable" in trap.message
    assert trap.backtrace and "Caused by" in trap.details
    with pytest.raises(rt.InstanceTrappedError):
        inst.plugin.describe()
    # The plugin's next store is a fresh start.
    again, _, _ = load(engine, path)
    assert again.plugin.describe()[0] == NAMES[kind]


def test_a_trap_ends_every_instance_of_its_store(engine: wasmtime.Engine) -> None:
    """Why each plugin gets a store of its own (wasmtime 50)."""
    store = app_store(engine)
    path = plugins.wat_plugin()
    a = PluginWorld.instantiate(store, path, PluginWorldImports(host=RecordingHost()))
    b = PluginWorld.instantiate(store, path, PluginWorldImports(host=RecordingHost()))
    with pytest.raises(rt.Trap):
        a.plugin.session("eve").crash()
    with pytest.raises(rt.InstanceTrappedError) as caught:  # b never trapped
        b.plugin.describe()
    assert caught.value.code == wasmtime.TrapCode.CANNOT_ENTER_COMPONENT
    other, _, _ = load(engine, path)
    assert other.plugin.describe()[0] == "wat-upper"


# ---------------------------------------------------------------- time, fuel, memory


def test_an_epoch_deadline_stops_an_infinite_loop(
    engine: wasmtime.Engine, plugin: tuple[str, Path]
) -> None:
    kind, path = plugin
    inst, _, store = load(engine, path)
    store.set_epoch_deadline(20)  # 20 ticks of the module's ticker: 0.2 s
    with pytest.raises(rt.Trap) as caught:
        inst.plugin.spin(0)
    assert caught.value.code == wasmtime.TrapCode.INTERRUPT
    assert caught.value.message == "wasm trap: interrupt"
    with pytest.raises(rt.InstanceTrappedError):
        inst.plugin.spin(1)
    again, _, _ = load(engine, path)
    assert again.plugin.spin(5) == 5


def test_a_store_without_a_deadline_cannot_even_instantiate(engine: wasmtime.Engine) -> None:
    """With epoch interruption on, a store's deadline starts at the current
    epoch: set one before instantiating (the guide says so)."""
    with pytest.raises(rt.InstantiationError) as caught:
        PluginWorld.instantiate(
            wasmtime.Store(engine), plugins.wat_plugin(), PluginWorldImports(host=RecordingHost())
        )
    assert str(caught.value) == (
        "wasmtime could not instantiate the component: wasm trap: interrupt"
    )


def test_an_instantiation_stopped_by_a_trap_keeps_the_trap_as_its_cause(
    engine: wasmtime.Engine,
) -> None:
    with pytest.raises(rt.InstantiationError) as caught:
        PluginWorld.instantiate(
            wasmtime.Store(engine), plugins.wat_plugin(), PluginWorldImports(host=RecordingHost())
        )
    cause = caught.value.__cause__
    assert isinstance(cause, rt.Trap) and cause.code == wasmtime.TrapCode.INTERRUPT


def test_fuel_stops_an_infinite_loop() -> None:
    config = wasmtime.Config()
    config.consume_fuel = True
    store = wasmtime.Store(wasmtime.Engine(config))
    store.set_fuel(1_000_000)
    inst = PluginWorld.instantiate(
        store, plugins.wat_plugin(), PluginWorldImports(host=RecordingHost())
    )
    assert inst.plugin.spin(1000) == 1000
    left = store.get_fuel()
    assert 0 < left < 1_000_000 - 1000  # a few units per round
    with pytest.raises(rt.Trap) as caught:
        inst.plugin.spin(0)
    assert caught.value.code == wasmtime.TrapCode.OUT_OF_FUEL
    assert store.get_fuel() == 0


@pytest.mark.parametrize("kind", ["wat", "py"])
def test_a_memory_limit_below_the_plugins_memory_refuses_to_instantiate(
    engine: wasmtime.Engine, kind: str, py_compile_seconds: float
) -> None:
    path = plugins.wat_plugin() if kind == "wat" else plugins.py_plugin()
    store = app_store(engine)
    store.set_limits(memory_size=64 * 1024)  # the WAT plugin starts with 2 pages
    with pytest.raises(rt.InstantiationError) as caught:
        PluginWorld.instantiate(store, path, PluginWorldImports(host=RecordingHost()))
    assert not isinstance(caught.value, rt.TypeCheckError)
    assert "memory" in str(caught.value) and "exceeds memory limits" in str(caught.value)
    # The same store, unlimited, is usable afterwards.
    store.set_limits(memory_size=-1)
    inst = PluginWorld.instantiate(store, path, PluginWorldImports(host=RecordingHost()))
    assert inst.plugin.spin(3) == 3


def test_a_memory_limit_reached_while_running_is_a_trap(engine: wasmtime.Engine) -> None:
    store = app_store(engine)
    store.set_limits(memory_size=3 * 64 * 1024)
    inst = PluginWorld.instantiate(
        store, plugins.wat_plugin(), PluginWorldImports(host=RecordingHost())
    )
    assert inst.plugin.transform(Document("a", "x" * 1000, [])).title == "A"
    # Lowering a 200 KB body needs memory.grow, which the limit refuses; the
    # plugin's allocator then traps (wit-component's convention).
    with pytest.raises(rt.Trap) as caught:
        inst.plugin.transform(Document("a", "x" * 200_000, []))
    assert caught.value.code == wasmtime.TrapCode.UNREACHABLE


# ---------------------------------------------------------------- refusals


def _spy_compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every compile and deserialize wasmtime is asked for."""
    calls: list[str] = []
    init, deserialize = wc.Component.__init__, wc.Component.deserialize

    def spy_init(self: wc.Component, *args: Any, **kw: Any) -> None:
        calls.append("compile")
        init(self, *args, **kw)

    def spy_deserialize(*args: Any, **kw: Any) -> wc.Component:
        calls.append("deserialize")
        return deserialize(*args, **kw)

    monkeypatch.setattr(wc.Component, "__init__", spy_init)
    monkeypatch.setattr(wc.Component, "deserialize", spy_deserialize)
    return calls


def _refused(
    pkg: Any, path: Path, engine: wasmtime.Engine, monkeypatch: pytest.MonkeyPatch, tmp: Path
) -> tuple[rt.TypeCheckError, float]:
    """Load `path` with the bindings `pkg`, in an empty cache of its own: the
    error, the seconds it took; nothing compiled, nothing cached."""
    root = tmp / "refusal-cache"
    monkeypatch.setenv("WBINDGEN_CACHE_DIR", str(root))
    compiles = _spy_compiles(monkeypatch)
    t = time.perf_counter()
    with pytest.raises(rt.TypeCheckError) as caught:
        pkg.PluginWorld.instantiate(
            app_store(engine), path, pkg.PluginWorldImports(host=RecordingHost())
        )
    seconds = time.perf_counter() - t
    assert compiles == []
    assert cache.info().entries == 0
    return caught.value, seconds


def test_a_plugin_built_from_an_older_wit_is_refused_before_compiling(
    engine: wasmtime.Engine, py_compile_seconds: float, monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    import acme_plugins

    err, seconds = _refused(acme_plugins, plugins.old_wat_plugin(), engine, monkeypatch, tmp_path)
    assert str(err) == (
        "export 'acme:plugins/plugin@0.1.0' function 'transform' param 'doc': "
        "record field 2: expected 'body: string', found 'text: string'"
    )
    # A sanity bound, not a benchmark: compiling the Python plugin took seconds.
    assert seconds < min(1.0, py_compile_seconds / 5), (seconds, py_compile_seconds)


@pytest.fixture(scope="module")
def old_bindings(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The bindings an application generated from the OLDER WIT (`text`)."""
    from wbindgen.generate import generate_files
    from wbindgen.output import write_package

    out = tmp_path_factory.mktemp("old-bindings")
    wit = ROOT / "tests" / "components" / "plugin_wat_old" / "wit"
    files = generate_files(None, "acme_plugins_old", None, wit=wit, world_name="plugin-world")
    write_package(out / "acme_plugins_old", files)
    sys.path.insert(0, str(out))
    try:
        return importlib.import_module("acme_plugins_old")
    finally:
        sys.path.remove(str(out))


def test_an_18_mb_plugin_of_a_newer_wit_is_refused_in_milliseconds(
    engine: wasmtime.Engine, py_compile_seconds: float, old_bindings: Any,
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    err, seconds = _refused(old_bindings, plugins.py_plugin(), engine, monkeypatch, tmp_path)
    assert "record field 2: expected 'text: string', found 'body: string'" in str(err)
    assert seconds < min(1.0, py_compile_seconds / 5), (seconds, py_compile_seconds)


def test_semver_compatible_plugins_load_and_others_are_refused_naming_the_version(
    engine: wasmtime.Engine, tmp_path: Path
) -> None:
    newer = plugins.wat_variant(tmp_path / "v013", "0.1.3")
    inst, h, _ = load(engine, newer)
    assert inst.plugin.describe()[0] == "wat-upper"
    with inst.plugin.session("bob") as s:  # the host interface, at 0.1.3, too
        s.add(DOC)
    assert h.stores[0].values == {DOC.title: DOC.body}

    breaking = plugins.wat_variant(tmp_path / "v020", "0.2.0")
    with pytest.raises(rt.TypeCheckError) as caught:
        load(engine, breaking)
    message = str(caught.value)
    assert "acme:plugins/plugin" in message and "0.2.0" in message, message


# ---------------------------------------------------------------- threads and stores


def test_two_threads_each_with_its_own_store(engine: wasmtime.Engine, py_compile_seconds: float) -> None:
    path = plugins.py_plugin()
    start = threading.Barrier(2)
    results: dict[str, Any] = {}

    def work(who: str) -> None:
        try:
            inst, h, _ = load(engine, path)
            start.wait(30)
            titles = []
            with inst.plugin.session(who) as s:
                for i in range(40):
                    doc = Document(f"{who} {i}", f"body {who} {i}", [who])
                    titles.append(inst.plugin.transform(doc).title)
                    assert s.add(doc) == i + 1
                found = [s.lookup(f"{who} {i}") for i in range(40)]
            results[who] = (titles, found, h.stores[0].name)
        except BaseException as e:
            results[who] = e

    threads = [threading.Thread(target=work, args=(who,)) for who in ("alice", "bruno")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    for who in ("alice", "bruno"):
        assert not isinstance(results[who], BaseException), results[who]
        titles, found, store_name = results[who]
        assert titles == [f"{who.upper()} {i}" for i in range(40)]
        assert found == [f"body {who} {i}" for i in range(40)]
        assert store_name == f"session:{who}"


def _child(mode: str, *args: str, cache_root: Path) -> dict[str, Any]:
    env = {
        **os.environ,
        "WBINDGEN_CACHE_DIR": str(cache_root),
        "PYTHONPATH": os.pathsep.join([str(ROOT / "tests"), str(GENERATED)]),
    }
    proc = subprocess.run(
        [sys.executable, "-m", "support.plugin_child", mode, *args],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=600,
    )
    assert proc.returncode == 0, f"exit {proc.returncode}\n{proc.stdout}{proc.stderr}"
    answer: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return answer


def test_one_store_used_from_two_threads_is_refused_not_crashed(
    plugin: tuple[str, Path], cache_root: Path
) -> None:
    _, path = plugin
    answer = _child("one-store", str(path), cache_root=cache_root)
    assert answer["during_host_function"].startswith(
        "StoreInUseError: this wasmtime.Store is in use by another thread"
    ), answer
    assert answer["worker_host_function"] == "returned"  # the refused call disturbed nothing
    assert answer["during_guest_code"].startswith(
        "StoreInUseError: this wasmtime.Store is running a call on another thread"
    ), answer
    assert answer["worker_guest_code"] == "Trap: TrapCode.INTERRUPT"
    assert answer["reentry"].startswith(
        "StoreInUseError: re-entered a call of this wasmtime.Store while it was lowering"
    ), answer
    assert answer["after"] == "NOTES"


def test_loading_one_path_twenty_times_keeps_memory_flat(
    py_compile_seconds: float, cache_root: Path
) -> None:
    answer = _child("loads", str(plugins.py_plugin()), "20", cache_root=cache_root)
    rss = answer["rss"]
    assert len(rss) == 20
    # An instance of this plugin has at least 197 pages (12.6 MB) of linear
    # memory: 15 leaked instances would add about 190 MB.
    assert rss[-1] - rss[4] < 16 * 2**20, [r // 2**20 for r in rss]


# ---------------------------------------------------------------- WASI


def test_wasi_the_world_does_not_name_is_the_stores_and_shared(
    engine: wasmtime.Engine, py_compile_seconds: float, tmp_path: Path
) -> None:
    path = plugins.py_plugin()
    stdout = tmp_path / "stdout.txt"
    wasi = wasmtime.WasiConfig()
    wasi.stdout_file = str(stdout)
    store = app_store(engine)
    first = PluginWorld.instantiate(store, path, PluginWorldImports(host=RecordingHost()), wasi=wasi)
    first.plugin.describe()
    assert stdout.read_text() == "py-upper: describe() called\n"

    # A second plugin in the same store shares its WASI (no wasi=, or the same).
    second = PluginWorld.instantiate(store, path, PluginWorldImports(host=RecordingHost()))
    third = PluginWorld.instantiate(
        store, path, PluginWorldImports(host=RecordingHost()), wasi=wasi
    )
    second.plugin.describe()
    third.plugin.describe()
    first.plugin.describe()
    assert stdout.read_text() == "py-upper: describe() called\n" * 4
    # ... and is refused another configuration, which would replace the first's.
    with pytest.raises(rt.WasiConfigError):
        PluginWorld.instantiate(
            store, path, PluginWorldImports(host=RecordingHost()), wasi=wasmtime.WasiConfig()
        )
    # A plugin that imports no WASI lives in the same store too.
    wat = PluginWorld.instantiate(store, plugins.wat_plugin(), PluginWorldImports(host=RecordingHost()))
    assert wat.plugin.describe()[0] == "wat-upper"
    first.plugin.describe()
    assert stdout.read_text().count("\n") == 5

    # Without wasi=, nothing is granted: the print goes nowhere, the call works.
    denied, _, _ = load(engine, path)
    assert denied.plugin.describe()[0] == "py-upper"
    assert stdout.read_text().count("\n") == 5


def test_the_prepared_form_instantiates_many_stores(engine: wasmtime.Engine) -> None:
    """What a host serving many short requests keeps: the component checked,
    compiled and planned once."""
    pre = PluginWorld.prepare(engine, plugins.wat_plugin())
    for i in range(1, 6):
        inst = pre.instantiate(app_store(engine), PluginWorldImports(host=RecordingHost()))
        assert inst.plugin.spin(i) == i


# ---------------------------------------------------------------- the example


EXAMPLE_OUTPUT = """\
outdated.wat: refused: export 'acme:plugins/plugin@0.1.0' function 'transform' param 'doc': record field 2: expected 'body: string', found 'text: string'
wat_upper.wat: loaded plugin 'wat-upper', which can: transform, review, sessions
wat_upper.wat:
  transform: Document(title='RELEASE NOTES', body='  What changed in 2.0.\\n', tags=['news', 'v2', 'wat-upper'])
  review 'Release notes': accepted as 'Release notes' / 'What changed in 2.0.'
  [wat_upper.wat] warning: wat-upper: rejected 'Draft': no tags
  review 'Draft': rejected: no tags
  review '': skipped
  stats: 3 documents, 49 bytes of body
  [wat_upper.wat] info: session opened for ada
  session lookup 'Draft': 'Not ready.'
  [wat_upper.wat] closed kv-store 'session:ada' (2 keys)
  spin(0): stopped by the time limit (INTERRUPT); restarting the plugin
  [wat_upper.wat] info: session opened for bob
  session.crash(): trapped (UNREACHABLE: wasm trap: wasm `unreachable` instruction executed); restarting the plugin
  after the restarts: spin(3) = 3
"""


def test_the_example_plugin_host_runs_its_folder_and_survives_its_plugins(tmp_path: Path) -> None:
    """`python examples/plugin_host.py examples/plugins/`, with no build tool
    and nothing on PYTHONPATH: the folder holds the WAT plugins as text."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "plugin_host.py"), str(ROOT / "examples" / "plugins")],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300,
    )
    assert (proc.returncode, proc.stderr) == (0, "")
    assert proc.stdout == EXAMPLE_OUTPUT


def test_the_example_plugin_host_reports_what_is_not_a_plugin(tmp_path: Path) -> None:
    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / "garbage.wasm").write_bytes(b"\x00\x01 not wasm at all")
    (folder / "core.wasm").write_bytes(b"\0asm\x01\0\0\0")  # a core module
    (folder / "notes.txt").write_text("not a plugin: skipped")
    (folder / "wat_upper.wat").write_text((ROOT / "examples/plugins/wat_upper.wat").read_text())
    example = str(ROOT / "examples" / "plugin_host.py")
    proc = subprocess.run([sys.executable, example, str(folder)], capture_output=True,
                          text=True, cwd=tmp_path, timeout=300)
    assert (proc.returncode, proc.stderr) == (0, "")
    lines = proc.stdout.splitlines()
    assert lines[0] == (
        "core.wasm: not a component: malformed component at byte 0x4: this is a core "
        "WebAssembly module, not a component (wrap it with `wasm-tools component new`)"
    )
    assert lines[1].startswith("garbage.wasm: not a component: malformed component at byte 0x0")
    assert lines[2] == "wat_upper.wat: loaded plugin 'wat-upper', which can: transform, review, sessions"
    assert lines[-1] == "  after the restarts: spin(3) = 3"

    missing = subprocess.run([sys.executable, example, str(tmp_path / "nowhere")],
                             capture_output=True, text=True, timeout=60)
    assert missing.returncode == 2 and missing.stdout == ""
    assert missing.stderr.startswith("usage: plugin_host.py FOLDER")
