from __future__ import annotations

from pathlib import Path

import pytest

from desktop_pos.config import AppPaths, ConfigError, load_config
from desktop_pos.models.texts import Language


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    return AppPaths(tmp_path / "config.toml", tmp_path / "data", tmp_path / "log")


def test_missing_file_gives_defaults(paths: AppPaths) -> None:
    config = load_config(paths)
    assert config.language is Language.RU
    assert not config.demo
    assert config.database_url == f"sqlite:///{paths.data_dir / 'desktop_pos.sqlite3'}"
    assert config.merchant.tax_system == "ОСН"


def test_file_values_and_overrides(paths: AppPaths) -> None:
    paths.config_file.write_text(
        'language = "en"\n[database]\nurl = "sqlite:////tmp/x.db"\n'
        '[merchant]\nlegal_name = "ООО \\"АССИСТ\\""\ninn = "7728029110"\ncashier = "Рязанов Д."\n',
        encoding="utf-8",
    )
    config = load_config(paths)
    assert config.language is Language.EN
    assert config.database_url == "sqlite:////tmp/x.db"
    assert config.merchant.legal_name == 'ООО "АССИСТ"'
    assert config.merchant.cashier == "Рязанов Д."
    overridden = load_config(paths, db_url="sqlite:////tmp/y.db", language="ru", demo=True)
    assert overridden.database_url == "sqlite:////tmp/y.db"
    assert overridden.language is Language.RU
    assert overridden.demo


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("language = ", "TOML syntax error"),
        ('language = "de"', "not supported"),
        ("language = 5", "quoted string"),
        ('colour = "red"', "unknown keys: colour"),
        ('[merchant]\nphone = "1"', "unknown keys: merchant.phone"),
        ('[merchant]\ninn = "12345"', "10 or 12 digits"),
        ('[gateway]\npassword = "hunter22"', "looks like a secret"),
        ('database = "x"', "must be a table"),
        ("demo = 1", "true or false"),
    ],
)
def test_bad_settings_name_file_key_and_problem(
    paths: AppPaths, content: str, fragment: str
) -> None:
    paths.config_file.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(paths)
    assert fragment in info.value.text.en
    assert str(paths.config_file) in info.value.text.ru


def test_bad_language_on_the_command_line(paths: AppPaths) -> None:
    with pytest.raises(ConfigError):
        load_config(paths, language="fr")


def test_unreadable_file(paths: AppPaths) -> None:
    paths.config_file.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(ConfigError, match="cannot be read"):
        load_config(paths)


def test_gateway_settings(paths: AppPaths) -> None:
    paths.config_file.write_text(
        '[gateway]\nbase_url = "https://payments.t.paysecure.ru/"\nmerchant_id = "600000"\n'
        'login = "shop_login"\ntimeout_s = 15\n',
        encoding="utf-8",
    )
    gateway = load_config(paths).gateway
    assert gateway.configured
    assert gateway.base_url == "https://payments.t.paysecure.ru"
    assert gateway.timeout_s == 15.0 and gateway.verify_tls


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ('[gateway]\nbase_url = "http://example.com"', "must start with https://"),
        ('[gateway]\nmerchant_id = "abc"', "is a number"),
        ("[gateway]\ntimeout_s = 0", "from 1 to 120"),
        ('[gateway]\nverify_tls = "no"', "true or false"),
        ('[gateway]\npassword = "x"', "looks like a secret"),
    ],
)
def test_bad_gateway_settings(paths: AppPaths, content: str, fragment: str) -> None:
    paths.config_file.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(paths)
    assert fragment in info.value.text.en
