"""The virtual radio when its callers are cancelled at any point: the scan count, the central's
scanning and a peripheral's advertising always end as asked, and bumble never sees an HCI
command abandoned half-way (no ``InvalidStateError`` in ``Host.on_packet``: an ERROR record
fails the test).

Each test cancels after 0, 1, 2, … loop iterations, so that the cancellation lands in turn on
every HCI command of the operation (0: before the operation began, so it never happens)."""

from __future__ import annotations

import asyncio
import contextlib
import warnings
from collections.abc import Awaitable, Callable

import pytest
from bleak import BleakClient, BleakScanner

from desktop_pos.sandbox.virtual_radio import BumbleClient, BumbleScanner, VirtualRadio
from tests.async_helpers import run_coroutine
from tests.virtual_radio_gatt import SERVICE, TinyServer, start_tiny_server

SCAN_S = 0.08
ITERATIONS = range(0, 24)
"""Enough to cover every command of powering the central on and of starting a scan."""


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


async def iterations(count: int) -> None:
    for _ in range(count):
        await asyncio.sleep(0)


async def cancel_after(coro: Awaitable[object], count: int) -> bool:
    """Run ``coro``, cancel it after ``count`` loop iterations; True if it was cancelled."""
    task = asyncio.ensure_future(coro)
    await iterations(count)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        return True
    return False


async def found(radio: VirtualRadio) -> set[str]:
    devices = await BleakScanner.discover(  # type: ignore[call-overload]
        timeout=SCAN_S, backend=BumbleScanner, radio=radio, service_uuids=[SERVICE]
    )
    return {device.address for device in devices}


def central_count(radio: VirtualRadio) -> int:
    return sum(1 for device in radio.devices() if device.name == "bleak-central")


@pytest.mark.parametrize("count", ITERATIONS)
def test_cancelled_scan_start_leaves_no_scan_and_a_working_radio(count: int) -> None:
    async def test(radio: VirtualRadio) -> None:
        server = await start_tiny_server(radio, "PP0918900518")
        if not await cancel_after(radio.acquire_scanning(), count):
            await radio.release_scanning()
        await radio.idle()
        assert radio.scan_users == 0
        assert not radio.is_scanning()
        assert central_count(radio) <= 1  # none when cancelled before it began
        assert await found(radio) == {server.address}
        assert central_count(radio) == 1
        await radio.idle()
        assert not radio.is_scanning()

    on_radio(test)


@pytest.mark.parametrize("count", ITERATIONS)
def test_cancelled_scan_start_beside_a_running_scan(count: int) -> None:
    async def test(radio: VirtualRadio) -> None:
        await radio.acquire_scanning()
        assert radio.is_scanning()
        if not await cancel_after(radio.acquire_scanning(), count):
            await radio.release_scanning()
        await radio.idle()
        assert radio.scan_users == 1
        assert radio.is_scanning()
        await radio.release_scanning()
        assert not radio.is_scanning()

    on_radio(test)


@pytest.mark.parametrize("count", range(1, 8))
def test_cancelled_scan_stop_still_stops_the_scan(count: int) -> None:
    async def test(radio: VirtualRadio) -> None:
        await radio.acquire_scanning()
        await cancel_after(radio.release_scanning(), count)
        await radio.idle()
        assert radio.scan_users == 0
        assert not radio.is_scanning()

    on_radio(test)


@pytest.mark.parametrize("count", ITERATIONS)
def test_cancelled_bleak_discovery(count: int) -> None:
    async def test(radio: VirtualRadio) -> None:
        server = await start_tiny_server(radio, "PP0918900518")
        await cancel_after(found(radio), count)
        await radio.idle()
        assert radio.scan_users == 0
        assert not radio.is_scanning()
        assert await found(radio) == {server.address}

    on_radio(test)


@pytest.mark.parametrize("count", range(1, 12))
def test_cancelled_stop_advertising_still_stops(count: int) -> None:
    async def test(radio: VirtualRadio) -> None:
        server = await start_tiny_server(radio, "PP0918900518")
        assert radio.is_advertising(server.device)
        await cancel_after(radio.stop_advertising(server.device), count)
        await radio.idle()
        assert not radio.is_advertising(server.device)
        assert await found(radio) == set()

    on_radio(test)


@pytest.mark.parametrize("count", range(1, 12))
def test_cancelled_start_advertising_ends_advertising(count: int) -> None:
    async def test(radio: VirtualRadio) -> None:
        server = await start_tiny_server(radio, "PP0918900518")
        await radio.stop_advertising(server.device)
        await cancel_after(
            radio.start_advertising(server.device, name="PP0918900518", service_uuids=[SERVICE]),
            count,
        )
        await radio.idle()
        assert radio.is_advertising(server.device)
        assert await found(radio) == {server.address}

    on_radio(test)


async def connected_client(
    radio: VirtualRadio, server: TinyServer, timeout_s: float = 2.0
) -> BleakClient:
    client = BleakClient(server.address, timeout=timeout_s, backend=BumbleClient, radio=radio)
    await client.connect()
    return client


@pytest.mark.parametrize("count", range(0, 16))
def test_stop_advertising_while_advertising_resumes_after_a_disconnection(count: int) -> None:
    async def test(radio: VirtualRadio) -> None:
        server = await start_tiny_server(radio, "PP0918900518")
        client = await connected_client(radio, server)
        await radio.idle()
        assert not radio.is_advertising(server.device)  # connected: the controller stopped it
        await radio.disconnect_all(server.device)  # the peripheral resumes advertising ...
        await iterations(count)
        await radio.stop_advertising(server.device)  # ... and is taken out of range meanwhile
        await radio.idle()
        assert not radio.is_advertising(server.device)
        assert await found(radio) == set()
        await client.disconnect()

    on_radio(test)


@pytest.mark.parametrize("count", range(0, 16))
def test_stop_advertising_while_a_central_connects(count: int) -> None:
    async def test(radio: VirtualRadio) -> None:
        server = await start_tiny_server(radio, "PP0918900518")
        connecting = asyncio.create_task(connected_client(radio, server, timeout_s=0.3))
        await iterations(count)
        await radio.stop_advertising(server.device)
        client: BleakClient | None = None
        with contextlib.suppress(TimeoutError):  # advertising stopped before it connected
            client = await connecting
        if client is not None:
            await radio.disconnect_all(server.device)
            await client.disconnect()
        await radio.idle()
        assert not radio.is_advertising(server.device)
        assert await found(radio) == set()

    on_radio(test)
