"""The card slip built from what the store holds about a card payment, printed on the virtual
printer; a reprint is a copy."""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from desktop_pos.hardware.printer.settings import PrinterSettings
from desktop_pos.models.errors import UserFacingError
from desktop_pos.models.order import Order, OrderItem
from desktop_pos.models.payment import OrderState
from desktop_pos.models.receipt import CardholderVerification, ReceiptNotReady
from desktop_pos.sandbox.virtual_printer.server import VirtualPrinterThread
from desktop_pos.services.gateway.results import CardResult
from desktop_pos.services.printing import PrintService
from desktop_pos.services.receipt_documents import card_slip
from desktop_pos.services.receipt_printing import DocumentKind, ReceiptPrinting
from desktop_pos.services.store import Store
from desktop_pos.services.store_card import CardSlipData
from desktop_pos.services.store_worker import StoreWorker
from tests.unit.models.test_receipt_layout_cvm import signature_png
from tests.unit.services.test_receipt_printing import MERCHANT, MSK, PRINTED_AT, lines_of, run

PAID_AT = datetime(2026, 1, 15, 7, 20, 30, tzinfo=UTC)
BILL = "5730291846271901"
Factory = Callable[[], ReceiptPrinting]


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
def make_printing(store: Store, printer: VirtualPrinterThread) -> Iterator[Factory]:
    worker = StoreWorker(store)
    settings = PrinterSettings.network("127.0.0.1", printer.port, timeout_s=1.0)

    def make() -> ReceiptPrinting:
        return ReceiptPrinting(
            worker, PrintService(settings), settings, MERCHANT, clock=lambda: PRINTED_AT, tz=MSK
        )

    yield make
    worker.shutdown()


def card_sale(
    store: Store,
    number: str = "K-1",
    *,
    state: OrderState = OrderState.APPROVED,
    cvm: str = "pin",
    signature: str = "",
) -> str:
    order = Order(number, PAID_AT, (OrderItem("Новый товар", Decimal(3), Decimal(50)),))
    card = CardSlipData(
        entry_mode="chip",
        cvm=cvm,
        signature=signature,
        masked_pan="220220******0032",
        brand="MAESTRO",
        aid="A0000000043060",
        application_label="Maestro",
        cardholder="PETROV/PETR",
        terminal_id="MPOS0000000001",
    )
    attempt = store.begin_card_payment(order, card, PAID_AT)
    if state is not OrderState.IN_PROCESS:
        approved = state is OrderState.APPROVED
        store.record_card_authorization(
            attempt.attempt_id,
            CardResult(
                billnumber=BILL,
                state=state,
                response_code="AS000" if approved else "AS102",
                approval_code="482913" if approved else None,
                rrn="402918374651" if approved else None,
                replayed=False,
                issuer_response_code="00" if approved else "51",
            ),
            PAID_AT,
        )
        store.record_card_transaction_end(attempt.attempt_id, PAID_AT, tvr="0000008000", tsi="E800")
    return attempt.attempt_id


def test_the_slip_document_holds_the_stored_card_data(store: Store) -> None:
    attempt_id = card_sale(store)
    stored = store.card_payment(attempt_id)
    assert stored is not None
    doc = card_slip(stored, MERCHANT, tz=MSK)
    assert doc.approved and doc.order_number == "K-1" and doc.terminal_id == "MPOS0000000001"
    assert (doc.aid, doc.application_label, doc.card_type) == (
        "A0000000043060",
        "Maestro",
        "Maestro",
    )
    assert (doc.tvr, doc.tsi, doc.pan, doc.cardholder) == (
        "0000008000",
        "E800",
        "220220******0032",
        "PETROV/PETR",
    )
    assert (doc.rrn, doc.auth_code, doc.response_code) == ("402918374651", "482913", "00")
    assert doc.paid_at.utcoffset() == MSK.utcoffset(None)
    assert doc.verification is CardholderVerification.PIN and doc.signature_png == b""


def test_the_card_slip_is_printed_then_reprinted_as_a_copy(
    store: Store, make_printing: Factory, printer: VirtualPrinterThread
) -> None:
    attempt_id = card_sale(store)
    printing = make_printing()

    first = run(printing.print_card_slip("K-1"))
    second = run(printing.print_card_slip("K-1"))

    assert [(d.kind, d.copy) for d in first.documents] == [(DocumentKind.CARD_SLIP, False)]
    assert [(d.kind, d.copy) for d in second.documents] == [(DocumentKind.CARD_SLIP, True)]
    original, copy = printer.wait_for_receipts(2)
    lines = lines_of(original.decoded)
    for expected in (
        "ОПЛАЧЕН",
        "Терминал: MPOS0000000001",
        "Заказ: K-1",
        "Сумма: 150.00",
        "AID: A0000000043060 Maestro",
        "TVR: 0000008000",
        "TSI: E800",
        "Карта: Maestro",
        "PAN: 220220******0032",
        "Держатель: PETROV/PETR",
        "RRN: 402918374651",
        "Код авторизации: 482913",
        "Код ответа: 00",
        "Дата: 15.01.2026 10:20",
        "ПОДТВЕРЖДЕНО ВВОДОМ ПИН-КОДА",
    ):
        assert expected in lines, expected
    assert "КОПИЯ" not in lines and "КОПИЯ" in lines_of(copy.decoded)
    stored = store.card_payment(attempt_id)
    assert stored is not None and stored.slip_printed_at == PRINTED_AT


def test_a_declined_payment_has_a_declined_slip(store: Store, make_printing: Factory) -> None:
    card_sale(store, state=OrderState.DECLINED)
    doc = run(make_printing().card_slip("K-1"))
    assert not doc.approved and doc.response_code == "51" and doc.rrn == ""


