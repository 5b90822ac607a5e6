"""Helpers for the sync tests: orders, cash sales, and attempts In Process written as the card
and SBP checkouts write them (straight ORM rows: those checkouts are not part of this package
yet, so the rows are inserted here the way the store's schema defines them)."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from desktop_pos.models.order import Order, OrderItem
from desktop_pos.models.payment import FiscalState, OrderState, PaymentMethod
from desktop_pos.models.schema import OrderItemRow, OrderRow, PaymentAttemptRow, ReceiptRow
from desktop_pos.models.vat import VatRate
from desktop_pos.services.events import (
    EventBus,
    OrderStateChanged,
    SyncNotification,
    SyncStatusChanged,
)
from desktop_pos.services.gateway.client import GatewayClient
from desktop_pos.services.gateway.settings import GatewaySettings
from desktop_pos.services.store import Store

E = TypeVar("E")


def make_order(number: str, created_at: datetime | None = None, price: str = "14.24") -> Order:
    return Order(
        number=number,
        created_at=created_at or datetime.now(UTC),
        items=(
            OrderItem("Компактный фотик", Decimal("2"), Decimal(price), VatRate.VAT20),
            OrderItem("Пакет", Decimal("1"), Decimal("1.00"), VatRate.NO_VAT),
        ),
        email="buyer@example.com",
    )


def cash_sale(store: Store, number: str, created_at: datetime | None = None) -> Order:
    """A stored offline cash sale (received = due, no change)."""
    order = make_order(number, created_at)
    paid_at = created_at or datetime.now(UTC)
    store.record_cash_sale(order, order.due, Decimal("0.00"), paid_at)
    return order


def in_process_attempt(
    store: Store,
    number: str,
    *,
    created_at: datetime | None = None,
    billnumber: str | None = None,
    method: PaymentMethod = PaymentMethod.SBP,
    amount: Decimal | None = None,
    attempt_id: str | None = None,
) -> str:
    """An order with one attempt In Process (as an SBP payment waiting for the buyer)."""
    order = make_order(number, created_at)
    now = created_at or datetime.now(UTC)
    attempt_id = attempt_id or str(uuid.uuid4())
    with Session(store.engine) as session, session.begin():
        row = OrderRow(state=OrderState.IN_PROCESS.value)
        row.assign(order, "manual", now)
        row.items = OrderItemRow.from_items(order.items)
        row.method = method.value
        row.billnumber = billnumber
        row.fiscal_state = FiscalState.NEW.value
        session.add(row)
        session.flush()
        attempt = PaymentAttemptRow(
            order_id=row.id,
            attempt_id=attempt_id,
            method=method.value,
            state=OrderState.IN_PROCESS.value,
            amount=amount if amount is not None else order.due,
            transaction_number=str(uuid.uuid4().int)[:16],
            billnumber=billnumber,
            created_at=now,
            updated_at=now,
        )
        session.add(attempt)
        session.flush()
        session.add(
            ReceiptRow(
                order_id=row.id,
                attempt_id=attempt.id,
                kind="sell",
                fiscal_state=FiscalState.NEW.value,
                created_at=now,
                updated_at=now,
            )
        )
    return attempt_id


def days_ago(days: float) -> datetime:
    return datetime.now(UTC) - timedelta(days=days)


# -- waiting and recording -------------------------------------------------------------------

WAIT_TIMEOUT_S = 15.0


def wait_for(condition: Callable[[], bool], what: str, timeout: float = WAIT_TIMEOUT_S) -> None:
    """Poll ``condition`` every 20 ms; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(0.02)


class EventRecorder:
    """Every sync event published on ``events``, in order (thread-safe)."""

    def __init__(self, events: EventBus) -> None:
        self._lock = threading.Lock()
        self._events: list[object] = []
        for kind in (SyncStatusChanged, SyncNotification, OrderStateChanged):
            events.subscribe(kind, self._add)

    def _add(self, event: object) -> None:
        with self._lock:
            self._events.append(event)

    def of(self, kind: type[E]) -> list[E]:
        with self._lock:
            return [event for event in self._events if isinstance(event, kind)]

    def notifications(self, number: str) -> list[str]:
        return [n.text.ru for n in self.of(SyncNotification) if n.order_number == number]


FAST_WORKER: dict[str, Any] = {
    "poll_interval_s": 0.2,
    "max_backoff_s": 0.4,
    "retry_base_s": 0.05,
    "fiscal_poll_s": 0.1,
    "resync_timeout_s": 10.0,
}
"""Short sync-worker timings for tests."""


def fiscalized(store: Store, number: str) -> bool:
    details = store.load_details(number)
    return details is not None and details.fiscal_state is FiscalState.SUCCESS


def register_sbp_payment(
    settings: GatewaySettings, store: Store, number: str, *, created_at: datetime | None = None
) -> tuple[str, str]:
    """An SBP payment In Process at the gateway and in the store: (attempt_id, billnumber)."""
    attempt_id = str(uuid.uuid4())
    amount = make_order(number).due
    with GatewayClient(settings) as client:
        registration = client.register_sbp(number, attempt_id, amount)
    assert registration.state is OrderState.IN_PROCESS
    in_process_attempt(
        store,
        number,
        created_at=created_at,
        billnumber=registration.billnumber,
        amount=amount,
        attempt_id=attempt_id,
    )
    return attempt_id, registration.billnumber
