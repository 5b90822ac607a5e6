"""The database connection: engines for SQLite and PostgreSQL, and schema migrations.

SQLite uses the WAL recipe (``BEGIN IMMEDIATE`` on every transaction, busy timeout, WAL mode,
foreign keys on); PostgreSQL is used as it comes. Migrations are Alembic revisions in
desktop_pos/migrations. Alembic is imported only when a migration has to run: at an ordinary
start the stored revision is read with one query and compared with ``SCHEMA_HEAD``.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import ConnectionPoolEntry

from desktop_pos.models.errors import UserFacingError
from desktop_pos.models.texts import LocalizedText

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
SCHEMA_HEAD = "0005"
"""The newest revision in desktop_pos/migrations/versions (a test keeps the two in step)."""

_SQLITE_BUSY_TIMEOUT_MS = 5000
_MIGRATION_LOCK_KEY = 0x6465736B706F73
"""PostgreSQL advisory lock held while migrating, so two tills starting together take turns."""


class DatabaseVersionError(UserFacingError):
    """The database was migrated by a newer version of the program."""


class DatabaseUnavailableError(UserFacingError):
    """The database cannot be reached (PostgreSQL server down, file not accessible)."""


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
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest schema revision among the migration scripts."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError(f"no migrations found in {MIGRATIONS_DIR}")
    return head


def stored_revisions(connection: Connection) -> tuple[str, ...]:
    """The revisions recorded in the database (empty for a new database)."""
    if not inspect(connection).has_table("alembic_version"):
        return ()
    rows = connection.execute(text("SELECT version_num FROM alembic_version"))
    return tuple(sorted(str(row[0]) for row in rows))


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        revisions = stored_revisions(connection)
    if len(revisions) > 1:
        raise RuntimeError(f"the database has several schema heads: {revisions}")
    return revisions[0] if revisions else None


def _newer_database(revision: str) -> DatabaseVersionError:
    return DatabaseVersionError(
        LocalizedText(
            "База данных создана более новой версией программы (версия схемы "
            "{revision}). Установите новую версию программы или выберите "
            "другую базу данных.",
            "The database was created by a newer version of the program (schema "
            "revision {revision}). Install the newer version of the program or "
            "choose another database.",
        ).format(revision=revision)
    )


def migrate_database(engine: Engine) -> None:
    """Bring the schema to ``SCHEMA_HEAD``; a no-op (one query) when it is there already.

    Raises ``DatabaseVersionError`` if a newer program has migrated the database further,
    and ``DatabaseUnavailableError`` if the database cannot be reached.
    """
    try:
        with engine.connect() as connection:
            if stored_revisions(connection) == (SCHEMA_HEAD,):
                return
        with migration_connection(engine) as connection:
            _upgrade(connection)
    except OperationalError as exc:
        where = engine.url.render_as_string(hide_password=True)
        raise DatabaseUnavailableError(
            LocalizedText(
                "Не удается открыть базу данных {where}: {detail}",
                "Cannot open the database {where}: {detail}",
            ).format(where=where, detail=str(exc.orig).strip())
        ) from exc


def _upgrade(connection: Connection) -> None:
    from alembic import command
    from alembic.script import ScriptDirectory
    from alembic.script.revision import RevisionError
    from alembic.util import CommandError

    config = alembic_config(connection)
    script = ScriptDirectory.from_config(config)
    current = stored_revisions(connection)
    for revision in current:
        try:
            known = script.get_revision(revision)
        except (RevisionError, CommandError):  # alembic wraps the lookup error
            known = None
        if known is None:
            raise _newer_database(revision)
    head = script.get_current_head()
    if tuple(current) != (head,):
        log.info("migrating the database from %s to %s", current or "empty", head)
        command.upgrade(config, "head")