def test_no_slip_without_a_final_answer_or_a_card_payment(
    store: Store, make_printing: Factory
) -> None:
    card_sale(store, state=OrderState.IN_PROCESS)
    printing = make_printing()
    with pytest.raises(ReceiptNotReady) as pending:
        run(printing.card_slip("K-1"))
    assert "ответа банка" in pending.value.text.ru
    with pytest.raises(UserFacingError) as none:
        run(printing.card_slip("NONE"))
    assert "оплаты картой не было" in none.value.text.ru


def test_an_attempt_ended_on_the_reader_does_not_hide_the_banks_slip(
    store: Store, make_printing: Factory
) -> None:
    declined_id = card_sale(store, state=OrderState.DECLINED)
    order = Order("K-1", PAID_AT, (OrderItem("Новый товар", Decimal(3), Decimal(50)),))
    swiped = CardSlipData(
        entry_mode="magstripe",
        cvm="",
        masked_pan="427600******1234",
        brand="VISA",
        aid="",
        application_label="",
        cardholder="",
        terminal_id="MPOS0000000001",
    )
    cancelled_id = store.record_card_cancelled(order, swiped, PAID_AT)  # ✗ on the signature
    printing = make_printing()

    newest_at_the_bank = run(printing.card_slip("K-1"))
    with pytest.raises(ReceiptNotReady) as asked_for:
        run(printing.card_slip("K-1", cancelled_id))

    assert newest_at_the_bank.response_code == "51" and not newest_at_the_bank.approved
    assert declined_id != cancelled_id
    assert "прервана до запроса в банк" in asked_for.value.text.ru


# -- cardholder verification and the signature ---------------------------------------------------
def data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


@pytest.mark.parametrize(
    ("cvm", "expected"),
    [
        ("pin", CardholderVerification.PIN),
        ("signature", CardholderVerification.SIGNATURE),
        ("none", CardholderVerification.NONE),
        ("", None),  # not chosen
        ("biometric", None),  # a value this version does not know
    ],
)
def test_the_stored_cvm_is_the_slips_verification(
    store: Store, cvm: str, expected: CardholderVerification | None
) -> None:
    stored = store.card_payment(card_sale(store))
    assert stored is not None
    doc = card_slip(replace(stored, cvm=cvm, signature=None), MERCHANT, tz=MSK)
    assert doc.verification is expected and doc.signature_png == b""


def test_a_signature_slip_prints_the_signature(
    store: Store, make_printing: Factory, printer: VirtualPrinterThread
) -> None:
    png = signature_png((200, 60))
    card_sale(store, cvm="signature", signature=data_url(png))

    doc = run(make_printing().card_slip("K-1"))
    run(make_printing().print_card_slip("K-1"))

    assert doc.verification is CardholderVerification.SIGNATURE and doc.signature_png == png
    [saved] = printer.wait_for_receipts(1)
    lines = lines_of(saved.decoded)
    assert "ПОДПИСЬ ПОКУПАТЕЛЯ:" in lines and "ПОДТВЕРЖДЕНО ВВОДОМ ПИН-КОДА" not in lines
    [image] = saved.decoded.images
    assert image.width_dots == 576
    black = [x for x in range(image.width_dots) if image.is_black(x, image.height_dots // 2)]
    assert black[-1] - black[0] + 1 == 384 and image.height_dots == 115
    assert saved.png_path.is_file()


def test_a_contactless_payment_without_cvm_needs_no_signature(
    store: Store, make_printing: Factory, printer: VirtualPrinterThread
) -> None:
    card_sale(store, cvm="none")
    run(make_printing().print_card_slip("K-1"))
    [saved] = printer.wait_for_receipts(1)
    assert "ПОДПИСЬ НЕ ТРЕБУЕТСЯ" in lines_of(saved.decoded) and not saved.decoded.images


def test_a_signature_that_cannot_be_read_still_prints_the_slip_with_a_warning(
    store: Store,
    make_printing: Factory,
    printer: VirtualPrinterThread,
    caplog: pytest.LogCaptureFixture,
) -> None:
    cut_short = signature_png()[:-20]  # the store takes it: it starts as a PNG does
    card_sale(store, cvm="signature", signature=data_url(cut_short))

    report = run(make_printing().print_card_slip("K-1"))

    assert report.documents[0].outcome.confirmed
    [saved] = printer.wait_for_receipts(1)
    lines = lines_of(saved.decoded)
    assert "ОПЛАЧЕН" in lines and "ПОДПИСЬ ПОКУПАТЕЛЯ:" in lines and not saved.decoded.images
    [warning] = [r for r in caplog.records if "signature is not printed" in r.getMessage()]
    assert warning.levelno == logging.WARNING and "cut short" in warning.getMessage()
    assert "K-1" in warning.getMessage()


@pytest.mark.parametrize(
    ("signature", "reason"),
    [
        ("data:image/png;base64," + "A" * 4000, "at most 4000"),
        ("data:image/gif;base64,R0lGODlhAQABAAAAACw=", "does not start with"),
        ("data:image/png;base64,???", "not Base64"),
        (data_url(b"GIF89a" + b"\x00" * 20), "not a PNG"),
        (None, "no signature"),
    ],
)
def test_a_bad_stored_signature_is_left_off_the_slip(
    store: Store, caplog: pytest.LogCaptureFixture, signature: str | None, reason: str
) -> None:
    stored = store.card_payment(
        card_sale(store, cvm="signature", signature=data_url(signature_png()))
    )
    assert stored is not None
    doc = card_slip(replace(stored, signature=signature), MERCHANT, tz=MSK)
    assert doc.verification is CardholderVerification.SIGNATURE and doc.signature_png == b""
    [warning] = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert reason in warning.getMessage()
