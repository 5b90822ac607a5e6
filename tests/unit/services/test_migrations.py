"""Alembic migrations through Store.migrate(), on SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from desktop_pos.models.errors import UserFacingError
from desktop_pos.models.order import Order, OrderItem
from desktop_pos.models.schema import Base
from desktop_pos.services.database import (
    SCHEMA_HEAD,
    DatabaseUnavailableError,
    DatabaseVersionError,
    alembic_config,
    head_revision,
    migration_connection,
)
from desktop_pos.services.store import Store

ROOT = Path(__file__).resolve().parents[3]
TABLES = {
    "orders",
    "order_items",
    "payment_attempts",
    "receipts",
    "outbox",
    "readers",
    "settings",
    "card_details",
}


def _downgrade(store: Store, revision: str) -> None:
    with migration_connection(store.engine) as connection:
        command.downgrade(alembic_config(connection), revision)


def _sale(store: Store, number: str) -> None:
    order = Order(
        number,
        datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        (OrderItem("Хлеб", Decimal("1"), Decimal("45.90")),),
    )
    store.record_cash_sale(order, Decimal("50.00"), Decimal("4.10"), datetime.now(UTC))


def test_migrate_creates_every_table_and_index(store_url: str) -> None:
    store = Store(store_url)
    try:
        assert store.current_revision() is None
        assert set(inspect(store.engine).get_table_names()) == set()
        store.migrate()
        inspector = inspect(store.engine)
        assert set(inspector.get_table_names()) == TABLES | {"alembic_version"}
        orders_indexes = {ix["name"]: ix["column_names"] for ix in inspector.get_indexes("orders")}
        assert orders_indexes["ix_orders_state_created_at"] == ["state", "created_at"]
        assert orders_indexes["ix_orders_created_at"] == ["created_at"]
        assert orders_indexes["ix_orders_method_created_at"] == ["method", "created_at"]
        assert "ix_orders_state" not in orders_indexes  # replaced by the composite in 0002
        outbox_indexes = {ix["name"]: ix["column_names"] for ix in inspector.get_indexes("outbox")}
        assert outbox_indexes["ix_outbox_pending"] == ["done_at", "next_attempt_at"]
        assert {u["name"] for u in inspector.get_unique_constraints("payment_attempts")} == {
            "uq_payment_attempts_attempt_id",
            "uq_payment_attempts_transaction_number",
        }
    finally:
        store.close()


def test_current_revision_is_head_after_open(store: Store) -> None:
    assert head_revision() == "0005"
    assert head_revision() == SCHEMA_HEAD, "bump SCHEMA_HEAD with every new migration"
    assert store.current_revision() == head_revision()


def test_migrations_match_the_orm_schema(store: Store) -> None:
    """schema.py and the revisions describe the same tables (a change without a revision fails)."""
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_migrate_twice_is_a_no_op(store: Store, caplog: pytest.LogCaptureFixture) -> None:
    _sale(store, "N-1")
    store.set_setting("till", "1")
    caplog.clear()
    store.migrate()
    store.migrate()
    assert store.current_revision() == head_revision()
    assert not [r for r in caplog.records if "Running upgrade" in r.getMessage()]
    assert store.get_setting("till") == "1"
    assert store.load_order("N-1") is not None


def test_database_of_a_newer_version_is_refused(store_url: str) -> None:
    Store.open(store_url).close()
    store = Store(store_url)
    try:
        with store.engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = '0099_future'"))
    finally:
        store.close()

    with pytest.raises(DatabaseVersionError) as raised:
        Store.open(store_url)

    assert isinstance(raised.value, UserFacingError)
    assert "newer version of the program" in raised.value.text.en
    assert "0099_future" in raised.value.text.en
    assert "более новой версией программы" in raised.value.text.ru
    store = Store(store_url)
    try:  # nothing was touched
        assert store.current_revision() == "0099_future"
    finally:
        store.close()


def test_0002_fills_the_journal_columns_of_existing_orders(store: Store) -> None:
    _sale(store, "OLD-1")
    _downgrade(store, "0001")
    store.migrate()  # 0002 again, now over an order made before it
    with store.engine.connect() as connection:
        row = connection.execute(
            text("SELECT method, fiscal_state, billnumber FROM orders WHERE number = 'OLD-1'")
        ).one()
    assert tuple(row) == ("cash", "New", None)


def test_downgrade_to_base_then_upgrade_again(store: Store) -> None:
    _sale(store, "N-1")
    _downgrade(store, "base")
    assert store.current_revision() is None
    assert set(inspect(store.engine).get_table_names()) <= {"alembic_version"}

    store.migrate()
    assert store.current_revision() == head_revision()
    assert set(inspect(store.engine).get_table_names()) == TABLES | {"alembic_version"}
    assert store.load_order("N-1") is None
    _sale(store, "N-1")
    assert store.load_order("N-1") is not None


def test_command_line_upgrade_with_a_url(store_url: str) -> None:
    argv = [
        sys.executable,
        "-m",
        "alembic",
        "-c",
        str(ROOT / "alembic.ini"),
        "-x",
        f"url={store_url}",
    ]
    done = subprocess.run(
        [*argv, "upgrade", "head"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    store = Store(store_url)
    try:
        assert store.current_revision() == head_revision()
        assert set(inspect(store.engine).get_table_names()) >= TABLES
    finally:
        store.close()
    shown = subprocess.run(
        [*argv, "current"], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert f"{SCHEMA_HEAD} (head)" in shown.stdout


def test_command_line_offline_sql() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "alembic",
            "-c",
            str(ROOT / "alembic.ini"),
            "-x",
            "url=postgresql+psycopg://u@localhost/x",
            "upgrade",
            "head",
            "--sql",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "CREATE TABLE orders" in done.stdout
    assert "CREATE INDEX ix_outbox_pending ON outbox (done_at, next_attempt_at)" in done.stdout


def test_memory_database_is_refused() -> None:
    for url in ("sqlite:///:memory:", "sqlite://", "sqlite:///file.db?mode=memory"):
        with pytest.raises(ValueError, match="in-memory SQLite database is not supported"):
            Store(url)


def test_unsupported_backend_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported database"):
        Store("mysql://user@localhost/pos")


def test_sqlite_parent_directory_is_created(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "pos.db"
    store = Store.open(f"sqlite:///{path}")
    store.close()
    assert path.is_file()


def test_unreachable_database_gives_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "pos.db").mkdir()  # a directory where the file should be
    with pytest.raises(DatabaseUnavailableError) as raised:
        Store.open(f"sqlite:///{tmp_path / 'pos.db'}")
    assert "Cannot open the database" in raised.value.text.en
    assert "Не удается открыть базу данных" in raised.value.text.ru


def test_sqlite_pragmas_hold_after_migrating(sqlite_url: str) -> None:
    """The recipe's pragmas are set; foreign keys are off while migrating, then on again."""
    store = Store.open(sqlite_url)
    try:
        with migration_connection(store.engine) as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 0
        with store.engine.connect() as connection:
            pragmas = {
                name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
            }
        assert pragmas == {
            "journal_mode": "wal",
            "synchronous": 1,  # NORMAL
            "foreign_keys": 1,
            "busy_timeout": 5000,
        }
    finally:
        store.close()


def test_0005_card_details_down_and_up(store: Store) -> None:
    from desktop_pos.services.store_card import CardSlipData

    order = Order(
        "CARD-1",
        datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        (OrderItem("Хлеб", Decimal("1"), Decimal("45.90")),),
    )
    card = CardSlipData("nfc", "none", "220220******0016", "MIR", "A0000006581010", "MIR")
    attempt = store.begin_card_payment(order, card, datetime.now(UTC))
    assert store.card_payment(attempt.attempt_id) is not None
    _downgrade(store, "0004")
    assert "card_details" not in inspect(store.engine).get_table_names()
    assert store.order_state("CARD-1") is not None  # the attempt and its order stay
    store.migrate()
    columns = {c["name"] for c in inspect(store.engine).get_columns("card_details")}
    assert {"masked_pan", "aid", "tvr", "tsi", "rrn", "signature", "terminal_id"} <= columns
    assert store.card_payments_of_order("CARD-1") == []
