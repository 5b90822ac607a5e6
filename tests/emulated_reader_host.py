"""A bare host for the emulated readers: bleak (on the virtual radio) and a ``MessageChannel``.

It does what the app's reader link does, in the fewest lines, so the emulator's tests do not
depend on the link's own behaviour.
"""

from __future__ import annotations

import asyncio
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from bleak import BleakClient, BleakScanner
from bleak.backends.device import BLEDevice
from bleak.backends.scanner import AdvertisementData

from desktop_pos.hardware.reader.ble_link import MAX_ATT_VALUE_SIZE
from desktop_pos.hardware.reader.channel import MessageChannel, receive_message, send_message
from desktop_pos.hardware.reader.gatt_profile import (
    HOST_TO_READER_UUID,
    READER_SERVICE_UUID,
    READER_TO_HOST_UUID,
)
from desktop_pos.hardware.reader.messages import (
    HostMessage,
    Message,
    ReaderMessage,
    TransactionResult,
)
from desktop_pos.sandbox.card_reader.emulator import EmulatedReader
from desktop_pos.sandbox.virtual_radio import BumbleClient, BumbleScanner, VirtualRadio
from tests.async_helpers import run_coroutine

SCAN_S = 0.1


def on_radio(test: Callable[[VirtualRadio], Awaitable[None]]) -> None:
    """Run ``test`` on a fresh loop with a fresh radio; fail on leftover tasks or warnings."""

    async def main() -> None:
        radio = VirtualRadio()
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            try:
                await asyncio.wait_for(test(radio), 30)
            finally:
                await radio.aclose()
            await asyncio.sleep(0)
            leftovers = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            assert leftovers == [], leftovers

    run_coroutine(main())


async def discover(radio: VirtualRadio) -> dict[str, tuple[BLEDevice, AdvertisementData]]:
    return await BleakScanner.discover(  # type: ignore[call-overload, no-any-return]
        timeout=SCAN_S,
        return_adv=True,
        backend=BumbleScanner,
        radio=radio,
        service_uuids=[READER_SERVICE_UUID],
    )


@dataclass
class Host:
    client: BleakClient
    channel: MessageChannel
    received: list[ReaderMessage] = field(default_factory=list)
    lost: asyncio.Event = field(default_factory=asyncio.Event)
    largest_notification: int = 0
    """Bytes of the longest notification the reader sent."""

    async def send(self, msg: HostMessage) -> None:
        await send_message(self.channel, msg)

    async def next(self, timeout: float = 5.0) -> Message:
        msg = await asyncio.wait_for(receive_message(self.channel), timeout)
        self.received.append(msg)  # type: ignore[arg-type]
        return msg

    async def until(self, kind: type[Any], timeout: float = 5.0) -> Any:
        """Messages up to and including the first of ``kind``; returns that one."""
        while True:
            msg = await self.next(timeout)
            if isinstance(msg, kind):
                return msg

    async def result(self, timeout: float = 5.0) -> TransactionResult:
        result: TransactionResult = await self.until(TransactionResult, timeout)
        return result

    async def close(self) -> None:
        self.channel.close()
        if self.client.is_connected:
            await self.client.disconnect()


async def connect(radio: VirtualRadio, reader: EmulatedReader, *, mtu: int | None = None) -> Host:
    found = await discover(radio)
    device, _adv = found[reader.address]
    extra: dict[str, Any] = {} if mtu is None else {"mtu": mtu}
    lost = asyncio.Event()
    client = BleakClient(
        device,
        disconnected_callback=lambda _client: lost.set(),
        timeout=2.0,
        backend=BumbleClient,
        radio=radio,
        **extra,
    )
    await client.connect()

    async def write(frame: bytes) -> None:
        await client.write_gatt_char(HOST_TO_READER_UUID, frame, response=False)

    # ATT carries at most 512 bytes of value, whatever the MTU (517 → 512, not 514).
    payload_size = min(client.mtu_size - 3, MAX_ATT_VALUE_SIZE)
    channel = MessageChannel(write, payload_size=payload_size, ack_timeout_s=0.3)
    host = Host(client, channel, lost=lost)

    def on_notify(_characteristic: object, data: bytearray) -> None:
        host.largest_notification = max(host.largest_notification, len(data))
        channel.feed(bytes(data))

    await client.start_notify(READER_TO_HOST_UUID, on_notify)
    return host
