"""The reader link through bleak's own API: the platform backend on this machine (no D-Bus →
BluetoothUnavailable), error translation, and discovery / connection / messages / firmware over
the virtual radio with a stub reader."""

from __future__ import annotations

import asyncio
import os
import warnings
from collections.abc import Awaitable, Callable

import pytest
from bleak.exc import (
    BleakBluetoothNotAvailableError,
    BleakBluetoothNotAvailableReason,
    BleakDBusError,
    BleakDeviceNotFoundError,
    BleakError,
    BleakGATTProtocolError,
)

from desktop_pos.hardware.reader import ble_errors
from desktop_pos.hardware.reader.ble_link import (
    FIRMWARE_CHUNK_SIZE,
    BleakBackendChoice,
    FoundReader,
    ReaderLink,
    discover_readers,
    strongest_first,
)
from desktop_pos.hardware.reader.codec import encode_message
from desktop_pos.hardware.reader.errors import (
    BluetoothUnavailable,
    PairingFailed,
    ReaderBusy,
    ReaderConnectionLost,
    ReaderError,
    ReaderFaultError,
    ReaderNotFound,
    ReaderProtocolError,
    ReaderTimeout,
)
from desktop_pos.hardware.reader.gatt_profile import MAX_MESSAGE_SIZE
from desktop_pos.hardware.reader.messages import (
    BatteryStatus,
    DisplayCode,
    DisplayText,
    FaultCode,
    FirmwareChunk,
    FirmwareUpdateStart,
    GetInfo,
    ReaderMessage,
)
from desktop_pos.sandbox.virtual_radio import VirtualRadio
from desktop_pos.sandbox.virtual_radio.backend import bleak_backend_choice
from tests.async_helpers import run_coroutine
from tests.unit.hardware.reader.stub_reader import start_stub_reader

SCAN_S = 0.15
NO_SYSTEM_BUS = not os.path.exists("/run/dbus/system_bus_socket") and not os.environ.get(
    "DBUS_SYSTEM_BUS_ADDRESS"
)


def on_radio(test: Callable[[VirtualRadio], Awaitable[None]]) -> None:
    async def main() -> None:
        radio = VirtualRadio()
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            try:
                await test(radio)
            finally:
                await radio.aclose()
            leftovers = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            assert leftovers == []

    run_coroutine(main())


# -- the platform backend on this machine ---------------------------------------------------


@pytest.mark.skipif(not NO_SYSTEM_BUS, reason="a system D-Bus is present on this machine")
def test_platform_backend_without_dbus_is_bluetooth_unavailable() -> None:
    """bleak's real default backend (BlueZ over D-Bus) here: no system bus at all."""
    with pytest.raises(BluetoothUnavailable) as caught:
        run_coroutine(discover_readers(BleakBackendChoice(), timeout_s=0.5))
    assert caught.value.reason == "no_bluez"
    assert "bluetoothd" in caught.value.text.en  # advice the cashier can pass on
    assert "другой способ оплаты" in caught.value.text.ru
    assert isinstance(caught.value.__cause__, FileNotFoundError)


@pytest.mark.skipif(not NO_SYSTEM_BUS, reason="a system D-Bus is present on this machine")
def test_platform_backend_connect_without_dbus_is_bluetooth_unavailable() -> None:
    found = FoundReader("PP0918900518", "AA:BB:CC:DD:EE:FF", None)
    with pytest.raises(BluetoothUnavailable) as caught:
        run_coroutine(ReaderLink.connect(found, BleakBackendChoice(), timeout_s=1.0))
    assert caught.value.reason == "no_bluez"


