"""Faults of the sandbox gateway as the clients see them: every "no answer" is
GatewayUnavailable, and a repeat with the same idempotency key never makes a second sale."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from desktop_pos.models.order import OrderItem
from desktop_pos.models.payment import OrderState
from desktop_pos.services.gateway.client import (
    CashRegistration,
    GatewayClient,
    GatewayUnavailable,
)
from desktop_pos.services.gateway.errors import UNAVAILABLE_TEXT
from tests.sandbox_gateway import SandboxGatewayProcess
from tests.unit.services.gateway.gateway_callers import make_caller


def cash(number: str, attempt: str = "a1") -> CashRegistration:
    return CashRegistration(
        order_number=number,
        attempt_id=attempt,
        amount=Decimal("25.00"),
        total=Decimal("25.00"),
        prepaid=Decimal("0.00"),
        paid_at=datetime.now(UTC),
        email="",
        phone="",
        items=(OrderItem("Товар", Decimal("1"), Decimal("25.00")),),
    )


def new_number() -> str:
    return f"F_{uuid.uuid4().hex[:12]}"


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def sandbox(shared_sandbox_gateway: SandboxGatewayProcess) -> Any:
    shared_sandbox_gateway.clear_faults()
    yield shared_sandbox_gateway
    shared_sandbox_gateway.clear_faults()


@pytest.mark.parametrize("fault", ["http_500", "reset"])
def test_5xx_and_reset_are_unavailable_and_nothing_is_registered(
    sandbox: SandboxGatewayProcess, kind: str, fault: str
) -> None:
    gateway = make_caller(kind, sandbox.settings())
    number = new_number()
    sandbox.set_faults(cash_register={fault: 1})
    with pytest.raises(GatewayUnavailable) as unavailable:
        gateway.register_cash(cash(number))
    assert unavailable.value.text == UNAVAILABLE_TEXT
    assert sandbox.registrations(number) == []  # the fault hit before the operation
    assert gateway.register_cash(cash(number)).replayed is False  # the count is used up
    assert len(sandbox.registrations(number)) == 1
    gateway.close()


def test_down_refuses_every_endpoint_until_cleared(
    sandbox: SandboxGatewayProcess, kind: str
) -> None:
    gateway = make_caller(kind, sandbox.settings())
    number = new_number()
    sandbox.set_faults(down=True)
    for call in (
        lambda: gateway.order_state(number),
        lambda: gateway.register_cash(cash(number)),
        lambda: gateway.register_sbp(number, "s1", Decimal("10.00")),
        lambda: gateway.fiscal_receipt("1234567890123401"),
    ):
        with pytest.raises(GatewayUnavailable):
            call()
    assert gateway.ping() is False
    sandbox.clear_faults()
    assert gateway.ping() is True
    assert gateway.order_state(number) == []
    gateway.close()


def test_lost_reply_then_retry_is_replayed_with_exactly_one_sale(
    sandbox: SandboxGatewayProcess, kind: str
) -> None:
    gateway = make_caller(kind, sandbox.settings())
    number = new_number()
    sandbox.set_faults(cash_register={"lost_after_commit": 1})
    with pytest.raises(GatewayUnavailable):
        gateway.register_cash(cash(number))
    [stored] = sandbox.registrations(number)  # committed although the reply was lost
    retry = gateway.register_cash(cash(number))
    assert retry.replayed is True and retry.billnumber == stored["billnumber"]
    assert retry.state is OrderState.APPROVED
    assert len(sandbox.registrations(number)) == 1
    gateway.close()


def test_latency_beyond_the_timeout_is_unavailable_and_the_retry_replays(
    sandbox: SandboxGatewayProcess,
) -> None:
    number = new_number()
    sandbox.set_faults(cash_register={"latency_ms": 1500})
    started = time.monotonic()
    with (
        GatewayClient(sandbox.settings(timeout_s=0.2)) as impatient,
        pytest.raises(GatewayUnavailable) as unavailable,
    ):
        impatient.register_cash(cash(number))
    assert time.monotonic() - started < 1.2  # gave up before the gateway answered
    assert "ReadTimeout" in unavailable.value.detail
    sandbox.clear_faults()
    deadline = time.monotonic() + 5  # the server still finishes the slow request
    while not sandbox.registrations(number):
        assert time.monotonic() < deadline, "the slow registration never arrived"
        time.sleep(0.05)
    with GatewayClient(sandbox.settings()) as patient:
        assert patient.register_cash(cash(number)).replayed is True
    assert len(sandbox.registrations(number)) == 1


def test_latency_within_the_timeout_is_only_slow(sandbox: SandboxGatewayProcess) -> None:
    sandbox.set_faults(orderstate={"latency_ms": 200})
    with GatewayClient(sandbox.settings(timeout_s=2)) as client:
        started = time.monotonic()
        assert client.order_state(new_number()) == []
        assert time.monotonic() - started >= 0.2


def test_faults_per_endpoint_leave_the_others_alone(sandbox: SandboxGatewayProcess) -> None:
    sandbox.set_faults(orderstate={"http_500": 5})
    with GatewayClient(sandbox.settings()) as client:
        number = new_number()
        assert client.register_cash(cash(number)).state is OrderState.APPROVED
        with pytest.raises(GatewayUnavailable):
            client.order_state(number)


def test_a_stopped_and_a_killed_gateway_are_unavailable(sandbox_gateway_factory: Any) -> None:
    sandbox = sandbox_gateway_factory()
    settings = sandbox.settings(timeout_s=1)
    sandbox.stop()
    with GatewayClient(settings) as client, pytest.raises(GatewayUnavailable) as unavailable:
        client.order_state("x")
    assert "ConnectError" in unavailable.value.detail
    sandbox.start()
    with GatewayClient(settings) as client:
        assert client.order_state("x") == []
    sandbox.kill()
    with GatewayClient(settings) as client, pytest.raises(GatewayUnavailable):
        client.register_cash(cash(new_number()))


def test_faults_from_the_command_line(sandbox_gateway_factory: Any) -> None:
    sandbox = sandbox_gateway_factory(
        ["--fault", "cash_register:http_500:1", "--fault", "orderstate:reset"]
    )
    assert sandbox.set_faults() == {
        "down": False,
        "endpoints": {
            "cash_register": {"latency_ms": 0, "http_500": 1, "reset": 0, "lost_after_commit": 0},
            "orderstate": {"latency_ms": 0, "http_500": 0, "reset": 1, "lost_after_commit": 0},
        },
    }
    with GatewayClient(sandbox.settings()) as client:
        number = new_number()
        with pytest.raises(GatewayUnavailable):
            client.register_cash(cash(number))
        with pytest.raises(GatewayUnavailable):
            client.order_state(number)
        client.register_cash(cash(number))
        assert len(client.order_state(number)) == 1
