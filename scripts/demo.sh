#!/usr/bin/env bash
# What a user does, end to end: install wbindgen from this clone into its own
# virtual environment (a regular install, the same as from a built wheel, so a
# user's `mypy --strict` sees wbindgen_runtime and the generated package),
# generate bindings for the bundled example component and run a host program
# against them.
#
#   ./scripts/demo.sh        # venv .venv-demo (WBINDGEN_VENV), output in a temp folder (WBINDGEN_DEMO_OUT)
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${WBINDGEN_VENV:-.venv-demo}"
OUT="${WBINDGEN_DEMO_OUT:-$(mktemp -d)}"
if [ ! -x "$VENV/bin/python" ]; then
    "${WBINDGEN_PYTHON:-python3}" -m venv "$VENV"
fi
# Not editable (`pip install -e`): mypy cannot follow an editable install's
# package mapping (wbindgen -> bindgen/, wbindgen_runtime -> runtime/).
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade .
"$VENV/bin/wbindgen" examples/kitchen_sink.wat -o "$OUT/kitchen_sink"
PYTHONPATH="$OUT" "$VENV/bin/python" examples/kitchen_sink_host.py examples/kitchen_sink.wat
echo "bindings in $OUT/kitchen_sink; wbindgen installed in $VENV"
