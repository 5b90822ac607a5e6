"""The receipt picture: QR codes readable at their printed size, images dot for dot, text where
the printer puts it."""

from __future__ import annotations

from pathlib import Path

import PIL.Image
import pytest
import zxingcpp

from desktop_pos.sandbox.virtual_printer.decoder import decode
from desktop_pos.sandbox.virtual_printer.picture import BORDER_DOTS, render_image, render_png

ESC, GS = b"\x1b", b"\x1d"
FNS = "t=20240101T1200&s=150.00&fn=9999078900012345&i=12345&fp=1234567890&n=1"


def qr_bytes(payload: bytes, *, size: int, level: int = 49) -> bytes:
    store_len = len(payload) + 3
    return (
        GS + b"(k\x03\x00\x31\x43" + bytes([size])
        + GS + b"(k\x03\x00\x31\x45" + bytes([level])
        + GS + b"(k" + bytes([store_len % 256, store_len // 256]) + b"\x31\x50\x30" + payload
        + GS + b"(k\x03\x00\x31\x51\x30"
    )  # fmt: skip


def ink_box(image: PIL.Image.Image) -> tuple[int, int, int, int]:
    box = PIL.Image.eval(image.convert("L"), lambda v: 255 if v < 128 else 0).getbbox()
    assert box is not None
    return box


def test_the_qr_in_the_png_reads_back_as_the_payload(tmp_path: Path) -> None:
    data = ESC + b"t\x11" + "Чек".encode("cp866") + b"\n" + ESC + b"a\x01"
    receipt = decode(data + qr_bytes(FNS.encode(), size=6) + GS + b"V\x00").receipts[0]
    path = tmp_path / "r.png"
    render_png(receipt, path)
    (found,) = zxingcpp.read_barcodes(PIL.Image.open(path))
    assert found.text == FNS


@pytest.mark.parametrize("module_size", [3, 5, 8])
def test_the_qr_is_drawn_at_its_printed_width(module_size: int) -> None:
    receipt = decode(qr_bytes(FNS.encode(), size=module_size)).receipts[0]
    (qr,) = receipt.qr_codes
    left, top, right, bottom = ink_box(render_image(receipt))
    assert right - left == qr.width_dots
    assert bottom - top == qr.width_dots
    assert left == BORDER_DOTS  # left-aligned: at the start of the print area


def test_a_centred_qr_is_centred_in_the_print_area() -> None:
    receipt = decode(ESC + b"a\x01" + qr_bytes(b"abc", size=4)).receipts[0]
    left, _, right, _ = ink_box(render_image(receipt, paper_dots=384))
    assert abs((left - BORDER_DOTS) - (BORDER_DOTS + 384 - right)) <= 1


@pytest.mark.parametrize("paper_dots", [576, 384])
def test_the_picture_is_the_print_area_plus_the_border(paper_dots: int) -> None:
    image = render_image(decode(b"x\n").receipts[0], paper_dots=paper_dots)
    assert image.width == paper_dots + 2 * BORDER_DOTS


def test_a_raster_image_is_drawn_dot_for_dot() -> None:
    rows = bytes([0xFF, 0x00, 0x81, 0x00, 0xFF, 0x00])  # 16×3, a frame in the first 8 columns
    receipt = decode(GS + b"v0\x00\x02\x00\x03\x00" + rows).receipts[0]
    image = render_image(receipt)
    assert ink_box(image) == (BORDER_DOTS, BORDER_DOTS, BORDER_DOTS + 8, BORDER_DOTS + 3)
    assert image.getpixel((BORDER_DOTS + 3, BORDER_DOTS + 1)) == 255
    assert image.getpixel((BORDER_DOTS + 7, BORDER_DOTS + 1)) == 0


def test_double_width_text_is_twice_as_wide_and_right_alignment_ends_at_the_edge() -> None:
    normal = ink_box(render_image(decode(b"MMMM\n").receipts[0]))
    double = ink_box(render_image(decode(GS + b"!\x10" + b"MMMM\n").receipts[0]))
    assert double[2] - double[0] == pytest.approx(2 * (normal[2] - normal[0]), abs=3)
    right = ink_box(render_image(decode(ESC + b"a\x02" + b"MMMM\n").receipts[0]))
    assert BORDER_DOTS + 576 - 4 <= right[2] <= BORDER_DOTS + 576


def test_bold_text_has_more_ink() -> None:
    def ink(data: bytes) -> int:
        image = render_image(decode(data).receipts[0])
        return sum(image.histogram()[:128])

    text = ESC + b"t\x11" + "ИТОГ 150\n".encode("cp866")
    assert ink(ESC + b"E\x01" + text) > ink(text)
