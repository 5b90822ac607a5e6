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
import sqlite3
import time
import uuid
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.script.revision import RevisionError
from alembic.util import CommandError
from sqlalchemy import create_engine, event, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.pool import ConnectionPoolEntry

from desktop_pos.models.errors import PaymentError, UserFacingError
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
from desktop_pos.models.texts import LocalizedText

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"

SOURCE_MANUAL = "manual"
RECEIPT_SELL = "sell"
OUTBOX_REGISTER_CASH = "register_cash"

BLOCKING_STATES = frozenset(
    {OrderState.OFFLINE, OrderState.APPROVED, OrderState.IN_PROCESS, OrderState.PARTIAL_CANCELED}
)
"""An order in one of these states is paid (or being paid): a new payment is refused."""

CASH_OFFLINE_INFO = LocalizedText(
    "Оплата наличными сохранена. Данные для фискализации будут переданы в Ассист "
    "при подключении к сети.",
    "Cash payment saved. The fiscal data will be sent to Assist when the network is available.",
)

_WRITE_ATTEMPTS = 3
"""A sale that hits a unique constraint (a concurrent till) is retried this many times in all."""
_TRANSACTION_NUMBER_TRIES = 10
_SQLITE_BUSY_TIMEOUT_MS = 5000
_MIGRATION_LOCK_KEY = 0x6465736B706F73
"""PostgreSQL advisory lock held while migrating, so two tills starting together take turns."""


class DatabaseVersionError(UserFacingError):
    """The database was migrated by a newer version of the program."""


class DatabaseUnavailableError(UserFacingError):
    """The database cannot be reached (PostgreSQL server down, file not accessible)."""


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


# -- engine --------------------------------------------------------------------------------------


def _sqlite_on_connect(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        raise TypeError(f"expected a sqlite3 connection, got {type(dbapi_connection).__name__}")
    # Let SQLAlchemy's "begin" event, not the sqlite3 module, start every transaction.
    dbapi_connection.isolation_level = None
    dbapi_connection.execute(f"PRAGMA busy_timeout={_SQLITE_BUSY_TIMEOUT_MS}").close()
    _sqlite_enable_wal(dbapi_connection)
    dbapi_connection.execute("PRAGMA synchronous=NORMAL").close()
    dbapi_connection.execute("PRAGMA foreign_keys=ON").close()


def _sqlite_enable_wal(connection: sqlite3.Connection) -> None:
    # Switching a new file to WAL takes an exclusive lock without waiting (the busy timeout does
    # not apply), so two connections opening a new file together can get "database is locked".
    deadline = time.monotonic() + _SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            mode = connection.execute("PRAGMA journal_mode=WAL").fetchone()
            break
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)
    if mode is None or str(mode[0]).lower() != "wal":
        log.warning(
            "SQLite refused WAL mode (journal mode %s): concurrent use will be slower", mode
        )


