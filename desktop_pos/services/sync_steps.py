"""The steps of gateway synchronisation: a cash sale's upload, an attempt's state.

``SyncSteps`` does the work of the sync worker (``desktop_pos.services.sync_worker``),
synchronously, on the calling thread. A cash upload goes through three stages (``register``,
``fiscalize``, ``fetch_receipt``); the worker runs each stage for a whole claimed batch before the
next, and the store is written once per stage, not once per request (docs/sync.md):

* ``begin_register`` / ``begin_fiscalize`` mark, in one transaction, every entry whose request
  the stage is about to send (``register_sent`` / ``fiscalize_sent``); the same transaction
  stores what the previous stage learnt. ``begin_fetch`` stores the receipt ids.
* the stage's requests then go out one after another with no write between them: what they
  return is queued and stored by the next ``begin_*`` (or the batch's last ``flush()``).

So every request is preceded by a stored ``_sent`` mark, and a crash between a request and the
write of its result leaves a ``_sent`` step: the restarted worker asks the gateway first
(``order_state`` / ``fiscal_receipt``) and otherwise repeats the request with the same attempt
id, which the gateway answers with the same billnumber / receipt id (docs/gateway-api.md,
"Idempotency"). A sale is never registered or fiscalized twice. Checkpoints, log lines and
events that follow a stored change run after its commit.

``register_cash`` entry steps (``payload["step"]``)::

    new ─► register_sent ─► registered ─► fiscalize_sent ─► fiscalize_accepted ─► done
            (outcome unknown:            (outcome unknown:
             ask order_state first,       ask fiscal_receipt first,
             then re-send the same        then re-send the same
             attempt id)                  payment id)

(``registered`` is stored only when an entry stops there: in a batch that goes on, the
transaction that stores the billnumber also marks ``fiscalize_sent``.)

Named checkpoints (``CHECKPOINTS``) are passed to a hook; by default the hook ends the process
with ``os._exit(137)`` when the environment variable ``DESKTOP_POS_CRASH_AT`` names the
checkpoint (the crash tests use it).
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

from desktop_pos.models.errors import UserFacingError
from desktop_pos.models.payment import FiscalState, OrderState, PaymentMethod
from desktop_pos.models.texts import LocalizedText
from desktop_pos.services.events import (
    EventBus,
    OrderStateChanged,
    notification_fiscal_sent,
    notification_late_approval,
    notification_order_uploaded,
    notification_state_changed,
)
from desktop_pos.services.gateway.errors import GatewayRejected
from desktop_pos.services.gateway.results import CashRegistration, FiscalReceipt, OperationState
from desktop_pos.services.store import OUTBOX_REGISTER_CASH, RECEIPT_SELL, Store
from desktop_pos.services.store_records import (
    STEP_DONE,
    STEP_FISCALIZE_ACCEPTED,
    STEP_FISCALIZE_SENT,
    STEP_NEW,
    STEP_REGISTER_SENT,
    STEP_REGISTERED,
    CashSaleRecord,
    CashUpload,
    FiscalChange,
    FiscalData,
    OutcomeChange,
    PostponeChange,
    StepChange,
    SyncCandidate,
    SyncChange,
)

if TYPE_CHECKING:
    from desktop_pos.services.gateway.client import GatewayClient

log = logging.getLogger(__name__)

_REGISTERED_LOG = "order %s: cash sale registered at the gateway, billnumber %s"

CRASH_ENV = "DESKTOP_POS_CRASH_AT"
CRASH_EXIT_CODE = 137
CHECKPOINTS = (
    "before_register_sent",
    "after_register_sent",
    "after_register_batch_sent",
    "after_register_stored",
    "before_fiscalize_sent",
    "after_fiscalize_sent",
    "after_fiscalize_batch_sent",
    "after_fiscalize_stored",
    "after_fiscal_data_stored",
    "after_state_polled",
    "after_state_stored",
)
"""Where the sync steps call the checkpoint hook, in the order a cash upload passes them
(the last two belong to settling an In Process attempt); docs/sync.md says what is stored at
each. ``after_register_sent`` and ``after_fiscalize_sent`` come after every single request, the
others once per batch (a stage's write, or the end of its requests)."""

ORDER_STATE_LOOKBACK = timedelta(days=1)
"""order_state is asked from this long before the order was created (clock differences)."""

_MAX_LENGTHS = {
    "fiscal_receipt_id": 64,
    "fn": 16,
    "fd": 16,
    "fp": 16,
    "kkt_reg_number": 20,
    "qr_string": 256,
}


def crash_at_checkpoint(name: str) -> None:
    """The default checkpoint hook: ``os._exit(137)`` if ``DESKTOP_POS_CRASH_AT`` is ``name``."""
    if os.environ.get(CRASH_ENV) == name:
        log.warning("crash checkpoint %s reached: exiting with %d", name, CRASH_EXIT_CODE)
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(CRASH_EXIT_CODE)


class SyncProblem(UserFacingError):
    """The gateway answered, but not so that the step could finish (e.g. a stored record is
    missing, a registration not approved); the entry stays pending."""


class StoreWriteFailed(Exception):
    """Queued changes could not be stored: the batch stops (its entries come due again when
    their lease ends, and resume from what was stored)."""


class RetryLater(Exception):
    """The step is waiting for the gateway (fiscal receipt not final, registration In Process)."""

    def __init__(self, delay_s: float, note: str | None = None) -> None:
        super().__init__(note or "waiting for the gateway")
        self.delay_s = delay_s
        self.note = note


def fiscal_data_from(receipt: FiscalReceipt) -> FiscalData:
    """The gateway's receipt as stored data; ``SyncProblem`` for values that cannot be stored."""

    def number(name: str, value: str | None) -> int | None:
        if value is None or value == "":
            return None
        if not value.isdigit():
            raise _unreadable_receipt(f"{name} {value!r} is not a number")
        return int(value)

    data = FiscalData(
        fiscal_state=receipt.status,
        fiscal_receipt_id=receipt.fiscalreceipt_id,
        fn=receipt.fn_number,
        fd=receipt.fiscal_document_number,
        fp=receipt.fiscal_document_attribute,
        shift_number=number("shift_number", receipt.shift_number),
        receipt_number=number("fiscal_receipt_number", receipt.fiscal_receipt_number),
        kkt_reg_number=receipt.ecr_registration_number,
        fiscal_datetime=receipt.receipt_datetime,
        qr_string=receipt.qr_string,
        error_text=receipt.errortext,
    )
    for field_name, limit in _MAX_LENGTHS.items():
        value = getattr(data, field_name)
        if value is not None and len(value) > limit:
            raise _unreadable_receipt(f"{field_name} is longer than {limit} characters")
    return data


def _unreadable_receipt(problem: str) -> SyncProblem:
    return SyncProblem(
        LocalizedText(
            "Непонятный ответ сервера Ассист (fiscalreceipt): {problem}.",
            "Unreadable reply from the Assist server (fiscalreceipt): {problem}.",
        ).format(problem=problem)
    )


def _missing(number: str, what: str) -> SyncProblem:
    return SyncProblem(
        LocalizedText(
            "Заказ № {number}: в базе данных нет {what}; выгрузка отложена.",
            "Order {number}: the database has no {what}; the upload is postponed.",
        ).format(number=number, what=what)
    )


CARD_UNKNOWN_AFTER = timedelta(minutes=10)
"""A card authorization not listed by the gateway this long after its attempt was stored never
reached it (the client gives up after its timeout, seconds)."""
NO_SUCH_PAYMENT = "AS400"


def _pick_operation(ops: list[OperationState], billnumber: str | None) -> OperationState | None:
    """The gateway's row for our attempt: the one with its billnumber, else the newest."""
    if billnumber is not None:
        return next((op for op in ops if op.billnumber == billnumber), None)
    if not ops:
        return None
    return max(
        enumerate(ops),
        key=lambda pair: (pair[1].packet_date is not None, pair[1].packet_date, pair[0]),
    )[1]


def _coalesced(changes: list[SyncChange]) -> list[SyncChange]:
    """The changes with only the last ``StepChange`` of each entry: a step replaces the whole
    payload, so an earlier one in the same transaction would only be overwritten."""
    last = {c.entry_id: i for i, c in enumerate(changes) if isinstance(c, StepChange)}
    return [
        change
        for i, change in enumerate(changes)
        if not isinstance(change, StepChange) or last[change.entry_id] == i
    ]


class SyncSteps:
    """The steps, over a store, a synchronous gateway client and the event bus."""

    def __init__(
        self,
        store: Store,
        client: GatewayClient,
        events: EventBus,
        clock: Callable[[], datetime],
        *,
        checkpoint: Callable[[str], None] = crash_at_checkpoint,
        fiscal_poll_s: float = 1.0,
    ) -> None:
        self.store = store
        self.client = client
        self.events = events
        self.clock = clock
        self.checkpoint = checkpoint
        self.fiscal_poll_s = fiscal_poll_s
        self._changes: list[SyncChange] = []
        self._after: list[Callable[[], None]] = []
        self._stored_checkpoints: list[str] = []
        self._answered = 0
        """Answers of the current stage whose results are queued, not yet stored."""

    # -- writes ------------------------------------------------------------------------------

    def queue(self, change: SyncChange, *after: Callable[[], None]) -> None:
        """Store ``change`` at the next ``flush()``; run ``after`` once it is committed."""
        self._changes.append(change)
        self._after.extend(after)

    def queue_after(self, action: Callable[[], None]) -> None:
        """Run ``action`` after the next commit."""
        self._after.append(action)

    def queue_checkpoint(self, name: str) -> None:
        """Call the checkpoint ``name`` after the next commit, once however often it is queued,
        before the other actions that follow the commit (stored, not yet announced)."""
        if name not in self._stored_checkpoints:
            self._stored_checkpoints.append(name)

    def postpone(self, entry_id: int, when: datetime, error: str | None) -> None:
        self.queue(PostponeChange(entry_id, when, error))

    def flush(self) -> None:
        """Store the queued changes in one transaction, then run what follows them.

        ``StoreWriteFailed`` if the transaction fails (the changes are dropped, nothing that
        follows them runs)."""
        changes, after, checkpoints = self._changes, self._after, self._stored_checkpoints
        self._changes, self._after, self._stored_checkpoints = [], [], []
        if changes:
            try:
                self.store.apply_sync_changes(_coalesced(changes), self.clock())
            except Exception as exc:
                raise StoreWriteFailed(f"sync changes not stored: {exc}") from exc
        for name in checkpoints:
            self.checkpoint(name)
        for action in after:
            action()

    def _set_step(self, upload: CashUpload, step: str, *after: Callable[[], None]) -> None:
        upload.step = step
        upload.marked_here = False
        done = step == STEP_DONE
        self.queue(StepChange(upload.entry.id, upload.payload_with(step), done), *after)

    def _publish(self, *events: object) -> Callable[[], None]:
        def publish() -> None:
            for event in events:
                self.events.publish(event)

        return publish

    # -- outbox: the stages of a cash upload -------------------------------------------------

    @staticmethod
    def sale_of(upload: CashUpload) -> CashSaleRecord:
        """The upload's sale; ``SyncProblem`` if it is not a cash upload or rows are missing."""
        entry = upload.entry
        if entry.kind != OUTBOX_REGISTER_CASH:
            raise SyncProblem(
                LocalizedText(
                    "Неизвестный вид задания синхронизации «{kind}».",
                    "Unknown kind of sync work '{kind}'.",
                ).format(kind=entry.kind)
            )
        if isinstance(upload.sale, UserFacingError):
            raise upload.sale
        if upload.sale is None:
            attempt_id = entry.data.get("attempt_id")
            if not isinstance(attempt_id, str):
                raise _missing(entry.order_number, "attempt_id")
            raise _missing(entry.order_number, f"payment attempt {attempt_id}")
        return upload.sale

    @staticmethod
    def _is_cash_sale(upload: CashUpload) -> bool:
        return upload.entry.kind == OUTBOX_REGISTER_CASH and isinstance(upload.sale, CashSaleRecord)

    def _begin(self, uploads: Sequence[CashUpload], ready: str, mark: str, checkpoint: str) -> None:
        """Mark the uploads at step ``ready`` with ``mark`` and store that together with
        everything queued, in one transaction; then ``checkpoint`` if any was marked."""
        marked = False
        for upload in uploads:
            if upload.step == ready and self._is_cash_sale(upload):
                self._set_step(upload, mark)
                upload.marked_here = True
                marked = True
        self.flush()
        if marked:
            self.checkpoint(checkpoint)

    def _end(self, checkpoint: str) -> None:
        if self._answered:
            self.checkpoint(checkpoint)
        self._answered = 0

    def begin_register(self, uploads: Sequence[CashUpload]) -> None:
        """Before a batch's registrations: one transaction marks every entry that will send
        one ``register_sent``."""
        self._answered = 0
        self._begin(uploads, STEP_NEW, STEP_REGISTER_SENT, "before_register_sent")

    def end_register(self) -> None:
        """After a batch's registrations: their billnumbers are known, none stored yet."""
        self._end("after_register_batch_sent")

    def begin_fiscalize(self, uploads: Sequence[CashUpload]) -> None:
        """Before a batch's fiscalizations: one transaction stores every billnumber the
        registrations returned and marks every entry that will send a fiscalize
        ``fiscalize_sent``."""
        self._answered = 0
        registered = [upload for upload in uploads if upload.billnumber is not None]
        self._begin(registered, STEP_REGISTERED, STEP_FISCALIZE_SENT, "before_fiscalize_sent")

    def end_fiscalize(self) -> None:
        """After a batch's fiscalizations: their receipt ids are known, none stored yet."""
        self._end("after_fiscalize_batch_sent")

    def begin_fetch(self, uploads: Sequence[CashUpload]) -> None:
        """Before a batch's receipts are fetched: one transaction stores every receipt id the
        fiscalizations returned (fetching a receipt only reads, so nothing is marked)."""
        self._answered = 0
        self.flush()

    def register(self, upload: CashUpload) -> bool:
        """Register the sale unless the gateway has it already. Returns False (not finished);
        ``RetryLater``, a ``GatewayError`` or ``SyncProblem`` like every stage. The billnumber
        is queued, stored by the next ``begin_*`` or ``flush()``."""
        sale = self.sale_of(upload)
        if upload.step not in (STEP_NEW, STEP_REGISTER_SENT) and upload.billnumber is not None:
            return False
        number = sale.number
        if upload.step == STEP_NEW:  # not marked by ``begin_register``: mark it on its own
            self._begin([upload], STEP_NEW, STEP_REGISTER_SENT, "before_register_sent")
        elif not upload.marked_here:
            # An earlier send may have reached the gateway: ask before sending again.
            since = sale.created_at - ORDER_STATE_LOOKBACK
            ops = self.client.order_state(number, since=since)
            found = [
                op for op in ops if op.state is OrderState.APPROVED and op.amount == sale.amount
            ]
            if found:
                log.info("order %s: the gateway already has the cash sale", number)
                self._registered(upload, sale, found[-1].billnumber, found[-1].response_code)
                return False
        registration = CashRegistration(
            order_number=number,
            attempt_id=sale.attempt_id,
            amount=sale.amount,
            total=sale.total,
            prepaid=sale.prepaid,
            paid_at=sale.paid_at,
            email=sale.email,
            phone=sale.phone,
            items=sale.items,
        )
        result = self.client.register_cash(registration)
        self.checkpoint("after_register_sent")
        if result.state is OrderState.IN_PROCESS:
            raise RetryLater(self.fiscal_poll_s, "the gateway is still registering the sale")
        if result.state is not OrderState.APPROVED:
            raise SyncProblem(
                LocalizedText(
                    "Сервер Ассист не принял оплату наличными по заказу № {number}: "
                    "статус {state}, код {code}.",
                    "The Assist server did not accept the cash payment of order {number}: "
                    "state {state}, code {code}.",
                ).format(number=number, state=result.state.value, code=result.response_code)
            )
        if result.replayed:
            log.info("order %s: the gateway already had attempt %s", number, sale.attempt_id)
        self._registered(upload, sale, result.billnumber, result.response_code)
        return False

    def _registered(
        self, upload: CashUpload, sale: CashSaleRecord, billnumber: str, response_code: str
    ) -> None:
        upload.billnumber = billnumber
        self._answered += 1
        self.queue(
            OutcomeChange(
                sale.order_id, sale.attempt_pk, OrderState.APPROVED, billnumber, response_code
            )
        )
        self.queue_checkpoint("after_register_stored")
        number = sale.number
        self._set_step(
            upload,
            STEP_REGISTERED,
            partial(log.info, _REGISTERED_LOG, number, billnumber),
            self._publish(
                OrderStateChanged(number, OrderState.APPROVED, FiscalState.NEW),
                notification_order_uploaded(number),
            ),
        )

    def fiscalize(self, upload: CashUpload) -> bool:
        """Ask for the receipt of a registered sale unless that was done. Returns False; the
        receipt id is queued, stored by ``begin_fetch`` (or ``flush()``)."""
        sale = self.sale_of(upload)
        billnumber = upload.billnumber
        if upload.step not in (STEP_REGISTERED, STEP_FISCALIZE_SENT) or billnumber is None:
            return False
        if upload.step == STEP_REGISTERED:  # not marked by ``begin_fiscalize``
            self._begin([upload], STEP_REGISTERED, STEP_FISCALIZE_SENT, "before_fiscalize_sent")
        elif not upload.marked_here:
            # An earlier fiscalize may have reached the gateway: ask before sending again.
            try:
                receipt = self.client.fiscal_receipt(billnumber)
            except GatewayRejected as exc:
                log.info("order %s: no receipt at the gateway yet (%s)", sale.number, exc.code)
            else:
                if receipt.fiscalreceipt_id:
                    log.info(
                        "order %s: the gateway already has receipt %s",
                        sale.number,
                        receipt.fiscalreceipt_id,
                    )
                    self._fiscal_id(upload, sale, receipt.fiscalreceipt_id)
                    return False
        fiscal_id = self.client.fiscalize(
            billnumber,
            kind=RECEIPT_SELL,
            email=sale.email,
            phone=sale.phone,
            payment_id=sale.attempt_id,
        )
        self.checkpoint("after_fiscalize_sent")
        self._fiscal_id(upload, sale, fiscal_id)
        return False

    def _fiscal_id(self, upload: CashUpload, sale: CashSaleRecord, fiscal_id: str) -> None:
        if len(fiscal_id) > _MAX_LENGTHS["fiscal_receipt_id"]:
            raise _unreadable_receipt("fiscalreceipt_ID is longer than 64 characters")
        data = FiscalData(FiscalState.NEW, fiscal_receipt_id=fiscal_id)
        upload.fiscal_state = data.fiscal_state
        self._answered += 1
        self.queue(FiscalChange(sale.order_id, sale.attempt_pk, sale.receipt_pk, data))
        self.queue_checkpoint("after_fiscalize_stored")
        self._set_step(upload, STEP_FISCALIZE_ACCEPTED)

    def fetch_receipt(self, upload: CashUpload) -> bool:
        """Fetch and store the fiscal receipt; True when final (the entry is done), else
        ``RetryLater``."""
        sale = self.sale_of(upload)
        number, billnumber = sale.number, upload.billnumber
        if billnumber is None:  # not registered: an earlier stage has failed
            raise _missing(number, "billnumber")
        receipt = self.client.fiscal_receipt(billnumber)
        data = fiscal_data_from(receipt)
        changed = upload.fiscal_state is not data.fiscal_state
        upload.fiscal_state = data.fiscal_state
        self.queue(FiscalChange(sale.order_id, sale.attempt_pk, sale.receipt_pk, data))
        if not receipt.status.is_final:
            if changed:
                state_event = OrderStateChanged(number, OrderState.APPROVED, data.fiscal_state)
                self.queue_after(self._publish(state_event))
            raise RetryLater(self.fiscal_poll_s, receipt.errortext)
        events: list[object] = [OrderStateChanged(number, OrderState.APPROVED, receipt.status)]
        if receipt.status is FiscalState.SUCCESS:
            events.append(notification_fiscal_sent(number))
        elif receipt.status is FiscalState.CREATE_ERROR:
            log.warning(
                "order %s: the gateway could not make the receipt: %s", number, receipt.errortext
            )
        self.queue_checkpoint("after_fiscal_data_stored")
        self._set_step(
            upload,
            STEP_DONE,
            partial(log.info, "order %s: fiscal receipt %s", number, receipt.status.value),
            self._publish(*events),
        )
        return True

    # -- attempts In Process -----------------------------------------------------------------

    def settle_attempt(self, candidate: SyncCandidate) -> OrderState | None:
        """Ask the gateway about an attempt In Process and store a final answer.

        Returns the state the gateway reports (None if it does not know the order). A final
        state is stored and announced (``Статус заказа №… изменился на "…"``).
        """
        number = candidate.order_number
        ops = self.client.order_state(
            number, since=candidate.order_created_at - ORDER_STATE_LOOKBACK
        )
        if candidate.billnumber is None:
            # An attempt whose answer was lost (a card authorization): its operation is the one
            # of its amount that no other attempt of the order has.
            others = self.store.other_billnumbers(number, candidate.attempt_id)
            ops = [
                op for op in ops if op.billnumber not in others and op.amount == candidate.amount
            ]
        op = _pick_operation(ops, candidate.billnumber)
        self.checkpoint("after_state_polled")
        if op is None:
            log.info("order %s: the gateway has no operation for it yet", number)
            if candidate.method is PaymentMethod.CARD_READER:
                return self._unknown_card_attempt(candidate)
            return None
        if not op.state.is_final:
            return op.state
        changed = self.store.record_attempt_outcome(
            candidate.attempt_id,
            op.state,
            self.clock(),
            billnumber=op.billnumber,
            response_code=op.response_code,
        )
        self.checkpoint("after_state_stored")
        if changed:
            log.info("order %s: state %s", number, op.state.value)
            self.events.publish(OrderStateChanged(number, op.state, None))
            if op.state is OrderState.APPROVED and self.store.remote_attempt_state(
                candidate.attempt_id
            ) == (OrderState.APPROVED, True):
                self.events.publish(notification_late_approval(number, candidate.method))
            else:
                self.events.publish(notification_state_changed(number, op.state))
        return op.state

    def _unknown_card_attempt(self, candidate: SyncCandidate) -> OrderState | None:
        """A card attempt In Process the gateway does not list: its authorization never reached
        the gateway (a committed one is listed). Once no request can still be on its way
        (``CARD_UNKNOWN_AFTER``), it ends Timeout with AS400 («no payment with such
        parameters») and the order may be paid again."""
        card = self.store.card_payment(candidate.attempt_id)
        now = self.clock()
        if card is None or now - card.created_at < CARD_UNKNOWN_AFTER:
            return None
        number = candidate.order_number
        if not self.store.end_card_attempt(
            candidate.attempt_id, OrderState.TIMEOUT, now, response_code=NO_SUCH_PAYMENT
        ):
            return None
        self.checkpoint("after_state_stored")
        log.warning(
            "order %s: the gateway never got card attempt %s; ended", number, card.attempt_id
        )
        self.events.publish(OrderStateChanged(number, OrderState.TIMEOUT, None))
        self.events.publish(notification_state_changed(number, OrderState.TIMEOUT))
        return OrderState.TIMEOUT
