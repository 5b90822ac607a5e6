"""A picture of a decoded receipt, dot for dot: one pixel is one printer dot (203 dpi).

The picture is the paper: the print area (``paper_dots`` wide: 576 for 80 mm, 384 for 58 mm)
with a white border around it. Text is drawn in a monospace font scaled to the printer's
character cells (font A 12×24 dots, font B 9×17); QR codes are drawn from their payload at the
decoded module size and error level, so the picture shows the printed size.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps

from desktop_pos.sandbox.virtual_printer.decoded import (
    FONT_CELLS,
    Align,
    Block,
    CutKind,
    DecodedBarcode,
    DecodedFeed,
    DecodedImage,
    DecodedLine,
    DecodedQr,
    DecodedReceipt,
    DecodedSpan,
    qr_symbol,
)

PAPER_DOTS_80MM = 576
PAPER_DOTS_58MM = 384
BORDER_DOTS = 32
"""White paper around the print area (4 mm), so that a QR at the edge keeps a quiet zone."""
BARCODE_PLACEHOLDER_WIDTH = 240
MAX_HEIGHT_DOTS = 200_000

_FONT_FILES = {
    False: ("DejaVuSansMono.ttf", "DejaVu Sans Mono"),
    True: ("DejaVuSansMono-Bold.ttf", "DejaVu Sans Mono:bold"),
}
_FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/local/share/fonts"),
    Path("/Library/Fonts"),
    Path("C:/Windows/Fonts"),
)

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@functools.cache
def _font_path(bold: bool) -> str | None:
    file_name, pattern = _FONT_FILES[bold]
    for folder in _FONT_DIRS:
        candidate = folder / file_name
        if candidate.is_file():
            return str(candidate)
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    try:
        found = subprocess.run(
            [fc_match, "-f", "%{file}", pattern],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return found if found.lower().endswith((".ttf", ".otf")) and "Mono" in found else None


@functools.cache
def _font(bold: bool, cell_height: int) -> Font:
    path = _font_path(bold) or _font_path(False)
    if path is None:
        return ImageFont.load_default()
    # DejaVu Sans Mono's advance is 0.602 em: 20 px gives ≈ 12-dot cells.
    return ImageFont.truetype(path, size=max(int(cell_height * 0.83), 6))


@functools.cache
def _glyph(char: str, bold: bool, font: int) -> Image.Image:
    """One character in its cell, black on white."""
    cell_width, cell_height = FONT_CELLS.get(font, FONT_CELLS[0])
    image = Image.new("L", (cell_width, cell_height), 255)
    ImageDraw.Draw(image).text((0, 0), char, font=_font(bold, cell_height), fill=0)
    return image


def _span_image(span: DecodedSpan) -> Image.Image:
    cell_width, cell_height = FONT_CELLS.get(span.font, FONT_CELLS[0])
    width = max(cell_width * len(span.text), 1)
    image = Image.new("L", (width, cell_height), 255)
    for index, char in enumerate(span.text):
        if not char.isspace():
            image.paste(_glyph(char, span.bold, span.font), (index * cell_width, 0))
    if span.reverse:
        image = ImageOps.invert(image)
    ink = 255 if span.reverse else 0
    draw = ImageDraw.Draw(image)
    if span.underline:
        thickness = span.underline
        draw.rectangle((0, cell_height - thickness, width - 1, cell_height - 1), fill=ink)
    if span.width_mag > 1 or span.height_mag > 1:
        image = image.resize(
            (width * span.width_mag, cell_height * span.height_mag), Image.Resampling.NEAREST
        )
    return image


def _line_image(line: DecodedLine) -> Image.Image | None:
    parts = [_span_image(span) for span in line.spans if span.text]
    if not parts:
        return None
    height = max(part.height for part in parts)
    image = Image.new("L", (sum(part.width for part in parts), height), 255)
    x = 0
    for part in parts:
        image.paste(part, (x, height - part.height))  # characters share a baseline
        x += part.width
    if line.upside_down:
        image = image.rotate(180)
    return image


def qr_image(qr: DecodedQr) -> Image.Image:
    """The QR symbol at its printed size (no quiet zone), from its payload."""
    symbol = qr_symbol(qr.payload, qr.data, qr.error_level, qr.model)
    size = int(symbol.symbol_size(border=0)[0])
    image = Image.new("L", (size, size), 255)
    pixels = image.load()
    assert pixels is not None
    for y, row in enumerate(symbol.matrix_iter(border=0)):
        for x, dark in enumerate(row):
            if dark:
                pixels[x, y] = 0
    return image.resize((size * qr.module_size, size * qr.module_size), Image.Resampling.NEAREST)


def bit_image(image: DecodedImage) -> Image.Image:
    picture = Image.frombytes(
        "1", (image.width_dots, image.height_dots), image.pixels, "raw", "1;I"
    )
    return picture.convert("L")


def _barcode_image(barcode: DecodedBarcode) -> Image.Image:
    """Barcodes are not drawn bar by bar: a framed box with the data shows where one is."""
    height = max(barcode.height_dots, 24)
    image = Image.new("L", (BARCODE_PLACEHOLDER_WIDTH, height + 24), 255)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, BARCODE_PLACEHOLDER_WIDTH - 1, height - 1), outline=0, width=2)
    for x in range(8, BARCODE_PLACEHOLDER_WIDTH - 8, 6):
        draw.line((x, 6, x, height - 7), fill=0, width=2 if x % 12 else 1)
    draw.text((4, height + 2), barcode.text[:30], font=_font(False, 24), fill=0)
    return image


def _x_for(width: int, align: Align, left_margin: int, area_width: int | None, paper: int) -> int:
    area = paper - left_margin if area_width is None else min(area_width, paper - left_margin)
    if align is Align.CENTER:
        return left_margin + max((area - width) // 2, 0)
    if align is Align.RIGHT:
        return left_margin + max(area - width, 0)
    return left_margin


def _place(block: Block, paper_dots: int) -> tuple[Image.Image | None, int, int]:
    """The block's picture, its x in the print area and the paper it advances."""
    if isinstance(block, DecodedFeed):
        return None, 0, block.dots
    if isinstance(block, DecodedLine):
        image = _line_image(block)
        width = 0 if image is None else image.width
        x = _x_for(width, block.align, block.left_margin, block.area_width, paper_dots)
        advance = max(block.height_dots, 0 if image is None else image.height)
        return image, x, advance
    if isinstance(block, DecodedQr):
        image = qr_image(block)
    elif isinstance(block, DecodedImage):
        image = bit_image(block)
    else:
        image = _barcode_image(block)
    left_margin = 0 if isinstance(block, DecodedBarcode) else block.left_margin
    area_width = None if isinstance(block, DecodedBarcode) else block.area_width
    x = _x_for(image.width, block.align, left_margin, area_width, paper_dots)
    return image, x, image.height


