"""The [printer] table: defaults, each connection kind, and a clear error for every bad value."""

from __future__ import annotations

import tomllib
from typing import Any

import pytest

from desktop_pos.hardware.printer.errors import PrinterSettingsError
from desktop_pos.hardware.printer.settings import (
    ConnectionKind,
    PrinterSettings,
    SerialFlowControl,
)


def test_no_table_means_no_printer() -> None:
    assert not PrinterSettings().enabled
    assert not PrinterSettings.from_mapping({}).enabled


def test_a_table_turns_printing_on_with_defaults() -> None:
    settings = PrinterSettings.from_mapping({"host": "192.168.1.50"})
    assert settings.enabled
    assert settings.connection is ConnectionKind.NETWORK
    assert settings.port == 9100
    assert settings.timeout_s == 5.0
    assert (settings.paper_mm, settings.code_page) == (80, "CP866")
    profile = settings.profile()
    assert (profile.paper_mm, profile.chars_per_line, profile.dots_per_line) == (80, 48, 576)
    assert settings.kick_drawer_on_cash and settings.auto_print_fiscal
    assert (settings.drawer_pin, settings.drawer_on_ms, settings.drawer_off_ms) == (2, 100, 100)
    assert settings.description == "192.168.1.50:9100"


def test_the_virtual_printer_shortcut() -> None:
    settings = PrinterSettings.network("127.0.0.1", 40123, drawer_pin=5)
    assert settings.enabled and settings.host == "127.0.0.1" and settings.port == 40123
    assert settings.drawer_pin == 5


def test_a_58_mm_roll_defaults_to_32_characters() -> None:
    settings = PrinterSettings.from_mapping({"host": "p", "paper_mm": 58})
    assert settings.chars_per_line == 0
    assert settings.profile().chars_per_line == 32


def test_the_profile_keys_reach_the_printer_profile() -> None:
    settings = PrinterSettings.from_mapping(
        {
            "host": "p",
            "paper_mm": 58,
            "chars_per_line": 30,
            "code_page": "CP1251",
            "qr_native": False,
            "code_table": 46,
        }
    )
    profile = settings.profile()
    assert (profile.chars_per_line, profile.qr_native) == (30, False)
    assert profile.resolved_code_page.table == 46
    assert settings.profile() is profile


def test_check_profile_false_defers_the_model_check() -> None:
    table = {"host": "p", "model": "no-such-printer"}
    settings = PrinterSettings.from_mapping(table, check_profile=False)
    with pytest.raises(PrinterSettingsError) as info:
        settings.profile()
    assert info.value.field == "printer.model"
    with pytest.raises(PrinterSettingsError):
        PrinterSettings.from_mapping(table)


def test_each_connection_kind_from_toml() -> None:
    table = tomllib.loads(
        """
        [usb]
        connection = "usb"
        vendor_id = 0x04b8
        product_id = "0e15"
        [serial]
        connection = "serial"
        serial_port = "COM3"
        baudrate = 38400
        serial_flow = "RTSCTS"
        [windows]
        connection = "windows"
        windows_printer = "EPSON TM-T20III Receipt"
        [file]
        connection = "file"
        file_path = "/dev/usb/lp0"
        """
    )
    usb = PrinterSettings.from_mapping(table["usb"])
    assert (usb.vendor_id, usb.product_id) == (0x04B8, 0x0E15)
    assert usb.description == "USB 04b8:0e15"
    serial = PrinterSettings.from_mapping(table["serial"])
    assert serial.serial_port == "COM3" and serial.baudrate == 38400
    assert serial.serial_flow is SerialFlowControl.RTSCTS
    windows = PrinterSettings.from_mapping(table["windows"])
    assert windows.windows_printer == "EPSON TM-T20III Receipt"
    assert PrinterSettings.from_mapping(table["file"]).file_path == "/dev/usb/lp0"


@pytest.mark.parametrize(
    "settings",
    [
        PrinterSettings.network("10.0.0.7", 9101, paper_mm=58, drawer_pin=5, timeout_s=2.5),
        PrinterSettings.from_mapping({"connection": "usb", "vendor_id": 1, "product_id": 2}),
        PrinterSettings.from_mapping({"connection": "serial", "serial_port": "loop://"}),
        PrinterSettings.from_mapping({"connection": "windows", "windows_printer": "POS-80"}),
        PrinterSettings.from_mapping({"connection": "file", "file_path": "/tmp/r.bin"}),
        PrinterSettings.from_mapping({"enabled": False}),
    ],
)
def test_to_mapping_reads_back_to_the_same_settings(settings: PrinterSettings) -> None:
    assert PrinterSettings.from_mapping(settings.to_mapping()) == settings


