"""The printer's modes: what ESC @ resets and the other setting commands change."""

from __future__ import annotations

from dataclasses import dataclass

from desktop_pos.sandbox.virtual_printer.decoded import DEFAULT_LINE_SPACING, Align


@dataclass
class PrintModes:
    """Character and line modes set by ESC !, ESC E, GS !, ESC a, ESC 3, GS L and the like."""

    bold: bool = False
    width_mag: int = 1
    height_mag: int = 1
    underline: int = 0
    reverse: bool = False
    font: int = 0
    upside_down: bool = False
    align: Align = Align.LEFT
    line_spacing: int = DEFAULT_LINE_SPACING
    left_margin: int = 0
    area_width: int | None = None


@dataclass
class SymbolSettings:
    """QR, barcode and graphics settings, kept until ESC @."""

    qr_model: int = 2
    qr_module: int = 3
    qr_error: str = "L"
    qr_data: bytes | None = None
    barcode_height: int = 162
    barcode_width: int = 3
    hri_position: int = 0
    graphics: tuple[int, int, bytes] | None = None
    """A ``GS ( L`` graphic stored for printing: width, height, rows of dots."""


ALIGN_PARAMS = {0: Align.LEFT, 1: Align.CENTER, 2: Align.RIGHT}


def digit_param(value: int) -> int:
    """Parameters given either as 0/1/2 or as the ASCII digits '0'/'1'/'2'."""
    return value - 48 if 48 <= value <= 57 else value
