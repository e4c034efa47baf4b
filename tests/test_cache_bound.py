"""The cache root's size bound (least recently used first), its setting,
`clear()`/`info()` and `wbindgen cache info|clear`, and several processes
writing, reading and clearing one root at once."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import wasmtime
from support.components import ROOT
from wasmtime import component as wc
from wbindgen import cli
from wbindgen_runtime import cache, cachedir

DEMO = ROOT / "examples" / "kitchen_sink.wat"
PAYLOAD = b"x" * 1000
SIZE = len(cachedir.seal(PAYLOAD, cache.COMPONENTS.magic))


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.delenv("WBINDGEN_CACHE_MAX_BYTES", raising=False)
    f = tmp_path / "cache"
    cache.configure(enabled=True, folder=f)
    yield f
    cache._folder = None
    cache._enabled = None
    cache._max_bytes = None


def names(root: Path) -> set[str]:
    return {f"{p.parent.name}/{p.name}" for p in root.glob("*/*")}


def age(root: Path, rel: str, seconds_ago: float) -> None:
    t = time.time() - seconds_ago
    os.utime(root / rel, (t, t))


def test_least_recently_used_entries_go_first(root: Path) -> None:
    cache.configure(max_bytes=3 * SIZE)
    for n in "abc":
        assert cache.store(cache.COMPONENTS, f"{n}.cwasm", PAYLOAD)
    age(root, "components/a.cwasm", 300)
    age(root, "components/b.cwasm", 200)
    age(root, "components/c.cwasm", 100)
    # A hit makes a the most recently used: b is now the oldest.
    assert cache.lookup(cache.COMPONENTS, "a.cwasm") == PAYLOAD
    assert cache.store(cache.COMPONENTS, "d.cwasm", PAYLOAD)
    assert names(root) == {"components/a.cwasm", "components/c.cwasm", "components/d.cwasm"}
    assert cache.store(cache.COMPONENTS, "e.cwasm", PAYLOAD)
    assert names(root) == {"components/a.cwasm", "components/d.cwasm", "components/e.cwasm"}


def test_one_bound_and_one_order_across_both_caches(root: Path) -> None:
    cache.configure(max_bytes=3 * SIZE)
    assert cache.store(cache.BINDINGS, "old.bindings", PAYLOAD)
    assert cache.store(cache.COMPONENTS, "a.cwasm", PAYLOAD)
    assert cache.store(cache.COMPONENTS, "b.cwasm", PAYLOAD)
    age(root, "bindings/old.bindings", 300)
    age(root, "components/a.cwasm", 100)
    assert cache.store(cache.COMPONENTS, "c.cwasm", PAYLOAD)
    assert names(root) == {"components/a.cwasm", "components/b.cwasm", "components/c.cwasm"}


def test_the_entry_just_written_stays_and_the_bound_holds(root: Path) -> None:
    cache.configure(max_bytes=SIZE * 3 // 2)
    assert cache.store(cache.COMPONENTS, "a.cwasm", PAYLOAD)
    age(root, "components/a.cwasm", -3600)  # a clock ahead: a looks newest
    assert cache.store(cache.COMPONENTS, "b.cwasm", PAYLOAD)
    assert names(root) == {"components/b.cwasm"}
    assert cache.info().bytes <= cache.max_bytes()


def test_an_entry_larger_than_the_bound_is_not_stored(root: Path) -> None:
    cache.configure(max_bytes=2 * SIZE)
    assert cache.store(cache.COMPONENTS, "a.cwasm", PAYLOAD)
    assert not cache.store(cache.COMPONENTS, "big.cwasm", PAYLOAD * 3)
    assert names(root) == {"components/a.cwasm"}


def test_real_components_are_evicted_and_compiled_again(root: Path) -> None:
    engine = wasmtime.Engine()
    other = bytes(wasmtime.wat2wasm("(component (core module))"))
    demo = cache.read_component(DEMO)
    sizes = [len(cachedir.seal(bytes(wc.Component(engine, d).serialize()), b"WBGCACHE1\n"))
             for d in (other, demo)]
    # Room for either artifact, not both: the second pushes out the first.
    cache.configure(max_bytes=max(sizes) + min(sizes) // 2)
    cache.compile_bytes(engine, other)
    age(root, f"components/{cache.entry_name(other, engine)}", 60)
    cache.compile_bytes(engine, demo)
    assert names(root) == {f"components/{cache.entry_name(demo, engine)}"}
    assert cache.lookup(cache.COMPONENTS, cache.entry_name(other, engine)) is None


@pytest.mark.parametrize("bad", [0, -1, True, 1.5, "1G"])
def test_configure_refuses_a_bound_that_is_not_a_byte_count(bad: object) -> None:
    with pytest.raises(ValueError, match="max_bytes must be a positive number of bytes"):
        cache.configure(max_bytes=bad)  # type: ignore[arg-type]
    assert cache._max_bytes is None


@pytest.mark.parametrize(
    "text, expected",
    [("1073741824", 1 << 30), ("512M", 512 << 20), ("2g", 2 << 30), ("1GiB", 1 << 30),
     (" 64 KB ", 64 << 10), ("", cache.DEFAULT_MAX_BYTES)],
)
def test_the_bound_from_the_environment(
    text: str, expected: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WBINDGEN_CACHE_MAX_BYTES", text)
    assert cache.max_bytes() == expected


@pytest.mark.parametrize("text", ["lots", "0", "-5M", "1.5G", "12 parsecs"])
def test_a_bad_bound_in_the_environment_warns_and_keeps_the_default(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WBINDGEN_CACHE_MAX_BYTES", text)
    cachedir._warned.clear()
    with pytest.warns(cache.CacheWarning, match="WBINDGEN_CACHE_MAX_BYTES.*is not a size"):
        assert cache.max_bytes() == cache.DEFAULT_MAX_BYTES


def test_the_default_bound_is_one_gib(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WBINDGEN_CACHE_MAX_BYTES", raising=False)
    assert cache.max_bytes() == cache.DEFAULT_MAX_BYTES == 1 << 30


def test_clear_removes_every_entry_and_the_next_load_compiles(root: Path) -> None:
    engine = wasmtime.Engine()
    cache.load_component(engine, DEMO)
    assert cache.store(cache.BINDINGS, "k.bindings", PAYLOAD)
    (root / "bindings" / "old-format.json").write_text("{}")  # an older version's entry
    before = cache.info()
    assert before.entries == 2 and before.bytes > 0
    removed = cache.clear()
    assert removed.entries == 3 and removed.bytes == before.bytes + 2
    assert names(root) == set()
    assert sorted(p.name for p in root.iterdir()) == ["bindings", "components"]
    assert cache.info().entries == 0
    cache.load_component(engine, DEMO)
    assert cache.info().sections["components"].entries == 1


def test_clear_and_info_never_create_the_root(root: Path) -> None:
    assert cache.clear() == cachedir.Usage(0, 0)
    i = cache.info()
    assert (i.folder, i.entries, i.bytes, i.refused) == (root, 0, 0, None)
    assert not root.exists()


def test_clear_removes_nothing_from_a_folder_it_does_not_trust(root: Path) -> None:
    assert cache.store(cache.COMPONENTS, "a.cwasm", PAYLOAD)
    os.chmod(root / "components", 0o777)
    with pytest.raises(cache.Refused, match="writable by group or others"):
        cache.clear()
    assert names(root) == {"components/a.cwasm"}
    assert "writable by group or others" in (cache.info().refused or "")


def test_stale_temporary_files_are_removed_fresh_ones_kept(root: Path) -> None:
    assert cache.store(cache.COMPONENTS, "a.cwasm", PAYLOAD)
    for n in (".tmp-1-dead", ".tmp-2-busy"):
        (root / "components" / n).write_bytes(b"half")
    age(root, "components/.tmp-1-dead", 2 * 3600)
    assert cache.store(cache.COMPONENTS, "b.cwasm", PAYLOAD)
    assert names(root) == {"components/a.cwasm", "components/b.cwasm", "components/.tmp-2-busy"}


# ------------------------------------------------------------------ wbindgen cache


def test_cli_info_then_clear(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cache.configure(max_bytes=64 << 20)
    assert cache.store(cache.COMPONENTS, "a.cwasm", PAYLOAD)
    assert cache.store(cache.BINDINGS, "b.bindings", PAYLOAD)
    assert cli.main(["cache", "info"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"folder: {root}",
        "components: 1 entries, 0.0 MiB",
        "bindings: 1 entries, 0.0 MiB",
        f"total: 2 entries, 0.0 MiB of a 64.0 MiB bound ({2 * SIZE - 1} of {64 << 20} bytes; "
        "WBINDGEN_CACHE_MAX_BYTES)",
        "enabled: yes",
    ]
    assert cli.main(["cache", "clear"]) == 0
    assert capsys.readouterr().out == f"removed 2 entries (0.0 MiB) from {root}\n"
    assert names(root) == set()


def test_cli_refuses_to_clear_an_untrusted_root(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cache.store(cache.COMPONENTS, "a.cwasm", PAYLOAD)
    os.chmod(root, 0o777)
    assert cli.main(["cache", "clear"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: not clearing the cache: ") and str(root) in err
    assert cli.main(["cache", "info"]) == 1
    captured = capsys.readouterr()
    assert captured.out.startswith(f"folder: {root}\n")
    assert captured.err.splitlines() == [
        f"error: the cache is not used: {root}: writable by group or others (mode 0777)"
    ]
    assert names(root) == {"components/a.cwasm"}


def test_cli_cache_needs_an_action() -> None:
    proc = subprocess.run([sys.executable, "-m", "wbindgen", "cache", "tidy"],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and "invalid choice: 'tidy'" in proc.stderr
    assert "Traceback" not in proc.stderr


# ------------------------------------------------------------------ several processes

# Each child says it is ready and waits for the others, so the loops overlap.
BARRIER = """
import os, pathlib, sys, time
gate = pathlib.Path(os.environ["GATE"])
(gate / sys.argv[1]).touch()
deadline = time.monotonic() + 60
while len(list(gate.iterdir())) < 3 and time.monotonic() < deadline:
    time.sleep(0.002)
