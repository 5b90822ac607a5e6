"""Read queries of the money-state journal: pages of orders, search, details, pending counts.

Plain functions taking a ``Store`` first, so the UI runs them on the store thread through
``StoreWorker.call(journal_page, ...)``. They only read (one short transaction each) and return
plain dataclasses, never ORM rows.

Built to stay fast with a million orders:

* pages use keyset pagination on ``(created_at, id)``, newest first, never ``OFFSET``: the next
  page starts after the last row of the previous one, read from ``ix_orders_created_at`` (or
  ``ix_orders_state_created_at`` / ``ix_orders_method_created_at`` under a filter; SQLite keeps
  the rowid ``id`` at the end of every index, so the order is the index order and no sort runs);
* several states are read as one index range per state and merged here (an ``IN`` list would make
  SQLite sort every matching row before the first page);
* an order-number search is a range on the unique index ``uq_orders_number`` (``number >= p AND
  number < p⁺``), not a leading-wildcard ``LIKE``; its pages go by number, newest first (order
  numbers begin with the date).

A value this program cannot read (a state written by a newer version) does not hide the order:
it is shown as it is stored, with ``state`` ``None`` (journal colour "unknown").
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from desktop_pos.models.payment import FiscalState, OrderState, PaymentMethod
from desktop_pos.models.schema import OrderRow, OutboxRow, PaymentAttemptRow, ReceiptRow
from desktop_pos.services.store import Store
from desktop_pos.services.store_sync import order_rows

RESYNC_WINDOW = timedelta(days=3)
"""Assist's orderstate looks back three days by default; the start-up resync does the same."""
RESYNC_STATES = (OrderState.OFFLINE, OrderState.IN_PROCESS)
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000

_E = TypeVar("_E", bound=StrEnum)
_Statement = Select[*tuple[Any, ...]]


class JournalTone(StrEnum):
    """The journal's colour marker of an order (Assist mPOS's journal colours)."""

    PAID = "paid"
    """Green: Approved, PartialCanceled (money taken)."""
    IN_PROCESS = "in_process"
    """Yellow: In Process (waiting for the gateway's final result)."""
    UNKNOWN = "unknown"
    """Blue: the result is not known to Assist yet (Offline cash, New, unreadable state)."""
    FAILED = "failed"
    """Red: Declined, Canceled, Timeout."""


_TONES = {
    OrderState.APPROVED: JournalTone.PAID,
    OrderState.PARTIAL_CANCELED: JournalTone.PAID,
    OrderState.IN_PROCESS: JournalTone.IN_PROCESS,
    OrderState.OFFLINE: JournalTone.UNKNOWN,
    OrderState.NEW: JournalTone.UNKNOWN,
    OrderState.DECLINED: JournalTone.FAILED,
    OrderState.CANCELED: JournalTone.FAILED,
    OrderState.TIMEOUT: JournalTone.FAILED,
}


def tone_of(state: OrderState | None) -> JournalTone:
    return JournalTone.UNKNOWN if state is None else _TONES[state]


def _parse(kind: type[_E], value: str | None) -> _E | None:
    if value is None:
        return None
    try:
        return kind(value)
    except ValueError:
        return None


# -- dataclasses ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class JournalFilter:
    """What the journal shows. Empty fields do not filter."""

    since: datetime | None = None
    """Orders created at or after this moment (timezone-aware)."""
    until: datetime | None = None
    """Orders created before this moment (timezone-aware)."""
    states: frozenset[OrderState] = frozenset()
    method: PaymentMethod | None = None
    number: str = ""
    """An order number or its beginning (exact and prefix search)."""
    refund_only: bool = False
    """Only orders with a payment flagged for refund (paid twice: ``store_remote``)."""

    def __post_init__(self) -> None:
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None and (value.tzinfo is None or value.utcoffset() is None):
                raise ValueError(f"{name} must be timezone-aware, got {value!r}")
        object.__setattr__(self, "states", frozenset(self.states))
        object.__setattr__(self, "number", self.number.strip())


