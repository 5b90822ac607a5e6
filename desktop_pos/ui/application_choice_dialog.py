"""«Выберите платёжную систему»: the app chooses the application of a co-badged card.

With a QPOS-like reader a chip card with several payment systems (MIR and Maestro) asks the app:
«Карта поддерживает несколько платёжных систем. Уточните у покупателя и выберите подходящий
вариант для проведения оплаты:» and one button per application. The arrow keys and Tab move
between the buttons, Enter (or a click) chooses, Esc cancels the payment.

``chosen()`` is the ``CardApplication`` after the dialog is accepted, ``None`` after Esc;
``application_chosen`` carries it as soon as it is chosen.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_pos.hardware.reader.messages import CardApplication
from desktop_pos.ui import theme

log = logging.getLogger(__name__)


def application_caption(
    application: CardApplication, applications: Sequence[CardApplication]
) -> str:
    """The label on the card ("MIR", "Maestro"); with the AID when the label is empty or two
    applications share it, so that the buttons always differ."""
    label = application.label.strip()
    aid = application.aid.hex().upper()
    if not label:
        return aid
    same = [other for other in applications if other.label.strip() == label]
    return f"{label} ({aid})" if len(same) > 1 else label


class ApplicationChoiceDialog(QDialog):
    """One button per card application; ``exec()`` accepts with the chosen one."""

    application_chosen = Signal(object)
    """The chosen ``CardApplication``."""

    def __init__(
        self, applications: Sequence[CardApplication], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        if not applications:
            raise ValueError("a choice needs at least one card application")
        self.setObjectName("applicationChoiceDialog")
        self.setModal(True)
        self._applications = tuple(applications)
        self._chosen: CardApplication | None = None

        self._title = QLabel()
        self._title.setObjectName("applicationChoiceTitle")
        theme.set_role(self._title, theme.ROLE_HEADER)
        self._text = QLabel()
        self._text.setObjectName("applicationChoiceText")
        self._text.setWordWrap(True)

        self._buttons: list[QPushButton] = []
        body = QVBoxLayout()
        body.setContentsMargins(theme.MARGIN, theme.MARGIN, theme.MARGIN, theme.MARGIN)
        body.setSpacing(theme.SPACING)
        body.addWidget(self._text)
        for index, application in enumerate(self._applications):
            button = QPushButton(application_caption(application, self._applications))
            button.setObjectName(f"applicationButton{index}")
            button.setProperty("aid", application.aid.hex().upper())
            theme.set_role(button, theme.ROLE_SECONDARY)
            button.setMinimumHeight(theme.BUTTON_MIN_HEIGHT + 16)
            button.setAutoDefault(True)  # Enter presses the focused button
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            button.clicked.connect(lambda _checked=False, chosen=application: self._choose(chosen))
            body.addWidget(button)
            self._buttons.append(button)
        self._keys_label = QLabel()
        self._keys_label.setObjectName("applicationChoiceKeys")
        self._keys_label.setWordWrap(True)
        body.addWidget(self._keys_label)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._title)
        layout.addLayout(body)
        for before, after in zip(self._buttons, self._buttons[1:], strict=False):
            self.setTabOrder(before, after)
        self.setMinimumWidth(640)
        self.retranslate_ui()

    # -- public API ---------------------------------------------------------------------------
    def applications(self) -> tuple[CardApplication, ...]:
        return self._applications

    def chosen(self) -> CardApplication | None:
        return self._chosen

    def buttons(self) -> list[QPushButton]:
        return list(self._buttons)

    def choose(self, application: CardApplication) -> None:
        """Choose as if its button were pressed (the demo and the flow's tests)."""
        if application not in self._applications:
            raise ValueError(f"{application.label!r} is not one of the card's applications")
        self._choose(application)

    @classmethod
    def ask(
        cls, applications: Sequence[CardApplication], parent: QWidget | None = None
    ) -> CardApplication | None:
        """Show the dialog modally; the chosen application, or ``None`` when cancelled."""
        dialog = cls(applications, parent)
        try:
            dialog.exec()
            return dialog.chosen()
        finally:
            dialog.deleteLater()

    # -- internals ----------------------------------------------------------------------------
    def _choose(self, application: CardApplication) -> None:
        if self.result() == QDialog.DialogCode.Accepted.value and self._chosen is not None:
            return
        self._chosen = application
        log.info("card application chosen: %s", application.label)
        self.application_chosen.emit(application)
        self.accept()

    def reject(self) -> None:
        self._chosen = None
        super().reject()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Left):
            self._move_focus(1 if key in (Qt.Key.Key_Down, Qt.Key.Key_Right) else -1)
            event.accept()
            return
        super().keyPressEvent(event)

    def _move_focus(self, step: int) -> None:
        focused = next((b for b in self._buttons if b.hasFocus()), None)
        index = self._buttons.index(focused) if focused is not None else -step
        target = self._buttons[(index + step) % len(self._buttons)]
        target.setFocus(Qt.FocusReason.TabFocusReason)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._buttons[0].setFocus(Qt.FocusReason.OtherFocusReason)

    def retranslate_ui(self) -> None:
        title = self.tr("Выберите платёжную систему")
        self.setWindowTitle(title)
        self._title.setText(title)
        self._text.setText(
            self.tr(
                "Карта поддерживает несколько платёжных систем. Уточните у покупателя и выберите "
                "подходящий вариант для проведения оплаты:"
            )
        )
        self._keys_label.setText(
            self.tr("Стрелки или Tab — выбор, Enter — подтвердить, Esc — отменить оплату")
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
