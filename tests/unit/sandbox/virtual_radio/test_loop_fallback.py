"""bumble's callbacks run while no loop is running (as qasync runs the due ones once more after
``run_until_complete`` returned): the emulated peripheral keeps advertising and is still found.
"""

from __future__ import annotations

import asyncio
import warnings
from collections.abc import Iterator

import pytest
from bleak import BleakScanner

from desktop_pos.sandbox.virtual_radio import BumbleScanner, VirtualRadio, loop_fallback
from tests.virtual_radio_gatt import SERVICE, start_tiny_server


def run_due_callbacks_outside(loop: asyncio.AbstractEventLoop) -> int:
    """As qasync's last ``processEvents``: the advertising timers' callbacks, no loop running."""
    handles = list(getattr(loop, "_scheduled", []))
    ran = 0
    for handle in handles:
        if not handle.cancelled() and "advertising" in repr(handle):
            callback, args = handle._callback, handle._args or ()  # type: ignore[attr-defined]
            handle.cancel()  # taken off the loop: it runs here, once, as qasync would run it
            callback(*args)
            ran += 1
    return ran


@pytest.fixture(autouse=True)
def no_running_loop() -> Iterator[None]:
    """These tests drive their own loop: a loop left marked running on this thread by an
    earlier Qt test is set aside for their duration."""
    left = asyncio.events._get_running_loop()
    asyncio.events._set_running_loop(None)
    try:
        yield
    finally:
        asyncio.events._set_running_loop(left)


def test_advertising_survives_callbacks_run_with_no_loop_running() -> None:
    loop = asyncio.new_event_loop()
    radio = VirtualRadio()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            server = loop.run_until_complete(start_tiny_server(radio, "R-1"))
            assert loop_fallback.fallback_loop() is loop

            ran = run_due_callbacks_outside(loop)

            async def discover() -> set[str]:
                devices = await BleakScanner.discover(  # type: ignore[call-overload]
                    timeout=0.2, backend=BumbleScanner, radio=radio, service_uuids=[SERVICE]
                )
                return {device.address for device in devices}

            assert ran >= 1
            assert loop.run_until_complete(discover()) == {server.address}
    finally:
        loop.run_until_complete(radio.aclose())
        loop.close()


def test_with_no_radio_loop_bumble_still_sees_no_running_loop() -> None:
    view = loop_fallback._VIEW
    saved = (view.loop, view.thread)
    try:
        view.loop, view.thread = None, None
        try:
            view.get_running_loop()
        except RuntimeError as error:
            assert "no running event loop" in str(error)
        else:
            raise AssertionError("a loop was returned with none running and no radio loop")
    finally:
        view.loop, view.thread = saved
