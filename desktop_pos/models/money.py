"""Money and quantities as ``Decimal``, and the parsing of amounts typed by a person.

Rounding rules (written down once, used everywhere):

* amounts are roubles with 2 places, quantities have 3 places;
* every rounding is ``ROUND_HALF_UP`` (half a kopeck goes up), the usual rule on Russian receipts;
* an item's sum is ``round(quantity × price, 2)``; totals are sums of already rounded amounts.

Floats never enter: the parsers take text and the constructors reject ``float``.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from desktop_pos.models.errors import AmountInputError, QuantityInputError
from desktop_pos.models.texts import LocalizedText

KOPECK = Decimal("0.01")
QUANTITY_STEP = Decimal("0.001")
ZERO = Decimal("0.00")
MAX_AMOUNT_DIGITS = 15
"""Assist accepts amounts of up to 15 digits (integer and fraction together)."""
MAX_AMOUNT = Decimal("9999999999999.99")
MAX_QUANTITY = Decimal("99999.999")

_SPACES = re.compile(r"[\s\u00a0\u202f]+")


def _require_decimal(value: Decimal | int | str) -> Decimal:
    if isinstance(value, float):  # a float has already lost the kopecks
        raise TypeError("money is never a float; pass a Decimal, an int or a string")
    if isinstance(value, Decimal):
        return value
    return Decimal(value)


def to_money(value: Decimal | int | str) -> Decimal:
    """Round to whole kopecks (half up)."""
    return _require_decimal(value).quantize(KOPECK, rounding=ROUND_HALF_UP)


def to_quantity(value: Decimal | int | str) -> Decimal:
    """Round a quantity to 3 places (half up)."""
    return _require_decimal(value).quantize(QUANTITY_STEP, rounding=ROUND_HALF_UP)


def line_amount(quantity: Decimal, price: Decimal) -> Decimal:
    """The sum of an item: quantity × price, rounded to kopecks."""
    return to_money(to_quantity(quantity) * to_money(price))


def change_due(received: Decimal, due: Decimal) -> Decimal:
    """Change for the buyer: received − due, never negative."""
    return max(ZERO, to_money(received) - to_money(due))


def format_amount(value: Decimal) -> str:
    """``1234.5`` → ``"1234.50"``: two places and a '.', as on Assist's screens and receipts."""
    return f"{to_money(value):.2f}"


def format_quantity(value: Decimal) -> str:
    """``2`` → ``"2.000"``."""
    return f"{to_quantity(value):.3f}"


def format_rub(value: Decimal) -> str:
    """``8.08`` → ``"8.08 руб."`` (the rouble sign is avoided: receipt code pages lack it)."""
    return f"{format_amount(value)} руб."


_E_EMPTY = LocalizedText("Введите сумму.", "Enter an amount.")
_E_NEGATIVE = LocalizedText("Сумма не может быть отрицательной.", "The amount cannot be negative.")
_E_CHARS = LocalizedText(
    "Сумма может содержать только цифры и один разделитель (',' или '.').",
    "An amount may contain only digits and one separator (',' or '.').",
)
_E_SEPARATORS = LocalizedText(
    "В сумме может быть только один разделитель (',' или '.').",
    "An amount may have only one separator (',' or '.').",
)
_E_DECIMALS = LocalizedText(
    "В сумме не больше двух знаков после разделителя.",
    "An amount has at most two digits after the separator.",
)
_E_DIGITS = LocalizedText(
    "Сумма слишком велика: не больше 15 цифр.",
    "The amount is too large: at most 15 digits.",
)
_E_NO_DIGITS = LocalizedText("В сумме нет цифр.", "The amount has no digits.")


def parse_amount(text: str, *, allow_zero: bool = True) -> Decimal:
    """Read an amount typed by a person.

    Accepts ``','`` or ``'.'`` as the separator, at most 2 decimals and 15 digits; spaces (also
    non-breaking ones, as thousands separators) are ignored. Raises ``AmountInputError`` with a
    message that says what is wrong.
    """
    cleaned = _SPACES.sub("", text)
    if not cleaned:
        raise AmountInputError(_E_EMPTY)
    if cleaned.startswith("-") or cleaned.startswith("−"):
        raise AmountInputError(_E_NEGATIVE)
    if cleaned.startswith("+"):
        cleaned = cleaned[1:]
    if any(ch not in "0123456789.," for ch in cleaned):
        raise AmountInputError(_E_CHARS)
    separators = sum(1 for ch in cleaned if ch in ".,")
    if separators > 1:
        raise AmountInputError(_E_SEPARATORS)
    whole, _, fraction = cleaned.replace(",", ".").partition(".")
    if not whole and not fraction:
        raise AmountInputError(_E_NO_DIGITS)
    if len(fraction) > 2:
        raise AmountInputError(_E_DECIMALS)
    whole = whole.lstrip("0")
    if len(whole) + 2 > MAX_AMOUNT_DIGITS:
        raise AmountInputError(_E_DIGITS)
    try:
        value = to_money(Decimal(f"{whole or '0'}.{fraction or '0'}"))
    except InvalidOperation as exc:  # pragma: no cover - the checks above rule this out
        raise AmountInputError(_E_CHARS) from exc
    if not allow_zero and value == 0:
        raise AmountInputError(
            LocalizedText("Сумма должна быть больше нуля.", "The amount must be above zero.")
        )
    return value


def parse_quantity(text: str) -> Decimal:
    """Read a quantity typed by a person: ',' or '.', at most 3 decimals, above zero."""
    cleaned = _SPACES.sub("", text).replace(",", ".")
    if not cleaned:
        raise QuantityInputError(LocalizedText("Введите количество.", "Enter a quantity."))
    if not re.fullmatch(r"\d+(\.\d{0,3})?|\.\d{1,3}", cleaned):
        raise QuantityInputError(
            LocalizedText(
                "Количество — число больше нуля, не больше трёх знаков после разделителя.",
                "A quantity is a number above zero with at most three decimals.",
            )
        )
    value = to_quantity(Decimal(cleaned))
    if value <= 0:
        raise QuantityInputError(
            LocalizedText("Количество должно быть больше нуля.", "The quantity must be above zero.")
        )
    if value > MAX_QUANTITY:
        raise QuantityInputError(
            LocalizedText("Слишком большое количество.", "The quantity is too large.")
        )
    return value
