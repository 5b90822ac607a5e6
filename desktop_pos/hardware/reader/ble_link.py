"""The host side of the card reader link over Bluetooth LE, on bleak's own API.

``discover_readers`` scans for advertisements of the reader service; ``ReaderLink.connect``
connects, takes the negotiated ATT MTU for the message channel (docs/reader-protocol.md),
subscribes to the reader's notify characteristic and to the battery level, reads Device
Information and performs the ``GetInfo`` handshake. Afterwards ``request`` sends one message and
``next_message`` returns the reader's messages in order.

Which bleak backend runs is a ``BleakBackendChoice``: all None in production (bleak picks the
platform's: BlueZ over D-Bus, WinRT, CoreBluetooth); the sandbox passes its backend on a
virtual radio, so tests and demo mode run exactly this code. Backend errors leave this module
as ``ReaderError`` subclasses (``ble_errors``): Bluetooth that cannot be used at all becomes
``BluetoothUnavailable`` with advice for the cashier.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, cast, get_args

from bleak import BleakClient, BleakScanner
from bleak.backends.characteristic import BleakGATTCharacteristic
from bleak.backends.client import BaseBleakClient
from bleak.backends.device import BLEDevice
from bleak.backends.scanner import AdvertisementData, BaseBleakScanner

from desktop_pos.hardware.reader import ble_errors
from desktop_pos.hardware.reader.channel import (
    ChannelStats,
    MessageChannel,
    receive_message,
    send_message,
)
from desktop_pos.hardware.reader.errors import (
    LinkClosed,
    ReaderConnectionLost,
    ReaderError,
    ReaderFaultError,
    ReaderProtocolError,
    ReaderTimeout,
)
from desktop_pos.hardware.reader.gatt_profile import (
    BATTERY_LEVEL_UUID,
    FIRMWARE_MIN_BATTERY_PERCENT,
    FIRMWARE_REVISION_UUID,
    HOST_TO_READER_UUID,
    LOW_BATTERY_PERCENT,
    MANUFACTURER_NAME_UUID,
    MAX_MESSAGE_SIZE,
    MIN_ATT_MTU,
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
    FirmwareUpdateStart,
    GetInfo,
    HostMessage,
    ReaderFault,
    ReaderInfo,
    ReaderMessage,
)

log = logging.getLogger(__name__)

ATT_HEADER_SIZE: Final = 3
"""An ATT write / notification carries MTU − 3 bytes of value."""
MAX_ATT_VALUE_SIZE: Final = 512
"""ATT caps an attribute value at 512 bytes, so at MTU 517 a frame carries 512, not 514."""
FIRMWARE_CHUNK_SIZE: Final = 4096
"""Image bytes per ``FirmwareChunk``: an encoded chunk stays well below MAX_MESSAGE_SIZE."""
HANDSHAKE_TIMEOUT_S: Final = 5.0
FIRMWARE_REPLY_TIMEOUT_S: Final = 10.0
DISCONNECT_TIMEOUT_S: Final = 3.0

_READER_MESSAGE_TYPES: Final[tuple[type[Any], ...]] = get_args(ReaderMessage)


@dataclass(frozen=True)
class BleakBackendChoice:
    """Which bleak backend to use: all None in production (bleak's platform default).

    ``kwargs`` reach the backend's constructor through ``BleakScanner(...)`` /
    ``BleakClient(...)`` (the sandbox passes its virtual radio there).
    """

    scanner_backend: type[BaseBleakScanner] | None = None
    client_backend: type[BaseBleakClient] | None = None
    kwargs: Mapping[str, object] = field(default_factory=dict)

    @property
    def is_platform_default(self) -> bool:
        return self.scanner_backend is None and self.client_backend is None


@dataclass(frozen=True)
class FoundReader:
    """A reader seen while scanning. ``name`` is its serial as advertised ("PP0918900518")."""

    name: str
    address: str
    rssi: int | None = None
    device: BLEDevice | None = field(default=None, compare=False, repr=False)
    """bleak's device object, connected to directly (no second scan) when present."""

    @property
    def serial(self) -> str:
        return self.name


@dataclass(frozen=True, slots=True)
class DeviceInformation:
    """The standard Device Information service, as read at connection."""

    model: str = ""
    serial: str = ""
    firmware_revision: str = ""
    manufacturer: str = ""


def _backend_kwargs(backend: BleakBackendChoice) -> dict[str, Any]:
    return dict(backend.kwargs)


def _advertises_reader_service(advertisement: AdvertisementData) -> bool:
    return READER_SERVICE_UUID in (uuid.lower() for uuid in advertisement.service_uuids)


async def discover_readers(
    backend: BleakBackendChoice,
    *,
    timeout_s: float = 5.0,
    stop_on_first: bool = False,
    serial: str | None = None,
    on_found: Callable[[FoundReader], None] | None = None,
) -> list[FoundReader]:
    """Scan for readers for up to ``timeout_s`` seconds, in ``strongest_first`` order.

    ``stop_on_first`` ends the scan at the first reader (with ``serial``: the first with that
    serial). ``on_found`` is called for each new reader as it appears. The scan is stopped on
    every way out, cancellation included. Raises ``BluetoothUnavailable`` when Bluetooth cannot
    be used; an empty list means nothing answered.
    """
    found: dict[str, FoundReader] = {}
    enough = asyncio.Event()

    def on_advertisement(device: BLEDevice, advertisement: AdvertisementData) -> None:
        if not _advertises_reader_service(advertisement):
            return
        name = advertisement.local_name or device.name
        if not name or (serial is not None and name != serial):
            return
        reader = FoundReader(name, device.address, advertisement.rssi, device)
        is_new = device.address not in found
        found[device.address] = reader
        if is_new:
            log.debug("Card reader seen: %s at %s (RSSI %s)", name, device.address, reader.rssi)
            if on_found is not None:
                on_found(reader)
        if stop_on_first:
            enough.set()

    with ble_errors.translated(stage="scan"):
        scanner = BleakScanner(
            on_advertisement,
            service_uuids=[READER_SERVICE_UUID],
            backend=backend.scanner_backend,
            **_backend_kwargs(backend),
        )
    started = False
    try:
        with ble_errors.translated(stage="scan"):
            await scanner.start()
            started = True
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout_s):
                await enough.wait()
    finally:
        if started:
            await _stop_scanner(scanner)
    readers = strongest_first(found.values())
    log.info("Card reader scan: %d found (%s)", len(readers), ", ".join(r.name for r in readers))
    return readers


