"""Printing for the UI tests: the virtual printer on loopback and ReceiptPrinting over the real
store, as the app wires them (``printer_link.start_printing`` in demo mode)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from desktop_pos.hardware.printer.settings import PrinterSettings
from desktop_pos.models.order import Order
from desktop_pos.models.payment import FiscalState, OrderState
from desktop_pos.sandbox.sample_order import demo_merchant
from desktop_pos.sandbox.virtual_printer.server import VirtualPrinterThread
from desktop_pos.services.printing import PrintService
from desktop_pos.services.receipt_printing import ReceiptPrinting
from desktop_pos.services.store import Store
from desktop_pos.services.store_records import FiscalData
from desktop_pos.services.store_worker import StoreWorker
from desktop_pos.ui.print_actions import PrintingSetup

SIGNED_AT = datetime(2026, 1, 15, 7, 21, tzinfo=UTC)
QR = "t=20260115T1021&s=14.24&fn=9999078900011524&i=135&fp=2550591940&n=1"


@pytest.fixture
def printer(tmp_path: Path) -> Iterator[VirtualPrinterThread]:
    with VirtualPrinterThread(tmp_path / "printed") as virtual:
        yield virtual


PrintingFactory = Callable[..., PrintingSetup]


@pytest.fixture
def make_printing(
    store_worker: StoreWorker, printer: VirtualPrinterThread, tmp_path: Path
) -> Iterator[PrintingFactory]:
    made: list[ReceiptPrinting] = []

    def make(**values: Any) -> PrintingSetup:
        settings = PrinterSettings.network(
            "127.0.0.1", printer.port, **{"timeout_s": 1.0, **values}
        )
        printing = ReceiptPrinting(store_worker, PrintService(settings), settings, demo_merchant())
        made.append(printing)
        return PrintingSetup(printing, configured=settings, config_file=tmp_path / "config.toml")

    yield make
    for printing in made:
        printing.close()


def cash_sale(store: Store, order: Order, received: Decimal = Decimal(20)) -> str:
    """Store a cash sale of ``order``; returns the attempt id."""
    store.record_cash_sale(order, received, received - order.due, datetime.now(UTC))
    details = store.load_details(order.number)
    assert details is not None
    return details.attempts[-1].attempt_id


def fiscalize(store: Store, attempt_id: str) -> None:
    """Store fiscal data as the sync worker does when Assist sends them."""
    store.record_attempt_outcome(attempt_id, OrderState.APPROVED, SIGNED_AT)
    data = FiscalData(
        FiscalState.SUCCESS,
        fiscal_receipt_id="FR-1",
        fn="9999078900011524",
        fd="135",
        fp="2550591940",
        shift_number=9,
        receipt_number=21,
        kkt_reg_number="0000000001024742",
        fiscal_datetime=SIGNED_AT,
        qr_string=QR,
    )
    store.record_fiscal_data(attempt_id, data, SIGNED_AT)


def one_line(text: str) -> str:
    return " ".join(text.split())


def wait_receipts(qtbot: Any, printer: VirtualPrinterThread, count: int) -> list[Any]:
    """Let the Qt loop run (the print is an asyncio task on it) until ``count`` receipts."""
    qtbot.waitUntil(lambda: len(printer.receipts) >= count, timeout=10_000)
    return printer.receipts
