"""The radio's loop for bumble's callbacks that run while no loop is running.

bumble's emulated controller, link and stack look the loop up with ``asyncio.get_running_loop()``
in their timer and packet callbacks (an advertising set re-arms its timer and sends its PDU on
each tick). qasync runs the callbacks that are due once more after ``run_until_complete`` has
returned — its final ``processEvents`` — when no loop is running any more; there each such
lookup raised ``RuntimeError: no running event loop``, and the advertising set whose tick it
was stopped for good: the emulated reader fell silent and could no longer be found.

``install`` gives those bumble modules a view of ``asyncio`` whose ``get_running_loop`` returns the
running loop as before, or, when none runs on this thread, the loop of the newest virtual radio
(``use``). Nothing else changes: every other name is asyncio's own.
"""

from __future__ import annotations

import asyncio
import importlib
import threading
from typing import Any

_BUMBLE_MODULES = (
    "bumble.controller",
    "bumble.link",
    "bumble.device",
    "bumble.host",
    "bumble.l2cap",
    "bumble.gatt_client",
    "bumble.gatt_server",
    "bumble.transport.common",
)


class _AsyncioWithRadioLoop:
    """``asyncio`` as bumble's modules see it once ``install`` ran."""

    def __init__(self) -> None:
        self.loop: asyncio.AbstractEventLoop | None = None
        self.thread: int | None = None

    def get_running_loop(self) -> asyncio.AbstractEventLoop:
        try:
            return asyncio.get_running_loop()
        except RuntimeError:
            loop = self.loop
            if loop is None or loop.is_closed() or threading.get_ident() != self.thread:
                raise
            return loop

    def __getattr__(self, name: str) -> Any:
        return getattr(asyncio, name)


_VIEW = _AsyncioWithRadioLoop()
_lock = threading.Lock()
_installed = False


def install() -> None:
    """Give bumble's modules the view (once per process)."""
    global _installed
    with _lock:
        if _installed:
            return
        for name in _BUMBLE_MODULES:
            module = importlib.import_module(name)
            if getattr(module, "asyncio", None) is asyncio:
                module.asyncio = _VIEW  # type: ignore[attr-defined]
        _installed = True


def use(loop: asyncio.AbstractEventLoop) -> None:
    """The loop (and its thread, the calling one) that bumble's callbacks fall back to."""
    install()
    _VIEW.loop = loop
    _VIEW.thread = threading.get_ident()


def fallback_loop() -> asyncio.AbstractEventLoop | None:
    """The loop bumble's callbacks fall back to, if any."""
    return _VIEW.loop
