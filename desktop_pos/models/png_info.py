"""A PNG checked without decoding libraries: whole chunks, a valid header, image data that inflate.

``png_size`` is what the card slip needs before it prints a stored signature: a picture that
passes it can be decoded by Pillow and Qt, so a bad value is found when the slip is made (and
left off with a warning), not halfway through printing. Only the standard library is used, so
the check is cheap on any thread.
"""

from __future__ import annotations

import struct
import zlib

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_IMAGE_SIDE = 2048
"""A picture wider or higher than this (in its own pixels) is refused."""

_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}
"""Samples per pixel of each PNG colour type."""
_DEPTHS = {0: (1, 2, 4, 8, 16), 2: (8, 16), 3: (1, 2, 4, 8), 4: (8, 16), 6: (8, 16)}
_ADAM7 = (
    (0, 0, 8, 8),
    (4, 0, 8, 8),
    (0, 4, 4, 8),
    (2, 0, 4, 4),
    (0, 2, 2, 4),
    (1, 0, 2, 2),
    (0, 1, 1, 2),
)
"""Interlace passes: (x start, y start, x step, y step)."""


def _raw_size(width: int, height: int, depth: int, colour: int, interlaced: bool) -> int:
    """Bytes of the filtered image data: per row a filter byte and the packed samples."""
    bits = depth * _CHANNELS[colour]
    passes = _ADAM7 if interlaced else ((0, 0, 1, 1),)
    total = 0
    for x0, y0, dx, dy in passes:
        columns = (width - x0 + dx - 1) // dx if width > x0 else 0
        rows = (height - y0 + dy - 1) // dy if height > y0 else 0
        if columns and rows:
            total += rows * (1 + (columns * bits + 7) // 8)
    return total


def png_size(png: bytes, max_side: int = MAX_IMAGE_SIDE) -> tuple[int, int]:
    """Width and height of ``png``; ``ValueError`` saying what is wrong when it is not a whole
    PNG (signature, chunk lengths and CRCs, header, palette, image data of the header's size)
    or a side is above ``max_side`` pixels."""
    if not png.startswith(PNG_MAGIC):
        raise ValueError("not a PNG image")
    position = len(PNG_MAGIC)
    header: tuple[int, int, int, int, int, int, int] | None = None
    palette = False
    data = bytearray()
    while True:
        if position + 12 > len(png):
            raise ValueError("the PNG is cut short")
        length, kind = struct.unpack(">I4s", png[position : position + 8])
        body = png[position + 8 : position + 8 + length]
        crc = png[position + 8 + length : position + 12 + length]
        if len(body) != length or len(crc) != 4:
            raise ValueError("the PNG is cut short")
        if zlib.crc32(kind + body) != int.from_bytes(crc, "big"):
            raise ValueError(f"the PNG chunk {kind!r} is damaged (CRC)")
        position += 12 + length
        if header is None:
            if kind != b"IHDR" or length != 13:
                raise ValueError("the PNG does not start with its header")
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"PLTE":
            palette = True
        elif kind == b"IDAT":
            data += body
        elif kind == b"IEND":
            break
    width, height, depth, colour, compression, filtering, interlace = header
    if not (0 < width <= max_side and 0 < height <= max_side):
        raise ValueError(f"{width} × {height} pixels, at most {max_side} on a side")
    if depth not in _DEPTHS.get(colour, ()) or compression or filtering or interlace > 1:
        raise ValueError("the PNG header is not valid")
    if colour == 3 and not palette:
        raise ValueError("the PNG has no palette")
    expected = _raw_size(width, height, depth, colour, interlace == 1)
    inflater = zlib.decompressobj()
    try:
        raw = inflater.decompress(bytes(data), expected + 1)
    except zlib.error as exc:
        raise ValueError(f"the PNG image data cannot be inflated ({exc})") from None
    if len(raw) != expected:
        raise ValueError(f"the PNG image data are {len(raw)} bytes, its header needs {expected}")
    return width, height
