"""The main window: a whole cash sale on the real store, cancel, new order, demo, language."""

from __future__ import annotations

import re
import threading
from datetime import datetime
from decimal import Decimal
from typing import TypeVar

import pytest
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QImage
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
)
from pytestqt.qtbot import QtBot

from desktop_pos.hardware.printer.settings import PrinterSettings
from desktop_pos.models.money import change_due
from desktop_pos.models.payment import FiscalState, OrderState, PaymentMethod
from desktop_pos.models.texts import Language
from desktop_pos.sandbox.sample_order import sample_order
from desktop_pos.sandbox.virtual_printer.server import PrinterFault, VirtualPrinterThread
from desktop_pos.services.events import EventBus, OrderStateChanged, SaleCompleted
from desktop_pos.services.printing import PrintService
from desktop_pos.services.store import Store
from desktop_pos.ui.change_dialog import ChangeDialog
from desktop_pos.ui.event_bridge import EventBridge
from desktop_pos.ui.i18n import translation_file
from desktop_pos.ui.main_window import MainWindow
from desktop_pos.ui.result_screen import ResultScreen
from tests.ui.printing_fixtures import (  # noqa: F401 - fixtures
    QR,
    PrintingFactory,
    fiscalize,
    make_printing,
    one_line,
    printer,
    wait_receipts,
)

W = TypeVar("W", bound=QObject)
LEFT = Qt.MouseButton.LeftButton


def find(parent: QObject, kind: type[W], name: str) -> W:
    widget = parent.findChild(kind, name)
    assert widget is not None, name
    return widget


def value(window: MainWindow, name: str) -> str:
    return find(window.result_screen, QLabel, name).text()


def wait_change_dialog(qtbot: QtBot, window: MainWindow) -> ChangeDialog:
    qtbot.waitUntil(lambda: window.current_change_dialog() is not None)
    dialog = window.current_change_dialog()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def press_tab(qtbot: QtBot, times: int) -> None:
    for _ in range(times):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)


def test_cash_sale_by_keyboard_only(qtbot: QtBot, make_window, store: Store) -> None:
    window = make_window()
    number = find(window, QLineEdit, "orderNumberEdit")
    assert QApplication.focusWidget() is number
    order_number = number.text()

    # Tab through the form to «Предоплачено ранее» and take 5.00 off: 14.24 - 5.00 = 9.24 due.
    press_tab(qtbot, 7)
    prepaid = find(window, QLineEdit, "prepaidEdit")
    assert QApplication.focusWidget() is prepaid
    qtbot.keyClicks(prepaid, "5")
    assert find(window, QLabel, "dueValue").text() == "9.24 руб."

    qtbot.keyClick(prepaid, Qt.Key.Key_F5)
    dialog = wait_change_dialog(qtbot, window)
    received = find(dialog, QLineEdit, "receivedEdit")
    assert received.text() == "9.24"
    qtbot.keyClicks(received, "10")  # the due amount is selected: typing replaces it
    assert find(dialog, QLabel, "changeLabel").text() == "0.76"
    qtbot.keyClick(received, Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: window.current_screen() is window.result_screen, timeout=10_000)
    assert window.current_change_dialog() is None
    assert find(window, QLabel, "screenTitleLabel").text() == "РЕЗУЛЬТАТ"
    assert value(window, "statusValue") == "Оплачен"
    assert value(window, "amountValue") == "14.24 руб."
    assert value(window, "prepaidValue") == "5.00 руб."
    assert value(window, "methodValue") == "НАЛИЧНЫЕ"
    assert re.fullmatch(r"\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2}", value(window, "dateValue"))
    assert value(window, "orderNumberValue") == order_number
    assert re.fullmatch(r"[1-9]\d{15}", value(window, "transactionValue"))
    assert "Получено: 10.00 руб., сдача: 0.76 руб." in value(window, "infoValue")
    qtbot.waitUntil(lambda: not window.is_busy())
    back = find(window, QPushButton, "backButton")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is back)

    stored = store.load_result(order_number)
    assert stored is not None
    assert stored.method is PaymentMethod.CASH
    assert stored.state is OrderState.OFFLINE
    assert (stored.amount, stored.received, stored.change) == (
        Decimal("9.24"),
        Decimal("10.00"),
        Decimal("0.76"),
    )
    assert stored.transaction_number == value(window, "transactionValue")

    qtbot.keyClick(back, Qt.Key.Key_Return)  # «Новый заказ»
    assert window.current_screen() is window.order_screen
    assert QApplication.focusWidget() is number
    assert number.text() != order_number


