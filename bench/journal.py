"""The journal over a million orders: query times and the app's memory with the journal open.

Generates 1,000,000 orders in a temporary SQLite file (one ``INSERT … SELECT`` over a recursive
CTE, in the program's own schema, migrated by Alembic), then measures through the real query
functions of ``desktop_pos.services.journal`` (each in its own transaction, as the app runs them):

* the start-up resync query (orders of the last 3 days in Offline or In Process) — goal ≤ 20 ms;
* a journal page: the first, a filtered one, a multi-state one, one deep in the keyset
  (~900,000 rows in) — goal ≤ 50 ms each;
* an order-number search, exact and by prefix — goal ≤ 50 ms;
* the resident memory of a child process that opens the journal window (Qt offscreen) over that
  database and scrolls through ten pages — goal < 300 MB.

``python bench/journal.py [--orders N] [--keep PATH]``. Figures are printed; the EXPLAIN QUERY PLAN
of each query is printed too.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ORDERS = 1_000_000
SPACING_S = 30
"""One order every 30 s: a million orders cover about 347 days up to now."""
ROUNDS = 25
GOALS_MS = {"resync": 20.0, "page": 50.0, "search": 50.0}
RSS_GOAL_MB = 300.0

_GENERATE = """
WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < :count),
gen AS (
  SELECT i,
         :end_epoch - (:count - i) * :spacing AS t,
         i % 3 AS m,
         i % 100 AS k,
         (:end_epoch - (:count - i) * :spacing) >= :recent_epoch AS recent
  FROM seq
)
INSERT INTO orders (id, number, created_at, state, total, prepaid, due, email, phone, comment,
                    source, allow_edit_item_quantity, allow_remove_item, allow_add_item,
                    allow_edit_item, paid_at, updated_at, method, fiscal_state, billnumber)
SELECT i,
       strftime('%Y%m%d_%H%M%S', t, 'unixepoch') || '_' || printf('%03d', i % 1000),
       strftime('%Y-%m-%d %H:%M:%S', t, 'unixepoch') || '.000000',
       CASE
         WHEN k < 90 THEN 'Approved'
         WHEN k < 95 THEN 'Declined'
         WHEN k < 97 THEN 'Canceled'
         WHEN k = 97 THEN 'Timeout'
         WHEN k = 98 AND recent THEN 'In Process'
         WHEN k = 99 AND recent THEN 'Offline'
         ELSE 'Approved'
       END,
       (i % 5000) + 0.99, 0, (i % 5000) + 0.99, '', '', '', 'manual', 1, 1, 1, 1,
       strftime('%Y-%m-%d %H:%M:%S', t + 20, 'unixepoch') || '.000000',
       strftime('%Y-%m-%d %H:%M:%S', t + 20, 'unixepoch') || '.000000',
       CASE WHEN k = 99 THEN 'cash' WHEN m = 0 THEN 'cash' WHEN m = 1 THEN 'card_reader'
            ELSE 'sbp' END,
       CASE WHEN k < 90 OR (k >= 98 AND NOT recent) THEN 'Success'
            WHEN k = 99 THEN 'New' ELSE NULL END,
       CASE WHEN k = 99 AND recent THEN NULL ELSE printf('%016d', 5000000000000000 + i) END
