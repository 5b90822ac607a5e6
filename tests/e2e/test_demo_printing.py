"""Demo mode as started from the command line: the virtual printer comes up after the first frame
on a loopback port, the window gets printing, and the printer stops when the app exits."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_demo_mode_starts_the_virtual_printer_and_stops_it_at_exit(tmp_path: Path) -> None:
    script = textwrap.dedent(
        """
        import os, sys
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication

        app = QApplication(sys.argv[:1])

        def check():
            from desktop_pos.ui.main_window import MainWindow
            if not any(isinstance(w, MainWindow) and w.print_actions().printing is not None
                       for w in app.topLevelWidgets()):
                QTimer.singleShot(100, check)
                return
            print("PRINTING READY", flush=True)
            app.quit()

        QTimer.singleShot(100, check)
        from desktop_pos.app import main
        code = main(["--demo"])
        sys.stdout.flush()
        os._exit(code)
        """
    )
    home = tmp_path / "home"
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_CACHE_HOME": str(home / "cache"),
    }
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "PRINTING READY" in done.stdout
    logs = "".join(p.read_text(encoding="utf-8") for p in home.rglob("*.log"))
    assert "virtual printer listening on 127.0.0.1:" in logs
    assert logs.index("virtual printer stopped") < logs.index("desktop-pos stopped")
    assert "Traceback" not in logs
    assert list(home.rglob("receipts")), "the receipts folder is in the demo data directory"