# -- error translation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "expected", "reason"),
    [
        (FileNotFoundError(2, "No such file or directory"), BluetoothUnavailable, "no_bluez"),
        (ConnectionRefusedError(111, "refused"), BluetoothUnavailable, "no_bluez"),
        (PermissionError(13, "denied"), BluetoothUnavailable, "no_permission"),
        (
            BleakBluetoothNotAvailableError("x", BleakBluetoothNotAvailableReason.POWERED_OFF),
            BluetoothUnavailable,
            "adapter_off",
        ),
        (
            BleakBluetoothNotAvailableError("x", BleakBluetoothNotAvailableReason.NO_BLUETOOTH),
            BluetoothUnavailable,
            "no_adapter",
        ),
        (
            BleakBluetoothNotAvailableError("x", BleakBluetoothNotAvailableReason.DENIED_BY_USER),
            BluetoothUnavailable,
            "no_permission",
        ),
        (
            BleakDBusError("org.bluez.Error.NotReady", ["Resource Not Ready"]),
            BluetoothUnavailable,
            "adapter_off",
        ),
        (BleakDBusError("org.bluez.Error.NotPermitted", []), BluetoothUnavailable, "no_permission"),
        (
            BleakDBusError("org.freedesktop.DBus.Error.ServiceUnknown", ["org.bluez"]),
            BluetoothUnavailable,
            "no_bluez",
        ),
        (BleakDBusError("org.bluez.Error.AuthenticationFailed", []), PairingFailed, None),
        (BleakDBusError("org.bluez.Error.AuthenticationCanceled", []), PairingFailed, None),
        (BleakDBusError("org.freedesktop.DBus.Error.UnknownObject", []), ReaderNotFound, None),
        (BleakDBusError("org.bluez.Error.InProgress", []), ReaderBusy, None),
        (
            BleakDBusError("org.bluez.Error.Failed", ["le-connection-abort-by-local"]),
            ReaderConnectionLost,
            None,
        ),
        (BleakDeviceNotFoundError("AA:BB"), ReaderNotFound, None),
        (BleakGATTProtocolError(0x05), PairingFailed, None),
        (BleakError("No powered Bluetooth adapters found."), BluetoothUnavailable, "adapter_off"),
        (BleakError("Not connected"), ReaderConnectionLost, None),
        (TimeoutError(), ReaderTimeout, None),
        (EOFError(), ReaderConnectionLost, None),
    ],
)
def test_backend_errors_become_reader_errors(
    error: BaseException, expected: type[ReaderError], reason: str | None
) -> None:
    translated = ble_errors.translate(error, stage="connect", reader="PP0918900518")
    assert type(translated) is expected
    assert translated is not None
    if reason is not None:
        assert isinstance(translated, BluetoothUnavailable) and translated.reason == reason
    assert "PP0918900518" in translated.detail
    assert translated.text.ru and translated.text.en


def test_bugs_are_not_translated() -> None:
    assert ble_errors.translate(KeyError("x"), stage="io") is None
    with pytest.raises(KeyError), ble_errors.translated(stage="io"):
        raise KeyError("x")
    with pytest.raises(ReaderNotFound) as caught, ble_errors.translated(stage="connect"):
        raise BleakDeviceNotFoundError("AA")
    assert isinstance(caught.value.__cause__, BleakDeviceNotFoundError)


def test_retry_hints() -> None:
    assert ble_errors.retry_hint_s(BluetoothUnavailable("adapter_off")) is None
    assert ble_errors.retry_hint_s(PairingFailed()) is None
    assert ble_errors.retry_hint_s(ReaderConnectionLost()) == 0.1
    assert ble_errors.retry_hint_s(ReaderBusy()) == 1.0


def test_firmware_chunk_fits_the_message_limit() -> None:
    biggest = FirmwareChunk(2**31, bytes(FIRMWARE_CHUNK_SIZE))
    assert len(encode_message(biggest)) <= MAX_MESSAGE_SIZE


# -- over the virtual radio --------------------------------------------------------------------


def test_discover_both_readers_filtered_by_service() -> None:
    async def test(radio: VirtualRadio) -> None:
        await start_stub_reader(radio, "PP0918900518")
        await start_stub_reader(radio, "MPOS0000000001", model="QPOS")
        other = await radio.add_peripheral("HEADPHONES")
        await radio.start_advertising(other, name="HEADPHONES", service_uuids=[])
        seen: list[str] = []
        found = await discover_readers(
            bleak_backend_choice(radio), timeout_s=SCAN_S, on_found=lambda r: seen.append(r.name)
        )
        assert [r.name for r in found] == ["MPOS0000000001", "PP0918900518"]  # both -50 dBm
        assert sorted(seen) == ["MPOS0000000001", "PP0918900518"]
        assert all(r.device is not None and r.address for r in found)
        radio.set_rssi(found[1].address, -40)  # the Bluepad-like reader is nearer now
        nearer = await discover_readers(bleak_backend_choice(radio), timeout_s=SCAN_S)
        assert [(r.name, r.rssi) for r in nearer] == [
            ("PP0918900518", -40),
            ("MPOS0000000001", -50),
        ]

        first = await discover_readers(
            bleak_backend_choice(radio), timeout_s=5.0, stop_on_first=True, serial="MPOS0000000001"
        )
        assert [r.name for r in first] == ["MPOS0000000001"]

    on_radio(test)


