"""The window comes first: building it must not import SQLAlchemy, Alembic or httpx (they load on
the store and gateway threads once the window is up), nor asyncio and qasync (imported on a thread
and attached after the first frame), nor the package metadata (docs/decisions.md), nor printing's
python-escpos, segno and Pillow (loaded on the printer set-up thread, docs/printing.md)."""

from __future__ import annotations

import subprocess
import sys

HEAVY = (
    "sqlalchemy",
    "alembic",
    "httpx",
    "aiohttp",
    "asyncio",
    "qasync",
    "importlib.metadata",
    "escpos",
    "segno",
    "PIL",
)


def test_the_window_modules_import_nothing_heavy() -> None:
    code = (
        "import sys\n"
        "import desktop_pos.app, desktop_pos.ui.main_window, desktop_pos.ui.crash\n"
        "import desktop_pos.ui.i18n, desktop_pos.ui.async_loop, desktop_pos.ui.tasks\n"
        "import desktop_pos.services.checkout, desktop_pos.services.store_worker\n"
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


def test_the_app_starts_shows_its_window_and_stops_cleanly(tmp_path) -> None:
    """The real start-up path: window, then asyncio attached to the running Qt loop, the store
    opened on its thread; quitting runs the shutdown on that loop."""
    env = {
        "QT_QPA_PLATFORM": "offscreen",
        "PATH": "/usr/bin:/bin",
        "DESKTOP_POS_EXIT_WHEN_READY": "1",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "HOME": str(tmp_path),
    }
    db = tmp_path / "pos.sqlite3"
    done = subprocess.run(
        [sys.executable, "-m", "desktop_pos", "--db", f"sqlite:///{db}"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "READY"
    logs = "".join(p.read_text() for p in tmp_path.rglob("*.log"))
    assert "started (demo=False" in logs
    assert "desktop-pos stopped" in logs
    assert "Traceback" not in logs + done.stderr
