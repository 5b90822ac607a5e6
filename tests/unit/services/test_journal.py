"""The journal's read queries on SQLite and PostgreSQL: pages, filters, search, details, plans."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from desktop_pos.models.order import Order, OrderItem
from desktop_pos.models.payment import FiscalState, OrderState, PaymentMethod
from desktop_pos.models.schema import OrderRow, OutboxRow, PaymentAttemptRow, ReceiptRow
from desktop_pos.models.vat import VatRate
from desktop_pos.services.journal import (
    JournalFilter,
    JournalPage,
    JournalTone,
    PageCursor,
    find_order,
    journal_page,
    journal_statement,
    order_details,
    pending_count,
    resync_candidates,
    resync_candidates_query,
    tone_of,
)
from desktop_pos.services.store import Store

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def insert_order(
    store: Store,
    number: str,
    created_at: datetime,
    state: str,
    *,
    method: str | None = "card_reader",
    fiscal_state: str | None = None,
    total: Decimal = Decimal("100.00"),
) -> None:
    """An order row in a state the store has no method for yet (card, SBP, failed ...)."""
    with Session(store.engine) as session, session.begin():
        session.add(
            OrderRow(
                number=number,
                created_at=created_at,
                state=state,
                total=total,
                prepaid=Decimal(0),
                due=total,
                updated_at=created_at,
                method=method,
                fiscal_state=fiscal_state,
            )
        )


def cash_sale(store: Store, number: str, created_at: datetime) -> None:
    order = Order(
        number=number,
        created_at=created_at,
        items=(OrderItem("Хлеб", Decimal(1), Decimal("45.50"), VatRate.VAT10),),
    )
    store.record_cash_sale(order, Decimal("50.00"), Decimal("4.50"), created_at)


def all_pages(store: Store, flt: JournalFilter, limit: int) -> list[JournalPage]:
    pages = [journal_page(store, flt, limit=limit)]
    while pages[-1].next_cursor is not None:
        assert len(pages) < 100, "paging does not end"
        pages.append(journal_page(store, flt, after=pages[-1].next_cursor, limit=limit))
    return pages


def numbers(pages: list[JournalPage]) -> list[str]:
    return [row.number for page in pages for row in page.rows]


def test_pages_go_newest_first_through_ties_without_gaps(store: Store) -> None:
    # Five orders share one timestamp: the id breaks the tie, so no page repeats or skips one.
    for i in range(12):
        created = NOW - timedelta(minutes=0 if i < 5 else i)
        insert_order(store, f"N{i:03d}", created, OrderState.APPROVED.value)
    pages = all_pages(store, JournalFilter(), limit=3)
    assert [len(page.rows) for page in pages] == [3, 3, 3, 3]
    got = numbers(pages)
    assert sorted(got) == sorted(f"N{i:03d}" for i in range(12))
    assert got[:5] == ["N004", "N003", "N002", "N001", "N000"]  # same time: newest id first
    keys = [(row.created_at, row.id) for page in pages for row in page.rows]
    assert keys == sorted(keys, reverse=True)
    assert pages[-1].next_cursor is None


def test_exactly_one_page_has_no_next_cursor(store: Store) -> None:
    for i in range(4):
        insert_order(store, f"A{i}", NOW - timedelta(hours=i), OrderState.APPROVED.value)
    assert journal_page(store, limit=4).next_cursor is None
    assert journal_page(store, limit=3).next_cursor is not None
    assert journal_page(store, JournalFilter(number="nothing")).rows == ()


def test_filters_by_state_method_and_dates(store: Store) -> None:
    states = [OrderState.APPROVED, OrderState.IN_PROCESS, OrderState.DECLINED, OrderState.TIMEOUT]
    for i in range(16):
        method = PaymentMethod.SBP if i % 2 else PaymentMethod.CARD_READER
        insert_order(
            store, f"F{i:02d}", NOW - timedelta(hours=i), states[i % 4].value, method=method.value
        )
    cash_sale(store, "CASH1", NOW - timedelta(minutes=30))

    approved = numbers(all_pages(store, JournalFilter(states=frozenset({OrderState.APPROVED})), 2))
    assert approved == ["F00", "F04", "F08", "F12"]

    failed = JournalFilter(states=frozenset({OrderState.DECLINED, OrderState.TIMEOUT}))
    merged = numbers(all_pages(store, failed, 3))  # two index ranges merged, newest first
    assert merged == ["F02", "F03", "F06", "F07", "F10", "F11", "F14", "F15"]

    sbp = numbers(all_pages(store, JournalFilter(method=PaymentMethod.SBP), 5))
    assert sbp == [f"F{i:02d}" for i in range(1, 16, 2)]
    cash = journal_page(store, JournalFilter(method=PaymentMethod.CASH)).rows
    assert [(r.number, r.state, r.method, r.fiscal_state) for r in cash] == [
        ("CASH1", OrderState.OFFLINE, PaymentMethod.CASH, FiscalState.NEW)
    ]

    window = JournalFilter(since=NOW - timedelta(hours=5), until=NOW - timedelta(hours=1))
    assert numbers(all_pages(store, window, 2)) == ["F02", "F03", "F04", "F05"]  # until: exclusive
    combined = JournalFilter(
        since=NOW - timedelta(hours=9),
        states=frozenset({OrderState.IN_PROCESS, OrderState.TIMEOUT}),
        method=PaymentMethod.SBP,
    )
    assert numbers(all_pages(store, combined, 1)) == ["F01", "F03", "F05", "F07", "F09"]


def test_search_exact_and_prefix(store: Store) -> None:
    for number in (
        "20260310_100000_001",
        "20260310_100000_002",
        "20260310_110000_001",
        "20260309_235959_999",
        "2026031",
        "ORDER-7",
    ):
        insert_order(store, number, NOW, OrderState.APPROVED.value)
    exact = journal_page(store, JournalFilter(number="ORDER-7")).rows
    assert [row.number for row in exact] == ["ORDER-7"]
    prefix = numbers(all_pages(store, JournalFilter(number="20260310_10"), 1))
    assert prefix == ["20260310_100000_002", "20260310_100000_001"]
    day = numbers(all_pages(store, JournalFilter(number=" 2026031 "), 2))  # spaces trimmed
    assert day == ["20260310_110000_001", "20260310_100000_002", "20260310_100000_001", "2026031"]
    assert journal_page(store, JournalFilter(number="20260311")).rows == ()
    assert journal_page(store, JournalFilter(number="order-7")).rows == ()  # case matters


def test_unknown_stored_state_is_shown_not_hidden(store: Store) -> None:
    insert_order(store, "ODD", NOW, "Frozen", method="teleport", fiscal_state="Weird")
    (row,) = journal_page(store).rows
    assert (row.state, row.state_text, row.method, row.fiscal_state) == (None, "Frozen", None, None)
    assert row.tone is JournalTone.UNKNOWN


def test_tones_follow_the_journal_colours() -> None:
    assert tone_of(OrderState.APPROVED) is JournalTone.PAID
    assert tone_of(OrderState.PARTIAL_CANCELED) is JournalTone.PAID
    assert tone_of(OrderState.IN_PROCESS) is JournalTone.IN_PROCESS
    assert tone_of(OrderState.OFFLINE) is JournalTone.UNKNOWN
    assert tone_of(OrderState.NEW) is JournalTone.UNKNOWN
    for state in (OrderState.DECLINED, OrderState.CANCELED, OrderState.TIMEOUT):
        assert tone_of(state) is JournalTone.FAILED


def test_find_order_and_pending_count(store: Store) -> None:
    assert pending_count(store) == 0
    cash_sale(store, "C1", NOW - timedelta(minutes=5))
    cash_sale(store, "C2", NOW - timedelta(minutes=4))
    insert_order(store, "P1", NOW, OrderState.IN_PROCESS.value)
    insert_order(store, "D1", NOW, OrderState.DECLINED.value)
    assert pending_count(store) == 3
    with Session(store.engine) as session, session.begin():
        entry = session.query(OutboxRow).filter_by(order_number="C1").one()
        entry.done_at = NOW
    assert pending_count(store) == 2
    found = find_order(store, "C2")
    assert found is not None and found.state is OrderState.OFFLINE and found.due == Decimal("45.50")
    assert find_order(store, "C") is None


def test_resync_candidates_are_recent_offline_and_in_process(store: Store) -> None:
    insert_order(store, "old-offline", NOW - timedelta(days=3, minutes=1), "Offline")
    insert_order(store, "offline", NOW - timedelta(days=2), "Offline", method="cash")
    insert_order(store, "in-process", NOW - timedelta(hours=1), "In Process")
    insert_order(store, "approved", NOW - timedelta(hours=2), "Approved")
    insert_order(store, "declined", NOW - timedelta(hours=3), "Declined")
    assert resync_candidates(store, NOW) == ["offline", "in-process"]
    with pytest.raises(ValueError, match="timezone-aware"):
        resync_candidates(store, datetime(2026, 3, 10))


def test_details_hold_every_attempt_receipt_and_outbox_entry(store: Store) -> None:
    insert_order(store, "MULTI", NOW - timedelta(hours=1), OrderState.DECLINED.value)
    with Session(store.engine) as session, session.begin():
        order = session.query(OrderRow).filter_by(number="MULTI").one()
        order_id = order.id
        first = PaymentAttemptRow(
            order_id=order_id,
            attempt_id=str(uuid.uuid4()),
            method="card_reader",
            state="Declined",
            amount=Decimal("100.00"),
            transaction_number="1000000000000001",
            billnumber="5000000000000001",
            response_code="AS102",
            created_at=NOW - timedelta(hours=1),
            updated_at=NOW - timedelta(hours=1),
        )
        second = PaymentAttemptRow(
            order_id=order_id,
            attempt_id=str(uuid.uuid4()),
            method="sbp",
            state="Approved",
            amount=Decimal("100.00"),
            transaction_number="1000000000000002",
            billnumber="5000000000000002",
            response_code="AS000",
            created_at=NOW - timedelta(minutes=30),
            updated_at=NOW - timedelta(minutes=29),
        )
        session.add_all([first, second])
        session.flush()
        session.add(
            ReceiptRow(
                order_id=order_id,
                attempt_id=second.id,
                kind="sell",
                fiscal_state="Success",
                fiscal_receipt_id="777",
                fn="9999078900012345",
                fd="1234",
                fp="987654321",
                shift_number=12,
                receipt_number=34,
                kkt_reg_number="0000000001012345",
                fiscal_datetime=NOW - timedelta(minutes=28),
                qr_string="t=20260310T1132&s=100.00",
                created_at=NOW,
                updated_at=NOW,
            )
        )
        session.add(
            OutboxRow(
                kind="fiscalize",
                order_number="MULTI",
                payload=json.dumps({"x": 1}),
                created_at=NOW,
                attempts=2,
                next_attempt_at=NOW,
                last_error="timeout",
                done_at=NOW,
            )
        )
        second_attempt_id = second.attempt_id
    details = order_details(store, "MULTI")
    assert details is not None
    assert [(a.method, a.state, a.response_code) for a in details.attempts] == [
        ("card_reader", "Declined", "AS102"),
        ("sbp", "Approved", "AS000"),
    ]
    (receipt,) = details.receipts
    assert (receipt.attempt_id, receipt.fn, receipt.fd, receipt.fp, receipt.shift_number) == (
        second_attempt_id,
        "9999078900012345",
        "1234",
        "987654321",
        12,
    )
    (entry,) = details.outbox
    assert (entry.kind, entry.attempts, entry.last_error, entry.done_at) == (
        "fiscalize",
        2,
        "timeout",
        NOW,
    )
    assert details.order.state is OrderState.DECLINED
    assert order_details(store, "missing") is None


def test_cash_sale_details(store: Store) -> None:
    cash_sale(store, "CASH", NOW)
    details = order_details(store, "CASH")
    assert details is not None
    (attempt,) = details.attempts
    assert (attempt.method, attempt.state, attempt.received, attempt.change) == (
        "cash",
        "Offline",
        Decimal("50.00"),
        Decimal("4.50"),
    )
    assert [r.fiscal_state for r in details.receipts] == ["New"]
    assert [(e.kind, e.done_at) for e in details.outbox] == [("register_cash", None)]


def test_bad_arguments_are_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="page size"):
        journal_page(store, limit=0)
    with pytest.raises(ValueError, match="timezone-aware"):
        JournalFilter(since=datetime(2026, 1, 1))


# -- query plans (SQLite, the default database) ------------------------------------------------


def plan(store: Store, statement: object) -> str:
    compiled = statement.compile(  # type: ignore[attr-defined]
        dialect=store.engine.dialect, compile_kwargs={"literal_binds": True}
    )
    with store.engine.connect() as connection:
        rows = connection.execute(text(f"EXPLAIN QUERY PLAN {compiled}")).fetchall()
    return "\n".join(str(row[-1]) for row in rows)


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Store:
    store = Store.open(f"sqlite:///{tmp_path / 'plans.db'}")
    for i in range(50):
        insert_order(
            store,
            f"2026031{i % 10}_{i:06d}",
            NOW - timedelta(minutes=i),
            ("Approved", "Offline", "In Process", "Declined")[i % 4],
            method=("cash", "sbp")[i % 2],
        )
    with store.engine.connect() as connection:
        connection.exec_driver_sql("ANALYZE")
    return store


CURSOR = PageCursor(NOW - timedelta(minutes=10), 10, "20260310_000010")


@pytest.mark.parametrize(
    ("flt", "state", "index"),
    [
        (JournalFilter(), None, "ix_orders_created_at"),
        (JournalFilter(), OrderState.APPROVED, "ix_orders_state_created_at"),
        (JournalFilter(method=PaymentMethod.SBP), None, "ix_orders_method_created_at"),
        (JournalFilter(since=NOW - timedelta(days=1)), None, "ix_orders_created_at"),
        # the unique constraint on orders.number (SQLite names its index itself)
        (JournalFilter(number="2026031"), None, "(number>? AND number<?)"),
    ],
)
def test_journal_pages_read_an_index_without_sorting(
    sqlite_store: Store, flt: JournalFilter, state: OrderState | None, index: str
) -> None:
    for after in (None, CURSOR):
        text_plan = plan(sqlite_store, journal_statement(flt, after, 101, state=state))
        assert index in text_plan and "USING INDEX" in text_plan, text_plan
        assert "TEMP B-TREE" not in text_plan, text_plan  # no sort of all matching rows
        assert "SCAN orders\n" not in text_plan + "\n", text_plan  # no full table scan


def test_resync_query_reads_the_state_index(sqlite_store: Store) -> None:
    text_plan = plan(sqlite_store, resync_candidates_query(NOW))
    assert "ix_orders_state_created_at" in text_plan, text_plan
    assert "SCAN orders\n" not in text_plan + "\n", text_plan


def test_merged_states_read_only_the_index(sqlite_store: Store) -> None:
    # Several states: one key-only range per state, answered from the index alone.
    failed = JournalFilter(states=frozenset({OrderState.DECLINED, OrderState.APPROVED}))
    for after in (None, CURSOR):
        statement = journal_statement(failed, after, 101, state=OrderState.DECLINED, keys_only=True)
        text_plan = plan(sqlite_store, statement)
        assert "COVERING INDEX ix_orders_state_created_at" in text_plan, text_plan
        assert "TEMP B-TREE" not in text_plan, text_plan
