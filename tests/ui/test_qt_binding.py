"""The Qt binding must not leak references: PySide6 6.12.0 dropped one reference to ``None`` on
every call of a Qt method returning void, and the interpreter aborted ("deallocating None") after
a few thousand calls, i.e. after a while at the counter."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot


def test_void_qt_calls_keep_the_reference_count_of_none(qtbot: QtBot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setText("x")
        label.setEnabled(True)
    after = sys.getrefcount(None)
    assert abs(after - before) < 100, (before, after)
