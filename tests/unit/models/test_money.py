from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_pos.models.errors import AmountInputError, QuantityInputError
from desktop_pos.models.money import (
    change_due,
    format_amount,
    format_quantity,
    format_rub,
    line_amount,
    parse_amount,
    parse_quantity,
    to_money,
)

kopecks = st.integers(min_value=0, max_value=10**13 - 1)


def as_money(k: int) -> Decimal:
    return Decimal(k).scaleb(-2)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8.08", "8.08"),
        ("10,00", "10.00"),
        ("10,5", "10.50"),
        ("10.", "10.00"),
        (",5", "0.50"),
        ("  1 000,25 ", "1000.25"),
        ("1\u00a0000", "1000.00"),
        ("007", "7.00"),
        ("+3", "3.00"),
        ("0", "0.00"),
        ("9999999999999.99", "9999999999999.99"),
    ],
)
def test_parse_amount_accepts(text: str, expected: str) -> None:
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "Введите сумму"),
        ("   ", "Введите сумму"),
        ("-5", "отрицательной"),
        ("−5", "отрицательной"),
        ("abc", "только цифры"),
        ("12a", "только цифры"),
        ("1e5", "только цифры"),
        ("1,2,3", "один разделитель"),
        ("1.2,3", "один разделитель"),
        ("1.234", "двух знаков"),
        ("10000000000000", "15 цифр"),
        (".", "нет цифр"),
    ],
)
def test_parse_amount_rejects_with_a_message(text: str, fragment: str) -> None:
    with pytest.raises(AmountInputError) as info:
        parse_amount(text)
    assert fragment in info.value.text.ru
    assert info.value.text.en


def test_parse_amount_zero_can_be_refused() -> None:
    with pytest.raises(AmountInputError, match="above zero"):
        parse_amount("0,00", allow_zero=False)


@given(kopecks, st.sampled_from([".", ","]))
def test_parse_amount_round_trips_formatted_money(k: int, sep: str) -> None:
    value = as_money(k)
    assert parse_amount(format_amount(value).replace(".", sep)) == value


@given(st.text(max_size=20))
def test_parse_amount_never_fails_unexpectedly(text: str) -> None:
    try:
        value = parse_amount(text)
    except AmountInputError as exc:
        assert exc.text.ru and exc.text.en
    else:
        assert value >= 0
        assert value == value.quantize(Decimal("0.01"))


@given(kopecks, kopecks)
def test_change_is_received_minus_due_never_negative(r: int, d: int) -> None:
    received, due = as_money(r), as_money(d)
    change = change_due(received, due)
    assert change >= 0
    assert change == (received - due if received >= due else 0)


@given(
    st.decimals(min_value=Decimal("0.001"), max_value=Decimal("99999.999"), places=3),
    st.decimals(min_value=Decimal(0), max_value=Decimal("99999999.99"), places=2),
)
def test_line_amount_is_rounded_half_up_to_kopecks(q: Decimal, p: Decimal) -> None:
    amount = line_amount(q, p)
    assert amount == amount.quantize(Decimal("0.01"))
    assert abs(amount - q * p) <= Decimal("0.005")


def test_rounding_is_half_up() -> None:
    assert to_money(Decimal("0.005")) == Decimal("0.01")
    assert to_money(Decimal("2.675")) == Decimal("2.68")
    assert line_amount(Decimal("0.333"), Decimal("1.50")) == Decimal("0.50")


def test_floats_are_refused() -> None:
    with pytest.raises(TypeError):
        to_money(0.1)  # type: ignore[arg-type]


def test_formatting() -> None:
    assert format_amount(Decimal("8.1")) == "8.10"
    assert format_quantity(Decimal(2)) == "2.000"
    assert format_rub(Decimal("14.24")) == "14.24 руб."


@pytest.mark.parametrize(
    ("text", "expected"), [("2", "2.000"), ("0,5", "0.500"), ("1.234", "1.234")]
)
def test_parse_quantity(text: str, expected: str) -> None:
    assert parse_quantity(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["", "0", "-1", "1.2345", "x", "1,2,3", "100000"])
def test_parse_quantity_rejects(text: str) -> None:
    with pytest.raises(QuantityInputError):
        parse_quantity(text)
