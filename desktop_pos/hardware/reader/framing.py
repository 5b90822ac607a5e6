"""Chunking of reader link messages into ATT-sized frames, sans I/O (docs/reader-protocol.md).

Every GATT write (host → reader) and notification (reader → host) carries one frame of at most
``ATT MTU − 3`` bytes (and at most 512, the largest attribute value). Frames::

    DATA      0x10|poll · seq · index/count (3 bytes: index 12 bits, count 12 bits) · data · CRC
    ACK       0x12 · seq · CRC
    NAK       0x13 · seq · first missing index (2 bytes) · bitmap of missing chunks · CRC

The first byte is the protocol version (high nibble) and the frame type (low nibble); the CRC is
CRC-16/CCITT-FALSE (polynomial 0x1021, initial value 0xFFFF, big-endian) over all bytes before it.
At the smallest MTU (23) a frame is 20 bytes and a DATA frame carries 13 bytes of message.

Flow control is one message in flight per direction with a per-message acknowledgement, not one
per chunk: the sender writes every chunk of a message back to back and sets POLL on the last one;
the receiver answers ACK once it has the whole message (at once when the last missing chunk
arrives, and again to any POLL of a message it already delivered) or, to a POLL while chunks are
missing, a NAK listing them; the sender resends those (POLL on the last again). No answer within
the timeout → the sender re-sends its last chunk with POLL. ``OutgoingMessage`` is the sender's
state for one message, ``Reassembler`` the receiver's; ``channel`` puts them on asyncio.
"""

from __future__ import annotations

import binascii
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Final

from desktop_pos.hardware.reader.errors import ReaderProtocolError
from desktop_pos.hardware.reader.gatt_profile import MAX_MESSAGE_SIZE, MIN_ATT_MTU, PROTOCOL_VERSION

MAX_ATTRIBUTE_SIZE: Final = 512
"""The largest attribute value (Bluetooth Core, Vol 3 Part F 3.2.9): a frame never exceeds it."""
MIN_FRAME_SIZE: Final = MIN_ATT_MTU - 3
DATA_HEADER_SIZE: Final = 5
CRC_SIZE: Final = 2
DATA_OVERHEAD: Final = DATA_HEADER_SIZE + CRC_SIZE
MAX_CHUNKS: Final = 0xFFF
SEQ_MODULO: Final = 256


class FrameType(IntEnum):
    DATA = 0
    DATA_POLL = 1
    ACK = 2
    NAK = 3


class FrameError(ReaderProtocolError):
    """A frame that is damaged or does not follow the frame layout."""


class MessageTooLarge(ReaderProtocolError):
    """A message above the agreed maximum size."""


@dataclass(frozen=True, slots=True)
class DataFrame:
    seq: int
    index: int
    count: int
    data: bytes
    poll: bool = False


@dataclass(frozen=True, slots=True)
class AckFrame:
    seq: int


@dataclass(frozen=True, slots=True)
class NakFrame:
    seq: int
    missing: tuple[int, ...]


Frame = DataFrame | AckFrame | NakFrame


