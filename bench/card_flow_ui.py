"""Card payments through the main window, with the event loop watched for stalls.

The app as demo mode builds it: the real ``MainWindow`` (``make_main_window``), the real
``ReaderManager`` reaching the two emulated readers on the virtual radio through bleak, the
sandbox gateway as a subprocess, a SQLite store in a temporary folder and the slips printed on the
virtual printer. The reader is connected first (the QPOS-like "MPOS0000000001", so no payment
has to switch readers); then rounds of four payments driven as a cashier would: the order
loaded, F6, the emulated buyer's card (``EmulatedReader.next_card``), the dialog or the pad
answered, the result screen, «Новый заказ»:

* contactless: VISA tapped, 150.00, no CVM;
* pin: MIR chip with the PIN typed on the reader, 1200.00;
* cobadge: MIR/Maestro chip, «Выберите платёжную систему» → Maestro, 2100.00;
* signature: magnetic stripe, a signature drawn on the pad and ✓, 800.00.

Figures per kind: F6 to the result screen (median and max). During the payments only (not while
the window is built or the reader connected, which are reported apart) a 1 ms ticker on the
qasync loop records every gap; a gap over 16 ms is a stall. Each stall gets a cause: a garbage
collection (``gc.callbacks``) when collections fill most of it, else the GUI thread's own work
when its CPU time fills most of it, else «off CPU» (waiting, or the machine busy); a sampler
thread records where the GUI thread is during a stall (the innermost frame of the project and
the innermost frame overall). Goal: no stall over 16 ms (issue 7 with any MTU, issue 6 at 23).

``python bench/card_flow_ui.py [--mtu 23|247|default] [--rounds N]``; without ``--mtu`` it runs
at ATT MTU 23 and then with the client's default MTU (247). The gateway link is the demo mode's
(``link_gateway``: the sandbox gateway as a subprocess and the sync worker thread), so the
threads that compete with the GUI thread for the GIL are the app's own; the report gives their
CPU time. Diagnostics: ``--profile FILE`` (cProfile of the payments), ``--events`` (every Qt
event over ``--events-ms`` timed, listed under each stall; ``--dump FILE`` writes them all in
order), ``--gc-freeze``, ``--no-sync-wake``, ``--switch-ms MS`` (``sys.setswitchinterval``) and
``--auto-gc`` (Python's automatic collector instead of the app's ``GarbageCollector``:
experiments). After the payments a 2 s idle pause is watched apart: the app's deferred full
collection runs there.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# E402: bench/ and the project are on sys.path and the Qt platform is chosen first. What the
# payments use is loaded here, before anything is watched, so that no stall is the bench's own
# first import (QtTest is a library of its own).
from loop_watch import (  # noqa: E402
    CallbackTimes,
    EventTimes,
    StallMonitor,
    thread_cpu,
    timed_application,
)
from PySide6.QtCore import QPoint, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QPushButton  # noqa: E402

from desktop_pos.hardware.reader.messages import EntryMode  # noqa: E402
from desktop_pos.models.order import Order, OrderItem  # noqa: E402
from desktop_pos.models.order_number import generate_order_number  # noqa: E402
from desktop_pos.models.payment import OrderState  # noqa: E402

QPOS = "MPOS0000000001"
_CALLBACKS: CallbackTimes | None = None


@dataclass(frozen=True)
class Kind:
    name: str
    card_id: str
    entry: str
    total: str
    choose: str = ""
    sign: bool = False


KINDS = (
    Kind("contactless", "visa_contactless", "NFC", "150.00"),
    Kind("pin", "mir_chip_pin", "CHIP", "1200.00"),
    Kind("cobadge", "cobadge_mir_maestro", "CHIP", "2100.00", choose="Maestro"),
    Kind("signature", "magstripe_signature", "MAGSTRIPE", "800.00", sign=True),
)


# -- the payments ----------------------------------------------------------------------------------
async def _until(condition: Any, what: str, timeout_s: float = 20.0) -> None:
    deadline = time.perf_counter() + timeout_s
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError(f"waited {timeout_s:.0f} s for {what}")
        await asyncio.sleep(0.002)


async def _pay(window: Any, setup: Any, kind: Kind, stack: Any, monitor: StallMonitor) -> float:
    """One payment from F6 to the result screen (seconds); ends back on a new order."""
    now = datetime.now().astimezone()
    order = Order(
        number=generate_order_number(now),
        created_at=now,
        items=(OrderItem("Фотоаппарат", Decimal(1), Decimal(kind.total)),),
    )
    monitor.mark("order loaded")
    window.order_screen.load_order(order)
    await asyncio.sleep(0.02)
    reader = next(r for r in setup.demo_readers if r.serial == QPOS)
    reader.next_card(kind.card_id, EntryMode[kind.entry], delay_s=0.0)
    shown: list[float] = []

    def changed(_index: int) -> None:
        monitor.mark(f"screen {type(stack.currentWidget()).__name__}")
        flow = window.card_reader.current_flow()
        if flow is not None and stack.currentWidget() is flow.result_screen and not shown:
            shown.append(time.perf_counter())

    stack.currentChanged.connect(changed)
    try:
        start = time.perf_counter()
        monitor.mark("F6")
        QTest.keyClick(window.order_screen, Qt.Key.Key_F6)
        await _until(lambda: window.card_reader.current_flow() is not None, "the card flow")
        flow = window.card_reader.current_flow()
        if kind.choose:
            await _until(lambda: flow.application_dialog is not None, "the application choice")
            dialog = flow.application_dialog
            button = next(b for b in dialog.findChildren(QPushButton) if kind.choose in b.text())
            monitor.mark("application chosen")
            QTest.mouseClick(button, Qt.MouseButton.LeftButton)
        if kind.sign:
            await _until(lambda: flow.signature_pad is not None, "the signature pad")
            canvas = flow.signature_pad.canvas()
            monitor.mark("signing")
            QTest.mousePress(canvas, Qt.MouseButton.LeftButton, pos=QPoint(60, 120))
            for step in range(1, 30):
                QTest.mouseMove(canvas, QPoint(60 + step * 14, 120 + (step % 5) * 18))
                await asyncio.sleep(0.004)  # a hand, not a burst of events
            QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPoint(480, 140))
            monitor.mark("signature ✓")
            QTest.keyClick(canvas, Qt.Key.Key_Return)
        await _until(lambda: bool(shown) and not flow.paying, f"the {kind.name} result")
    finally:
        stack.currentChanged.disconnect(changed)
    outcome = flow.outcome
    if outcome is None or outcome.state is not OrderState.APPROVED:
        raise RuntimeError(f"{kind.name}: not approved ({outcome!r})")
    elapsed = shown[0] - start
    await asyncio.sleep(0.15)  # the cashier reads the screen; the slip prints meanwhile
    button = flow.result_screen.findChild(QPushButton, "newOrderButton")
    monitor.mark("«Новый заказ»")
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)  # «Новый заказ»
    await _until(lambda: window.current_screen() is window.order_screen, "the new order")
    await asyncio.sleep(0.05)
    return elapsed


async def _session(
    window: Any, setup: Any, rounds: int, monitor: StallMonitor, sandbox_pid: int
) -> dict[str, Any]:
    from PySide6.QtWidgets import QStackedWidget

    stack = window.findChild(QStackedWidget, "screens")
    stop = asyncio.Event()
    ticker = asyncio.ensure_future(monitor.tick(stop))
    monitor.phase = "connect"
    manager = setup.manager
    found = await manager.discover(2.0)
    await manager.connect(next(f for f in found if f.name == QPOS))
    mtu = manager.link.mtu
    await asyncio.sleep(0.3)  # info, battery
    import logging

    requests: Counter[str] = Counter()

    class CountRequests(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if monitor.phase == "pay":
                path = str(record.args[1]).split("/")[-1] if record.args else "?"
                requests[f"{record.threadName} {path}"] += 1

    counter = CountRequests()
    httpx_log = logging.getLogger("httpx")
    level, propagate = httpx_log.level, httpx_log.propagate
    httpx_log.addHandler(counter)
    httpx_log.setLevel(logging.INFO)  # its request lines are counted, not written
    httpx_log.propagate = False
    cpu_before = thread_cpu(threading.get_ident())
    gui_before, sandbox_before = time.thread_time(), _process_cpu(sandbox_pid)
    wall_before = time.perf_counter()
    times: dict[str, list[float]] = {k.name: [] for k in KINDS}
    first: dict[str, float] = {}
    for index in range(rounds + 1):
        for kind in KINDS:
            monitor.phase = "first" if index == 0 else "pay"
            monitor.kind = kind.name
            elapsed = await _pay(window, setup, kind, stack, monitor)
            if index == 0:
                first[kind.name] = elapsed
            else:
                times[kind.name].append(elapsed)
    monitor.phase = "idle"  # the cashier pauses: a deferred full collection may run now
    await asyncio.sleep(2.0)
    monitor.phase = "end"
    cpu_after = thread_cpu(threading.get_ident())
    gui_cpu = time.thread_time() - gui_before
    sandbox_cpu = _process_cpu(sandbox_pid) - sandbox_before
    wall = time.perf_counter() - wall_before
    stop.set()
    await ticker
    threads = {
        name: cpu_after[name] - cpu_before.get(name, 0.0)
        for name in cpu_after
        if cpu_after[name] - cpu_before.get(name, 0.0) > 0.05
    }
    httpx_log.removeHandler(counter)
    httpx_log.setLevel(level)
    httpx_log.propagate = propagate
    return {
        "mtu": mtu,
        "times": times,
        "first": first,
        "threads": threads,
        "gui_cpu": gui_cpu,
        "sandbox_cpu": sandbox_cpu,
        "wall": wall,
        "requests": requests,
    }


def _process_cpu(pid: int) -> float:
    """CPU seconds (user and system) of another process so far (Linux; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _wait_listening(port: int, timeout_s: float = 15.0) -> None:
    import socket

    deadline = time.monotonic() + timeout_s
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


_OPTIONS: dict[str, Any] = {}


# -- set-up ---------------------------------------------------------------------------------------
_KEEP_ALIVE: list[Any] = []


def _run(mtu: int | None, rounds: int, tmp: Path, profile: str | None, events: Any) -> StallMonitor:
    import qasync

    from desktop_pos.app import (
        build_services,
        close_gateway,
        create_qapplication,
        link_gateway,
        make_main_window,
        start_garbage_collector,
    )
    from desktop_pos.config import AppPaths, Config
    from desktop_pos.hardware.reader.known_readers import KnownReaders
    from desktop_pos.hardware.reader.settings import ReaderSettings
    from desktop_pos.merchant_link import build_merchant_link
    from desktop_pos.printer_link import start_printing
    from desktop_pos.reader_link import ReaderLinkSetup
    from desktop_pos.sandbox.card_reader.emulator import FAST_TIMINGS, start_demo_readers
    from desktop_pos.sandbox.virtual_radio import VirtualRadio, bleak_backend_choice
    from desktop_pos.services.card_reader import ReaderManager
    from desktop_pos.services.firmware_images import FirmwareImages
    from desktop_pos.ui.merchant_orders import attach_merchant_orders
    from desktop_pos.ui.theme import prepare_style_for_python

    if not _KEEP_ALIVE and events is not None:
        timed_application(events)
    app = create_qapplication()
    loop = _KEEP_ALIVE[1] if _KEEP_ALIVE else qasync.QEventLoop(app)
    if not _KEEP_ALIVE:
        _KEEP_ALIVE.extend([app, loop])
        asyncio.set_event_loop(loop)
    folder = tmp / f"mtu-{mtu or 'default'}"
    folder.mkdir()
    paths = AppPaths(folder / "c.toml", folder, folder)
    config = Config(paths=paths, demo=True, db_url=f"sqlite:///{folder}/pos.sqlite3")
    services = build_services(config)
    link_gateway(services, config)  # demo: the sandbox gateway process and the sync worker
    if _OPTIONS.get("no_sync_wake"):  # experiment: no sync pass woken right after a sale
        services.gateway.worker.sync_now = lambda: None
    printer = start_printing(services.store, config)
    settings = ReaderSettings(scan_timeout_s=1.0, connect_timeout_s=5.0)

    async def build() -> Any:
        radio = VirtualRadio()
        readers = await start_demo_readers(radio, timings=FAST_TIMINGS)
        known = KnownReaders(folder / "known_readers.json")
        manager = ReaderManager(bleak_backend_choice(radio, mtu=mtu), known, settings=settings)
        return ReaderLinkSetup(manager, settings, FirmwareImages(None), radio, readers)

    monitor = StallMonitor()
    if events is not None:
        events.monitor = monitor
    setup = loop.run_until_complete(build())
    loop.run_until_complete(asyncio.to_thread(_wait_listening, services.gateway.sandbox.port))
    window = make_main_window(services, config, None, printer.setup)
    merchant = build_merchant_link(services, config)  # as the app: the desk and its bar
    attach_merchant_orders(window, merchant.desk)
    window.resize(1280, 800)
    window.show()
    window.activateWindow()
    prepare_style_for_python(app)  # as the app does right after its first frame
    collector = None if _OPTIONS.get("auto_gc") else start_garbage_collector(window)
    if _OPTIONS.get("switch_ms"):
        sys.setswitchinterval(_OPTIONS["switch_ms"] / 1000)

    async def wire() -> None:  # as the app: on the loop, once the reader's parts are built
        window.set_card_reader(setup)
        await asyncio.sleep(1.0)  # the store opens, the first frames, the flow is prepared

    loop.run_until_complete(wire())
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    try:
        sandbox_pid = services.gateway.sandbox.pid
        result = loop.run_until_complete(_session(window, setup, rounds, monitor, sandbox_pid))
    finally:
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(profile)
        if collector is not None:
            collector.stop()
        window.close()
        loop.run_until_complete(setup.close())
        loop.run_until_complete(close_gateway(services))
        window.deleteLater()
        loop.run_until_complete(asyncio.sleep(0.1))
        printer.stop()
        services.store.shutdown()
    _report(result, monitor, rounds, events)
    return monitor


def _report(
    result: dict[str, Any], monitor: StallMonitor, rounds: int, events: EventTimes | None
) -> None:
    print(f"\n== ATT MTU {result['mtu']}: {rounds} rounds of {len(KINDS)} payments ==")
    print(
        f"{'kind':<12} {'F6 → result: median':>20} {'max':>8} {'first':>8} | "
        "gaps (not the first round): longest, p99, > 16 ms (GC)"
    )
    for kind in KINDS:
        values = [t * 1000 for t in result["times"][kind.name]]
        gaps = sorted(
            g.length_s * 1000 for g in monitor.gaps if g.phase == "pay" and g.kind == kind.name
        )
        stalls = [g for g in monitor.stalls("pay") if g.kind == kind.name]
        by_gc = sum(1 for g in stalls if monitor.cause(g).startswith("GC"))
        p99 = gaps[min(len(gaps) - 1, int(len(gaps) * 0.99))] if gaps else 0.0
        print(
            f"{kind.name:<12} {statistics.median(values):17.0f} ms {max(values):5.0f} ms "
            f"{result['first'][kind.name] * 1000:5.0f} ms | {gaps[-1] if gaps else 0:6.1f} ms "
            f"{p99:6.1f} ms {len(stalls):4d} ({by_gc})"
        )
    for phase, label in (
        ("pay", "payments (after the first round)"),
        ("first", "first round (screens built)"),
        ("connect", "discovery and connection"),
        ("idle", "2 s idle after the payments"),
    ):
        gaps = sorted(g.length_s * 1000 for g in monitor.gaps if g.phase == phase)
        if not gaps:
            continue
        p99 = gaps[min(len(gaps) - 1, int(len(gaps) * 0.99))]
        stalls = monitor.stalls(phase)
        by_gc = sum(1 for g in stalls if monitor.cause(g).startswith("GC"))
        print(
            f"{label}: {len(gaps)} ticks, longest gap {gaps[-1]:.1f} ms, p99 {p99:.2f} ms, "
            f"gaps > 16 ms: {len(stalls)} ({by_gc} GC, {len(stalls) - by_gc} other)"
        )
        for gap in sorted(stalls, key=lambda g: -g.length_s)[:12]:
            print(f"    {gap.length_s * 1000:6.1f} ms  {monitor.cause(gap)}")
            print(f"              during: {monitor.place(gap)}")
            for line in events.during(gap) if events is not None else ():
                print(f"              {line}")
            for line in _CALLBACKS.during(gap) if _CALLBACKS is not None else ():
                print(f"              {line}")
    busy = ", ".join(
        f"{name} {cpu:.2f} s"
        for name, cpu in sorted(result["threads"].items(), key=lambda t: -t[1])
    )
    print(
        f"CPU during the {result['wall']:.1f} s of payments and the pause: GUI thread "
        f"{result['gui_cpu']:.2f} s, the sandbox gateway process {result['sandbox_cpu']:.2f} s; "
        f"the other threads: {busy or 'none'}"
    )
    calls = ", ".join(f"{what} ×{n}" for what, n in result["requests"].most_common(8))
    print(f"gateway requests during the payments (after the first round): {calls}")
    collections = Counter(generation for _s, _e, generation in monitor.collections)
    longest = max((e - s for s, e, _g in monitor.collections), default=0.0)
    print(
        f"collections while watched: {dict(sorted(collections.items()))}, "
        f"longest {longest * 1000:.1f} ms"
    )
    for generation in sorted(collections):
        spans = sorted((e - s) * 1000 for s, e, g in monitor.collections if g == generation)
        print(
            f"  generation {generation}: median {statistics.median(spans):.1f} ms, "
            f"max {spans[-1]:.1f} ms"
        )
    for seconds, collected, thread in monitor.full_collections:
        print(
            f"  full collection: {seconds * 1000:.0f} ms, {collected} objects collected, "
            f"on thread {thread}, {len(gc.get_objects())} objects tracked at the end"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mtu", choices=("23", "247", "default"), action="append")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", metavar="FILE", help="cProfile the payments into FILE")
    parser.add_argument("--events", action="store_true", help="time Qt's events (slower)")
    parser.add_argument("--events-ms", type=float, default=4.0, help="events slower than this")
    parser.add_argument("--dump", metavar="FILE", help="with --events: all of them into FILE")
    parser.add_argument("--gc-freeze", action="store_true", help="gc.freeze() after start-up")
    parser.add_argument(
        "--no-sync-wake", action="store_true", help="no sync pass woken by each sale"
    )
    parser.add_argument(
        "--auto-gc", action="store_true", help="Python's automatic collector, not the app's"
    )
    parser.add_argument(
        "--callbacks", type=float, metavar="MS", help="time the loop's callbacks over MS"
    )
    parser.add_argument("--switch-ms", type=float, help="sys.setswitchinterval in ms")
    args = parser.parse_args()
    _OPTIONS.update(
        gc_freeze=args.gc_freeze,
        no_sync_wake=args.no_sync_wake,
        auto_gc=args.auto_gc,
        switch_ms=args.switch_ms,
    )
    if args.callbacks is not None:
        global _CALLBACKS
        _CALLBACKS = CallbackTimes(threshold_s=args.callbacks / 1000)
        _CALLBACKS.install()
    mtus = [None if m == "default" else int(m) for m in (args.mtu or ["23", "default"])]
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        for index, mtu in enumerate(mtus):
            profile = args.profile
            if profile and len(mtus) > 1:
                profile = f"{profile}.{index}"
            times = EventTimes(threshold_s=args.events_ms / 1000) if args.events else None
            monitor = _run(mtu, args.rounds, tmp, profile, times)
            if times is not None and args.dump:
                times.dump(f"{args.dump}.{index}" if len(mtus) > 1 else args.dump, monitor)
    sys.stdout.flush()
    # As bench/cash_sale.py: leave without the interpreter's final collection of Qt objects.
    os._exit(0)


if __name__ == "__main__":
    main()
