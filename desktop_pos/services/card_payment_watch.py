"""A card payment left In Process, polled until it is final.

The authorization's answer was lost (timeout, network, link): the attempt stays In Process and
``InProcessWatch.run`` asks the gateway (``orderstate`` by the attempt) on the ``PollSchedule``
until the state is final, or finds it settled meanwhile by the sync worker. ``CardPaymentService.
watch`` runs it for the result screen's refresh indicator.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable
from dataclasses import replace

from desktop_pos.models.payment import OrderState
from desktop_pos.models.response_codes import lookup_response_code
from desktop_pos.services.card_authorization import CardAuthorizer
from desktop_pos.services.card_payment_types import (
    PIN_ERROR_CODES,
    CardPaymentOutcome,
    card_payment_result,
)
from desktop_pos.services.events import EventBus, OrderStateChanged, SaleCompleted
from desktop_pos.services.gateway.errors import GatewayError, GatewayUnavailable
from desktop_pos.services.remote_payment import PollSchedule, PollUpdate
from desktop_pos.services.store_card import CardAttempt
from desktop_pos.services.store_worker import StoreWorker

log = logging.getLogger(__name__)


class InProcessWatch:
    """Polls one card payment In Process (see the module docstring)."""

    def __init__(
        self,
        authorizer: CardAuthorizer,
        store: StoreWorker,
        events: EventBus,
        schedule: PollSchedule,
    ) -> None:
        self._authorizer = authorizer
        self._store = store
        self._events = events
        self._schedule = schedule

    async def run(
        self,
        outcome: CardPaymentOutcome,
        on_update: Callable[[PollUpdate], None],
        rng: random.Random,
    ) -> CardPaymentOutcome:
        """Poll until final; returns the final outcome (cancel the task to stop). ``on_update``
        gets every answer (with the delay until the next poll): In Process, a lost network
        (polling goes on), and the final state."""
        if outcome.state.is_final or outcome.result is None:
            return outcome
        attempt = CardAttempt(
            outcome.order.number,
            outcome.attempt_id,
            outcome.result.amount,
            outcome.result.transaction_number,
            outcome.result.order_date,
        )
        unchanged = 0
        while True:
            stored = await self._authorizer.stored_state(attempt.attempt_id)
            if stored is not None and stored[0].is_final:  # settled by the sync worker
                return await self._settled(outcome, attempt, on_update)
            try:
                found = await self._authorizer.poll_once(attempt, outcome.billnumber)
            except GatewayUnavailable as exc:
                log.info("order %s: no answer while polling: %s", attempt.order_number, exc)
                delay = self._schedule.delay(0, rng)
                on_update(PollUpdate(OrderState.IN_PROCESS, network_lost=True, next_poll_s=delay))
                unchanged = 0
                await asyncio.sleep(delay)
                continue
            except GatewayError as exc:
                log.warning("order %s: polling failed: %s", attempt.order_number, exc)
                found = None
            if found is not None and found.state.is_final:
                return await self._settled(outcome, attempt, on_update)
            delay = self._schedule.delay(unchanged, rng)
            unchanged += 1
            on_update(PollUpdate(OrderState.IN_PROCESS, next_poll_s=delay))
            await asyncio.sleep(delay)

    async def _settled(
        self,
        outcome: CardPaymentOutcome,
        attempt: CardAttempt,
        on_update: Callable[[PollUpdate], None],
    ) -> CardPaymentOutcome:
        stored = await self._store.call(lambda store: store.card_payment(attempt.attempt_id))
        assert stored is not None
        code = stored.response_code or ""
        state = stored.state
        on_update(PollUpdate(state, code or None))
        result = card_payment_result(attempt, outcome.order, state, code or None)
        self._events.publish(OrderStateChanged(attempt.order_number, state, None))
        if state is OrderState.APPROVED:
            self._events.publish(SaleCompleted(result))
        reason = None
        if state is not OrderState.APPROVED and code:
            reason = lookup_response_code(code).text
        log.info("order %s: card payment settled %s", attempt.order_number, state.value)
        return replace(
            outcome,
            state=state,
            result=result,
            reason=reason,
            response_code=code,
            retry_allowed=not state.is_paid,
            pin_error=code in PIN_ERROR_CODES,
            payment=stored,
            billnumber=stored.billnumber,
        )
