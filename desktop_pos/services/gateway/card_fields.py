"""The fields of a card authorization: their shapes, shared by the till and the sandbox gateway.

The reader hands over only what the gateway needs and nothing a till may keep in clear: a masked
PAN (first 6 and last 4 digits), the EMV data of the transaction (BER-TLV, sent as hex) and the
card data sealed for the gateway (``card_data``, Base64, opened only by the gateway with the key
``key_id``). A signature, when the card asks for one, travels as a PNG data URL of at most
4000 characters (Assist's SDK limit, reference §1.8).

``check_card_authorization`` is what a request must satisfy before it is sent (and before the
attempt is stored); ``card_authorization_from_reader`` builds the request from the reader's
messages.
"""

from __future__ import annotations

import base64
import binascii
import re
from decimal import Decimal
from typing import TYPE_CHECKING

from desktop_pos.models.errors import UserFacingError
from desktop_pos.models.texts import LocalizedText

if TYPE_CHECKING:
    from desktop_pos.hardware.reader.messages import AuthorizationRequest, CardRead, Cvm
    from desktop_pos.services.gateway.results import CardAuthorization

ENTRY_MODES = ("nfc", "chip", "magstripe")
CVMS = ("pin", "signature", "none")
SIGNATURE_PREFIX = "data:image/png;base64,"
MAX_SIGNATURE_CHARS = 4000
"""Assist's limit for the signature data URL, prefix included."""
MAX_EMV_TLV_BYTES = 1024
MAX_CARD_DATA_CHARS = 4096

MASKED_PAN = re.compile(r"\d{6}\*{2,9}\d{4}")
"""``220220******1234``: 6 digits, 2 to 9 ``*``, 4 digits (a 12 to 19 digit card number)."""
KEY_ID = re.compile(r"[A-Za-z0-9_.:-]{1,64}")
AID_HEX = re.compile(r"(?:[0-9A-F]{2}){5,16}")
"""An EMV application id: 5 to 16 bytes, upper-case hex (``A0000006581010``)."""
PAYMENT_SYSTEM = re.compile(r"[A-Z0-9][A-Z0-9 _-]{0,31}")
ISSUER_RESPONSE_CODE = re.compile(r"[0-9A-Z]{2}")
"""ISO 8583 field 39 as the issuer answered: ``00`` approved, ``51`` insufficient funds, …"""
_HEX = re.compile(r"(?:[0-9A-Fa-f]{2})*")
_LABEL = re.compile(r"[\x20-\x7e]{0,32}")


class CardRequestInvalid(UserFacingError):
    """A card authorization that cannot be sent as it is; ``field`` names the field at fault.

    Nothing was sent: the payment can be started again.
    """


def _invalid(field: str, en: str, ru: str) -> CardRequestInvalid:
    return CardRequestInvalid(
        LocalizedText(
            f"Данные карты для авторизации неверны ({field}: {ru}). Повторите оплату.",
            f"The card data for the authorization are wrong ({field}: {en}). "
            "Start the payment again.",
        ),
        field=field,
    )


def is_masked_pan(value: str) -> bool:
    return MASKED_PAN.fullmatch(value) is not None


def is_hex(value: str) -> bool:
    return _HEX.fullmatch(value) is not None


def check_signature(value: str, cvm: str) -> None:
    """A signature belongs to ``cvm == "signature"`` and is a PNG data URL ≤ 4000 chars."""
    if cvm != "signature":
        if value:
            raise _invalid("signature", "only with cvm signature", "только при подписи")
        return
    if not value:
        raise _invalid("signature", "missing", "нет подписи")
    if len(value) > MAX_SIGNATURE_CHARS:
        raise _invalid(
            "signature",
            f"{len(value)} characters, at most {MAX_SIGNATURE_CHARS}",
            f"{len(value)} символов, не больше {MAX_SIGNATURE_CHARS}",
        )
    if not value.startswith(SIGNATURE_PREFIX):
        raise _invalid("signature", f"must start with {SIGNATURE_PREFIX}", "не PNG")
    try:
        png = base64.b64decode(value[len(SIGNATURE_PREFIX) :], validate=True)
    except (binascii.Error, ValueError):
        raise _invalid("signature", "not Base64", "не Base64") from None
    if not png.startswith(b"\x89PNG\r\n\x1a\n"):
        raise _invalid("signature", "not a PNG image", "не изображение PNG")