def _sqlite_on_begin(connection: Connection) -> None:
    # Take the write lock at BEGIN: a deferred transaction that reads first and writes later
    # cannot wait for the lock (SQLite answers "database is locked" at once).
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def create_engine_for(url: str) -> Engine:
    """The engine for a database URL: a SQLite file (with the WAL recipe) or PostgreSQL."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if parsed.drivername not in ("sqlite", "sqlite+pysqlite"):
            raise ValueError(f"unsupported SQLite driver {parsed.drivername!r}; use sqlite:///")
        database = parsed.database or ""
        if database in ("", ":memory:") or parsed.query.get("mode") == "memory":
            raise ValueError(
                "an in-memory SQLite database is not supported (every connection would see an"
                " empty database of its own); use a file, e.g. sqlite:////path/to/pos.db"
            )
        Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed)
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
        return engine
    if backend == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        return create_engine(parsed, pool_pre_ping=True)
    raise ValueError(
        f"unsupported database {parsed.drivername!r}: use sqlite:///<file> or "
        "postgresql+psycopg://user@host/dbname"
    )


def _sqlite_foreign_keys(connection: Connection, on: bool) -> None:
    # Straight on the sqlite3 connection: inside a transaction SQLite ignores this pragma.
    driver = connection.connection.driver_connection
    if not isinstance(driver, sqlite3.Connection):
        raise TypeError(f"expected a sqlite3 connection, got {type(driver).__name__}")
    driver.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}").close()


@contextmanager
def migration_connection(engine: Engine) -> Iterator[Connection]:
    """A connection in one transaction, fit for running migrations; commits on success.

    SQLite: foreign-key enforcement is off while migrating, because a batch migration re-creates
    a table (``DROP TABLE`` of a parent with enforcement on would delete or block its children);
    ``PRAGMA foreign_key_check`` runs before the commit instead. PostgreSQL: an advisory lock
    makes tills that start together migrate one after the other.
    """
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            _sqlite_foreign_keys(connection, on=False)
        try:
            with connection.begin():
                if connection.dialect.name == "postgresql":
                    lock = f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK_KEY})"
                    connection.exec_driver_sql(lock)
                yield connection
                if sqlite:
                    problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if problems:
                        raise RuntimeError(f"foreign keys broken by the migration: {problems[:5]}")
        finally:
            if sqlite:
                _sqlite_foreign_keys(connection, on=True)


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration for desktop_pos/migrations, optionally bound to ``connection``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest schema revision this program knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError(f"no migrations found in {MIGRATIONS_DIR}")
    return head


# -- helpers -------------------------------------------------------------------------------------


def _require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got {value!r}")


def _already_paid(number: str, state: OrderState) -> PaymentError:
    if state is OrderState.IN_PROCESS:
        text = LocalizedText(
            "Платеж по заказу № {number} еще обрабатывается. Дождитесь его результата, "
            "прежде чем принимать оплату снова.",
            "The payment for order {number} is still being processed; wait for its result "
            "before taking a payment again.",
        )
    else:
        text = LocalizedText(
            "Заказ № {number} уже оплачен. Повторная оплата не требуется.",
            "Order {number} has already been paid; no second payment is needed.",
        )
    return PaymentError(text.format(number=number))


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
        raise _already_paid(order.number, state)
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


class Store:
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
        try:
            with migration_connection(self._engine) as connection:
                self._upgrade(connection)
        except OperationalError as exc:
            where = self._engine.url.render_as_string(hide_password=True)
            raise DatabaseUnavailableError(
                LocalizedText(
                    "Не удается открыть базу данных {where}: {detail}",
                    "Cannot open the database {where}: {detail}",
                ).format(where=where, detail=str(exc.orig).strip())
            ) from exc

    def _upgrade(self, connection: Connection) -> None:
        config = alembic_config(connection)
        script = ScriptDirectory.from_config(config)
        current = MigrationContext.configure(connection).get_current_heads()
        for revision in current:
            try:
                known = script.get_revision(revision)
            except (RevisionError, CommandError):  # alembic wraps the lookup error
                known = None
            if known is None:
                raise DatabaseVersionError(
                    LocalizedText(
                        "База данных создана более новой версией программы (версия схемы "
                        "{revision}). Установите новую версию программы или выберите "
                        "другую базу данных.",
                        "The database was created by a newer version of the program (schema "
                        "revision {revision}). Install the newer version of the program or "
                        "choose another database.",
                    ).format(revision=revision)
                )
        head = script.get_current_head()
        if tuple(current) != (head,):
            log.info("migrating the database from %s to %s", current or "empty", head)
            command.upgrade(config, "head")

    def current_revision(self) -> str | None:
        with self._engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

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
            return [
                OutboxEntry(
                    id=row.id,
                    kind=row.kind,
                    order_number=row.order_number,
                    payload=row.payload,
                    created_at=row.created_at,
                    attempts=row.attempts,
                    next_attempt_at=row.next_attempt_at,
                    last_error=row.last_error,
                )
                for row in session.scalars(statement)
            ]

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
