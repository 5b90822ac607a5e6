"""The sandbox gateway as a subprocess: persistence across restarts, e-mail, Assist-style error
replies to malformed requests, the command line and the control endpoints."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
import uuid
import xml.etree.ElementTree as ElementTree
from datetime import UTC, datetime
from decimal import Decimal
from email import message_from_bytes, policy
from email.message import EmailMessage, Message
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller

from desktop_pos.models.order import OrderItem
from desktop_pos.models.payment import FiscalState, OrderState
from desktop_pos.services.gateway.client import CashRegistration, GatewayClient
from tests.sandbox_gateway import (
    SANDBOX_LOGIN,
    SANDBOX_MERCHANT_ID,
    SANDBOX_PASSWORD,
    SandboxGatewayProcess,
)

CREDENTIALS = {"Merchant_ID": SANDBOX_MERCHANT_ID, "Login": SANDBOX_LOGIN}


def cash(number: str, email: str = "") -> CashRegistration:
    return CashRegistration(
        order_number=number,
        attempt_id="a1",
        amount=Decimal("99.90"),
        total=Decimal("99.90"),
        prepaid=Decimal("0.00"),
        paid_at=datetime.now(UTC),
        email=email,
        phone="",
        items=(OrderItem("Товар", Decimal("1"), Decimal("99.90")),),
    )


def new_number() -> str:
    return f"S_{uuid.uuid4().hex[:12]}"


def wait_until(condition: Any, timeout: float = 5.0, what: str = "the condition") -> Any:
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not met within {timeout} s")
        time.sleep(0.05)
    return value


# -- persistence ---------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["stop", "kill"])
def test_state_survives_a_restart_on_the_same_port(sandbox_gateway_factory: Any, how: str) -> None:
    sandbox = sandbox_gateway_factory(["--fiscal-delay", "0.5", "--sbp-delay", "-1"])
    port = sandbox.port
    number, sbp_number = new_number(), new_number()
    with GatewayClient(sandbox.settings()) as client:
        bill = client.register_cash(cash(number)).billnumber
        client.fiscalize(bill)
        sbp = client.register_sbp(sbp_number, "s1", Decimal("10.00"))
    getattr(sandbox, how)()
    time.sleep(0.6)  # the receipt's time comes while the gateway is down
    sandbox.start()
    assert sandbox.port == port
    with GatewayClient(sandbox.settings()) as client:
        again = client.register_cash(cash(number))
        assert (again.billnumber, again.replayed) == (bill, True)
        receipt = client.fiscal_receipt(bill)
        assert receipt.status is FiscalState.SUCCESS and receipt.qr_string
        [waiting] = client.order_state(sbp_number)
        assert waiting.state is OrderState.IN_PROCESS
        sandbox.buyer_pays(sbp.billnumber)
        [paid] = client.order_state(sbp_number)
        assert paid.state is OrderState.APPROVED
    assert len(sandbox.registrations(number)) == 1


def test_receipts_are_numbered_within_the_shift_across_a_restart(
    sandbox_gateway_factory: Any,
) -> None:
    sandbox = sandbox_gateway_factory(["--fiscal-delay", "0"])

    def next_receipt() -> tuple[str | None, str | None, str | None]:
        with GatewayClient(sandbox.settings()) as client:
            bill = client.register_cash(cash(new_number())).billnumber
            client.fiscalize(bill)
            receipt = client.fiscal_receipt(bill)
        assert receipt.status is FiscalState.SUCCESS
        return (
            receipt.shift_number,
            receipt.fiscal_receipt_number,
            receipt.fiscal_document_number,
        )

    receipts = [next_receipt(), next_receipt()]
    sandbox.stop()
    sandbox.start()
    receipts.append(next_receipt())
    assert [fd for _, _, fd in receipts] == ["1", "2", "3"]
    expected: list[int] = []
    shift: str | None = None
    for receipt_shift, _, _ in receipts:  # a new shift (midnight on the register) starts at 1
        expected.append(expected[-1] + 1 if receipt_shift == shift else 1)
        shift = receipt_shift
    assert [int(number or 0) for _, number, _ in receipts] == expected


# -- idempotency ---------------------------------------------------------------------------


def test_a_repeated_registration_or_fiscalize_answers_the_first_result(
    shared: SandboxGatewayProcess,
) -> None:
    """What a sync worker that lost a reply (or crashed before storing it) relies on: the same
    order number and attempt id, the same billnumber and receipt id again; nothing new."""
    number = new_number()
    with GatewayClient(shared.settings()) as client:
        first = client.register_cash(cash(number))
        again = client.register_cash(cash(number))
        assert (again.billnumber, again.replayed) == (first.billnumber, True)
        assert not first.replayed
        receipt_id = client.fiscalize(first.billnumber, payment_id="a1")
        assert client.fiscalize(first.billnumber, payment_id="a1") == receipt_id
        refund = client.cancel(first.billnumber)
        refund_id = client.fiscalize(refund.billnumber, kind="sell_refund")
    [registration] = shared.registrations(number)
    assert registration["billnumber"] == first.billnumber
    sell, sell_refund = shared.receipts(number)
    assert (sell["fiscalreceipt_id"], sell["billnumber"], sell["receipttype"]) == (
        receipt_id,
        first.billnumber,
        "sell",
    )
    assert sell["payment_id"] == "a1" and sell["total"] == "99.90"
    assert (sell_refund["fiscalreceipt_id"], sell_refund["receipttype"]) == (
        refund_id,
        "sell_refund",
    )
    assert shared.receipts(new_number()) == []


# -- e-mail --------------------------------------------------------------------------------


class CollectingHandler:
    """aiosmtpd handler that keeps every message (a real SMTP server on loopback)."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_receipts_are_emailed_through_smtp(sandbox_gateway_factory: Any) -> None:
    handler = CollectingHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        sandbox = sandbox_gateway_factory(["--smtp", f"127.0.0.1:{port}"])
        with GatewayClient(sandbox.settings()) as client:
            bill = client.register_cash(cash(new_number(), email="buyer@example.com")).billnumber
            client.fiscalize(bill)
        wait_until(lambda: handler.messages, what="an e-mail")
        [message] = handler.messages
        assert message["To"] == "buyer@example.com"
        assert "Кассовый чек" in str(message["Subject"])
        assert isinstance(message, EmailMessage)
        text = message.get_content()
        assert "99.90" in text and "t=" in text and bill in text
        [listed] = wait_until(lambda: [e for e in sandbox.emails() if e["sent_at"]])
        assert listed["to"] == "buyer@example.com"
    finally:
        controller.stop()


