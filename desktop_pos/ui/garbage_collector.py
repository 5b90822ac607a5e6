"""Python's garbage collection, scheduled by the app instead of by the allocator.

Python's automatic collector runs whenever allocations pass a threshold, on whatever thread
allocated last: a full (generation 2) collection of the app's objects takes 100–200 ms and
would freeze the window in the middle of a payment. ``GarbageCollector`` (after qutebrowser's)
turns the automatic collector off and checks ``gc.get_count()`` against ``gc.get_threshold()``
on a timer of the GUI thread:

* generations 0 and 1 are collected as soon as they are due, but not within ``quiet_s`` of a
  screen change (the new screen is laid out and painted first); generation 1 every
  ``young_every`` young collections instead of Python's ten, so each is a few milliseconds
  (at Python's ten, 12–19 ms were measured during card payments: a stall of its own);
* generation 2 waits until the window has been idle for ``settle_s`` (no payment in progress on
  any flow, no modal dialog, no screen change: ``is_busy``, ``note_activity``), unless its
  counter passes ``ceiling`` times its threshold, when it runs anyway so memory never grows
  without bound.

``stop()`` turns the automatic collector back on if it was on at ``start()``.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

CHECK_INTERVAL_MS = 100
"""How often the counters are checked (qutebrowser: 1 s; shorter keeps each young
collection small)."""
YOUNG_EVERY = 2
"""Generation 1 is collected at every this many generation-0 collections (Python: its
threshold, 10). The full collection's due count is scaled to match, so full collections stay
as rare as with Python's thresholds."""
QUIET_S = 0.06
"""Young collections wait this long after a screen change."""
SETTLE_S = 1.0
"""How long the window must have been idle before a full collection (a payment that has just
ended still paints its result screen)."""
CEILING = 10
"""A full collection runs even while busy once its counter reaches this many thresholds."""


def modal_dialog_open() -> bool:
    """A modal dialog is open in the application."""
    return QApplication.activeModalWidget() is not None


class GarbageCollector(QObject):
    """Collects generations 0 and 1 when due, generation 2 only when the window is idle."""

    def __init__(
        self,
        is_busy: Callable[[], bool],
        parent: QObject | None = None,
        *,
        interval_ms: int = CHECK_INTERVAL_MS,
        young_every: int = YOUNG_EVERY,
        quiet_s: float = QUIET_S,
        settle_s: float = SETTLE_S,
        ceiling: int = CEILING,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """``is_busy``: a payment is in progress (modal dialogs are checked here too)."""
        super().__init__(parent)
        self._is_busy = is_busy
        self._young_every = young_every
        self._quiet_s = quiet_s
        self._settle_s = settle_s
        self._ceiling = ceiling
        self._last_activity = float("-inf")
        self._clock = clock
        self._idle_since: float | None = None
        self._was_enabled = False
        self._running = False
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check)

    @property
    def running(self) -> bool:
        return self._running

    def start(self) -> None:
        """Turn the automatic collector off and start checking."""
        if self._running:
            return
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._running = True
        self._idle_since = None
        self._timer.start()
        log.debug("garbage collection scheduled by the app (thresholds %s)", gc.get_threshold())

    def stop(self) -> None:
        """Stop checking; the automatic collector is on again if it was on before."""
        if not self._running:
            return
        self._timer.stop()
        self._running = False
        if self._was_enabled:
            gc.enable()

    def note_activity(self) -> None:
        """Something happened on screen (a payment began or ended): the idle time restarts."""
        self._idle_since = self._last_activity = self._clock()

    def idle(self) -> bool:
        """No payment in progress and no modal dialog, for at least ``settle_s``."""
        now = self._clock()
        if self._is_busy() or modal_dialog_open():
            self._idle_since = None
            return False
        if self._idle_since is None:
            self._idle_since = now
        return now - self._idle_since >= self._settle_s

    def check(self) -> int | None:
        """Collect what is due; returns the generation collected (None: nothing was)."""
        count0, count1, count2 = gc.get_count()
        threshold0, threshold1, threshold2 = gc.get_threshold()
        idle = self.idle()  # every time: the idle time is counted from the first idle check
        # count2 counts generation-1 collections, here threshold1 / young_every times Python's
        full_due = threshold2 * max(1, threshold1 // max(1, self._young_every))
        if count2 >= full_due > 0 and (idle or count2 >= full_due * self._ceiling):
            generation = 2
        elif threshold0 > 0 and count0 > threshold0:
            if self._clock() - self._last_activity < self._quiet_s:
                return None  # the screen that just changed is laid out and painted first
            generation = 1 if count1 >= min(threshold1, self._young_every) else 0
        else:
            return None
        self._collect(generation, (count0, count1, count2))
        return generation

    def _collect(self, generation: int, counts: tuple[int, int, int]) -> None:
        start = time.perf_counter()
        collected = gc.collect(generation)
        elapsed_ms = (time.perf_counter() - start) * 1000
        log.debug(
            "gc: generation %d collected %d objects in %.1f ms (counts were %s)",
            generation,
            collected,
            elapsed_ms,
            counts,
        )
