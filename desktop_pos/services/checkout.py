"""Checkout: taking the payment for an order. Cash in this release; card, SBP and SoftPOS follow.

A cash sale is validated, then stored in one transaction (order, items, payment attempt in state
``Offline``, a receipt awaiting fiscal data, and an outbox entry for the upload to the gateway)
before the caller gets the result, so the result screen never shows a sale that is not stored.

Duplicate protection: with a gateway client, every payment first asks the gateway about the order
number (``order_state``). Approved there → «Заказ № … уже оплачен», In Process → «Платеж по
заказу № … еще обрабатывается», and nothing is taken. If the gateway cannot be reached, cash is
still taken offline (the sync worker uploads it later) and the result says so. Before the start-up
resync has finished (``resync_done``) a payment waits for it, at most ``resync_wait_s``.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from desktop_pos.models.errors import PaymentError
from desktop_pos.models.money import change_due, format_amount, to_money
from desktop_pos.models.order import Order
from desktop_pos.models.payment import OrderState
from desktop_pos.models.result import PaymentResult
from desktop_pos.models.texts import LocalizedText
from desktop_pos.services.events import EventBus, SaleCompleted
from desktop_pos.services.payment_messages import (
    CASH_NO_CONNECTION_INFO,
    CASH_NOT_CHECKED_INFO,
    CASH_ONLINE_INFO,
    payment_refused,
)
from desktop_pos.services.store_worker import StoreWorker

if TYPE_CHECKING:  # httpx is imported with the client, when the app builds one
    from desktop_pos.services.gateway.client import AsyncGatewayClient

log = logging.getLogger(__name__)

DUPLICATE_CHECK_LOOKBACK = timedelta(days=3)
"""How far back the gateway is asked about an order number (Assist's orderstate default)."""
_RESYNC_POLL_S = 0.05


class GatewayCheck(StrEnum):
    """What the gateway said about an order number before a payment."""

    CLEAR = "clear"
    """No payment there that blocks a new one."""
    UNREACHABLE = "unreachable"
    UNCHECKED = "unchecked"
    """The gateway answered with an error or an unreadable reply."""


class CheckoutService:
    def __init__(
        self,
        store: StoreWorker,
        events: EventBus,
        clock: Callable[[], datetime],
        *,
        source: str = "manual",
        gateway: AsyncGatewayClient | None = None,
        resync_done: threading.Event | None = None,
        resync_wait_s: float = 5.0,
        duplicate_check_timeout_s: float = 5.0,
    ) -> None:
        """``gateway``: ask it about the order number before every payment (None: offline only,
        as before). ``resync_done``: the sync worker's start-up resync event; payments wait for
        it, at most ``resync_wait_s`` seconds in all."""
        self._source = source
        self._store = store
        self._events = events
        self._clock = clock
        self._gateway = gateway
        self._resync_done = resync_done
        self._resync_wait_s = resync_wait_s
        self._duplicate_check_timeout_s = duplicate_check_timeout_s
        self._resync_waited = False

    @property
    def waiting_for_resync(self) -> bool:
        """True while a payment would still wait for the start-up resync (for a busy hint)."""
        return (
            self._resync_done is not None
            and not self._resync_done.is_set()
            and not self._resync_waited
        )

    async def wait_for_resync(self) -> None:
        """Wait (without blocking the loop) for the start-up resync, at most ``resync_wait_s``
        seconds over the life of the service; later payments do not wait again."""
        event = self._resync_done
        if event is None or self._resync_waited:
            return
        import asyncio  # here, not at import time: the app loads asyncio after its first frame

        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._resync_wait_s
        while not event.is_set() and loop.time() < deadline:
            await asyncio.sleep(_RESYNC_POLL_S)
        if not event.is_set():
            log.warning("payment taken before the start-up resync finished")
        self._resync_waited = True

    async def check_gateway(self, number: str) -> tuple[GatewayCheck, LocalizedText | None]:
        """Ask the gateway about ``number`` before a payment.

        Raises ``PaymentError`` if the gateway has the order Approved (or partly canceled) or In
        Process. Otherwise returns (``GatewayCheck`` value, the reason it could not be checked).
        An SBP/SoftPOS attempt the cashier left for another method is not counted: its late
        approval is flagged for refund (``store_remote``).
        """
        if self._gateway is None:
            return GatewayCheck.UNREACHABLE, None
        abandoned = await self._store.call(lambda store: store.abandoned_billnumbers(number))
        import asyncio

        from desktop_pos.services.gateway.errors import GatewayError, GatewayUnavailable

        since = self._clock() - DUPLICATE_CHECK_LOOKBACK
        try:
            operations = await asyncio.wait_for(
                self._gateway.order_state(number, since=since), self._duplicate_check_timeout_s
            )
        except TimeoutError:
            log.warning("order %s: the gateway did not answer the duplicate check in time", number)
            return GatewayCheck.UNREACHABLE, None
        except GatewayUnavailable as exc:
            log.warning("order %s: duplicate check impossible: %s", number, exc.detail)
            return GatewayCheck.UNREACHABLE, exc.text
        except GatewayError as exc:
            log.warning("order %s: duplicate check failed: %s", number, exc)
            return GatewayCheck.UNCHECKED, exc.text
        states = {
            operation.state for operation in operations if operation.billnumber not in abandoned
        }
        for blocking in (OrderState.APPROVED, OrderState.PARTIAL_CANCELED, OrderState.IN_PROCESS):
            if blocking in states:
                log.info("order %s: the gateway has it %s; payment refused", number, blocking)
                raise payment_refused(number, blocking)
        return GatewayCheck.CLEAR, None

    def attach_gateway(
        self, gateway: AsyncGatewayClient, resync_done: threading.Event | None = None
    ) -> None:
        """Start asking ``gateway`` before payments (the app links it once its window is up)."""
        self._gateway = gateway
        self._resync_done = resync_done

    @property
    def gateway(self) -> AsyncGatewayClient | None:
        """The gateway client, once the app has linked it (None: offline only)."""
        return self._gateway

    @property
    def source(self) -> str:
        """Where the orders come from (``manual``, ``demo``)."""
        return self._source

    @property
    def clock(self) -> Callable[[], datetime]:
        return self._clock

    @property
    def store(self) -> StoreWorker:
        """The store the sales go to (read results back through it)."""
        return self._store

    async def pay_cash(self, order: Order, received: Decimal) -> PaymentResult:
        """Store a cash sale of ``order`` with ``received`` roubles tendered; return its result."""
        order.validate_for_payment()
        received = to_money(received)
        if received < order.due:
            raise PaymentError(
                LocalizedText(
                    "Получено {received} руб., это меньше суммы к оплате {due} руб.",
                    "Received {received} RUB is less than the {due} RUB due.",
                ).format(received=format_amount(received), due=format_amount(order.due)),
                field="received",
            )
        change = change_due(received, order.due)
        await self.wait_for_resync()
        check, reason = await self.check_gateway(order.number)
        paid_at = self._clock()
        result = await self._store.call(
            lambda store: store.record_cash_sale(
                order, received, change, paid_at, source=self._source
            )
        )
        if self._gateway is not None and check == GatewayCheck.CLEAR:
            result = dataclasses.replace(result, info=CASH_ONLINE_INFO)
        elif self._gateway is not None and check == GatewayCheck.UNREACHABLE:
            result = dataclasses.replace(result, info=CASH_NO_CONNECTION_INFO)
        elif check == GatewayCheck.UNCHECKED and reason is not None:
            info = LocalizedText(
                CASH_NOT_CHECKED_INFO.ru.format(reason=reason.ru.rstrip(".")),
                CASH_NOT_CHECKED_INFO.en.format(reason=reason.en.rstrip(".")),
            )
            result = dataclasses.replace(result, info=info)
        log.info(
            "cash sale stored: order %s, due %s, received %s, change %s, transaction %s",
            order.number,
            format_amount(order.due),
            format_amount(received),
            format_amount(change),
            result.transaction_number,
        )
        self._events.publish(SaleCompleted(result))
        return result
