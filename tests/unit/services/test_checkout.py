"""Checkout's duplicate protection against the sandbox gateway (a real subprocess on loopback):
«уже оплачен», «еще обрабатывается», offline cash when the gateway is down, and the wait for the
start-up resync."""

from __future__ import annotations

import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

import pytest

from desktop_pos.models.errors import PaymentError
from desktop_pos.models.payment import OrderState
from desktop_pos.models.result import PaymentResult
from desktop_pos.services.checkout import CheckoutService
from desktop_pos.services.events import EventBus, SaleCompleted
from desktop_pos.services.gateway.client import AsyncGatewayClient
from desktop_pos.services.gateway.settings import GatewaySettings
from desktop_pos.services.payment_messages import (
    CASH_NO_CONNECTION_INFO,
    CASH_OFFLINE_INFO,
    CASH_ONLINE_INFO,
)
from desktop_pos.services.store import Store
from desktop_pos.services.store_worker import StoreWorker
from tests.async_helpers import run_coroutine
from tests.e2e.garbage_gateway import GarbageGateway
from tests.e2e.sync_fixtures import make_order, register_sbp_payment
from tests.sandbox_gateway import FAST_DELAYS, SandboxGatewayProcess

T = TypeVar("T")


@pytest.fixture
def gateway(tmp_path: Path) -> Iterator[SandboxGatewayProcess]:
    """The sandbox gateway as a real subprocess with short delays."""
    with SandboxGatewayProcess(tmp_path / "gateway.sqlite3", extra_args=FAST_DELAYS) as process:
        yield process


@pytest.fixture
def pos_store(tmp_path: Path) -> Iterator[Store]:
    store = Store.open(f"sqlite:///{tmp_path / 'pos.sqlite3'}")
    yield store
    store.close()


def run_checkout(
    store: Store,
    settings: GatewaySettings | None,
    action: Callable[[CheckoutService], Awaitable[T]],
    **options: object,
) -> T:
    """Run ``action`` with a checkout over ``store`` (and a gateway client if ``settings``)."""

    async def main() -> T:
        worker = StoreWorker(store)
        try:
            if settings is None:
                checkout = CheckoutService(worker, EventBus(), _now, **options)  # type: ignore[arg-type]
                return await action(checkout)
            async with AsyncGatewayClient(settings) as gateway:
                checkout = CheckoutService(
                    worker,
                    EventBus(),
                    _now,
                    gateway=gateway,
                    **options,  # type: ignore[arg-type]
                )
                return await action(checkout)
        finally:
            worker.shutdown()

    return run_coroutine(main())


def _now() -> datetime:
    return datetime.now().astimezone()


def pay(number: str) -> Callable[[CheckoutService], Awaitable[PaymentResult]]:
    return lambda checkout: checkout.pay_cash(make_order(number), Decimal("100"))


def test_a_payment_still_in_process_at_the_gateway_is_refused(
    gateway: SandboxGatewayProcess, tmp_path: Path, pos_store: Store
) -> None:
    other_till = Store.open(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    try:
        _, bill = register_sbp_payment(gateway.settings(), other_till, "DUP-1")
    finally:
        other_till.close()
    settings = gateway.settings()
    with pytest.raises(PaymentError) as refused:
        run_checkout(pos_store, settings, pay("DUP-1"))
    assert refused.value.text.ru == (
        "Платеж по заказу № DUP-1 еще обрабатывается. Дождитесь его результата, "
        "прежде чем принимать оплату снова."
    )
    assert pos_store.load_order("DUP-1") is None

    gateway.buyer_pays(bill)
    with pytest.raises(PaymentError) as refused:
        run_checkout(pos_store, settings, pay("DUP-1"))
    assert refused.value.text.ru == "Заказ № DUP-1 уже оплачен. Повторная оплата не требуется."
    assert (
        refused.value.text.en == "Order DUP-1 has already been paid; no second payment is needed."
    )
    assert pos_store.load_order("DUP-1") is None


def test_an_order_unknown_to_the_gateway_is_paid_and_queued(
    gateway: SandboxGatewayProcess, pos_store: Store
) -> None:
    sales: list[SaleCompleted] = []

    async def pay_and_listen(checkout: CheckoutService) -> PaymentResult:
        checkout._events.subscribe(SaleCompleted, sales.append)
        return await checkout.pay_cash(make_order("NEW-1"), Decimal("30"))

    result = run_checkout(pos_store, gateway.settings(), pay_and_listen)
    assert (result.state, result.info, result.change) == (
        OrderState.OFFLINE,
        CASH_ONLINE_INFO,
        Decimal("0.52"),
    )
    assert [sale.result for sale in sales] == [result]
    assert [entry.order_number for entry in pos_store.pending_outbox(10)] == ["NEW-1"]


def test_cash_is_taken_offline_when_the_gateway_is_down(
    gateway: SandboxGatewayProcess, pos_store: Store
) -> None:
    settings = gateway.settings(timeout_s=1.0)
    gateway.stop()
    result = run_checkout(pos_store, settings, pay("DOWN-1"))
    assert result.state is OrderState.OFFLINE
    assert result.info == CASH_NO_CONNECTION_INFO
    assert "Нет связи с сервером Ассист" in result.info.ru
    assert pos_store.order_state("DOWN-1") is OrderState.OFFLINE


def test_an_unreadable_reply_does_not_stop_a_cash_sale(pos_store: Store) -> None:
    with GarbageGateway() as garbage:
        settings = GatewaySettings(garbage.url, "600000", "sandbox_login", "sandbox_password")
        result = run_checkout(pos_store, settings, pay("GARBAGE-1"))
    assert result.state is OrderState.OFFLINE
    assert result.info is not None
    assert "не подтвердил статус заказа" in result.info.ru
    assert "Непонятный ответ сервера Ассист (orderstate" in result.info.ru
    assert pos_store.order_state("GARBAGE-1") is OrderState.OFFLINE


def test_without_a_gateway_cash_is_taken_as_before(pos_store: Store) -> None:
    result = run_checkout(pos_store, None, pay("LOCAL-1"))
    assert (result.state, result.info) == (OrderState.OFFLINE, CASH_OFFLINE_INFO)


def test_payments_wait_for_the_resync_at_most_the_limit_once(pos_store: Store) -> None:
    never_done = threading.Event()

    async def two_sales(checkout: CheckoutService) -> tuple[float, float]:
        assert checkout.waiting_for_resync
        started = time.monotonic()
        await checkout.pay_cash(make_order("WAIT-1"), Decimal("50"))
        first = time.monotonic() - started
        started = time.monotonic()
        await checkout.pay_cash(make_order("WAIT-2"), Decimal("50"))
        return first, time.monotonic() - started

    first, second = run_checkout(
        pos_store, None, two_sales, resync_done=never_done, resync_wait_s=0.4
    )
    assert 0.35 <= first < 2.0
    assert second < 0.35


def test_a_finished_resync_does_not_delay_a_payment(pos_store: Store) -> None:
    done = threading.Event()
    done.set()

    async def sale(checkout: CheckoutService) -> float:
        assert not checkout.waiting_for_resync
        started = time.monotonic()
        await checkout.pay_cash(make_order("NOWAIT-1"), Decimal("50"))
        return time.monotonic() - started

    assert run_checkout(pos_store, None, sale, resync_done=done, resync_wait_s=5) < 1.0
