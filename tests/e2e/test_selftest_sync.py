"""The self-test's ``sync`` check, wired as the app wires it: real widgets on the qasync loop, the
sandbox gateway subprocess (stopped and started by the check) and the sync worker on one store."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Coroutine
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from desktop_pos.models.payment import FiscalState, OrderState
from desktop_pos.models.texts import Language
from desktop_pos.sandbox.sample_order import sample_order
from desktop_pos.services.checkout import CheckoutService
from desktop_pos.services.events import EventBus
from desktop_pos.services.gateway.client import AsyncGatewayClient
from desktop_pos.services.store import Store
from desktop_pos.services.store_worker import StoreWorker
from desktop_pos.ui.main_window import MainWindow
from desktop_pos.ui.selftest import SyncCheckSupport, run_selftest_async, select_checks
from tests.e2e.conftest import WorkerFactory
from tests.sandbox_gateway import SandboxGatewayProcess

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints|raise)\(\)"
)


def local_now() -> datetime:
    return datetime.now().astimezone()


def run(qtbot: QtBot, coro: Coroutine[Any, Any, Any], timeout_ms: int = 60_000) -> Any:
    task = asyncio.ensure_future(coro)
    qtbot.waitUntil(task.done, timeout=timeout_ms)
    return task.result()


def test_the_sync_check_passes_against_the_sandbox_gateway(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    sandbox_gateway: SandboxGatewayProcess,
    pos_store: Store,
    events: EventBus,
    make_worker: WorkerFactory,
    tmp_path: Path,
) -> None:
    settings = sandbox_gateway.settings(timeout_s=1.0)
    worker = make_worker(settings)
    store_worker = StoreWorker(pos_store)
    gateway = AsyncGatewayClient(settings)
    checkout = CheckoutService(
        store_worker, events, local_now, gateway=gateway, resync_done=worker.resync_done
    )

    def make() -> MainWindow:
        return MainWindow(
            checkout,
            lambda: sample_order(local_now()),
            language=Language.RU,
            demo=True,
            version="0.1.0-test",
            use_tray=False,
        )

    support = SyncCheckSupport(sandbox_gateway.stop, sandbox_gateway.start, worker.sync_now)
    out = io.StringIO()
    try:
        code = run(qtbot, run_selftest_async(make, ["sync"], None, out, timeout=15, sync=support))
    finally:
        run(qtbot, gateway.close())
        store_worker.shutdown()
    assert out.getvalue() == "PASS sync\n", out.getvalue()
    assert code == 0
    [number] = pos_store.recent_orders(local_now().replace(hour=0, minute=0))
    details = pos_store.load_details(number)
    assert details is not None
    assert (details.state, details.fiscal_state) == (OrderState.APPROVED, FiscalState.SUCCESS)
    assert len(sandbox_gateway.registrations(number)) == 1


def test_without_the_sandbox_the_sync_check_is_not_offered() -> None:
    assert select_checks(None) == ["cash"]
    assert select_checks(None, with_sync=True) == ["cash", "sync"]
    with pytest.raises(ValueError, match="'sync' is not available"):
        select_checks(["sync"])
