"""The message channel both ends of the reader link run over their GATT characteristics.

``MessageChannel`` turns whole messages into frames (``framing``) and back: ``send`` writes every
chunk of a message back to back and waits for the one acknowledgement of that message,
retransmitting what the receiver reports missing (NAK) or re-polling after ``ack_timeout_s``;
``feed`` takes each incoming write or notification; ``receive`` returns whole messages in order.
One message is in flight per direction (``send`` calls queue behind each other); both directions
run at once. The transport is a single coroutine, ``write(frame)``: a GATT write without response
on the host, a notification on the reader.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any, Final

from desktop_pos.hardware.reader.codec import decode_message, encode_message
from desktop_pos.hardware.reader.errors import LinkClosed, LinkTimeout
from desktop_pos.hardware.reader.framing import (
    SEQ_MODULO,
    AckFrame,
    DataFrame,
    FrameError,
    MessageTooLarge,
    NakFrame,
    OutgoingMessage,
    Reassembler,
    decode_frame,
    encode_frame,
    frame_size_for,
    nak_capacity,
)
from desktop_pos.hardware.reader.gatt_profile import MAX_MESSAGE_SIZE
from desktop_pos.hardware.reader.messages import Message

_log = logging.getLogger(__name__)

NAK_ROUNDS_PER_RETRY: Final = 8
"""NAK rounds allowed for one message per allowed retry (the receiver answers, so it is alive)."""


@dataclass(slots=True)
class ChannelStats:
    """Counters of one channel; bytes are frame bytes, i.e. ATT values on the air."""

    messages_sent: int = 0
    messages_received: int = 0
    frames_sent: int = 0
    bytes_sent: int = 0
    frames_received: int = 0
    bytes_received: int = 0
    retransmissions: int = 0
    """DATA frames sent again (after a NAK or a timeout)."""
    timeouts: int = 0
    acks_sent: int = 0
    naks_sent: int = 0
    acks_received: int = 0
    naks_received: int = 0
    bad_frames: int = 0
    """Frames dropped: checksum mismatch, wrong version, bad layout, oversize message."""
    duplicate_frames: int = 0


_CLOSED: Final = object()


class MessageChannel:
    """Reliable, ordered messages over one write function and one feed of incoming frames."""

    def __init__(
        self,
        write: Callable[[bytes], Awaitable[None]],
        *,
        payload_size: int,
        ack_timeout_s: float = 0.5,
        max_retries: int = 4,
        name: str = "",
        max_message_size: int = MAX_MESSAGE_SIZE,
    ) -> None:
        self._write = write
        self._payload_size = 0
        self.payload_size = payload_size
        self.ack_timeout_s = ack_timeout_s
        self.max_retries = max_retries
        self.name = name or "reader-link"
        self.max_message_size = max_message_size
        self.stats = ChannelStats()
        self._reassembler = Reassembler(max_message_size=max_message_size)
        self._reassembler.nak_limit = nak_capacity(self._frame_size)
        self._inbox: asyncio.Queue[object] = asyncio.Queue()
        self._send_lock = asyncio.Lock()
        self._write_lock = asyncio.Lock()
        self._next_seq = 0
        self._outgoing: OutgoingMessage | None = None
        self._replies: asyncio.Queue[object] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._close_error: BaseException | None = None
        self._closed = False

    # -- configuration ---------------------------------------------------------------------

    @property
    def payload_size(self) -> int:
        """The ATT payload size (MTU − 3); set it again after an MTU exchange."""
        return self._payload_size

    @payload_size.setter
    def payload_size(self, value: int) -> None:
        self._frame_size = frame_size_for(value)
        self._payload_size = value
        if hasattr(self, "_reassembler"):
            self._reassembler.nak_limit = nak_capacity(self._frame_size)

    @property
    def frame_size(self) -> int:
        return self._frame_size

    @property
    def closed(self) -> bool:
        return self._closed

    # -- incoming --------------------------------------------------------------------------

    def feed(self, chunk: bytes) -> None:
        """One incoming frame (a notification or a write), from the loop's thread."""
        if self._closed:
            return
        self.stats.frames_received += 1
        self.stats.bytes_received += len(chunk)
        try:
            frame = decode_frame(chunk)
        except FrameError as exc:
            self.stats.bad_frames += 1
            _log.debug("%s: dropped a frame: %s", self.name, exc.detail)
            return
        if isinstance(frame, DataFrame):
            self._on_data(frame)
        else:
            self._on_reply(frame)

    def _on_data(self, frame: DataFrame) -> None:
        try:
            reception = self._reassembler.on_data(frame)
        except MessageTooLarge as exc:
            self.stats.bad_frames += 1
            _log.warning("%s: %s", self.name, exc.detail)
            return
        if reception.duplicate or reception.stale:
            self.stats.duplicate_frames += 1
        if reception.message is not None:
            self.stats.messages_received += 1
            self._inbox.put_nowait(reception.message)
        for reply in reception.replies:
            if isinstance(reply, AckFrame):
                self.stats.acks_sent += 1
            else:
                self.stats.naks_sent += 1
            self._spawn(self._write_frame(encode_frame(reply)))

    def _on_reply(self, frame: AckFrame | NakFrame) -> None:
        if isinstance(frame, AckFrame):
            self.stats.acks_received += 1
        else:
            self.stats.naks_received += 1
        outgoing = self._outgoing
        if outgoing is None or frame.seq != outgoing.seq or self._replies is None:
            return
        self._replies.put_nowait(frame)

    async def receive(self) -> bytes:
        """The next whole message, in order; raises ``LinkClosed`` once the channel is closed."""
        item = await self._inbox.get()
        if item is _CLOSED:
            self._inbox.put_nowait(_CLOSED)
            raise self._closed_error()
        assert isinstance(item, bytes)
        return item

    # -- outgoing --------------------------------------------------------------------------

    async def send(self, payload: bytes) -> None:
        """Send one message and wait for its acknowledgement.

        Raises ``LinkTimeout`` after ``max_retries`` timeouts in a row without an answer,
        ``LinkClosed`` when the channel is or gets closed, ``MessageTooLarge`` (a
        ``ReaderProtocolError``) for a message over the maximum size.
        """
        if self._closed:
            raise self._closed_error()
        async with self._send_lock:
            if self._closed:
                raise self._closed_error()
            seq = self._next_seq
            outgoing = OutgoingMessage(
                seq, bytes(payload), self._frame_size, max_message_size=self.max_message_size
            )
            self._next_seq = (seq + 1) % SEQ_MODULO
            replies: asyncio.Queue[object] = asyncio.Queue()
            self._outgoing, self._replies = outgoing, replies
            try:
                await self._deliver(outgoing, replies)
            finally:
                self._outgoing, self._replies = None, None
            self.stats.messages_sent += 1

    async def _deliver(self, outgoing: OutgoingMessage, replies: asyncio.Queue[object]) -> None:
        await self._write_frames(outgoing.first_burst())
        timeouts = 0
        nak_rounds = 0
        while True:
            try:
                # Not ``wait_for``: on Python 3.11 it returns the reply when the task is
                # cancelled in the same loop iteration the reply arrives (the cancellation is
                # lost) and drops a reply it took while being cancelled.
                async with asyncio.timeout(self.ack_timeout_s):
                    reply = await replies.get()
            except TimeoutError:
                timeouts += 1
                self.stats.timeouts += 1
                if timeouts > self.max_retries:
                    raise LinkTimeout(
                        f"{self.name}: message {outgoing.seq} not acknowledged after "
                        f"{self.max_retries} retransmissions"
                    ) from None
                frames = outgoing.on_timeout()
            else:
                if reply is _CLOSED:
                    raise self._closed_error()
                if isinstance(reply, AckFrame):
                    outgoing.on_ack()
                    return
                assert isinstance(reply, NakFrame)
                timeouts = 0  # the receiver answers: only its missing chunks need resending
                nak_rounds += 1
                if nak_rounds > NAK_ROUNDS_PER_RETRY * (self.max_retries + 1):
                    raise LinkTimeout(
                        f"{self.name}: message {outgoing.seq} still incomplete after "
                        f"{nak_rounds - 1} retransmission rounds"
                    )
                frames = outgoing.on_nak(reply.missing)
            self.stats.retransmissions += len(frames)
            await self._write_frames(frames)

    async def _write_frames(self, frames: list[bytes]) -> None:
        for frame in frames:
            if self._closed:
                raise self._closed_error()
            await self._write_frame(frame)

    async def _write_frame(self, frame: bytes) -> None:
        async with self._write_lock:
            if self._closed:
                return
            try:
                await self._write(frame)
            except (asyncio.CancelledError, LinkClosed):
                raise
            except Exception as exc:  # the transport's own errors (bleak, bumble, OS)
                _log.warning("%s: write failed: %s", self.name, exc)
                self.close(exc)
                raise self._closed_error() from exc
            self.stats.frames_sent += 1
            self.stats.bytes_sent += len(frame)

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            _log.debug("%s: control frame not sent: %s", self.name, task.exception())

    # -- closing ---------------------------------------------------------------------------

    def close(self, error: BaseException | None = None) -> None:
        """Close the channel: pending and later ``send``/``receive`` raise ``LinkClosed``.

        Messages received before closing are still returned by ``receive`` first.
        """
        if self._closed:
            return
        self._closed = True
        self._close_error = error
        self._inbox.put_nowait(_CLOSED)
        if self._replies is not None:
            self._replies.put_nowait(_CLOSED)
        for task in list(self._tasks):
            task.cancel()

    def _closed_error(self) -> LinkClosed:
        error = self._close_error
        if isinstance(error, LinkClosed):
            closed = LinkClosed(detail=error.detail)
        elif error is not None:
            closed = LinkClosed(detail=f"{self.name}: {error}")
        else:
            closed = LinkClosed(detail=f"{self.name}: channel closed")
        closed.__cause__ = error
        return closed

    def describe(self) -> str:
        s = self.stats
        return (
            f"{self.name}: sent {s.messages_sent} messages in {s.frames_sent} frames "
            f"({s.bytes_sent} bytes), received {s.messages_received} in {s.frames_received} "
            f"({s.bytes_received} bytes), {s.retransmissions} retransmitted"
        )


async def send_message(channel: MessageChannel, msg: Message) -> None:
    """Encode and send one message."""
    await channel.send(encode_message(msg))


async def receive_message(channel: MessageChannel) -> Message:
    """The next message; ``ReaderProtocolError`` when its bytes do not decode."""
    return decode_message(await channel.receive())


__all__ = ["ChannelStats", "MessageChannel", "receive_message", "send_message"]
