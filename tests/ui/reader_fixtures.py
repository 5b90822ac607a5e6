"""Fixtures for the card reader screens: the real ``ReaderManager`` over bleak on the virtual radio.

Nothing is faked: the manager scans and connects through bleak with the virtual radio's backend
(desktop_pos/sandbox/virtual_radio/), and the readers are the emulated ones
(desktop_pos/sandbox/card_reader/) — the same parts demo mode runs. Timeouts are short: the
radio advertises every 10 ms, so a scan finds a reader in tens of milliseconds.

Test modules load these with ``pytest_plugins = ("tests.ui.reader_fixtures",)``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from desktop_pos.hardware.reader.known_readers import KnownReaders
from desktop_pos.sandbox.virtual_radio.radio import VirtualRadio
from desktop_pos.services.card_reader import ReaderManager
from tests.ui.reader_helpers import make_manager, run

log = logging.getLogger(__name__)


@pytest.fixture
def radio(qtbot: QtBot, qloop: object) -> Iterator[VirtualRadio]:
    radio = VirtualRadio()
    yield radio
    run(qtbot, radio.aclose())


@pytest.fixture
def known(tmp_path: Path) -> KnownReaders:
    return KnownReaders(tmp_path / "known_readers.json")


@pytest.fixture
def manager(qtbot: QtBot, radio: VirtualRadio, known: KnownReaders) -> Iterator[ReaderManager]:
    manager = make_manager(radio, known)
    yield manager
    run(qtbot, manager.close())


@pytest.fixture
def readers(qtbot: QtBot, radio: VirtualRadio) -> Iterator[tuple[Any, Any]]:
    """The two demo readers, Bluepad-like "PP0918900518" and QPOS-like "MPOS0000000001"."""
    emulator = pytest.importorskip("desktop_pos.sandbox.card_reader.emulator")
    timings = getattr(emulator, "FAST_TIMINGS", None)
    pair = run(qtbot, emulator.start_demo_readers(radio, timings=timings))
    yield pair
    for reader in pair:
        stopping = asyncio.ensure_future(reader.stop())
        try:
            qtbot.waitUntil(stopping.done, timeout=5_000)
        except qtbot.TimeoutError:
            # Seen now and then after a firmware reboot: a link session task of the emulator
            # stays "cancelling" and stop() waits for it. The screens under test are done here.
            log.warning("emulated reader %s did not stop in 5 s", reader.serial)
            stopping.cancel()
