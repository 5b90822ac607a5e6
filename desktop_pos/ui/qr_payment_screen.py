"""The SBP and SoftPOS screens, as «Оплата заказа с помощью СБП» describes them.

Three pages:

* ЗАКАЗ while the gateway registers the payment: «Данные заказа», the order number,
  «К оплате*: 1.00 руб.» and «Подождите...»;
* the QR code (the gateway's NSPK link for SBP, the deep link for the SoftPOS phone), big and
  high-contrast; «›» goes to the order status;
* РЕЗУЛЬТАТ «Статус заказа: В процессе» with the refresh indicator, Сумма заказа, Способ оплаты,
  Дата заказа, Номер заказа, Номер транзакции and the QR code. The top-right button shows the QR
  code again; the bottom-left one («Другой способ оплаты») lets the cashier choose another method
  once the payment has stayed In Process too long (or failed). A lost network shows the
  network-lost message while the polling goes on; Declined or Timeout shows the reason and
  «Повторить».

The screen only shows; ``payment_flow.RemotePaymentFlow`` drives it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_pos.models.money import format_amount, format_rub
from desktop_pos.models.order import Order
from desktop_pos.models.payment import OrderState, PaymentMethod
from desktop_pos.models.texts import Language
from desktop_pos.services.remote_payment import PollUpdate, RemotePayment
from desktop_pos.ui import theme
from desktop_pos.ui.qr_code_widget import QrCodeWidget
from desktop_pos.ui.result_screen import DATE_FORMAT, tone_of

_SPINNER = "◐◓◑◒"
_FIELDS = (
    "amountValue",
    "methodValue",
    "dateValue",
    "orderNumberValue",
    "transactionValue",
)


class QrPaymentScreen(QWidget):
    """Emits ``other_method_requested`` and ``retry_requested``."""

    other_method_requested = Signal()
    retry_requested = Signal()

    def __init__(self, parent: QWidget | None = None, *, language: Language = Language.RU) -> None:
        super().__init__(parent)
        self.setObjectName("qrPaymentScreen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._language = Language(language)
        self._order: Order | None = None
        self._method = PaymentMethod.SBP
        self._payment: RemotePayment | None = None
        self._state = OrderState.NEW
        self._update: PollUpdate | None = None
        self._spin = 0

        self._pages = QStackedWidget(self)
        self._pages.addWidget(self._build_wait_page())
        self._pages.addWidget(self._build_qr_page())
        self._pages.addWidget(self._build_status_page())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._pages)

        self._spinner_timer = QTimer(self)
        self._spinner_timer.setInterval(250)
        self._spinner_timer.timeout.connect(self._turn_spinner)
        self.retranslate_ui()

    # -- construction -----------------------------------------------------------------------
    def _header(self, name: str) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        theme.set_role(label, theme.ROLE_HEADER)
        return label

    def _build_wait_page(self) -> QWidget:
        page = QWidget()
        page.setObjectName("qrWaitPage")
        self._wait_header = self._header("qrWaitHeader")
        self._wait_section = QLabel()
        self._wait_section.setObjectName("qrWaitSection")
        theme.set_role(self._wait_section, theme.ROLE_SECTION)
        self._wait_number = QLabel()
        self._wait_number.setObjectName("qrWaitNumber")
        self._wait_due = QLabel()
        self._wait_due.setObjectName("qrWaitDue")
        theme.set_role(self._wait_due, theme.ROLE_VALUE)
        self._wait_label = QLabel()
        self._wait_label.setObjectName("pleaseWaitLabel")
        self._wait_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        theme.set_role(self._wait_label, theme.ROLE_SECTION)
        body = QVBoxLayout()
        body.setContentsMargins(theme.MARGIN, theme.MARGIN, theme.MARGIN, theme.MARGIN)
        body.setSpacing(theme.SPACING)
        for widget in (self._wait_section, self._wait_number, self._wait_due):
            body.addWidget(widget)
        body.addStretch(1)
        body.addWidget(self._wait_label)
        body.addStretch(2)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._wait_header)
        layout.addLayout(body, 1)
        return page

    def _build_qr_page(self) -> QWidget:
        page = QWidget()
        page.setObjectName("qrPage")
        self._qr_header = self._header("qrHeader")
        self._qr_caption = QLabel()
        self._qr_caption.setObjectName("qrCaption")
        self._qr_caption.setWordWrap(True)
        self._qr_caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._qr = QrCodeWidget(page)
        self._to_status_button = QPushButton("›")
        self._to_status_button.setObjectName("toStatusButton")
        self._to_status_button.setMinimumSize(theme.BUTTON_MIN_HEIGHT * 2, theme.BUTTON_MIN_HEIGHT)
        theme.set_role(self._to_status_button, theme.ROLE_PRIMARY)
        self._to_status_button.clicked.connect(self.show_status)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(theme.MARGIN, 0, theme.MARGIN, theme.MARGIN)
        buttons.addStretch(1)
        buttons.addWidget(self._to_status_button)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(theme.SPACING)
        layout.addWidget(self._qr_header)
        layout.addWidget(self._qr_caption)
        self._qr_network_label = QLabel()
        self._qr_network_label.setObjectName("qrNetworkLostLabel")
        self._qr_network_label.setWordWrap(True)
        self._qr_network_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        theme.set_role(self._qr_network_label, theme.ROLE_ERROR)
        self._qr_network_label.hide()
        layout.addWidget(self._qr_network_label)
        layout.addWidget(self._qr, 1)
        layout.addLayout(buttons)
        return page

    def _build_status_page(self) -> QWidget:
        page = QWidget()
        page.setObjectName("qrStatusPage")
        header = QHBoxLayout()
        header.setContentsMargins(0, 0, 0, 0)
        self._status_header = self._header("qrStatusHeader")
        self._show_qr_button = QPushButton()
        self._show_qr_button.setObjectName("showQrButton")
        theme.set_role(self._show_qr_button, theme.ROLE_SECONDARY)
        self._show_qr_button.clicked.connect(self.show_qr)
        header.addWidget(self._status_header, 1)
        header.addWidget(self._show_qr_button)

        self._status_caption = QLabel()
        self._status_caption.setObjectName("statusCaption")
        self._status_value = QLabel()
        self._status_value.setObjectName("statusValue")
        font = self._status_value.font()
        font.setBold(True)
        self._status_value.setFont(font)
        self._refresh_indicator = QLabel()
        self._refresh_indicator.setObjectName("refreshIndicator")
        status = QHBoxLayout()
        status.addWidget(self._status_caption)
        status.addWidget(self._status_value)
        status.addWidget(self._refresh_indicator)
        status.addStretch(1)

        grid = QGridLayout()
        grid.setHorizontalSpacing(theme.SPACING * 2)
        self._captions: dict[str, QLabel] = {}
        self._values: dict[str, QLabel] = {}
        for row, name in enumerate(_FIELDS):
            caption = QLabel()
            caption.setObjectName(name.replace("Value", "Caption"))
            theme.set_role(caption, theme.ROLE_FIELD_LABEL)
            value = QLabel()
            value.setObjectName(name)
            theme.set_role(value, theme.ROLE_VALUE)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(caption, row, 0)
            grid.addWidget(value, row, 1)
            self._captions[name] = caption
            self._values[name] = value
        grid.setColumnStretch(1, 1)

        self._network_label = QLabel()
        self._network_label.setObjectName("networkLostLabel")
        self._network_label.setWordWrap(True)
        theme.set_role(self._network_label, theme.ROLE_ERROR)
        self._network_label.hide()
        self._reason_label = QLabel()
        self._reason_label.setObjectName("reasonLabel")
        self._reason_label.setWordWrap(True)
        theme.set_role(self._reason_label, theme.ROLE_ERROR)
        self._reason_label.hide()

        self._small_qr_caption = QLabel()
        self._small_qr_caption.setObjectName("smallQrCaption")
        self._small_qr = QrCodeWidget(page, min_side_mm=25.0)
        self._small_qr.setObjectName("smallQrCode")

        self._other_method_button = QPushButton()
        self._other_method_button.setObjectName("otherMethodButton")
        theme.set_role(self._other_method_button, theme.ROLE_SECONDARY)
        self._other_method_button.setEnabled(False)
        self._other_method_button.clicked.connect(self.other_method_requested)
        self._retry_button = QPushButton()
        self._retry_button.setObjectName("retryButton")
        theme.set_role(self._retry_button, theme.ROLE_PRIMARY)
        self._retry_button.hide()
        self._retry_button.clicked.connect(self.retry_requested)
        for button in (self._other_method_button, self._retry_button, self._show_qr_button):
            button.setMinimumHeight(theme.BUTTON_MIN_HEIGHT)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(theme.MARGIN, theme.SPACING, theme.MARGIN, theme.MARGIN)
        buttons.addWidget(self._other_method_button)
        buttons.addStretch(1)
        buttons.addWidget(self._retry_button)

        body = QVBoxLayout()
        body.setContentsMargins(theme.MARGIN, theme.MARGIN, theme.MARGIN, 0)
        body.setSpacing(theme.SPACING)
        body.addLayout(status)
        body.addLayout(grid)
        body.addWidget(self._network_label)
        body.addWidget(self._reason_label)
        body.addWidget(self._small_qr_caption)
        body.addWidget(self._small_qr, 1)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addLayout(body, 1)
        layout.addLayout(buttons)
        return page

    # -- public API ---------------------------------------------------------------------------
    def qr_widget(self) -> QrCodeWidget:
        return self._qr

    def current_page(self) -> str:
        page = self._pages.currentWidget()
        return page.objectName() if page is not None else ""

    def show_waiting(self, order: Order, method: PaymentMethod) -> None:
        """ЗАКАЗ … «Подождите...» while the gateway registers the payment."""
        self._order, self._method, self._payment = order, method, None
        self._state = OrderState.NEW
        self._update = None
        self._wait_number.setText(order.number)
        self._wait_due.setText(
            self.tr("К оплате*: {amount} руб.").format(amount=format_amount(order.due))
        )
        self._spinner_timer.stop()
        self.retranslate_ui()
        self._pages.setCurrentIndex(0)

    def show_payment(self, payment: RemotePayment) -> None:
        """The registered payment: its QR code, big."""
        self._payment = payment
        self._state = OrderState.IN_PROCESS
        self._qr.set_payload(payment.qr_payload)
        self._small_qr.set_payload(payment.qr_payload)
        self._other_method_button.setEnabled(False)
        self._retry_button.hide()
        self._reason_label.hide()
        self._network_label.hide()
        self._qr_network_label.hide()
        self._show_values()
        self._spinner_timer.start()
        self.show_qr()

    def show_qr(self) -> None:
        self._pages.setCurrentIndex(1)

    def show_status(self) -> None:
        self._pages.setCurrentIndex(2)

    def set_other_method_allowed(self, allowed: bool) -> None:
        self._other_method_button.setEnabled(allowed)

    def other_method_allowed(self) -> bool:
        return self._other_method_button.isEnabled()

    def set_update(self, update: PollUpdate) -> None:
        """An answer of the polling: network lost, still In Process, or final."""
        self._update = update
        self._state = update.state
        self._network_label.setVisible(update.network_lost)
        self._qr_network_label.setVisible(update.network_lost)
        if update.state.is_final:
            self._spinner_timer.stop()
            self._refresh_indicator.clear()
        if update.state in (OrderState.DECLINED, OrderState.TIMEOUT):
            self._retry_button.show()
            self._other_method_button.setEnabled(True)
            reason = update.reason
            self._reason_label.setText("" if reason is None else reason.get(self._language))
            self._reason_label.setVisible(reason is not None)
            self.show_status()
        self._show_values()

    def last_update(self) -> PollUpdate | None:
        return self._update

    def refresh_indicator_text(self) -> str:
        return self._refresh_indicator.text()

    def stop(self) -> None:
        """The screen is left: no more indicator ticks."""
        self._spinner_timer.stop()

    # -- internals ----------------------------------------------------------------------------
    def _turn_spinner(self) -> None:
        self._spin = (self._spin + 1) % len(_SPINNER)
        self._refresh_indicator.setText(_SPINNER[self._spin])
        self._refresh_indicator.setToolTip(self.tr("Статус обновляется автоматически"))

    def _show_values(self) -> None:
        self._status_value.setText(self._state.display.get(self._language))
        theme.set_tone(self._status_value, tone_of(self._state))
        payment, order = self._payment, self._order
        if payment is None or order is None:
            return
        self._values["amountValue"].setText(format_rub(payment.attempt.amount))
        self._values["methodValue"].setText(payment.method.result_text.get(self._language))
        self._values["dateValue"].setText(
            payment.attempt.created_at.astimezone().strftime(DATE_FORMAT)
        )
        self._values["orderNumberValue"].setText(payment.order_number)
        self._values["transactionValue"].setText(payment.attempt.transaction_number)

    def set_language(self, language: Language) -> None:
        self._language = Language(language)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        sbp = self._method is PaymentMethod.SBP
        self._wait_header.setText(self.tr("ЗАКАЗ"))
        self._wait_section.setText(self.tr("Данные заказа"))
        self._wait_label.setText(self.tr("Подождите..."))
        self._qr_header.setText(self.tr("СБП") if sbp else self.tr("SoftPOS"))
        sbp_caption = self.tr(
            "Покупатель сканирует QR-код при помощи банковского приложения "
            "на собственном телефоне и оплачивает заказ через СБП."
        )
        softpos_caption = self.tr(
            "Отсканируйте QR-код телефоном с приложением SoftPOS "
            "и приложите карту покупателя к телефону."
        )
        self._qr_caption.setText(sbp_caption if sbp else softpos_caption)
        self._to_status_button.setToolTip(self.tr("Статус заказа"))
        self._status_header.setText(self.tr("РЕЗУЛЬТАТ"))
        self._show_qr_button.setText(self.tr("Показать QR-код"))
        self._status_caption.setText(self.tr("Статус заказа:"))
        captions = {
            "amountValue": self.tr("Сумма заказа:"),
            "methodValue": self.tr("Способ оплаты:"),
            "dateValue": self.tr("Дата заказа:"),
            "orderNumberValue": self.tr("Номер заказа:"),
            "transactionValue": self.tr("Номер транзакции:"),
        }
        for name, text in captions.items():
            self._captions[name].setText(text)
        self._small_qr_caption.setText(
            self.tr("СБП QR-код:") if sbp else self.tr("QR-код для SoftPOS:")
        )
        self._network_label.setText(self._network_text())
        self._qr_network_label.setText(self._network_text())
        self._other_method_button.setText(self.tr("Другой способ оплаты"))
        self._retry_button.setText(self.tr("Повторить"))
        self._show_values()

    def _network_text(self) -> str:
        from desktop_pos.services.remote_payment import NETWORK_LOST

        return NETWORK_LOST.get(self._language)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def sizeHint(self) -> QSize:
        return QSize(800, 600)