@dataclass(frozen=True, slots=True)
class PageCursor:
    """Where the next page starts: just after this row (in the page's order)."""

    created_at: datetime
    id: int
    number: str


@dataclass(frozen=True, slots=True)
class JournalRow:
    id: int
    number: str
    created_at: datetime
    paid_at: datetime | None
    state: OrderState | None
    """``None`` if the stored value is unknown to this program (``state_text`` has it)."""
    state_text: str
    method: PaymentMethod | None
    fiscal_state: FiscalState | None
    total: Decimal
    due: Decimal
    billnumber: str | None
    refund_flagged: bool = False
    """A payment of the order was approved after another one had paid it: refund it."""

    @property
    def tone(self) -> JournalTone:
        return tone_of(self.state)

    @property
    def cursor(self) -> PageCursor:
        return PageCursor(self.created_at, self.id, self.number)


@dataclass(frozen=True, slots=True)
class JournalPage:
    rows: tuple[JournalRow, ...]
    next_cursor: PageCursor | None
    """``None`` when this is the last page."""


@dataclass(frozen=True, slots=True)
class AttemptDetails:
    attempt_id: str
    method: str
    state: str
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
    kind: str
    fiscal_state: str
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
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class OutboxDetails:
    kind: str
    created_at: datetime
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    done_at: datetime | None


@dataclass(frozen=True, slots=True)
class OrderDetails:
    """Everything the journal knows about one order, oldest attempt first."""

    order: JournalRow
    prepaid: Decimal
    email: str
    phone: str
    comment: str
    source: str
    updated_at: datetime
    attempts: tuple[AttemptDetails, ...] = field(default=())
    receipts: tuple[ReceiptDetails, ...] = field(default=())
    outbox: tuple[OutboxDetails, ...] = field(default=())


# -- statements ----------------------------------------------------------------------------------

_ROW_COLUMNS = (
    OrderRow.id,
    OrderRow.number,
    OrderRow.created_at,
    OrderRow.paid_at,
    OrderRow.state,
    OrderRow.method,
    OrderRow.fiscal_state,
    OrderRow.total,
    OrderRow.due,
    OrderRow.billnumber,
)

_KEY_COLUMNS = (OrderRow.id, OrderRow.created_at)
"""What the (…, created_at) indexes hold (SQLite keeps the rowid id in every index)."""
_SEARCH_KEY_COLUMNS = (OrderRow.id, OrderRow.number)


def _prefix_upper_bound(prefix: str) -> str:
    """The smallest string above every string that starts with ``prefix`` (binary order)."""
    last = ord(prefix[-1])
    if last >= 0x10FFFF:
        return prefix + "\U0010ffff"
    bumped = last + 1
    if 0xD800 <= bumped <= 0xDFFF:  # no surrogates in a str that is encoded
        bumped = 0xE000
    return prefix[:-1] + chr(bumped)


_FLAGGED_ORDER_IDS = select(PaymentAttemptRow.order_id).where(
    PaymentAttemptRow.refund_flagged_at.is_not(None)
)


def _with_refund_flags(session: Session, rows: list[JournalRow]) -> list[JournalRow]:
    """Mark the rows whose order has a payment flagged for refund (one indexed query a page)."""
    if not rows:
        return rows
    flagged = set(
        session.scalars(
            _FLAGGED_ORDER_IDS.where(PaymentAttemptRow.order_id.in_([row.id for row in rows]))
        )
    )
    if not flagged:
        return rows
    return [replace(row, refund_flagged=True) if row.id in flagged else row for row in rows]


def _common_conditions(flt: JournalFilter) -> list[Any]:
    conditions: list[Any] = []
    if flt.since is not None:
        conditions.append(OrderRow.created_at >= flt.since)
    if flt.until is not None:
        conditions.append(OrderRow.created_at < flt.until)
    if flt.method is not None:
        conditions.append(OrderRow.method == flt.method.value)
    if flt.refund_only:
        conditions.append(OrderRow.id.in_(_FLAGGED_ORDER_IDS))
    return conditions


