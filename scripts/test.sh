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
# The JavaScript guest of the conformance tests is built with componentize-js,
# which comes from npm, not PyPI. Install it where npm is available; without it
# those tests skip and say why.
if command -v npm >/dev/null 2>&1 && [ -z "${WBINDGEN_NO_NPM:-}" ] \
        && [ ! -x .cache/npm/node_modules/.bin/componentize-js ]; then
    npm install --silent --no-audit --no-fund --prefix .cache/npm \
        @bytecodealliance/componentize-js@0.23.0 >/dev/null 2>&1 \
        || echo "note: npm could not install componentize-js; the JS guest tests will skip" >&2
fi
# pytest exits 5 when it collected no tests: that is a failure here, never a pass.
exec "$VENV/bin/python" -m pytest "$@"
