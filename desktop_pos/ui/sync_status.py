"""The status-bar indicator of the gateway sync: «В сети» / «Нет связи», «К отправке: N».

Fed by ``SyncStatusChanged`` events (through the ``EventBridge``, on the GUI thread). Before the
first event the link is «Проверка связи…». The last error, if any, is the tooltip.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from desktop_pos.models.texts import Language
from desktop_pos.services.events import SyncStatusChanged
from desktop_pos.ui import theme


class SyncStatusIndicator(QWidget):
    """Link state, pending count and a «Синхронизировать» button bound to ``sync_action``."""

    def __init__(
        self,
        sync_action: QAction,
        *,
        language: Language = Language.RU,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("syncStatus")
        self._language = Language(language)
        self._status: SyncStatusChanged | None = None
        self._online = QLabel()
        self._online.setObjectName("syncOnlineLabel")
        self._pending = QLabel()
        self._pending.setObjectName("syncPendingLabel")
        self._button = QToolButton()
        self._button.setObjectName("syncNowButton")
        self._button.setDefaultAction(sync_action)
        self._button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self._button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the cashier's focus stays put
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 8, 0)
        row.setSpacing(4)
        row.addWidget(self._online)
        row.addWidget(self._pending)
        row.addWidget(self._button)
        self.retranslate_ui()

    def status(self) -> SyncStatusChanged | None:
        return self._status

    def online_text(self) -> str:
        return self._online.text()

    def pending_text(self) -> str:
        return self._pending.text()

    def set_status(self, status: SyncStatusChanged) -> None:
        self._status = status
        self.retranslate_ui()

    def set_language(self, language: Language) -> None:
        self._language = Language(language)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        status = self._status
        if status is None:
            self._online.setText(self.tr("● Проверка связи…"))
            theme.set_tone(self._online, "")
            self._pending.setText(self.tr("К отправке: …"))
            self._online.setToolTip("")
            return
        if status.online:
            self._online.setText(self.tr("● В сети"))
            theme.set_tone(self._online, theme.TONE_SUCCESS)
        else:
            self._online.setText(self.tr("● Нет связи"))
            theme.set_tone(self._online, theme.TONE_FAILURE)
        self._pending.setText(self.tr("К отправке: {count}").format(count=status.pending))
        tooltip = "" if status.last_error is None else status.last_error.get(self._language)
        self._online.setToolTip(tooltip)
        self._pending.setToolTip(
            self.tr("Операции, которые еще не переданы в Ассист или ждут ответа")
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
