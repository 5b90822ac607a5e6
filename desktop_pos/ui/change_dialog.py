"""ПОДСЧЕТ СДАЧИ: the cash received from the buyer and the change to give back.

As in Assist mPOS, «Получено:» starts with the amount due (selected, so the first key typed
replaces it) and «Сдача:» with 0.00; the change follows every key. The physical keyboard and the
on-screen keypad both type into «Получено:». ✓ (or Enter) accepts only an amount that can be read
and covers the amount due; otherwise the reason is shown under the field. ✗ (or Esc) closes the
dialog and changes nothing.
"""

from __future__ import annotations

import logging
from decimal import Decimal

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop_pos.models.errors import AmountInputError
from desktop_pos.models.money import change_due, format_amount, format_rub, parse_amount, to_money
from desktop_pos.models.texts import Language
from desktop_pos.ui import theme
from desktop_pos.ui.keypad import NumericKeypad

log = logging.getLogger(__name__)

RECEIVED_MAX_LENGTH = 32
"""Long enough to show any too-long amount and its message; parse_amount caps the digits."""
NO_CHANGE_TEXT = "—"
"""«Сдача:» while the amount received cannot be used."""


class ChangeDialog(QDialog):
    """Ask how much cash the buyer handed over; ``received()`` and ``change()`` after accept."""

    def __init__(self, due: Decimal, language: Language, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("changeDialog")
        self.setModal(True)
        self._due = to_money(due)
        self._language = Language(language)
        self._received: Decimal | None = None
        self._change: Decimal | None = None
        self._error_text = ""
        self._below_due = False

        self._header = QLabel()
        self._header.setObjectName("changeHeader")
        self._header.setAlignment(Qt.AlignmentFlag.AlignCenter)
        theme.set_role(self._header, theme.ROLE_HEADER)

        self._due_label = QLabel()
        self._due_label.setObjectName("dueLabel")
        self._due_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self._received_caption = QLabel()
        self._received_caption.setObjectName("receivedCaption")
        self._received_edit = QLineEdit()
        self._received_edit.setObjectName("receivedEdit")
        self._received_edit.setMaxLength(RECEIVED_MAX_LENGTH)
        self._received_edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self._received_edit.setMinimumHeight(theme.INPUT_MIN_HEIGHT + 12)
        self._received_caption.setBuddy(self._received_edit)

        self._change_caption = QLabel()
        self._change_caption.setObjectName("changeCaption")
        self._change_label = QLabel()
        self._change_label.setObjectName("changeLabel")
        self._change_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._change_label.setMinimumHeight(theme.INPUT_MIN_HEIGHT + 12)
        self._change_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self._error_label = QLabel()
        self._error_label.setObjectName("errorLabel")
        self._error_label.setWordWrap(True)
        theme.set_role(self._error_label, theme.ROLE_ERROR)
        self._error_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)

        self._keypad = NumericKeypad()
        self._keypad.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

        rows = QGridLayout()
        rows.setHorizontalSpacing(theme.SPACING * 2)
        rows.setVerticalSpacing(theme.SPACING)
        rows.addWidget(self._received_caption, 0, 0)
        rows.addWidget(self._received_edit, 0, 1)
        rows.addWidget(self._change_caption, 1, 0)
        rows.addWidget(self._change_label, 1, 1)
        rows.setColumnStretch(1, 1)

        body = QVBoxLayout()
        body.setContentsMargins(theme.MARGIN, theme.SPACING, theme.MARGIN, theme.MARGIN)
        body.setSpacing(theme.SPACING)
        body.addWidget(self._due_label)
        body.addLayout(rows)
        body.addWidget(self._error_label)
        body.addWidget(self._keypad, 1)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self._header)
        outer.addLayout(body, 1)
        self.setMinimumWidth(460)

        self._received_edit.textChanged.connect(self._update_change)
        self._keypad.text_key.connect(self._type_key)
        self._keypad.backspace.connect(self._delete_left)
        self._keypad.confirmed.connect(self.accept)
        self._keypad.cancelled.connect(self.reject)

        self.retranslate_ui()
        self._reserve_error_space()
        self._received_edit.setText(format_amount(self._due))
        self._received_edit.selectAll()
        self._received_edit.setFocus()

    # -- public API ---------------------------------------------------------------------------
    def reset(self, due: Decimal) -> None:
        """Start over for the next sale (the window keeps one dialog: building it takes a frame)."""
        self._due = to_money(due)
        self.retranslate_ui()
        text = format_amount(self._due)
        if self._received_edit.text() == text:
            self._update_change(text)
        else:
            self._received_edit.setText(text)
        self._received_edit.selectAll()
        self._received_edit.setFocus()

    def due(self) -> Decimal:
        return self._due

    def received(self) -> Decimal:
        """The cash received; valid after the dialog was accepted."""
        if self._received is None:
            raise RuntimeError("no usable amount received has been entered")
        return self._received

    def change(self) -> Decimal | None:
        """The change for the buyer, or ``None`` while the amount received cannot be used."""
        return self._change

    def can_accept(self) -> bool:
        return self._change is not None

    def set_language(self, language: Language) -> None:
        """Show the texts that come from the domain (input errors) in ``language``."""
        self._language = Language(language)
        self._update_change(self._received_edit.text())

    # -- QDialog ------------------------------------------------------------------------------
    def accept(self) -> None:
        """✓ and Enter: close only with an amount that covers the amount due."""
        if not self.can_accept():
            log.info(
                "change dialog: confirm refused, received %r for %s due: %s",
                self._received_edit.text(),
                format_amount(self._due),
                self._error_text or "not usable",
            )
            self._received_edit.setFocus()
            return
        log.info(
            "change dialog: received %s for %s due, change %s",
            format_amount(self.received()),
            format_amount(self._due),
            format_amount(self._change or Decimal(0)),
        )
        super().accept()

    def reject(self) -> None:
        log.info("change dialog: cancelled")
        super().reject()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # The line edit passes Enter on to the dialog; there is no default button, so the
        # dialog confirms itself (accept() refuses an amount that cannot be used).
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.accept()
            event.accept()
            return
        super().keyPressEvent(event)  # Esc rejects

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._reserve_error_space()
        self._received_edit.setFocus(Qt.FocusReason.ActiveWindowFocusReason)

    # -- keypad -------------------------------------------------------------------------------
    def _type_key(self, text: str) -> None:
        self._received_edit.insert(text)  # replaces the selection, as typing does
        self._received_edit.setFocus()

    def _delete_left(self) -> None:
        self._received_edit.backspace()
        self._received_edit.setFocus()

    # -- validation ---------------------------------------------------------------------------
    def _update_change(self, text: str) -> None:
        self._received = None
        self._change = None
        self._below_due = False
        self._error_text = ""
        try:
            received = parse_amount(text)
        except AmountInputError as exc:
            self._error_text = exc.text.get(self._language)
            log.debug("change dialog: %r is not an amount: %s", text, exc.text.en)
        else:
            if received < self._due:
                self._below_due = True
                self._error_text = self._below_due_text()
            else:
                self._received = received
                self._change = change_due(received, self._due)
        self._show_state()

    def _below_due_text(self) -> str:
        return self.tr("Получено меньше суммы к оплате ({due}).").format(due=format_rub(self._due))

    def _show_state(self) -> None:
        valid = self._change is not None
        self._change_label.setText(
            format_amount(self._change) if self._change is not None else NO_CHANGE_TEXT
        )
        self._error_label.setText(self._error_text)
        self._reserve_error_space()
        theme.set_invalid(self._received_edit, not valid)
        self._keypad.set_confirm_enabled(valid)

    def _reserve_error_space(self) -> None:
        """Keep room for a two-line message (the keypad does not jump) and grow for a longer one."""
        label = self._error_label
        label.ensurePolished()  # the style sheet's font decides the line height
        height = label.fontMetrics().lineSpacing() * 2 + 8
        if label.isVisible() and label.text():
            height = max(height, label.heightForWidth(label.width()))
        label.setMinimumHeight(height)

    # -- texts ---------------------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        title = self.tr("ПОДСЧЕТ СДАЧИ")
        self.setWindowTitle(title)
        self._header.setText(title)
        self._due_label.setText(self.tr("К оплате: {amount}").format(amount=format_rub(self._due)))
        self._received_caption.setText(self.tr("Получено:"))
        self._change_caption.setText(self.tr("Сдача:"))
        self._received_edit.setAccessibleName(self.tr("Получено"))
        self._received_edit.setToolTip(
            self.tr("Сумма, полученная от покупателя. Enter — подтвердить, Esc — отмена.")
        )
        self._change_label.setAccessibleName(self.tr("Сдача"))
        if self._below_due:
            self._error_text = self._below_due_text()
            self._error_label.setText(self._error_text)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
