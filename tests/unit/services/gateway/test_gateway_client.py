"""Both gateway clients against the sandbox gateway running as a real subprocess."""

from __future__ import annotations

import logging
import re
import time
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from desktop_pos.models.order import OrderItem
from desktop_pos.models.payment import FiscalState, OrderState
from desktop_pos.services.gateway.client import (
    AsyncGatewayClient,
    CardAuthorization,
    CashRegistration,
    GatewayClient,
    GatewayProtocolError,
    GatewayRejected,
    GatewaySettings,
    GatewaySettingsError,
    RejectCode,
)
from desktop_pos.services.gateway.mpos_operations import NSPK_LINK, SOFTPOS_DEEP_LINK
from tests.card_authorizations import card_authorization
from tests.sandbox_gateway import SANDBOX_PASSWORD, SandboxGatewayProcess
from tests.unit.services.gateway.gateway_callers import make_caller, run_coroutine, wait_for_state

QR_STRING = re.compile(r"t=(\d{8}T\d{4})&s=(\d+\.\d{2})&fn=(\d{16})&i=(\d+)&fp=(\d{10})&n=([12])")


def order_number() -> str:
    return f"T_{uuid.uuid4().hex[:12]}"


def cash(
    number: str, attempt: str = "a1", amount: str = "14.24", email: str = ""
) -> CashRegistration:
    half = Decimal(amount) / 2
    items = (
        OrderItem("Компактный фотик", Decimal("1"), half),
        OrderItem("Фотоаппарат", Decimal("1"), Decimal(amount) - half),
    )
    return CashRegistration(
        order_number=number,
        attempt_id=attempt,
        amount=Decimal(amount),
        total=Decimal(amount),
        prepaid=Decimal("0.00"),
        paid_at=datetime.now(UTC),
        email=email,
        phone="",
        items=items,
    )


def card(number: str, amount: str, attempt: str = "c1") -> CardAuthorization:
    return card_authorization(number, amount, attempt, entry_mode="nfc", cvm="none")


@pytest.fixture
def sandbox_gateway(shared_sandbox_gateway: SandboxGatewayProcess) -> SandboxGatewayProcess:
    """This module's tests share one sandbox (each uses order numbers of its own)."""
    return shared_sandbox_gateway


@pytest.fixture(params=["sync", "async"])
def gateway(request: pytest.FixtureRequest, sandbox_gateway: SandboxGatewayProcess) -> Any:
    caller = make_caller(request.param, sandbox_gateway.settings())
    yield caller
    caller.close()


def test_cash_registration_is_approved_once_and_replayed(
    gateway: Any, sandbox_gateway: SandboxGatewayProcess
) -> None:
    number = order_number()
    first = gateway.register_cash(cash(number))
    assert first.state is OrderState.APPROVED and first.response_code == "AS000"
    assert re.fullmatch(r"\d{16}", first.billnumber) and first.replayed is False
    again = gateway.register_cash(cash(number))
    assert (again.billnumber, again.replayed) == (first.billnumber, True)
    [registration] = sandbox_gateway.registrations(number)
    assert registration["billnumber"] == first.billnumber
    assert registration["request"]["items"][0]["name"] == "Компактный фотик"
    assert "password" not in registration["request"]
    [row] = gateway.order_state(number)
    assert (row.billnumber, row.state, row.amount, row.method) == (
        first.billnumber,
        OrderState.APPROVED,
        Decimal("14.24"),
        "Cash",
    )
    assert row.packet_date is not None and row.packet_date.tzinfo is not None


def test_a_paid_order_refuses_another_attempt(gateway: Any) -> None:
    number = order_number()
    gateway.register_cash(cash(number, "a1"))
    with pytest.raises(GatewayRejected) as refused:
        gateway.register_cash(cash(number, "a2"))
    assert refused.value.code == RejectCode.ALREADY_PAID
    assert "уже оплачен" in refused.value.text.ru


def test_the_same_attempt_with_another_amount_is_refused(gateway: Any) -> None:
    number = order_number()
    gateway.register_cash(cash(number, "a1", "10.00"))
    with pytest.raises(GatewayRejected) as refused:
        gateway.register_cash(cash(number, "a1", "12.00"))
    assert refused.value.code == RejectCode.ATTEMPT_DATA_MISMATCH


def test_unknown_order_has_no_attempts(gateway: Any) -> None:
    assert gateway.order_state(order_number()) == []


