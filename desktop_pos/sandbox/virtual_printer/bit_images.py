"""Bit images of the ESC/POS reference as rows of dots: ``GS v 0`` (raster), ``ESC *`` (one
band of 8 or 24 dots, column format) and ``GS ( L`` function 112 (raster graphics).

Each function takes the command's parameter bytes and returns ``(width, height, pixels)``:
rows of ``ceil(width / 8)`` bytes, most significant bit leftmost, 1 = black, already scaled to
the printed size; None when the parameters do not describe an image.
"""

from __future__ import annotations

BitImage = tuple[int, int, bytes]


def widen(row: bytes, width: int, factor: int) -> bytes:
    """Every dot of ``row`` repeated ``factor`` times horizontally."""
    out = bytearray((width * factor + 7) // 8)
    for x in range(width):
        if row[x // 8] & (0x80 >> (x % 8)):
            for i in range(factor):
                target = x * factor + i
                out[target // 8] |= 0x80 >> (target % 8)
    return bytes(out)


def scaled(rows: list[bytes], width: int, scale_x: int, scale_y: int) -> BitImage:
    if scale_x > 1:
        rows = [widen(row, width, scale_x) for row in rows]
    tall = [row for row in rows for _ in range(scale_y)]
    return width * scale_x, len(tall), b"".join(tall)


def raster_image(params: bytes) -> BitImage | None:
    """``GS v 0 m xL xH yL yH d…``: m 0 normal, 1 double width, 2 double height, 3 both."""
    mode = params[0] - 48 if params[0] >= 48 else params[0]
    width_bytes = params[1] + 256 * params[2]
    height = params[3] + 256 * params[4]
    data = params[5:]
    if len(data) < width_bytes * height:
        return None
    rows = [data[y * width_bytes : (y + 1) * width_bytes] for y in range(height)]
    return scaled(rows, width_bytes * 8, 2 if mode in (1, 3) else 1, 2 if mode in (2, 3) else 1)


def column_image(params: bytes) -> BitImage | None:
    """``ESC * m nL nH d…``: one byte per 8 vertical dots, top dot in the high bit. Single
    density (m 0, 32) prints every dot twice as wide; 8-dot modes (m 0, 1) three times as tall
    (their vertical density is a third of the 24-dot modes')."""
    mode, columns = params[0], params[1] + 256 * params[2]
    data = params[3:]
    depth = 1 if mode in (0, 1) else 3
    if len(data) < columns * depth:
        return None
    row_bytes = (columns + 7) // 8
    rows = [bytearray(row_bytes) for _ in range(depth * 8)]
    for x in range(columns):
        for part in range(depth):
            byte = data[x * depth + part]
            for bit in range(8):
                if byte & (0x80 >> bit):
                    rows[part * 8 + bit][x // 8] |= 0x80 >> (x % 8)
    scale_x = 2 if mode in (0, 32) else 1
    scale_y = 3 if mode in (0, 1) else 1
    return scaled([bytes(row) for row in rows], columns, scale_x, scale_y)


def graphics_image(params: bytes) -> BitImage | None:
    """``GS ( L`` function 112 after ``pL pH``: ``m fn a bx by c xL xH yL yH d…``."""
    if len(params) < 10:
        return None
    scale_x, scale_y = params[3], params[4]
    width, height = params[6] + 256 * params[7], params[8] + 256 * params[9]
    row_bytes = (width + 7) // 8
    data = params[10:]
    if scale_x not in (1, 2) or scale_y not in (1, 2) or len(data) < row_bytes * height:
        return None
    rows = [data[y * row_bytes : (y + 1) * row_bytes] for y in range(height)]
    return scaled(rows, row_bytes * 8, scale_x, scale_y)
