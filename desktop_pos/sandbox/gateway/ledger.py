"""The sandbox gateway's own SQLite file: operations, cancels, receipts, e-mails.

Every change is one ``BEGIN IMMEDIATE`` transaction committed before the reply is written, so a
restart (or a kill) keeps everything the gateway has answered, and a reply lost after the commit
still finds its operation on the next call. Times are epoch seconds (UTC). Receipts due are
made fiscal by ``ledger_fiscal.make_fiscal`` in ``settle``'s transaction.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from desktop_pos.models.money import format_amount
from desktop_pos.models.payment import FiscalState, OrderState
from desktop_pos.sandbox.gateway import outcomes
from desktop_pos.sandbox.gateway.ledger_fiscal import make_fiscal
from desktop_pos.services.gateway.errors import RejectCode

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS operations (
    billnumber TEXT PRIMARY KEY,
    ordernumber TEXT NOT NULL,
    attempt_id TEXT NOT NULL,
    method TEXT NOT NULL,
    meantypename TEXT NOT NULL,
    amount TEXT NOT NULL,
    canceled TEXT NOT NULL DEFAULT '0.00',
    state TEXT NOT NULL,
    responsecode TEXT NOT NULL,
    final_state TEXT NOT NULL,
    final_code TEXT NOT NULL,
    settle_at REAL,
    approvalcode TEXT,
    rrn TEXT,
    qr_payload TEXT,
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    request TEXT NOT NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    UNIQUE (ordernumber, attempt_id)
);
CREATE INDEX IF NOT EXISTS ix_operations_settle ON operations (state, settle_at);
CREATE TABLE IF NOT EXISTS cancels (
    billnumber TEXT PRIMARY KEY,
    payment_billnumber TEXT NOT NULL REFERENCES operations (billnumber),
    amount TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS receipts (
    fiscalreceipt_id TEXT PRIMARY KEY,
    billnumber TEXT NOT NULL,
    kind TEXT NOT NULL,
    payment_id TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    total TEXT NOT NULL,
    ready_at REAL NOT NULL,
    fn_number TEXT, fiscal_document_number TEXT, fiscal_document_attribute TEXT,
    shift_number TEXT, fiscal_receipt_number TEXT, ecr_registration_number TEXT,
    receipt_datetime TEXT, qr TEXT,
    created_at REAL NOT NULL,
    UNIQUE (billnumber, kind)
);
CREATE INDEX IF NOT EXISTS ix_receipts_settle ON receipts (status, ready_at);
CREATE TABLE IF NOT EXISTS emails (
    id INTEGER PRIMARY KEY,
    fiscalreceipt_id TEXT NOT NULL UNIQUE,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at REAL NOT NULL,
    sent_at REAL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
);
"""

PAID_STATES = (OrderState.APPROVED.value, OrderState.PARTIAL_CANCELED.value)


