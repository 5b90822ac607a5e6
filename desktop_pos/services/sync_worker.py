"""The gateway sync worker: a thread that uploads offline cash sales and settles open payments.

It owns its own ``Store`` (opened from a URL, or given) and its own synchronous
``GatewayClient``. On start it runs the start-up resync: orders of the last 3 days in Offline or
In Process are re-queried and settled (``resync_done`` is set when that has finished, success or
not; the app takes no payment before it, or before a short timeout). Then it loops:

* drains the outbox (``register_cash``: register the sale, fiscalize it, fetch the fiscal receipt
  until final; ``desktop_pos.services.sync_steps`` has the steps and what is persisted when);
* polls payment attempts of the last 3 days that are In Process until they are final;
* waits ``poll_interval_s`` or until the next entry is due, or until ``sync_now()``.

Failures back off per entry (capped exponential with jitter). ``GatewayUnavailable`` puts the
whole worker offline: the pass stops, and the next ones only ``ping`` (with the same backoff)
until the gateway answers. Status changes are published as ``SyncStatusChanged``, settled orders
as ``OrderStateChanged`` and ``SyncNotification`` (docs/sync.md).
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from desktop_pos.models.errors import UserFacingError
from desktop_pos.models.payment import OrderState
from desktop_pos.models.texts import LocalizedText
from desktop_pos.services.events import EventBus, SyncStatusChanged
from desktop_pos.services.gateway.errors import GatewayError, GatewayUnavailable
from desktop_pos.services.gateway.settings import GatewaySettings
from desktop_pos.services.store import Store
from desktop_pos.services.store_records import CashUpload, OutboxEntry, SyncCandidate
from desktop_pos.services.store_sync import RESYNC_WINDOW
from desktop_pos.services.sync_steps import (
    RetryLater,
    StoreWriteFailed,
    SyncSteps,
    crash_at_checkpoint,
)

if TYPE_CHECKING:
    import httpx

    from desktop_pos.services.gateway.client import GatewayClient

log = logging.getLogger(__name__)

_Stage = tuple[
    Callable[[list[CashUpload]], None],
    Callable[[CashUpload], bool],
    Callable[[], None] | None,
]
"""A stage of a batch: what begins it (one write), what runs it per upload, what ends it."""

_UNEXPECTED = LocalizedText(
    "Внутренняя ошибка синхронизации; подробности в журнале программы.",
    "Internal sync error; the program log has the details.",
)


def utc_now() -> datetime:
    return datetime.now(UTC)


def backoff_delay(failures: int, base_s: float, cap_s: float, rng: random.Random) -> float:
    """Capped exponential backoff with jitter: min(cap, base·2^(n−1)) × a random 0.5…1."""
    exponent = max(0, min(failures - 1, 30))
    delay: float = min(cap_s, base_s * float(2**exponent))
    return delay * (0.5 + rng.random() / 2)


class SyncWorker:
    """The sync thread. ``start()``, ``stop()``, ``sync_now()``; status via events or getters."""

    def __init__(
        self,
        store_url: str | Store,
        settings: GatewaySettings,
        events: EventBus,
        *,
        clock: Callable[[], datetime] = utc_now,
        poll_interval_s: float = 5.0,
        max_backoff_s: float = 300.0,
        checkpoint: Callable[[str], None] | None = None,
        retry_base_s: float = 1.0,
        fiscal_poll_s: float = 1.0,
        resync_timeout_s: float = 30.0,
        batch_size: int = 50,
        lease_s: float = 120.0,
        transport: httpx.BaseTransport | None = None,
        before_first_contact: Callable[[], None] | None = None,
    ) -> None:
        """``store_url``: a database URL (opened, and closed at the end, by the worker) or an
        open ``Store`` (left open). ``transport`` is passed to the ``GatewayClient``.
        ``before_first_contact`` runs on the worker's thread before the start-up resync first
        asks the gateway (demo mode: the sandbox process it waits for); if it fails, the resync
        goes on and finds the gateway unreachable as usual."""
        self._store_source = store_url
        self._settings = settings
        self._events = events
        self._clock = clock
        self._poll_interval_s = poll_interval_s
        self._max_backoff_s = max_backoff_s
        self._checkpoint = checkpoint or crash_at_checkpoint
        self._retry_base_s = retry_base_s
        self._fiscal_poll_s = fiscal_poll_s
        self._resync_timeout_s = resync_timeout_s
        self._batch_size = batch_size
        self._lease = timedelta(seconds=lease_s)
        self._transport = transport
        self._before_first_contact = before_first_contact
        self._random = random.Random()
        self._wake = threading.Event()
        self._not_before = 0.0
        """Monotonic time before which a woken pass does not start (``sync_now(after_s=…)``)."""
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self.resync_done = threading.Event()
        """Set once the start-up resync has finished (success or not)."""
        self._status_lock = threading.Lock()
        self._online: bool | None = None
        self._pending = 0
        self._last_error: LocalizedText | None = None
        self._published: tuple[bool, int, LocalizedText | None] | None = None
        self._passes_done = 0
        # Worker-thread state only:
        self._store: Store | None = None
        self._client: GatewayClient | None = None
        self._steps: SyncSteps | None = None
        self._offline_failures = 0
        self._failures: dict[int, int] = {}
        """Consecutive failures per outbox entry id (the backoff's exponent)."""
        self._polls: dict[str, tuple[float, int]] = {}
        """attempt_id of an attempt In Process → (monotonic time of its next poll, failures)."""

    # -- control (any thread) ----------------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("the sync worker has already been started")
        self._thread = threading.Thread(target=self._run, name="gateway-sync", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10) -> None:
        """Stop after the current step and wait up to ``timeout`` seconds for the thread."""
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.warning("the sync worker did not stop within %.1f s", timeout)

    def sync_now(self, *, after_s: float = 0.0) -> None:
        """Wake the thread: at once when the cashier asks; ``after_s`` later for a new sale, so
        that the window paints its result screen before the upload competes with it for the
        interpreter lock (docs/performance.md)."""
        with self._status_lock:
            self._not_before = time.monotonic() + after_s if after_s > 0 else 0.0
        self._wake.set()

    def _hold_until_due(self) -> None:
        """On the worker thread after a wake: wait out its ``after_s``; another wake (``sync_now``
        at once, or ``stop``) ends the wait early."""
        while not self._stopping.is_set():
            with self._status_lock:
                remaining = self._not_before - time.monotonic()
                if remaining <= 0:
                    self._not_before = 0.0
                    return
            self._wake.wait(remaining)
            self._wake.clear()

    def wait_resync(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for the start-up resync; True once it has finished."""
        return self.resync_done.wait(timeout)

    def pending_count(self) -> int:
        """Outbox entries not done plus attempts In Process (last 3 days), as last counted."""
        with self._status_lock:
            return self._pending

    def is_online(self) -> bool | None:
        """True/False after the first exchange with the gateway; None before it."""
        with self._status_lock:
            return self._online

    def last_error(self) -> LocalizedText | None:
        with self._status_lock:
            return self._last_error

    @property
    def passes_done(self) -> int:
        """Passes finished since the start-up resync (a pass seen ending has waited since)."""
        return self._passes_done

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # -- status ------------------------------------------------------------------------------

    def _set_status(
        self,
        *,
        online: bool | None = None,
        pending: int | None = None,
        error: LocalizedText | bool | None = False,
    ) -> None:
        """Change what is given (``error=False`` keeps the error) and publish on a change."""
        with self._status_lock:
            if online is not None:
                self._online = online
            if pending is not None:
                self._pending = pending
            if error is not False:
                self._last_error = error if isinstance(error, LocalizedText) else None
            if self._online is None:
                return
            status = (self._online, self._pending, self._last_error)
            if status == self._published:
                return
            self._published = status
        self._events.publish(SyncStatusChanged(*status))

    def _mark_online(self) -> None:
        if self._online is not True:
            log.info("the gateway is reachable")
        self._offline_failures = 0
        self._set_status(online=True)

    def _mark_offline(self, exc: GatewayUnavailable) -> None:
        if self._online is not False:
            log.warning("the gateway is unreachable: %s", exc.detail)
        self._offline_failures += 1
        self._set_status(online=False, error=exc.text)

    def _refresh_pending(self) -> list[SyncCandidate]:
        """Recount what is pending; returns the attempts In Process (last 3 days) it counted."""
        assert self._store is not None
        in_process = self._store.resync_candidates(self._clock(), states=(OrderState.IN_PROCESS,))
        self._count_pending(len(in_process))
        return in_process

    def _count_pending(self, in_process: int) -> None:
        """Publish the pending count: the outbox entries not done plus ``in_process``."""
        assert self._store is not None
        self._set_status(pending=self._store.pending_outbox_count() + in_process)

    def _backoff(self, failures: int) -> float:
        return backoff_delay(failures, self._retry_base_s, self._max_backoff_s, self._random)

    # -- the thread --------------------------------------------------------------------------

    def _run(self) -> None:
        try:
            if not self._open():
                return
            if self._before_first_contact is not None:
                try:
                    self._before_first_contact()
                except Exception as exc:
                    log.warning("the gateway did not get ready: %s", exc)
            try:
                self._resync()
            except Exception:
                log.exception("the start-up resync failed")
                self._set_status(error=_UNEXPECTED)
            finally:
                self.resync_done.set()
            while not self._stopping.is_set():
                try:
                    delay = self._pass()
                except Exception:
                    log.exception("a sync pass failed")
                    self._set_status(error=_UNEXPECTED)
                    delay = self._poll_interval_s
                self._passes_done += 1
                if delay > 0:
                    self._wake.wait(delay)
                self._wake.clear()
                self._hold_until_due()
        finally:
            self.resync_done.set()
            self._close()

    def _open(self) -> bool:
        from desktop_pos.services.gateway.client import GatewayClient

        failures = 0
        while not self._stopping.is_set():
            try:
                if self._store is None:
                    source = self._store_source
                    self._store = Store.open(source) if isinstance(source, str) else source
                self._client = GatewayClient(self._settings, transport=self._transport)
            except UserFacingError as exc:
                failures += 1
                log.warning("the sync worker cannot start: %s", exc)
                self._set_status(online=False, error=exc.text)
                self.resync_done.set()
                self._wake.wait(self._backoff(failures))
                self._wake.clear()
                continue
            self._steps = SyncSteps(
                self._store,
                self._client,
                self._events,
                self._clock,
                checkpoint=self._checkpoint,
                fiscal_poll_s=self._fiscal_poll_s,
            )
            return True
        return False

    def _close(self) -> None:
        if self._client is not None:
            self._client.close()
        if self._store is not None and isinstance(self._store_source, str):
            self._store.close()

    def _resync(self) -> None:
        """Settle the orders of the last 3 days in Offline or In Process, within a time limit."""
        assert self._store is not None and self._client is not None
        deadline = time.monotonic() + self._resync_timeout_s
        # The Offline sales are not loaded here: the outbox pages below take them.
        candidates = self._refresh_pending()
        log.info(
            "start-up resync: %d payments In Process of the last 3 days to settle, then the"
            " pending cash sales of those days",
            len(candidates),
        )
        if not self._client.ping():
            self._mark_offline(GatewayUnavailable("ping failed at start-up"))
            self._refresh_pending()
            return
        self._mark_online()
        for candidate in candidates:
            if time.monotonic() > deadline or not self._settle(candidate):
                self._refresh_pending()
                return
        # Then every pending outbox entry of the period (Offline sales, and sales whose upload
        # was cut short: registered but not yet fiscalized), due or not.
        since = self._clock() - RESYNC_WINDOW
        after_id = 0
        while time.monotonic() <= deadline and not self._stopping.is_set():
            uploads = self._store.claim_cash_uploads(
                self._batch_size,
                self._clock(),
                self._lease,
                due_only=False,
                created_since=since,
                after_id=after_id,
            )
            if not uploads:
                break
            after_id = uploads[-1].entry.id
            if not self._run_uploads(uploads, deadline):
                break
        self._refresh_pending()

    def _pass(self) -> float:
        """One round of work; returns how long to wait before the next one."""
        assert self._store is not None and self._client is not None
        if self._online is False:
            if not self._client.ping():
                self._offline_failures += 1
                self._refresh_pending()
                return self._backoff(self._offline_failures)
            self._mark_online()
        uploads = self._store.claim_cash_uploads(self._batch_size, self._clock(), self._lease)
        online = self._run_uploads(uploads, None)
        if online:
            # the attempts it asked about are counted from its own query, not queried again
            online, in_process = self._poll_in_process()
            self._count_pending(in_process)
        else:
            self._refresh_pending()
        if not online:
            return self._backoff(self._offline_failures)
        if len(uploads) == self._batch_size:
            return 0.0
        return self._time_to_next_due()

    def _time_to_next_due(self) -> float:
        assert self._store is not None
        delay = self._poll_interval_s
        upcoming = self._store.pending_outbox(1)
        if upcoming:
            due_in = (upcoming[0].next_attempt_at - self._clock()).total_seconds()
            delay = min(delay, max(0.0, due_in))
        if self._polls:
            next_poll = min(when for when, _ in self._polls.values()) - time.monotonic()
            delay = min(delay, max(0.0, next_poll))
        return delay

    # -- outbox entries ----------------------------------------------------------------------

    def _run_uploads(self, uploads: list[CashUpload], deadline: float | None) -> bool:
        """Run the claimed uploads stage by stage: register them all, then fiscalize them, then
        fetch their receipts (each entry goes as far as it can). Each stage begins with one
        transaction (the previous stage's results, this stage's ``_sent`` marks); its requests
        follow with no write between them. False if the gateway went away; entries not
        finished when it stops are released (due again at once)."""
        steps = self._steps
        assert steps is not None
        stages: tuple[_Stage, ...] = (
            (steps.begin_register, steps.register, steps.end_register),
            (steps.begin_fiscalize, steps.fiscalize, steps.end_fiscalize),
            (steps.begin_fetch, steps.fetch_receipt, None),
        )
        active = uploads
        try:
            for begin, stage, end in stages:
                if not active:
                    break
                begin(active)
                going_on: list[CashUpload] = []
                for index, upload in enumerate(active):
                    late = deadline is not None and time.monotonic() > deadline
                    if self._stopping.is_set() or late:
                        self._release(going_on + active[index:])
                        return True
                    outcome = self._run_stage(stage, upload)
                    if outcome is None:
                        self._release(going_on + active[index + 1 :])
                        return False
                    if outcome:
                        going_on.append(upload)
                if end is not None:
                    end()
                active = going_on
            return True
        finally:
            steps.flush()

    def _release(self, uploads: list[CashUpload]) -> None:
        """Give back claimed entries that were not finished (due again at once)."""
        assert self._steps is not None
        now = self._clock()
        for upload in uploads:
            self._steps.postpone(upload.entry.id, now, upload.entry.last_error)

    def _run_stage(self, stage: Callable[[CashUpload], bool], upload: CashUpload) -> bool | None:
        """One stage of one upload: True if the entry goes on to the next stage, False if it is
        done or postponed, None if the gateway is unreachable (the entry is postponed)."""
        assert self._steps is not None
        entry = upload.entry
        try:
            finished = stage(upload)
        except StoreWriteFailed:
            raise  # the pass stops; the leased entries resume from what was stored
        except RetryLater as wait:
            self._failures.pop(entry.id, None)
            self._mark_online()
            when = self._clock() + timedelta(seconds=wait.delay_s)
            self._steps.postpone(entry.id, when, wait.note)
            return False
        except GatewayUnavailable as exc:
            self._mark_offline(exc)
            self._postpone_failed(entry, str(exc))
            return None
        except UserFacingError as exc:  # rejected, unreadable reply, unusable stored data
            log.warning("order %s: upload postponed: %s", entry.order_number, exc)
            if isinstance(exc, GatewayError):
                self._mark_online()
            self._set_status(error=exc.text)
            self._postpone_failed(entry, str(exc))
            return False
        except Exception as exc:
            log.exception("order %s: upload failed", entry.order_number)
            self._set_status(error=_UNEXPECTED)
            self._postpone_failed(entry, f"{type(exc).__name__}: {exc}")
            return False
        self._mark_online()
        if finished:
            self._failures.pop(entry.id, None)
            self._set_status(error=None)
        return not finished

    def _postpone_failed(self, entry: OutboxEntry, error: str) -> None:
        assert self._steps is not None
        failures = self._failures.get(entry.id, 0) + 1
        self._failures[entry.id] = failures
        when = self._clock() + timedelta(seconds=self._backoff(failures))
        self._steps.postpone(entry.id, when, error)

    # -- attempts In Process -----------------------------------------------------------------

    def _poll_in_process(self) -> tuple[bool, int]:
        """Ask about the attempts In Process whose poll is due. Returns False if the gateway went
        away, and how many of the attempts are still In Process after the answers."""
        assert self._store is not None
        candidates = self._store.resync_candidates(self._clock(), states=(OrderState.IN_PROCESS,))
        current = {c.attempt_id for c in candidates}
        for attempt_id in list(self._polls):
            if attempt_id not in current:
                del self._polls[attempt_id]
        remaining = len(candidates)
        now = time.monotonic()
        for candidate in candidates:
            due, _ = self._polls.get(candidate.attempt_id, (now, 0))
            if due > now:
                continue
            if self._stopping.is_set():
                return True, remaining
            if not self._settle(candidate):
                return False, remaining
            if candidate.attempt_id not in self._polls:  # settled: a final state was stored
                remaining -= 1
        return True, remaining

    def _settle(self, candidate: SyncCandidate) -> bool:
        """Settle one attempt In Process; False if the gateway is unreachable."""
        assert self._steps is not None
        _, failures = self._polls.get(candidate.attempt_id, (0.0, 0))
        try:
            state = self._steps.settle_attempt(candidate)
        except GatewayUnavailable as exc:
            self._mark_offline(exc)
            self._polls[candidate.attempt_id] = (time.monotonic(), failures)
            return False
        except UserFacingError as exc:
            log.warning("order %s: state not settled: %s", candidate.order_number, exc)
            if isinstance(exc, GatewayError):
                self._mark_online()
            self._set_status(error=exc.text)
            failures += 1
            self._polls[candidate.attempt_id] = (
                time.monotonic() + self._backoff(failures),
                failures,
            )
            return True
        except Exception:
            log.exception("order %s: settling its state failed", candidate.order_number)
            failures += 1
            self._polls[candidate.attempt_id] = (
                time.monotonic() + self._backoff(failures),
                failures,
            )
            return True
        self._mark_online()
        if state is not None and state.is_final:
            self._polls.pop(candidate.attempt_id, None)
        else:
            self._polls[candidate.attempt_id] = (time.monotonic() + self._poll_interval_s, 0)
        return True
