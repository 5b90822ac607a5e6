"""The test vectors of docs/reader-protocol.md: every hex block in the document is checked
against the messages and frames defined here (both ways: encode and decode)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from desktop_pos.hardware.reader import messages as m
from desktop_pos.hardware.reader.codec import decode_message, encode_message
from desktop_pos.hardware.reader.framing import (
    AckFrame,
    DataFrame,
    NakFrame,
    crc16,
    decode_frame,
    encode_frame,
    split_message,
)
from desktop_pos.hardware.reader.tlv import build_tlv, parse_tlv

DOC = Path(__file__).resolve().parents[4] / "docs" / "reader-protocol.md"

AID_MIR = bytes.fromhex("A0000006581010")
AID_MAESTRO = bytes.fromhex("A0000000043060")

EMV_TLV = build_tlv(
    [
        (0x9F26, bytes.fromhex("8A1F3C5D7E9B0A21")),
        (0x9F27, b"\x80"),
        (0x9F10, bytes.fromhex("06010A03A00000")),
        (0x9F36, bytes.fromhex("0017")),
        (0x82, bytes.fromhex("1980")),
        (0x84, AID_MIR),
        (0x9F02, bytes.fromhex("000000350000")),
        (0x5F2A, bytes.fromhex("0643")),
        (0x9A, bytes.fromhex("240115")),
        (0x9C, b"\x00"),
        (0x9F37, bytes.fromhex("1B2C3D4E")),
        (0x95, bytes.fromhex("0000008000")),
        (0x9F1A, bytes.fromhex("0643")),
    ]
)
CARD_DATA = bytes(range(0x40))  # stands for a sealed blob: the codec does not look inside

MESSAGES: dict[str, m.Message] = {
    "get_info": m.GetInfo(),
    "reader_info": m.ReaderInfo(
        model="QPOS mini",
        serial="MPOS0000000001",
        firmware_version="2.4.1",
        protocol_version=1,
        battery_level=87,
        charging=False,
        app_selection_on_reader=False,
        nfc_default=True,
        max_message_size=8192,
        firmware_update=m.FirmwareUpdateInfo("2.5.0", required=False, size=98304, estimated_s=40),
    ),
    "start_transaction": m.StartTransaction(
        txn_id=1,
        kind=m.TxnKind.PURCHASE,
        amount_minor=350000,
        currency="643",
        order_number="1001",
        no_cvm_limit_minor=300000,
    ),
    "display_present_card": m.DisplayText(1, m.DisplayCode.PRESENT_CARD, "PRESENT CARD"),
    "card_read": m.CardRead(
        txn_id=1,
        entry_mode=m.EntryMode.NFC,
        masked_pan="220220******0016",
        brand="MIR",
        application_label="MIR",
        aid=AID_MIR,
        application_choice=m.ApplicationChoice.PRIORITY,
        cardholder="PETROVA/ANNA",
    ),
    "application_selection_request": m.ApplicationSelectionRequest(
        txn_id=2,
        applications=(
            m.CardApplication(AID_MIR, "MIR", 1),
            m.CardApplication(AID_MAESTRO, "Maestro", 2),
        ),
    ),
    "application_selected": m.ApplicationSelected(2, AID_MAESTRO),
    "cvm_result_pin": m.CvmResult(1, m.Cvm.PIN_ON_READER, pin_verified=True),
    "authorization_request": m.AuthorizationRequest(1, EMV_TLV, CARD_DATA, "sandbox-2024-01"),
    "authorization_response": m.AuthorizationResponse(
        txn_id=1,
        outcome=m.AuthorizationOutcome.APPROVED,
        response_code="AS000",
        issuer_response_code="00",
        auth_code="A1B2C3",
        issuer_data=build_tlv([(0x91, bytes.fromhex("11223344556677883030"))]),
    ),
    "transaction_result": m.TransactionResult(
        1, m.TxnOutcome.APPROVED, bytes.fromhex("0000008000"), bytes.fromhex("E800")
    ),
    "cancel_transaction": m.CancelTransaction(3),
    "battery_status": m.BatteryStatus(level=14, charging=False, low=True),
    "reader_fault": m.ReaderFault(
        m.FaultCode.LOW_BATTERY, "BATTERY LOW", details={"battery": "42", "needed": "50"}
    ),
    "firmware_chunk": m.FirmwareChunk(offset=4096, data=bytes.fromhex("DEADBEEF")),
}

FRAME_SEQUENCES: dict[str, tuple[int, m.Message, int]] = {
    # name: (sequence number, message, frame size = ATT MTU − 3)
    "card_read_mtu23": (5, MESSAGES["card_read"], 20),
    "authorization_response_mtu23": (7, MESSAGES["authorization_response"], 20),
}

SINGLE_FRAMES: dict[str, DataFrame | AckFrame | NakFrame] = {
    "ack_seq5": AckFrame(5),
    "nak_seq7": NakFrame(7, (1, 3)),
    "data_get_info": DataFrame(0, 0, 1, encode_message(m.GetInfo()), poll=True),
}


def frames_of(seq: int, msg: m.Message, frame_size: int) -> list[bytes]:
    frames = split_message(seq, encode_message(msg), frame_size)
    last = frames[-1]
    frames[-1] = DataFrame(last.seq, last.index, last.count, last.data, poll=True)
    return [encode_frame(f) for f in frames]


def doc_vectors() -> dict[str, list[bytes]]:
    text = DOC.read_text(encoding="utf-8")
    found: dict[str, list[bytes]] = {}
    for name, block in re.findall(r"<!-- vector (\S+) -->\s*```hex\n(.*?)```", text, re.DOTALL):
        lines = [line.split("#")[0].strip() for line in block.splitlines()]
        found[name] = [bytes.fromhex(line) for line in lines if line]
    return found


def test_the_document_has_every_vector_and_no_other() -> None:
    names = set(MESSAGES) | set(FRAME_SEQUENCES) | set(SINGLE_FRAMES) | {"crc16_check"}
    assert set(doc_vectors()) == names


@pytest.mark.parametrize("name", list(MESSAGES))
def test_message_vectors(name: str) -> None:
    (raw,) = [b"".join(doc_vectors()[name])]
    assert encode_message(MESSAGES[name]) == raw
    assert decode_message(raw) == MESSAGES[name]


@pytest.mark.parametrize("name", list(FRAME_SEQUENCES))
def test_frame_sequence_vectors(name: str) -> None:
    seq, msg, frame_size = FRAME_SEQUENCES[name]
    documented = doc_vectors()[name]
    assert frames_of(seq, msg, frame_size) == documented
    assert all(len(f) <= frame_size for f in documented)
    decoded = [decode_frame(f) for f in documented]
    data = [f for f in decoded if isinstance(f, DataFrame)]
    assert [f.poll for f in data] == [False] * (len(data) - 1) + [True]
    assert decode_message(b"".join(f.data for f in data)) == msg


@pytest.mark.parametrize("name", list(SINGLE_FRAMES))
def test_single_frame_vectors(name: str) -> None:
    (raw,) = doc_vectors()[name]
    assert encode_frame(SINGLE_FRAMES[name]) == raw
    assert decode_frame(raw) == SINGLE_FRAMES[name]


def test_crc_check_vector() -> None:
    (raw,) = doc_vectors()["crc16_check"]
    assert raw == crc16(b"123456789").to_bytes(2, "big")


def test_the_emv_data_of_the_vector_parses() -> None:
    assert [item.tag for item in parse_tlv(EMV_TLV)][:3] == [0x9F26, 0x9F27, 0x9F10]
