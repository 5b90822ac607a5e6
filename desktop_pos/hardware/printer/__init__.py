"""The receipt printer: settings, connections, status, ESC/POS rendering and the cash drawer.

python-escpos parses its printer database (a YAML file) at import and caches the result as a
pickle in ``ESCPOS_CAPABILITIES_PICKLE_DIR``, by default a new temporary folder each time, so
every start would pay the parse (about 0.4 s) and leave a folder behind. The cache goes to the
user cache directory instead, set here before any module of this package imports escpos.
"""

from __future__ import annotations

import os


def _escpos_cache_dir() -> str:
    from platformdirs import user_cache_dir

    # The application's name and author as in desktop_pos.config (APP_NAME, APP_AUTHOR).
    path = os.path.join(user_cache_dir("desktop-pos", "desktop-pos"), "escpos")
    try:
        os.makedirs(path, exist_ok=True)
    except OSError:  # a read-only home: escpos falls back to a temporary folder
        return ""
    return path


if "ESCPOS_CAPABILITIES_PICKLE_DIR" not in os.environ:
    _cache = _escpos_cache_dir()
    if _cache:
        os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"] = _cache