def test_fiscal_receipt_goes_from_new_to_success(gateway: Any) -> None:
    number = order_number()
    bill = gateway.register_cash(cash(number, amount="1030.00")).billnumber
    receipt_id = gateway.fiscalize(bill, payment_id=f"{number}:a1")
    assert gateway.fiscalize(bill, payment_id=f"{number}:a1") == receipt_id  # a repeat
    pending = gateway.fiscal_receipt(bill)
    assert pending.status is FiscalState.NEW and pending.fn_number is None
    assert pending.qr_string is None
    deadline = time.monotonic() + 5
    receipt = pending
    while receipt.status is FiscalState.NEW and time.monotonic() < deadline:
        time.sleep(0.05)
        receipt = gateway.fiscal_receipt(bill)
    assert receipt.status is FiscalState.SUCCESS and receipt.fiscalreceipt_id == receipt_id
    assert receipt.qr_string is not None
    match = QR_STRING.fullmatch(receipt.qr_string)
    assert match is not None, receipt.qr_string
    assert match.group(2, 3, 4, 5, 6) == (
        "1030.00",
        receipt.fn_number,
        receipt.fiscal_document_number,
        receipt.fiscal_document_attribute,
        "1",
    )
    assert receipt.total == Decimal("1030.00")
    assert receipt.receipt_datetime is not None
    local = receipt.receipt_datetime.astimezone(UTC) + timedelta(hours=3)
    assert match.group(1) == f"{local:%Y%m%dT%H%M}"
    assert re.fullmatch(r"\d{16}", receipt.ecr_registration_number or "")
    assert receipt.shift_number and receipt.fiscal_receipt_number


def test_cancel_partly_then_fully_with_a_refund_receipt(gateway: Any) -> None:
    number = order_number()
    bill = gateway.register_cash(cash(number, amount="100.00")).billnumber
    part = gateway.cancel(bill, amount=Decimal("30.00"))
    assert part.state is OrderState.PARTIAL_CANCELED and part.amount == Decimal("30.00")
    assert part.billnumber != bill and part.billnumber[:14] == bill[:14]
    rest = gateway.cancel(bill)
    assert rest.state is OrderState.CANCELED and rest.amount == Decimal("70.00")
    assert gateway.cancel(bill) == rest  # the same key again: the first answer, no new cancel
    [row] = gateway.order_state(number)
    assert row.state is OrderState.CANCELED
    with pytest.raises(GatewayRejected) as refused:
        gateway.cancel(bill, amount=Decimal("1.00"))
    assert refused.value.code == RejectCode.CANCEL_NOT_ALLOWED
    gateway.fiscalize(part.billnumber, kind="sell_refund")
    with pytest.raises(GatewayRejected) as wrong_kind:
        gateway.fiscalize(part.billnumber, kind="sell")
    assert wrong_kind.value.code == RejectCode.FISCALIZE_NOT_ALLOWED
    deadline = time.monotonic() + 5
    while (receipt := gateway.fiscal_receipt(part.billnumber)).status is FiscalState.NEW:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert receipt.qr_string is not None and receipt.qr_string.endswith("&n=2")
    assert "&s=30.00&" in receipt.qr_string


def test_cancel_more_than_paid_is_refused(gateway: Any) -> None:
    bill = gateway.register_cash(cash(order_number(), amount="10.00")).billnumber
    with pytest.raises(GatewayRejected) as refused:
        gateway.cancel(bill, amount=Decimal("10.01"))
    assert refused.value.code == RejectCode.CANCEL_AMOUNT_TOO_LARGE


def test_sbp_link_and_buyer_pays(gateway: Any, sandbox_gateway: SandboxGatewayProcess) -> None:
    number = order_number()
    sbp = gateway.register_sbp(number, "s1", Decimal("1234.56"), email="buyer@example.com")
    assert sbp.state is OrderState.IN_PROCESS
    assert NSPK_LINK.fullmatch(sbp.qr_payload), sbp.qr_payload
    assert "&sum=123456&" in sbp.qr_payload
    assert gateway.register_sbp(number, "s1", Decimal("1234.56")).billnumber == sbp.billnumber
    with pytest.raises(GatewayRejected) as busy:
        gateway.register_sbp(number, "s2", Decimal("1234.56"))
    assert busy.value.code == RejectCode.PAYMENT_IN_PROCESS
    [waiting] = gateway.order_state(number)
    assert waiting.state is OrderState.IN_PROCESS and waiting.response_code == "AS300"
    sandbox_gateway.buyer_pays(sbp.billnumber)
    paid = wait_for_state(gateway, number, OrderState.APPROVED)
    assert paid.response_code == "AS000" and paid.method == "SBP" and paid.rrn


