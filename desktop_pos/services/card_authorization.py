"""The gateway's half of a card payment: the attempt stored, the authorization asked, the answer
for the reader, the cancel of an approval the card did not accept, and the status poll.

``CardAuthorizer`` is used by ``card_payment.CardPaymentService`` once the reader has sent its
``AuthorizationRequest``:

1. the request is built and checked from the reader's messages (nothing stored or sent if it
   cannot be sent: ``CardRequestInvalid``);
2. the attempt is written **In Process** with the slip's card data (``store_card``) — a crash,
   a timeout or a lost answer from here on leaves a known state that polling settles;
3. the gateway is asked (order number + attempt id are the idempotency key);
4. its answer becomes the reader's ``AuthorizationResponse``: approved / declined with the
   issuer's codes and data, or ``UNABLE_TO_GO_ONLINE`` when there is no final answer (the
   reader aborts safely and the payment stays In Process).

A decline is stored at once. An approval is stored when the reader confirms it
(``TransactionResult`` APPROVED); when the card or the reader ends otherwise the charge is
cancelled at the gateway (``cancel_approval``) so that money is never taken for an unpaid order.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from desktop_pos.hardware.reader.messages import (
    AuthorizationOutcome,
    AuthorizationRequest,
    AuthorizationResponse,
    CardRead,
    Cvm,
)
from desktop_pos.models.order import Order
from desktop_pos.models.payment import OrderState
from desktop_pos.services.gateway.card_fields import (
    card_authorization_from_reader,
    cvm_name,
    entry_mode_name,
)
from desktop_pos.services.gateway.errors import (
    GatewayError,
    GatewayProtocolError,
    GatewayRejected,
    GatewayUnavailable,
)
from desktop_pos.services.gateway.results import CardAuthorization, CardResult, OperationState
from desktop_pos.services.store_card import CardAttempt, CardSlipData
from desktop_pos.services.store_worker import StoreWorker

if TYPE_CHECKING:
    from desktop_pos.services.gateway.client import AsyncGatewayClient

log = logging.getLogger(__name__)

ORDER_STATE_LOOKBACK = timedelta(days=3)
PENDING_ATTEMPT_ID = "pending"
"""Stands in for the attempt id while a request is checked before the attempt is stored."""


class GatewayVerdict(StrEnum):
    APPROVED = "approved"
    """Approved at the gateway; stored once the reader confirms (or cancelled if it does not)."""
    DECLINED = "declined"
    """Declined (or ended Timeout) at the gateway: stored, nothing charged."""
    REFUSED = "refused"
    """The gateway refused the request (an error reply): nothing charged, attempt ended."""
    UNKNOWN = "unknown"
    """No final answer (lost, timed out, unreadable, In Process): the attempt stays In Process."""


@dataclass(frozen=True, slots=True)
class GatewayAnswer:
    verdict: GatewayVerdict
    attempt: CardAttempt
    response: AuthorizationResponse
    """What the reader is told."""
    result: CardResult | None = None
    """The gateway's reply (None when there was none)."""
    error: GatewayError | None = None
    gateway_s: float = 0.0
    """How long the gateway call took (for the flow's overhead figure)."""


def slip_data(card: CardRead, cvm: Cvm, signature: str, terminal_id: str) -> CardSlipData:
    """The card data stored with the attempt (and printed on the slip)."""
    return CardSlipData(
        entry_mode=entry_mode_name(card.entry_mode),
        cvm=cvm_name(cvm),
        masked_pan=card.masked_pan,
        brand=card.brand.strip().upper(),
        aid=card.aid.hex().upper(),
        application_label=card.application_label,
        cardholder=card.cardholder,
        signature=signature,
        terminal_id=terminal_id[:32],
    )


