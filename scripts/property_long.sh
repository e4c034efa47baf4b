#!/usr/bin/env bash
# The long profile of the differential property tests: 10,000 random values
# per catalogued WIT type (every primitive, lists and options of each, edge
# types and 24 seeded random trees of depth <= 4) and 2,000 random type trees
# (hypothesis-drawn, each with 1-4 values). Prints the counts at the end.
# Override with WBINDGEN_PER_TYPE, WBINDGEN_RANDOM_TYPES, WBINDGEN_SEEDED_TYPES,
# WBINDGEN_SEED. Takes about half an hour on a 2-core machine.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${WBINDGEN_VENV:-.venv}/bin/python"
[ -x "$PY" ] || PY=python3
WBINDGEN_PROFILE=long exec "$PY" -m pytest tests/test_hardening_properties.py -q -s -p no:cacheprovider "$@"
