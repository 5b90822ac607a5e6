"""Card payments: what the slip of a card attempt shows, stored with the attempt.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29

One ``card_details`` row per card attempt, written with the attempt (In Process) before the
gateway is asked to authorize it: how the card was read (``entry_mode``, ``cvm``), the masked
PAN (never a clear card number), the payment system (``brand``), the EMV application (``aid``,
``application_label``), the cardholder's name as the card has it and the reader that read it
(``terminal_id``, its serial) and the buyer's signature (a PNG data URL of at most 4000
characters). The gateway's answer adds ``rrn``, ``auth_code`` and
the issuer's ISO 8583 code, the reader's end of the transaction ``tvr`` and ``tsi``;
``slip_printed_at`` is set when the card slip came out of the printer (a reprint is a copy).
Existing attempts get no row: none of them was a card payment.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "card_details",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("entry_mode", sa.String(16), nullable=False),
        sa.Column("cvm", sa.String(16), nullable=False),
        sa.Column("masked_pan", sa.String(19), nullable=False),
        sa.Column("brand", sa.String(32), nullable=False),
        sa.Column("aid", sa.String(32), server_default="", nullable=False),
        sa.Column("application_label", sa.String(32), server_default="", nullable=False),
        sa.Column("cardholder", sa.String(64), server_default="", nullable=False),
        sa.Column("terminal_id", sa.String(32), server_default="", nullable=False),
        sa.Column("signature", sa.Text(), nullable=True),
        sa.Column("rrn", sa.String(12), nullable=True),
        sa.Column("auth_code", sa.String(6), nullable=True),
        sa.Column("issuer_response_code", sa.String(2), nullable=True),
        sa.Column("tvr", sa.String(10), nullable=True),
        sa.Column("tsi", sa.String(4), nullable=True),
        sa.Column("slip_printed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["attempt_id"],
            ["payment_attempts.id"],
            name=op.f("fk_card_details_attempt_id_payment_attempts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_card_details")),
        sa.UniqueConstraint("attempt_id", name=op.f("uq_card_details_attempt_id")),
    )


def downgrade() -> None:
    op.drop_table("card_details")
