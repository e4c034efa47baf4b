#!/usr/bin/env bash
# Set up a virtual environment with the dev dependencies and run the whole
# test suite. Used by the README and by CI (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${WBINDGEN_VENV:-.venv}"
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e '.[dev]'
# pytest exits 5 when it collected no tests: that is a failure here, never a pass.
exec "$VENV/bin/python" -m pytest "$@"