def test_receipts_are_listed_without_smtp(sandbox_gateway: SandboxGatewayProcess) -> None:
    with GatewayClient(sandbox_gateway.settings()) as client:
        bill = client.register_cash(cash(new_number())).billnumber
        client.fiscalize(bill, email="other@example.com", phone="+79991234567")
    [email] = wait_until(sandbox_gateway.emails, what="a listed e-mail")
    assert email["to"] == "other@example.com" and email["sent_at"] is None
    assert "ФН:" in email["body"] and bill in email["body"]


def test_a_refused_smtp_server_leaves_the_email_listed_with_the_error(
    sandbox_gateway_factory: Any,
) -> None:
    sandbox = sandbox_gateway_factory(["--smtp", f"127.0.0.1:{free_port()}"])  # nobody there
    with GatewayClient(sandbox.settings()) as client:
        bill = client.register_cash(cash(new_number(), email="buyer@example.com")).billnumber
        client.fiscalize(bill)
    [email] = wait_until(lambda: [e for e in sandbox.emails() if e["last_error"]])
    assert email["sent_at"] is None and "ConnectionRefused" in email["last_error"]


# -- malformed requests --------------------------------------------------------------------


def post_form(sandbox: SandboxGatewayProcess, path: str, fields: dict[str, str]) -> httpx.Response:
    return httpx.post(sandbox.url + path, data=fields, timeout=5, trust_env=False)


def xml_error(response: httpx.Response) -> tuple[str, str, str]:
    root = ElementTree.fromstring(response.content)
    return root.get("firstcode", ""), root.get("secondcode", ""), root.get("errortext", "")


@pytest.fixture
def shared(shared_sandbox_gateway: SandboxGatewayProcess) -> SandboxGatewayProcess:
    return shared_sandbox_gateway


@pytest.mark.parametrize(
    ("fields", "code", "words"),
    [
        ({"Password": SANDBOX_PASSWORD, "Format": "3"}, ("1", "1"), "Ordernumber"),
        ({"Ordernumber": "1", "Format": "3"}, ("1", "1"), "password"),
        ({"Ordernumber": "1", "Password": "nope", "Format": "3"}, ("2", "1"), "Password"),
        ({"Ordernumber": "1", "Password": SANDBOX_PASSWORD, "Format": "1"}, ("1", "3"), "Format"),
        (
            {
                "Ordernumber": "1",
                "Password": SANDBOX_PASSWORD,
                "Format": "3",
                "StartMonth": "13",
                "StartYear": "2024",
                "StartDay": "1",
            },
            ("1", "2"),
            "Start",
        ),
    ],
)
def test_orderstate_answers_bad_requests_in_assist_style(
    shared: SandboxGatewayProcess, fields: dict[str, str], code: tuple[str, str], words: str
) -> None:
    response = post_form(shared, "/orderstate/orderstate.cfm", {**CREDENTIALS, **fields})
    assert response.status_code == 200
    first, second, text = xml_error(response)
    assert (first, second) == code and words in text


def test_field_names_are_case_insensitive(shared: SandboxGatewayProcess) -> None:
    fields = {
        "ORDERNUMBER": "x",
        "merchant_id": SANDBOX_MERCHANT_ID,
        "LOGIN": SANDBOX_LOGIN,
        "password": SANDBOX_PASSWORD,
        "format": "3",
    }
    response = post_form(shared, "/orderstate/orderstate.cfm", fields)
    assert xml_error(response)[:2] == ("0", "0")


