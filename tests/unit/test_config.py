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


def test_merchant_kkt_serial_and_ofd_name(paths: AppPaths) -> None:
    assert load_config(paths).merchant.kkt_serial == ""
    paths.config_file.write_text(
        '[merchant]\nkkt_serial = "00106708251243"\nofd_name = "ООО «Такском»"\n', encoding="utf-8"
    )
    merchant = load_config(paths).merchant
    assert merchant.kkt_serial == "00106708251243"
    assert merchant.ofd_name == "ООО «Такском»"


def test_no_printer_table_means_no_printer(paths: AppPaths) -> None:
    assert not load_config(paths).printer.enabled


def test_printer_settings(paths: AppPaths) -> None:
    paths.config_file.write_text(
        '[printer]\nconnection = "network"\nhost = "192.168.1.50"\ntimeout_s = 3\n'
        "paper_mm = 58\ndrawer_pin = 5\ndrawer_on_ms = 60\nkick_drawer_on_cash = false\n",
        encoding="utf-8",
    )
    printer = load_config(paths).printer
    assert printer.enabled and printer.description == "192.168.1.50:9100"
    assert printer.timeout_s == 3.0 and printer.paper_mm == 58
    assert (printer.drawer_pin, printer.drawer_on_ms, printer.drawer_off_ms) == (5, 60, 100)
    assert not printer.kick_drawer_on_cash and printer.auto_print_fiscal


@pytest.mark.parametrize(
    ("content", "key", "fragment"),
    [
        ('[printer]\nhost = "p"\nport = 70000', "printer.port", "from 1 to 65535"),
        ('[printer]\nconnection = "usb"', "printer.vendor_id", "required"),
        ('[printer]\nhost = "p"\ndrawer_pin = 3', "printer.drawer_pin", "allowed: 2, 5"),
        ('[printer]\nhost = "p"\nspeed = 1', "printer.speed", "unknown key"),
    ],
)
def test_bad_printer_settings_name_the_file_and_key(
    paths: AppPaths, content: str, key: str, fragment: str
) -> None:
    paths.config_file.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(paths)
    assert info.value.field == key
    assert key in info.value.text.en and fragment in info.value.text.en
    assert str(paths.config_file) in info.value.text.ru


def test_a_printer_table_rejects_secrets(paths: AppPaths) -> None:
    paths.config_file.write_text('[printer]\nhost = "p"\npassword = "x"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="looks like a secret"):
        load_config(paths)


def test_loading_the_settings_does_not_load_the_printer_database() -> None:
    """The model check loads python-escpos' database (~0.5 s): not on the start-up path."""
    import subprocess
    import sys

    code = (
        "import sys, tempfile, pathlib\n"
        "from desktop_pos.config import AppPaths, load_config\n"
        "d = pathlib.Path(tempfile.mkdtemp())\n"
        "(d / 'c.toml').write_text('[printer]\\nhost = \"p\"\\nmodel = \"x\"\\n')\n"
        "load_config(AppPaths(d / 'c.toml', d, d))\n"
        "print(sorted(m for m in ('escpos', 'serial', 'usb') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]", done.stdout + done.stderr
