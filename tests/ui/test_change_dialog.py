"""ChangeDialog (ПОДСЧЕТ СДАЧИ): typing or tapping the cash received, the change, ✓ and ✗."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt, QTranslator
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from desktop_pos.models.texts import Language
from desktop_pos.ui import theme
from desktop_pos.ui.change_dialog import NO_CHANGE_TEXT, ChangeDialog

DUE = Decimal("8.08")


def child(dialog: ChangeDialog, kind: type, name: str):
    widget = dialog.findChild(kind, name)
    assert widget is not None, name
    return widget


def received_edit(dialog: ChangeDialog) -> QLineEdit:
    return child(dialog, QLineEdit, "receivedEdit")


def change_text(dialog: ChangeDialog) -> str:
    return child(dialog, QLabel, "changeLabel").text()


def error_text(dialog: ChangeDialog) -> str:
    return child(dialog, QLabel, "errorLabel").text()


def confirm_key(dialog: ChangeDialog) -> QPushButton:
    return child(dialog, QPushButton, "key_confirm")


def open_dialog(qtbot: QtBot, due: Decimal = DUE, language: Language = Language.RU) -> ChangeDialog:
    dialog = ChangeDialog(due, language)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(received_edit(dialog).hasFocus)
    return dialog


def retype(qtbot: QtBot, dialog: ChangeDialog, text: str) -> None:
    """Replace what is in «Получено:» by ``text``, key by key."""
    edit = received_edit(dialog)
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    if text:
        qtbot.keyClicks(edit, text)


@pytest.fixture
def dialog(qtbot: QtBot) -> ChangeDialog:
    return open_dialog(qtbot)


def test_opens_as_in_the_guide_with_the_due_amount_and_no_change(dialog: ChangeDialog) -> None:
    edit = received_edit(dialog)
    assert dialog.windowTitle() == "ПОДСЧЕТ СДАЧИ"
    assert child(dialog, QLabel, "changeHeader").text() == "ПОДСЧЕТ СДАЧИ"
    assert child(dialog, QLabel, "receivedCaption").text() == "Получено:"
    assert child(dialog, QLabel, "changeCaption").text() == "Сдача:"
    assert child(dialog, QLabel, "dueLabel").text() == "К оплате: 8.08 руб."
    assert edit.text() == "8.08"
    assert edit.selectedText() == "8.08"
    assert change_text(dialog) == "0.00"
    assert error_text(dialog) == ""
    assert confirm_key(dialog).isEnabled()
    assert dialog.change() == Decimal("0.00")


def test_enter_accepts_the_exact_amount(qtbot: QtBot, dialog: ChangeDialog) -> None:
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        qtbot.keyClick(received_edit(dialog), Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert not dialog.isVisible()
    assert dialog.received() == Decimal("8.08")
    assert dialog.change() == Decimal("0.00")


@pytest.mark.parametrize(
    ("typed", "change", "received"),
    [
        ("10,00", "1.92", "10.00"),
        ("10.5", "2.42", "10.50"),
        ("8.09", "0.01", "8.09"),
        ("1000", "991.92", "1000.00"),
        ("1 000", "991.92", "1000.00"),
        ("9,", "0.92", "9.00"),
    ],
)
def test_typing_replaces_the_prefill_and_updates_the_change(
    qtbot: QtBot, dialog: ChangeDialog, typed: str, change: str, received: str
) -> None:
    edit = received_edit(dialog)
    qtbot.keyClicks(edit, typed)  # the prefill is selected: the first key replaces it
    assert edit.text() == typed
    assert change_text(dialog) == change
    assert error_text(dialog) == ""
    assert confirm_key(dialog).isEnabled()

    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        qtbot.keyClick(edit, Qt.Key.Key_Enter)
    assert dialog.received() == Decimal(received)
    assert dialog.change() == Decimal(change)


def test_the_change_follows_every_key(qtbot: QtBot, dialog: ChangeDialog) -> None:
    edit = received_edit(dialog)
    seen = []
    for char in "10,5":
        qtbot.keyClicks(edit, char)
        seen.append(change_text(dialog))
    assert seen == [NO_CHANGE_TEXT, "1.92", "1.92", "2.42"]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Введите сумму."),
        ("abc", "Сумма может содержать только цифры и один разделитель (',' или '.')."),
        ("1,2,3", "В сумме может быть только один разделитель (',' или '.')."),
        ("-5", "Сумма не может быть отрицательной."),
        ("1.234", "В сумме не больше двух знаков после разделителя."),
        ("5", "Получено меньше суммы к оплате (8.08 руб.)."),
        ("8.07", "Получено меньше суммы к оплате (8.08 руб.)."),
        ("1234567890123456", "Сумма слишком велика: не больше 15 цифр."),
    ],
)
def test_unusable_input_keeps_confirm_disabled_and_says_why(
    qtbot: QtBot, dialog: ChangeDialog, caplog: pytest.LogCaptureFixture, typed: str, message: str
) -> None:
    retype(qtbot, dialog, typed)
    edit = received_edit(dialog)
    assert edit.text() == typed
    assert error_text(dialog) == message
    assert child(dialog, QLabel, "errorLabel").isVisible()
    assert change_text(dialog) == NO_CHANGE_TEXT
    assert not confirm_key(dialog).isEnabled()
    assert dialog.change() is None

    with qtbot.assertNotEmitted(dialog.accepted, wait=50):
        qtbot.keyClick(edit, Qt.Key.Key_Return)
        dialog.accept()  # the dialog-level path refuses as well
    assert dialog.isVisible()
    assert edit.text() == typed  # nothing the cashier typed is lost
    with pytest.raises(RuntimeError):
        dialog.received()
    assert any("confirm refused" in r.getMessage() for r in caplog.records)


def test_fixing_the_input_enables_confirm_again(qtbot: QtBot, dialog: ChangeDialog) -> None:
    retype(qtbot, dialog, "abc")
    assert not confirm_key(dialog).isEnabled()
    retype(qtbot, dialog, "20")
    assert confirm_key(dialog).isEnabled()
    assert error_text(dialog) == ""
    assert change_text(dialog) == "11.92"


def test_escape_cancels_and_changes_nothing(qtbot: QtBot, dialog: ChangeDialog) -> None:
    qtbot.keyClicks(received_edit(dialog), "50")
    with qtbot.waitSignal(dialog.rejected, timeout=1000):
        qtbot.keyClick(received_edit(dialog), Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert not dialog.isVisible()


def test_the_red_cross_cancels(qtbot: QtBot, dialog: ChangeDialog) -> None:
    with qtbot.waitSignal(dialog.rejected, timeout=1000):
        qtbot.mouseClick(child(dialog, QPushButton, "key_cancel"), Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Rejected


def test_keypad_types_replaces_the_prefill_and_deletes(qtbot: QtBot, dialog: ChangeDialog) -> None:
    edit = received_edit(dialog)
    for name in ("key_1", "key_0", "key_comma", "key_0", "key_0"):
        qtbot.mouseClick(child(dialog, QPushButton, name), Qt.MouseButton.LeftButton)
    assert edit.text() == "10,00"
    assert change_text(dialog) == "1.92"
    assert edit.hasFocus()

    qtbot.mouseClick(child(dialog, QPushButton, "key_backspace"), Qt.MouseButton.LeftButton)
    assert edit.text() == "10,0"
    for name in ("key_backspace", "key_backspace", "key_dot", "key_5"):
        qtbot.mouseClick(child(dialog, QPushButton, name), Qt.MouseButton.LeftButton)
    assert edit.text() == "10.5"
    assert change_text(dialog) == "2.42"

    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        qtbot.mouseClick(confirm_key(dialog), Qt.MouseButton.LeftButton)
    assert dialog.received() == Decimal("10.50")
    assert dialog.change() == Decimal("2.42")


def test_disabled_confirm_key_does_not_accept(qtbot: QtBot, dialog: ChangeDialog) -> None:
    qtbot.mouseClick(child(dialog, QPushButton, "key_5"), Qt.MouseButton.LeftButton)
    assert received_edit(dialog).text() == "5"
    with qtbot.assertNotEmitted(dialog.accepted, wait=50):
        qtbot.mouseClick(confirm_key(dialog), Qt.MouseButton.LeftButton)
    assert dialog.isVisible()


def test_messages_follow_the_cashiers_language(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, language=Language.EN)
    retype(qtbot, dialog, "abc")
    assert error_text(dialog) == "An amount may contain only digits and one separator (',' or '.')."
    dialog.set_language(Language.RU)
    assert error_text(dialog).startswith("Сумма может содержать только цифры")


def lrelease(ts_path: Path, qm_path: Path) -> None:
    tool = shutil.which("pyside6-lrelease") or str(
        Path(sys.executable).with_name("pyside6-lrelease")
    )
    subprocess.run([tool, str(ts_path), "-qm", str(qm_path)], check=True, capture_output=True)


def write_ts(path: Path, context: str, translations: dict[str, str]) -> None:
    messages = "".join(
        f"<message><source>{escape(source)}</source>"
        f"<translation>{escape(target)}</translation></message>"
        for source, target in translations.items()
    )
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?><!DOCTYPE TS>'
        f'<TS version="2.1" language="en"><context><name>{context}</name>{messages}'
        "</context></TS>",
        encoding="utf-8",
    )


@pytest.fixture
def english_change_dialog_texts(qapp: QApplication, tmp_path: Path) -> Iterator[None]:
    """A real Qt translator for the ChangeDialog context, removed after the test."""
    ts_path = tmp_path / "change_dialog_en.ts"
    write_ts(
        ts_path,
        "ChangeDialog",
        {
            "ПОДСЧЕТ СДАЧИ": "CHANGE",
            "Получено:": "Received:",
            "Сдача:": "Change:",
            "К оплате: {amount}": "Due: {amount}",
            "Получено меньше суммы к оплате ({due}).": "Received is less than due ({due}).",
        },
    )
    lrelease(ts_path, tmp_path / "change_dialog_en.qm")
    translator = QTranslator()
    assert translator.load(str(tmp_path / "change_dialog_en.qm"))
    qapp.installTranslator(translator)
    yield
    qapp.removeTranslator(translator)


def test_qt_texts_switch_language_at_run_time(
    qtbot: QtBot, dialog: ChangeDialog, english_change_dialog_texts: None
) -> None:
    retype(qtbot, dialog, "5")
    qtbot.waitUntil(lambda: child(dialog, QLabel, "changeCaption").text() == "Change:")
    assert dialog.windowTitle() == "CHANGE"
    assert child(dialog, QLabel, "receivedCaption").text() == "Received:"
    assert child(dialog, QLabel, "dueLabel").text() == "Due: 8.08 руб."
    assert error_text(dialog) == "Received is less than due (8.08 руб.)."


def test_fits_a_1280_by_800_screen_with_touch_sized_controls(qtbot: QtBot) -> None:
    dialog = ChangeDialog(DUE, Language.RU)
    qtbot.addWidget(dialog)
    dialog.setStyleSheet(theme.load_style_sheet())
    dialog.open()
    qtbot.waitExposed(dialog)
    retype(qtbot, dialog, "1,2,3")  # the longest message must not push anything off screen

    assert dialog.width() <= 1280
    assert dialog.height() <= 800 - 60  # room for the window frame and a task bar
    assert received_edit(dialog).height() >= theme.INPUT_MIN_HEIGHT
    for button in dialog.findChildren(QPushButton):
        assert button.height() >= 44, button.objectName()
    error = child(dialog, QLabel, "errorLabel")
    assert error.heightForWidth(error.width()) <= error.height()  # the message is not cut


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    due=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999"), places=2),
    extra=st.decimals(min_value=Decimal("0"), max_value=Decimal("99999"), places=2),
    comma=st.booleans(),
)
def test_change_is_received_minus_due_for_any_amount(
    qtbot: QtBot, due: Decimal, extra: Decimal, comma: bool
) -> None:
    dialog = ChangeDialog(due, Language.RU)
    qtbot.addWidget(dialog)
    typed = f"{due + extra:.2f}"
    if comma:
        typed = typed.replace(".", ",")
    received_edit(dialog).setText(typed)
    assert change_text(dialog) == f"{extra:.2f}"
    assert dialog.change() == extra
    assert confirm_key(dialog).isEnabled()


def test_reset_starts_over_for_the_next_sale(qtbot: QtBot, dialog: ChangeDialog) -> None:
    retype(qtbot, dialog, "1")  # below the amount due: refused, with its message
    assert not confirm_key(dialog).isEnabled()
    assert error_text(dialog) != ""

    dialog.reset(Decimal("120.50"))

    edit = received_edit(dialog)
    assert child(dialog, QLabel, "dueLabel").text() == "К оплате: 120.50 руб."
    assert edit.text() == "120.50"
    assert edit.selectedText() == "120.50"
    assert change_text(dialog) == "0.00"
    assert error_text(dialog) == ""
    assert confirm_key(dialog).isEnabled()
    retype(qtbot, dialog, "200")
    assert change_text(dialog) == "79.50"


def test_reset_to_the_same_amount_clears_the_previous_input(
    qtbot: QtBot, dialog: ChangeDialog
) -> None:
    retype(qtbot, dialog, "abc")
    dialog.reset(DUE)
    assert received_edit(dialog).text() == "8.08"
    assert change_text(dialog) == "0.00"
    assert confirm_key(dialog).isEnabled()
