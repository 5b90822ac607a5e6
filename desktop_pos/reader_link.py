"""The card reader's parts for the app: the ``ReaderManager`` on the right Bluetooth backend.

``start_reader_link(config)`` runs on the app's (qasync) loop after the window is shown:

* production: bleak's platform backend (BlueZ over D-Bus on Linux, WinRT, CoreBluetooth); the
  known readers in ``known_readers.json`` of the data directory; firmware images from
  ``[reader] firmware_dir``;
* demo mode: a ``VirtualRadio`` on the running loop with both emulated readers
  (``start_demo_readers``), the bleak backend built on bumble (the same bleak calls run), their
  firmware updates written to a demo folder, and a known-readers file of its own, so the demo
  never touches the counter's real readers.

Nothing here touches Bluetooth yet: the manager only scans or connects when asked
(``reconnect_last`` after start, the payment, the settings page). When Bluetooth cannot be used,
those calls raise ``BluetoothUnavailable`` and the other payment methods go on working.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from desktop_pos.config import Config
from desktop_pos.hardware.reader.ble_link import BleakBackendChoice
from desktop_pos.hardware.reader.known_readers import KnownReaders
from desktop_pos.hardware.reader.settings import ReaderSettings
from desktop_pos.services.card_reader import ReaderManager
from desktop_pos.services.firmware_images import FirmwareImages

if TYPE_CHECKING:
    from desktop_pos.sandbox.card_reader.emulator import EmulatedReader
    from desktop_pos.sandbox.virtual_radio.radio import VirtualRadio

log = logging.getLogger(__name__)

KNOWN_READERS_FILE = "known_readers.json"
DEMO_KNOWN_READERS_FILE = "known_readers-demo.json"
DEMO_FIRMWARE_DIR = "reader-firmware-demo"


@dataclass
class ReaderLinkSetup:
    """The manager and what the window needs around it."""

    manager: ReaderManager
    settings: ReaderSettings
    images: FirmwareImages
    radio: VirtualRadio | None = None
    """Demo mode: the virtual radio the emulated readers are on."""
    demo_readers: Sequence[EmulatedReader] = field(default_factory=tuple)

    async def close(self) -> None:
        """End the link, stop the emulated readers and the radio (the app is closing)."""
        await self.manager.close()
        for reader in self.demo_readers:
            with contextlib.suppress(Exception):
                await reader.stop()
        if self.radio is not None:
            await self.radio.aclose()


async def start_reader_link(config: Config, *, demo_readers: bool | None = None) -> ReaderLinkSetup:
    """Build the manager (and in demo mode the virtual radio with both emulated readers)."""
    settings = config.reader
    data_dir = config.paths.data_dir
    demo = config.demo if demo_readers is None else demo_readers
    if not demo:
        known = KnownReaders(data_dir / KNOWN_READERS_FILE)
        manager = ReaderManager(BleakBackendChoice(), known, settings=settings)
        return ReaderLinkSetup(manager, settings, FirmwareImages(settings.firmware_dir))

    import asyncio

    from desktop_pos.sandbox.card_reader.emulator import start_demo_readers
    from desktop_pos.sandbox.card_reader.firmware import write_demo_firmware_images
    from desktop_pos.sandbox.virtual_radio import VirtualRadio, bleak_backend_choice

    firmware_dir = settings.firmware_dir or data_dir / DEMO_FIRMWARE_DIR
    await asyncio.to_thread(write_demo_firmware_images, firmware_dir)
    radio = VirtualRadio()
    try:
        readers = await start_demo_readers(radio)
    except BaseException:
        await radio.aclose()
        raise
    known = KnownReaders(data_dir / DEMO_KNOWN_READERS_FILE)
    manager = ReaderManager(bleak_backend_choice(radio), known, settings=settings)
    log.info("demo card readers: %s", ", ".join(reader.serial for reader in readers))
    return ReaderLinkSetup(manager, settings, FirmwareImages(firmware_dir), radio, readers)
