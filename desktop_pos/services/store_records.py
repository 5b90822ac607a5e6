"""Plain records the store hands out about payments, receipts and the outbox (no ORM rows).

The sync worker reads and writes them through ``Store``; the journal shows ``OrderDetails``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from desktop_pos.models.errors import UserFacingError
from desktop_pos.models.order import Order, OrderItem
from desktop_pos.models.payment import FiscalState, OrderState, PaymentMethod


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """Work waiting for the gateway sync worker."""

    id: int
    kind: str
    order_number: str
    payload: str
    """A JSON object as text (keys depend on ``kind``)."""
    created_at: datetime
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    done_at: datetime | None = None

    @property
    def data(self) -> dict[str, object]:
        """The payload as a dict (``ValueError`` if it is not a JSON object)."""
        value = json.loads(self.payload)
        if not isinstance(value, dict):
            raise ValueError(f"outbox entry {self.id}: the payload is not a JSON object")
        return value

    @property
    def step(self) -> str:
        """How far the work has got (``payload["step"]``; ``new`` before anything was sent)."""
        step = self.data.get("step", STEP_NEW)
        return step if isinstance(step, str) else STEP_NEW


# Steps of a ``register_cash`` entry, persisted in its payload before the next external call
# (docs/sync.md). A step ending in ``_sent`` means the request may have reached the gateway and
# its outcome is unknown until asked.
STEP_NEW = "new"
STEP_REGISTER_SENT = "register_sent"
STEP_REGISTERED = "registered"
STEP_FISCALIZE_SENT = "fiscalize_sent"
STEP_FISCALIZE_ACCEPTED = "fiscalize_accepted"
STEP_DONE = "done"


@dataclass(frozen=True, slots=True)
class FiscalData:
    """What the gateway reported about a receipt (``fiscalreceipt``), ready to store."""

    fiscal_state: FiscalState
    fiscal_receipt_id: str | None = None
    fn: str | None = None
    fd: str | None = None
    fp: str | None = None
    shift_number: int | None = None
    receipt_number: int | None = None
    kkt_reg_number: str | None = None
    fiscal_datetime: datetime | None = None
    qr_string: str | None = None
    error_text: str | None = None


@dataclass(frozen=True, slots=True)
class AttemptDetails:
    attempt_id: str
    method: PaymentMethod
    state: OrderState
    amount: Decimal
    received: Decimal | None
    change: Decimal | None
    transaction_number: str
    billnumber: str | None
    response_code: str | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class ReceiptDetails:
    attempt_id: str
    """The payment attempt's ``attempt_id`` (uuid string)."""
    kind: str
    fiscal_state: FiscalState
    fiscal_receipt_id: str | None
    fn: str | None
    fd: str | None
    fp: str | None
    shift_number: int | None
    receipt_number: int | None
    kkt_reg_number: str | None
    fiscal_datetime: datetime | None
    qr_string: str | None
    error_text: str | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class OrderDetails:
    """Everything stored about one order, for the journal's detail view and the sync worker."""

    order: Order
    state: OrderState
    method: PaymentMethod | None
    fiscal_state: FiscalState | None
    billnumber: str | None
    source: str
    paid_at: datetime | None
    updated_at: datetime
    attempts: tuple[AttemptDetails, ...]
    """Oldest first; the last one is the newest attempt."""
    receipts: tuple[ReceiptDetails, ...]
    outbox: tuple[OutboxEntry, ...]

    def attempt(self, attempt_id: str) -> AttemptDetails | None:
        return next((a for a in self.attempts if a.attempt_id == attempt_id), None)

    def receipt_of(self, attempt_id: str, kind: str = "sell") -> ReceiptDetails | None:
        found = [r for r in self.receipts if r.attempt_id == attempt_id and r.kind == kind]
        return found[-1] if found else None


@dataclass(frozen=True, slots=True)
class SyncCandidate:
    """The newest payment attempt of an order whose outcome the gateway has to settle."""

    order_number: str
    order_state: OrderState
    order_created_at: datetime
    attempt_id: str
    method: PaymentMethod
    attempt_state: OrderState
    amount: Decimal
    billnumber: str | None


@dataclass(frozen=True, slots=True)
class CashSaleRecord:
    """What uploading a ``register_cash`` entry needs, read by one narrow query at the claim."""

    order_id: int
    attempt_pk: int
    """``payment_attempts.id`` (the row key, not the uuid)."""
    attempt_id: str
    number: str
    created_at: datetime
    total: Decimal
    prepaid: Decimal
    email: str
    phone: str
    items: tuple[OrderItem, ...]
    amount: Decimal
    paid_at: datetime
    """The order's ``paid_at``, else the attempt's ``created_at``."""
    billnumber: str | None
    receipt_pk: int | None
    """The attempt's newest sell receipt (``receipts.id``), None if it has none."""
    fiscal_state: FiscalState | None


@dataclass(slots=True)
class CashUpload:
    """A claimed outbox entry with its sale (None: not a cash upload, or its rows are missing;
    an error: its stored data cannot be read).

    ``step`` and ``billnumber`` follow the upload as the worker stores its progress; the entry is
    leased to this worker, so nobody else changes them meanwhile.
    """

    entry: OutboxEntry
    sale: CashSaleRecord | UserFacingError | None
    step: str
    billnumber: str | None
    fiscal_state: FiscalState | None
    marked_here: bool = False
    """``step`` is a ``_sent`` mark this worker stored for the request it is about to send:
    no earlier request can have reached the gateway, so there is nothing to ask about first."""

    _data: dict[str, object] | None = field(default=None, init=False, repr=False, compare=False)

    def payload_with(self, step: str) -> str:
        """The entry's payload text with ``step`` in it (the payload is parsed once)."""
        if self._data is None:
            self._data = self.entry.data
        return json.dumps({**self._data, "step": step})


# Changes the sync worker stores, several in one transaction (``Store.apply_sync_changes``).


@dataclass(frozen=True, slots=True)
class StepChange:
    """``payload["step"]`` of an outbox entry; ``done`` completes it (``done_at``)."""

    entry_id: int
    payload: str
    done: bool = False


@dataclass(frozen=True, slots=True)
class PostponeChange:
    """The entry is due again at ``next_attempt_at``; ``error`` noted (None clears it)."""

    entry_id: int
    next_attempt_at: datetime
    error: str | None


@dataclass(frozen=True, slots=True)
class OutcomeChange:
    """An attempt's state (only along ``ALLOWED_TRANSITIONS``), billnumber and response code
    (None keeps them); the order row follows when it is the order's newest attempt."""

    order_id: int
    attempt_pk: int
    state: OrderState
    billnumber: str | None = None
    response_code: str | None = None


@dataclass(frozen=True, slots=True)
class FiscalChange:
    """A receipt's fiscal data (None fields keep their value); the order row follows."""

    order_id: int
    attempt_pk: int
    receipt_pk: int | None
    """``receipts.id`` if known; else the attempt's newest receipt of ``kind`` (made if none)."""
    data: FiscalData
    kind: str = "sell"


SyncChange = StepChange | PostponeChange | OutcomeChange | FiscalChange
