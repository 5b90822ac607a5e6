"""Orders from the merchant's system on the order screen: the bar above the order number.

``MerchantOrders`` takes the orders waiting on the ``OrderDesk`` (local API, ``pay --order-file``,
the lookup) one at a time. An order is shown at once when the counter is idle (the order screen
shows the fresh order it started with, nothing is being paid, no dialog is open); otherwise the
bar says how many wait and «Открыть» shows the next. A merchant's order keeps its number and
prepayment; its ``allow_*`` flags decide what the item buttons may do (``OrderScreen``). «Вернуть
заказ» hands it back unpaid. With a lookup URL configured the bar has a field for an order number
and «Загрузить» fetches it from the merchant's service (``services.order_lookup``).

``return_to_merchant`` (``desktop-pos pay``): the result screen's back button reads «В приложение
предприятия» and leaving it (or handing the order back) ends the command.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout

from desktop_pos.models.errors import UserFacingError
from desktop_pos.models.order import Order
from desktop_pos.models.order_import import ImportedOrder
from desktop_pos.models.order_number import MAX_ORDER_NUMBER_LENGTH
from desktop_pos.models.texts import Language, LocalizedText
from desktop_pos.services.order_desk import DeskEntry, DeskRefusal, OrderDesk
from desktop_pos.ui import theme
from desktop_pos.ui.order_fields import error_label
from desktop_pos.ui.tasks import run_task

if TYPE_CHECKING:
    from desktop_pos.services.order_lookup import OrderLookup
    from desktop_pos.ui.main_window import MainWindow

log = logging.getLogger(__name__)

T_LOOKUP = LocalizedText("Заказ из системы предприятия №", "Order from the merchant's system No.")
T_LOAD = LocalizedText("Загрузить", "Load")
T_FROM = LocalizedText(
    "Заказ из системы предприятия{name}. Номер и предоплата заданы системой.",
    "Order from the merchant's system{name}. Its number and prepayment are set by the system.",
)
T_HAND_BACK = LocalizedText("Вернуть заказ", "Hand the order back")
T_WAITING = LocalizedText(
    "Ожидают заказы из системы предприятия: {count}", "Orders waiting from the merchant: {count}"
)
T_OPEN = LocalizedText("Открыть", "Open")
T_TO_MERCHANT = LocalizedText("В приложение предприятия", "Back to the merchant's app")
T_EMPTY_NUMBER = LocalizedText("Введите номер заказа.", "Enter the order number.")


class MerchantOrderBar(QFrame):
    """The lookup field, the origin of the order on screen and the queue (all hidden if unused)."""

    def __init__(self, *, with_lookup: bool) -> None:
        super().__init__()
        self.setObjectName("merchantOrderBar")
        self._lookup_row = QHBoxLayout()
        self.lookup_label = QLabel()
        self.lookup_edit = QLineEdit()
        self.lookup_edit.setObjectName("lookupEdit")
        self.lookup_edit.setMaxLength(MAX_ORDER_NUMBER_LENGTH)
        self.lookup_edit.setMinimumHeight(theme.INPUT_MIN_HEIGHT)
        self.lookup_label.setBuddy(self.lookup_edit)
        theme.set_role(self.lookup_label, theme.ROLE_FIELD_LABEL)
        self.lookup_button = QPushButton()
        self.lookup_button.setObjectName("lookupButton")
        self.lookup_button.setMinimumHeight(theme.INPUT_MIN_HEIGHT)
        self._lookup_row.addWidget(self.lookup_label)
        self._lookup_row.addWidget(self.lookup_edit, 1)
        self._lookup_row.addWidget(self.lookup_button)
        for widget in (self.lookup_label, self.lookup_edit, self.lookup_button):
            widget.setVisible(with_lookup)

        self.origin_label = QLabel()
        self.origin_label.setObjectName("merchantOrderLabel")
        self.origin_label.setWordWrap(True)
        theme.set_tone(self.origin_label, theme.TONE_PENDING)
        self.hand_back_button = QPushButton()
        self.hand_back_button.setObjectName("handBackButton")
        self.hand_back_button.setMinimumHeight(theme.INPUT_MIN_HEIGHT)
        origin_row = QHBoxLayout()
        origin_row.addWidget(self.origin_label, 1)
        origin_row.addWidget(self.hand_back_button)

        self.queue_label = QLabel()
        self.queue_label.setObjectName("merchantQueueLabel")
        self.open_button = QPushButton()
        self.open_button.setObjectName("openQueuedButton")
        self.open_button.setMinimumHeight(theme.INPUT_MIN_HEIGHT)
        queue_row = QHBoxLayout()
        queue_row.addWidget(self.queue_label, 1)
        queue_row.addWidget(self.open_button)

        self.error = error_label("merchantOrderErrorLabel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, theme.SPACING)
        layout.setSpacing(6)
        layout.addLayout(self._lookup_row)
        layout.addLayout(origin_row)
        layout.addLayout(queue_row)
        layout.addWidget(self.error)
        self.set_origin(None)
        self.set_waiting(0, can_open=False)
        self.setVisible(with_lookup)
        self._with_lookup = with_lookup

    def set_origin(self, text: str | None) -> None:
        self.origin_label.setText(text or "")
        self.origin_label.setVisible(text is not None)
        self.hand_back_button.setVisible(text is not None)
        self._refresh_visible()

    def set_waiting(self, count: int, *, can_open: bool) -> None:
        self.queue_label.setVisible(count > 0)
        self.open_button.setVisible(count > 0 and can_open)
        self._count = count
        self._refresh_visible()

    def set_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))
        self._refresh_visible()

    def _refresh_visible(self) -> None:
        used = (
            getattr(self, "_with_lookup", False)
            or self.origin_label.isVisibleTo(self)
            or self.queue_label.isVisibleTo(self)
            or bool(self.error.text())
        )
        self.setVisible(used)


class MerchantOrders(QObject):
    """Feeds the desk's orders to ``window``; ``left_to_merchant`` is emitted in pay mode when
    the cashier leaves the result screen or hands the order back."""

    left_to_merchant = Signal(str)

    def __init__(
        self,
        window: MainWindow,
        desk: OrderDesk,
        *,
        lookup: OrderLookup | None = None,
        return_to_merchant: bool = False,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._desk = desk
        self._lookup = lookup
        self._return_to_merchant = return_to_merchant
        self._merchant_name = ""
        self._shown: str | None = None
        self.bar = MerchantOrderBar(with_lookup=lookup is not None)
        window.order_screen.add_bar(self.bar)
        self._fresh: Order | None = window.order_screen.current_order()
        self.bar.lookup_button.clicked.connect(self.look_up)
        self.bar.lookup_edit.returnPressed.connect(self.look_up)
        self.bar.hand_back_button.clicked.connect(self.hand_back)
        self.bar.open_button.clicked.connect(lambda: self.show_next(force=True))
        window.new_order_started.connect(self._on_new_order)
        window.language_changed.connect(self.retranslate)
        desk.add_listener(self._on_desk_changed)
        desk.add_refusal_listener(self.refused)
        self.retranslate()

    # -- texts -----------------------------------------------------------------------------------
    def _language(self) -> Language:
        return self._window.language()

    def retranslate(self) -> None:
        language = self._language()
        bar = self.bar
        bar.lookup_label.setText(T_LOOKUP.get(language))
        bar.lookup_button.setText(T_LOAD.get(language))
        bar.hand_back_button.setText(T_HAND_BACK.get(language))
        bar.open_button.setText(T_OPEN.get(language))
        bar.queue_label.setText(T_WAITING.get(language).format(count=len(self._desk.queued())))
        if self._shown is not None:
            name = f" «{self._merchant_name}»" if self._merchant_name else ""
            bar.set_origin(T_FROM.get(language).format(name=name))
        if self._return_to_merchant and shiboken6.isValid(self._window):
            back = self._window.result_screen.findChild(QPushButton, "backButton")
            if back is not None:
                back.setText(T_TO_MERCHANT.get(language))

    # -- the queue -------------------------------------------------------------------------------
    def shown_number(self) -> str | None:
        """The merchant's order on the order screen, if any."""
        return self._shown

    def _idle(self) -> bool:
        window = self._window
        screen = window.order_screen
        return (
            window.current_screen() is screen
            and not window.is_busy()
            and window.current_change_dialog() is None
            and screen.current_item_dialog() is None
            and screen.current_confirmation() is None
            and screen.current_order() == self._fresh
        )

    def _on_desk_changed(self) -> None:
        if shiboken6.isValid(self._window):
            self.show_next()

    def show_next(self, *, force: bool = False) -> None:
        """Show the next waiting order if the counter is idle (``force``: the cashier asked)."""
        if self._shown is None and (force or self._idle()):
            entry = self._desk.take_next()
            if entry is not None:
                self._show(entry)
        self._refresh_queue()

    def _refresh_queue(self) -> None:
        count = len(self._desk.queued())
        self.bar.queue_label.setText(T_WAITING.get(self._language()).format(count=count))
        self.bar.set_waiting(count, can_open=self._shown is None)

    def _show(self, entry: DeskEntry) -> None:
        window = self._window
        imported = entry.imported
        screen = window.order_screen
        screen.load_order(imported.order)
        screen.lock_order_fields(True)
        self._shown = entry.number
        self._merchant_name = imported.merchant_name
        self.bar.set_error("")
        self.retranslate()
        log.info("merchant order %s on the order screen", entry.number)

    def hand_back(self) -> None:
        """«Вернуть заказ»: the order goes back to the merchant's system unpaid."""
        number = self._shown
        if number is None or self._window.is_busy():
            return
        self._desk.hand_back(number)
        self._clear()
        if self._return_to_merchant:
            self.left_to_merchant.emit(number)
            return
        self._window.start_new_order()

    def _clear(self) -> None:
        self._shown = None
        self._merchant_name = ""
        self.bar.set_origin(None)

    def _on_new_order(self) -> None:
        number = self._shown
        self._clear()
        self._fresh = self._window.order_screen.current_order()
        if self._return_to_merchant and number is not None:
            self.left_to_merchant.emit(number)
            return
        self.show_next()

    # -- the lookup ------------------------------------------------------------------------------
    def look_up(self) -> None:
        """«Загрузить»: fetch the typed order number from the merchant's service and show it."""
        lookup = self._lookup
        number = self.bar.lookup_edit.text().strip()
        if lookup is None:
            return
        if not number:
            self.bar.set_error(T_EMPTY_NUMBER.get(self._language()))
            return
        self.bar.set_error("")
        run_task(
            self._fetch_and_queue(lookup, number),
            on_success=self._looked_up,
            on_error=self._lookup_failed,
            busy=self.bar,
            language=self._language(),
        )

    async def _fetch_and_queue(self, lookup: OrderLookup, number: str) -> ImportedOrder:
        imported = await lookup.fetch(number)
        try:
            await self._desk.submit(imported)
        except DeskRefusal as refusal:
            raise UserFacingError(refusal.text) from None
        return imported

    def _looked_up(self, imported: ImportedOrder) -> None:
        number = imported.order.number
        if self._shown is None:
            entry = self._desk.take(number)
            if entry is not None:
                self._show(entry)
        self.bar.lookup_edit.clear()
        self._refresh_queue()

    def _lookup_failed(self, error: BaseException) -> None:
        if isinstance(error, UserFacingError):
            self.bar.set_error(error.text.get(self._language()))
            self.bar.lookup_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def refused(self, text: LocalizedText) -> None:
        """Say in the window that an order from the merchant's system was refused."""
        if shiboken6.isValid(self.bar):
            self.bar.set_error(text.get(self._language()))


def attach_merchant_orders(
    window: MainWindow,
    desk: OrderDesk,
    *,
    lookup: OrderLookup | None = None,
    return_to_merchant: bool = False,
) -> MerchantOrders:
    """Wire the desk (and the lookup) into ``window``'s order screen."""
    return MerchantOrders(window, desk, lookup=lookup, return_to_merchant=return_to_merchant)
