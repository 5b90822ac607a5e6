"""Initial schema: orders, items, payment attempts, receipts, outbox, readers, settings.

Revision ID: 0001
Revises:
Create Date: 2026-11-27

Written by hand. A revision is frozen once released: it does not import the ORM schema
(desktop_pos/models/schema.py), which describes only the newest state.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _money() -> sa.Numeric[Decimal]:
    return sa.Numeric(17, 2, asdecimal=True)


def _timestamp() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(128), nullable=False),
        sa.Column("created_at", _timestamp(), nullable=False),
        sa.Column("state", sa.String(32), nullable=False),
        sa.Column("total", _money(), nullable=False),
        sa.Column("prepaid", _money(), nullable=False),
        sa.Column("due", _money(), nullable=False),
        sa.Column("email", sa.String(128), server_default="", nullable=False),
        sa.Column("phone", sa.String(64), server_default="", nullable=False),
        sa.Column("comment", sa.Text(), server_default="", nullable=False),
        sa.Column("source", sa.String(32), server_default="manual", nullable=False),
        sa.Column(
            "allow_edit_item_quantity", sa.Boolean(), server_default=sa.true(), nullable=False
        ),
        sa.Column("allow_remove_item", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("allow_add_item", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("allow_edit_item", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("paid_at", _timestamp(), nullable=True),
        sa.Column("updated_at", _timestamp(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_orders"),
        sa.UniqueConstraint("number", name="uq_orders_number"),
    )
    op.create_index("ix_orders_state", "orders", ["state"])
    op.create_index("ix_orders_created_at", "orders", ["created_at"])

    op.create_table(
        "order_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(250), nullable=False),
        sa.Column("quantity", sa.Numeric(15, 3, asdecimal=True), nullable=False),
        sa.Column("price", _money(), nullable=False),
        sa.Column("discount", _money(), nullable=False),
        sa.Column("amount", _money(), nullable=False),
        sa.Column("vat", sa.String(16), nullable=False),
        sa.Column("payment_method_sign", sa.String(8), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_order_items"),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name="fk_order_items_order_id_orders", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("order_id", "position", name="uq_order_items_order_id_position"),
    )

    op.create_table(
        "payment_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("attempt_id", sa.String(36), nullable=False),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("state", sa.String(32), nullable=False),
        sa.Column("amount", _money(), nullable=False),
        sa.Column("received", _money(), nullable=True),
        sa.Column("change", _money(), nullable=True),
        sa.Column("transaction_number", sa.String(16), nullable=False),
        sa.Column("billnumber", sa.String(16), nullable=True),
        sa.Column("response_code", sa.String(8), nullable=True),
        sa.Column("created_at", _timestamp(), nullable=False),
        sa.Column("updated_at", _timestamp(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_payment_attempts"),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name="fk_payment_attempts_order_id_orders"
        ),
        sa.UniqueConstraint("attempt_id", name="uq_payment_attempts_attempt_id"),
        sa.UniqueConstraint("transaction_number", name="uq_payment_attempts_transaction_number"),
    )
    op.create_index("ix_payment_attempts_order_id", "payment_attempts", ["order_id"])

    op.create_table(
        "receipts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("fiscal_state", sa.String(16), nullable=False),
        sa.Column("fiscal_receipt_id", sa.String(64), nullable=True),
        sa.Column("fn", sa.String(16), nullable=True),
        sa.Column("fd", sa.String(16), nullable=True),
        sa.Column("fp", sa.String(16), nullable=True),
        sa.Column("shift_number", sa.Integer(), nullable=True),
        sa.Column("receipt_number", sa.Integer(), nullable=True),
        sa.Column("kkt_reg_number", sa.String(20), nullable=True),
        sa.Column("fiscal_datetime", _timestamp(), nullable=True),
        sa.Column("qr_string", sa.String(256), nullable=True),
        sa.Column("error_text", sa.Text(), nullable=True),
        sa.Column("created_at", _timestamp(), nullable=False),
        sa.Column("updated_at", _timestamp(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_receipts"),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], name="fk_receipts_order_id_orders"),
        sa.ForeignKeyConstraint(
            ["attempt_id"], ["payment_attempts.id"], name="fk_receipts_attempt_id_payment_attempts"
        ),
    )
    op.create_index("ix_receipts_order_id", "receipts", ["order_id"])
    op.create_index("ix_receipts_attempt_id", "receipts", ["attempt_id"])

    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("order_number", sa.String(128), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", _timestamp(), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("next_attempt_at", _timestamp(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("done_at", _timestamp(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
    )
    op.create_index("ix_outbox_pending", "outbox", ["done_at", "next_attempt_at"])
    op.create_index("ix_outbox_order_number", "outbox", ["order_number"])

    op.create_table(
        "readers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("model", sa.String(64), nullable=True),
        sa.Column("serial", sa.String(64), nullable=True),
        sa.Column("firmware", sa.String(64), nullable=True),
        sa.Column("last_connected_at", _timestamp(), nullable=True),
        sa.Column("is_default", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_readers"),
        sa.UniqueConstraint("address", name="uq_readers_address"),
    )

    op.create_table(
        "settings",
        sa.Column("key", sa.String(128), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_settings"),
    )


def downgrade() -> None:
    op.drop_table("settings")
    op.drop_table("readers")
    op.drop_index("ix_outbox_order_number", table_name="outbox")
    op.drop_index("ix_outbox_pending", table_name="outbox")
    op.drop_table("outbox")
    op.drop_index("ix_receipts_attempt_id", table_name="receipts")
    op.drop_index("ix_receipts_order_id", table_name="receipts")
    op.drop_table("receipts")
    op.drop_index("ix_payment_attempts_order_id", table_name="payment_attempts")
    op.drop_table("payment_attempts")
    op.drop_table("order_items")
    op.drop_index("ix_orders_created_at", table_name="orders")
    op.drop_index("ix_orders_state", table_name="orders")
    op.drop_table("orders")
