"""ПРОВЕДЕНИЕ ПЛАТЕЖА: the card payment while the reader works.

As on the Assist mPOS screen: «Детальная информация» is a log with a line «- > …» for every
message of the reader («- > Пожалуйста, вставьте/прокатайте/приложите карту.», «- > Вставлена
чиповая карта.», «- > Пожалуйста, подождите...»). Above it: the order number and the amount, the
card once it is read (payment system, masked number, entry mode, verification) and, large, what
the reader's own screen says now. A banner warns of a low reader battery. «Отменить оплату» (Esc)
asks to cancel. When the outcome is not known yet the status «В процессе» turns a refresh
indicator, as on the QR screen. The signature pad, when the card asks for a signature, takes the
whole screen (``show_signature``).

The screen only shows; the card payment flow drives it.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_pos.hardware.reader.messages import CardRead, Cvm, DisplayCode, DisplayText
from desktop_pos.models.card_display_texts import (
    cvm_text,
    display_text,
    entry_mode_text,
    log_line,
    low_battery_text,
)
from desktop_pos.models.money import format_rub
from desktop_pos.models.order import Order
from desktop_pos.models.payment import OrderState
from desktop_pos.models.texts import Language, LocalizedText
from desktop_pos.ui import theme
from desktop_pos.ui.result_screen import tone_of

log = logging.getLogger(__name__)

_SPINNER = "◐◓◑◒"
_PROGRESS_PAGE = 0
_SIGNATURE_PAGE = 1
MAX_LOG_LINES = 200
"""Older lines are dropped: a payment never writes as many."""


class CardPaymentScreen(QWidget):
    """Emits ``cancel_requested`` on «Отменить оплату» or Esc."""

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None, *, language: Language = Language.RU) -> None:
        super().__init__(parent)
        self.setObjectName("cardPaymentScreen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._language = Language(language)
        self._order: Order | None = None
        self._lines: list[LocalizedText] = []
        self._reader_text: LocalizedText | None = None
        self._reader_wording = ""
        self._card: CardRead | None = None
        self._cvm: Cvm | None = None
        self._battery_level: int | None = None
        self._battery_low = False
        self._state: OrderState | None = None
        self._status_note: LocalizedText | None = None
        self._spin = 0
        self._signature: QWidget | None = None

        self._pages = QStackedWidget(self)
        self._pages.addWidget(self._build_progress_page())
        self._signature_page = QWidget()
        self._signature_page.setObjectName("cardSignaturePage")
        self._signature_layout = QVBoxLayout(self._signature_page)
        self._signature_layout.setContentsMargins(0, 0, 0, 0)
        self._pages.addWidget(self._signature_page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._pages)

        self._spinner_timer = QTimer(self)
        self._spinner_timer.setInterval(250)
        self._spinner_timer.timeout.connect(self._turn_spinner)
        self.setFocusProxy(self._cancel_button)
        self.retranslate_ui()
        if parent is None:  # on its own it opens at the window's size; in the window, the stack's
            self.resize(1280, 800)  # (no sizeHint in Python: layouts ask for it many times)

    # -- construction -----------------------------------------------------------------------
    def _build_progress_page(self) -> QWidget:
        page = QWidget()
        page.setObjectName("cardProgressPage")
        self._header = QLabel()
        self._header.setObjectName("cardPaymentHeader")
        theme.set_role(self._header, theme.ROLE_HEADER)

        self._battery_banner = QLabel()
        self._battery_banner.setObjectName("lowBatteryBanner")
        self._battery_banner.setWordWrap(True)
        self._battery_banner.hide()

        grid = QGridLayout()
        grid.setHorizontalSpacing(theme.SPACING * 2)
        grid.setVerticalSpacing(theme.SPACING // 2)
        self._captions: dict[str, QLabel] = {}
        self._values: dict[str, QLabel] = {}
        for row, name in enumerate(("orderNumberValue", "amountValue", "cardValue")):
            caption = QLabel()
            caption.setObjectName(name.replace("Value", "Caption"))
            theme.set_role(caption, theme.ROLE_FIELD_LABEL)
            value = QLabel()
            value.setObjectName(name)
            theme.set_role(value, theme.ROLE_VALUE)
            value.setWordWrap(True)
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(caption, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(value, row, 1)
            self._captions[name] = caption
            self._values[name] = value
        grid.setColumnStretch(1, 1)

        self._reader_caption = QLabel()
        self._reader_caption.setObjectName("readerDisplayCaption")
        theme.set_role(self._reader_caption, theme.ROLE_FIELD_LABEL)
        self._reader_display = QLabel()
        self._reader_display.setObjectName("readerDisplay")
        self._reader_display.setWordWrap(True)
        self._reader_display.setTextFormat(Qt.TextFormat.PlainText)
        self._reader_display.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._reader_display.setMinimumHeight(96)
        self._reader_wording_label = QLabel()
        self._reader_wording_label.setObjectName("readerWording")
        self._reader_wording_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._reader_wording_label.setTextFormat(Qt.TextFormat.PlainText)

        self._status_caption = QLabel()
        self._status_caption.setObjectName("cardStatusCaption")
        self._status_value = QLabel()
        self._status_value.setObjectName("cardStatusValue")
        self._refresh_indicator = QLabel()
        self._refresh_indicator.setObjectName("refreshIndicator")
        self._status_note_label = QLabel()
        self._status_note_label.setObjectName("cardStatusNote")
        self._status_note_label.setWordWrap(True)
        status = QHBoxLayout()
        status.setSpacing(theme.SPACING)
        status.addWidget(self._status_caption)
        status.addWidget(self._status_value)
        status.addWidget(self._refresh_indicator)
        status.addWidget(self._status_note_label, 1)
        self._status_row = QWidget()
        self._status_row.setObjectName("cardStatusRow")
        self._status_row.setLayout(status)
        status.setContentsMargins(0, 0, 0, 0)
        self._status_row.hide()

        self._log_title = QLabel()
        self._log_title.setObjectName("progressLogTitle")
        theme.set_role(self._log_title, theme.ROLE_SECTION)
        self._log = QListWidget()
        self._log.setObjectName("progressLog")
        self._log.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._log.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self._log.setWordWrap(True)
        self._log.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self._cancel_button = QPushButton()
        self._cancel_button.setObjectName("cancelPaymentButton")
        theme.set_role(self._cancel_button, theme.ROLE_CANCEL)
        self._cancel_button.setMinimumSize(260, theme.BUTTON_MIN_HEIGHT)
        self._cancel_button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._cancel_button.setAutoDefault(True)
        self._cancel_button.clicked.connect(self._request_cancel)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(theme.MARGIN, theme.SPACING, theme.MARGIN, theme.MARGIN)
        buttons.addStretch(1)
        buttons.addWidget(self._cancel_button)

        left = QVBoxLayout()
        left.setSpacing(theme.SPACING)
        left.addLayout(grid)
        left.addWidget(self._reader_caption)
        left.addWidget(self._reader_display)
        left.addWidget(self._reader_wording_label)
        left.addWidget(self._status_row)
        left.addStretch(1)
        right = QVBoxLayout()
        right.setSpacing(theme.SPACING)
        right.addWidget(self._log_title)
        right.addWidget(self._log, 1)
        body = QHBoxLayout()
        body.setContentsMargins(theme.MARGIN, theme.MARGIN, theme.MARGIN, 0)
        body.setSpacing(theme.MARGIN * 2)
        body.addLayout(left, 5)
        body.addLayout(right, 6)

        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._header)
        layout.addWidget(self._battery_banner)
        layout.addLayout(body, 1)
        layout.addLayout(buttons)
        return page

    # -- public API: the payment ----------------------------------------------------------------
    def start(self, order: Order) -> None:
        """A new payment of ``order``: empty log, nothing from the reader yet."""
        self._order = order
        self._lines.clear()
        self._log.clear()
        self._reader_text = None
        self._reader_wording = ""
        self._card = None
        self._cvm = None
        self._state = None
        self._status_note = None
        self._spinner_timer.stop()
        self._refresh_indicator.clear()
        self._status_row.hide()
        self._cancel_button.setEnabled(True)
        self.hide_signature()
        self._show_values()
        log.info("card payment screen: order %s", order.number)

    def order(self) -> Order | None:
        return self._order

    def append_reader_text(self, text: DisplayCode | DisplayText | LocalizedText) -> None:
        """A message of the reader: a «- > …» line in the log and the reader's current text.

        ``DisplayText`` also shows the reader's own wording ("PRESENT CARD") under the text."""
        wording = ""
        if isinstance(text, DisplayText):
            wording = text.text.strip()
            text = text.code
        localized = text if isinstance(text, LocalizedText) else display_text(DisplayCode(text))
        self._reader_text = localized
        self._reader_wording = wording
        self.append_log(localized)
        self._show_reader_text()

    def append_log(self, text: LocalizedText) -> None:
        """A line in «Детальная информация» that does not change the reader's current text."""
        self._lines.append(text)
        if len(self._lines) > MAX_LOG_LINES:
            del self._lines[0]
            self._log.takeItem(0)
        item = QListWidgetItem(log_line(text).get(self._language))
        self._log.addItem(item)
        self._log.scrollToBottom()

    def log_lines(self) -> list[str]:
        """The log as shown, one «- > …» string per line."""
        return [self._log.item(row).text() for row in range(self._log.count())]

    def reader_text(self) -> str:
        return self._reader_display.text()

    def show_card(self, card: CardRead) -> None:
        """The card as read: payment system, masked number, application, entry mode."""
        self._card = card
        self._show_values()

    def show_cvm(self, cvm: Cvm) -> None:
        self._cvm = Cvm(cvm)
        self._show_values()

    def set_battery(self, level: int | None, low: bool) -> None:
        """The reader's battery; ``low`` shows the low-battery banner."""
        self._battery_level = level
        self._battery_low = low
        self._show_battery()

    def low_battery_shown(self) -> bool:
        return not self._battery_banner.isHidden()

    def show_in_process(self, note: LocalizedText | None = None) -> None:
        """The outcome is not known yet: «Статус заказа: В процессе» with the refresh indicator.

        Cancelling is no longer possible: the gateway may have approved the payment."""
        self._state = OrderState.IN_PROCESS
        self._status_note = note
        self._status_row.show()
        self._cancel_button.setEnabled(False)
        if not self._spinner_timer.isActive():
            self._spinner_timer.start()
            self._turn_spinner()
        self._show_status()

    def show_final_state(self, state: OrderState, note: LocalizedText | None = None) -> None:
        """A final status (e.g. after the polling); the refresh indicator stops."""
        self._state = state
        self._status_note = note
        self._status_row.show()
        self._spinner_timer.stop()
        self._refresh_indicator.clear()
        self._show_status()

    def in_process_shown(self) -> bool:
        return self._spinner_timer.isActive()

    def refresh_indicator_text(self) -> str:
        return self._refresh_indicator.text()

    def set_cancel_enabled(self, enabled: bool) -> None:
        """The flow disables cancelling once the authorization is under way."""
        self._cancel_button.setEnabled(enabled)

    def cancel_enabled(self) -> bool:
        return self._cancel_button.isEnabled()

    def stop(self) -> None:
        """The screen is left: no more indicator ticks."""
        self._spinner_timer.stop()

    # -- public API: the signature --------------------------------------------------------------
    def show_signature(self, pad: QWidget) -> None:
        """Show ``pad`` (a ``SignaturePad``) over the whole screen, with the keyboard focus."""
        if self._signature is not None and self._signature is not pad:
            self.hide_signature()
        self._signature = pad
        if pad.parent() is not self._signature_page:
            self._signature_layout.addWidget(pad)
        pad.show()
        self._pages.setCurrentIndex(_SIGNATURE_PAGE)
        pad.setFocus(Qt.FocusReason.OtherFocusReason)

    def hide_signature(self) -> None:
        """Back to the progress; the pad is taken out (its owner decides what becomes of it)."""
        pad = self._signature
        self._signature = None
        if pad is not None:
            self._signature_layout.removeWidget(pad)
            pad.hide()
            pad.setParent(None)
        self._pages.setCurrentIndex(_PROGRESS_PAGE)
        if self.isVisible():
            self._cancel_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def signature_shown(self) -> bool:
        return self._pages.currentIndex() == _SIGNATURE_PAGE

    def current_page(self) -> str:
        page = self._pages.currentWidget()
        return page.objectName() if page is not None else ""

    # -- language --------------------------------------------------------------------------------
    def set_language(self, language: Language) -> None:
        """Show the domain's texts (the log, the reader's text, the banner) in ``language``."""
        self._language = Language(language)
        self._log.clear()
        for line in self._lines:
            self._log.addItem(QListWidgetItem(log_line(line).get(self._language)))
        self._log.scrollToBottom()
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self._header.setText(self.tr("ПРОВЕДЕНИЕ ПЛАТЕЖА"))
        self._log_title.setText(self.tr("Детальная информация"))
        self._captions["orderNumberValue"].setText(self.tr("Номер заказа:"))
        self._captions["amountValue"].setText(self.tr("К оплате*:"))
        self._captions["cardValue"].setText(self.tr("Карта:"))
        self._reader_caption.setText(self.tr("На экране картридера:"))
        self._status_caption.setText(self.tr("Статус заказа:"))
        self._cancel_button.setText(self.tr("Отменить оплату"))
        self._cancel_button.setToolTip(self.tr("Отменить оплату на картридере (Esc)"))
        self._refresh_indicator.setToolTip(self.tr("Статус обновляется автоматически"))
        self._show_values()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    # -- rendering -------------------------------------------------------------------------------
    def _show_values(self) -> None:
        order = self._order
        self._values["orderNumberValue"].setText(order.number if order is not None else "")
        self._values["amountValue"].setText(format_rub(order.due) if order is not None else "")
        self._values["cardValue"].setText(self._card_text())
        self._show_reader_text()
        self._show_battery()
        self._show_status()

    def _card_text(self) -> str:
        card = self._card
        if card is None:
            return "—"
        parts = [card.brand, card.masked_pan]
        if card.application_label and card.application_label.upper() != card.brand.upper():
            parts.append(card.application_label)
        details = [entry_mode_text(card.entry_mode).get(self._language)]
        if self._cvm is not None:
            details.append(cvm_text(self._cvm).get(self._language))
        return f"{' '.join(p for p in parts if p)} ({', '.join(details)})"

    def _show_reader_text(self) -> None:
        text = self._reader_text
        if text is None:
            self._reader_display.setText(self.tr("Ожидание ответа картридера..."))
        else:
            self._reader_display.setText(text.get(self._language))
        self._reader_wording_label.setText(self._reader_wording)
        self._reader_wording_label.setVisible(bool(self._reader_wording))

    def _show_battery(self) -> None:
        if self._battery_low:
            self._battery_banner.setText(low_battery_text(self._battery_level).get(self._language))
        self._battery_banner.setVisible(self._battery_low)

    def _show_status(self) -> None:
        state = self._state
        if state is None:
            return
        self._status_value.setText(state.display.get(self._language))
        theme.set_tone(self._status_value, tone_of(state))
        note = self._status_note
        self._status_note_label.setText("" if note is None else note.get(self._language))

    def _turn_spinner(self) -> None:
        self._spin = (self._spin + 1) % len(_SPINNER)
        self._refresh_indicator.setText(_SPINNER[self._spin])

    # -- keyboard --------------------------------------------------------------------------------
    def _request_cancel(self) -> None:
        if self._cancel_button.isEnabled():
            log.info("card payment: cancel asked by the cashier")
            self.cancel_requested.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # The signature pad has its own Esc (✗); here Esc is «Отменить оплату».
        if event.key() == Qt.Key.Key_Escape and not self.signature_shown():
            event.accept()
            self._request_cancel()
            return
        super().keyPressEvent(event)