"""
WRITER = BARRIER + """
import random, warnings
warnings.simplefilter("error")
from wbindgen_runtime import cache
me = sys.argv[1]
rng = random.Random(me)
for i in range(400):
    assert cache.store(cache.COMPONENTS, f"{me}-{i % 50}.cwasm", os.urandom(rng.randrange(500, 3000)))
    got = cache.lookup(cache.COMPONENTS, f"{rng.choice('ab')}-{rng.randrange(50)}.cwasm")
    assert got is None or 500 <= len(got) < 3000
print("done")
"""
CLEARER = BARRIER + """
import warnings
warnings.simplefilter("error")
from wbindgen_runtime import cache
for _ in range(150):
    cache.clear()
print("done")
"""


def test_processes_writing_reading_and_clearing_at_once(tmp_path: Path) -> None:
    root = tmp_path / "cache"
    (tmp_path / "gate").mkdir()
    env = dict(os.environ, WBINDGEN_CACHE_DIR=str(root), WBINDGEN_CACHE="1",
               WBINDGEN_CACHE_MAX_BYTES="40K", GATE=str(tmp_path / "gate"))
    procs = [
        subprocess.Popen([sys.executable, "-c", code, me], env=env, text=True,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for code, me in ((WRITER, "a"), (WRITER, "b"), (CLEARER, "c"))
    ]
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0 and out == "done\n", err
    left = list((root / "components").iterdir())
    assert not [p for p in left if p.name.startswith(".tmp-")]
    # Each writer evicts after its own write; the other's last write may land
    # after that: at most one entry of each beyond the bound.
    assert sum(p.stat().st_size for p in left) <= 40 * 1024 + 2 * 3100
    for p in left:
        assert cachedir.unseal(p.read_bytes(), cache.COMPONENTS.magic) is not None
