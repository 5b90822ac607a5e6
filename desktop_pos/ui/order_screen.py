"""«ДАННЫЕ ЗАКАЗА»: the order being taken and the choice of «СПОСОБ ОПЛАТЫ».

Left: order number, the items table with «Добавить» / «Изменить» / «Удалить», e-mail for the
receipt and a comment. Right: «Всего», «Предоплачено ранее», «К оплате» and the four payment
buttons (F5…F8). The card reader is disabled with the reason until the window has one
(``set_card_reader_available``). Every edit rebuilds the immutable ``Order``; ``cash_requested``
and ``remote_requested`` (SBP, SoftPOS, card reader) carry a valid one.
"""

from __future__ import annotations

import logging
import typing
from dataclasses import replace
from decimal import Decimal
from itertools import pairwise

from PySide6.QtCore import QEvent, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop_pos.models.errors import UserFacingError
from desktop_pos.models.money import format_amount, format_rub, parse_amount
from desktop_pos.models.order import MAX_COMMENT_LENGTH, MAX_EMAIL_LENGTH, Order, OrderItem
from desktop_pos.models.order_number import MAX_ORDER_NUMBER_LENGTH, validate_order_number
from desktop_pos.models.payment import PaymentMethod
from desktop_pos.models.texts import Language
from desktop_pos.ui import theme
from desktop_pos.ui.items_model import ItemsModel, ItemsTable
from desktop_pos.ui.order_fields import captioned_edit, error_label, item_button, lock_quantity
from desktop_pos.ui.order_payment_panel import (
    PAYMENT_KEYS,
    PaymentPanel,
)

if typing.TYPE_CHECKING:  # the dialogs load when first opened (start-up time)
    from desktop_pos.ui.item_dialog import ItemDialog, RemoveItemQuestion

log = logging.getLogger(__name__)

ADD_ITEM_KEY = Qt.Key.Key_Insert
EDIT_ITEM_KEY = Qt.Key.Key_F2
REMOVE_ITEM_KEY = Qt.Key.Key_Delete