def journal_statement(
    flt: JournalFilter,
    after: PageCursor | None = None,
    limit: int = DEFAULT_PAGE_SIZE,
    *,
    state: OrderState | None = None,
    keys_only: bool = False,
) -> _Statement:
    """One keyset page (newest first) for ``flt`` with at most one ``state``.

    ``journal_page`` runs this once per state when several are chosen (``keys_only``: just the
    columns the index holds, so the merge reads no table rows); tests check its plan.
    """
    conditions = _common_conditions(flt)
    if state is not None:
        conditions.append(OrderRow.state == state.value)
    if flt.number:
        conditions.append(OrderRow.number >= flt.number)
        conditions.append(OrderRow.number < _prefix_upper_bound(flt.number))
        if after is not None:
            conditions.append(OrderRow.number < after.number)
        order_by: tuple[Any, ...] = (OrderRow.number.desc(),)
    else:
        if after is not None:
            # Written as a range on created_at plus a tie-break, which every backend reads from
            # the (…, created_at) index; an OR of two ranges is not.
            conditions.append(OrderRow.created_at <= after.created_at)
            conditions.append(or_(OrderRow.created_at < after.created_at, OrderRow.id < after.id))
        order_by = (OrderRow.created_at.desc(), OrderRow.id.desc())
    columns: tuple[Any, ...] = _ROW_COLUMNS
    if keys_only:
        columns = _SEARCH_KEY_COLUMNS if flt.number else _KEY_COLUMNS
    return select(*columns).where(*conditions).order_by(*order_by).limit(limit)


def resync_candidates_query(now: datetime, window: timedelta = RESYNC_WINDOW) -> _Statement:
    """Orders of the last three days in Offline or In Process (the start-up resync), oldest first.

    One range of ``ix_orders_state_created_at`` per state.
    """
    since = now - window
    return (
        select(OrderRow.number, OrderRow.state, OrderRow.created_at)
        .where(
            OrderRow.state.in_([state.value for state in RESYNC_STATES]),
            OrderRow.created_at >= since,
        )
        .order_by(OrderRow.created_at, OrderRow.id)
    )


# -- queries -------------------------------------------------------------------------------------


def _to_row(values: Any) -> JournalRow:
    state = _parse(OrderState, values.state)
    return JournalRow(
        id=values.id,
        number=values.number,
        created_at=values.created_at,
        paid_at=values.paid_at,
        state=state,
        state_text=values.state,
        method=_parse(PaymentMethod, values.method),
        fiscal_state=_parse(FiscalState, values.fiscal_state),
        total=values.total,
        due=values.due,
        billnumber=values.billnumber,
    )


def journal_page(
    store: Store,
    flt: JournalFilter | None = None,
    *,
    after: PageCursor | None = None,
    limit: int = DEFAULT_PAGE_SIZE,
) -> JournalPage:
    """The page of orders after ``after`` (the first page without it), newest first."""
    flt = flt or JournalFilter()
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise ValueError(f"page size must be 1..{MAX_PAGE_SIZE}, got {limit}")
    fetch = limit + 1  # one more tells whether a next page exists
    with Session(store.engine) as session, session.begin():
        if len(flt.states) <= 1:
            state = next(iter(flt.states), None)
            statement = journal_statement(flt, after, fetch, state=state)
            merged = [_to_row(values) for values in session.execute(statement)]
        else:
            merged = _merged_states(session, flt, after, fetch)
        merged = _with_refund_flags(session, merged[:fetch])
    rows = tuple(merged[:limit])
    next_cursor = rows[-1].cursor if len(merged) > limit else None
    return JournalPage(rows=rows, next_cursor=next_cursor)


