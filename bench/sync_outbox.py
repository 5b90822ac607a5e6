"""Sync throughput: 1,000 queued offline cash sales uploaded by the sync worker to the sandbox
gateway on loopback, against a bare httpx client sending the same requests to the same server.

Three figures, all in one run against one sandbox process (fiscal delay 0, so a receipt is final
at the first ask):

* worker: the real ``SyncWorker`` draining the outbox of 1,000 sales on a SQLite file — per sale
  register, fiscalize and fetch the receipt, each step persisted before the next call; the
  worker runs a claimed batch stage by stage (all registrations, then all fiscalizations, then
  all receipts), one request at a time;
* bare, same requests: one ``httpx.Client`` sending the same three requests per sale in the same
  order (batches of ``--batch``, stage by stage, one request at a time; bodies built by the
  gateway package, replies parsed only for the billnumber), no database;
* bare, registrations only: the same 1,000 registration requests alone.

Also printed: the worker's database transactions (commits) per sale. Goal: worker ≥ 0.8 × bare
with the same requests. ``--sales N`` changes the count, ``--batch N`` the worker's batch size.

Before anything is timed, the fresh sandbox process is warmed up with ``--warm-up`` sales (bare
requests, 50 by default): its first requests are slower (code paths run for the first time, an
empty database file growing), which would count against whichever variant runs first — the
worker. ``--rounds N`` runs the worker and the bare client N times each, alternately, and
reports every round and the median ratio (noise on a busy machine hits single runs).
"""

from __future__ import annotations

import argparse
import logging
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx
from sqlalchemy import event

from desktop_pos.models.order import Order, OrderItem
from desktop_pos.models.vat import VatRate
from desktop_pos.services.events import EventBus, SyncStatusChanged
from desktop_pos.services.gateway.calls import CallFactory
from desktop_pos.services.gateway.results import CashRegistration
from desktop_pos.services.gateway.settings import GatewaySettings
from desktop_pos.services.store import Store
from desktop_pos.services.sync_worker import SyncWorker

TIMEOUT_S = 600.0


def start_sandbox(db: Path) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "desktop_pos.sandbox.gateway",
            "--port",
            "0",
            "--db",
            str(db),
            "--fiscal-delay",
            "0",
            "--log-level",
            "WARNING",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    if not line.startswith("LISTENING "):
        process.kill()
        raise SystemExit(f"the sandbox gateway did not start: {line!r}")
    return process, line.split()[1]


def order(number: str, now: datetime) -> Order:
    return Order(
        number=number,
        created_at=now,
        items=(OrderItem("Товар", Decimal("2"), Decimal("14.24"), VatRate.VAT20),),
        email="buyer@example.com",
    )


def registration(number: str) -> CashRegistration:
    now = datetime.now(UTC)
    sale = order(number, now)
    return CashRegistration(
        order_number=number,
        attempt_id=str(uuid.uuid4()),
        amount=sale.due,
        total=sale.total,
        prepaid=sale.prepaid,
        paid_at=now,
        email=sale.email,
        phone="",
        items=sale.items,
    )


def run_worker(
    settings: GatewaySettings, db_url: str, count: int, batch: int, prefix: str = "BENCH-W"
) -> tuple[float, int]:
    """Seconds to drain the outbox, and the database transactions committed meanwhile."""
    store = Store.open(db_url)
    now = datetime.now(UTC)
    for i in range(count):
        sale = order(f"{prefix}-{i:05d}", now)
        store.record_cash_sale(sale, sale.due, Decimal("0.00"), now)
    events = EventBus()
    drained = threading.Event()
    # Wait for the worker's own status event, not by polling the database: on SQLite every
    # transaction takes the write lock, so a poll loop would slow the worker down.
    events.subscribe(SyncStatusChanged, lambda s: drained.set() if s.pending == 0 else None)
    worker = SyncWorker(
        store,
        settings,
        events,
        poll_interval_s=0.05,
        fiscal_poll_s=0.01,
        resync_timeout_s=TIMEOUT_S,
        batch_size=batch,
    )
    commits = 0

    def count_commit(_connection: object) -> None:
        nonlocal commits
        commits += 1

    event.listen(store.engine, "commit", count_commit)
    started = time.perf_counter()
    worker.start()
    drained.wait(TIMEOUT_S)
    elapsed = time.perf_counter() - started
    worker.stop()
    event.remove(store.engine, "commit", count_commit)
    left = store.pending_outbox_count()
    store.close()
    if left:
        raise SystemExit(f"the worker left {left} sales pending")
    return elapsed, commits