FROM gen
"""

_OUTBOX = """
INSERT INTO outbox (kind, order_number, payload, created_at, attempts, next_attempt_at)
SELECT 'register_cash', number, '{}', created_at, 0, created_at FROM orders WHERE state = 'Offline'
"""


def generate(path: Path, count: int, now: datetime) -> float:
    """A migrated database at ``path`` with ``count`` orders; returns the seconds it took."""
    from desktop_pos.services.store import Store

    started = time.perf_counter()
    Store.open(f"sqlite:///{path}").close()
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA synchronous=OFF")
        connection.execute("PRAGMA cache_size=-262144")  # 256 MB while generating
        connection.execute("BEGIN")
        connection.execute(
            _GENERATE,
            {
                "count": count,
                "end_epoch": int(now.timestamp()),
                "spacing": SPACING_S,
                "recent_epoch": int((now - timedelta(days=3)).timestamp()),
            },
        )
        connection.execute(_OUTBOX)
        connection.execute("COMMIT")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    return time.perf_counter() - started


def timed(fn: Callable[[], Any], rounds: int = ROUNDS) -> tuple[float, float, Any]:
    """Median and max milliseconds of ``fn`` over ``rounds`` runs (after two warm-up runs)."""
    result = None
    for _ in range(2):
        result = fn()
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times), result


def plan_of(store: Any, statement: Any) -> str:
    from sqlalchemy import text

    compiled = statement.compile(
        dialect=store.engine.dialect, compile_kwargs={"literal_binds": True}
    )
    with store.engine.connect() as connection:
        rows = connection.execute(text(f"EXPLAIN QUERY PLAN {compiled}")).fetchall()
    return "; ".join(str(row[-1]) for row in rows)


def _deep_cursor(path: Path, rows_in: int) -> tuple[datetime, int, str]:
    connection = sqlite3.connect(path)
    try:
        created, order_id, number = connection.execute(
            "SELECT created_at, id, number FROM orders ORDER BY created_at DESC, id DESC "
            "LIMIT 1 OFFSET ?",  # set-up only: the journal itself never uses OFFSET
            (rows_in,),
        ).fetchone()
    finally:
        connection.close()
    moment = datetime.fromisoformat(created).replace(tzinfo=UTC)
    return moment, int(order_id), str(number)


def measure_queries(path: Path, now: datetime, count: int) -> list[dict[str, Any]]:
    """Times of the journal's queries on the generated database (the program's own functions)."""
    from desktop_pos.models.payment import OrderState, PaymentMethod
    from desktop_pos.services import journal
    from desktop_pos.services.journal import JournalFilter, PageCursor
    from desktop_pos.services.store import Store

    store = Store.open(f"sqlite:///{path}")
    try:
        created, order_id, number = _deep_cursor(path, count * 9 // 10)
        deep = PageCursor(created, order_id, number)
        some_day = (now - timedelta(days=100)).strftime("%Y%m%d_")
        failed_card = JournalFilter(
            states=frozenset({OrderState.DECLINED}), method=PaymentMethod.CARD_READER
        )
        failed = JournalFilter(
            states=frozenset({OrderState.DECLINED, OrderState.CANCELED, OrderState.TIMEOUT})
        )
        last_week = JournalFilter(since=now - timedelta(days=7), method=PaymentMethod.SBP)
        cases: list[tuple[str, str, Callable[[], Any], Any]] = [
            (
                "resync query (last 3 days, Offline or In Process)",
                "resync",
                lambda: journal.resync_candidates(store, now),
                journal.resync_candidates_query(now),
            ),
            (
                "journal: first page (100 rows)",
                "page",
                lambda: journal.journal_page(store),
                journal.journal_statement(JournalFilter(), None, 101),
            ),
            (
                "journal: filtered page (Declined, card)",
                "page",
                lambda: journal.journal_page(store, failed_card),
                journal.journal_statement(failed_card, None, 101, state=OrderState.DECLINED),
            ),
            (
                "journal: failed orders (3 states merged)",
                "page",
                lambda: journal.journal_page(store, failed),
                journal.journal_statement(
                    failed, None, 101, state=OrderState.CANCELED, keys_only=True
                ),
            ),
            (
                "journal: last 7 days, SBP",
                "page",
                lambda: journal.journal_page(store, last_week),
                journal.journal_statement(last_week, None, 101),
            ),
            (
                f"journal: page {count * 9 // 10:,} rows deep (keyset)",
                "page",
                lambda: journal.journal_page(store, after=deep),
                journal.journal_statement(JournalFilter(), deep, 101),
            ),
            (
                "search: exact order number",
                "search",
                lambda: journal.journal_page(store, JournalFilter(number=number)),
                journal.journal_statement(JournalFilter(number=number), None, 101),
            ),
            (
                f"search: prefix {some_day} (a whole day)",
                "search",
                lambda: journal.journal_page(store, JournalFilter(number=some_day)),
                journal.journal_statement(JournalFilter(number=some_day), None, 101),
            ),
            ("pending count", "page", lambda: journal.pending_count(store), None),
        ]
        figures = []
        for name, kind, fn, statement in cases:
            median, worst, result = timed(fn)
            rows = len(result.rows) if hasattr(result, "rows") else result
            if isinstance(rows, list):
                rows = len(rows)
            figures.append(
                {
                    "name": name,
                    "median_ms": median,
                    "max_ms": worst,
                    "goal_ms": GOALS_MS[kind],
                    "result": rows,
                    "plan": "" if statement is None else plan_of(store, statement),
                }
            )
        return figures
    finally:
        store.close()


def rss_child(path: str, pages: int) -> None:
    """Run in a child process: the journal window over ``path``; print VmRSS / VmHWM as JSON."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import asyncio

    import qasync

    from desktop_pos.app import create_qapplication
    from desktop_pos.services.store import Store
    from desktop_pos.services.store_worker import StoreWorker
    from desktop_pos.ui.journal_window import JournalWindow

    app = create_qapplication()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    worker = StoreWorker(lambda: Store.open(f"sqlite:///{path}"))

    async def scroll() -> dict[str, Any]:
        window = JournalWindow(worker)
        window.show()
        model = window.model
        deadline = time.monotonic() + 60
        for page in range(1, pages + 1):
            while (model.is_loading() or model.rowCount() < page * 100) and (
                time.monotonic() < deadline
            ):
                await asyncio.sleep(0.005)
            if page < pages:
                window.table.scrollToBottom()
                model.fetchMore()
        rows = model.rowCount()
        app.processEvents()
        status = Path("/proc/self/status").read_text(encoding="ascii")
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        window.close()
        return {
            "rows": rows,
            "rss_mb": int(fields["VmRSS"].split()[0]) / 1024,
            "peak_mb": int(fields["VmHWM"].split()[0]) / 1024,
        }

    try:
        with loop:
            result = loop.run_until_complete(scroll())
    finally:
        worker.shutdown()
    print(json.dumps(result), flush=True)