def reader_response(txn_id: int, result: CardResult) -> AuthorizationResponse:
    """The gateway's final answer as the reader's ``AuthorizationResponse``."""
    outcome = (
        AuthorizationOutcome.APPROVED
        if result.state is OrderState.APPROVED
        else AuthorizationOutcome.DECLINED
    )
    return AuthorizationResponse(
        txn_id=txn_id,
        outcome=outcome,
        response_code=result.response_code,
        issuer_response_code=result.issuer_response_code or "",
        auth_code=result.approval_code or "",
        issuer_data=result.issuer_data,
    )


def unable_to_go_online(txn_id: int) -> AuthorizationResponse:
    return AuthorizationResponse(txn_id=txn_id, outcome=AuthorizationOutcome.UNABLE_TO_GO_ONLINE)


class CardAuthorizer:
    """Stores the attempt and talks to the gateway for ``CardPaymentService``."""

    def __init__(
        self,
        store: StoreWorker,
        gateway: Callable[[], AsyncGatewayClient],
        clock: Callable[[], datetime],
        *,
        source: str,
        timeout_s: float,
    ) -> None:
        self._store = store
        self._gateway = gateway
        self._clock = clock
        self._source = source
        self.timeout_s = timeout_s

    def check_request(
        self,
        order: Order,
        card: CardRead,
        cvm: Cvm,
        request: AuthorizationRequest,
        slip: CardSlipData,
    ) -> CardAuthorization:
        """The request as it will be sent (with a stand-in attempt id); ``CardRequestInvalid``
        if it or the slip's data cannot be sent or stored (then nothing is stored)."""
        slip.check()
        return card_authorization_from_reader(
            order.number,
            PENDING_ATTEMPT_ID,
            order.due,
            card,
            cvm,
            request,
            signature=slip.signature,
            email=order.email,
            phone=order.phone,
        )

    async def begin(self, order: Order, slip: CardSlipData) -> CardAttempt:
        """Write the attempt In Process (``PaymentError`` if the order became unpayable)."""
        now = self._clock()
        return await self._store.call(
            lambda store: store.begin_card_payment(order, slip, now, source=self._source)
        )

    async def authorize(
        self, txn_id: int, attempt: CardAttempt, request: CardAuthorization
    ) -> GatewayAnswer:
        """Ask the gateway; a decline or refusal is stored before this returns."""
        auth = dataclasses.replace(request, attempt_id=attempt.attempt_id)
        started = time.perf_counter()
        try:
            async with asyncio.timeout(self.timeout_s):  # never swallows a cancellation
                result = await self._gateway().authorize_card(auth)
        except TimeoutError:
            log.warning("order %s: no card authorization answer in time", attempt.order_number)
            return self._unknown(txn_id, attempt, None, started)
        except (GatewayUnavailable, GatewayProtocolError) as exc:
            log.warning(
                "order %s: card authorization outcome unknown: %s", attempt.order_number, exc
            )
            return self._unknown(txn_id, attempt, exc, started)
        except GatewayRejected as exc:  # an error reply: the gateway did nothing
            gateway_s = time.perf_counter() - started
            log.warning("order %s: card authorization refused: %s", attempt.order_number, exc)
            await self._store.call(
                lambda store: store.end_card_attempt(
                    attempt.attempt_id, OrderState.DECLINED, self._clock()
                )
            )
            response = AuthorizationResponse(txn_id, AuthorizationOutcome.DECLINED)
            return GatewayAnswer(
                GatewayVerdict.REFUSED, attempt, response, error=exc, gateway_s=gateway_s
            )
        gateway_s = time.perf_counter() - started
        log.info(
            "order %s: card authorization %s (%s, issuer %s, bill %s)",
            attempt.order_number,
            result.state.value,
            result.response_code,
            result.issuer_response_code,
            result.billnumber,
        )
        if result.state is OrderState.APPROVED:
            return GatewayAnswer(
                GatewayVerdict.APPROVED,
                attempt,
                reader_response(txn_id, result),
                result,
                gateway_s=gateway_s,
            )
        await self.record(attempt.attempt_id, result)
        if not result.state.is_final:  # AS300: the gateway is still waiting for the issuer
            answer = self._unknown(txn_id, attempt, None, started)
            return dataclasses.replace(answer, result=result, gateway_s=gateway_s)
        return GatewayAnswer(
            GatewayVerdict.DECLINED,
            attempt,
            reader_response(txn_id, result),
            result,
            gateway_s=gateway_s,
        )

    def _unknown(
        self,
        txn_id: int,
        attempt: CardAttempt,
        error: GatewayError | None,
        started: float,
    ) -> GatewayAnswer:
        return GatewayAnswer(
            GatewayVerdict.UNKNOWN,
            attempt,
            unable_to_go_online(txn_id),
            error=error,
            gateway_s=time.perf_counter() - started,
        )

    async def record(self, attempt_id: str, result: CardResult) -> bool:
        return await self._store.call(
            lambda store: store.record_card_authorization(attempt_id, result, self._clock())
        )

    async def record_end(self, attempt_id: str, tvr: bytes, tsi: bytes) -> None:
        await self._store.call(
            lambda store: store.record_card_transaction_end(
                attempt_id, self._clock(), tvr=tvr.hex().upper(), tsi=tsi.hex().upper()
            )
        )

    async def end_attempt(self, attempt_id: str, state: OrderState) -> None:
        await self._store.call(
            lambda store: store.end_card_attempt(attempt_id, state, self._clock())
        )

    async def cancel_approval(self, attempt: CardAttempt, result: CardResult) -> bool:
        """The gateway approved but the card or reader did not complete: cancel the charge.

        True: cancelled and stored Canceled. False: the cancel failed, so the approval is
        stored (the money is taken: the order is paid, never charged without being paid).
        """
        try:
            async with asyncio.timeout(self.timeout_s):
                operation = await self._gateway().cancel(
                    result.billnumber, operation_id=f"{attempt.attempt_id}-cancel"
                )
        except (TimeoutError, GatewayError) as exc:
            log.warning(
                "order %s: the approval (bill %s) could not be cancelled: %s; kept as paid",
                attempt.order_number,
                result.billnumber,
                exc,
            )
            await self.record(attempt.attempt_id, result)
            return False
        log.info(
            "order %s: approval %s cancelled at the gateway (%s)",
            attempt.order_number,
            result.billnumber,
            operation.state.value,
        )
        canceled = dataclasses.replace(
            result, state=OrderState.CANCELED, response_code=operation.response_code
        )
        await self.record(attempt.attempt_id, canceled)
        return True

    async def poll_once(self, attempt: CardAttempt, billnumber: str | None) -> CardResult | None:
        """The attempt's operation at the gateway (None: not listed yet); a final state is
        stored before it is returned. Raises ``GatewayError`` when there is no answer."""
        operations = await self._gateway().order_state(
            attempt.order_number, since=attempt.created_at - ORDER_STATE_LOOKBACK
        )
        operation = await self._operation_of(attempt, billnumber, operations)
        if operation is None:
            return None
        result = CardResult(
            billnumber=operation.billnumber,
            state=operation.state,
            response_code=operation.response_code,
            approval_code=operation.approval_code,
            rrn=operation.rrn,
            replayed=False,
        )
        if operation.state.is_final:
            await self.record(attempt.attempt_id, result)
        return result

    async def _operation_of(
        self, attempt: CardAttempt, billnumber: str | None, operations: list[OperationState]
    ) -> OperationState | None:
        if billnumber is not None:
            return next((op for op in operations if op.billnumber == billnumber), None)
        # The answer was lost: the operation is the one of its amount no other attempt has.
        others = await self._store.call(
            lambda store: store.other_billnumbers(attempt.order_number, attempt.attempt_id)
        )
        candidates = [
            op
            for op in operations
            if op.billnumber not in others and op.amount == Decimal(attempt.amount)
        ]
        return candidates[-1] if candidates else None

    async def stored_state(self, attempt_id: str) -> tuple[OrderState, str | None] | None:
        """The attempt's stored state and response code (the sync worker may settle it)."""
        stored = await self._store.call(lambda store: store.card_payment(attempt_id))
        if stored is None:
            return None
        return stored.state, stored.response_code
