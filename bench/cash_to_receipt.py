"""Cash sale from ✓ to its receipt received by the (virtual) printer, through the real widgets.

Set up as demo mode does it (``printer_link.start_printing``): the virtual ESC/POS printer on a
loopback port, ``ReceiptPrinting`` over the store on a SQLite file, the cash drawer opened on every
cash sale. Each round: a fresh order, «Наличные», 20.00 on the keypad, then the clock starts at
the click on ✓; when the result screen shows, the receipt is printed as «Печать» does it
(``ReceiptPrinting.print_order``), and the clock stops when the print service has the printer's
status answer after the last byte: the printer has received the whole receipt. The first rounds
(python-escpos' printer database, the first connection) are not counted. Goal: median ≤ 100 ms.
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

WARM_UP = 3


async def _sales(window: object, receipts: object, rounds: int) -> list[float]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QPushButton

    from desktop_pos.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    printing = window.print_actions().printing
    assert printing is not None
    while not window.checkout.store.opened.done():
        await asyncio.sleep(0.01)
    await printing.profile()
    times: list[float] = []
    for _ in range(rounds + WARM_UP):
        window.start_new_order()
        await asyncio.sleep(0)
        number = window.order_screen.current_order().number
        QTest.mouseClick(
            window.order_screen.findChild(QPushButton, "cashButton"), Qt.MouseButton.LeftButton
        )
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
        report = await printing.print_order(number)
        times.append(time.perf_counter() - start)
        assert report.confirmed, report
    return times[WARM_UP:]


_KEEP_ALIVE: list[object] = []
"""The QApplication and its loop outlive ``run``: Qt objects must not be collected after it."""


def run(rounds: int = 40) -> dict[str, float]:
    import qasync

    from desktop_pos.app import build_services, create_qapplication, make_main_window
    from desktop_pos.config import AppPaths, Config
    from desktop_pos.printer_link import start_printing

    app = create_qapplication()
    loop = qasync.QEventLoop(app)
    _KEEP_ALIVE.extend([app, loop])
    asyncio.set_event_loop(loop)
    with tempfile.TemporaryDirectory() as tmp:
        paths = AppPaths(Path(tmp) / "c.toml", Path(tmp), Path(tmp))
        config = Config(paths=paths, demo=True, db_url=f"sqlite:///{tmp}/bench.sqlite3")
        services = build_services(config)
        printer = start_printing(services.store, config)
        window = make_main_window(services, config, None, printer.setup)
        window.resize(1280, 800)
        window.show()
        try:
            with loop:
                times = loop.run_until_complete(_sales(window, printer, rounds))
            virtual = printer.virtual
            assert virtual is not None
            virtual.wait_for_receipts(rounds + WARM_UP, timeout=30)
            pulses = len(virtual.drawer_pulses)
        finally:
            window.close()
            window.deleteLater()
            app.processEvents()
            printer.stop()
            services.store.shutdown()
    ms = sorted(t * 1000 for t in times)
    return {
        "rounds": rounds,
        "median_ms": statistics.median(ms),
        "p90_ms": ms[int(len(ms) * 0.9) - 1],
        "max_ms": ms[-1],
        "drawer_pulses": pulses,
    }


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value:.2f}" if isinstance(value, float) else f"{key}: {value}")
    # Leave without the interpreter's final garbage collection (see bench/cash_sale.py).
    sys.stdout.flush()
    os._exit(0)
