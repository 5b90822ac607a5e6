"""Receipt documents laid out as lines for a paper width; the printer and the preview draw this.

Rules (docs/receipts.md):

* every ``TextLine`` fits the width: ``len(text) <= chars_per_line``, a double-width line counts
  twice; long texts wrap at spaces, a word longer than the line is cut;
* an amount line is a label and a value: ``ИТОГ`` on the left, ``=150.00`` on the right, padded
  with spaces to the full width (``TextLine.align`` LEFT); when both do not fit, the label wraps on
  its own lines and the value follows, right-aligned;
* headings (КАССОВЫЙ ЧЕК, ПРИХОД, КОПИЯ, ККТ для ИНТЕРНЕТ, ЖДЕМ ВАС СНОВА!) are centred;
* the rouble sign is written "руб." (receipt code pages lack "₽"), so the preview shows what the
  paper shows;
* every document ends with a ``Cut``;
* a picture (the card slip's signature) is an ``ImageBlock``: the PNG as stored, centred, scaled
  by ``image_dots`` for the paper; the printer gets it as a raster image, the preview paints it,
  plain text shows ``[подпись]``.

Typical widths at font A: 58 mm paper = 32 characters, 80 mm = 48 (42 on some models).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from desktop_pos.models.money import ZERO, format_amount, format_quantity
from desktop_pos.models.order import OrderItem
from desktop_pos.models.receipt import (
    COPY_MARK,
    NOT_FISCAL,
    THANKS,
    CardholderVerification,
    CardSlipDoc,
    FiscalReceiptDoc,
    OfflineSlipDoc,
    Operation,
    ReceiptDocument,
)
from desktop_pos.models.vat import VatRate

MIN_CHARS_PER_LINE = 24
MAX_CHARS_PER_LINE = 64
PREPAID_LABEL = "ПРЕДВАРИТЕЛЬНАЯ ОПЛАТА (АВАНС)"
OFFLINE_TITLE = "ОПЛАТА НАЛИЧНЫМИ"
PIN_VERIFIED = "ПОДТВЕРЖДЕНО ВВОДОМ ПИН-КОДА"
SIGNATURE_TITLE = "ПОДПИСЬ ПОКУПАТЕЛЯ:"
NO_SIGNATURE = "ПОДПИСЬ НЕ ТРЕБУЕТСЯ"
SIGNATURE_LABEL = "подпись"
SIGNATURE_WIDTH = 2 / 3
"""The signature is printed this fraction of the printable width wide (at most)."""
SIGNATURE_MAX_HEIGHT_MM = 30.0
HANDWRITING_LINES = 3
"""Blank lines above the signature line when there is no captured signature to print."""
DOTS_PER_MM = 8.0
"""203 dpi thermal printers."""


class Align(StrEnum):
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


@dataclass(frozen=True, slots=True)
class TextLine:
    """One printed line; ``double`` is double width (and height)."""

    text: str
    align: Align = Align.LEFT
    bold: bool = False
    double: bool = False

    @property
    def columns(self) -> int:
        """The columns the line takes on paper (a double-width character takes two)."""
        return len(self.text) * (2 if self.double else 1)


@dataclass(frozen=True, slots=True)
class QrBlock:
    """A QR code, centred, at least ``min_width_mm`` wide on paper."""

    payload: str
    min_width_mm: float = 20.0


@dataclass(frozen=True, slots=True)
class ImageBlock:
    """A picture (PNG bytes), centred, printed in black and white.

    It is scaled with its aspect kept to ``max_width`` (a fraction of the printable width) but
    no higher than ``max_height_mm`` (``image_dots``); plain text shows it as ``[label]``.
    """

    png: bytes
    label: str
    max_width: float = SIGNATURE_WIDTH
    max_height_mm: float = SIGNATURE_MAX_HEIGHT_MM

    def __post_init__(self) -> None:
        if not 0 < self.max_width <= 1:
            raise ValueError(f"max_width must be in (0, 1], got {self.max_width}")
        if self.max_height_mm <= 0:
            raise ValueError(f"max_height_mm must be above 0, got {self.max_height_mm}")


def image_dots(block: ImageBlock, width: int, height: int, dots_per_line: int) -> tuple[int, int]:
    """The printed size in dots of a ``width`` × ``height`` picture of ``block``.

    As wide as ``max_width`` of the line, or narrower when that would make it higher than
    ``max_height_mm``; the aspect is kept (to the nearest dot), never less than one dot.
    """
    if width < 1 or height < 1:
        raise ValueError(f"an image of {width} × {height} pixels cannot be printed")
    box_width = max(1, int(dots_per_line * block.max_width))
    box_height = max(1, int(block.max_height_mm * DOTS_PER_MM))
    scale = min(box_width / width, box_height / height)
    printed_width = max(1, min(box_width, round(width * scale)))
    printed_height = max(1, min(box_height, round(height * scale)))
    return printed_width, printed_height


@dataclass(frozen=True, slots=True)
class Feed:
    """Blank lines."""

    lines: int = 1


@dataclass(frozen=True, slots=True)
class Cut:
    """The end of a document: feed to the cutter and cut."""


LayoutElement = TextLine | QrBlock | ImageBlock | Feed | Cut
PrintLayout = tuple[LayoutElement, ...]


def wrap(text: str, width: int) -> list[str]:
    """Split ``text`` into lines of at most ``width`` characters (at spaces where possible).

    Runs of spaces between words become one at a line break; a word longer than the line is cut.
    """
    if len(text) <= width:
        return [text]
    lines: list[str] = []
    current = ""
    for word in text.split():
        while len(word) > width:
            if current:
                room = width - len(current) - 1
                if room > 0:
                    lines.append(f"{current} {word[:room]}")
                    word = word[room:]
                else:
                    lines.append(current)
                current = ""
                continue
            lines.append(word[:width])
            word = word[width:]
        if not current:
            current = word
        elif len(current) + 1 + len(word) <= width:
            current = f"{current} {word}"
        else:
            lines.append(current)
            current = word
    if current or not lines:
        lines.append(current)
    return lines


def _clean(text: str) -> str:
    return " ".join(text.replace("₽", "руб.").split())


class _Builder:
    """Collects the elements of one document for a width."""

    def __init__(self, width: int) -> None:
        if not MIN_CHARS_PER_LINE <= width <= MAX_CHARS_PER_LINE:
            raise ValueError(
                f"chars_per_line must be {MIN_CHARS_PER_LINE}..{MAX_CHARS_PER_LINE}, got {width}"
            )
        self.width = width
        self.elements: list[LayoutElement] = []

    def text(
        self, text: str, align: Align = Align.LEFT, *, bold: bool = False, double: bool = False
    ) -> None:
        cleaned = _clean(text)
        if double and len(cleaned) * 2 > self.width:
            double = False  # too long to be large: print it normal size
        width = self.width // 2 if double else self.width
        for line in wrap(cleaned, width):
            self.elements.append(TextLine(line, align, bold, double))

    def pair(self, label: str, value: str, *, bold: bool = False) -> None:
        """``label`` on the left and ``value`` on the right of one line, if they fit."""
        label, value = _clean(label), _clean(value)
        gap = self.width - len(label) - len(value)
        if gap >= 1:
            self.elements.append(TextLine(f"{label}{' ' * gap}{value}", Align.LEFT, bold))
            return
        self.text(label, bold=bold)
        if len(value) <= self.width:
            self.elements.append(TextLine(value, Align.RIGHT, bold))
        else:
            self.text(value, bold=bold)

    def big_pair(self, label: str, value: str) -> None:
        """A bold pair, double width when it fits in half the columns."""
        label, value = _clean(label), _clean(value)
        half = self.width // 2
        if len(label) + 1 + len(value) <= half:
            gap = half - len(label) - len(value)
            self.elements.append(
                TextLine(f"{label}{' ' * gap}{value}", Align.LEFT, bold=True, double=True)
            )
        else:
            self.pair(label, value, bold=True)

    def copy_mark(self, copy: bool) -> None:
        if copy:
            self.text(COPY_MARK, Align.CENTER, bold=True, double=True)

    def items(self, items: tuple[OrderItem, ...], *, with_vat: bool) -> None:
        for item in items:
            self.text(item.name)
            self.pair(
                f"{format_quantity(item.quantity)} * {format_amount(item.price)}",
                f"={format_amount(item.amount)}",
            )
            if item.discount > 0:
                self.pair("СКИДКА", f"={format_amount(item.discount)}")
            if with_vat:
                if item.vat is VatRate.NO_VAT:
                    self.text(item.vat.label)
                else:
                    self.pair(item.vat.label, f"={format_amount(item.vat_amount)}")

    def finish(self) -> PrintLayout:
        self.elements.append(Cut())
        return tuple(self.elements)


def _amount(value: Decimal) -> str:
    return f"={format_amount(value)}"


def _receipt_time(value: datetime) -> str:
    return f"{value:%d.%m.%y %H:%M}"


def _fiscal_receipt(doc: FiscalReceiptDoc, b: _Builder) -> None:
    b.copy_mark(doc.copy)
    b.text("КАССОВЫЙ ЧЕК", Align.CENTER, bold=True)
    b.text(doc.operation.title, Align.CENTER, bold=True)
    b.items(doc.items, with_vat=True)
    b.big_pair("ИТОГ", _amount(doc.total))
    if doc.prepaid > 0:
        b.pair(PREPAID_LABEL, _amount(doc.prepaid))
    for line in doc.vat_totals:
        if line.rate is VatRate.NO_VAT:
            b.pair("Сумма без НДС", _amount(line.base))
        elif line.rate is VatRate.VAT0:
            b.pair("Сумма с НДС 0%", _amount(line.base))
        else:
            b.pair(f"Сумма {line.rate.label}", _amount(line.vat))
    b.pair("НАЛИЧНЫМИ" if doc.cash else "БЕЗНАЛИЧНЫМИ", _amount(doc.paid))
    if doc.operation is Operation.SALE:
        b.pair("ПОЛУЧЕНО", _amount(doc.received_amount))
        if doc.cash:
            b.pair("СДАЧА", _amount(doc.change if doc.change is not None else ZERO))
    m = doc.merchant
    b.pair("СНО:", m.tax_system)
    if doc.buyer_email:
        b.pair("Эл.адр.покупателя:", doc.buyer_email)
    elif doc.buyer_phone:
        b.pair("Тел.покупателя:", doc.buyer_phone)
    b.pair("Пользователь:", m.legal_name)
    b.pair("Адрес:", m.address)
    b.pair("Место расчетов:", m.place_of_settlement)
    b.pair("Кассир:", m.cashier)
    b.text(m.kkt_label, Align.CENTER)
    f = doc.fiscal
    b.pair("ЗН ККТ:", m.kkt_serial)
    b.pair("Смена №", f"{f.shift_number:05d}")
    b.pair("Чек №", f"{f.receipt_number:05d}")
    b.pair("Дата Время", _receipt_time(f.fiscal_datetime))
    b.pair("ОФД:", m.ofd_name)
    b.pair("ИНН:", m.inn)
    b.pair("РН ККТ:", f.kkt_reg_number.zfill(16))
    b.pair("ФН №", f.fn)
    b.pair("ФД №", f.fd.zfill(10))
    b.pair("ФП:", f.fp.zfill(10))
    b.elements.append(QrBlock(f.qr_string))
    b.text(THANKS, Align.CENTER, bold=True)


def _dash(value: str) -> str:
    return value or "-"


def _card_slip(doc: CardSlipDoc, b: _Builder) -> None:
    b.copy_mark(doc.copy)
    b.text("ПРЕДПРИЯТИЕ:")
    b.text(doc.merchant_name)
    b.pair("Терминал:", doc.terminal_id)
    b.pair("Заказ:", doc.order_number)
    b.text("ОПЛАЧЕН" if doc.approved else "ОТКЛОНЕН", Align.CENTER, bold=True, double=True)
    b.pair("Сумма:", format_amount(doc.amount))
    b.pair("Комиссия:", f"{_percent(doc.commission_percent)}%")
    b.pair("AID:", " ".join(v for v in (doc.aid, doc.application_label) if v) or "-")
    b.pair("TVR:", _dash(doc.tvr))
    b.pair("TSI:", _dash(doc.tsi))
    b.pair("Карта:", _dash(doc.card_type))
    b.pair("PAN:", _dash(doc.pan))
    b.pair("Держатель:", _dash(doc.cardholder))
    b.pair("RRN:", _dash(doc.rrn))
    b.pair("Код авторизации:", _dash(doc.auth_code))
    b.pair("Код ответа:", _dash(doc.response_code))
    b.pair("Дата:", f"{doc.paid_at:%d.%m.%Y %H:%M}")
    if doc.approved:
        _verification(doc, b)
    b.elements.append(Feed(1))
    for line in (doc.processor_name, doc.processor_phone, doc.processor_site):
        if line:
            b.text(line, Align.CENTER)


def _verification(doc: CardSlipDoc, b: _Builder) -> None:
    """The CVM of an approved slip; a signature is printed with a line under it, and without a
    captured one the slip leaves room to sign by hand."""
    if doc.verification is CardholderVerification.PIN:
        b.text(PIN_VERIFIED, Align.CENTER, bold=True)
    elif doc.verification is CardholderVerification.NONE:
        b.text(NO_SIGNATURE, Align.CENTER, bold=True)
    elif doc.verification is CardholderVerification.SIGNATURE:
        b.text(SIGNATURE_TITLE, bold=True)
        if doc.signature_png:
            b.elements.append(ImageBlock(doc.signature_png, SIGNATURE_LABEL))
        else:
            b.elements.append(Feed(HANDWRITING_LINES))
        b.text("_" * b.width)


def _percent(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _offline_slip(doc: OfflineSlipDoc, b: _Builder) -> None:
    b.copy_mark(doc.copy)
    b.text(NOT_FISCAL, Align.CENTER, bold=True)
    if doc.merchant_name:
        b.text(doc.merchant_name, Align.CENTER)
    if doc.address:
        b.text(doc.address, Align.CENTER)
    b.text(OFFLINE_TITLE, Align.CENTER, bold=True)
    b.pair("Заказ №", doc.order_number)
    b.items(doc.items, with_vat=False)
    b.big_pair("ИТОГ", _amount(doc.total))
    if doc.prepaid > 0:
        b.pair(PREPAID_LABEL, _amount(doc.prepaid))
    b.pair("НАЛИЧНЫМИ", _amount(doc.paid))
    b.pair("ПОЛУЧЕНО", _amount(doc.received))
    b.pair("СДАЧА", _amount(doc.change))
    b.pair("Дата Время", _receipt_time(doc.paid_at))
    b.pair("Кассир:", doc.cashier)
    if doc.buyer_email:
        follow = (
            "Кассовый чек будет сформирован после восстановления связи и отправлен "
            f"на эл. адрес {doc.buyer_email}"
        )
    else:
        follow = "Кассовый чек будет сформирован и выдан после восстановления связи."
    b.text(follow)
    b.text(NOT_FISCAL, Align.CENTER, bold=True)


def layout_document(doc: ReceiptDocument, chars_per_line: int) -> PrintLayout:
    """The document as lines for paper ``chars_per_line`` characters wide (24–64)."""
    builder = _Builder(chars_per_line)
    if isinstance(doc, FiscalReceiptDoc):
        _fiscal_receipt(doc, builder)
    elif isinstance(doc, CardSlipDoc):
        _card_slip(doc, builder)
    else:
        _offline_slip(doc, builder)
    return builder.finish()


def layout_text(layout: PrintLayout, chars_per_line: int) -> str:
    """The layout as plain text, aligned as on paper (for logs, tests and text previews).

    A double-width line is shown at normal width, a QR code as ``[QR: payload]``, a picture as
    ``[label]`` (``[подпись]``), a cut as a dashed line.
    """
    out: list[str] = []
    for element in layout:
        if isinstance(element, TextLine):
            free = max(0, chars_per_line - len(element.text))
            pad = {Align.LEFT: 0, Align.CENTER: free // 2, Align.RIGHT: free}[element.align]
            out.append(" " * pad + element.text)
        elif isinstance(element, QrBlock):
            out.append(f"[QR: {element.payload}]")
        elif isinstance(element, ImageBlock):
            out.append(f"[{element.label}]".center(chars_per_line).rstrip())
        elif isinstance(element, Feed):
            out.extend([""] * element.lines)
        else:
            out.append("-" * chars_per_line)
    return "\n".join(out)
