"""The sync worker: the store's sync methods (on SQLite and PostgreSQL: outbox claims, outcomes,
fiscal data, resync candidates, order details), backoff, checkpoints, waking and stopping, and
errors from the gateway (the sandbox gateway as a real subprocess on loopback)."""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from desktop_pos.models.payment import FiscalState, OrderState, PaymentMethod
from desktop_pos.services.events import EventBus, SyncStatusChanged
from desktop_pos.services.gateway.results import FiscalReceipt
from desktop_pos.services.gateway.settings import GatewaySettings
from desktop_pos.services.store import Store
from desktop_pos.services.store_records import (
    STEP_DONE,
    STEP_FISCALIZE_SENT,
    STEP_REGISTER_SENT,
    STEP_REGISTERED,
    CashSaleRecord,
    FiscalChange,
    FiscalData,
    OutcomeChange,
    PostponeChange,
    StepChange,
    SyncChange,
)
from desktop_pos.services.sync_steps import CHECKPOINTS, SyncProblem, fiscal_data_from
from desktop_pos.services.sync_worker import SyncWorker, backoff_delay
from tests.e2e.sync_fixtures import (
    FAST_WORKER,
    cash_sale,
    days_ago,
    fiscalized,
    in_process_attempt,
    wait_for,
)
from tests.sandbox_gateway import FAST_DELAYS, SandboxGatewayProcess

LEASE = timedelta(minutes=2)


def test_claim_takes_due_entries_once_and_leases_them(store: Store) -> None:
    cash_sale(store, "C-1")
    cash_sale(store, "C-2")
    now = datetime.now(UTC) + timedelta(seconds=1)
    first = store.claim_outbox(10, now, LEASE)
    assert [e.order_number for e in first] == ["C-1", "C-2"]
    assert all(e.attempts == 1 and e.next_attempt_at == now + LEASE for e in first)
    assert store.claim_outbox(10, now, LEASE) == []  # leased: not due again yet
    again = store.claim_outbox(10, now + LEASE, LEASE)
    assert [e.attempts for e in again] == [2, 2]


def test_claim_for_the_resync_takes_the_period_due_or_not_page_by_page(store: Store) -> None:
    cash_sale(store, "C-OLD", created_at=days_ago(4))
    cash_sale(store, "C-1")
    cash_sale(store, "C-2")
    now = datetime.now(UTC) + timedelta(seconds=1)
    for entry in store.claim_outbox(10, now, LEASE):
        store.postpone_outbox(entry.id, now + timedelta(hours=1), "down")
    assert store.claim_outbox(10, now, LEASE) == []
    since = now - timedelta(days=3)
    [first] = store.claim_outbox(1, now, LEASE, due_only=False, created_since=since)
    [second] = store.claim_outbox(
        1, now, LEASE, due_only=False, created_since=since, after_id=first.id
    )
    assert [(e.order_number, e.last_error) for e in (first, second)] == [
        ("C-1", "down"),
        ("C-2", "down"),
    ]
    rest = store.claim_outbox(
        10, now, LEASE, due_only=False, created_since=since, after_id=second.id
    )
    assert rest == []


