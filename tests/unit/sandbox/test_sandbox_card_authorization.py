"""The sandbox gateway's card authorization (a subprocess): it opens the sealed card data, refuses
what does not open, declines the insufficient-funds test card, replays, and keeps exactly one
charge when the reply is lost after the commit."""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import replace
from decimal import Decimal
from typing import Any

import httpx
import pytest

from desktop_pos.models.payment import OrderState
from desktop_pos.sandbox.test_pans import INSUFFICIENT_FUNDS_PAN, luhn_valid
from desktop_pos.services.gateway import mpos_operations as mpos
from desktop_pos.services.gateway.client import (
    GatewayClient,
    GatewayRejected,
    GatewayUnavailable,
)
from tests.card_authorizations import (
    card_authorization,
    sealed_card_data,
    signature_data_url,
)
from tests.sandbox_gateway import SandboxGatewayProcess


@pytest.fixture
def shared(shared_sandbox_gateway: SandboxGatewayProcess) -> SandboxGatewayProcess:
    return shared_sandbox_gateway


@pytest.fixture
def client(shared: SandboxGatewayProcess) -> Any:
    with GatewayClient(shared.settings()) as gateway:
        yield gateway


def new_number() -> str:
    return f"K_{uuid.uuid4().hex[:12]}"


def raw_authorize(sandbox: SandboxGatewayProcess, body: dict[str, Any]) -> httpx.Response:
    settings = sandbox.settings()
    with httpx.Client(base_url=settings.base_url, timeout=5) as http:
        return http.post(mpos.CARD_AUTHORIZE_PATH, content=json.dumps(body).encode())


def test_a_chip_card_is_approved_with_issuer_data(client: GatewayClient) -> None:
    number = new_number()
    result = client.authorize_card(card_authorization(number, "150.00"))
    assert result.state is OrderState.APPROVED and result.response_code == "AS000"
    assert result.issuer_response_code == "00" and result.cardholder == "IVANOV/IVAN"
    assert result.payment_system == "MIR" and result.approval_code and result.rrn
    # tag 91, 10 bytes: ARPC (8) + ARC "00"
    assert result.issuer_data[:2] == b"\x91\x0a" and result.issuer_data[-2:] == b"00"
    [operation] = client.order_state(number)
    assert operation.state is OrderState.APPROVED and operation.method == "MIR"
    assert operation.rrn == result.rrn and operation.approval_code == result.approval_code


def test_contactless_has_no_issuer_data(client: GatewayClient) -> None:
    result = client.authorize_card(
        card_authorization(new_number(), "150.00", entry_mode="nfc", cvm="none")
    )
    assert result.state is OrderState.APPROVED and result.issuer_data == b""


def test_insufficient_funds_card_is_declined_then_another_card_pays(
    client: GatewayClient, shared: SandboxGatewayProcess
) -> None:
    assert luhn_valid(INSUFFICIENT_FUNDS_PAN)
    number = new_number()
    declined = client.authorize_card(
        card_authorization(number, "100.00", pan=INSUFFICIENT_FUNDS_PAN, payment_system="VISA")
    )
    assert (declined.state, declined.response_code) == (OrderState.DECLINED, "AS102")
    assert declined.issuer_response_code == "51" and declined.approval_code is None
    assert declined.issuer_data[-2:] == b"51"
    again = client.authorize_card(card_authorization(number, "100.00", "c2"))
    assert again.state is OrderState.APPROVED and again.billnumber != declined.billnumber
    assert [r["orderstate"] for r in shared.registrations(number)] == ["Declined", "Approved"]


@pytest.mark.parametrize(
    ("amount", "state", "code", "iso"),
    [
        ("10.51", OrderState.DECLINED, "AS102", "51"),
        ("10.52", OrderState.DECLINED, "AS106", "55"),
        ("10.55", OrderState.IN_PROCESS, "AS300", None),
    ],
)
def test_the_test_amounts_still_decide_for_other_cards(
    client: GatewayClient, amount: str, state: OrderState, code: str, iso: str | None
) -> None:
    result = client.authorize_card(card_authorization(new_number(), amount))
    assert (result.state, result.response_code, result.issuer_response_code) == (state, code, iso)