def measure_rss(path: Path, pages: int = 10) -> dict[str, Any]:
    completed = subprocess.run(
        [sys.executable, __file__, "--rss-child", str(path), "--pages", str(pages)],
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def run(count: int = ORDERS, keep: Path | None = None) -> dict[str, Any]:
    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory(prefix="desktop-pos-journal-") as tmp:
        path = keep or Path(tmp) / "journal.sqlite3"
        reuse = keep is not None and keep.exists()
        generate_s = 0.0 if reuse else generate(path, count, now)
        size_mb = path.stat().st_size / 1024 / 1024
        figures = measure_queries(path, now, count)
        rss = measure_rss(path)
    return {
        "orders": count,
        "generate_s": generate_s,
        "db_mb": size_mb,
        "queries": figures,
        "rss": rss,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=ORDERS)
    parser.add_argument("--keep", type=Path, help="reuse (or create and keep) this database file")
    parser.add_argument("--rss-child", metavar="DB", help=argparse.SUPPRESS)
    parser.add_argument("--pages", type=int, default=10, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.rss_child:
        rss_child(args.rss_child, args.pages)
        return 0
    result = run(args.orders, args.keep)
    print(
        f"orders: {result['orders']:,} generated in {result['generate_s']:.1f} s, "
        f"database {result['db_mb']:.0f} MB"
    )
    ok = True
    for figure in result["queries"]:
        met = figure["median_ms"] <= figure["goal_ms"]
        ok &= met
        print(
            f"{figure['name']}: median {figure['median_ms']:.2f} ms, max "
            f"{figure['max_ms']:.2f} ms (goal <= {figure['goal_ms']:.0f} ms, "
            f"{'met' if met else 'NOT MET'}; result {figure['result']})"
        )
        if figure["plan"]:
            print(f"    plan: {figure['plan']}")
    rss = result["rss"]
    met = rss["rss_mb"] < RSS_GOAL_MB
    ok &= met
    print(
        f"app with the journal open ({rss['rows']} rows loaded): RSS {rss['rss_mb']:.0f} MB, "
        f"peak {rss['peak_mb']:.0f} MB (goal < {RSS_GOAL_MB:.0f} MB, "
        f"{'met' if met else 'NOT MET'})"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
