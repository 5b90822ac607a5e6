"""The card slip's signature on paper: a GS v 0 raster image of the scaled size, centred, read
back by the virtual printer dot for dot and drawn in its picture; transparency prints white; a
picture that cannot be read leaves room to sign and a warning, and the slip still prints."""

from __future__ import annotations

import io
import logging

import PIL.Image
import pytest
from PIL import ImageDraw

from desktop_pos.hardware.printer.escpos_render import render_escpos
from desktop_pos.hardware.printer.profile import PrinterProfile
from desktop_pos.models.receipt import CardholderVerification
from desktop_pos.models.receipt_layout import Cut, ImageBlock, TextLine, layout_document
from desktop_pos.sandbox.virtual_printer.decoded import DecodedReceipt
from desktop_pos.sandbox.virtual_printer.decoder import decode
from desktop_pos.sandbox.virtual_printer.picture import BORDER_DOTS, render_image
from tests.unit.models.test_receipt_layout import seed_slip
from tests.unit.models.test_receipt_layout_cvm import signature_png

GS = b"\x1d"


def signature_slip(profile: PrinterProfile, png: bytes) -> bytes:
    doc = seed_slip(verification=CardholderVerification.SIGNATURE, signature_png=png)
    return render_escpos(layout_document(doc, profile.chars_per_line), profile)


def raster_headers(data: bytes) -> list[tuple[int, int, int]]:
    """(mode, width in bytes, height) of every GS v 0 command."""
    found = []
    start = 0
    while (at := data.find(GS + b"v0", start)) >= 0:
        mode, width_bytes, height = data[at + 3], data[at + 4] + 256 * data[at + 5], data[at + 6]
        height += 256 * data[at + 7]
        found.append((mode, width_bytes, height))
        start = at + 8 + width_bytes * height
    return found


def ink_box(picture: PIL.Image.Image) -> tuple[int, int, int, int]:
    box = PIL.Image.eval(picture.convert("L"), lambda v: 255 if v < 128 else 0).getbbox()
    assert box is not None
    return box


@pytest.mark.parametrize(("paper", "width", "height"), [(80, 384, 115), (58, 256, 77)])
def test_the_signature_is_one_raster_image_two_thirds_of_the_line(
    paper: int, width: int, height: int
) -> None:
    profile = PrinterProfile(paper_mm=paper)
    data = signature_slip(profile, signature_png((200, 60)))

    # centred by padding to the paper's width, as the QR picture is
    assert raster_headers(data) == [(0, profile.dots_per_line // 8, height)]
    stream = decode(data)
    assert stream.complete and not stream.unknown and not stream.warnings
    [receipt] = stream.receipts
    [image] = receipt.images
    assert (image.width_dots, image.height_dots) == (profile.dots_per_line, height)
    black = [x for x in range(image.width_dots) if image.is_black(x, height // 2)]
    assert black[-1] - black[0] + 1 == width  # the frame's sides
    assert abs(black[0] - (profile.dots_per_line - 1 - black[-1])) <= 1  # centred
    text = [line.text.strip() for line in receipt.lines]
    at = text.index("ПОДПИСЬ ПОКУПАТЕЛЯ:")
    assert receipt.blocks.index(image) > receipt.blocks.index(receipt.lines[at])
    assert text[at + 1] == "_" * profile.chars_per_line


def test_the_virtual_printers_picture_shows_the_signature() -> None:
    profile = PrinterProfile(paper_mm=80)
    [receipt] = decode(signature_slip(profile, signature_png((200, 60)))).receipts
    [image] = receipt.images
    others = [block for block in receipt.blocks if block is not image]

    picture = render_image(receipt, paper_dots=profile.dots_per_line)
    without = render_image(DecodedReceipt(others, cut=True), paper_dots=profile.dots_per_line)
    alone = render_image(DecodedReceipt([image]), paper_dots=profile.dots_per_line)

    assert picture.height - without.height == image.height_dots
    left, top, right, bottom = ink_box(alone)
    assert (right - left, bottom - top) == (384, 115)
    assert left - BORDER_DOTS == (profile.dots_per_line - 384) // 2


def test_a_transparent_signature_prints_only_its_strokes() -> None:
    picture = PIL.Image.new("RGBA", (300, 100), (0, 0, 0, 0))  # transparent black paper
    ImageDraw.Draw(picture).line((10, 50, 290, 50), fill=(0, 0, 0, 255), width=4)
    out = io.BytesIO()
    picture.save(out, format="PNG")
    profile = PrinterProfile(paper_mm=80)

    [receipt] = decode(signature_slip(profile, out.getvalue())).receipts
    [image] = receipt.images

    dots = sum(bin(byte).count("1") for byte in image.pixels)
    assert 0 < dots < image.width_dots * image.height_dots // 20  # a line, not a black box
    assert not image.is_black(image.width_dots // 2, 0)


def test_a_picture_that_cannot_be_read_leaves_room_and_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    profile = PrinterProfile(paper_mm=80)
    layout = (TextLine("ПОДПИСЬ ПОКУПАТЕЛЯ:"), ImageBlock(b"\x89PNG\r\n\x1a\n", "подпись"), Cut())
    with caplog.at_level(logging.WARNING):
        data = render_escpos(layout, profile)

    assert GS + b"v0" not in data
    [receipt] = decode(data).receipts
    assert receipt.cut and not receipt.images
    assert [r.levelno for r in caplog.records if "подпись" in r.getMessage()] == [logging.WARNING]
