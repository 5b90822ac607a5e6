"""The store's methods for the gateway sync worker and the journal's detail view.

``Store`` inherits them (``SyncStoreMethods``); like every store method each one runs in a short
transaction of its own and returns plain records (``desktop_pos.services.store_records``). The
order row's ``state``, ``billnumber``, ``method`` and ``fiscal_state`` are kept in step with the
newest attempt and its receipt in the same transaction as the change.

The sync worker's hot path (docs/sync.md): ``claim_cash_uploads`` leases a batch and reads what
its uploads need with two narrow SELECTs; ``apply_sync_changes`` stores the changes queued
between two external calls in one transaction, each change one or two UPDATEs prepared once
(``_Prepared``) — no ORM loads, no statement building per call.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import (
    func,
    select,
    update,
)
from sqlalchemy.engine import Connection, Engine, Row
from sqlalchemy.orm import Session, aliased, selectinload

from desktop_pos.models.errors import UserFacingError
from desktop_pos.models.order import OrderItem
from desktop_pos.models.payment import FiscalState, OrderState, PaymentMethod, can_transition
from desktop_pos.models.schema import (
    OrderItemRow,
    OrderRow,
    OutboxRow,
    PaymentAttemptRow,
    ReceiptRow,
    StoredDataError,
    parse_stored,
    stored_order_item,
)
from desktop_pos.services.store_records import (
    AttemptDetails,
    CashSaleRecord,
    CashUpload,
    FiscalChange,
    FiscalData,
    OrderDetails,
    OutboxEntry,
    OutcomeChange,
    PostponeChange,
    ReceiptDetails,
    StepChange,
    SyncCandidate,
    SyncChange,
)
from desktop_pos.services.store_remote import abandoned_in_process, after_outcome
from desktop_pos.services.store_sync_writes import (
    _apply,
    _apply_all,
    _require_aware,
)

log = logging.getLogger(__name__)

RESYNC_WINDOW = timedelta(days=3)
"""Orders this recent are re-queried at start-up (Assist's orderstate looks back 3 days)."""
RESYNC_STATES = (OrderState.OFFLINE, OrderState.IN_PROCESS)


def outbox_entry_from_row(row: OutboxRow) -> OutboxEntry:
    return OutboxEntry(
        id=row.id,
        kind=row.kind,
        order_number=row.order_number,
        payload=row.payload,
        created_at=row.created_at,
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        last_error=row.last_error,
        done_at=row.done_at,
    )


def _attempt_of(connection: Connection, attempt_id: str) -> Row[int, int, str, str]:
    """The attempt's ``id``, ``order_id``, ``state`` and its order's ``number``."""
    found = connection.execute(
        select(
            PaymentAttemptRow.id,
            PaymentAttemptRow.order_id,
            PaymentAttemptRow.state,
            OrderRow.number,
        )
        .join(OrderRow, OrderRow.id == PaymentAttemptRow.order_id)
        .where(PaymentAttemptRow.attempt_id == attempt_id)
    ).first()
    if found is None:
        raise LookupError(f"no payment attempt {attempt_id}")
    return found


def _step_change(connection: Connection, entry_id: int, step: str) -> StepChange:
    """The change that sets ``payload["step"]`` of a stored entry (``done`` completes it)."""
    payload = connection.scalar(select(OutboxRow.payload).where(OutboxRow.id == entry_id))
    if payload is None:
        raise LookupError(f"no outbox entry {entry_id}")
    return StepChange(entry_id, json.dumps({**json.loads(payload), "step": step}), step == "done")


_SELL = "sell"


def _claim(
    connection: Connection,
    limit: int,
    now: datetime,
    lease_end: datetime,
    due_only: bool,
    created_since: datetime | None,
    after_id: int,
) -> list[OutboxEntry]:
    """Select the entries to take (SKIP LOCKED on PostgreSQL) and lease them."""
    statement = (
        select(
            OutboxRow.id,
            OutboxRow.kind,
            OutboxRow.order_number,
            OutboxRow.payload,
            OutboxRow.created_at,
            OutboxRow.attempts,
            OutboxRow.last_error,
        )
        .where(OutboxRow.done_at.is_(None), OutboxRow.id > after_id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    if due_only:
        statement = statement.where(OutboxRow.next_attempt_at <= now).order_by(
            OutboxRow.next_attempt_at, OutboxRow.id
        )
    else:
        statement = statement.order_by(OutboxRow.id)
    if created_since is not None:
        _require_aware(created_since, "created_since")
        recent_orders = select(OrderRow.number).where(OrderRow.created_at >= created_since)
        statement = statement.where(OutboxRow.order_number.in_(recent_orders))
    rows = connection.execute(statement).all()
    if not rows:
        return []
    connection.execute(
        update(OutboxRow)
        .where(OutboxRow.id.in_([row.id for row in rows]))
        .values(attempts=OutboxRow.attempts + 1, next_attempt_at=lease_end)
    )
    return [
        OutboxEntry(
            id=row.id,
            kind=row.kind,
            order_number=row.order_number,
            payload=row.payload,
            created_at=row.created_at,
            attempts=row.attempts + 1,
            next_attempt_at=lease_end,
            last_error=row.last_error,
        )
        for row in rows
    ]


def _attempt_id_of(entry: OutboxEntry) -> str | None:
    if entry.kind != "register_cash":
        return None
    try:
        attempt_id = entry.data.get("attempt_id")
    except ValueError:
        return None
    return attempt_id if isinstance(attempt_id, str) else None


def _cash_sales(
    connection: Connection, entries: list[OutboxEntry]
) -> dict[str, CashSaleRecord | UserFacingError]:
    """The sales of the entries' cash attempts, by attempt_id."""
    attempt_ids = [a for a in map(_attempt_id_of, entries) if a is not None]
    if not attempt_ids:
        return {}
    newest_receipt = (
        select(func.max(ReceiptRow.id))
        .where(ReceiptRow.attempt_id == PaymentAttemptRow.id, ReceiptRow.kind == _SELL)
        .correlate(PaymentAttemptRow)
        .scalar_subquery()
    )
    statement = (
        select(
            PaymentAttemptRow.id.label("attempt_pk"),
            PaymentAttemptRow.attempt_id,
            PaymentAttemptRow.amount,
            PaymentAttemptRow.billnumber,
            PaymentAttemptRow.created_at.label("attempt_created_at"),
            OrderRow.id.label("order_id"),
            OrderRow.number,
            OrderRow.created_at,
            OrderRow.prepaid,
            OrderRow.email,
            OrderRow.phone,
            OrderRow.paid_at,
            ReceiptRow.id.label("receipt_pk"),
            ReceiptRow.fiscal_state,
        )
        .join(OrderRow, OrderRow.id == PaymentAttemptRow.order_id)
        .outerjoin(ReceiptRow, ReceiptRow.id == newest_receipt)
        .where(PaymentAttemptRow.attempt_id.in_(attempt_ids))
    )
    rows = connection.execute(statement).all()
    items: dict[int, list[OrderItem]] = {row.order_id: [] for row in rows}
    number_of = {row.order_id: row.number for row in rows}
    item_rows = connection.execute(
        select(
            OrderItemRow.order_id,
            OrderItemRow.position,
            OrderItemRow.name,
            OrderItemRow.quantity,
            OrderItemRow.price,
            OrderItemRow.discount,
            OrderItemRow.vat,
            OrderItemRow.payment_method_sign,
        )
        .where(OrderItemRow.order_id.in_(list(items)))
        .order_by(OrderItemRow.order_id, OrderItemRow.position)
    )
    damaged: dict[int, StoredDataError] = {}
    for item in item_rows:
        try:
            items[item.order_id].append(_order_item(item, number_of[item.order_id]))
        except StoredDataError as exc:
            damaged.setdefault(item.order_id, exc)
    sales: dict[str, CashSaleRecord | UserFacingError] = {}
    for row in rows:
        try:
            if row.order_id in damaged:
                raise damaged[row.order_id]
            sales[row.attempt_id] = _sale_record(row, tuple(items[row.order_id]))
        except StoredDataError as exc:
            sales[row.attempt_id] = exc
    return sales


def _sale_record(row: Row[*tuple[Any, ...]], items: tuple[OrderItem, ...]) -> CashSaleRecord:
    return CashSaleRecord(
        order_id=row.order_id,
        attempt_pk=row.attempt_pk,
        attempt_id=row.attempt_id,
        number=row.number,
        created_at=row.created_at,
        total=sum((i.amount for i in items), Decimal("0.00")),
        prepaid=row.prepaid,
        email=row.email,
        phone=row.phone,
        items=items,
        amount=row.amount,
        paid_at=row.paid_at or row.attempt_created_at,
        billnumber=row.billnumber,
        receipt_pk=row.receipt_pk,
        fiscal_state=None
        if row.fiscal_state is None
        else parse_stored(FiscalState, row.fiscal_state, row.number, "receipts.fiscal_state"),
    )


def _order_item(
    row: Row[int, int, str, Decimal, Decimal, Decimal, str, str], number: str
) -> OrderItem:
    return stored_order_item(number, row)


class SyncStoreMethods:
    """Outbox, attempt outcome, fiscal data, resync and detail queries (mixed into ``Store``)."""

    _engine: Engine

    # -- outbox ------------------------------------------------------------------------------

    def claim_outbox(
        self,
        limit: int,
        now: datetime,
        lease: timedelta,
        *,
        due_only: bool = True,
        created_since: datetime | None = None,
        after_id: int = 0,
    ) -> list[OutboxEntry]:
        """Take up to ``limit`` pending entries for ``lease``.

        Ordinarily the entries due by ``now``, earliest due first. The start-up resync passes
        ``due_only=False`` with ``created_since`` (orders created in the last 3 days) and pages
        with ``after_id``: then every pending entry of those orders in id order, due or not (a
        restarted worker takes back what it held when it stopped).

        Each taken entry's ``attempts`` goes up by one and its ``next_attempt_at`` moves to
        ``now + lease``, so another worker on the same database (a second till on PostgreSQL;
        rows are locked with SKIP LOCKED while claiming) does not take it meanwhile, and if this
        worker dies the entry is due again when the lease ends. The returned entries show the
        new values.
        """
        _require_aware(now, "now")
        with self._engine.begin() as connection:
            return _claim(connection, limit, now, now + lease, due_only, created_since, after_id)

    def claim_cash_uploads(
        self,
        limit: int,
        now: datetime,
        lease: timedelta,
        *,
        due_only: bool = True,
        created_since: datetime | None = None,
        after_id: int = 0,
    ) -> list[CashUpload]:
        """``claim_outbox`` and, in the same transaction, what each entry's upload needs (one
        narrow query for the sales, one for their items; no ORM rows)."""
        _require_aware(now, "now")
        with self._engine.begin() as connection:
            entries = _claim(connection, limit, now, now + lease, due_only, created_since, after_id)
            sales = _cash_sales(connection, entries)
        uploads = []
        for entry in entries:
            sale = sales.get(_attempt_id_of(entry) or "")
            if isinstance(sale, CashSaleRecord) and sale.number != entry.order_number:
                sale = None
            uploads.append(
                CashUpload(
                    entry=entry,
                    sale=sale,
                    step=entry.step,
                    billnumber=sale.billnumber if isinstance(sale, CashSaleRecord) else None,
                    fiscal_state=sale.fiscal_state if isinstance(sale, CashSaleRecord) else None,
                )
            )
        return uploads

    def apply_sync_changes(self, changes: Sequence[SyncChange], now: datetime) -> None:
        """Store ``changes`` in one transaction, as if one after another: prepared Core UPDATEs,
        each run once (``executemany``) for all the changes that use it."""
        _require_aware(now, "now")
        with self._engine.begin() as connection:
            _apply_all(connection, changes, now)

    def complete_outbox(self, entry_id: int, now: datetime) -> None:
        self.set_outbox_step(entry_id, "done", now)

    def postpone_outbox(self, entry_id: int, next_attempt_at: datetime, error: str | None) -> None:
        """Make the entry due again at ``next_attempt_at``, noting ``error`` (None clears it)."""
        _require_aware(next_attempt_at, "next_attempt_at")
        self.apply_sync_changes([PostponeChange(entry_id, next_attempt_at, error)], next_attempt_at)

    def set_outbox_step(self, entry_id: int, step: str, now: datetime) -> None:
        """Persist how far an entry has got (``payload["step"]``) before the next call."""
        _require_aware(now, "now")
        with self._engine.begin() as connection:
            _apply(connection, _step_change(connection, entry_id, step), now)

    def pending_outbox_count(self) -> int:
        with Session(self._engine) as session, session.begin():
            count = session.scalar(
                select(func.count()).select_from(OutboxRow).where(OutboxRow.done_at.is_(None))
            )
        return int(count or 0)

    # -- outcomes ----------------------------------------------------------------------------

    def record_attempt_outcome(
        self,
        attempt_id: str,
        state: OrderState,
        now: datetime,
        *,
        billnumber: str | None = None,
        response_code: str | None = None,
        outbox_entry_id: int | None = None,
        outbox_step: str | None = None,
    ) -> bool:
        """Store what the gateway said about an attempt; True if its state changed.

        Sets the attempt's state (only along ``ALLOWED_TRANSITIONS``: a stale reply never moves
        a settled attempt back), billnumber and response code, the order row's state and
        billnumber when this is the order's newest attempt, and, in the same transaction, the
        outbox entry's step.
        """
        _require_aware(now, "now")
        with self._engine.begin() as connection:
            found = _attempt_of(connection, attempt_id)
            old = parse_stored(OrderState, found.state, found.number, "payment_attempts.state")
            if not can_transition(old, state):
                log.warning(
                    "order %s: the gateway reports %s for attempt %s, stored %s; kept",
                    found.number,
                    state.value,
                    attempt_id,
                    old.value,
                )
            changes: list[SyncChange] = [
                OutcomeChange(found.order_id, found.id, state, billnumber, response_code)
            ]
            if outbox_entry_id is not None and outbox_step is not None:
                changes.append(_step_change(connection, outbox_entry_id, outbox_step))
            for change in changes:
                _apply(connection, change, now)
            after_outcome(connection, found.id, state, now)
        return old is not state and can_transition(old, state)

    def record_fiscal_data(
        self,
        attempt_id: str,
        data: FiscalData,
        now: datetime,
        *,
        kind: str = "sell",
        outbox_entry_id: int | None = None,
        outbox_step: str | None = None,
    ) -> bool:
        """Store a receipt's fiscal data; True if its fiscal state changed.

        Fields the gateway did not send (None) keep their stored value. The order row's fiscal
        state follows when the receipt belongs to the newest attempt; the outbox entry's step
        (``done`` completes it) is set in the same transaction.
        """
        _require_aware(now, "now")
        with self._engine.begin() as connection:
            found = _attempt_of(connection, attempt_id)
            receipt = connection.execute(
                select(ReceiptRow.id, ReceiptRow.fiscal_state)
                .where(ReceiptRow.attempt_id == found.id, ReceiptRow.kind == kind)
                .order_by(ReceiptRow.id.desc())
                .limit(1)
            ).first()
            changes: list[SyncChange] = [
                FiscalChange(
                    found.order_id, found.id, None if receipt is None else receipt.id, data, kind
                )
            ]
            if outbox_entry_id is not None and outbox_step is not None:
                changes.append(_step_change(connection, outbox_entry_id, outbox_step))
            for change in changes:
                _apply(connection, change, now)
        return receipt is None or receipt.fiscal_state != data.fiscal_state.value

    # -- resync ------------------------------------------------------------------------------

    def resync_candidates(
        self,
        now: datetime,
        window: timedelta = RESYNC_WINDOW,
        states: Collection[OrderState] = RESYNC_STATES,
    ) -> list[SyncCandidate]:
        """Orders created within ``window`` before ``now`` in one of ``states`` (oldest first),
        each with its newest attempt. Older orders are left alone."""
        _require_aware(now, "now")
        other = aliased(PaymentAttemptRow)
        newest = (
            select(func.max(other.id))
            .where(other.order_id == OrderRow.id)
            .correlate(OrderRow)
            .scalar_subquery()
        )
        statement = (
            select(OrderRow, PaymentAttemptRow)
            .join(PaymentAttemptRow, PaymentAttemptRow.id == newest)
            .where(
                OrderRow.created_at >= now - window,
                OrderRow.state.in_([state.value for state in states]),
            )
            .order_by(OrderRow.created_at, OrderRow.id)
        )
        with Session(self._engine) as session, session.begin():
            abandoned = (
                abandoned_in_process(session, now, window)
                if OrderState.IN_PROCESS in states
                else []
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
                    attempt_state=parse_stored(
                        OrderState, attempt.state, order.number, "payment_attempts.state"
                    ),
                    amount=attempt.amount,
                    billnumber=attempt.billnumber,
                )
                for order, attempt in session.execute(statement)
            ] + abandoned

    # -- details -----------------------------------------------------------------------------

    def load_details(self, number: str) -> OrderDetails | None:
        """Every attempt, receipt and outbox entry of an order, or None for an unknown number."""
        with Session(self._engine) as session, session.begin():
            rows = order_rows(session, number, with_items=True)
            if rows is None:
                return None
            order, attempts, receipts, outbox = rows
            uuid_of = {attempt.id: attempt.attempt_id for attempt in attempts}
            return OrderDetails(
                order=order.to_order(),
                state=parse_stored(OrderState, order.state, number, "orders.state"),
                method=None
                if order.method is None
                else parse_stored(PaymentMethod, order.method, number, "orders.method"),
                fiscal_state=None
                if order.fiscal_state is None
                else parse_stored(FiscalState, order.fiscal_state, number, "orders.fiscal_state"),
                billnumber=order.billnumber,
                source=order.source,
                paid_at=order.paid_at,
                updated_at=order.updated_at,
                attempts=tuple(
                    AttemptDetails(
                        attempt_id=a.attempt_id,
                        method=parse_stored(
                            PaymentMethod, a.method, number, "payment_attempts.method"
                        ),
                        state=parse_stored(OrderState, a.state, number, "payment_attempts.state"),
                        amount=a.amount,
                        received=a.received,
                        change=a.change,
                        transaction_number=a.transaction_number,
                        billnumber=a.billnumber,
                        response_code=a.response_code,
                        created_at=a.created_at,
                        updated_at=a.updated_at,
                    )
                    for a in attempts
                ),
                receipts=tuple(
                    ReceiptDetails(
                        attempt_id=uuid_of[r.attempt_id],
                        kind=r.kind,
                        fiscal_state=parse_stored(
                            FiscalState, r.fiscal_state, number, "receipts.fiscal_state"
                        ),
                        fiscal_receipt_id=r.fiscal_receipt_id,
                        fn=r.fn,
                        fd=r.fd,
                        fp=r.fp,
                        shift_number=r.shift_number,
                        receipt_number=r.receipt_number,
                        kkt_reg_number=r.kkt_reg_number,
                        fiscal_datetime=r.fiscal_datetime,
                        qr_string=r.qr_string,
                        error_text=r.error_text,
                        created_at=r.created_at,
                        updated_at=r.updated_at,
                    )
                    for r in receipts
                ),
                outbox=tuple(outbox_entry_from_row(row) for row in outbox),
            )


class OrderRows(NamedTuple):
    """One order's rows, oldest first: what the details of an order are made of."""

    order: OrderRow
    attempts: list[PaymentAttemptRow]
    receipts: list[ReceiptRow]
    outbox: list[OutboxRow]


def order_rows(session: Session, number: str, *, with_items: bool = False) -> OrderRows | None:
    """The order ``number`` with its payment attempts, receipts and outbox entries (four
    queries), or None for an unknown number. Shared by ``load_details`` and the journal."""
    query = select(OrderRow).where(OrderRow.number == number)
    if with_items:
        query = query.options(selectinload(OrderRow.items))
    order = session.scalars(query).one_or_none()
    if order is None:
        return None
    attempts = session.scalars(
        select(PaymentAttemptRow)
        .where(PaymentAttemptRow.order_id == order.id)
        .order_by(PaymentAttemptRow.id)
    )
    receipts = session.scalars(
        select(ReceiptRow).where(ReceiptRow.order_id == order.id).order_by(ReceiptRow.id)
    )
    outbox = session.scalars(
        select(OutboxRow).where(OutboxRow.order_number == number).order_by(OutboxRow.id)
    )
    return OrderRows(order, list(attempts), list(receipts), list(outbox))
