"""The ORM schema without a database: UTC timestamps, row <-> domain conversion, names."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import Numeric
from sqlalchemy.dialects import postgresql, sqlite

from desktop_pos.models.order import EditPermissions, Order, OrderItem
from desktop_pos.models.payment import OrderState
from desktop_pos.models.schema import (
    Base,
    OrderItemRow,
    OrderRow,
    StoredDataError,
    UTCDateTime,
    parse_stored,
)
from desktop_pos.models.vat import VatRate

MSK = timezone(timedelta(hours=3))


def test_utc_datetime_stores_utc_and_refuses_naive_values() -> None:
    column_type = UTCDateTime()
    dialect = sqlite.dialect()
    stored = column_type.process_bind_param(datetime(2026, 1, 1, 3, 0, tzinfo=MSK), dialect)
    assert stored == datetime(2026, 1, 1, 0, 0, tzinfo=UTC)
    assert stored is not None and stored.tzinfo is UTC
    assert column_type.process_bind_param(None, dialect) is None
    with pytest.raises(ValueError, match="naive"):
        column_type.process_bind_param(datetime(2026, 1, 1), dialect)


def test_utc_datetime_reads_naive_sqlite_values_as_utc() -> None:
    column_type = UTCDateTime()
    loaded = column_type.process_result_value(datetime(2026, 1, 1, 0, 0), sqlite.dialect())
    assert loaded == datetime(2026, 1, 1, 0, 0, tzinfo=UTC) and loaded.tzinfo is UTC
    from_pg = column_type.process_result_value(
        datetime(2026, 1, 1, 3, 0, tzinfo=MSK), postgresql.dialect()
    )
    assert from_pg is not None and from_pg.tzinfo is UTC and from_pg.hour == 0
    assert column_type.process_result_value(None, sqlite.dialect()) is None


def test_every_table_is_declared_with_named_constraints() -> None:
    tables = Base.metadata.tables
    assert set(tables) == {
        "orders",
        "order_items",
        "payment_attempts",
        "receipts",
        "outbox",
        "readers",
        "settings",
        "card_details",
    }
    assert {c.name for c in tables["card_details"].constraints} >= {
        "pk_card_details",
        "uq_card_details_attempt_id",
        "fk_card_details_attempt_id_payment_attempts",
    }
    assert {c.name for c in tables["orders"].constraints} >= {"pk_orders", "uq_orders_number"}
    assert {ix.name for ix in tables["outbox"].indexes} == {
        "ix_outbox_pending",
        "ix_outbox_order_number",
    }
    money = tables["orders"].c.total.type
    assert isinstance(money, Numeric)
    assert (money.precision, money.scale, money.asdecimal) == (17, 2, True)
    quantity = tables["order_items"].c.quantity.type
    assert isinstance(quantity, Numeric)
    assert (quantity.precision, quantity.scale) == (15, 3)


def test_order_row_round_trip_without_a_database() -> None:
    order = Order(
        number="X-1",
        created_at=datetime(2026, 2, 3, 4, 5, 6, tzinfo=MSK),
        items=(
            OrderItem("Чай", Decimal("2"), Decimal("99.90"), VatRate.VAT22, Decimal("0.10"), "1"),
        ),
        prepaid=Decimal("10"),
        email="a@b.ru",
        permissions=EditPermissions(add_item=False),
    )
    row = OrderRow(state="New")
    row.assign(order, "manual", datetime.now(UTC))
    row.items = OrderItemRow.from_items(order.items)

    assert (row.total, row.prepaid, row.due) == (
        Decimal("199.80"),
        Decimal("10.00"),
        Decimal("189.80"),
    )
    assert row.items[0].position == 1 and row.items[0].amount == Decimal("199.80")
    assert row.items[0].vat == "vat22"
    assert row.to_order() == order


def test_unknown_stored_values_name_the_order() -> None:
    with pytest.raises(StoredDataError) as raised:
        parse_stored(OrderState, "Delayed", "N-5", "orders.state")
    assert "N-5" in raised.value.text.en and "'Delayed'" in raised.value.text.en
    assert "orders.state" in raised.value.text.ru
    assert parse_stored(OrderState, "In Process", "N-5", "orders.state") is OrderState.IN_PROCESS
