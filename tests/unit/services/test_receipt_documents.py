"""Documents from stored orders (SQLite and PostgreSQL): a cash sale fiscalized online, an offline
slip, then its fiscal receipt, a refund; orders that cannot have a document yet; bad stored data."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import update

from desktop_pos.models.order import Order, OrderItem
from desktop_pos.models.payment import FiscalState, OrderState
from desktop_pos.models.receipt import (
    FiscalReceiptDoc,
    MerchantRequisites,
    OfflineSlipDoc,
    Operation,
    ReceiptDataError,
    ReceiptNotReady,
)
from desktop_pos.models.receipt_layout import QrBlock, TextLine, layout_document
from desktop_pos.models.schema import ReceiptRow
from desktop_pos.models.vat import VatRate
from desktop_pos.services.receipt_documents import (
    documents_for,
    fiscal_receipt,
    offline_slip,
    paid_attempt,
)
from desktop_pos.services.store import Store
from desktop_pos.services.store_records import FiscalData, OrderDetails
from tests.e2e.sync_fixtures import in_process_attempt

MSK = timezone(timedelta(hours=3))
PAID_AT = datetime(2026, 1, 15, 7, 20, 30, tzinfo=UTC)
SIGNED_AT = datetime(2026, 1, 15, 7, 21, tzinfo=UTC)
QR = "t=20260115T1021&s=180.00&fn=9999078900011524&i=135&fp=2550591940&n=1"

MERCHANT = MerchantRequisites(
    legal_name='ООО "АССИСТ"',
    inn="7728029110",
    address="Комиссара Смирнова 9",
    place_of_settlement="пр. Шаумяна 4",
    tax_system="ОСН",
    cashier="Рязанов Д.",
    kkt_serial="00106700276328",
    ofd_name="ОФД1",
)


def sale(store: Store, number: str = "R-1", email: str = "null@assist.ru") -> str:
    """A stored cash sale (received 200, change 20); returns its attempt id."""
    order = Order(
        number=number,
        created_at=PAID_AT,
        items=(
            OrderItem("Новый товар", Decimal(3), Decimal(50)),
            OrderItem("Пакет", Decimal(1), Decimal(30), VatRate.VAT10, discount=Decimal(5)),
        ),
        email=email,
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


def details_of(store: Store, number: str = "R-1") -> OrderDetails:
    details = store.load_details(number)
    assert details is not None
    return details


def printed(doc: FiscalReceiptDoc | OfflineSlipDoc, width: int = 48) -> list[str]:
    lines = []
    for element in layout_document(doc, width):
        if isinstance(element, TextLine):
            lines.append(re.sub(r" +", " ", element.text))
        elif isinstance(element, QrBlock):
            lines.append(f"QR {element.payload}")
    return lines


def test_a_cash_sale_fiscalized_online_prints_every_seed_field(store: Store) -> None:
    attempt_id = sale(store)
    assert store.record_fiscal_data(attempt_id, fiscal_data(), SIGNED_AT)
    [doc] = documents_for(details_of(store), MERCHANT, tz=MSK)
    assert isinstance(doc, FiscalReceiptDoc)
    assert doc.operation is Operation.SALE and doc.cash and not doc.copy
    assert printed(doc) == [
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
        f"QR {QR}",
        "ЖДЕМ ВАС СНОВА!",
    ]
    reprint = fiscal_receipt(details_of(store), MERCHANT, copy=True, tz=MSK)
    assert printed(reprint)[0] == "КОПИЯ" and printed(reprint)[1:] == printed(doc)


def test_an_offline_sale_prints_a_slip_then_its_fiscal_receipt(store: Store) -> None:
    attempt_id = sale(store)
    [slip] = documents_for(details_of(store), MERCHANT, tz=MSK)
    assert isinstance(slip, OfflineSlipDoc)
    lines = printed(slip, 32)
    text = " ".join(lines)
    assert "НЕ ЯВЛЯЕТСЯ ФИСКАЛЬНЫМ ДОКУМЕНТОМ" in text
    for expected in (
        "Заказ № R-1",
        "3.000 * 50.00 =150.00",
        "ИТОГ =180.00",
        "ПОЛУЧЕНО =200.00",
        "СДАЧА =20.00",
        "Дата Время 15.01.26 10:20",
        "Кассир: Рязанов Д.",
    ):
        assert expected in lines, expected
    assert "null@assist.ru" in text
    with pytest.raises(ReceiptNotReady) as caught:
        fiscal_receipt(details_of(store), MERCHANT)
    assert "R-1" in caught.value.text.ru and "New" in caught.value.text.en

    store.record_fiscal_data(attempt_id, fiscal_data(), SIGNED_AT)
    [receipt] = documents_for(details_of(store), MERCHANT, tz=MSK)
    assert isinstance(receipt, FiscalReceiptDoc)
    assert receipt.fiscal.fn == "9999078900011524"
    # the slip can still be reprinted after the receipt arrived
    assert offline_slip(details_of(store), MERCHANT, copy=True, tz=MSK).copy


def test_a_refund_prints_the_sale_and_then_vozvrat_prihoda(store: Store) -> None:
    attempt_id = sale(store)
    store.record_fiscal_data(attempt_id, fiscal_data(), SIGNED_AT)
    store.record_attempt_outcome(attempt_id, OrderState.APPROVED, SIGNED_AT)
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
    sold, refunded = documents_for(details_of(store), MERCHANT, tz=MSK)
    assert isinstance(sold, FiscalReceiptDoc) and isinstance(refunded, FiscalReceiptDoc)
    assert sold.operation is Operation.SALE and refunded.operation is Operation.REFUND
    lines = printed(refunded)
    assert lines[:2] == ["КАССОВЫЙ ЧЕК", "ВОЗВРАТ ПРИХОДА"]
    for expected in (
        "ИТОГ =180.00",
        "НАЛИЧНЫМИ =180.00",
        "Чек № 00022",
        "ФД № 0000000136",
        "ФП: 0001234567",
        "Дата Время 15.01.26 11:21",
        # no QR string stored: built from the fields (assist.md §6), local time, n=2
        "QR t=20260115T1121&s=180.00&fn=9999078900011524&i=136&fp=1234567&n=2",
    ):
        assert expected in lines, expected
    assert not any(line.startswith(("ПОЛУЧЕНО", "СДАЧА")) for line in lines)


def test_a_card_sale_waits_for_its_fiscal_data(store: Store) -> None:
    attempt_id = in_process_attempt(store, "K-1", billnumber="5635459247716286")
    with pytest.raises(ReceiptNotReady, match="not paid"):
        documents_for(details_of(store, "K-1"), MERCHANT)
    store.record_attempt_outcome(attempt_id, OrderState.APPROVED, datetime.now(UTC))
    details = details_of(store, "K-1")
    assert paid_attempt(details).attempt_id == attempt_id
    with pytest.raises(ReceiptNotReady, match="fiscal receipt is not made yet"):
        documents_for(details, MERCHANT)
    with pytest.raises(ReceiptNotReady, match="cash sales only"):
        offline_slip(details, MERCHANT)
    store.record_fiscal_data(attempt_id, fiscal_data(qr_string=None), datetime.now(UTC))
    [doc] = documents_for(details_of(store, "K-1"), MERCHANT)
    assert isinstance(doc, FiscalReceiptDoc) and not doc.cash
    lines = printed(doc)
    assert "БЕЗНАЛИЧНЫМИ =29.48" in lines and "ПОЛУЧЕНО =29.48" in lines
    assert not any(line.startswith("СДАЧА") for line in lines)


@pytest.mark.parametrize(
    ("column", "value", "field"),
    [
        ("fn", "99990789", "fn"),
        ("fd", "abc", "fd"),
        ("fp", None, "fp"),
        ("qr_string", "t=1\nfn=2", "qr_string"),
    ],
)
def test_bad_stored_fiscal_data_are_a_clear_error(
    store: Store, column: str, value: str | None, field: str
) -> None:
    attempt_id = sale(store)
    store.record_fiscal_data(attempt_id, fiscal_data(), SIGNED_AT)
    with store.engine.begin() as connection:
        connection.execute(update(ReceiptRow).values({column: value}))
    with pytest.raises(ReceiptDataError) as caught:
        documents_for(details_of(store), MERCHANT)
    assert caught.value.field == field
    assert "R-1" in caught.value.text.ru and "R-1" in caught.value.text.en
    assert field in caught.value.text.en
