"""A minimal card reader on the virtual radio for the link tests: our GATT profile, Device
Information, Battery, and P's message channel answering GetInfo and the firmware transfer.

The full emulated readers live in desktop_pos/sandbox/card_reader/; this stub lets the link
tests script odd conditions (a wrong protocol version, a silent reader) in a few lines.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
from dataclasses import dataclass, field, replace

from bumble import gatt
from bumble.device import Connection, Device

from desktop_pos.hardware.reader.channel import MessageChannel, receive_message, send_message
from desktop_pos.hardware.reader.errors import ReaderError
from desktop_pos.hardware.reader.gatt_profile import (
    BATTERY_LEVEL_UUID,
    BATTERY_SERVICE_UUID,
    DEVICE_INFORMATION_SERVICE_UUID,
    FIRMWARE_MIN_BATTERY_PERCENT,
    FIRMWARE_REVISION_UUID,
    HOST_TO_READER_UUID,
    LOW_BATTERY_PERCENT,
    MAX_MESSAGE_SIZE,
    MODEL_NUMBER_UUID,
    PROTOCOL_VERSION,
    READER_SERVICE_UUID,
    READER_TO_HOST_UUID,
    SERIAL_NUMBER_UUID,
)
from desktop_pos.hardware.reader.messages import (
    BatteryStatus,
    FaultCode,
    FirmwareChunk,
    FirmwareProgress,
    FirmwareRebooting,
    FirmwareUpdateFinish,
    FirmwareUpdateInfo,
    FirmwareUpdateStart,
    GetInfo,
    Message,
    ReaderFault,
    ReaderInfo,
)
from desktop_pos.sandbox.virtual_radio import VirtualRadio

Props = gatt.Characteristic.Properties


@dataclass
class StubReader:
    radio: VirtualRadio
    device: Device
    serial: str
    notify_char: gatt.Characteristic[bytes]
    battery_char: gatt.Characteristic[bytes]
    info: ReaderInfo
    answer_get_info: bool = True
    received: list[Message] = field(default_factory=list)
    firmware: bytearray = field(default_factory=bytearray)
    installed: list[str] = field(default_factory=list)
    channel: MessageChannel | None = None
    _task: asyncio.Task[None] | None = None
    _update: FirmwareUpdateStart | None = None

    @property
    def address(self) -> str:
        return self.device.random_address.to_string(with_type_qualifier=False)

    @property
    def connected(self) -> bool:
        return bool(self.radio.connections(self.device))

    async def _notify(self, frame: bytes) -> None:
        await self.device.notify_subscribers(self.notify_char, frame)

    def _on_connection(self, connection: Connection) -> None:
        self.channel = MessageChannel(
            self._notify, payload_size=connection.att_mtu - 3, name=f"stub-{self.serial}"
        )
        connection.on("connection_att_mtu_update", self._on_mtu)
        connection.on("disconnection", lambda _reason: self._on_disconnection())
        self._task = asyncio.get_running_loop().create_task(self._serve(self.channel))

    def _on_mtu(self) -> None:
        for connection in self.radio.connections(self.device):
            if self.channel is not None:
                self.channel.payload_size = connection.att_mtu - 3

    def _on_disconnection(self) -> None:
        if self.channel is not None:
            self.channel.close()
        self.channel = None

    def _on_write(self, _connection: Connection, value: bytes) -> None:
        if self.channel is not None:
            self.channel.feed(bytes(value))

    async def _serve(self, channel: MessageChannel) -> None:
        with contextlib.suppress(ReaderError, asyncio.CancelledError):
            while True:
                msg = await receive_message(channel)
                self.received.append(msg)
                for reply in self._answer(msg):
                    await send_message(channel, reply)
                if (
                    self._update is None
                    and isinstance(msg, FirmwareUpdateFinish)
                    and self.installed
                    and self.installed[-1] == msg.version
                ):
                    await self._reboot(msg.version)

    def _answer(self, msg: Message) -> list[Message]:
        if isinstance(msg, GetInfo):
            return [self.info] if self.answer_get_info else []
        if isinstance(msg, FirmwareUpdateStart):
            if self.info.battery_level < FIRMWARE_MIN_BATTERY_PERCENT:
                return [ReaderFault(FaultCode.LOW_BATTERY, "battery below 50 %")]
            self._update = msg
            self.firmware = bytearray()
            return [FirmwareProgress(0, msg.size)]
        if isinstance(msg, FirmwareChunk) and self._update is not None:
            if msg.offset != len(self.firmware):
                return [ReaderFault(FaultCode.FIRMWARE_IMAGE_INVALID, "offset")]
            self.firmware += msg.data
            return [FirmwareProgress(len(self.firmware), self._update.size)]
        if isinstance(msg, FirmwareUpdateFinish) and self._update is not None:
            update, self._update = self._update, None
            if hashlib.sha256(self.firmware).digest() != update.sha256:
                return [ReaderFault(FaultCode.FIRMWARE_IMAGE_INVALID, "sha256")]
            self.installed.append(msg.version)
            return [FirmwareRebooting(msg.version, 0)]
        return []

    async def _reboot(self, version: str) -> None:
        self.info = replace(self.info, firmware_version=version, firmware_update=None)
        await asyncio.sleep(0.01)
        await self.radio.disconnect_all(self.device)

    async def send(self, msg: Message) -> None:
        assert self.channel is not None
        await send_message(self.channel, msg)

    async def set_battery(self, level: int, *, message: bool = True) -> None:
        self.info = replace(self.info, battery_level=level)
        await self.device.notify_subscribers(self.battery_char, bytes([level]))
        if message and self.channel is not None:
            await send_message(
                self.channel, BatteryStatus(level, False, level <= LOW_BATTERY_PERCENT)
            )

    async def set_in_range(self, in_range: bool) -> None:
        if in_range:
            await self.radio.start_advertising(
                self.device, name=self.serial, service_uuids=[READER_SERVICE_UUID]
            )
        else:
            await self.radio.stop_advertising(self.device)

    async def drop(self) -> None:
        await self.radio.disconnect_all(self.device)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


async def start_stub_reader(
    radio: VirtualRadio,
    serial: str = "PP0918900518",
    *,
    model: str = "Bluepad",
    firmware_version: str = "1.0.0",
    battery: int = 80,
    protocol_version: int = PROTOCOL_VERSION,
    max_mtu: int = 517,
    advertise: bool = True,
    firmware_update: FirmwareUpdateInfo | None = None,
) -> StubReader:
    device = await radio.add_peripheral(serial, max_mtu=max_mtu)
    reader: StubReader

    def on_write(connection: Connection, value: bytes) -> None:
        reader._on_write(connection, value)

    write_char: gatt.Characteristic[bytes] = gatt.Characteristic(
        HOST_TO_READER_UUID,
        Props.WRITE_WITHOUT_RESPONSE | Props.WRITE,
        gatt.Characteristic.WRITEABLE,
        gatt.CharacteristicValue(write=on_write),
    )
    notify_char: gatt.Characteristic[bytes] = gatt.Characteristic(
        READER_TO_HOST_UUID, Props.NOTIFY, gatt.Characteristic.READABLE, b""
    )

    def read_battery(_connection: Connection) -> bytes:
        return bytes([reader.info.battery_level])

    battery_char: gatt.Characteristic[bytes] = gatt.Characteristic(
        BATTERY_LEVEL_UUID,
        Props.READ | Props.NOTIFY,
        gatt.Characteristic.READABLE,
        gatt.CharacteristicValue(read=read_battery),
    )

    def text(uuid: str, value: str) -> gatt.Characteristic[bytes]:
        return gatt.Characteristic(uuid, Props.READ, gatt.Characteristic.READABLE, value.encode())

    device.add_service(gatt.Service(READER_SERVICE_UUID, [write_char, notify_char]))
    device.add_service(
        gatt.Service(
            DEVICE_INFORMATION_SERVICE_UUID,
            [
                text(MODEL_NUMBER_UUID, model),
                text(SERIAL_NUMBER_UUID, serial),
                text(FIRMWARE_REVISION_UUID, firmware_version),
            ],
        )
    )
    device.add_service(gatt.Service(BATTERY_SERVICE_UUID, [battery_char]))
    info = ReaderInfo(
        model=model,
        serial=serial,
        firmware_version=firmware_version,
        protocol_version=protocol_version,
        battery_level=battery,
        charging=False,
        app_selection_on_reader=serial.startswith("PP"),
        nfc_default=True,
        max_message_size=MAX_MESSAGE_SIZE,
        firmware_update=firmware_update,
    )
    reader = StubReader(radio, device, serial, notify_char, battery_char, info)
    device.on(Device.EVENT_CONNECTION, reader._on_connection)
    if advertise:
        await radio.start_advertising(device, name=serial, service_uuids=[READER_SERVICE_UUID])
    return reader
