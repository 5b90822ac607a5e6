"""«Принтер чеков»: every bad value gets a message next to its field and nothing is saved; a good
one is written into the [printer] table (other tables kept) and applied; «Проверить печать»."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from desktop_pos.config import AppPaths, load_config
from desktop_pos.hardware.printer.settings import ConnectionKind, PrinterSettings
from desktop_pos.sandbox.virtual_printer.server import PrinterFault, VirtualPrinterThread
from desktop_pos.ui.printer_settings import PrinterSettingsDialog, write_printer_settings
from tests.ui.printing_fixtures import printer, wait_receipts  # noqa: F401 - fixture

OTHER_TABLES = """language = "ru"

[merchant]
legal_name = "ООО \\"АССИСТ\\""
inn = "7728029110"
"""

Make = Callable[..., PrinterSettingsDialog]


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "config" / "config.toml"
    path.parent.mkdir()
    path.write_text(OTHER_TABLES, encoding="utf-8")
    return path


@pytest.fixture
def make_dialog(qtbot: QtBot, qloop: object, config_file: Path) -> Make:
    def make(settings: PrinterSettings | None = None, **kwargs: object) -> PrinterSettingsDialog:
        start = settings or PrinterSettings.network("192.168.1.50", 9100)
        dialog = PrinterSettingsDialog(start, config_file=config_file, **kwargs)  # type: ignore[arg-type]
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        return dialog

    return make


def line(dialog: PrinterSettingsDialog, key: str) -> QLineEdit:
    editor = dialog.editor(key)
    assert isinstance(editor, QLineEdit)
    return editor


def combo(dialog: PrinterSettingsDialog, key: str) -> QComboBox:
    editor = dialog.editor(key)
    assert isinstance(editor, QComboBox)
    return editor


def button(dialog: PrinterSettingsDialog, name: str) -> QPushButton:
    found = dialog.findChild(QPushButton, name)
    assert found is not None
    return found


def test_a_malformed_port_is_named_next_to_its_field_and_nothing_is_saved(
    qtbot: QtBot, make_dialog: Make, config_file: Path
) -> None:
    saved: list[PrinterSettings] = []
    dialog = make_dialog(on_saved=saved.append)
    line(dialog, "port").setText("91OO")

    qtbot.mouseClick(button(dialog, "savePrinterButton"), Qt.MouseButton.LeftButton)

    message = dialog.error_text("port")
    assert "printer.port" in message and "целое число от 1 до 65535" in message
    assert "«91OO»" in message
    assert dialog.isVisible() and saved == []
    assert config_file.read_text(encoding="utf-8") == OTHER_TABLES

    line(dialog, "port").setText("9100")
    line(dialog, "timeout_s").setText("0,1")
    qtbot.mouseClick(button(dialog, "savePrinterButton"), Qt.MouseButton.LeftButton)
    assert dialog.error_text("port") == ""
    assert "printer.timeout_s" in dialog.error_text("timeout_s")


def test_an_unknown_code_page_is_refused_with_a_clear_message(
    qtbot: QtBot, make_dialog: Make, config_file: Path
) -> None:
    saved: list[PrinterSettings] = []
    dialog = make_dialog(on_saved=saved.append)
    combo(dialog, "code_page").setEditText("CP9999")

    dialog.save()

    qtbot.waitUntil(lambda: dialog.error_text("code_page") != "", timeout=15_000)
    assert "CP9999" in dialog.error_text("code_page")
    assert "printer.code_page" in dialog.error_text("code_page")
    qtbot.waitUntil(lambda: not dialog.is_busy())
    assert dialog.isVisible() and saved == []
    assert config_file.read_text(encoding="utf-8") == OTHER_TABLES


def test_a_missing_host_and_bad_chars_per_line_are_named(qtbot: QtBot, make_dialog: Make) -> None:
    dialog = make_dialog()
    line(dialog, "host").setText("")
    dialog.save()
    assert "printer.host" in dialog.error_text("host")

    line(dialog, "host").setText("10.0.0.5")
    line(dialog, "chars_per_line").setText("200")
    dialog.save()
    assert "printer.chars_per_line" in dialog.error_text("chars_per_line")
    assert dialog.error_text("host") == ""


def test_saving_writes_the_printer_table_keeps_the_rest_and_applies(
    qtbot: QtBot, make_dialog: Make, config_file: Path, tmp_path: Path
) -> None:
    saved: list[PrinterSettings] = []
    dialog = make_dialog(on_saved=saved.append)
    line(dialog, "host").setText("10.0.0.7")
    line(dialog, "port").setText("9101")
    combo(dialog, "paper_mm").setCurrentIndex(combo(dialog, "paper_mm").findData(58))
    combo(dialog, "drawer_pin").setCurrentIndex(combo(dialog, "drawer_pin").findData(5))
    kick = dialog.editor("kick_drawer_on_cash")
    assert isinstance(kick, QCheckBox)
    kick.setChecked(False)

    with qtbot.waitSignal(dialog.accepted, timeout=15_000):
        dialog.save()

    [settings] = saved
    assert (settings.host, settings.port, settings.paper_mm) == ("10.0.0.7", 9101, 58)
    assert settings.drawer_pin == 5 and not settings.kick_drawer_on_cash
    raw = tomllib.loads(config_file.read_text(encoding="utf-8"))
    assert raw["language"] == "ru" and raw["merchant"]["inn"] == "7728029110"
    assert raw["printer"]["host"] == "10.0.0.7" and raw["printer"]["paper_mm"] == 58
    paths = AppPaths(config_file=config_file, data_dir=tmp_path, log_dir=tmp_path)
    assert load_config(paths).printer == settings  # the app reads back what was saved


def test_only_the_chosen_connections_fields_are_shown_and_saved(
    qtbot: QtBot, make_dialog: Make
) -> None:
    saved: list[PrinterSettings] = []
    dialog = make_dialog(on_saved=saved.append)
    assert dialog.field_shown("host") and not dialog.field_shown("file_path")
    kinds = combo(dialog, "connection")
    kinds.setCurrentIndex(kinds.findData(ConnectionKind.FILE.value))
    assert not dialog.field_shown("host") and dialog.field_shown("file_path")

    dialog.save()
    assert "printer.file_path" in dialog.error_text("file_path")

    line(dialog, "file_path").setText("/dev/usb/lp0")
    with qtbot.waitSignal(dialog.accepted, timeout=15_000):
        dialog.save()
    assert saved[0].connection is ConnectionKind.FILE and saved[0].file_path == "/dev/usb/lp0"


def test_test_print_reaches_the_printer_and_reports_in_the_status_line(
    qtbot: QtBot,
    make_dialog: Make,
    printer: VirtualPrinterThread,  # noqa: F811
) -> None:
    dialog = make_dialog(PrinterSettings.network("127.0.0.1", printer.port, timeout_s=1.0))

    qtbot.mouseClick(button(dialog, "testPrintButton"), Qt.MouseButton.LeftButton)

    [page] = wait_receipts(qtbot, printer, 1)
    assert "ТЕСТОВАЯ ПЕЧАТЬ" in page.text
    qtbot.waitUntil(lambda: dialog.status_text() == "Чек напечатан.", timeout=10_000)

    printer.set_fault(PrinterFault.COVER_OPEN)
    qtbot.waitUntil(lambda: not dialog.is_busy())
    dialog.test_print()
    qtbot.waitUntil(lambda: "Открыта крышка" in dialog.status_text(), timeout=10_000)
    assert len(printer.receipts) == 1


def test_test_print_with_printing_switched_off_says_so(qtbot: QtBot, make_dialog: Make) -> None:
    dialog = make_dialog(service_for=lambda _settings: None)
    dialog.test_print()
    qtbot.waitUntil(lambda: "выключена" in dialog.status_text(), timeout=15_000)


def test_an_unwritable_settings_file_is_reported(qtbot: QtBot, qloop: object) -> None:
    dialog = PrinterSettingsDialog(
        PrinterSettings.network("192.168.1.50"), config_file=Path("/proc/no-such-dir/c.toml")
    )
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.save()
    qtbot.waitUntil(lambda: "Не удалось сохранить" in dialog.general_error(), timeout=15_000)
    assert dialog.isVisible()


def test_write_printer_settings_creates_the_file(tmp_path: Path) -> None:
    path = tmp_path / "new" / "config.toml"
    write_printer_settings(path, PrinterSettings.network("printer.local", 9100))
    assert tomllib.loads(path.read_text(encoding="utf-8"))["printer"]["host"] == "printer.local"
