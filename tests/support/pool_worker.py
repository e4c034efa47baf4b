"""Worker side of the process-pool test (tests/test_scaleout_pool.py).

The pool's initializer runs once in each worker process: it points the
compiled-component cache at the folder the parent warmed, prepares the
component once and makes the worker's one instance. Tasks then only call it.
Functions here are pickled by reference (``support.pool_worker.call``), so the
workers import this module: they never see the test module itself.
"""

from __future__ import annotations

import os
import time
from typing import Any

import wasmtime
from kitchen_sink import KitchenSink
from wbindgen_runtime import cache

_inst: KitchenSink | None = None
#: How many instances this process made: the test checks it stays 1.
_made = 0
#: Seconds the initializer spent preparing and instantiating (the benchmark prints them).
_load_seconds = 0.0


def init_worker(path: str, cache_folder: str, started: Any = None) -> None:
    """Once per worker: the instance every task of this worker uses. With
    ``started`` (a ``Barrier`` of the pool's size) no worker takes a task
    before every worker has made its instance."""
    global _inst, _made, _load_seconds
    t = time.perf_counter()
    cache.configure(folder=cache_folder)
    engine = wasmtime.Engine()
    pre = KitchenSink.prepare(engine, path)
    _inst = pre.instantiate(wasmtime.Store(engine))
    _made += 1
    _load_seconds = time.perf_counter() - t
    if started is not None:
        started.wait(timeout=120)


def _instance() -> KitchenSink:
    if _inst is None:
        raise RuntimeError("init_worker did not run in this process")
    return _inst


def call(name: str, *args: Any) -> tuple[int, int, Any]:
    """Call the export ``api.<name>``: (this worker's pid, instances it made, result)."""
    return os.getpid(), _made, getattr(_instance().api, name)(*args)


def call_world(name: str, *args: Any) -> Any:
    """Call a world-level export and return its result alone."""
    return getattr(_instance(), name)(*args)


def load_seconds() -> tuple[int, float]:
    """(pid, seconds this worker's initializer took)."""
    return os.getpid(), _load_seconds


def instance_of_worker() -> KitchenSink:
    """The worker's instance itself: returning it makes the pool pickle it."""
    return _instance()
