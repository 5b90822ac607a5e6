"""The operations Assist does not document publicly, as JSON endpoints in the same style.

Kept in this one module so they can be swapped when the real channel specification is at hand:

* ``/mpos/cash/register``: register a cash sale taken at the counter (always Approved AS000);
* ``/mpos/sbp/register``: register an SBP payment and get its QR payload (an NSPK link);
* ``/mpos/card/authorize``: authorize a card payment from the reader's (encrypted) data;
* ``/mpos/softpos/register``: register a SoftPOS hand-off and get the deep link for the phone.

Every request carries ``merchant_id``, ``login``, ``password``, ``ordernumber``, ``attempt_id``,
``amount`` ("123.45") and ``currency`` ("RUB"); ``ordernumber`` + ``attempt_id`` are the
idempotency key: a repeat returns the original result with ``"replayed": true``. Error replies
carry ``firstcode``/``secondcode``/``errortext`` (docs/gateway-api.md).
"""

from __future__ import annotations

import json
import re
from datetime import UTC
from decimal import Decimal
from typing import Any

from desktop_pos.models.money import format_amount, format_quantity
from desktop_pos.models.payment import OrderState
from desktop_pos.services.gateway.card_fields import (
    ISSUER_RESPONSE_CODE,
    check_card_authorization,
    is_hex,
)
from desktop_pos.services.gateway.errors import GatewayProtocolError
from desktop_pos.services.gateway.protocol import (
    CURRENCY,
    json_optional_str,
    json_required_str,
    parse_json_object,
    parse_response_code,
    parse_state_field,
)
from desktop_pos.services.gateway.results import (
    CardAuthorization,
    CardResult,
    CashRegistration,
    RegistrationResult,
    SbpRegistration,
    SoftposRegistration,
)
from desktop_pos.services.gateway.settings import GatewaySettings

CASH_REGISTER_PATH = "/mpos/cash/register"
SBP_REGISTER_PATH = "/mpos/sbp/register"
CARD_AUTHORIZE_PATH = "/mpos/card/authorize"
SOFTPOS_REGISTER_PATH = "/mpos/softpos/register"

SOFTPOS_DEEP_LINK = re.compile(
    r"assist-softpos://pay\?merchant=[0-9A-Za-z_]{1,32}&order=[^&\s]{1,400}"
    r"&amount=\d+\.\d{2}&currency=RUB&bill=\d{16}"
)
"""The shape of a SoftPOS deep link (docs/gateway-api.md); ``order`` is percent-encoded."""

NSPK_LINK = re.compile(
    r"https://qr\.nspk\.ru/[A-Z0-9]{32}\?type=02&bank=\d{12}&sum=\d+&cur=RUB&crc=[0-9A-F]{4}"
)
"""The shape of an SBP QR payload (a dynamic NSPK link)."""

AUTH_CODE = re.compile(r"[0-9A-Z]{6}")
"""An approval (authorization) code: 6 letters or digits."""
RRN = re.compile(r"[0-9A-Za-z]{12}")
"""A retrieval reference number: 12 characters."""
MAX_ISSUER_DATA_BYTES = 256


def idempotency_key(order_number: str, attempt_id: str) -> str:
    return f"{order_number}:{attempt_id}"


def _common(
    settings: GatewaySettings, order_number: str, attempt_id: str, amount: Decimal
) -> dict[str, Any]:
    return {
        "merchant_id": settings.merchant_id,
        "login": settings.login,
        "password": settings.password,
        "ordernumber": order_number,
        "attempt_id": attempt_id,
        "amount": format_amount(amount),
        "currency": CURRENCY,
    }


def cash_register_request(
    settings: GatewaySettings, registration: CashRegistration
) -> dict[str, Any]:
    if registration.paid_at.tzinfo is None:
        raise ValueError("CashRegistration.paid_at must be timezone-aware")
    body = _common(
        settings, registration.order_number, registration.attempt_id, registration.amount
    )
    body.update(
        {
            "total": format_amount(registration.total),
            "amount_prepaid": format_amount(registration.prepaid),
            "paid_at": registration.paid_at.astimezone(UTC).isoformat(),
            "clientemail": registration.email,
            "clientphone": registration.phone,
            "items": [
                {
                    "name": item.name,
                    "price": format_amount(item.price),
                    "quantity": format_quantity(item.quantity),
                    "amount": format_amount(item.amount),
                    "discount_amount": format_amount(item.discount),
                    "tax": item.vat.value,
                    "payment_method": item.payment_method_sign,
                }
                for item in registration.items
            ],
        }
    )
    return body


def sbp_register_request(
    settings: GatewaySettings,
    order_number: str,
    attempt_id: str,
    amount: Decimal,
    *,
    email: str = "",
) -> dict[str, Any]:
    body = _common(settings, order_number, attempt_id, amount)
    body["clientemail"] = email
    return body