def test_found_readers_are_listed_strongest_first_then_by_name() -> None:
    def seen(name: str, rssi: int | None) -> FoundReader:
        return FoundReader(name, f"addr-{name}", rssi)

    in_order_of_arrival = [
        seen("PP0918900518", -50),
        seen("NO-RSSI", None),
        seen("MPOS0000000002", -71),
        seen("MPOS0000000001", -50),
    ]
    assert [r.name for r in strongest_first(in_order_of_arrival)] == [
        "MPOS0000000001",
        "PP0918900518",
        "MPOS0000000002",
        "NO-RSSI",
    ]


def test_discovery_cancelled_stops_the_scanner() -> None:
    async def test(radio: VirtualRadio) -> None:
        task = asyncio.create_task(discover_readers(bleak_backend_choice(radio), timeout_s=30))
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        # A new scan starts at once: the cancelled one left nothing running.
        assert await discover_readers(bleak_backend_choice(radio), timeout_s=0.05) == []

    on_radio(test)


@pytest.mark.parametrize("mtu", [23, 247, 517])
def test_connect_reads_info_battery_and_uses_the_mtu(mtu: int) -> None:
    async def test(radio: VirtualRadio) -> None:
        reader = await start_stub_reader(radio, "PP0918900518", battery=77)
        backend = bleak_backend_choice(radio, mtu=mtu)
        [found] = await discover_readers(backend, timeout_s=5.0, stop_on_first=True)
        link = await ReaderLink.connect(found, backend, timeout_s=5.0)
        try:
            assert link.connected
            assert link.mtu == mtu
            assert link.info is not None and link.info.serial == "PP0918900518"
            assert link.device_information.model == "Bluepad"
            assert link.device_information.serial == "PP0918900518"
            assert link.device_information.firmware_revision == "1.0.0"
            assert link.battery_level == 77
            assert isinstance(reader.received[0], GetInfo)
            stats = link.channel_stats
            assert stats is not None and stats.messages_sent == 1
            # Each frame fits one ATT write at this MTU.
            assert stats.bytes_sent <= stats.frames_sent * (mtu - 3)
        finally:
            await link.disconnect()
        assert not link.connected
        assert link.closed_by_host

    on_radio(test)


def test_messages_battery_and_lost_link() -> None:
    async def test(radio: VirtualRadio) -> None:
        reader = await start_stub_reader(radio, "MPOS0000000001", battery=60)
        backend = bleak_backend_choice(radio, mtu=23)
        [found] = await discover_readers(backend, timeout_s=5.0, stop_on_first=True)
        delivered: list[ReaderMessage] = []
        lost: list[ReaderLink] = []
        link = await ReaderLink.connect(
            found, backend, on_message=delivered.append, on_disconnect=lost.append
        )
        text = DisplayText(0, DisplayCode.PRESENT_CARD, "PRESENT CARD " * 5)
        await reader.send(text)
        assert await link.next_message(timeout_s=2.0) == text
        await reader.set_battery(12)
        async with asyncio.timeout(2.0):
            while link.battery_level != 12:
                await asyncio.sleep(0.005)
        assert BatteryStatus(12, False, True) in delivered
        assert text in delivered
        with pytest.raises(ReaderTimeout):
            await link.next_message(timeout_s=0.05)  # battery reports are not queued

        await reader.drop()
        async with asyncio.timeout(2.0):
            while not lost:
                await asyncio.sleep(0.005)
        assert lost == [link]
        assert not link.connected and not link.closed_by_host
        assert isinstance(link.disconnect_reason, ReaderConnectionLost)
        with pytest.raises(ReaderConnectionLost):
            await link.next_message(timeout_s=1.0)
        with pytest.raises(ReaderConnectionLost):
            await link.request(GetInfo())

    on_radio(test)


