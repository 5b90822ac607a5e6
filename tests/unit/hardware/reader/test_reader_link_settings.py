"""The ``[reader]`` settings table: defaults, every key, and a clear error naming a bad key."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from desktop_pos.hardware.reader.settings import ReaderSettings, ReaderSettingsError
from desktop_pos.models.errors import UserFacingError


def test_defaults() -> None:
    settings = ReaderSettings.from_table({})
    assert settings == ReaderSettings()
    assert settings.no_cvm_limit == Decimal("3000.00")
    assert settings.no_cvm_limit_minor == 300000
    assert settings.scan_timeout_s == 5.0
    assert settings.connect_timeout_s == 10.0
    assert settings.firmware_dir is None
    assert settings.auto_reconnect is True


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("3000.00", Decimal("3000.00")),
        ("1500,5", Decimal("1500.50")),
        (1000, Decimal("1000.00")),
        (3000.0, Decimal("3000.00")),
        (2999.99, Decimal("2999.99")),
        ("0", Decimal("0.00")),
    ],
)
def test_no_cvm_limit_is_money(value: object, expected: Decimal) -> None:
    settings = ReaderSettings.from_table({"no_cvm_limit": value})
    assert settings.no_cvm_limit == expected
    assert isinstance(settings.no_cvm_limit, Decimal)


@pytest.mark.parametrize("value", ["abc", "-1", "10.005", 0.001, True, None, [3000], "NaN", "1e20"])
def test_bad_no_cvm_limit_names_the_key(value: object) -> None:
    with pytest.raises(ReaderSettingsError) as caught:
        ReaderSettings.from_table({"no_cvm_limit": value})
    assert isinstance(caught.value, UserFacingError)
    assert caught.value.field == "reader.no_cvm_limit"
    assert "reader.no_cvm_limit" in caught.value.text.ru
    assert "reader.no_cvm_limit" in caught.value.text.en
    assert "3000.00" in caught.value.text.en  # says what is expected


def test_every_key() -> None:
    settings = ReaderSettings.from_table(
        {
            "no_cvm_limit": "5000.00",
            "scan_timeout_s": 3,
            "connect_timeout_s": 7.5,
            "firmware_dir": "/opt/firmware",
            "auto_reconnect": False,
        }
    )
    assert settings == ReaderSettings(
        no_cvm_limit=Decimal("5000.00"),
        scan_timeout_s=3.0,
        connect_timeout_s=7.5,
        firmware_dir=Path("/opt/firmware"),
        auto_reconnect=False,
    )
    assert ReaderSettings.from_table(settings.to_table()) == settings


def test_round_trip_of_defaults() -> None:
    assert ReaderSettings.from_table(ReaderSettings().to_table()) == ReaderSettings()


def test_empty_firmware_dir_means_none() -> None:
    assert ReaderSettings.from_table({"firmware_dir": " "}).firmware_dir is None


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("scan_timeout_s", 0),
        ("scan_timeout_s", 600),
        ("scan_timeout_s", "5"),
        ("connect_timeout_s", -1),
        ("connect_timeout_s", True),
        ("firmware_dir", 42),
        ("auto_reconnect", "yes"),
        ("auto_reconnect", 1),
    ],
)
def test_bad_values_name_the_key(key: str, value: object) -> None:
    with pytest.raises(ReaderSettingsError) as caught:
        ReaderSettings.from_table({key: value})
    assert caught.value.field == f"reader.{key}"
    assert f"reader.{key}" in str(caught.value)


def test_unknown_key() -> None:
    with pytest.raises(ReaderSettingsError) as caught:
        ReaderSettings.from_table({"no_cvm_limt": "3000"})
    assert caught.value.field == "reader.no_cvm_limt"
    assert "no_cvm_limit" in caught.value.text.en  # lists the keys that exist
