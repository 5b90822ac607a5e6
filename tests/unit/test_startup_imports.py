"""The window comes before the database: building it must not import SQLAlchemy, Alembic or
httpx (they load on the store and gateway threads once the window is up; docs/decisions.md)."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("sqlalchemy", "alembic", "httpx", "aiohttp")


def test_the_window_modules_import_nothing_heavy() -> None:
    code = (
        "import sys\n"
        "import desktop_pos.app, desktop_pos.ui.main_window\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )
    assert done.stdout.strip() == "[]", done.stdout + done.stderr
