"""РЕЗУЛЬТАТ: the outcome of a payment, laid out as on the Assist mPOS result screen.

«Информация о заказе» lists status, amount, prepayment, payment method, date (local time), order
and transaction numbers and free-form information (for cash: the amount received and the change).
Values can be selected with the mouse, so a number can be copied. «Печать чека» (Ctrl+P) asks for a
receipt; «Новый заказ» (also Enter and Esc) goes back to a fresh order. Enter on a focused button
presses that button; the back button has the focus when the screen appears.
"""

from __future__ import annotations

import logging
import re

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop_pos.models.money import ZERO, format_amount, format_rub
from desktop_pos.models.payment import OrderState
from desktop_pos.models.result import PaymentResult
from desktop_pos.models.texts import Language
from desktop_pos.ui import theme

log = logging.getLogger(__name__)

DATE_FORMAT = "%d.%m.%Y %H:%M:%S"
EMPTY_VALUE = "-"
"""What Assist mPOS shows for a value that does not apply (Предоплата: -)."""

_LONG_TOKEN = re.compile(r"\S{33,}")
_ZERO_WIDTH_SPACE = "\u200b"

_PENDING_STATES = frozenset({OrderState.NEW, OrderState.IN_PROCESS})

# objectNames of the value labels, top to bottom; each caption is named "...Caption".
_ROWS = (
    "statusValue",
    "amountValue",
    "prepaidValue",
    "methodValue",
    "dateValue",
    "orderNumberValue",
    "transactionValue",
    "infoValue",
)


def _breakable(text: str) -> str:
    """Let a word-wrapped label break very long unbroken values (merchant order numbers)."""

    def split(match: re.Match[str]) -> str:
        token = match.group(0)
        return _ZERO_WIDTH_SPACE.join(token[i : i + 16] for i in range(0, len(token), 16))

    return _LONG_TOKEN.sub(split, text)


def tone_of(state: OrderState) -> str:
    """success for a paid order, pending while the outcome is not known yet, else failure."""
    if state.is_paid:
        return theme.TONE_SUCCESS
    if state in _PENDING_STATES:
        return theme.TONE_PENDING
    return theme.TONE_FAILURE


