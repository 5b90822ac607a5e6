"""The database on a thread of its own, returning awaitables.

SQLAlchemy sessions block, and the GUI thread never waits on I/O, so every store call from the
event loop goes through ``StoreWorker.call``: it runs on one dedicated thread (which also keeps
this process's writes in order) and the caller awaits the result.

The store is opened (imported, connected and migrated) on that thread too. The app starts the
opening only once its window is on screen (``start``), because the opening's Python work would
otherwise compete with building the window for the interpreter lock. A call made before
``start`` starts it; calls queue behind the opening. If opening fails, ``opened`` holds the
error and every call raises it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

if TYPE_CHECKING:  # the store (SQLAlchemy, Alembic) is imported on the store thread, not here
    from desktop_pos.services.store import Store

P = ParamSpec("P")
T = TypeVar("T")


class StoreWorker:
    def __init__(self, store: Store | Callable[[], Store], *, start: bool = True) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="store")
        self._opener: Callable[[], Store] = store if callable(store) else (lambda: store)
        self._start_lock = threading.Lock()
        self._started = False
        self.opened: Future[Store] = Future()
        if start:
            self.start()

    def start(self) -> None:
        """Begin opening the store on its thread (idempotent)."""
        with self._start_lock:
            if self._started:
                return
            self._started = True
        self._executor.submit(self._open)

    def _open(self) -> None:
        if not self.opened.set_running_or_notify_cancel():
            return
        try:
            self.opened.set_result(self._opener())
        except BaseException as exc:
            self.opened.set_exception(exc)

    @property
    def store(self) -> Store:
        """The open store (waits for the opening; raises what the opening raised)."""
        self.start()
        return self.opened.result()

    def _bind(
        self, fn: Callable[Concatenate[Store, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> Callable[[], T]:
        self.start()
        return lambda: fn(self.opened.result(), *args, **kwargs)

    async def call(
        self, fn: Callable[Concatenate[Store, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """Run ``fn(store, *args, **kwargs)`` on the store thread, e.g. ``Store.load_order``."""
        import asyncio  # not at import time: the app loads asyncio after its first frame

        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._bind(fn, *args, **kwargs))

    def call_blocking(
        self, fn: Callable[Concatenate[Store, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """Run on the store thread and wait: for start-up, shutdown and tools, never the UI."""
        return self._executor.submit(self._bind(fn, *args, **kwargs)).result()

    def shutdown(self) -> None:
        """Close the store after the queued calls and stop the thread (never opens it)."""

        def close() -> None:
            if self.opened.done() and self.opened.exception() is None:
                self.opened.result().close()

        self._executor.submit(close)
        self._executor.shutdown(wait=True)
        self.opened.cancel()  # an opening that never started is not waited for
