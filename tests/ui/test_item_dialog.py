"""ItemDialog: adding and editing one item by keyboard, with the live sum and input errors."""

from __future__ import annotations

from decimal import Decimal
from typing import TypeVar

import pytest
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QComboBox, QDialog, QLabel, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from desktop_pos.models.order import OrderItem
from desktop_pos.models.texts import Language
from desktop_pos.models.vat import VatRate
from desktop_pos.ui.item_dialog import ItemDialog

W = TypeVar("W", bound=QObject)

CANON = OrderItem(
    "Компактный фотоаппарат CANON",
    Decimal(3),
    Decimal("1.16"),
    VatRate.VAT20,
    discount=Decimal("0.12"),
)


def child(dialog: QObject, kind: type[W], name: str) -> W:
    widget = dialog.findChild(kind, name)
    assert widget is not None, name
    return widget


def open_dialog(qtbot: QtBot, item: OrderItem | None = None, **kwargs) -> ItemDialog:
    dialog = ItemDialog(item, **kwargs)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    return dialog


def retype(qtbot: QtBot, edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(edit, text)


def test_new_item_typed_and_saved_with_enter(qtbot: QtBot, type_text) -> None:
    dialog = open_dialog(qtbot)
    name = child(dialog, QLineEdit, "nameEdit")
    quantity = child(dialog, QLineEdit, "quantityEdit")
    price = child(dialog, QLineEdit, "priceEdit")
    save = child(dialog, QPushButton, "saveButton")
    vat = child(dialog, QComboBox, "vatCombo")

    assert dialog.windowTitle() == "Новая позиция"
    assert quantity.text() == "1.000"
    assert vat.currentText() == "НДС 20%"
    assert [vat.itemText(i) for i in range(vat.count())] == [rate.label for rate in VatRate]
    assert not save.isEnabled()  # no name, no price yet
    assert child(dialog, QLabel, "itemErrorLabel").text() == ""  # nothing typed: no reproach
    assert dialog.focusWidget() is name

    type_text(name, "Чехол")
    qtbot.keyClick(name, Qt.Key.Key_Tab)
    retype(qtbot, quantity, "2,5")
    retype(qtbot, price, "10,01")
    assert child(dialog, QLabel, "itemSumLabel").text() == "Сумма: 25.03 руб."
    assert save.isEnabled()

    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(price, Qt.Key.Key_Return)
    assert dialog.item() == OrderItem("Чехол", Decimal("2.5"), Decimal("10.01"), VatRate.VAT20)


def test_bad_price_shows_message_and_blocks_save(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot)
    qtbot.keyClicks(child(dialog, QLineEdit, "nameEdit"), "Case")
    price = child(dialog, QLineEdit, "priceEdit")
    qtbot.keyClicks(price, "1,2,3")

    error = child(dialog, QLabel, "itemErrorLabel")
    assert error.text() == "В сумме может быть только один разделитель (',' или '.')."
    assert price.property("invalid") is True
    assert not child(dialog, QPushButton, "saveButton").isEnabled()
    assert child(dialog, QLabel, "itemSumLabel").text() == "Сумма: —"

    qtbot.keyClick(price, Qt.Key.Key_Return)  # Enter while invalid saves nothing
    assert dialog.isVisible()
    assert dialog.result() == QDialog.DialogCode.Rejected
    with pytest.raises(RuntimeError):
        dialog.item()

    qtbot.keyClick(price, Qt.Key.Key_Backspace)
    qtbot.keyClick(price, Qt.Key.Key_Backspace)
    assert price.text() == "1,2"
    assert error.text() == ""
    assert price.property("invalid") is False
    assert child(dialog, QPushButton, "saveButton").isEnabled()


def test_bad_quantity_and_discount_messages(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot)
    qtbot.keyClicks(child(dialog, QLineEdit, "nameEdit"), "Case")
    error = child(dialog, QLabel, "itemErrorLabel")
    retype(qtbot, child(dialog, QLineEdit, "quantityEdit"), "0")
    assert error.text() == "Количество должно быть больше нуля."
    retype(qtbot, child(dialog, QLineEdit, "quantityEdit"), "1")
    qtbot.keyClicks(child(dialog, QLineEdit, "priceEdit"), "5")
    qtbot.keyClicks(child(dialog, QLineEdit, "discountEdit"), "-1")
    assert error.text() == "Сумма не может быть отрицательной."
    assert not child(dialog, QPushButton, "saveButton").isEnabled()


def test_error_follows_the_language(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, language=Language.EN)
    qtbot.keyClicks(child(dialog, QLineEdit, "priceEdit"), "abc")
    assert child(dialog, QLabel, "itemErrorLabel").text() == (
        "An amount may contain only digits and one separator (',' or '.')."
    )
    dialog.set_language(Language.RU)
    assert child(dialog, QLabel, "itemErrorLabel").text() == (
        "Сумма может содержать только цифры и один разделитель (',' или '.')."
    )


def test_name_cleared_shows_message(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, CANON)
    retype(qtbot, child(dialog, QLineEdit, "nameEdit"), "   ")
    assert child(dialog, QLabel, "itemErrorLabel").text() == "Введите наименование позиции."
    assert not child(dialog, QPushButton, "saveButton").isEnabled()


def test_edit_prefills_and_changes_vat(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, CANON)
    assert dialog.windowTitle() == "Изменить позицию"
    assert child(dialog, QLineEdit, "nameEdit").text() == "Компактный фотоаппарат CANON"
    assert child(dialog, QLineEdit, "quantityEdit").text() == "3.000"
    assert child(dialog, QLineEdit, "priceEdit").text() == "1.16"
    assert child(dialog, QLineEdit, "discountEdit").text() == "0.12"
    assert child(dialog, QLabel, "itemSumLabel").text() == "Сумма: 3.48 руб."

    vat = child(dialog, QComboBox, "vatCombo")
    vat.setFocus()
    qtbot.keyClick(vat, Qt.Key.Key_Down)
    assert vat.currentText() == "НДС 10%"
    qtbot.mouseClick(child(dialog, QPushButton, "saveButton"), Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.item().vat is VatRate.VAT10
    assert dialog.item().discount == Decimal("0.12")


def test_escape_cancels(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, CANON)
    retype(qtbot, child(dialog, QLineEdit, "quantityEdit"), "7")
    with qtbot.waitSignal(dialog.rejected):
        qtbot.keyClick(child(dialog, QLineEdit, "quantityEdit"), Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_cancel_button(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot)
    cancel = child(dialog, QPushButton, "cancelButton")
    assert cancel.text() == "Отмена"
    assert child(dialog, QPushButton, "saveButton").text() == "Сохранить"
    with qtbot.waitSignal(dialog.rejected):
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)


def test_quantity_only_leaves_other_fields_read_only(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, CANON, quantity_only=True)
    assert dialog.is_quantity_only()
    assert dialog.windowTitle() == "Изменить количество"
    for name in ("nameEdit", "priceEdit", "discountEdit"):
        edit = child(dialog, QLineEdit, name)
        assert edit.isReadOnly() and not edit.isEnabled(), name
    assert not child(dialog, QComboBox, "vatCombo").isEnabled()
    quantity = child(dialog, QLineEdit, "quantityEdit")
    assert dialog.focusWidget() is quantity
    retype(qtbot, quantity, "4")
    qtbot.keyClick(quantity, Qt.Key.Key_Enter)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.item() == OrderItem(
        "Компактный фотоаппарат CANON",
        Decimal(4),
        Decimal("1.16"),
        VatRate.VAT20,
        discount=Decimal("0.12"),
    )


def test_quantity_only_is_ignored_for_a_new_item(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, None, quantity_only=True)
    assert not dialog.is_quantity_only()
    assert not child(dialog, QLineEdit, "nameEdit").isReadOnly()


def test_too_large_sum_is_refused(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot)
    qtbot.keyClicks(child(dialog, QLineEdit, "nameEdit"), "Gold bar")
    retype(qtbot, child(dialog, QLineEdit, "quantityEdit"), "99999")
    qtbot.keyClicks(child(dialog, QLineEdit, "priceEdit"), "9999999999999")
    assert child(dialog, QLabel, "itemErrorLabel").text() == "Сумма позиции слишком велика."
    assert not child(dialog, QPushButton, "saveButton").isEnabled()
