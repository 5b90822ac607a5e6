"""Watching the GUI thread's event loop for stalls, for bench/card_flow_ui.py.

``StallMonitor``: a 1 ms ticker on the loop records every gap; each gap over ``STALL_S`` gets a
cause (garbage collection, the GUI thread's own work, or «off CPU») from ``gc.callbacks``, the
thread's CPU time, a sampler thread's look at where the GUI thread is, and the other threads'
CPU time. ``CallbackTimes`` (``--callbacks``) and ``EventTimes`` (``--events``) time the loop's
callbacks and Qt's events, listed under each stall.
"""

from __future__ import annotations

import asyncio
import gc
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

STALL_S = 0.016
TICK_S = 0.001


# -- the stall monitor ---------------------------------------------------------------------------
@dataclass
class Gap:
    start: float
    end: float
    cpu_s: float
    phase: str
    kind: str = ""

    @property
    def length_s(self) -> float:
        return self.end - self.start - TICK_S


@dataclass
class StallMonitor:
    """A 1 ms ticker on the loop, the collections seen by ``gc.callbacks`` and stack samples."""

    gaps: list[Gap] = field(default_factory=list)
    collections: list[tuple[float, float, int]] = field(default_factory=list)
    samples: list[tuple[float, str, str]] = field(default_factory=list)
    others: list[tuple[float, dict[str, float]]] = field(default_factory=list)
    """The other threads' CPU time, sampled during stalls (they compete for the GIL)."""
    full_collections: list[tuple[float, int, str]] = field(default_factory=list)
    """Full collections: seconds, objects collected, the thread that ran it."""
    marks: list[tuple[float, str]] = field(default_factory=list)
    """What the cashier or the window did, and when: stalls are placed among them."""
    phase: str = ""
    kind: str = ""
    last_tick: float = 0.0
    active: bool = False
    _gc_start: float = 0.0

    # gc ---------------------------------------------------------------------------------------
    def _on_gc(self, stage: str, info: dict[str, Any]) -> None:
        if stage == "start":
            self._gc_start = time.perf_counter()
        elif self.active:
            self.collections.append((self._gc_start, time.perf_counter(), info["generation"]))
            if info["generation"] == 2:
                self.full_collections.append(
                    (
                        time.perf_counter() - self._gc_start,
                        info["collected"],
                        threading.current_thread().name,
                    )
                )

    def gc_time_in(self, gap: Gap) -> tuple[float, int]:
        total, worst = 0.0, -1
        for start, end, generation in self.collections:
            overlap = min(end, gap.end) - max(start, gap.start)
            if overlap > 0:
                total += overlap
                worst = max(worst, generation)
        return total, worst

    # the ticker --------------------------------------------------------------------------------
    async def tick(self, stop: asyncio.Event) -> None:
        gc.callbacks.append(self._on_gc)
        sampler = threading.Thread(
            target=self._sample, args=(threading.get_ident(), stop), daemon=True
        )
        self.active = True
        self.last_tick = time.perf_counter()
        sampler.start()
        try:
            while not stop.is_set():
                before, cpu = time.perf_counter(), time.thread_time()
                self.last_tick = before
                await asyncio.sleep(TICK_S)
                self.gaps.append(
                    Gap(
                        before,
                        time.perf_counter(),
                        time.thread_time() - cpu,
                        self.phase,
                        self.kind,
                    )
                )
        finally:
            self.active = False
            gc.callbacks.remove(self._on_gc)
            sampler.join()

    def _sample(self, main: int, stop: asyncio.Event) -> None:
        """Every 2 ms: when the loop has not ticked for 8 ms, note where the GUI thread is."""
        while self.active and not stop.is_set():
            time.sleep(0.002)
            now = time.perf_counter()
            if now - self.last_tick < 0.008:
                continue
            frames = sys._current_frames()
            frame = frames.get(main)
            if frame is not None:
                self.samples.append((now, *_where(frame)))
            self.others.append((now, thread_cpu(main)))

    # figures ------------------------------------------------------------------------------------
    def stalls(self, phase: str | None = None) -> list[Gap]:
        return [
            g for g in self.gaps if g.length_s > STALL_S and (phase is None or g.phase == phase)
        ]

    def mark(self, what: str) -> None:
        self.marks.append((time.perf_counter(), what))

    def place(self, gap: Gap) -> str:
        """The last mark before the gap and the marks inside it."""
        before = [what for at, what in self.marks if at <= gap.start][-1:]
        inside = [what for at, what in self.marks if gap.start < at <= gap.end]
        return " | ".join(before + [f"→ {what}" for what in inside])

    def cause(self, gap: Gap) -> str:
        gc_s, generation = self.gc_time_in(gap)
        if gc_s >= gap.length_s / 2:
            return f"GC gen {generation} ({gc_s * 1000:.0f} ms)"
        where = Counter(
            project for at, project, _inner in self.samples if gap.start <= at <= gap.end
        )
        inner = Counter(inner for at, _p, inner in self.samples if gap.start <= at <= gap.end)
        place = where.most_common(1)[0][0] if where else "no sample"
        deepest = inner.most_common(1)[0][0] if inner else ""
        busy = "GUI thread busy" if gap.cpu_s >= gap.length_s / 2 else "off CPU"
        extra = f", GC {gc_s * 1000:.0f} ms" if gc_s else ""
        if deepest.startswith("qasync/") and place == "(no project frame)":
            place, deepest = "in Qt (events, layout, painting)", ""
        inside = [cpu for at, cpu in self.others if gap.start <= at <= gap.end]
        used = (
            {name: inside[-1][name] - inside[0].get(name, inside[-1][name]) for name in inside[-1]}
            if len(inside) > 1
            else {}
        )
        busy_threads = sorted((t for t in used.items() if t[1] > 0.002), key=lambda t: -t[1])
        rivals = ", ".join(f"{name} {cpu * 1000:.0f} ms" for name, cpu in busy_threads[:3])
        rivals = f"; other threads' CPU: {rivals}" if rivals else ""
        return f"{busy} (cpu {gap.cpu_s * 1000:.0f} ms{extra}) at {place} {deepest}{rivals}"