def test_cancel_in_change_dialog_leaves_the_order(qtbot: QtBot, make_window, store: Store) -> None:
    window = make_window()
    before = window.order_screen.current_order()
    qtbot.mouseClick(find(window, QPushButton, "cashButton"), LEFT)
    dialog = wait_change_dialog(qtbot, window)
    qtbot.mouseClick(find(dialog, QPushButton, "key_2"), LEFT)
    qtbot.mouseClick(find(dialog, QPushButton, "key_0"), LEFT)
    assert find(dialog, QLabel, "changeLabel").text() == "5.76"
    qtbot.mouseClick(find(dialog, QPushButton, "key_cancel"), LEFT)

    qtbot.waitUntil(lambda: window.current_change_dialog() is None)
    assert window.current_screen() is window.order_screen
    assert window.order_screen.current_order() == before
    assert find(window, QLabel, "dueValue").text() == "14.24 руб."
    assert find(window, QTableView, "itemsTable").model().rowCount() == 4
    assert store.load_result(before.number) is None


def test_the_next_cash_sale_reuses_the_change_dialog_with_its_own_amount(
    qtbot: QtBot, make_window
) -> None:
    window = make_window()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F5)
    first = wait_change_dialog(qtbot, window)
    qtbot.keyClicks(find(first, QLineEdit, "receivedEdit"), "1")  # too little: refused
    qtbot.keyClick(find(first, QLineEdit, "receivedEdit"), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.current_change_dialog() is None)

    prepaid = find(window, QLineEdit, "prepaidEdit")
    prepaid.setText("4.24")
    qtbot.keyClick(prepaid, Qt.Key.Key_F5)
    second = wait_change_dialog(qtbot, window)
    assert second is first
    assert find(second, QLineEdit, "receivedEdit").text() == "10.00"
    assert find(second, QLabel, "changeLabel").text() == "0.00"
    assert find(second, QLabel, "dueLabel").text() == "К оплате: 10.00 руб."


def test_a_prepared_window_sells_with_the_dialog_and_screen_built_before(
    qtbot: QtBot, make_window
) -> None:
    """``prepare_cash_sale`` (the app calls it once started) builds «ПОДСЧЕТ СДАЧИ» and
    «РЕЗУЛЬТАТ» without showing them; the first sale uses them with its own amount and focus."""
    window = make_window()
    number = find(window, QLineEdit, "orderNumberEdit")
    window.prepare_cash_sale()
    prepared = window.findChild(ChangeDialog)
    assert prepared is not None and not prepared.isVisible()
    qtbot.waitUntil(lambda: window.findChild(ResultScreen) is not None)
    screen = window.findChild(ResultScreen)
    assert window.current_screen() is window.order_screen
    assert window.current_change_dialog() is None
    assert QApplication.focusWidget() is number

    qtbot.keyClick(number, Qt.Key.Key_F5)
    dialog = wait_change_dialog(qtbot, window)
    assert dialog is prepared
    received = find(dialog, QLineEdit, "receivedEdit")
    assert received.text() == "14.24"
    qtbot.waitUntil(lambda: QApplication.focusWidget() is received)
    assert find(dialog, QLabel, "dueLabel").text() == "К оплате: 14.24 руб."
    qtbot.keyClick(received, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_screen() is screen, timeout=10_000)
    assert value(window, "statusValue") == "Оплачен"


