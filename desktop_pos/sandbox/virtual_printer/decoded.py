"""The decoded print-out: what a printer would produce from an ESC/POS stream, as plain data
(text lines with styles, QR codes, bit images, barcodes, feeds, cuts; drawer pulses and status
requests). ``decoder`` fills these in; ``picture`` draws them.

Units: one motion unit is one dot (203 dpi printers: 8 dots per mm).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import segno

from desktop_pos.sandbox.virtual_printer.commands import Command

FONT_CELLS = {0: (12, 24), 1: (9, 17), 2: (9, 17)}
"""Character cell (width, height) in dots of fonts A, B and C."""
DEFAULT_LINE_SPACING = 30
"""1/6 inch at 180 motion units per inch, the ``ESC 2`` spacing."""
TAB_WIDTH = 8
QR_ERROR_LEVELS = {48: "L", 49: "M", 50: "Q", 51: "H"}


class Align(StrEnum):
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


class CutKind(StrEnum):
    FULL = "full"
    PARTIAL = "partial"


@dataclass(frozen=True)
class DecodedSpan:
    """A run of characters printed in one style."""

    text: str
    bold: bool = False
    width_mag: int = 1
    height_mag: int = 1
    underline: int = 0
    reverse: bool = False
    font: int = 0

    def same_style(self, other: DecodedSpan) -> bool:
        return (self.bold, self.width_mag, self.height_mag, self.underline, self.reverse) == (
            other.bold,
            other.width_mag,
            other.height_mag,
            other.underline,
            other.reverse,
        ) and self.font == other.font


@dataclass(frozen=True)
class DecodedLine:
    """One printed line. ``bold``/``double_width``/``double_height`` hold when every non-blank
    character of the line has them (``spans`` has the detail); ``double_*`` means ≥ 2×."""

    text: str
    align: Align = Align.LEFT
    bold: bool = False
    double_width: bool = False
    double_height: bool = False
    spans: tuple[DecodedSpan, ...] = ()
    underline: bool = False
    reverse: bool = False
    upside_down: bool = False
    height_dots: int = DEFAULT_LINE_SPACING
    """Paper advanced by the line: its line spacing or its tallest character."""
    left_margin: int = 0
    area_width: int | None = None
    wrapped: bool = False
    """Ended by the printer's automatic wrap (the text did not fit the print area)."""
    offset: int = 0


@dataclass(frozen=True)
class DecodedQr:
    payload: str
    module_size: int
    width_dots: int
    """Printed width without the quiet zone: modules per side × module size."""
    error_level: str = "L"
    model: int = 2
    version: int = 0
    data: bytes = b""
    align: Align = Align.LEFT
    left_margin: int = 0
    area_width: int | None = None
    offset: int = 0


@dataclass(frozen=True)
class DecodedImage:
    """A printed bit image. ``pixels``: rows of ``ceil(width_dots / 8)`` bytes, most significant
    bit leftmost, 1 = black, already scaled to the printed size."""

    width_dots: int
    height_dots: int
    pixels: bytes
    align: Align = Align.LEFT
    command: str = "GS v 0"
    left_margin: int = 0
    area_width: int | None = None
    offset: int = 0

    @property
    def row_bytes(self) -> int:
        return (self.width_dots + 7) // 8

    def is_black(self, x: int, y: int) -> bool:
        byte = self.pixels[y * self.row_bytes + x // 8]
        return bool(byte & (0x80 >> (x % 8)))


@dataclass(frozen=True)
class DecodedBarcode:
    system: int
    data: bytes
    height_dots: int = 162
    module_width: int = 3
    hri_position: int = 0
    align: Align = Align.LEFT
    offset: int = 0

    @property
    def text(self) -> str:
        return self.data.decode("ascii", errors="replace")


@dataclass(frozen=True)
class DecodedFeed:
    dots: int
    offset: int = 0


Block = DecodedLine | DecodedQr | DecodedImage | DecodedBarcode | DecodedFeed


@dataclass
class DecodedReceipt:
    """What was printed between two cuts, in order (``blocks``)."""

    blocks: list[Block] = field(default_factory=list)
    cut: bool = False
    cut_kind: CutKind | None = None
    start_offset: int = 0
    end_offset: int = 0
    """Offset just past the cut command (or past the last command)."""

    @property
    def lines(self) -> list[DecodedLine]:
        return [b for b in self.blocks if isinstance(b, DecodedLine)]

    @property
    def qr_codes(self) -> list[DecodedQr]:
        return [b for b in self.blocks if isinstance(b, DecodedQr)]

    @property
    def images(self) -> list[DecodedImage]:
        return [b for b in self.blocks if isinstance(b, DecodedImage)]

    @property
    def barcodes(self) -> list[DecodedBarcode]:
        return [b for b in self.blocks if isinstance(b, DecodedBarcode)]

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


@dataclass(frozen=True)
class DrawerPulse:
    pin: int
    """Drawer kick-out connector pin: 2 or 5."""
    on_ms: int
    off_ms: int
    offset: int = 0
    real_time: bool = False
    """Sent as ``DLE DC4 1`` (real-time) rather than ``ESC p``."""


@dataclass
class DecodedStream:
    receipts: list[DecodedReceipt] = field(default_factory=list)
    drawer_pulses: list[DrawerPulse] = field(default_factory=list)
    status_requests: list[int] = field(default_factory=list)
    """``n`` of every ``DLE EOT n``, in order."""
    unknown: list[str] = field(default_factory=list)
    """Commands that could not be decoded (unknown, malformed, truncated), with offsets."""
    warnings: list[str] = field(default_factory=list)
    """Decoded, but a real printer would not print it as the sender probably meant."""
    commands: list[Command] = field(default_factory=list)
    """Every command in order (text runs included)."""
    complete: bool = True
    """False when decoding stopped at malformed or truncated input."""

    @property
    def text(self) -> str:
        return "\n".join(receipt.text for receipt in self.receipts)


def qr_symbol(payload: str, data: bytes, error_level: str, model: int) -> segno.QRCode:
    """The symbol a printer makes of ``data``: the error level as given (never raised), the
    smallest version, model 2 (model 0: Micro QR). Raises segno.DataOverflowError."""
    return segno.make(
        payload if payload.isascii() else data,
        error=error_level.lower(),
        micro=model == 0,
        boost_error=False,
    )
