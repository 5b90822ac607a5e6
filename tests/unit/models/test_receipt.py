"""Receipt documents as data: requisites, fiscal data, the FNS QR string, PAN masking, totals."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from desktop_pos.models.errors import UserFacingError
from desktop_pos.models.order import OrderItem
from desktop_pos.models.receipt import (
    CardSlipDoc,
    FiscalData,
    FiscalReceiptDoc,
    MerchantRequisites,
    OfflineSlipDoc,
    Operation,
    ReceiptDataError,
    VatTotal,
    fns_qr_string,
    mask_pan,
)
from desktop_pos.models.vat import VatRate

MSK = timezone(timedelta(hours=3))
SEED_QR = "t=20190326T1048&s=150.00&fn=9999078900011524&i=135&fp=2550591940&n=1"


def merchant(**changes: str) -> MerchantRequisites:
    values = {
        "legal_name": 'ООО "АССИСТ"',
        "inn": "7728029110",
        "address": "Комиссара Смирнова 9",
        "place_of_settlement": "пр. Шаумяна 4",
        "tax_system": "ОСН",
        "cashier": "Рязанов Д.",
        "kkt_serial": "00106700276328",
        "ofd_name": "ОФД1",
    }
    values.update(changes)
    return MerchantRequisites(**values)


def fiscal(**changes: object) -> FiscalData:
    data = FiscalData(
        fn="9999078900011524",
        fd="0000000135",
        fp="2550591940",
        shift_number=9,
        receipt_number=21,
        kkt_reg_number="0000000001024742",
        fiscal_datetime=datetime(2019, 3, 26, 10, 48, tzinfo=MSK),
        qr_string=SEED_QR,
    )
    return replace(data, **changes)  # type: ignore[arg-type]


def test_merchant_requisites_are_cleaned_and_keep_the_default_kkt_label() -> None:
    m = merchant(address="  Комиссара   Смирнова 9 ")
    assert m.address == "Комиссара Смирнова 9"
    assert m.kkt_label == "ККТ для ИНТЕРНЕТ"
    assert merchant(inn="500100732259").inn == "500100732259"  # an entrepreneur's 12 digits


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"inn": "77280291"}, "inn"),
        ({"inn": "77280291AB"}, "inn"),
        ({"cashier": "  "}, "cashier"),
        ({"legal_name": "ООО\x1b@"}, "legal_name"),
        ({"kkt_serial": "ЗН-1"}, "kkt_serial"),
    ],
)
def test_bad_requisites_name_the_field(changes: dict[str, str], field: str) -> None:
    with pytest.raises(ReceiptDataError) as caught:
        merchant(**changes)
    assert caught.value.field == field
    assert isinstance(caught.value, UserFacingError)
    assert field in caught.value.text.ru and field in caught.value.text.en


def test_fiscal_data_keep_numbers_without_padding() -> None:
    data = fiscal()
    assert (data.fd, data.fp) == ("135", "2550591940")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"fn": "123"}, "fn"),
        ({"fd": "12a"}, "fd"),
        ({"fp": ""}, "fp"),
        ({"shift_number": 0}, "shift_number"),
        ({"receipt_number": True}, "receipt_number"),
        ({"fiscal_datetime": datetime(2019, 3, 26, 10, 48)}, "fiscal_datetime"),
        ({"qr_string": ""}, "qr_string"),
        ({"qr_string": "t=1 s=2"}, "qr_string"),
    ],
)
def test_bad_fiscal_data_name_the_field(changes: dict[str, object], field: str) -> None:
    with pytest.raises(ReceiptDataError) as caught:
        fiscal(**changes)
    assert caught.value.field == field


def test_the_fns_string_has_the_documented_form() -> None:
    when = datetime(2020, 1, 15, 21, 10, tzinfo=MSK)
    text = fns_qr_string(
        when, Decimal("1030"), "9251440300046840", "0000029414", "1250830908", Operation.SALE
    )
    assert text == "t=20200115T2110&s=1030.00&fn=9251440300046840&i=29414&fp=1250830908&n=1"
    refund = fns_qr_string(when, Decimal("5"), "9251440300046840", "1", "2", Operation.REFUND)
    assert refund.endswith("&i=1&fp=2&n=2")


def test_operations_print_their_54fz_titles() -> None:
    assert (Operation.SALE.title, Operation.SALE.code) == ("ПРИХОД", 1)
    assert (Operation.REFUND.title, Operation.REFUND.code) == ("ВОЗВРАТ ПРИХОДА", 2)


def test_a_fiscal_receipt_sums_items_and_vat_per_rate() -> None:
    items = (
        OrderItem("Новый товар", Decimal(3), Decimal(50)),
        OrderItem("Молоко", Decimal(3), Decimal("1.16"), VatRate.VAT10, discount=Decimal("0.12")),
        OrderItem("Пакет", Decimal(1), Decimal("14.24"), VatRate.NO_VAT),
        OrderItem("Ещё товар", Decimal(1), Decimal(30)),
    )
    doc = FiscalReceiptDoc(
        Operation.SALE,
        items,
        cash=True,
        paid=Decimal("197.72"),
        merchant=merchant(),
        fiscal=fiscal(),
        received=Decimal(200),
        change=Decimal("2.28"),
    )
    assert doc.total == Decimal("197.72")
    assert doc.received_amount == Decimal(200)
    assert doc.vat_totals == (
        VatTotal(VatRate.VAT20, Decimal("180.00"), Decimal("30.00")),
        VatTotal(VatRate.VAT10, Decimal("3.48"), Decimal("0.32")),
        VatTotal(VatRate.NO_VAT, Decimal("14.24"), Decimal("0.00")),
    )


def test_a_fiscal_receipt_refuses_a_payment_that_is_not_the_total() -> None:
    item = OrderItem("Новый товар", Decimal(3), Decimal(50))
    with pytest.raises(ReceiptDataError) as caught:
        FiscalReceiptDoc(Operation.SALE, (item,), True, Decimal(100), merchant(), fiscal())
    assert caught.value.field == "paid"
    with_prepaid = FiscalReceiptDoc(
        Operation.SALE, (item,), True, Decimal(100), merchant(), fiscal(), prepaid=Decimal(50)
    )
    assert with_prepaid.received_amount == Decimal("100.00")
    with pytest.raises(ReceiptDataError, match="received"):
        replace(with_prepaid, received=Decimal(99))
    with pytest.raises(ReceiptDataError, match="items"):
        replace(with_prepaid, items=())


def test_an_offline_slip_checks_received_minus_change() -> None:
    item = OrderItem("Новый товар", Decimal(3), Decimal(50))
    paid_at = datetime(2026, 1, 15, 10, 20, tzinfo=MSK)
    slip = OfflineSlipDoc("A-1", (item,), Decimal(150), Decimal(200), Decimal(50), paid_at, "Иван")
    assert slip.total == Decimal("150.00")
    with pytest.raises(ReceiptDataError) as caught:
        replace(slip, change=Decimal(40))
    assert caught.value.field == "change"
    with pytest.raises(ReceiptDataError) as caught:
        replace(slip, paid_at=datetime(2026, 1, 15))
    assert caught.value.field == "paid_at"


@pytest.mark.parametrize(
    ("pan", "masked"),
    [
        ("4893491234560062", "489349******0062"),
        ("4893 4912 3456 0062", "489349******0062"),
        ("489349****0062", "489349****0062"),
        ("2200123412341234567", "220012*********4567"),
        ("489349XXXXXX0062", "489349******0062"),
        ("", ""),
    ],
)
def test_a_pan_never_shows_more_than_6_and_4_digits(pan: str, masked: str) -> None:
    assert mask_pan(pan) == masked


@pytest.mark.parametrize("pan", ["4893", "4893-49ab-0062", "489349123"])
def test_a_malformed_pan_is_a_clear_error(pan: str) -> None:
    with pytest.raises(ReceiptDataError) as caught:
        mask_pan(pan)
    assert caught.value.field == "pan"


def test_a_card_slip_masks_the_pan_and_checks_the_commission() -> None:
    slip = CardSlipDoc(
        "MobileTestMerchant",
        "63545902",
        "26032019_105115_346084952",
        True,
        Decimal(150),
        datetime(2019, 3, 26, 10, 52, tzinfo=MSK),
        pan="4893491234560062",
    )
    assert slip.pan == "489349******0062"
    assert (slip.processor_name, slip.processor_phone, slip.processor_site) == (
        "ASSIST",
        "+7(812)438-10-00",
        "www.assist.ru",
    )
    with pytest.raises(ReceiptDataError, match="commission_percent"):
        replace(slip, commission_percent=Decimal(101))
    with pytest.raises(ReceiptDataError, match="terminal_id"):
        replace(slip, terminal_id="")
