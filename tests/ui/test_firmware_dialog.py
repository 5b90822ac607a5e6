"""The firmware update dialog: required / optional, the estimate, the 50 % refusal, progress, lock.

The dialog on its own first; then the whole update through the real ``ReaderManager``, bleak on
the virtual radio and an emulated reader (tests/ui/reader_fixtures.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWidget
from pytestqt.qtbot import QtBot

from desktop_pos.hardware.reader.messages import FirmwareUpdateInfo, ReaderInfo
from desktop_pos.services.card_reader import ReaderManager, ReaderState
from desktop_pos.services.firmware_images import FirmwareImages
from desktop_pos.ui.firmware_dialog import (
    FirmwareUpdateController,
    FirmwareUpdateDialog,
    UpdateStep,
)
from tests.ui.reader_helpers import host, run, shot

pytest_plugins = ("tests.ui.reader_fixtures",)  # radio, known, manager, readers


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
    parent = host(qtbot)
    _parents[:] = [parent]  # the dialog lives as long as its window
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


# -- the whole update: the real manager, bleak on the virtual radio, an emulated reader -----------


def controller_for(
    qtbot: QtBot, manager: ReaderManager, folder: Path
) -> tuple[FirmwareUpdateController, QWidget]:
    window = host(qtbot)
    return FirmwareUpdateController(manager, window, images=FirmwareImages(folder)), window


def connect(qtbot: QtBot, manager: ReaderManager, serial: str) -> None:
    [found] = [f for f in run(qtbot, manager.discover(0.4)) if f.name == serial]
    run(qtbot, manager.connect(found))


def test_a_required_update_is_offered_on_connect_and_installed_with_progress(
    qtbot: QtBot, manager: ReaderManager, readers: tuple[Any, Any], tmp_path: Path
) -> None:
    from desktop_pos.sandbox.card_reader.firmware import demo_firmware_image

    bluepad, _qpos = readers
    bluepad.set_firmware_update("9.9.0", required=True)
    image = demo_firmware_image(bluepad.model, "9.9.0")
    (tmp_path / f"{bluepad.model}-9.9.0.bin").write_bytes(image)
    updates, _window = controller_for(qtbot, manager, tmp_path)
    progress: list[int] = []
    manager.add_listener(
        lambda event: (
            progress.append(event.received) if type(event).__name__ == "FirmwareProgress" else None
        )
    )

    connect(qtbot, manager, "PP0918900518")
    qtbot.waitUntil(lambda: updates.dialog() is not None, timeout=5_000)
    dialog = updates.dialog()
    assert dialog is not None
    assert "требуется обновление прошивки до версии 9.9.0" in dialog.message_text()
    with qtbot.waitSignal(updates.finished, timeout=20_000) as finished:
        qtbot.mouseClick(button(dialog, "firmwareUpdateButton"), Qt.MouseButton.LeftButton)
        assert updates.updating
        qtbot.waitUntil(lambda: dialog.step() is UpdateStep.DONE, timeout=15_000)
        assert "обновлена до версии 9.9.0" in dialog.message_text()
        qtbot.mouseClick(button(dialog, "firmwareCloseButton"), Qt.MouseButton.LeftButton)
    assert finished.args == [True]
    assert progress and progress[-1] == len(image)
    assert manager.info is not None and manager.info.firmware_version == "9.9.0"
    assert manager.state is ReaderState.CONNECTED


def test_under_half_battery_nothing_is_sent(
    qtbot: QtBot, manager: ReaderManager, readers: tuple[Any, Any], tmp_path: Path
) -> None:
    _bluepad, qpos = readers
    qpos.set_battery(30)
    qpos.set_firmware_update("9.9.0", required=False)
    updates, _window = controller_for(qtbot, manager, tmp_path)
    connect(qtbot, manager, "MPOS0000000001")
    qtbot.waitUntil(lambda: updates.dialog() is not None, timeout=5_000)
    dialog = updates.dialog()
    assert dialog is not None
    assert "заряд батареи картридера 30 %" in dialog.refusal_text()
    assert not dialog.update_enabled()
    shot(dialog, "firmware_refused_on_reader")
    with qtbot.waitSignal(updates.finished) as finished:
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # «Позже»
    assert finished.args == [False]
    assert manager.info is not None and manager.info.firmware_version != "9.9.0"
