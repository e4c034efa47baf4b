"""Running a WASI command component (one that exports ``wasi:cli/run``).

The most common component there is: ``hello world`` from any toolchain. Its
bindings are the standard interface's, so the runtime carries them:
``run_command(component_or_path, args=..., env=..., stdin=..., ...)`` runs it
in a fresh store with the WASI configuration those arguments describe and
returns its exit code, the way a shell would see it: 0 when ``run`` returns
``ok``, 1 when it returns ``err``, and the status it gave when it called
``exit``. Anything else (a trap, a component that is not a command) raises.

Generated packages bind ``wasi:cli/run`` like any export too
(``inst.run.run()``); this is the short way for the usual case.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Union

import wasmtime

from .bindings_spec import Bindings
from .errors import Trap
from .prepared import prepare_cached
from .types import Func, Result
from .values import Err

__all__ = ["run_command", "RUN_INTERFACE"]

#: The interface a command exports (later 0.2.x releases match it, semver).
RUN_INTERFACE = "wasi:cli/run@0.2.0"

_RUN = Bindings(exports=[(RUN_INTERFACE, "run", Func((), Result(None, None), raises=True))])

Output = Union[str, "os.PathLike[str]", Callable[[bytes], Any], None]


def _output(cfg: wasmtime.WasiConfig, which: str, target: Output, inherit: bool) -> None:
    if target is None:
        if inherit:
            getattr(cfg, f"inherit_{which}")()
    elif callable(target):
        setattr(cfg, f"{which}_custom", target)
    else:
        setattr(cfg, f"{which}_file", os.fspath(target))


def run_command(
    component: Any,
    args: Iterable[str] = (),
    *,
    env: Mapping[str, str] | None = None,
    stdin: str | os.PathLike[str] | None = None,
    stdout: Output = None,
    stderr: Output = None,
    preopens: Iterable[tuple[str | os.PathLike[str], str]] = (),
    inherit_stdio: bool = False,
    program: str = "main",
    engine: wasmtime.Engine | None = None,
    store: wasmtime.Store | None = None,
) -> int:
    """Run the command component ``component`` (a path, bytes or ``Component``);
    its exit code.

    ``args`` follow ``program`` (the guest's ``argv[0]``); ``env`` is its whole
    environment; ``stdin`` a file to read; ``stdout``/``stderr`` a file path or
    a callable receiving each chunk of bytes written; ``preopens`` pairs of
    (host folder, guest path). Nothing else of the host is visible (deny by
    default); ``inherit_stdio`` passes this process's stdio through where no
    target is given. A store of your own (``store``) must not have WASI yet."""
    cfg = wasmtime.WasiConfig()
    cfg.argv = [program, *args]
    cfg.env = [(k, v) for k, v in (env or {}).items()]
    if stdin is not None:
        cfg.stdin_file = os.fspath(stdin)
    elif inherit_stdio:
        cfg.inherit_stdin()
    _output(cfg, "stdout", stdout, inherit_stdio)
    _output(cfg, "stderr", stderr, inherit_stdio)
    for host, guest in preopens:
        cfg.preopen_dir(os.fspath(host), guest)
    if store is None:
        store = wasmtime.Store(engine or wasmtime.Engine())
    pre = prepare_cached(store.engine, component, _RUN)
    bound = pre.instantiate(store, (), wasi=cfg)
    try:
        bound.plan(RUN_INTERFACE, "run")()
    except Err:
        return 1
    except Trap as trap:
        if trap.exit_code is not None:
            return trap.exit_code
        raise
    return 0
