from __future__ import annotations

import threading
from pathlib import Path

import pytest

from desktop_pos.models.errors import UserFacingError
from desktop_pos.models.texts import LocalizedText
from desktop_pos.services.store import Store
from desktop_pos.services.store_worker import StoreWorker
from tests.async_helpers import run_coroutine


def test_opening_waits_for_start_and_runs_on_the_store_thread(tmp_path: Path) -> None:
    threads: list[str] = []

    def opener() -> Store:
        threads.append(threading.current_thread().name)
        return Store.open(f"sqlite:///{tmp_path / 'pos.db'}")

    worker = StoreWorker(opener, start=False)
    try:
        assert not worker.opened.done() and threads == []
        revision = worker.call_blocking(Store.current_revision)  # a call starts the opening
        assert revision is not None
        assert threads and threads[0].startswith("store")
        assert run_coroutine(worker.call(Store.order_state, "none")) is None
    finally:
        worker.shutdown()


def test_shutdown_before_start_never_opens() -> None:
    opened: list[bool] = []

    def opener() -> Store:
        opened.append(True)
        raise AssertionError("must not open")

    worker = StoreWorker(opener, start=False)
    worker.shutdown()
    assert opened == []
    assert worker.opened.cancelled()


def test_an_opening_error_is_raised_by_every_call() -> None:
    error = UserFacingError(LocalizedText("База недоступна", "Database unavailable"))

    def opener() -> Store:
        raise error

    worker = StoreWorker(opener)
    try:
        with pytest.raises(UserFacingError) as first:
            worker.call_blocking(Store.current_revision)
        assert first.value is error
        with pytest.raises(UserFacingError):
            run_coroutine(worker.call(Store.current_revision))
        assert worker.opened.exception() is error
    finally:
        worker.shutdown()
