"""The sandbox gateway's fiscal register: a receipt due becomes a fiscal receipt.

``make_fiscal`` runs inside the ledger's transaction (``Ledger.settle``): the next fiscal
document number (``meta.fd_counter``), the shift (days since the ledger was created, from 1) and
the receipt's number in it, the fiscal sign, the QR string, and the receipt's e-mail to the buyer
when there is an address.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from desktop_pos.models.payment import FiscalState
from desktop_pos.sandbox.gateway import outcomes
from desktop_pos.services.gateway.protocol import receipt_qr_string

REGISTER_TIME = timezone(timedelta(hours=3), "MSK")
"""The fiscal register's clock (receipt times and the QR string's ``t``)."""


def _meta(db: sqlite3.Connection, key: str) -> str:
    row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return str(row["value"])


def make_fiscal(db: sqlite3.Connection, receipt: sqlite3.Row, now: float) -> None:
    """Make ``receipt`` (a ``receipts`` row, New) fiscal at ``now`` (epoch seconds)."""
    fd = int(_meta(db, "fd_counter")) + 1
    db.execute("UPDATE meta SET value = ? WHERE key = 'fd_counter'", (str(fd),))
    when = datetime.fromtimestamp(now, REGISTER_TIME).replace(second=0, microsecond=0)
    created = datetime.fromtimestamp(float(_meta(db, "created_at")), REGISTER_TIME)
    shift = (when.date() - created.date()).days + 1
    in_shift = receipts_in_shift(db, shift)
    fn_number, fp = _meta(db, "fn_number"), outcomes.fiscal_sign()
    qr = receipt_qr_string(when, Decimal(receipt["total"]), fn_number, str(fd), fp, receipt["kind"])
    db.execute(
        "UPDATE receipts SET status = ?, fn_number = ?, fiscal_document_number = ?,"
        " fiscal_document_attribute = ?, shift_number = ?, fiscal_receipt_number = ?,"
        " ecr_registration_number = ?, receipt_datetime = ?, qr = ?"
        " WHERE fiscalreceipt_id = ?",
        (
            FiscalState.SUCCESS.value,
            fn_number,
            str(fd),
            fp,
            str(shift),
            str(in_shift + 1),
            _meta(db, "ecr_registration_number"),
            when.isoformat(),
            qr,
            receipt["fiscalreceipt_id"],
        ),
    )
    if receipt["email"]:
        kind = (
            "Кассовый чек (возврат прихода)"
            if receipt["kind"] == "sell_refund"
            else ("Кассовый чек (приход)")
        )
        body = "\n".join(
            [
                kind,
                f"Итого: {receipt['total']} руб.",
                f"Дата: {when:%d.%m.%Y %H:%M}",
                f"Смена: {shift}, чек: {in_shift + 1}",
                f"ФН: {fn_number}",
                f"ФД: {fd}",
                f"ФП: {fp}",
                f"РН ККТ: {_meta(db, 'ecr_registration_number')}",
                f"QR: {qr}",
                f"Операция: {receipt['billnumber']}",
            ]
        )
        db.execute(
            "INSERT OR IGNORE INTO emails (fiscalreceipt_id, recipient, subject, body,"
            " created_at) VALUES (?, ?, ?, ?, ?)",
            (receipt["fiscalreceipt_id"], receipt["email"], f"{kind} № {fd}", body, now),
        )


def receipts_in_shift(db: sqlite3.Connection, shift: int) -> int:
    """How many receipts the shift made before this one (which is counted too). Kept in
    ``meta``, counted from the receipts once per shift: a count(*) per receipt would read
    them all."""
    key = f"receipts_in_shift_{shift}"
    row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    if row is None:
        count = db.execute(
            "SELECT count(*) FROM receipts WHERE status = ? AND shift_number = ?",
            (FiscalState.SUCCESS.value, str(shift)),
        ).fetchone()[0]
    else:
        count = int(row["value"])
    db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, str(count + 1)))
    return int(count)
