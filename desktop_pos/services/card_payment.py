"""Card payments through the reader: from «present card» to a stored, known outcome.

``CardPaymentService.pay`` runs one transaction on a connected ``ReaderLink``:

* the order is checked (already paid / still processing, locally and at the gateway);
* ``StartTransaction`` (amount in kopecks, "643", the order number, the contactless no-CVM limit
  of ``ReaderSettings``, NFC on); the reader's screens are mirrored to the UI (``reader_text``);
* a co-badged card on a QPOS-like reader asks the app (``choose_application``; None cancels);
  a Bluepad-like reader chooses on its own screen; contactless takes the priority application;
* ``CvmResult`` SIGNATURE asks the UI for the buyer's signature before the authorization
  (None = ✗: the reader is told, nothing is charged); a PIN is typed on the reader only;
* ``AuthorizationRequest`` → the attempt stored In Process → the gateway (``card_authorization``)
  → ``AuthorizationResponse`` → ``TransactionResult`` → the outcome stored.

Known end states, never a stuck screen: cancelled on the reader, card removed, reader
disconnected, ✗ on the signature or Esc (``cancel``) before the authorization → Canceled, nothing
charged; the order and a Canceled attempt (masked card data only, no billnumber) are stored at
once (``record_card_cancelled``) so the journal shows it and the order stays payable. After the
request went to the gateway, a lost answer or link → In Process, settled by ``watch`` (and by the
sync worker). A decline → the reason from the response code and «Повторить оплату» (a new
attempt of the same order). An approval the card does not complete is cancelled at the gateway.

Runs on the GUI thread's event loop; store calls go through ``StoreWorker``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from desktop_pos.hardware.reader.errors import ReaderError, ReaderFaultError
from desktop_pos.hardware.reader.gatt_profile import LOW_BATTERY_PERCENT
from desktop_pos.hardware.reader.messages import (
    ApplicationSelected,
    ApplicationSelectionRequest,
    AuthorizationRequest,
    CancelTransaction,
    CardRead,
    Cvm,
    CvmResult,
    DisplayCode,
    DisplayText,
    FaultCode,
    ReaderFault,
    ReaderMessage,
    StartTransaction,
    TransactionResult,
    TxnKind,
    TxnOutcome,
)
from desktop_pos.hardware.reader.settings import ReaderSettings
from desktop_pos.models.card_display_texts import low_battery_text, outcome_text
from desktop_pos.models.errors import PaymentError, UserFacingError
from desktop_pos.models.money import KOPECK
from desktop_pos.models.order import Order
from desktop_pos.models.payment import OrderState
from desktop_pos.models.response_codes import lookup_response_code
from desktop_pos.models.result import PaymentResult
from desktop_pos.models.texts import LocalizedText
from desktop_pos.services.card_authorization import (
    CardAuthorizer,
    GatewayAnswer,
    GatewayVerdict,
    slip_data,
)
from desktop_pos.services.card_payment_types import (
    APPLICATION_NOT_CHOSEN,
    APPROVAL_CANCELLED,
    CURRENCY_RUB,
    GATEWAY_UNREACHABLE,
    NO_GATEWAY,
    PIN_ERROR_CODES,
    READER_FAULT,
    READER_LOST,
    READER_LOST_AFTER_REQUEST,
    RESULT_BEING_CHECKED,
    SIGNATURE_REFUSED,
    CardPaymentOutcome,
    CardPaymentUi,
    FlowTiming,
    card_payment_result,
)
from desktop_pos.services.card_payment_watch import InProcessWatch
from desktop_pos.services.checkout import GatewayCheck
from desktop_pos.services.events import EventBus, OrderStateChanged, SaleCompleted
from desktop_pos.services.gateway.card_fields import CardRequestInvalid
from desktop_pos.services.remote_payment import PollSchedule, PollUpdate
from desktop_pos.services.store import Store
from desktop_pos.services.store_card import CardAttempt, CardSlipData, StoredCardPayment
from desktop_pos.services.store_worker import StoreWorker

if TYPE_CHECKING:
    from desktop_pos.hardware.reader.ble_link import ReaderLink
    from desktop_pos.services.checkout import CheckoutService
    from desktop_pos.services.gateway.client import AsyncGatewayClient

log = logging.getLogger(__name__)

T = TypeVar("T")

__all__ = [
    "CardPaymentOutcome",
    "CardPaymentService",
    "CardPaymentUi",
    "FlowTiming",
    "PollUpdate",
]


@dataclass
class _Transaction:
    """One running ``pay``."""

    order: Order
    link: ReaderLink
    ui: CardPaymentUi
    txn_id: int
    cancel_requested: asyncio.Event = field(default_factory=asyncio.Event)
    cancel_reason: LocalizedText | None = None
    card: CardRead | None = None
    cvm: Cvm | None = None
    signature: str = ""
    slip: CardSlipData | None = None
    attempt: CardAttempt | None = None
    answer: GatewayAnswer | None = None
    response_sent: bool = False
    low_battery: bool = False
    card_read_at: float | None = None
    gateway_s: float = 0.0
    reader_s: float = 0.0
    ui_s: float = 0.0


class CardPaymentService:
    def __init__(
        self,
        checkout: CheckoutService,
        events: EventBus,
        settings: ReaderSettings,
        *,
        clock: Callable[[], datetime] | None = None,
        source: str | None = None,
        gateway: AsyncGatewayClient | None = None,
        schedule: PollSchedule | None = None,
        authorization_timeout_s: float = 30.0,
        reader_timeout_s: float = 120.0,
    ) -> None:
        """``authorization_timeout_s``: the longest wait for the gateway's answer (then the
        reader is told it could not go online and the payment is settled by polling);
        ``reader_timeout_s``: the longest silence of the reader (it has its own, shorter, time
        limits for the card, the PIN and the answer)."""
        self._checkout = checkout
        self._events = events
        self.settings = settings
        self._clock = clock or checkout.clock
        self._source = source or checkout.source
        self._gateway = gateway
        self.schedule = schedule or PollSchedule()
        self.reader_timeout_s = reader_timeout_s
        self._authorizer = CardAuthorizer(
            checkout.store,
            self._require_gateway,
            self._clock,
            source=self._source,
            timeout_s=authorization_timeout_s,
        )
        self._random = random.Random()
        self._txn_counter = random.randrange(1, 2**20)
        self._current: _Transaction | None = None
        self.last_timing = FlowTiming()

    @property
    def store(self) -> StoreWorker:
        return self._checkout.store

    @property
    def busy(self) -> bool:
        """A payment is running now."""
        return self._current is not None

    def _require_gateway(self) -> AsyncGatewayClient:
        gateway = self._gateway or self._checkout.gateway
        if gateway is None:
            raise PaymentError(NO_GATEWAY)
        return gateway

    # -- before the card -----------------------------------------------------------------------

    async def check_payable(self, order: Order) -> None:
        """Raise the «already paid» / «still processing» ``PaymentError`` (from the store, then
        the gateway), or another ``UserFacingError`` when a card payment cannot start now."""
        order.validate_for_payment()
        self._require_gateway()
        await self.store.call(lambda store: store.check_card_payable(order.number))
        await self._checkout.wait_for_resync()
        check, _reason = await self._checkout.check_gateway(order.number)
        if check is GatewayCheck.UNREACHABLE:
            raise PaymentError(GATEWAY_UNREACHABLE)

    # -- the payment ---------------------------------------------------------------------------

    async def pay(self, order: Order, link: ReaderLink, ui: CardPaymentUi) -> CardPaymentOutcome:
        """Run one card transaction of ``order`` on ``link``; returns its known outcome.

        Raises ``UserFacingError`` (``PaymentError``: already paid, still processing, no
        gateway) before anything is asked of the reader; every later problem ends in an
        outcome.
        """
        if self._current is not None:
            raise PaymentError(
                LocalizedText(
                    "Оплата картой уже проводится.", "A card payment is already in progress."
                )
            )
        await self.check_payable(order)
        self._txn_counter = self._txn_counter % (2**32 - 2) + 1
        txn = _Transaction(order, link, ui, self._txn_counter)
        self._current = txn
        try:
            outcome = await self._run(txn)
        finally:
            self._current = None
        if txn.card_read_at is not None:
            self.last_timing = FlowTiming(
                time.perf_counter() - txn.card_read_at, txn.gateway_s, txn.reader_s, txn.ui_s
            )
        log.info(
            "order %s: card payment %s%s",
            order.number,
            outcome.state.value,
            f" ({outcome.response_code})" if outcome.response_code else "",
        )
        return outcome

    async def cancel(self) -> None:
        """Esc in the app: the reader is told and the payment ends in a known state (Canceled
        before the authorization; after it, whatever the gateway and the card make of it)."""
        txn = self._current
        if txn is None or txn.cancel_requested.is_set():
            return
        txn.cancel_reason = txn.cancel_reason or outcome_text(TxnOutcome.CANCELLED_BY_HOST)
        txn.cancel_requested.set()
        await self._tell_cancel(txn)

    async def _tell_cancel(self, txn: _Transaction) -> None:
        try:
            await txn.link.request(CancelTransaction(txn.txn_id))
        except ReaderError as exc:
            log.info("order %s: cancel not delivered to the reader: %s", txn.order.number, exc)

    async def _run(self, txn: _Transaction) -> CardPaymentOutcome:
        self._check_battery(txn)
        start = StartTransaction(
            txn_id=txn.txn_id,
            kind=TxnKind.PURCHASE,
            amount_minor=int(txn.order.due / KOPECK),
            currency=CURRENCY_RUB,
            order_number=txn.order.number,
            no_cvm_limit_minor=self.settings.no_cvm_limit_minor,
            nfc_enabled=True,
        )
        try:
            await self._reader(txn, txn.link.request(start))
            while True:
                msg = await self._reader(txn, txn.link.next_message(self.reader_timeout_s))
                self._check_battery(txn)
                outcome = await self._handle(txn, msg)
                if outcome is not None:
                    return outcome
        except ReaderError as exc:
            return await self._reader_gone(txn, exc)

    async def _handle(self, txn: _Transaction, msg: ReaderMessage) -> CardPaymentOutcome | None:
        if isinstance(msg, ReaderFault):
            return await self._fault(txn, msg)
        if getattr(msg, "txn_id", txn.txn_id) not in (txn.txn_id, 0):
            return None  # a late message of an earlier transaction
        if isinstance(msg, DisplayText):
            txn.ui.reader_text(msg)
            if msg.code is DisplayCode.LOW_BATTERY:
                self._low_battery(txn, txn.link.battery_level)
        elif isinstance(msg, ApplicationSelectionRequest):
            await self._choose_application(txn, msg)
        elif isinstance(msg, CardRead):
            txn.card = msg
            txn.card_read_at = time.perf_counter()
            txn.ui.card_read(msg)
        elif isinstance(msg, CvmResult):
            txn.cvm = msg.cvm
            txn.ui.cvm_chosen(msg)
            if msg.cvm is Cvm.SIGNATURE:
                await self._collect_signature(txn)
        elif isinstance(msg, AuthorizationRequest):
            await self._authorize(txn, msg)
        elif isinstance(msg, TransactionResult):
            return await self._finish(txn, msg)
        return None

    # -- steps -------------------------------------------------------------------------------

    async def _choose_application(
        self, txn: _Transaction, msg: ApplicationSelectionRequest
    ) -> None:
        chosen = await self._ask_ui(txn, txn.ui.choose_application(msg.applications))
        if txn.cancel_requested.is_set():
            return
        if chosen is None:
            await self._cancel_for(txn, APPLICATION_NOT_CHOSEN)
            return
        log.info("order %s: application %s chosen", txn.order.number, chosen.label)
        await self._reader(txn, txn.link.request(ApplicationSelected(txn.txn_id, chosen.aid)))

    async def _collect_signature(self, txn: _Transaction) -> None:
        signature = await self._ask_ui(txn, txn.ui.collect_signature())
        if txn.cancel_requested.is_set():
            return
        if signature is None:
            log.info("order %s: the buyer's signature refused", txn.order.number)
            await self._cancel_for(txn, SIGNATURE_REFUSED)
            return
        txn.signature = signature

    async def _authorize(self, txn: _Transaction, request: AuthorizationRequest) -> None:
        if txn.cancel_requested.is_set() or txn.attempt is not None:
            return  # cancelled meanwhile: the reader ends the transaction by itself
        if txn.card is None or txn.cvm is None:
            await self._cancel_for(txn, READER_FAULT.format(detail="no card data"))
            return
        txn.ui.authorizing()
        order = txn.order
        try:
            txn.slip = slip_data(txn.card, txn.cvm, txn.signature, txn.link.serial)
            checked = self._authorizer.check_request(order, txn.card, txn.cvm, request, txn.slip)
            txn.attempt = await self._authorizer.begin(order, txn.slip)
        except UserFacingError as exc:  # bad card data, or the order became unpayable
            log.warning("order %s: card authorization not asked: %s", order.number, exc)
            await self._cancel_for(txn, exc.text)
            return
        answer = await self._authorizer.authorize(txn.txn_id, txn.attempt, checked)
        txn.answer = answer
        txn.gateway_s += answer.gateway_s
        await self._reader(txn, txn.link.request(answer.response))
        txn.response_sent = True

    async def _finish(self, txn: _Transaction, msg: TransactionResult) -> CardPaymentOutcome:
        answer, attempt = txn.answer, txn.attempt
        if attempt is not None and answer is None:
            # Stored, but the gateway was never asked (cancelled while the attempt was written).
            await self._authorizer.end_attempt(attempt.attempt_id, OrderState.CANCELED)
            return await self._outcome(txn, OrderState.CANCELED, reason=self._end_reason(txn, msg))
        if attempt is None or answer is None:
            return await self._not_authorized(txn, msg)
        await self._authorizer.record_end(attempt.attempt_id, msg.tvr, msg.tsi)
        return await self._after_answer(
            txn, answer, completed=msg.outcome is TxnOutcome.APPROVED, reason=RESULT_BEING_CHECKED
        )

    async def _not_authorized(
        self, txn: _Transaction, msg: TransactionResult
    ) -> CardPaymentOutcome:
        """The transaction ended before an authorization was asked: nothing was charged."""
        if msg.outcome is TxnOutcome.LOW_BATTERY:
            self._low_battery(txn, txn.link.battery_level)
        if msg.outcome is TxnOutcome.PIN_TRIES_EXCEEDED:
            return await self._outcome(
                txn, OrderState.DECLINED, reason=outcome_text(msg.outcome), pin_error=True
            )
        reason = self._end_reason(txn, msg)
        return await self._outcome(txn, OrderState.CANCELED, reason=reason)

    def _end_reason(self, txn: _Transaction, msg: TransactionResult) -> LocalizedText:
        if msg.outcome is TxnOutcome.CANCELLED_BY_HOST and txn.cancel_reason is not None:
            return txn.cancel_reason
        if msg.outcome is TxnOutcome.LOW_BATTERY:
            return low_battery_text(txn.link.battery_level)
        return outcome_text(msg.outcome)

    async def _fault(self, txn: _Transaction, fault: ReaderFault) -> CardPaymentOutcome | None:
        if fault.txn_id not in (txn.txn_id, 0):
            return None
        log.warning("order %s: reader fault %s: %s", txn.order.number, fault.code.name, fault.text)
        if txn.attempt is not None or txn.response_sent:
            return None  # the transaction's own result follows
        if fault.code is FaultCode.LOW_BATTERY:
            level = int(fault.details.get("level", txn.link.battery_level))
            self._low_battery(txn, level)
            return await self._outcome(txn, OrderState.CANCELED, reason=low_battery_text(level))
        reason = ReaderFaultError(fault).text
        return await self._outcome(txn, OrderState.CANCELED, reason=reason)

    async def _reader_gone(self, txn: _Transaction, error: ReaderError) -> CardPaymentOutcome:
        """The link was lost (or the reader fell silent) mid-payment."""
        log.warning("order %s: card reader lost mid-payment: %s", txn.order.number, error)
        if txn.link.connected:  # silent, not gone: make sure it does not go on by itself
            await self._tell_cancel(txn)
        answer, attempt = txn.answer, txn.attempt
        if attempt is None:
            return await self._outcome(txn, OrderState.CANCELED, reason=READER_LOST)
        if answer is None:  # stored, never sent to the gateway
            await self._authorizer.end_attempt(attempt.attempt_id, OrderState.CANCELED)
            return await self._outcome(txn, OrderState.CANCELED, reason=READER_LOST)
        # The reader got the approval (``response_sent``): the gateway's answer stands.
        return await self._after_answer(
            txn, answer, completed=txn.response_sent, reason=READER_LOST_AFTER_REQUEST
        )

    async def _after_answer(
        self, txn: _Transaction, answer: GatewayAnswer, *, completed: bool, reason: LocalizedText
    ) -> CardPaymentOutcome:
        """The outcome once the gateway answered; ``completed``: the card took an approval
        (otherwise it is cancelled at the gateway). ``reason``: for an unknown answer."""
        attempt, result = answer.attempt, answer.result
        if answer.verdict is GatewayVerdict.APPROVED and result is not None:
            if not completed:
                log.warning(
                    "order %s: approved at the gateway, not completed by the card; cancelling",
                    txn.order.number,
                )
                if await self._authorizer.cancel_approval(attempt, result):
                    return await self._outcome(
                        txn, OrderState.CANCELED, result.response_code, reason=APPROVAL_CANCELLED
                    )
            else:
                await self._authorizer.record(attempt.attempt_id, result)
            return await self._outcome(txn, OrderState.APPROVED, result.response_code)
        if answer.verdict is GatewayVerdict.DECLINED and result is not None:
            return await self._declined(txn, result.state, result.response_code)
        if answer.verdict is GatewayVerdict.REFUSED:
            error = answer.error.text if answer.error is not None else None
            return await self._outcome(txn, OrderState.DECLINED, reason=error, retry=True)
        return await self._outcome(txn, OrderState.IN_PROCESS, reason=reason)

    async def _declined(
        self, txn: _Transaction, state: OrderState, response_code: str
    ) -> CardPaymentOutcome:
        reason = lookup_response_code(response_code).text if response_code else None
        return await self._outcome(
            txn,
            state,
            response_code,
            reason=reason,
            pin_error=response_code in PIN_ERROR_CODES,
        )

    # -- helpers -----------------------------------------------------------------------------

    async def _cancel_for(self, txn: _Transaction, reason: LocalizedText) -> None:
        if txn.cancel_requested.is_set():
            return
        txn.cancel_reason = reason
        txn.cancel_requested.set()
        await self._tell_cancel(txn)

    async def _reader(self, txn: _Transaction, awaitable: Awaitable[T]) -> T:
        started = time.perf_counter()
        try:
            return await awaitable
        finally:
            if txn.card_read_at is not None:
                txn.reader_s += time.perf_counter() - started

    async def _ask_ui(self, txn: _Transaction, dialog: Awaitable[T | None]) -> T | None:
        """Await a dialog; a cancel (Esc) meanwhile closes it (the task is cancelled)."""
        started = time.perf_counter()
        task = asyncio.ensure_future(dialog)
        cancelled = asyncio.ensure_future(txn.cancel_requested.wait())
        try:
            await asyncio.wait({task, cancelled}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            cancelled.cancel()
            if txn.card_read_at is not None:
                txn.ui_s += time.perf_counter() - started
        if not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            return None
        return task.result()

    def _check_battery(self, txn: _Transaction) -> None:
        level = txn.link.battery_level
        if level <= LOW_BATTERY_PERCENT and not txn.link.charging:
            self._low_battery(txn, level)

    def _low_battery(self, txn: _Transaction, level: int) -> None:
        if txn.low_battery:
            return
        txn.low_battery = True
        log.warning("order %s: card reader battery low (%d%%)", txn.order.number, level)
        txn.ui.low_battery(level)

    async def _outcome(
        self,
        txn: _Transaction,
        state: OrderState,
        response_code: str = "",
        *,
        reason: LocalizedText | None = None,
        pin_error: bool = False,
        retry: bool | None = None,
    ) -> CardPaymentOutcome:
        attempt = txn.attempt
        stored: StoredCardPayment | None = None
        result: PaymentResult | None = None
        if attempt is None and state in (OrderState.CANCELED, OrderState.DECLINED):
            await self._record_cancelled(txn, state, reason)
        if attempt is not None:
            stored = await self.store.call(lambda store: store.card_payment(attempt.attempt_id))
            if stored is not None:
                state = stored.state
                response_code = stored.response_code or response_code
            result = card_payment_result(attempt, txn.order, state, response_code or None)
            self._events.publish(OrderStateChanged(txn.order.number, state, None))
            if state is OrderState.APPROVED:
                self._events.publish(SaleCompleted(result))
        if state is OrderState.APPROVED:
            reason = None
        return CardPaymentOutcome(
            state=state,
            attempt_id=attempt.attempt_id if attempt is not None else "",
            order=txn.order,
            result=result,
            reason=reason,
            response_code=response_code,
            slip=txn.slip,
            retry_allowed=(state.is_final and not state.is_paid) if retry is None else retry,
            pin_error=pin_error,
            payment=stored,
            low_battery=txn.low_battery,
            billnumber=stored.billnumber if stored is not None else None,
        )

    async def _record_cancelled(
        self, txn: _Transaction, state: OrderState, reason: LocalizedText | None
    ) -> None:
        """Store a payment that ended before its authorization (the order stays payable)."""
        order, now = txn.order, self._clock()
        card = _masked_slip(txn)
        record = Store.record_card_cancelled
        try:
            try:
                await self.store.call(record, order, card, now, state=state, source=self._source)
            except CardRequestInvalid as exc:  # keep the attempt, without the card's data
                log.warning("order %s: card data not stored: %s", order.number, exc)
                await self.store.call(record, order, None, now, state=state, source=self._source)
        except UserFacingError as exc:  # e.g. paid meanwhile: nothing of this one to keep
            log.warning("order %s: cancelled card payment not stored: %s", order.number, exc)
            return
        except Exception:
            log.exception("order %s: cancelled card payment not stored", order.number)
            return
        log.info(
            "order %s: card payment stored %s before its authorization (%s)",
            order.number,
            state.value,
            reason.en if reason is not None else "",
        )
        self._events.publish(OrderStateChanged(order.number, state, None))

    # -- In Process ----------------------------------------------------------------------------

    async def watch(
        self, outcome: CardPaymentOutcome, on_update: Callable[[PollUpdate], None]
    ) -> CardPaymentOutcome:
        """Poll an In Process payment until it is final; returns the final outcome (cancel the
        task to stop). ``on_update`` gets every answer (with the delay until the next poll):
        In Process, a lost network (polling goes on), and the final state."""
        watch = InProcessWatch(self._authorizer, self.store, self._events, self.schedule)
        return await watch.run(outcome, on_update, self._random)


def _masked_slip(txn: _Transaction) -> CardSlipData | None:
    """What a payment ended before its authorization keeps of the card: its masked data, the
    CVM if it was chosen ("" if not), no signature; None when no card was read."""
    if txn.card is None:
        return None
    try:
        slip = slip_data(txn.card, txn.cvm or Cvm.NONE, "", txn.link.serial)
    except (KeyError, ValueError) as exc:
        log.warning("order %s: the card's data cannot be kept: %s", txn.order.number, exc)
        return None
    return slip if txn.cvm is not None else replace(slip, cvm="")
