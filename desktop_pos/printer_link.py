"""The app's receipt printer: the configured one, or in demo mode the virtual printer.

``start_printing`` builds ``ReceiptPrinting`` over the store for the ``[printer]`` settings and
the ``[merchant]`` requisites. In demo mode a virtual printer (``sandbox/virtual_printer``) starts
on a free loopback port, saving its receipts in ``<data dir>/receipts``, and is used while no
printer is switched on in the settings; an empty ``[merchant]`` gets the guide's requisites.

It blocks (imports, the virtual printer's start, python-escpos' printer database for the profile),
so the app calls it on a thread after the first frame; ``PrinterLink.stop`` ends it all at exit.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_pos.config import Config
from desktop_pos.models.texts import Language

if TYPE_CHECKING:
    from desktop_pos.hardware.printer.settings import PrinterSettings
    from desktop_pos.sandbox.virtual_printer.server import SavedReceipt, VirtualPrinterThread
    from desktop_pos.services.printing import PrintService
    from desktop_pos.services.receipt_printing import ReceiptPrinting
    from desktop_pos.services.store_worker import StoreWorker
    from desktop_pos.ui.print_actions import PrintingSetup

log = logging.getLogger(__name__)

RECEIPTS_DIR = "receipts"
"""The demo's virtual printer saves its receipts here, in the data directory."""


@dataclass
class PrinterLink:
    setup: PrintingSetup
    virtual: VirtualPrinterThread | None = None

    @property
    def printing(self) -> ReceiptPrinting:
        return self.setup.printing

    def receipts(self) -> list[SavedReceipt]:
        """What the virtual printer saved (nothing without one)."""
        return self.virtual.receipts if self.virtual is not None else []

    def stop(self) -> None:
        """Close the printer link and stop the virtual printer."""
        self.setup.printing.close()
        virtual, self.virtual = self.virtual, None
        if virtual is not None:
            virtual.stop()
            log.info("virtual printer stopped")


def start_printing(store: StoreWorker, config: Config) -> PrinterLink:
    """Set up receipts and the drawer (blocking: call it off the GUI thread).

    A printer profile the settings get wrong is logged here and reported when printing.
    """
    from desktop_pos.hardware.printer.errors import PrinterSettingsError
    from desktop_pos.hardware.printer.settings import PrinterSettings
    from desktop_pos.models.errors import UserFacingError
    from desktop_pos.models.receipt import MerchantRequisites
    from desktop_pos.services.printing import PrintService
    from desktop_pos.services.receipt_printing import (
        ReceiptPrinting,
        merchant_is_empty,
        merchant_requisites,
    )
    from desktop_pos.ui.print_actions import PrintingSetup

    virtual_settings: PrinterSettings | None = None
    virtual = None
    if config.demo:
        from desktop_pos.sandbox.virtual_printer.server import VirtualPrinterThread

        virtual = VirtualPrinterThread(Path(config.paths.data_dir) / RECEIPTS_DIR)
        virtual.start()
        virtual_settings = PrinterSettings.network("127.0.0.1", virtual.port)
        log.info("virtual printer listening on 127.0.0.1:%d (%s)", virtual.port, virtual.out_dir)

    def choose(settings: PrinterSettings) -> tuple[PrintService | None, PrinterSettings]:
        if settings.enabled:
            return PrintService(settings), settings
        if virtual_settings is not None:
            return PrintService(virtual_settings), virtual_settings
        return None, settings

    merchant: MerchantRequisites | UserFacingError
    if config.demo and merchant_is_empty(config.merchant):
        from desktop_pos.sandbox.sample_order import demo_merchant

        merchant = demo_merchant()
    else:
        try:
            merchant = merchant_requisites(config.merchant)
        except UserFacingError as exc:
            log.warning("receipts: %s", exc.text.en)
            merchant = exc
    service, effective = choose(config.printer)
    printing = ReceiptPrinting(store, service, effective, merchant)
    if service is not None:
        try:
            effective.profile()  # python-escpos' printer database loads now, not at a sale
        except PrinterSettingsError as exc:
            log.warning("receipt printer: %s", exc.text.en)

    def last_receipt() -> Path | None:
        if virtual is None:
            return None
        pictures = sorted(virtual.out_dir.glob("*.png"))
        return pictures[-1] if pictures else None

    note = ""
    if virtual is not None:
        note = (
            "Демо-режим: пока печать чеков здесь не включена, чеки печатаются на виртуальный "
            f"принтер 127.0.0.1:{virtual.port} и сохраняются в {virtual.out_dir}."
            if config.language is Language.RU
            else "Demo mode: until receipt printing is switched on here, receipts go to the "
            f"virtual printer 127.0.0.1:{virtual.port} and are saved in {virtual.out_dir}."
        )
    setup = PrintingSetup(
        printing,
        configured=config.printer,
        config_file=config.paths.config_file,
        choose=choose,
        last_receipt=last_receipt if virtual is not None else None,
        note=note,
    )
    return PrinterLink(setup, virtual)


def copy_receipts(receipts: Sequence[SavedReceipt], out_dir: Path) -> None:
    """Copy each receipt (``.bin``, ``.txt``, ``.png``) into ``out_dir`` as ``receipt-NNNN.*``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for receipt in receipts:
        for path in (receipt.bin_path, receipt.txt_path, receipt.png_path):
            if path.exists():
                shutil.copy2(path, out_dir / f"receipt-{path.name}")
