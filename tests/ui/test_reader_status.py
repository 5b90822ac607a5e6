"""The status-bar reader indicator with the real ``ReaderManager`` on the virtual radio."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QMainWindow, QWidget
from pytestqt.qtbot import QtBot

from desktop_pos.sandbox.virtual_radio.radio import VirtualRadio
from desktop_pos.services.card_reader import ReaderManager, ReaderState
from desktop_pos.ui.reader_status import ReaderStatusWidget, battery_is_low
from tests.ui.reader_helpers import act, host, run, shot

pytest_plugins = ("tests.ui.reader_fixtures",)  # radio, known, manager, readers

BLUEPAD = "PP0918900518"


def make_indicator(qtbot: QtBot, manager: ReaderManager) -> ReaderStatusWidget:
    """In a main window's status bar, as the app puts it."""
    window = QMainWindow()
    window.setCentralWidget(QWidget())
    indicator = ReaderStatusWidget(manager)
    window.statusBar().addPermanentWidget(indicator)
    host(qtbot, window)
    return indicator


def test_the_low_battery_threshold_is_the_protocols_15_percent() -> None:
    assert battery_is_low(15) and battery_is_low(0)
    assert not battery_is_low(16) and not battery_is_low(None)


def test_without_a_reader_it_says_not_connected(qtbot: QtBot, manager: ReaderManager) -> None:
    indicator = make_indicator(qtbot, manager)
    assert indicator.status_text() == "Картридер: не подключён"
    assert indicator.battery_text() == ""
    assert indicator.warning_text() == ""


def test_bluetooth_off_is_shown_with_the_advice_as_tooltip(
    qtbot: QtBot, radio: VirtualRadio, manager: ReaderManager
) -> None:
    indicator = make_indicator(qtbot, manager)
    radio.powered = False
    future = run(qtbot, _discover_expecting_failure(manager))
    assert future == "BluetoothUnavailable"
    qtbot.waitUntil(lambda: indicator.status_text() == "Картридер: Bluetooth недоступен")
    label = indicator.findChild(object, "readerStatusLabel")
    assert label is not None and "Включите Bluetooth" in label.toolTip()


async def _discover_expecting_failure(manager: ReaderManager) -> str:
    try:
        await manager.discover(0.3)
    except Exception as exc:  # the manager raises BluetoothUnavailable
        return type(exc).__name__
    return ""


def test_connected_reader_name_and_battery_then_the_low_battery_warning(
    qtbot: QtBot, manager: ReaderManager, readers: tuple[Any, Any]
) -> None:
    bluepad, _qpos = readers
    indicator = make_indicator(qtbot, manager)
    [found] = [f for f in run(qtbot, manager.discover(0.4)) if f.name == BLUEPAD]
    run(qtbot, manager.connect(found))
    qtbot.waitUntil(lambda: indicator.status_text() == f"Картридер {BLUEPAD}")
    assert manager.battery is not None
    assert indicator.battery_text() == f"батарея {manager.battery} %"
    assert not indicator.is_low()

    with qtbot.waitSignal(indicator.low_battery_changed, timeout=5_000) as low:
        act(qtbot, bluepad.set_battery(12))
    assert low.args == [True]
    assert indicator.warning_text() == (
        "Недостаточный заряд батареи картридера. Зарядите картридер."
    )
    assert indicator.battery_text() == "батарея 12 %"
    shot(indicator.window(), "reader_status_low_battery")

    run(qtbot, manager.disconnect())
    qtbot.waitUntil(lambda: manager.state is ReaderState.DISCONNECTED)
    qtbot.waitUntil(lambda: indicator.status_text() == "Картридер: не подключён")
    assert indicator.warning_text() == ""
