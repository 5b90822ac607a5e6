"""ESC/POS command syntax: how many bytes each command takes, so that a byte stream splits into
commands and runs of printable text.

Written from the Epson ESC/POS Application Programming Guide (command reference): each entry
below gives the command's name bytes and the length of its parameters. ``Tokenizer`` is
incremental: a command that straddles two reads is kept until its last byte has arrived.
The meaning of each command is applied by ``decoder``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

NUL = 0x00
EOT = 0x04
ENQ = 0x05
HT = 0x09
LF = 0x0A
FF = 0x0C
CR = 0x0D
DLE = 0x10
DC4 = 0x14
CAN = 0x18
ESC = 0x1B
FS = 0x1C
GS = 0x1D

MAX_DATA_BYTES = 8 * 1024 * 1024
"""A command whose declared data is larger than this is treated as malformed (no printer
has a buffer that big; without a limit one bad length byte would swallow the stream)."""


class MalformedCommandError(ValueError):
    """A known command with parameters the reference does not allow."""


Measure = Callable[[bytes, int], "int | None"]
"""``measure(buf, start)``: the number of parameter bytes of a command whose parameters begin
at ``buf[start]``; None while more bytes are needed; raises MalformedCommandError."""


@dataclass(frozen=True)
class Command:
    """One command (or a run of text, ``name == "TEXT"``) at ``offset`` in the stream."""

    offset: int
    name: str
    raw: bytes
    params: bytes
    """The bytes after the name bytes (for TEXT: the text bytes)."""

    def param(self, index: int) -> int:
        return self.params[index]

    def u16(self, index: int) -> int:
        """A little-endian ``nL nH`` pair starting at parameter ``index``."""
        return self.params[index] + 256 * self.params[index + 1]

    def describe(self) -> str:
        shown = self.params[:16].hex(" ")
        more = " …" if len(self.params) > 16 else ""
        return f"{self.name} {shown}{more}".rstrip() + f" at offset {self.offset}"


@dataclass(frozen=True)
class UnknownBytes:
    """Bytes that are no command of the reference (skipped: the next byte is read again)."""

    offset: int
    raw: bytes

    def describe(self) -> str:
        return f"unknown {_spell(self.raw)} at offset {self.offset}"


@dataclass(frozen=True)
class Malformed:
    """A known command with impossible parameters; the rest of the stream cannot be trusted."""

    offset: int
    name: str
    reason: str

    def describe(self) -> str:
        return f"malformed {self.name} at offset {self.offset}: {self.reason}"


Token = Command | UnknownBytes | Malformed

_CONTROL_NAMES = {NUL: "NUL", EOT: "EOT", HT: "HT", LF: "LF", FF: "FF", CR: "CR", DLE: "DLE"}
_CONTROL_NAMES.update({ENQ: "ENQ", DC4: "DC4", CAN: "CAN", ESC: "ESC", FS: "FS", GS: "GS"})
_CONTROL_NAMES[0x20] = "SP"


def _spell(raw: bytes) -> str:
    parts = []
    for byte in raw:
        if byte in _CONTROL_NAMES:
            parts.append(_CONTROL_NAMES[byte])
        elif 0x21 <= byte < 0x7F:
            parts.append(chr(byte))
        else:
            parts.append(f"0x{byte:02X}")
    return " ".join(parts)


# -- parameter lengths ---------------------------------------------------------------------


def fixed(count: int) -> Measure:
    def measure(buf: bytes, start: int) -> int | None:
        return count if len(buf) - start >= count else None

    return measure


def _need(buf: bytes, end: int) -> bool:
    return len(buf) >= end


def _checked(length: int) -> int:
    if length > MAX_DATA_BYTES:
        raise MalformedCommandError(f"declares {length} data bytes")
    return length


def _length16(buf: bytes, start: int) -> int | None:
    """``pL pH d1…dk`` with k = pL + pH×256 (the ``GS ( x`` / ``ESC ( x`` / ``FS ( x`` family)."""
    if not _need(buf, start + 2):
        return None
    total = 2 + buf[start] + 256 * buf[start + 1]
    return total if _need(buf, start + total) else None


def _length32(buf: bytes, start: int) -> int | None:
    """``p1 p2 p3 p4 d1…dk`` with k = p1 + p2×256 + p3×65536 + p4×16777216 (``GS 8 L``)."""
    if not _need(buf, start + 4):
        return None
    total = 4 + _checked(int.from_bytes(buf[start : start + 4], "little"))
    return total if _need(buf, start + total) else None


def _nul_terminated(limit: int) -> Measure:
    def measure(buf: bytes, start: int) -> int | None:
        end = buf.find(b"\x00", start, start + limit + 1)
        if end >= 0:
            return end + 1 - start
        if len(buf) - start > limit:
            raise MalformedCommandError(f"no NUL within {limit} bytes")
        return None

    return measure


def _esc_bit_image(buf: bytes, start: int) -> int | None:
    """``ESC * m nL nH d1…dk``: k = n for 8-dot modes (m 0, 1), 3n for 24-dot (m 32, 33)."""
    if not _need(buf, start + 3):
        return None
    mode, columns = buf[start], buf[start + 1] + 256 * buf[start + 2]
    if mode in (0, 1):
        total = 3 + columns
    elif mode in (32, 33):
        total = 3 + 3 * columns
    else:
        raise MalformedCommandError(f"bit-image mode {mode}")
    return total if _need(buf, start + total) else None


def _esc_user_chars(buf: bytes, start: int) -> int | None:
    """``ESC & y c1 c2 [x d1…d(y×x)]…`` for each character code c1…c2."""
    if not _need(buf, start + 3):
        return None
    height, first, last = buf[start], buf[start + 1], buf[start + 2]
    if last < first or not 32 <= first <= 126 or last > 126:
        raise MalformedCommandError(f"character codes {first}…{last}")
    pos = start + 3
    for _ in range(first, last + 1):
        if not _need(buf, pos + 1):
            return None
        pos += 1 + height * buf[pos]
    return pos - start if _need(buf, pos) else None


def _esc_c(buf: bytes, start: int) -> int | None:
    """``ESC c 0|1|3|4|5 n``: paper and panel-switch settings, two parameter bytes."""
    if not _need(buf, start + 1):
        return None
    if buf[start] not in b"\x00\x01\x03\x04\x05" and buf[start] not in b"01345":
        raise MalformedCommandError(f"ESC c {buf[start]}")
    return 2 if _need(buf, start + 2) else None


def _fs_nv_images(buf: bytes, start: int) -> int | None:
    """``FS q n [xL xH yL yH d1…dk]1…n``, k = x×y×8."""
    if not _need(buf, start + 1):
        return None
    pos = start + 1
    for _ in range(buf[start]):
        if not _need(buf, pos + 4):
            return None
        width, height = buf[pos] + 256 * buf[pos + 1], buf[pos + 2] + 256 * buf[pos + 3]
        pos += 4 + _checked(width * height * 8)
    return pos - start if _need(buf, pos) else None


def _gs_download_image(buf: bytes, start: int) -> int | None:
    """``GS * x y d1…d(x×y×8)``."""
    if not _need(buf, start + 2):
        return None
    total = 2 + buf[start] * buf[start + 1] * 8
    return total if _need(buf, start + total) else None


def _gs_cut(buf: bytes, start: int) -> int | None:
    """``GS V m`` (m 0, 1, 48, 49) or ``GS V m n`` (m 65, 66, 97, 98, 103, 104)."""
    if not _need(buf, start + 1):
        return None
    mode = buf[start]
    if mode in (0, 1, 48, 49):
        return 1
    if mode in (65, 66, 97, 98, 103, 104):
        return 2 if _need(buf, start + 2) else None
    raise MalformedCommandError(f"cut mode {mode}")


def _gs_barcode(buf: bytes, start: int) -> int | None:
    """``GS k m d1…dk NUL`` (m 0–6) or ``GS k m n d1…dn`` (m 65–79)."""
    if not _need(buf, start + 1):
        return None
    system = buf[start]
    if 0 <= system <= 6:
        end = buf.find(b"\x00", start + 1, start + 257)
        if end >= 0:
            return end + 1 - start
        if len(buf) - start > 256:
            raise MalformedCommandError("no NUL after the barcode data")
        return None
    if 65 <= system <= 79:
        if not _need(buf, start + 2):
            return None
        total = 2 + buf[start + 1]
        return total if _need(buf, start + total) else None
    raise MalformedCommandError(f"barcode system {system}")


def _gs_raster(buf: bytes, start: int) -> int | None:
    """``GS v 0 m xL xH yL yH d1…dk``, k = (xL + xH×256) × (yL + yH×256)."""
    if not _need(buf, start + 5):
        return None
    mode = buf[start]
    if mode not in (0, 1, 2, 3, 48, 49, 50, 51):
        raise MalformedCommandError(f"raster mode {mode}")
    width_bytes = buf[start + 1] + 256 * buf[start + 2]
    height = buf[start + 3] + 256 * buf[start + 4]
    total = 5 + _checked(width_bytes * height)
    return total if _need(buf, start + total) else None


def _gs_maintenance(buf: bytes, start: int) -> int | None:
    """``GS g 0 m nL nH`` / ``GS g 2 m nL nH``."""
    return 4 if _need(buf, start + 4) else None


def _dle_eot(buf: bytes, start: int) -> int | None:
    """``DLE EOT n`` (n 1–4) or ``DLE EOT n a`` (n 7, 8)."""
    if not _need(buf, start + 1):
        return None
    kind = buf[start]
    if 1 <= kind <= 4:
        return 1
    if kind in (7, 8):
        return 2 if _need(buf, start + 2) else None
    raise MalformedCommandError(f"status kind {kind}")


def _dle_dc4(buf: bytes, start: int) -> int | None:
    """``DLE DC4 fn …``: fn 1 (pulse: m t), 2 (power off), 7 (buzzer: m), 8 (clear: 7 bytes)."""
    if not _need(buf, start + 1):
        return None
    lengths = {1: 3, 2: 3, 3: 3, 7: 2, 8: 8}
    fn = buf[start]
    if fn not in lengths:
        raise MalformedCommandError(f"real-time function {fn}")
    return lengths[fn] if _need(buf, start + lengths[fn]) else None


# -- the command table ---------------------------------------------------------------------

_ESC_TABLE: dict[int, Measure] = {
    FF: fixed(0),  # print data in page mode
    ord(" "): fixed(1),  # right-side character spacing
    ord("!"): fixed(1),  # print mode
    ord("$"): fixed(2),  # absolute print position
    ord("%"): fixed(1),  # user-defined character set on/off
    ord("&"): _esc_user_chars,
    ord("*"): _esc_bit_image,
    ord("-"): fixed(1),  # underline
    ord("2"): fixed(0),  # default line spacing
    ord("3"): fixed(1),  # line spacing n
    ord("="): fixed(1),  # peripheral device
    ord("?"): fixed(1),  # cancel user-defined character
    ord("@"): fixed(0),  # initialize
    ord("D"): _nul_terminated(32),  # horizontal tab positions
    ord("E"): fixed(1),  # emphasized
    ord("G"): fixed(1),  # double-strike
    ord("J"): fixed(1),  # print and feed n motion units
    ord("K"): fixed(1),  # print and reverse feed n motion units
    ord("L"): fixed(0),  # page mode
    ord("M"): fixed(1),  # character font
    ord("R"): fixed(1),  # international character set
    ord("S"): fixed(0),  # standard mode
    ord("T"): fixed(1),  # print direction in page mode
    ord("U"): fixed(1),  # unidirectional printing
    ord("V"): fixed(1),  # 90° rotation
    ord("W"): fixed(8),  # print area in page mode
    ord("\\"): fixed(2),  # relative print position
    ord("a"): fixed(1),  # justification
    ord("c"): _esc_c,
    ord("d"): fixed(1),  # print and feed n lines
    ord("e"): fixed(1),  # print and reverse feed n lines
    ord("i"): fixed(0),  # partial cut (one point left)
    ord("m"): fixed(0),  # partial cut (three points left)
    ord("p"): fixed(3),  # generate pulse (cash drawer)
    ord("r"): fixed(1),  # print colour
    ord("t"): fixed(1),  # character code table
    ord("u"): fixed(1),  # transmit peripheral device status
    ord("v"): fixed(0),  # transmit paper sensor status
    ord("{"): fixed(1),  # upside-down
}

_FS_TABLE: dict[int, Measure] = {
    ord("!"): fixed(1),  # Kanji print mode
    ord("&"): fixed(0),  # Kanji mode on
    ord("-"): fixed(1),  # Kanji underline
    ord("."): fixed(0),  # Kanji mode off
    ord("C"): fixed(1),  # Kanji code system
    ord("S"): fixed(2),  # Kanji spacing
    ord("W"): fixed(1),  # Kanji quadruple size
    ord("p"): fixed(2),  # print NV bit image
    ord("q"): _fs_nv_images,
}

_GS_TABLE: dict[int, Measure] = {
    ord("!"): fixed(1),  # character size
    ord("#"): fixed(1),  # downloaded bit image number
    ord("$"): fixed(2),  # absolute vertical position in page mode
    ord("*"): _gs_download_image,
    ord("/"): fixed(1),  # print downloaded bit image
    ord(":"): fixed(0),  # start/end macro definition
    ord("B"): fixed(1),  # white/black reverse
    ord("H"): fixed(1),  # HRI position
    ord("I"): fixed(1),  # transmit printer ID
    ord("L"): fixed(2),  # left margin
    ord("P"): fixed(2),  # motion units
    ord("T"): fixed(1),  # print position to the beginning of the line
    ord("V"): _gs_cut,
    ord("W"): fixed(2),  # print area width
    ord("\\"): fixed(2),  # relative vertical position in page mode
    ord("^"): fixed(3),  # execute macro
    ord("a"): fixed(1),  # automatic status back
    ord("b"): fixed(1),  # smoothing
    ord("f"): fixed(1),  # HRI font
    ord("g"): _gs_maintenance,
    ord("h"): fixed(1),  # barcode height
    ord("j"): fixed(1),  # automatic status back for ink
    ord("k"): _gs_barcode,
    ord("r"): fixed(1),  # transmit status
    ord("w"): fixed(1),  # barcode module width
}

_PREFIX_TABLES = {ESC: ("ESC", _ESC_TABLE), FS: ("FS", _FS_TABLE), GS: ("GS", _GS_TABLE)}

_SINGLE_BYTES = {HT: "HT", LF: "LF", FF: "FF", CR: "CR", CAN: "CAN"}


def _three_byte(buf: bytes, pos: int) -> tuple[str, int, Measure] | None:
    """Commands whose name has three bytes: ``ESC|FS|GS ( x``, ``GS v 0``, ``GS 8 L``."""
    first, second, third = buf[pos], buf[pos + 1], buf[pos + 2]
    if second == ord("(") and first in _PREFIX_TABLES:
        return f"{_PREFIX_TABLES[first][0]} ( {chr(third)}", 3, _length16
    if first == GS and second == ord("v") and third == ord("0"):
        return "GS v 0", 3, _gs_raster
    if first == GS and second == ord("8") and third == ord("L"):
        return "GS 8 L", 3, _length32
    return None


def _is_three_byte_prefix(buf: bytes, pos: int) -> bool:
    first, second = buf[pos], buf[pos + 1]
    return (second == ord("(") and first in _PREFIX_TABLES) or (
        first == GS and second in (ord("v"), ord("8"))
    )


def parse_at(buf: bytes, pos: int, base_offset: int = 0) -> Token | None:
    """The token starting at ``buf[pos]``; None when its last byte has not arrived yet.
    Raises nothing: impossible parameters come back as ``Malformed``."""
    offset = base_offset + pos
    byte = buf[pos]
    if byte >= 0x20:
        end = pos + 1
        while end < len(buf) and buf[end] >= 0x20:
            end += 1
        return Command(offset, "TEXT", bytes(buf[pos:end]), bytes(buf[pos:end]))
    if byte in _SINGLE_BYTES:
        return Command(offset, _SINGLE_BYTES[byte], bytes(buf[pos : pos + 1]), b"")
    if byte == DLE:
        return _parse_dle(buf, pos, offset)
    if byte not in _PREFIX_TABLES:
        return UnknownBytes(offset, bytes(buf[pos : pos + 1]))
    if len(buf) - pos < 2:
        return None
    prefix_name, table = _PREFIX_TABLES[byte]
    if _is_three_byte_prefix(buf, pos):
        if len(buf) - pos < 3:
            return None
        found = _three_byte(buf, pos)
        if found is None:
            return UnknownBytes(offset, bytes(buf[pos : pos + 3]))
        name, name_len, measure = found
    else:
        second = buf[pos + 1]
        if second not in table:
            return UnknownBytes(offset, bytes(buf[pos : pos + 2]))
        name, name_len, measure = f"{prefix_name} {_spell(bytes([second]))}", 2, table[second]
    return _measured(buf, pos, offset, name, name_len, measure)


def _parse_dle(buf: bytes, pos: int, offset: int) -> Token | None:
    if len(buf) - pos < 2:
        return None
    second = buf[pos + 1]
    measures: dict[int, tuple[str, Measure]] = {
        EOT: ("DLE EOT", _dle_eot),
        ENQ: ("DLE ENQ", fixed(1)),
        DC4: ("DLE DC4", _dle_dc4),
    }
    if second not in measures:
        return UnknownBytes(offset, bytes(buf[pos : pos + 1]))
    name, measure = measures[second]
    return _measured(buf, pos, offset, name, 2, measure)


def _measured(
    buf: bytes, pos: int, offset: int, name: str, name_len: int, measure: Measure
) -> Token | None:
    start = pos + name_len
    try:
        length = measure(buf, start)
    except MalformedCommandError as exc:
        return Malformed(offset, name, str(exc))
    if length is None:
        return None
    end = start + length
    return Command(offset, name, bytes(buf[pos:end]), bytes(buf[start:end]))


class Tokenizer:
    """Splits a byte stream that arrives in pieces into tokens; offsets count from the first
    byte fed. After a ``Malformed`` token it stops (``broken``) and ignores further bytes."""

    def __init__(self) -> None:
        self._buf = bytearray()
        self._offset = 0
        self.broken = False
        self.unparsed = b""
        """After a ``Malformed`` token: the bytes from that command to the end of the feed."""

    @property
    def pending(self) -> bytes:
        """Bytes of a command whose end has not arrived yet."""
        return bytes(self._buf)

    @property
    def pending_offset(self) -> int:
        return self._offset

    def feed(self, data: bytes) -> list[Token]:
        if self.broken:
            self._offset += len(data)
            return []
        self._buf += data
        buf = bytes(self._buf)
        tokens: list[Token] = []
        pos = 0
        while pos < len(buf):
            token = parse_at(buf, pos, self._offset)
            if token is None:
                break
            tokens.append(token)
            if isinstance(token, Malformed):
                self.broken = True
                self.unparsed = buf[pos:]
                pos = len(buf)
                break
            pos += len(token.raw)
        del self._buf[:pos]
        self._offset += pos
        return tokens

    def truncated(self) -> str | None:
        """At the end of the stream: a description of the incomplete command, if any."""
        if not self._buf or self.broken:
            return None
        return f"truncated {_spell(bytes(self._buf[:3]))} at offset {self._offset}"
