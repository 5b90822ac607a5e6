"""The sandbox gateway's card authorization: it opens the reader's sealed card data, checks it
against the request, picks the issuer's answer and adds the card fields to the reply.

* ``card_data`` (Base64) is opened with the sandbox key (``sandbox/card_data_crypto.py``) and the
  order number + amount as associated data: a blob sealed for another key, order or amount does
  not open and the request is refused (1.2, nothing is charged);
* the card number inside must agree with ``masked_pan`` (first 6 and last 4 digits, length);
* the outcome: a test card number of ``sandbox/test_pans.py`` (``visa_insufficient_funds`` →
  Declined AS102, ISO 51) whatever the amount, otherwise the test amounts (``outcomes``);
* the reply adds ``issuer_response_code`` (ISO 8583), ``cardholder`` and, for a chip card,
  ``issuer_data``: tag 91 (issuer authentication data: an 8-byte ARPC and the 2-byte response
  code) derived from the billnumber and the answer, so a replay returns the same bytes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from desktop_pos.models.payment import OrderState
from desktop_pos.sandbox import card_data_crypto
from desktop_pos.sandbox.gateway.ledger import Refusal
from desktop_pos.sandbox.gateway.outcomes import Outcome
from desktop_pos.sandbox.test_pans import DECLINED_PANS
from desktop_pos.services.gateway.card_fields import (
    AID_HEX,
    CVMS,
    ENTRY_MODES,
    KEY_ID,
    MAX_CARD_DATA_CHARS,
    MAX_EMV_TLV_BYTES,
    PAYMENT_SYSTEM,
    CardRequestInvalid,
    check_signature,
    is_hex,
    is_masked_pan,
)
from desktop_pos.services.gateway.errors import RejectCode

SANDBOX_KEYS: Mapping[str, bytes] = {card_data_crypto.SANDBOX_KEY_ID: card_data_crypto.SANDBOX_KEY}
"""The keys the sandbox gateway opens card data with (its own test key only)."""

ISO_BY_ASSIST_CODE = {
    "AS000": "00",
    "AS100": "05",
    "AS101": "14",
    "AS102": "51",
    "AS104": "54",
    "AS105": "61",
    "AS106": "55",
    "AS107": "30",
    "AS108": "59",
}
"""The issuer's ISO 8583 code behind each Assist code the sandbox answers."""
ISO_TIMEOUT = "91"
"""Issuer unavailable: an authorization that ended Timeout."""


@dataclass(frozen=True)
class CardCheck:
    """What the sandbox learnt from a card request it accepts."""

    meantypename: str
    outcome: Outcome | None
    """By the card number (a test PAN); None: by the amount."""
    cardholder: str


def _invalid(name: str, why: str) -> Refusal:
    return Refusal(RejectCode.INVALID_FIELD, f"{name}: {why}")


