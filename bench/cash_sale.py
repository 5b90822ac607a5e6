"""Cash sale from ✓ to the result screen, through the real widgets, store and SQLite file.

Each round: a fresh order, «Наличные», 20.00 typed on the keypad, then the clock starts at the
click on ✓ and stops when the result screen is the current screen (the sale is stored by then).
Also records the longest event-loop stall seen during the sales (budget 16 ms). Goal: median
≤ 50 ms. Garbage collection is scheduled as the app does it (``--auto-gc``: Python's own).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


async def _stall_monitor(stalls: list[float], stop: asyncio.Event) -> None:
    interval = 0.001
    while not stop.is_set():
        before = time.perf_counter()
        await asyncio.sleep(interval)
        stalls.append(time.perf_counter() - before - interval)


async def _sales(window: object, rounds: int) -> tuple[list[float], list[float]]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QPushButton

    from desktop_pos.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    # Let the store open and migrate before timing.
    while not window.checkout.store.opened.done():
        await asyncio.sleep(0.01)
    stalls: list[float] = []
    stop = asyncio.Event()
    monitor = asyncio.ensure_future(_stall_monitor(stalls, stop))
    times: list[float] = []
    for _ in range(rounds + 3):
        window.start_new_order()
        await asyncio.sleep(0)
        cash = window.order_screen.findChild(QPushButton, "cashButton")
        QTest.mouseClick(cash, Qt.MouseButton.LeftButton)
        while window.current_change_dialog() is None:
            await asyncio.sleep(0.001)
        dialog = window.current_change_dialog()
        assert dialog is not None
        for name in ("key_2", "key_0"):
            QTest.mouseClick(dialog.findChild(QPushButton, name), Qt.MouseButton.LeftButton)
        confirm = dialog.findChild(QPushButton, "key_confirm")
        start = time.perf_counter()
        QTest.mouseClick(confirm, Qt.MouseButton.LeftButton)
        while window.current_screen() is not window.result_screen:
            await asyncio.sleep(0)
        times.append(time.perf_counter() - start)
    stop.set()
    await monitor
    return times[3:], stalls


_KEEP_ALIVE: list[object] = []
"""The QApplication and its loop outlive ``run``: Qt objects must not be collected after it."""


def run(rounds: int = 60, *, app_gc: bool = True) -> dict[str, float]:
    """``app_gc``: Python's collections scheduled as the app does (``start_garbage_collector``);
    False leaves Python's automatic collector on."""
    import qasync

    from desktop_pos.app import (
        build_services,
        create_qapplication,
        make_main_window,
        start_garbage_collector,
    )
    from desktop_pos.config import AppPaths, Config

    app = create_qapplication()
    loop = qasync.QEventLoop(app)
    _KEEP_ALIVE.extend([app, loop])
    asyncio.set_event_loop(loop)
    with tempfile.TemporaryDirectory() as tmp:
        paths = AppPaths(Path(tmp) / "c.toml", Path(tmp), Path(tmp))
        config = Config(paths=paths, demo=True, db_url=f"sqlite:///{tmp}/bench.sqlite3")
        services = build_services(config)
        window = make_main_window(services, config, None)
        window.resize(1280, 800)
        window.show()
        window.prepare_cash_sale()  # as the app does once it has started
        collector = start_garbage_collector(window) if app_gc else None
        try:
            with loop:
                times, stalls = loop.run_until_complete(_sales(window, rounds))
        finally:
            if collector is not None:
                collector.stop()
            window.close()
            window.deleteLater()
            app.processEvents()
            services.store.shutdown()
    ms = sorted(t * 1000 for t in times)
    return {
        "rounds": rounds,
        "median_ms": statistics.median(ms),
        "p90_ms": ms[int(len(ms) * 0.9) - 1],
        "max_ms": ms[-1],
        "max_loop_stall_ms": max(stalls) * 1000 if stalls else 0.0,
        "loop_stalls_over_16ms": sum(1 for stall in stalls if stall > 0.016),
    }


if __name__ == "__main__":
    for key, value in run(app_gc="--auto-gc" not in sys.argv).items():
        print(f"{key}: {value:.2f}" if isinstance(value, float) else f"{key}: {value}")
    # Leave without the interpreter's final garbage collection: with the QApplication kept alive
    # to the end, PySide6 may free its objects in an order that aborts (a benchmark-only set-up).
    sys.stdout.flush()
    os._exit(0)
