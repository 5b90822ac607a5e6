"""«ДАННЫЕ ЗАКАЗА»: the sample order as the guide shows it, totals, item edits, payment checks."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import TypeVar

import pytest
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QToolTip,
    QWidget,
)
from pytestqt.qtbot import QtBot

from desktop_pos.models.order import EditPermissions, Order, OrderItem
from desktop_pos.models.payment import PaymentMethod
from desktop_pos.models.texts import Language
from desktop_pos.ui.item_dialog import ItemDialog
from desktop_pos.ui.items_model import ItemColumn
from desktop_pos.ui.order_screen import OrderScreen

W = TypeVar("W", bound=QObject)
LEFT = Qt.MouseButton.LeftButton


def find(screen: QObject, kind: type[W], name: str) -> W:
    widget = screen.findChild(kind, name)
    assert widget is not None, name
    return widget


def label(screen: QWidget, name: str) -> str:
    return find(screen, QLabel, name).text()


def table_texts(screen: OrderScreen) -> list[list[str]]:
    table = find(screen, QTableView, "itemsTable")
    model = table.model()
    return [
        [model.index(row, column).data() for column in ItemColumn]
        for row in range(model.rowCount())
    ]


@pytest.fixture
def show_screen(qtbot: QtBot):
    def show(order: Order, language: Language = Language.RU) -> OrderScreen:
        screen = OrderScreen(order, language=language)
        qtbot.addWidget(screen)
        screen.resize(1280, 740)
        screen.show()
        qtbot.waitExposed(screen)
        screen.activateWindow()
        qtbot.waitUntil(screen.isActiveWindow)
        return screen

    return show


@pytest.fixture
def screen(show_screen, sample: Order) -> OrderScreen:
    return show_screen(sample)


def test_sample_order_reads_like_the_guide(screen: OrderScreen, sample: Order) -> None:
    rows = table_texts(screen)
    assert rows[0] == ["1.", "Компактный фотик", "2.000 x 1.82 = 3.64", "НДС 20%"]
    assert rows[1][2] == "3.000 x 1.16 = 3.48\nСКИДКА = 0.12"
    assert len(rows) == 4
    assert label(screen, "totalValue") == "14.24 руб."
    assert find(screen, QLineEdit, "prepaidEdit").text() == "0.00"
    assert label(screen, "dueValue") == "14.24 руб."
    assert find(screen, QLineEdit, "orderNumberEdit").text() == sample.number
    assert find(screen, QLineEdit, "emailEdit").text() == "mail@assist.ru"
    assert find(screen, QLineEdit, "commentEdit").text() == "Демонстрационный заказ"
    assert find(screen, QLabel, "paymentMethodsTitle").text() == "СПОСОБ ОПЛАТЫ"
    texts = [
        find(screen, QPushButton, n).text()
        for n in ("cashButton", "cardReaderButton", "sbpButton", "softposButton")
    ]
    assert texts == ["Наличные", "Картридер", "СБП", "SoftPOS"]
    assert find(screen, QLabel, "cashButtonHint").text() == "F5"
    assert find(screen, QLabel, "softposButtonHint").text() == "F8"
    assert screen.current_order() == sample


def test_prepaid_reduces_the_amount_due(qtbot: QtBot, screen: OrderScreen) -> None:
    prepaid = find(screen, QLineEdit, "prepaidEdit")
    prepaid.selectAll()
    qtbot.keyClicks(prepaid, "1,35")
    assert label(screen, "dueValue") == "12.89 руб."
    assert label(screen, "totalValue") == "14.24 руб."
    assert not find(screen, QLabel, "prepaidErrorLabel").isVisible()
    with qtbot.waitSignal(screen.cash_requested) as paid:
        qtbot.mouseClick(find(screen, QPushButton, "cashButton"), LEFT)
    order = paid.args[0]
    assert order.prepaid == Decimal("1.35")
    assert order.due == Decimal("12.89")


def test_prepaid_above_total_blocks_cash(qtbot: QtBot, screen: OrderScreen) -> None:
    prepaid = find(screen, QLineEdit, "prepaidEdit")
    prepaid.selectAll()
    qtbot.keyClicks(prepaid, "15")
    error = find(screen, QLabel, "prepaidErrorLabel")
    assert error.isVisible()
    assert error.text() == "Предоплата больше суммы заказа (14.24 руб.)."
    assert label(screen, "dueValue") == "—"

    find(screen, QPushButton, "cashButton").setFocus()
    with qtbot.assertNotEmitted(screen.cash_requested):
        qtbot.mouseClick(find(screen, QPushButton, "cashButton"), LEFT)
    assert label(screen, "orderErrorLabel") == "Предоплата больше суммы заказа."
    assert find(screen, QLabel, "orderErrorLabel").isVisible()
    assert QApplication.focusWidget() is prepaid
    assert prepaid.text() == "15"  # what was typed stays


def test_unreadable_prepaid_blocks_cash(qtbot: QtBot, screen: OrderScreen) -> None:
    prepaid = find(screen, QLineEdit, "prepaidEdit")
    prepaid.selectAll()
    qtbot.keyClicks(prepaid, "1.2.3")
    assert label(screen, "prepaidErrorLabel") == (
        "В сумме может быть только один разделитель (',' или '.')."
    )
    with qtbot.assertNotEmitted(screen.cash_requested):
        qtbot.keyClick(screen, Qt.Key.Key_F5)
    assert label(screen, "orderErrorLabel") == label(screen, "prepaidErrorLabel")
    assert QApplication.focusWidget() is prepaid
    assert screen.current_order().prepaid == Decimal("1.20")  # "1.2" was the last readable


def test_invalid_order_number_shows_message_and_blocks_payment(
    qtbot: QtBot, screen: OrderScreen
) -> None:
    number = find(screen, QLineEdit, "orderNumberEdit")
    number.selectAll()
    qtbot.keyClicks(number, "A<1>")
    error = find(screen, QLabel, "orderNumberErrorLabel")
    assert error.isVisible()
    assert error.text() == "Недопустимые символы в номере заказа: '<' '>'."
    assert number.property("invalid") is True

    find(screen, QPushButton, "cashButton").setFocus()
    with qtbot.assertNotEmitted(screen.cash_requested):
        qtbot.keyClick(screen, Qt.Key.Key_F5)
    assert label(screen, "orderErrorLabel") == "Недопустимые символы в номере заказа: '<' '>'."
    assert QApplication.focusWidget() is number

    number.selectAll()
    qtbot.keyClicks(number, "EXT-77")
    assert not error.isVisible()
    assert not find(screen, QLabel, "orderErrorLabel").isVisible()
    with qtbot.waitSignal(screen.cash_requested) as paid:
        qtbot.keyClick(screen, Qt.Key.Key_F5)
    assert paid.args[0].number == "EXT-77"


def test_empty_number_is_refused(qtbot: QtBot, screen: OrderScreen) -> None:
    number = find(screen, QLineEdit, "orderNumberEdit")
    number.selectAll()
    qtbot.keyClick(number, Qt.Key.Key_Delete)
    assert label(screen, "orderNumberErrorLabel") == "Введите номер заказа."


def test_empty_order_cannot_be_paid(qtbot: QtBot, show_screen, sample: Order) -> None:
    screen = show_screen(replace(sample, items=()))
    assert label(screen, "totalValue") == "0.00 руб."
    assert not find(screen, QPushButton, "editItemButton").isEnabled()
    assert not find(screen, QPushButton, "removeItemButton").isEnabled()
    with qtbot.assertNotEmitted(screen.cash_requested):
        qtbot.mouseClick(find(screen, QPushButton, "cashButton"), LEFT)
    assert label(screen, "orderErrorLabel") == "Добавьте в заказ хотя бы одну позицию."
    assert QApplication.focusWidget() is find(screen, QPushButton, "addItemButton")


def test_bad_email_is_refused_with_focus_on_it(qtbot: QtBot, screen: OrderScreen) -> None:
    email = find(screen, QLineEdit, "emailEdit")
    email.selectAll()
    qtbot.keyClicks(email, "not-an-address")
    with qtbot.assertNotEmitted(screen.cash_requested):
        qtbot.keyClick(screen, Qt.Key.Key_F5)
    assert label(screen, "orderErrorLabel") == "Неверный адрес электронной почты."
    assert QApplication.focusWidget() is email


def test_cash_emits_the_order_as_edited(qtbot: QtBot, screen: OrderScreen) -> None:
    email = find(screen, QLineEdit, "emailEdit")
    email.selectAll()
    qtbot.keyClicks(email, "buyer@example.com")
    comment = find(screen, QLineEdit, "commentEdit")
    comment.selectAll()
    qtbot.keyClicks(comment, "Gift wrap")
    with qtbot.waitSignal(screen.cash_requested) as paid:
        qtbot.keyClick(screen, Qt.Key.Key_F5)
    order = paid.args[0]
    assert (order.email, order.comment, order.total) == (
        "buyer@example.com",
        "Gift wrap",
        Decimal("14.24"),
    )


def open_item_dialog(qtbot: QtBot, screen: OrderScreen) -> ItemDialog:
    qtbot.waitUntil(lambda: screen.current_item_dialog() is not None)
    dialog = screen.current_item_dialog()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def retype(qtbot: QtBot, edit: QLineEdit, text: str) -> None:
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(edit, text)


def test_add_item_by_keyboard(qtbot: QtBot, screen: OrderScreen, type_text) -> None:
    find(screen, QTableView, "itemsTable").setFocus()
    qtbot.keyClick(screen, Qt.Key.Key_Insert)
    dialog = open_item_dialog(qtbot, screen)
    type_text(find(dialog, QLineEdit, "nameEdit"), "Ремешок")
    qtbot.keyClick(find(dialog, QLineEdit, "nameEdit"), Qt.Key.Key_Tab)
    retype(qtbot, find(dialog, QLineEdit, "quantityEdit"), "2")
    qtbot.keyClicks(find(dialog, QLineEdit, "priceEdit"), "0.5")
    qtbot.keyClick(find(dialog, QLineEdit, "priceEdit"), Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: screen.current_item_dialog() is None)
    rows = table_texts(screen)
    assert rows[4] == ["5.", "Ремешок", "2.000 x 0.50 = 1.00", "НДС 20%"]
    assert label(screen, "totalValue") == "15.24 руб."
    assert label(screen, "dueValue") == "15.24 руб."
    assert screen.selected_row() == 4


def test_add_item_by_button_then_cancel_changes_nothing(qtbot: QtBot, screen: OrderScreen) -> None:
    qtbot.mouseClick(find(screen, QPushButton, "addItemButton"), LEFT)
    dialog = open_item_dialog(qtbot, screen)
    qtbot.keyClicks(find(dialog, QLineEdit, "nameEdit"), "Strap")
    qtbot.mouseClick(find(dialog, QPushButton, "cancelButton"), LEFT)
    qtbot.waitUntil(lambda: screen.current_item_dialog() is None)
    assert len(table_texts(screen)) == 4
    assert label(screen, "totalValue") == "14.24 руб."


def test_edit_item_with_enter_on_the_row(qtbot: QtBot, screen: OrderScreen) -> None:
    table = find(screen, QTableView, "itemsTable")
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Down)  # row 2: the CANON with a discount
    assert screen.selected_row() == 1
    qtbot.keyClick(table, Qt.Key.Key_Return)
    dialog = open_item_dialog(qtbot, screen)
    assert find(dialog, QLineEdit, "discountEdit").text() == "0.12"
    retype(qtbot, find(dialog, QLineEdit, "quantityEdit"), "1")
    qtbot.keyClick(find(dialog, QLineEdit, "quantityEdit"), Qt.Key.Key_Enter)
    qtbot.waitUntil(lambda: screen.current_item_dialog() is None)

    assert table_texts(screen)[1][2] == "1.000 x 1.16 = 1.16\nСКИДКА = 0.12"
    assert label(screen, "totalValue") == "11.92 руб."
    assert label(screen, "dueValue") == "11.92 руб."
    assert QApplication.focusWidget() is table


def test_edit_item_with_f2_and_double_click(qtbot: QtBot, screen: OrderScreen) -> None:
    table = find(screen, QTableView, "itemsTable")
    table.setFocus()
    qtbot.keyClick(screen, Qt.Key.Key_F2)
    dialog = open_item_dialog(qtbot, screen)
    assert find(dialog, QLineEdit, "nameEdit").text() == "Компактный фотик"
    qtbot.keyClick(find(dialog, QLineEdit, "nameEdit"), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: screen.current_item_dialog() is None)

    rect = table.visualRect(table.model().index(2, ItemColumn.NAME))
    # A real double-click starts with a click; QTest's double-click alone has no first press.
    qtbot.mouseClick(table.viewport(), LEFT, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), LEFT, pos=rect.center())
    dialog = open_item_dialog(qtbot, screen)
    retype(qtbot, find(dialog, QLineEdit, "priceEdit"), "2")
    qtbot.mouseClick(find(dialog, QPushButton, "saveButton"), LEFT)
    qtbot.waitUntil(lambda: screen.current_item_dialog() is None)
    assert table_texts(screen)[2][2] == "2.000 x 2.00 = 4.00"
    assert label(screen, "totalValue") == "14.60 руб."


def wait_confirmation(qtbot: QtBot, screen: OrderScreen):
    qtbot.waitUntil(lambda: screen.current_confirmation() is not None)
    box = screen.current_confirmation()
    assert box is not None
    qtbot.waitExposed(box)
    return box


def test_remove_item_with_delete_key_and_enter(qtbot: QtBot, screen: OrderScreen) -> None:
    table = find(screen, QTableView, "itemsTable")
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Down)
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    box = wait_confirmation(qtbot, screen)
    assert box.text() == (
        "Удалить позицию 2 «Компактный фотоаппарат CANON PowerShot SX420 IS черный»?"
    )
    qtbot.keyClick(box, Qt.Key.Key_Return)  # Enter confirms
    qtbot.waitUntil(lambda: screen.current_confirmation() is None)

    rows = table_texts(screen)
    assert [row[0] for row in rows] == ["1.", "2.", "3."]
    assert rows[1][1] == "Компактный фотик"
    assert label(screen, "totalValue") == "10.76 руб."
    assert screen.selected_row() == 1


def test_remove_item_by_button_cancelled_with_escape(qtbot: QtBot, screen: OrderScreen) -> None:
    qtbot.mouseClick(find(screen, QPushButton, "removeItemButton"), LEFT)
    box = wait_confirmation(qtbot, screen)
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: screen.current_confirmation() is None)
    assert len(table_texts(screen)) == 4
    assert label(screen, "totalValue") == "14.24 руб."


def test_remove_by_button_confirmed_by_click(qtbot: QtBot, screen: OrderScreen) -> None:
    qtbot.mouseClick(find(screen, QPushButton, "removeItemButton"), LEFT)
    box = wait_confirmation(qtbot, screen)
    qtbot.mouseClick(find(box, QPushButton, "confirmRemoveButton"), LEFT)
    qtbot.waitUntil(lambda: screen.current_confirmation() is None)
    assert len(table_texts(screen)) == 3
    assert label(screen, "totalValue") == "10.60 руб."


def test_delete_key_in_a_text_field_does_not_remove_items(
    qtbot: QtBot, screen: OrderScreen
) -> None:
    number = find(screen, QLineEdit, "orderNumberEdit")
    number.setFocus()
    number.home(False)
    qtbot.keyClick(number, Qt.Key.Key_Delete)
    assert screen.current_confirmation() is None
    assert len(number.text()) == len(screen.current_order().number)
    assert len(table_texts(screen)) == 4


def test_the_card_reader_is_disabled_with_a_reason(qtbot: QtBot, screen: OrderScreen) -> None:
    button = find(screen, QPushButton, "cardReaderButton")
    assert not button.isEnabled()
    assert button.toolTip() == "Оплата картой через картридер появится в следующей версии."
    for name in ("cashButton", "sbpButton", "softposButton"):
        assert find(screen, QPushButton, name).isEnabled(), name
    assert "СБП и SoftPOS" in label(screen, "methodsNoteLabel")
    assert find(screen, QLabel, "methodsNoteLabel").isVisible()


def test_tooltip_shows_on_a_disabled_method_button(qtbot: QtBot, screen: OrderScreen) -> None:
    button = find(screen, QPushButton, "cardReaderButton")
    QToolTip.hideText()
    qtbot.mouseMove(button, button.rect().center())
    QCursor.setPos(button.mapToGlobal(button.rect().center()))
    qtbot.waitUntil(lambda: QToolTip.isVisible(), timeout=3000)
    assert QToolTip.text() == "Оплата картой через картридер появится в следующей версии."
    QToolTip.hideText()


def test_f6_explains_instead_of_paying(qtbot: QtBot, screen: OrderScreen) -> None:
    with qtbot.assertNotEmitted(screen.cash_requested):
        qtbot.keyClick(screen, Qt.Key.Key_F6)
    assert label(screen, "orderErrorLabel") == (
        "Оплата картой через картридер появится в следующей версии."
    )


@pytest.mark.parametrize(
    ("key", "method"), [(Qt.Key.Key_F7, PaymentMethod.SBP), (Qt.Key.Key_F8, PaymentMethod.SOFTPOS)]
)
def test_f7_and_f8_request_a_qr_payment(
    qtbot: QtBot, screen: OrderScreen, key: Qt.Key, method: PaymentMethod
) -> None:
    with qtbot.waitSignal(screen.remote_requested) as requested:
        qtbot.keyClick(screen, key)
    order, chosen = requested.args
    assert chosen is method and order.due == Decimal("14.24")


def test_f5_pays_cash_from_any_field(qtbot: QtBot, screen: OrderScreen) -> None:
    comment = find(screen, QLineEdit, "commentEdit")
    comment.setFocus()
    with qtbot.waitSignal(screen.cash_requested) as paid:
        qtbot.keyClick(comment, Qt.Key.Key_F5)
    assert paid.args[0].due == Decimal("14.24")


def test_permissions_none_allowed(qtbot: QtBot, show_screen, sample: Order) -> None:
    locked = EditPermissions(
        edit_item_quantity=False, remove_item=False, add_item=False, edit_item=False
    )
    screen = show_screen(replace(sample, permissions=locked))
    for name in ("addItemButton", "editItemButton", "removeItemButton"):
        button = find(screen, QPushButton, name)
        assert not button.isEnabled(), name
        assert button.toolTip() == "Не разрешено для этого заказа."
    table = find(screen, QTableView, "itemsTable")
    table.setFocus()
    qtbot.keyClick(screen, Qt.Key.Key_Insert)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert screen.current_item_dialog() is None
    assert screen.current_confirmation() is None
    assert find(screen, QPushButton, "cashButton").isEnabled()


def test_permission_quantity_only(qtbot: QtBot, show_screen, sample: Order) -> None:
    quantity_only = EditPermissions(
        edit_item_quantity=True, remove_item=False, add_item=False, edit_item=False
    )
    screen = show_screen(replace(sample, permissions=quantity_only))
    assert find(screen, QPushButton, "editItemButton").isEnabled()
    assert not find(screen, QPushButton, "addItemButton").isEnabled()
    assert not find(screen, QPushButton, "removeItemButton").isEnabled()
    qtbot.mouseClick(find(screen, QPushButton, "editItemButton"), LEFT)
    dialog = open_item_dialog(qtbot, screen)
    assert dialog.is_quantity_only()
    assert not find(dialog, QLineEdit, "priceEdit").isEnabled()
    retype(qtbot, find(dialog, QLineEdit, "quantityEdit"), "1")
    qtbot.keyClick(find(dialog, QLineEdit, "quantityEdit"), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.current_item_dialog() is None)
    assert table_texts(screen)[0][2] == "1.000 x 1.82 = 1.82"
    assert label(screen, "totalValue") == "12.42 руб."


def test_load_order_replaces_everything(qtbot: QtBot, screen: OrderScreen, sample: Order) -> None:
    prepaid = find(screen, QLineEdit, "prepaidEdit")
    prepaid.selectAll()
    qtbot.keyClicks(prepaid, "99")
    other = replace(
        sample,
        number="EXT-1",
        items=(OrderItem("Tea", Decimal(1), Decimal("5")),),
        prepaid=Decimal("1"),
        email="",
        comment="",
    )
    screen.load_order(other)
    assert find(screen, QLineEdit, "orderNumberEdit").text() == "EXT-1"
    assert table_texts(screen) == [["1.", "Tea", "1.000 x 5.00 = 5.00", "НДС 20%"]]
    assert prepaid.text() == "1.00"
    assert not find(screen, QLabel, "prepaidErrorLabel").isVisible()
    assert label(screen, "dueValue") == "4.00 руб."
    assert screen.current_order() == other


def test_language_reaches_domain_messages(qtbot: QtBot, screen: OrderScreen) -> None:
    prepaid = find(screen, QLineEdit, "prepaidEdit")
    prepaid.selectAll()
    qtbot.keyClicks(prepaid, "x")
    assert label(screen, "prepaidErrorLabel").startswith("Сумма может содержать")
    screen.set_language(Language.EN)
    assert label(screen, "prepaidErrorLabel") == (
        "An amount may contain only digits and one separator (',' or '.')."
    )
    number = find(screen, QLineEdit, "orderNumberEdit")
    number.selectAll()
    qtbot.keyClick(number, Qt.Key.Key_Backspace)
    assert label(screen, "orderNumberErrorLabel") == "Enter the order number."


def test_tab_order_is_the_reading_order(qtbot: QtBot, screen: OrderScreen) -> None:
    expected = [
        "itemsTable",
        "addItemButton",
        "editItemButton",
        "removeItemButton",
        "emailEdit",
        "commentEdit",
        "prepaidEdit",
        "cashButton",
        "sbpButton",
        "softposButton",
        "orderNumberEdit",
    ]
    find(screen, QLineEdit, "orderNumberEdit").setFocus()
    seen = []
    for _ in expected:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        seen.append(focused.objectName() if focused is not None else "")
    assert seen == expected


def test_controls_are_touch_sized(screen: OrderScreen) -> None:
    for name in ("addItemButton", "editItemButton", "removeItemButton", "cashButton", "sbpButton"):
        assert find(screen, QPushButton, name).height() >= 44, name
    for name in ("orderNumberEdit", "prepaidEdit", "emailEdit", "commentEdit"):
        assert find(screen, QLineEdit, name).height() >= 44, name
