"""Layout of the documents for 32/42/48 columns: every seed field, alignment, wrapping, widths."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_pos.models.order import OrderItem
from desktop_pos.models.receipt import (
    CardSlipDoc,
    FiscalData,
    FiscalReceiptDoc,
    MerchantRequisites,
    OfflineSlipDoc,
    Operation,
)
from desktop_pos.models.receipt_layout import (
    Align,
    Cut,
    Feed,
    ImageBlock,
    PrintLayout,
    QrBlock,
    TextLine,
    layout_document,
    layout_text,
    wrap,
)
from desktop_pos.models.vat import VatRate

MSK = timezone(timedelta(hours=3))
WIDTHS = (32, 42, 48)
SEED_QR = "t=20190326T1048&s=150.00&fn=9999078900011524&i=135&fp=2550591940&n=1"

# The fiscal receipt of the seed (assist-mpos-payment-guide), line by line.
SEED_RECEIPT = [
    "КАССОВЫЙ ЧЕК",
    "ПРИХОД",
    "Новый товар",
    "3.000 * 50.00 =150.00",
    "НДС 20% =25.00",
    "ИТОГ =150.00",
    "Сумма НДС 20% =25.00",
    "БЕЗНАЛИЧНЫМИ =150.00",
    "ПОЛУЧЕНО =150.00",
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
    "Дата Время 26.03.19 10:48",
    "ОФД: ОФД1",
    "ИНН: 7728029110",
    "РН ККТ: 0000000001024742",
    "ФН № 9999078900011524",
    "ФД № 0000000135",
    "ФП: 2550591940",
    f"[QR: {SEED_QR}]",
    "ЖДЕМ ВАС СНОВА!",
]

SEED_SLIP = [
    "ПРЕДПРИЯТИЕ:",
    "MobileTestMerchant",
    "Терминал: 63545902",
    "Заказ: 26032019_105115_346084952",
    "ОПЛАЧЕН",
    "Сумма: 150.00",
    "Комиссия: 0%",
    "AID: A00000000031010 VISA",
    "TVR: 0000208000",
    "TSI: E800",
    "Карта: VISA",
    "PAN: 489349******0062",
    "Держатель: DCARDHOLDER",
    "RRN: EMVSi8n",
    "Код авторизации: X28328",
    "Код ответа: AS000",
    "Дата: 26.03.2019 10:52",
    "",
    "ASSIST",
    "+7(812)438-10-00",
    "www.assist.ru",
]


def seed_merchant() -> MerchantRequisites:
    return MerchantRequisites(
        legal_name='ООО "АССИСТ"',
        inn="7728029110",
        address="Комиссара Смирнова 9",
        place_of_settlement="пр. Шаумяна 4",
        tax_system="ОСН",
        cashier="Рязанов Д.",
        kkt_serial="00106700276328",
        ofd_name="ОФД1",
    )


def seed_fiscal() -> FiscalData:
    return FiscalData(
        fn="9999078900011524",
        fd="135",
        fp="2550591940",
        shift_number=9,
        receipt_number=21,
        kkt_reg_number="1024742",
        fiscal_datetime=datetime(2019, 3, 26, 10, 48, tzinfo=MSK),
        qr_string=SEED_QR,
    )


def seed_receipt(**changes: object) -> FiscalReceiptDoc:
    doc = FiscalReceiptDoc(
        operation=Operation.SALE,
        items=(OrderItem("Новый товар", Decimal(3), Decimal(50)),),
        cash=False,
        paid=Decimal(150),
        merchant=seed_merchant(),
        fiscal=seed_fiscal(),
        buyer_email="null@assist.ru",
    )
    return replace(doc, **changes)  # type: ignore[arg-type]


def seed_slip(**changes: object) -> CardSlipDoc:
    slip = CardSlipDoc(
        merchant_name="MobileTestMerchant",
        terminal_id="63545902",
        order_number="26032019_105115_346084952",
        approved=True,
        amount=Decimal(150),
        paid_at=datetime(2019, 3, 26, 10, 52, tzinfo=MSK),
        aid="A00000000031010",
        application_label="VISA",
        tvr="0000208000",
        tsi="E800",
        card_type="VISA",
        pan="4893491234560062",
        cardholder="DCARDHOLDER",
        rrn="EMVSi8n",
        auth_code="X28328",
        response_code="AS000",
    )
    return replace(slip, **changes)  # type: ignore[arg-type]


def offline_slip(**changes: object) -> OfflineSlipDoc:
    slip = OfflineSlipDoc(
        order_number="20260115_101500_123",
        items=(
            OrderItem(
                "Молоко 3,2%", Decimal(3), Decimal("1.16"), VatRate.VAT10, discount=Decimal("0.12")
            ),
            OrderItem("Пакет", Decimal(1), Decimal("14.24"), VatRate.NO_VAT),
        ),
        paid=Decimal("17.72"),
        received=Decimal(20),
        change=Decimal("2.28"),
        paid_at=datetime(2026, 1, 15, 10, 20, tzinfo=MSK),
        cashier="Иванова А.",
        merchant_name='ООО "Ромашка"',
        address="Москва, ул. Тверская, 1",
        buyer_email="buyer@example.com",
    )
    return replace(slip, **changes)  # type: ignore[arg-type]


def normalized(layout: PrintLayout) -> list[str]:
    """Each printed line with its runs of spaces collapsed (what a reader sees)."""
    lines = []
    for element in layout:
        if isinstance(element, TextLine):
            lines.append(re.sub(r" +", " ", element.text).strip())
        elif isinstance(element, QrBlock):
            lines.append(f"[QR: {element.payload}]")
        elif isinstance(element, ImageBlock):
            lines.append(f"[{element.label}]")
        elif isinstance(element, Feed):
            lines.extend([""] * element.lines)
    return lines


def joined_pairs(lines: list[str]) -> list[str]:
    """A label and a value broken onto two lines at narrow widths, joined back."""
    out: list[str] = []
    for line in lines:
        if out and out[-1].endswith(":") and out[-1] not in ("ПРЕДПРИЯТИЕ:",):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def text_lines(layout: PrintLayout) -> list[TextLine]:
    return [e for e in layout if isinstance(e, TextLine)]


@pytest.mark.parametrize("width", WIDTHS)
def test_the_fiscal_receipt_has_every_seed_line_in_order(width: int) -> None:
    layout = layout_document(seed_receipt(), width)
    assert joined_pairs(normalized(layout)) == SEED_RECEIPT
    assert isinstance(layout[-1], Cut)
    assert all(line.columns <= width for line in text_lines(layout))


def test_at_32_columns_the_buyer_email_goes_under_its_label_right_aligned() -> None:
    lines = text_lines(layout_document(seed_receipt(), 32))
    index = next(i for i, line in enumerate(lines) if line.text == "Эл.адр.покупателя:")
    assert lines[index + 1] == TextLine("null@assist.ru", Align.RIGHT)


@pytest.mark.parametrize("width", WIDTHS)
def test_amounts_are_flush_right_and_headings_centred(width: int) -> None:
    lines = text_lines(layout_document(seed_receipt(), width))
    by_start = {line.text.split()[0]: line for line in lines}
    assert by_start["КАССОВЫЙ"].align is Align.CENTER and by_start["КАССОВЫЙ"].bold
    assert by_start["ЖДЕМ"].align is Align.CENTER
    for label in ("3.000", "НДС", "БЕЗНАЛИЧНЫМИ", "ПОЛУЧЕНО", "ФН"):
        line = by_start[label]
        assert line.align is Align.LEFT and len(line.text) == width
    total = by_start["ИТОГ"]
    assert total.bold and total.double and total.columns == width
    assert total.text.endswith("=150.00")


def test_a_reprint_starts_with_a_large_kopiya() -> None:
    first = layout_document(seed_receipt(copy=True), 32)[0]
    assert first == TextLine("КОПИЯ", Align.CENTER, bold=True, double=True)
    assert normalized(layout_document(seed_slip(copy=True), 32))[0] == "КОПИЯ"
    assert normalized(layout_document(offline_slip(copy=True), 32))[0] == "КОПИЯ"


def test_a_cash_refund_with_discounts_prepayment_and_several_rates() -> None:
    items = (
        OrderItem(
            "Молоко 3,2%", Decimal(3), Decimal("1.16"), VatRate.VAT10, discount=Decimal("0.12")
        ),
        OrderItem("Сыр весовой", Decimal("0.345"), Decimal("1234.56"), VatRate.VAT20),
        OrderItem("Пакет", Decimal(1), Decimal("14.24"), VatRate.NO_VAT),
        OrderItem("Хлеб", Decimal(1), Decimal("10.00"), VatRate.VAT0),
    )
    doc = seed_receipt(
        operation=Operation.REFUND,
        items=items,
        cash=True,
        paid=Decimal("452.29"),
        prepaid=Decimal("1.35"),
    )
    lines = normalized(layout_document(doc, 48))
    for expected in (
        "ВОЗВРАТ ПРИХОДА",
        "3.000 * 1.16 =3.48",
        "СКИДКА =0.12",
        "НДС 10% =0.32",
        "0.345 * 1234.56 =425.92",
        "НДС 20% =70.99",
        "БЕЗ НДС",
        "НДС 0% =0.00",
        "ИТОГ =453.64",
        "ПРЕДВАРИТЕЛЬНАЯ ОПЛАТА (АВАНС) =1.35",
        "Сумма НДС 20% =70.99",
        "Сумма НДС 10% =0.32",
        "Сумма с НДС 0% =10.00",
        "Сумма без НДС =14.24",
        "НАЛИЧНЫМИ =452.29",
    ):
        assert expected in lines, expected
    assert "ПРИХОД" not in lines
    assert not any(line.startswith(("ПОЛУЧЕНО", "СДАЧА")) for line in lines)


def test_a_cash_sale_prints_received_and_change() -> None:
    doc = seed_receipt(cash=True, received=Decimal(200), change=Decimal(50), buyer_email="")
    lines = normalized(layout_document(doc, 32))
    assert [line for line in lines if line.startswith(("НАЛИЧНЫМИ", "ПОЛУЧЕНО", "СДАЧА"))] == [
        "НАЛИЧНЫМИ =150.00",
        "ПОЛУЧЕНО =200.00",
        "СДАЧА =50.00",
    ]
    assert not any(line.startswith("Эл.адр") for line in lines)
    with_phone = normalized(layout_document(replace(doc, buyer_phone="+79001234567"), 32))
    assert "Тел.покупателя: +79001234567" in with_phone


@pytest.mark.parametrize("width", WIDTHS)
def test_the_card_slip_has_every_seed_line(width: int) -> None:
    layout = layout_document(seed_slip(), width)
    assert normalized(layout) == SEED_SLIP
    declined = normalized(layout_document(seed_slip(approved=False, auth_code=""), width))
    assert "ОТКЛОНЕН" in declined and "Код авторизации: -" in declined


@pytest.mark.parametrize("width", WIDTHS)
def test_the_offline_slip_says_it_is_not_fiscal(width: int) -> None:
    layout = layout_document(offline_slip(), width)
    text = " ".join(normalized(layout))
    assert text.count("НЕ ЯВЛЯЕТСЯ ФИСКАЛЬНЫМ ДОКУМЕНТОМ") == 2
    for expected in (
        "ОПЛАТА НАЛИЧНЫМИ",
        "Заказ № 20260115_101500_123",
        "3.000 * 1.16 =3.48",
        "СКИДКА =0.12",
        "ИТОГ =17.72",
        "НАЛИЧНЫМИ =17.72",
        "ПОЛУЧЕНО =20.00",
        "СДАЧА =2.28",
        "Дата Время 15.01.26 10:20",
        "Кассир: Иванова А.",
        "Кассовый чек будет сформирован после восстановления связи и отправлен на эл. адрес "
        "buyer@example.com",
    ):
        assert expected in text, expected
    assert "КАССОВЫЙ ЧЕК" not in text and "ФН" not in text and "НДС" not in text
    assert not any(isinstance(e, QrBlock) for e in layout)
    no_email = " ".join(normalized(layout_document(offline_slip(buyer_email=""), width)))
    assert "Кассовый чек будет сформирован и выдан после восстановления связи." in no_email


def test_the_rouble_sign_is_written_out() -> None:
    item = OrderItem("Подарочная карта 500 ₽", Decimal(1), Decimal(150))
    lines = normalized(layout_document(seed_receipt(items=(item,)), 48))
    assert "Подарочная карта 500 руб." in lines
    assert not any("₽" in line for line in lines)


def test_a_label_too_long_for_its_value_wraps_and_the_value_stays_right() -> None:
    item = OrderItem("Товар", Decimal("99999.999"), Decimal("99999999.99"))
    lines = text_lines(layout_document(seed_receipt(items=(item,), paid=item.amount), 32))
    index = next(i for i, line in enumerate(lines) if line.text.startswith("99999.999 *"))
    assert lines[index].text == "99999.999 * 99999999.99"
    assert lines[index + 1] == TextLine("=9999999899000.00", Align.RIGHT)


@pytest.mark.parametrize("width", [0, 23, 65])
def test_an_impossible_width_is_refused(width: int) -> None:
    with pytest.raises(ValueError, match="chars_per_line"):
        layout_document(seed_receipt(), width)


def test_wrap_breaks_at_spaces_and_cuts_long_words() -> None:
    assert wrap("короткая", 10) == ["короткая"]
    assert wrap("один два три четыре", 9) == ["один два", "три", "четыре"]
    assert wrap("a" * 25, 10) == ["a" * 10, "a" * 10, "a" * 5]


def test_layout_text_shows_the_receipt_as_on_paper() -> None:
    text = layout_text(layout_document(seed_receipt(), 32), 32).splitlines()
    assert text[0] == " " * 10 + "КАССОВЫЙ ЧЕК"
    assert text[-1] == "-" * 32
    assert text[3] == "3.000 * 50.00            =150.00"


names = st.text(
    alphabet=st.characters(
        codec="utf-8",
        categories=("L", "N", "P", "Zs", "S"),
        exclude_characters="\u2028\u2029\x85",
    ),
    min_size=1,
    max_size=250,
).filter(lambda s: s.strip() != "")
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999999.99"), places=2)
quantities = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("99999.999"), places=3)
widths = st.sampled_from((24, 32, 42, 48, 64))


@settings(max_examples=150, deadline=None)
@given(
    name=names,
    quantity=quantities,
    price=amounts,
    discount=amounts,
    vat=st.sampled_from(list(VatRate)),
    email=st.emails(),
    cashier=names,
    width=widths,
    refund=st.booleans(),
)
def test_no_line_is_ever_wider_than_the_paper(
    name: str,
    quantity: Decimal,
    price: Decimal,
    discount: Decimal,
    vat: VatRate,
    email: str,
    cashier: str,
    width: int,
    refund: bool,
) -> None:
    item = OrderItem(name, quantity, price, vat, discount=discount)
    merchant = replace(seed_merchant(), cashier=cashier, address=name)
    doc = seed_receipt(
        items=(item, item),
        paid=item.amount * 2,
        merchant=merchant,
        buyer_email=email,
        operation=Operation.REFUND if refund else Operation.SALE,
        cash=True,
    )
    slip = offline_slip(
        items=(item,),
        paid=item.amount,
        received=item.amount,
        change=Decimal(0),
        cashier=cashier,
        buyer_email=email,
    )
    card = seed_slip(merchant_name=name, cardholder=cashier, amount=item.amount)
    for document in (doc, slip, card):
        layout = layout_document(document, width)
        for line in text_lines(layout):
            assert line.columns <= width, line
        # nothing of the item name is lost in the wrapping
        printed = "".join("".join(normalized(layout)).split())
        assert "".join(item.name.replace("₽", "руб.").split()) in printed
