"""The self-test's ``print`` check: printing through the virtual printer.

A cash sale with the gateway down: its offline slip is printed from the receipt preview; with the
gateway back the fiscal receipt is printed automatically. Both are read back from the virtual
printer's decoder (fields, the fiscal QR code and its size). With ``--out``:
``print-01-preview.png``, ``print-02-printed.png`` and ``print-03-fiscal-printed.png``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QPushButton

from desktop_pos.models.receipt import FiscalReceiptDoc
from desktop_pos.ui.selftest import (
    CheckContext,
    CheckFailed,
    PrintCheckSupport,
    _cash_sale,
    _in_thread,
    click,
    expect,
    find,
    open_window,
    save_screenshot,
    wait_until,
)

if TYPE_CHECKING:
    from desktop_pos.sandbox.virtual_printer.server import SavedReceipt

SLIP_FIELDS = ("НЕ ЯВЛЯЕТСЯ ФИСКАЛЬНЫМ", "ИТОГ", "ПОЛУЧЕНО", "СДАЧА")
RECEIPT_FIELDS = ("КАССОВЫЙ ЧЕК", "ПРИХОД", "ИТОГ", "ФН №", "ФД №", "ФП:", "ЖДЕМ ВАС СНОВА!")
QR_MIN_DOTS = 160


def _printed_text(receipt: SavedReceipt) -> str:
    return " ".join(receipt.text.split())


def _expect_fields(what: str, receipt: SavedReceipt, fields: Sequence[str]) -> None:
    text = _printed_text(receipt)
    missing = [field for field in fields if field not in text]
    if missing:
        raise CheckFailed(f"the {what} ({receipt.txt_path.name}) lacks {', '.join(missing)}")


async def _next_receipt(
    support: PrintCheckSupport, count: int, what: str, timeout: float
) -> SavedReceipt:
    await wait_until(lambda: len(support.receipts()) > count, what, timeout)
    return support.receipts()[count]


async def check_print(context: CheckContext) -> None:
    """A cash sale with the gateway down: its offline slip printed from the preview through the
    virtual printer; with the gateway back the fiscal receipt is printed automatically."""
    sync, printer = context.sync, context.printer
    if sync is None or printer is None:
        raise CheckFailed("the print check needs the sandbox gateway and the virtual printer")
    await _in_thread(sync.stop_gateway)
    window = await open_window(context)
    try:
        before = len(printer.receipts())
        number = await _cash_sale(window, replace(context, out_dir=None), new_order=False)
        language = window.language()
        click(find(window.result_screen, QPushButton, "printButton"))
        actions = window.print_actions()
        await wait_until(
            lambda: (
                (dialog := actions.preview_dialog()) is not None and dialog.preview() is not None
            ),
            "the receipt preview",
            context.timeout,
        )
        dialog = actions.preview_dialog()
        assert dialog is not None
        await wait_until(dialog.isVisible, "the receipt preview to show", context.timeout)
        save_screenshot(window, context.out_dir, "print-01-preview.png", dialog)
        click(find(dialog, QPushButton, "previewPrintButton"))
        slip = await _next_receipt(printer, before, "the offline slip", context.timeout)
        await wait_until(lambda: not dialog.is_printing(), "the print to finish", context.timeout)
        from desktop_pos.services.printing import PRINTED

        expect("the preview's status", dialog.status_text(), PRINTED.get(language))
        _expect_fields("offline slip", slip, (*SLIP_FIELDS, number))
        save_screenshot(window, context.out_dir, "print-02-printed.png", dialog)
        click(find(dialog, QPushButton, "previewCloseButton"))

        await _in_thread(sync.start_gateway)
        sync.sync_now()
        receipt = await _next_receipt(
            printer, before + 1, "the fiscal receipt printed automatically", context.timeout
        )
        _expect_fields("fiscal receipt", receipt, RECEIPT_FIELDS)
        printing = actions.printing
        assert printing is not None
        documents = await printing.documents(number)
        fiscal = next((d for d in documents if isinstance(d, FiscalReceiptDoc)), None)
        if fiscal is None:
            raise CheckFailed(f"order {number} has no fiscal receipt after the auto-print")
        codes = receipt.decoded.qr_codes
        if [code.payload for code in codes] != [fiscal.fiscal.qr_string]:
            raise CheckFailed(
                f"the receipt's QR reads {[c.payload for c in codes]}, "
                f"expected {fiscal.fiscal.qr_string!r}"
            )
        if codes[0].width_dots < QR_MIN_DOTS:
            raise CheckFailed(f"the receipt's QR is {codes[0].width_dots} dots wide (< 160)")
        save_screenshot(window, context.out_dir, "print-03-fiscal-printed.png")
    finally:
        window.close()
        window.deleteLater()
