"""The message codec: round trips for every message, strict decoding of bad bytes."""

from __future__ import annotations

from typing import Any, get_args

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_pos.hardware.reader import codec
from desktop_pos.hardware.reader import messages as m
from desktop_pos.hardware.reader.codec import decode_message, encode_message, encode_varint
from desktop_pos.hardware.reader.errors import ReaderError, ReaderProtocolError
from desktop_pos.hardware.reader.gatt_profile import PROTOCOL_VERSION
from tests.unit.hardware.reader.reader_message_strategies import MESSAGE_STRATEGIES, any_message

SAMPLE = m.StartTransaction(
    txn_id=1,
    kind=m.TxnKind.PURCHASE,
    amount_minor=15000,
    currency="643",
    order_number="1001",
    no_cvm_limit_minor=300000,
)


def test_every_message_class_has_a_layout_in_dataclass_field_order() -> None:
    codec.check_layouts()
    every = set(get_args(m.HostMessage)) | set(get_args(m.ReaderMessage))
    assert set(codec.MESSAGE_LAYOUTS) == every
    assert set(MESSAGE_STRATEGIES) == every


def test_tags_are_unique_and_split_by_direction() -> None:
    assert len(set(codec.TAGS.values())) == len(codec.TAGS)
    assert set(codec.HOST_MESSAGE_TYPES) == set(get_args(m.HostMessage))
    assert set(codec.READER_MESSAGE_TYPES) == set(get_args(m.ReaderMessage))


@given(any_message)
def test_round_trip(msg: Any) -> None:
    data = encode_message(msg)
    assert data[0] == PROTOCOL_VERSION
    assert data[1] == codec.message_tag(msg)
    decoded = decode_message(data)
    assert decoded == msg
    assert type(decoded) is type(msg)
    assert encode_message(decoded) == data


@given(any_message, st.data())
def test_every_truncation_is_refused(msg: Any, data: st.DataObject) -> None:
    raw = encode_message(msg)
    cut = data.draw(st.integers(min_value=0, max_value=len(raw) - 1))
    with pytest.raises(ReaderProtocolError):
        decode_message(raw[:cut])


@given(any_message, st.binary(min_size=1, max_size=8))
def test_trailing_bytes_are_refused(msg: Any, extra: bytes) -> None:
    with pytest.raises(ReaderProtocolError, match="after the message"):
        decode_message(encode_message(msg) + extra)


@given(st.binary(max_size=64))
def test_random_bytes_decode_or_raise_protocol_error(raw: bytes) -> None:
    try:
        msg = decode_message(raw)
    except ReaderProtocolError:
        return
    assert encode_message(msg) == raw


def test_unknown_tag_and_version() -> None:
    with pytest.raises(ReaderProtocolError, match="unknown message type 0x7f"):
        decode_message(bytes([PROTOCOL_VERSION, 0x7F]))
    with pytest.raises(ReaderProtocolError, match="unsupported message version 2"):
        decode_message(bytes([2]) + encode_message(m.GetInfo())[1:])
    with pytest.raises(ReaderProtocolError):
        decode_message(b"")


def test_the_error_is_a_reader_error_with_cashier_text() -> None:
    with pytest.raises(ReaderError) as info:
        decode_message(b"\x01\x7f")
    assert "картридер" in info.value.text.ru.lower()
    assert "0x7f" in info.value.detail


def test_enum_bool_and_varint_form_are_checked() -> None:
    good = encode_message(m.CvmResult(5, m.Cvm.SIGNATURE, False))
    assert good == bytes.fromhex("01 85 05 02 00")
    with pytest.raises(ReaderProtocolError, match="unknown Cvm value 9"):
        decode_message(bytes.fromhex("01 85 05 09 00"))
    with pytest.raises(ReaderProtocolError, match="bool must be 0 or 1"):
        decode_message(bytes.fromhex("01 85 05 02 02"))
    with pytest.raises(ReaderProtocolError, match="shortest form"):
        decode_message(bytes.fromhex("01 85 85 00 02 00"))
    with pytest.raises(ReaderProtocolError, match="transaction id out of range"):
        decode_message(bytes.fromhex("01 85 80 80 80 80 10 02 00"))


def test_varint_encoding() -> None:
    assert encode_varint(0) == b"\x00"
    assert encode_varint(127) == b"\x7f"
    assert encode_varint(128) == b"\x80\x01"
    assert encode_varint(300000) == bytes.fromhex("e0a712")
    assert encode_varint(2**64 - 1) == b"\xff" * 9 + b"\x01"
    with pytest.raises(ReaderProtocolError):
        encode_varint(2**64)
    with pytest.raises(ReaderProtocolError):
        encode_varint(-1)
    too_big = bytes.fromhex("01 89") + b"\xff" * 9 + b"\x02" + b"\x00"
    with pytest.raises(ReaderProtocolError, match="too large"):
        decode_message(too_big)


def test_invalid_text_and_details_order() -> None:
    with pytest.raises(ReaderProtocolError, match="not UTF-8"):
        decode_message(bytes.fromhex("01 08 02 c3 28"))
    fault = m.ReaderFault(m.FaultCode.BUSY, details={"b": "2", "a": "1"})
    raw = encode_message(fault)
    assert decode_message(raw) == fault
    assert raw.endswith(b"\x02\x01a\x011\x01b\x012")
    swapped = raw.replace(b"\x01a\x011\x01b\x012", b"\x01b\x012\x01a\x011")
    repeated = raw.replace(b"\x01a\x011\x01b\x012", b"\x01a\x011\x01a\x012")
    with pytest.raises(ReaderProtocolError, match="not sorted or repeated"):
        decode_message(swapped)
    with pytest.raises(ReaderProtocolError, match="not sorted or repeated"):
        decode_message(repeated)


@pytest.mark.parametrize(
    "msg",
    [
        m.CancelTransaction(txn_id=-1),
        m.CancelTransaction(txn_id=2**32),
        m.FirmwareChunk(offset=-5, data=b""),
        m.BatteryStatus(level=50, charging=1, low=False),  # type: ignore[arg-type]
        m.DisplayText(txn_id=1, code=3, text="x"),  # type: ignore[arg-type]
        m.DisplayText(txn_id=1, code=m.DisplayCode.IDLE, text=b"x"),  # type: ignore[arg-type]
        m.ApplicationSelected(txn_id=1, aid="A000"),  # type: ignore[arg-type]
        m.DisplayText(txn_id=1, code=m.DisplayCode.IDLE, text="\ud800"),
    ],
)
def test_values_that_cannot_be_encoded(msg: Any) -> None:
    with pytest.raises(ReaderProtocolError):
        encode_message(msg)


def test_not_a_message() -> None:
    with pytest.raises(ReaderProtocolError, match="not a reader link message"):
        encode_message(SAMPLE.kind)  # type: ignore[arg-type]
