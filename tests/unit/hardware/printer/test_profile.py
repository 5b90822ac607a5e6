"""Printer profiles: defaults per paper and model, code pages, a clear error for every bad value."""

from __future__ import annotations

import pytest

from desktop_pos.hardware.printer.errors import PrinterSettingsError
from desktop_pos.hardware.printer.profile import (
    PrinterProfile,
    code_pages_with_cyrillic,
    known_models,
    qr_min_dots,
)


def test_the_defaults_are_cp866_on_80_mm_paper() -> None:
    profile = PrinterProfile()
    assert (profile.model, profile.paper_mm, profile.chars_per_line, profile.dots_per_line) == (
        "default",
        80,
        48,
        576,
    )
    page = profile.resolved_code_page
    assert (page.name, page.python_codec, page.table, page.in_escpos) == (
        "CP866",
        "cp866",
        17,
        True,
    )
    assert profile.qr_native and profile.supports_cut
    assert {"Ж", "ё", "№"} <= profile.characters and "₽" not in profile.characters


@pytest.mark.parametrize(
    ("values", "chars", "dots"),
    [
        ({"paper_mm": 58}, 32, 384),
        ({"paper_mm": "58"}, 32, 384),
        ({"paper_mm": 80, "chars_per_line": 42}, 42, 576),
        ({"model": "TM-T88V"}, 42, 512),  # the model's 512 printable dots give 42 columns
        ({"model": "TM-T20II", "paper_mm": 58}, 32, 384),
        ({"paper_mm": 80, "dots_per_line": "512"}, 42, 512),
    ],
)
def test_columns_and_dots_follow_paper_and_model(
    values: dict[str, object], chars: int, dots: int
) -> None:
    profile = PrinterProfile.from_mapping(values)
    assert (profile.chars_per_line, profile.dots_per_line) == (chars, dots)


@pytest.mark.parametrize(
    ("values", "page", "table", "in_escpos"),
    [
        ({"code_page": "cp866"}, "CP866", 17, True),
        ({"code_page": "PC866"}, "CP866", 17, True),
        ({"code_page": "CP1251"}, "CP1251", 46, True),
        ({"code_page": "windows-1251"}, "CP1251", 46, True),
        ({"code_page": "CP866", "code_table": 59}, "CP866", 59, True),
        ({"model": "NT-5890K", "paper_mm": 58, "qr_native": False}, "CP866", 59, True),
        ({"code_page": "ISO_8859-5", "code_table": "40"}, "ISO_8859-5", 40, True),
        ({"code_page": "KOI8-R", "code_table": 22}, "KOI8-R", 22, False),
        ({"code_page": "RK1048"}, "RK1048", 53, False),  # listed by the model, coded by Python
    ],
)
def test_code_pages_resolve_to_their_table_number(
    values: dict[str, object], page: str, table: int, in_escpos: bool
) -> None:
    resolved = PrinterProfile.from_mapping(values).resolved_code_page
    assert (resolved.name, resolved.table, resolved.in_escpos) == (page, table, in_escpos)


def test_qr_mode_defaults_to_what_the_model_can_do() -> None:
    assert PrinterProfile.from_mapping({"model": "TM-T88V"}).qr_native
    no_qr = PrinterProfile.from_mapping({"model": "ZJ-5870", "paper_mm": 58})
    assert not no_qr.qr_native and not no_qr.supports_cut
    assert not PrinterProfile.from_mapping({"qr_native": "false"}).qr_native


@pytest.mark.parametrize(
    ("values", "key", "ru", "en"),
    [
        ({"model": "TM-XYZ"}, "model", "неизвестная модель", "unknown printer model"),
        ({"model": ""}, "model", "укажите модель", "set the printer model"),
        ({"model": 7}, "model", "укажите модель", "set the printer model"),
        ({"paper_mm": 57}, "paper_mm", "58 или 80 мм", "58 or 80 mm"),
        ({"paper_mm": True}, "paper_mm", "целое число", "whole number"),
        ({"paper_mm": "восемьдесят"}, "paper_mm", "целое число", "whole number"),
        ({"chars_per_line": 49}, "chars_per_line", "от 24 до 48", "24 to 48"),
        ({"chars_per_line": 20}, "chars_per_line", "от 24 до 48", "24 to 48"),
        ({"paper_mm": 58, "chars_per_line": 42}, "chars_per_line", "от 24 до 32", "24 to 32"),
        ({"dots_per_line": 1000}, "dots_per_line", "от 384 до 640", "384 to 640"),
        ({"code_page": "CP99999"}, "code_page", "неизвестная кодовая", "unknown code page"),
        ({"code_page": ""}, "code_page", "укажите кодовую", "set the code page"),
        ({"code_page": "CP437"}, "code_page", "нет русских букв", "no Russian letters"),
        ({"code_page": "CP1252"}, "code_page", "нет русских букв", "no Russian letters"),
        ({"code_page": "utf-8", "code_table": 1}, "code_page", "нет русских", "no Russian"),
        ({"code_page": "KOI8-R"}, "code_table", "ESC t n", "ESC t n"),
        ({"code_page": "CP866", "code_table": 256}, "code_table", "от 0 до 255", "0 to 255"),
        ({"code_page": "CP866", "code_table": "x"}, "code_table", "целое", "whole number"),
        ({"model": "ZJ-5870", "qr_native": True}, "qr_native", "qr_native = false", "false"),
        ({"qr_native": "maybe"}, "qr_native", "true или false", "true or false"),
    ],
)
def test_a_bad_setting_is_a_clear_bilingual_error(
    values: dict[str, object], key: str, ru: str, en: str
) -> None:
    with pytest.raises(PrinterSettingsError) as caught:
        PrinterProfile.from_mapping(values)
    error = caught.value
    assert error.field == f"printer.{key}"
    assert ru in error.text.ru, error.text.ru
    assert en in error.text.en, error.text.en
    assert f"printer.{key}" in error.text.ru and f"printer.{key}" in error.text.en
    assert not error.retryable


def test_the_simple_profile_has_no_cyrillic_table_unless_given_one() -> None:
    with pytest.raises(PrinterSettingsError) as caught:
        PrinterProfile(model="simple", qr_native=False)
    assert caught.value.field == "printer.code_table"
    profile = PrinterProfile(model="simple", qr_native=False, code_table=17)
    assert profile.resolved_code_page.table == 17


def test_direct_construction_is_checked_too() -> None:
    with pytest.raises(PrinterSettingsError, match="paper_mm"):
        PrinterProfile(paper_mm=76)
    with pytest.raises(PrinterSettingsError, match="qr_native"):
        PrinterProfile(qr_native="yes")  # type: ignore[arg-type]


def test_other_keys_of_the_printer_section_are_left_alone() -> None:
    profile = PrinterProfile.from_mapping({"connection": "network", "host": "10.0.0.5"})
    assert profile == PrinterProfile()


def test_lists_for_the_settings_page() -> None:
    assert {"default", "TM-T88V", "TM-T20II"} <= set(known_models())
    pages = code_pages_with_cyrillic("default")
    assert {"CP866", "CP1251", "CP855"} <= set(pages)
    assert "CP437" not in pages


def test_the_qr_needs_160_dots_for_20_mm() -> None:
    assert qr_min_dots(20.0) == 160
    assert qr_min_dots(20.1) == 161
