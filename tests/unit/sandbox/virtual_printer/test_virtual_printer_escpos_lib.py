"""Bytes made by a third-party generator (python-escpos ``Dummy``) decode to what was printed."""

from __future__ import annotations

from escpos.printer import Dummy

from desktop_pos.sandbox.virtual_printer.decoder import Align, CutKind, DrawerPulse, decode

FNS = "t=20240101T1200&s=150.00&fn=9999078900012345&i=12345&fp=1234567890&n=1"


def printer() -> Dummy:
    dummy = Dummy(profile="TM-T88V")
    dummy.hw("INIT")
    dummy.charcode("CP866")
    return dummy


def test_cyrillic_text_styles_qr_cut_and_drawer() -> None:
    dummy = printer()
    dummy.set(align="center", bold=True, double_height=True, double_width=True)
    dummy.textln("КАССОВЫЙ ЧЕК")
    dummy.set(normal_textsize=True)
    dummy.set(align="left", bold=False)
    dummy.textln("Товар 3.000 * 50.00 =150.00")
    dummy.set(align="right", bold=True)
    dummy.textln("ИТОГ =150.00")
    dummy.set(align="center", bold=False)
    dummy.qr(FNS, native=True, size=6)
    dummy.cut()
    dummy.cashdraw(2)

    stream = decode(dummy.output)

    assert stream.unknown == [] and stream.warnings == [] and stream.complete
    (receipt,) = stream.receipts
    title, item, total = receipt.lines[:3]
    assert (title.text, title.align, title.bold, title.double_width, title.double_height) == (
        "КАССОВЫЙ ЧЕК",
        Align.CENTER,
        True,
        True,
        True,
    )
    assert (item.text, item.align, item.bold, item.double_width) == (
        "Товар 3.000 * 50.00 =150.00",
        Align.LEFT,
        False,
        False,
    )
    assert (total.text, total.align, total.bold) == ("ИТОГ =150.00", Align.RIGHT, True)
    (qr,) = receipt.qr_codes
    assert (qr.payload, qr.module_size, qr.align) == (FNS, 6, Align.CENTER)
    assert qr.width_dots >= 160
    assert (receipt.cut, receipt.cut_kind) == (True, CutKind.FULL)
    assert stream.drawer_pulses == [
        DrawerPulse(pin=2, on_ms=100, off_ms=100, offset=len(dummy.output) - 5)
    ]


def test_raster_qr_partial_cut_and_custom_size() -> None:
    dummy = printer()
    dummy.set(custom_size=True, width=2, height=3)
    dummy.textln("Сдача")
    dummy.set(normal_textsize=True)
    dummy.qr("hello", native=False, size=4)
    dummy.cut(mode="PART")

    (receipt,) = decode(dummy.output).receipts

    line = receipt.lines[0]
    assert (line.text, line.spans[0].width_mag, line.spans[0].height_mag) == ("Сдача", 2, 3)
    (image,) = receipt.images
    assert image.command == "GS v 0" and image.width_dots > 0
    assert receipt.cut_kind is CutKind.PARTIAL


def test_two_receipts_share_the_code_table() -> None:
    dummy = printer()
    dummy.textln("Первый")
    dummy.cut()
    dummy.textln("Второй")
    dummy.cut()
    stream = decode(dummy.output)
    assert [r.text.strip() for r in stream.receipts] == ["Первый", "Второй"]
