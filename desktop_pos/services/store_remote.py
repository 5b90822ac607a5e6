"""The store's part of SBP and SoftPOS payments: attempts paid away from the counter.

An SBP or SoftPOS attempt is written before the gateway is asked (state New), gets its billnumber
and QR payload with the registration (In Process), and its outcome from the polling on the result
screen or from the sync worker, through ``Store.record_attempt_outcome``, which calls
``after_outcome`` in the same transaction.

The order is never counted as paid twice:

* the cashier may choose another method while an attempt is In Process (``abandon_remote_attempt``):
  the attempt is marked abandoned, the order is payable again, and the gateway keeps being asked
  about the attempt (``abandoned_in_process``, polled by the sync worker);
* an abandoned attempt approved after another payment completed the order is flagged for refund
  (``refund_flagged_at``): it never becomes the order's payment, the journal shows it;
* one approved while the order is still unpaid is the order's payment (the buyer paid).
"""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import exists, insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from desktop_pos.models.order import Order
from desktop_pos.models.payment import FiscalState, OrderState, PaymentMethod
from desktop_pos.models.schema import (
    OrderRow,
    OutboxRow,
    PaymentAttemptRow,
    ReceiptRow,
    parse_stored,
)
from desktop_pos.services.store_records import STEP_REGISTERED, SyncCandidate

log = logging.getLogger(__name__)

REMOTE_METHODS = frozenset({PaymentMethod.SBP, PaymentMethod.SOFTPOS})
_RECEIPT_ON_APPROVAL = frozenset(
    method.value for method in (*REMOTE_METHODS, PaymentMethod.CARD_READER)
)
"""Methods whose approval (told by the gateway) makes the sell receipt and its outbox entry."""
_PAID_BY_ANOTHER = (
    OrderState.OFFLINE.value,
    OrderState.APPROVED.value,
    OrderState.PARTIAL_CANCELED.value,
)


@dataclass(frozen=True, slots=True)
class RemoteAttempt:
    """An SBP or SoftPOS attempt as the payment flow needs it."""

    order_number: str
    attempt_id: str
    method: PaymentMethod
    amount: Decimal
    transaction_number: str
    created_at: datetime
    """When the attempt was written: «Дата заказа» on the result screen (aware UTC)."""


@dataclass(frozen=True, slots=True)
class LateApproval:
    """An attempt approved after another payment had completed its order: to be refunded."""

    order_number: str
    attempt_id: str
    method: PaymentMethod
    amount: Decimal
    billnumber: str | None
    flagged_at: datetime


def after_outcome(
    connection: Connection, attempt_pk: int, state: OrderState, now: datetime
) -> bool:
    """Run in the transaction that stored ``state`` for attempt ``attempt_pk``.

    An approved SBP/SoftPOS (or card) attempt gets its sell receipt row and an outbox entry for
    its fiscal data (the sync worker asks Assist for the receipt, as for cash).
    An abandoned one approved while another attempt of the order is paid is flagged for refund;
    returns True when it was flagged now.
    """
    if state is not OrderState.APPROVED:
        return False
    attempt = connection.execute(
        select(
            PaymentAttemptRow.id,
            PaymentAttemptRow.order_id,
            PaymentAttemptRow.method,
            PaymentAttemptRow.state,
            PaymentAttemptRow.abandoned_at,
            PaymentAttemptRow.refund_flagged_at,
        ).where(PaymentAttemptRow.id == attempt_pk)
    ).one()
    if attempt.method not in _RECEIPT_ON_APPROVAL:
        return False
    if attempt.state != OrderState.APPROVED.value:
        return False  # a stale reply that did not move the stored state
    other = PaymentAttemptRow.__table__.alias("other")
    paid_elsewhere = connection.scalar(
        select(
            exists().where(
                other.c.order_id == attempt.order_id,
                other.c.id != attempt.id,
                other.c.state.in_(_PAID_BY_ANOTHER),
                other.c.refund_flagged_at.is_(None),
            )
        )
    )
    if attempt.abandoned_at is not None and paid_elsewhere:
        if attempt.refund_flagged_at is not None:
            return False
        connection.execute(
            update(PaymentAttemptRow)
            .where(PaymentAttemptRow.id == attempt.id)
            .values(refund_flagged_at=now, updated_at=now)
        )
        log.warning("attempt %s approved after the order was paid: flagged for refund", attempt.id)
        return True
    has_receipt = connection.scalar(
        select(exists().where(ReceiptRow.attempt_id == attempt.id, ReceiptRow.kind == "sell"))
    )
    if not has_receipt:
        connection.execute(
            insert(ReceiptRow).values(
                order_id=attempt.order_id,
                attempt_id=attempt.id,
                kind="sell",
                fiscal_state=FiscalState.NEW.value,
                created_at=now,
                updated_at=now,
            )
        )
        connection.execute(
            update(OrderRow)
            .where(OrderRow.id == attempt.order_id, OrderRow.paid_at.is_(None))
            .values(paid_at=now)
        )
        _queue_fiscal_receipt(connection, attempt.id, now)
    return False