def thread_cpu(main: int) -> dict[str, float]:
    """CPU time of every other thread of the process, by name."""
    cpu = {}
    for thread in threading.enumerate():
        if thread.ident in (main, threading.get_ident()) or thread.ident is None:
            continue
        try:
            clock = time.pthread_getcpuclockid(thread.ident)
            cpu[f"{thread.name}"] = time.clock_gettime(clock)
        except (OSError, AttributeError):
            continue
    return cpu


def _where(frame: FrameType) -> tuple[str, str]:
    """The innermost frame in the project's code and the innermost frame overall."""
    inner = _name(frame)
    project = ""
    current: FrameType | None = frame
    while current is not None:
        path = current.f_code.co_filename.replace("\\", "/")
        if "/desktop_pos/" in path and "/.venv/" not in path:
            project = _name(current)
            break
        current = current.f_back
    return project or "(no project frame)", inner


def _name(frame: FrameType) -> str:
    path = Path(frame.f_code.co_filename)
    return f"{path.parent.name}/{path.name}:{frame.f_lineno} {frame.f_code.co_name}"


# -- the loop's callbacks, timed -------------------------------------------------------------------
@dataclass
class CallbackTimes:
    """Every asyncio callback run on the GUI thread over ``threshold_s`` (``--callbacks``)."""

    threshold_s: float
    slow: list[tuple[float, float, float, str]] = field(default_factory=list)
    """Start, end, CPU seconds and what ran."""

    def install(self) -> None:
        main = threading.get_ident()
        original = asyncio.events.Handle._run
        times = self

        def timed(handle: asyncio.events.Handle) -> None:
            if threading.get_ident() != main:
                original(handle)
                return
            start, cpu = time.perf_counter(), time.thread_time()
            try:
                original(handle)
            finally:
                end = time.perf_counter()
                if end - start >= times.threshold_s:
                    used = time.thread_time() - cpu
                    times.slow.append((start, end, used, _describe(handle)))

        asyncio.events.Handle._run = timed  # type: ignore[method-assign]

    def during(self, gap: Gap) -> list[str]:
        inside = [c for c in self.slow if c[1] > gap.start and c[0] < gap.end]
        total = sum(min(e, gap.end) - max(s, gap.start) for s, e, _c, _n in inside)
        lines = [f"callbacks over {self.threshold_s * 1000:.0f} ms: {total * 1000:.1f} ms"]
        for start, end, cpu, name in sorted(inside, key=lambda c: c[0] - c[1])[:5]:
            lines.append(f"  {(end - start) * 1000:5.1f} ms (cpu {cpu * 1000:4.1f}) {name}")
        return lines


