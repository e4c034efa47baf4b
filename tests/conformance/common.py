"""What every conformance run shares."""

from __future__ import annotations

import wasmtime


def stderr_wasi() -> wasmtime.WasiConfig:
    """Guest panics and assertion messages go to stderr (pytest shows them
    with a failure); nothing else is granted."""
    config = wasmtime.WasiConfig()
    config.inherit_stderr()
    return config


class GuestBugs:
    """Known bugs of a guest's toolchain (outside this project) that a run
    steers around; each has an xfail test showing it."""

    #: A top-level u32 parameter or result of 2^31 or more comes back wrong.
    U32_HIGH_HALF = "u32 >= 2^31 as a top-level parameter or result"
    #: A negative s64 top-level parameter or result traps in the guest.
    NEGATIVE_S64 = "negative s64 as a top-level parameter or result"
