"""The GUI thread's asyncio loop (qasync), attached to the running Qt loop after the first frame.

Importing asyncio and qasync takes tens of milliseconds, so the app builds and shows its window
first and runs ``app.exec()``; meanwhile a thread imports the two modules, and a queued signal
then attaches a ``qasync.QEventLoop(app, already_running=True)`` on the GUI thread (which is
quick once the modules are loaded). Whatever needs the loop before that (a payment started in
the first instant) calls ``ensure_loop``, which attaches it on the spot.

After ``app.exec()`` returns, ``finish`` stops the loop so that the shutdown coroutines can run on
it with ``run_until_complete``.
"""

from __future__ import annotations

import importlib
import logging
import threading
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    import asyncio

log = logging.getLogger(__name__)


class AsyncLoopAttacher(QObject):
    """Owns the qasync loop of the GUI thread; created on the GUI thread."""

    _modules_loaded = Signal()

    def __init__(self, app: QApplication) -> None:
        super().__init__()
        self._app = app
        self._loop: asyncio.AbstractEventLoop | None = None
        self._modules_loaded.connect(self._attach, Qt.ConnectionType.QueuedConnection)

    def load_in_background(self) -> None:
        """Import asyncio and qasync on a thread; the loop is attached when they are loaded."""
        threading.Thread(target=self._load_modules, name="asyncio-import", daemon=True).start()

    def ensure_loop(self) -> asyncio.AbstractEventLoop:
        """The attached loop, attaching it now if the background import has not done it yet."""
        if self._loop is None:
            import asyncio

            import qasync

            loop: Any = qasync.QEventLoop(self._app, already_running=True)
            asyncio.set_event_loop(loop)
            self._loop = loop
            log.debug("asyncio loop attached to the Qt event loop")
        return self._loop

    def finish(self) -> asyncio.AbstractEventLoop:
        """After ``app.exec()`` returned: the loop, stopped, ready for ``run_until_complete``."""
        import asyncio

        loop = self.ensure_loop()
        if loop.is_running():
            loop.stop()
        asyncio.events._set_running_loop(None)
        return loop

    def _load_modules(self) -> None:
        importlib.import_module("asyncio")
        importlib.import_module("qasync")
        self._modules_loaded.emit()

    def _attach(self) -> None:
        self.ensure_loop()


class GuiThreadCall(QObject):
    """Run a callable on the GUI thread from any thread (a queued signal)."""

    _called = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self._called.connect(self._run, Qt.ConnectionType.QueuedConnection)

    def __call__(self, fn: Any) -> None:
        self._called.emit(fn)

    @staticmethod
    def _run(fn: Any) -> None:
        fn()
