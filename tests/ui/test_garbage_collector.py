"""The app's garbage collection schedule (``desktop_pos.ui.garbage_collector``).

The collector's view of Python's ``gc`` module is replaced by ``FakeGc`` (counters and
thresholds set by the test, collections recorded), and time by a clock the test moves, so no
test depends on timing. One test uses the real ``gc`` module for ``start``/``stop``.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot

from desktop_pos.ui import garbage_collector
from desktop_pos.ui.garbage_collector import GarbageCollector


@dataclass
class FakeGc:
    counts: tuple[int, int, int] = (0, 0, 0)
    thresholds: tuple[int, int, int] = (700, 10, 10)
    enabled: bool = True
    collected: list[int] = field(default_factory=list)

    def get_count(self) -> tuple[int, int, int]:
        return self.counts

    def get_threshold(self) -> tuple[int, int, int]:
        return self.thresholds

    def collect(self, generation: int = 2) -> int:
        """As CPython: the generations up to ``generation`` are emptied, the next one counts."""
        self.collected.append(generation)
        counts = list(self.counts)
        for young in range(generation + 1):
            counts[young] = 0
        if generation < 2:
            counts[generation + 1] += 1
        self.counts = (counts[0], counts[1], counts[2])
        return 0

    def isenabled(self) -> bool:
        return self.enabled

    def enable(self) -> None:
        self.enabled = True

    def disable(self) -> None:
        self.enabled = False


@dataclass
class Clock:
    now: float = 100.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Busy:
    value: bool = False

    def __call__(self) -> bool:
        return self.value


@pytest.fixture
def fake_gc(monkeypatch: pytest.MonkeyPatch) -> FakeGc:
    fake = FakeGc()
    monkeypatch.setattr(garbage_collector, "gc", fake)
    return fake


@pytest.fixture
def collector(qapp: object) -> Iterator[tuple[GarbageCollector, Busy, Clock]]:
    busy, clock = Busy(), Clock()
    # generation 1 at Python's own rate (its threshold, 10): the schedule's other rules alone
    made = GarbageCollector(busy, young_every=10, settle_s=1.0, ceiling=10, clock=clock)
    yield made, busy, clock
    made.stop()


def test_generation_1_comes_every_second_young_collection_and_full_ones_stay_as_rare(
    fake_gc: FakeGc, qapp: object
) -> None:
    busy, clock = Busy(value=True), Clock()
    made = GarbageCollector(busy, settle_s=1.0, clock=clock)  # the app's schedule
    made.start()
    try:
        for _ in range(4):
            fake_gc.counts = (701, fake_gc.counts[1], fake_gc.counts[2])
            made.check()
        assert fake_gc.collected == [0, 0, 1, 0]  # Python would wait for ten
        # each generation-1 collection counts once for generation 2: due at 10 × 10 / 2
        busy.value = False
        fake_gc.counts = (0, 0, 49)
        made.check()
        clock.now += 2.0
        assert made.check() is None
        fake_gc.counts = (0, 0, 50)
        assert made.check() == 2
    finally:
        made.stop()


def test_young_collections_wait_a_moment_after_a_screen_change(
    fake_gc: FakeGc, collector: tuple[GarbageCollector, Busy, Clock]
) -> None:
    made, _busy, clock = collector
    made.start()
    made.note_activity()  # the window switched screens: it is laid out and painted now
    fake_gc.counts = (900, 0, 0)
    assert made.check() is None
    clock.now += garbage_collector.QUIET_S / 2
    assert made.check() is None
    clock.now += garbage_collector.QUIET_S
    assert made.check() == 0
    assert fake_gc.collected == [0]


def test_young_generations_are_collected_when_due_even_while_busy(
    fake_gc: FakeGc, collector: tuple[GarbageCollector, Busy, Clock]
) -> None:
    made, busy, _clock = collector
    made.start()
    busy.value = True
    fake_gc.counts = (500, 0, 0)
    assert made.check() is None  # under the threshold: nothing
    fake_gc.counts = (701, 3, 0)
    assert made.check() == 0
    fake_gc.counts = (701, 10, 4)
    assert made.check() == 1
    assert fake_gc.collected == [0, 1]
    assert fake_gc.counts == (0, 0, 5)


def test_a_full_collection_waits_while_a_payment_runs_and_runs_when_idle(
    fake_gc: FakeGc, collector: tuple[GarbageCollector, Busy, Clock]
) -> None:
    made, busy, clock = collector
    made.start()
    busy.value = True
    fake_gc.counts = (701, 10, 10)  # generation 2 is due
    assert made.check() == 1  # busy: the young ones only
    assert 2 not in fake_gc.collected
    busy.value = False
    fake_gc.counts = (10, 0, 11)
    assert made.check() is None  # idle from now on, but not for long enough yet
    clock.now += 0.5
    made.note_activity()  # a screen changed: the idle time starts again
    clock.now += 0.9
    assert made.check() is None
    clock.now += 0.2
    assert made.check() == 2
    assert fake_gc.collected[-1] == 2
    assert fake_gc.counts == (0, 0, 0)


def test_a_modal_dialog_counts_as_busy(
    fake_gc: FakeGc, collector: tuple[GarbageCollector, Busy, Clock], qtbot: QtBot
) -> None:
    made, _busy, clock = collector
    made.start()
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    dialog = QDialog(parent)
    dialog.setModal(True)
    dialog.show()
    qtbot.waitUntil(lambda: garbage_collector.modal_dialog_open())
    fake_gc.counts = (701, 10, 10)
    made.check()
    clock.now += 5.0
    fake_gc.counts = (701, 0, 12)
    assert made.check() == 0
    dialog.close()
    qtbot.waitUntil(lambda: not garbage_collector.modal_dialog_open())
    made.check()
    clock.now += 1.0
    assert made.check() == 2


def test_a_full_collection_runs_anyway_past_the_ceiling(
    fake_gc: FakeGc, collector: tuple[GarbageCollector, Busy, Clock]
) -> None:
    made, busy, _clock = collector
    made.start()
    busy.value = True
    fake_gc.counts = (701, 10, 99)
    assert made.check() == 1
    assert fake_gc.counts == (0, 0, 100)  # ten times its threshold
    fake_gc.counts = (3, 0, 100)
    assert made.check() == 2  # still busy, but memory must not grow without bound


def test_each_collection_is_logged_at_debug_level(
    fake_gc: FakeGc,
    collector: tuple[GarbageCollector, Busy, Clock],
    caplog: pytest.LogCaptureFixture,
) -> None:
    made, _busy, _clock = collector
    caplog.set_level(logging.DEBUG, logger="desktop_pos.ui.garbage_collector")
    made.start()
    fake_gc.counts = (800, 0, 0)
    made.check()
    records = [r for r in caplog.records if "generation 0 collected" in r.getMessage()]
    assert records and records[0].levelno == logging.DEBUG
    assert " ms " in records[0].getMessage()


def _collections() -> int:
    return sum(generation["collections"] for generation in gc.get_stats())


def test_start_turns_the_automatic_collector_off_and_stop_restores_it(
    qapp: object, qtbot: QtBot
) -> None:
    assert gc.isenabled()
    made = GarbageCollector(lambda: False, interval_ms=10)
    made.start()
    try:
        assert not gc.isenabled()
        assert made.running
        before = _collections()
        kept = [[] for _ in range(3000)]  # live containers: generation 0 passes its threshold
        qtbot.waitUntil(lambda: _collections() > before)  # by the timer
        assert len(kept) == 3000
    finally:
        made.stop()
    assert gc.isenabled()
    assert not made.running


def test_stop_leaves_the_automatic_collector_off_if_it_was_off(qapp: object) -> None:
    gc.disable()
    try:
        made = GarbageCollector(lambda: False)
        made.start()
        made.stop()
        assert not gc.isenabled()
    finally:
        gc.enable()
