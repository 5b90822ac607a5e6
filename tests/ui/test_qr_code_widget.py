"""The QR code widget: scannable (decoded with zxing-cpp) and never below its physical size."""

from __future__ import annotations

from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from pytestqt.qtbot import QtBot

from desktop_pos.ui.qr_code_widget import QrCodeWidget, min_side_px, qr_matrix

LINK = "https://qr.nspk.ru/AD000000000000000000000000000000?type=02&bank=100000000111&sum=1424&cur=RUB&crc=ABCD"


@pytest.mark.parametrize(
    ("dpi", "ratio", "expected"),
    [(96, 1.0, 76), (144, 1.0, 114), (144, 1.5, 76), (192, 2.0, 76)],
)
def test_20_mm_in_logical_pixels(dpi: float, ratio: float, expected: int) -> None:
    side = min_side_px(20, dpi, ratio)
    assert side == expected
    assert side * ratio / dpi * 25.4 >= 20  # at least 20 mm on the glass


def test_a_bad_resolution_is_refused() -> None:
    with pytest.raises(ValueError):
        min_side_px(20, 0)


def test_short_payloads_are_never_micro_qr() -> None:
    assert len(qr_matrix("1")) >= 21  # a Micro QR is 11..17 modules


def test_the_grab_decodes_to_the_payload_black_on_white(qtbot: QtBot, tmp_path: Path) -> None:
    widget = QrCodeWidget()
    qtbot.addWidget(widget)
    widget.set_payload(LINK)
    widget.resize(widget.minimumSizeHint())
    widget.show()
    qtbot.waitExposed(widget)
    path = tmp_path / "qr.png"
    widget.grab().save(str(path))
    image = Image.open(path).convert("L")
    assert {value for _count, value in image.getcolors()} == {
        0,
        255,
    }  # two colours only: full contrast, sharp edges
    [code] = zxingcpp.read_barcodes(image)
    assert code.text == LINK
    assert widget.symbol_rect().width() >= min_side_px(20, widget.screen().physicalDotsPerInch())
