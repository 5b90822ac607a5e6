"""The self-test's ``print`` check, wired as the app wires it: real widgets on the qasync loop, the
sandbox gateway subprocess (stopped and started by the check), the sync worker, and the virtual
printer the window prints to. Also the entry point: ``desktop-pos selftest --only print --out``."""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
import sys
from collections.abc import Coroutine
from datetime import datetime
from pathlib import Path
from typing import Any

import PIL.Image
import pytest
import zxingcpp
from pytestqt.qtbot import QtBot

from desktop_pos.hardware.printer.settings import PrinterSettings
from desktop_pos.models.texts import Language
from desktop_pos.sandbox.sample_order import demo_merchant, sample_order
from desktop_pos.sandbox.virtual_printer.server import VirtualPrinterThread
from desktop_pos.services.checkout import CheckoutService
from desktop_pos.services.events import EventBus
from desktop_pos.services.gateway.client import AsyncGatewayClient
from desktop_pos.services.printing import PrintService
from desktop_pos.services.receipt_printing import ReceiptPrinting
from desktop_pos.services.store import Store
from desktop_pos.services.store_worker import StoreWorker
from desktop_pos.ui.main_window import MainWindow
from desktop_pos.ui.print_actions import PrintingSetup
from desktop_pos.ui.selftest import (
    PrintCheckSupport,
    SyncCheckSupport,
    run_selftest_async,
    select_checks,
)
from tests.e2e.conftest import WorkerFactory
from tests.sandbox_gateway import SandboxGatewayProcess

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints|raise)\(\)"
)
ROOT = Path(__file__).resolve().parents[2]


def local_now() -> datetime:
    return datetime.now().astimezone()


def run(qtbot: QtBot, coro: Coroutine[Any, Any, Any], timeout_ms: int = 60_000) -> Any:
    task = asyncio.ensure_future(coro)
    qtbot.waitUntil(task.done, timeout=timeout_ms)
    return task.result()


def test_the_print_check_prints_the_slip_then_the_fiscal_receipt(
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
    virtual = VirtualPrinterThread(tmp_path / "printed")
    virtual.start()
    printer_settings = PrinterSettings.network("127.0.0.1", virtual.port, timeout_s=1.0)
    printing = ReceiptPrinting(
        store_worker, PrintService(printer_settings), printer_settings, demo_merchant()
    )
    setup = PrintingSetup(printing, configured=printer_settings)

    def make() -> MainWindow:
        return MainWindow(
            checkout,
            lambda: sample_order(local_now()),
            language=Language.RU,
            demo=True,
            version="0.1.0-test",
            events=events,
            use_tray=False,
            printing=setup,
        )

    sync = SyncCheckSupport(sandbox_gateway.stop, sandbox_gateway.start, worker.sync_now)
    support = PrintCheckSupport(receipts=lambda: virtual.receipts)
    out = io.StringIO()
    try:
        code = run(
            qtbot,
            run_selftest_async(
                make, ["print"], tmp_path / "out", out, timeout=15, sync=sync, printer=support
            ),
        )
    finally:
        run(qtbot, gateway.close())
        printing.close()
        virtual.stop()
        store_worker.shutdown()
    assert out.getvalue() == "PASS print\n", out.getvalue()
    assert code == 0
    slip, receipt = virtual.receipts
    assert "НЕ ЯВЛЯЕТСЯ ФИСКАЛЬНЫМ ДОКУМЕНТОМ" in slip.text
    assert "КАССОВЫЙ ЧЕК" in receipt.text
    [number] = pos_store.recent_orders(local_now().replace(hour=0, minute=0))
    details = pos_store.load_details(number)
    assert details is not None
    sale = details.receipt_of(details.attempts[-1].attempt_id)
    assert sale is not None and sale.qr_string
    (found,) = zxingcpp.read_barcodes(PIL.Image.open(receipt.png_path))
    assert found.text == sale.qr_string  # the FNS string Assist sent, read from the picture
    assert receipt.decoded.qr_codes[0].width_dots >= 160
    shots = sorted(p.name for p in (tmp_path / "out").glob("print-*.png"))
    assert shots == ["print-01-preview.png", "print-02-printed.png", "print-03-fiscal-printed.png"]


def test_the_print_check_is_offered_only_with_the_gateway_and_the_printer() -> None:
    assert select_checks(None, with_sync=True) == ["cash", "sync"]
    assert select_checks(None, with_sync=True, with_print=True) == ["cash", "sync", "print"]
    with pytest.raises(ValueError, match="'print' is not available"):
        select_checks(["print"], with_sync=True)


def test_the_entry_point_copies_the_printed_receipts_into_out(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_CACHE_HOME": str(home / "cache"),
    }
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "desktop_pos", "selftest", "--only", "print", "--out", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    assert done.stdout.strip().splitlines()[-1] == "PASS print"
    copied = sorted(p.name for p in out.glob("receipt-*"))
    assert copied == [f"receipt-000{i}.{ext}" for i in (1, 2) for ext in ("bin", "png", "txt")]
    assert "НЕ ЯВЛЯЕТСЯ ФИСКАЛЬНЫМ" in (out / "receipt-0001.txt").read_text(encoding="utf-8")
    assert "КАССОВЫЙ ЧЕК" in (out / "receipt-0002.txt").read_text(encoding="utf-8")
