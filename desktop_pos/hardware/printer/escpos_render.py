"""ESC/POS bytes for a laid-out document, built with python-escpos' ``Dummy`` printer.

The stream: ``ESC @`` (initialize), the code page (``ESC t n``), then per line its alignment
(``ESC a``), bold (``ESC E``) and size (``ESC !``) when they change, the text in the code page
and a line feed; the receipt QR as the printer's QR (``GS ( k``, module size chosen so the symbol
is at least 20 mm = 160 dots wide) or as a picture (``GS v 0``); a picture of the layout (the
card slip's signature) as a black-and-white raster image (``GS v 0``) of the size ``image_dots``
gives, centred; blank lines; and the cut (``ESC d 6`` + ``GS V``). Nothing here sends anything:
the bytes go to a printer connection.

Characters the code page lacks never reach the printer as they are: "₽" becomes "руб.", a few
typographic signs have plain stand-ins ("№" → "N" where the page has no "№"), anything else
prints as "?"; control characters in texts are replaced too, so a text cannot carry commands.
"""

from __future__ import annotations

import io
import logging
import math
import re
from functools import cache
from typing import Any

from desktop_pos.hardware.printer.errors import PrinterSettingsError
from desktop_pos.hardware.printer.profile import PrinterProfile, escpos_model_data, qr_min_dots
from desktop_pos.models.png_info import png_size
from desktop_pos.models.receipt_layout import (
    HANDWRITING_LINES,
    Align,
    Cut,
    Feed,
    ImageBlock,
    PrintLayout,
    QrBlock,
    TextLine,
    image_dots,
    wrap,
)
from desktop_pos.models.texts import LocalizedText

log = logging.getLogger(__name__)

ESC = b"\x1b"
QR_MAX_MODULE = 16
QR_MIN_MODULE = 2
"""Modules of one dot (0.125 mm) are too fine for phone cameras."""
QR_RASTER_BORDER = 2
"""Quiet-zone modules drawn around a QR sent as a picture."""
INK_THRESHOLD = 160
"""A scaled picture's grey below this prints as a dot (thin strokes stay whole when shrunk)."""

# Byte capacity of QR versions 1–40 at error correction level M (ISO/IEC 18004, byte mode).
_QR_CAPACITY_M = (
    14, 26, 42, 62, 84, 106, 122, 152, 180, 213, 251, 287, 331, 362, 412, 450, 504, 560, 624, 666,
    711, 779, 857, 911, 997, 1059, 1125, 1190, 1264, 1370, 1452, 1538, 1628, 1722, 1809, 1911,
    1989, 2099, 2213, 2331,
)  # fmt: skip

_STAND_INS = {
    "₽": "руб.",
    "№": "N",
    "«": '"',
    "»": '"',
    "„": '"',
    "“": '"',
    "”": '"',
    "‘": "'",
    "’": "'",
    "–": "-",
    "—": "-",
    "−": "-",
    "…": "...",
    "\u00a0": " ",
    "\u202f": " ",
    "\t": " ",
    "Ё": "Е",
    "ё": "е",
}


def qr_modules(payload: str) -> int:
    """Modules per side of the QR (error correction M) a printer makes of ``payload``."""
    size = len(payload.encode("utf-8"))
    for version, capacity in enumerate(_QR_CAPACITY_M, start=1):
        if size <= capacity:
            return 17 + 4 * version
    raise ValueError(f"a QR code cannot hold {size} bytes")


def qr_module_size(payload: str, min_width_mm: float, dots_per_line: int) -> int:
    """Dots per module so the symbol is at least ``min_width_mm`` wide yet fits the line."""
    modules = qr_modules(payload)
    size = max(QR_MIN_MODULE, math.ceil(qr_min_dots(min_width_mm) / modules))
    widest = dots_per_line // (modules + 2 * QR_RASTER_BORDER)
    return max(1, min(size, widest, QR_MAX_MODULE))