def _text(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _invalid(name, "must be text")
    return value


def _check_fields(data: Mapping[str, Any]) -> None:
    for name, allowed in (("entry_mode", ENTRY_MODES), ("cvm", CVMS)):
        if data.get(name) not in allowed:
            raise _invalid(name, f"must be one of {', '.join(allowed)}")
    if not is_masked_pan(_text(data, "masked_pan")):
        raise _invalid("masked_pan", "must look like 220220******1234")
    if not PAYMENT_SYSTEM.fullmatch(_text(data, "payment_system").strip().upper()):
        raise Refusal(RejectCode.MISSING_FIELD, "payment_system is required")
    if not _text(data, "card_data"):
        raise Refusal(RejectCode.MISSING_FIELD, "card_data is required")
    if not KEY_ID.fullmatch(_text(data, "key_id")):
        raise Refusal(RejectCode.MISSING_FIELD, "key_id is required")
    emv_tlv = _text(data, "emv_tlv")
    if not is_hex(emv_tlv) or len(emv_tlv) > 2 * MAX_EMV_TLV_BYTES:
        raise _invalid("emv_tlv", "must be hex (BER-TLV) of at most 1024 bytes")
    chip_data = data["entry_mode"] != "magstripe"
    if chip_data and not emv_tlv:
        raise Refusal(RejectCode.MISSING_FIELD, "emv_tlv is required for chip and contactless")
    aid = _text(data, "aid")
    if (chip_data or aid) and not AID_HEX.fullmatch(aid):
        raise _invalid("aid", "must be 5-16 bytes of upper-case hex")
    try:
        check_signature(_text(data, "signature"), str(data["cvm"]))
    except CardRequestInvalid as exc:
        raise _invalid("signature", exc.text.en) from None


def _open(
    data: Mapping[str, Any], order_number: str, amount: Decimal
) -> card_data_crypto.CardSecrets:
    key_id = _text(data, "key_id")
    if key_id not in SANDBOX_KEYS:
        raise _invalid("key_id", f"unknown key {key_id!r}")
    text = _text(data, "card_data")
    if len(text) > MAX_CARD_DATA_CHARS:
        raise _invalid("card_data", "too long")
    try:
        blob = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise _invalid("card_data", "is not Base64") from None
    aad = card_data_crypto.card_data_aad(order_number, int((amount * 100).to_integral_value()))
    try:
        if card_data_crypto.blob_key_id(blob) != key_id:
            raise _invalid("card_data", f"is not sealed for key_id {key_id!r}")
        return card_data_crypto.open_card_data(blob, SANDBOX_KEYS, aad)
    except card_data_crypto.CardDataError:
        raise _invalid(
            "card_data",
            "cannot be opened: sealed with another key, or for another order or amount",
        ) from None


def _agrees(pan: str, masked: str) -> bool:
    return len(pan) == len(masked) and pan[:6] == masked[:6] and pan[-4:] == masked[-4:]


def check_card(data: Mapping[str, Any], order_number: str, amount: Decimal) -> CardCheck:
    """Check a card request and open its card data; ``Refusal`` (nothing charged) if it is
    malformed, does not open, or holds another card than ``masked_pan`` says."""
    _check_fields(data)
    secrets = _open(data, order_number, amount)
    if not _agrees(secrets.pan, _text(data, "masked_pan")):
        raise _invalid("masked_pan", "does not match the card in card_data")
    declined = DECLINED_PANS.get(secrets.pan)
    outcome = (
        None
        if declined is None
        else Outcome(OrderState.DECLINED, declined.response_code, waits=False)
    )
    return CardCheck(
        meantypename=_text(data, "payment_system").strip().upper(),
        outcome=outcome,
        cardholder=secrets.cardholder,
    )


def issuer_response_code(state: str, response_code: str) -> str | None:
    """The ISO 8583 code of a final answer (None while In Process)."""
    if state == OrderState.IN_PROCESS.value:
        return None
    if state == OrderState.TIMEOUT.value:
        return ISO_TIMEOUT
    if state == OrderState.APPROVED.value:
        return "00"
    return ISO_BY_ASSIST_CODE.get(response_code, "05")


def issuer_data(billnumber: str, iso_code: str) -> bytes:
    """Tag 91 for the card: ARPC (8 bytes, keyed hash of the billnumber and the code) + ARC."""
    arc = iso_code.encode("ascii")
    arpc = hmac.new(
        card_data_crypto.SANDBOX_KEY, f"{billnumber}:{iso_code}".encode(), hashlib.sha256
    ).digest()[:8]
    value = arpc + arc
    return bytes([0x91, len(value)]) + value


def card_reply_fields(row: sqlite3.Row, cardholder: str) -> dict[str, Any]:
    """The card fields the authorization reply adds to the common ones."""
    code = issuer_response_code(row["state"], row["responsecode"])
    chip = json.loads(row["request"]).get("entry_mode") == "chip"
    return {
        "issuer_response_code": code,
        "issuer_data": issuer_data(row["billnumber"], code).hex().upper()
        if chip and code is not None
        else "",
        "cardholder": cardholder,
    }