def test_a_disabled_printer_needs_no_address() -> None:
    settings = PrinterSettings.from_mapping({"enabled": False, "connection": "usb"})
    assert not settings.enabled


BAD: list[tuple[dict[str, Any], str, str]] = [
    ({"colour": "red"}, "printer.colour", "unknown key"),
    ({"enabled": "yes"}, "printer.enabled", "true or false"),
    ({"connection": "bluetooth", "host": "x"}, "printer.connection", "allowed: network, usb"),
    ({"connection": "network"}, "printer.host", "required"),
    ({"host": "http://192.168.1.5"}, "printer.host", "without spaces or http://"),
    ({"host": "my printer"}, "printer.host", "without spaces"),
    ({"host": "p", "port": 0}, "printer.port", "from 1 to 65535"),
    ({"host": "p", "port": "9100"}, "printer.port", "whole number"),
    ({"host": "p", "port": True}, "printer.port", "whole number"),
    ({"connection": "usb", "product_id": 1}, "printer.vendor_id", "required"),
    ({"connection": "usb", "vendor_id": "epson", "product_id": 1}, "printer.vendor_id", "hex"),
    ({"connection": "usb", "vendor_id": 0x10000, "product_id": 1}, "printer.vendor_id", "hex"),
    ({"connection": "serial"}, "printer.serial_port", "required"),
    ({"connection": "serial", "serial_port": "COM1", "baudrate": 1000}, "printer.baudrate", "9600"),
    (
        {"connection": "serial", "serial_port": "COM1", "serial_flow": "x"},
        "printer.serial_flow",
        "al",
    ),
    ({"connection": "windows"}, "printer.windows_printer", "required"),
    ({"connection": "file"}, "printer.file_path", "required"),
    ({"connection": "file", "file_path": "a\nb"}, "printer.file_path", "control characters"),
    ({"host": "p", "timeout_s": 0}, "printer.timeout_s", "from 0.5 to 60"),
    ({"host": "p", "timeout_s": "5"}, "printer.timeout_s", "seconds"),
    ({"host": "p", "paper_mm": 76}, "printer.paper_mm", "allowed: 58, 80"),
    ({"host": "p", "chars_per_line": 200}, "printer.chars_per_line", "from 24 to 64"),
    ({"host": "p", "code_page": "CP9999"}, "printer.code_page", "unknown code page"),
    ({"host": "p", "code_page": "CP437"}, "printer.code_page", "no Russian letters"),
    ({"host": "p", "code_page": ""}, "printer.code_page", "CP866"),
    ({"host": "p", "model": "TM-T1000"}, "printer.model", "unknown printer model"),
    ({"host": "p", "dots_per_line": 100}, "printer.dots_per_line", "from 288 to 640"),
    ({"host": "p", "code_table": 256}, "printer.code_table", "from 0 to 255"),
    ({"host": "p", "qr_native": 1}, "printer.qr_native", "true or false"),
    ({"host": "p", "kick_drawer_on_cash": "no"}, "printer.kick_drawer_on_cash", "true or false"),
    ({"host": "p", "drawer_pin": 3}, "printer.drawer_pin", "allowed: 2, 5"),
    ({"host": "p", "drawer_on_ms": 0}, "printer.drawer_on_ms", "from 2 to 510"),
    ({"host": "p", "drawer_off_ms": 600}, "printer.drawer_off_ms", "from 2 to 510"),
    ({"host": "p", "auto_print_fiscal": None}, "printer.auto_print_fiscal", "true or false"),
]


@pytest.mark.parametrize(("table", "key", "fragment"), BAD)
def test_every_bad_value_names_its_key(table: dict[str, Any], key: str, fragment: str) -> None:
    with pytest.raises(PrinterSettingsError) as info:
        PrinterSettings.from_mapping(table)
    error = info.value
    assert error.field == key
    assert key in error.text.ru and key in error.text.en
    assert fragment in error.text.en
    assert not error.retryable


def test_the_message_shows_the_wrong_value_in_russian() -> None:
    with pytest.raises(PrinterSettingsError) as info:
        PrinterSettings.from_mapping({"host": "p", "paper_mm": 76})
    assert info.value.text.ru == (
        "Настройка принтера «printer.paper_mm»: допустимо: 58, 80, а указано 76."
    )


def test_not_a_table() -> None:
    with pytest.raises(PrinterSettingsError, match="must be a table"):
        PrinterSettings.from_mapping("network")  # type: ignore[arg-type]