# -- Qt's events, timed ---------------------------------------------------------------------------
@dataclass
class EventTimes:
    """Qt events that took over 4 ms to deliver while the monitor ran (``--events``)."""

    slow: list[tuple[float, float, int, str]] = field(default_factory=list)
    monitor: StallMonitor | None = None
    depth: int = 0
    threshold_s: float = 0.004

    def dump(self, path: str, monitor: StallMonitor) -> None:
        """Every timed event and every gap over 8 ms, in order (for reading by eye)."""
        rows = [(s, f"{'  ' * d}{(e - s) * 1000:5.1f} ms {w}") for s, e, d, w in self.slow]
        rows += [
            (g.start, f"-- gap {g.length_s * 1000:.1f} ms [{g.phase}] until {g.end:.4f}")
            for g in monitor.gaps
            if g.length_s > 0.008
        ]
        rows.sort()
        with open(path, "w", encoding="utf-8") as out:
            for at, line in rows:
                out.write(f"{at:.4f} {line}\n")

    def during(self, gap: Gap) -> list[str]:
        inside = [e for e in self.slow if e[0] < gap.end and e[1] > gap.start]
        inside.sort(key=lambda e: (e[2], -(e[1] - e[0])))
        return [
            f"{'  ' * depth}{(end - start) * 1000:.1f} ms {what}"
            for start, end, depth, what in inside[:6]
        ]


def timed_application(times: EventTimes) -> None:
    """A ``QApplication`` whose ``notify`` times every event (made before the app's own)."""
    from PySide6.QtCore import QObject
    from PySide6.QtWidgets import QApplication

    class TimedApplication(QApplication):
        def notify(self, receiver: Any, event: Any) -> bool:
            monitor = times.monitor
            if monitor is None or not monitor.active or not isinstance(receiver, QObject):
                return super().notify(receiver, event)
            handle = None
            if type(receiver).__name__ == "_SimpleTimer":
                handle = receiver._SimpleTimer__callbacks.get(event.timerId())
            times.depth += 1
            start = time.perf_counter()
            try:
                return super().notify(receiver, event)
            finally:
                end = time.perf_counter()
                times.depth -= 1
                if end - start > times.threshold_s:
                    try:
                        kind = event.type().name
                    except Exception:
                        kind = str(event.type())
                    name = _object_name(receiver)
                    if handle is not None:
                        name += f" {_describe(handle)}"
                    times.slow.append((start, end, times.depth, f"{kind} → {name}"))

    _KEEP_ALIVE_APP.append(TimedApplication(sys.argv[:1]))


_KEEP_ALIVE_APP: list[object] = []


def _object_name(obj: Any) -> str:
    parts = []
    while obj is not None and len(parts) < 4:
        parts.append(f"{type(obj).__name__}({obj.objectName()})")
        obj = obj.parent()
    return " < ".join(parts)


def _describe(handle: Any) -> str:
    """What an asyncio handle runs: a task's coroutine and where it waited, or the callback."""
    callback = getattr(handle, "_callback", None)
    task = getattr(callback, "__self__", None)
    if isinstance(task, asyncio.Task):
        coro = task.get_coro()
        frame = getattr(coro, "cr_frame", None)
        where = f" @{Path(frame.f_code.co_filename).name}:{frame.f_lineno}" if frame else ""
        return f"task {getattr(coro, '__qualname__', coro)}{where}"
    return getattr(callback, "__qualname__", repr(callback))
