"""Card authorization requests for tests: card data really sealed for the sandbox gateway
(``sandbox/card_data_crypto.py``), bound to the order number and amount as a reader binds it."""

from __future__ import annotations

import base64
import io
from decimal import Decimal

from PIL import Image

from desktop_pos.sandbox.card_data_crypto import (
    SANDBOX_KEY,
    SANDBOX_KEY_ID,
    CardSecrets,
    card_data_aad,
    seal_card_data,
)
from desktop_pos.services.gateway.results import CardAuthorization

MIR_PAN = "2202200000000016"
MIR_AID = "A0000006581010"
EMV_TLV = (
    "9F2608A1B2C3D4E5F60718"  # application cryptogram
    "9F270180"  # cryptogram information data: ARQC
    "9F370412345678"  # unpredictable number
    "9F36020001"  # ATC
    "950500000080" + "00"  # TVR
    "9A03260115"  # date
    "9C0100"  # purchase
    "5F2A020643"  # RUB
)


def masked(pan: str) -> str:
    return pan[:6] + "*" * (len(pan) - 10) + pan[-4:]


def sealed_card_data(
    order_number: str,
    amount: Decimal,
    pan: str = MIR_PAN,
    *,
    key: bytes = SANDBOX_KEY,
    key_id: str = SANDBOX_KEY_ID,
    cardholder: str = "IVANOV/IVAN",
) -> str:
    """Base64 of the blob a reader would send for this order and amount."""
    secrets = CardSecrets(pan, "2812", f"{pan}D2812201{pan[-5:]}00000", cardholder)
    aad = card_data_aad(order_number, int(amount * 100))
    return base64.b64encode(seal_card_data(secrets, key, key_id, aad)).decode("ascii")


def signature_data_url(width: int = 60, height: int = 20) -> str:
    buffer = io.BytesIO()
    Image.new("1", (width, height), 1).save(buffer, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def card_authorization(
    order_number: str,
    amount: str | Decimal,
    attempt_id: str = "c1",
    *,
    pan: str = MIR_PAN,
    entry_mode: str = "chip",
    cvm: str = "pin",
    payment_system: str = "MIR",
    aid: str = MIR_AID,
    card_data: str | None = None,
    signature: str = "",
) -> CardAuthorization:
    value = Decimal(amount)
    return CardAuthorization(
        order_number=order_number,
        attempt_id=attempt_id,
        amount=value,
        entry_mode=entry_mode,
        masked_pan=masked(pan),
        payment_system=payment_system,
        card_data=sealed_card_data(order_number, value, pan) if card_data is None else card_data,
        cvm=cvm,
        emv_tlv="" if entry_mode == "magstripe" else EMV_TLV,
        key_id=SANDBOX_KEY_ID,
        aid="" if entry_mode == "magstripe" else aid,
        application_label=payment_system if entry_mode != "magstripe" else "",
        signature=signature,
    )
