"""Helpers for the card reader screen tests (the fixtures are in tests/ui/reader_fixtures.py).

Screens are grabbed to PNG at 1280×800 with the application style sheet (``shot``); set
``UI_SHOTS_DIR`` to keep them somewhere to look at.
"""

from __future__ import annotations

import asyncio
import inspect
import os
import tempfile
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtWidgets import QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from desktop_pos.hardware.reader.known_readers import KnownReaders
from desktop_pos.hardware.reader.settings import ReaderSettings
from desktop_pos.sandbox.virtual_radio.backend import bleak_backend_choice
from desktop_pos.sandbox.virtual_radio.radio import VirtualRadio
from desktop_pos.services.card_reader import ReaderManager
from desktop_pos.ui import theme

T = TypeVar("T")

SCAN_S = 0.4
"""Long enough for the virtual radio (advertising every 10 ms), short for the suite."""
FAST = ReaderSettings(scan_timeout_s=SCAN_S, connect_timeout_s=5.0)


def run(qtbot: QtBot, coro: Coroutine[Any, Any, T], timeout_ms: int = 10_000) -> T:
    """Run ``coro`` on the session's qasync loop and wait for its result."""
    future = asyncio.ensure_future(coro)
    qtbot.waitUntil(future.done, timeout=timeout_ms)
    return future.result()


def act(qtbot: QtBot, result: object) -> object:
    """Finish an emulated reader's control, whether it is a plain call or a coroutine."""
    if inspect.isawaitable(result):

        async def wait() -> object:
            return await result

        return run(qtbot, wait())
    return result


def make_manager(radio: VirtualRadio, known: KnownReaders) -> ReaderManager:
    return ReaderManager(bleak_backend_choice(radio), known, settings=FAST)


_hosts: list[QWidget] = []


def host(qtbot: QtBot, child: QWidget | None = None) -> QWidget:
    """A shown 1280×800 window with the application's style sheet (and ``child`` in it)."""
    window = QWidget()
    window.setObjectName("testHost")
    window.setStyleSheet(theme.load_style_sheet())
    window.resize(1280, 800)
    if child is not None:
        layout = QVBoxLayout(window)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(child)
    qtbot.addWidget(window)
    _hosts[:] = [window]  # kept alive for the test, as a main window would be
    window.show()
    qtbot.waitExposed(window)
    return window


def shot(widget: QWidget, name: str) -> Path:
    """Grab ``widget`` to PNG (into $UI_SHOTS_DIR when set) and check it was written."""
    folder = Path(os.environ.get("UI_SHOTS_DIR") or tempfile.gettempdir()) / "reader_ui"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    assert widget.grab().save(str(path))
    return path
