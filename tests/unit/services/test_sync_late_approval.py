"""The sync worker keeps asking about an SBP payment the cashier left for cash, and flags its late
approval for refund (the sandbox gateway as a real subprocess)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from desktop_pos.models.payment import FiscalState, OrderState, PaymentMethod
from desktop_pos.services.events import EventBus, SyncNotification
from desktop_pos.services.gateway.client import GatewayClient
from desktop_pos.services.store import Store
from desktop_pos.services.sync_worker import SyncWorker
from tests.e2e.sync_fixtures import FAST_WORKER, make_order, wait_for
from tests.sandbox_gateway import FAST_DELAYS, SandboxGatewayProcess


@pytest.fixture
def gateway(tmp_path: Path) -> Iterator[SandboxGatewayProcess]:
    with SandboxGatewayProcess(tmp_path / "gateway.sqlite3", extra_args=FAST_DELAYS) as process:
        yield process


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(f"sqlite:///{tmp_path / 'pos.sqlite3'}")
    yield opened
    opened.close()


def test_a_late_sbp_approval_after_cash_is_flagged_and_announced(
    store: Store, gateway: SandboxGatewayProcess
) -> None:
    order = make_order("LATE_1")
    now = datetime.now(UTC)
    attempt = store.begin_remote_payment(order, PaymentMethod.SBP, now)
    with GatewayClient(gateway.settings()) as client:
        sbp = client.register_sbp(order.number, attempt.attempt_id, order.due)
    store.record_registration(attempt.attempt_id, sbp.billnumber, sbp.state, sbp.qr_payload, now)
    store.abandon_remote_attempt(attempt.attempt_id, now)
    store.record_cash_sale(order, order.due, order.due - order.due, now)

    events = EventBus()
    notes: list[SyncNotification] = []
    events.subscribe(SyncNotification, notes.append)
    worker = SyncWorker(store, gateway.settings(), events, **FAST_WORKER)
    worker.start()
    try:
        wait_for(lambda: store.order_state(order.number) is OrderState.APPROVED, "cash uploaded")
        assert store.remote_attempt_state(attempt.attempt_id) == (OrderState.IN_PROCESS, False)
        gateway.buyer_pays(sbp.billnumber)
        wait_for(lambda: bool(store.late_approvals()), "the late approval flagged")
    finally:
        worker.stop()
    [late] = store.late_approvals()
    assert (late.order_number, late.billnumber) == (order.number, sbp.billnumber)
    result = store.load_result(order.number)
    assert result is not None and result.method is PaymentMethod.CASH  # one payment counted
    assert any(n.order_number == order.number and "возврат" in n.text.ru for n in notes)


def fiscal_state(store: Store, number: str) -> object:
    result = store.load_result(number)
    return None if result is None else result.fiscal_state


def test_an_approved_sbp_payment_gets_its_fiscal_receipt(
    store: Store, gateway: SandboxGatewayProcess
) -> None:
    order = make_order("SBP_FISCAL")
    now = datetime.now(UTC)
    attempt = store.begin_remote_payment(order, PaymentMethod.SBP, now)
    with GatewayClient(gateway.settings()) as client:
        sbp = client.register_sbp(order.number, attempt.attempt_id, order.due)
        gateway.buyer_pays(sbp.billnumber)
    store.record_registration(attempt.attempt_id, sbp.billnumber, sbp.state, sbp.qr_payload, now)
    store.record_attempt_outcome(attempt.attempt_id, OrderState.APPROVED, now)
    worker = SyncWorker(store, gateway.settings(), EventBus(), **FAST_WORKER)
    worker.start()
    try:
        wait_for(lambda: fiscal_state(store, order.number) is FiscalState.SUCCESS, "fiscal data")
    finally:
        worker.stop()
    [receipt] = gateway.receipts(order.number)
    assert receipt["billnumber"] == sbp.billnumber and receipt["receipttype"] == "sell"
    assert [r["method"] for r in gateway.registrations(order.number)] == [
        "sbp"
    ]  # not re-registered
