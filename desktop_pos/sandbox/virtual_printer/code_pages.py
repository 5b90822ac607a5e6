"""Character code tables selected by ``ESC t n``: table number → Python codec.

The numbers are those of the Epson command reference (page 0 PC437 … page 53 KZ-1048). Many
compatible printers number their tables differently (a Russian table at 59 or 73, for example);
``code_page_table`` merges such a model's own numbers over these.
"""

from __future__ import annotations

import codecs
from collections.abc import Mapping

EPSON_CODE_PAGES: Mapping[int, str] = {
    0: "cp437",
    2: "cp850",
    3: "cp860",
    4: "cp863",
    5: "cp865",
    13: "cp857",
    14: "cp737",
    15: "iso8859_7",
    16: "cp1252",
    17: "cp866",
    18: "cp852",
    19: "cp858",
    32: "cp720",
    33: "cp775",
    34: "cp855",
    35: "cp861",
    36: "cp862",
    37: "cp864",
    38: "cp869",
    39: "iso8859_2",
    40: "iso8859_15",
    44: "cp1125",
    45: "cp1250",
    46: "cp1251",
    47: "cp1253",
    48: "cp1254",
    49: "cp1255",
    50: "cp1256",
    51: "cp1257",
    52: "cp1258",
    53: "kz1048",
}

COMPATIBLE_EXTRAS: Mapping[int, str] = {59: "cp866"}
"""Numbers the Epson reference leaves free that common compatible printers use for Cyrillic."""

DEFAULT_CODE_PAGES: Mapping[int, str] = {**EPSON_CODE_PAGES, **COMPATIBLE_EXTRAS}

DEFAULT_TABLE = 0
"""The table selected at power-on and by ``ESC @``."""


class CodePageError(ValueError):
    """A code-page table entry names no Python codec or no single-byte table number."""


def code_page_table(overrides: Mapping[int, str] | None = None) -> dict[int, str]:
    """The default table with ``overrides`` merged over it; every codec name is checked."""
    table = dict(DEFAULT_CODE_PAGES)
    for number, codec in (overrides or {}).items():
        if not 0 <= number <= 255:
            raise CodePageError(f"code table {number}: expected 0-255")
        try:
            table[number] = codecs.lookup(codec).name
        except LookupError:
            raise CodePageError(f"code table {number}: {codec!r} is no known codec") from None
    return table
