"""ПРОВЕДЕНИЕ ПЛАТЕЖА: the reader's messages in «Детальная информация», cancel, low battery,
«В процессе» with the refresh indicator, and the signature pad over the whole screen."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot

from desktop_pos.hardware.reader.messages import (
    ApplicationChoice,
    CardRead,
    Cvm,
    DisplayCode,
    DisplayText,
    EntryMode,
)
from desktop_pos.models.order import Order, OrderItem
from desktop_pos.models.payment import OrderState
from desktop_pos.models.texts import Language, LocalizedText
from desktop_pos.ui import theme
from desktop_pos.ui.card_payment_screen import MAX_LOG_LINES, CardPaymentScreen
from desktop_pos.ui.signature_pad import SignaturePad

SEED_LOG = [
    "- > Пожалуйста, вставьте/прокатайте/приложите карту.",
    "- > Вставлена чиповая карта.",
    "- > Пожалуйста, подождите...",
]
CARD = CardRead(
    txn_id=1,
    entry_mode=EntryMode.CHIP,
    masked_pan="220220******1234",
    brand="MIR",
    application_label="MIR",
    aid=bytes.fromhex("A0000006581010"),
    application_choice=ApplicationChoice.ONLY,
    cardholder="IVANOV/IVAN",
)


def order_of(total: str = "25.00") -> Order:
    return Order(
        number="20211125_175443_897",
        created_at=datetime(2021, 11, 25, 17, 54, 43).astimezone(),
        items=(OrderItem("Фотоаппарат", Decimal(1), Decimal(total)),),
    )


@pytest.fixture
def screen(qtbot: QtBot) -> CardPaymentScreen:
    shown = CardPaymentScreen()
    shown.setStyleSheet(theme.load_style_sheet())
    qtbot.addWidget(shown)
    shown.resize(1280, 800)
    shown.show()
    qtbot.waitExposed(shown)
    shown.start(order_of())
    return shown


def text_of(screen: CardPaymentScreen, name: str) -> str:
    label = screen.findChild(QLabel, name)
    assert label is not None, name
    return label.text()


def cancel_button(screen: CardPaymentScreen) -> QPushButton:
    found = screen.findChild(QPushButton, "cancelPaymentButton")
    assert found is not None
    return found


def test_the_screen_of_the_guide(screen: CardPaymentScreen, tmp_path: Path) -> None:
    assert text_of(screen, "cardPaymentHeader") == "ПРОВЕДЕНИЕ ПЛАТЕЖА"
    assert text_of(screen, "progressLogTitle") == "Детальная информация"
    assert text_of(screen, "orderNumberValue") == "20211125_175443_897"
    assert text_of(screen, "amountValue") == "25.00 руб."
    assert cancel_button(screen).text() == "Отменить оплату"
    assert screen.log_lines() == []
    for code in (DisplayCode.PRESENT_CARD, DisplayCode.CARD_INSERTED, DisplayCode.PROCESSING):
        screen.append_reader_text(code)
    assert screen.log_lines() == SEED_LOG
    assert screen.reader_text() == "Пожалуйста, подождите..."
    path = tmp_path / "card_payment.png"
    assert screen.grab().save(str(path))
    assert Image.open(path).size == (1280, 800)


def test_reader_messages_texts_and_wording(screen: CardPaymentScreen) -> None:
    screen.append_reader_text(DisplayText(1, DisplayCode.ENTER_PIN, "ENTER PIN"))
    assert screen.reader_text() == "Введите PIN-код на картридере."
    assert text_of(screen, "readerWording") == "ENTER PIN"
    screen.append_reader_text(DisplayText(1, DisplayCode.WRONG_PIN, "WRONG PIN!\nENTER PIN:"))
    assert screen.reader_text() == "Неверный PIN-код. Повторите ввод на картридере."
    screen.append_reader_text(LocalizedText("Оплата отменена.", "Payment cancelled."))
    assert screen.reader_text() == "Оплата отменена."
    label = screen.findChild(QLabel, "readerWording")
    assert label is not None and label.isHidden()
    screen.append_log(LocalizedText("Карта прочитана.", "Card read."))
    assert screen.reader_text() == "Оплата отменена."  # a log line only
    assert screen.log_lines() == [
        "- > Введите PIN-код на картридере.",
        "- > Неверный PIN-код. Повторите ввод на картридере.",
        "- > Оплата отменена.",
        "- > Карта прочитана.",
    ]


def test_the_card_once_read(screen: CardPaymentScreen) -> None:
    assert text_of(screen, "cardValue") == "—"
    screen.show_card(CARD)
    assert text_of(screen, "cardValue") == "MIR 220220******1234 (чип)"
    screen.show_cvm(Cvm.PIN_ON_READER)
    assert text_of(screen, "cardValue") == "MIR 220220******1234 (чип, PIN-код)"
    maestro = CardRead(
        1, EntryMode.NFC, "676531******0005", "MAESTRO", "Maestro", b"\xa0", ApplicationChoice.HOST
    )
    screen.show_card(maestro)
    assert text_of(screen, "cardValue") == "MAESTRO 676531******0005 (бесконтактно (NFC), PIN-код)"


def test_esc_and_the_button_ask_to_cancel(qtbot: QtBot, screen: CardPaymentScreen) -> None:
    with qtbot.waitSignal(screen.cancel_requested):
        qtbot.keyClick(screen, Qt.Key.Key_Escape)
    with qtbot.waitSignal(screen.cancel_requested):
        qtbot.mouseClick(cancel_button(screen), Qt.MouseButton.LeftButton)
    screen.set_cancel_enabled(False)
    assert not screen.cancel_enabled()
    with qtbot.assertNotEmitted(screen.cancel_requested):
        qtbot.keyClick(screen, Qt.Key.Key_Escape)


def test_low_battery_banner(screen: CardPaymentScreen) -> None:
    assert not screen.low_battery_shown()
    screen.set_battery(12, True)
    assert screen.low_battery_shown()
    assert text_of(screen, "lowBatteryBanner") == (
        "Недостаточный заряд батареи картридера. Зарядите картридер. Заряд батареи: 12 %"
    )
    screen.set_battery(80, False)
    assert not screen.low_battery_shown()
    screen.set_battery(None, True)
    assert text_of(screen, "lowBatteryBanner") == (
        "Недостаточный заряд батареи картридера. Зарядите картридер."
    )


def test_in_process_turns_the_refresh_indicator(qtbot: QtBot, screen: CardPaymentScreen) -> None:
    screen.show_in_process(LocalizedText("Результат уточняется.", "Checking the result."))
    assert screen.in_process_shown()
    assert text_of(screen, "cardStatusValue") == "В процессе"
    assert text_of(screen, "cardStatusNote") == "Результат уточняется."
    assert not screen.cancel_enabled()
    first = screen.refresh_indicator_text()
    assert first
    qtbot.waitUntil(lambda: screen.refresh_indicator_text() not in ("", first), timeout=3000)
    screen.show_final_state(OrderState.APPROVED)
    assert not screen.in_process_shown() and screen.refresh_indicator_text() == ""
    assert text_of(screen, "cardStatusValue") == OrderState.APPROVED.display.ru
    screen.show_in_process()
    screen.stop()
    assert not screen.in_process_shown()


def test_the_signature_pad_takes_the_whole_screen(qtbot: QtBot, screen: CardPaymentScreen) -> None:
    pad = SignaturePad()
    qtbot.addWidget(pad)
    screen.show_signature(pad)
    assert screen.signature_shown() and screen.current_page() == "cardSignaturePage"
    qtbot.waitUntil(lambda: pad.canvas().hasFocus())
    assert pad.mapTo(screen, QPoint(0, 0)) == QPoint(0, 0)
    assert (pad.width(), pad.height()) == (1280, 800)
    # Esc on the pad is its ✗, not the screen's cancel
    with qtbot.waitSignal(pad.cancelled), qtbot.assertNotEmitted(screen.cancel_requested):
        qtbot.keyClick(pad.canvas(), Qt.Key.Key_Escape)
    qtbot.mousePress(pad.canvas(), Qt.MouseButton.LeftButton, pos=QPoint(100, 100))
    qtbot.mouseMove(pad.canvas(), QPoint(300, 200))
    qtbot.mouseRelease(pad.canvas(), Qt.MouseButton.LeftButton, pos=QPoint(400, 150))
    with qtbot.waitSignal(pad.accepted):
        qtbot.keyClick(pad.canvas(), Qt.Key.Key_Return)
    screen.hide_signature()
    assert not screen.signature_shown() and screen.current_page() == "cardProgressPage"
    assert pad.parent() is None and pad.has_signature()  # the owner keeps it
    qtbot.waitUntil(cancel_button(screen).hasFocus)
    with qtbot.waitSignal(screen.cancel_requested):
        qtbot.keyClick(screen, Qt.Key.Key_Escape)


def test_english_texts(screen: CardPaymentScreen) -> None:
    screen.append_reader_text(DisplayCode.PRESENT_CARD)
    screen.set_battery(9, True)
    screen.show_card(CARD)
    screen.set_language(Language.EN)
    assert screen.log_lines() == ["- > Please insert, swipe or tap the card."]
    assert screen.reader_text() == "Please insert, swipe or tap the card."
    assert text_of(screen, "lowBatteryBanner").endswith("Battery: 9 %")
    assert text_of(screen, "cardValue") == "MIR 220220******1234 (chip)"
    screen.append_reader_text(DisplayCode.REMOVE_CARD)
    assert screen.log_lines()[-1] == "- > Remove the card."
    screen.set_language(Language.RU)
    assert screen.log_lines() == [
        "- > Пожалуйста, вставьте/прокатайте/приложите карту.",
        "- > Заберите карту.",
    ]


def test_a_new_payment_starts_clean(screen: CardPaymentScreen) -> None:
    for _ in range(MAX_LOG_LINES + 5):
        screen.append_reader_text(DisplayCode.WRONG_PIN)
    assert len(screen.log_lines()) == MAX_LOG_LINES
    screen.show_card(CARD)
    screen.show_in_process()
    screen.set_cancel_enabled(False)
    screen.start(order_of("3500.00"))
    assert screen.log_lines() == []
    assert text_of(screen, "amountValue") == "3500.00 руб."
    assert text_of(screen, "cardValue") == "—"
    assert not screen.in_process_shown() and screen.cancel_enabled()
    assert screen.reader_text() == "Ожидание ответа картридера..."
