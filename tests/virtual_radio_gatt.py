"""A tiny GATT server on the virtual radio for the bleak backend tests."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from bumble import att, gatt
from bumble.device import Connection, Device

from desktop_pos.sandbox.virtual_radio import VirtualRadio

SERVICE = "5a5a0001-0000-4000-8000-00000000aa01"
OTHER_SERVICE = "5a5a0001-0000-4000-8000-00000000bb02"
WRITE_CHAR = "5a5a0002-0000-4000-8000-00000000aa01"
NOTIFY_CHAR = "5a5a0003-0000-4000-8000-00000000aa01"
READ_CHAR = "5a5a0004-0000-4000-8000-00000000aa01"
REFUSING_CHAR = "5a5a0005-0000-4000-8000-00000000aa01"
"""Readable by its properties, but every read is refused (insufficient authorization)."""
SLOW_CHAR = "5a5a0006-0000-4000-8000-00000000aa01"
"""A read that answers only once ``TinyServer.slow_read_gate`` is set."""
COMPANY_ID = 0xFFFF  # "no company" test identifier
READ_VALUE = b"emulated-reader-v1"

Props = gatt.Characteristic.Properties


@dataclass
class TinyServer:
    radio: VirtualRadio
    device: Device
    name: str
    notify_char: gatt.Characteristic[bytes]
    written: list[bytes] = field(default_factory=list)
    write_event: asyncio.Event = field(default_factory=asyncio.Event)
    slow_read_gate: asyncio.Event = field(default_factory=asyncio.Event)
    slow_read_started: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def address(self) -> str:
        return self.device.random_address.to_string(with_type_qualifier=False)

    async def notify(self, payload: bytes) -> None:
        await self.device.notify_subscribers(self.notify_char, payload)

    async def wait_writes(self, count: int, timeout: float = 2.0) -> list[bytes]:
        async with asyncio.timeout(timeout):
            while len(self.written) < count:
                self.write_event.clear()
                await self.write_event.wait()
        return self.written


async def start_tiny_server(
    radio: VirtualRadio,
    name: str,
    *,
    service: str = SERVICE,
    max_mtu: int = 517,
    advertise: bool = True,
    manufacturer_data: bytes = b"\x01\x02",
) -> TinyServer:
    device = await radio.add_peripheral(name, max_mtu=max_mtu)

    def on_write(_connection: Connection, value: bytes) -> None:
        server.written.append(bytes(value))
        server.write_event.set()

    write_char: gatt.Characteristic[bytes] = gatt.Characteristic(
        WRITE_CHAR,
        Props.WRITE | Props.WRITE_WITHOUT_RESPONSE,
        gatt.Characteristic.WRITEABLE,
        gatt.CharacteristicValue(write=on_write),
    )
    notify_char: gatt.Characteristic[bytes] = gatt.Characteristic(
        NOTIFY_CHAR, Props.NOTIFY, gatt.Characteristic.READABLE, b""
    )
    read_char: gatt.Characteristic[bytes] = gatt.Characteristic(
        READ_CHAR, Props.READ, gatt.Characteristic.READABLE, READ_VALUE
    )

    def refuse(_connection: Connection) -> bytes:
        raise att.ATT_Error(att.ErrorCode.INSUFFICIENT_AUTHORIZATION)

    refusing_char: gatt.Characteristic[bytes] = gatt.Characteristic(
        REFUSING_CHAR,
        Props.READ,
        gatt.Characteristic.READABLE,
        gatt.CharacteristicValue(read=refuse),
    )

    async def slow_read(_connection: Connection) -> bytes:
        server.slow_read_started.set()
        await server.slow_read_gate.wait()
        return b"slow"

    slow_char: gatt.Characteristic[bytes] = gatt.Characteristic(
        SLOW_CHAR,
        Props.READ,
        gatt.Characteristic.READABLE,
        gatt.CharacteristicValue(read=slow_read),
    )
    device.add_service(
        gatt.Service(service, [write_char, notify_char, read_char, refusing_char, slow_char])
    )
    server = TinyServer(radio=radio, device=device, name=name, notify_char=notify_char)
    if advertise:
        await radio.start_advertising(
            device,
            name=name,
            service_uuids=[service],
            manufacturer_data={COMPANY_ID: manufacturer_data},
        )
    return server
