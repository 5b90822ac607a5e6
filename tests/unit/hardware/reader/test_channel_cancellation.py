"""MessageChannel and cancellation: a task cancelled while it waits in ``send`` or ``receive``
ends with ``CancelledError`` — also when the channel closes, an acknowledgement arrives or a
message arrives in the same loop iteration — and nothing it was about to take is lost."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest

from desktop_pos.hardware.reader.channel import MessageChannel
from desktop_pos.hardware.reader.errors import LinkClosed
from tests.async_helpers import run_coroutine


class HeldPipe:
    """Frames wait in ``held`` until the test hands them over (``release``) or drops them."""

    def __init__(self) -> None:
        self.target: MessageChannel | None = None
        self.held: list[bytes] = []
        self.arrived = asyncio.Event()
        self.passing = False
        """True: frames go straight through (on the next loop iteration)."""

    async def write(self, frame: bytes) -> None:
        if self.passing:
            assert self.target is not None
            asyncio.get_running_loop().call_soon(self.target.feed, frame)
            return
        self.held.append(frame)
        self.arrived.set()

    def open(self) -> None:
        """Release what is held and let everything through from now on."""
        self.release()
        self.passing = True

    async def wait(self, count: int = 1) -> None:
        while len(self.held) < count:
            self.arrived.clear()
            await self.arrived.wait()

    def release(self) -> None:
        """Feed every held frame now, synchronously (all in the current loop iteration)."""
        assert self.target is not None
        frames, self.held = self.held, []
        for frame in frames:
            self.target.feed(frame)


def held_pair() -> tuple[MessageChannel, MessageChannel, HeldPipe, HeldPipe]:
    to_reader, to_host = HeldPipe(), HeldPipe()
    host = MessageChannel(to_reader.write, payload_size=20, ack_timeout_s=5.0, name="host")
    reader = MessageChannel(to_host.write, payload_size=20, ack_timeout_s=5.0, name="reader")
    to_reader.target, to_host.target = reader, host
    return host, reader, to_reader, to_host


def run(test: Callable[[], Awaitable[None]]) -> None:
    async def main() -> None:
        async with asyncio.timeout(10):
            await test()
        leftovers = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        assert leftovers == []

    run_coroutine(main())


async def settle(rounds: int = 5) -> None:
    for _ in range(rounds):
        await asyncio.sleep(0)


async def blocked_send(host: MessageChannel, to_reader: HeldPipe) -> asyncio.Task[None]:
    """A task in ``send`` that has written its frame and waits for the acknowledgement."""
    sending = asyncio.create_task(host.send(b"payment please"))
    await to_reader.wait()
    await settle()
    assert not sending.done()
    return sending


async def ack_ready(to_reader: HeldPipe, to_host: HeldPipe) -> None:
    """Let the reader take the held message, so that its ACK waits in ``to_host``."""
    to_reader.release()
    await to_host.wait()


async def finish(host: MessageChannel, reader: MessageChannel) -> None:
    host.close()
    reader.close()
    await settle()


def test_cancel_a_send_waiting_for_its_acknowledgement() -> None:
    async def scenario() -> None:
        host, reader, to_reader, to_host = held_pair()
        sending = await blocked_send(host, to_reader)
        sending.cancel()
        with pytest.raises(asyncio.CancelledError):
            await sending
        assert not host.closed
        # The channel still works: the next message goes through (the cancelled one may too:
        # its frame was already on the air).
        to_reader.open()
        to_host.open()
        await host.send(b"next")
        assert await reader.receive() == b"payment please"
        assert await reader.receive() == b"next"
        await finish(host, reader)

    run(scenario)


@pytest.mark.parametrize("order", ["close_then_cancel", "cancel_then_close"])
def test_cancel_and_close_in_the_same_iteration_end_a_send_cancelled(order: str) -> None:
    async def scenario() -> None:
        host, reader, to_reader, _ = held_pair()
        sending = await blocked_send(host, to_reader)
        if order == "close_then_cancel":
            host.close()
            sending.cancel()
        else:
            sending.cancel()
            host.close()
        with pytest.raises(asyncio.CancelledError):
            await sending
        with pytest.raises(LinkClosed):
            await host.send(b"after close")
        await finish(host, reader)

    run(scenario)


@pytest.mark.parametrize("delay", range(4))
def test_cancel_then_close_a_few_iterations_later(delay: int) -> None:
    async def scenario() -> None:
        host, reader, to_reader, _ = held_pair()
        sending = await blocked_send(host, to_reader)
        sending.cancel()
        await settle(delay)
        host.close()
        with pytest.raises(asyncio.CancelledError):
            await sending
        await finish(host, reader)

    run(scenario)


def test_acknowledgement_arriving_with_the_cancel_does_not_swallow_it() -> None:
    async def scenario() -> None:
        host, reader, to_reader, to_host = held_pair()
        sending = await blocked_send(host, to_reader)
        await ack_ready(to_reader, to_host)
        to_host.release()  # the ACK is queued for the sender ...
        sending.cancel()  # ... and the cancel comes in the same iteration: the cancel wins
        with pytest.raises(asyncio.CancelledError):
            await sending
        assert await reader.receive() == b"payment please"
        await finish(host, reader)

    run(scenario)


def test_cancel_a_send_waiting_for_the_previous_one() -> None:
    async def scenario() -> None:
        host, reader, to_reader, _ = held_pair()
        first = await blocked_send(host, to_reader)
        second = asyncio.create_task(host.send(b"queued behind"))
        await settle()
        second.cancel()
        host.close()
        with pytest.raises(asyncio.CancelledError):
            await second
        with pytest.raises(LinkClosed):
            await first
        await finish(host, reader)

    run(scenario)


def test_cancel_a_send_blocked_in_its_write() -> None:
    async def scenario() -> None:
        gate = asyncio.Event()
        started = asyncio.Event()

        async def stuck_write(_frame: bytes) -> None:
            started.set()
            await gate.wait()

        host = MessageChannel(stuck_write, payload_size=20, name="host")
        sending = asyncio.create_task(host.send(b"x" * 100))
        await started.wait()
        host.close()
        sending.cancel()
        with pytest.raises(asyncio.CancelledError):
            await sending
        gate.set()
        await settle()

    run(scenario)


def test_cancel_a_receive() -> None:
    async def scenario() -> None:
        host, reader, to_reader, to_host = held_pair()
        receiving = asyncio.create_task(reader.receive())
        await settle()
        receiving.cancel()
        with pytest.raises(asyncio.CancelledError):
            await receiving
        # A message that arrives later is not lost to the cancelled receiver.
        sending = await blocked_send(host, to_reader)
        await ack_ready(to_reader, to_host)
        to_host.release()
        await sending
        assert await reader.receive() == b"payment please"
        await finish(host, reader)

    run(scenario)


def test_message_arriving_with_the_cancel_stays_for_the_next_receive() -> None:
    async def scenario() -> None:
        host, reader, to_reader, _ = held_pair()
        receiving = asyncio.create_task(reader.receive())
        sending = await blocked_send(host, to_reader)
        to_reader.release()  # the message completes and wakes the receiver ...
        receiving.cancel()  # ... which is cancelled in the same iteration
        with pytest.raises(asyncio.CancelledError):
            await receiving
        assert await reader.receive() == b"payment please"
        sending.cancel()
        with pytest.raises(asyncio.CancelledError):
            await sending
        await finish(host, reader)

    run(scenario)


@pytest.mark.parametrize("order", ["close_then_cancel", "cancel_then_close"])
def test_cancel_and_close_in_the_same_iteration_end_a_receive_cancelled(order: str) -> None:
    async def scenario() -> None:
        host, reader, _, _ = held_pair()
        receiving = asyncio.create_task(reader.receive())
        await settle()
        if order == "close_then_cancel":
            reader.close()
            receiving.cancel()
        else:
            receiving.cancel()
            reader.close()
        with pytest.raises(asyncio.CancelledError):
            await receiving
        # The close is not consumed by the cancelled receiver: later receivers see it.
        with pytest.raises(LinkClosed):
            await reader.receive()
        with pytest.raises(LinkClosed):
            await reader.receive()
        await finish(host, reader)

    run(scenario)
