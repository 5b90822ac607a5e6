"""HeaderBar: the app's name, the screen's title and a clock that keeps itself."""

from __future__ import annotations

import re

from PySide6.QtCore import QTime
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from desktop_pos.ui.header_bar import CLOCK_INTERVAL_MS, HeaderBar


def label(bar: HeaderBar, name: str) -> QLabel:
    found = bar.findChild(QLabel, name)
    assert found is not None, name
    return found


def test_the_texts_are_the_windows_and_the_clock_shows_the_time(qtbot: QtBot) -> None:
    bar = HeaderBar()
    qtbot.addWidget(bar)
    bar.set_app_name("Касса")
    bar.set_title("РЕЗУЛЬТАТ")
    assert label(bar, "appNameLabel").text() == "Касса"
    assert bar.title() == label(bar, "screenTitleLabel").text() == "РЕЗУЛЬТАТ"
    clock = label(bar, "clockLabel").text()
    assert re.fullmatch(r"\d{2}:\d{2}", clock)
    now = QTime.currentTime()
    shown = QTime.fromString(clock, "hh:mm")
    assert abs(shown.secsTo(now)) <= 60 or abs(shown.secsTo(now)) >= 24 * 3600 - 60


def test_the_clock_follows_the_time_and_stops_with_the_window(qtbot: QtBot) -> None:
    bar = HeaderBar()
    qtbot.addWidget(bar)
    clock = label(bar, "clockLabel")
    clock.setText("--:--")  # as if a minute had passed since the last tick
    qtbot.waitUntil(lambda: clock.text() != "--:--", timeout=CLOCK_INTERVAL_MS * 3)
    bar.stop_clock()
    clock.setText("--:--")
    qtbot.wait(CLOCK_INTERVAL_MS + 300)
    assert clock.text() == "--:--"
