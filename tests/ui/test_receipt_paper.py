"""The preview paints the card slip's signature where the printer prints it: centred, two thirds
of the line wide, black and white; a picture Qt cannot read leaves room to sign."""

from __future__ import annotations

import PIL.Image
import pytest
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from desktop_pos.models.receipt import CardholderVerification
from desktop_pos.models.receipt_layout import (
    HANDWRITING_LINES,
    ImageBlock,
    TextLine,
    layout_document,
)
from desktop_pos.ui.receipt_paper import PAPER_MARGIN, ReceiptPaper
from tests.unit.models.test_receipt_layout import seed_slip
from tests.unit.models.test_receipt_layout_cvm import signature_png


def to_pil(image: QImage) -> PIL.Image.Image:
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    return PIL.Image.frombytes(
        "RGB", (rgb.width(), rgb.height()), bytes(rgb.constBits()), "raw", "RGB", rgb.bytesPerLine()
    )


def ink_box(picture: PIL.Image.Image) -> tuple[int, int, int, int]:
    box = PIL.Image.eval(picture.convert("L"), lambda v: 255 if v < 128 else 0).getbbox()
    assert box is not None
    return box


@pytest.mark.parametrize(("chars", "dots"), [(48, 576), (32, 384)])
def test_the_signature_is_painted_centred_at_its_printed_width(
    qtbot: QtBot, chars: int, dots: int
) -> None:
    png = signature_png((200, 60))
    doc = seed_slip(verification=CardholderVerification.SIGNATURE, signature_png=png)
    layout = layout_document(doc, chars)
    [block] = [e for e in layout if isinstance(e, ImageBlock)]
    paper = ReceiptPaper()
    qtbot.addWidget(paper)
    paper.set_layouts([layout], chars, dots)
    paper.show()
    qtbot.waitExposed(paper)

    width_dots = dots * 2 // 3
    assert paper.picture_dots(block) == (width_dots, round(60 * width_dots / 200))
    picture = paper.picture(block)
    assert picture is not None
    scale = paper.printable_width() / dots
    assert abs(picture.width() - dots * 2 / 3 * scale) <= 1

    # the widget paints the signature: the ink of the painted receipt in the picture's rows
    above = layout[: layout.index(block)]
    top = PAPER_MARGIN + sum(paper._element_height(e) for e in above)
    painted = to_pil(paper.grab().toImage())
    band = painted.crop((0, round(top), painted.width, round(top) + picture.height()))
    left, upper, right, lower = ink_box(band)
    assert abs((right - left) - picture.width()) <= 1
    assert abs((lower - upper) - picture.height()) <= 1
    middle = PAPER_MARGIN + paper.printable_width() / 2
    assert abs((left + right) / 2 - middle) <= 1
    colours = {colour for _count, colour in band.getcolors() or []}
    assert colours <= {(255, 255, 255), (17, 17, 17)}  # paper and ink only: black and white


def test_a_picture_qt_cannot_read_leaves_room_to_sign(qtbot: QtBot) -> None:
    block = ImageBlock(b"\x89PNG\r\n\x1a\nnot really", "подпись")
    paper = ReceiptPaper()
    qtbot.addWidget(paper)
    line_only = (TextLine("ПОДПИСЬ ПОКУПАТЕЛЯ:"),)
    paper.set_layouts([line_only], 48, 576)
    plain_height = paper.paper_size().height()

    paper.set_layouts([(*line_only, block)], 48, 576)

    assert paper.picture(block) is None
    grown = paper.paper_size().height() - plain_height
    assert grown == pytest.approx(paper._line * HANDWRITING_LINES, abs=1)
    paper.render_image(1.0)  # paints without the picture
