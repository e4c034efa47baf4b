"""A plugin host's costs (docs/guide.md, "Plugin host"), with the plugins of
tests/test_plugin_host.py and the bindings generated from examples/plugins/wit:

1. Refusing a plugin built from another version of the WIT: the load-time
   check reads the component's bytes before anything is compiled. The small
   WAT plugin of the older WIT against the current bindings, and the 18 MB
   componentize-py plugin against bindings of the older WIT; next to the
   compile that a refusal after compiling would cost.
2. Loading the 18 MB plugin by path: the first load in a process (the
   compiled artifact from the disk cache), then each further load of the
   same path in a new store, and the process's RSS over 20 loads.
3. `PluginWorld.prepare` once, then `pre.instantiate` in a new store.

The engine has epoch interruption on, as in the example host. Figures, never
asserted; the machine's load shows in them.

    python benchmarks/bench_plugins.py
"""

from __future__ import annotations

import importlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PATHS = [str(ROOT / "tests"), str(ROOT / "generated_examples")]
sys.path[:0] = PATHS

import acme_plugins  # noqa: E402
import wasmtime  # noqa: E402
from support import plugins  # noqa: E402
from support.plugins import RecordingHost, app_engine, app_store  # noqa: E402
from wasmtime import component as wc  # noqa: E402
from wbindgen_runtime import TypeCheckError  # noqa: E402


def old_bindings(folder: Path) -> Any:
    from wbindgen.generate import generate_files
    from wbindgen.output import write_package

    wit = ROOT / "tests" / "components" / "plugin_wat_old" / "wit"
    files = generate_files(None, "acme_plugins_old", None, wit=wit, world_name="plugin-world")
    write_package(folder / "acme_plugins_old", files)
    sys.path.insert(0, str(folder))
    return importlib.import_module("acme_plugins_old")


def refusal(pkg: Any, path: Path, engine: wasmtime.Engine, repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        try:
            pkg.PluginWorld.instantiate(
                app_store(engine), path, pkg.PluginWorldImports(host=RecordingHost())
            )
        except TypeCheckError:
            best = min(best, time.perf_counter() - t)
        else:
            raise AssertionError(f"{path.name} was not refused")
    return best


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-plugins-"))
    os.environ["WBINDGEN_CACHE_DIR"] = str(tmp / "cache")
    engine = app_engine()
    py, wat_old = plugins.py_plugin(), plugins.old_wat_plugin()
    print(f"plugins: {py.name} ({py.stat().st_size / 1e6:.1f} MB), {wat_old.name}")

    print("\n1. refusing a plugin of another WIT version (best of 5)")
    small = refusal(acme_plugins, wat_old, engine)
    print(f"   WAT plugin of the older WIT:          {small * 1e3:8.1f} ms")
    old = old_bindings(tmp)
    print(f"   18 MB plugin, bindings of older WIT:  {refusal(old, py, engine) * 1e3:8.1f} ms")
    t = time.perf_counter()
    wc.Component(engine, py.read_bytes())
    print(f"   compiling that plugin (for scale):    {time.perf_counter() - t:8.1f} s")

    print("\n2. loading the 18 MB plugin by path, 20 times in a fresh process")
    t = time.perf_counter()
    acme_plugins.PluginWorld.instantiate(app_store(engine), py,
                                         acme_plugins.PluginWorldImports(host=RecordingHost()))
    print(f"   first load here (compile + lane, cache written): {time.perf_counter() - t:6.1f} s")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(PATHS)}
    out = subprocess.run([sys.executable, "-m", "support.plugin_child", "loads", str(py), "20"],
                         env=env, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    answer = json.loads(out.strip().splitlines()[-1])
    seconds, rss = answer["seconds"], answer["rss"]
    print(f"   first load in the new process (cached artifact): {seconds[0] * 1e3:8.1f} ms")
    later = sorted(seconds[1:])
    print(f"   each later load: median {statistics.median(later) * 1e3:.2f} ms, "
          f"min {later[0] * 1e3:.2f} ms, max {later[-1] * 1e3:.2f} ms")
    mib = [r / 2**20 for r in rss]
    print(f"   RSS after load 1, 5, 10, 20: {mib[0]:.1f}, {mib[4]:.1f}, {mib[9]:.1f}, "
          f"{mib[19]:.1f} MiB (growth 5->20: {mib[19] - mib[4]:+.2f} MiB)")

    print("\n3. the prepared form")
    for label, path in (("18 MB plugin", py), ("WAT plugin", plugins.wat_plugin())):
        pre = acme_plugins.PluginWorld.prepare(engine, path)
        times = []
        for _ in range(50):
            t = time.perf_counter()
            store = app_store(engine)
            pre.instantiate(store, acme_plugins.PluginWorldImports(host=RecordingHost()))
            times.append(time.perf_counter() - t)
        print(f"   {label}: new store + pre.instantiate: median "
              f"{statistics.median(times) * 1e3:.2f} ms")


if __name__ == "__main__":
    main()
