"""BER-TLV as EMV uses it (EMV Book 3, Annex B): the data of ``AuthorizationRequest.emv_tlv``
and ``AuthorizationResponse.issuer_data``.

A tag is one byte, or more when its low five bits are all set (the following bytes continue
while their high bit is set); tag numbers here are the big-endian value of the tag bytes
(``0x9F26``). Bit 6 of the first tag byte marks a constructed object (71, 72, 70, 77), whose value
is TLV again. Lengths are one byte below 0x80, else 0x81–0x84 followed by one to four length
bytes. ``build_tlv`` writes the shortest length form; ``parse_tlv`` also accepts longer forms
and skips 0x00 padding between objects, as EMV allows.

``describe`` prints TLV for the logs with EMV names and never the value of a tag that could
hold card data (PAN, track data, cardholder name).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Final, NamedTuple

from desktop_pos.hardware.reader.errors import ReaderProtocolError

EMV_TAG_NAMES: Final[dict[int, str]] = {
    0x4F: "Application Identifier (AID) – card",
    0x50: "Application Label",
    0x57: "Track 2 Equivalent Data",
    0x5A: "Application PAN",
    0x5F20: "Cardholder Name",
    0x5F24: "Application Expiration Date",
    0x5F2A: "Transaction Currency Code",
    0x5F34: "Application PAN Sequence Number",
    0x71: "Issuer Script Template 1",
    0x72: "Issuer Script Template 2",
    0x82: "Application Interchange Profile",
    0x84: "Dedicated File (DF) Name",
    0x86: "Issuer Script Command",
    0x8A: "Authorisation Response Code",
    0x91: "Issuer Authentication Data",
    0x95: "Terminal Verification Results",
    0x9A: "Transaction Date",
    0x9B: "Transaction Status Information",
    0x9C: "Transaction Type",
    0x9F02: "Amount, Authorised (Numeric)",
    0x9F03: "Amount, Other (Numeric)",
    0x9F06: "Application Identifier (AID) – terminal",
    0x9F10: "Issuer Application Data",
    0x9F12: "Application Preferred Name",
    0x9F18: "Issuer Script Identifier",
    0x9F1A: "Terminal Country Code",
    0x9F1F: "Track 1 Discretionary Data",
    0x9F26: "Application Cryptogram",
    0x9F27: "Cryptogram Information Data",
    0x9F33: "Terminal Capabilities",
    0x9F34: "Cardholder Verification Method (CVM) Results",
    0x9F35: "Terminal Type",
    0x9F36: "Application Transaction Counter (ATC)",
    0x9F37: "Unpredictable Number",
    0x9F6B: "Track 2 Data",
}

SENSITIVE_TAGS: Final = frozenset({0x56, 0x57, 0x5A, 0x5F20, 0x9F0B, 0x9F1F, 0x9F20, 0x9F6B})
"""Tags whose values are card data: ``describe`` shows only their length."""

MAX_TAG_BYTES: Final = 3
MAX_LENGTH_BYTES: Final = 4


class TlvError(ReaderProtocolError, ValueError):
    """Malformed BER-TLV."""


class TlvItem(NamedTuple):
    """One data object; unpacks as ``(tag, value)``."""

    tag: int
    value: bytes

    @property
    def constructed(self) -> bool:
        return is_constructed(self.tag)

    def children(self) -> list[TlvItem]:
        """The objects inside a constructed object (``TlvError`` for a primitive one)."""
        if not self.constructed:
            raise TlvError(f"tag {tag_hex(self.tag)} is primitive")
        return parse_tlv(self.value)

    @property
    def name(self) -> str:
        return tag_name(self.tag)


TagLike = int | str


def to_tag(tag: TagLike) -> int:
    """A tag number from ``0x9F26`` or ``"9F26"``."""
    if isinstance(tag, str):
        try:
            return int(tag, 16)
        except ValueError:
            raise TlvError(f"not a hex tag: {tag!r}") from None
    return tag


def tag_bytes(tag: TagLike) -> bytes:
    number = to_tag(tag)
    if number < 0:
        raise TlvError(f"negative tag {number}")
    raw = number.to_bytes(max(1, (number.bit_length() + 7) // 8), "big")
    if len(raw) > MAX_TAG_BYTES or not _valid_tag(raw):
        raise TlvError(f"not a BER tag: {raw.hex().upper()}")
    return raw


def _valid_tag(raw: bytes) -> bool:
    if raw[0] & 0x1F != 0x1F:
        return len(raw) == 1
    if len(raw) < 2:
        return False
    return all(b & 0x80 for b in raw[1:-1]) and not raw[-1] & 0x80


def tag_hex(tag: TagLike) -> str:
    return f"{to_tag(tag):02X}"


def tag_name(tag: TagLike) -> str:
    return EMV_TAG_NAMES.get(to_tag(tag), "unknown")


def is_constructed(tag: TagLike) -> bool:
    number = to_tag(tag)
    first = number >> (8 * (max(1, (number.bit_length() + 7) // 8) - 1))
    return bool(first & 0x20)


def length_bytes(length: int) -> bytes:
    if length < 0:
        raise TlvError(f"negative length {length}")
    if length < 0x80:
        return bytes([length])
    body = length.to_bytes((length.bit_length() + 7) // 8, "big")
    if len(body) > MAX_LENGTH_BYTES:
        raise TlvError(f"length {length} too large")
    return bytes([0x80 | len(body)]) + body


def build_tlv(items: Iterable[tuple[TagLike, bytes]]) -> bytes:
    """BER-TLV of the items in order (a constructed item's value is TLV already)."""
    out = bytearray()
    for tag, value in items:
        out += tag_bytes(tag)
        out += length_bytes(len(value))
        out += value
    return bytes(out)


def iter_tlv(data: bytes) -> Iterator[TlvItem]:
    """The top-level objects of ``data``; ``TlvError`` when malformed."""
    data = bytes(data)
    pos = 0
    end = len(data)
    while pos < end:
        if data[pos] == 0x00:
            pos += 1
            continue
        start = pos
        first = data[pos]
        pos += 1
        if first & 0x1F == 0x1F:
            while True:
                if pos >= end:
                    raise TlvError(f"truncated tag at byte {start}")
                byte = data[pos]
                pos += 1
                if pos - start > MAX_TAG_BYTES:
                    raise TlvError(f"tag longer than {MAX_TAG_BYTES} bytes at byte {start}")
                if not byte & 0x80:
                    break
        tag = int.from_bytes(data[start:pos], "big")
        if pos >= end:
            raise TlvError(f"missing length of tag {tag:02X}")
        length = data[pos]
        pos += 1
        if length & 0x80:
            count = length & 0x7F
            if count == 0:
                raise TlvError(f"indefinite length of tag {tag:02X}")
            if count > MAX_LENGTH_BYTES or pos + count > end:
                raise TlvError(f"bad length of tag {tag:02X}")
            length = int.from_bytes(data[pos : pos + count], "big")
            pos += count
        if pos + length > end:
            raise TlvError(f"value of tag {tag:02X} truncated ({length} bytes announced)")
        yield TlvItem(tag, data[pos : pos + length])
        pos += length


def parse_tlv(data: bytes) -> list[TlvItem]:
    """The top-level objects of ``data``; ``TlvError`` when malformed."""
    return list(iter_tlv(data))


def find(data: bytes, tag: TagLike) -> bytes | None:
    """The value of the first object with ``tag``, searching inside constructed objects."""
    wanted = to_tag(tag)
    for item in iter_tlv(data):
        if item.tag == wanted:
            return item.value
        if item.constructed:
            found = find(item.value, wanted)
            if found is not None:
                return found
    return None


def find_all(data: bytes, tag: TagLike) -> list[bytes]:
    """Every value with ``tag``, depth first."""
    wanted = to_tag(tag)
    found: list[bytes] = []
    for item in iter_tlv(data):
        if item.tag == wanted:
            found.append(item.value)
        if item.constructed:
            found.extend(find_all(item.value, wanted))
    return found


def describe(data: bytes, *, indent: str = "") -> str:
    """One line per object (``9F26 Application Cryptogram: 1A2B…``), card data redacted."""
    try:
        items = parse_tlv(data)
    except TlvError as exc:
        return f"{indent}<malformed TLV: {exc.detail}>"
    lines = []
    for item in items:
        head = f"{indent}{tag_hex(item.tag)} {item.name}"
        if item.tag in SENSITIVE_TAGS:
            lines.append(f"{head}: <{len(item.value)} bytes redacted>")
        elif item.constructed:
            lines.append(f"{head}:")
            lines.append(describe(item.value, indent=indent + "  "))
        else:
            lines.append(f"{head}: {item.value.hex().upper()}")
    return "\n".join(lines)
