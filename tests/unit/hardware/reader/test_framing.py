"""Framing: frame layout, chunking at MTU 23/185/247/517, reassembly through lost, reordered,
duplicated and corrupted chunks (sans I/O: the test moves the frames)."""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_pos.hardware.reader.errors import ReaderProtocolError
from desktop_pos.hardware.reader.framing import (
    AckFrame,
    DataFrame,
    FrameError,
    MessageTooLarge,
    NakFrame,
    OutgoingMessage,
    Reassembler,
    chunk_capacity,
    crc16,
    decode_frame,
    encode_frame,
    frame_size_for,
    nak_capacity,
    seq_ahead,
    split_message,
)
from desktop_pos.hardware.reader.gatt_profile import MAX_MESSAGE_SIZE

MTUS = [23, 185, 247, 517]


def test_crc16_ccitt_false_check_value() -> None:
    assert crc16(b"123456789") == 0x29B1


def test_frame_sizes() -> None:
    assert frame_size_for(20) == 20
    assert frame_size_for(244) == 244
    assert frame_size_for(514) == 512  # an attribute value is at most 512 bytes
    with pytest.raises(ValueError):
        frame_size_for(19)
    assert chunk_capacity(20) == 13
    assert nak_capacity(20) == 112


@pytest.mark.parametrize(
    "frame",
    [
        DataFrame(0, 0, 1, b""),
        DataFrame(255, 4094, 4095, b"xyz", poll=True),
        AckFrame(7),
        NakFrame(9, (0, 3, 40)),
        NakFrame(9, (4000, 4094)),
        NakFrame(9, ()),
    ],
)
def test_frame_round_trip(frame: DataFrame | AckFrame | NakFrame) -> None:
    assert decode_frame(encode_frame(frame)) == frame


def test_frame_layout_bytes() -> None:
    raw = encode_frame(DataFrame(seq=2, index=1, count=3, data=b"\xab", poll=True))
    assert raw[:6] == bytes.fromhex("11 02 001003 ab")
    assert raw[6:] == crc16(raw[:6]).to_bytes(2, "big")
    assert encode_frame(AckFrame(2))[:2] == b"\x12\x02"
    assert encode_frame(NakFrame(2, (9, 1, 3)))[:6] == bytes.fromhex("13 02 0001 a080")


@given(st.binary(min_size=4, max_size=40), st.integers(0, 39), st.integers(1, 255))
def test_any_single_byte_corruption_is_detected(raw: bytes, pos: int, flip: int) -> None:
    frame = encode_frame(DataFrame(1, 0, 1, raw))
    pos %= len(frame)
    damaged = bytearray(frame)
    damaged[pos] ^= flip
    with pytest.raises(FrameError):
        decode_frame(bytes(damaged))


@pytest.mark.parametrize(
    "body",
    [
        b"\x12",  # too short
        b"\x22\x01",  # version 2
        b"\x10\x01\x00\x00",  # data frame without the whole position
        b"\x10\x01\x00\x00\x00",  # count 0
        b"\x10\x01\x00\x20\x02",  # index 2 of 2
        b"\x12\x01\x00",  # ACK with extra bytes
        b"\x13\x01\x00",  # NAK without a bitmap
        b"\x13\x01\x0f\xff\x80",  # NAK of chunk 4095
        b"\x17\x01",  # unknown type
    ],
)
def test_malformed_frames(body: bytes) -> None:
    with pytest.raises(FrameError):
        decode_frame(body + crc16(body).to_bytes(2, "big"))


def test_frame_error_is_a_protocol_error() -> None:
    assert issubclass(FrameError, ReaderProtocolError)
    assert issubclass(MessageTooLarge, ReaderProtocolError)


@pytest.mark.parametrize("mtu", MTUS)
def test_split_uses_the_whole_frame(mtu: int) -> None:
    size = frame_size_for(mtu - 3)
    frames = split_message(3, bytes(range(256)) * 4, size)
    encoded = [encode_frame(f) for f in frames]
    assert all(len(e) == size for e in encoded[:-1])
    assert len(encoded[-1]) <= size
    assert b"".join(f.data for f in frames) == bytes(range(256)) * 4


