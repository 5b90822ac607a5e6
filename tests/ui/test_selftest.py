"""The self-test driver, run for real: real widgets, real store on a temporary file."""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop_pos.models.errors import UserFacingError
from desktop_pos.models.texts import Language, LocalizedText
from desktop_pos.sandbox.sample_order import sample_order
from desktop_pos.services.checkout import CheckoutService
from desktop_pos.services.events import EventBus
from desktop_pos.services.store import Store
from desktop_pos.services.store_worker import StoreWorker
from desktop_pos.ui.main_window import MainWindow
from desktop_pos.ui.selftest import CHECKS, IMPLEMENTED, run_selftest_async, select_checks


def local_now() -> datetime:
    return datetime.now().astimezone()


SCREENSHOTS = (
    "cash-01-order.png",
    "cash-02-change.png",
    "cash-03-result.png",
    "cash-04-new-order.png",
)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def run(qtbot: QtBot, coro, timeout_ms: int = 60_000) -> int:
    """Run the self-test coroutine on the session's qasync loop while Qt keeps processing."""
    task = asyncio.ensure_future(coro)
    qtbot.waitUntil(task.done, timeout=timeout_ms)
    return task.result()


@pytest.fixture
def window_factory(qtbot: QtBot, qloop, checkout: CheckoutService):
    made: list[MainWindow] = []

    def make() -> MainWindow:
        window = MainWindow(
            checkout,
            lambda: sample_order(local_now()),
            language=Language.RU,
            demo=True,
            version="0.1.0-test",
        )
        made.append(window)  # the self-test closes and deletes its windows itself
        return window

    make.made = made  # type: ignore[attr-defined]
    return make


def test_cash_check_passes_and_saves_screenshots(
    qtbot: QtBot, window_factory, tmp_path: Path, store: Store
) -> None:
    out = io.StringIO()
    shots = tmp_path / "shots"
    code = run(qtbot, run_selftest_async(window_factory, None, shots, out))

    assert out.getvalue() == "PASS cash\n"
    assert code == 0
    for name in SCREENSHOTS:
        data = (shots / name).read_bytes()
        assert data.startswith(PNG_MAGIC), name
        assert len(data) > 10_000, name  # a real 1280×800 picture, not an empty image
    # The sale the check made is in the store the window pays into.
    numbers = store.recent_orders(datetime.now().astimezone() - timedelta(hours=1))
    assert len(numbers) == 1
    stored = store.load_result(numbers[0])
    assert stored is not None and stored.state.is_paid


def test_only_cash_without_screenshots(qtbot: QtBot, window_factory, tmp_path: Path) -> None:
    out = io.StringIO()
    code = run(qtbot, run_selftest_async(window_factory, ["cash", "cash"], None, out))
    assert (code, out.getvalue()) == (0, "PASS cash\n")
    assert list(tmp_path.rglob("*.png")) == []


@pytest.mark.parametrize(
    ("only", "message"),
    [
        (
            ["sbp"],
            "selftest: check 'sbp' is not available in this version; available checks: cash\n",
        ),
        (["nonsense"], "selftest: unknown check 'nonsense'; available checks: cash\n"),
    ],
)
def test_unknown_or_unimplemented_check_is_a_usage_error(
    qtbot: QtBot, window_factory, only: list[str], message: str
) -> None:
    out = io.StringIO()
    code = run(qtbot, run_selftest_async(window_factory, only, None, out))
    assert (code, out.getvalue()) == (2, message)
    assert window_factory.made == []  # nothing was started


def test_registry_names_are_known_checks() -> None:
    assert set(IMPLEMENTED) <= set(CHECKS)
    assert select_checks(None) == ["cash"]
    assert select_checks([]) == ["cash"]


def test_failing_payment_is_reported_as_fail(qtbot: QtBot, qloop, tmp_path: Path) -> None:
    # A store that cannot be opened: the real StoreWorker hands the error to every call.
    def unavailable() -> Store:
        raise UserFacingError(LocalizedText("База данных недоступна.", "Database unavailable."))

    worker = StoreWorker(unavailable)
    checkout = CheckoutService(worker, EventBus(), local_now)

    def make() -> MainWindow:
        window = MainWindow(
            checkout,
            lambda: sample_order(local_now()),
            language=Language.RU,
            demo=True,
            version="0.1.0-test",
        )
        return window

    out = io.StringIO()
    try:
        code = run(qtbot, run_selftest_async(make, ["cash"], tmp_path, out, timeout=10))
    finally:
        worker.shutdown()
    assert code == 1
    assert out.getvalue() == "FAIL cash: payment failed: База данных недоступна.\n"
    assert (tmp_path / "cash-02-change.png").exists()
    assert not (tmp_path / "cash-03-result.png").exists()


def test_sync_entry_point_drives_its_own_loop(tmp_path: Path) -> None:
    """``run_selftest`` as the entry point uses it: a fresh process, its own qasync loop."""
    script = textwrap.dedent(
        f"""
        import asyncio, sys
        from datetime import datetime, timedelta
        from pathlib import Path
        import qasync
        from PySide6.QtWidgets import QApplication
        from desktop_pos.models.texts import Language
        from desktop_pos.sandbox.sample_order import sample_order
        from desktop_pos.services.checkout import CheckoutService
        from desktop_pos.services.events import EventBus
        from desktop_pos.services.store import Store
        from desktop_pos.services.store_worker import StoreWorker
        from desktop_pos.ui.main_window import MainWindow
        from desktop_pos.ui.selftest import run_selftest

        app = QApplication([])
        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)
        worker = StoreWorker(lambda: Store.open("sqlite:///{tmp_path / "sub.db"}"))
        now = lambda: datetime.now().astimezone()
        checkout = CheckoutService(worker, EventBus(), now)
        make = lambda: MainWindow(checkout, lambda: sample_order(now()), language=Language.RU,
                                  demo=True, version="0")
        with loop:
            code = run_selftest(make, ["cash"], Path("{tmp_path / "out"}"), sys.stdout)
        worker.shutdown()
        sys.exit(code)
        """
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout == "PASS cash\n"
    assert len(list((tmp_path / "out").glob("cash-*.png"))) == 4
