"""Adding or editing one order item: name, quantity, price, discount, VAT, with a live sum;
and the question before an item is removed.

«Сохранить» (Enter) stays disabled while anything typed is invalid; the first problem is shown
under the fields in the cashier's language. «Отмена» (Esc) leaves the order as it was.
"""

from __future__ import annotations

import logging
from decimal import Decimal

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_pos.models.errors import UserFacingError
from desktop_pos.models.money import (
    ZERO,
    format_amount,
    format_quantity,
    format_rub,
    parse_amount,
    parse_quantity,
)
from desktop_pos.models.order import MAX_ITEM_NAME_LENGTH, OrderItem
from desktop_pos.models.texts import Language
from desktop_pos.models.vat import DEFAULT_VAT, VatRate
from desktop_pos.ui import theme

log = logging.getLogger(__name__)

_FIELD_ORDER = ("name", "quantity", "price", "discount")


class ItemDialog(QDialog):
    """Add an item (``item=None``) or edit ``item``; read the result with ``item()``."""

    def __init__(
        self,
        item: OrderItem | None = None,
        *,
        language: Language = Language.RU,
        quantity_only: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("itemDialog")
        self.setModal(True)
        self._language = language
        self._editing = item is not None
        self._quantity_only = quantity_only and item is not None
        self._result: OrderItem | None = None
        self._touched: set[str] = set()
        self._errors: dict[str, UserFacingError] = {}

        self._name_label = QLabel()
        self._name_edit = QLineEdit()
        self._name_edit.setObjectName("nameEdit")
        self._name_edit.setMaxLength(MAX_ITEM_NAME_LENGTH)
        self._quantity_label = QLabel()
        self._quantity_edit = QLineEdit()
        self._quantity_edit.setObjectName("quantityEdit")
        self._price_label = QLabel()
        self._price_edit = QLineEdit()
        self._price_edit.setObjectName("priceEdit")
        self._discount_label = QLabel()
        self._discount_edit = QLineEdit()
        self._discount_edit.setObjectName("discountEdit")
        self._vat_label = QLabel()
        self._vat_combo = QComboBox()
        self._vat_combo.setObjectName("vatCombo")
        for rate in VatRate:
            self._vat_combo.addItem(rate.text.get(language), rate.value)

        form_rows: tuple[tuple[QLabel, QWidget], ...] = (
            (self._name_label, self._name_edit),
            (self._quantity_label, self._quantity_edit),
            (self._price_label, self._price_edit),
            (self._discount_label, self._discount_edit),
            (self._vat_label, self._vat_combo),
        )
        for label, field_widget in form_rows:
            label.setBuddy(field_widget)
            field_widget.setMinimumHeight(theme.INPUT_MIN_HEIGHT)
        for edit in (self._quantity_edit, self._price_edit, self._discount_edit):
            edit.setAlignment(Qt.AlignmentFlag.AlignRight)
            edit.setMaximumWidth(220)
        self._vat_combo.setMaximumWidth(220)

        self._sum_label = QLabel()
        self._sum_label.setObjectName("itemSumLabel")
        self._error_label = QLabel()
        self._error_label.setObjectName("itemErrorLabel")
        self._error_label.setWordWrap(True)
        theme.set_role(self._error_label, theme.ROLE_ERROR)
        # Room for two lines, so the buttons do not jump when a message appears.
        self._error_label.setMinimumHeight(self._error_label.fontMetrics().lineSpacing() * 2 + 8)
        self._error_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)

        self._save_button = QPushButton()
        self._save_button.setObjectName("saveButton")
        self._save_button.setDefault(True)
        theme.set_role(self._save_button, theme.ROLE_CONFIRM)
        self._cancel_button = QPushButton()
        self._cancel_button.setObjectName("cancelButton")
        self._cancel_button.setAutoDefault(False)
        for button in (self._save_button, self._cancel_button):
            button.setMinimumHeight(theme.BUTTON_MIN_HEIGHT)
            button.setMinimumWidth(160)
        self._save_button.clicked.connect(self.accept)
        self._cancel_button.clicked.connect(self.reject)

        form = QGridLayout()
        form.setHorizontalSpacing(theme.SPACING)
        form.setVerticalSpacing(theme.SPACING)
        label_alignment = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for row, (label, field_widget) in enumerate(form_rows):
            form.addWidget(label, row, 0, label_alignment)
            form.addWidget(field_widget, row, 1)
        form.setColumnStretch(1, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self._cancel_button)
        buttons.addWidget(self._save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        layout.addLayout(form)
        layout.addWidget(self._sum_label)
        layout.addWidget(self._error_label)
        layout.addLayout(buttons)
        self.setMinimumWidth(900)

        self.setTabOrder(self._name_edit, self._quantity_edit)
        self.setTabOrder(self._quantity_edit, self._price_edit)
        self.setTabOrder(self._price_edit, self._discount_edit)
        self.setTabOrder(self._discount_edit, self._vat_combo)
        self.setTabOrder(self._vat_combo, self._save_button)
        self.setTabOrder(self._save_button, self._cancel_button)

        self._fill(item)
        if self._quantity_only:
            for edit in (self._name_edit, self._price_edit, self._discount_edit):
                edit.setReadOnly(True)
                edit.setEnabled(False)  # greyed, so it is plain these cannot be changed
            self._vat_combo.setEnabled(False)
        for edit in (self._name_edit, self._quantity_edit, self._price_edit, self._discount_edit):
            edit.textEdited.connect(self._on_edited)
        self._vat_combo.currentIndexChanged.connect(self._revalidate)

        self.retranslate_ui()
        first = self._quantity_edit if self._quantity_only else self._name_edit
        first.setFocus()
        first.selectAll()

    # -- public API -------------------------------------------------------------------------
    def item(self) -> OrderItem:
        """The item as entered; valid only after the dialog was accepted."""
        if self._result is None:
            raise RuntimeError("ItemDialog.item() is only available after the dialog is accepted")
        return self._result

    def is_quantity_only(self) -> bool:
        return self._quantity_only

    def set_language(self, language: Language) -> None:
        self._language = language
        for index, rate in enumerate(VatRate):
            self._vat_combo.setItemText(index, rate.text.get(language))
        self._revalidate()

    def accept(self) -> None:
        item = self._validate()
        if item is None:  # Enter while invalid: nothing is saved, the message says why
            self._touched.update(_FIELD_ORDER)
            self._revalidate()
            return
        self._result = item
        super().accept()

    # -- texts ------------------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        if self._quantity_only:
            self.setWindowTitle(self.tr("Изменить количество"))
        elif self._editing:
            self.setWindowTitle(self.tr("Изменить позицию"))
        else:
            self.setWindowTitle(self.tr("Новая позиция"))
        self._name_label.setText(self.tr("&Наименование:"))
        self._quantity_label.setText(self.tr("&Количество:"))
        self._price_label.setText(self.tr("&Цена, руб.:"))
        self._discount_label.setText(self.tr("&Скидка (уже учтена в цене), руб.:"))
        self._vat_label.setText(self.tr("Н&ДС:"))
        self._discount_edit.setPlaceholderText(self.tr("необязательно"))
        self._save_button.setText(self.tr("Сохранить"))
        self._cancel_button.setText(self.tr("Отмена"))
        self._revalidate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    # -- validation -------------------------------------------------------------------------
    def _fill(self, item: OrderItem | None) -> None:
        if item is None:
            self._quantity_edit.setText(format_quantity(Decimal(1)))
            self._vat_combo.setCurrentIndex(self._vat_combo.findData(DEFAULT_VAT.value))
            return
        self._name_edit.setText(item.name)
        self._name_edit.setCursorPosition(0)  # a long name shows its beginning
        self._name_edit.setToolTip(item.name)
        self._quantity_edit.setText(format_quantity(item.quantity))
        self._price_edit.setText(format_amount(item.price))
        if item.discount > 0:
            self._discount_edit.setText(format_amount(item.discount))
        self._vat_combo.setCurrentIndex(self._vat_combo.findData(item.vat.value))
        self._touched.update(_FIELD_ORDER)

    def _on_edited(self) -> None:
        sender = self.sender()
        for name, edit in self._edits().items():
            if edit is sender:
                self._touched.add(name)
        self._revalidate()

    def _edits(self) -> dict[str, QLineEdit]:
        return {
            "name": self._name_edit,
            "quantity": self._quantity_edit,
            "price": self._price_edit,
            "discount": self._discount_edit,
        }

    def _field_errors(self) -> dict[str, UserFacingError]:
        """Each field checked on its own, so a problem is reported next to what was typed."""
        errors: dict[str, UserFacingError] = {}
        try:  # the name alone (OrderItem owns the name rules)
            OrderItem(name=self._name_edit.text(), quantity=Decimal(1), price=ZERO)
        except UserFacingError as error:
            errors["name"] = error
        for name, parse in (("quantity", parse_quantity), ("price", parse_amount)):
            try:
                parse(self._edits()[name].text())
            except UserFacingError as error:
                errors[name] = error
        if self._discount_edit.text().strip():
            try:
                parse_amount(self._discount_edit.text())
            except UserFacingError as error:
                errors["discount"] = error
        return errors

    def _validate(self) -> OrderItem | None:
        """The item from the fields, or ``None``; the problems go to ``_errors`` (form order)."""
        self._errors = self._field_errors()
        if self._errors:
            return None
        discount_text = self._discount_edit.text().strip()
        try:
            return OrderItem(
                name=self._name_edit.text(),
                quantity=parse_quantity(self._quantity_edit.text()),
                price=parse_amount(self._price_edit.text()),
                vat=VatRate(self._vat_combo.currentData()),
                discount=parse_amount(discount_text) if discount_text else ZERO,
            )
        except UserFacingError as error:  # e.g. quantity × price above the maximum amount
            self._errors = {error.field or "price": error}
            return None

    def _shown_error(self) -> UserFacingError | None:
        """The first problem, in form order, in a field the cashier has already typed into."""
        for name in _FIELD_ORDER:
            error = self._errors.get(name)
            if error is not None and name in self._touched:
                return error
        return None

    def _revalidate(self) -> None:
        item = self._validate()
        self._save_button.setEnabled(item is not None)
        for name, edit in self._edits().items():
            theme.set_invalid(edit, name in self._errors and name in self._touched)
        if item is not None:
            self._sum_label.setText(
                self.tr("Сумма: {amount}").format(amount=format_rub(item.amount))
            )
            self._error_label.clear()
            return
        self._sum_label.setText(self.tr("Сумма: —"))
        error = self._shown_error()
        if error is None:
            self._error_label.clear()
            return
        text = error.text.get(self._language)
        if self._error_label.text() != text:
            log.info("item input rejected: %s", error.text.en)
        self._error_label.setText(text)


class RemoveItemQuestion(QMessageBox):
    """«Удалить позицию N «…»?» — «Удалить» (Enter) or «Отмена» (Esc)."""

    def __init__(self, number: int, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("removeItemConfirmation")
        self.setIcon(QMessageBox.Icon.Question)
        self._number = number
        self._name = name
        self._remove = self.addButton("", QMessageBox.ButtonRole.AcceptRole)
        self._remove.setObjectName("confirmRemoveButton")
        self._cancel = self.addButton("", QMessageBox.ButtonRole.RejectRole)
        self._cancel.setObjectName("cancelRemoveButton")
        for button in (self._remove, self._cancel):
            button.setMinimumHeight(theme.BUTTON_MIN_HEIGHT)
            button.setMinimumWidth(140)
        self.setDefaultButton(self._remove)
        self.setEscapeButton(self._cancel)
        self.retranslate_ui()

    def is_confirmed(self) -> bool:
        """«Удалить» was chosen (after the question closed)."""
        return self.clickedButton() is self._remove

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Удаление позиции"))
        self.setText(
            self.tr("Удалить позицию {number} «{name}»?").format(
                number=self._number, name=self._name
            )
        )
        self._remove.setText(self.tr("Удалить"))
        self._cancel.setText(self.tr("Отмена"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
