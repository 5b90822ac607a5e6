"""ReceiptPrinting on a real store, a real PrintService and the virtual printer (the oracle).

Each receipt is decoded by the virtual printer, written independently of the renderer: the
golden lines below are what came out of the printer (runs of spaces between a caption and its
value collapsed to one), and the QR is read back from the printer's picture with zxing-cpp.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Coroutine, Iterator
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import PIL.Image
import pytest
import zxingcpp

from desktop_pos.config import MerchantInfo
from desktop_pos.hardware.printer.errors import (
    DrawerError,
    PrinterCoverOpen,
    PrinterPaperOut,
)
from desktop_pos.hardware.printer.settings import PrinterSettings
from desktop_pos.models.order import Order, OrderItem
from desktop_pos.models.payment import FiscalState, OrderState
from desktop_pos.models.vat import VatRate
from desktop_pos.sandbox.sample_order import demo_merchant
from desktop_pos.sandbox.virtual_printer.decoder import DecodedReceipt
from desktop_pos.sandbox.virtual_printer.server import (
    PrinterFault,
    SavedReceipt,
    VirtualPrinterThread,
)
from desktop_pos.services.events import OrderStateChanged
from desktop_pos.services.printing import PrintService
from desktop_pos.services.receipt_printing import (
    DocumentKind,
    MerchantNotConfigured,
    PrinterNotConfigured,
    ReceiptPrinting,
    merchant_is_empty,
    merchant_requisites,
)
from desktop_pos.services.store import PrintMarks, Store
from desktop_pos.services.store_records import FiscalData
from desktop_pos.services.store_worker import StoreWorker
from tests.async_helpers import run_coroutine

T = TypeVar("T")
MSK = timezone(timedelta(hours=3))
PAID_AT = datetime(2026, 1, 15, 7, 20, 30, tzinfo=UTC)
SIGNED_AT = datetime(2026, 1, 15, 7, 21, tzinfo=UTC)
PRINTED_AT = datetime(2026, 1, 15, 7, 22, tzinfo=UTC)
QR = "t=20260115T1021&s=180.00&fn=9999078900011524&i=135&fp=2550591940&n=1"
MERCHANT = demo_merchant()

FISCAL_RECEIPT = [
    "КАССОВЫЙ ЧЕК",
    "ПРИХОД",
    "Новый товар",
    "3.000 * 50.00 =150.00",
    "НДС 20% =25.00",
    "Пакет",
    "1.000 * 30.00 =30.00",
    "СКИДКА =5.00",
    "НДС 10% =2.73",
    "ИТОГ =180.00",
    "Сумма НДС 20% =25.00",
    "Сумма НДС 10% =2.73",
    "НАЛИЧНЫМИ =180.00",
    "ПОЛУЧЕНО =200.00",
    "СДАЧА =20.00",
    "СНО: ОСН",
    "Эл.адр.покупателя: null@assist.ru",
    'Пользователь: ООО "АССИСТ"',
    "Адрес: Комиссара Смирнова 9",
    "Место расчетов: пр. Шаумяна 4",
    "Кассир: Рязанов Д.",
    "ККТ для ИНТЕРНЕТ",
    "ЗН ККТ: 00106700276328",
    "Смена № 00009",
    "Чек № 00021",
    "Дата Время 15.01.26 10:21",
    "ОФД: ОФД1",
    "ИНН: 7728029110",
    "РН ККТ: 0000000001024742",
    "ФН № 9999078900011524",
    "ФД № 0000000135",
    "ФП: 2550591940",
    "ЖДЕМ ВАС СНОВА!",
]
OFFLINE_SLIP = [
    "НЕ ЯВЛЯЕТСЯ ФИСКАЛЬНЫМ ДОКУМЕНТОМ",
    'ООО "АССИСТ"',
    "Комиссара Смирнова 9",
    "ОПЛАТА НАЛИЧНЫМИ",
    "Заказ № R-1",
    "Новый товар",
    "3.000 * 50.00 =150.00",
    "Пакет",
    "1.000 * 30.00 =30.00",
    "СКИДКА =5.00",
    "ИТОГ =180.00",
    "НАЛИЧНЫМИ =180.00",
    "ПОЛУЧЕНО =200.00",
    "СДАЧА =20.00",
    "Дата Время 15.01.26 10:20",
    "Кассир: Рязанов Д.",
    "Кассовый чек будет сформирован после",
    "восстановления связи и отправлен на эл. адрес",
    "null@assist.ru",
    "НЕ ЯВЛЯЕТСЯ ФИСКАЛЬНЫМ ДОКУМЕНТОМ",
]


def lines_of(receipt: DecodedReceipt) -> list[str]:
    return [re.sub(r" +", " ", line.text.strip()) for line in receipt.lines if line.text.strip()]


def qr_from_picture(saved: SavedReceipt) -> str:
    (found,) = zxingcpp.read_barcodes(PIL.Image.open(saved.png_path))
    return found.text


@pytest.fixture
def printer(tmp_path: Path) -> Iterator[VirtualPrinterThread]:
    with VirtualPrinterThread(tmp_path / "printed") as virtual:
        yield virtual


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(f"sqlite:///{tmp_path / 'pos.db'}")
    yield opened
    opened.close()


@pytest.fixture
def store_worker(store: Store) -> Iterator[StoreWorker]:
    worker = StoreWorker(store)
    yield worker
    worker.shutdown()


Factory = Callable[..., ReceiptPrinting]


@pytest.fixture
def make_printing(store_worker: StoreWorker, printer: VirtualPrinterThread) -> Factory:
    def make(*, configured: bool = True, **settings: Any) -> ReceiptPrinting:
        values = {"timeout_s": 1.0, **settings}
        printer_settings = PrinterSettings.network("127.0.0.1", printer.port, **values)
        service = PrintService(printer_settings) if configured else None
        return ReceiptPrinting(
            store_worker,
            service,
            printer_settings,
            MERCHANT,
            clock=lambda: PRINTED_AT,
            tz=MSK,
        )

    return make


def sale(store: Store, number: str = "R-1") -> str:
    """A stored cash sale (received 200, change 20), not fiscalized; returns its attempt id."""
    order = Order(
        number=number,
        created_at=PAID_AT,
        items=(
            OrderItem("Новый товар", Decimal(3), Decimal(50)),
            OrderItem("Пакет", Decimal(1), Decimal(30), VatRate.VAT10, discount=Decimal(5)),
        ),
        email="null@assist.ru",
    )
    store.record_cash_sale(order, Decimal(200), Decimal(20), PAID_AT)
    details = store.load_details(number)
    assert details is not None
    return details.attempts[-1].attempt_id


def fiscal_data(**changes: object) -> FiscalData:
    values: dict[str, object] = {
        "fiscal_receipt_id": "FR-1",
        "fn": "9999078900011524",
        "fd": "135",
        "fp": "2550591940",
        "shift_number": 9,
        "receipt_number": 21,
        "kkt_reg_number": "0000000001024742",
        "fiscal_datetime": SIGNED_AT,
        "qr_string": QR,
    }
    values.update(changes)
    return FiscalData(FiscalState.SUCCESS, **values)  # type: ignore[arg-type]


def fiscalize(store: Store, attempt_id: str) -> None:
    store.record_attempt_outcome(attempt_id, OrderState.APPROVED, SIGNED_AT)
    assert store.record_fiscal_data(attempt_id, fiscal_data(), SIGNED_AT)


def run(coro: Coroutine[Any, Any, T]) -> T:
    return run_coroutine(coro)


# -- golden receipts -----------------------------------------------------------------------------
def test_a_sale_fiscalized_online_prints_its_fiscal_receipt_with_the_fns_qr(
    store: Store, make_printing: Factory, printer: VirtualPrinterThread
) -> None:
    fiscalize(store, sale(store))
    printing = make_printing()

    report = run(printing.print_order("R-1"))

    assert report.confirmed and report.message.ru == "Чек напечатан."
    assert [(d.kind, d.copy) for d in report.documents] == [(DocumentKind.FISCAL, False)]
    [saved] = printer.wait_for_receipts(1)
    assert saved.decoded.cut
    assert lines_of(saved.decoded) == FISCAL_RECEIPT
    [qr] = saved.decoded.qr_codes
    assert qr.payload == QR
    assert qr.width_dots >= 160
    assert qr_from_picture(saved) == QR
    assert store.print_marks(store_attempt(store)).printed_at == PRINTED_AT


def store_attempt(store: Store, number: str = "R-1") -> str:
    details = store.load_details(number)
    assert details is not None
    return details.attempts[-1].attempt_id


def test_an_offline_slip_then_its_fiscal_receipt_printed_when_the_data_arrive(
    store: Store, make_printing: Factory, printer: VirtualPrinterThread
) -> None:
    attempt_id = sale(store)
    printing = make_printing()

    async def scenario() -> tuple[object, object, object]:
        slip = await printing.print_order("R-1")
        fiscalize(store, attempt_id)
        event = OrderStateChanged("R-1", OrderState.APPROVED, FiscalState.SUCCESS)
        auto = await printing.on_order_state_changed(event)
        again = await printing.on_order_state_changed(event)
        return slip, auto, again

    slip, auto, again = run(scenario())

    assert slip is not None and auto is not None
    assert [d.kind for d in auto.documents] == [DocumentKind.FISCAL]  # type: ignore[attr-defined]
    assert again is None, "the fiscal receipt is printed once"
    first, second = printer.wait_for_receipts(2)
    assert lines_of(first.decoded) == OFFLINE_SLIP
    assert not first.decoded.qr_codes
    assert lines_of(second.decoded) == FISCAL_RECEIPT
    assert qr_from_picture(second) == QR
    assert store.print_marks(attempt_id) == PrintMarks(PRINTED_AT, PRINTED_AT)


def test_no_automatic_print_without_a_printed_slip_or_when_switched_off(
    store: Store, make_printing: Factory, printer: VirtualPrinterThread
) -> None:
    fiscalized_without_slip = sale(store, "R-1")
    fiscalize(store, fiscalized_without_slip)
    with_slip = sale(store, "R-2")
    event = OrderStateChanged("R-1", OrderState.APPROVED, FiscalState.SUCCESS)

    async def scenario() -> list[object]:
        auto_on = make_printing()
        manual = make_printing(auto_print_fiscal=False)
        results: list[object] = [await auto_on.on_order_state_changed(event)]
        await manual.print_order("R-2")
        fiscalize(store, with_slip)
        results.append(
            await manual.on_order_state_changed(
                OrderStateChanged("R-2", OrderState.APPROVED, FiscalState.SUCCESS)
            )
        )
        results.append(
            await auto_on.on_order_state_changed(
                OrderStateChanged("R-2", OrderState.APPROVED, FiscalState.NEW)
            )
        )
        return results

    assert run(scenario()) == [None, None, None]
    [only_the_slip] = printer.wait_for_receipts(1)
    assert "НЕ ЯВЛЯЕТСЯ ФИСКАЛЬНЫМ ДОКУМЕНТОМ" in only_the_slip.text
    assert store.print_marks(with_slip).printed_at is None


def test_a_reprint_says_kopiya(
    store: Store, make_printing: Factory, printer: VirtualPrinterThread
) -> None:
    fiscalize(store, sale(store))
    printing = make_printing()

    async def scenario() -> None:
        await printing.print_order("R-1")
        reprint = await printing.print_order("R-1")
        assert [d.copy for d in reprint.documents] == [True]

    run(scenario())
    original, copy = printer.wait_for_receipts(2)
    assert lines_of(copy.decoded) == ["КОПИЯ", *FISCAL_RECEIPT]
    assert "КОПИЯ" not in original.text
    assert store.print_marks(store_attempt(store)).printed_at == PRINTED_AT


def test_a_refund_prints_the_sale_then_vozvrat_prihoda(
    store: Store, make_printing: Factory, printer: VirtualPrinterThread
) -> None:
    attempt_id = sale(store)
    fiscalize(store, attempt_id)
    store.record_attempt_outcome(attempt_id, OrderState.CANCELED, SIGNED_AT)
    refund_time = SIGNED_AT + timedelta(hours=1)
    store.record_fiscal_data(
        attempt_id,
        fiscal_data(
            fd="136", fp="1234567", receipt_number=22, fiscal_datetime=refund_time, qr_string=None
        ),
        refund_time,
        kind="sell_refund",
    )

    report = run(make_printing().print_order("R-1"))

    assert [d.kind for d in report.documents] == [DocumentKind.FISCAL, DocumentKind.REFUND]
    sold, refunded = printer.wait_for_receipts(2)
    assert lines_of(sold.decoded) == FISCAL_RECEIPT
    refund_lines = lines_of(refunded.decoded)
    assert refund_lines[:2] == ["КАССОВЫЙ ЧЕК", "ВОЗВРАТ ПРИХОДА"]
    for expected in ("ИТОГ =180.00", "НАЛИЧНЫМИ =180.00", "Чек № 00022", "ФД № 0000000136"):
        assert expected in refund_lines
    assert "СДАЧА =20.00" not in refund_lines
    refund_qr = "t=20260115T1121&s=180.00&fn=9999078900011524&i=136&fp=1234567&n=2"
    assert qr_from_picture(refunded) == refund_qr
    assert store.print_marks(attempt_id, "sell_refund").printed_at == PRINTED_AT


# -- failures ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("fault", "error"),
    [(PrinterFault.PAPER_OUT, PrinterPaperOut), (PrinterFault.COVER_OPEN, PrinterCoverOpen)],
)
def test_paper_out_or_cover_open_raises_and_nothing_is_marked_printed(
    store: Store,
    make_printing: Factory,
    printer: VirtualPrinterThread,
    fault: PrinterFault,
    error: type[Exception],
) -> None:
    attempt_id = sale(store)
    printing = make_printing()
    printer.set_fault(fault)

    with pytest.raises(error) as raised:
        run(printing.print_order("R-1"))

    assert "«Повторить»" in raised.value.text.ru  # type: ignore[attr-defined]
    assert raised.value.retryable  # type: ignore[attr-defined]
    assert store.print_marks(attempt_id) == PrintMarks()
    assert printer.receipts == []

    printer.set_fault(None)  # the cashier fixed it and pressed «Повторить»
    report = run(printing.print_order("R-1"))
    assert report.documents[0].copy is False  # still the original: nothing came out before
    assert lines_of(printer.wait_for_receipts(1)[0].decoded) == OFFLINE_SLIP
    assert store.print_marks(attempt_id).slip_printed_at == PRINTED_AT


def test_without_a_printer_the_preview_works_and_printing_says_so(
    store: Store, make_printing: Factory
) -> None:
    sale(store)
    printing = make_printing(configured=False)

    preview = run(printing.preview("R-1"))
    assert preview.kinds == (DocumentKind.SLIP,) and preview.awaiting_fiscal
    assert preview.chars_per_line == 48 and preview.dots_per_line == 576
    with pytest.raises(PrinterNotConfigured) as raised:
        run(printing.print_order("R-1"))
    assert "Настройки → Принтер" in raised.value.text.ru
    assert not printing.kicks_drawer_on_cash


def test_the_preview_has_the_layout_that_is_printed(store: Store, make_printing: Factory) -> None:
    fiscalize(store, sale(store))
    printing = make_printing(paper_mm=58)

    preview = run(printing.preview("R-1"))

    assert preview.kinds == (DocumentKind.FISCAL,) and not preview.awaiting_fiscal
    assert preview.chars_per_line == 32 and preview.paper_mm == 58
    [doc] = preview.documents
    assert preview.layouts == (printing.layout(doc, 32),)


# -- the cash drawer -----------------------------------------------------------------------------
def test_the_drawer_pulse_reaches_the_printer(
    make_printing: Factory, printer: VirtualPrinterThread
) -> None:
    printing = make_printing(drawer_pin=5, drawer_on_ms=60, drawer_off_ms=120)
    assert printing.kicks_drawer_on_cash

    run(printing.kick_drawer())

    # The job ends when the bytes are sent; the printer's thread records the pulse after.
    deadline = time.monotonic() + 5
    while not printer.drawer_pulses and time.monotonic() < deadline:
        time.sleep(0.01)
    [pulse] = printer.drawer_pulses
    assert (pulse.pin, pulse.on_ms, pulse.off_ms) == (5, 60, 120)


def test_a_drawer_failure_is_raised_when_the_printer_is_offline(
    make_printing: Factory, printer: VirtualPrinterThread
) -> None:
    printer.set_fault(PrinterFault.OFFLINE)

    with pytest.raises(DrawerError) as raised:
        run(make_printing(timeout_s=0.5).kick_drawer())

    assert "денежный ящик" in raised.value.text.ru
    assert printer.drawer_pulses == []


def test_no_drawer_kick_when_switched_off(make_printing: Factory) -> None:
    assert not make_printing(kick_drawer_on_cash=False).kicks_drawer_on_cash


# -- requisites and marks ------------------------------------------------------------------------
def test_merchant_requisites_come_from_the_settings() -> None:
    info = MerchantInfo(
        legal_name='ООО "АССИСТ"',
        inn="7728029110",
        address="Комиссара Смирнова 9",
        place_of_settlement="пр. Шаумяна 4",
        cashier="Рязанов Д.",
        kkt_serial="00106700276328",
        ofd_name="ОФД1",
    )
    assert merchant_requisites(info) == MERCHANT
    assert merchant_is_empty(MerchantInfo()) and not merchant_is_empty(info)
    with pytest.raises(MerchantNotConfigured) as raised:
        merchant_requisites(MerchantInfo(inn="7728029110"))
    assert "[merchant]" in raised.value.text.ru and raised.value.field == "merchant.legal_name"


def test_an_order_without_requisites_cannot_be_printed(
    store: Store, store_worker: StoreWorker
) -> None:
    sale(store)
    try:
        merchant_requisites(MerchantInfo())
    except MerchantNotConfigured as exc:
        problem = exc
    printing = ReceiptPrinting(store_worker, None, PrinterSettings(), problem)
    with pytest.raises(MerchantNotConfigured):
        run(printing.preview("R-1"))


def test_print_marks_keep_the_first_print(store: Store) -> None:
    attempt_id = sale(store)
    later = PRINTED_AT + timedelta(minutes=5)
    assert store.print_marks(attempt_id) == PrintMarks()
    assert store.mark_receipt_printed(attempt_id, PRINTED_AT, slip=True)
    assert not store.mark_receipt_printed(attempt_id, later, slip=True)
    assert store.mark_receipt_printed(attempt_id, later)
    assert store.print_marks(attempt_id) == PrintMarks(later, PRINTED_AT)
    assert not store.mark_receipt_printed(attempt_id, later, kind="sell_refund")  # no such row
    assert store.print_marks("no-such-attempt") == PrintMarks()
    with pytest.raises(ValueError):
        store.mark_receipt_printed(attempt_id, datetime(2026, 1, 1))
