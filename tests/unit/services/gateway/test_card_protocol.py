"""The card authorization's request and reply (no I/O): fields, checks, bad replies."""

from __future__ import annotations

import base64
import json
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

from desktop_pos.hardware.reader.messages import (
    ApplicationChoice,
    AuthorizationRequest,
    CardRead,
    Cvm,
    EntryMode,
)
from desktop_pos.models.payment import OrderState
from desktop_pos.services.gateway import mpos_operations as mpos
from desktop_pos.services.gateway.card_fields import (
    CardRequestInvalid,
    card_authorization_from_reader,
    check_card_authorization,
)
from desktop_pos.services.gateway.errors import GatewayProtocolError
from desktop_pos.services.gateway.settings import GatewaySettings
from tests.card_authorizations import EMV_TLV, card_authorization, signature_data_url

SETTINGS = GatewaySettings("https://payments.t.paysecure.ru", "600000", "shop_login", "secret")


def test_the_request_carries_every_card_field() -> None:
    auth = card_authorization("A-1", "150.00")
    body = mpos.card_authorize_request(SETTINGS, auth)
    assert {k: body[k] for k in ("ordernumber", "attempt_id", "amount", "currency")} == {
        "ordernumber": "A-1",
        "attempt_id": "c1",
        "amount": "150.00",
        "currency": "RUB",
    }
    assert body["emv_tlv"] == EMV_TLV and body["key_id"] == auth.key_id
    assert body["aid"] == "A0000006581010" and body["application_label"] == "MIR"
    assert (body["entry_mode"], body["cvm"], body["masked_pan"]) == (
        "chip",
        "pin",
        "220220******0016",
    )
    assert base64.b64decode(body["card_data"])[0] == 1  # the sealed blob, as it is
    assert "signature" not in body
    signed = replace(
        auth, entry_mode="magstripe", cvm="signature", emv_tlv="", aid="",
        signature=signature_data_url(),
    )  # fmt: skip
    assert mpos.card_authorize_request(SETTINGS, signed)["signature"].startswith(
        "data:image/png;base64,"
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"masked_pan": "2202200000000016"}, "masked_pan"),
        ({"entry_mode": "keyed"}, "entry_mode"),
        ({"cvm": "online_pin"}, "cvm"),
        ({"key_id": ""}, "key_id"),
        ({"card_data": "not base64!"}, "card_data"),
        ({"card_data": ""}, "card_data"),
        ({"emv_tlv": "9F2"}, "emv_tlv"),
        ({"emv_tlv": ""}, "emv_tlv"),
        ({"aid": "A000"}, "aid"),
        ({"payment_system": "mir"}, "payment_system"),
        ({"amount": Decimal("0.00")}, "amount"),
        ({"signature": signature_data_url()}, "signature"),  # not a signature CVM
        ({"cvm": "signature"}, "signature"),  # no signature
        ({"cvm": "signature", "signature": "data:image/jpeg;base64,AAAA"}, "signature"),
        ({"cvm": "signature", "signature": "data:image/png;base64,QUJD"}, "signature"),  # no PNG
        ({"cvm": "signature", "signature": "data:image/png;base64," + "A" * 3980}, "signature"),
    ],
)
def test_requests_that_cannot_be_sent(changes: dict[str, Any], field: str) -> None:
    auth = replace(card_authorization("A-1", "150.00"), **changes)
    with pytest.raises(CardRequestInvalid) as invalid:
        mpos.card_authorize_request(SETTINGS, auth)
    assert invalid.value.field == field
    assert "Повторите оплату" in invalid.value.text.ru


def _signature_of(chars: int) -> str:
    """A PNG data URL of ``chars`` characters (the PNG followed by filler bytes)."""
    png = base64.b64decode(signature_data_url().removeprefix("data:image/png;base64,"))
    size = (chars - len("data:image/png;base64,")) // 4 * 3
    return "data:image/png;base64," + base64.b64encode(png + bytes(size - len(png))).decode()


def test_the_signature_limit_is_4000_characters() -> None:
    auth = replace(card_authorization("A-1", "10.00"), cvm="signature")
    fits, too_long = _signature_of(3998), _signature_of(4002)
    assert (len(fits), len(too_long)) == (3998, 4002)
    check_card_authorization(replace(auth, signature=fits))
    with pytest.raises(CardRequestInvalid, match="at most 4000"):
        check_card_authorization(replace(auth, signature=too_long))


