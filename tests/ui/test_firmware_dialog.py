"""The firmware update dialog: required / optional, the estimate, the 50 % refusal, progress, lock.

The dialog on its own first; then the whole update through the real ``ReaderManager``, bleak on
the virtual radio and an emulated reader (tests/ui/reader_fixtures.py).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWidget
from pytestqt.qtbot import QtBot

from desktop_pos.hardware.reader.messages import FirmwareUpdateInfo, ReaderInfo
from desktop_pos.ui.firmware_dialog import FirmwareUpdateDialog, UpdateStep



def shot(widget: QWidget, name: str) -> Path:
    """Grab ``widget`` to PNG (into $UI_SHOTS_DIR when set, to look at them) and check it."""
    folder = Path(os.environ.get("UI_SHOTS_DIR") or tempfile.gettempdir()) / "reader_ui"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    assert widget.grab().save(str(path))
    return path


def reader_info(battery: int = 80, update: FirmwareUpdateInfo | None = None) -> ReaderInfo:
    return ReaderInfo(
        model="Bluepad",
        serial="PP0918900518",
        firmware_version="2.4.0",
        protocol_version=1,
        battery_level=battery,
        charging=False,
        app_selection_on_reader=True,
        nfc_default=True,
        max_message_size=8192,
        firmware_update=update,
    )


REQUIRED = FirmwareUpdateInfo(version="2.5.0", required=True, size=196_608, estimated_s=95)
OPTIONAL = FirmwareUpdateInfo(version="2.4.1", required=False, size=40_960, estimated_s=25)


_parents: list[QWidget] = []


def make_dialog(
    qtbot: QtBot, update: FirmwareUpdateInfo, battery: int | None
) -> FirmwareUpdateDialog:
    parent = QWidget()
    qtbot.addWidget(parent)
    _parents[:] = [parent]  # the dialog lives as long as its window
    parent.resize(1280, 800)
    parent.show()
    dialog = FirmwareUpdateDialog(update, reader_info(battery or 0, update), battery, parent)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    return dialog


def button(dialog: QWidget, name: str) -> QPushButton:
    found = dialog.findChild(QPushButton, name)
    assert found is not None, name
    return found


def test_a_required_update_says_card_payments_wait_for_it_with_the_time_it_takes(
    qtbot: QtBot,
) -> None:
    dialog = make_dialog(qtbot, REQUIRED, 80)
    assert "требуется обновление прошивки до версии 2.5.0" in dialog.message_text()
    assert "Без обновления оплата картой невозможна." in dialog.message_text()
    assert "PP0918900518" in dialog.message_text()
    assert "Текущая версия: 2.4.0" in dialog.details_text()
    assert "около 2 мин" in dialog.details_text()
    assert "192 КБ" in dialog.details_text()
    assert dialog.update_enabled()
    assert dialog.refusal_text() == ""
    assert button(dialog, "firmwareUpdateButton").isDefault()
    shot(dialog, "firmware_required")


def test_an_optional_update_can_wait(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot, OPTIONAL, 80)
    assert "есть новая прошивка 2.4.1. Обновить сейчас?" in dialog.message_text()
    assert "около 25 с" in dialog.details_text()
    with qtbot.waitSignal(dialog.rejected):
        qtbot.mouseClick(button(dialog, "firmwareLaterButton"), Qt.MouseButton.LeftButton)


def test_under_half_battery_the_update_is_refused_with_the_reason_until_charged(
    qtbot: QtBot,
) -> None:
    dialog = make_dialog(qtbot, REQUIRED, 34)
    refusal = dialog.refusal_text()
    assert "Обновление невозможно: заряд батареи картридера 34 %" in refusal
    assert "не меньше 50 %" in refusal
    assert "зарядному устройству" in refusal
    assert not dialog.update_enabled()
    with qtbot.assertNotEmitted(dialog.update_requested):
        qtbot.keyClick(dialog, Qt.Key.Key_Return)
        qtbot.mouseClick(button(dialog, "firmwareUpdateButton"), Qt.MouseButton.LeftButton)
    shot(dialog, "firmware_low_battery")

    dialog.set_battery(50)
    assert dialog.refusal_text() == ""
    assert dialog.update_enabled()


def test_while_sending_the_dialog_shows_progress_and_cannot_be_closed(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot, REQUIRED, 90)
    with qtbot.waitSignal(dialog.update_requested):
        qtbot.keyClick(dialog, Qt.Key.Key_Return)  # «Обновить» is the default button
    assert dialog.step() is UpdateStep.SENDING
    dialog.set_progress(98_304, 196_608)
    assert dialog.progress_value() == 50
    assert "Не выключайте картридер" in dialog.message_text()
    assert dialog.is_locked()

    with qtbot.assertNotEmitted(dialog.rejected):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        dialog.close()
        dialog.reject()
    assert dialog.isVisible()
    shot(dialog, "firmware_progress")

    dialog.set_rebooting()
    assert "перезагружается" in dialog.message_text()
    assert dialog.is_locked()
    dialog.set_done("2.5.0")
    assert not dialog.is_locked()
    assert "обновлена до версии 2.5.0" in dialog.message_text()
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog, Qt.Key.Key_Return)


def test_an_unknown_battery_level_does_not_block_the_offer(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot, OPTIONAL, None)
    assert dialog.refusal_text() == ""
    assert dialog.update_enabled()
