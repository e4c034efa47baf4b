"""Child processes of tests/test_plugin_host.py: what could crash the process
(one store used from two threads) or what needs a process of its own (memory
over many loads) runs here, and answers one line of JSON.

    python -m support.plugin_child loads PLUGIN N      # N loads of one path
    python -m support.plugin_child one-store PLUGIN    # one store, two threads

Run with `tests/` on PYTHONPATH and the test module's WBINDGEN_CACHE_DIR, so
that the plugin's compiled artifact is found in the cache.
"""

from __future__ import annotations

import gc
import json
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import wbindgen_runtime as rt
from acme_plugins import PluginWorld, PluginWorldImports
from acme_plugins.exports.plugin import Document
from acme_plugins.imports import host
from wbindgen_runtime.stores import store_state

from support.plugins import RecordingHost, app_engine, app_store, rss_bytes

DOC = Document("notes", "some text", ["a"])


def loads(plugin: Path, n: int) -> dict[str, Any]:
    """Load `plugin` by path `n` times, each in a new store, calling it; the
    seconds each load took and the RSS after each (stores dropped)."""
    engine = app_engine()
    seconds: list[float] = []
    rss: list[int] = []
    for _ in range(n):
        t = time.perf_counter()
        store = app_store(engine)
        inst = PluginWorld.instantiate(store, plugin, PluginWorldImports(host=RecordingHost()))
        seconds.append(time.perf_counter() - t)
        assert inst.plugin.transform(DOC).title == "NOTES"
        with inst.plugin.session("bob") as s:
            s.add(DOC)
        del inst, s, store
        gc.collect()
        rss.append(rss_bytes())
    return {"seconds": seconds, "rss": rss}


def _wait_until(what: Any, timeout: float = 30.0) -> None:
    end = time.monotonic() + timeout
    while not what():
        if time.monotonic() > end:
            raise TimeoutError("the other thread never got there")
        time.sleep(0.001)


def one_store(plugin: Path) -> dict[str, Any]:
    """One store, two threads: a call from the main thread while the other
    thread's call (a) runs a host function, (b) runs guest code; then (c) a
    call re-entered from an argument's method while lowering. Each must be
    refused with StoreInUseError, and the store must keep working."""
    engine = app_engine()
    store = app_store(engine)
    entered, release = threading.Event(), threading.Event()

    class BlockingHost(RecordingHost):
        def log(self, level: host.Severity, message: str) -> None:
            if message.endswith("block"):
                entered.set()
                release.wait(30)
            super().log(level, message)

    inst = PluginWorld.instantiate(store, plugin, PluginWorldImports(host=BlockingHost()))
    out: dict[str, Any] = {}
    session = inst.plugin.session("bob")

    # (a) the other thread is inside a host function (session.note -> log)
    worker_out: dict[str, Any] = {}

    def note() -> None:
        try:
            session.note(host.Severity.INFO, "block")
            worker_out["note"] = "returned"
        except BaseException as e:  # reported, not lost
            worker_out["note"] = f"{type(e).__name__}: {e}"

    worker = threading.Thread(target=note)
    worker.start()
    entered.wait(30)
    out["during_host_function"] = _attempt(lambda: inst.plugin.describe())
    release.set()
    worker.join(30)
    out["worker_host_function"] = worker_out.get("note")

    # (b) the other thread runs guest code: spin(0), until the epoch moves on
    def spin() -> None:
        store.set_epoch_deadline(1)
        try:
            inst.plugin.spin(0)
            worker_out["spin"] = "returned"
        except rt.Trap as e:
            worker_out["spin"] = f"{type(e).__name__}: {e.code}"
        except BaseException as e:
            worker_out["spin"] = f"{type(e).__name__}: {e}"

    ss = store_state(store)
    worker = threading.Thread(target=spin)
    worker.start()
    _wait_until(lambda: ss.cur is not None or not worker.is_alive())
    out["during_guest_code"] = _attempt(lambda: inst.plugin.describe())
    engine.increment_epoch()
    worker.join(30)
    out["worker_guest_code"] = worker_out.get("spin")

    # (c) re-entry from an argument's method, in a fresh store (the
    # interrupted one is poisoned)
    store = app_store(engine)
    inst = PluginWorld.instantiate(store, plugin, PluginWorldImports(host=RecordingHost()))

    class Reentering(Sequence[str]):
        def __len__(self) -> int:
            return 1

        def __getitem__(self, i: Any) -> Any:
            if isinstance(i, slice):
                return [self[j] for j in range(*i.indices(1))]
            if i != 0:
                raise IndexError(i)
            return inst.plugin.describe()[0]

        def __iter__(self) -> Iterator[str]:
            yield self[0]

    out["reentry"] = _attempt(lambda: inst.plugin.transform(Document("t", "b", Reentering())))
    out["after"] = inst.plugin.transform(DOC).title
    return out


def _attempt(call: Any) -> str:
    try:
        call()
    except BaseException as e:
        return f"{type(e).__name__}: {e}"
    return "returned"


def main(argv: list[str]) -> int:
    mode, plugin = argv[0], Path(argv[1])
    if mode == "loads":
        print(json.dumps(loads(plugin, int(argv[2]))))
    elif mode == "one-store":
        print(json.dumps(one_store(plugin)))
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
