"""The PNG check the card slip makes before printing a signature: Pillow's PNGs of every colour
type pass with their size; cut, damaged, oversized and non-PNG data are refused, saying why."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from desktop_pos.models.png_info import MAX_IMAGE_SIDE, png_size


def png_of(mode: str, size: tuple[int, int] = (37, 13)) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size).save(out, format="PNG")
    return out.getvalue()


@pytest.mark.parametrize("mode", ["1", "L", "LA", "P", "RGB", "RGBA", "I;16"])
def test_pngs_of_every_colour_type_give_their_size(mode: str) -> None:
    assert png_size(png_of(mode)) == (37, 13)


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda png: png[:-6], "cut short"),
        (lambda png: png[:30], "cut short"),
        (lambda png: png.replace(b"IDAT", b"IDAx"), "damaged (CRC)"),
        (lambda png: b"GIF89a" + png[6:], "not a PNG"),
        (lambda png: b"", "not a PNG"),
    ],
)
def test_damaged_data_are_refused_with_the_reason(damage, reason: str) -> None:
    with pytest.raises(ValueError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        png_size(damage(png_of("1")))


def test_image_data_shorter_than_the_header_says_are_refused() -> None:
    # the header chunk of a 4 × 5 picture with the image data of a 4 × 4 one
    small, large = png_of("L", (4, 4)), png_of("L", (4, 5))
    spliced = small[:8] + large[8:33] + small[33:]
    with pytest.raises(ValueError, match="its header needs"):
        png_size(spliced)


def test_a_picture_larger_than_the_limit_is_refused() -> None:
    assert png_size(png_of("1", (MAX_IMAGE_SIDE, 8))) == (MAX_IMAGE_SIDE, 8)
    with pytest.raises(ValueError, match="at most 2048 on a side"):
        png_size(png_of("1", (MAX_IMAGE_SIDE + 1, 8)))
    with pytest.raises(ValueError, match="at most 100"):
        png_size(png_of("1", (101, 8)), max_side=100)
