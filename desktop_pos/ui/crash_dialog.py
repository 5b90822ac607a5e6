"""The crash dialog: «Произошла непредвиденная ошибка…», the log path, «Подробнее» and «Закрыть».

Built only when a bug is reported (``crash.report_exception``), so that its widgets are not
loaded at start-up.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from desktop_pos.ui import theme


class CrashDialog(QDialog):
    """«Произошла непредвиденная ошибка…» with the log path, «Подробнее» and «Закрыть»."""

    def __init__(self, details: str, log_file: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crashDialog")
        self._log_file = log_file
        self._reports: list[str] = []

        icon = QLabel()
        icon.setObjectName("crashIcon")
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(48, 48)
        )
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self._message = QLabel()
        self._message.setObjectName("crashMessage")
        self._message.setWordWrap(True)
        self._message.setTextFormat(Qt.TextFormat.PlainText)
        self._message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._count = QLabel()
        self._count.setObjectName("crashCount")
        self._count.hide()

        self._details = QPlainTextEdit()
        self._details.setObjectName("crashDetails")
        self._details.setReadOnly(True)
        self._details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self._details.setMinimumHeight(240)
        self._details.setMinimumWidth(720)  # tracebacks are wide; counted only when shown
        self._details.hide()

        self._details_button = QPushButton()
        self._details_button.setObjectName("crashDetailsButton")
        self._details_button.setCheckable(True)
        self._details_button.setAutoDefault(False)
        self._details_button.toggled.connect(self._toggle_details)
        self._close_button = QPushButton()
        self._close_button.setObjectName("crashCloseButton")
        self._close_button.setDefault(True)
        theme.set_role(self._close_button, theme.ROLE_PRIMARY)
        self._close_button.clicked.connect(self.accept)
        for button in (self._details_button, self._close_button):
            button.setMinimumHeight(theme.BUTTON_MIN_HEIGHT)

        text_column = QVBoxLayout()
        text_column.setAlignment(Qt.AlignmentFlag.AlignTop)
        text_column.addWidget(self._message)
        text_column.addWidget(self._count)
        top = QHBoxLayout()
        top.setSpacing(theme.SPACING)
        top.addWidget(icon)
        top.addLayout(text_column, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self._details_button)
        buttons.addStretch(1)
        buttons.addWidget(self._close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(theme.MARGIN, theme.MARGIN, theme.MARGIN, theme.MARGIN)
        layout.setSpacing(theme.SPACING)
        layout.addLayout(top)
        layout.addWidget(self._details, 1)
        layout.addLayout(buttons)
        self.setMinimumWidth(560)
        self.setMaximumWidth(1100)

        self.add_report(details)
        self.retranslate_ui()
        self._close_button.setFocus()

    def add_report(self, details: str) -> None:
        """Another error while the dialog is open: count it and add its traceback."""
        self._reports.append(details)
        separator = "\n" + "-" * 72 + "\n"
        self._details.setPlainText(separator.join(self._reports))
        self._update_count()

    def report_count(self) -> int:
        return len(self._reports)

    def details_text(self) -> str:
        return self._details.toPlainText()

    def _update_count(self) -> None:
        count = len(self._reports)
        self._count.setVisible(count > 1)
        self._count.setText(self.tr("Ошибок, пока открыто это окно: {count}").format(count=count))

    def _toggle_details(self, shown: bool) -> None:
        self._details.setVisible(shown)
        self._update_details_button()
        self.adjustSize()

    def _update_details_button(self) -> None:
        if self._details_button.isChecked():
            self._details_button.setText(self.tr("Скрыть подробности"))
        else:
            self._details_button.setText(self.tr("Подробнее"))

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Ошибка"))
        if self._log_file is not None:
            message = self.tr(
                "Произошла непредвиденная ошибка. Приложение продолжает работу. "
                "Подробности записаны в журнал: {path}."
            ).format(path=self._log_file)
        else:
            message = self.tr(
                "Произошла непредвиденная ошибка. Приложение продолжает работу. "
                "Подробности записаны в журнал."
            )
        self._message.setText(message)
        self._update_details_button()
        self._close_button.setText(self.tr("Закрыть"))
        self._update_count()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)


# -- uncaught exceptions ------------------------------------------------------------------------
