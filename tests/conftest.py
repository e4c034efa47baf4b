"""Suite-wide settings."""

from __future__ import annotations

import os
import tempfile

# The compiled-component cache must not touch the user's own cache folder.
os.environ.setdefault("WBINDGEN_CACHE_DIR", tempfile.mkdtemp(prefix="wbindgen-test-cache-"))
