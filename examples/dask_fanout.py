"""Fan calls of a component out over a dask.distributed cluster.

    wbindgen examples/kitchen_sink.wat -o out/kitchen_sink
    PYTHONPATH=out python examples/dask_fanout.py examples/kitchen_sink.wat [N]

(generated_examples/ holds the same bindings, committed.)

The component is loaded once per worker process, not once per task: a task
asks ``instance(path)`` for this thread's instance, which the first task of
each thread makes from the worker's prepared component (``prepared(path)``:
checked, compiled or loaded from the compiled-component cache, and planned,
once per process). Tasks send and return plain generated values (dataclasses,
variant cases, enums, lists), which pickle; instances never leave their worker.

Why a per-worker cache keyed by the path rather than a dask WorkerPlugin: the
task functions stay plain Python that runs the same under dask, a
``ProcessPoolExecutor`` or inline in a test; a worker that joins later or is
restarted by its nanny loads the component on its first task without anyone
registering anything again; and the instance is per thread, so
``threads_per_worker > 1`` gives each thread its own Store (a Store is used by
one thread at a time). What a plugin adds, loading every worker up front and
failing early on a component that does not match, ``warm`` gives through
``client.run``.

Tasks must name functions the workers can import: run as a script, this file
is ``__main__``, whose functions cloudpickle would copy into every task along
with the caches they use; so ``__main__`` hands over to this module under its
import name (the workers find it on the ``sys.path`` they inherit).
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterable

import wasmtime
from distributed import Client, LocalCluster
from kitchen_sink import KitchenSink, KitchenSinkPre
from kitchen_sink.imports.types import Point, Shape, Shape_Circle, Shape_Rect

#: What one task returns: records, a variant case and an int.
Outcome = tuple[list[Point], Shape, int]

_lock = threading.Lock()
_engines: list[wasmtime.Engine] = []  # this process's one Engine, once made
_prepared: dict[str, KitchenSinkPre] = {}
_local = threading.local()


def engine() -> wasmtime.Engine:
    """This process's Engine: its prepared components and Stores all use it."""
    with _lock:
        if not _engines:
            _engines.append(wasmtime.Engine())
        return _engines[0]


def prepared(path: str) -> KitchenSinkPre:
    """This process's prepared component at ``path``, made on first use."""
    eng = engine()
    with _lock:
        pre = _prepared.get(path)
        if pre is None:
            pre = _prepared[path] = KitchenSink.prepare(eng, path)
        return pre


def instance(path: str) -> KitchenSink:
    """This thread's instance of the component at ``path``, in its own Store."""
    instances: dict[str, KitchenSink] = _local.__dict__.setdefault("instances", {})
    inst = instances.get(path)
    if inst is None:
        inst = instances[path] = prepared(path).instantiate(wasmtime.Store(engine()))
    return inst


def warm(path: str) -> int:
    """Prepare the component in this worker now; how many this worker holds."""
    prepared(path)
    return len(_prepared)


def work(n: int, path: str) -> Outcome:
    """One task: a few calls with values built from ``n``."""
    inst = instance(path)
    points = inst.api.echo_points([Point(n, -n), Point(2 * n, n + 1)])
    shape = inst.api.echo_shape(Shape_Rect(points[1]) if n % 2 else Shape_Circle(n / 4))
    return points, shape, inst.api.add(n, n)


def fan_out(client: Client, path: str, inputs: Iterable[int]) -> list[Outcome]:
    """Load the component on every worker, map ``work`` over ``inputs``, gather."""
    client.run(warm, path)  # every worker, once; a mismatching component fails here
    futures = client.map(work, list(inputs), path=path, pure=False)
    results: list[Outcome] = client.gather(futures)
    return results


def main(argv: list[str]) -> None:
    path = argv[0] if argv else "examples/kitchen_sink.wat"
    n = int(argv[1]) if len(argv) > 1 else 1000
    t = time.perf_counter()
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                     dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        started = time.perf_counter()
        results = fan_out(client, path, range(n))
        done = time.perf_counter()
    print(f"cluster up in {started - t:.2f} s; {n} tasks in {done - started:.2f} s")
    for points, shape, total in results[:3]:
        print(points, shape, total)
    assert results == [work(k, path) for k in range(n)]
    print("every result equals the one computed in this process")


if __name__ == "__main__":
    import dask_fanout

    dask_fanout.main(sys.argv[1:])
