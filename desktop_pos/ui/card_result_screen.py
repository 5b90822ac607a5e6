"""РЕЗУЛЬТАТ of a card payment: the order's outcome with the card slip's data.

«Информация о заказе» as on the cash / SBP result screen (status, amount, method, date, order and
transaction numbers, the reason of a decline) and, under it, «Данные карты» from the stored card
attempt: payment system and masked number, cardholder, AID and application, entry mode and
verification, TVR, TSI, RRN, authorization code and response code.

The buttons depend on the outcome:

* Approved: «Новый заказ» (Enter, Esc), «Печать слипа» (a copy of the card slip), «Печать чека»
  (Ctrl+P, the receipt preview);
* Declined: «Повторить оплату» (Enter: a new attempt of the same order, e.g. after the buyer topped
  up the card or with another card), «Другой способ оплаты» (Esc: back to the order), «Печать
  слипа» (the slip says ОТКЛОНЕН);
* In Process: the status «В процессе» turns a refresh indicator while the flow polls; «Новый
  заказ» is offered only after ``set_leave_allowed`` (the order stays in the journal and the sync
  worker settles it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop_pos.models.money import format_rub
from desktop_pos.models.payment import OrderState, PaymentMethod
from desktop_pos.models.texts import Language, LocalizedText
from desktop_pos.services.store_card import StoredCardPayment
from desktop_pos.ui import theme
from desktop_pos.ui.result_screen import DATE_FORMAT, EMPTY_VALUE, tone_of

_SPINNER = "◐◓◑◒"
_ORDER_ROWS = (
    "statusValue",
    "amountValue",
    "methodValue",
    "dateValue",
    "orderNumberValue",
    "transactionValue",
    "infoValue",
)
_CARD_ROWS = (
    "cardValue",
    "cardholderValue",
    "aidValue",
    "entryValue",
    "tvrValue",
    "tsiValue",
    "rrnValue",
    "authCodeValue",
    "responseCodeValue",
)
_ENTRY = {
    "nfc": LocalizedText("бесконтактно (NFC)", "contactless (NFC)"),
    "chip": LocalizedText("чип", "chip"),
    "magstripe": LocalizedText("магнитная полоса", "magnetic stripe"),
}
_CVM = {
    "pin": LocalizedText("PIN-код", "PIN"),
    "signature": LocalizedText("подпись", "signature"),
    "none": LocalizedText("без проверки", "no verification"),
}


@dataclass(frozen=True, slots=True)
class CardResultView:
    """What the screen shows; ``card`` is the stored attempt (None if it was never stored)."""

    order_number: str
    state: OrderState
    amount: Decimal
    date: datetime
    transaction_number: str = ""
    reason: LocalizedText | None = None
    card: StoredCardPayment | None = None
    retry_allowed: bool = False


class CardResultScreen(QWidget):
    """Signals: ``new_order_requested``, ``retry_requested``, ``other_method_requested``,
    ``print_slip_requested``, ``print_requested`` (the receipt preview)."""

    new_order_requested = Signal()
    retry_requested = Signal()
    other_method_requested = Signal()
    print_slip_requested = Signal()
    print_requested = Signal()

    def __init__(self, parent: QWidget | None = None, *, language: Language = Language.RU) -> None:
        super().__init__(parent)
        self.setObjectName("cardResultScreen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._language = Language(language)
        self._view: CardResultView | None = None
        self._leave_allowed = False
        self._spin = 0
        self._captions: dict[str, QLabel] = {}
        self._values: dict[str, QLabel] = {}

        self._order_title = QLabel()
        self._order_title.setObjectName("orderInfoTitle")
        self._card_title = QLabel()
        self._card_title.setObjectName("cardInfoTitle")
        for title in (self._order_title, self._card_title):
            theme.set_role(title, theme.ROLE_SECTION)
        self._indicator = QLabel()
        self._indicator.setObjectName("refreshIndicator")
        self._spinner = QTimer(self)
        self._spinner.setInterval(250)
        self._spinner.timeout.connect(self._turn_spinner)

        column = QWidget()
        column.setObjectName("cardResultColumn")
        column.setMaximumWidth(theme.CONTENT_MAX_WIDTH)
        column_layout = QVBoxLayout(column)
        column_layout.setContentsMargins(theme.MARGIN, theme.MARGIN, theme.MARGIN, theme.MARGIN)
        column_layout.setSpacing(theme.SPACING)
        column_layout.addWidget(self._order_title)
        column_layout.addLayout(self._grid(_ORDER_ROWS))
        column_layout.addWidget(self._card_title)
        column_layout.addLayout(self._grid(_CARD_ROWS))
        column_layout.addStretch(1)
        status_font = self._values["statusValue"].font()
        status_font.setBold(True)
        self._values["statusValue"].setFont(status_font)

        content = QWidget()
        content_layout = QHBoxLayout(content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.addStretch(1)
        content_layout.addWidget(column, 8)
        content_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setObjectName("cardResultScroll")
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setWidget(content)

        self._buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        row.setContentsMargins(theme.MARGIN, theme.SPACING, theme.MARGIN, theme.MARGIN)
        row.setSpacing(theme.SPACING)
        for name, role, signal in (
            ("newOrderButton", theme.ROLE_SECONDARY, self.new_order_requested),
            ("otherMethodButton", theme.ROLE_SECONDARY, self.other_method_requested),
            ("printSlipButton", theme.ROLE_SECONDARY, self.print_slip_requested),
            ("printButton", theme.ROLE_SECONDARY, self.print_requested),
            ("retryButton", theme.ROLE_PRIMARY, self.retry_requested),
        ):
            button = QPushButton()
            button.setObjectName(name)
            theme.set_role(button, role)
            button.setMinimumHeight(theme.BUTTON_MIN_HEIGHT)
            button.setMinimumWidth(200)
            button.setAutoDefault(True)  # Enter presses the focused button
            button.clicked.connect(signal)
            self._buttons[name] = button
            row.addWidget(button)
            if name == "otherMethodButton":
                row.addStretch(1)
        self._buttons["newOrderButton"].setIcon(theme.arrow_left_icon(theme.COLOR_HEADER))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(scroll, 1)
        layout.addLayout(row)
        print_key = QShortcut(QKeySequence("Ctrl+P"), self)
        print_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        print_key.activated.connect(self._print_if_shown)
        self.retranslate_ui()

    def _grid(self, names: tuple[str, ...]) -> QGridLayout:
        grid = QGridLayout()
        grid.setHorizontalSpacing(theme.SPACING * 2)
        grid.setVerticalSpacing(theme.SPACING // 2)
        for row, name in enumerate(names):
            caption = QLabel()
            caption.setObjectName(name.replace("Value", "Caption"))
            theme.set_role(caption, theme.ROLE_FIELD_LABEL)
            value = QLabel(EMPTY_VALUE)
            value.setObjectName(name)
            theme.set_role(value, theme.ROLE_VALUE)
            value.setWordWrap(True)
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(caption, row, 0, Qt.AlignmentFlag.AlignTop)
            if name == "statusValue":
                line = QHBoxLayout()
                line.addWidget(value)
                line.addWidget(self._indicator)
                line.addStretch(1)
                grid.addLayout(line, row, 1)
            else:
                grid.addWidget(value, row, 1)
            self._captions[name] = caption
            self._values[name] = value
        grid.setColumnMinimumWidth(0, 190)  # both sections' values in one column
        grid.setColumnStretch(1, 1)
        return grid

    # -- public API ---------------------------------------------------------------------------
    def show_view(self, view: CardResultView) -> None:
        """Show an outcome; In Process starts the refresh indicator, a final state stops it."""
        self._view = view
        if view.state is OrderState.IN_PROCESS:
            if not self._spinner.isActive():
                self._spinner.start()
                self._turn_spinner()
        else:
            self._spinner.stop()
            self._indicator.clear()
            self._leave_allowed = False
        self._show_values()
        self._show_buttons()
        self._focus_default()

    def view(self) -> CardResultView | None:
        return self._view

    def set_leave_allowed(self, allowed: bool) -> None:
        """In Process: offer «Новый заказ» (the polling goes on until the screen is left)."""
        self._leave_allowed = allowed
        self._show_buttons()

    def visible_buttons(self) -> list[str]:
        return [name for name, button in self._buttons.items() if not button.isHidden()]

    def value(self, name: str) -> str:
        return self._values[name].text()

    def polling_shown(self) -> bool:
        return self._spinner.isActive()

    def stop(self) -> None:
        self._spinner.stop()

    def set_language(self, language: Language) -> None:
        self._language = Language(language)
        self._show_values()

    # -- rendering -------------------------------------------------------------------------------
    def _set(self, name: str, text: str | None) -> None:
        self._values[name].setText(text or EMPTY_VALUE)

    def _show_values(self) -> None:
        view, lang = self._view, self._language
        if view is None:
            return
        status = self._values["statusValue"]
        status.setText(view.state.display.get(lang))
        theme.set_tone(status, tone_of(view.state))
        self._set("amountValue", format_rub(view.amount))
        self._set("methodValue", PaymentMethod.CARD_READER.result_text.get(lang))
        self._set("dateValue", view.date.astimezone().strftime(DATE_FORMAT))
        self._set("orderNumberValue", view.order_number)
        self._set("transactionValue", view.transaction_number)
        info = view.reason.get(lang) if view.reason is not None else ""
        if view.state is OrderState.IN_PROCESS and not info:
            info = self.tr("Ответ банка ещё не получен: статус обновляется автоматически.")
        self._set("infoValue", info)
        card = view.card
        self._card_title.setVisible(card is not None)
        for name in _CARD_ROWS:
            self._values[name].setVisible(card is not None)
            self._captions[name].setVisible(card is not None)
        if card is None:
            return
        label = card.application_label
        self._set("cardValue", f"{card.brand} {card.masked_pan}")
        self._set("cardholderValue", card.cardholder)
        self._set("aidValue", f"{card.aid} {label}".strip())
        entry = _ENTRY.get(card.entry_mode, LocalizedText(card.entry_mode, card.entry_mode))
        cvm = _CVM.get(card.cvm, LocalizedText(card.cvm, card.cvm))
        self._set("entryValue", f"{entry.get(lang)}, {cvm.get(lang)}")
        self._set("tvrValue", card.tvr)
        self._set("tsiValue", card.tsi)
        self._set("rrnValue", card.rrn)
        self._set("authCodeValue", card.auth_code)
        self._set("responseCodeValue", card.issuer_response_code or card.response_code)

    def _show_buttons(self) -> None:
        view = self._view
        state = view.state if view is not None else None
        approved = state is OrderState.APPROVED
        declined = state is not None and state is not OrderState.IN_PROCESS and not approved
        shown = {
            "newOrderButton": approved or (state is OrderState.IN_PROCESS and self._leave_allowed),
            "otherMethodButton": declined,
            "printSlipButton": (view is not None and view.card is not None and view.state.is_final),
            "printButton": approved,
            "retryButton": declined and view is not None and view.retry_allowed,
        }
        for name, button in self._buttons.items():
            button.setVisible(shown[name])

    def _focus_default(self) -> None:
        if not self.isVisible():
            return
        for name in ("retryButton", "newOrderButton", "otherMethodButton"):
            button = self._buttons[name]
            if not button.isHidden():
                button.setFocus(Qt.FocusReason.OtherFocusReason)
                return
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def _turn_spinner(self) -> None:
        self._spin = (self._spin + 1) % len(_SPINNER)
        self._indicator.setText(_SPINNER[self._spin])

    def _print_if_shown(self) -> None:
        if not self._buttons["printButton"].isHidden():
            self.print_requested.emit()

    # -- keyboard ---------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Escape:
            for name in ("newOrderButton", "otherMethodButton"):
                if not self._buttons[name].isHidden():
                    event.accept()
                    self._buttons[name].click()
                    return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            for name in ("retryButton", "newOrderButton", "otherMethodButton"):
                if not self._buttons[name].isHidden():
                    event.accept()
                    self._buttons[name].click()
                    return
        super().keyPressEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._focus_default()

    # -- texts ------------------------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        self._order_title.setText(self.tr("Информация о заказе"))
        self._card_title.setText(self.tr("Данные карты"))
        captions = {
            "statusValue": self.tr("Статус заказа:"),
            "amountValue": self.tr("Сумма заказа:"),
            "methodValue": self.tr("Способ оплаты:"),
            "dateValue": self.tr("Дата заказа:"),
            "orderNumberValue": self.tr("Номер заказа:"),
            "transactionValue": self.tr("Номер транзакции:"),
            "infoValue": self.tr("Информация:"),
            "cardValue": self.tr("Карта:"),
            "cardholderValue": self.tr("Держатель карты:"),
            "aidValue": self.tr("AID:"),
            "entryValue": self.tr("Способ:"),
            "tvrValue": self.tr("TVR:"),
            "tsiValue": self.tr("TSI:"),
            "rrnValue": self.tr("RRN:"),
            "authCodeValue": self.tr("Код авторизации:"),
            "responseCodeValue": self.tr("Код ответа:"),
        }
        for name, text in captions.items():
            self._captions[name].setText(text)
        texts = {
            "newOrderButton": (self.tr("Новый заказ"), self.tr("Вернуться к новому заказу (Esc)")),
            "otherMethodButton": (
                self.tr("Другой способ оплаты"),
                self.tr("Вернуться к заказу и выбрать другой способ оплаты (Esc)"),
            ),
            "printSlipButton": (self.tr("Печать слипа"), self.tr("Напечатать копию слипа")),
            "printButton": (self.tr("Печать чека"), self.tr("Напечатать чек (Ctrl+P)")),
            "retryButton": (
                self.tr("Повторить оплату"),
                self.tr("Новая попытка оплаты этого заказа картой (Enter)"),
            ),
        }
        for name, (text, tip) in texts.items():
            self._buttons[name].setText(text)
            self._buttons[name].setToolTip(tip)
        self._indicator.setToolTip(self.tr("Статус обновляется автоматически"))
        self._show_values()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
