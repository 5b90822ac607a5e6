"""«Настройки → Картридер…» with the real ``ReaderManager`` and ``KnownReaders`` file."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QListWidget, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from desktop_pos.hardware.reader.known_readers import KnownReaders
from desktop_pos.hardware.reader.settings import ReaderSettings
from desktop_pos.services.card_reader import ReaderManager, ReaderState
from desktop_pos.ui.reader_settings import ReaderSettingsDialog, open_reader_settings
from desktop_pos.ui.tasks import running_tasks
from tests.ui.reader_helpers import host, shot

pytest_plugins = ("tests.ui.reader_fixtures",)  # radio, known, manager, readers

BLUEPAD = "PP0918900518"
QPOS = "MPOS0000000001"


def open_dialog(
    qtbot: QtBot, manager: ReaderManager, saved: list[ReaderSettings] | None = None
) -> ReaderSettingsDialog:
    window = host(qtbot)
    dialog = open_reader_settings(
        window,
        manager,
        ReaderSettings(scan_timeout_s=0.4),
        on_saved=(saved if saved is not None else []).append,
    )
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def child(dialog: QWidget, kind: type[Any], name: str) -> Any:
    found = dialog.findChild(kind, name)
    assert found is not None, name
    return found


def test_known_readers_are_listed_default_set_and_forgotten_from_the_keyboard(
    qtbot: QtBot, known: KnownReaders, manager: ReaderManager
) -> None:
    known.remember(BLUEPAD, name=BLUEPAD, model="Bluepad")
    known.remember(QPOS, name=QPOS, model="QPOS mini")
    dialog = open_dialog(qtbot, manager)
    assert dialog.known_serials() == [QPOS, BLUEPAD]  # the latest first
    readers_list = child(dialog, QListWidget, "knownReadersList")
    assert readers_list.hasFocus()
    shot(dialog, "reader_settings")

    qtbot.keyClick(readers_list, Qt.Key.Key_Down)
    qtbot.mouseClick(
        child(dialog, QPushButton, "setDefaultReaderButton"), Qt.MouseButton.LeftButton
    )
    assert known.default() is not None and known.default().serial == BLUEPAD
    assert "★ по умолчанию" in dialog.known_texts()[1]
    assert not child(dialog, QPushButton, "setDefaultReaderButton").isEnabled()

    readers_list.setFocus()
    dialog.select_known(QPOS)
    qtbot.keyClick(readers_list, Qt.Key.Key_Delete)
    assert QPOS not in known
    assert dialog.known_serials() == [BLUEPAD]
    assert dialog.status_text() == f"Картридер {QPOS} удалён из списка."


def test_a_wrong_no_cvm_limit_is_named_and_nothing_is_saved(
    qtbot: QtBot, manager: ReaderManager
) -> None:
    saved: list[ReaderSettings] = []
    dialog = open_dialog(qtbot, manager, saved)
    field = child(dialog, QLineEdit, "noCvmLimitField")
    assert field.text() == "3000.00"
    for wrong in ("три тысячи", "-5", "100.005"):
        field.setText(wrong)
        qtbot.mouseClick(
            child(dialog, QPushButton, "saveReaderSettingsButton"), Qt.MouseButton.LeftButton
        )
        assert "reader.no_cvm_limit" in dialog.limit_error()
        assert dialog.isVisible() and saved == []
    shot(dialog, "reader_settings_bad_limit")

    field.setText("2500,50")
    field.setFocus()
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(field, Qt.Key.Key_Return)  # «Сохранить» is the default button
    [settings] = saved
    assert settings.no_cvm_limit == Decimal("2500.50")
    assert settings.no_cvm_limit_minor == 250050
    assert settings.scan_timeout_s == 0.4  # the rest is kept


def test_a_search_with_nothing_around_says_so_and_closing_stops_a_search(
    qtbot: QtBot, manager: ReaderManager
) -> None:
    dialog = open_dialog(qtbot, manager)
    search = child(dialog, QPushButton, "searchReadersButton")
    qtbot.mouseClick(search, Qt.MouseButton.LeftButton)
    assert dialog.is_searching() and search.text() == "Остановить поиск"
    qtbot.waitUntil(lambda: not dialog.is_searching(), timeout=10_000)
    assert dialog.status_text() == "Картридеры поблизости не найдены."

    dialog2 = ReaderSettingsDialog(manager, ReaderSettings(), discover_timeout_s=30.0)
    qtbot.addWidget(dialog2)
    dialog2.show()
    dialog2.search()
    qtbot.waitUntil(lambda: manager.state is ReaderState.SCANNING)
    qtbot.wait(200)  # the scan is running (see test_reader_dialogs)
    dialog2.reject()
    qtbot.waitUntil(lambda: manager.state is ReaderState.DISCONNECTED, timeout=5_000)
    qtbot.waitUntil(lambda: not any("discover" in t.get_name() for t in running_tasks()))


def test_search_lists_the_readers_and_connecting_one_remembers_it(
    qtbot: QtBot, known: KnownReaders, manager: ReaderManager, readers: tuple[Any, Any]
) -> None:
    dialog = open_dialog(qtbot, manager)
    assert dialog.known_serials() == []
    dialog.search()
    qtbot.waitUntil(lambda: not dialog.is_searching(), timeout=10_000)
    assert sorted(dialog.found_names()) == [QPOS, BLUEPAD]
    found_list = child(dialog, QListWidget, "settingsFoundReadersList")
    found_list.setCurrentRow(dialog.found_names().index(BLUEPAD))
    qtbot.mouseClick(
        child(dialog, QPushButton, "connectFoundReaderButton"), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(
        lambda: dialog.status_text() == f"Картридер {BLUEPAD} подключён.", timeout=10_000
    )
    assert dialog.known_serials() == [BLUEPAD]
    assert manager.state is ReaderState.CONNECTED
    shot(dialog, "reader_settings_found")