def render_image(receipt: DecodedReceipt, *, paper_dots: int = PAPER_DOTS_80MM) -> Image.Image:
    """The receipt as a greyscale Pillow image (white paper, black dots)."""
    placed = [_place(block, paper_dots) for block in receipt.blocks]
    content_height = min(sum(advance for _, _, advance in placed), MAX_HEIGHT_DOTS)
    canvas = Image.new("L", (paper_dots + 2 * BORDER_DOTS, content_height + 2 * BORDER_DOTS), 255)
    y = BORDER_DOTS
    for image, x, advance in placed:
        if y >= BORDER_DOTS + content_height:
            break
        if image is not None:
            visible = image.crop((0, 0, min(image.width, paper_dots - x), image.height))
            canvas.paste(visible, (BORDER_DOTS + x, y))
        y += advance
    if receipt.cut:
        draw = ImageDraw.Draw(canvas)
        bottom = canvas.height - 2
        step = 16 if receipt.cut_kind is CutKind.FULL else 8
        for x in range(0, canvas.width, step):
            draw.line((x, bottom, x + step // 2, bottom), fill=0, width=2)
    return canvas


def render_png(receipt: DecodedReceipt, path: Path, *, paper_dots: int = PAPER_DOTS_80MM) -> None:
    """Save the picture of ``receipt`` as a PNG at ``path``."""
    render_image(receipt, paper_dots=paper_dots).save(path, format="PNG")
