#!/usr/bin/env bash
# Set up a virtual environment, generate bindings for the bundled example
# component and run a host program against them.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${WBINDGEN_VENV:-.venv}"
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e .
OUT="$(mktemp -d)"
"$VENV/bin/wbindgen" examples/kitchen_sink.wat -o "$OUT/kitchen_sink"
PYTHONPATH="$OUT" "$VENV/bin/python" examples/kitchen_sink_host.py examples/kitchen_sink.wat
