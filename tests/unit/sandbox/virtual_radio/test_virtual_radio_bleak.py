"""bleak's own API over the virtual radio: discovery, connection, GATT I/O, notifications,
MTU exchange, disconnections, clean shutdown."""

from __future__ import annotations

import asyncio
import warnings
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from bleak import BleakClient, BleakScanner
from bleak.backends.device import BLEDevice
from bleak.backends.scanner import AdvertisementData
from bleak.exc import (
    BleakBluetoothNotAvailableError,
    BleakBluetoothNotAvailableReason,
    BleakError,
    BleakGATTProtocolError,
    BleakGATTProtocolErrorCode,
)

from desktop_pos.sandbox.virtual_radio import (
    BumbleClient,
    BumbleScanner,
    VirtualRadio,
    bleak_backend_parts,
    set_default_radio,
)
from tests.async_helpers import run_coroutine
from tests.virtual_radio_gatt import (
    COMPANY_ID,
    NOTIFY_CHAR,
    OTHER_SERVICE,
    READ_CHAR,
    READ_VALUE,
    REFUSING_CHAR,
    SERVICE,
    SLOW_CHAR,
    WRITE_CHAR,
    TinyServer,
    start_tiny_server,
)

SCAN_S = 0.08
CCCD = "00002902-0000-1000-8000-00805f9b34fb"


def on_radio(test: Callable[[VirtualRadio], Awaitable[None]]) -> None:
    """Run ``test`` on a fresh loop with a fresh radio; fail on leftover tasks or warnings."""

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


async def discover(
    radio: VirtualRadio, service_uuids: list[str] | None = None
) -> dict[str, tuple[BLEDevice, AdvertisementData]]:
    # bleak types discover()'s keyword arguments for its own backends only; the constructor
    # (and so discover()) passes any other keyword on to the backend.
    return await BleakScanner.discover(  # type: ignore[call-overload, no-any-return]
        timeout=SCAN_S,
        return_adv=True,
        backend=BumbleScanner,
        radio=radio,
        service_uuids=service_uuids,
    )


async def connect(
    radio: VirtualRadio,
    server: TinyServer,
    *,
    mtu: int | None = None,
    on_lost: Callable[[BleakClient], None] | None = None,
) -> BleakClient:
    found = await discover(radio, [SERVICE])
    device, _adv = found[server.address]
    extra: dict[str, Any] = {} if mtu is None else {"mtu": mtu}
    client = BleakClient(
        device,
        disconnected_callback=on_lost,
        timeout=2.0,
        backend=BumbleClient,
        radio=radio,
        **extra,
    )
    await client.connect()
    return client


def notifications() -> tuple[list[bytes], asyncio.Event, Callable[[object, bytearray], None]]:
    received: list[bytes] = []
    event = asyncio.Event()

    def callback(_sender: object, data: bytearray) -> None:
        received.append(bytes(data))
        event.set()

    return received, event, callback


# -- discovery ------------------------------------------------------------------------------


def test_discovery_reports_name_services_rssi_and_manufacturer_data() -> None:
    async def test(radio: VirtualRadio) -> None:
        server = await start_tiny_server(radio, "PP0918900518")
        found = await discover(radio, [SERVICE])
        assert list(found) == [server.address]
        device, adv = found[server.address]
        assert device.name == "PP0918900518"
        assert adv.local_name == "PP0918900518"
        assert adv.service_uuids == [SERVICE]
        assert adv.manufacturer_data == {COMPANY_ID: b"\x01\x02"}
        assert adv.rssi == -50

    on_radio(test)


def test_service_filter_keeps_only_matching_peripherals() -> None:
    async def test(radio: VirtualRadio) -> None:
        ours = await start_tiny_server(radio, "PP0918900518")
        other = await start_tiny_server(radio, "Headphones", service=OTHER_SERVICE)
        filtered = await discover(radio, [SERVICE])
        unfiltered = await discover(radio)
        assert set(filtered) == {ours.address}
        assert set(unfiltered) == {ours.address, other.address}

    on_radio(test)


