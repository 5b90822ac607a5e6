"""Printed documents as data: the 54-FZ fiscal receipt, the card slip and the offline cash slip.

The documents hold values, not text lines: ``models/receipt_layout.py`` turns them into lines for
a paper width, and the printer and the on-screen preview both draw that layout.

* ``FiscalReceiptDoc`` — "КАССОВЫЙ ЧЕК" with every field of the receipt Assist's cloud register
  produces (ПРИХОД or ВОЗВРАТ ПРИХОДА, items, VAT per rate, payment, requisites, FN/FD/FP and the
  FNS QR string);
* ``CardSlipDoc`` — the card terminal's slip (merchant, terminal, AID/TVR/TSI, masked PAN, RRN,
  authorization and response codes, how the cardholder was verified and the signature, the
  processor's contacts);
* ``OfflineSlipDoc`` — a cash sale taken while the gateway was unreachable: it has no fiscal data
  yet, so the slip says plainly that it is not a fiscal document.

Every document has ``copy``: a reprint is marked «КОПИЯ». Values are checked when a document is
built; a bad value raises ``ReceiptDataError`` naming the field, never a crash while printing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import Enum, StrEnum

from desktop_pos.models.errors import UserFacingError
from desktop_pos.models.money import ZERO, format_amount, to_money
from desktop_pos.models.order import OrderItem
from desktop_pos.models.png_info import png_size
from desktop_pos.models.texts import LocalizedText
from desktop_pos.models.vat import VatRate, vat_by_rate

DEFAULT_KKT_LABEL = "ККТ для ИНТЕРНЕТ"
THANKS = "ЖДЕМ ВАС СНОВА!"
COPY_MARK = "КОПИЯ"
NOT_FISCAL = "НЕ ЯВЛЯЕТСЯ ФИСКАЛЬНЫМ ДОКУМЕНТОМ"

PROCESSOR_NAME = "ASSIST"
PROCESSOR_PHONE = "+7(812)438-10-00"
PROCESSOR_SITE = "www.assist.ru"

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_QR_TEXT = re.compile(r"[\x21-\x7e]+")


class ReceiptDataError(UserFacingError):
    """A document cannot be built: a value it needs is missing or malformed."""


class ReceiptNotReady(UserFacingError):
    """No document can be printed yet (the order is not paid, or its fiscal data are awaited)."""


def _bad(field_name: str, ru: str, en: str) -> ReceiptDataError:
    return ReceiptDataError(
        LocalizedText(f"Чек: поле «{field_name}» — {ru}", f"Receipt: field “{field_name}” — {en}"),
        field=field_name,
    )


def _text(value: str, field_name: str, *, required: bool = True) -> str:
    if not isinstance(value, str):
        raise _bad(field_name, "не строка.", "not a string.")
    if _CONTROL.search(value):
        raise _bad(field_name, "содержит управляющие символы.", "contains control characters.")
    cleaned = " ".join(value.split())
    if required and not cleaned:
        raise _bad(field_name, "не заполнено.", "is empty.")
    return cleaned


def _digits(value: str, field_name: str, lengths: tuple[int, ...] | range) -> str:
    cleaned = _text(value, field_name)
    if not cleaned.isascii() or not cleaned.isdigit() or len(cleaned) not in lengths:
        sizes = (
            f"{lengths.start}–{lengths.stop - 1}"
            if isinstance(lengths, range)
            else " или ".join(str(n) for n in lengths)
        )
        sizes_en = sizes.replace(" или ", " or ")
        raise _bad(
            field_name,
            f"нужно {sizes} цифр, получено «{cleaned}».",
            f"{sizes_en} digits expected, got “{cleaned}”.",
        )
    return cleaned


def _aware(value: datetime, field_name: str) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise _bad(field_name, "нет даты со сдвигом часового пояса.", "no timezone-aware date.")
    return value


def _money(value: Decimal, field_name: str) -> Decimal:
    if not isinstance(value, Decimal) or not value.is_finite():
        raise _bad(field_name, "не денежная сумма.", "not an amount of money.")
    amount = to_money(value)
    if amount < 0:
        raise _bad(field_name, "сумма меньше нуля.", "the amount is below zero.")
    return amount


def _set(instance: object, name: str, value: object) -> None:
    object.__setattr__(instance, name, value)


@dataclass(frozen=True, slots=True)
class MerchantRequisites:
    """The seller's data printed on every fiscal receipt (from the settings)."""

    legal_name: str
    """Пользователь: ``ООО "АССИСТ"``."""
    inn: str
    """ИНН: 10 digits (an organisation) or 12 (an individual entrepreneur)."""
    address: str
    """Адрес: the settlement address."""
    place_of_settlement: str
    """Место расчетов: a shop, or a site for internet sales."""
    tax_system: str
    """СНО: ``ОСН``, ``УСН доход``, ``УСН доход-расход``, ``ЕСХН``, ``ПСН``."""
    cashier: str
    """Кассир: the person taking the payment."""
    kkt_serial: str
    """ЗН ККТ: the cash register's serial number."""
    ofd_name: str
    """ОФД: the fiscal data operator."""
    kkt_label: str = DEFAULT_KKT_LABEL

    def __post_init__(self) -> None:
        for name in (
            "legal_name",
            "address",
            "place_of_settlement",
            "tax_system",
            "cashier",
            "ofd_name",
            "kkt_label",
        ):
            _set(self, name, _text(getattr(self, name), name))
        _set(self, "inn", _digits(self.inn, "inn", (10, 12)))
        _set(self, "kkt_serial", _digits(self.kkt_serial, "kkt_serial", range(1, 21)))


