"""The Assist mPOS order JSON: a good order is read whole, every problem is reported by field,
and no input (fuzzed JSON) makes the reader fail other than with ``OrderImportError``."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_pos.models.order_import import (
    OrderImportError,
    import_order,
    order_to_json,
    parse_order_json,
)
from desktop_pos.models.vat import VatRate

NOW = datetime(2024, 5, 6, 7, 8, 9).astimezone()


def guide_order() -> dict[str, object]:
    """The order file example of the Assist documentation (8.34, 1.35 prepaid)."""
    return {
        "ordernum": "12354_5678",
        "amount": "8.34",
        "amount_prepaid": "1.35",
        "currency": "RUB",
        "merchant_id": "223344",
        "merchant_name": "ООО Мерчант",
        "clientemail": "buyer@example.ru",
        "cashier": "Петров П.П.",
        "allow_edit_item_quantity": "true",
        "allow_remove_item": "false",
        "fiscalize": "yes",
        "items": [
            {"name": "Товар 1", "price": "1.24", "quantity": 3, "tax": "vat0", "amount": "3.72"},
            {"name": "Товар 2", "price": "2.31", "quantity": "2.000", "amount": "4.62"},
        ],
    }


def problems_of(value: object) -> dict[str, str]:
    with pytest.raises(OrderImportError) as caught:
        import_order(value, now=NOW)
    return {problem.field: problem.text.en for problem in caught.value.problems}


def test_the_guide_order_is_read_whole() -> None:
    imported = parse_order_json(json.dumps(guide_order()), now=NOW)
    order = imported.order
    assert order.number == "12354_5678"
    assert (order.total, order.prepaid, order.due) == (
        Decimal("8.34"),
        Decimal("1.35"),
        Decimal("6.99"),
    )
    assert [item.vat for item in order.items] == [VatRate.VAT0, VatRate.VAT20]
    assert order.permissions.edit_item_quantity and not order.permissions.remove_item
    assert not order.permissions.add_item and not order.permissions.edit_item
    assert (imported.merchant_name, imported.cashier) == ("ООО Мерчант", "Петров П.П.")
    again = import_order(order_to_json(imported), now=NOW)
    assert again.order == order


def test_every_problem_is_reported_by_field() -> None:
    bad = guide_order() | {
        "ordernum": "12<34>",
        "amount": 8.34,
        "currency": "USD",
        "allow_add_item": "yes",
        "colour": "red",
    }
    bad["items"] = [
        {"name": "A", "price": "1,24", "quantity": 3},
        {"name": "B", "price": "2.31", "quantity": 1.5, "tax": "vat99"},
        "not an item",
    ]
    found = problems_of(bad)
    assert set(found) == {
        "ordernum",
        "amount",
        "currency",
        "allow_add_item",
        "colour",
        "items[0].price",
        "items[1].quantity",
        "items[1].tax",
        "items[2]",
    }
    assert "dot, not a comma" in found["items[0].price"]


def test_the_amount_must_match_the_items() -> None:
    found = problems_of(guide_order() | {"amount": "9.00"})
    assert found == {"amount": "the order amount 9.00 differs from the sum of the items 8.34."}
    items = [{"name": "A", "price": "1.24", "quantity": "3", "amount": "3.70"}]
    found = problems_of(guide_order() | {"amount": "3.72", "items": items})
    assert set(found) == {"items[0].amount"}


@pytest.mark.parametrize(
    "text",
    ["{", "[]", '{"a": 1, "a": 2}', "NaN", "[" * 5000 + "]" * 5000, b"\xff\xfe"],
)
def test_malformed_json_is_refused_clearly(text: str | bytes) -> None:
    with pytest.raises(OrderImportError) as caught:
        parse_order_json(text, now=NOW)
    assert caught.value.problems


def test_a_prepayment_above_the_amount_and_a_missing_number() -> None:
    assert set(problems_of(guide_order() | {"amount_prepaid": "9.00"})) == {"amount_prepaid"}
    value = guide_order()
    del value["ordernum"]
    imported = import_order(value, now=NOW)
    assert not imported.number_given and imported.order.number.startswith("20240506_")


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=20)
    | st.sampled_from(["1.00", "8.34", "-1", "1e9", "0.001", "RUB", "true", "vat20"]),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from([*sorted(guide_order()), "items", "name", "price", "quantity", "x"]),
            children,
            max_size=8,
        )
    ),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(JSON)
def test_fuzzed_json_never_breaks_the_reader(value: object) -> None:
    try:
        parse_order_json(json.dumps(value), now=NOW)
    except OrderImportError as error:
        assert error.problems


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(st.sampled_from(sorted(guide_order())), JSON, max_size=4),
    st.lists(st.dictionaries(st.sampled_from(["name", "price", "quantity", "tax"]), JSON)),
)
def test_fuzzed_fields_of_a_good_order_never_break_the_reader(
    changes: dict[str, object], items: list[dict[str, object]]
) -> None:
    value = guide_order() | changes
    if items:
        value["items"] = items
    try:
        import_order(json.loads(json.dumps(value), parse_float=Decimal), now=NOW)
    except OrderImportError as error:
        assert error.problems
