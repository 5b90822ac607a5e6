"""MessageChannel: two channels joined by an in-memory pipe that loses, reorders, duplicates and
corrupts frames; timeouts, closing, write failures, statistics."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable

import pytest

from desktop_pos.hardware.reader import messages as m
from desktop_pos.hardware.reader.channel import MessageChannel, receive_message, send_message
from desktop_pos.hardware.reader.errors import LinkClosed, LinkTimeout, ReaderProtocolError
from desktop_pos.hardware.reader.gatt_profile import MAX_MESSAGE_SIZE
from tests.async_helpers import run_coroutine

MTUS = [23, 185, 247, 517]


class LossyPipe:
    """One direction of the link: frames reach ``target.feed`` later, maybe damaged or not."""

    def __init__(
        self,
        rnd: random.Random,
        *,
        loss: float = 0.0,
        duplicate: float = 0.0,
        corrupt: float = 0.0,
        reorder: float = 0.0,
    ) -> None:
        self.rnd = rnd
        self.loss, self.duplicate, self.corrupt, self.reorder = loss, duplicate, corrupt, reorder
        self.target: MessageChannel | None = None
        self.frames: list[bytes] = []

    async def write(self, frame: bytes) -> None:
        self.frames.append(frame)
        loop = asyncio.get_running_loop()
        assert self.target is not None
        if self.rnd.random() < self.loss:
            return
        if self.rnd.random() < self.corrupt:
            damaged = bytearray(frame)
            damaged[self.rnd.randrange(len(damaged))] ^= 0x10
            frame = bytes(damaged)
        copies = 2 if self.rnd.random() < self.duplicate else 1
        for _ in range(copies):
            if self.rnd.random() < self.reorder:
                loop.call_later(self.rnd.random() * 0.004, self.target.feed, frame)
            else:
                loop.call_soon(self.target.feed, frame)


def pair(
    payload_size: int,
    seed: int = 0,
    ack_timeout_s: float = 0.03,
    max_retries: int = 8,
    **imp: float,
) -> tuple[MessageChannel, MessageChannel, LossyPipe, LossyPipe]:
    rnd = random.Random(seed)
    to_reader, to_host = LossyPipe(rnd, **imp), LossyPipe(rnd, **imp)
    host = MessageChannel(
        to_reader.write,
        payload_size=payload_size,
        ack_timeout_s=ack_timeout_s,
        max_retries=max_retries,
        name="host",
    )
    reader = MessageChannel(
        to_host.write,
        payload_size=payload_size,
        ack_timeout_s=ack_timeout_s,
        max_retries=max_retries,
        name="reader",
    )
    to_reader.target, to_host.target = reader, host
    return host, reader, to_reader, to_host


def run(test: Callable[[], Awaitable[None]]) -> None:
    async def bounded() -> None:
        await asyncio.wait_for(test(), 30)

    run_coroutine(bounded())


async def exchange(a: MessageChannel, b: MessageChannel, payloads: list[bytes]) -> list[bytes]:
    async def receive_all() -> list[bytes]:
        return [await b.receive() for _ in payloads]

    receiver = asyncio.create_task(receive_all())
    for payload in payloads:
        await a.send(payload)
    return await receiver


@pytest.mark.parametrize("mtu", MTUS)
@pytest.mark.parametrize(
    "impairment",
    [
        {},
        {"loss": 0.15},
        {"reorder": 0.5},
        {"duplicate": 0.3},
        {"corrupt": 0.15},
        {"loss": 0.1, "duplicate": 0.1, "corrupt": 0.1, "reorder": 0.3},
    ],
    ids=["clean", "lost", "reordered", "duplicated", "corrupted", "everything"],
)
def test_both_directions_at_once(mtu: int, impairment: dict[str, float]) -> None:
    async def scenario() -> None:
        host, reader, _, _ = pair(
            mtu - 3,
            seed=mtu,
            loss=impairment.get("loss", 0.0),
            duplicate=impairment.get("duplicate", 0.0),
            corrupt=impairment.get("corrupt", 0.0),
            reorder=impairment.get("reorder", 0.0),
        )
        rnd = random.Random(mtu)
        down = [rnd.randbytes(n) for n in (2, 40, 700, 3000, 13)]
        up = [rnd.randbytes(n) for n in (5, 1200, 64, 0, 250)]
        got_down, got_up = await asyncio.gather(
            exchange(host, reader, down), exchange(reader, host, up)
        )
        assert got_down == down
        assert got_up == up
        host.close()
        reader.close()

    run(scenario)


def test_clean_link_costs_one_frame_per_chunk_and_one_ack_per_message() -> None:
    async def scenario() -> None:
        host, reader, to_reader, to_host = pair(20)
        await exchange(host, reader, [bytes(100)])
        assert len(to_reader.frames) == 8  # ceil(100 / 13)
        assert len(to_host.frames) == 1  # the ACK
        assert host.stats.frames_sent == 8
        assert host.stats.bytes_sent == 7 * 20 + (100 - 7 * 13) + 7
        assert host.stats.retransmissions == 0
        assert host.stats.acks_received == 1
        assert reader.stats.acks_sent == 1
        assert reader.stats.messages_received == 1
        assert "sent 1 messages in 8 frames" in host.describe()

    run(scenario)


def test_messages_round_trip_through_the_codec() -> None:
    async def scenario() -> None:
        host, reader, _, _ = pair(20, loss=0.1)
        sent: list[m.Message] = [
            m.GetInfo(),
            m.StartTransaction(9, m.TxnKind.REFUND, 350000, "643", "A-17", 300000, False),
        ]

        async def receive_all() -> list[m.Message]:
            return [await receive_message(reader) for _ in sent]

        receiver = asyncio.create_task(receive_all())
        for msg in sent:
            await send_message(host, msg)
        assert await receiver == sent

    run(scenario)


def test_concurrent_sends_keep_their_order() -> None:
    async def scenario() -> None:
        host, reader, _, _ = pair(20, reorder=0.5)
        payloads = [bytes([i]) * 30 for i in range(10)]

        async def receive_all() -> list[bytes]:
            return [await reader.receive() for _ in payloads]

        receiver = asyncio.create_task(receive_all())
        await asyncio.gather(*[host.send(p) for p in payloads])
        assert await receiver == payloads

    run(scenario)


def test_no_answer_raises_link_timeout_after_the_retries() -> None:
    async def scenario() -> None:
        frames: list[bytes] = []

        async def black_hole(frame: bytes) -> None:
            frames.append(frame)

        channel = MessageChannel(black_hole, payload_size=20, ack_timeout_s=0.01, max_retries=3)
        with pytest.raises(LinkTimeout):
            await channel.send(bytes(30))
        assert len(frames) == 3 + 3  # the first burst, then one re-poll per retry
        assert channel.stats.timeouts == 4
        assert channel.stats.retransmissions == 3

    run(scenario)


def test_peer_that_comes_back_gets_the_message() -> None:
    async def scenario() -> None:
        host, reader, to_reader, _ = pair(20, ack_timeout_s=0.01)
        to_reader.loss = 1.0
        receiver = asyncio.create_task(reader.receive())
        sender = asyncio.create_task(host.send(b"late but whole"))
        await asyncio.sleep(0.025)
        to_reader.loss = 0.0
        await sender
        assert await receiver == b"late but whole"
        assert host.stats.timeouts >= 1

    run(scenario)


def test_next_message_after_a_timeout_goes_through() -> None:
    async def scenario() -> None:
        host, reader, to_reader, _ = pair(20, ack_timeout_s=0.01, max_retries=1)
        to_reader.loss = 1.0
        with pytest.raises(LinkTimeout):
            await host.send(b"lost")
        to_reader.loss = 0.0
        assert await exchange(host, reader, [b"next"]) == [b"next"]

    run(scenario)


def test_close_wakes_receivers_and_senders() -> None:
    async def scenario() -> None:
        host, reader, to_reader, _ = pair(20)
        await exchange(host, reader, [])
        to_reader.loss = 1.0
        receiving = asyncio.create_task(host.receive())
        sending = asyncio.create_task(host.send(b"never acked"))
        await asyncio.sleep(0.005)
        host.close(ConnectionError("radio off"))
        with pytest.raises(LinkClosed) as info:
            await receiving
        assert "radio off" in info.value.detail
        assert isinstance(info.value.__cause__, ConnectionError)
        with pytest.raises(LinkClosed):
            await sending
        with pytest.raises(LinkClosed):
            await host.send(b"x")
        with pytest.raises(LinkClosed):
            await host.receive()
        assert host.closed
        host.feed(b"ignored after close")
        host.close()  # twice is harmless

    run(scenario)


def test_messages_received_before_close_are_still_returned() -> None:
    async def scenario() -> None:
        host, reader, _, _ = pair(20)
        await host.send(b"one")
        await host.send(b"two")
        reader.close()
        assert await reader.receive() == b"one"
        assert await reader.receive() == b"two"
        with pytest.raises(LinkClosed, match="channel closed"):
            await reader.receive()

    run(scenario)


def test_a_failing_write_closes_the_channel() -> None:
    async def scenario() -> None:
        async def broken(frame: bytes) -> None:
            raise OSError("device gone")

        channel = MessageChannel(broken, payload_size=20, name="host")
        with pytest.raises(LinkClosed) as info:
            await channel.send(b"x")
        assert "device gone" in str(info.value)
        assert channel.closed
        with pytest.raises(LinkClosed):
            await channel.receive()

    run(scenario)


def test_garbage_frames_are_counted_and_dropped() -> None:
    async def scenario() -> None:
        host, reader, _, _ = pair(20)
        reader.feed(b"")
        reader.feed(b"\xff" * 20)
        assert reader.stats.bad_frames == 2
        assert await exchange(host, reader, [b"fine"]) == [b"fine"]

    run(scenario)


def test_payload_size_follows_the_mtu_exchange() -> None:
    async def scenario() -> None:
        host, reader, to_reader, _ = pair(20)
        host.payload_size = 244
        reader.payload_size = 244
        assert host.frame_size == 244
        await exchange(host, reader, [bytes(1000)])
        assert len(to_reader.frames) == 5  # ceil(1000 / 237)
        host.payload_size = 514
        assert host.frame_size == 512
        with pytest.raises(ValueError):
            host.payload_size = 10
        assert host.payload_size == 514

    run(scenario)


def test_oversize_messages() -> None:
    async def scenario() -> None:
        host, reader, _, _ = pair(20)
        with pytest.raises(ReaderProtocolError):
            await host.send(bytes(MAX_MESSAGE_SIZE + 1))
        small = MessageChannel(_noop, payload_size=20, max_message_size=50)
        with pytest.raises(ReaderProtocolError):
            await small.send(bytes(51))
        assert await exchange(host, reader, [bytes(MAX_MESSAGE_SIZE)]) == [bytes(MAX_MESSAGE_SIZE)]

    run(scenario)


async def _noop(frame: bytes) -> None:
    return None


def test_receiver_drops_a_message_over_its_limit() -> None:
    async def scenario() -> None:
        host, reader, _, _ = pair(20, ack_timeout_s=0.005, max_retries=1)
        reader._reassembler.max_message_size = 40
        with pytest.raises(LinkTimeout):
            await host.send(bytes(100))
        assert reader.stats.bad_frames >= 1
        assert await exchange(host, reader, [bytes(30)]) == [bytes(30)]

    run(scenario)
