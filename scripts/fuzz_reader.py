#!/usr/bin/env python3
"""Fuzz the component reader and the generator behind it.

    python scripts/fuzz_reader.py --seconds 300 [--seed N] [--out DIR] [--no-render]

Seeds are valid components (the wit-component corpus and jco fixtures in
../shared, the runtime tests' WAT components, random identity components,
built example components); inputs are seeds mutated byte-wise and
structure-wise (see tests/hardening/fuzzer.py) and random bytes. The promise:
`read_component` returns a world or raises ReaderError (never its "internal
error") within 1 s, and `render_world` on every accepted world returns valid
Python or raises GenerateError. Every input that breaks it is written to
--out as <sha>.bin with a .txt of what went wrong; the run prints its counts
and exits 1 when there were findings.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from hardening.fuzzer import READ_BOUND, Fuzzer, load_seeds  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--out", type=Path, default=ROOT / ".cache/fuzz-findings")
    ap.add_argument("--no-render", action="store_true", help="check the reader only")
    args = ap.parse_args()
    seed = (
        args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 32)
    )
    t0 = time.monotonic()
    seeds = load_seeds()
    print(
        f"seed {seed}; {len(seeds)} seed components loaded in {time.monotonic() - t0:.1f}s",
        flush=True,
    )
    fz = Fuzzer(list(seeds.values()), random.Random(seed), render=not args.no_render)
    start = time.monotonic()
    last = start
    end = start + args.seconds
    written = 0
    while time.monotonic() < end:
        fz.run_one(fz.next_input())
        for detail, data in fz.findings[written:]:
            args.out.mkdir(parents=True, exist_ok=True)
            h = hashlib.sha256(data).hexdigest()[:16]
            (args.out / f"{h}.bin").write_bytes(data)
            (args.out / f"{h}.txt").write_text(detail + "\n")
        written = len(fz.findings)
        now = time.monotonic()
        if now - last >= 30:
            last = now
            print(f"  {now - start:6.0f}s  {dict(fz.stats)}", flush=True)
    took = time.monotonic() - start
    s = fz.stats
    print(
        f"executions {s['executions']} in {took:.0f}s ({s['executions'] / took:.0f}/s): "
        f"refused {s['refused']}, accepted {s['accepted']} "
        f"(distinct worlds rendered {s['rendered']}), findings {s['finding']}; "
        f"slowest read {fz.slowest_read * 1000:.1f} ms (bound {READ_BOUND * 1000:.0f} ms)"
    )
    if fz.findings:
        kinds: dict[str, int] = {}
        for detail, _ in fz.findings:
            kinds[detail.split(":")[0]] = kinds.get(detail.split(":")[0], 0) + 1
        print(f"findings written to {args.out}: {kinds}")
        for detail, _ in fz.findings[:10]:
            print("  ", detail[:200])
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