def test_steps_outcome_and_fiscal_data_keep_the_order_row_in_step(store: Store) -> None:
    cash_sale(store, "C-1")
    now = datetime.now(UTC) + timedelta(seconds=1)
    [entry] = store.claim_outbox(1, now, LEASE)
    attempt_id = entry.data["attempt_id"]
    assert isinstance(attempt_id, str)
    assert entry.step == "new"
    store.set_outbox_step(entry.id, STEP_REGISTER_SENT, now)
    changed = store.record_attempt_outcome(
        attempt_id,
        OrderState.APPROVED,
        now,
        billnumber="5635459247716286",
        response_code="AS000",
        outbox_entry_id=entry.id,
        outbox_step=STEP_REGISTERED,
    )
    assert changed
    details = store.load_details("C-1")
    assert details is not None
    assert (details.state, details.billnumber, details.method) == (
        OrderState.APPROVED,
        "5635459247716286",
        PaymentMethod.CASH,
    )
    [attempt] = details.attempts
    assert (attempt.state, attempt.response_code) == (OrderState.APPROVED, "AS000")
    assert details.outbox[0].step == STEP_REGISTERED
    assert json.loads(details.outbox[0].payload)["attempt_id"] == attempt_id

    receipt_time = datetime(2026, 1, 15, 7, 21, tzinfo=UTC)
    data = FiscalData(
        FiscalState.SUCCESS,
        fiscal_receipt_id="FR-1",
        fn="9999078900011524",
        fd="135",
        fp="2550591940",
        shift_number=9,
        receipt_number=21,
        kkt_reg_number="0000000001024742",
        fiscal_datetime=receipt_time,
        qr_string="t=20260115T1021&s=29.48&fn=9999078900011524&i=135&fp=2550591940&n=1",
    )
    assert store.record_fiscal_data(
        attempt_id, data, now, outbox_entry_id=entry.id, outbox_step=STEP_DONE
    )
    assert not store.record_fiscal_data(attempt_id, FiscalData(FiscalState.SUCCESS), now)
    details = store.load_details("C-1")
    assert details is not None
    assert details.fiscal_state is FiscalState.SUCCESS
    receipt = details.receipt_of(attempt_id)
    assert receipt is not None
    assert (receipt.fn, receipt.fd, receipt.fp, receipt.shift_number, receipt.receipt_number) == (
        "9999078900011524",
        "135",
        "2550591940",
        9,
        21,
    )
    assert receipt.fiscal_datetime == receipt_time
    assert receipt.fiscal_receipt_id == "FR-1"  # kept when a later report omits it
    assert details.outbox[0].done_at is not None
    assert store.pending_outbox_count() == 0
    result = store.load_result("C-1")
    assert result is not None and result.fiscal_state is FiscalState.SUCCESS


def test_many_changes_in_one_transaction_are_stored_as_if_one_after_another(
    store: Store,
) -> None:
    for number in ("M-1", "M-2", "M-3"):
        cash_sale(store, number)
    now = datetime.now(UTC) + timedelta(seconds=1)
    uploads = store.claim_cash_uploads(10, now, LEASE)
    sales = [upload.sale for upload in uploads]
    assert all(isinstance(sale, CashSaleRecord) for sale in sales)
    changes: list[SyncChange] = []
    for i, (upload, sale) in enumerate(zip(uploads, sales, strict=True)):
        assert isinstance(sale, CashSaleRecord)
        changes += [
            OutcomeChange(
                sale.order_id, sale.attempt_pk, OrderState.APPROVED, f"563545924771628{i}", "AS000"
            ),
            StepChange(upload.entry.id, upload.payload_with(STEP_REGISTERED)),
            FiscalChange(
                sale.order_id,
                sale.attempt_pk,
                sale.receipt_pk,
                FiscalData(FiscalState.NEW, fiscal_receipt_id=f"FR-{i}"),
            ),
        ]
    later = now + timedelta(minutes=5)
    changes.append(PostponeChange(uploads[0].entry.id, later, "waiting"))
    store.apply_sync_changes(changes, now)
    for i, number in enumerate(("M-1", "M-2", "M-3")):
        details = store.load_details(number)
        assert details is not None
        assert (details.state, details.billnumber) == (
            OrderState.APPROVED,
            f"563545924771628{i}",
        )
        [attempt] = details.attempts
        assert attempt.response_code == "AS000"
        receipt = details.receipt_of(attempt.attempt_id)
        assert receipt is not None and receipt.fiscal_receipt_id == f"FR-{i}"
        assert details.fiscal_state is FiscalState.NEW
        [entry] = details.outbox
        assert entry.step == STEP_REGISTERED
        assert (entry.next_attempt_at, entry.last_error) == (
            (later, "waiting") if i == 0 else (now + LEASE, None)
        )

    # Completing an entry clears the error a postponement sets: one after another, in order.
    first, second, third = uploads
    store.apply_sync_changes(
        [
            PostponeChange(first.entry.id, later, "again"),
            StepChange(first.entry.id, first.payload_with(STEP_DONE), done=True),
        ],
        now,
    )
    details = store.load_details("M-1")
    assert details is not None
    assert details.outbox[0].done_at is not None and details.outbox[0].last_error is None

    # A missing row: nothing of the transaction is kept.
    with pytest.raises(LookupError, match="missing"):
        store.apply_sync_changes(
            [
                StepChange(second.entry.id, second.payload_with(STEP_FISCALIZE_SENT)),
                StepChange(third.entry.id, third.payload_with(STEP_FISCALIZE_SENT)),
                StepChange(987654, "{}"),
            ],
            now,
        )
    assert {e.order_number: e.step for e in store.pending_outbox(10)} == {
        "M-2": STEP_REGISTERED,
        "M-3": STEP_REGISTERED,
    }