def test_two_peripherals_are_found_in_one_scan() -> None:
    async def test(radio: VirtualRadio) -> None:
        first = await start_tiny_server(radio, "PP0918900518")
        second = await start_tiny_server(radio, "MPOS0000000001")
        found = await discover(radio, [SERVICE])
        names = {adv.local_name for _device, adv in found.values()}
        assert set(found) == {first.address, second.address}
        assert names == {"PP0918900518", "MPOS0000000001"}

    on_radio(test)


def test_peripheral_that_stopped_advertising_is_not_found() -> None:
    async def test(radio: VirtualRadio) -> None:
        server = await start_tiny_server(radio, "PP0918900518")
        await radio.stop_advertising(server.device)
        assert await discover(radio, [SERVICE]) == {}
        await radio.start_advertising(server.device, name="PP0918900518", service_uuids=[SERVICE])
        assert set(await discover(radio, [SERVICE])) == {server.address}

    on_radio(test)


def test_rssi_can_be_set_per_address() -> None:
    async def test(radio: VirtualRadio) -> None:
        server = await start_tiny_server(radio, "PP0918900518")
        radio.set_rssi(server.address, -80)
        _device, adv = (await discover(radio, [SERVICE]))[server.address]
        assert adv.rssi == -80

    on_radio(test)


def test_detection_callback_and_repeated_start_stop() -> None:
    async def test(radio: VirtualRadio) -> None:
        await start_tiny_server(radio, "PP0918900518")
        seen: list[str | None] = []
        scanner = BleakScanner(
            lambda _device, adv: seen.append(adv.local_name),
            [SERVICE],
            backend=BumbleScanner,
            radio=radio,
        )
        for _ in range(2):
            seen.clear()
            await scanner.start()
            await asyncio.sleep(SCAN_S)
            await scanner.stop()
            assert "PP0918900518" in seen
        count = len(seen)
        await asyncio.sleep(SCAN_S)
        assert len(seen) == count  # nothing arrives after stop()

    on_radio(test)


def test_default_radio_is_used_without_radio_argument() -> None:
    async def test(radio: VirtualRadio) -> None:
        server = await start_tiny_server(radio, "PP0918900518")
        set_default_radio(radio)
        try:
            scanner = BleakScanner(service_uuids=[SERVICE], backend=BumbleScanner)
            async with scanner:
                await asyncio.sleep(SCAN_S)
            found = scanner.discovered_devices
            assert [d.address for d in found] == [server.address]
        finally:
            set_default_radio(None)

    on_radio(test)


# -- connection and GATT --------------------------------------------------------------------


def test_services_characteristics_and_descriptors_are_discovered() -> None:
    async def test(radio: VirtualRadio) -> None:
        server = await start_tiny_server(radio, "PP0918900518")
        client = await connect(radio, server)
        service = client.services.get_service(SERVICE)
        assert service is not None
        by_uuid = {c.uuid: c for c in service.characteristics}
        assert sorted(by_uuid[WRITE_CHAR].properties) == ["write", "write-without-response"]
        assert by_uuid[NOTIFY_CHAR].properties == ["notify"]
        assert by_uuid[READ_CHAR].properties == ["read"]
        assert [d.uuid for d in by_uuid[NOTIFY_CHAR].descriptors] == [CCCD]
        cccd = by_uuid[NOTIFY_CHAR].descriptors[0]
        assert await client.read_gatt_descriptor(cccd.handle) == bytearray(b"\x00\x00")
        # the standard GAP service (device name) is there as on a real device
        gap = client.services.get_service("00001800-0000-1000-8000-00805f9b34fb")
        assert gap is not None
        name = await client.read_gatt_char("00002a00-0000-1000-8000-00805f9b34fb")
        assert name == bytearray(b"PP0918900518")
        await client.disconnect()

    on_radio(test)


