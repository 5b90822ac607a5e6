"""The repository on SQLite and PostgreSQL: cash sales, loading, state rules, concurrency."""

from __future__ import annotations

import functools
import json
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from desktop_pos.models.errors import OrderValidationError, PaymentError
from desktop_pos.models.order import EditPermissions, Order, OrderItem
from desktop_pos.models.payment import FiscalState, OrderState, PaymentMethod
from desktop_pos.models.result import PaymentResult
from desktop_pos.models.schema import (
    OrderItemRow,
    OrderRow,
    OutboxRow,
    PaymentAttemptRow,
    ReceiptRow,
    StoredDataError,
)
from desktop_pos.models.texts import LocalizedText
from desktop_pos.models.vat import VatRate
from desktop_pos.services import store as store_module
from desktop_pos.services.store import Store

MSK = timezone(timedelta(hours=3))
TABLES = ("orders", "order_items", "payment_attempts", "receipts", "outbox")


def make_order(number: str = "20260115_101500_123", **changes: Any) -> Order:
    order = Order(
        number=number,
        created_at=datetime(2026, 1, 15, 10, 15, 0, 123000, tzinfo=MSK),
        items=(
            OrderItem(
                "Молоко 3,2%",
                Decimal("3.000"),
                Decimal("1.16"),
                VatRate.VAT10,
                discount=Decimal("0.12"),
            ),
            OrderItem("Сыр весовой", Decimal("0.345"), Decimal("1234.56"), VatRate.VAT20),
            OrderItem("Пакет", Decimal("1"), Decimal("14.24"), VatRate.NO_VAT),
        ),
        prepaid=Decimal("1.35"),
        email="buyer@example.com",
        phone="+79001234567",
        comment="Позвонить за час",
    )
    return replace(order, **changes)


def pay(
    store: Store, order: Order, received: Decimal | None = None, paid_at: datetime | None = None
) -> PaymentResult:
    received = order.due if received is None else received
    paid_at = datetime(2026, 1, 15, 10, 20, 30, 456789, tzinfo=MSK) if paid_at is None else paid_at
    return store.record_cash_sale(order, received, received - order.due, paid_at)


def count(store: Store, table: str) -> int:
    with store.engine.connect() as connection:
        value = connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
    return int(value)


