"""examples/dask_fanout.py on a ``LocalCluster`` of two worker processes.

The example's tasks run on the workers (each prepares the component once and
keeps one instance per thread) and their results (records, variant cases,
lists) come back equal to the same calls made in this process. dask is a dev
dependency: this test skips only where distributed cannot be imported.
Cost: about 3-6 s, nearly all of it starting and stopping the cluster (two
spawned worker processes with their nannies, a scheduler, a client).
"""

from __future__ import annotations

import os
import sys

from support.components import GENERATED, ROOT

sys.path.insert(0, str(GENERATED))
sys.path.insert(0, str(ROOT / "examples"))

import dask_fanout  # noqa: E402
import distributed  # noqa: E402  # a dev dependency: its absence fails
from kitchen_sink.imports import types as t  # noqa: E402

DEMO = str(ROOT / "examples" / "kitchen_sink.wat")


def test_dask_fanout_on_a_local_cluster() -> None:
    inputs = range(24)
    # In this process first: the expected results, and the compiled component
    # written to the cache the workers inherit (WBINDGEN_CACHE_DIR), so they start warm.
    expected = [dask_fanout.work(n, DEMO) for n in inputs]
    assert expected[3] == ([t.Point(3, -3), t.Point(6, 4)], t.Shape_Rect(t.Point(6, 4)), 6)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        results = dask_fanout.fan_out(client, DEMO, inputs)
        # Each worker process prepared the component once, however many tasks it ran.
        prepared = client.run(dask_fanout.warm, DEMO)
        pids = client.run(os.getpid)
    assert len(prepared) == 2 and set(prepared.values()) == {1}
    assert len(set(pids.values())) == 2
    assert results == expected
    for got, want in zip(results, expected):
        assert [type(p) for p in got[0]] == [type(p) for p in want[0]] == [t.Point, t.Point]
        assert type(got[1]) is type(want[1])
