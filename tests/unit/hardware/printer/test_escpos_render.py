"""ESC/POS bytes: initialize, code page, CP866 Cyrillic, styles, QR (native and raster, read back
with zxing-cpp), cut, the drawer pulse, and no "₽" or raw control characters ever sent."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
import zxingcpp
from PIL import Image

from desktop_pos.hardware.printer.errors import PrinterSettingsError
from desktop_pos.hardware.printer.escpos_render import (
    drawer_kick_bytes,
    printable,
    qr_module_size,
    qr_modules,
    render_escpos,
)
from desktop_pos.hardware.printer.profile import PrinterProfile
from desktop_pos.models.order import OrderItem
from desktop_pos.models.receipt import FiscalData, FiscalReceiptDoc, MerchantRequisites, Operation
from desktop_pos.models.receipt_layout import (
    Align,
    Cut,
    Feed,
    PrintLayout,
    QrBlock,
    TextLine,
    layout_document,
)

MSK = timezone(timedelta(hours=3))
QR = "t=20190326T1048&s=150.00&fn=9999078900011524&i=135&fp=2550591940&n=1"
ESC, GS = b"\x1b", b"\x1d"


def receipt() -> FiscalReceiptDoc:
    return FiscalReceiptDoc(
        operation=Operation.SALE,
        items=(OrderItem("Новый товар", Decimal(3), Decimal(50)),),
        cash=False,
        paid=Decimal(150),
        merchant=MerchantRequisites(
            'ООО "АССИСТ"',
            "7728029110",
            "Комиссара Смирнова 9",
            "пр. Шаумяна 4",
            "ОСН",
            "Рязанов Д.",
            "00106700276328",
            "ОФД1",
        ),
        fiscal=FiscalData(
            "9999078900011524",
            "135",
            "2550591940",
            9,
            21,
            "0000000001024742",
            datetime(2019, 3, 26, 10, 48, tzinfo=MSK),
            QR,
        ),
        buyer_email="null@assist.ru",
    )


def rendered(profile: PrinterProfile) -> bytes:
    return render_escpos(layout_document(receipt(), profile.chars_per_line), profile)


def qr_store_command(payload: str) -> bytes:
    """GS ( k <pL pH> 49 80 48 <data>: store the QR data."""
    size = len(payload) + 3
    return GS + b"(k" + bytes([size % 256, size // 256]) + b"1P0" + payload.encode()


@pytest.mark.parametrize("paper", [58, 80])
def test_a_receipt_starts_with_init_and_cp866_and_ends_with_a_cut(paper: int) -> None:
    profile = PrinterProfile(paper_mm=paper)
    data = rendered(profile)
    assert data.startswith(ESC + b"@" + ESC + b"t\x11")  # ESC @, ESC t 17 (PC866)
    assert data.endswith(ESC + b"d\x06" + GS + b"V\x00")  # feed 6 lines, full cut
    assert data.count(GS + b"V") == 1
    for text in ("КАССОВЫЙ ЧЕК", "ПРИХОД", "Новый товар", "ЖДЕМ ВАС СНОВА!", "ФН №"):
        assert text.encode("cp866") in data, text
    assert "Эл.адр.покупателя:".encode("cp866") in data
    assert "Сумма НДС 20%".encode("cp866") in data
    assert "Пользователь:".encode("cp866") in data
    # every printed line fits the paper
    for line in re.sub(rb"\x1b[!Eat].|\x1d\(k..[^\n]*|\x1bd.|\x1dV.", b"", data).split(b"\n"):
        assert len(line) <= profile.chars_per_line, line


def test_styles_are_sent_when_they_change() -> None:
    data = rendered(PrinterProfile())
    title = "КАССОВЫЙ ЧЕК".encode("cp866")
    before_title = data[: data.index(title)]
    assert before_title.endswith(ESC + b"E\x01" + ESC + b"a\x01")  # bold, centred
    total = "ИТОГ".encode("cp866")
    before_total = data[: data.index(total)]
    assert ESC + b"!\x30" in before_total[-12:]  # double width and height
    assert before_total.endswith(ESC + b"E\x01")  # bold again after ESC !
    assert data.count(ESC + b"a\x01") >= 2 and ESC + b"a\x00" in data


def test_the_native_qr_carries_the_fns_string_and_is_at_least_20_mm() -> None:
    data = rendered(PrinterProfile())
    assert qr_store_command(QR) in data
    assert GS + b"(k\x03\x001Q0" in data  # print the symbol
    assert GS + b"(k\x03\x001E1" in data  # error correction M
    module = data[data.index(GS + b"(k\x03\x001C") + 8]
    assert qr_modules(QR) == 37  # version 5
    assert module * 37 >= 160
    assert data[: data.index(GS + b"(k")].endswith(ESC + b"a\x01")  # centred


def _raster_images(data: bytes) -> list[Image.Image]:
    """Decode every GS v 0 raster image (1 = black) into a picture."""
    images = []
    start = 0
    while (at := data.find(GS + b"v0", start)) >= 0:
        width_bytes = data[at + 4] + 256 * data[at + 5]
        height = data[at + 6] + 256 * data[at + 7]
        body = data[at + 8 : at + 8 + width_bytes * height]
        picture = Image.frombytes("1", (width_bytes * 8, height), bytes(b ^ 0xFF for b in body))
        images.append(picture)
        start = at + 8 + len(body)
    return images


@pytest.mark.parametrize("paper", [58, 80])
def test_the_raster_qr_reads_back_as_the_fns_string(paper: int) -> None:
    profile = PrinterProfile(paper_mm=paper, qr_native=False)
    data = rendered(profile)
    assert GS + b"(k" not in data
    [picture] = _raster_images(data)
    assert picture.width == profile.dots_per_line  # centred on the paper's width
    [code] = zxingcpp.read_barcodes(picture.convert("L"))
    assert code.text == QR
    dark_columns = [
        x
        for x in range(picture.width)
        if any(picture.getpixel((x, y)) == 0 for y in range(80, 120))
    ]
    assert dark_columns[-1] - dark_columns[0] + 1 >= 160


def test_qr_module_size_grows_for_small_symbols_and_fits_the_paper() -> None:
    assert qr_module_size("t=1", 20.0, 576) == 8  # 21 modules × 8 = 168 dots
    assert qr_module_size(QR, 20.0, 384) == 5
    long = "x" * 2000
    assert qr_modules(long) == 169  # version 38
    assert qr_module_size(long, 20.0, 576) == 2  # 338 dots: wide enough, and readable
    with pytest.raises(ValueError):
        qr_modules("x" * 3000)


def test_qr_capacities_match_segno() -> None:
    import segno

    for size in (1, 14, 15, 42, 70, 84, 85, 200, 600, 2331):
        payload = "t" * size
        code = segno.make(payload, error="m", micro=False, boost_error=False, mode="byte")
        assert qr_modules(payload) == code.symbol_size(border=0)[0], size


def test_the_rouble_sign_and_control_characters_never_reach_the_printer() -> None:
    layout: PrintLayout = (
        TextLine("Итого 150 ₽"),
        TextLine("Заказ\x1b@\x1dV\x00 № 5 «A» — x\u00a0y"),
        Cut(),
    )
    data = render_escpos(layout, PrinterProfile())
    assert "₽".encode() not in data and "₽".encode("utf-16-le") not in data
    assert "Итого 150 руб.\n".encode("cp866") in data
    assert 'Заказ?@?V? № 5 "A" - x y\n'.encode("cp866") in data
    assert data.count(ESC + b"@") == 1  # only the initialize command


def test_a_line_made_longer_by_stand_ins_is_wrapped_to_the_width() -> None:
    profile = PrinterProfile(paper_mm=58)
    line = TextLine("1234567890123456789012345678 ₽")  # 30 characters, 33 with "руб."
    data = render_escpos((line,), profile)
    printed = data.split(ESC + b"t\x11", 1)[1]
    assert printed.endswith(b"1234567890123456789012345678\n" + "руб.\n".encode("cp866"))


def test_printable_keeps_what_the_page_has() -> None:
    chars = PrinterProfile().characters
    assert printable("Ёлка №1", chars) == "Ёлка №1"
    koi8 = PrinterProfile(code_page="KOI8-R", code_table=22).characters
    assert printable("Чек №1 ✓", koi8) == "Чек N1 ?"


def test_other_code_pages_send_their_table_and_bytes() -> None:
    layout: PrintLayout = (TextLine("Чек №1", Align.RIGHT), Feed(2), Cut())
    cp1251 = render_escpos(layout, PrinterProfile(code_page="CP1251"))
    assert cp1251.startswith(ESC + b"@" + ESC + b"t\x2e")  # ESC t 46
    assert "Чек №1\n\n\n".encode("cp1251") in cp1251
    assert ESC + b"a\x02" in cp1251
    koi8 = render_escpos(layout, PrinterProfile(code_page="KOI8-R", code_table=22))
    assert koi8.startswith(ESC + b"@" + ESC + b"t\x16")
    assert "Чек N1\n".encode("koi8_r") in koi8
    table59 = render_escpos(layout, PrinterProfile(code_table=59))
    assert table59.startswith(ESC + b"@" + ESC + b"t\x3b") and "Чек".encode("cp866") in table59


def test_a_printer_without_cutter_gets_no_cut_command() -> None:
    profile = PrinterProfile(model="ZJ-5870", paper_mm=58, qr_native=False)
    data = render_escpos((TextLine("Чек"), QrBlock(QR), Cut()), profile)
    assert GS + b"V" not in data and data.endswith(ESC + b"d\x06")
    assert GS + b"v0" in data


def test_two_documents_in_one_stream_are_cut_twice_and_restyle() -> None:
    layout = layout_document(receipt(), 48)
    data = render_escpos(layout + layout, PrinterProfile())
    assert data.count(GS + b"V\x00") == 2
    second = data[data.index(GS + b"V\x00") + 3 :]
    assert second.startswith(ESC + b"a\x01") or ESC + b"a\x01" in second[:12]


@pytest.mark.parametrize(
    ("pin", "on_ms", "off_ms", "expected"),
    [
        (2, 100, 100, b"\x1bp\x00\x32\x32"),
        (5, 100, 100, b"\x1bp\x01\x32\x32"),
        (2, 30, 255, b"\x1bp\x00\x0f\x80"),
        (2, 510, 1, b"\x1bp\x00\xff\x01"),
    ],
)
def test_the_drawer_pulse_is_esc_p(pin: int, on_ms: int, off_ms: int, expected: bytes) -> None:
    assert drawer_kick_bytes(pin, on_ms, off_ms) == expected


def test_the_default_pulse_equals_python_escpos_pin_2() -> None:
    from escpos.constants import CD_KICK_2, CD_KICK_5

    assert drawer_kick_bytes(2, 100, 100) == CD_KICK_2
    assert drawer_kick_bytes(5, 100, 100) == CD_KICK_5


@pytest.mark.parametrize(("pin", "on_ms", "off_ms"), [(3, 100, 100), (2, 0, 100), (2, 100, 600)])
def test_a_bad_drawer_pulse_is_a_settings_error(pin: int, on_ms: int, off_ms: int) -> None:
    with pytest.raises(PrinterSettingsError) as caught:
        drawer_kick_bytes(pin, on_ms, off_ms)
    assert caught.value.text.ru and caught.value.text.en


@pytest.mark.parametrize("code_page", ["CP866", "CP1251", "CP855", "ISO_8859-5"])
def test_text_bytes_equal_what_python_escpos_encoder_makes(code_page: str) -> None:
    from escpos.magicencode import Encoder

    profile = PrinterProfile(code_page=code_page, code_table=40)
    page = profile.resolved_code_page
    text = "".join(sorted(profile.characters))
    encoder = Encoder({page.name: page.table})
    assert text.encode(page.python_codec) == encoder.encode(text, page.name)
    data = render_escpos((TextLine(text[:40]), TextLine(text[40:80])), profile)
    assert encoder.encode(text[:40] + "\n", page.name) in data