def check_card_authorization(auth: CardAuthorization) -> None:
    """Raise ``CardRequestInvalid`` naming the first field that cannot be sent."""
    if auth.amount <= Decimal(0):
        raise _invalid("amount", "must be above zero", "должна быть больше нуля")
    if not KEY_ID.fullmatch(auth.attempt_id):
        raise _invalid("attempt_id", "1-64 of A-Z a-z 0-9 _ . : -", "неверный формат")
    if auth.entry_mode not in ENTRY_MODES:
        raise _invalid("entry_mode", f"one of {', '.join(ENTRY_MODES)}", "неизвестный способ")
    if auth.cvm not in CVMS:
        raise _invalid("cvm", f"one of {', '.join(CVMS)}", "неизвестный способ проверки")
    if not is_masked_pan(auth.masked_pan):
        raise _invalid("masked_pan", "must look like 220220******1234", "не маскирован")
    if not PAYMENT_SYSTEM.fullmatch(auth.payment_system):
        raise _invalid("payment_system", "MIR, VISA, MASTERCARD, …", "неизвестная система")
    if not KEY_ID.fullmatch(auth.key_id):
        raise _invalid("key_id", "1-64 of A-Z a-z 0-9 _ . : -", "нет ключа")
    if not auth.card_data or len(auth.card_data) > MAX_CARD_DATA_CHARS:
        raise _invalid("card_data", "missing or too long", "нет данных")
    try:
        base64.b64decode(auth.card_data, validate=True)
    except (binascii.Error, ValueError):
        raise _invalid("card_data", "not Base64", "не Base64") from None
    chip_data = auth.entry_mode != "magstripe"
    if not is_hex(auth.emv_tlv) or len(auth.emv_tlv) > 2 * MAX_EMV_TLV_BYTES:
        raise _invalid("emv_tlv", "hex of at most 1024 bytes", "не hex")
    if chip_data and not auth.emv_tlv:
        raise _invalid("emv_tlv", "required for chip and contactless", "нет данных EMV")
    if (chip_data or auth.aid) and not AID_HEX.fullmatch(auth.aid):
        raise _invalid("aid", "5-16 bytes, upper-case hex", "неверный AID")
    if not _LABEL.fullmatch(auth.application_label):
        raise _invalid("application_label", "up to 32 printable ASCII characters", "неверно")
    check_signature(auth.signature, auth.cvm)


_ENTRY_MODE_NAMES = {1: "nfc", 2: "chip", 3: "magstripe"}
_CVM_NAMES = {0: "none", 1: "pin", 2: "signature"}


def entry_mode_name(mode: int) -> str:
    """``EntryMode`` of the reader → the request's ``entry_mode``."""
    return _ENTRY_MODE_NAMES[int(mode)]


def cvm_name(cvm: int) -> str:
    """``Cvm`` of the reader → the request's ``cvm``."""
    return _CVM_NAMES[int(cvm)]


def card_authorization_from_reader(
    order_number: str,
    attempt_id: str,
    amount: Decimal,
    card: CardRead,
    cvm: Cvm,
    request: AuthorizationRequest,
    *,
    signature: str = "",
    email: str = "",
    phone: str = "",
) -> CardAuthorization:
    """The gateway request from the reader's ``CardRead``, the CVM and its
    ``AuthorizationRequest`` (checked: ``CardRequestInvalid`` if it cannot be sent)."""
    from desktop_pos.services.gateway.results import CardAuthorization

    auth = CardAuthorization(
        order_number=order_number,
        attempt_id=attempt_id,
        amount=amount,
        entry_mode=entry_mode_name(card.entry_mode),
        masked_pan=card.masked_pan,
        payment_system=card.brand.strip().upper(),
        card_data=base64.b64encode(request.card_data).decode("ascii"),
        cvm=cvm_name(cvm),
        email=email,
        phone=phone,
        emv_tlv=request.emv_tlv.hex().upper(),
        key_id=request.key_id,
        aid=card.aid.hex().upper(),
        application_label=card.application_label,
        signature=signature,
    )
    check_card_authorization(auth)
    return auth