def crc16(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: ``crc16(b"123456789") == 0x29B1``."""
    return binascii.crc_hqx(data, 0xFFFF)


def frame_size_for(payload_size: int) -> int:
    """The frame size for an ATT payload size (MTU − 3): capped at 512, at least 20."""
    if payload_size < MIN_FRAME_SIZE:
        raise ValueError(f"payload size {payload_size} is below the minimum {MIN_FRAME_SIZE}")
    return min(payload_size, MAX_ATTRIBUTE_SIZE)


def chunk_capacity(frame_size: int) -> int:
    """Message bytes one DATA frame of ``frame_size`` carries."""
    return frame_size - DATA_OVERHEAD


def nak_capacity(frame_size: int) -> int:
    """How many chunk positions (from the first missing one) one NAK of ``frame_size`` covers."""
    return (frame_size - 4 - CRC_SIZE) * 8


def _seal(body: bytes) -> bytes:
    return body + crc16(body).to_bytes(2, "big")


def _type_byte(kind: FrameType) -> int:
    return (PROTOCOL_VERSION << 4) | int(kind)


def _check_seq(seq: int) -> None:
    if not 0 <= seq < SEQ_MODULO:
        raise FrameError(f"sequence number out of range: {seq}")


def encode_frame(frame: Frame) -> bytes:
    _check_seq(frame.seq)
    if isinstance(frame, DataFrame):
        if not 1 <= frame.count <= MAX_CHUNKS or not 0 <= frame.index < frame.count:
            raise FrameError(f"chunk {frame.index} of {frame.count} out of range")
        kind = FrameType.DATA_POLL if frame.poll else FrameType.DATA
        position = (frame.index << 12 | frame.count).to_bytes(3, "big")
        return _seal(bytes((_type_byte(kind), frame.seq)) + position + frame.data)
    if isinstance(frame, AckFrame):
        return _seal(bytes((_type_byte(FrameType.ACK), frame.seq)))
    body = bytearray((_type_byte(FrameType.NAK), frame.seq))
    missing = sorted(set(frame.missing))
    if missing:
        if missing[0] < 0 or missing[-1] >= MAX_CHUNKS:
            raise FrameError(f"chunk index out of range: {missing}")
        base = missing[0]
        bitmap = bytearray((missing[-1] - base) // 8 + 1)
        for index in missing:
            offset = index - base
            bitmap[offset // 8] |= 0x80 >> (offset % 8)
        body += base.to_bytes(2, "big") + bitmap
    return _seal(bytes(body))


def decode_frame(raw: bytes) -> Frame:
    """The frame in one write or notification; raises ``FrameError`` when damaged."""
    raw = bytes(raw)
    if len(raw) < 2 + CRC_SIZE:
        raise FrameError(f"frame too short ({len(raw)} bytes)")
    body, crc = raw[:-CRC_SIZE], int.from_bytes(raw[-CRC_SIZE:], "big")
    if crc16(body) != crc:
        raise FrameError("frame checksum mismatch")
    version, kind = body[0] >> 4, body[0] & 0x0F
    if version != PROTOCOL_VERSION:
        raise FrameError(f"unsupported frame version {version}")
    seq = body[1]
    if kind in (FrameType.DATA, FrameType.DATA_POLL):
        if len(body) < DATA_HEADER_SIZE:
            raise FrameError("data frame too short")
        position = int.from_bytes(body[2:5], "big")
        index, count = position >> 12, position & 0xFFF
        if count == 0 or index >= count:
            raise FrameError(f"chunk {index} of {count} out of range")
        return DataFrame(seq, index, count, body[5:], poll=kind == FrameType.DATA_POLL)
    if kind == FrameType.ACK:
        if len(body) != 2:
            raise FrameError("ACK frame with extra bytes")
        return AckFrame(seq)
    if kind == FrameType.NAK:
        if len(body) == 2:
            return NakFrame(seq, ())
        if len(body) < 5:
            raise FrameError("NAK frame without a bitmap")
        base = int.from_bytes(body[2:4], "big")
        missing = tuple(
            base + 8 * byte_no + bit
            for byte_no, byte in enumerate(body[4:])
            for bit in range(8)
            if byte & (0x80 >> bit)
        )
        if missing and missing[-1] >= MAX_CHUNKS:
            raise FrameError("NAK names a chunk index out of range")
        return NakFrame(seq, missing)
    raise FrameError(f"unknown frame type {kind}")


def split_message(
    seq: int, payload: bytes, frame_size: int, *, max_message_size: int = MAX_MESSAGE_SIZE
) -> list[DataFrame]:
    """The DATA frames of one message (none of them polling)."""
    if len(payload) > max_message_size:
        raise MessageTooLarge(f"message of {len(payload)} bytes, the limit is {max_message_size}")
    capacity = chunk_capacity(frame_size)
    count = max(1, -(-len(payload) // capacity))
    if count > MAX_CHUNKS:
        raise MessageTooLarge(f"message of {len(payload)} bytes needs {count} chunks")
    return [
        DataFrame(seq, i, count, payload[i * capacity : (i + 1) * capacity]) for i in range(count)
    ]


def seq_ahead(seq: int, reference: int) -> bool:
    """``seq`` comes after ``reference`` (serial number arithmetic modulo 256)."""
    return 0 < (seq - reference) % SEQ_MODULO < SEQ_MODULO // 2


class OutgoingMessage:
    """The sender's side of one message: first burst, NAK and timeout retransmissions."""

    def __init__(
        self, seq: int, payload: bytes, frame_size: int, *, max_message_size: int = MAX_MESSAGE_SIZE
    ) -> None:
        _check_seq(seq)
        self.seq = seq
        self.size = len(payload)
        self.frames = split_message(seq, payload, frame_size, max_message_size=max_message_size)
        self._encoded = [encode_frame(f) for f in self.frames]
        self._last_sent = len(self.frames) - 1
        self.acked = False

    @property
    def count(self) -> int:
        return len(self.frames)

    def _burst(self, indices: Sequence[int]) -> list[bytes]:
        out = [self._encoded[i] for i in indices[:-1]]
        last = indices[-1]
        frame = self.frames[last]
        out.append(encode_frame(DataFrame(frame.seq, frame.index, frame.count, frame.data, True)))
        self._last_sent = last
        return out

    def first_burst(self) -> list[bytes]:
        """Every chunk, the last one polling."""
        return self._burst(list(range(self.count)))

    def on_nak(self, missing: Iterable[int]) -> list[bytes]:
        """The chunks a NAK asks for (in order, the last polling); a re-poll if none is valid."""
        wanted = sorted({i for i in missing if 0 <= i < self.count})
        if not wanted:
            return self.on_timeout()
        return self._burst(wanted)

    def on_timeout(self) -> list[bytes]:
        """No answer: the last chunk sent, polling again."""
        return self._burst([self._last_sent])

    def on_ack(self) -> None:
        self.acked = True


@dataclass(slots=True)
class Reception:
    """What the receiver does with one DATA frame."""

    replies: list[Frame] = field(default_factory=list)
    message: bytes | None = None
    duplicate: bool = False
    stale: bool = False


class Reassembler:
    """The receiver's side: one message at a time, delivered once and in order."""

    def __init__(self, *, max_message_size: int = MAX_MESSAGE_SIZE) -> None:
        self.max_message_size = max_message_size
        self.nak_limit = nak_capacity(MIN_FRAME_SIZE)
        self.last_delivered = SEQ_MODULO - 1
        """The sequence number of the last message delivered (255 before the first, seq 0)."""
        self._seq: int | None = None
        self._count = 0
        self._chunks: dict[int, bytes] = {}
        self._size = 0

    @property
    def pending_seq(self) -> int | None:
        return self._seq

    def missing(self) -> list[int]:
        return [i for i in range(self._count) if i not in self._chunks]

    def _reset(self, seq: int | None, count: int = 0) -> None:
        self._seq, self._count, self._chunks, self._size = seq, count, {}, 0

    def on_data(self, frame: DataFrame) -> Reception:
        result = Reception()
        if frame.seq == self.last_delivered:
            result.duplicate = True
            if frame.poll:
                result.replies.append(AckFrame(frame.seq))
            return result
        if not seq_ahead(frame.seq, self.last_delivered):
            result.stale = True
            return result
        if frame.seq != self._seq or frame.count != self._count:
            self._reset(frame.seq, frame.count)
        if frame.index in self._chunks:
            result.duplicate = True
        else:
            self._chunks[frame.index] = frame.data
            self._size += len(frame.data)
            if self._size > self.max_message_size:
                seq = self._seq
                self._reset(None)
                raise MessageTooLarge(
                    f"message {seq} exceeds {self.max_message_size} bytes; dropped"
                )
        if len(self._chunks) == self._count:
            chunks = self._chunks
            result.message = b"".join(chunks[i] for i in range(self._count))
            self.last_delivered = frame.seq
            self._reset(None)
            result.replies.append(AckFrame(frame.seq))
        elif frame.poll:
            missing = self.missing()
            window = missing[0] + self.nak_limit
            result.replies.append(NakFrame(frame.seq, tuple(i for i in missing if i < window)))
        return result