def snapshot(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of a sale, for "nothing changed" checks."""
    with store.engine.connect() as connection:
        return {
            table: [
                tuple(row) for row in connection.execute(text(f"SELECT * FROM {table} ORDER BY id"))
            ]
            for table in TABLES
        }


def set_order_state(store: Store, number: str, state: str) -> None:
    with store.engine.begin() as connection:
        connection.execute(
            text("UPDATE orders SET state = :state WHERE number = :number"),
            {"state": state, "number": number},
        )


# -- a cash sale ---------------------------------------------------------------------------------


def test_cash_sale_writes_every_table_in_one_go(store: Store) -> None:
    order = make_order()
    assert order.total == Decimal("3.48") + Decimal("425.92") + Decimal("14.24")
    paid_at = datetime(2026, 1, 15, 10, 20, 30, 456789, tzinfo=MSK)

    result = store.record_cash_sale(order, Decimal("500.00"), Decimal("57.71"), paid_at)

    assert result == PaymentResult(
        order_number=order.number,
        method=PaymentMethod.CASH,
        state=OrderState.OFFLINE,
        total=Decimal("443.64"),
        prepaid=Decimal("1.35"),
        amount=Decimal("442.29"),
        order_date=paid_at,
        transaction_number=result.transaction_number,
        received=Decimal("500.00"),
        change=Decimal("57.71"),
        response_code=None,
        fiscal_state=FiscalState.NEW,
        info=LocalizedText(
            "Оплата наличными сохранена. Данные для фискализации будут переданы в Ассист при "
            "подключении к сети.",
            "Cash payment saved. The fiscal data will be sent to Assist when the network is "
            "available.",
        ),
    )
    assert len(result.transaction_number) == 16 and result.transaction_number.isdigit()

    with Session(store.engine) as session:
        order_row = session.scalars(select(OrderRow)).one()
        assert (order_row.number, order_row.state, order_row.source) == (
            order.number,
            "Offline",
            "manual",
        )
        assert (order_row.total, order_row.prepaid, order_row.due) == (
            Decimal("443.64"),
            Decimal("1.35"),
            Decimal("442.29"),
        )
        assert order_row.paid_at == paid_at
        assert order_row.created_at == order.created_at
        assert (order_row.email, order_row.phone, order_row.comment) == (
            "buyer@example.com",
            "+79001234567",
            "Позвонить за час",
        )

        items = session.scalars(select(OrderItemRow).order_by(OrderItemRow.position)).all()
        assert [
            (
                i.position,
                i.name,
                i.quantity,
                i.price,
                i.discount,
                i.amount,
                i.vat,
                i.payment_method_sign,
            )
            for i in items
        ] == [
            (
                1,
                "Молоко 3,2%",
                Decimal("3.000"),
                Decimal("1.16"),
                Decimal("0.12"),
                Decimal("3.48"),
                "vat10",
                "4",
            ),
            (
                2,
                "Сыр весовой",
                Decimal("0.345"),
                Decimal("1234.56"),
                Decimal("0.00"),
                Decimal("425.92"),
                "vat20",
                "4",
            ),
            (
                3,
                "Пакет",
                Decimal("1.000"),
                Decimal("14.24"),
                Decimal("0.00"),
                Decimal("14.24"),
                "novat",
                "4",
            ),
        ]
        assert all(i.order_id == order_row.id for i in items)

        attempt = session.scalars(select(PaymentAttemptRow)).one()
        assert attempt.order_id == order_row.id
        assert uuid.UUID(attempt.attempt_id).version == 4
        assert (attempt.method, attempt.state) == ("cash", "Offline")
        assert (attempt.amount, attempt.received, attempt.change) == (
            Decimal("442.29"),
            Decimal("500.00"),
            Decimal("57.71"),
        )
        assert attempt.transaction_number == result.transaction_number
        assert (attempt.billnumber, attempt.response_code) == (None, None)

        receipt = session.scalars(select(ReceiptRow)).one()
        assert (receipt.order_id, receipt.attempt_id) == (order_row.id, attempt.id)
        assert (receipt.kind, receipt.fiscal_state) == ("sell", "New")
        assert [
            receipt.fn,
            receipt.fd,
            receipt.fp,
            receipt.shift_number,
            receipt.receipt_number,
            receipt.kkt_reg_number,
            receipt.fiscal_datetime,
            receipt.qr_string,
        ] == [None] * 8

        entry = session.scalars(select(OutboxRow)).one()
        assert (entry.kind, entry.order_number, entry.attempts) == (
            "register_cash",
            order.number,
            0,
        )
        assert entry.done_at is None and entry.last_error is None
        assert json.loads(entry.payload) == {
            "order_number": order.number,
            "attempt_id": attempt.attempt_id,
            "transaction_number": result.transaction_number,
            "amount": "442.29",
            "received": "500.00",
            "change": "57.71",
            "paid_at": "2026-01-15T07:20:30.456789+00:00",
        }


def test_sale_is_there_after_reopening(store_url: str) -> None:
    order = make_order()
    first = Store.open(store_url)
    try:
        result = pay(first, order, Decimal("1000"))
    finally:
        first.close()

    second = Store.open(store_url)
    try:
        assert second.load_order(order.number) == order
        assert second.load_result(order.number) == result
        assert second.order_state(order.number) is OrderState.OFFLINE
        [entry] = second.pending_outbox(10)
        assert entry.order_number == order.number
    finally:
        second.close()


def test_second_sale_of_a_paid_order_is_refused_and_changes_nothing(store: Store) -> None:
    order = make_order(number="A-17")
    pay(store, order)
    before = snapshot(store)

    with pytest.raises(PaymentError) as raised:
        pay(store, make_order(number="A-17", prepaid=Decimal(0)), Decimal("5000"))

    assert raised.value.text.ru == "Заказ № A-17 уже оплачен. Повторная оплата не требуется."
    assert raised.value.text.en == "Order A-17 has already been paid; no second payment is needed."
    assert snapshot(store) == before


@pytest.mark.parametrize("state", ["Approved", "PartialCanceled", "In Process"])
def test_orders_paid_or_in_process_are_refused(store: Store, state: str) -> None:
    pay(store, make_order(number="B-1"))
    set_order_state(store, "B-1", state)
    before = snapshot(store)

    with pytest.raises(PaymentError) as raised:
        pay(store, make_order(number="B-1"))

    if state == "In Process":
        assert raised.value.text.ru.startswith("Платеж по заказу № B-1 еще обрабатывается")
        assert raised.value.text.en.startswith("The payment for order B-1 is still being processed")
    else:
        assert "уже оплачен" in raised.value.text.ru
    assert snapshot(store) == before


@pytest.mark.parametrize("state", ["New", "Declined", "Timeout", "Canceled"])
def test_an_unpaid_order_is_replaced(store: Store, state: str) -> None:
    pay(store, make_order(number="C-1"))
    set_order_state(store, "C-1", state)  # e.g. a card attempt was declined afterwards
    new_order = make_order(
        number="C-1",
        items=(OrderItem("Другой товар", Decimal("2.5"), Decimal("10.00")),),
        prepaid=Decimal(0),
        email="",
        comment="",
    )

    result = pay(store, new_order, Decimal("25.00"))

    assert store.load_order("C-1") == new_order
    assert store.load_result("C-1") == result
    assert store.order_state("C-1") is OrderState.OFFLINE
    assert (count(store, "orders"), count(store, "order_items")) == (1, 1)
    assert (count(store, "payment_attempts"), count(store, "receipts")) == (2, 2)
    assert count(store, "outbox") == 2


def test_failure_inside_the_transaction_leaves_no_rows(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_receipt(session: Session, attempt: PaymentAttemptRow, now: datetime) -> None:
        # The order, its items and the attempt are already written in this transaction.
        assert attempt.id is not None
        assert session.scalar(select(func.count()).select_from(OrderItemRow)) == 3
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(store_module, "_insert_receipt", broken_receipt)
    with pytest.raises(RuntimeError, match="disk on fire"):
        pay(store, make_order())

    assert {table: count(store, table) for table in TABLES} == dict.fromkeys(TABLES, 0)
    assert store.load_order(make_order().number) is None


def test_failure_while_replacing_keeps_the_old_order(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = make_order(number="D-1")
    pay(store, original)
    set_order_state(store, "D-1", "Declined")
    before = snapshot(store)

    def broken_receipt(*_args: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(store_module, "_insert_receipt", broken_receipt)
    with pytest.raises(RuntimeError):
        pay(
            store,
            make_order(
                number="D-1", items=(OrderItem("X", Decimal(1), Decimal(1)),), prepaid=Decimal(0)
            ),
        )

    assert snapshot(store) == before
    assert store.load_order("D-1") == original


def test_decimals_come_back_exact(store: Store) -> None:
    order = make_order(
        items=(
            OrderItem("a", Decimal("3.000"), Decimal("1.16"), discount=Decimal("0.12")),
            OrderItem("b", Decimal("0.001"), Decimal("14.24"), discount=Decimal("0.12")),
            OrderItem("c", Decimal("99999.999"), Decimal("99999999.99")),
            OrderItem("d", Decimal("1.235"), Decimal("0.01")),
        ),
        prepaid=Decimal("0.10"),
    )
    result = pay(store, order)

    loaded = store.load_order(order.number)
    assert loaded == order
    assert loaded is not None
    for item in loaded.items:
        assert isinstance(item.quantity, Decimal) and isinstance(item.price, Decimal)
    with Session(store.engine) as session:
        amounts = session.scalars(select(OrderItemRow.amount).order_by(OrderItemRow.position))
        assert list(amounts) == [
            Decimal("3.48"),
            Decimal("0.01"),
            Decimal("9999999899000.00"),
            Decimal("0.01"),
        ]
        due = session.scalars(select(OrderRow.due)).one()
    assert isinstance(due, Decimal) and due == order.due == Decimal("9999999899003.40")
    assert store.load_result(order.number) == result
    assert result.amount == Decimal("9999999899003.40")


def test_timestamps_come_back_aware_and_equal(store: Store) -> None:
    created = datetime(2026, 3, 1, 23, 59, 59, 999999, tzinfo=timezone(timedelta(hours=-5)))
    paid = datetime(2026, 3, 2, 8, 0, 0, 1, tzinfo=MSK)
    order = make_order(created_at=created)
    pay(store, order, paid_at=paid)

    loaded = store.load_order(order.number)
    result = store.load_result(order.number)
    assert loaded is not None and result is not None
    assert loaded.created_at == created
    assert loaded.created_at.utcoffset() == timedelta(0)
    assert result.order_date == paid
    assert result.order_date.utcoffset() == timedelta(0)
    [entry] = store.pending_outbox(1)
    assert entry.created_at.tzinfo is not None and entry.next_attempt_at.tzinfo is not None


def test_a_taken_transaction_number_is_drawn_again(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = pay(store, make_order(number="E-1"))
    numbers = iter([first.transaction_number, first.transaction_number, "4000000000000004"])
    monkeypatch.setattr(store_module, "new_transaction_number", lambda: next(numbers))

    second = pay(store, make_order(number="E-2"))

    assert second.transaction_number == "4000000000000004"


def test_invalid_input_writes_nothing(store: Store) -> None:
    with pytest.raises(OrderValidationError):
        pay(store, make_order(items=()))
    with pytest.raises(ValueError, match="timezone-aware"):
        pay(store, make_order(), paid_at=datetime(2026, 1, 1, 12, 0))
    with pytest.raises(ValueError, match="is not the"):
        store.record_cash_sale(make_order(), Decimal("1000"), Decimal("1"), datetime.now(UTC))
    assert {table: count(store, table) for table in TABLES} == dict.fromkeys(TABLES, 0)


def test_demo_source_is_kept(store: Store) -> None:
    order = make_order()
    store.record_cash_sale(order, order.due, Decimal(0), datetime.now(UTC), source="demo")
    with Session(store.engine) as session:
        assert session.scalars(select(OrderRow.source)).one() == "demo"


def test_edit_permissions_round_trip(store: Store) -> None:
    order = make_order(permissions=EditPermissions(False, True, False, True))
    pay(store, order)
    loaded = store.load_order(order.number)
    assert loaded is not None and loaded.permissions == EditPermissions(False, True, False, True)


# -- reading -------------------------------------------------------------------------------------


def test_unknown_numbers_give_none(store: Store) -> None:
    assert store.load_order("nope") is None
    assert store.load_result("nope") is None
    assert store.order_state("nope") is None


def test_recent_orders_by_time_and_state(store: Store) -> None:
    base = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    for day, number in enumerate(["R-0", "R-1", "R-2", "R-3"]):
        pay(store, make_order(number=number, created_at=base + timedelta(days=day)))
    set_order_state(store, "R-2", "In Process")
    set_order_state(store, "R-3", "Approved")
    since = base + timedelta(days=1)

    assert store.recent_orders(since) == ["R-1", "R-2", "R-3"]
    assert store.recent_orders(since, [OrderState.OFFLINE, OrderState.IN_PROCESS]) == ["R-1", "R-2"]
    assert store.recent_orders(since.astimezone(MSK), {OrderState.APPROVED}) == ["R-3"]
    assert store.recent_orders(base - timedelta(days=1), []) == []
    with pytest.raises(ValueError):
        store.recent_orders(datetime(2026, 5, 1))


def test_pending_outbox_order_limit_and_due_time(store: Store) -> None:
    for number in ("O-1", "O-2", "O-3"):
        pay(store, make_order(number=number))
    with store.engine.begin() as connection:
        connection.execute(
            text("UPDATE outbox SET next_attempt_at = :later WHERE order_number = 'O-1'"),
            {"later": datetime(2100, 1, 1, tzinfo=UTC)},
        )
        connection.execute(
            text("UPDATE outbox SET done_at = :now WHERE order_number = 'O-2'"),
            {"now": datetime.now(UTC)},
        )

    assert [e.order_number for e in store.pending_outbox(10)] == ["O-3", "O-1"]
    assert [e.order_number for e in store.pending_outbox(1)] == ["O-3"]
    due_now = store.pending_outbox(10, due_at=datetime.now(UTC))
    assert [e.order_number for e in due_now] == ["O-3"]
    assert json.loads(due_now[0].payload)["order_number"] == "O-3"


def test_settings(store: Store) -> None:
    assert store.get_setting("printer") is None
    store.set_setting("printer", "tcp://10.0.0.5:9100")
    store.set_setting("printer", "usb://0x0416:0x5011")
    store.set_setting("язык", "ru")
    assert store.get_setting("printer") == "usb://0x0416:0x5011"
    assert store.get_setting("язык") == "ru"


@pytest.mark.parametrize(
    ("statement", "call", "column"),
    [
        ("UPDATE orders SET state = 'Bogus'", "order_state", "orders.state"),
        ("UPDATE orders SET state = 'Bogus'", "pay", "orders.state"),
        ("UPDATE payment_attempts SET state = 'Bogus'", "load_result", "payment_attempts.state"),
        ("UPDATE payment_attempts SET method = 'Bogus'", "load_result", "payment_attempts.method"),
        ("UPDATE receipts SET fiscal_state = 'Bogus'", "load_result", "receipts.fiscal_state"),
        ("UPDATE order_items SET vat = 'Bogus'", "load_order", "order_items.vat"),
    ],
)
def test_bad_stored_values_give_a_clear_error(
    store: Store, statement: str, call: str, column: str
) -> None:
    order = make_order(number="Z-9")
    pay(store, order)
    with store.engine.begin() as connection:
        connection.execute(text(statement))
    calls: dict[str, Callable[[], object]] = {
        "order_state": lambda: store.order_state("Z-9"),
        "load_result": lambda: store.load_result("Z-9"),
        "load_order": lambda: store.load_order("Z-9"),
        "pay": lambda: pay(store, order),
    }

    with pytest.raises(StoredDataError) as raised:
        calls[call]()

    assert raised.value.text.en.startswith("Order Z-9: the database holds an unknown value 'Bogus'")
    assert column in raised.value.text.en
    assert raised.value.text.ru.startswith("Заказ № Z-9: в базе данных неизвестное значение")


def test_a_damaged_item_gives_a_clear_error(store: Store) -> None:
    pay(store, make_order(number="Z-8"))
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE order_items SET name = '   ' WHERE position = 2"))
    with pytest.raises(StoredDataError) as raised:
        store.load_order("Z-8")
    assert raised.value.text.en.startswith("Order Z-8: item 2 in the database is damaged")


# -- concurrency ---------------------------------------------------------------------------------


def _run_threads(targets: list[Callable[[], None]]) -> list[BaseException]:
    errors: list[BaseException] = []

    def guarded(target: Callable[[], None]) -> None:
        try:
            target()
        except BaseException as exc:  # collected and asserted on by the test
            errors.append(exc)

    threads = [threading.Thread(target=guarded, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return errors


def test_two_writers_on_one_sqlite_file(sqlite_url: str) -> None:
    """Two Store objects (as two processes would have) write 100 sales each at the same time."""
    start = threading.Barrier(2)

    def writer(prefix: str) -> Callable[[], None]:
        def run() -> None:
            start.wait()
            store = Store.open(sqlite_url)  # both migrate at once, too
            try:
                for i in range(100):
                    pay(store, make_order(number=f"{prefix}-{i:03d}"))
            finally:
                store.close()

        return run

    errors = _run_threads([writer("T1"), writer("T2")])

    assert errors == []
    store = Store.open(sqlite_url)
    try:
        assert count(store, "orders") == 200
        assert count(store, "payment_attempts") == 200
        assert count(store, "outbox") == 200
    finally:
        store.close()


def test_stores_opening_a_new_sqlite_file_together(tmp_path: Path) -> None:
    """Switching a new file to WAL does not wait for locks: the store must retry, not fail."""
    for round_number in range(30):
        url = f"sqlite:///{tmp_path / f'new{round_number}.db'}"
        stores = [Store(url), Store(url)]  # two engines, as two processes would have
        start = threading.Barrier(2)

        def connect(store: Store, start: threading.Barrier = start) -> None:
            start.wait()
            with store.engine.connect() as connection:
                assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"

        try:
            errors = _run_threads([functools.partial(connect, store) for store in stores])
        finally:
            for store in stores:
                store.close()
        assert errors == [], f"round {round_number}: {errors}"


def test_two_tills_paying_the_same_orders(store_url: str) -> None:
    """Racing on the same order numbers: one sale each, the other till gets a PaymentError."""
    Store.open(store_url).close()
    stores = [Store(store_url), Store(store_url)]
    numbers = [f"S-{i}" for i in range(20)]
    outcomes: dict[str, list[str]] = {number: [] for number in numbers}
    lock = threading.Lock()
    barrier = threading.Barrier(2)

    def till(store: Store) -> Callable[[], None]:
        def run() -> None:
            for number in numbers:
                barrier.wait()
                try:
                    pay(store, make_order(number=number))
                    outcome = "paid"
                except PaymentError:
                    outcome = "refused"
                with lock:
                    outcomes[number].append(outcome)

        return run

    try:
        errors = _run_threads([till(s) for s in stores])
        assert errors == []
        assert all(sorted(o) == ["paid", "refused"] for o in outcomes.values()), outcomes
        assert count(stores[0], "payment_attempts") == len(numbers)
    finally:
        for s in stores:
            s.close()


# -- property: any valid order survives the round trip -------------------------------------------

_NAME_CHARS = st.characters(
    categories=("L", "N", "P", "S", "Zs"), exclude_characters="\x00"
) | st.sampled_from("АБВГДЕЁЖЗИЙабвгдеёжзий №")
_names = st.text(_NAME_CHARS, min_size=1, max_size=250).filter(lambda s: s.strip())
_items = st.builds(
    OrderItem,
    name=_names,
    quantity=st.decimals(Decimal("0.001"), Decimal("99999.999"), places=3),
    price=st.decimals(Decimal("0.00"), Decimal("999999.99"), places=2),
    vat=st.sampled_from(list(VatRate)),
    discount=st.decimals(Decimal("0.00"), Decimal("9999.99"), places=2),
    payment_method_sign=st.sampled_from(["1", "2", "3", "4", "5", "6", "7"]),
)
_serial = iter(range(10**9))


@st.composite
def _orders(draw: st.DrawFn) -> Order:
    items = tuple(draw(st.lists(_items, min_size=1, max_size=6)))
    total = sum((item.amount for item in items), Decimal(0))
    prepaid = draw(st.decimals(Decimal("0.00"), max(total - Decimal("0.01"), Decimal(0)), places=2))
    suffix = draw(st.text("ABCxyz019_-№ ()", max_size=20))
    return Order(
        number=f"P{next(_serial)}.{suffix}".strip(),  # "." keeps serial and suffix apart
        created_at=draw(
            st.datetimes(
                datetime(2000, 1, 1), datetime(2099, 12, 31), timezones=st.sampled_from([UTC, MSK])
            )
        ),
        items=items,
        prepaid=prepaid,
        email=draw(st.sampled_from(["", "a@b.ru", "покупатель@пример.рф"])),
        phone=draw(st.text("+0123456789", max_size=16)),
        comment=draw(st.text(_NAME_CHARS, max_size=256)),
        permissions=EditPermissions(*draw(st.tuples(*[st.booleans()] * 4))),
    )


@pytest.fixture(scope="module")
def property_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    opened = Store.open(f"sqlite:///{tmp_path_factory.mktemp('prop') / 'pos.db'}")
    yield opened
    opened.close()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(order=_orders())
def test_any_order_round_trips(property_store: Store, order: Order) -> None:
    assume(order.due > 0)
    result = property_store.record_cash_sale(order, order.due, Decimal(0), datetime.now(UTC))
    assert property_store.load_order(order.number) == order
    assert property_store.load_result(order.number) == result
