"""«Выберите платёжную систему»: choosing the application of a co-badged card in the app."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QDialog, QLabel, QWidget
from pytestqt.qtbot import QtBot

from desktop_pos.hardware.reader.messages import CardApplication
from desktop_pos.ui import theme
from desktop_pos.ui.application_choice_dialog import (
    ApplicationChoiceDialog,
    application_caption,
)

MIR = CardApplication(bytes.fromhex("A0000006581010"), "MIR", priority=1)
MAESTRO = CardApplication(bytes.fromhex("A0000000043060"), "Maestro", priority=2)

TITLE = "Выберите платёжную систему"
TEXT = (
    "Карта поддерживает несколько платёжных систем. Уточните у покупателя и выберите "
    "подходящий вариант для проведения оплаты:"
)


@pytest.fixture
def host(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    widget.setStyleSheet(theme.load_style_sheet())
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def dialog(qtbot: QtBot, host: QWidget) -> ApplicationChoiceDialog:
    shown = ApplicationChoiceDialog([MIR, MAESTRO], host)
    shown.open()
    qtbot.waitExposed(shown)
    return shown


def label_text(dialog: QDialog, name: str) -> str:
    label = dialog.findChild(QLabel, name)
    assert label is not None, name
    return label.text()


def test_the_guides_title_text_and_one_button_per_application(
    dialog: ApplicationChoiceDialog, host: QWidget, tmp_path: Path
) -> None:
    assert dialog.windowTitle() == TITLE
    assert label_text(dialog, "applicationChoiceTitle") == TITLE
    assert label_text(dialog, "applicationChoiceText") == TEXT
    assert [b.text() for b in dialog.buttons()] == ["MIR", "Maestro"]
    assert dialog.isModal()
    for button in dialog.buttons():
        assert button.height() >= theme.BUTTON_MIN_HEIGHT
    assert dialog.width() <= 1280 and dialog.height() <= 800
    # what the cashier sees: the dialog over a 1280×800 screen
    screen = host.grab()
    painter = QPainter(screen)
    painter.drawPixmap(QPoint(320, 200), dialog.grab())
    painter.end()
    path = tmp_path / "application_choice.png"
    assert screen.save(str(path))
    assert Image.open(path).size == (1280, 800)


def test_arrows_and_enter_choose(qtbot: QtBot, dialog: ApplicationChoiceDialog) -> None:
    mir, maestro = dialog.buttons()
    assert mir.hasFocus()
    qtbot.keyClick(mir, Qt.Key.Key_Down)
    assert maestro.hasFocus()
    qtbot.keyClick(maestro, Qt.Key.Key_Down)  # wraps round
    assert mir.hasFocus()
    qtbot.keyClick(mir, Qt.Key.Key_Up)
    assert maestro.hasFocus()
    with qtbot.waitSignal(dialog.application_chosen) as chosen:
        qtbot.keyClick(maestro, Qt.Key.Key_Return)
    assert chosen.args == [MAESTRO]
    assert dialog.result() == QDialog.DialogCode.Accepted.value
    assert dialog.chosen() == MAESTRO
    assert not dialog.isVisible()


def test_tab_moves_and_a_click_chooses(qtbot: QtBot, dialog: ApplicationChoiceDialog) -> None:
    mir, maestro = dialog.buttons()
    qtbot.keyClick(mir, Qt.Key.Key_Tab)
    assert maestro.hasFocus()
    qtbot.keyClick(maestro, Qt.Key.Key_Backtab)
    assert mir.hasFocus()
    with qtbot.waitSignal(dialog.finished):
        qtbot.mouseClick(mir, Qt.MouseButton.LeftButton)
    assert dialog.chosen() == MIR


def test_esc_cancels(qtbot: QtBot, dialog: ApplicationChoiceDialog) -> None:
    with qtbot.waitSignal(dialog.rejected), qtbot.assertNotEmitted(dialog.application_chosen):
        qtbot.keyClick(dialog.buttons()[0], Qt.Key.Key_Escape)
    assert dialog.chosen() is None


def test_ask_returns_the_choice_or_none(qtbot: QtBot, host: QWidget) -> None:
    def press(key: Qt.Key) -> None:
        dialogs = host.findChildren(ApplicationChoiceDialog)
        assert dialogs
        focused = dialogs[-1].focusWidget()
        assert focused is not None
        qtbot.keyClick(focused, key)

    QTimer.singleShot(0, lambda: press(Qt.Key.Key_Enter))
    assert ApplicationChoiceDialog.ask([MIR, MAESTRO], host) == MIR
    QTimer.singleShot(0, lambda: press(Qt.Key.Key_Escape))
    assert ApplicationChoiceDialog.ask([MIR, MAESTRO], host) is None


def test_choose_from_code(qtbot: QtBot, dialog: ApplicationChoiceDialog) -> None:
    with pytest.raises(ValueError):
        dialog.choose(CardApplication(b"\xa0\x00", "VISA"))
    dialog.choose(MAESTRO)
    assert dialog.chosen() == MAESTRO


def test_captions_always_differ() -> None:
    empty = CardApplication(bytes.fromhex("A0000000031010"), "")
    twin = CardApplication(bytes.fromhex("A0000006581099"), "MIR")
    apps = [MIR, twin, empty]
    assert [application_caption(a, apps) for a in apps] == [
        "MIR (A0000006581010)",
        "MIR (A0000006581099)",
        "A0000000031010",
    ]
    assert application_caption(MAESTRO, [MIR, MAESTRO]) == "Maestro"


def test_no_applications_is_a_programming_error(qtbot: QtBot) -> None:
    with pytest.raises(ValueError):
        ApplicationChoiceDialog([])