def test_a_repeat_is_replayed_without_a_second_charge(
    client: GatewayClient, shared: SandboxGatewayProcess
) -> None:
    number = new_number()
    request = card_authorization(number, "77.00")
    first = client.authorize_card(request)
    second = client.authorize_card(request)
    assert second.replayed and not first.replayed
    assert (second.billnumber, second.rrn, second.issuer_data) == (
        first.billnumber,
        first.rrn,
        first.issuer_data,
    )
    assert len(shared.registrations(number)) == 1


def test_reply_lost_after_commit_charges_once(
    client: GatewayClient, shared: SandboxGatewayProcess
) -> None:
    number = new_number()
    request = card_authorization(number, "250.00")
    shared.set_faults(card_authorize={"lost_after_commit": 1})
    try:
        with pytest.raises(GatewayUnavailable):
            client.authorize_card(request)
    finally:
        shared.clear_faults()
    [operation] = client.order_state(number)  # the charge exists; the till got no answer
    assert operation.state is OrderState.APPROVED
    replay = client.authorize_card(request)
    assert replay.replayed and replay.billnumber == operation.billnumber
    assert len(shared.registrations(number)) == 1


def _refused(client: GatewayClient, shared: SandboxGatewayProcess, request: Any) -> str:
    with pytest.raises(GatewayRejected) as rejected:
        client.authorize_card(request)
    assert rejected.value.code == "1.2"
    assert shared.registrations(request.order_number) == []  # nothing charged
    return rejected.value.message


def test_card_data_sealed_with_another_key_is_refused(
    client: GatewayClient, shared: SandboxGatewayProcess
) -> None:
    number = new_number()
    blob = sealed_card_data(number, Decimal("10.00"), key=os.urandom(32))
    message = _refused(client, shared, card_authorization(number, "10.00", card_data=blob))
    assert "card_data" in message and "cannot be opened" in message


@pytest.mark.parametrize("other", ["order", "amount"])
def test_card_data_of_another_order_or_amount_is_refused(
    client: GatewayClient, shared: SandboxGatewayProcess, other: str
) -> None:
    number = new_number()
    blob = (
        sealed_card_data(new_number(), Decimal("10.00"))
        if other == "order"
        else sealed_card_data(number, Decimal("11.00"))
    )
    message = _refused(client, shared, card_authorization(number, "10.00", card_data=blob))
    assert "another order or amount" in message


def test_masked_pan_of_another_card_is_refused(
    client: GatewayClient, shared: SandboxGatewayProcess
) -> None:
    number = new_number()
    request = replace(card_authorization(number, "10.00"), masked_pan="220220******9999")
    assert "masked_pan" in _refused(client, shared, request)


def test_unknown_key_id_and_bad_fields_are_refused(shared: SandboxGatewayProcess) -> None:
    number = new_number()
    settings = shared.settings()
    body = mpos.card_authorize_request(settings, card_authorization(number, "10.00"))
    cases = {
        "key_id": ({"key_id": "other-key"}, "unknown key"),
        "emv_tlv": ({"emv_tlv": "XYZ"}, "emv_tlv"),
        "aid": ({"aid": ""}, "aid"),
        "signature": ({"cvm": "signature"}, "signature"),
        "long signature": (
            {"cvm": "signature", "signature": "data:image/png;base64," + "A" * 3990},
            "at most 4000",
        ),
        "card_data": ({"card_data": "***"}, "Base64"),
    }
    for name, (changes, words) in cases.items():
        reply = raw_authorize(shared, {**body, **changes})
        assert reply.status_code == 400, name
        assert words in reply.json()["errortext"], name
    assert shared.registrations(number) == []


def test_a_signature_payment_is_approved(
    client: GatewayClient, shared: SandboxGatewayProcess
) -> None:
    number = new_number()
    url = signature_data_url()
    request = card_authorization(
        number,
        "42.00",
        pan="5500000000000004",
        entry_mode="magstripe",
        cvm="signature",
        payment_system="MASTERCARD",
        signature=url,
    )
    result = client.authorize_card(request)
    assert result.state is OrderState.APPROVED and result.issuer_data == b""
    [registration] = shared.registrations(number)
    assert registration["request"]["signature"] == url
    assert "5500000000000004" not in json.dumps(registration)
