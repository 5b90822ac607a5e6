"""The baseline for the start-up benchmark: a bare PySide6 window started like the app.

Prints ``READY`` once the window is shown and the event loop has gone idle, then exits.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow


def main() -> int:
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setCentralWidget(QLabel("ДАННЫЕ ЗАКАЗА"))
    window.resize(1280, 800)
    window.show()

    def ready() -> None:
        print("READY", flush=True)
        app.quit()

    QTimer.singleShot(0, ready)
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