def card_authorize_request(
    settings: GatewaySettings, authorization: CardAuthorization
) -> dict[str, Any]:
    """The card authorization body; ``CardRequestInvalid`` if a field cannot be sent."""
    check_card_authorization(authorization)
    body = _common(
        settings, authorization.order_number, authorization.attempt_id, authorization.amount
    )
    body.update(
        {
            "entry_mode": authorization.entry_mode,
            "masked_pan": authorization.masked_pan,
            "payment_system": authorization.payment_system,
            "card_data": authorization.card_data,
            "cvm": authorization.cvm,
            "clientemail": authorization.email,
            "clientphone": authorization.phone,
            "emv_tlv": authorization.emv_tlv,
            "key_id": authorization.key_id,
            "aid": authorization.aid,
            "application_label": authorization.application_label,
        }
    )
    if authorization.signature:
        body["signature"] = authorization.signature
    return body


def encode(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def _billnumber(data: dict[str, Any], endpoint: str) -> str:
    billnumber = json_required_str(data, "billnumber", endpoint)
    if not billnumber.isdigit() or len(billnumber) != 16:
        raise GatewayProtocolError(endpoint, f"billnumber {billnumber!r} is not 16 digits")
    return billnumber


def _replayed(data: dict[str, Any], endpoint: str) -> bool:
    value = data.get("replayed", False)
    if not isinstance(value, bool):
        raise GatewayProtocolError(endpoint, f"replayed is not true/false: {value!r}")
    return value


def parse_cash_register_reply(body: bytes) -> RegistrationResult:
    endpoint = "cash register"
    data = parse_json_object(body, endpoint)
    state = parse_state_field(data.get("orderstate"), endpoint)
    return RegistrationResult(
        billnumber=_billnumber(data, endpoint),
        state=state,
        response_code=parse_response_code(data.get("responsecode"), state, endpoint),
        replayed=_replayed(data, endpoint),
    )


def parse_sbp_register_reply(body: bytes) -> SbpRegistration:
    endpoint = "SBP register"
    data = parse_json_object(body, endpoint)
    payload = json_required_str(data, "qr_payload", endpoint)
    if not NSPK_LINK.fullmatch(payload):
        raise GatewayProtocolError(endpoint, f"qr_payload is not an NSPK link: {payload!r}")
    return SbpRegistration(
        billnumber=_billnumber(data, endpoint),
        state=parse_state_field(data.get("orderstate"), endpoint),
        qr_payload=payload,
    )


def _issuer_data(data: dict[str, Any], endpoint: str) -> bytes:
    text = json_optional_str(data, "issuer_data", endpoint) or ""
    if not is_hex(text) or len(text) > 2 * MAX_ISSUER_DATA_BYTES:
        raise GatewayProtocolError(endpoint, f"issuer_data is not hex TLV: {text[:40]!r}")
    return bytes.fromhex(text)


def parse_card_authorize_reply(body: bytes) -> CardResult:
    """The authorization's outcome. An Approved reply must carry ``approvalcode`` and ``rrn``;
    ``issuer_response_code`` is two letters or digits; ``issuer_data`` hex (BER-TLV)."""
    endpoint = "card authorize"
    data = parse_json_object(body, endpoint)
    state = parse_state_field(data.get("orderstate"), endpoint)
    approval_code = json_optional_str(data, "approvalcode", endpoint)
    rrn = json_optional_str(data, "rrn", endpoint)
    if state is OrderState.APPROVED:
        if approval_code is None or not AUTH_CODE.fullmatch(approval_code):
            raise GatewayProtocolError(endpoint, f"approvalcode {approval_code!r} of an approval")
        if rrn is None or not RRN.fullmatch(rrn):
            raise GatewayProtocolError(endpoint, f"rrn {rrn!r} of an approval")
    issuer_code = json_optional_str(data, "issuer_response_code", endpoint)
    if issuer_code is not None and not ISSUER_RESPONSE_CODE.fullmatch(issuer_code):
        raise GatewayProtocolError(endpoint, f"issuer_response_code {issuer_code!r}")
    return CardResult(
        billnumber=_billnumber(data, endpoint),
        state=state,
        response_code=parse_response_code(data.get("responsecode"), state, endpoint),
        approval_code=approval_code,
        rrn=rrn,
        replayed=_replayed(data, endpoint),
        issuer_response_code=issuer_code,
        issuer_data=_issuer_data(data, endpoint),
        cardholder=json_optional_str(data, "cardholder", endpoint) or "",
        payment_system=json_optional_str(data, "meantypename", endpoint),
    )


def parse_softpos_register_reply(body: bytes) -> SoftposRegistration:
    endpoint = "SoftPOS register"
    data = parse_json_object(body, endpoint)
    link = json_required_str(data, "deep_link", endpoint)
    if not SOFTPOS_DEEP_LINK.fullmatch(link):
        raise GatewayProtocolError(endpoint, f"deep_link is not a SoftPOS link: {link!r}")
    return SoftposRegistration(
        billnumber=_billnumber(data, endpoint),
        state=parse_state_field(data.get("orderstate"), endpoint),
        deep_link=link,
    )