@pytest.mark.parametrize(
    ("amount", "state", "code"),
    [
        ("100.51", OrderState.DECLINED, "AS102"),
        ("100.52", OrderState.DECLINED, "AS106"),
        ("100.57", OrderState.TIMEOUT, "AS100"),
        ("100.55", OrderState.APPROVED, "AS000"),
        ("100.00", OrderState.APPROVED, "AS000"),
    ],
)
def test_sbp_test_amounts_after_the_buyer_pays(
    sandbox_gateway: SandboxGatewayProcess, amount: str, state: OrderState, code: str
) -> None:
    with GatewayClient(sandbox_gateway.settings()) as gateway:
        number = order_number()
        sbp = gateway.register_sbp(number, "s1", Decimal(amount))
        sandbox_gateway.buyer_pays(sbp.billnumber)
        final = wait_for_state(gateway, number, state)
        assert final.response_code == code


def test_sbp_settles_by_itself_after_the_delay(sandbox_gateway_factory: Any) -> None:
    sandbox = sandbox_gateway_factory(["--sbp-delay", "0.3"])
    with GatewayClient(sandbox.settings()) as gateway:
        number = order_number()
        gateway.register_sbp(number, "s1", Decimal("50.00"))
        assert wait_for_state(gateway, number, OrderState.APPROVED).response_code == "AS000"


@pytest.mark.parametrize(
    ("amount", "first", "final", "code"),
    [
        ("10.51", OrderState.DECLINED, OrderState.DECLINED, "AS102"),
        ("10.52", OrderState.DECLINED, OrderState.DECLINED, "AS106"),
        ("10.55", OrderState.IN_PROCESS, OrderState.APPROVED, "AS000"),
        ("10.57", OrderState.IN_PROCESS, OrderState.TIMEOUT, "AS100"),
        ("10.00", OrderState.APPROVED, OrderState.APPROVED, "AS000"),
    ],
)
def test_card_test_amounts(
    gateway: Any, amount: str, first: OrderState, final: OrderState, code: str
) -> None:
    number = order_number()
    result = gateway.authorize_card(card(number, amount))
    assert result.state is first and result.replayed is False
    settled = wait_for_state(gateway, number, final)
    assert settled.response_code == code and settled.method == "MIR"
    if final is OrderState.APPROVED:
        assert re.fullmatch(r"\d{6}", settled.approval_code or "")
        assert re.fullmatch(r"\d{12}", settled.rrn or "")
    else:
        assert settled.approval_code is None
    if first is OrderState.DECLINED:  # a failed attempt: a new attempt gets a new billnumber
        retry = gateway.authorize_card(card(number, "10.00", attempt="c2"))
        assert retry.state is OrderState.APPROVED and retry.billnumber != result.billnumber
        assert [row.state for row in gateway.order_state(number)] == [
            OrderState.DECLINED,
            OrderState.APPROVED,
        ]


def test_orderstate_default_window_is_three_days(
    gateway: Any, sandbox_gateway: SandboxGatewayProcess
) -> None:
    old, recent = order_number(), order_number()
    gateway.register_cash(cash(old))
    gateway.register_cash(cash(recent))
    sandbox_gateway.backdate(old, timedelta(days=3, minutes=5).total_seconds())
    sandbox_gateway.backdate(recent, timedelta(days=2, hours=23).total_seconds())
    assert gateway.order_state(old) == []
    assert len(gateway.order_state(recent)) == 1
    since = datetime.now(UTC) - timedelta(days=4)
    [row] = gateway.order_state(old, since=since)
    assert row.state is OrderState.APPROVED


def test_wrong_credentials_are_rejected(
    sandbox_gateway: SandboxGatewayProcess, gateway: Any
) -> None:
    settings = sandbox_gateway.settings()
    wrong = GatewaySettings(settings.base_url, settings.merchant_id, settings.login, "wrong_pass")
    with GatewayClient(wrong) as client:
        for call in (
            lambda: client.order_state("x"),
            lambda: client.register_cash(cash(order_number())),
            lambda: client.fiscal_receipt("1234567890123456"),
        ):
            with pytest.raises(GatewayRejected) as rejected:
                call()
            assert rejected.value.code == RejectCode.WRONG_CREDENTIALS
            assert "логин или пароль" in rejected.value.text.ru


def test_ping(sandbox_gateway_factory: Any) -> None:
    sandbox_gateway = sandbox_gateway_factory()
    with GatewayClient(sandbox_gateway.settings()) as client:
        assert client.ping() is True

    async def async_ping() -> bool:
        async with AsyncGatewayClient(sandbox_gateway.settings()) as client:
            return await client.ping()

    assert run_coroutine(async_ping()) is True
    sandbox_gateway.stop()
    with GatewayClient(sandbox_gateway.settings()) as client:
        assert client.ping() is False
    assert run_coroutine(async_ping()) is False


