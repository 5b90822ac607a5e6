"""Checkout: taking the payment for an order. Cash in this release; card, SBP and SoftPOS follow.

A cash sale is validated, then stored in one transaction (order, items, payment attempt in state
``Offline``, a receipt awaiting fiscal data, and an outbox entry for the upload to the gateway)
before the caller gets the result, so the result screen never shows a sale that is not stored.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

from desktop_pos.models.errors import PaymentError
from desktop_pos.models.money import change_due, format_amount, to_money
from desktop_pos.models.order import Order
from desktop_pos.models.result import PaymentResult
from desktop_pos.models.texts import LocalizedText
from desktop_pos.services.events import EventBus, SaleCompleted
from desktop_pos.services.store_worker import StoreWorker

log = logging.getLogger(__name__)


class CheckoutService:
    def __init__(
        self,
        store: StoreWorker,
        events: EventBus,
        clock: Callable[[], datetime],
        *,
        source: str = "manual",
    ) -> None:
        self._source = source
        self._store = store
        self._events = events
        self._clock = clock

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
        paid_at = self._clock()
        result = await self._store.call(
            lambda store: store.record_cash_sale(
                order, received, change, paid_at, source=self._source
            )
        )
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