def strongest_first(readers: Iterable[FoundReader]) -> list[FoundReader]:
    """Strongest signal first (no RSSI last), equal signals by name: the same order from one
    search to the next, whichever reader advertised first."""
    return sorted(readers, key=lambda r: (-(r.rssi if r.rssi is not None else -999), r.name))


async def _stop_scanner(scanner: BleakScanner) -> None:
    """Stop a scan even while the calling task is being cancelled."""
    stop = asyncio.ensure_future(scanner.stop())
    try:
        await asyncio.shield(stop)
    except asyncio.CancelledError:
        with contextlib.suppress(Exception):
            await stop
        raise
    except Exception as exc:  # a scan that cannot stop must not hide the scan's own result
        log.warning("Card reader scan: stopping the scanner failed: %s", exc)


class ReaderLink:
    """One connected reader. Build it with ``await ReaderLink.connect(found, backend)``."""

    def __init__(
        self,
        found: FoundReader,
        client: BleakClient,
        *,
        on_disconnect: Callable[[ReaderLink], None] | None,
        on_message: Callable[[ReaderMessage], None] | None,
    ) -> None:
        self.found = found
        self._client = client
        self._on_disconnect = on_disconnect
        self._on_message = on_message
        self.mtu = MIN_ATT_MTU
        self.device_information = DeviceInformation()
        self.info: ReaderInfo | None = None
        self.battery_level = 0
        self.charging = False
        self.closed_by_host = False
        """True when the app ended the link (``disconnect``), False when it was lost."""
        self.disconnect_reason: ReaderError | None = None
        self._channel: MessageChannel | None = None
        self._write_char: BleakGATTCharacteristic | None = None
        self._inbox: deque[ReaderMessage] = deque()
        self._arrived = asyncio.Event()
        self._closed: ReaderError | None = None
        self._pump: asyncio.Task[None] | None = None
        self._disconnect_reported = False
        self._updating = False

    # -- connection ------------------------------------------------------------------------

    @classmethod
    async def connect(
        cls,
        found: FoundReader,
        backend: BleakBackendChoice,
        *,
        timeout_s: float = 10.0,
        on_disconnect: Callable[[ReaderLink], None] | None = None,
        on_message: Callable[[ReaderMessage], None] | None = None,
    ) -> ReaderLink:
        """Connect, subscribe, read Device Information and battery, shake hands (``GetInfo``).

        Raises ``BluetoothUnavailable``, ``ReaderNotFound``, ``ReaderTimeout``,
        ``PairingFailed``, ``ReaderConnectionLost``, ``ReaderProtocolError`` or
        ``ReaderFaultError`` (an unsupported protocol version).
        """
        link: ReaderLink | None = None

        def disconnected(_client: BleakClient) -> None:
            if link is not None:
                link._handle_disconnected()

        with ble_errors.translated(stage="connect", reader=found.name):
            client = BleakClient(
                found.device if found.device is not None else found.address,
                disconnected,
                timeout=timeout_s,
                backend=backend.client_backend,
                **_backend_kwargs(backend),
            )
        link = cls(found, client, on_disconnect=on_disconnect, on_message=on_message)
        try:
            async with asyncio.timeout(timeout_s):
                with ble_errors.translated(stage="connect", reader=found.name):
                    await client.connect()
                await link._set_up()
        except BaseException as exc:
            await link._abandon()
            if isinstance(exc, TimeoutError):
                raise ReaderTimeout(detail=f"{found.name}: connection set-up timed out") from exc
            raise
        assert link.info is not None
        log.info(
            "Card reader connected: %s (%s, firmware %s, MTU %d, battery %d%%)",
            link.info.serial,
            link.info.model,
            link.info.firmware_version,
            link.mtu,
            link.battery_level,
        )
        return link

    async def _set_up(self) -> None:
        client = self._client
        name = self.found.name
        with ble_errors.translated(stage="connect", reader=name):
            self.mtu = max(MIN_ATT_MTU, int(client.mtu_size))
            services = client.services
            write_char = services.get_characteristic(HOST_TO_READER_UUID)
            notify_char = services.get_characteristic(READER_TO_HOST_UUID)
            if write_char is None or notify_char is None:
                raise ReaderProtocolError(detail=f"{name}: no card reader service")
            self._write_char = write_char
            self._channel = MessageChannel(
                self._write,
                payload_size=min(self.mtu - ATT_HEADER_SIZE, MAX_ATT_VALUE_SIZE),
                name=name,
            )
            await client.start_notify(notify_char, self._on_notify)
            self.device_information = await self._read_device_information()
            battery_char = services.get_characteristic(BATTERY_LEVEL_UUID)
            if battery_char is not None:
                level = await client.read_gatt_char(battery_char)
                if level:
                    self.battery_level = int(level[0])
                if "notify" in battery_char.properties:
                    await client.start_notify(battery_char, self._on_battery_level)
        self._pump = asyncio.create_task(self._pump_messages(), name=f"reader-link-{name}")
        info = await self.get_info()
        if info.protocol_version != PROTOCOL_VERSION:
            raise ReaderFaultError(
                ReaderFault(
                    FaultCode.UNSUPPORTED_VERSION,
                    f"reader speaks protocol {info.protocol_version}, the app {PROTOCOL_VERSION}",
                )
            )

    async def _read_device_information(self) -> DeviceInformation:
        values: dict[str, str] = {}
        for key, uuid in (
            ("model", MODEL_NUMBER_UUID),
            ("serial", SERIAL_NUMBER_UUID),
            ("firmware_revision", FIRMWARE_REVISION_UUID),
            ("manufacturer", MANUFACTURER_NAME_UUID),
        ):
            characteristic = self._client.services.get_characteristic(uuid)
            if characteristic is None:
                continue
            raw = await self._client.read_gatt_char(characteristic)
            values[key] = bytes(raw).decode("utf-8", errors="replace").rstrip("\x00")
        return DeviceInformation(**values)

    async def _abandon(self) -> None:
        """Undo a half-made connection (set-up failed or was cancelled)."""
        self.closed_by_host = True
        self._close(LinkClosed(detail=f"{self.found.name}: connection set-up abandoned"))
        with contextlib.suppress(Exception):
            async with asyncio.timeout(DISCONNECT_TIMEOUT_S):
                await self._client.disconnect()

    async def disconnect(self) -> None:
        """End the link (the reader then advertises again). Safe to call twice."""
        self.closed_by_host = True
        self._close(LinkClosed(detail=f"{self.found.name}: disconnected by the app"))
        try:
            async with asyncio.timeout(DISCONNECT_TIMEOUT_S):
                await self._client.disconnect()
        except (TimeoutError, Exception) as exc:
            log.warning("Card reader %s: disconnect failed: %s", self.found.name, exc)
        self._handle_disconnected()

    @property
    def connected(self) -> bool:
        return self._closed is None and self._client.is_connected

    @property
    def serial(self) -> str:
        return self.info.serial if self.info is not None else self.found.name

    @property
    def channel_stats(self) -> ChannelStats | None:
        return self._channel.stats if self._channel is not None else None

    # -- messages --------------------------------------------------------------------------

    async def request(self, msg: HostMessage) -> None:
        """Send one message (delivered and acknowledged, or a ReaderError)."""
        channel = self._require_channel()
        with ble_errors.translated(stage="io", reader=self.found.name):
            await send_message(channel, msg)

    async def next_message(self, timeout_s: float | None = None) -> ReaderMessage:
        """The reader's next message (battery reports excepted: see ``on_message``).

        Raises ``ReaderTimeout`` after ``timeout_s`` and ``ReaderConnectionLost`` once the link
        is gone and nothing is left to read.
        """
        return await self._take(_READER_MESSAGE_TYPES, timeout_s)

    async def get_info(self, timeout_s: float = HANDSHAKE_TIMEOUT_S) -> ReaderInfo:
        """Ask for ``ReaderInfo`` and wait for it (updates ``info`` and ``battery_level``)."""
        await self.request(GetInfo())
        reply = await self._take((ReaderInfo, ReaderFault), timeout_s)
        if isinstance(reply, ReaderFault):
            raise ReaderFaultError(reply)
        assert isinstance(reply, ReaderInfo)
        self.info = reply
        self.battery_level = reply.battery_level
        self.charging = reply.charging
        return reply

    async def update_firmware(
        self,
        image: bytes,
        version: str,
        progress: Callable[[int, int], None],
        *,
        chunk_size: int = FIRMWARE_CHUNK_SIZE,
    ) -> FirmwareRebooting:
        """Send a firmware image; returns the reader's reboot notice.

        Sequence: ``FirmwareUpdateStart`` → the reader's ``FirmwareProgress`` (or a
        ``ReaderFault``: low battery, bad size) → ``FirmwareChunk``s → ``FirmwareUpdateFinish``
        → ``FirmwareRebooting``; the reader then drops the link and comes back with the new
        version. ``progress(sent, total)`` follows the acknowledged chunks.
        """
        if not 0 < chunk_size <= MAX_MESSAGE_SIZE // 2:
            raise ValueError("firmware chunk size out of range")
        if self.battery_level < FIRMWARE_MIN_BATTERY_PERCENT and not self.charging:
            raise ReaderFaultError(
                ReaderFault(FaultCode.LOW_BATTERY, f"battery {self.battery_level}%")
            )
        total = len(image)
        self._updating = True
        try:
            await self.request(FirmwareUpdateStart(version, total, hashlib.sha256(image).digest()))
            reply = await self._take((FirmwareProgress, ReaderFault), FIRMWARE_REPLY_TIMEOUT_S)
            if isinstance(reply, ReaderFault):
                raise ReaderFaultError(reply)
            progress(0, total)
            for offset in range(0, total, chunk_size):
                data = image[offset : offset + chunk_size]
                await self.request(FirmwareChunk(offset, data))
                self._raise_pending_fault()
                self._drop(FirmwareProgress)
                progress(offset + len(data), total)
            await self.request(FirmwareUpdateFinish(version))
            done = await self._take((FirmwareRebooting, ReaderFault), FIRMWARE_REPLY_TIMEOUT_S)
            if isinstance(done, ReaderFault):
                raise ReaderFaultError(done)
            assert isinstance(done, FirmwareRebooting)
            self._drop(FirmwareProgress)
            log.info(
                "Card reader %s: firmware %s sent (%d bytes), rebooting (back in ~%d s)",
                self.serial,
                version,
                total,
                done.expected_back_s,
            )
            return done
        finally:
            self._updating = False

    @property
    def updating(self) -> bool:
        return self._updating

    # -- internals -------------------------------------------------------------------------

    def _require_channel(self) -> MessageChannel:
        if self._closed is not None:
            raise self._closed
        if self._channel is None:
            raise LinkClosed(detail=f"{self.found.name}: not connected")
        return self._channel

    async def _write(self, chunk: bytes) -> None:
        if self._write_char is None:
            raise LinkClosed(detail=f"{self.found.name}: not connected")
        with ble_errors.translated(stage="io", reader=self.found.name):
            await self._client.write_gatt_char(self._write_char, chunk, response=False)
        # A write without response may complete without suspending; yield once per frame so
        # that a long message (a firmware chunk is ~200 frames at MTU 23) never holds the loop.
        await asyncio.sleep(0)

    def _on_notify(self, _sender: BleakGATTCharacteristic, data: bytearray) -> None:
        if self._channel is not None and self._closed is None:
            self._channel.feed(bytes(data))

    def _on_battery_level(self, _sender: BleakGATTCharacteristic, data: bytearray) -> None:
        if data:
            self._battery(int(data[0]), self.charging)

    def _battery(self, level: int, charging: bool) -> None:
        changed = (level, charging) != (self.battery_level, self.charging)
        self.battery_level = level
        self.charging = charging
        if changed:
            self._deliver(BatteryStatus(level, charging, level <= LOW_BATTERY_PERCENT))

    def _deliver(self, msg: ReaderMessage) -> None:
        if self._on_message is None:
            return
        try:
            self._on_message(msg)
        except Exception:
            log.exception("Card reader %s: message listener failed", self.found.name)

    async def _pump_messages(self) -> None:
        channel = self._channel
        assert channel is not None
        while True:
            try:
                msg = await receive_message(channel)
            except ReaderProtocolError as exc:
                log.warning("Card reader %s: unreadable message skipped: %s", self.serial, exc)
                continue
            except ReaderError as exc:
                self._close(exc)
                return
            if not isinstance(msg, _READER_MESSAGE_TYPES):
                log.warning("Card reader %s: host message %s ignored", self.serial, msg)
                continue
            msg = cast(ReaderMessage, msg)
            if isinstance(msg, BatteryStatus):
                # State, not a step of a conversation: kept in ``battery_level``, reported
                # through ``on_message``, never queued for ``next_message``.
                self._battery(msg.level, msg.charging)
                continue
            if isinstance(msg, ReaderInfo):
                self.battery_level = msg.battery_level
                self.charging = msg.charging
            self._inbox.append(msg)
            self._arrived.set()
            self._deliver(msg)

    async def _take(self, kinds: tuple[type[Any], ...], timeout_s: float | None) -> ReaderMessage:
        """The oldest queued message of one of ``kinds``; others stay queued in order."""
        try:
            async with asyncio.timeout(timeout_s):
                while True:
                    for index, msg in enumerate(self._inbox):
                        if isinstance(msg, kinds):
                            del self._inbox[index]
                            return cast(ReaderMessage, msg)
                    if self._closed is not None:
                        raise self._closed
                    self._arrived.clear()
                    await self._arrived.wait()
        except TimeoutError:
            names = "/".join(kind.__name__ for kind in kinds) if len(kinds) < 4 else "a message"
            raise ReaderTimeout(
                detail=f"{self.found.name}: no {names} within {timeout_s} s"
            ) from None

    def _raise_pending_fault(self) -> None:
        for index, msg in enumerate(self._inbox):
            if isinstance(msg, ReaderFault):
                del self._inbox[index]
                raise ReaderFaultError(msg)

    def _drop(self, kind: type[Any]) -> None:
        self._inbox = deque(msg for msg in self._inbox if not isinstance(msg, kind))

    def _close(self, error: ReaderError) -> None:
        if self._closed is not None:
            return
        self._closed = error
        if self._channel is not None:
            self._channel.close(error)
        self._arrived.set()
        if self._pump is not None and asyncio.current_task() is not self._pump:
            self._pump.cancel()

    def _handle_disconnected(self) -> None:
        """bleak's disconnected callback (also called after ``disconnect``); reports once."""
        if not self.closed_by_host:
            self._close(ReaderConnectionLost(detail=f"{self.found.name}: link lost"))
        else:
            self._close(LinkClosed(detail=f"{self.found.name}: disconnected by the app"))
        if self._disconnect_reported or self.info is None:
            return
        self._disconnect_reported = True
        self.disconnect_reason = None if self.closed_by_host else self._closed
        log.info(
            "Card reader %s: %s",
            self.serial,
            "disconnected" if self.closed_by_host else "link lost",
        )
        if self._on_disconnect is not None:
            try:
                self._on_disconnect(self)
            except Exception:
                log.exception("Card reader %s: disconnect listener failed", self.serial)
