"""Attacks on the cache root (issue 21): a planted entry must never run.

Each attack plants a *well-formed* entry (right magic, right checksum) where
the caches would look for it: in a folder owned by another user, in a folder
writable by group or others, behind a symbolic link (the root, a section, an
entry), owned by another user or writable by others inside a private folder;
and a tampered entry (content changed, checksum not). The control case plants
the same entry in the user's own private folder and shows it IS used: what
stops the attacks is the checks, not a malformed plant.

Import hook (Python source that would be exec'ed): run in a subprocess as a
user would, asserting that the planted code's marker is absent, the import
works (bindings regenerated) and a `CacheWarning` names the folder.
Compiled components (native code): in process, asserting the planted
artifact is never given to `Component.deserialize`.

"Another user" is uid 65534 (nobody): the tests chown to it, so they need
root and skip with that reason otherwise.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import wasmtime
from support.components import ROOT, component
from wasmtime import component as wc
from wbindgen_runtime import cache, cachedir

DEMO = ROOT / "examples" / "kitchen_sink.wat"
NOBODY = 65534
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
needs_root = pytest.mark.skipif(
    not IS_ROOT, reason="giving a folder to another user (uid 65534) needs root"
)

# (attack, needs root). Each names where the plant goes; see plant().
ATTACKS = [
    ("root-owned-by-another-user", True),
    ("root-world-writable-owned-by-another-user", True),
    ("root-group-writable", False),
    ("root-symlink", False),
    ("folder-owned-by-another-user", True),
    ("folder-group-writable", False),
    ("folder-world-writable", False),
    ("folder-symlink", False),
    ("entry-symlink", False),
    ("entry-owned-by-another-user", True),
    ("entry-writable-by-others", False),
    ("tampered-entry", False),
]
PARAMS = [pytest.param(a, marks=[needs_root] if r else [], id=a) for a, r in ATTACKS]
ENTRY_ATTACKS = {"entry-symlink", "entry-owned-by-another-user", "entry-writable-by-others",
                 "tampered-entry"}


@dataclass
class Plant:
    root: Path  # what WBINDGEN_CACHE_DIR / configure(folder=) names
    named: Path  # the folder or entry the warning must name
    entry: Path  # where the planted bytes are (through any link)
    data: bytes  # the planted bytes, to show they were not rewritten


def chown_tree(path: Path, uid: int) -> None:
    for p in [path, *path.rglob("*")]:
        os.chown(p, uid, uid, follow_symlinks=False)


def plant(attack: str, tmp: Path, section: str, name: str, planted: bytes) -> Plant:
    """Lay out a cache root under `tmp` with `planted` (a well-formed entry)
    where `attack` puts it, named `name` in `section`."""
    root = tmp / "cache"
    folder = root / section
    entry = folder / name
    if attack == "root-symlink":
        real = tmp / "elsewhere"
        (real / section).mkdir(mode=0o700, parents=True)
        os.chmod(real, 0o700)
        (real / section / name).write_bytes(planted)
        os.chmod(real / section / name, 0o600)
        root.symlink_to(real)
        return Plant(root, root, real / section / name, planted)
    if attack == "folder-symlink":
        root.mkdir(mode=0o700)
        real = tmp / "elsewhere"
        real.mkdir(mode=0o700)
        (real / name).write_bytes(planted)
        os.chmod(real / name, 0o600)
        folder.symlink_to(real)
        return Plant(root, folder, real / name, planted)
    folder.mkdir(mode=0o700, parents=True)
    os.chmod(root, 0o700)
    if attack == "entry-symlink":
        target = tmp / "planted.entry"
        target.write_bytes(planted)
        os.chmod(target, 0o600)
        entry.symlink_to(target)
        return Plant(root, entry, target, planted)
    entry.write_bytes(planted)
    os.chmod(entry, 0o600)
    match attack:
        case "root-owned-by-another-user":
            os.chmod(root, 0o755)
            chown_tree(root, NOBODY)
            return Plant(root, root, entry, planted)
        case "root-world-writable-owned-by-another-user":
            os.chmod(root, 0o777)
            chown_tree(root, NOBODY)
            return Plant(root, root, entry, planted)
        case "root-group-writable":
            os.chmod(root, 0o770)
            return Plant(root, root, entry, planted)
        case "folder-owned-by-another-user":
            os.chmod(folder, 0o755)
            chown_tree(folder, NOBODY)
            return Plant(root, folder, entry, planted)
        case "folder-group-writable":
            os.chmod(folder, 0o770)
            return Plant(root, folder, entry, planted)
        case "folder-world-writable":
            os.chmod(folder, 0o777)
            return Plant(root, folder, entry, planted)
        case "entry-owned-by-another-user":
            os.chown(entry, NOBODY, NOBODY)
            return Plant(root, entry, entry, planted)
        case "entry-writable-by-others":
            os.chmod(entry, 0o666)
            return Plant(root, entry, entry, planted)
        case "tampered-entry" | "control":
            return Plant(root, entry, entry, planted)
    raise AssertionError(attack)


def tamper(sealed: bytes, magic: bytes, payload: bytes) -> bytes:
    """`sealed` with its payload replaced and its old checksum kept."""
    return sealed[: len(magic) + 32] + payload


# ------------------------------------------------------------------ import hook

CHILD = """
import json, warnings
with warnings.catch_warnings(record=True) as seen:
    warnings.simplefilter("always")
    import wasmtime, wbindgen.loader
    import mycomp
    from mycomp.imports import types
    inst = mycomp.Mycomp.instantiate(wasmtime.Store(), mycomp.__wasm_path__)
    result = repr(inst.api.echo_pt(types.Point(3, 4)))