def test_escape_in_change_dialog_cancels_too(qtbot: QtBot, make_window) -> None:
    window = make_window()
    before = window.order_screen.current_order()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F5)
    dialog = wait_change_dialog(qtbot, window)
    qtbot.keyClick(find(dialog, QLineEdit, "receivedEdit"), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.current_change_dialog() is None)
    assert window.current_screen() is window.order_screen
    assert window.order_screen.current_order() == before


def test_second_f5_while_the_dialog_is_open_opens_no_second_one(qtbot: QtBot, make_window) -> None:
    window = make_window()
    window.order_screen.request_cash()
    first = wait_change_dialog(qtbot, window)
    window.order_screen.request_cash()
    assert window.current_change_dialog() is first
    assert len(window.findChildren(ChangeDialog)) == 1
    first.reject()


def pay_sample_with_keypad(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.mouseClick(find(window, QPushButton, "cashButton"), LEFT)
    dialog = wait_change_dialog(qtbot, window)
    qtbot.mouseClick(find(dialog, QPushButton, "key_2"), LEFT)
    qtbot.mouseClick(find(dialog, QPushButton, "key_0"), LEFT)
    qtbot.mouseClick(find(dialog, QPushButton, "key_confirm"), LEFT)
    qtbot.waitUntil(lambda: window.current_screen() is window.result_screen, timeout=10_000)


def test_back_button_gives_a_fresh_order(qtbot: QtBot, make_window) -> None:
    window = make_window()
    first_number = window.order_screen.current_order().number
    pay_sample_with_keypad(qtbot, window)
    assert "сдача: 5.76 руб." in value(window, "infoValue")

    qtbot.mouseClick(find(window, QPushButton, "backButton"), LEFT)
    assert window.current_screen() is window.order_screen
    fresh = window.order_screen.current_order()
    assert fresh.number != first_number
    assert find(window, QLineEdit, "orderNumberEdit").text() == fresh.number
    assert window.focusWidget() is find(window, QLineEdit, "orderNumberEdit")
    assert find(window, QLabel, "dueValue").text() == "14.24 руб."
    assert find(window, QLabel, "screenTitleLabel").text() == "ДАННЫЕ ЗАКАЗА"


def test_paying_an_already_paid_number_shows_the_reason(
    qtbot: QtBot, make_window, store: Store
) -> None:
    window = make_window()
    order = window.order_screen.current_order()
    store.record_cash_sale(
        order, Decimal(20), change_due(Decimal(20), order.due), datetime.now().astimezone()
    )
    pay_number = order.number

    qtbot.mouseClick(find(window, QPushButton, "cashButton"), LEFT)
    dialog = wait_change_dialog(qtbot, window)
    qtbot.keyClick(find(dialog, QLineEdit, "receivedEdit"), Qt.Key.Key_Enter)

    def error_box() -> QMessageBox | None:
        return window.findChild(QMessageBox, "userErrorBox")

    qtbot.waitUntil(lambda: error_box() is not None, timeout=10_000)
    box = error_box()
    assert box is not None
    assert box.text() == f"Заказ № {pay_number} уже оплачен. Повторная оплата не требуется."
    qtbot.waitUntil(lambda: not window.is_busy())
    assert window.current_screen() is window.order_screen
    assert window.order_screen.current_order().number == pay_number
    assert window.order_screen.isEnabled()
    box.accept()


def test_demo_banner_only_in_demo_mode(make_window) -> None:
    demo = make_window(demo=True)
    banner = find(demo, QLabel, "demoBanner")
    assert banner.isVisible()
    assert banner.text() == "ДЕМО-РЕЖИМ: отдельная демонстрационная база, продажи не настоящие"
    plain = make_window(demo=False)
    assert not find(plain, QLabel, "demoBanner").isVisible()


def test_header_shows_name_title_and_clock(make_window) -> None:
    window = make_window()
    assert find(window, QLabel, "appNameLabel").text() == "Касса"
    assert find(window, QLabel, "screenTitleLabel").text() == "ДАННЫЕ ЗАКАЗА"
    assert re.fullmatch(r"\d{2}:\d{2}", find(window, QLabel, "clockLabel").text())


def test_fits_1280_by_800(make_window) -> None:
    window = make_window(demo=True)
    assert (window.width(), window.height()) == (1280, 800)
    hint = window.minimumSizeHint()
    assert hint.width() <= 1280 and hint.height() <= 800
    assert window.minimumWidth() <= 1280 and window.minimumHeight() <= 800
    for name in ("cashButton", "softposButton", "addItemButton", "removeItemButton"):
        button = find(window, QPushButton, name)
        corner = button.mapTo(window, button.rect().bottomRight())
        assert window.rect().contains(corner), name  # nothing cut off


def test_about_shows_the_version(qtbot: QtBot, make_window) -> None:
    window = make_window(demo=True)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: window.current_about_dialog() is not None)
    box = window.current_about_dialog()
    assert box is not None
    assert "Версия: 0.1.0-test" in box.text()
    assert "Демо-режим" in box.text()
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.current_about_dialog() is None)


