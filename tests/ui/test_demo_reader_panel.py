"""The demo panel: test cards and reader conditions against the emulated readers on the radio."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QStyle,
    QStyleOptionSpinBox,
)
from pytestqt.qtbot import QtBot

from desktop_pos.sandbox.card_reader.test_cards import TEST_CARDS
from desktop_pos.services.card_reader import ReaderManager
from desktop_pos.ui.demo_reader_panel import DemoReaderPanel, open_demo_reader_panel
from tests.ui.reader_helpers import host, run, shot

pytest_plugins = ("tests.ui.reader_fixtures",)  # radio, known, manager, readers

BLUEPAD = "PP0918900518"
QPOS = "MPOS0000000001"


def make_panel(qtbot: QtBot, readers: Any) -> DemoReaderPanel:
    panel = DemoReaderPanel(list(readers))
    host(qtbot, panel)
    return panel


def child(panel: DemoReaderPanel, kind: type[Any], name: str) -> Any:
    found = panel.findChild(kind, name)
    assert found is not None, name
    return found


def test_every_test_card_is_offered_with_only_the_ways_it_can_be_read(qtbot: QtBot) -> None:
    panel = make_panel(qtbot, ())
    combo = child(panel, QComboBox, "demoCardCombo")
    assert [combo.itemData(i) for i in range(combo.count())] == list(TEST_CARDS)
    panel.choose_card("magstripe_signature")
    assert panel.enabled_entry_buttons() == ["demoSwipeButton"]
    panel.choose_card("visa_contactless")
    assert panel.enabled_entry_buttons() == ["demoTapButton", "demoInsertButton"]
    panel.choose_card("mir_wrong_pin_then_right")
    assert panel.enabled_entry_buttons() == ["demoInsertButton"]


def test_out_of_range_hides_the_reader_from_a_search_until_it_is_back(
    qtbot: QtBot, manager: ReaderManager, readers: tuple[Any, Any]
) -> None:
    panel = make_panel(qtbot, readers)
    panel.choose_reader(QPOS)
    in_range = child(panel, QCheckBox, "demoInRangeBox")
    qtbot.keyClick(in_range, Qt.Key.Key_Space)  # unticked: out of range
    qtbot.waitUntil(lambda: "вне зоны доступа" in panel.status_text(), timeout=5_000)
    assert [f.name for f in run(qtbot, manager.discover(0.4))] == [BLUEPAD]
    qtbot.keyClick(in_range, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: "снова в зоне" in panel.status_text(), timeout=5_000)
    assert sorted(f.name for f in run(qtbot, manager.discover(0.4))) == [QPOS, BLUEPAD]


def test_battery_and_disconnect_reach_the_connected_app(
    qtbot: QtBot, manager: ReaderManager, readers: tuple[Any, Any]
) -> None:
    panel = make_panel(qtbot, readers)
    panel.choose_reader(BLUEPAD)
    [found] = [f for f in run(qtbot, manager.discover(0.4)) if f.name == BLUEPAD]
    run(qtbot, manager.connect(found))

    child(panel, QSpinBox, "demoBatterySpin").setValue(9)
    qtbot.mouseClick(child(panel, QPushButton, "demoBatteryButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: manager.battery == 9, timeout=5_000)
    assert panel.status_text() == "Заряд батареи: 9 %."

    seen: list[object] = []
    manager.add_listener(seen.append)
    qtbot.mouseClick(child(panel, QPushButton, "demoDisconnectButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: any(type(event).__name__ == "Disconnected" for event in seen), timeout=5_000
    )
    assert panel.status_text() == "Соединение с картридером разорвано."


def test_a_firmware_update_offered_by_the_reader_reaches_the_app(
    qtbot: QtBot, manager: ReaderManager, readers: tuple[Any, Any]
) -> None:
    panel = make_panel(qtbot, readers)
    panel.choose_reader(QPOS)
    combo = child(panel, QComboBox, "demoFirmwareCombo")
    combo.setCurrentIndex(combo.findData("required"))
    qtbot.mouseClick(child(panel, QPushButton, "demoFirmwareButton"), Qt.MouseButton.LeftButton)
    assert panel.status_text() == "Картридеру требуется прошивка 9.9.0."
    shot(panel.window(), "demo_reader_panel")
    [found] = [f for f in run(qtbot, manager.discover(0.4)) if f.name == QPOS]
    run(qtbot, manager.connect(found))
    assert manager.info is not None and manager.info.firmware_update is not None
    assert manager.info.firmware_update.version == "9.9.0"
    assert manager.info.firmware_update.required


def test_battery_and_firmware_version_are_not_cut_off(qtbot: QtBot) -> None:
    """In the demo window as it opens over the 1280×800 counter, with the style sheet: the whole
    value shows and the arrows can be hit."""
    dialog = open_demo_reader_panel(host(qtbot), ())
    qtbot.waitExposed(dialog)
    panel = dialog.findChild(DemoReaderPanel)
    assert panel is not None
    spin = child(panel, QSpinBox, "demoBatterySpin")
    spin.setValue(100)
    edit = spin.lineEdit()
    margins = edit.textMargins()
    needed = edit.fontMetrics().horizontalAdvance(spin.text()) + margins.left() + margins.right()
    assert edit.width() >= needed
    style = spin.style()
    option = QStyleOptionSpinBox()
    spin.initStyleOption(option)
    for control in (QStyle.SubControl.SC_SpinBoxUp, QStyle.SubControl.SC_SpinBoxDown):
        arrow = style.subControlRect(QStyle.ComplexControl.CC_SpinBox, option, control, spin)
        assert arrow.width() >= 24 and arrow.height() >= 16
        assert arrow.right() < spin.width() - 1  # inside the border
    version = child(panel, QLineEdit, "demoFirmwareVersion")
    assert version.text() == "9.9.0"
    padding = 2 * 12 + 2 * 2  # the style sheet's padding and border
    assert version.width() >= version.fontMetrics().horizontalAdvance("99.99.99") + padding
    shot(dialog, "demo-reader-panel-conditions")
    dialog.close()


@pytest.mark.usefixtures("russian_ui")
def test_the_panels_window_title_is_in_the_windows_language(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QApplication

    from desktop_pos.models.texts import Language
    from desktop_pos.ui.i18n import apply_language

    assert open_demo_reader_panel(host(qtbot), ()).windowTitle() == "Демо: картридер"
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_language(app, Language.EN)
    assert open_demo_reader_panel(host(qtbot), ()).windowTitle() == "Demo: card reader"