def test_largest_message_fits_at_mtu_23_and_larger_is_refused() -> None:
    frames = split_message(0, bytes(MAX_MESSAGE_SIZE), 20)
    assert len(frames) == -(-MAX_MESSAGE_SIZE // 13) == 631
    with pytest.raises(MessageTooLarge):
        split_message(0, bytes(MAX_MESSAGE_SIZE + 1), 20)
    with pytest.raises(MessageTooLarge):
        split_message(0, bytes(60_000), 20, max_message_size=100_000)  # over 4095 chunks


def test_receiver_drops_a_message_over_the_limit() -> None:
    receiver = Reassembler(max_message_size=20)
    frames = split_message(0, bytes(26), 20, max_message_size=100)
    receiver.on_data(frames[0])
    with pytest.raises(MessageTooLarge):
        receiver.on_data(frames[1])
    assert receiver.pending_seq is None


def test_seq_ahead_wraps() -> None:
    assert seq_ahead(0, 255)
    assert seq_ahead(5, 250)
    assert not seq_ahead(250, 5)
    assert not seq_ahead(7, 7)


# -- reassembly through an unreliable link ---------------------------------------------------


@dataclass
class Impairment:
    loss: float = 0.0
    duplicate: float = 0.0
    corrupt: float = 0.0
    reorder: bool = False


def _impair(frames: list[bytes], imp: Impairment, rnd: random.Random) -> list[bytes]:
    out: list[bytes] = []
    for frame in frames:
        if rnd.random() < imp.loss:
            continue
        if rnd.random() < imp.corrupt:
            damaged = bytearray(frame)
            damaged[rnd.randrange(len(damaged))] ^= 1 << rnd.randrange(8)
            frame = bytes(damaged)
        out.append(frame)
        if rnd.random() < imp.duplicate:
            out.append(frame)
    if imp.reorder:
        rnd.shuffle(out)
    return out


def transfer(
    payloads: list[bytes], frame_size: int, imp: Impairment, seed: int, max_rounds: int = 200
) -> tuple[list[bytes], int]:
    """Send payloads one after the other; returns (delivered messages, frames sent)."""
    rnd = random.Random(seed)
    receiver = Reassembler()
    receiver.nak_limit = nak_capacity(frame_size)
    delivered: list[bytes] = []
    sent = 0
    for seq, payload in enumerate(payloads):
        outgoing = OutgoingMessage(seq % 256, payload, frame_size)
        burst = outgoing.first_burst()
        for _ in range(max_rounds):
            sent += len(burst)
            replies: list[bytes] = []
            for raw in _impair(burst, imp, rnd):
                try:
                    frame = decode_frame(raw)
                except FrameError:
                    continue
                assert isinstance(frame, DataFrame)
                reception = receiver.on_data(frame)
                if reception.message is not None:
                    delivered.append(reception.message)
                replies += [encode_frame(r) for r in reception.replies]
            answer = None
            for raw in _impair(replies, imp, rnd):
                try:
                    reply = decode_frame(raw)
                except FrameError:
                    continue
                if reply.seq == outgoing.seq:
                    answer = reply
                    if isinstance(reply, AckFrame):
                        break
            if isinstance(answer, AckFrame):
                outgoing.on_ack()
                break
            burst = (
                outgoing.on_nak(answer.missing)
                if isinstance(answer, NakFrame)
                else (outgoing.on_timeout())
            )
        assert outgoing.acked, f"message {seq} not acknowledged"
    return delivered, sent


IMPAIRMENTS = {
    "clean": Impairment(),
    "lost": Impairment(loss=0.2),
    "reordered": Impairment(reorder=True),
    "duplicated": Impairment(duplicate=0.3),
    "corrupted": Impairment(corrupt=0.2),
    "everything": Impairment(loss=0.15, duplicate=0.15, corrupt=0.15, reorder=True),
}


@pytest.mark.parametrize("mtu", MTUS)
@pytest.mark.parametrize("name", list(IMPAIRMENTS))
def test_messages_arrive_once_and_in_order(mtu: int, name: str) -> None:
    rnd = random.Random(mtu)
    payloads = [rnd.randbytes(n) for n in (0, 1, 13, 14, 200, 1500, 5000, 20)]
    delivered, _ = transfer(payloads, frame_size_for(mtu - 3), IMPAIRMENTS[name], seed=mtu)
    assert delivered == payloads


def test_clean_link_sends_each_chunk_once() -> None:
    payload = bytes(200)
    delivered, sent = transfer([payload], 20, Impairment(), seed=1)
    assert delivered == [payload]
    assert sent == -(-200 // 13)


def test_sequence_numbers_wrap() -> None:
    payloads = [bytes([i % 256]) * 3 for i in range(300)]
    delivered, _ = transfer(payloads, 20, Impairment(loss=0.1, duplicate=0.1), seed=3)
    assert delivered == payloads


@settings(max_examples=40, deadline=None)
@given(
    payloads=st.lists(st.binary(max_size=600), min_size=1, max_size=4),
    mtu=st.sampled_from(MTUS),
    loss=st.floats(0, 0.3),
    duplicate=st.floats(0, 0.3),
    corrupt=st.floats(0, 0.3),
    reorder=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_hypothesis_round_trip_through_a_bad_link(
    payloads: list[bytes],
    mtu: int,
    loss: float,
    duplicate: float,
    corrupt: float,
    reorder: bool,
    seed: int,
) -> None:
    imp = Impairment(loss, duplicate, corrupt, reorder)
    delivered, _ = transfer(payloads, frame_size_for(mtu - 3), imp, seed, max_rounds=1000)
    assert delivered == payloads


def test_duplicate_of_a_delivered_message_is_acked_not_delivered() -> None:
    receiver = Reassembler()
    frame = DataFrame(0, 0, 1, b"hi", poll=True)
    assert receiver.on_data(frame).message == b"hi"
    again = receiver.on_data(frame)
    assert again.message is None and again.duplicate
    assert again.replies == [AckFrame(0)]


def test_poll_with_gaps_gets_a_nak_listing_them() -> None:
    receiver = Reassembler()
    frames = split_message(0, bytes(60), 20)
    reception = receiver.on_data(
        DataFrame(0, frames[-1].index, frames[-1].count, frames[-1].data, poll=True)
    )
    assert reception.replies == [NakFrame(0, (0, 1, 2, 3))]


def test_nak_is_capped_to_one_frame() -> None:
    receiver = Reassembler()
    receiver.nak_limit = nak_capacity(20)
    frames = split_message(0, bytes(2000), 20)
    receiver.on_data(frames[5])
    last = frames[-1]
    reception = receiver.on_data(DataFrame(0, last.index, last.count, last.data, poll=True))
    expected = tuple(i for i in range(112) if i != 5)
    assert reception.replies == [NakFrame(0, expected)]
    assert len(encode_frame(reception.replies[0])) == 20


def test_stale_frames_are_ignored() -> None:
    receiver = Reassembler()
    receiver.on_data(DataFrame(0, 0, 1, b"a"))
    reception = receiver.on_data(DataFrame(200, 0, 1, b"old"))
    assert reception.stale and reception.message is None and not reception.replies


def test_a_new_message_replaces_an_abandoned_one() -> None:
    receiver = Reassembler()
    receiver.on_data(DataFrame(0, 0, 2, b"half"))
    reception = receiver.on_data(DataFrame(1, 0, 1, b"next"))
    assert reception.message == b"next"
    assert receiver.last_delivered == 1


def test_sender_nak_and_timeout_bursts() -> None:
    outgoing = OutgoingMessage(4, bytes(100), 20)
    first = [decode_frame(f) for f in outgoing.first_burst()]
    assert [f.poll for f in first if isinstance(f, DataFrame)] == [False] * 7 + [True]
    again = [decode_frame(f) for f in outgoing.on_nak([5, 2, 99])]
    assert [(f.index, f.poll) for f in again if isinstance(f, DataFrame)] == [
        (2, False),
        (5, True),
    ]
    poll = [decode_frame(f) for f in outgoing.on_timeout()]
    assert poll == [DataFrame(4, 5, 8, bytes(13), poll=True)]
    invalid = [decode_frame(f) for f in outgoing.on_nak([99])]
    assert invalid == poll
