"""The start-up resync: orders of the last 3 days in Offline or In Process are settled before
the first sale; older ones are left to the ordinary outbox (cash) or alone (In Process)."""

from __future__ import annotations

import time
from datetime import datetime
from decimal import Decimal

from desktop_pos.models.payment import OrderState
from desktop_pos.services.checkout import CheckoutService
from desktop_pos.services.events import EventBus
from desktop_pos.services.store import Store
from desktop_pos.services.store_records import STEP_REGISTER_SENT
from desktop_pos.services.store_worker import StoreWorker
from desktop_pos.services.sync_worker import SyncWorker
from tests.async_helpers import run_coroutine
from tests.e2e.conftest import WorkerFactory
from tests.e2e.sync_fixtures import (
    EventRecorder,
    cash_sale,
    days_ago,
    fiscalized,
    make_order,
    register_sbp_payment,
    wait_for,
)
from tests.sandbox_gateway import SandboxGatewayProcess

STATE_CHANGED = 'Статус заказа №{n} изменился на "{state}"'
UPLOADED = "Заказ №{n} успешно передан на сервер. Дата и время проведения заказа обновлены"


def test_resync_settles_the_last_3_days_and_leaves_older_orders_alone(
    sandbox_gateway: SandboxGatewayProcess,
    pos_store: Store,
    recorder: EventRecorder,
    make_worker: WorkerFactory,
) -> None:
    settings = sandbox_gateway.settings()
    _, paid_bill = register_sbp_payment(settings, pos_store, "SBP-NEW", created_at=days_ago(1))
    _, old_bill = register_sbp_payment(settings, pos_store, "SBP-OLD", created_at=days_ago(3.2))
    register_sbp_payment(settings, pos_store, "SBP-WAITING", created_at=days_ago(0.5))
    sandbox_gateway.buyer_pays(paid_bill)
    sandbox_gateway.buyer_pays(old_bill)
    cash_sale(pos_store, "CASH-NEW", created_at=days_ago(2))
    cash_sale(pos_store, "CASH-OLD", created_at=days_ago(5))

    uploads: list[tuple[str, bool]] = []
    holder: list[SyncWorker] = []

    def checkpoint(name: str) -> None:
        if name != "before_register_sent":
            return
        for number in ("CASH-NEW", "CASH-OLD"):
            details = pos_store.load_details(number)
            assert details is not None
            if details.outbox[0].step == STEP_REGISTER_SENT:
                uploads.append((number, holder[0].resync_done.is_set()))

    worker = make_worker(settings, start=False, checkpoint=checkpoint)
    holder.append(worker)
    worker.start()
    assert worker.wait_resync(10)

    assert pos_store.order_state("SBP-NEW") is OrderState.APPROVED
    assert pos_store.order_state("CASH-NEW") is OrderState.APPROVED
    assert pos_store.order_state("SBP-WAITING") is OrderState.IN_PROCESS
    assert recorder.notifications("SBP-NEW") == [
        STATE_CHANGED.format(n="SBP-NEW", state="Approved")
    ]
    assert recorder.notifications("CASH-NEW")[0] == UPLOADED.format(n="CASH-NEW")

    # The older cash sale is uploaded by the ordinary outbox pass after the resync, the older
    # In Process payment is never asked about.
    wait_for(lambda: fiscalized(pos_store, "CASH-OLD"), "the older cash sale to be uploaded")
    wait_for(lambda: fiscalized(pos_store, "CASH-NEW"), "the newer cash sale to be fiscalized")
    assert uploads == [("CASH-NEW", False), ("CASH-OLD", True)]
    time.sleep(0.5)  # a few more polling passes
    assert pos_store.order_state("SBP-OLD") is OrderState.IN_PROCESS
    assert recorder.notifications("SBP-OLD") == []
    details = pos_store.load_details("SBP-OLD")
    assert details is not None and details.attempts[0].response_code is None
    assert worker.pending_count() == 1  # SBP-WAITING, still In Process at the gateway


def test_the_first_sale_waits_for_the_resync(
    sandbox_gateway: SandboxGatewayProcess,
    pos_store: Store,
    events: EventBus,
    recorder: EventRecorder,
    make_worker: WorkerFactory,
) -> None:
    settings = sandbox_gateway.settings()
    _, bill = register_sbp_payment(settings, pos_store, "SBP-SLOW", created_at=days_ago(0.1))
    sandbox_gateway.buyer_pays(bill)
    sandbox_gateway.set_faults(orderstate={"latency_ms": 700})
    worker = make_worker(settings)

    async def first_sale() -> float:
        store_worker = StoreWorker(pos_store)
        try:
            checkout = CheckoutService(
                store_worker,
                events,
                lambda: datetime.now().astimezone(),
                resync_done=worker.resync_done,
                resync_wait_s=10,
            )
            assert checkout.waiting_for_resync
            started = time.monotonic()
            await checkout.pay_cash(make_order("FIRST-SALE"), Decimal("50"))
            assert not checkout.waiting_for_resync
            return time.monotonic() - started
        finally:
            store_worker.shutdown()

    waited = run_coroutine(first_sale())
    assert worker.resync_done.is_set()
    assert waited >= 0.5
    assert recorder.notifications("SBP-SLOW") == [
        STATE_CHANGED.format(n="SBP-SLOW", state="Approved")
    ]


def test_with_the_gateway_down_the_resync_ends_at_once_and_nothing_changes(
    sandbox_gateway: SandboxGatewayProcess, pos_store: Store, make_worker: WorkerFactory
) -> None:
    settings = sandbox_gateway.settings(timeout_s=1.0)
    register_sbp_payment(settings, pos_store, "SBP-DOWN", created_at=days_ago(0.2))
    cash_sale(pos_store, "CASH-DOWN")
    sandbox_gateway.stop()
    started = time.monotonic()
    worker = make_worker(settings)
    assert worker.wait_resync(5)
    assert time.monotonic() - started < 3
    assert worker.is_online() is False
    assert pos_store.order_state("SBP-DOWN") is OrderState.IN_PROCESS
    assert pos_store.order_state("CASH-DOWN") is OrderState.OFFLINE
    wait_for(lambda: worker.pending_count() == 2, "two pending items")