def _merged_states(
    session: Session, flt: JournalFilter, after: PageCursor | None, fetch: int
) -> list[JournalRow]:
    """One index range per state (keys only), merged newest first; then the rows of the page."""
    runs = [
        list(session.execute(journal_statement(flt, after, fetch, state=state, keys_only=True)))
        for state in sorted(flt.states)
    ]

    def key(values: Any) -> tuple[Any, ...]:
        return (values.number,) if flt.number else (values.created_at, values.id)

    ids = [values.id for values in heapq.merge(*runs, key=key, reverse=True)][:fetch]
    found = {
        values.id: _to_row(values)
        for values in session.execute(select(*_ROW_COLUMNS).where(OrderRow.id.in_(ids)))
    }
    return [found[order_id] for order_id in ids if order_id in found]


def find_order(store: Store, number: str) -> JournalRow | None:
    """The journal row of exactly this order number (for refreshing one row)."""
    with Session(store.engine) as session, session.begin():
        values = session.execute(
            select(*_ROW_COLUMNS).where(OrderRow.number == number)
        ).one_or_none()
        if values is None:
            return None
        [row] = _with_refund_flags(session, [_to_row(values)])
    return row


def pending_count(store: Store) -> int:
    """Outbox entries not yet done plus orders whose payment is In Process."""
    with Session(store.engine) as session, session.begin():
        outbox = session.scalar(
            select(func.count()).select_from(OutboxRow).where(OutboxRow.done_at.is_(None))
        )
        in_process = session.scalar(
            select(func.count())
            .select_from(OrderRow)
            .where(OrderRow.state == OrderState.IN_PROCESS.value)
        )
    return int(outbox or 0) + int(in_process or 0)


def resync_candidates(store: Store, now: datetime | None = None) -> list[str]:
    """Numbers of the orders the start-up resync settles (see ``resync_candidates_query``)."""
    now = now or datetime.now(UTC)
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"now must be timezone-aware, got {now!r}")
    with Session(store.engine) as session, session.begin():
        return [values.number for values in session.execute(resync_candidates_query(now))]


def order_details(store: Store, number: str) -> OrderDetails | None:
    """Every attempt, receipt and outbox entry of the order, or ``None`` if there is no order."""
    with Session(store.engine) as session, session.begin():
        rows = order_rows(session, number)
        if rows is None:
            return None
        order, attempts, receipts, outbox = rows
        attempt_ids = {attempt.id: attempt.attempt_id for attempt in attempts}
        return OrderDetails(
            order=_to_row(order),
            prepaid=order.prepaid,
            email=order.email,
            phone=order.phone,
            comment=order.comment,
            source=order.source,
            updated_at=order.updated_at,
            attempts=tuple(_attempt_details(row) for row in attempts),
            receipts=tuple(
                _receipt_details(row, attempt_ids.get(row.attempt_id, "")) for row in receipts
            ),
            outbox=tuple(
                OutboxDetails(
                    kind=row.kind,
                    created_at=row.created_at,
                    attempts=row.attempts,
                    next_attempt_at=row.next_attempt_at,
                    last_error=row.last_error,
                    done_at=row.done_at,
                )
                for row in outbox
            ),
        )


def _attempt_details(row: PaymentAttemptRow) -> AttemptDetails:
    return AttemptDetails(
        attempt_id=row.attempt_id,
        method=row.method,
        state=row.state,
        amount=row.amount,
        received=row.received,
        change=row.change,
        transaction_number=row.transaction_number,
        billnumber=row.billnumber,
        response_code=row.response_code,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _receipt_details(row: ReceiptRow, attempt_id: str) -> ReceiptDetails:
    return ReceiptDetails(
        attempt_id=attempt_id,
        kind=row.kind,
        fiscal_state=row.fiscal_state,
        fiscal_receipt_id=row.fiscal_receipt_id,
        fn=row.fn,
        fd=row.fd,
        fp=row.fp,
        shift_number=row.shift_number,
        receipt_number=row.receipt_number,
        kkt_reg_number=row.kkt_reg_number,
        fiscal_datetime=row.fiscal_datetime,
        qr_string=row.qr_string,
        error_text=row.error_text,
        updated_at=row.updated_at,
    )