def test_a_stale_state_never_moves_a_settled_attempt_back(store: Store) -> None:
    attempt_id = in_process_attempt(store, "S-1", billnumber="1234567890123456")
    now = datetime.now(UTC)
    assert store.record_attempt_outcome(attempt_id, OrderState.APPROVED, now)
    assert not store.record_attempt_outcome(attempt_id, OrderState.IN_PROCESS, now)
    assert store.order_state("S-1") is OrderState.APPROVED


def test_resync_candidates_are_the_last_3_days_in_offline_or_in_process(store: Store) -> None:
    cash_sale(store, "OLD-CASH", created_at=days_ago(4))
    in_process_attempt(store, "OLD-SBP", created_at=days_ago(3.5))
    cash_sale(store, "NEW-CASH", created_at=days_ago(2))
    sbp = in_process_attempt(store, "NEW-SBP", created_at=days_ago(1), amount=Decimal("29.48"))
    done = in_process_attempt(store, "DONE-SBP", created_at=days_ago(1))
    store.record_attempt_outcome(done, OrderState.DECLINED, datetime.now(UTC))
    candidates = store.resync_candidates(datetime.now(UTC))
    assert [(c.order_number, c.order_state) for c in candidates] == [
        ("NEW-CASH", OrderState.OFFLINE),
        ("NEW-SBP", OrderState.IN_PROCESS),
    ]
    assert candidates[1].attempt_id == sbp and candidates[1].amount == Decimal("29.48")
    only_in_process = store.resync_candidates(datetime.now(UTC), states=(OrderState.IN_PROCESS,))
    assert [c.order_number for c in only_in_process] == ["NEW-SBP"]


def test_details_of_an_unknown_order_and_a_missing_outbox_entry(store: Store) -> None:
    assert store.load_details("NOPE") is None
    with pytest.raises(LookupError):
        store.postpone_outbox(12345, datetime.now(UTC), None)
    with pytest.raises(LookupError):
        store.record_attempt_outcome("no-such-attempt", OrderState.APPROVED, datetime.now(UTC))


# -- the worker against the sandbox gateway (a real subprocess on loopback) --------------------


@pytest.fixture
def gateway(tmp_path: Path) -> Iterator[SandboxGatewayProcess]:
    with SandboxGatewayProcess(tmp_path / "gateway.sqlite3", extra_args=FAST_DELAYS) as process:
        yield process


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(f"sqlite:///{tmp_path / 'pos.sqlite3'}")
    yield opened
    opened.close()


@pytest.fixture
def events() -> EventBus:
    return EventBus()


@pytest.fixture
def workers() -> Iterator[list[SyncWorker]]:
    made: list[SyncWorker] = []
    yield made
    for worker in made:
        worker.stop()


def start_worker(
    made: list[SyncWorker],
    store: Store,
    settings: GatewaySettings,
    events: EventBus,
    **overrides: Any,
) -> SyncWorker:
    worker = SyncWorker(store, settings, events, **{**FAST_WORKER, **overrides})
    made.append(worker)
    worker.start()
    return worker


def test_backoff_grows_exponentially_with_jitter_up_to_the_cap() -> None:
    rng = random.Random(7)
    for failures, ceiling in ((1, 1.0), (2, 2.0), (3, 4.0), (6, 32.0), (10, 60.0), (99, 60.0)):
        delays = [backoff_delay(failures, 1.0, 60.0, rng) for _ in range(200)]
        assert all(ceiling / 2 <= d <= ceiling for d in delays), failures
        assert max(delays) - min(delays) > ceiling / 10  # jitter spreads the retries


def test_a_cash_upload_passes_every_checkpoint_in_order(
    gateway: SandboxGatewayProcess,
    sqlite_store: Store,
    events: EventBus,
    workers: list[SyncWorker],
) -> None:
    passed: list[str] = []
    cash_sale(sqlite_store, "CP-1")
    start_worker(workers, sqlite_store, gateway.settings(), events, checkpoint=passed.append)
    wait_for(lambda: fiscalized(sqlite_store, "CP-1"), "the upload")
    assert passed[:9] == [
        "before_register_sent",
        "after_register_sent",
        "after_register_batch_sent",
        "after_register_stored",
        "before_fiscalize_sent",
        "after_fiscalize_sent",
        "after_fiscalize_batch_sent",
        "after_fiscalize_stored",
        "after_fiscal_data_stored",
    ]
    assert set(passed) <= set(CHECKPOINTS)