@dataclass(frozen=True, slots=True)
class FiscalData:
    """What the fiscal drive made of a receipt (Assist's ``fiscalreceipt`` reply)."""

    fn: str
    """ФН №: the fiscal drive's 16-digit serial number."""
    fd: str
    """ФД №: the fiscal document number."""
    fp: str
    """ФП: the fiscal sign."""
    shift_number: int
    receipt_number: int
    kkt_reg_number: str
    """РН ККТ: the register's 16-digit registration number (leading zeros kept)."""
    fiscal_datetime: datetime
    """When the fiscal drive signed the receipt, in the time zone to print (local)."""
    qr_string: str
    """The FNS string ``t=…&s=…&fn=…&i=…&fp=…&n=…`` the QR carries."""

    def __post_init__(self) -> None:
        _set(self, "fn", _digits(self.fn, "fn", (16,)))
        _set(self, "fd", str(int(_digits(self.fd, "fd", range(1, 11)))))
        _set(self, "fp", str(int(_digits(self.fp, "fp", range(1, 11)))))
        _set(self, "kkt_reg_number", _digits(self.kkt_reg_number, "kkt_reg_number", range(1, 21)))
        for name in ("shift_number", "receipt_number"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 10**9:
                raise _bad(name, "нужно целое число больше нуля.", "a whole number above 0.")
        _aware(self.fiscal_datetime, "fiscal_datetime")
        qr = self.qr_string.strip() if isinstance(self.qr_string, str) else ""
        if not _QR_TEXT.fullmatch(qr) or len(qr) > 512:
            raise _bad(
                "qr_string",
                "строка QR-кода пуста или содержит недопустимые символы.",
                "the QR string is empty or has characters it cannot carry.",
            )
        _set(self, "qr_string", qr)


class Operation(Enum):
    """Settlement sign (FFD tag 1054): the receipt's heading and the QR's ``n``."""

    SALE = ("ПРИХОД", 1)
    REFUND = ("ВОЗВРАТ ПРИХОДА", 2)

    @property
    def title(self) -> str:
        return self.value[0]

    @property
    def code(self) -> int:
        return self.value[1]


def fns_qr_string(
    when: datetime, total: Decimal, fn: str, fd: str, fp: str, operation: Operation
) -> str:
    """The FNS receipt string ``t=20190326T1048&s=150.00&fn=…&i=135&fp=…&n=1``.

    ``when`` is printed as it is given (the register's local time).
    """
    return (
        f"t={when:%Y%m%dT%H%M}&s={format_amount(total)}&fn={fn}"
        f"&i={int(fd)}&fp={int(fp)}&n={operation.code}"
    )


@dataclass(frozen=True, slots=True)
class VatTotal:
    """A "Сумма НДС" line: the items at one rate, and the VAT they contain."""

    rate: VatRate
    base: Decimal
    vat: Decimal


@dataclass(frozen=True, slots=True)
class FiscalReceiptDoc:
    """КАССОВЫЙ ЧЕК: a sale (ПРИХОД) or a refund (ВОЗВРАТ ПРИХОДА), fiscalized."""

    operation: Operation
    items: tuple[OrderItem, ...]
    cash: bool
    """Paid in cash (НАЛИЧНЫМИ) or not (БЕЗНАЛИЧНЫМИ: card, SBP)."""
    paid: Decimal
    """The sum paid (or refunded) now: НАЛИЧНЫМИ / БЕЗНАЛИЧНЫМИ."""
    merchant: MerchantRequisites
    fiscal: FiscalData
    prepaid: Decimal = ZERO
    """Paid earlier (ПРЕДВАРИТЕЛЬНАЯ ОПЛАТА (АВАНС)); ИТОГ = prepaid + paid."""
    received: Decimal | None = None
    """ПОЛУЧЕНО: cash handed over (None: the sum paid)."""
    change: Decimal | None = None
    """СДАЧА (cash sales only)."""
    buyer_email: str = ""
    buyer_phone: str = ""
    order_number: str = ""
    """Not printed: for titles and file names."""
    copy: bool = False

    def __post_init__(self) -> None:
        if not self.items:
            raise _bad("items", "в чеке нет позиций.", "the receipt has no items.")
        _set(self, "items", tuple(self.items))
        for name in ("paid", "prepaid"):
            _set(self, name, _money(getattr(self, name), name))
        for name in ("received", "change"):
            value = getattr(self, name)
            if value is not None:
                _set(self, name, _money(value, name))
        if self.prepaid + self.paid != self.total:
            raise _bad(
                "paid",
                f"оплата {format_amount(self.prepaid + self.paid)} не равна итогу "
                f"{format_amount(self.total)}.",
                f"the payment {format_amount(self.prepaid + self.paid)} differs from the total "
                f"{format_amount(self.total)}.",
            )
        if self.received is not None and self.received < self.paid:
            raise _bad("received", "получено меньше суммы оплаты.", "less received than paid.")
        _set(self, "buyer_email", _text(self.buyer_email, "buyer_email", required=False))
        _set(self, "buyer_phone", _text(self.buyer_phone, "buyer_phone", required=False))
        _set(self, "order_number", _text(self.order_number, "order_number", required=False))

    @property
    def total(self) -> Decimal:
        """ИТОГ: the sum of the items."""
        return sum((item.amount for item in self.items), ZERO)

    @property
    def received_amount(self) -> Decimal:
        """ПОЛУЧЕНО."""
        return self.paid if self.received is None else self.received

    @property
    def vat_totals(self) -> tuple[VatTotal, ...]:
        """One "Сумма НДС" per rate, in rate order."""
        summary = vat_by_rate((item.vat, item.amount) for item in self.items)
        return tuple(VatTotal(rate, base, vat) for rate, (base, vat) in summary.items())


def mask_pan(pan: str) -> str:
    """``4893491234560062`` → ``489349******0062``; a PAN already masked keeps its mask.

    At most the first 6 and the last 4 digits are ever shown (PCI DSS).
    """
    compact = re.sub(r"[\s-]", "", pan)
    if not compact:
        return ""
    if not re.fullmatch(r"[0-9*Xx•]+", compact) or len(compact) < 10:
        raise _bad("pan", "номер карты в неверном формате.", "the card number is malformed.")
    masked = compact[:6] + "*" * (len(compact) - 10) + compact[-4:]
    return re.sub(r"[Xx•]", "*", masked)


class CardholderVerification(StrEnum):
    """How the cardholder was verified (CVM), as the card reader reported it."""

    PIN = "pin"
    """PIN entered on the reader: ПОДТВЕРЖДЕНО ВВОДОМ ПИН-КОДА."""
    SIGNATURE = "signature"
    """Signed on the screen: ПОДПИСЬ ПОКУПАТЕЛЯ: and the signature."""
    NONE = "none"
    """No CVM (contactless up to the limit): ПОДПИСЬ НЕ ТРЕБУЕТСЯ."""


@dataclass(frozen=True, slots=True)
class CardSlipDoc:
    """The card terminal's slip, as Assist mPOS prints it after a card payment."""

    merchant_name: str
    """ПРЕДПРИЯТИЕ."""
    terminal_id: str
    order_number: str
    approved: bool
    """ОПЛАЧЕН (True) or ОТКЛОНЕН (False)."""
    amount: Decimal
    paid_at: datetime
    """Дата: in the time zone to print (local)."""
    commission_percent: Decimal = ZERO
    aid: str = ""
    """The EMV application id, e.g. ``A00000000031010``."""
    application_label: str = ""
    """Printed after the AID, e.g. ``VISA``."""
    tvr: str = ""
    tsi: str = ""
    card_type: str = ""
    """Карта: ``VISA``, ``MasterCard``, ``МИР``."""
    pan: str = ""
    """The card number; masked on construction (first 6 and last 4 digits at most)."""
    cardholder: str = ""
    rrn: str = ""
    auth_code: str = ""
    response_code: str = ""
    verification: CardholderVerification | None = None
    """The CVM; None when it is not known (nothing is printed about it)."""
    signature_png: bytes = b""
    """The signature captured on the screen (PNG), with ``verification`` SIGNATURE; empty when
    there is none to print (the slip then has room for a handwritten signature)."""
    processor_name: str = PROCESSOR_NAME
    processor_phone: str = PROCESSOR_PHONE
    processor_site: str = PROCESSOR_SITE
    copy: bool = False

    def __post_init__(self) -> None:
        if self.verification is not None and not isinstance(
            self.verification, CardholderVerification
        ):
            raise _bad("verification", "неизвестный способ проверки.", "unknown verification.")
        if not isinstance(self.signature_png, bytes):
            raise _bad("signature_png", "не байты изображения.", "not image bytes.")
        if self.signature_png and self.verification is not CardholderVerification.SIGNATURE:
            raise _bad(
                "signature_png",
                "подпись есть, а способ проверки — не подпись.",
                "a signature, but the verification is not by signature.",
            )
        if self.signature_png:
            try:
                png_size(self.signature_png)
            except ValueError as exc:
                raise _bad("signature_png", "изображение подписи повреждено.", f"{exc}.") from None
        for name in ("merchant_name", "terminal_id", "order_number"):
            _set(self, name, _text(getattr(self, name), name))
        for name in (
            "aid",
            "application_label",
            "tvr",
            "tsi",
            "card_type",
            "cardholder",
            "rrn",
            "auth_code",
            "response_code",
            "processor_name",
            "processor_phone",
            "processor_site",
        ):
            _set(self, name, _text(getattr(self, name), name, required=False))
        _set(self, "amount", _money(self.amount, "amount"))
        if not isinstance(self.commission_percent, Decimal) or not (
            self.commission_percent.is_finite() and 0 <= self.commission_percent <= 100
        ):
            raise _bad("commission_percent", "нужно число от 0 до 100.", "0 to 100 expected.")
        _aware(self.paid_at, "paid_at")
        _set(self, "pan", mask_pan(_text(self.pan, "pan", required=False)))


@dataclass(frozen=True, slots=True)
class OfflineSlipDoc:
    """A cash sale without fiscal data yet: a plain slip that is not a fiscal document.

    The fiscal receipt follows when the gateway is reachable again (printed, and e-mailed to the
    buyer by Assist when the order has an e-mail).
    """

    order_number: str
    items: tuple[OrderItem, ...]
    paid: Decimal
    """Paid in cash now."""
    received: Decimal
    change: Decimal
    paid_at: datetime
    """In the time zone to print (local)."""
    cashier: str
    merchant_name: str = ""
    address: str = ""
    prepaid: Decimal = ZERO
    buyer_email: str = ""
    copy: bool = False

    def __post_init__(self) -> None:
        if not self.items:
            raise _bad("items", "в чеке нет позиций.", "the receipt has no items.")
        _set(self, "items", tuple(self.items))
        _set(self, "order_number", _text(self.order_number, "order_number"))
        _set(self, "cashier", _text(self.cashier, "cashier"))
        for name in ("merchant_name", "address", "buyer_email"):
            _set(self, name, _text(getattr(self, name), name, required=False))
        for name in ("paid", "received", "change", "prepaid"):
            _set(self, name, _money(getattr(self, name), name))
        _aware(self.paid_at, "paid_at")
        if self.prepaid + self.paid != self.total:
            raise _bad(
                "paid",
                "оплата не равна сумме позиций.",
                "the payment differs from the sum of the items.",
            )
        if self.received - self.change != self.paid:
            raise _bad(
                "change",
                "получено минус сдача не равно сумме оплаты.",
                "received minus change differs from the sum paid.",
            )

    @property
    def total(self) -> Decimal:
        return sum((item.amount for item in self.items), ZERO)


ReceiptDocument = FiscalReceiptDoc | CardSlipDoc | OfflineSlipDoc
"""Any printable document."""
