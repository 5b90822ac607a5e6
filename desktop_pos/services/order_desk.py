"""Orders handed over by the merchant's system, waiting for the cashier, and their results.

The local API (``merchant_api``), ``desktop-pos pay --order-file`` and the web-service lookup all
hand an ``ImportedOrder`` to the one ``OrderDesk``. The desk refuses an order whose number is
paid (or being paid) in the store or already waiting here, and a full queue; it keeps the others
in memory (nothing is stored before the cashier takes a payment, so a refused or returned order
leaves no trace in the database). The window takes them one at a time (``take_next``); when the
order is paid (``SaleCompleted``) or the cashier hands it back (``hand_back``) its result is final,
waiters of ``wait_final`` are woken and the callback URL, if one came with the order, is POSTed
the result JSON, retried with a growing delay.

All methods run on the event loop of the GUI thread (the store calls go through ``StoreWorker``).
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from desktop_pos.models.order_import import ImportedOrder
from desktop_pos.models.texts import LocalizedText
from desktop_pos.services.events import EventBus, SaleCompleted
from desktop_pos.services.order_results import (
    OrderOutcome,
    PosStatus,
    stored_result,
    waiting_result,
)
from desktop_pos.services.payment_messages import payment_refused
from desktop_pos.services.store_worker import StoreWorker

log = logging.getLogger(__name__)

DEFAULT_QUEUE_SIZE = 5
CALLBACK_DELAYS_S = (1.0, 2.0, 4.0, 8.0, 16.0, 32.0)
"""Waits between callback attempts: 7 attempts over about a minute."""
CALLBACK_TIMEOUT_S = 10.0
_FINISHED_KEPT = 200
"""How many finished orders the desk remembers (for ``returned`` in a later GET)."""


class DeskRefusal(Exception):
    """The desk does not take the order: ``http_status`` and ``code`` for the caller."""

    def __init__(
        self, http_status: int, code: str, text: LocalizedText, extra: dict[str, object] | None
    ) -> None:
        super().__init__(text.en)
        self.http_status = http_status
        self.code = code
        self.text = text
        self.extra = extra or {}

    def as_json(self) -> dict[str, object]:
        return {
            "error": self.code,
            "message": self.text.ru,
            "message_en": self.text.en,
            **self.extra,
        }


BUSY = LocalizedText(
    "Касса занята: в очереди уже {count} заказ(ов). Повторите позже.",
    "The till is busy: {count} order(s) are already waiting. Try again later.",
)
ALREADY_WAITING = LocalizedText(
    "Заказ № {number} уже передан на кассу и ждет оплаты.",
    "Order {number} has already been handed to the till and is waiting for payment.",
)


@dataclass
class DeskEntry:
    imported: ImportedOrder
    callback_url: str | None = None
    status: PosStatus = PosStatus.QUEUED
    final: asyncio.Future[OrderOutcome] | None = None
    callback_task: asyncio.Task[bool] | None = field(default=None, repr=False)

    @property
    def number(self) -> str:
        return self.imported.order.number


@dataclass(frozen=True, slots=True)
class Accepted:
    number: str
    status: PosStatus
    position: int
    """0 for the order on the screen; 1 for the first in the queue, ..."""


class OrderDesk:
    def __init__(
        self,
        store: StoreWorker,
        events: EventBus,
        *,
        queue_size: int = DEFAULT_QUEUE_SIZE,
        callback_delays_s: tuple[float, ...] = CALLBACK_DELAYS_S,
    ) -> None:
        self._store = store
        self._queue_size = queue_size
        self._callback_delays_s = callback_delays_s
        self._queue: OrderedDict[str, DeskEntry] = OrderedDict()
        self._on_screen: DeskEntry | None = None
        self._finished: OrderedDict[str, DeskEntry] = OrderedDict()
        self._listeners: list[Callable[[], None]] = []
        self._refusal_listeners: list[Callable[[LocalizedText], None]] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._unsubscribe = events.subscribe(SaleCompleted, self._on_sale_completed)
        self._http: Any = None

    # -- state -----------------------------------------------------------------------------------
    @property
    def queue_size(self) -> int:
        return self._queue_size

    def queued(self) -> list[str]:
        return list(self._queue)

    def on_screen(self) -> DeskEntry | None:
        return self._on_screen

    def status(self) -> dict[str, object]:
        return {
            "busy": self._on_screen is not None,
            "on_screen": None if self._on_screen is None else self._on_screen.number,
            "queued": len(self._queue),
            "queue_size": self._queue_size,
        }

    def add_listener(self, listener: Callable[[], None]) -> None:
        """``listener()`` is called on the loop whenever an order joins the queue."""
        self._listeners.append(listener)

    def add_refusal_listener(self, listener: Callable[[LocalizedText], None]) -> None:
        """``listener(text)`` is told why an order was refused (shown in the window)."""
        self._refusal_listeners.append(listener)

    def _refuse(self, refusal: DeskRefusal) -> DeskRefusal:
        log.info("merchant order refused: %s", refusal.text.en)
        for listener in list(self._refusal_listeners):
            listener(refusal.text)
        return refusal

    # -- taking orders ---------------------------------------------------------------------------
    async def submit(self, imported: ImportedOrder, callback_url: str | None = None) -> Accepted:
        """Queue ``imported``, or raise ``DeskRefusal`` (409 paid or waiting, 503 busy)."""
        self._loop = asyncio.get_running_loop()
        number = imported.order.number
        if number in self._queue or (self._on_screen and self._on_screen.number == number):
            raise self._refuse(
                DeskRefusal(
                    409,
                    "already_queued",
                    ALREADY_WAITING.format(number=number),
                    {"ordernum": number},
                )
            )
        from desktop_pos.services.store import BLOCKING_STATES, Store

        state = await self._store.call(Store.order_state, number)
        if state is not None and state in BLOCKING_STATES:
            outcome = await self.result(number)
            refusal = payment_refused(number, state)
            raise self._refuse(
                DeskRefusal(
                    409,
                    "already_paid",
                    refusal.text,
                    {"ordernum": number, "result": None if outcome is None else outcome.data},
                )
            )
        if len(self._queue) >= self._queue_size:
            raise self._refuse(
                DeskRefusal(503, "busy", BUSY.format(count=len(self._queue)), self.status())
            )
        self._finished.pop(number, None)
        entry = DeskEntry(imported, callback_url, final=self._loop.create_future())
        self._queue[number] = entry
        position = len(self._queue)
        log.info("merchant order %s queued (position %d)", number, position)
        for listener in list(self._listeners):
            listener()
        return Accepted(number, PosStatus.QUEUED, position)

    def take_next(self) -> DeskEntry | None:
        """The window shows the next queued order (None: nothing waits or one is on screen)."""
        if self._on_screen is not None or not self._queue:
            return None
        _number, entry = self._queue.popitem(last=False)
        entry.status = PosStatus.ON_SCREEN
        self._on_screen = entry
        log.info("merchant order %s shown to the cashier", entry.number)
        return entry

    def take(self, number: str) -> DeskEntry | None:
        """The window shows queued ``number`` now (the cashier looked it up or chose it)."""
        if self._on_screen is not None or number not in self._queue:
            return None
        self._queue.move_to_end(number, last=False)
        return self.take_next()

    def hand_back(self, number: str) -> None:
        """The cashier returns the order on the screen (or a queued one) unpaid."""
        entry = self._queue.pop(number, None)
        if entry is None and self._on_screen is not None and self._on_screen.number == number:
            entry, self._on_screen = self._on_screen, None
        if entry is None:
            return
        log.info("merchant order %s handed back by the cashier", number)
        self._finish_later(entry, returned=True)

    # -- results ---------------------------------------------------------------------------------
    async def result(self, number: str) -> OrderOutcome | None:
        """The result JSON of ``number`` (None: unknown to this till)."""
        from desktop_pos.services.store import Store

        waiting = self._queue.get(number)
        if waiting is not None:
            return waiting_result(number, PosStatus.QUEUED)
        details = await self._store.call(Store.load_details, number)
        finished = self._finished.get(number)
        returned = finished is not None and finished.status is PosStatus.RETURNED
        if details is None:
            if self._on_screen is not None and self._on_screen.number == number:
                return waiting_result(number, PosStatus.ON_SCREEN)
            return waiting_result(number, PosStatus.RETURNED) if returned else None
        return stored_result(details, returned=returned)

    async def wait_final(self, number: str) -> OrderOutcome:
        """Wait until the till is done with ``number`` (paid or handed back)."""
        entry = self._queue.get(number) or self._finished.get(number)
        if entry is None and self._on_screen is not None and self._on_screen.number == number:
            entry = self._on_screen
        if entry is None or entry.final is None:
            raise KeyError(number)
        return await asyncio.shield(entry.final)

    def _on_sale_completed(self, event: SaleCompleted) -> None:
        entry = self._on_screen
        if entry is None or entry.number != event.result.order_number:
            return
        self._on_screen = None
        loop = self._loop
        if loop is None:
            return
        loop.call_soon_threadsafe(self._finish_later, entry, False)

    def _finish_later(self, entry: DeskEntry, returned: bool) -> None:
        entry.status = PosStatus.RETURNED if returned else PosStatus.PAID
        self._finished[entry.number] = entry
        while len(self._finished) > _FINISHED_KEPT:
            self._finished.popitem(last=False)
        task = asyncio.get_running_loop().create_task(self._finish(entry))
        entry.callback_task = task

    async def _finish(self, entry: DeskEntry) -> bool:
        try:
            outcome = await self.result(entry.number)
        except Exception:
            log.exception("merchant order %s: its result could not be read", entry.number)
            outcome = None
        if outcome is None:
            outcome = waiting_result(entry.number, entry.status)
        if entry.final is not None and not entry.final.done():
            entry.final.set_result(outcome)
        if entry.callback_url:
            return await self.post_callback(entry.callback_url, outcome.data)
        return True

    async def post_callback(self, url: str, data: dict[str, object]) -> bool:
        """POST ``data`` to ``url`` until a 2xx answer, waiting ``callback_delays_s`` between
        attempts; returns whether it was delivered."""
        import httpx

        if self._http is None:
            self._http = httpx.AsyncClient(timeout=CALLBACK_TIMEOUT_S, follow_redirects=False)
        number = data.get("ordernum")
        for attempt, delay in enumerate((0.0, *self._callback_delays_s), start=1):
            if delay:
                await asyncio.sleep(delay)
            try:
                reply = await self._http.post(url, json=data)
            except httpx.HTTPError as exc:
                log.warning("order %s: callback attempt %d failed: %s", number, attempt, exc)
                continue
            if 200 <= reply.status_code < 300:
                log.info("order %s: result delivered to the callback URL", number)
                return True
            log.warning(
                "order %s: callback attempt %d answered HTTP %d", number, attempt, reply.status_code
            )
        log.warning("order %s: the callback URL never took the result; it can be fetched", number)
        return False

    async def close(self) -> None:
        self._unsubscribe()
        for entry in list(self._finished.values()):
            task = entry.callback_task
            if task is not None and not task.done():
                task.cancel()
        if self._http is not None:
            await self._http.aclose()
            self._http = None
