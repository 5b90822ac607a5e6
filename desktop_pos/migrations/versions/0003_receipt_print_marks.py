"""Printing: when a sale's fiscal receipt and its offline slip were printed.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28

``printed_at`` is set when the fiscal receipt of a sell receipt row came out of the printer
(the printer confirmed its status), ``slip_printed_at`` when the non-fiscal slip of an offline
cash sale did. A sale whose slip was printed and whose fiscal receipt was not gets its fiscal
receipt printed when the fiscal data arrive (``[printer] auto_print_fiscal``); a reprint is
marked КОПИЯ. Existing receipts keep both empty: nothing is known about their paper.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("receipts") as batch:
        batch.add_column(sa.Column("printed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("slip_printed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("receipts") as batch:
        batch.drop_column("slip_printed_at")
        batch.drop_column("printed_at")