def test_one_async_client_runs_a_whole_sale(sandbox_gateway: SandboxGatewayProcess) -> None:
    number = order_number()

    async def sale() -> tuple[Any, ...]:
        async with AsyncGatewayClient(sandbox_gateway.settings()) as client:
            registered = await client.register_cash(cash(number))
            await client.fiscalize(registered.billnumber)
            rows = await client.order_state(number)
            return registered, rows

    registered, rows = run_coroutine(sale())
    assert [row.billnumber for row in rows] == [registered.billnumber]


def test_the_password_is_never_logged(
    sandbox_gateway: SandboxGatewayProcess, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    settings = sandbox_gateway.settings()
    assert SANDBOX_PASSWORD not in repr(settings)
    with GatewayClient(settings) as client:
        number = order_number()
        client.register_cash(cash(number))
        client.order_state(number)
    assert caplog.records
    assert all(SANDBOX_PASSWORD not in record.getMessage() for record in caplog.records)
    assert any(number in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize(
    ("base_url", "timeout", "words"),
    [
        ("http://payments.example.ru", 10.0, "https://"),
        ("payments.example.ru", 10.0, "https://"),
        ("https://payments.example.ru", 0.0, "timeout"),
    ],
)
def test_settings_that_cannot_work_are_refused(base_url: str, timeout: float, words: str) -> None:
    settings = GatewaySettings(base_url, "600000", "login_1", "secret_1", timeout_s=timeout)
    with pytest.raises(GatewaySettingsError) as refused:
        GatewayClient(settings)
    assert words in refused.value.text.en


def test_a_wrong_path_in_the_address_is_a_protocol_error(
    sandbox_gateway: SandboxGatewayProcess,
) -> None:
    settings = sandbox_gateway.settings()
    wrong = GatewaySettings(
        settings.base_url + "/no-such-prefix", settings.merchant_id, settings.login, "x_password"
    )
    with GatewayClient(wrong) as client, pytest.raises(GatewayProtocolError) as error:
        client.order_state("x")
    assert error.value.problem == "HTTP 404 without an error reply"
    assert error.value.endpoint == "orderstate"


def test_softpos_deep_link_and_phone_pays(
    gateway: Any, sandbox_gateway: SandboxGatewayProcess
) -> None:
    number = order_number() + " №1"
    hand_off = gateway.register_softpos(number, "p1", Decimal("250.00"))
    assert hand_off.state is OrderState.IN_PROCESS
    assert SOFTPOS_DEEP_LINK.fullmatch(hand_off.deep_link), hand_off.deep_link
    query = parse_qs(urlsplit(hand_off.deep_link).query)
    assert query == {
        "merchant": [sandbox_gateway.settings().merchant_id],
        "order": [number],
        "amount": ["250.00"],
        "currency": ["RUB"],
        "bill": [hand_off.billnumber],
    }
    repeat = gateway.register_softpos(number, "p1", Decimal("250.00"))
    assert repeat.deep_link == hand_off.deep_link
    sandbox_gateway.softpos_phone_pays(hand_off.billnumber)
    paid = wait_for_state(gateway, number, OrderState.APPROVED)
    assert paid.method == "SoftPOS" and paid.response_code == "AS000"


def test_an_unpaid_qr_expires_on_request(sandbox_gateway: SandboxGatewayProcess) -> None:
    with GatewayClient(sandbox_gateway.settings()) as gateway:
        number = order_number()
        sbp = gateway.register_sbp(number, "s1", Decimal("10.00"))
        sandbox_gateway.let_expire(sbp.billnumber)
        [expired] = gateway.order_state(number)
        assert (expired.state, expired.response_code) == (OrderState.TIMEOUT, "AS100")
        sandbox_gateway.buyer_pays(sbp.billnumber)  # too late: stays Timeout
        [still] = gateway.order_state(number)
        assert still.state is OrderState.TIMEOUT


def test_cash_is_registered_while_a_qr_is_in_process(
    sandbox_gateway: SandboxGatewayProcess,
) -> None:
    with GatewayClient(sandbox_gateway.settings()) as gateway:
        number = order_number()
        sbp = gateway.register_sbp(number, "s1", Decimal("14.24"))
        registered = gateway.register_cash(cash(number, "c1", "14.24"))
        assert registered.state is OrderState.APPROVED
        sandbox_gateway.buyer_pays(sbp.billnumber)
        states = sorted(op.state.value for op in gateway.order_state(number))
        assert states == ["Approved", "Approved"]
