from __future__ import annotations

import threading
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from desktop_pos.models.payment import OrderState, PaymentMethod
from desktop_pos.models.result import PaymentResult
from desktop_pos.services.events import EventBus, SaleCompleted


def _result() -> PaymentResult:
    return PaymentResult(
        order_number="A-1",
        method=PaymentMethod.CASH,
        state=OrderState.OFFLINE,
        total=Decimal("8.08"),
        prepaid=Decimal("0.00"),
        amount=Decimal("8.08"),
        order_date=datetime(2020, 9, 14, 15, 58, 23, tzinfo=UTC),
        transaction_number="5635459247716286",
    )


def test_subscribers_get_their_event_type_only() -> None:
    bus = EventBus()
    got: list[object] = []
    bus.subscribe(SaleCompleted, got.append)
    bus.subscribe(str, lambda _: pytest.fail("wrong type delivered"))
    event = SaleCompleted(_result())
    bus.publish(event)
    assert got == [event]


def test_unsubscribe_and_publishing_from_another_thread() -> None:
    bus = EventBus()
    got: list[tuple[str, object]] = []
    unsubscribe = bus.subscribe(
        SaleCompleted, lambda e: got.append((threading.current_thread().name, e))
    )
    thread = threading.Thread(target=bus.publish, args=(SaleCompleted(_result()),), name="worker")
    thread.start()
    thread.join()
    assert [name for name, _ in got] == ["worker"]
    unsubscribe()
    bus.publish(SaleCompleted(_result()))
    assert len(got) == 1


@pytest.mark.expect_log_errors
def test_a_failing_subscriber_does_not_stop_the_others(caplog: pytest.LogCaptureFixture) -> None:
    bus = EventBus()
    got: list[object] = []

    def broken(_: object) -> None:
        raise RuntimeError("boom")

    bus.subscribe(SaleCompleted, broken)
    bus.subscribe(SaleCompleted, got.append)
    bus.publish(SaleCompleted(_result()))
    assert len(got) == 1
    assert "subscriber failed" in caplog.text
