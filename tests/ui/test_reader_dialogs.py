"""The card reader connection panel with the real ``ReaderManager`` over bleak on the virtual radio.

Every seed message and button: searching with «Отмена», one reader found («Найден картридер
PP0918900518. Хотите подключиться?»), several found (a list), connecting with «ВЫБРАТЬ ДРУГОЙ»,
none found, the last reader reconnected, Bluetooth switched off. A search is never left running.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from desktop_pos.hardware.reader.known_readers import KnownReaders
from desktop_pos.sandbox.virtual_radio.radio import VirtualRadio
from desktop_pos.services.card_reader import ReaderManager, ReaderState
from desktop_pos.ui.reader_dialogs import ConnectStep, ReaderConnectPanel
from desktop_pos.ui.tasks import running_tasks
from tests.ui.reader_helpers import act, host, make_manager, run, shot

pytest_plugins = ("tests.ui.reader_fixtures",)  # radio, known, manager, readers

BLUEPAD = "PP0918900518"
QPOS = "MPOS0000000001"


def make_panel(qtbot: QtBot, manager: ReaderManager, **kwargs: Any) -> ReaderConnectPanel:
    panel = ReaderConnectPanel(manager, discover_timeout_s=0.4, reconnect_timeout_s=0.4, **kwargs)
    host(qtbot, panel)
    return panel


def button(panel: ReaderConnectPanel, name: str) -> QPushButton:
    found = panel.findChild(QPushButton, name)
    assert found is not None, name
    return found


def wait_step(qtbot: QtBot, panel: ReaderConnectPanel, step: ConnectStep) -> None:
    qtbot.waitUntil(lambda: panel.step() is step, timeout=10_000)


def no_reader_task_left(panel: ReaderConnectPanel) -> bool:
    return not panel.controller.is_running() and not any(
        "discover" in task.get_name() or "connect" in task.get_name() for task in running_tasks()
    )


# -- without a reader around -----------------------------------------------------------------------


def test_nothing_around_says_no_readers_found_with_search_again_and_another_method(
    qtbot: QtBot, manager: ReaderManager
) -> None:
    panel = make_panel(qtbot, manager)
    panel.start()
    assert panel.step() is ConnectStep.SEARCHING
    assert panel.message_text() == "Поиск картридеров поблизости..."
    assert panel.visible_buttons() == ["readerCancelButton"]
    shot(panel.window(), "reader_searching")

    wait_step(qtbot, panel, ConnectStep.NOT_FOUND)
    assert panel.message_text() == "Картридеры поблизости не найдены."
    assert "Повторить поиск" in panel.advice_text()
    assert panel.visible_buttons() == ["readerOtherMethodButton", "readerSearchAgainButton"]
    assert button(panel, "readerSearchAgainButton").text() == "ПОВТОРИТЬ ПОИСК"
    assert button(panel, "readerSearchAgainButton").hasFocus()
    assert manager.state is ReaderState.DISCONNECTED
    shot(panel.window(), "reader_not_found")

    qtbot.keyClick(button(panel, "readerSearchAgainButton"), Qt.Key.Key_Return)
    assert panel.step() is ConnectStep.SEARCHING
    wait_step(qtbot, panel, ConnectStep.NOT_FOUND)
    with qtbot.waitSignal(panel.other_method_requested):
        qtbot.mouseClick(button(panel, "readerOtherMethodButton"), Qt.MouseButton.LeftButton)


def test_escape_cancels_the_search_and_leaves_no_scan_running(
    qtbot: QtBot, radio: VirtualRadio, known: KnownReaders
) -> None:
    manager = make_manager(radio, known)
    panel = ReaderConnectPanel(manager, discover_timeout_s=30.0)
    host(qtbot, panel)
    panel.start()
    qtbot.waitUntil(lambda: manager.state is ReaderState.SCANNING)
    # At once: a cancel while the radio is still starting the scan must leave nothing behind.
    with qtbot.waitSignal(panel.cancelled):
        qtbot.keyClick(button(panel, "readerCancelButton"), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: manager.state is ReaderState.DISCONNECTED, timeout=5_000)
    qtbot.waitUntil(lambda: no_reader_task_left(panel), timeout=5_000)
    assert panel.step() is ConnectStep.IDLE
    run(qtbot, manager.close())


def test_hiding_the_panel_stops_a_search(qtbot: QtBot, manager: ReaderManager) -> None:
    panel = ReaderConnectPanel(manager, discover_timeout_s=30.0)
    window = host(qtbot, panel)
    panel.search()
    qtbot.waitUntil(lambda: manager.state is ReaderState.SCANNING)
    panel.hide()
    qtbot.waitUntil(lambda: manager.state is ReaderState.DISCONNECTED, timeout=5_000)
    qtbot.waitUntil(lambda: no_reader_task_left(panel), timeout=5_000)
    assert window.isVisible()


def test_bluetooth_switched_off_says_what_to_do_and_offers_another_method(
    qtbot: QtBot, radio: VirtualRadio, manager: ReaderManager
) -> None:
    radio.powered = False  # the computer's adapter is off
    panel = make_panel(qtbot, manager)
    panel.start()
    wait_step(qtbot, panel, ConnectStep.UNAVAILABLE)
    assert panel.message_text() == "Bluetooth недоступен: картридер не подключить."
    assert "Включите Bluetooth" in panel.advice_text()
    assert "другой способ оплаты" in panel.advice_text()
    assert panel.visible_buttons() == ["readerOtherMethodButton", "readerSearchAgainButton"]
    other = button(panel, "readerOtherMethodButton")
    assert other.hasFocus() and other.isDefault()
    assert manager.state is ReaderState.UNAVAILABLE
    shot(panel.window(), "reader_bluetooth_off")
    with qtbot.waitSignal(panel.other_method_requested):
        qtbot.keyClick(other, Qt.Key.Key_Return)


# -- with the emulated readers ---------------------------------------------------------------------


def test_one_reader_found_asks_to_connect_then_connects(
    qtbot: QtBot, manager: ReaderManager, readers: tuple[Any, Any]
) -> None:
    _bluepad, qpos = readers
    act(qtbot, qpos.set_in_range(False))  # only the Bluepad-like reader is around
    panel = make_panel(qtbot, manager)
    panel.start()
    wait_step(qtbot, panel, ConnectStep.FOUND)
    assert panel.message_text() == f"Найден картридер {BLUEPAD}. Хотите подключиться?"
    assert not panel.list_shown()
    assert panel.visible_buttons() == ["readerSearchAgainButton", "readerConnectButton"]
    connect = button(panel, "readerConnectButton")
    assert connect.text() == "ПОДКЛЮЧИТЬСЯ"
    assert connect.hasFocus()
    shot(panel.window(), "reader_found_one")

    with qtbot.waitSignal(panel.connected, timeout=10_000) as connected:
        qtbot.keyClick(connect, Qt.Key.Key_Return)
        assert panel.step() is ConnectStep.CONNECTING
        assert panel.message_text() == f"Подключение картридера {BLUEPAD}..."
        assert panel.visible_buttons() == ["readerChooseOtherButton"]
        assert button(panel, "readerChooseOtherButton").text() == "ВЫБРАТЬ ДРУГОЙ"
        shot(panel.window(), "reader_connecting")
    link = connected.args[0]
    assert link is manager.link and link.connected
    assert manager.state is ReaderState.CONNECTED
    assert panel.message_text() == f"Картридер {BLUEPAD} подключён."
    assert manager.known.last() is not None and manager.known.last().serial == BLUEPAD


def test_several_readers_are_listed_and_the_chosen_one_connects(
    qtbot: QtBot, manager: ReaderManager, readers: tuple[Any, Any]
) -> None:
    panel = make_panel(qtbot, manager)
    panel.start()
    wait_step(qtbot, panel, ConnectStep.FOUND)
    assert sorted(panel.found_names()) == [QPOS, BLUEPAD]
    assert panel.list_shown()
    assert panel.message_text().startswith("Найдено картридеров поблизости: 2.")
    shot(panel.window(), "reader_found_several")
    target = QPOS
    row = panel.found_names().index(target)
    readers_list = panel.findChild(object, "foundReadersList")
    assert readers_list is not None and readers_list.hasFocus()
    for _ in range(row):
        qtbot.keyClick(readers_list, Qt.Key.Key_Down)
    with qtbot.waitSignal(panel.connected, timeout=10_000):
        qtbot.keyClick(readers_list, Qt.Key.Key_Return)
    assert manager.info is not None and manager.info.serial == target


def test_choose_other_while_connecting_goes_back_to_the_list(
    qtbot: QtBot, manager: ReaderManager, readers: tuple[Any, Any]
) -> None:
    panel = make_panel(qtbot, manager)
    panel.search()
    wait_step(qtbot, panel, ConnectStep.FOUND)
    qtbot.mouseClick(button(panel, "readerConnectButton"), Qt.MouseButton.LeftButton)
    assert panel.step() is ConnectStep.CONNECTING
    with qtbot.assertNotEmitted(panel.connected, wait=100):
        qtbot.mouseClick(button(panel, "readerChooseOtherButton"), Qt.MouseButton.LeftButton)
        assert panel.step() is ConnectStep.FOUND
        assert panel.list_shown()
    qtbot.waitUntil(lambda: no_reader_task_left(panel), timeout=5_000)
    qtbot.waitUntil(lambda: manager.state is not ReaderState.CONNECTING, timeout=5_000)


def test_the_last_reader_is_reconnected_with_the_seed_message(
    qtbot: QtBot, radio: VirtualRadio, known: KnownReaders, readers: tuple[Any, Any]
) -> None:
    first = make_manager(radio, known)
    [qpos] = [found for found in run(qtbot, first.discover(0.4)) if found.name == QPOS]
    run(qtbot, first.connect(qpos))
    run(qtbot, first.close())

    manager = make_manager(radio, known)  # the next start of the app
    panel = make_panel(qtbot, manager)
    with qtbot.waitSignal(panel.connected, timeout=10_000):
        panel.start()
        assert panel.step() is ConnectStep.RECONNECTING
        assert panel.message_text() == (
            f"Соединение с последним подключённым картридером {QPOS}..."
        )
        assert panel.visible_buttons() == ["readerChooseOtherButton"]
        shot(panel.window(), "reader_reconnecting")
    assert manager.info is not None and manager.info.serial == QPOS
    run(qtbot, manager.close())


def test_a_last_reader_out_of_range_falls_back_to_a_search(
    qtbot: QtBot, radio: VirtualRadio, known: KnownReaders, readers: tuple[Any, Any]
) -> None:
    _bluepad, qpos = readers
    known.remember(QPOS, name=QPOS, model="qpos")
    act(qtbot, qpos.set_in_range(False))
    manager = make_manager(radio, known)
    panel = make_panel(qtbot, manager)
    panel.start()
    assert panel.step() is ConnectStep.RECONNECTING
    wait_step(qtbot, panel, ConnectStep.FOUND)
    assert panel.found_names() == [BLUEPAD]
    run(qtbot, manager.close())


def test_an_already_connected_reader_is_used_at_once(
    qtbot: QtBot, manager: ReaderManager, readers: tuple[Any, Any]
) -> None:
    [found] = [f for f in run(qtbot, manager.discover(0.4)) if f.name == BLUEPAD]
    link = run(qtbot, manager.connect(found))
    panel = make_panel(qtbot, manager)
    with qtbot.waitSignal(panel.connected) as connected:
        panel.start()
    assert connected.args == [link]