@cache
def _unprintable(characters: frozenset[str]) -> re.Pattern[str]:
    """A pattern matching any character outside ``characters``."""
    return re.compile("[^" + "".join(re.escape(ch) for ch in sorted(characters)) + "]")


def printable(text: str, characters: frozenset[str]) -> str:
    """``text`` with every character the code page lacks replaced by a stand-in or "?"."""
    pattern = _unprintable(characters)
    if pattern.search(text) is None:
        return text

    def stand_in(match: re.Match[str]) -> str:
        replacement = _STAND_INS.get(match.group(), "?")
        return pattern.sub("?", replacement)

    return pattern.sub(stand_in, text)


@cache
def _escpos_profile(model: str, dots_per_line: int) -> Any:
    """The model's python-escpos profile with the paper's width in dots (needed to centre)."""
    from escpos.capabilities import BaseProfile

    data = dict(escpos_model_data(model))
    media = dict(data.get("media", {}))
    media["width"] = {**dict(media.get("width", {})), "pixels": dots_per_line}
    media["dpi"] = 203
    data["media"] = media
    name = "".join(ch for ch in model if ch.isalnum())
    profile_class = type(f"Receipt{name}Profile", (BaseProfile,), {"profile_data": data})
    return profile_class()


class _Renderer:
    def __init__(self, profile: PrinterProfile) -> None:
        from escpos.magicencode import Encoder, MagicEncode
        from escpos.printer import Dummy

        self.profile = profile
        page = profile.resolved_code_page
        self.printer: Any = Dummy(profile=profile.model)
        self.printer.profile = _escpos_profile(profile.model, profile.dots_per_line)
        if page.in_escpos:
            encoder = Encoder({page.name: page.table})
            self.printer.magic = MagicEncode(self.printer, encoder=encoder)
        self.align: Align | None = None
        self.bold: bool | None = None
        self.double: bool | None = None

    def start(self) -> None:
        self.printer.hw("INIT")
        page = self.profile.resolved_code_page
        if page.in_escpos:
            self.printer.charcode(page.name)
        else:
            self.printer._raw(ESC + b"t" + bytes([page.table]))

    def _style(self, align: Align, bold: bool, double: bool) -> None:
        if double != self.double:
            # ESC ! sets the size and clears bold, so bold is sent again after it
            self.printer.set(double_width=double, double_height=double, normal_textsize=True)
            self.double = double
            self.bold = None
        if bold != self.bold:
            self.printer.set(bold=bold)
            self.bold = bold
        if align != self.align:
            self.printer.set(align=align.value)
            self.align = align

    def _write(self, text: str) -> None:
        # The text is already limited to the page's characters (``printable``), so Python's
        # codec gives the bytes python-escpos' encoder would give, without its per-character loop.
        self.printer._raw(text.encode(self.profile.resolved_code_page.python_codec))

    def line(self, line: TextLine) -> None:
        self._style(line.align, line.bold, line.double)
        text = printable(line.text, self.profile.characters)
        limit = self.profile.chars_per_line // (2 if line.double else 1)
        for part in wrap(text, limit) if len(text) > limit else (text,):
            self._write(part + "\n")

    def qr(self, block: QrBlock) -> None:
        from escpos.constants import QR_ECLEVEL_M

        self._style(Align.CENTER, False, False)
        size = qr_module_size(block.payload, block.min_width_mm, self.profile.dots_per_line)
        if self.profile.qr_native:
            self.printer.qr(block.payload, ec=QR_ECLEVEL_M, size=size, native=True)
            self._write("\n")
        else:
            self.printer.image(_qr_picture(block.payload, size), center=True)

    def image(self, block: ImageBlock) -> None:
        """The picture centred as a raster image; one that cannot be read leaves blank lines
        (a warning is logged), so the document still prints."""
        picture = printed_picture(block, self.profile.dots_per_line)
        if picture is None:
            self.feed(Feed(HANDWRITING_LINES))
            return
        self._style(Align.CENTER, False, False)
        self.printer.image(picture, center=True)

    def feed(self, feed: Feed) -> None:
        if feed.lines > 0:
            self._write("\n" * feed.lines)

    def cut(self) -> None:
        self.printer.cut()
        self.align = None  # the next document sets its styles afresh

    def output(self) -> bytes:
        data: bytes = self.printer.output
        return data