print(json.dumps({"result": result,
                  "warnings": [[w.category.__name__, str(w.message)] for w in seen]}))
"""


def run_import(cwd: Path, root: Path) -> tuple[subprocess.CompletedProcess[str], dict[str, object]]:
    env = {"PYTHONPATH": str(cwd), "WBINDGEN_CACHE_DIR": str(root), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True,
                          cwd=cwd, env=env)
    out = json.loads(proc.stdout.strip().splitlines()[-1]) if proc.returncode == 0 else {}
    return proc, out


@dataclass(frozen=True)
class Genuine:
    name: str  # the entry's file name
    sealed: bytes  # the entry the loader writes


@pytest.fixture(scope="module")
def genuine(tmp_path_factory: pytest.TempPathFactory) -> Genuine:
    """The bindings entry of kitchen_sink imported as `mycomp`, as a clean
    first run writes it."""
    tmp = tmp_path_factory.mktemp("genuine")
    shutil.copy(component("kitchen_sink"), tmp / "mycomp.wasm")
    proc, out = run_import(tmp, tmp / "cache")
    assert proc.returncode == 0, proc.stderr
    assert out["warnings"] == [], out
    (entry,) = (tmp / "cache" / "bindings").iterdir()
    return Genuine(entry.name, entry.read_bytes())


def planted_bindings(marker: Path) -> bytes:
    source = f"open({str(marker)!r}, 'w').write('ran')\nprint('INJECTED CODE RAN')\n"
    payload = json.dumps({"__init__.py": source}).encode()
    return cachedir.seal(payload, cache.BINDINGS.magic)


def test_control_a_plant_in_the_users_own_folder_is_used(tmp_path: Path, genuine: Genuine) -> None:
    # Only the user (or root) can write there; this shows the plants below are
    # well-formed, so what refuses them is the checks.
    shutil.copy(component("kitchen_sink"), tmp_path / "mycomp.wasm")
    marker = tmp_path / "marker"
    p = plant("control", tmp_path, "bindings", genuine.name, planted_bindings(marker))
    proc, _ = run_import(tmp_path, p.root)
    assert marker.exists() and "INJECTED CODE RAN" in proc.stdout


@pytest.mark.parametrize("attack", PARAMS)
def test_import_hook_never_runs_a_planted_entry(
    attack: str, tmp_path: Path, genuine: Genuine
) -> None:
    shutil.copy(component("kitchen_sink"), tmp_path / "mycomp.wasm")
    marker = tmp_path / "marker"
    data = planted_bindings(marker)
    if attack == "tampered-entry":
        data = tamper(genuine.sealed, cache.BINDINGS.magic, data[len(cache.BINDINGS.magic) + 32 :])
    p = plant(attack, tmp_path, "bindings", genuine.name, data)
    proc, out = run_import(tmp_path, p.root)
    # (a) the planted code did not run
    assert not marker.exists() and "INJECTED" not in proc.stdout + proc.stderr
    # (b) the import works: bindings were generated in memory
    assert proc.returncode == 0, proc.stderr
    assert out["result"] == "Point(x=3, y=4)"
    # (c) one warning, of a category users can filter, names the folder
    said = out["warnings"]
    assert isinstance(said, list) and len(said) == 1, said
    category, message = said[0]
    assert category == "CacheWarning" and str(p.named) in message, said
    if attack in ENTRY_ATTACKS:
        # The folder is ours: the bad entry was replaced by the genuine one,
        # never written through a link.
        entry = p.root / "bindings" / genuine.name
        assert not entry.is_symlink() and entry.read_bytes() == genuine.sealed
        if attack == "entry-symlink":
            assert p.entry.read_bytes() == data  # the link's target is left alone
        proc, out = run_import(tmp_path, p.root)
        assert proc.returncode == 0 and out["warnings"] == [], (proc.stderr, out)
    else:
        # Nothing is written into a refused folder.
        assert sorted(p.entry.parent.iterdir()) == [p.entry]
        assert p.entry.read_bytes() == data


# ------------------------------------------------------------------ compiled components


@pytest.fixture
def configured(tmp_path: Path) -> Iterator[None]:
    yield
    cache._folder = None
    cache._enabled = None
    cache._max_bytes = None


def works(c: wc.Component, engine: wasmtime.Engine) -> bool:
    return "example:kitchen/api@0.1.0" in c.type.exports(engine)


def load_spying(engine: wasmtime.Engine, monkeypatch: pytest.MonkeyPatch
                ) -> tuple[wc.Component, list[bytes], list[str]]:
    """Load DEMO; what was given to deserialize, and the CacheWarnings."""
    given: list[bytes] = []
    real = wc.Component.deserialize

    def spy(engine: wasmtime.Engine, payload: bytes) -> wc.Component:
        given.append(bytes(payload))
        return real(engine, payload)

    monkeypatch.setattr(wc.Component, "deserialize", staticmethod(spy))
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        c = cache.load_component(engine, DEMO)
    said = [str(w.message) for w in seen if issubclass(w.category, cache.CacheWarning)]
    return c, given, said


def planted_artifact(engine: wasmtime.Engine) -> tuple[bytes, bytes]:
    """A real artifact of another component (an empty one), and its entry."""
    artifact = bytes(wc.Component(engine, "(component)").serialize())
    return artifact, cachedir.seal(artifact, cache.COMPONENTS.magic)


def test_control_a_planted_artifact_in_the_users_own_folder_is_used(
    tmp_path: Path, configured: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = wasmtime.Engine()
    artifact, sealed = planted_artifact(engine)
    name = cache.entry_name(cache.read_component(DEMO), engine)
    p = plant("control", tmp_path, "components", name, sealed)
    cache.configure(enabled=True, folder=p.root)
    c, given, _ = load_spying(engine, monkeypatch)
    assert given == [artifact] and not works(c, engine)


@pytest.mark.parametrize("attack", PARAMS)
def test_compiled_cache_never_deserializes_a_planted_artifact(
    attack: str, tmp_path: Path, configured: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = wasmtime.Engine()
    artifact, sealed = planted_artifact(engine)
    data = cache.read_component(DEMO)
    name = cache.entry_name(data, engine)
    if attack == "tampered-entry":
        genuine = cachedir.seal(bytes(wc.Component(engine, data).serialize()),
                                cache.COMPONENTS.magic)
        sealed = tamper(genuine, cache.COMPONENTS.magic, artifact)
    p = plant(attack, tmp_path, "components", name, sealed)
    cache.configure(enabled=True, folder=p.root)
    c, given, said = load_spying(engine, monkeypatch)
    assert artifact not in given and given == []
    assert works(c, engine)
    assert len(said) == 1 and str(p.named) in said[0], said
    if attack in ENTRY_ATTACKS:
        # Replaced by the genuine artifact, never written through a link.
        entry = p.root / "components" / name
        assert not entry.is_symlink() and cache.lookup(cache.COMPONENTS, name) is not None
        if attack == "entry-symlink":
            assert p.entry.read_bytes() == sealed
    else:
        assert sorted(p.entry.parent.iterdir()) == [p.entry]
        assert p.entry.read_bytes() == sealed


def test_a_refused_folder_warns_once_per_process(
    tmp_path: Path, configured: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "cache"
    root.mkdir(mode=0o777)
    os.chmod(root, 0o777)
    cache.configure(enabled=True, folder=root)
    engine = wasmtime.Engine()
    _, _, first = load_spying(engine, monkeypatch)
    _, _, second = load_spying(engine, monkeypatch)
    assert len(first) == 1 and second == []
    assert "writable by group or others (mode 0777)" in first[0]
    assert "compiling without the cache" in first[0]


def test_warnings_can_be_turned_into_errors_by_category(
    tmp_path: Path, configured: None
) -> None:
    root = tmp_path / "cache"
    root.mkdir(mode=0o700)
    (root / "components").symlink_to(tmp_path)
    cache.configure(enabled=True, folder=root)
    with warnings.catch_warnings():
        warnings.simplefilter("error", cache.CacheWarning)
        with pytest.raises(cache.CacheWarning, match="a symbolic link"):
            cache.load_component(wasmtime.Engine(), DEMO)


def test_a_folder_swapped_after_its_check_is_not_followed(tmp_path: Path) -> None:
    # The check and every use go through one descriptor: replacing the folder
    # by name in between (a race an attacker with write access to the parent
    # could try) redirects nothing.
    root = tmp_path / "cache"
    payload = b"genuine"
    assert cachedir.put(root, cache.BINDINGS, "k.bindings", payload, 1 << 20, cache.SECTIONS)
    top = cachedir._open_root(root, create=False)
    folder = cachedir._open_section(top, cache.BINDINGS, create=False)
    try:
        (root / "bindings").rename(tmp_path / "moved")
        evil = root / "bindings"
        evil.mkdir(mode=0o700)
        (evil / "k.bindings").write_bytes(cachedir.seal(b"planted", cache.BINDINGS.magic))
        assert folder.read("k.bindings", cache.BINDINGS.magic) == payload
    finally:
        folder.close()
        top.close()