def test_sync_now_wakes_the_worker_and_stop_is_prompt(
    gateway: SandboxGatewayProcess,
    sqlite_store: Store,
    events: EventBus,
    workers: list[SyncWorker],
) -> None:
    worker = start_worker(
        workers, sqlite_store, gateway.settings(), events, poll_interval_s=60.0, fiscal_poll_s=0.1
    )
    assert worker.wait_resync(10)
    wait_for(lambda: worker.is_online() is True, "the worker to be online")
    cash_sale(sqlite_store, "WAKE-1")
    worker.sync_now()
    wait_for(lambda: fiscalized(sqlite_store, "WAKE-1"), "the upload after sync_now", timeout=5)
    started = time.monotonic()
    worker.stop(timeout=5)
    assert not worker.running
    assert time.monotonic() - started < 2


def test_wrong_credentials_leave_the_sale_pending_with_a_clear_error(
    gateway: SandboxGatewayProcess,
    sqlite_store: Store,
    events: EventBus,
    workers: list[SyncWorker],
) -> None:
    statuses: list[SyncStatusChanged] = []
    events.subscribe(SyncStatusChanged, statuses.append)
    cash_sale(sqlite_store, "CRED-1")
    settings = GatewaySettings(gateway.url, "600000", "sandbox_login", "not-the-password")
    worker = start_worker(workers, sqlite_store, settings, events)
    wait_for(lambda: worker.last_error() is not None, "the error")
    error = worker.last_error()
    assert error is not None and "не принял логин или пароль" in error.ru
    assert worker.is_online() is True  # the gateway answered
    wait_for(lambda: statuses[-1] == SyncStatusChanged(True, 1, error), "the status event")
    [entry] = sqlite_store.pending_outbox(10)
    assert entry.last_error is not None and "login or password" in entry.last_error
    assert sqlite_store.order_state("CRED-1") is OrderState.OFFLINE
    assert gateway.registrations("CRED-1") == []


def test_receipt_data_that_cannot_be_stored_is_a_clear_error() -> None:
    receipt = FiscalReceipt(
        status=FiscalState.SUCCESS,
        fiscalreceipt_id="1",
        fn_number="9999078900011524",
        fiscal_document_number="135",
        fiscal_document_attribute="2550591940",
        shift_number="nine",
        fiscal_receipt_number="21",
        ecr_registration_number="0000000001024742",
        receipt_datetime=None,
        total=Decimal("29.48"),
        qr_string=None,
        errortext=None,
    )
    with pytest.raises(SyncProblem) as problem:
        fiscal_data_from(receipt)
    assert "shift_number 'nine' is not a number" in problem.value.text.en
    assert fiscal_data_from(replace(receipt, shift_number="9")).shift_number == 9
    with pytest.raises(SyncProblem, match="fn is longer than 16"):
        fiscal_data_from(replace(receipt, shift_number="9", fn_number="1" * 17))


