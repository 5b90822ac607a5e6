"""Sync notifications: the system tray when there is one, otherwise a banner in the window.

Each ``SyncNotification`` (e.g. «Фискальный документ для заказа №… передан в Ассист») is shown
under the heading «Синхронизация с сервером», as Assist mPOS shows them on the phone. A desktop
without a system tray (a kiosk session, the offscreen test platform) gets the same text in a
banner at the top of the main window, which hides itself after a while or on its ✕.
"""

from __future__ import annotations

import logging
from collections import deque

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSystemTrayIcon, QToolButton, QWidget

from desktop_pos.models.texts import Language, LocalizedText
from desktop_pos.services.events import NOTIFICATION_TITLE, SyncNotification

log = logging.getLogger(__name__)

BANNER_TIMEOUT_MS = 10_000
TRAY_TIMEOUT_MS = 10_000
HISTORY_SIZE = 50


def app_icon(size: int = 64) -> QIcon:
    """The program's icon for the tray: a blue rounded square with a white rouble-like bar."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#1565c0"))
    painter.drawRoundedRect(0, 0, size, size, size / 5, size / 5)
    painter.setBrush(QColor("#ffffff"))
    painter.drawRect(int(size * 0.3), int(size * 0.2), int(size * 0.14), int(size * 0.6))
    painter.drawEllipse(int(size * 0.3), int(size * 0.2), int(size * 0.4), int(size * 0.34))
    painter.end()
    return QIcon(pixmap)


class NotificationBanner(QFrame):
    """A one-line banner: «Синхронизация с сервером: <text>», hidden after ``timeout_ms``."""

    def __init__(self, parent: QWidget | None = None, timeout_ms: int = BANNER_TIMEOUT_MS) -> None:
        super().__init__(parent)
        self.setObjectName("notificationBanner")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._title = QLabel()
        self._title.setObjectName("notificationTitle")
        self._text = QLabel()
        self._text.setObjectName("notificationText")
        self._text.setWordWrap(True)
        self._close = QToolButton()
        self._close.setObjectName("notificationClose")
        self._close.setText("✕")
        self._close.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # never steals the cashier's focus
        self._close.clicked.connect(self.hide)
        row = QHBoxLayout(self)
        row.setContentsMargins(20, 6, 8, 6)
        row.addWidget(self._title)
        row.addWidget(self._text, 1)
        row.addWidget(self._close)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(timeout_ms)
        self._timer.timeout.connect(self.hide)
        self.hide()

    def show_text(self, title: str, text: str) -> None:
        self._title.setText(title + ":")
        self._text.setText(text)
        self._close.setToolTip(self.tr("Скрыть уведомление"))
        self.show()
        self._timer.start()

    def text(self) -> str:
        return self._text.text()


class SyncNotifier(QObject):
    """Shows sync notifications in the tray (if available) or in ``banner``."""

    def __init__(
        self,
        banner: NotificationBanner,
        *,
        language: Language = Language.RU,
        use_tray: bool | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._banner = banner
        self._language = Language(language)
        available = QSystemTrayIcon.isSystemTrayAvailable() if use_tray is None else use_tray
        self._tray: QSystemTrayIcon | None = None
        if available:
            self._tray = QSystemTrayIcon(app_icon(), self)
            self._tray.setToolTip("desktop_pos")
            self._tray.show()
        self._history: deque[LocalizedText] = deque(maxlen=HISTORY_SIZE)

    @property
    def uses_tray(self) -> bool:
        return self._tray is not None

    def set_language(self, language: Language) -> None:
        self._language = Language(language)

    def history(self) -> list[str]:
        """The texts shown so far (newest last), in the current language."""
        return [text.get(self._language) for text in self._history]

    def notify(self, notification: SyncNotification) -> None:
        self._history.append(notification.text)
        title = NOTIFICATION_TITLE.get(self._language)
        text = notification.text.get(self._language)
        log.info("notification: %s", notification.text.en)
        if self._tray is not None and self._tray.supportsMessages():
            self._tray.showMessage(
                title, text, QSystemTrayIcon.MessageIcon.Information, TRAY_TIMEOUT_MS
            )
        else:
            self._banner.show_text(title, text)

    def close(self) -> None:
        if self._tray is not None:
            self._tray.hide()
