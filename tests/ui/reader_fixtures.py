"""Fixtures for the card reader screens: the real ``ReaderManager`` over bleak on the virtual radio.

Nothing is faked: the manager scans and connects through bleak with the virtual radio's backend
(desktop_pos/sandbox/virtual_radio/), and the readers are the emulated ones
(desktop_pos/sandbox/card_reader/) — the same parts demo mode runs. Timeouts are short: the
radio advertises every 10 ms, so a scan finds a reader in tens of milliseconds.

Test modules load these with ``pytest_plugins = ("tests.ui.reader_fixtures",)``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from desktop_pos.hardware.reader.known_readers import KnownReaders
from desktop_pos.sandbox.virtual_radio.radio import VirtualRadio
from desktop_pos.services.card_reader import ReaderManager
from tests.ui.reader_helpers import make_manager, run

_READER_STACK = (
    "/desktop_pos/sandbox/",
    "/desktop_pos/hardware/reader/",
    "/desktop_pos/services/card_",
    "/bleak/",
    "/bumble/",
)


def reader_stack_tasks() -> list[asyncio.Task[Any]]:
    """Tasks of the loop that run code of the reader stack (radio, readers, link, manager)."""
    left = []
    for task in asyncio.all_tasks(asyncio.get_event_loop()):
        code = getattr(task.get_coro(), "cr_code", None)
        filename = code.co_filename.replace("\\", "/") if code is not None else ""
        if any(part in filename for part in _READER_STACK):
            left.append(task)
    return left


@pytest.fixture
def radio(qtbot: QtBot, qloop: object) -> Iterator[VirtualRadio]:
    """The radio; torn down last, it checks that the test left no task of the reader stack."""
    radio = VirtualRadio()
    yield radio
    run(qtbot, radio.aclose())
    assert reader_stack_tasks() == []


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
        run(qtbot, reader.stop(), timeout_ms=5_000)  # a reader that does not stop fails the test