def _queue_fiscal_receipt(connection: Connection, attempt_pk: int, now: datetime) -> None:
    """An outbox entry that has the sync worker ask for the approved payment's receipt and fetch
    its fiscal data: the cash upload's entry, already at step ``registered`` (the gateway has the
    payment), so the worker goes on with ``fiscalize`` and the receipt as for cash."""
    found = connection.execute(
        select(PaymentAttemptRow.attempt_id, PaymentAttemptRow.transaction_number, OrderRow.number)
        .join(OrderRow, OrderRow.id == PaymentAttemptRow.order_id)
        .where(PaymentAttemptRow.id == attempt_pk)
    ).one()
    payload = {
        "order_number": found.number,
        "attempt_id": found.attempt_id,
        "transaction_number": found.transaction_number,
        "step": STEP_REGISTERED,
    }
    connection.execute(
        insert(OutboxRow).values(
            kind="register_cash",
            order_number=found.number,
            payload=json.dumps(payload),
            created_at=now,
            attempts=0,
            next_attempt_at=now,
        )
    )


class RemotePaymentStoreMethods:
    """Mixed into ``Store``: the SBP/SoftPOS attempts."""

    _engine: Engine

    def begin_remote_payment(
        self, order: Order, method: PaymentMethod, now: datetime, *, source: str = "manual"
    ) -> RemoteAttempt:
        """Write the order and a new attempt (state New) of ``method`` before the gateway is
        asked. Raises ``PaymentError`` if the order is paid or its payment is in process."""
        from desktop_pos.services import store as store_module  # the shared sale helpers

        if method not in REMOTE_METHODS:
            raise ValueError(f"{method} is not paid away from the counter")
        order.validate_for_payment()
        with Session(self._engine) as session, session.begin():
            order_row = store_module.claim_order_for_payment(session, order, source, now)
            order_row.state = OrderState.NEW.value
            order_row.method = method.value
            order_row.paid_at = None
            order_row.billnumber = None
            order_row.fiscal_state = None
            session.flush()
            attempt = PaymentAttemptRow(
                order_id=order_row.id,
                attempt_id=str(uuid.uuid4()),
                method=method.value,
                state=OrderState.NEW.value,
                amount=order.due,
                transaction_number=store_module.unused_transaction_number(session),
                created_at=now,
                updated_at=now,
            )
            session.add(attempt)
            session.flush()
            return RemoteAttempt(
                order.number,
                attempt.attempt_id,
                method,
                order.due,
                attempt.transaction_number,
                now,
            )

    def record_registration(
        self,
        attempt_id: str,
        billnumber: str,
        state: OrderState,
        qr_payload: str,
        now: datetime,
    ) -> None:
        """The gateway registered the attempt: its billnumber, state and QR payload; the order
        follows (In Process blocks another payment until it is settled or abandoned)."""
        with Session(self._engine) as session, session.begin():
            attempt = session.scalars(
                select(PaymentAttemptRow).where(PaymentAttemptRow.attempt_id == attempt_id)
            ).one()
            attempt.billnumber = billnumber
            attempt.qr_payload = qr_payload
            if attempt.state == OrderState.NEW.value:
                attempt.state = state.value
            attempt.updated_at = now
            order_row = session.get_one(OrderRow, attempt.order_id)
            if order_row.state == OrderState.NEW.value and attempt.abandoned_at is None:
                order_row.state = attempt.state
                order_row.billnumber = billnumber
                order_row.updated_at = now

    def abandon_remote_attempt(self, attempt_id: str, now: datetime) -> None:
        """The cashier chose another method while the attempt was New or In Process: the order
        may be paid again; the attempt is still asked about (a late approval is flagged)."""
        with Session(self._engine) as session, session.begin():
            attempt = session.scalars(
                select(PaymentAttemptRow).where(PaymentAttemptRow.attempt_id == attempt_id)
            ).one()
            if attempt.state not in (OrderState.NEW.value, OrderState.IN_PROCESS.value):
                return
            attempt.abandoned_at = now
            attempt.updated_at = now
            order_row = session.get_one(OrderRow, attempt.order_id)
            if order_row.state in (OrderState.NEW.value, OrderState.IN_PROCESS.value):
                order_row.state = OrderState.NEW.value
                order_row.billnumber = None
                order_row.updated_at = now
            log.info(
                "order %s: attempt %s abandoned for another method", order_row.number, attempt_id
            )

    def abandoned_billnumbers(self, number: str) -> frozenset[str]:
        """Billnumbers of the order's abandoned attempts (the gateway may still list them as
        In Process: they do not block another method)."""
        with Session(self._engine) as session, session.begin():
            rows = session.scalars(
                select(PaymentAttemptRow.billnumber)
                .join(OrderRow, OrderRow.id == PaymentAttemptRow.order_id)
                .where(
                    OrderRow.number == number,
                    PaymentAttemptRow.abandoned_at.is_not(None),
                    PaymentAttemptRow.billnumber.is_not(None),
                )
            )
            return frozenset(bill for bill in rows if bill is not None)

    def remote_attempt_state(self, attempt_id: str) -> tuple[OrderState, bool]:
        """(stored state, flagged for refund) of an attempt."""
        with Session(self._engine) as session, session.begin():
            row = session.execute(
                select(
                    PaymentAttemptRow.state,
                    PaymentAttemptRow.refund_flagged_at,
                    OrderRow.number,
                )
                .join(OrderRow, OrderRow.id == PaymentAttemptRow.order_id)
                .where(PaymentAttemptRow.attempt_id == attempt_id)
            ).one()
            state = parse_stored(OrderState, row.state, row.number, "payment_attempts.state")
            return state, row.refund_flagged_at is not None

    def late_approvals(self) -> list[LateApproval]:
        """Every attempt flagged for refund, newest first."""
        with Session(self._engine) as session, session.begin():
            rows = session.execute(
                select(PaymentAttemptRow, OrderRow.number)
                .join(OrderRow, OrderRow.id == PaymentAttemptRow.order_id)
                .where(PaymentAttemptRow.refund_flagged_at.is_not(None))
                .order_by(PaymentAttemptRow.refund_flagged_at.desc())
            ).all()
            return [
                LateApproval(
                    number,
                    attempt.attempt_id,
                    parse_stored(PaymentMethod, attempt.method, number, "payment_attempts.method"),
                    attempt.amount,
                    attempt.billnumber,
                    attempt.refund_flagged_at,
                )
                for attempt, number in rows
                if attempt.refund_flagged_at is not None
            ]


def abandoned_in_process(session: Session, now: datetime, window: timedelta) -> list[SyncCandidate]:
    """Abandoned attempts still In Process, created within ``window`` before ``now``: the sync
    worker keeps asking the gateway about them (a late approval is flagged for refund)."""
    statement = (
        select(OrderRow, PaymentAttemptRow)
        .join(PaymentAttemptRow, PaymentAttemptRow.order_id == OrderRow.id)
        .where(
            PaymentAttemptRow.abandoned_at.is_not(None),
            PaymentAttemptRow.state == OrderState.IN_PROCESS.value,
            PaymentAttemptRow.created_at >= now - window,
        )
        .order_by(PaymentAttemptRow.created_at, PaymentAttemptRow.id)
    )
    return [
        SyncCandidate(
            order_number=order.number,
            order_state=parse_stored(OrderState, order.state, order.number, "orders.state"),
            order_created_at=order.created_at,
            attempt_id=attempt.attempt_id,
            method=parse_stored(
                PaymentMethod, attempt.method, order.number, "payment_attempts.method"
            ),
            attempt_state=OrderState.IN_PROCESS,
            amount=attempt.amount,
            billnumber=attempt.billnumber,
        )
        for order, attempt in session.execute(statement)
    ]
