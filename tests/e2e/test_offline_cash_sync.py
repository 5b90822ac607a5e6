"""Offline cash sales reach the gateway: uploaded, fiscalized, exactly once, through faults.

The sandbox gateway runs as a real subprocess on loopback; the checkout and the sync worker use
the real clients over HTTP.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from desktop_pos.models.payment import FiscalState, OrderState
from desktop_pos.models.result import PaymentResult
from desktop_pos.services.checkout import CheckoutService
from desktop_pos.services.events import EventBus, SyncStatusChanged
from desktop_pos.services.gateway.client import AsyncGatewayClient
from desktop_pos.services.gateway.settings import GatewaySettings
from desktop_pos.services.payment_messages import CASH_NO_CONNECTION_INFO
from desktop_pos.services.store import Store
from desktop_pos.services.store_worker import StoreWorker
from tests.async_helpers import run_coroutine
from tests.e2e.conftest import WorkerFactory
from tests.e2e.garbage_gateway import GarbageGateway
from tests.e2e.sync_fixtures import (
    EventRecorder,
    cash_sale,
    fiscalized,
    make_order,
    wait_for,
)
from tests.sandbox_gateway import SandboxGatewayProcess

UPLOADED = "Заказ №{n} успешно передан на сервер. Дата и время проведения заказа обновлены"
FISCAL_SENT = "Фискальный документ для заказа №{n} передан в Ассист"


def pay_cash_at_counter(
    store: Store, events: EventBus, settings: GatewaySettings, number: str
) -> PaymentResult:
    """The checkout as the app runs it: duplicate check with the async client, then the sale."""

    async def sale() -> PaymentResult:
        store_worker = StoreWorker(store)
        try:
            async with AsyncGatewayClient(settings) as gateway:
                checkout = CheckoutService(
                    store_worker, events, lambda: datetime.now().astimezone(), gateway=gateway
                )
                return await checkout.pay_cash(make_order(number), Decimal("100"))
        finally:
            store_worker.shutdown()

    return run_coroutine(sale())


def test_cash_taken_while_the_gateway_is_down_is_fiscalized_once_it_is_back(
    sandbox_gateway: SandboxGatewayProcess,
    pos_store: Store,
    events: EventBus,
    recorder: EventRecorder,
    make_worker: WorkerFactory,
) -> None:
    settings = sandbox_gateway.settings(timeout_s=1.0)
    sandbox_gateway.stop()  # down; the port is kept for the restart
    worker = make_worker(settings)
    assert worker.wait_resync(10)
    wait_for(lambda: worker.is_online() is False, "the worker to see the gateway down")

    result = pay_cash_at_counter(pos_store, events, settings, "OFF-1")
    assert result.state is OrderState.OFFLINE
    assert result.info == CASH_NO_CONNECTION_INFO
    assert pos_store.order_state("OFF-1") is OrderState.OFFLINE
    worker.sync_now()
    wait_for(
        lambda: SyncStatusChanged(False, 1, worker.last_error()) in recorder.of(SyncStatusChanged),
        "the offline status with one pending sale",
    )
    assert pos_store.order_state("OFF-1") is OrderState.OFFLINE

    sandbox_gateway.start()
    worker.sync_now()
    wait_for(lambda: fiscalized(pos_store, "OFF-1"), "the sale to be fiscalized", timeout=10)

    [registration] = sandbox_gateway.registrations("OFF-1")
    details = pos_store.load_details("OFF-1")
    assert details is not None
    assert details.state is OrderState.APPROVED
    assert details.billnumber == registration["billnumber"]
    [attempt] = details.attempts
    assert registration["attempt_id"] == attempt.attempt_id
    assert (attempt.state, attempt.response_code) == (OrderState.APPROVED, "AS000")
    receipt = details.receipt_of(attempt.attempt_id)
    assert receipt is not None and receipt.fiscal_state is FiscalState.SUCCESS
    assert receipt.fn and receipt.fd and receipt.fp and receipt.qr_string
    assert f"s={attempt.amount}" in receipt.qr_string
    assert [entry.done_at is not None for entry in details.outbox] == [True]
    assert recorder.notifications("OFF-1") == [
        UPLOADED.format(n="OFF-1"),
        FISCAL_SENT.format(n="OFF-1"),
    ]
    wait_for(lambda: worker.pending_count() == 0, "nothing pending")
    assert recorder.of(SyncStatusChanged)[-1] == SyncStatusChanged(True, 0, None)


def test_a_reply_lost_after_commit_still_gives_exactly_one_sale(
    sandbox_gateway: SandboxGatewayProcess,
    pos_store: Store,
    recorder: EventRecorder,
    make_worker: WorkerFactory,
) -> None:
    sandbox_gateway.set_faults(
        cash_register={"lost_after_commit": 2}, fiscalize={"lost_after_commit": 1}
    )
    cash_sale(pos_store, "LOST-1")
    make_worker(sandbox_gateway.settings(timeout_s=2.0))
    wait_for(lambda: fiscalized(pos_store, "LOST-1"), "the sale to be fiscalized")
    registrations = sandbox_gateway.registrations("LOST-1")
    assert len(registrations) == 1
    details = pos_store.load_details("LOST-1")
    assert details is not None and details.billnumber == registrations[0]["billnumber"]
    assert details.outbox[0].attempts >= 3  # two lost replies, then the settled upload
    assert recorder.notifications("LOST-1")[-1] == FISCAL_SENT.format(n="LOST-1")


@pytest.mark.parametrize(
    "faults",
    [
        {"cash_register": {"http_500": 3}, "fiscalreceipt": {"http_500": 2}},
        {"cash_register": {"reset": 2}, "fiscalize": {"reset": 2}},
    ],
    ids=["http_500", "reset"],
)
def test_server_errors_and_resets_are_retried_until_the_sale_is_through(
    sandbox_gateway: SandboxGatewayProcess,
    pos_store: Store,
    make_worker: WorkerFactory,
    faults: dict[str, dict[str, int]],
) -> None:
    sandbox_gateway.set_faults(**faults)
    for number in ("RETRY-1", "RETRY-2"):
        cash_sale(pos_store, number)
    make_worker(sandbox_gateway.settings(timeout_s=2.0))
    for number in ("RETRY-1", "RETRY-2"):
        wait_for(lambda n=number: fiscalized(pos_store, n), f"{number} to be fiscalized")  # type: ignore[misc]
        assert len(sandbox_gateway.registrations(number)) == 1


def test_an_unreadable_reply_is_a_clear_error_and_the_sale_stays_pending(
    pos_store: Store, recorder: EventRecorder, make_worker: WorkerFactory
) -> None:
    cash_sale(pos_store, "BAD-1")
    with GarbageGateway() as garbage:
        settings = GatewaySettings(garbage.url, "600000", "sandbox_login", "sandbox_password")
        worker = make_worker(settings)
        wait_for(lambda: worker.last_error() is not None, "the error to be reported")
        wait_for(lambda: len(garbage.requests) >= 2, "a retry")
        worker.stop()
    error = worker.last_error()
    assert error is not None
    assert "Непонятный ответ сервера Ассист" in error.ru
    assert "/mpos/cash/register" in garbage.requests[0]
    details = pos_store.load_details("BAD-1")
    assert details is not None
    assert details.state is OrderState.OFFLINE
    [entry] = details.outbox
    assert entry.done_at is None
    assert entry.last_error is not None and "Unreadable reply" in entry.last_error
    assert recorder.of(SyncStatusChanged)[-1].last_error == error
