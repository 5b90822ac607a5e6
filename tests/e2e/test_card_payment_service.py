"""A day of card payments end to end, then the scan for clear card numbers.

Both emulated readers on the virtual radio (through bleak), the sandbox gateway as a subprocess
and one store on SQLite: contactless, PIN, co-badged (chosen in the app on the QPOS-like reader,
on the reader on the Bluepad-like one), signature, a decline and its retry, and a lost answer
settled by polling. Afterwards no 13–19-digit Luhn-valid number may appear anywhere in the
database or in the captured logs (only masked PANs are kept).
"""

from __future__ import annotations

import logging
import re
import sqlite3
import uuid
from pathlib import Path

import pytest

from desktop_pos.hardware.reader.messages import EntryMode
from desktop_pos.models.payment import OrderState
from desktop_pos.sandbox.card_reader.test_cards import TEST_CARDS
from desktop_pos.sandbox.test_pans import luhn_valid
from desktop_pos.services.card_payment import CardPaymentOutcome
from desktop_pos.services.store import Store
from tests.card_payment_rig import CardRig, ScriptedUi, make_order, run_card, scribble_signature
from tests.sandbox_gateway import SandboxGatewayProcess

_DIGIT_RUN = re.compile(r"(?<!\d)\d{13,19}(?!\d)")


def clear_card_numbers(text: str, allowed: set[str]) -> list[str]:
    """13–19-digit Luhn-valid numbers in ``text`` that are not known non-card numbers."""
    return [run for run in _DIGIT_RUN.findall(text) if luhn_valid(run) and run not in allowed]


def test_the_scan_finds_a_clear_card_number() -> None:
    pan = TEST_CARDS["mir_chip_pin"].pan
    assert clear_card_numbers(f"card {pan} paid", set()) == [pan]
    assert clear_card_numbers("card 220220******0016 paid", set()) == []


def _order(tag: str, amount: str):
    return make_order(f"E2E-{tag}-{uuid.uuid4().hex[:6]}", amount)


def test_a_day_of_card_payments_leaves_no_clear_card_number(
    tmp_path: Path, sandbox_gateway: SandboxGatewayProcess, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="desktop_pos")
    db = tmp_path / "pos.sqlite3"
    store = Store.open(f"sqlite:///{db}")
    outcomes: list[CardPaymentOutcome] = []

    async def on_qpos(rig: CardRig) -> None:
        outcomes.append((await rig.pay(_order("nfc", "150.00"), "visa_contactless"))[0])
        outcomes.append((await rig.pay(_order("nfcpin", "3500.00"), "visa_contactless"))[0])
        choice = ScriptedUi(application_label="Maestro")
        cobadge = _order("qpos", "640.00")
        outcomes.append(
            (await rig.pay(cobadge, "cobadge_mir_maestro", choice, entry_mode=EntryMode.CHIP))[0]
        )
        signed = ScriptedUi(signature=scribble_signature())
        outcomes.append(
            (await rig.pay(_order("sign", "2100.00"), "magstripe_signature", signed))[0]
        )
        decline = _order("decline", "990.00")
        outcomes.append((await rig.pay(decline, "visa_insufficient_funds"))[0])
        outcomes.append((await rig.pay(decline, "mir_chip_pin"))[0])

    async def on_bluepad(rig: CardRig) -> None:
        cobadge = _order("bluepad", "640.00")
        outcomes.append(
            (await rig.pay(cobadge, "cobadge_mir_maestro", entry_mode=EntryMode.CHIP))[0]
        )
        outcomes.append(
            (await rig.pay(_order("wrongpin", "800.00"), "mir_wrong_pin_then_right"))[0]
        )
        lost, _ = await rig.pay(_order("lost", "450.00"), "mir_chip_pin")
        outcomes.append(await rig.service.watch(lost, lambda _update: None))

    try:
        run_card(store, sandbox_gateway, on_qpos, model="qpos")
        run_card(store, sandbox_gateway, on_bluepad, model="bluepad")
    finally:
        store.close()
    states = [outcome.state for outcome in outcomes]
    assert states == [OrderState.APPROVED] * 4 + [OrderState.DECLINED] + [OrderState.APPROVED] * 4

    with sqlite3.connect(db) as connection:
        tables = [
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        cells: list[str] = []
        for table in tables:
            for row in connection.execute(f'SELECT * FROM "{table}"'):
                cells.extend(str(value) for value in row if value is not None)
        allowed = {
            str(value)
            for (value,) in connection.execute(
                "SELECT billnumber FROM payment_attempts WHERE billnumber IS NOT NULL "
                "UNION SELECT transaction_number FROM payment_attempts "
                "UNION SELECT billnumber FROM orders WHERE billnumber IS NOT NULL"
            )
        }
    text = "\n".join(cells)
    assert "******" in text  # masked PANs are there
    assert clear_card_numbers(text, allowed) == []
    # bumble's own HCI traces are the virtual radio's (the sandbox hardware), not the app's.
    logs = "\n".join(
        record.getMessage() for record in caplog.records if not record.name.startswith("bumble")
    )
    assert "card payment Approved" in logs
    assert clear_card_numbers(logs, allowed) == []
