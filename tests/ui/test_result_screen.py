"""ResultScreen (РЕЗУЛЬТАТ): what the cashier reads after a payment, and where the keys lead."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from PySide6.QtCore import QPoint, Qt, QTranslator
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from desktop_pos.models.payment import OrderState, PaymentMethod
from desktop_pos.models.result import PaymentResult
from desktop_pos.models.texts import Language, LocalizedText
from desktop_pos.ui import theme
from desktop_pos.ui.result_screen import ResultScreen

VALUE_NAMES = (
    "statusValue",
    "amountValue",
    "prepaidValue",
    "methodValue",
    "dateValue",
    "orderNumberValue",
    "transactionValue",
    "infoValue",
)

CASH_RESULT = PaymentResult(
    order_number="20200914_155814_864",
    method=PaymentMethod.CASH,
    state=OrderState.APPROVED,
    total=Decimal("8.08"),
    prepaid=Decimal("0.00"),
    amount=Decimal("8.08"),
    order_date=datetime(2020, 9, 14, 12, 58, 23, tzinfo=UTC),
    transaction_number="5635459247716286",
    received=Decimal("10.00"),
    change=Decimal("1.92"),
)


def label(screen: ResultScreen, name: str) -> QLabel:
    found = screen.findChild(QLabel, name)
    assert found is not None, name
    return found


def value(screen: ResultScreen, name: str) -> str:
    return label(screen, name).text()


def button(screen: ResultScreen, name: str) -> QPushButton:
    found = screen.findChild(QPushButton, name)
    assert found is not None, name
    return found


def show_screen(qtbot: QtBot, screen: QWidget) -> None:
    qtbot.addWidget(screen)
    screen.resize(1280, 800)
    screen.show()
    qtbot.waitExposed(screen)
    screen.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is screen.window())


@pytest.fixture
def screen(qtbot: QtBot) -> ResultScreen:
    widget = ResultScreen()
    widget.show_result(CASH_RESULT)
    show_screen(qtbot, widget)
    return widget


@pytest.fixture
def moscow_time() -> Iterator[None]:
    """Local time UTC+3 for this test (POSIX TZ rule, no time-zone database needed)."""
    if not hasattr(time, "tzset"):
        pytest.skip("time.tzset is POSIX only")
    mp = pytest.MonkeyPatch()
    mp.setenv("TZ", "MSK-3")
    time.tzset()
    yield
    mp.undo()
    time.tzset()


def test_shows_a_paid_cash_order_as_in_the_guide(moscow_time: None, qtbot: QtBot) -> None:
    screen = ResultScreen()
    screen.show_result(CASH_RESULT)
    show_screen(qtbot, screen)

    assert value(screen, "resultHeader") == "РЕЗУЛЬТАТ"
    assert value(screen, "orderInfoTitle") == "Информация о заказе"
    assert value(screen, "statusValue") == "Оплачен"
    assert value(screen, "amountValue") == "8.08 руб."
    assert value(screen, "prepaidValue") == "-"
    assert value(screen, "methodValue") == "НАЛИЧНЫЕ"
    assert value(screen, "dateValue") == "14.09.2020 15:58:23"  # 12:58:23 UTC in local time
    assert value(screen, "orderNumberValue") == "20200914_155814_864"
    assert value(screen, "transactionValue") == "5635459247716286"
    assert value(screen, "infoValue") == "Получено: 10.00 руб., сдача: 1.92 руб."
    captions = [value(screen, name.replace("Value", "Caption")) for name in VALUE_NAMES]
    assert captions == [
        "Статус заказа:",
        "Сумма заказа:",
        "Предоплата:",
        "Способ оплаты:",
        "Дата заказа:",
        "Номер заказа:",
        "Номер транзакции:",
        "Информация:",
    ]
    assert button(screen, "printButton").text() == "Печать чека"
    assert button(screen, "printButton").isEnabled()
    assert button(screen, "backButton").text() == "Новый заказ"
    assert not button(screen, "backButton").icon().isNull()  # the back arrow


def test_the_header_bar_can_be_left_to_the_window(screen: ResultScreen) -> None:
    header = label(screen, "resultHeader")
    assert header.isVisible()
    screen.set_header_visible(False)
    assert not header.isVisible()
    assert label(screen, "statusValue").isVisible()


def test_prepayment_and_information_lines(screen: ResultScreen) -> None:
    screen.show_result(
        replace(
            CASH_RESULT,
            total=Decimal("9.43"),
            prepaid=Decimal("1.35"),
            info=LocalizedText("Чек будет отправлен покупателю.", "The receipt will be e-mailed."),
        )
    )
    assert value(screen, "amountValue") == "9.43 руб."
    assert value(screen, "prepaidValue") == "1.35 руб."
    assert value(screen, "infoValue") == (
        "Получено: 10.00 руб., сдача: 1.92 руб.\nЧек будет отправлен покупателю."
    )


def test_a_declined_card_payment_reads_as_a_failure(screen: ResultScreen) -> None:
    screen.show_result(
        replace(
            CASH_RESULT,
            method=PaymentMethod.CARD_READER,
            state=OrderState.DECLINED,
            transaction_number="",
            received=None,
            change=None,
            info=LocalizedText(
                "Отказ в авторизации: недостаточно средств", "Declined: insufficient funds"
            ),
        )
    )
    status = label(screen, "statusValue")
    assert status.text() == "Отклонен"
    assert status.property(theme.TONE_PROPERTY) == theme.TONE_FAILURE
    assert value(screen, "methodValue") == "КАРТА"
    assert value(screen, "transactionValue") == "-"
    assert value(screen, "infoValue") == "Отказ в авторизации: недостаточно средств"


def colours_of(widget: QWidget) -> set[str]:
    image = widget.grab().toImage()
    return {
        QColor(image.pixel(QPoint(x, y))).name()
        for x in range(image.width())
        for y in range(image.height())
    }


def test_paid_status_is_bold_and_green(qtbot: QtBot) -> None:
    screen = ResultScreen()
    screen.setStyleSheet(theme.load_style_sheet())
    screen.show_result(CASH_RESULT)
    show_screen(qtbot, screen)
    status = label(screen, "statusValue")
    assert status.font().bold()
    assert theme.COLOR_SUCCESS_TEXT in colours_of(status)
    screen.show_result(replace(CASH_RESULT, state=OrderState.IN_PROCESS))
    assert value(screen, "statusValue") == "В процессе"
    assert theme.COLOR_SUCCESS_TEXT not in colours_of(status)
    assert theme.COLOR_PENDING_TEXT in colours_of(status)


def test_values_can_be_selected_with_the_mouse(screen: ResultScreen) -> None:
    for name in VALUE_NAMES:
        flags = label(screen, name).textInteractionFlags()
        assert flags & Qt.TextInteractionFlag.TextSelectableByMouse, name


def test_domain_texts_follow_the_language(screen: ResultScreen) -> None:
    screen.show_result(replace(CASH_RESULT, info=LocalizedText("Чек отправлен.", "Receipt sent.")))
    screen.set_language(Language.EN)
    assert value(screen, "statusValue") == "Paid"
    assert value(screen, "methodValue") == "CASH"
    assert value(screen, "infoValue").endswith("\nReceipt sent.")
    screen.set_language(Language.RU)
    assert value(screen, "statusValue") == "Оплачен"
    assert value(screen, "methodValue") == "НАЛИЧНЫЕ"


# -- keys and buttons ------------------------------------------------------------------------


def test_back_button_has_the_focus_and_enter_starts_a_new_order(
    qtbot: QtBot, screen: ResultScreen
) -> None:
    back = button(screen, "backButton")
    qtbot.waitUntil(back.hasFocus)
    with qtbot.waitSignal(screen.new_order_requested, timeout=1000):
        qtbot.keyClick(back, Qt.Key.Key_Return)


@pytest.mark.parametrize("key", [Qt.Key.Key_Escape, Qt.Key.Key_Enter, Qt.Key.Key_Return])
def test_enter_and_escape_start_a_new_order_from_anywhere_on_the_screen(
    qtbot: QtBot, screen: ResultScreen, key: Qt.Key
) -> None:
    info = label(screen, "infoValue")
    with qtbot.waitSignal(screen.new_order_requested, timeout=1000):
        qtbot.keyClick(info, key)


def test_back_button_click_starts_a_new_order(qtbot: QtBot, screen: ResultScreen) -> None:
    with qtbot.waitSignal(screen.new_order_requested, timeout=1000):
        qtbot.mouseClick(button(screen, "backButton"), Qt.MouseButton.LeftButton)


def test_print_by_button_ctrl_p_and_enter_on_the_focused_print_button(
    qtbot: QtBot, screen: ResultScreen
) -> None:
    printer = button(screen, "printButton")
    with qtbot.waitSignal(screen.print_requested, timeout=1000):
        qtbot.mouseClick(printer, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(screen.print_requested, timeout=1000):
        qtbot.keyClick(
            button(screen, "backButton"), Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier
        )

    back = button(screen, "backButton")
    back.setFocus()
    qtbot.keyClick(back, Qt.Key.Key_Tab)  # the tab order: back -> print -> back
    qtbot.waitUntil(printer.hasFocus)
    with (
        qtbot.waitSignal(screen.print_requested, timeout=1000),
        qtbot.assertNotEmitted(screen.new_order_requested),
    ):
        qtbot.keyClick(printer, Qt.Key.Key_Return)
    assert printer.isEnabled()  # printing is wired later; the button never locks up
    qtbot.keyClick(printer, Qt.Key.Key_Tab)
    qtbot.waitUntil(back.hasFocus)


def test_print_shortcut_is_off_while_another_screen_is_shown(qtbot: QtBot) -> None:
    stack = QStackedWidget()
    other = QPushButton("order screen")
    result = ResultScreen()
    result.show_result(CASH_RESULT)
    stack.addWidget(other)
    stack.addWidget(result)
    show_screen(qtbot, stack)
    other.setFocus()
    with qtbot.assertNotEmitted(result.print_requested, wait=50):
        qtbot.keyClick(other, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    stack.setCurrentWidget(result)
    with qtbot.waitSignal(result.print_requested, timeout=1000):
        qtbot.keyClick(result, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)


# -- layout at the counter's 1280×800 ------------------------------------------------------------


def test_everything_fits_1280_by_800_even_with_a_long_order_number(
    qtbot: QtBot, moscow_time: None
) -> None:
    screen = ResultScreen()
    screen.setStyleSheet(theme.load_style_sheet())
    long_number = "MERCHANT-" + "7" * 119  # Assist allows 128 characters
    screen.show_result(
        replace(
            CASH_RESULT,
            order_number=long_number,
            info=LocalizedText("Фискальный документ будет передан в Ассист " * 3, "x"),
        )
    )
    show_screen(qtbot, screen)
    scroll = screen.findChild(QScrollArea, "resultScroll")
    assert scroll is not None
    assert not scroll.horizontalScrollBar().isVisible()
    viewport = scroll.viewport()
    for name in VALUE_NAMES:
        shown = label(screen, name)
        right_edge = shown.mapTo(viewport, QPoint(shown.width(), 0)).x()
        assert right_edge <= viewport.width(), name
        assert shown.heightForWidth(shown.width()) <= shown.height(), name  # not cut
    assert value(screen, "orderNumberValue").replace("\u200b", "") == long_number
    for name in ("backButton", "printButton"):
        found = button(screen, name)
        assert found.height() >= theme.BUTTON_MIN_HEIGHT
        bottom_right = found.mapTo(screen, QPoint(found.width(), found.height()))
        assert bottom_right.x() <= 1280
        assert bottom_right.y() <= 800


# -- Qt translation at run time ----------------------------------------------------------------


def lrelease(ts_path: Path, qm_path: Path) -> None:
    tool = shutil.which("pyside6-lrelease") or str(
        Path(sys.executable).with_name("pyside6-lrelease")
    )
    subprocess.run([tool, str(ts_path), "-qm", str(qm_path)], check=True, capture_output=True)


@pytest.fixture
def english_result_texts(qapp: QApplication, tmp_path: Path) -> Iterator[None]:
    """A real Qt translator for the ResultScreen context, removed after the test."""
    pairs = {
        "РЕЗУЛЬТАТ": "RESULT",
        "Статус заказа:": "Order status:",
        "Печать чека": "Print receipt",
        "Новый заказ": "New order",
        "Получено: {received}, сдача: {change}": "Received: {received}, change: {change}",
    }
    messages = "".join(
        f"<message><source>{escape(s)}</source><translation>{escape(t)}</translation></message>"
        for s, t in pairs.items()
    )
    ts_path = tmp_path / "result_en.ts"
    ts_path.write_text(
        '<?xml version="1.0" encoding="utf-8"?><!DOCTYPE TS><TS version="2.1" language="en">'
        f"<context><name>ResultScreen</name>{messages}</context></TS>",
        encoding="utf-8",
    )
    lrelease(ts_path, tmp_path / "result_en.qm")
    translator = QTranslator()
    assert translator.load(str(tmp_path / "result_en.qm"))
    qapp.installTranslator(translator)
    yield
    qapp.removeTranslator(translator)


def test_qt_texts_switch_language_at_run_time(
    qtbot: QtBot, screen: ResultScreen, english_result_texts: None
) -> None:
    qtbot.waitUntil(lambda: value(screen, "resultHeader") == "RESULT")
    assert value(screen, "statusCaption") == "Order status:"
    assert button(screen, "printButton").text() == "Print receipt"
    assert button(screen, "backButton").text() == "New order"
    assert value(screen, "infoValue") == "Received: 10.00 руб., change: 1.92 руб."
