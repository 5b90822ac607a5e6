"""The byte encoding of the reader link's messages (docs/reader-protocol.md, "Messages").

A message is ``version (1 byte) · type tag (1 byte) · fields``, the fields in the order of the
dataclass in ``messages``. Field encodings:

* unsigned integer: LEB128 varint (7 bits a byte, least significant group first, high bit set
  on every byte but the last), shortest form only, below 2**64 (``txn_id`` below 2**32);
* bool: one byte, 0 or 1;
* enum: one byte, the ``IntEnum`` value;
* str: varint byte length, then UTF-8;
* bytes: varint length, then the bytes;
* ``applications``: varint count, then per application ``aid`` (bytes), ``label`` (str),
  ``priority`` (varint);
* ``firmware_update``: one byte 0 (absent) or 1 followed by ``version`` (str), ``required``
  (bool), ``size`` (varint), ``estimated_s`` (varint);
* ``details``: varint count, then key (str), value (str) pairs sorted by key.

Decoding is strict: a wrong version, an unknown tag, a truncated field, a value out of range or
bytes left over raise ``ReaderProtocolError``, so ``encode_message(decode_message(b)) == b`` for
every accepted ``b``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from enum import IntEnum
from typing import Any, Final

from desktop_pos.hardware.reader import messages as m
from desktop_pos.hardware.reader.errors import ReaderProtocolError
from desktop_pos.hardware.reader.gatt_profile import PROTOCOL_VERSION

MAX_UINT: Final = 2**64 - 1
MAX_TXN_ID: Final = 2**32 - 1

# A field kind is a string for the scalar kinds, or an IntEnum class.
FieldKind = str | type[IntEnum]

UINT: Final = "uint"
TXN: Final = "txn_id"
BOOL: Final = "bool"
STR: Final = "str"
BYTES: Final = "bytes"
APPS: Final = "applications"
FWINFO: Final = "firmware_update"
DETAILS: Final = "details"

MESSAGE_LAYOUTS: Final[dict[type[Any], tuple[int, tuple[tuple[str, FieldKind], ...]]]] = {
    # host → reader: tags 0x01 …
    m.GetInfo: (0x01, ()),
    m.StartTransaction: (
        0x02,
        (
            ("txn_id", TXN),
            ("kind", m.TxnKind),
            ("amount_minor", UINT),
            ("currency", STR),
            ("order_number", STR),
            ("no_cvm_limit_minor", UINT),
            ("nfc_enabled", BOOL),
        ),
    ),
    m.CancelTransaction: (0x03, (("txn_id", TXN),)),
    m.ApplicationSelected: (0x04, (("txn_id", TXN), ("aid", BYTES))),
    m.AuthorizationResponse: (
        0x05,
        (
            ("txn_id", TXN),
            ("outcome", m.AuthorizationOutcome),
            ("response_code", STR),
            ("issuer_response_code", STR),
            ("auth_code", STR),
            ("issuer_data", BYTES),
        ),
    ),
    m.FirmwareUpdateStart: (0x06, (("version", STR), ("size", UINT), ("sha256", BYTES))),
    m.FirmwareChunk: (0x07, (("offset", UINT), ("data", BYTES))),
    m.FirmwareUpdateFinish: (0x08, (("version", STR),)),
    # reader → host: tags 0x81 …
    m.ReaderInfo: (
        0x81,
        (
            ("model", STR),
            ("serial", STR),
            ("firmware_version", STR),
            ("protocol_version", UINT),
            ("battery_level", UINT),
            ("charging", BOOL),
            ("app_selection_on_reader", BOOL),
            ("nfc_default", BOOL),
            ("max_message_size", UINT),
            ("firmware_update", FWINFO),
        ),
    ),
    m.DisplayText: (0x82, (("txn_id", TXN), ("code", m.DisplayCode), ("text", STR))),
    m.CardRead: (
        0x83,
        (
            ("txn_id", TXN),
            ("entry_mode", m.EntryMode),
            ("masked_pan", STR),
            ("brand", STR),
            ("application_label", STR),
            ("aid", BYTES),
            ("application_choice", m.ApplicationChoice),
            ("cardholder", STR),
        ),
    ),
    m.ApplicationSelectionRequest: (0x84, (("txn_id", TXN), ("applications", APPS))),
    m.CvmResult: (0x85, (("txn_id", TXN), ("cvm", m.Cvm), ("pin_verified", BOOL))),
    m.AuthorizationRequest: (
        0x86,
        (("txn_id", TXN), ("emv_tlv", BYTES), ("card_data", BYTES), ("key_id", STR)),
    ),
    m.TransactionResult: (
        0x87,
        (
            ("txn_id", TXN),
            ("outcome", m.TxnOutcome),
            ("tvr", BYTES),
            ("tsi", BYTES),
            ("reason", STR),
        ),
    ),
    m.BatteryStatus: (0x88, (("level", UINT), ("charging", BOOL), ("low", BOOL))),
    m.FirmwareProgress: (0x89, (("received", UINT), ("total", UINT))),
    m.FirmwareRebooting: (0x8A, (("version", STR), ("expected_back_s", UINT))),
    m.ReaderFault: (
        0x8B,
        (("code", m.FaultCode), ("text", STR), ("txn_id", TXN), ("details", DETAILS)),
    ),
}
"""Per message class: its type tag and its fields in wire order."""

TAGS: Final[Mapping[type[Any], int]] = {cls: tag for cls, (tag, _) in MESSAGE_LAYOUTS.items()}
CLASSES_BY_TAG: Final[Mapping[int, type[Any]]] = {tag: cls for cls, tag in TAGS.items()}
HOST_MESSAGE_TYPES: Final = tuple(cls for cls, tag in TAGS.items() if tag < 0x80)
READER_MESSAGE_TYPES: Final = tuple(cls for cls, tag in TAGS.items() if tag >= 0x80)


def message_tag(message: m.Message | type[Any]) -> int:
    """The type tag of a message or message class."""
    cls = message if isinstance(message, type) else type(message)
    try:
        return TAGS[cls]
    except KeyError:
        raise ReaderProtocolError(f"not a reader link message: {cls.__name__}") from None


# -- encoding --------------------------------------------------------------------------------


def encode_varint(value: int) -> bytes:
    if value < 0 or value > MAX_UINT:
        raise ReaderProtocolError(f"integer out of range: {value}")
    out = bytearray()
    while True:
        low = value & 0x7F
        value >>= 7
        if value:
            out.append(low | 0x80)
        else:
            out.append(low)
            return bytes(out)


def _put_bytes(out: bytearray, data: bytes) -> None:
    out += encode_varint(len(data))
    out += data


def _put_str(out: bytearray, text: str) -> None:
    try:
        _put_bytes(out, text.encode("utf-8"))
    except UnicodeEncodeError as exc:
        raise ReaderProtocolError(f"text is not encodable as UTF-8: {exc}") from None


def _put_field(out: bytearray, name: str, kind: FieldKind, value: object) -> None:
    if isinstance(kind, type):
        if not isinstance(value, kind):
            raise ReaderProtocolError(f"{name}: expected {kind.__name__}, got {value!r}")
        out.append(int(value))
    elif kind in (UINT, TXN):
        if not isinstance(value, int) or isinstance(value, bool):
            raise ReaderProtocolError(f"{name}: expected an integer, got {value!r}")
        if kind == TXN and not 0 <= value <= MAX_TXN_ID:
            raise ReaderProtocolError(f"{name}: transaction id out of range: {value}")
        out += encode_varint(value)
    elif kind == BOOL:
        if not isinstance(value, bool):
            raise ReaderProtocolError(f"{name}: expected a bool, got {value!r}")
        out.append(1 if value else 0)
    elif kind == STR:
        if not isinstance(value, str):
            raise ReaderProtocolError(f"{name}: expected a str, got {value!r}")
        _put_str(out, value)
    elif kind == BYTES:
        if not isinstance(value, bytes | bytearray):
            raise ReaderProtocolError(f"{name}: expected bytes, got {value!r}")
        _put_bytes(out, bytes(value))
    elif kind == APPS:
        if not isinstance(value, tuple | list):
            raise ReaderProtocolError(f"{name}: expected a tuple, got {value!r}")
        out += encode_varint(len(value))
        for app in value:
            if not isinstance(app, m.CardApplication):
                raise ReaderProtocolError(f"{name}: expected CardApplication, got {app!r}")
            _put_field(out, "aid", BYTES, app.aid)
            _put_field(out, "label", STR, app.label)
            _put_field(out, "priority", UINT, app.priority)
    elif kind == FWINFO:
        if value is None:
            out.append(0)
            return
        if not isinstance(value, m.FirmwareUpdateInfo):
            raise ReaderProtocolError(f"{name}: expected FirmwareUpdateInfo, got {value!r}")
        out.append(1)
        _put_field(out, "version", STR, value.version)
        _put_field(out, "required", BOOL, value.required)
        _put_field(out, "size", UINT, value.size)
        _put_field(out, "estimated_s", UINT, value.estimated_s)
    elif kind == DETAILS:
        if not isinstance(value, Mapping):
            raise ReaderProtocolError(f"{name}: expected a mapping, got {value!r}")
        out += encode_varint(len(value))
        for key in sorted(value):
            _put_field(out, "key", STR, key)
            _put_field(out, "value", STR, value[key])
    else:  # pragma: no cover - the layouts above use only the kinds handled here
        raise AssertionError(kind)


def encode_message(msg: m.Message) -> bytes:
    """The bytes of one message; raises ``ReaderProtocolError`` for a value that cannot go."""
    try:
        tag, layout = MESSAGE_LAYOUTS[type(msg)]
    except KeyError:
        raise ReaderProtocolError(f"not a reader link message: {type(msg).__name__}") from None
    out = bytearray((PROTOCOL_VERSION, tag))
    for name, kind in layout:
        _put_field(out, f"{type(msg).__name__}.{name}", kind, getattr(msg, name))
    return bytes(out)


# -- decoding --------------------------------------------------------------------------------


class _Cursor:
    __slots__ = ("context", "data", "pos")

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0
        self.context = ""

    def fail(self, problem: str) -> ReaderProtocolError:
        where = f" in {self.context}" if self.context else ""
        return ReaderProtocolError(f"{problem}{where} at byte {self.pos}")

    def byte(self) -> int:
        if self.pos >= len(self.data):
            raise self.fail("truncated message")
        value = self.data[self.pos]
        self.pos += 1
        return value

    def take(self, size: int) -> bytes:
        if size > len(self.data) - self.pos:
            raise self.fail(f"truncated message (needs {size} more bytes)")
        chunk = self.data[self.pos : self.pos + size]
        self.pos += size
        return bytes(chunk)

    def varint(self) -> int:
        value = 0
        shift = 0
        while True:
            byte = self.byte()
            if shift == 63 and byte > 1:
                raise self.fail("integer too large")
            value |= (byte & 0x7F) << shift
            if not byte & 0x80:
                if byte == 0 and shift:
                    raise self.fail("integer not in its shortest form")
                return value
            shift += 7

    def text(self) -> str:
        raw = self.take(self.varint())
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise self.fail("text is not UTF-8") from None

    def flag(self) -> bool:
        value = self.byte()
        if value > 1:
            raise self.fail(f"bool must be 0 or 1, got {value}")
        return value == 1


def _get_field(cur: _Cursor, kind: FieldKind) -> object:
    if isinstance(kind, type):
        raw = cur.byte()
        try:
            return kind(raw)
        except ValueError:
            raise cur.fail(f"unknown {kind.__name__} value {raw}") from None
    if kind == UINT:
        return cur.varint()
    if kind == TXN:
        value = cur.varint()
        if value > MAX_TXN_ID:
            raise cur.fail("transaction id out of range")
        return value
    if kind == BOOL:
        return cur.flag()
    if kind == STR:
        return cur.text()
    if kind == BYTES:
        return cur.take(cur.varint())
    if kind == APPS:
        count = cur.varint()
        apps = []
        for _ in range(count):
            aid = cur.take(cur.varint())
            label = cur.text()
            apps.append(m.CardApplication(aid=aid, label=label, priority=cur.varint()))
        return tuple(apps)
    if kind == FWINFO:
        if not cur.flag():
            return None
        return m.FirmwareUpdateInfo(
            version=cur.text(), required=cur.flag(), size=cur.varint(), estimated_s=cur.varint()
        )
    if kind == DETAILS:
        count = cur.varint()
        details: dict[str, str] = {}
        previous: str | None = None
        for _ in range(count):
            key = cur.text()
            if previous is not None and key <= previous:
                raise cur.fail("details keys not sorted or repeated")
            previous = key
            details[key] = cur.text()
        return details
    raise AssertionError(kind)  # pragma: no cover


def decode_message(data: bytes) -> m.Message:
    """The message in ``data`` (exactly one); raises ``ReaderProtocolError`` otherwise."""
    cur = _Cursor(bytes(data))
    version = cur.byte()
    if version != PROTOCOL_VERSION:
        raise ReaderProtocolError(
            f"unsupported message version {version} (this side speaks {PROTOCOL_VERSION})"
        )
    tag = cur.byte()
    cls = CLASSES_BY_TAG.get(tag)
    if cls is None:
        raise ReaderProtocolError(f"unknown message type 0x{tag:02x}")
    _, layout = MESSAGE_LAYOUTS[cls]
    values: dict[str, object] = {}
    for name, kind in layout:
        cur.context = f"{cls.__name__}.{name}"
        values[name] = _get_field(cur, kind)
    cur.context = cls.__name__
    if cur.pos != len(cur.data):
        raise cur.fail(f"{len(cur.data) - cur.pos} bytes after the message")
    message: m.Message = cls(**values)
    return message


def check_layouts() -> None:
    """Raise ``AssertionError`` if a layout does not list its dataclass's fields in order."""
    for cls, (_, layout) in MESSAGE_LAYOUTS.items():
        names = tuple(f.name for f in fields(cls))
        assert names == tuple(name for name, _ in layout), cls.__name__