@pytest.mark.parametrize(
    ("body", "status", "code", "words"),
    [
        (b"{not json", 400, (1, 2), "JSON"),
        (b"[1, 2]", 400, (1, 2), "object"),
        (b'{"merchant_id": "600000", "login": "sandbox_login"}', 400, (1, 1), "password"),
    ],
)
def test_mpos_endpoints_answer_broken_bodies(
    shared: SandboxGatewayProcess, body: bytes, status: int, code: tuple[int, int], words: str
) -> None:
    response = httpx.post(
        shared.url + "/mpos/cash/register", content=body, timeout=5, trust_env=False
    )
    assert response.status_code == status
    data = response.json()
    assert (data["firstcode"], data["secondcode"]) == code and words in data["errortext"]


def registration(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "merchant_id": SANDBOX_MERCHANT_ID,
        "login": SANDBOX_LOGIN,
        "password": SANDBOX_PASSWORD,
        "ordernumber": new_number(),
        "attempt_id": "a1",
        "amount": "10.00",
        "currency": "RUB",
        "total": "10.00",
        "amount_prepaid": "0.00",
        "items": [{"name": "Товар", "price": "10.00", "quantity": "1.000", "amount": "10.00"}],
    }
    body.update(changes)
    return body


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"amount": "10.001"}, "amount"),
        ({"amount": "0.00", "total": "0.00"}, "above zero"),
        ({"currency": "USD"}, "RUB"),
        ({"ordernumber": "bad<number>"}, "ordernumber"),
        ({"attempt_id": "a b"}, "attempt_id"),
        ({"total": "11.00", "amount": "11.00"}, "sum of the items"),
        ({"amount": "9.00"}, "total − amount_prepaid"),
        ({"items": []}, "items"),
    ],
)
def test_cash_registration_checks_its_fields(
    shared: SandboxGatewayProcess, changes: dict[str, Any], words: str
) -> None:
    response = httpx.post(
        shared.url + "/mpos/cash/register",
        json=registration(**changes),
        timeout=5,
        trust_env=False,
    )
    assert response.status_code == 400
    assert words in response.json()["errortext"]
    assert shared.registrations(registration(**changes)["ordernumber"]) == []


def test_unknown_billnumbers_are_not_found(shared: SandboxGatewayProcess) -> None:
    fields = {**CREDENTIALS, "Password": SANDBOX_PASSWORD, "Billnumber": "1234567890123401"}
    cancel = post_form(shared, "/cancel/cancel.cfm", {**fields, "Format": "3"})
    assert xml_error(cancel)[:2] == ("3", "3")
    receipt = post_form(shared, "/fiscal/fiscalreceipt.cfm", {**fields, "Format": "5"})
    assert (receipt.status_code, receipt.json()["firstcode"]) == (200, 3)
    fiscalize = post_form(
        shared, "/fiscal/fiscalize.cfm", {**fields, "Format": "5", "Type": "refund"}
    )
    assert "Type" in fiscalize.json()["errortext"]


# -- control endpoints and command line ----------------------------------------------------


def test_control_endpoints_refuse_bad_input(shared: SandboxGatewayProcess) -> None:
    url = shared.url
    bad_faults = [
        {"cash_register": {"explode": 1}},
        {"nowhere": {"http_500": 1}},
        {"cash_register": {"http_500": -1}},
        {"down": "yes"},
    ]
    for faults in bad_faults:
        response = httpx.post(url + "/_sandbox/faults", json=faults, timeout=5, trust_env=False)
        assert response.status_code == 400, faults
    assert shared.set_faults() == {"down": False, "endpoints": {}}
    pay = httpx.post(
        url + "/_sandbox/sbp/pay", json={"billnumber": "1"}, timeout=5, trust_env=False
    )
    assert pay.status_code == 404
    assert httpx.get(url + "/_sandbox/registrations", timeout=5, trust_env=False).status_code == 400
    assert httpx.get(url + "/_sandbox/receipts", timeout=5, trust_env=False).status_code == 400
    assert shared.health()["status"] == "ok"


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop_pos.sandbox.gateway", *args],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--host", "192.0.2.1"], "loopback"),
        (["--fault", "cash_register:explode"], "unknown fault kind"),
        (["--fault", "orderstate:latency_ms"], "needs milliseconds"),
        (["--fault", "cash_register:down"], "all:down"),
        (["--smtp", "nowhere"], "HOST:PORT"),
        (["--fiscal-delay", "-1"], "--fiscal-delay"),
    ],
)
def test_command_line_errors_name_the_flag(tmp_path: Any, args: list[str], words: str) -> None:
    result = run_cli("--db", str(tmp_path / "g.sqlite3"), *args)
    assert result.returncode == 2
    assert words in result.stderr
    assert "LISTENING" not in result.stdout


def test_a_taken_port_is_reported(tmp_path: Any, shared: SandboxGatewayProcess) -> None:
    result = run_cli("--db", str(tmp_path / "g.sqlite3"), "--port", str(shared.port))
    assert result.returncode == 1 and "cannot listen" in result.stderr
