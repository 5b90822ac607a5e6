"""SBP and SoftPOS payments against the sandbox gateway running as a real subprocess."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import pytest

from desktop_pos.models.errors import PaymentError
from desktop_pos.models.order import Order, OrderItem
from desktop_pos.models.payment import OrderState, PaymentMethod
from desktop_pos.services.checkout import CheckoutService
from desktop_pos.services.events import EventBus, SyncNotification
from desktop_pos.services.gateway.client import AsyncGatewayClient
from desktop_pos.services.gateway.mpos_operations import NSPK_LINK, SOFTPOS_DEEP_LINK
from desktop_pos.services.remote_payment import (
    PollSchedule,
    PollUpdate,
    RemotePaymentService,
)
from desktop_pos.services.store import Store
from desktop_pos.services.store_worker import StoreWorker
from tests.async_helpers import run_coroutine
from tests.sandbox_gateway import FAST_DELAYS, SandboxGatewayProcess

T = TypeVar("T")
FAST = PollSchedule(first_s=0.05, factor=1.5, max_s=0.2, jitter=0)


@pytest.fixture
def gateway(tmp_path: Path) -> Iterator[SandboxGatewayProcess]:
    with SandboxGatewayProcess(tmp_path / "gateway.sqlite3", extra_args=FAST_DELAYS) as process:
        yield process


@pytest.fixture
def pos_store(tmp_path: Path) -> Iterator[Store]:
    store = Store.open(f"sqlite:///{tmp_path / 'pos.sqlite3'}")
    yield store
    store.close()


def make_order(number: str, total: Decimal) -> Order:
    return Order(
        number=number, created_at=_now(), items=(OrderItem("Фотоаппарат", Decimal(1), total),)
    )


def _now() -> datetime:
    return datetime.now().astimezone()


def run_remote(
    store: Store,
    sandbox: SandboxGatewayProcess,
    action: Callable[[RemotePaymentService, CheckoutService], Awaitable[T]],
    events: EventBus | None = None,
) -> T:
    async def main() -> T:
        worker = StoreWorker(store)
        bus = events or EventBus()
        try:
            async with AsyncGatewayClient(sandbox.settings()) as client:
                checkout = CheckoutService(worker, bus, _now, gateway=client)
                service = RemotePaymentService(checkout, bus, _now, gateway=client, schedule=FAST)
                return await action(service, checkout)
        finally:
            worker.shutdown()

    return run_coroutine(main())


def test_delays_grow_to_the_cap() -> None:
    schedule = PollSchedule(first_s=2, factor=1.5, max_s=10, jitter=0)
    assert [schedule.delay(n) for n in range(6)] == [2, 3, 4.5, 6.75, 10, 10]


@pytest.mark.parametrize("method", [PaymentMethod.SBP, PaymentMethod.SOFTPOS])
def test_buyer_pays_and_the_watch_ends_approved(
    pos_store: Store, gateway: SandboxGatewayProcess, method: PaymentMethod
) -> None:
    order = make_order("R_paid_" + method.value, Decimal("120.00"))
    updates: list[PollUpdate] = []

    async def flow(service: RemotePaymentService, _checkout: CheckoutService) -> PollUpdate:
        payment = await service.start(order, method)
        pattern = NSPK_LINK if method is PaymentMethod.SBP else SOFTPOS_DEEP_LINK
        assert pattern.fullmatch(payment.qr_payload)
        watching = asyncio.ensure_future(service.watch(payment, updates.append))
        await asyncio.sleep(0.2)
        assert not watching.done()
        pay = gateway.buyer_pays if method is PaymentMethod.SBP else gateway.softpos_phone_pays
        await asyncio.to_thread(pay, payment.billnumber)
        return await asyncio.wait_for(watching, 10)

    final = run_remote(pos_store, gateway, flow)
    assert final.state is OrderState.APPROVED and not final.refund_flagged
    assert updates[0].state is OrderState.IN_PROCESS and updates[0].next_poll_s > 0
    assert pos_store.order_state(order.number) is OrderState.APPROVED


def test_declined_gives_the_reason(pos_store: Store, gateway: SandboxGatewayProcess) -> None:
    order = make_order("R_declined", Decimal("100.51"))

    async def flow(service: RemotePaymentService, _checkout: CheckoutService) -> PollUpdate:
        payment = await service.start(order, PaymentMethod.SBP)
        await asyncio.to_thread(gateway.buyer_pays, payment.billnumber)
        return await asyncio.wait_for(service.watch(payment, lambda _u: None), 10)

    final = run_remote(pos_store, gateway, flow)
    assert final.state is OrderState.DECLINED and final.reason is not None
    assert "AS102" not in final.reason.ru and final.reason.ru


def test_network_loss_is_reported_and_polling_resumes(
    pos_store: Store, gateway: SandboxGatewayProcess
) -> None:
    order = make_order("R_network", Decimal("100.00"))
    updates: list[PollUpdate] = []

    async def flow(service: RemotePaymentService, _checkout: CheckoutService) -> PollUpdate:
        payment = await service.start(order, PaymentMethod.SBP)
        await asyncio.to_thread(gateway.set_faults, down=True)
        watching = asyncio.ensure_future(service.watch(payment, updates.append))
        while not any(update.network_lost for update in updates):
            await asyncio.sleep(0.02)
        await asyncio.to_thread(gateway.clear_faults)
        await asyncio.to_thread(gateway.buyer_pays, payment.billnumber)
        return await asyncio.wait_for(watching, 10)

    final = run_remote(pos_store, gateway, flow)
    assert final.state is OrderState.APPROVED
    assert any(update.network_lost for update in updates)


def test_switch_to_cash_then_late_approval_is_flagged(
    pos_store: Store, gateway: SandboxGatewayProcess
) -> None:
    order = make_order("R_switch", Decimal("100.00"))
    events = EventBus()
    notifications: list[SyncNotification] = []
    events.subscribe(SyncNotification, notifications.append)

    async def flow(service: RemotePaymentService, checkout: CheckoutService) -> Any:
        payment = await service.start(order, PaymentMethod.SBP)
        with pytest.raises(PaymentError):  # In Process: no second payment
            await checkout.pay_cash(order, Decimal("100.00"))
        await service.abandon(payment)
        cash = await checkout.pay_cash(order, Decimal("100.00"))
        await asyncio.to_thread(gateway.buyer_pays, payment.billnumber)
        late = await service.poll_once(payment)
        return cash, late

    cash, late = run_remote(pos_store, gateway, flow, events)
    assert late.state is OrderState.APPROVED and late.refund_flagged
    assert pos_store.order_state(order.number) is OrderState.OFFLINE
    result = pos_store.load_result(order.number)
    assert result is not None and result.transaction_number == cash.transaction_number
    [flagged] = pos_store.late_approvals()
    assert flagged.order_number == order.number
    assert any("возврат" in note.text.ru for note in notifications)


def test_a_paid_order_is_not_registered_again(
    pos_store: Store, gateway: SandboxGatewayProcess
) -> None:
    order = make_order("R_twice", Decimal("100.00"))

    async def flow(service: RemotePaymentService, checkout: CheckoutService) -> None:
        await checkout.pay_cash(order, Decimal("100.00"))
        with pytest.raises(PaymentError):
            await service.start(order, PaymentMethod.SBP)

    run_remote(pos_store, gateway, flow)
    assert [r["method"] for r in gateway.registrations(order.number)] in ([], ["cash"])