def test_firmware_update_with_progress_and_reboot() -> None:
    async def test(radio: VirtualRadio) -> None:
        reader = await start_stub_reader(radio, "PP0918900518", battery=80)
        backend = bleak_backend_choice(radio, mtu=247)
        [found] = await discover_readers(backend, timeout_s=5.0, stop_on_first=True)
        lost: list[ReaderLink] = []
        link = await ReaderLink.connect(found, backend, on_disconnect=lost.append)
        image = bytes(range(256)) * 40  # 10240 bytes: three chunks
        progress: list[tuple[int, int]] = []
        rebooting = await link.update_firmware(
            image, "2.0.0", lambda sent, total: progress.append((sent, total))
        )
        assert rebooting.version == "2.0.0"
        assert bytes(reader.firmware) == image
        assert progress[0] == (0, len(image))
        assert progress[-1] == (len(image), len(image))
        assert [p[0] for p in progress] == sorted(p[0] for p in progress)
        assert len(progress) == 1 + -(-len(image) // FIRMWARE_CHUNK_SIZE)
        starts = [m for m in reader.received if isinstance(m, FirmwareUpdateStart)]
        assert starts[0].size == len(image)
        async with asyncio.timeout(2.0):
            while not lost:
                await asyncio.sleep(0.005)
        # Back with the new version.
        [again] = await discover_readers(backend, timeout_s=5.0, stop_on_first=True)
        link = await ReaderLink.connect(again, backend)
        assert link.info is not None and link.info.firmware_version == "2.0.0"
        await link.disconnect()

    on_radio(test)


def test_firmware_refused_under_half_battery() -> None:
    async def test(radio: VirtualRadio) -> None:
        reader = await start_stub_reader(radio, "PP0918900518", battery=40)
        backend = bleak_backend_choice(radio)
        [found] = await discover_readers(backend, timeout_s=5.0, stop_on_first=True)
        link = await ReaderLink.connect(found, backend)
        with pytest.raises(ReaderFaultError) as caught:
            await link.update_firmware(b"\x00" * 100, "2.0.0", lambda _s, _t: None)
        assert caught.value.code is FaultCode.LOW_BATTERY
        assert "заряд" in caught.value.text.ru
        assert not any(isinstance(m, FirmwareUpdateStart) for m in reader.received)
        # The reader refuses on its own too (a host that did not know the level).
        link.battery_level = 90
        with pytest.raises(ReaderFaultError) as caught:
            await link.update_firmware(b"\x00" * 100, "2.0.0", lambda _s, _t: None)
        assert caught.value.code is FaultCode.LOW_BATTERY
        await link.disconnect()

    on_radio(test)


def test_wrong_protocol_version_is_refused_and_disconnected() -> None:
    async def test(radio: VirtualRadio) -> None:
        reader = await start_stub_reader(radio, "PP0918900518", protocol_version=99)
        backend = bleak_backend_choice(radio)
        [found] = await discover_readers(backend, timeout_s=5.0, stop_on_first=True)
        with pytest.raises(ReaderFaultError) as caught:
            await ReaderLink.connect(found, backend)
        assert caught.value.code is FaultCode.UNSUPPORTED_VERSION
        async with asyncio.timeout(2.0):
            while reader.connected:
                await asyncio.sleep(0.005)

    on_radio(test)


def test_silent_reader_times_out() -> None:
    async def test(radio: VirtualRadio) -> None:
        reader = await start_stub_reader(radio, "PP0918900518")
        reader.answer_get_info = False
        backend = bleak_backend_choice(radio)
        [found] = await discover_readers(backend, timeout_s=5.0, stop_on_first=True)
        with pytest.raises(ReaderTimeout):
            await ReaderLink.connect(found, backend, timeout_s=0.5)
        async with asyncio.timeout(2.0):
            while reader.connected:
                await asyncio.sleep(0.005)

    on_radio(test)


def test_not_a_reader_is_a_protocol_error() -> None:
    async def test(radio: VirtualRadio) -> None:
        device = await radio.add_peripheral("PP0000000000")
        await radio.start_advertising(device, name="PP0000000000", service_uuids=[])
        address = device.random_address.to_string(with_type_qualifier=False)
        with pytest.raises(ReaderProtocolError):
            await ReaderLink.connect(
                FoundReader("PP0000000000", address), bleak_backend_choice(radio), timeout_s=2.0
            )

    on_radio(test)


def test_gone_reader_is_not_found_or_times_out() -> None:
    async def test(radio: VirtualRadio) -> None:
        with pytest.raises((ReaderNotFound, ReaderTimeout)):
            await ReaderLink.connect(
                FoundReader("PP0918900518", "C0:00:00:00:00:99"),
                bleak_backend_choice(radio),
                timeout_s=0.3,
            )

    on_radio(test)