def test_read_write_and_notify_at_mtu_23() -> None:
    async def test(radio: VirtualRadio) -> None:
        server = await start_tiny_server(radio, "PP0918900518")
        client = await connect(radio, server, mtu=23)
        assert client.mtu_size == 23
        write_char = client.services.get_characteristic(WRITE_CHAR)
        assert write_char is not None
        assert write_char.max_write_without_response_size == 20

        assert await client.read_gatt_char(READ_CHAR) == bytearray(READ_VALUE)
        await client.write_gatt_char(WRITE_CHAR, bytes(range(20)), response=False)
        await client.write_gatt_char(WRITE_CHAR, b"w" * 100, response=True)  # long write
        assert await server.wait_writes(2) == [bytes(range(20)), b"w" * 100]
        with pytest.raises(BleakError, match="do not fit"):
            await client.write_gatt_char(WRITE_CHAR, bytes(21), response=False)

        received, event, callback = notifications()
        await client.start_notify(NOTIFY_CHAR, callback)
        await server.notify(bytes(range(100, 120)))
        await asyncio.wait_for(event.wait(), 2)
        assert received == [bytes(range(100, 120))]
        await client.disconnect()

    on_radio(test)


@pytest.mark.parametrize("mtu", [185, 247, 517])
def test_large_payloads_after_mtu_exchange(mtu: int) -> None:
    async def test(radio: VirtualRadio) -> None:
        server = await start_tiny_server(radio, "PP0918900518")
        client = await connect(radio, server, mtu=mtu)
        assert client.mtu_size == mtu
        size = min(mtu - 3, 512)  # ATT caps an attribute value at 512 bytes
        write_char = client.services.get_characteristic(WRITE_CHAR)
        assert write_char is not None
        assert write_char.max_write_without_response_size == size
        payload = bytes(i % 251 for i in range(size))
        await client.write_gatt_char(WRITE_CHAR, payload, response=False)
        assert await server.wait_writes(1) == [payload]

        received, event, callback = notifications()
        await client.start_notify(NOTIFY_CHAR, callback)
        await server.notify(payload[::-1])
        await asyncio.wait_for(event.wait(), 2)
        assert received == [payload[::-1]]
        await client.disconnect()

    on_radio(test)


def test_default_mtu_is_247_and_the_peripheral_can_limit_it() -> None:
    async def test(radio: VirtualRadio) -> None:
        roomy = await start_tiny_server(radio, "PP0918900518")
        limited = await start_tiny_server(radio, "MPOS0000000001", max_mtu=185)
        client = await connect(radio, roomy)
        assert client.mtu_size == 247
        other = await connect(radio, limited, mtu=517)
        assert other.mtu_size == 185
        await client.disconnect()
        await other.disconnect()

    on_radio(test)


def test_stop_notify_writes_the_cccd_back_to_zero() -> None:
    async def test(radio: VirtualRadio) -> None:
        server = await start_tiny_server(radio, "PP0918900518")
        client = await connect(radio, server)
        received, _event, callback = notifications()
        await client.start_notify(NOTIFY_CHAR, callback)
        char = client.services.get_characteristic(NOTIFY_CHAR)
        assert char is not None
        cccd = char.descriptors[0]
        assert await client.read_gatt_descriptor(cccd.handle) == bytearray(b"\x01\x00")
        await client.stop_notify(NOTIFY_CHAR)
        assert await client.read_gatt_descriptor(cccd.handle) == bytearray(b"\x00\x00")
        await server.notify(b"after stop")
        await asyncio.sleep(0.02)
        assert received == []
        await client.disconnect()

    on_radio(test)


def test_gatt_error_from_the_peer_is_a_bleak_protocol_error() -> None:
    async def test(radio: VirtualRadio) -> None:
        server = await start_tiny_server(radio, "PP0918900518")
        client = await connect(radio, server)
        with pytest.raises(BleakGATTProtocolError) as raised:
            await client.read_gatt_char(REFUSING_CHAR)
        assert raised.value.code == BleakGATTProtocolErrorCode.INSUFFICIENT_AUTHORIZATION
        assert await client.read_gatt_char(READ_CHAR) == bytearray(READ_VALUE)  # still usable
        await client.disconnect()

    on_radio(test)


