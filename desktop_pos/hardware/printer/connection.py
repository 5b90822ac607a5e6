"""What every printer link offers, and the worker thread that runs blocking drivers.

``PrinterConnection`` is the interface of one opened link to the printer (TCP, USB, serial,
Windows spooler, file). The network link uses asyncio streams; the others wrap blocking
libraries (pyusb, pyserial, win32print, file writes), which run on a ``BlockingWorker``: one
daemon thread per connection, so no blocking call ever runs on the event loop (GUI) thread.
Every call has a timeout; a call that overruns it raises ``PrinterTimeout`` while the thread is
left to finish (or stay stuck) on its own: being a daemon it never holds up the exit.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import queue
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Protocol, TypeVar

from desktop_pos.hardware.printer.errors import PrinterTimeout
from desktop_pos.hardware.printer.status import PrinterStatus
from desktop_pos.models.texts import LocalizedText

log = logging.getLogger(__name__)

T = TypeVar("T")


class PrinterConnection(Protocol):
    """One opened link to the printer."""

    @property
    def description(self) -> str:
        """Where the printer is, for messages and the log (``192.168.1.50:9100``, ``COM3``)."""
        ...

    async def send(self, data: bytes, timeout_s: float) -> None:
        """Hand ``data`` to the printer; raise a PrinterError on failure or timeout."""
        ...

    async def query_status(self, timeout_s: float) -> PrinterStatus | None:
        """Ask the printer for its status; None when this link cannot read back."""
        ...

    async def close(self) -> None:
        """Release the link; never raises."""
        ...


def timeout_error(description: str, action: LocalizedText) -> PrinterTimeout:
    """``PrinterTimeout`` saying which printer did not finish which action in time."""
    return PrinterTimeout(
        LocalizedText(
            f"Принтер чеков ({description}) не ответил вовремя: {action.ru}. Проверьте, что он "
            "включён и подключён, и нажмите «Повторить».",
            f"The receipt printer ({description}) did not answer in time: {action.en}. Check "
            "that it is on and connected, then press “Retry”.",
        )
    )


SENDING = LocalizedText("передача данных", "sending data")
READING_STATUS = LocalizedText("запрос состояния", "status query")
CONNECTING = LocalizedText("подключение", "connecting")
CLOSING = LocalizedText("закрытие подключения", "closing the connection")


class BlockingWorker:
    """A daemon thread that runs the blocking calls of one connection, one after another."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._jobs: queue.SimpleQueue[Callable[[], None] | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    async def call(
        self,
        func: Callable[[], T],
        *,
        timeout_s: float,
        description: str,
        action: LocalizedText,
    ) -> T:
        """Run ``func()`` on the worker thread and wait for it at most ``timeout_s`` seconds.

        Whatever ``func`` raises passes through unchanged (the caller turns library errors
        into messages); overrunning the timeout raises ``PrinterTimeout`` naming
        ``description`` and ``action``.
        """
        future: concurrent.futures.Future[T] = concurrent.futures.Future()

        def job() -> None:
            if not future.set_running_or_notify_cancel():
                return
            try:
                result = func()
            except BaseException as exc:  # handed to the awaiting coroutine
                future.set_exception(exc)
            else:
                future.set_result(result)

        self._ensure_thread()
        self._jobs.put(job)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), timeout_s)
        except TimeoutError:
            future.cancel()
            log.warning("Printer %s: %s took longer than %.1f s", description, action.en, timeout_s)
            raise timeout_error(description, action) from None

    def stop(self) -> None:
        """Let the thread end once the queued calls are done (returns at once)."""
        with self._lock:
            if self._thread is not None:
                self._jobs.put(None)
                self._thread = None

    def _ensure_thread(self) -> None:
        with self._lock:
            if self._thread is None:
                self._jobs = queue.SimpleQueue()
                self._thread = threading.Thread(
                    target=self._run, args=(self._jobs,), name=self._name, daemon=True
                )
                self._thread.start()

    @staticmethod
    def _run(jobs: queue.SimpleQueue[Callable[[], None] | None]) -> None:
        while (job := jobs.get()) is not None:
            job()


#: Extra time the worker gives a blocking call beyond the library's own timeout, so that the
#: library's timeout (which leaves the device in a clean state) normally fires first.
WORKER_GRACE_S = 1.0
_CLOSE_TIMEOUT_S = 2.0


class WorkerConnection(ABC):
    """Base of the links whose library blocks: every device call runs on a BlockingWorker.

    Subclasses implement the blocking ``_write``, ``_read_status`` and ``_release``, and
    translate their library's exceptions into PrinterError subclasses there.
    """

    def __init__(self, description: str, worker: BlockingWorker) -> None:
        self._description = description
        self._worker = worker

    @property
    def description(self) -> str:
        return self._description

    @classmethod
    async def open_on_worker(
        cls, description: str, opener: Callable[[], T], timeout_s: float
    ) -> tuple[BlockingWorker, T]:
        """Start a worker for a new connection and run the blocking ``opener`` on it."""
        worker = BlockingWorker(f"printer {description}")
        try:
            device = await worker.call(
                opener,
                timeout_s=timeout_s + WORKER_GRACE_S,
                description=description,
                action=CONNECTING,
            )
        except BaseException:
            worker.stop()
            raise
        return worker, device

    async def send(self, data: bytes, timeout_s: float) -> None:
        limit = self._write_timeout_s(len(data), timeout_s)
        await self._worker.call(
            lambda: self._write(data, limit),
            timeout_s=limit + WORKER_GRACE_S,
            description=self._description,
            action=SENDING,
        )

    async def query_status(self, timeout_s: float) -> PrinterStatus | None:
        if not self.reads_status:
            return None
        return await self._worker.call(
            lambda: self._read_status(timeout_s),
            timeout_s=2 * timeout_s + WORKER_GRACE_S,
            description=self._description,
            action=READING_STATUS,
        )

    async def close(self) -> None:
        try:
            await self._worker.call(
                self._release,
                timeout_s=_CLOSE_TIMEOUT_S,
                description=self._description,
                action=CLOSING,
            )
        except Exception as exc:  # closing must not hide the result of the job
            log.warning("Printer %s: closing failed: %s", self._description, exc)
        finally:
            self._worker.stop()

    @property
    def reads_status(self) -> bool:
        """Whether this link can read the printer's answers (else query_status gives None)."""
        return True

    def _write_timeout_s(self, size: int, timeout_s: float) -> float:
        """How long writing ``size`` bytes may take; slow links override this."""
        del size
        return timeout_s

    @abstractmethod
    def _write(self, data: bytes, timeout_s: float) -> None:
        """Blocking: write all of ``data`` or raise a PrinterError."""

    @abstractmethod
    def _read_status(self, timeout_s: float) -> PrinterStatus | None:
        """Blocking: send STATUS_QUERY, read and parse the replies, or raise a PrinterError."""

    @abstractmethod
    def _release(self) -> None:
        """Blocking: free the device."""