def test_built_from_the_reader_messages() -> None:
    card = CardRead(
        txn_id=7,
        entry_mode=EntryMode.CHIP,
        masked_pan="220220******0032",
        brand="MAESTRO",
        application_label="Maestro",
        aid=bytes.fromhex("A0000000043060"),
        application_choice=ApplicationChoice.HOST,
        cardholder="PETROV/PETR",
    )
    request = AuthorizationRequest(7, bytes.fromhex(EMV_TLV), b"\x01\x02ab" + bytes(28), "k-1")
    auth = card_authorization_from_reader(
        "A-2", "u-1", Decimal("99.00"), card, Cvm.PIN_ON_READER, request
    )
    assert (auth.entry_mode, auth.cvm, auth.payment_system) == ("chip", "pin", "MAESTRO")
    assert auth.aid == "A0000000043060" and auth.emv_tlv == EMV_TLV and auth.key_id == "k-1"
    assert base64.b64decode(auth.card_data) == request.card_data
    with pytest.raises(CardRequestInvalid):  # a signature CVM needs the signature
        card_authorization_from_reader("A-2", "u-1", Decimal("99.00"), card, Cvm.SIGNATURE, request)


def reply(**changes: Any) -> bytes:
    data: dict[str, Any] = {
        "firstcode": 0,
        "secondcode": 0,
        "billnumber": "5730291846271901",
        "ordernumber": "A-1",
        "attempt_id": "c1",
        "orderstate": "Approved",
        "responsecode": "AS000",
        "amount": "150.00",
        "currency": "RUB",
        "meantypename": "MIR",
        "approvalcode": "482913",
        "rrn": "402918374651",
        "packetdate": "2026-01-15T18:10:02+00:00",
        "replayed": False,
        "issuer_response_code": "00",
        "issuer_data": "910A0102030405060708" + "3030",
        "cardholder": "IVANOV/IVAN",
    }
    data.update(changes)
    return json.dumps(data).encode()


def test_an_approval_reply() -> None:
    result = mpos.parse_card_authorize_reply(reply())
    assert result.state is OrderState.APPROVED and result.response_code == "AS000"
    assert (result.approval_code, result.rrn, result.issuer_response_code) == (
        "482913",
        "402918374651",
        "00",
    )
    assert result.issuer_data == bytes.fromhex("910A01020304050607083030")
    assert (result.cardholder, result.payment_system, result.replayed) == (
        "IVANOV/IVAN",
        "MIR",
        False,
    )


def test_a_decline_and_an_in_process_reply() -> None:
    declined = mpos.parse_card_authorize_reply(
        reply(orderstate="Declined", responsecode="AS102", approvalcode=None, rrn=None,
              issuer_response_code="51", issuer_data="")
    )  # fmt: skip
    assert (declined.state, declined.issuer_response_code, declined.issuer_data) == (
        OrderState.DECLINED,
        "51",
        b"",
    )
    pending = mpos.parse_card_authorize_reply(
        reply(orderstate="In Process", responsecode=None, approvalcode=None, rrn=None,
              issuer_response_code=None, issuer_data=None, cardholder=None)
    )  # fmt: skip
    assert pending.response_code == "AS300" and pending.issuer_response_code is None
    assert pending.cardholder == ""


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"approvalcode": None}, "approvalcode"),
        ({"rrn": "123"}, "rrn"),
        ({"issuer_data": "91XZ"}, "issuer_data"),
        ({"issuer_data": "910"}, "issuer_data"),
        ({"issuer_data": "00" * 300}, "issuer_data"),
        ({"issuer_response_code": "051"}, "issuer_response_code"),
        ({"issuer_response_code": 5}, "issuer_response_code"),
        ({"cardholder": ["x"]}, "cardholder"),
        ({"orderstate": "Delayed"}, "orderstate"),
    ],
)
def test_bad_replies_are_protocol_errors(changes: dict[str, Any], problem: str) -> None:
    with pytest.raises(GatewayProtocolError) as error:
        mpos.parse_card_authorize_reply(reply(**changes))
    assert problem in error.value.problem