def test_pair_and_unpair_succeed_without_doing_anything() -> None:
    async def test(radio: VirtualRadio) -> None:
        server = await start_tiny_server(radio, "PP0918900518")
        found = await discover(radio, [SERVICE])
        client = BleakClient(
            found[server.address][0], pair=True, timeout=2.0, backend=BumbleClient, radio=radio
        )
        await client.connect()
        await client.pair()
        await client.unpair()
        assert client.is_connected
        await client.disconnect()

    on_radio(test)


def test_two_clients_connect_at_the_same_time() -> None:
    async def test(radio: VirtualRadio) -> None:
        first = await start_tiny_server(radio, "PP0918900518")
        second = await start_tiny_server(radio, "MPOS0000000001")
        found = await discover(radio, [SERVICE])
        clients = [
            BleakClient(found[s.address][0], timeout=2.0, backend=BumbleClient, radio=radio)
            for s in (first, second)
        ]
        await asyncio.gather(*(c.connect() for c in clients))
        values = await asyncio.gather(*(c.read_gatt_char(READ_CHAR) for c in clients))
        assert values == [bytearray(READ_VALUE)] * 2
        await clients[0].write_gatt_char(WRITE_CHAR, b"one", response=True)
        await clients[1].write_gatt_char(WRITE_CHAR, b"two", response=True)
        assert first.written == [b"one"]
        assert second.written == [b"two"]
        await asyncio.gather(*(c.disconnect() for c in clients))

    on_radio(test)


# -- disconnections -------------------------------------------------------------------------


def test_peer_disconnect_calls_the_callback_and_ends_the_connection() -> None:
    async def test(radio: VirtualRadio) -> None:
        server = await start_tiny_server(radio, "PP0918900518")
        lost: list[BleakClient] = []
        client = await connect(radio, server, on_lost=lost.append)
        await radio.disconnect_all(server.device)
        async with asyncio.timeout(2):
            while not lost:
                await asyncio.sleep(0.001)
        assert lost == [client]
        assert not client.is_connected
        with pytest.raises(BleakError, match="Not connected"):
            await client.read_gatt_char(READ_CHAR)
        # the peripheral advertises again and can be reconnected
        again = await connect(radio, server)
        assert await again.read_gatt_char(READ_CHAR) == bytearray(READ_VALUE)
        await again.disconnect()

    on_radio(test)


def test_own_disconnect_does_not_call_the_callback() -> None:
    async def test(radio: VirtualRadio) -> None:
        server = await start_tiny_server(radio, "PP0918900518")
        lost: list[BleakClient] = []
        client = await connect(radio, server, on_lost=lost.append)
        await client.disconnect()
        await asyncio.sleep(0.02)
        assert lost == []
        assert not client.is_connected
        assert radio.connections(server.device) == []
        await client.disconnect()  # a second disconnect is harmless

    on_radio(test)


def test_peripheral_leaving_the_radio_drops_the_link() -> None:
    async def test(radio: VirtualRadio) -> None:
        server = await start_tiny_server(radio, "PP0918900518")
        lost: list[BleakClient] = []
        client = await connect(radio, server, on_lost=lost.append)
        await radio.remove(server.device)
        async with asyncio.timeout(2):
            while not lost:
                await asyncio.sleep(0.001)
        assert not client.is_connected
        assert await discover(radio, [SERVICE]) == {}

    on_radio(test)


def test_connect_to_a_silent_peripheral_times_out_then_works_once_it_advertises() -> None:
    async def test(radio: VirtualRadio) -> None:
        server = await start_tiny_server(radio, "PP0918900518", advertise=False)
        client = BleakClient(server.address, timeout=0.05, backend=BumbleClient, radio=radio)
        with pytest.raises(TimeoutError):
            await client.connect()
        assert not client.is_connected
        await radio.start_advertising(server.device, name="PP0918900518", service_uuids=[SERVICE])
        await client.connect()
        assert await client.read_gatt_char(READ_CHAR) == bytearray(READ_VALUE)
        await client.disconnect()

    on_radio(test)


