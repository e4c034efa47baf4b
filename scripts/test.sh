#!/usr/bin/env bash
# Set up .venv (the newest wasmtime of the supported range, on python3) and run
# the whole test suite there: the everyday developer command. CI runs
# scripts/matrix.py instead (every supported wasmtime and Python; see there).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${WBINDGEN_VENV:-.venv}"
./scripts/setup_venv.sh "$VENV" "${WBINDGEN_PYTHON:-python3}" "${WBINDGEN_WASMTIME:-newest}"
# pytest exits 5 when it collected no tests: that is a failure here, never a pass.
exec "$VENV/bin/python" -m pytest "$@"
