"""The repository: orders, payment attempts, receipts, the outbox and settings in one database.

SQLite (one file in the user data dir) by default, PostgreSQL by URL for several tills. Every
public method runs in a short transaction of its own on a Session of its own, so a ``Store`` may
be used from any thread (the app calls it from the store thread, see ``StoreWorker``, and the sync
worker from its own thread). Only plain domain objects and dataclasses leave this module, never
ORM rows. docs/store.md describes the tables, the transactions and the migration policy.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from desktop_pos.models.money import to_money
from desktop_pos.models.order import Order
from desktop_pos.models.payment import (
    FiscalState,
    OrderState,
    PaymentMethod,
    new_transaction_number,
)
from desktop_pos.models.result import PaymentResult
from desktop_pos.models.schema import (
    OrderItemRow,
    OrderRow,
    OutboxRow,
    PaymentAttemptRow,
    ReceiptRow,
    SettingRow,
    parse_stored,
)
from desktop_pos.services.database import (
    create_engine_for,
    current_revision,
    migrate_database,
)
from desktop_pos.services.payment_messages import CASH_OFFLINE_INFO as CASH_OFFLINE_INFO
from desktop_pos.services.payment_messages import payment_refused
from desktop_pos.services.store_card import CardPaymentStoreMethods
from desktop_pos.services.store_records import OutboxEntry as OutboxEntry
from desktop_pos.services.store_remote import RemotePaymentStoreMethods
from desktop_pos.services.store_sync import SyncStoreMethods, outbox_entry_from_row

log = logging.getLogger(__name__)

SOURCE_MANUAL = "manual"
RECEIPT_SELL = "sell"
OUTBOX_REGISTER_CASH = "register_cash"

BLOCKING_STATES = frozenset(
    {OrderState.OFFLINE, OrderState.APPROVED, OrderState.IN_PROCESS, OrderState.PARTIAL_CANCELED}
)
"""An order in one of these states is paid (or being paid): a new payment is refused."""


@dataclass(frozen=True, slots=True)
class PrintMarks:
    """What of a sale's receipt row came out of the printer, and when (UTC)."""

    printed_at: datetime | None = None
    """The fiscal receipt."""
    slip_printed_at: datetime | None = None
    """The non-fiscal slip of an offline cash sale."""


_WRITE_ATTEMPTS = 3
"""A sale that hits a unique constraint (a concurrent till) is retried this many times in all."""
_TRANSACTION_NUMBER_TRIES = 10


# -- helpers -------------------------------------------------------------------------------------


def _require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got {value!r}")


def _claim_order_for_payment(
    session: Session, order: Order, source: str, now: datetime
) -> OrderRow:
    """Insert the order, or replace an unpaid one with that number; refuse a paid one."""
    row = session.scalars(
        select(OrderRow).where(OrderRow.number == order.number).with_for_update()
    ).one_or_none()
    if row is None:
        row = OrderRow(state=OrderState.NEW.value)
        row.assign(order, source, now)
        row.items = OrderItemRow.from_items(order.items)
        session.add(row)
        return row
    state = parse_stored(OrderState, row.state, order.number, "orders.state")
    if state in BLOCKING_STATES:
        raise payment_refused(order.number, state)
    row.assign(order, source, now)
    row.items.clear()
    session.flush()  # delete the old items before the new ones take their positions
    row.items.extend(OrderItemRow.from_items(order.items))
    return row


def _unused_transaction_number(session: Session) -> str:
    for _ in range(_TRANSACTION_NUMBER_TRIES):
        candidate = new_transaction_number()
        taken = session.scalar(
            select(PaymentAttemptRow.id).where(PaymentAttemptRow.transaction_number == candidate)
        )
        if taken is None:
            return candidate
        log.warning("transaction number %s is taken; drawing another", candidate)
    raise RuntimeError("no unused transaction number found")


def _insert_receipt(session: Session, attempt: PaymentAttemptRow, now: datetime) -> None:
    """A sell receipt of ``attempt``, waiting for its fiscal data."""
    session.add(
        ReceiptRow(
            order_id=attempt.order_id,
            attempt_id=attempt.id,
            kind=RECEIPT_SELL,
            fiscal_state=FiscalState.NEW.value,
            created_at=now,
            updated_at=now,
        )
    )


# -- the store -----------------------------------------------------------------------------------


claim_order_for_payment = _claim_order_for_payment
unused_transaction_number = _unused_transaction_number


