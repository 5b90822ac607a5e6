"""The database on a thread of its own, returning awaitables.

SQLAlchemy sessions block, and the GUI thread never waits on I/O, so every store call from the
event loop goes through ``StoreWorker.call``: it runs on one dedicated thread (which also keeps
this process's writes in order) and the caller awaits the result.

The store is opened (and migrated) on that thread too, so start-up does not wait for it: the
window appears at once and the first call simply queues behind the opening. If opening fails,
``opened`` holds the error and every call raises it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Concatenate, ParamSpec, TypeVar

from desktop_pos.services.store import Store

P = ParamSpec("P")
T = TypeVar("T")


class StoreWorker:
    def __init__(self, store: Store | Callable[[], Store]) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="store")
        opener: Callable[[], Store] = (lambda: store) if isinstance(store, Store) else store
        self.opened: Future[Store] = self._executor.submit(opener)

    @property
    def store(self) -> Store:
        """The open store (waits for the opening; raises what the opening raised)."""
        return self.opened.result()

    def _bind(
        self, fn: Callable[Concatenate[Store, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> Callable[[], T]:
        return lambda: fn(self.opened.result(), *args, **kwargs)

    async def call(
        self, fn: Callable[Concatenate[Store, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """Run ``fn(store, *args, **kwargs)`` on the store thread, e.g. ``Store.load_order``."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._bind(fn, *args, **kwargs))

    def call_blocking(
        self, fn: Callable[Concatenate[Store, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """Run on the store thread and wait: for start-up, shutdown and tools, never the UI."""
        return self._executor.submit(self._bind(fn, *args, **kwargs)).result()

    def shutdown(self) -> None:
        """Close the store after the queued calls and stop the thread."""

        def close() -> None:
            if self.opened.done() and self.opened.exception() is None:
                self.opened.result().close()

        self._executor.submit(close)
        self._executor.shutdown(wait=True)


__all__ = ["StoreWorker"]
