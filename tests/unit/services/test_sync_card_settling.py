"""The sync worker's steps settle a card attempt left In Process: a reply lost after the gateway
committed is adopted from orderstate (one charge); an authorization that never reached the
gateway is not mistaken for an earlier attempt's operation, and ends after a while."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from desktop_pos.models.order import Order, OrderItem
from desktop_pos.models.payment import FiscalState, OrderState
from desktop_pos.services.events import EventBus, OrderStateChanged, SyncStatusChanged
from desktop_pos.services.gateway.client import GatewayClient, GatewayUnavailable
from desktop_pos.services.store import Store
from desktop_pos.services.store_card import CardAttempt, CardSlipData
from desktop_pos.services.sync_steps import CARD_UNKNOWN_AFTER, SyncSteps
from desktop_pos.services.sync_worker import SyncWorker
from tests.card_authorizations import MIR_PAN, card_authorization, masked
from tests.e2e.sync_fixtures import FAST_WORKER, wait_for
from tests.sandbox_gateway import FAST_DELAYS, SandboxGatewayProcess

CARD = CardSlipData("chip", "pin", masked(MIR_PAN), "MIR", "A0000006581010", "MIR")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(f"sqlite:///{tmp_path / 'pos.db'}")
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxGatewayProcess]:
    process = SandboxGatewayProcess(
        tmp_path_factory.mktemp("sandbox_gateway") / "gateway.sqlite3", extra_args=FAST_DELAYS
    )
    with process:
        yield process


@pytest.fixture
def client(sandbox: SandboxGatewayProcess) -> Iterator[GatewayClient]:
    with GatewayClient(sandbox.settings()) as gateway:
        yield gateway


def order(number: str, price: str = "120.00") -> Order:
    return Order(number, datetime.now(UTC), (OrderItem("Товар", Decimal(1), Decimal(price)),))


def steps(store: Store, client: GatewayClient, now: datetime) -> tuple[SyncSteps, list[object]]:
    events = EventBus()
    seen: list[object] = []
    events.subscribe(OrderStateChanged, seen.append)
    return SyncSteps(store, client, events, lambda: now, checkpoint=lambda _name: None), seen


def approval_lost(
    store: Store, client: GatewayClient, sandbox: SandboxGatewayProcess, number: str, now: datetime
) -> CardAttempt:
    """A card attempt of 120.00 the gateway approved, its reply lost after the commit."""
    attempt = store.begin_card_payment(order(number), CARD, now)
    sandbox.set_faults(card_authorize={"lost_after_commit": 1})
    try:
        with pytest.raises(GatewayUnavailable):
            client.authorize_card(card_authorization(number, "120.00", attempt.attempt_id))
    finally:
        sandbox.clear_faults()
    return attempt


def in_process(store: Store, now: datetime):  # type: ignore[no-untyped-def]
    [candidate] = store.resync_candidates(now, states=(OrderState.IN_PROCESS,))
    return candidate


def test_a_lost_approval_is_adopted_with_one_charge(
    store: Store, client: GatewayClient, sandbox: SandboxGatewayProcess
) -> None:
    number = f"L_{datetime.now(UTC):%H%M%S%f}"
    now = datetime.now(UTC)
    attempt = approval_lost(store, client, sandbox, number, now)
    sync, seen = steps(store, client, now)
    assert sync.settle_attempt(in_process(store, now)) is OrderState.APPROVED
    stored = store.card_payment(attempt.attempt_id)
    assert stored is not None and stored.state is OrderState.APPROVED
    [registration] = sandbox.registrations(number)
    assert stored.billnumber == registration["billnumber"]
    result = store.load_result(number)
    assert result is not None and result.fiscal_state is FiscalState.NEW  # receipt queued
    assert [e.state for e in seen] == [OrderState.APPROVED]  # type: ignore[attr-defined]


def test_an_authorization_that_never_arrived_is_not_an_earlier_decline(
    store: Store, client: GatewayClient
) -> None:
    number = f"N_{datetime.now(UTC):%H%M%S%f}"
    now = datetime.now(UTC)
    first = store.begin_card_payment(order(number, "120.51"), CARD, now)
    declined = client.authorize_card(card_authorization(number, "120.51", first.attempt_id))
    assert declined.state is OrderState.DECLINED  # .51: insufficient funds
    store.record_card_authorization(first.attempt_id, declined, now)
    # the same order and amount again; this request never reaches the gateway
    second = store.begin_card_payment(order(number, "120.51"), CARD, now)
    sync, _seen = steps(store, client, now)
    candidate = in_process(store, now)
    assert candidate.attempt_id == second.attempt_id
    assert sync.settle_attempt(candidate) is None  # the Declined operation is the first's
    assert store.order_state(number) is OrderState.IN_PROCESS
    later = now + CARD_UNKNOWN_AFTER + timedelta(seconds=1)
    sync_later, seen = steps(store, client, later)
    assert sync_later.settle_attempt(in_process(store, later)) is OrderState.TIMEOUT
    stored = store.card_payment(second.attempt_id)
    assert stored is not None and (stored.state, stored.response_code) == (
        OrderState.TIMEOUT,
        "AS400",
    )
    store.check_card_payable(number)  # may be paid again
    assert [e.state for e in seen] == [OrderState.TIMEOUT]  # type: ignore[attr-defined]


def test_a_worker_pass_counts_what_stays_in_process_after_its_polls(
    store: Store, client: GatewayClient, sandbox: SandboxGatewayProcess
) -> None:
    """Two card attempts In Process, left while the worker runs: the gateway has approved one
    (its reply was lost), the other never reached it. The pass that settles the first publishes
    a pending count that holds the second only, as does every count it publishes."""
    events = EventBus()
    counts: list[tuple[int, int]] = []

    def published(status: SyncStatusChanged) -> None:  # on the worker's thread, as it publishes
        in_process = store.resync_candidates(datetime.now(UTC), states=(OrderState.IN_PROCESS,))
        counts.append((status.pending, store.pending_outbox_count() + len(in_process)))

    events.subscribe(SyncStatusChanged, published)
    worker = SyncWorker(store, sandbox.settings(), events, **{**FAST_WORKER, "poll_interval_s": 60})
    worker.start()
    try:
        assert worker.wait_resync(10)  # nothing to settle at start: the passes do it below
        # The pass that follows the resync ends before the attempts are made, so that no pass
        # sees half of them (one polled too early would wait out the 60 s poll interval).
        wait_for(lambda: worker.passes_done >= 1, "the first pass")
        now = datetime.now(UTC)
        lost, unknown = f"LC_{now:%H%M%S%f}", f"UC_{now:%H%M%S%f}"
        approval_lost(store, client, sandbox, lost, now)
        store.begin_card_payment(order(unknown), CARD, now)  # its request never left the till
        worker.sync_now()
        wait_for(lambda: store.order_state(lost) is OrderState.APPROVED, "the lost approval")
        wait_for(lambda: worker.pending_count() == 1, "the count of what stays pending")
        assert store.order_state(unknown) is OrderState.IN_PROCESS
    finally:
        worker.stop()
    assert (1, 1) in counts
    assert all(said == stored for said, stored in counts), counts  # every count was right
