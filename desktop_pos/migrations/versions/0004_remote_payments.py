"""SBP and SoftPOS: the QR of an attempt, a method switch, and a late approval to refund.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28

``qr_payload`` keeps what the QR code of an SBP (NSPK link) or SoftPOS (deep link) attempt shows,
so the result screen can show it again. ``abandoned_at`` is set when the cashier chose another
method while the attempt was still In Process; the gateway keeps being asked about it.
``refund_flagged_at`` is set when such an attempt was approved after another payment had
completed the order: the buyer paid twice and this payment is to be refunded (the journal
shows it and filters by it). Existing attempts keep all three empty.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("payment_attempts") as batch:
        batch.add_column(sa.Column("qr_payload", sa.String(512), nullable=True))
        batch.add_column(sa.Column("abandoned_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("refund_flagged_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("payment_attempts") as batch:
        batch.drop_column("refund_flagged_at")
        batch.drop_column("abandoned_at")
        batch.drop_column("qr_payload")
