"""NumericKeypad: the keys a cashier sees and the signals they send; the shared counter theme
(ui/theme.py: its sheet, roles and tones)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from desktop_pos.ui import theme
from desktop_pos.ui.keypad import NumericKeypad

TEXT_KEYS = {f"key_{d}": d for d in "0123456789"} | {"key_dot": ".", "key_comma": ","}
ALL_KEYS = [*TEXT_KEYS, "key_backspace", "key_confirm", "key_cancel"]


def key(keypad: NumericKeypad, name: str) -> QPushButton:
    button = keypad.findChild(QPushButton, name)
    assert button is not None, name
    return button


@pytest.fixture
def keypad(qtbot: QtBot) -> NumericKeypad:
    widget = NumericKeypad()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_every_key_is_there_with_its_label(keypad: NumericKeypad) -> None:
    for name, text in TEXT_KEYS.items():
        assert key(keypad, name).text() == text
    assert key(keypad, "key_backspace").text() == "⌫"
    assert key(keypad, "key_cancel").text() == "✗"
    assert key(keypad, "key_confirm").text() == "✓"
    for name in ALL_KEYS:
        assert key(keypad, name).isVisible(), name


def test_keys_never_take_keyboard_focus(keypad: NumericKeypad) -> None:
    for name in ALL_KEYS:
        button = key(keypad, name)
        assert button.focusPolicy() == Qt.FocusPolicy.NoFocus, name
        assert not button.autoDefault(), name


@pytest.mark.parametrize(("name", "text"), sorted(TEXT_KEYS.items()))
def test_text_keys_emit_their_character(
    qtbot: QtBot, keypad: NumericKeypad, name: str, text: str
) -> None:
    with qtbot.waitSignal(keypad.text_key, timeout=1000) as blocker:
        qtbot.mouseClick(key(keypad, name), Qt.MouseButton.LeftButton)
    assert blocker.args == [text]


@pytest.mark.parametrize(
    ("name", "signal"),
    [("key_backspace", "backspace"), ("key_confirm", "confirmed"), ("key_cancel", "cancelled")],
)
def test_action_keys_emit_their_signal(
    qtbot: QtBot, keypad: NumericKeypad, name: str, signal: str
) -> None:
    with qtbot.waitSignal(getattr(keypad, signal), timeout=1000):
        qtbot.mouseClick(key(keypad, name), Qt.MouseButton.LeftButton)


def test_confirm_can_be_disabled_and_then_sends_nothing(
    qtbot: QtBot, keypad: NumericKeypad
) -> None:
    keypad.set_confirm_enabled(False)
    confirm = key(keypad, "key_confirm")
    assert not confirm.isEnabled()
    assert not keypad.is_confirm_enabled()
    with qtbot.assertNotEmitted(keypad.confirmed, wait=50):
        qtbot.mouseClick(confirm, Qt.MouseButton.LeftButton)
    keypad.set_confirm_enabled(True)
    assert confirm.isEnabled()
    with qtbot.waitSignal(keypad.confirmed, timeout=1000):
        qtbot.mouseClick(confirm, Qt.MouseButton.LeftButton)


def test_clicking_keys_leaves_the_focus_in_the_input_field(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    edit = QLineEdit()
    keypad = NumericKeypad()
    layout = QVBoxLayout(window)
    layout.addWidget(edit)
    layout.addWidget(keypad)
    keypad.text_key.connect(edit.insert)
    keypad.backspace.connect(edit.backspace)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)

    for name in ("key_1", "key_2", "key_comma", "key_5", "key_backspace"):
        qtbot.mouseClick(key(keypad, name), Qt.MouseButton.LeftButton)

    assert edit.text() == "12,"
    assert edit.hasFocus()
    qtbot.keyClicks(edit, "75")  # the physical keyboard still types into the field
    assert edit.text() == "12,75"


def test_action_keys_explain_themselves(keypad: NumericKeypad) -> None:
    assert key(keypad, "key_confirm").toolTip() == "Подтвердить (Enter)"
    assert key(keypad, "key_cancel").toolTip() == "Отмена (Esc)"
    assert key(keypad, "key_backspace").toolTip() == "Стереть (Backspace)"
    assert key(keypad, "key_confirm").accessibleName() == "Подтвердить"


# -- the counter theme (resources/style.qss through desktop_pos.ui.theme) -----------------------


def pixel_colours(widget: QWidget) -> set[str]:
    image = widget.grab().toImage()
    return {
        QColor(image.pixel(QPoint(x, y))).name()
        for x in range(0, image.width(), 3)
        for y in range(0, image.height(), 3)
    }


def test_style_sheet_gives_touch_sized_keys_and_coloured_actions(qtbot: QtBot) -> None:
    sheet = theme.load_style_sheet()
    assert "QPushButton:focus" in sheet
    host = QWidget()
    qtbot.addWidget(host)
    host.setStyleSheet(sheet)
    keypad = NumericKeypad(host)
    QVBoxLayout(host).addWidget(keypad)
    host.show()
    qtbot.waitExposed(host)

    for name in ALL_KEYS:
        assert key(keypad, name).height() >= theme.KEYPAD_KEY_HEIGHT, name
        assert key(keypad, name).width() >= theme.KEYPAD_KEY_WIDTH, name
    assert theme.COLOR_CONFIRM in pixel_colours(key(keypad, "key_confirm"))
    assert theme.COLOR_CANCEL in pixel_colours(key(keypad, "key_cancel"))
    keypad.set_confirm_enabled(False)
    assert theme.COLOR_CONFIRM not in pixel_colours(key(keypad, "key_confirm"))


def test_style_sheet_draws_a_focus_ring_and_a_red_border_on_invalid_input(qtbot: QtBot) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    host.setStyleSheet(theme.load_style_sheet())
    edit = QLineEdit(host)
    other = QLineEdit(host)
    layout = QVBoxLayout(host)
    layout.addWidget(edit)
    layout.addWidget(other)
    host.show()
    qtbot.waitExposed(host)
    host.activateWindow()
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)

    assert theme.COLOR_FOCUS in pixel_colours(edit)
    assert theme.COLOR_FOCUS not in pixel_colours(other)
    theme.set_invalid(other, True)
    assert theme.COLOR_CANCEL in pixel_colours(other)
    theme.set_invalid(other, False)
    assert theme.COLOR_CANCEL not in pixel_colours(other)


def test_base_font_size_of_the_style_sheet_matches_the_theme(qtbot: QtBot) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    host.setStyleSheet(theme.load_style_sheet())
    edit = QLineEdit(host)
    host.ensurePolished()
    edit.ensurePolished()
    assert edit.font().pointSize() == theme.BASE_POINT_SIZE


def test_a_missing_style_sheet_falls_back_to_the_qt_look(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(theme, "STYLE_SHEET_PATH", tmp_path / "missing.qss")
    assert theme.load_style_sheet() == ""
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert any("missing.qss" in r.getMessage() for r in warnings)


def test_the_installed_sheet_colours_a_status_by_its_tone(qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    try:
        app.setStyleSheet(theme.load_style_sheet())
        theme.prepare_style_for_python(app)
        assert app.styleSheet() == theme.load_style_sheet()
        status = QLabel("Картридер MPOS0000000001")
        qtbot.addWidget(status)
        status.show()
        qtbot.waitExposed(status)
        theme.set_tone(status, theme.TONE_SUCCESS)
        assert status.palette().color(status.foregroundRole()) == QColor(theme.COLOR_SUCCESS_TEXT)
        theme.set_tone(status, theme.TONE_FAILURE)
        assert status.palette().color(status.foregroundRole()) == QColor(theme.COLOR_FAILURE_TEXT)
    finally:
        app.setStyleSheet("")