def test_radio_close_disconnects_clients_and_leaves_nothing_running() -> None:
    lost: list[BleakClient] = []

    async def test(radio: VirtualRadio) -> None:
        server = await start_tiny_server(radio, "PP0918900518")
        client = await connect(radio, server, on_lost=lost.append)
        scanner = BleakScanner(service_uuids=[SERVICE], backend=BumbleScanner, radio=radio)
        await scanner.start()
        await radio.aclose()
        assert not client.is_connected
        await scanner.stop()  # stopping after the radio closed is fine
        with pytest.raises(RuntimeError):
            await radio.add_peripheral("late")

    on_radio(test)
    assert len(lost) == 1


def test_link_lost_during_a_read_raises_not_connected() -> None:
    async def test(radio: VirtualRadio) -> None:
        server = await start_tiny_server(radio, "PP0918900518")
        client = await connect(radio, server)
        read = asyncio.ensure_future(client.read_gatt_char(SLOW_CHAR))
        await asyncio.wait_for(server.slow_read_started.wait(), 2)
        await radio.remove(server.device)
        with pytest.raises(BleakError, match="Not connected"):
            await read
        server.slow_read_gate.set()
        await asyncio.sleep(0)  # let the peripheral's read handler finish

    on_radio(test)


def test_cancelled_connect_leaves_the_radio_ready_for_the_next_one() -> None:
    async def test(radio: VirtualRadio) -> None:
        server = await start_tiny_server(radio, "PP0918900518", advertise=False)
        client = BleakClient(server.address, timeout=2.0, backend=BumbleClient, radio=radio)
        attempt = asyncio.ensure_future(client.connect())
        await asyncio.sleep(0.02)
        attempt.cancel()
        with pytest.raises(asyncio.CancelledError):
            await attempt
        await radio.start_advertising(server.device, name="PP0918900518", service_uuids=[SERVICE])
        await client.connect()
        assert client.is_connected
        await client.disconnect()

    on_radio(test)


def test_adapter_switched_off_is_bluetooth_not_available() -> None:
    async def test(radio: VirtualRadio) -> None:
        server = await start_tiny_server(radio, "PP0918900518")
        lost: list[BleakClient] = []
        client = await connect(radio, server, on_lost=lost.append)
        await radio.set_powered(False)
        assert lost == [client]
        with pytest.raises(BleakBluetoothNotAvailableError) as raised:
            await discover(radio, [SERVICE])
        assert raised.value.reason is BleakBluetoothNotAvailableReason.POWERED_OFF
        with pytest.raises(BleakBluetoothNotAvailableError):
            await client.connect()
        await radio.set_powered(True)
        again = await connect(radio, server)
        assert again.is_connected
        await again.disconnect()

    on_radio(test)


def test_backend_parts_carry_the_radio_and_the_mtu() -> None:
    async def test(radio: VirtualRadio) -> None:
        server = await start_tiny_server(radio, "PP0918900518")
        parts = bleak_backend_parts(radio, mtu=23)
        assert parts["scanner_backend"] is BumbleScanner
        assert parts["client_backend"] is BumbleClient
        assert parts["kwargs"] == {"radio": radio, "mtu": 23}
        scanner = BleakScanner(
            service_uuids=[SERVICE], backend=parts["scanner_backend"], **parts["kwargs"]
        )
        async with scanner:
            await asyncio.sleep(SCAN_S)
        device = scanner.discovered_devices[0]
        client = BleakClient(device, backend=parts["client_backend"], **parts["kwargs"])
        async with client:
            assert client.mtu_size == 23
        assert device.address == server.address

    on_radio(test)


def test_backend_choice_is_the_reader_links_dataclass() -> None:
    ble_link = pytest.importorskip("desktop_pos.hardware.reader.ble_link")
    from desktop_pos.sandbox.virtual_radio import bleak_backend_choice

    radio = VirtualRadio()
    choice = bleak_backend_choice(radio, mtu=185)
    assert isinstance(choice, ble_link.BleakBackendChoice)
    assert choice.scanner_backend is BumbleScanner
    assert choice.client_backend is BumbleClient
    assert dict(choice.kwargs) == {"radio": radio, "mtu": 185}