def _qr_picture(payload: str, module: int) -> Any:
    """The QR as a black-on-white picture with a quiet zone, ``module`` dots per module."""
    import segno
    from PIL import Image

    code = segno.make(payload, error="m", micro=False, boost_error=False)
    side = int(code.symbol_size(border=QR_RASTER_BORDER)[0])
    picture = Image.new("L", (side, side), 255)
    pixels = bytearray(b"\xff" * side * side)
    for y, row in enumerate(code.matrix_iter(border=QR_RASTER_BORDER)):
        base = y * side
        for x, dark in enumerate(row):
            if dark:
                pixels[base + x] = 0
    picture.frombytes(bytes(pixels))
    return picture.resize((side * module, side * module), Image.Resampling.NEAREST)


def printed_picture(block: ImageBlock, dots_per_line: int) -> Any:
    """The picture of ``block`` as the printer prints it: a black-and-white Pillow image
    (mode "1") of ``image_dots`` size, transparency on white paper; None (and a warning in the
    log) when the PNG cannot be read."""
    from PIL import Image

    try:
        png_size(block.png)
        with Image.open(io.BytesIO(block.png), formats=["PNG"]) as source:
            rgba = source.convert("RGBA")
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        log.warning("The %s picture is not printed: %s", block.label, exc)
        return None
    paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    grey = Image.alpha_composite(paper, rgba).convert("L")
    width, height = image_dots(block, grey.width, grey.height, dots_per_line)
    shrinking = width < grey.width
    method = Image.Resampling.BOX if shrinking else Image.Resampling.BILINEAR
    scaled = grey.resize((width, height), method)
    return scaled.point(lambda value: 0 if value < INK_THRESHOLD else 255).convert(
        "1", dither=Image.Dither.NONE
    )


def render_escpos(layout: PrintLayout, profile: PrinterProfile) -> bytes:
    """The ESC/POS bytes that print ``layout`` on a printer described by ``profile``."""
    renderer = _Renderer(profile)
    renderer.start()
    for element in layout:
        if isinstance(element, TextLine):
            renderer.line(element)
        elif isinstance(element, QrBlock):
            renderer.qr(element)
        elif isinstance(element, ImageBlock):
            renderer.image(element)
        elif isinstance(element, Feed):
            renderer.feed(element)
        elif isinstance(element, Cut):
            renderer.cut()
    return renderer.output()


def drawer_kick_bytes(pin: int = 2, on_ms: int = 100, off_ms: int = 100) -> bytes:
    """``ESC p m t1 t2``: a pulse on drawer connector pin 2 (m = 0) or 5 (m = 1).

    The printer holds the pulse ``t1 × 2`` ms and pauses ``t2 × 2`` ms, so the times are rounded
    up to even milliseconds, 2–510 ms.
    """
    if isinstance(pin, bool) or pin not in (2, 5):
        raise PrinterSettingsError(
            LocalizedText(
                f"Контакт денежного ящика — 2 или 5, указано «{pin}».",
                f"The cash drawer pin is 2 or 5, got “{pin}”.",
            ),
            field="drawer_pin",
        )
    for name, value in (("on_ms", on_ms), ("off_ms", off_ms)):
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 510:
            raise PrinterSettingsError(
                LocalizedText(
                    f"Длительность импульса денежного ящика ({name}) — от 1 до 510 мс, "
                    f"указано «{value}».",
                    f"The cash drawer pulse time ({name}) must be 1 to 510 ms, got “{value}”.",
                ),
                field=name,
            )
    return ESC + b"p" + bytes([0 if pin == 2 else 1, (on_ms + 1) // 2, (off_ms + 1) // 2])
