"""An emulated reader's GATT server on bumble (docs/reader-protocol.md, GATT profile).

Three services: ours (a write-without-response characteristic for the host's frames and a
notify characteristic for the reader's), Device Information (model, serial, firmware revision,
manufacturer) and Battery (level, readable and notified). Every connection gets its own
``MessageChannel`` over the two characteristics, with the payload size following the ATT MTU;
``ReaderLinkSession`` is what the emulator talks to: decoded host messages come out of
``receive``, reader messages go in through ``post`` and are sent in order by one task.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from bumble import gatt
from bumble.device import Connection, Device

from desktop_pos.hardware.reader.ble_link import ATT_HEADER_SIZE, MAX_ATT_VALUE_SIZE
from desktop_pos.hardware.reader.channel import MessageChannel, receive_message, send_message
from desktop_pos.hardware.reader.errors import LinkClosed, ReaderError
from desktop_pos.hardware.reader.gatt_profile import (
    BATTERY_LEVEL_UUID,
    BATTERY_SERVICE_UUID,
    DEVICE_INFORMATION_SERVICE_UUID,
    FIRMWARE_REVISION_UUID,
    HOST_TO_READER_UUID,
    MANUFACTURER_NAME_UUID,
    MIN_ATT_MTU,
    MODEL_NUMBER_UUID,
    READER_SERVICE_UUID,
    READER_TO_HOST_UUID,
    SERIAL_NUMBER_UUID,
)
from desktop_pos.hardware.reader.messages import Message, ReaderMessage

log = logging.getLogger(__name__)

Props = gatt.Characteristic.Properties
ATT_HEADER = ATT_HEADER_SIZE
"""An ATT notification or write carries MTU − 3 bytes (at most 512)."""


def payload_size_for(att_mtu: int) -> int:
    """A frame's size at ``att_mtu``: MTU − 3, capped at ATT's 512-byte value limit (a 514-byte
    notification at MTU 517 would be cut or dropped by the host's stack)."""
    return min(max(MIN_ATT_MTU, att_mtu) - ATT_HEADER_SIZE, MAX_ATT_VALUE_SIZE)


class ReaderLinkSession:
    """One host connected to the reader: its channel and the ordered sending of messages."""

    def __init__(
        self,
        server: ReaderGattServer,
        connection: Connection,
        *,
        ack_timeout_s: float,
        max_retries: int,
        on_sent: Callable[[ReaderLinkSession, ReaderMessage], None],
        on_send_failed: Callable[[ReaderLinkSession, BaseException], None],
        spawn: Callable[[Coroutine[Any, Any, None]], asyncio.Task[None]],
    ) -> None:
        self.server = server
        self.connection = connection
        self.subscribed = False
        self.channel = MessageChannel(
            self._write,
            payload_size=payload_size_for(connection.att_mtu),
            ack_timeout_s=ack_timeout_s,
            max_retries=max_retries,
            name=f"{server.device.name}/reader",
        )
        self._on_sent = on_sent
        self._on_send_failed = on_send_failed
        self._outbox: asyncio.Queue[ReaderMessage | None] = asyncio.Queue()
        """None wakes the sender to stop (closing does not rely on cancelling it)."""
        self._sender = spawn(self._send_loop())
        self.closed = False
        connection.on(Connection.EVENT_CONNECTION_ATT_MTU_UPDATE, self._on_mtu)

    @property
    def payload_size(self) -> int:
        return self.channel.payload_size

    def _on_mtu(self) -> None:
        self.channel.payload_size = payload_size_for(self.connection.att_mtu)

    async def _write(self, frame: bytes) -> None:
        # Not subscribed yet: the frame is lost, as on a real device (the channel resends).
        if self.subscribed:
            await self.server.device.notify_subscriber(self.connection, self.server.to_host, frame)

    def post(self, messages: list[ReaderMessage]) -> None:
        """Queue reader messages; they go out in order, each after the previous one's ACK."""
        if self.closed:
            return
        for msg in messages:
            self._outbox.put_nowait(msg)

    async def receive(self) -> Message:
        """The host's next message; ``LinkClosed`` once the connection is gone,
        ``ReaderProtocolError`` for bytes that do not decode."""
        return await receive_message(self.channel)

    async def _send_loop(self) -> None:
        while not self.closed:
            msg = await self._outbox.get()
            if msg is None:
                return
            try:
                await send_message(self.channel, msg)
            except LinkClosed:
                return
            except ReaderError as exc:  # not acknowledged: the host is gone or stuck
                self._on_send_failed(self, exc)
                return
            log.debug("%s → %s", self.server.device.name, type(msg).__name__)
            self._on_sent(self, msg)

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        self.channel.close(LinkClosed(detail=f"{self.server.device.name}: disconnected"))
        self._outbox.put_nowait(None)

    async def disconnect(self) -> None:
        with contextlib.suppress(Exception):
            await self.connection.disconnect()


class ReaderGattServer:
    """Our service, Device Information and Battery on ``device``.

    ``firmware_revision`` and ``battery_level`` are read when the host reads them, so they
    always show the reader's current state.
    """

    def __init__(
        self,
        device: Device,
        *,
        model: str,
        serial: str,
        manufacturer: str,
        firmware_revision: Callable[[], str],
        battery_level: Callable[[], int],
        on_frame: Callable[[Connection, bytes], None],
        on_subscription: Callable[[Connection, bool], None],
    ) -> None:
        self.device = device
        self._on_frame = on_frame
        self.from_host: gatt.Characteristic[bytes] = gatt.Characteristic(
            HOST_TO_READER_UUID,
            Props.WRITE_WITHOUT_RESPONSE | Props.WRITE,
            gatt.Characteristic.WRITEABLE,
            gatt.CharacteristicValue(write=self._on_write),
        )
        self.to_host: gatt.Characteristic[bytes] = gatt.Characteristic(
            READER_TO_HOST_UUID, Props.NOTIFY, gatt.Characteristic.READABLE, b""
        )
        self.battery: gatt.Characteristic[bytes] = gatt.Characteristic(
            BATTERY_LEVEL_UUID,
            Props.READ | Props.NOTIFY,
            gatt.Characteristic.READABLE,
            gatt.CharacteristicValue(read=lambda _connection: bytes([battery_level()])),
        )

        def text(uuid: str, value: Callable[[], str]) -> gatt.Characteristic[bytes]:
            return gatt.Characteristic(
                uuid,
                Props.READ,
                gatt.Characteristic.READABLE,
                gatt.CharacteristicValue(read=lambda _connection: value().encode()),
            )

        device_information = [
            text(MANUFACTURER_NAME_UUID, lambda: manufacturer),
            text(MODEL_NUMBER_UUID, lambda: model),
            text(SERIAL_NUMBER_UUID, lambda: serial),
            text(FIRMWARE_REVISION_UUID, firmware_revision),
        ]
        self.to_host.on(
            gatt.Characteristic.EVENT_SUBSCRIPTION,
            lambda bearer, notify, _indicate: on_subscription(bearer, bool(notify)),
        )
        device.add_services(
            [
                gatt.Service(READER_SERVICE_UUID, [self.from_host, self.to_host]),
                gatt.Service(DEVICE_INFORMATION_SERVICE_UUID, device_information),
                gatt.Service(BATTERY_SERVICE_UUID, [self.battery]),
            ]
        )

    def _on_write(self, connection: Connection, value: bytes) -> None:
        self._on_frame(connection, bytes(value))

    async def notify_battery(self, level: int) -> None:
        """Notify the Battery Level to the hosts that subscribed to it."""
        await self.device.notify_subscribers(self.battery, bytes([level]))