def test_quit_action_closes_the_window(qtbot: QtBot, make_window) -> None:
    window = make_window()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.isVisible())


def test_language_switch_reaches_every_screen(qtbot: QtBot, make_window, russian_ui: None) -> None:
    window = make_window()
    prepaid = find(window, QLineEdit, "prepaidEdit")
    prepaid.selectAll()
    qtbot.keyClicks(prepaid, "x")
    assert find(window, QLabel, "prepaidErrorLabel").text().startswith("Сумма может")

    english = window.findChild(type(window.menuBar().actions()[0]), "actionEnglish")
    assert english is not None
    english.trigger()
    assert window.language() is Language.EN
    assert english.isChecked()
    assert not window.findChild(type(english), "actionRussian").isChecked()
    # Domain texts switch at once, with or without a built translation file.
    assert find(window, QLabel, "prepaidErrorLabel").text() == (
        "An amount may contain only digits and one separator (',' or '.')."
    )
    english_qm = translation_file(Language.EN)
    assert english_qm is not None and english_qm.exists()
    qtbot.waitUntil(lambda: find(window, QPushButton, "cashButton").text().startswith("Cash"))
    visible_texts = {label.text() for label in window.findChildren(QLabel) if label.text()}
    assert {"ORDER DATA", "PAYMENT METHOD", "Total:", "Due:"} <= visible_texts

    prepaid.selectAll()
    qtbot.keyClicks(prepaid, "0")
    pay_sample_with_keypad(qtbot, window)
    assert value(window, "methodValue") == "CASH"
    assert value(window, "statusValue") == "Paid"

    window.findChild(type(english), "actionRussian").trigger()
    assert window.language() is Language.RU
    assert value(window, "methodValue") == "НАЛИЧНЫЕ"


def test_event_bridge_delivers_on_the_gui_thread(qtbot: QtBot, make_window) -> None:
    window = make_window()
    pay_sample_with_keypad(qtbot, window)
    result = window.result_screen.result()
    assert result is not None

    bus = EventBus()
    bridge = EventBridge(bus)
    received: list[tuple[object, bool]] = []
    bridge.sale_completed.connect(
        lambda r: received.append((r, threading.current_thread() is threading.main_thread()))
    )
    worker = threading.Thread(target=bus.publish, args=(SaleCompleted(result),))
    with qtbot.waitSignal(bridge.sale_completed, timeout=5000):
        worker.start()
    worker.join()
    assert received == [(result, True)]

    bridge.close()
    bus.publish(SaleCompleted(result))
    qtbot.wait(50)
    assert len(received) == 1


def test_event_bridge_unsubscribes_when_deleted(qtbot: QtBot) -> None:
    bus = EventBus()
    bridge = EventBridge(bus)
    with qtbot.waitSignal(bridge.destroyed):
        bridge.deleteLater()
    del bridge
    bus.publish(SaleCompleted(result=None))  # type: ignore[arg-type]
    qtbot.wait(20)  # nothing is delivered to a deleted object, nothing is logged as an error