class ResultScreen(QWidget):
    """Shows one ``PaymentResult``; emits ``print_requested`` and ``new_order_requested``."""

    print_requested = Signal()
    new_order_requested = Signal()

    def __init__(self, parent: QWidget | None = None, *, language: Language = Language.RU) -> None:
        super().__init__(parent)
        self.setObjectName("resultScreen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._language = Language(language)
        self._result: PaymentResult | None = None

        self._header = QLabel()
        self._header.setObjectName("resultHeader")
        theme.set_role(self._header, theme.ROLE_HEADER)

        self._section = QLabel()
        self._section.setObjectName("orderInfoTitle")
        theme.set_role(self._section, theme.ROLE_SECTION)

        self._captions: dict[str, QLabel] = {}
        self._values: dict[str, QLabel] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(theme.SPACING * 2)
        grid.setVerticalSpacing(theme.SPACING)
        for row, name in enumerate(_ROWS):
            caption = QLabel()
            caption.setObjectName(name.replace("Value", "Caption"))
            theme.set_role(caption, theme.ROLE_FIELD_LABEL)
            caption.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            value = QLabel(EMPTY_VALUE)
            value.setObjectName(name)
            theme.set_role(value, theme.ROLE_VALUE)
            value.setWordWrap(True)
            value.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            caption.setBuddy(value)
            grid.addWidget(caption, row, 0)
            grid.addWidget(value, row, 1)
            self._captions[name] = caption
            self._values[name] = value
        grid.setColumnStretch(1, 1)
        status_font = self._values["statusValue"].font()
        status_font.setBold(True)
        self._values["statusValue"].setFont(status_font)

        column = QWidget()
        column.setObjectName("resultColumn")
        column.setMaximumWidth(theme.CONTENT_MAX_WIDTH)
        column_layout = QVBoxLayout(column)
        column_layout.setContentsMargins(theme.MARGIN, theme.MARGIN, theme.MARGIN, theme.MARGIN)
        column_layout.setSpacing(theme.SPACING)
        column_layout.addWidget(self._section)
        column_layout.addLayout(grid)
        column_layout.addStretch(1)

        content = QWidget()
        content.setObjectName("resultContent")
        content_layout = QHBoxLayout(content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.addStretch(1)
        content_layout.addWidget(column, 8)  # up to CONTENT_MAX_WIDTH, centred
        content_layout.addStretch(1)

        scroll = QScrollArea()
        scroll.setObjectName("resultScroll")
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setWidget(content)

        self._back_button = QPushButton()
        self._back_button.setObjectName("backButton")
        self._back_button.setIcon(theme.arrow_left_icon(theme.COLOR_HEADER))
        self._back_button.setIconSize(QSize(24, 24))
        theme.set_role(self._back_button, theme.ROLE_SECONDARY)
        self._print_button = QPushButton()
        self._print_button.setObjectName("printButton")
        theme.set_role(self._print_button, theme.ROLE_PRIMARY)
        for button in (self._back_button, self._print_button):
            button.setMinimumHeight(theme.BUTTON_MIN_HEIGHT)
            button.setMinimumWidth(220)
            button.setAutoDefault(True)  # Enter presses the focused button
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        buttons = QHBoxLayout()
        buttons.setContentsMargins(theme.MARGIN, theme.SPACING, theme.MARGIN, theme.MARGIN)
        buttons.setSpacing(theme.SPACING)
        buttons.addWidget(self._back_button)
        buttons.addStretch(1)
        buttons.addWidget(self._print_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._header)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)

        self.setTabOrder(self._back_button, self._print_button)
        self.setFocusProxy(self._back_button)

        self._print_shortcut = QShortcut(QKeySequence("Ctrl+P"), self)
        self._print_shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        self._print_shortcut.activated.connect(self._print_button.click)

        self._back_button.clicked.connect(self.new_order_requested)
        self._print_button.clicked.connect(self.print_requested)

        self.retranslate_ui()

    # -- public API ---------------------------------------------------------------------------
    def show_result(self, result: PaymentResult) -> None:
        """Show ``result``; the back button takes the focus if the screen is visible."""
        self._result = result
        self._show_values()
        log.info(
            "result screen: order %s, %s, %s",
            result.order_number,
            result.state.value,
            format_amount(result.amount),
        )
        if self.isVisible():
            self._back_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def result(self) -> PaymentResult | None:
        return self._result

    def set_header_visible(self, visible: bool) -> None:
        """Hide the screen's own «РЕЗУЛЬТАТ» bar when the window already shows the screen title."""
        self._header.setVisible(visible)

    def set_language(self, language: Language) -> None:
        """Show the domain's texts (status, method, information) in ``language``."""
        self._language = Language(language)
        self._show_values()

    # -- rendering -------------------------------------------------------------------------------
    def _set_value(self, name: str, text: str) -> None:
        self._values[name].setText(_breakable(text) if text else EMPTY_VALUE)

    def _show_values(self) -> None:
        result = self._result
        if result is None:
            for name in _ROWS:
                self._values[name].setText(EMPTY_VALUE)
            theme.set_tone(self._values["statusValue"], "")
            return
        status = self._values["statusValue"]
        status.setText(result.state.display.get(self._language))
        theme.set_tone(status, tone_of(result.state))
        self._set_value("amountValue", format_rub(result.total))
        self._set_value(
            "prepaidValue", format_rub(result.prepaid) if result.prepaid else EMPTY_VALUE
        )
        self._set_value("methodValue", result.method.result_text.get(self._language))
        self._set_value("dateValue", result.order_date.astimezone().strftime(DATE_FORMAT))
        self._set_value("orderNumberValue", result.order_number)
        self._set_value("transactionValue", result.transaction_number)
        self._set_value("infoValue", self._info_text(result))

    def _info_text(self, result: PaymentResult) -> str:
        lines: list[str] = []
        if result.received is not None:
            lines.append(
                self.tr("Получено: {received}, сдача: {change}").format(
                    received=format_rub(result.received),
                    change=format_rub(result.change if result.change is not None else ZERO),
                )
            )
        if result.info is not None:
            info = result.info.get(self._language).strip()
            if info:
                lines.append(info)
        return "\n".join(lines)

    # -- keyboard -------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Reached when no focused button took the key: Enter and Esc both start a new order.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape):
            event.accept()
            self._back_button.click()
            return
        super().keyPressEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._back_button.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- texts ---------------------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        self._header.setText(self.tr("РЕЗУЛЬТАТ"))
        self._section.setText(self.tr("Информация о заказе"))
        captions = {
            "statusValue": self.tr("Статус заказа:"),
            "amountValue": self.tr("Сумма заказа:"),
            "prepaidValue": self.tr("Предоплата:"),
            "methodValue": self.tr("Способ оплаты:"),
            "dateValue": self.tr("Дата заказа:"),
            "orderNumberValue": self.tr("Номер заказа:"),
            "transactionValue": self.tr("Номер транзакции:"),
            "infoValue": self.tr("Информация:"),
        }
        for name, text in captions.items():
            self._captions[name].setText(text)
        self._print_button.setText(self.tr("Печать чека"))
        self._print_button.setToolTip(self.tr("Напечатать чек (Ctrl+P)"))
        self._back_button.setText(self.tr("Новый заказ"))
        self._back_button.setToolTip(self.tr("Вернуться к новому заказу (Enter, Esc)"))
        self._show_values()  # the information line is built from translated text

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
