from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_pos.models.errors import OrderNumberError, OrderValidationError
from desktop_pos.models.order import Order, OrderItem
from desktop_pos.models.order_number import generate_order_number, validate_order_number
from desktop_pos.models.vat import VatRate
from desktop_pos.sandbox.sample_order import sample_order

NOW = datetime(2023, 9, 14, 12, 7, 19, 302000, tzinfo=UTC)


def test_seed_sample_order_totals() -> None:
    order = sample_order(NOW)
    amounts = [item.amount for item in order.items]
    assert amounts == [Decimal("3.64"), Decimal("3.48"), Decimal("3.64"), Decimal("3.48")]
    assert [item.discount for item in order.items] == [
        Decimal("0.00"),
        Decimal("0.12"),
        Decimal("0.00"),
        Decimal("0.12"),
    ]
    assert order.total == Decimal("14.24")
    assert order.prepaid == Decimal("0.00")
    assert order.due == Decimal("14.24")
    assert order.discount_total == Decimal("0.24")
    order.validate_for_payment()


def test_prepaid_reduces_due_and_cannot_exceed_total() -> None:
    order = Order("A-1", NOW, sample_order(NOW).items, prepaid=Decimal("1.35"))
    assert order.due == Decimal("12.89")
    too_much = Order("A-1", NOW, order.items, prepaid=Decimal("14.25"))
    with pytest.raises(OrderValidationError) as info:
        too_much.validate_for_payment()
    assert info.value.field == "prepaid"


def test_fully_prepaid_order_has_nothing_to_pay() -> None:
    order = Order("A-1", NOW, sample_order(NOW).items, prepaid=Decimal("14.24"))
    with pytest.raises(OrderValidationError, match="above zero"):
        order.validate_for_payment()


def test_empty_order_cannot_be_paid() -> None:
    with pytest.raises(OrderValidationError) as info:
        Order("A-1", NOW).validate_for_payment()
    assert info.value.field == "items"


@pytest.mark.parametrize("email", ["nope", "a@b", "a b@c.ru", "@x.ru"])
def test_bad_email_is_refused(email: str) -> None:
    order = Order("A-1", NOW, sample_order(NOW).items, email=email)
    with pytest.raises(OrderValidationError) as info:
        order.validate_for_payment()
    assert info.value.field == "email"


@pytest.mark.parametrize("field", ["email", "phone", "comment"])
def test_control_characters_in_contacts_are_refused(field: str) -> None:
    values = {"email": "", "phone": "", "comment": ""}
    values[field] = "a\x00b" if field != "email" else "a\x00@b.ru"
    order = Order("A-1", NOW, sample_order(NOW).items, **values)
    with pytest.raises(OrderValidationError) as info:
        order.validate_for_payment()
    assert info.value.field == field


def test_editing_returns_new_orders() -> None:
    order = sample_order(NOW)
    item = OrderItem("Хлеб", Decimal("1"), Decimal("45.90"), VatRate.VAT10)
    added = order.with_item(item)
    assert added.total == Decimal("60.14") and order.total == Decimal("14.24")
    replaced = added.with_item_replaced(4, OrderItem("Хлеб", Decimal("2"), Decimal("45.90")))
    assert replaced.total == Decimal("106.04")
    assert replaced.without_item(4).total == Decimal("14.24")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": "  "}, "name"),
        ({"name": "x" * 251}, "name"),
        ({"name": "Товар\x00"}, "name"),
        ({"name": "\x1b[2JТовар"}, "name"),
        ({"quantity": Decimal(0)}, "quantity"),
        ({"price": Decimal("-1")}, "price"),
        ({"discount": Decimal("-0.01")}, "discount"),
    ],
)
def test_bad_items_are_refused(kwargs: dict[str, object], field: str) -> None:
    values: dict[str, object] = {"name": "Товар", "quantity": Decimal(1), "price": Decimal(1)}
    values.update(kwargs)
    with pytest.raises(OrderValidationError) as info:
        OrderItem(**values)  # type: ignore[arg-type]
    assert info.value.field == field


def test_vat_summary_per_rate() -> None:
    order = Order(
        "A-1",
        NOW,
        (
            OrderItem("Новый товар", Decimal(3), Decimal("50.00"), VatRate.VAT20),
            OrderItem("Книга", Decimal(1), Decimal("110.00"), VatRate.VAT10),
            OrderItem("Услуга", Decimal(1), Decimal("10.00"), VatRate.NO_VAT),
        ),
    )
    assert order.vat_summary() == {
        VatRate.VAT20: (Decimal("150.00"), Decimal("25.00")),
        VatRate.VAT10: (Decimal("110.00"), Decimal("10.00")),
        VatRate.NO_VAT: (Decimal("10.00"), Decimal("0.00")),
    }


def test_order_number_is_generated_from_local_time() -> None:
    assert generate_order_number(NOW) == "20230914_120719_302"
    validate_order_number(generate_order_number(NOW))


@pytest.mark.parametrize(
    "number", ["12354_5678", "№ 15 (курьер)", "A-1/2:3;4=5?6@7^8~9`|'\"{}[]+!%*,."]
)
def test_allowed_order_numbers(number: str) -> None:
    assert validate_order_number(f"  {number} ") == number


@pytest.mark.parametrize("number", ["", "   ", "x" * 129, "abc<def>", "a&b", "a#b", "a$b", "a\\b"])
def test_refused_order_numbers(number: str) -> None:
    with pytest.raises(OrderNumberError):
        validate_order_number(number)


@given(
    st.lists(
        st.tuples(
            st.integers(min_value=1, max_value=10**6),
            st.integers(min_value=0, max_value=10**8),
            st.sampled_from(list(VatRate)),
        ),
        min_size=1,
        max_size=20,
    )
)
def test_total_is_the_sum_of_rounded_lines_and_vat_is_per_rate(
    lines: list[tuple[int, int, VatRate]],
) -> None:
    items = tuple(
        OrderItem("x", Decimal(q).scaleb(-3), Decimal(p).scaleb(-2), vat) for q, p, vat in lines
    )
    order = Order("A", NOW, items)
    assert order.total == sum((i.amount for i in items), Decimal(0))
    summary = order.vat_summary()
    assert sum((s for s, _ in summary.values()), Decimal(0)) == order.total
    for rate, (amount, vat) in summary.items():
        assert 0 <= vat <= amount
        if rate.percent:
            assert abs(vat - amount * rate.percent / (100 + rate.percent)) <= Decimal("0.005")
