"""kill -9 in the middle of a sync pass, then a restart: exactly one sale per order at the gateway.

The sync worker runs in a child process (``tests.e2e.sync_child``) that ends itself with
``os._exit(137)`` at the checkpoint named by ``DESKTOP_POS_CRASH_AT`` — as abrupt as a kill -9:
no clean-up, no flush of anything not yet committed. A second child, started without it, must
finish the work without registering anything twice.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_pos.models.payment import OrderState
from desktop_pos.services.store import Store
from desktop_pos.services.sync_steps import CHECKPOINTS, CRASH_ENV, CRASH_EXIT_CODE
from tests.e2e.sync_child import PASSWORD_ENV
from tests.e2e.sync_fixtures import cash_sale, fiscalized
from tests.sandbox_gateway import SANDBOX_PASSWORD, SandboxGatewayProcess

ROOT = Path(__file__).resolve().parents[2]
CHILD_TIMEOUT_S = 60
ORDERS = ("CRASH-1", "CRASH-2")


def run_child(db_url: str, gateway: SandboxGatewayProcess, crash_at: str | None) -> str:
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
    return completed.stdout


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
    assert any(d is not None and d.outbox[0].done_at is None for d in crashed)

    output = run_child(db_url, sandbox_gateway, crash_at=None)
    assert "DRAINED" in output
    for number in ORDERS:
        assert len(sandbox_gateway.registrations(number)) == 1, number
        assert fiscalized(pos_store, number)
        assert pos_store.order_state(number) is OrderState.APPROVED


@pytest.mark.slow
def test_a_killed_state_poll_resumes(
    sandbox_gateway: SandboxGatewayProcess, pos_store: Store, db_url: str
) -> None:
    from tests.e2e.sync_fixtures import register_sbp_payment

    _, bill = register_sbp_payment(sandbox_gateway.settings(), pos_store, "CRASH-SBP")
    sandbox_gateway.buyer_pays(bill)
    run_child(db_url, sandbox_gateway, crash_at="after_state_polled")
    assert pos_store.order_state("CRASH-SBP") is OrderState.IN_PROCESS
    run_child(db_url, sandbox_gateway, crash_at=None)
    assert pos_store.order_state("CRASH-SBP") is OrderState.APPROVED
    assert len(sandbox_gateway.registrations("CRASH-SBP")) == 1