class Refusal(Exception):
    """A request the gateway refuses: an Assist-style error reply with ``code``."""

    def __init__(self, code: RejectCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Delays:
    fiscal_s: float
    sbp_s: float
    """Seconds until an unpaid SBP QR is settled by itself; negative: only "buyer pays"."""
    in_process_s: float


@dataclass(frozen=True)
class Registration:
    method: str
    """``cash``, ``sbp`` or ``card``."""
    meantypename: str
    ordernumber: str
    attempt_id: str
    amount: Decimal
    email: str
    phone: str
    request: dict[str, Any]
    """The request as received, without the password (kept for inspection)."""
    outcome: outcomes.Outcome | None = None
    """Decided by the card (a test card number); None: by the amount."""
    cardholder: str = ""
    """A card's holder as its card data name them (for the reply; not stored)."""


@dataclass(frozen=True)
class Email:
    id: int
    recipient: str
    subject: str
    body: str


def iso(epoch: float | None) -> str | None:
    if epoch is None:
        return None
    return datetime.fromtimestamp(epoch, UTC).isoformat()


class Ledger:
    def __init__(self, path: Path, delays: Delays) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)
        self.delays = delays
        with self.transaction():
            self._meta_default("fn_number", outcomes.random_digits(16))
            self._meta_default("ecr_registration_number", outcomes.random_digits(16))
            self._meta_default("created_at", repr(time.time()))
            self._meta_default("fd_counter", "0")

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _meta_default(self, key: str, value: str) -> None:
        self._db.execute("INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def _meta(self, key: str) -> str:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(row["value"])

    # -- payments ------------------------------------------------------------------------

    def register(self, reg: Registration, now: float) -> tuple[sqlite3.Row, bool]:
        """The operation of ``reg`` and whether it already existed (an idempotent repeat)."""
        with self.transaction() as db:
            existing = db.execute(
                "SELECT * FROM operations WHERE ordernumber = ? AND attempt_id = ?",
                (reg.ordernumber, reg.attempt_id),
            ).fetchone()
            if existing is not None:
                if existing["method"] != reg.method or Decimal(existing["amount"]) != reg.amount:
                    raise Refusal(
                        RejectCode.ATTEMPT_DATA_MISMATCH,
                        f"attempt {reg.attempt_id} of order {reg.ordernumber} was registered "
                        f"as {existing['method']} {existing['amount']}",
                    )
                return existing, True
            self._refuse_second_payment(db, reg.ordernumber, cash=reg.method == "cash")
            billnumber = self._unused_billnumber(db)
            state, code, final_state, final_code, settle_at = self._initial(reg, now)
            db.execute(
                "INSERT INTO operations (billnumber, ordernumber, attempt_id, method,"
                " meantypename, amount, state, responsecode, final_state, final_code, settle_at,"
                " approvalcode, rrn, qr_payload, email, phone, request, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    billnumber,
                    reg.ordernumber,
                    reg.attempt_id,
                    reg.method,
                    reg.meantypename,
                    format_amount(reg.amount),
                    state,
                    code,
                    final_state,
                    final_code,
                    settle_at,
                    outcomes.approval_code() if reg.method == "card" else None,
                    outcomes.rrn() if reg.method != "cash" else None,
                    self._qr_payload(reg, billnumber),
                    reg.email,
                    reg.phone,
                    json.dumps(reg.request, ensure_ascii=False),
                    now,
                    now,
                ),
            )
            row = db.execute("SELECT * FROM operations WHERE billnumber = ?", (billnumber,))
            return row.fetchone(), False

    @staticmethod
    def _qr_payload(reg: Registration, billnumber: str) -> str | None:
        if reg.method == "sbp":
            return outcomes.nspk_link(reg.amount)
        if reg.method == "softpos":
            merchant = str(reg.request.get("merchant_id", ""))
            return outcomes.softpos_link(merchant, reg.ordernumber, reg.amount, billnumber)
        return None

    def _initial(self, reg: Registration, now: float) -> tuple[str, str, str, str, float | None]:
        """(state, code, final state, final code, settle_at) of a new operation."""
        if reg.method == "cash":
            approved = OrderState.APPROVED.value
            return approved, outcomes.APPROVED_CODE, approved, outcomes.APPROVED_CODE, None
        outcome = reg.outcome or outcomes.outcome_for(reg.amount)
        final = (outcome.state.value, outcome.response_code)
        in_process = (OrderState.IN_PROCESS.value, outcomes.IN_PROCESS_CODE)
        if reg.method in ("sbp", "softpos"):
            settle_at = None if self.delays.sbp_s < 0 else now + self.delays.sbp_s
            return (*in_process, *final, settle_at)
        if outcome.waits:
            return (*in_process, *final, now + self.delays.in_process_s)
        return (*final, *final, None)

    def _refuse_second_payment(
        self, db: sqlite3.Connection, ordernumber: str, *, cash: bool
    ) -> None:
        """A paid order refuses every new payment; one In Process refuses all but cash (the
        cash is already in the drawer: the cashier switched methods while a QR was open)."""
        for row in db.execute(
            "SELECT billnumber, state FROM operations WHERE ordernumber = ?", (ordernumber,)
        ):
            if row["state"] in PAID_STATES:
                raise Refusal(
                    RejectCode.ALREADY_PAID,
                    f"order {ordernumber} is already paid by operation {row['billnumber']}",
                )
            if row["state"] == OrderState.IN_PROCESS.value and not cash:
                raise Refusal(
                    RejectCode.PAYMENT_IN_PROCESS,
                    f"order {ordernumber} has operation {row['billnumber']} in process",
                )

    def _unused_billnumber(self, db: sqlite3.Connection) -> str:
        for _ in range(20):
            candidate = outcomes.payment_billnumber()
            prefix = candidate[:14]
            # A range on the primary key (an index search), not LIKE (a scan of every row).
            taken = db.execute(
                "SELECT 1 FROM operations WHERE billnumber BETWEEN ? AND ?",
                (prefix + "00", prefix + "99"),
            ).fetchone()
            if taken is None:
                return candidate
        raise RuntimeError("no unused billnumber found")

    def buyer_pays(self, billnumber: str, now: float, *, method: str = "sbp") -> sqlite3.Row:
        """The buyer pays the SBP QR (``method="sbp"``) or the SoftPOS phone takes the card
        (``"softpos"``): the operation settles to its amount's outcome."""
        with self.transaction() as db:
            row = db.execute(
                "SELECT * FROM operations WHERE billnumber = ?", (billnumber,)
            ).fetchone()
            if row is None or row["method"] != method:
                raise Refusal(RejectCode.NOT_FOUND, f"no {method} operation {billnumber}")
            if row["state"] == OrderState.IN_PROCESS.value:
                outcome = outcomes.outcome_for(Decimal(row["amount"]))
                settle_at = now + self.delays.in_process_s if outcome.waits else now
                db.execute(
                    "UPDATE operations SET settle_at = ? WHERE billnumber = ?",
                    (settle_at, billnumber),
                )
        self.settle(now)
        return self.operation(billnumber)

    def expire(self, billnumber: str, now: float) -> sqlite3.Row:
        """An SBP QR or SoftPOS hand-off In Process ends unpaid: Timeout AS100."""
        with self.transaction() as db:
            row = db.execute(
                "SELECT * FROM operations WHERE billnumber = ?", (billnumber,)
            ).fetchone()
            if row is None or row["method"] not in ("sbp", "softpos"):
                raise Refusal(RejectCode.NOT_FOUND, f"no SBP or SoftPOS operation {billnumber}")
            db.execute(
                "UPDATE operations SET state = ?, responsecode = ?, final_state = ?,"
                " final_code = ?, settle_at = NULL, updated_at = ?"
                " WHERE billnumber = ? AND state = ?",
                (
                    OrderState.TIMEOUT.value,
                    outcomes.TIMEOUT_CODE,
                    OrderState.TIMEOUT.value,
                    outcomes.TIMEOUT_CODE,
                    now,
                    billnumber,
                    OrderState.IN_PROCESS.value,
                ),
            )
        return self.operation(billnumber)

    def operation(self, billnumber: str) -> sqlite3.Row:
        row: sqlite3.Row | None = self._db.execute(
            "SELECT * FROM operations WHERE billnumber = ?", (billnumber,)
        ).fetchone()
        if row is None:
            raise Refusal(RejectCode.NOT_FOUND, f"no operation {billnumber}")
        return row

    def operations_of(
        self, ordernumber: str, start: float | None = None, end: float | None = None
    ) -> list[sqlite3.Row]:
        query = "SELECT * FROM operations WHERE ordernumber = ?"
        params: list[Any] = [ordernumber]
        if start is not None:
            query += " AND created_at >= ?"
            params.append(start)
        if end is not None:
            query += " AND created_at <= ?"
            params.append(end)
        return list(self._db.execute(query + " ORDER BY created_at, billnumber", params))

    def backdate(self, ordernumber: str, seconds: float) -> int:
        with self.transaction() as db:
            cursor = db.execute(
                "UPDATE operations SET created_at = created_at - ?, updated_at = updated_at - ?"
                " WHERE ordernumber = ?",
                (seconds, seconds, ordernumber),
            )
            return cursor.rowcount

    # -- cancels -------------------------------------------------------------------------

    def cancel(
        self, billnumber: str, amount: Decimal | None, key: str, now: float
    ) -> tuple[sqlite3.Row, sqlite3.Row]:
        """(the cancel, the payment after it); a repeated ``key`` returns the first cancel."""
        with self.transaction() as db:
            done = db.execute("SELECT * FROM cancels WHERE idempotency_key = ?", (key,)).fetchone()
            if done is not None:
                return done, self.operation(done["payment_billnumber"])
            payment = self.operation(billnumber)
            if payment["state"] not in PAID_STATES:
                raise Refusal(
                    RejectCode.CANCEL_NOT_ALLOWED,
                    f"operation {billnumber} is {payment['state']}",
                )
            remaining = Decimal(payment["amount"]) - Decimal(payment["canceled"])
            amount = remaining if amount is None else amount
            if amount > remaining:
                raise Refusal(
                    RejectCode.CANCEL_AMOUNT_TOO_LARGE,
                    f"{format_amount(amount)} exceeds the {format_amount(remaining)} left",
                )
            canceled = Decimal(payment["canceled"]) + amount
            state = OrderState.CANCELED if amount == remaining else OrderState.PARTIAL_CANCELED
            count = db.execute(
                "SELECT count(*) FROM cancels WHERE payment_billnumber = ?", (billnumber,)
            ).fetchone()[0]
            cancel_number = outcomes.cancel_billnumber(billnumber, count + 2)
            db.execute(
                "INSERT INTO cancels (billnumber, payment_billnumber, amount, idempotency_key,"
                " created_at) VALUES (?, ?, ?, ?, ?)",
                (cancel_number, billnumber, format_amount(amount), key, now),
            )
            db.execute(
                "UPDATE operations SET canceled = ?, state = ?, updated_at = ?"
                " WHERE billnumber = ?",
                (format_amount(canceled), state.value, now, billnumber),
            )
            cancel = db.execute(
                "SELECT * FROM cancels WHERE billnumber = ?", (cancel_number,)
            ).fetchone()
            return cancel, self.operation(billnumber)

    # -- receipts ------------------------------------------------------------------------

    def fiscalize(
        self, billnumber: str, kind: str, payment_id: str, email: str, phone: str, now: float
    ) -> sqlite3.Row:
        with self.transaction() as db:
            existing: sqlite3.Row | None = db.execute(
                "SELECT * FROM receipts WHERE billnumber = ? AND kind = ?", (billnumber, kind)
            ).fetchone()
            if existing is not None:
                return existing
            total, contact_email, contact_phone = self._receipt_source(db, billnumber, kind)
            receipt_id = self._unused_receipt_id(db)
            db.execute(
                "INSERT INTO receipts (fiscalreceipt_id, billnumber, kind, payment_id, email,"
                " phone, status, total, ready_at, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    receipt_id,
                    billnumber,
                    kind,
                    payment_id,
                    email or contact_email,
                    phone or contact_phone,
                    FiscalState.NEW.value,
                    total,
                    now + self.delays.fiscal_s,
                    now,
                ),
            )
            created: sqlite3.Row = db.execute(
                "SELECT * FROM receipts WHERE fiscalreceipt_id = ?", (receipt_id,)
            ).fetchone()
            return created

    def _receipt_source(
        self, db: sqlite3.Connection, billnumber: str, kind: str
    ) -> tuple[str, str, str]:
        """(total, e-mail, phone) for a receipt of ``kind`` on ``billnumber``."""
        payment = db.execute(
            "SELECT * FROM operations WHERE billnumber = ?", (billnumber,)
        ).fetchone()
        if payment is not None:
            if kind != "sell":
                raise Refusal(
                    RejectCode.FISCALIZE_NOT_ALLOWED,
                    f"{billnumber} is a payment: a refund receipt needs the cancel's billnumber",
                )
            if payment["state"] not in (*PAID_STATES, OrderState.CANCELED.value):
                raise Refusal(
                    RejectCode.FISCALIZE_NOT_ALLOWED,
                    f"operation {billnumber} is {payment['state']}",
                )
            return str(payment["amount"]), str(payment["email"]), str(payment["phone"])
        cancel = db.execute("SELECT * FROM cancels WHERE billnumber = ?", (billnumber,)).fetchone()
        if cancel is None:
            raise Refusal(RejectCode.NOT_FOUND, f"no operation {billnumber}")
        if kind != "sell_refund":
            raise Refusal(
                RejectCode.FISCALIZE_NOT_ALLOWED,
                f"{billnumber} is a cancel: its receipt is a sell_refund",
            )
        payment = self.operation(cancel["payment_billnumber"])
        return str(cancel["amount"]), str(payment["email"]), str(payment["phone"])

    def _unused_receipt_id(self, db: sqlite3.Connection) -> str:
        for _ in range(20):
            candidate = outcomes.random_digits(9)
            if (
                db.execute(
                    "SELECT 1 FROM receipts WHERE fiscalreceipt_id = ?", (candidate,)
                ).fetchone()
                is None
            ):
                return candidate
        raise RuntimeError("no unused receipt id found")

    def receipt_of(self, billnumber: str) -> sqlite3.Row:
        row: sqlite3.Row | None = self._db.execute(
            "SELECT * FROM receipts WHERE billnumber = ? ORDER BY created_at DESC", (billnumber,)
        ).fetchone()
        if row is None:
            raise Refusal(RejectCode.NOT_FOUND, f"no receipt for {billnumber}")
        return row

    def receipts_of_order(self, ordernumber: str) -> list[sqlite3.Row]:
        """Every receipt of the order's operations and of their cancels, oldest first."""
        return list(
            self._db.execute(
                "SELECT * FROM receipts WHERE billnumber IN ("
                " SELECT billnumber FROM operations WHERE ordernumber = ?"
                " UNION SELECT cancels.billnumber FROM cancels JOIN operations"
                " ON operations.billnumber = cancels.payment_billnumber"
                " WHERE operations.ordernumber = ?)"
                " ORDER BY created_at, fiscalreceipt_id",
                (ordernumber, ordernumber),
            )
        )

    # -- time passes ---------------------------------------------------------------------

    def settle(self, now: float) -> None:
        """Finish what is due: In Process operations and New receipts whose time has come."""
        with self.transaction() as db:
            db.execute(
                "UPDATE operations SET state = final_state, responsecode = final_code,"
                " updated_at = ? WHERE state = ? AND settle_at IS NOT NULL AND settle_at <= ?",
                (now, OrderState.IN_PROCESS.value, now),
            )
            due = db.execute(
                "SELECT * FROM receipts WHERE status = ? AND ready_at <= ? ORDER BY ready_at",
                (FiscalState.NEW.value, now),
            ).fetchall()
            for receipt in due:
                make_fiscal(db, receipt, now)

    # -- e-mails -------------------------------------------------------------------------

    def unsent_emails(self, max_attempts: int) -> list[Email]:
        rows = self._db.execute(
            "SELECT * FROM emails WHERE sent_at IS NULL AND attempts < ? ORDER BY id",
            (max_attempts,),
        )
        return [Email(r["id"], r["recipient"], r["subject"], r["body"]) for r in rows]

    def email_done(self, email_id: int, now: float, error: str | None) -> None:
        with self.transaction() as db:
            if error is None:
                db.execute(
                    "UPDATE emails SET sent_at = ?, attempts = attempts + 1, last_error = NULL"
                    " WHERE id = ?",
                    (now, email_id),
                )
            else:
                db.execute(
                    "UPDATE emails SET attempts = attempts + 1, last_error = ? WHERE id = ?",
                    (error, email_id),
                )

    def emails(self) -> list[dict[str, Any]]:
        return [
            {
                "fiscalreceipt_id": r["fiscalreceipt_id"],
                "to": r["recipient"],
                "subject": r["subject"],
                "body": r["body"],
                "created_at": iso(r["created_at"]),
                "sent_at": iso(r["sent_at"]),
                "attempts": r["attempts"],
                "last_error": r["last_error"],
            }
            for r in self._db.execute("SELECT * FROM emails ORDER BY id")
        ]