@pytest.mark.parametrize("demo", [False, True])
def test_checked_language_action_matches_start_language(make_window, demo: bool) -> None:
    window = make_window(demo=demo, language=Language.RU)
    actions = {
        a.objectName(): a.isChecked()
        for a in window.findChildren(type(window.menuBar().actions()[0]))
    }
    assert actions["actionRussian"] is True
    assert actions["actionEnglish"] is False


# -- printing ------------------------------------------------------------------------------------
@pytest.fixture
def window_with_events(qtbot: QtBot, qloop: object, checkout, events: EventBus):
    """A MainWindow subscribed to the bus, as the app builds it (the fiscal data events)."""

    def make() -> MainWindow:
        window = MainWindow(
            checkout,
            lambda: sample_order(datetime.now().astimezone()),
            language=Language.RU,
            demo=False,
            version="0.1.0-test",
            events=events,
            use_tray=False,
        )
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    return make


def open_preview_and_print(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.mouseClick(find(window.result_screen, QPushButton, "printButton"), LEFT)
    actions = window.print_actions()
    qtbot.waitUntil(
        lambda: (d := actions.preview_dialog()) is not None and d.preview() is not None,
        timeout=10_000,
    )
    dialog = actions.preview_dialog()
    assert dialog is not None
    qtbot.mouseClick(find(dialog, QPushButton, "previewPrintButton"), LEFT)
    qtbot.waitUntil(lambda: dialog.status_text() == "Чек напечатан.", timeout=10_000)


def test_print_receipt_opens_the_preview_and_prints_on_the_printer(
    qtbot: QtBot,
    make_window,
    make_printing: PrintingFactory,  # noqa: F811
    printer: VirtualPrinterThread,  # noqa: F811
    store: Store,
) -> None:
    window = make_window()
    window.set_printing(make_printing())
    number = window.order_screen.current_order().number
    pay_sample_with_keypad(qtbot, window)

    qtbot.waitUntil(lambda: len(printer.drawer_pulses) == 1, timeout=10_000)  # the cash drawer
    assert printer.receipts == []
    open_preview_and_print(qtbot, window)

    [slip] = wait_receipts(qtbot, printer, 1)
    text = one_line(slip.text)
    assert "НЕ ЯВЛЯЕТСЯ ФИСКАЛЬНЫМ ДОКУМЕНТОМ" in text and number in text
    assert "ИТОГ =14.24" in text.replace("  ", " ")
    details = store.load_details(number)
    assert details is not None
    assert store.print_marks(details.attempts[-1].attempt_id).slip_printed_at is not None


def test_the_fiscal_receipt_is_printed_when_its_data_arrive(
    qtbot: QtBot,
    window_with_events,
    make_printing: PrintingFactory,  # noqa: F811
    printer: VirtualPrinterThread,  # noqa: F811
    store: Store,
    events: EventBus,
) -> None:
    window = window_with_events()
    window.set_printing(make_printing(kick_drawer_on_cash=False))
    number = window.order_screen.current_order().number
    pay_sample_with_keypad(qtbot, window)
    open_preview_and_print(qtbot, window)
    wait_receipts(qtbot, printer, 1)
    details = store.load_details(number)
    assert details is not None

    fiscalize(store, details.attempts[-1].attempt_id)
    worker = threading.Thread(
        target=events.publish,
        args=(OrderStateChanged(number, OrderState.APPROVED, FiscalState.SUCCESS),),
    )
    worker.start()
    worker.join()

    _slip, receipt = wait_receipts(qtbot, printer, 2)
    assert "КАССОВЫЙ ЧЕК" in receipt.text and "КОПИЯ" not in receipt.text
    assert [qr.payload for qr in receipt.decoded.qr_codes] == [QR]
    assert printer.drawer_pulses == []  # kick_drawer_on_cash = false
    qtbot.waitUntil(
        lambda: (
            window.statusBar().currentMessage() == f"Напечатан кассовый чек по заказу № {number}."
        ),
        timeout=10_000,
    )
    dialog = window.print_actions().preview_dialog()
    assert dialog is not None  # the open preview refreshed to the fiscal receipt
    qtbot.waitUntil(
        lambda: (p := dialog.preview()) is not None and "КАССОВЫЙ ЧЕК" in str(p.layouts),
        timeout=10_000,
    )


def test_a_drawer_failure_stays_in_the_status_bar_and_can_be_retried(
    qtbot: QtBot,
    make_window,
    make_printing: PrintingFactory,  # noqa: F811
    printer: VirtualPrinterThread,  # noqa: F811
) -> None:
    window = make_window()
    window.set_printing(make_printing(timeout_s=0.5))
    printer.set_fault(PrinterFault.OFFLINE)

    pay_sample_with_keypad(qtbot, window)  # the result screen does not wait for the drawer

    status = find(window, QLabel, "printerStatusLabel")
    qtbot.waitUntil(lambda: "денежный ящик" in status.text(), timeout=10_000)
    assert status.isVisible() and window.current_screen() is window.result_screen
    box = window.print_actions().error_box()
    assert box is not None and box.objectName() == "printErrorBox"
    retry = next(b for b in box.buttons() if b.text() == "Повторить")
    printer.set_fault(None)
    qtbot.mouseClick(retry, LEFT)
    qtbot.waitUntil(lambda: len(printer.drawer_pulses) == 1, timeout=10_000)
    qtbot.waitUntil(lambda: not status.isVisible(), timeout=10_000)


def test_printing_menu_and_not_ready_message(
    qtbot: QtBot,
    make_window,
    make_printing: PrintingFactory,  # noqa: F811
    tmp_path,
) -> None:
    window = make_window()
    actions = window.print_actions()
    settings_action = window.findChild(QAction, "actionPrinterSettings")
    last_receipt = window.findChild(QAction, "actionLastReceipt")
    assert settings_action is not None and last_receipt is not None
    assert not last_receipt.isVisible()
    assert actions.open_preview("X") is None
    assert "Печать ещё не готова" in window.statusBar().currentMessage()

    setup = make_printing()
    picture = tmp_path / "0001.png"
    QImage(10, 20, QImage.Format.Format_RGB32).save(str(picture))
    setup.last_receipt = lambda: picture
    window.set_printing(setup)
    assert last_receipt.isVisible()
    settings_action.trigger()
    dialog = actions.settings_dialog()
    assert dialog is not None and dialog.isVisible()
    dialog.reject()
    last_receipt.trigger()
    shown = window.findChild(QDialog, "lastReceiptDialog")
    assert shown is not None and "0001.png" in shown.windowTitle()


def test_printer_settings_saved_from_the_menu_apply_to_the_running_window(
    qtbot: QtBot,
    make_window,
    make_printing: PrintingFactory,  # noqa: F811
    printer: VirtualPrinterThread,  # noqa: F811
    tmp_path,
) -> None:
    window = make_window()
    setup = make_printing()
    virtual = setup.printing.settings  # as in demo mode: the virtual printer while none is on
    setup.configured = PrinterSettings()
    setup.choose = lambda s: (PrintService(s), s) if s.enabled else (PrintService(virtual), virtual)
    window.set_printing(setup)
    dialog = window.print_actions().open_settings()
    assert dialog is not None
    enabled = dialog.editor("enabled")
    assert isinstance(enabled, QCheckBox) and not enabled.isChecked()

    dialog.test_print()  # printing is off in the form: the test page goes to the virtual printer
    [page] = wait_receipts(qtbot, printer, 1)
    assert "ТЕСТОВАЯ ПЕЧАТЬ" in page.text

    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=10_000)
    enabled.setChecked(True)
    host = dialog.editor("host")
    assert isinstance(host, QLineEdit)
    host.setText("10.0.0.9")
    with qtbot.waitSignal(dialog.accepted, timeout=15_000):
        dialog.save()
    assert setup.configured.host == "10.0.0.9" and setup.configured.enabled
    assert setup.printing.settings.host == "10.0.0.9"
    assert "сохранены" in window.statusBar().currentMessage()
    assert (tmp_path / "config.toml").read_text(encoding="utf-8").count('host = "10.0.0.9"') == 1
