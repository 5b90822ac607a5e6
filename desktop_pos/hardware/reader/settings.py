"""Card reader settings: the ``[reader]`` table of the settings file, validated.

Example::

    [reader]
    no_cvm_limit = "3000.00"      # contactless at or under this amount needs no PIN / signature
    scan_timeout_s = 5
    connect_timeout_s = 10
    firmware_dir = "/opt/desktop-pos/reader-firmware"
    auto_reconnect = true

Every key is optional. A wrong value raises ``ReaderSettingsError`` naming the key
(``reader.no_cvm_limit``) and saying what is expected, so the settings page can show it.
The amount is money: a string ("3000.00") or a whole number of roubles; a TOML float is
accepted only when it is exact to the kopeck.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Final

from desktop_pos.models.errors import UserFacingError
from desktop_pos.models.money import KOPECK, MAX_AMOUNT, format_amount, to_money
from desktop_pos.models.texts import LocalizedText

SECTION: Final = "reader"
DEFAULT_NO_CVM_LIMIT: Final = Decimal("3000.00")
"""The contactless limit without cardholder verification in Russia (RUB)."""
DEFAULT_SCAN_TIMEOUT_S: Final = 5.0
DEFAULT_CONNECT_TIMEOUT_S: Final = 10.0
SCAN_TIMEOUT_RANGE_S: Final = (1.0, 60.0)
CONNECT_TIMEOUT_RANGE_S: Final = (1.0, 120.0)


class ReaderSettingsError(UserFacingError):
    """A value of the ``[reader]`` settings is wrong; ``field`` names the key."""

    @classmethod
    def for_key(cls, key: str, problem: LocalizedText) -> ReaderSettingsError:
        name = f"{SECTION}.{key}"
        return cls(
            LocalizedText(
                f"Настройка картридера «{name}»: {problem.ru}",
                f"Card reader setting “{name}”: {problem.en}",
            ),
            field=name,
        )


@dataclass(frozen=True, slots=True)
class ReaderSettings:
    """How the app finds, connects and uses the card reader."""

    no_cvm_limit: Decimal = DEFAULT_NO_CVM_LIMIT
    """Contactless payments at or under this amount (RUB) need no PIN and no signature."""
    scan_timeout_s: float = DEFAULT_SCAN_TIMEOUT_S
    connect_timeout_s: float = DEFAULT_CONNECT_TIMEOUT_S
    firmware_dir: Path | None = None
    """Where firmware images for the readers are (None: no updates offered from disk)."""
    auto_reconnect: bool = True
    """Reconnect the last reader at start, after a lost link and before a payment."""

    @property
    def no_cvm_limit_minor(self) -> int:
        """The limit in kopecks, as ``StartTransaction.no_cvm_limit_minor`` carries it."""
        return int(self.no_cvm_limit / KOPECK)

    @classmethod
    def from_table(cls, table: Mapping[str, Any]) -> ReaderSettings:
        """Validate a ``[reader]`` table; raise ReaderSettingsError naming the bad key."""
        unknown = sorted(set(table) - _KNOWN_KEYS)
        if unknown:
            raise ReaderSettingsError.for_key(
                unknown[0],
                LocalizedText(
                    "неизвестный ключ; допустимые: {keys}.", "unknown key; known keys: {keys}."
                ).format(keys=", ".join(sorted(_KNOWN_KEYS))),
            )
        values: dict[str, Any] = {}
        if "no_cvm_limit" in table:
            values["no_cvm_limit"] = _amount("no_cvm_limit", table["no_cvm_limit"])
        if "scan_timeout_s" in table:
            values["scan_timeout_s"] = _seconds(
                "scan_timeout_s", table["scan_timeout_s"], SCAN_TIMEOUT_RANGE_S
            )
        if "connect_timeout_s" in table:
            values["connect_timeout_s"] = _seconds(
                "connect_timeout_s", table["connect_timeout_s"], CONNECT_TIMEOUT_RANGE_S
            )
        if "firmware_dir" in table:
            values["firmware_dir"] = _directory("firmware_dir", table["firmware_dir"])
        if "auto_reconnect" in table:
            value = table["auto_reconnect"]
            if not isinstance(value, bool):
                raise ReaderSettingsError.for_key(
                    "auto_reconnect", LocalizedText("true или false.", "true or false.")
                )
            values["auto_reconnect"] = value
        return replace(cls(), **values)

    def to_table(self) -> dict[str, Any]:
        """The TOML table that ``from_table`` reads back to these settings."""
        table: dict[str, Any] = {
            "no_cvm_limit": format_amount(self.no_cvm_limit),
            "scan_timeout_s": self.scan_timeout_s,
            "connect_timeout_s": self.connect_timeout_s,
            "auto_reconnect": self.auto_reconnect,
        }
        if self.firmware_dir is not None:
            table["firmware_dir"] = str(self.firmware_dir)
        return table


_KNOWN_KEYS: Final = frozenset(
    {"no_cvm_limit", "scan_timeout_s", "connect_timeout_s", "firmware_dir", "auto_reconnect"}
)


_AMOUNT_PROBLEM = LocalizedText(
    'сумма в рублях с копейками, например "3000.00", от 0 до {max}.',
    'an amount in roubles and kopecks, e.g. "3000.00", from 0 to {max}.',
)


def _amount(key: str, value: object) -> Decimal:
    problem = _AMOUNT_PROBLEM.format(max=format_amount(MAX_AMOUNT))
    if isinstance(value, bool):
        raise ReaderSettingsError.for_key(key, problem)
    if isinstance(value, float):
        # TOML has no decimal type: ``3000.00`` arrives as a float. Take its shortest
        # representation and accept it only when it is exact to the kopeck.
        text = repr(value)
    elif isinstance(value, int | str | Decimal):
        text = str(value).strip().replace(",", ".")
    else:
        raise ReaderSettingsError.for_key(key, problem)
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ReaderSettingsError.for_key(key, problem) from None
    if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT or amount != to_money(amount):
        raise ReaderSettingsError.for_key(key, problem)
    return to_money(amount)


def _seconds(key: str, value: object, limits: tuple[float, float]) -> float:
    low, high = limits
    problem = LocalizedText(
        "число секунд от {low:g} до {high:g}.", "a number of seconds from {low:g} to {high:g}."
    ).format(low=low, high=high)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ReaderSettingsError.for_key(key, problem)
    seconds = float(value)
    if not low <= seconds <= high:
        raise ReaderSettingsError.for_key(key, problem)
    return seconds


def _directory(key: str, value: object) -> Path | None:
    if not isinstance(value, str):
        raise ReaderSettingsError.for_key(
            key, LocalizedText("путь к папке (строка).", "a folder path (a string).")
        )
    if not value.strip():
        return None
    return Path(value).expanduser()
