"""The receipt preview: the printed layout painted, printing from it, waiting for fiscal data,
paper out with «Повторить», PNG and PDF export, keyboard use at 1280×800."""

from __future__ import annotations

from pathlib import Path

import PIL.Image
import pytest
import zxingcpp
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from desktop_pos.models.order import Order
from desktop_pos.models.payment import FiscalState, OrderState
from desktop_pos.models.receipt_layout import QrBlock, TextLine
from desktop_pos.sandbox.virtual_printer.server import PrinterFault, VirtualPrinterThread
from desktop_pos.services.events import OrderStateChanged
from desktop_pos.services.receipt_printing import DocumentKind
from desktop_pos.services.store import Store
from desktop_pos.ui.receipt_preview import ReceiptPreviewDialog
from tests.ui.printing_fixtures import (  # noqa: F401 - fixtures
    QR,
    PrintingFactory,
    cash_sale,
    fiscalize,
    make_printing,
    one_line,
    printer,
    wait_receipts,
)


@pytest.fixture
def open_preview(qtbot: QtBot, qloop: object, make_printing: PrintingFactory):  # noqa: F811
    def open_(number: str, *, online: bool | None = None, **settings: object):
        setup = make_printing(**settings)
        dialog = ReceiptPreviewDialog(setup.printing, number, online=online)
        qtbot.addWidget(dialog)
        dialog.load()
        dialog.show()
        qtbot.waitExposed(dialog)
        qtbot.waitUntil(lambda: dialog.preview() is not None, timeout=10_000)
        return dialog

    return open_


def first_text(dialog: ReceiptPreviewDialog) -> str:
    preview = dialog.preview()
    assert preview is not None
    return next(e.text for e in preview.layouts[0] if isinstance(e, TextLine))


def test_the_preview_paints_the_layout_the_printer_gets_and_prints_by_enter(
    qtbot: QtBot,
    open_preview,
    store: Store,
    sample: Order,
    printer: VirtualPrinterThread,  # noqa: F811
) -> None:
    fiscalize(store, cash_sale(store, sample))
    dialog = open_preview(sample.number)

    preview = dialog.preview()
    assert preview is not None and preview.kinds == (DocumentKind.FISCAL,)
    assert not preview.awaiting_fiscal and dialog.status_text() == ""
    paper = dialog.paper()
    assert paper.layouts() == preview.layouts and paper.chars_per_line() == 48
    [qr] = [e for e in preview.layouts[0] if isinstance(e, QrBlock)]
    assert qr.payload == QR and paper.qr_width_mm(qr) >= 20
    assert dialog.width() <= 1280 and dialog.height() <= 800
    assert QApplication.focusWidget() is dialog.findChild(QPushButton, "previewPrintButton")

    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)

    [saved] = wait_receipts(qtbot, printer, 1)
    qtbot.waitUntil(lambda: dialog.status_text() == "Чек напечатан.", timeout=10_000)
    assert "КАССОВЫЙ ЧЕК" in saved.text and "КОПИЯ" not in saved.text
    qtbot.waitUntil(lambda: first_text(dialog) == "КОПИЯ", timeout=10_000)  # a reprint is a copy

    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_a_sale_awaiting_fiscal_data_shows_the_slip_and_refreshes_when_they_arrive(
    qtbot: QtBot,
    open_preview,
    store: Store,
    sample: Order,
    printer: VirtualPrinterThread,  # noqa: F811
) -> None:
    attempt_id = cash_sale(store, sample)
    dialog = open_preview(sample.number, online=True)

    preview = dialog.preview()
    assert preview is not None and preview.kinds == (DocumentKind.SLIP,)
    assert dialog.status_text().startswith("Ожидание фискальных данных…")
    dialog.set_online(False)
    assert dialog.status_text().startswith("Нет связи с Ассист")

    qtbot.keyClick(dialog, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)  # the slip, now
    [slip] = wait_receipts(qtbot, printer, 1)
    assert "НЕ ЯВЛЯЕТСЯ ФИСКАЛЬНЫМ ДОКУМЕНТОМ" in slip.text
    qtbot.waitUntil(lambda: dialog.status_text() == "Чек напечатан.", timeout=10_000)

    fiscalize(store, attempt_id)
    dialog.on_order_state_changed(
        OrderStateChanged("someone else", OrderState.APPROVED, FiscalState.SUCCESS)
    )
    dialog.on_order_state_changed(
        OrderStateChanged(sample.number, OrderState.APPROVED, FiscalState.SUCCESS)
    )
    qtbot.waitUntil(
        lambda: (p := dialog.preview()) is not None and p.kinds == (DocumentKind.FISCAL,),
        timeout=10_000,
    )
    assert first_text(dialog) == "КАССОВЫЙ ЧЕК"


def test_paper_out_is_shown_with_retry_and_nothing_is_printed(
    qtbot: QtBot,
    open_preview,
    store: Store,
    sample: Order,
    printer: VirtualPrinterThread,  # noqa: F811
) -> None:
    attempt_id = cash_sale(store, sample)
    dialog = open_preview(sample.number)
    button = dialog.findChild(QPushButton, "previewPrintButton")
    assert button is not None and button.text() == "Печать"
    printer.set_fault(PrinterFault.PAPER_OUT)

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: "закончилась бумага" in dialog.status_text(), timeout=10_000)
    qtbot.waitUntil(button.isEnabled)
    assert button.text() == "Повторить"
    assert printer.receipts == []
    assert store.print_marks(attempt_id).slip_printed_at is None

    printer.set_fault(None)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.status_text() == "Чек напечатан.", timeout=10_000)
    assert button.text() == "Печать"
    assert len(wait_receipts(qtbot, printer, 1)) == 1
    assert store.print_marks(attempt_id).slip_printed_at is not None


def test_export_to_png_and_pdf(
    qtbot: QtBot, open_preview, store: Store, sample: Order, tmp_path: Path
) -> None:
    fiscalize(store, cash_sale(store, sample))
    dialog = open_preview(sample.number)

    png, pdf = tmp_path / "chek.png", tmp_path / "chek.pdf"
    assert dialog.export_png(png)
    assert dialog.export_pdf(pdf)

    image = QImage(str(png))
    assert not image.isNull() and image.height() > image.width()
    (found,) = zxingcpp.read_barcodes(PIL.Image.open(png))
    assert found.text == QR
    assert pdf.read_bytes().startswith(b"%PDF")
    assert str(pdf) in dialog.status_text()
    assert not dialog.export_png(tmp_path / "missing-dir" / "x.png")
    assert "Не удалось сохранить" in dialog.status_text()


def test_58_mm_paper_is_32_characters_wide(
    qtbot: QtBot, open_preview, store: Store, sample: Order
) -> None:
    fiscalize(store, cash_sale(store, sample))
    dialog = open_preview(sample.number, paper_mm=58)

    preview = dialog.preview()
    assert preview is not None and preview.chars_per_line == 32 and preview.paper_mm == 58
    for element in preview.layouts[0]:
        if isinstance(element, TextLine):
            assert len(element.text) * (2 if element.double else 1) <= 32
    assert dialog.paper().chars_per_line() == 32


def test_an_unknown_order_says_so(qtbot: QtBot, qloop: object, make_printing) -> None:  # noqa: F811
    dialog = ReceiptPreviewDialog(make_printing().printing, "NO-SUCH")
    qtbot.addWidget(dialog)
    dialog.load()
    dialog.show()
    qtbot.waitUntil(lambda: "не найден" in dialog.status_text(), timeout=10_000)
    button = dialog.findChild(QPushButton, "previewPrintButton")
    assert button is not None and not button.isEnabled()
