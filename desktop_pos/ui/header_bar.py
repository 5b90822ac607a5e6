"""The dark bar at the top of the window: the app's name, the screen's title and the clock."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTime, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from desktop_pos.ui import theme

CLOCK_INTERVAL_MS = 1000
"""The clock shows minutes; a check every second keeps it at most a second late."""


class HeaderBar(QFrame):
    """«Касса» on the left, the screen's title («ДАННЫЕ ЗАКАЗА», «РЕЗУЛЬТАТ»…) in the middle and
    the time (hh:mm) on the right. The window sets the texts; the clock keeps itself."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("headerBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._app_name = QLabel(self)
        self._app_name.setObjectName("appNameLabel")
        self._title = QLabel(self)
        self._title.setObjectName("screenTitleLabel")
        self._title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._clock = QLabel(self)
        self._clock.setObjectName("clockLabel")
        self._clock.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        row = QHBoxLayout(self)
        row.setContentsMargins(theme.MARGIN, 8, theme.MARGIN, 8)
        row.addWidget(self._app_name, 1)
        row.addWidget(self._title, 2)
        row.addWidget(self._clock, 1)
        self._clock_timer = QTimer(self)
        self._clock_timer.setInterval(CLOCK_INTERVAL_MS)
        self._clock_timer.timeout.connect(self._update_clock)
        self._clock_timer.start()
        self._update_clock()

    def set_app_name(self, text: str) -> None:
        self._app_name.setText(text)

    def set_title(self, text: str) -> None:
        self._title.setText(text)

    def title(self) -> str:
        return self._title.text()

    def stop_clock(self) -> None:
        """The window is closing: no more ticks."""
        self._clock_timer.stop()

    def _update_clock(self) -> None:
        text = QTime.currentTime().toString("hh:mm")
        if self._clock.text() != text:  # a repaint once a minute, not every second
            self._clock.setText(text)