class OrderScreen(QWidget):
    """The order being taken. Emits ``cash_requested(Order)`` with an order that can be paid."""

    cash_requested = Signal(object)
    """A valid ``Order`` the cashier wants to take cash for."""
    remote_requested = Signal(object, object)
    """A valid ``Order`` and the ``PaymentMethod`` (SBP, SoftPOS, CARD_READER) to take it by."""

    def __init__(
        self, order: Order, *, language: Language = Language.RU, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("orderScreen")
        self._language = language
        self._order = order
        self._order_error: UserFacingError | None = None
        self._item_dialog: ItemDialog | None = None
        self._item_dialog_row: int | None = None
        self._confirmation: RemoveItemQuestion | None = None

        self._build_order_part()
        self._build_payment_part()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(theme.MARGIN, theme.MARGIN, theme.MARGIN, theme.MARGIN)
        layout.setSpacing(theme.MARGIN)
        layout.addWidget(self._order_part, 2)
        layout.addWidget(self._payment_part, 1)
        self._build_shortcuts()
        self._set_tab_order()
        self._number_edit.textEdited.connect(self._on_number_edited)
        self._prepaid_edit.textEdited.connect(self._on_prepaid_edited)
        self._prepaid_edit.editingFinished.connect(self._tidy_prepaid)
        for contact in (self._email_edit, self._comment_edit):
            contact.textEdited.connect(lambda _text: self._show_order_error(None))
        self._table.selectionModel().selectionChanged.connect(self._refresh_buttons)

        self.load_order(order)
        self.retranslate_ui()

    # -- construction -----------------------------------------------------------------------
    def _build_order_part(self) -> None:
        self._order_part = QWidget()
        # A number longer than allowed can still be typed, so that the message says why.
        self._number_label, self._number_edit = captioned_edit(
            "orderNumberEdit", MAX_ORDER_NUMBER_LENGTH + 20
        )
        self._number_error = error_label("orderNumberErrorLabel")

        self._items_label = QLabel()
        self._model = ItemsModel(self)
        self._model.set_language(self._language)
        self._table = ItemsTable(self._model)
        self._items_label.setBuddy(self._table)
        self._table.activated.connect(self._on_row_activated)

        self._add_button = item_button("addItemButton", ADD_ITEM_KEY)
        self._edit_button = item_button("editItemButton", EDIT_ITEM_KEY)
        self._remove_button = item_button("removeItemButton", REMOVE_ITEM_KEY)
        self._add_button.clicked.connect(self.add_item)
        self._edit_button.clicked.connect(self.edit_selected_item)
        self._remove_button.clicked.connect(self.remove_selected_item)
        item_buttons = QHBoxLayout()
        item_buttons.setSpacing(theme.SPACING)
        for button in (self._add_button, self._edit_button, self._remove_button):
            item_buttons.addWidget(button)
        item_buttons.addStretch(1)

        self._email_label, self._email_edit = captioned_edit("emailEdit", MAX_EMAIL_LENGTH)
        self._comment_label, self._comment_edit = captioned_edit("commentEdit", MAX_COMMENT_LENGTH)

        number_row = QHBoxLayout()
        number_row.addWidget(self._number_label)
        number_row.addWidget(self._number_edit, 1)
        contacts = QGridLayout()
        contacts.setHorizontalSpacing(theme.SPACING)
        contacts.addWidget(self._email_label, 0, 0)
        contacts.addWidget(self._email_edit, 0, 1)
        contacts.addWidget(self._comment_label, 1, 0)
        contacts.addWidget(self._comment_edit, 1, 1)
        contacts.setColumnStretch(1, 1)

        theme.set_role(self._items_label, theme.ROLE_FIELD_LABEL)

        layout = QVBoxLayout(self._order_part)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(number_row)
        layout.addWidget(self._number_error)
        layout.addWidget(self._items_label)
        layout.addWidget(self._table, 1)
        layout.addLayout(item_buttons)
        layout.addSpacing(theme.SPACING)
        layout.addLayout(contacts)

    def _build_payment_part(self) -> None:
        panel = PaymentPanel()
        self._payment_part = panel.frame
        self._total_label, self._total_value = panel.total_label, panel.total_value
        self._prepaid_label, self._prepaid_edit = panel.prepaid_label, panel.prepaid_edit
        self._prepaid_error = panel.prepaid_error
        self._due_label, self._due_value = panel.due_label, panel.due_value
        self._methods_title = panel.methods_title
        self._method_buttons = panel.method_buttons
        self._methods_note = panel.methods_note
        self._order_error_label = panel.order_error_label
        self._method_buttons[PaymentMethod.CASH].clicked.connect(self.request_cash)
        self._card_reader_available = False
        self._method_buttons[PaymentMethod.CARD_READER].setEnabled(False)
        for method in (PaymentMethod.CARD_READER, PaymentMethod.SBP, PaymentMethod.SOFTPOS):
            self._method_buttons[method].clicked.connect(
                lambda _checked=False, chosen=method: self.request_remote(chosen)
            )

    def _build_shortcuts(self) -> None:
        """F5…F8 pay, Insert adds, F2 edits, Delete (in the table) removes.

        Shortcuts live on this screen, so they work only while it is the one shown.
        """
        self._shortcuts: list[QShortcut] = []
        for method, key in PAYMENT_KEYS.items():
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.activated.connect(lambda m=method: self._on_payment_key(m))
            self._shortcuts.append(shortcut)
        for key, button in ((ADD_ITEM_KEY, self._add_button), (EDIT_ITEM_KEY, self._edit_button)):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.activated.connect(button.click)
            self._shortcuts.append(shortcut)
        remove = QShortcut(QKeySequence(REMOVE_ITEM_KEY), self._table)
        remove.setContext(Qt.ShortcutContext.WidgetShortcut)
        remove.activated.connect(self._remove_button.click)
        self._shortcuts.append(remove)

    def _set_tab_order(self) -> None:
        chain: list[QWidget] = [
            self._number_edit,
            self._table,
            self._add_button,
            self._edit_button,
            self._remove_button,
            self._email_edit,
            self._comment_edit,
            self._prepaid_edit,
            *self._method_buttons.values(),
        ]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    # -- texts ------------------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        self._number_label.setText(self.tr("&Номер заказа:"))
        self._items_label.setText(self.tr("&Позиции заказа:"))
        self._add_button.setText(self.tr("Добавить"))
        self._edit_button.setText(self.tr("Изменить"))
        self._remove_button.setText(self.tr("Удалить"))
        self._email_label.setText(self.tr("&Email для отправки чека:"))
        self._comment_label.setText(self.tr("Ко&мментарий к заказу:"))
        self._email_edit.setPlaceholderText(self.tr("необязательно"))
        self._comment_edit.setPlaceholderText(self.tr("необязательно"))
        self._total_label.setText(self.tr("Всего:"))
        self._prepaid_label.setText(self.tr("Пре&доплачено ранее:"))
        self._due_label.setText(self.tr("К оплате:"))
        self._methods_title.setText(self.tr("СПОСОБ ОПЛАТЫ"))
        texts = {
            PaymentMethod.CASH: self.tr("Наличные"),
            PaymentMethod.CARD_READER: self.tr("Картридер"),
            PaymentMethod.SBP: self.tr("СБП"),
            PaymentMethod.SOFTPOS: self.tr("SoftPOS"),
        }
        for method, button in self._method_buttons.items():
            button.setText(texts[method])
            button.setAccessibleName(f"{texts[method]} ({theme.key_name(PAYMENT_KEYS[method])})")
        for method, button in self._method_buttons.items():
            button.setToolTip(self._unavailable_texts().get(method, ""))
        self._methods_note.setText(
            ""
            if self._card_reader_available
            else self.tr(
                "Картридер в этой версии не подключен: принимаются наличные, СБП и SoftPOS."
            )
        )
        self._methods_note.setVisible(not self._card_reader_available)
        self._model.retranslate()
        self._refresh_number_error()
        self._refresh_totals()
        self._refresh_buttons()
        self._show_order_error(self._order_error)

    def set_card_reader_available(self, available: bool) -> None:
        """The window has a card reader: «Картридер» (F6) emits ``remote_requested``."""
        self._card_reader_available = available
        self._method_buttons[PaymentMethod.CARD_READER].setEnabled(available)
        self.retranslate_ui()

    def _unavailable_texts(self) -> dict[PaymentMethod, str]:
        if self._card_reader_available:
            return {}
        return {
            PaymentMethod.CARD_READER: self.tr(
                "Оплата картой через картридер появится в следующей версии."
            ),
        }

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def set_language(self, language: Language) -> None:
        """Show the domain's texts (error messages) in ``language``."""
        self._language = language
        self._model.set_language(language)
        self.retranslate_ui()
        if self._item_dialog is not None:
            self._item_dialog.set_language(language)

    # -- the order --------------------------------------------------------------------------
    def load_order(self, order: Order) -> None:
        """Show ``order`` (a fresh one after a sale, or one handed over by another system)."""
        self._close_open_dialogs()
        self._order = order
        self._order_error = None
        self.lock_order_fields(False)
        self._number_edit.setText(order.number)
        self._prepaid_edit.setText(format_amount(order.prepaid))
        self._email_edit.setText(order.email)
        self._comment_edit.setText(order.comment)
        self._set_items(order.items, select_row=0)
        self._show_order_error(None)
        self._refresh_number_error()

    def lock_order_fields(self, locked: bool) -> None:
        """An order from the merchant's system keeps its number and prepayment."""
        for edit in (self._number_edit, self._prepaid_edit):
            edit.setReadOnly(locked)

    def add_bar(self, bar: QWidget) -> None:
        """Put ``bar`` above the order number (the merchant's orders, ``ui/merchant_orders``)."""
        layout = self._order_part.layout()
        if isinstance(layout, QVBoxLayout):
            layout.insertWidget(0, bar)

    def current_order(self) -> Order:
        """The order as on screen now (not validated; see ``cash_requested`` for a valid one).

        A prepaid amount that cannot be read keeps the last readable value.
        """
        prepaid = self._parsed_prepaid()
        return replace(
            self._order,
            number=self._number_edit.text().strip(),
            prepaid=self._order.prepaid if prepaid is None else prepaid,
            email=self._email_edit.text().strip(),
            comment=self._comment_edit.text().strip(),
        )

    def focus_first_field(self) -> None:
        self._number_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self._number_edit.selectAll()

    def _set_items(self, items: tuple[OrderItem, ...], *, select_row: int | None) -> None:
        self._order = replace(self._order, items=items)
        self._model.set_items(items)
        if items and select_row is not None:
            self._table.select_row(max(0, min(select_row, len(items) - 1)))
        self._table.fit_to_contents()
        self._refresh_totals()
        self._refresh_buttons()

    def selected_row(self) -> int | None:
        return self._table.selected_row()

    # -- items ------------------------------------------------------------------------------
    def current_item_dialog(self) -> ItemDialog | None:
        """The open add/edit dialog, if any."""
        return self._item_dialog

    def current_confirmation(self) -> RemoveItemQuestion | None:
        """The open «remove item?» question, if any."""
        return self._confirmation

    def add_item(self) -> None:
        if not self._order.permissions.add_item or self._item_dialog is not None:
            return
        self._open_item_dialog(None, row=None)

    def edit_selected_item(self) -> None:
        row = self.selected_row()
        if row is None or self._item_dialog is not None or not self._can_edit():
            return
        self._open_item_dialog(self._order.items[row], row=row)

    def remove_selected_item(self) -> None:
        row = self.selected_row()
        if row is None or not self._order.permissions.remove_item or self._confirmation:
            return
        from desktop_pos.ui.item_dialog import RemoveItemQuestion

        box = RemoveItemQuestion(row + 1, self._order.items[row].name, parent=self)
        box.finished.connect(lambda _result: self._on_remove_answered(box, row))
        self._confirmation = box
        box.open()

    def _on_remove_answered(self, box: RemoveItemQuestion, row: int) -> None:
        self._confirmation = None
        box.deleteLater()
        if box.is_confirmed():
            log.info("order %s: item %d removed", self._order.number, row + 1)
            self._set_items(self._order.without_item(row).items, select_row=row)
        self._table.setFocus()

    def _can_edit(self) -> bool:
        permissions = self._order.permissions
        return permissions.edit_item or permissions.edit_item_quantity

    def _open_item_dialog(self, item: OrderItem | None, *, row: int | None) -> None:
        quantity_only = item is not None and not self._order.permissions.edit_item
        from desktop_pos.ui.item_dialog import ItemDialog

        dialog = ItemDialog(item, language=self._language, quantity_only=quantity_only, parent=self)
        if item is not None and not self._order.permissions.edit_item_quantity:
            lock_quantity(dialog)
        dialog.finished.connect(lambda result: self._on_item_dialog_finished(dialog, result))
        self._item_dialog = dialog
        self._item_dialog_row = row
        dialog.open()

    def _on_item_dialog_finished(self, dialog: ItemDialog, result: int) -> None:
        row = self._item_dialog_row
        self._item_dialog = None
        self._item_dialog_row = None
        dialog.deleteLater()
        self.window().activateWindow()  # F5…F8 work at once, also without a window manager
        if result == dialog.DialogCode.Accepted:
            item = dialog.item()
            if row is None:
                self._set_items(
                    self._order.with_item(item).items, select_row=len(self._order.items)
                )
            else:
                self._set_items(self._order.with_item_replaced(row, item).items, select_row=row)
            self._show_order_error(None)
        self._table.setFocus()

    def _on_row_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self._edit_button.click()

    def _close_open_dialogs(self) -> None:
        for dialog in (self._item_dialog, self._confirmation):
            if dialog is not None:
                dialog.reject()

    # -- live checks ------------------------------------------------------------------------
    def _on_number_edited(self) -> None:
        self._refresh_number_error()
        self._show_order_error(None)

    def _on_prepaid_edited(self) -> None:
        self._refresh_totals()
        self._show_order_error(None)

    def _tidy_prepaid(self) -> None:
        """Show a readable prepaid amount the way amounts are shown: ``1,5`` → ``1.50``."""
        prepaid = self._parsed_prepaid()
        if prepaid is not None and self._prepaid_edit.text() != format_amount(prepaid):
            self._prepaid_edit.setText(format_amount(prepaid))

    def _refresh_buttons(self) -> None:
        permissions = self._order.permissions
        has_row = bool(self._order.items) and self.selected_row() is not None
        not_allowed = self.tr("Не разрешено для этого заказа.")
        self._add_button.setEnabled(permissions.add_item)
        self._add_button.setToolTip("" if permissions.add_item else not_allowed)
        self._edit_button.setEnabled(has_row and self._can_edit())
        self._edit_button.setToolTip("" if self._can_edit() else not_allowed)
        self._remove_button.setEnabled(has_row and permissions.remove_item)
        self._remove_button.setToolTip("" if permissions.remove_item else not_allowed)

    def _refresh_number_error(self) -> None:
        try:
            validate_order_number(self._number_edit.text())
        except UserFacingError as error:
            self._set_error(self._number_error, error.text.get(self._language))
            theme.set_invalid(self._number_edit, True)
            return
        self._set_error(self._number_error, "")
        theme.set_invalid(self._number_edit, False)

    def _parsed_prepaid(self) -> Decimal | None:
        try:
            return parse_amount(self._prepaid_edit.text())
        except UserFacingError:
            return None

    def _refresh_totals(self) -> None:
        total = self._order.total
        self._total_value.setText(format_rub(total))
        try:
            prepaid = parse_amount(self._prepaid_edit.text())
        except UserFacingError as error:
            self._set_prepaid_error(error.text.get(self._language))
            self._due_value.setText("—")
            return
        if prepaid > total:
            self._set_prepaid_error(
                self.tr("Предоплата больше суммы заказа ({total}).").format(total=format_rub(total))
            )
            self._due_value.setText("—")
            return
        self._order = replace(self._order, prepaid=prepaid)
        self._set_prepaid_error("")
        self._due_value.setText(format_rub(self._order.due))

    def _set_prepaid_error(self, text: str) -> None:
        self._set_error(self._prepaid_error, text)
        theme.set_invalid(self._prepaid_edit, bool(text))

    def _set_error(self, label: QLabel, text: str) -> None:
        if text and text != label.text():
            log.info("order input rejected (%s): %s", label.objectName(), text)
        label.setText(text)
        label.setVisible(bool(text))

    def _show_order_error(self, error: UserFacingError | None) -> None:
        self._order_error = error
        self._set_error(
            self._order_error_label, "" if error is None else error.text.get(self._language)
        )

    # -- payment ----------------------------------------------------------------------------
    def request_cash(self) -> None:
        """«Наличные»: emit ``cash_requested`` with the order, or show why it cannot be paid."""
        order = self._order_for_payment()
        if order is not None:
            log.info(
                "order %s: cash payment of %s requested", order.number, format_amount(order.due)
            )
            self.cash_requested.emit(order)

    def request_remote(self, method: PaymentMethod) -> None:
        """«СБП» / «SoftPOS» / «Картридер»: emit ``remote_requested`` with the order and method."""
        order = self._order_for_payment()
        if order is not None:
            log.info(
                "order %s: %s payment of %s requested",
                order.number,
                method.value,
                format_amount(order.due),
            )
            self.remote_requested.emit(order, method)

    def _order_for_payment(self) -> Order | None:
        try:
            number = validate_order_number(self._number_edit.text())
            try:
                prepaid = parse_amount(self._prepaid_edit.text())
            except UserFacingError as error:
                error.field = "prepaid"
                raise
            order = replace(self.current_order(), number=number, prepaid=prepaid)
            order.validate_for_payment()
        except UserFacingError as error:
            self._show_order_error(error)
            self._focus_field(error.field)
            return None
        self._show_order_error(None)
        return order

    def _focus_field(self, field: str | None) -> None:
        widgets: dict[str | None, QWidget] = {
            "number": self._number_edit,
            "prepaid": self._prepaid_edit,
            "email": self._email_edit,
            "comment": self._comment_edit,
            "items": self._table if self._order.items else self._add_button,
        }
        widget = widgets.get(field)
        if widget is None:
            return
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        if isinstance(widget, QLineEdit):
            widget.selectAll()

    def _on_payment_key(self, method: PaymentMethod) -> None:
        button = self._method_buttons[method]
        if button.isEnabled():
            button.click()
            return
        text = self._unavailable_texts().get(method, "")
        self._set_error(self._order_error_label, text)
        self._order_error = None
