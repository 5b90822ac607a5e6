"""SBP/SoftPOS attempts in the store: registration, method switch, late approval flagged."""

from __future__ import annotations

from datetime import UTC, timedelta
from decimal import Decimal

import pytest

from desktop_pos.models.errors import PaymentError
from desktop_pos.models.payment import FiscalState, OrderState, PaymentMethod
from desktop_pos.services.store import Store
from tests.unit.services.test_store import make_order, pay

NOW = make_order().created_at.astimezone(UTC) + timedelta(minutes=10)
LINK = "https://qr.nspk.ru/AD000?type=02"


def registered(store: Store, method: PaymentMethod = PaymentMethod.SBP, number: str = "R_1"):  # type: ignore[no-untyped-def]
    order = make_order(number)
    attempt = store.begin_remote_payment(order, method, NOW)
    store.record_registration(
        attempt.attempt_id, "1234567890123401", OrderState.IN_PROCESS, LINK, NOW
    )
    return order, attempt


def test_registration_makes_the_order_in_process(store: Store) -> None:
    order, attempt = registered(store)
    assert attempt.amount == order.due and attempt.method is PaymentMethod.SBP
    assert store.order_state(order.number) is OrderState.IN_PROCESS
    with pytest.raises(PaymentError):
        pay(store, order)  # In Process blocks cash
    [candidate] = store.resync_candidates(
        NOW + timedelta(seconds=1), states=(OrderState.IN_PROCESS,)
    )
    assert candidate.attempt_id == attempt.attempt_id


def test_approval_pays_the_order_and_adds_its_receipt(store: Store) -> None:
    order, attempt = registered(store, PaymentMethod.SOFTPOS)
    assert store.record_attempt_outcome(
        attempt.attempt_id, OrderState.APPROVED, NOW, response_code="AS000"
    )
    assert store.order_state(order.number) is OrderState.APPROVED
    assert store.remote_attempt_state(attempt.attempt_id) == (OrderState.APPROVED, False)
    result = store.load_result(order.number)
    assert result is not None and result.method is PaymentMethod.SOFTPOS
    assert result.fiscal_state is FiscalState.NEW
    assert store.late_approvals() == []


def test_switch_then_cash_then_late_approval_is_flagged_not_counted(store: Store) -> None:
    order, attempt = registered(store)
    store.abandon_remote_attempt(attempt.attempt_id, NOW)
    assert store.order_state(order.number) is OrderState.NEW
    assert store.abandoned_billnumbers(order.number) == {"1234567890123401"}
    cash = pay(store, order)
    assert store.order_state(order.number) is OrderState.OFFLINE
    # the sync worker still asks about the abandoned attempt
    [candidate] = store.resync_candidates(
        NOW + timedelta(seconds=1), states=(OrderState.IN_PROCESS,)
    )
    assert candidate.attempt_id == attempt.attempt_id
    store.record_attempt_outcome(
        attempt.attempt_id, OrderState.APPROVED, NOW, response_code="AS000"
    )
    assert store.remote_attempt_state(attempt.attempt_id) == (OrderState.APPROVED, True)
    # the order stays paid by cash: one payment counted
    assert store.order_state(order.number) is OrderState.OFFLINE
    result = store.load_result(order.number)
    assert result is not None and result.transaction_number == cash.transaction_number
    [late] = store.late_approvals()
    assert (late.order_number, late.attempt_id, late.amount) == (
        order.number,
        attempt.attempt_id,
        Decimal(order.due),
    )
    # a repeated answer flags nothing new
    store.record_attempt_outcome(
        attempt.attempt_id, OrderState.APPROVED, NOW, response_code="AS000"
    )
    assert len(store.late_approvals()) == 1


def test_abandoned_then_approved_without_another_payment_pays_the_order(store: Store) -> None:
    order, attempt = registered(store)
    store.abandon_remote_attempt(attempt.attempt_id, NOW)
    store.record_attempt_outcome(
        attempt.attempt_id, OrderState.APPROVED, NOW, response_code="AS000"
    )
    assert store.order_state(order.number) is OrderState.APPROVED
    assert store.remote_attempt_state(attempt.attempt_id) == (OrderState.APPROVED, False)
    with pytest.raises(PaymentError):
        pay(store, order)  # never paid twice


def test_declined_attempt_leaves_the_order_payable(store: Store) -> None:
    order, attempt = registered(store)
    store.record_attempt_outcome(
        attempt.attempt_id, OrderState.DECLINED, NOW, response_code="AS102"
    )
    assert store.order_state(order.number) is OrderState.DECLINED
    pay(store, order)
    assert store.order_state(order.number) is OrderState.OFFLINE


def test_cash_is_not_a_remote_method(store: Store) -> None:
    with pytest.raises(ValueError, match="away from the counter"):
        store.begin_remote_payment(make_order(), PaymentMethod.CASH, NOW)


def test_the_journal_flags_and_filters_orders_to_refund(store: Store) -> None:
    from desktop_pos.services.journal import JournalFilter, find_order, journal_page

    order, attempt = registered(store)
    store.abandon_remote_attempt(attempt.attempt_id, NOW)
    pay(store, order)
    pay(store, make_order("R_other"))
    assert journal_page(store, JournalFilter(refund_only=True)).rows == ()
    store.record_attempt_outcome(attempt.attempt_id, OrderState.APPROVED, NOW)
    [flagged] = journal_page(store, JournalFilter(refund_only=True)).rows
    assert flagged.number == order.number and flagged.refund_flagged
    assert flagged.state is OrderState.OFFLINE  # still the cash sale's order
    rows = {row.number: row.refund_flagged for row in journal_page(store).rows}
    assert rows == {order.number: True, "R_other": False}
    found = find_order(store, order.number)
    assert found is not None and found.refund_flagged