def run_bare(settings: GatewaySettings, count: int, prefix: str, full: bool, batch: int) -> float:
    """The same requests as the worker, in the same order: per batch all registrations, then
    (``full``) all fiscalizations, then all receipts; one request at a time."""
    calls = CallFactory(settings)
    registrations = [registration(f"{prefix}-{i:05d}") for i in range(count)]
    with httpx.Client(base_url=settings.base_url, timeout=settings.timeout_s) as client:
        started = time.perf_counter()
        for first in range(0, count, batch):
            billnumbers = []
            for reg in registrations[first : first + batch]:
                call = calls.register_cash(reg)
                response = client.post(call.path, **call.request_kwargs())
                response.raise_for_status()
                billnumbers.append((reg, call.parse(response.content).billnumber))
            if not full:
                continue
            for reg, billnumber in billnumbers:
                call_f = calls.fiscalize(billnumber, "sell", reg.email, "", reg.attempt_id)
                client.post(call_f.path, **call_f.request_kwargs()).raise_for_status()
            for _, billnumber in billnumbers:
                call_r = calls.fiscal_receipt(billnumber)
                client.post(call_r.path, **call_r.request_kwargs()).raise_for_status()
        return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sales", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=50, help="the worker's batch_size")
    parser.add_argument("--rounds", type=int, default=1, help="worker and bare runs, alternately")
    parser.add_argument("--warm-up", type=int, default=50, help="untimed bare sales first")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    n = args.sales
    rounds: list[tuple[float, int, float]] = []
    with tempfile.TemporaryDirectory(prefix="desktop-pos-bench-sync-") as tmp:
        sandbox, url = start_sandbox(Path(tmp) / "gateway.sqlite3")
        try:
            settings = GatewaySettings(url, "600000", "sandbox_login", "sandbox_password")
            if args.warm_up > 0:
                run_bare(settings, args.warm_up, "BENCH-WARM", True, args.batch)
            for r in range(args.rounds):
                db_url = f"sqlite:///{Path(tmp) / f'pos{r}.sqlite3'}"
                worker_s, commits = run_worker(settings, db_url, n, args.batch, f"BENCH-W{r}")
                full_s = run_bare(settings, n, f"BENCH-B{r}", True, args.batch)
                rounds.append((worker_s, commits, full_s))
            register_s = run_bare(settings, n, "BENCH-R", False, args.batch)
        finally:
            sandbox.terminate()
            sandbox.wait(timeout=10)
    print(f"sync_outbox: {n} offline cash sales to the sandbox gateway on loopback")
    ratios = []
    for worker_s, commits, full_s in rounds:
        worker_rate, full_rate = n / worker_s, n / full_s
        ratios.append(worker_rate / full_rate)
        print(
            f"  worker (register+fiscalize+receipt, stored):   {worker_s:7.2f} s  "
            f"{worker_rate:8.1f} sales/s"
        )
        print(
            f"  bare httpx, same requests:                     {full_s:7.2f} s  "
            f"{full_rate:8.1f} sales/s"
        )
        print(f"  worker / bare (same requests): {worker_rate / full_rate:.2f}x")
        print(f"  worker database transactions: {commits} ({commits / n:.2f} per sale)")
    register_rate = n / register_s
    print(
        f"  bare httpx, registrations only:                {register_s:7.2f} s  "
        f"{register_rate:8.1f} requests/s"
    )
    ratio = statistics.median(ratios)
    label = "worker / bare (same requests)" + (
        f", median of {len(ratios)} rounds" if len(ratios) > 1 else ""
    )
    print(f"  {label}: {ratio:.2f}x (goal >= 0.8x) {'OK' if ratio >= 0.8 else 'BELOW GOAL'}")
    best_worker_s = min(worker_s for worker_s, _, _ in rounds)
    print(f"  worker / bare (registrations only): {register_s / best_worker_s:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
