"""SBP and SoftPOS payments: registration, status polling with backoff, method switch.

Both are paid away from the counter: the gateway registers the payment (the order number and
a fresh attempt id are the idempotency key) and hands back what the QR code shows (an NSPK
link for SBP, a deep link for the cashier's SoftPOS phone, docs/gateway-api.md); the buyer pays
and the till learns the outcome by asking ``orderstate`` (``watch``).

Every step is stored before the next external one (``store_remote``): the attempt before the
registration, the billnumber and QR before the QR is shown, the outcome before the result
screen. The cashier may choose another method while the payment stays In Process (``abandon``);
the sync worker keeps asking about that attempt, and a late approval after another method paid
the order is flagged for refund and announced, never counted as a second payment.

Runs on the GUI thread's event loop (awaited httpx calls); the store calls go through
``StoreWorker``.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from desktop_pos.models.errors import PaymentError
from desktop_pos.models.order import Order
from desktop_pos.models.payment import FiscalState, OrderState, PaymentMethod
from desktop_pos.models.response_codes import lookup_response_code
from desktop_pos.models.result import PaymentResult
from desktop_pos.models.texts import LocalizedText
from desktop_pos.services.events import (
    EventBus,
    OrderStateChanged,
    SaleCompleted,
    notification_late_approval,
)
from desktop_pos.services.gateway.errors import (
    UNAVAILABLE_TEXT,
    GatewayError,
    GatewayUnavailable,
)
from desktop_pos.services.store_remote import RemoteAttempt
from desktop_pos.services.store_worker import StoreWorker

if TYPE_CHECKING:
    from desktop_pos.services.checkout import CheckoutService
    from desktop_pos.services.gateway.client import AsyncGatewayClient

log = logging.getLogger(__name__)

ORDER_STATE_LOOKBACK = timedelta(days=3)
NETWORK_LOST = UNAVAILABLE_TEXT
"""Shown while the gateway cannot be reached; the polling goes on by itself."""
NO_GATEWAY = LocalizedText(
    "Оплата через СБП и SoftPOS требует связи с сервером Ассист: сервер не настроен.",
    "SBP and SoftPOS payments need the Assist server: no server is configured.",
)


@dataclass(frozen=True, slots=True)
class PollSchedule:
    """How often the result screen asks about a payment: ``first_s``, then longer by ``factor``
    up to ``max_s`` while the answer stays the same; after a failure the same growth from the
    start (with ±``jitter`` so that several tills do not ask in step)."""

    first_s: float = 2.0
    factor: float = 1.5
    max_s: float = 10.0
    jitter: float = 0.1

    def delay(self, unchanged_polls: int, rng: random.Random | None = None) -> float:
        base = min(self.max_s, self.first_s * self.factor ** max(0, unchanged_polls))
        if rng is None or self.jitter <= 0:
            return base
        return base * (1 + rng.uniform(-self.jitter, self.jitter))


@dataclass(frozen=True, slots=True)
class RemotePayment:
    """A registered SBP or SoftPOS payment: what the QR screen and the result screen show."""

    attempt: RemoteAttempt
    billnumber: str
    qr_payload: str

    @property
    def order_number(self) -> str:
        return self.attempt.order_number

    @property
    def method(self) -> PaymentMethod:
        return self.attempt.method


@dataclass(frozen=True, slots=True)
class PollUpdate:
    """One answer of the polling: the state, or that the gateway is unreachable now."""

    state: OrderState
    response_code: str | None = None
    network_lost: bool = False
    refund_flagged: bool = False
    """The payment was approved after the order had been paid another way."""
    next_poll_s: float = 0.0

    @property
    def reason(self) -> LocalizedText | None:
        """Why a Declined or Timeout payment failed (the response code's text)."""
        if self.state in (OrderState.DECLINED, OrderState.TIMEOUT) and self.response_code:
            return lookup_response_code(self.response_code).text
        return None


class RemotePaymentService:
    def __init__(
        self,
        checkout: CheckoutService,
        events: EventBus,
        clock: Callable[[], datetime],
        *,
        gateway: AsyncGatewayClient | None = None,
        schedule: PollSchedule | None = None,
        source: str = "manual",
    ) -> None:
        self._checkout = checkout
        self._events = events
        self._clock = clock
        self._gateway = gateway
        self.schedule = schedule or PollSchedule()
        self._source = source
        self._random = random.Random()

    @property
    def store(self) -> StoreWorker:
        return self._checkout.store

    def _require_gateway(self) -> AsyncGatewayClient:
        gateway = self._gateway or self._checkout.gateway
        if gateway is None:
            raise PaymentError(NO_GATEWAY)
        return gateway

    async def start(self, order: Order, method: PaymentMethod) -> RemotePayment:
        """Register an SBP or SoftPOS payment of ``order`` and return what its QR shows.

        Raises ``PaymentError`` when the order is paid or its payment is in process (locally or
        at the gateway), and ``GatewayError`` (``GatewayUnavailable``: «Нет связи…») when the
        gateway does not register it; the cashier may try again or choose another method.
        """
        gateway = self._require_gateway()
        order.validate_for_payment()
        await self._checkout.wait_for_resync()
        await self._checkout.check_gateway(order.number)  # raises for a paid order
        now = self._clock()
        attempt = await self.store.call(
            lambda store: store.begin_remote_payment(order, method, now, source=self._source)
        )
        try:
            if method is PaymentMethod.SBP:
                sbp = await gateway.register_sbp(
                    order.number, attempt.attempt_id, order.due, email=order.email
                )
                billnumber, state, payload = sbp.billnumber, sbp.state, sbp.qr_payload
            else:
                softpos = await gateway.register_softpos(
                    order.number, attempt.attempt_id, order.due, email=order.email
                )
                billnumber, state, payload = softpos.billnumber, softpos.state, softpos.deep_link
        except GatewayError as exc:
            log.warning("order %s: %s registration failed: %s", order.number, method.value, exc)
            await self.store.call(
                lambda store: store.abandon_remote_attempt(attempt.attempt_id, self._clock())
            )
            raise
        await self.store.call(
            lambda store: store.record_registration(
                attempt.attempt_id, billnumber, state, payload, self._clock()
            )
        )
        log.info(
            "order %s: %s registered as bill %s (%s)", order.number, method.value, billnumber, state
        )
        return RemotePayment(attempt, billnumber, payload)

    async def poll_once(self, payment: RemotePayment) -> PollUpdate:
        """Ask the gateway once; a final state is stored (and announced) before it is returned.
        Raises ``GatewayUnavailable`` when there is no answer."""
        gateway = self._require_gateway()
        operations = await gateway.order_state(
            payment.order_number, since=payment.attempt.created_at - ORDER_STATE_LOOKBACK
        )
        operation = next((op for op in operations if op.billnumber == payment.billnumber), None)
        if operation is None or not operation.state.is_final:
            return PollUpdate(OrderState.IN_PROCESS)
        attempt_id = payment.attempt.attempt_id
        changed = await self.store.call(
            lambda store: store.record_attempt_outcome(
                attempt_id,
                operation.state,
                self._clock(),
                billnumber=operation.billnumber,
                response_code=operation.response_code,
            )
        )
        state, flagged = await self.store.call(lambda store: store.remote_attempt_state(attempt_id))
        if changed:
            log.info("order %s: %s %s", payment.order_number, payment.method.value, state.value)
            self._events.publish(OrderStateChanged(payment.order_number, state, None))
            if flagged:
                self._events.publish(
                    notification_late_approval(payment.order_number, payment.method)
                )
        return PollUpdate(state, operation.response_code, refund_flagged=flagged)

    async def watch(
        self, payment: RemotePayment, on_update: Callable[[PollUpdate], None]
    ) -> PollUpdate:
        """Poll until the payment is final (returns that answer); cancel the task to stop.

        ``on_update`` gets every answer (with the delay until the next poll): In Process, a
        lost network (the polling goes on), and the final state.
        """
        unchanged = 0
        while True:
            try:
                update = await self.poll_once(payment)
            except GatewayUnavailable as exc:
                log.info("order %s: no answer while polling: %s", payment.order_number, exc.detail)
                delay = self.schedule.delay(0, self._random)
                on_update(PollUpdate(OrderState.IN_PROCESS, network_lost=True, next_poll_s=delay))
                unchanged = 0
                await asyncio.sleep(delay)
                continue
            except GatewayError as exc:  # an error reply: asked again later, like no answer
                log.warning("order %s: polling failed: %s", payment.order_number, exc)
                unchanged += 1
                delay = self.schedule.delay(unchanged, self._random)
                on_update(PollUpdate(OrderState.IN_PROCESS, next_poll_s=delay))
                await asyncio.sleep(delay)
                continue
            if update.state.is_final:
                on_update(update)
                return update
            delay = self.schedule.delay(unchanged, self._random)
            unchanged += 1
            on_update(replace(update, next_poll_s=delay))
            await asyncio.sleep(delay)

    async def abandon(self, payment: RemotePayment) -> None:
        """The cashier takes another method: the order is payable again; the gateway is still
        asked about this payment (by the sync worker) and a late approval is flagged."""
        attempt_id = payment.attempt.attempt_id
        await self.store.call(lambda store: store.abandon_remote_attempt(attempt_id, self._clock()))
        log.info("order %s: %s left for another method", payment.order_number, payment.method)

    def result_of(self, payment: RemotePayment, order: Order, update: PollUpdate) -> PaymentResult:
        """The result screen's data for ``payment`` in the state of ``update``."""
        result = PaymentResult(
            order_number=payment.order_number,
            method=payment.method,
            state=update.state,
            total=order.total,
            prepaid=order.prepaid,
            amount=payment.attempt.amount,
            order_date=payment.attempt.created_at,
            transaction_number=payment.attempt.transaction_number,
            response_code=update.response_code,
            fiscal_state=FiscalState.NEW
            if update.state is OrderState.APPROVED
            else FiscalState.NOT_NEEDED,
        )
        if update.state is OrderState.APPROVED and not update.refund_flagged:
            self._events.publish(SaleCompleted(result))
        return result
