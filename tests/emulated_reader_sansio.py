"""Helpers for the sans-IO tests of the emulated reader."""

from __future__ import annotations

from datetime import date

from desktop_pos.hardware.reader.messages import (
    DisplayCode,
    DisplayText,
    ReaderMessage,
    StartTransaction,
    TxnKind,
)
from desktop_pos.sandbox.card_reader.buyer import apply_buyer_step, next_buyer_step
from desktop_pos.sandbox.card_reader.transaction import (
    ReaderTransaction,
    TransactionEnvironment,
)

ORDER = "20260601_120000_001"
NO_CVM_LIMIT = 300000


def env(*, on_reader: bool = False) -> TransactionEnvironment:
    counter = iter(range(1, 10_000))
    return TransactionEnvironment(
        app_selection_on_reader=on_reader,
        random_bytes=lambda n: bytes([next(counter) % 256]) * n,
        today=lambda: date(2026, 6, 1),
    )


def start(
    amount_minor: int = 15000,
    *,
    txn_id: int = 7,
    kind: TxnKind = TxnKind.PURCHASE,
    nfc: bool = True,
    order: str = ORDER,
) -> StartTransaction:
    return StartTransaction(
        txn_id=txn_id,
        kind=kind,
        amount_minor=amount_minor,
        currency="643",
        order_number=order,
        no_cvm_limit_minor=NO_CVM_LIMIT,
        nfc_enabled=nfc,
    )


def play_buyer(txn: ReaderTransaction) -> list[ReaderMessage]:
    """Let the emulated buyer act until the reader waits for someone else."""
    out: list[ReaderMessage] = []
    while (step := next_buyer_step(txn)) is not None:
        out += apply_buyer_step(txn, step)
    return out


def codes(messages: list[ReaderMessage]) -> list[DisplayCode]:
    return [m.code for m in messages if isinstance(m, DisplayText)]


def kinds(messages: list[ReaderMessage]) -> list[str]:
    """Message class names, DisplayText shown as its code."""
    return [
        f"Display.{m.code.name}" if isinstance(m, DisplayText) else type(m).__name__
        for m in messages
    ]
