"""End-to-end sync fixtures: the sandbox gateway as a real subprocess, a store on a SQLite file,
an event bus with a recorder, and sync workers with short timings (stopped after the test)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop_pos.services.events import EventBus
from desktop_pos.services.gateway.settings import GatewaySettings
from desktop_pos.services.store import Store
from desktop_pos.services.sync_worker import SyncWorker
from tests.e2e.sync_fixtures import FAST_WORKER, EventRecorder
from tests.sandbox_gateway import sandbox_gateway, sandbox_gateway_factory  # noqa: F401


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'pos' / 'pos.sqlite3'}"


@pytest.fixture
def pos_store(db_url: str) -> Iterator[Store]:
    store = Store.open(db_url)
    yield store
    store.close()


@pytest.fixture
def events() -> EventBus:
    return EventBus()


@pytest.fixture
def recorder(events: EventBus) -> EventRecorder:
    return EventRecorder(events)


WorkerFactory = Callable[..., SyncWorker]


@pytest.fixture
def make_worker(pos_store: Store, events: EventBus) -> Iterator[WorkerFactory]:
    """``make_worker(settings, **overrides)`` → a started worker over ``pos_store``."""
    made: list[SyncWorker] = []

    def factory(settings: GatewaySettings, *, start: bool = True, **overrides: Any) -> SyncWorker:
        worker = SyncWorker(pos_store, settings, events, **{**FAST_WORKER, **overrides})
        made.append(worker)
        if start:
            worker.start()
        return worker

    yield factory
    for worker in made:
        worker.stop()
