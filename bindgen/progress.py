"""Feedback for slow steps: a step that is still running after a second says
what it is doing on stderr (compiling an 18 MB component takes a while), and
then how long it took. Fast steps print nothing."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

DELAY = 1.0


@contextmanager
def step(message: str, *, enabled: bool = True) -> Iterator[None]:
    if not enabled:
        yield
        return
    start = time.perf_counter()
    announced = threading.Event()

    def announce() -> None:
        announced.set()
        print(f"wbindgen: {message}...", file=sys.stderr, flush=True)

    timer = threading.Timer(DELAY, announce)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        if announced.is_set():
            took = time.perf_counter() - start
            print(f"wbindgen: {message}: done in {took:.1f} s", file=sys.stderr, flush=True)
