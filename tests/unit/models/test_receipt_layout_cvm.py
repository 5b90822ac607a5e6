"""The card slip's cardholder verification: PIN, signature (with the picture, or room to sign by
hand) and no CVM; a declined or unknown one prints nothing about it; the picture's size."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw

from desktop_pos.models.receipt import CardholderVerification, ReceiptDataError
from desktop_pos.models.receipt_layout import (
    HANDWRITING_LINES,
    ImageBlock,
    TextLine,
    image_dots,
    layout_document,
    layout_text,
)
from tests.unit.models.test_receipt_layout import SEED_SLIP, WIDTHS, normalized, seed_slip

PIN = CardholderVerification.PIN
SIGNATURE = CardholderVerification.SIGNATURE
NONE = CardholderVerification.NONE
AFTER_DATE = SEED_SLIP.index("Дата: 26.03.2019 10:52") + 1


def signature_png(size: tuple[int, int] = (200, 60)) -> bytes:
    """A framed stroke, black on white, 1 bit: its ink box is the whole picture."""
    picture = Image.new("1", size, 1)
    draw = ImageDraw.Draw(picture)
    draw.rectangle((0, 0, size[0] - 1, size[1] - 1), outline=0)
    draw.line((10, size[1] - 10, size[0] - 10, 10), fill=0, width=3)
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return out.getvalue()


def with_cvm(lines: list[str]) -> list[str]:
    """``SEED_SLIP`` with ``lines`` after the date."""
    return SEED_SLIP[:AFTER_DATE] + lines + SEED_SLIP[AFTER_DATE:]


@pytest.mark.parametrize("width", WIDTHS)
def test_a_pin_slip_says_so(width: int) -> None:
    layout = layout_document(seed_slip(verification=PIN), width)
    assert normalized(layout) == with_cvm(["ПОДТВЕРЖДЕНО ВВОДОМ ПИН-КОДА"])
    [line] = [e for e in layout if isinstance(e, TextLine) and "ПИН" in e.text]
    assert line.bold and line.align == "center"


@pytest.mark.parametrize("width", WIDTHS)
def test_a_slip_without_cvm_needs_no_signature(width: int) -> None:
    layout = layout_document(seed_slip(verification=NONE), width)
    assert normalized(layout) == with_cvm(["ПОДПИСЬ НЕ ТРЕБУЕТСЯ"])


@pytest.mark.parametrize("width", WIDTHS)
def test_a_signature_slip_carries_the_picture_over_a_line(width: int) -> None:
    png = signature_png()
    layout = layout_document(seed_slip(verification=SIGNATURE, signature_png=png), width)
    [image] = [e for e in layout if isinstance(e, ImageBlock)]
    assert image.png == png and image.label == "подпись"
    assert normalized(layout) == with_cvm(["ПОДПИСЬ ПОКУПАТЕЛЯ:", "[подпись]", "_" * width])
    text = layout_text(layout, width).splitlines()
    at = text.index("ПОДПИСЬ ПОКУПАТЕЛЯ:")
    assert text[at + 1].strip() == "[подпись]" and text[at + 2] == "_" * width


def test_a_signature_slip_without_a_picture_leaves_room_to_sign() -> None:
    layout = layout_document(seed_slip(verification=SIGNATURE), 32)
    assert not any(isinstance(e, ImageBlock) for e in layout)
    blank = [""] * HANDWRITING_LINES
    assert normalized(layout) == with_cvm(["ПОДПИСЬ ПОКУПАТЕЛЯ:", *blank, "_" * 32])


@pytest.mark.parametrize("verification", [PIN, SIGNATURE, NONE])
def test_a_declined_slip_keeps_its_lines(verification: CardholderVerification) -> None:
    png = signature_png() if verification is SIGNATURE else b""
    declined = seed_slip(approved=False, verification=verification, signature_png=png)
    plain = seed_slip(approved=False)
    assert layout_document(declined, 42) == layout_document(plain, 42)


def test_an_unknown_verification_prints_nothing_about_it() -> None:
    assert normalized(layout_document(seed_slip(verification=None), 48)) == SEED_SLIP


def test_the_document_refuses_a_signature_it_cannot_print() -> None:
    with pytest.raises(ReceiptDataError) as without_cvm:
        seed_slip(verification=PIN, signature_png=signature_png())
    assert without_cvm.value.field == "signature_png"
    with pytest.raises(ReceiptDataError, match="cut short"):
        seed_slip(verification=SIGNATURE, signature_png=signature_png()[:-10])
    with pytest.raises(ReceiptDataError) as unknown:
        seed_slip(verification="pin")
    assert unknown.value.field == "verification"


@pytest.mark.parametrize(
    ("size", "dots_per_line", "expected"),
    [
        ((200, 60), 576, (384, 115)),  # enlarged to 2/3 of the line
        ((600, 100), 384, (256, 43)),  # shrunk to 2/3 of the line
        ((640, 640), 576, (240, 240)),  # square: 30 mm high at most
        ((50, 400), 576, (30, 240)),
        ((4000, 1), 576, (384, 1)),  # never less than a dot
    ],
)
def test_a_picture_is_scaled_with_its_aspect_kept(
    size: tuple[int, int], dots_per_line: int, expected: tuple[int, int]
) -> None:
    block = ImageBlock(b"", "подпись")
    assert image_dots(block, *size, dots_per_line) == expected


def test_an_image_block_has_sane_limits() -> None:
    with pytest.raises(ValueError):
        ImageBlock(b"", "x", max_width=1.5)
    with pytest.raises(ValueError):
        ImageBlock(b"", "x", max_height_mm=0)
    with pytest.raises(ValueError):
        image_dots(ImageBlock(b"", "x"), 0, 10, 576)