def test_a_batch_stores_each_stage_in_one_transaction_before_and_after_its_requests(
    tmp_path: Path, sqlite_store: Store, events: EventBus, workers: list[SyncWorker]
) -> None:
    """Per stage one write: the ``_sent`` marks of the whole batch before its first request
    (with the previous stage's results), none between its requests."""
    numbers = ("B-1", "B-2", "B-3")
    for number in numbers:
        cash_sale(sqlite_store, number)
    writes = 0
    reading = False

    def count_write(_connection: object) -> None:
        nonlocal writes
        if threading.current_thread().name == "gateway-sync" and not reading:
            writes += 1

    seen: list[tuple[str, int, dict[str, str]]] = []
    finished = threading.Event()

    def checkpoint(name: str) -> None:
        nonlocal writes, reading
        reading = True
        stored = {e.order_number: e.step for e in sqlite_store.pending_outbox(10)}
        reading = False
        seen.append((name, writes, stored))
        writes = 0
        if name == "after_fiscal_data_stored":
            finished.set()

    event.listen(sqlite_store.engine, "commit", count_write)
    args = ["--fiscal-delay", "0"]  # a receipt is final at the first ask
    with SandboxGatewayProcess(tmp_path / "gateway.sqlite3", extra_args=args) as gateway:
        start_worker(workers, sqlite_store, gateway.settings(), events, checkpoint=checkpoint)
        assert finished.wait(10)
        for number in numbers:
            assert len(gateway.registrations(number)) == 1
            assert len(gateway.receipts(number)) == 1
    event.remove(sqlite_store.engine, "commit", count_write)

    def all_at(step: str) -> dict[str, str]:
        return dict.fromkeys(numbers, step)

    assert [(name, stored) for name, _, stored in seen] == [
        ("before_register_sent", all_at("register_sent")),
        *[("after_register_sent", all_at("register_sent"))] * 3,
        ("after_register_batch_sent", all_at("register_sent")),
        ("after_register_stored", all_at("fiscalize_sent")),
        ("before_fiscalize_sent", all_at("fiscalize_sent")),
        *[("after_fiscalize_sent", all_at("fiscalize_sent"))] * 3,
        ("after_fiscalize_batch_sent", all_at("fiscalize_sent")),
        ("after_fiscalize_stored", all_at("fiscalize_accepted")),
        ("after_fiscal_data_stored", {}),
    ]
    # Writes since the previous checkpoint: one transaction per stage, none between requests.
    assert [count for _, count, _ in seen[1:]] == [0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 1]
    for number in numbers:
        assert fiscalized(sqlite_store, number)
        assert sqlite_store.order_state(number) is OrderState.APPROVED


def test_a_delayed_wake_still_uploads_and_an_immediate_one_replaces_it(
    gateway: SandboxGatewayProcess,
    sqlite_store: Store,
    events: EventBus,
    workers: list[SyncWorker],
) -> None:
    worker = start_worker(
        workers, sqlite_store, gateway.settings(), events, poll_interval_s=60.0, fiscal_poll_s=0.1
    )
    assert worker.wait_resync(10)
    wait_for(lambda: worker.is_online() is True, "the worker to be online")
    cash_sale(sqlite_store, "WAKE-2")
    worker.sync_now(after_s=0.1)  # as after a sale in the window
    wait_for(
        lambda: fiscalized(sqlite_store, "WAKE-2"), "the upload after a delayed wake", timeout=5
    )
    worker.sync_now(after_s=30.0)
    worker.sync_now()  # the cashier's «Синхронизировать» does not wait out the sale's delay
    cash_sale(sqlite_store, "WAKE-3")
    worker.sync_now()
    wait_for(lambda: fiscalized(sqlite_store, "WAKE-3"), "the upload after sync_now", timeout=5)


def test_a_worker_waits_for_the_gateway_to_get_ready_before_its_first_request(
    tmp_path: Path,
    sqlite_store: Store,
    events: EventBus,
    workers: list[SyncWorker],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Demo mode: the sandbox is spawned without waiting; the worker waits for it on its own
    thread, so it never reports the gateway unreachable at start."""
    seen: list[bool | None] = []
    events.subscribe(SyncStatusChanged, lambda status: seen.append(status.online))
    threads: list[str] = []
    process = SandboxGatewayProcess(tmp_path / "gateway.sqlite3", extra_args=FAST_DELAYS)
    process.launch()  # spawned, not listening yet
    try:

        def ready() -> None:
            threads.append(threading.current_thread().name)
            process.wait_listening(15.0)

        worker = start_worker(
            workers, sqlite_store, process.settings(), events, before_first_contact=ready
        )
        assert worker.wait_resync(20)
        wait_for(lambda: worker.is_online() is True, "the worker to be online")
        worker.stop()
    finally:
        process.stop()
        process.close_control_client()
    assert threads == ["gateway-sync"]
    assert False not in seen
    assert "ping failed" not in caplog.text


def test_a_gateway_that_does_not_get_ready_is_unreachable_as_usual(
    sqlite_store: Store,
    events: EventBus,
    workers: list[SyncWorker],
    caplog: pytest.LogCaptureFixture,
) -> None:
    def never_ready() -> None:
        raise RuntimeError("the sandbox gateway did not listen within 15 s")

    settings = GatewaySettings("http://127.0.0.1:9", merchant_id="1", login="l", password="p")
    worker = start_worker(workers, sqlite_store, settings, events, before_first_contact=never_ready)
    assert worker.wait_resync(10)
    wait_for(lambda: worker.is_online() is False, "the worker to be offline")
    assert "the gateway did not get ready: the sandbox gateway did not listen" in caplog.text
