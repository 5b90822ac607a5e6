"""Journal and sync: the order's payment method, fiscal state and billnumber on the order row.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27

The journal filters and pages a million orders by state, method and date, so the last attempt's
method, the fiscal state of its receipt and Assist's billnumber are kept on the order row
(written in the same transaction as the attempt and the receipt), with indexes for those
filters. Existing orders are filled in from their newest attempt and receipt.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        batch.add_column(sa.Column("method", sa.String(16), nullable=True))
        batch.add_column(sa.Column("fiscal_state", sa.String(16), nullable=True))
        batch.add_column(sa.Column("billnumber", sa.String(16), nullable=True))
        batch.drop_index("ix_orders_state")
        batch.create_index("ix_orders_state_created_at", ["state", "created_at"])
        batch.create_index("ix_orders_method_created_at", ["method", "created_at"])
        batch.create_index("ix_orders_fiscal_state", ["fiscal_state"])
        batch.create_index("ix_orders_billnumber", ["billnumber"])
    op.create_index("ix_payment_attempts_billnumber", "payment_attempts", ["billnumber"])

    newest_attempt = (
        "SELECT {column} FROM payment_attempts a WHERE a.order_id = orders.id "
        "ORDER BY a.id DESC LIMIT 1"
    )
    newest_receipt = (
        "SELECT r.fiscal_state FROM receipts r WHERE r.order_id = orders.id "
        "ORDER BY r.id DESC LIMIT 1"
    )
    op.execute(
        "UPDATE orders SET "
        f"method = ({newest_attempt.format(column='a.method')}), "
        f"billnumber = ({newest_attempt.format(column='a.billnumber')}), "
        f"fiscal_state = ({newest_receipt})"
    )


def downgrade() -> None:
    op.drop_index("ix_payment_attempts_billnumber", table_name="payment_attempts")
    with op.batch_alter_table("orders") as batch:
        batch.drop_index("ix_orders_billnumber")
        batch.drop_index("ix_orders_fiscal_state")
        batch.drop_index("ix_orders_method_created_at")
        batch.drop_index("ix_orders_state_created_at")
        batch.create_index("ix_orders_state", ["state"])
        batch.drop_column("billnumber")
        batch.drop_column("fiscal_state")
        batch.drop_column("method")
