"""kill -9 in the middle of a sync pass, then a restart: exactly one sale and one fiscal receipt
per order at the gateway.

The sync worker runs in a child process (``tests.e2e.sync_child``) that ends itself with
``os._exit(137)`` at the checkpoint named by ``DESKTOP_POS_CRASH_AT`` — as abrupt as a kill -9:
no clean-up, no flush of anything not yet committed. A second child, started without it, must
finish the work without registering or fiscalizing anything twice.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_pos.models.payment import FiscalState, OrderState
from desktop_pos.services.store import Store
from desktop_pos.services.store_records import STEP_FISCALIZE_SENT, STEP_REGISTER_SENT
from desktop_pos.services.sync_steps import CHECKPOINTS, CRASH_ENV, CRASH_EXIT_CODE
from tests.e2e.sync_child import PASSWORD_ENV
from tests.e2e.sync_fixtures import cash_sale
from tests.sandbox_gateway import SANDBOX_PASSWORD, SandboxGatewayProcess

ROOT = Path(__file__).resolve().parents[2]
CHILD_TIMEOUT_S = 60
ORDERS = ("CRASH-1", "CRASH-2")
BATCH = ("BATCH-1", "BATCH-2", "BATCH-3")


def run_child(
    db_url: str, gateway: SandboxGatewayProcess, crash_at: str | None
) -> subprocess.CompletedProcess[str]:
    """Run the sync child; it must drain the outbox, or crash at ``crash_at``."""
    env = {k: v for k, v in os.environ.items() if k != CRASH_ENV}
    env[PASSWORD_ENV] = SANDBOX_PASSWORD
    if crash_at is not None:
        env[CRASH_ENV] = crash_at
    completed = subprocess.run(
        [sys.executable, "-m", "tests.e2e.sync_child", "--db", db_url, "--gateway", gateway.url],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT_S,
        check=False,
    )
    expected = 0 if crash_at is None else CRASH_EXIT_CODE
    assert completed.returncode == expected, completed.stdout + completed.stderr[-3000:]
    return completed


def assert_once_at_the_gateway(gateway: SandboxGatewayProcess, store: Store, number: str) -> None:
    """Exactly one registration and one fiscal receipt at the gateway, and the store has them."""
    [registration] = gateway.registrations(number)
    [receipt] = gateway.receipts(number)
    assert receipt["billnumber"] == registration["billnumber"]
    details = store.load_details(number)
    assert details is not None
    assert (details.state, details.billnumber) == (
        OrderState.APPROVED,
        registration["billnumber"],
    )
    [attempt] = details.attempts
    stored = details.receipt_of(attempt.attempt_id)
    assert stored is not None
    assert (stored.fiscal_state, stored.fiscal_receipt_id) == (
        FiscalState.SUCCESS,
        receipt["fiscalreceipt_id"],
    )
    assert details.outbox[0].done_at is not None


@pytest.mark.slow
@pytest.mark.parametrize(
    "checkpoint", [name for name in CHECKPOINTS if not name.startswith("after_state")]
)
def test_a_killed_sync_resumes_without_a_second_sale(
    checkpoint: str,
    sandbox_gateway: SandboxGatewayProcess,
    pos_store: Store,
    db_url: str,
) -> None:
    for number in ORDERS:
        cash_sale(pos_store, number)
    run_child(db_url, sandbox_gateway, crash_at=checkpoint)
    crashed = [pos_store.load_details(number) for number in ORDERS]
    if checkpoint != "after_fiscal_data_stored":  # there the batch's last write is committed
        assert any(d is not None and d.outbox[0].done_at is None for d in crashed)

    assert "DRAINED" in run_child(db_url, sandbox_gateway, crash_at=None).stdout
    for number in ORDERS:
        assert_once_at_the_gateway(sandbox_gateway, pos_store, number)


@pytest.mark.slow
def test_a_crash_after_a_batch_of_registrations_adopts_them_after_the_restart(
    sandbox_gateway: SandboxGatewayProcess, pos_store: Store, db_url: str
) -> None:
    """Every registration of the batch answered, none stored: the restart finds each one at
    the gateway (orderstate) and stores it; nothing is registered twice."""
    for number in BATCH:
        cash_sale(pos_store, number)
    run_child(db_url, sandbox_gateway, crash_at="after_register_batch_sent")
    for number in BATCH:
        assert len(sandbox_gateway.registrations(number)) == 1
        details = pos_store.load_details(number)
        assert details is not None
        assert (details.state, details.billnumber) == (OrderState.OFFLINE, None)
        assert details.outbox[0].step == STEP_REGISTER_SENT

    resumed = run_child(db_url, sandbox_gateway, crash_at=None)
    assert "DRAINED" in resumed.stdout
    for number in BATCH:
        assert f"order {number}: the gateway already has the cash sale" in resumed.stderr
        assert_once_at_the_gateway(sandbox_gateway, pos_store, number)


@pytest.mark.slow
def test_a_crash_after_a_batch_of_fiscalizations_adopts_the_receipts_after_the_restart(
    sandbox_gateway: SandboxGatewayProcess, pos_store: Store, db_url: str
) -> None:
    """Every fiscalize of the batch answered, no receipt id stored: the restart finds each
    receipt at the gateway (fiscalreceipt) and stores it; no sale gets a second receipt."""
    for number in BATCH:
        cash_sale(pos_store, number)
    run_child(db_url, sandbox_gateway, crash_at="after_fiscalize_batch_sent")
    for number in BATCH:
        assert len(sandbox_gateway.receipts(number)) == 1
        details = pos_store.load_details(number)
        assert details is not None
        assert details.state is OrderState.APPROVED  # the billnumbers were stored
        assert details.outbox[0].step == STEP_FISCALIZE_SENT
        assert [r.fiscal_receipt_id for r in details.receipts] == [None]

    resumed = run_child(db_url, sandbox_gateway, crash_at=None)
    assert "DRAINED" in resumed.stdout
    for number in BATCH:
        assert f"order {number}: the gateway already has receipt" in resumed.stderr
        assert_once_at_the_gateway(sandbox_gateway, pos_store, number)


@pytest.mark.slow
def test_a_killed_state_poll_resumes(
    sandbox_gateway: SandboxGatewayProcess, pos_store: Store, db_url: str
) -> None:
    from tests.e2e.sync_fixtures import register_sbp_payment

    _, bill = register_sbp_payment(sandbox_gateway.settings(), pos_store, "CRASH-SBP")
    sandbox_gateway.buyer_pays(bill)
    run_child(db_url, sandbox_gateway, crash_at="after_state_polled")
    assert pos_store.order_state("CRASH-SBP") is OrderState.IN_PROCESS
    assert "DRAINED" in run_child(db_url, sandbox_gateway, crash_at=None).stdout
    assert pos_store.order_state("CRASH-SBP") is OrderState.APPROVED
    assert len(sandbox_gateway.registrations("CRASH-SBP")) == 1