class Store(SyncStoreMethods, RemotePaymentStoreMethods, CardPaymentStoreMethods):
    """The repository. ``Store.open(url)`` connects and brings the schema up to date."""

    def __init__(self, url: str) -> None:
        self._engine = create_engine_for(url)

    @classmethod
    def open(cls, url: str) -> Store:
        store = cls(url)
        try:
            store.migrate()
        except BaseException:
            store.close()
            raise
        return store

    @property
    def engine(self) -> Engine:
        """For tooling and tests; the program goes through the methods below."""
        return self._engine

    def close(self) -> None:
        self._engine.dispose()

    # -- schema ------------------------------------------------------------------------------

    def migrate(self) -> None:
        """Upgrade the schema to the newest revision (a no-op when it is up to date).

        Raises ``DatabaseVersionError`` if a newer program has migrated the database further,
        and ``DatabaseUnavailableError`` if the database cannot be reached.
        """
        migrate_database(self._engine)

    def current_revision(self) -> str | None:
        return current_revision(self._engine)

    # -- sales -------------------------------------------------------------------------------

    def record_cash_sale(
        self,
        order: Order,
        received: Decimal,
        change: Decimal,
        paid_at: datetime,
        *,
        source: str = SOURCE_MANUAL,
    ) -> PaymentResult:
        """Store a cash sale in one transaction and return its result.

        Writes the order (new, or replacing an unpaid order with that number) and its items, a
        cash attempt in state Offline, a sell receipt awaiting fiscal data, and an outbox entry
        ``register_cash`` for the upload. Raises ``PaymentError`` if the order is already paid
        or its payment is in process; then nothing is written.
        """
        order.validate_for_payment()
        _require_aware(paid_at, "paid_at")
        received, change = to_money(received), to_money(change)
        if change < 0 or received - change != order.due:
            raise ValueError(
                f"received {received} minus change {change} is not the {order.due} due"
            )
        tries = 0
        while True:
            tries += 1
            try:
                return self._record_cash_sale_once(order, received, change, paid_at, source)
            except IntegrityError:
                # Another till wrote the same order or transaction number at the same moment;
                # a new transaction sees its row (and refuses a paid order).
                if tries >= _WRITE_ATTEMPTS:
                    raise
                log.warning("cash sale of order %s hit a concurrent write; retrying", order.number)

    def _record_cash_sale_once(
        self, order: Order, received: Decimal, change: Decimal, paid_at: datetime, source: str
    ) -> PaymentResult:
        now = datetime.now(UTC)
        with Session(self._engine) as session, session.begin():
            order_row = _claim_order_for_payment(session, order, source, now)
            order_row.state = OrderState.OFFLINE.value
            order_row.paid_at = paid_at
            order_row.method = PaymentMethod.CASH.value
            order_row.fiscal_state = FiscalState.NEW.value
            order_row.billnumber = None
            session.flush()
            attempt = PaymentAttemptRow(
                order_id=order_row.id,
                attempt_id=str(uuid.uuid4()),
                method=PaymentMethod.CASH.value,
                state=OrderState.OFFLINE.value,
                amount=order.due,
                received=received,
                change=change,
                transaction_number=_unused_transaction_number(session),
                created_at=now,
                updated_at=now,
            )
            session.add(attempt)
            session.flush()
            _insert_receipt(session, attempt, now)
            payload = {
                "order_number": order.number,
                "attempt_id": attempt.attempt_id,
                "transaction_number": attempt.transaction_number,
                "amount": str(order.due),
                "received": str(received),
                "change": str(change),
                "paid_at": paid_at.astimezone(UTC).isoformat(),
            }
            session.add(
                OutboxRow(
                    kind=OUTBOX_REGISTER_CASH,
                    order_number=order.number,
                    payload=json.dumps(payload),
                    created_at=now,
                    attempts=0,
                    next_attempt_at=now,
                )
            )
            transaction_number = attempt.transaction_number
        return PaymentResult(
            order_number=order.number,
            method=PaymentMethod.CASH,
            state=OrderState.OFFLINE,
            total=order.total,
            prepaid=order.prepaid,
            amount=order.due,
            order_date=paid_at,
            transaction_number=transaction_number,
            received=received,
            change=change,
            fiscal_state=FiscalState.NEW,
            info=CASH_OFFLINE_INFO,
        )

    # -- reading -----------------------------------------------------------------------------

    def load_order(self, number: str) -> Order | None:
        with Session(self._engine) as session, session.begin():
            row = session.scalars(
                select(OrderRow)
                .where(OrderRow.number == number)
                .options(selectinload(OrderRow.items))
            ).one_or_none()
            return None if row is None else row.to_order()

    def load_result(self, number: str) -> PaymentResult | None:
        """The result of the latest payment attempt of the order, or None without one."""
        with Session(self._engine) as session, session.begin():
            order_row = session.scalars(
                select(OrderRow).where(OrderRow.number == number)
            ).one_or_none()
            if order_row is None:
                return None
            attempt = session.scalars(
                select(PaymentAttemptRow)
                .where(PaymentAttemptRow.order_id == order_row.id)
                .order_by(PaymentAttemptRow.id.desc())
                .limit(1)
            ).first()
            if attempt is None:
                return None
            receipt_state = session.scalars(
                select(ReceiptRow.fiscal_state)
                .where(ReceiptRow.attempt_id == attempt.id, ReceiptRow.kind == RECEIPT_SELL)
                .order_by(ReceiptRow.id.desc())
                .limit(1)
            ).first()
            method = parse_stored(PaymentMethod, attempt.method, number, "payment_attempts.method")
            state = parse_stored(OrderState, attempt.state, number, "payment_attempts.state")
            fiscal_state = FiscalState.NOT_NEEDED
            if receipt_state is not None:
                fiscal_state = parse_stored(
                    FiscalState, receipt_state, number, "receipts.fiscal_state"
                )
            return PaymentResult(
                order_number=number,
                method=method,
                state=state,
                total=order_row.total,
                prepaid=order_row.prepaid,
                amount=attempt.amount,
                order_date=order_row.paid_at or attempt.created_at,
                transaction_number=attempt.transaction_number,
                received=attempt.received,
                change=attempt.change,
                response_code=attempt.response_code,
                fiscal_state=fiscal_state,
                info=CASH_OFFLINE_INFO
                if (method, state) == (PaymentMethod.CASH, OrderState.OFFLINE)
                else None,
            )

    def order_state(self, number: str) -> OrderState | None:
        with Session(self._engine) as session, session.begin():
            state = session.scalar(select(OrderRow.state).where(OrderRow.number == number))
        if state is None:
            return None
        return parse_stored(OrderState, state, number, "orders.state")

    def recent_orders(
        self, since: datetime, states: Collection[OrderState] | None = None
    ) -> list[str]:
        """Numbers of the orders created at or after ``since`` (oldest first), by state."""
        _require_aware(since, "since")
        statement = (
            select(OrderRow.number)
            .where(OrderRow.created_at >= since)
            .order_by(OrderRow.created_at, OrderRow.id)
        )
        if states is not None:
            if not states:
                return []
            statement = statement.where(OrderRow.state.in_([state.value for state in states]))
        with Session(self._engine) as session, session.begin():
            return list(session.scalars(statement))

    # -- outbox ------------------------------------------------------------------------------

    def pending_outbox(self, limit: int, *, due_at: datetime | None = None) -> list[OutboxEntry]:
        """Entries not done yet, the earliest due first; only those due by ``due_at`` if given."""
        statement = (
            select(OutboxRow)
            .where(OutboxRow.done_at.is_(None))
            .order_by(OutboxRow.next_attempt_at, OutboxRow.id)
            .limit(limit)
        )
        if due_at is not None:
            _require_aware(due_at, "due_at")
            statement = statement.where(OutboxRow.next_attempt_at <= due_at)
        with Session(self._engine) as session, session.begin():
            return [outbox_entry_from_row(row) for row in session.scalars(statement)]

    # -- settings ----------------------------------------------------------------------------

    def get_setting(self, key: str) -> str | None:
        with Session(self._engine) as session, session.begin():
            return session.scalar(select(SettingRow.value).where(SettingRow.key == key))

    def set_setting(self, key: str, value: str) -> None:
        dialect = self._engine.dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        statement = insert(SettingRow).values(key=key, value=value)
        statement = statement.on_conflict_do_update(
            index_elements=[SettingRow.key], set_={"value": statement.excluded.value}
        )
        with Session(self._engine) as session, session.begin():
            session.execute(statement)

    # -- printing ----------------------------------------------------------------------------

    def print_marks(self, attempt_id: str, kind: str = RECEIPT_SELL) -> PrintMarks:
        """When the attempt's receipt (``kind``) and its offline slip were printed."""
        with Session(self._engine) as session, session.begin():
            row = session.execute(
                select(ReceiptRow.printed_at, ReceiptRow.slip_printed_at)
                .join(PaymentAttemptRow, PaymentAttemptRow.id == ReceiptRow.attempt_id)
                .where(PaymentAttemptRow.attempt_id == attempt_id, ReceiptRow.kind == kind)
                .order_by(ReceiptRow.id.desc())
                .limit(1)
            ).first()
        if row is None:
            return PrintMarks()
        return PrintMarks(printed_at=row.printed_at, slip_printed_at=row.slip_printed_at)

    def mark_receipt_printed(
        self, attempt_id: str, at: datetime, *, slip: bool = False, kind: str = RECEIPT_SELL
    ) -> bool:
        """Record that the attempt's fiscal receipt (``slip``: its offline slip) was printed.

        Only the first print is kept (a reprint is a copy); returns True if this call set it.
        """
        _require_aware(at, "at")
        column = ReceiptRow.slip_printed_at if slip else ReceiptRow.printed_at
        with Session(self._engine) as session, session.begin():
            receipt_id = session.scalar(
                select(ReceiptRow.id)
                .join(PaymentAttemptRow, PaymentAttemptRow.id == ReceiptRow.attempt_id)
                .where(PaymentAttemptRow.attempt_id == attempt_id, ReceiptRow.kind == kind)
                .order_by(ReceiptRow.id.desc())
                .limit(1)
            )
            if receipt_id is None:
                return False
            done = session.execute(
                update(ReceiptRow)
                .where(ReceiptRow.id == receipt_id, column.is_(None))
                .values({column: at})
            )
            return bool(getattr(done, "rowcount", 0))
