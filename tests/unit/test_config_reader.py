"""The ``[reader]`` table of the settings file: read through ``ReaderSettings.from_table`` and
written back from «Настройки → Картридер…» without touching the other tables."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from desktop_pos.config import AppPaths, ConfigError, load_config, save_reader_settings
from desktop_pos.hardware.reader.settings import ReaderSettings


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    return AppPaths(tmp_path / "config.toml", tmp_path / "data", tmp_path / "log")


def test_no_reader_table_gives_the_defaults(paths: AppPaths) -> None:
    assert load_config(paths).reader == ReaderSettings()
    assert load_config(paths).reader.no_cvm_limit == Decimal("3000.00")


def test_the_reader_table_is_read(paths: AppPaths) -> None:
    paths.config_file.write_text(
        '[reader]\nno_cvm_limit = "1000.50"\nscan_timeout_s = 3\nauto_reconnect = false\n',
        encoding="utf-8",
    )
    reader = load_config(paths).reader
    assert reader.no_cvm_limit == Decimal("1000.50")
    assert reader.scan_timeout_s == 3.0 and not reader.auto_reconnect


def test_a_wrong_reader_value_names_the_file_and_the_key(paths: AppPaths) -> None:
    paths.config_file.write_text('[reader]\nno_cvm_limit = "много"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(paths)
    assert error.value.field == "reader.no_cvm_limit"
    assert str(paths.config_file) in error.value.text.ru and "no_cvm_limit" in error.value.text.ru


def test_saving_replaces_only_the_reader_table(paths: AppPaths) -> None:
    paths.config_file.write_text(
        'language = "en"\n[merchant]\ncashier = "Рязанов Д."\n[reader]\nno_cvm_limit = "1"\n',
        encoding="utf-8",
    )
    save_reader_settings(paths.config_file, ReaderSettings(no_cvm_limit=Decimal("2500.00")))
    raw = tomllib.loads(paths.config_file.read_text(encoding="utf-8"))
    assert raw["language"] == "en" and raw["merchant"] == {"cashier": "Рязанов Д."}
    config = load_config(paths)
    assert config.reader.no_cvm_limit == Decimal("2500.00")
    assert config.merchant.cashier == "Рязанов Д."


def test_saving_into_an_unreadable_file_says_so(paths: AppPaths) -> None:
    paths.config_file.write_text("[reader\n", encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        save_reader_settings(paths.config_file, ReaderSettings())
    assert str(paths.config_file) in error.value.text.ru
