"""What the gateway calls return: plain frozen data, amounts as ``Decimal``, times aware UTC."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from desktop_pos.models.order import OrderItem
from desktop_pos.models.payment import FiscalState, OrderState


@dataclass(frozen=True)
class OperationState:
    """One payment attempt at the gateway (a row of the orderstate reply)."""

    billnumber: str
    order_number: str
    state: OrderState
    response_code: str
    amount: Decimal
    method: str | None
    """``meantypename``: ``Cash``, ``SBP``, ``MIR``, ``VISA``, …"""
    approval_code: str | None
    rrn: str | None
    packet_date: datetime | None
    """When the gateway last changed the operation (aware UTC)."""


@dataclass(frozen=True)
class CashRegistration:
    """A cash sale taken at the counter, to be registered at the gateway."""

    order_number: str
    attempt_id: str
    amount: Decimal
    """Paid now (total − prepaid)."""
    total: Decimal
    prepaid: Decimal
    paid_at: datetime
    email: str
    phone: str
    items: tuple[OrderItem, ...]


@dataclass(frozen=True)
class RegistrationResult:
    billnumber: str
    state: OrderState
    response_code: str
    replayed: bool
    """True: the gateway already had this attempt (an idempotent repeat); no second sale."""


@dataclass(frozen=True)
class FiscalReceipt:
    """A receipt as ``fiscalreceipt`` reports it; the fiscal fields are None until Success."""

    status: FiscalState
    fiscalreceipt_id: str | None
    fn_number: str | None
    fiscal_document_number: str | None
    fiscal_document_attribute: str | None
    shift_number: str | None
    fiscal_receipt_number: str | None
    ecr_registration_number: str | None
    receipt_datetime: datetime | None
    total: Decimal | None
    qr_string: str | None
    """``t=YYYYMMDDTHHMM&s=…&fn=…&i=…&fp=…&n=…`` for the receipt's QR code."""
    errortext: str | None


@dataclass(frozen=True)
class SbpRegistration:
    billnumber: str
    state: OrderState
    qr_payload: str
    """The NSPK link to show as a QR code, exactly as the gateway sent it."""


@dataclass(frozen=True)
class SoftposRegistration:
    billnumber: str
    state: OrderState
    deep_link: str
    """``assist-softpos://pay?...``: shown as a QR code for the cashier's SoftPOS phone."""


@dataclass(frozen=True)
class CardAuthorization:
    """What the card reader hands over for an online authorization (no clear card data).

    ``card_fields.check_card_authorization`` says what each field must look like;
    ``card_fields.card_authorization_from_reader`` builds one from the reader's messages.
    """

    order_number: str
    attempt_id: str
    amount: Decimal
    entry_mode: str
    """``nfc``, ``chip`` or ``magstripe``."""
    masked_pan: str
    """``220220******1234``"""
    payment_system: str
    """``MIR``, ``VISA``, ``MASTERCARD``, ``MAESTRO``, …"""
    card_data: str
    """The reader's encrypted blob (Base64); only the gateway can open it."""
    cvm: str
    """``pin``, ``signature`` or ``none``."""
    email: str = ""
    phone: str = ""
    emv_tlv: str = ""
    """The transaction's EMV data (BER-TLV) as upper-case hex; empty for a magstripe swipe."""
    key_id: str = ""
    """Which gateway key ``card_data`` is sealed for."""
    aid: str = ""
    """The chosen application's AID, upper-case hex (``A0000006581010``)."""
    application_label: str = ""
    """``MIR``, ``Maestro``, ``VISA CREDIT``, … as the card names the application."""
    signature: str = ""
    """``data:image/png;base64,…`` (≤ 4000 characters) when ``cvm`` is ``signature``."""


@dataclass(frozen=True)
class CardResult:
    billnumber: str
    state: OrderState
    response_code: str
    approval_code: str | None
    rrn: str | None
    replayed: bool
    issuer_response_code: str | None = None
    """ISO 8583 code of the issuer: ``00``, ``51``, … (None while In Process)."""
    issuer_data: bytes = b""
    """BER-TLV for the card (91 issuer authentication data, 71/72 scripts); empty if none."""
    cardholder: str = ""
    """As the card names its holder (``IVANOV/IVAN``), for the slip; empty if unknown."""
    payment_system: str | None = None
    """``meantypename``: ``MIR``, ``VISA``, …"""
