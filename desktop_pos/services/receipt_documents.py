"""Printable documents from what the store holds about an order (``Store.load_details``).

* ``fiscal_receipt`` — the КАССОВЫЙ ЧЕК of the paid attempt, once its fiscal data arrived
  (receipt ``Success``); ``refund=True`` gives the ВОЗВРАТ ПРИХОДА receipt (kind ``sell_refund``);
* ``offline_slip`` — the non-fiscal slip of a cash sale (taken offline, or not yet fiscalized);
* ``documents_for`` — what "Печать чека" prints for an order: the fiscal receipt if there is one,
  else the offline slip of a cash sale, then the refund receipt if the order was refunded;
* ``card_slip`` — the card terminal's slip of a stored card attempt (``Store.card_payment``):
  approved or declined, with the data the reader and the gateway gave (AID, TVR, TSI, masked
  PAN, RRN, authorization and response codes), how the cardholder was verified and the
  signature taken on the screen. A stored signature that is not a usable PNG is left off with a
  warning in the log: the slip still prints, with room for a handwritten signature.

Dates are printed in the computer's local time zone (``tz`` overrides it). An order that cannot
have a document yet raises ``ReceiptNotReady``; stored data that do not make a valid document
raise ``ReceiptDataError`` naming the order — both ``UserFacingError``s the cashier can read.
"""

from __future__ import annotations

import base64
import binascii
import logging
from dataclasses import replace
from datetime import datetime, tzinfo

from desktop_pos.models.money import ZERO
from desktop_pos.models.payment import FiscalState, OrderState, PaymentMethod
from desktop_pos.models.png_info import png_size
from desktop_pos.models.receipt import (
    CardholderVerification,
    CardSlipDoc,
    FiscalData,
    FiscalReceiptDoc,
    MerchantRequisites,
    OfflineSlipDoc,
    Operation,
    ReceiptDataError,
    ReceiptNotReady,
    fns_qr_string,
)
from desktop_pos.models.texts import LocalizedText
from desktop_pos.services.gateway.card_fields import MAX_SIGNATURE_CHARS, SIGNATURE_PREFIX
from desktop_pos.services.store_card import StoredCardPayment
from desktop_pos.services.store_records import AttemptDetails, OrderDetails, ReceiptDetails

log = logging.getLogger(__name__)

SELL = "sell"
SELL_REFUND = "sell_refund"

_SETTLED = (
    OrderState.APPROVED,
    OrderState.OFFLINE,
    OrderState.CANCELED,
    OrderState.PARTIAL_CANCELED,
)
"""Attempt states in which the buyer paid (a cancelled attempt was paid, then refunded)."""

SaleDocument = FiscalReceiptDoc | OfflineSlipDoc

_QR_PENDING = "-"
"""Stands in for a QR string not stored yet, until it is built from the validated fields."""


def _local(value: datetime, tz: tzinfo | None) -> datetime:
    return value.astimezone(tz)


def _not_ready(number: str, ru: str, en: str) -> ReceiptNotReady:
    return ReceiptNotReady(
        LocalizedText(f"Заказ № {number}: {ru}", f"Order {number}: {en}"), field="receipt"
    )


def _wrap_data_error(number: str, error: ReceiptDataError) -> ReceiptDataError:
    return ReceiptDataError(
        LocalizedText(
            f"Заказ № {number}: чек нельзя напечатать, сохранённые данные неверны. {error.text.ru}",
            f"Order {number}: the receipt cannot be printed, the stored data are wrong. "
            f"{error.text.en}",
        ),
        field=error.field,
    )


def paid_attempt(details: OrderDetails) -> AttemptDetails:
    """The newest attempt the buyer paid (``ReceiptNotReady`` if there is none)."""
    for attempt in reversed(details.attempts):
        if attempt.state in _SETTLED:
            return attempt
    raise _not_ready(
        details.order.number,
        "заказ не оплачен, печатать нечего.",
        "the order is not paid, there is nothing to print.",
    )


def _fiscal_data(
    details: OrderDetails, receipt: ReceiptDetails, operation: Operation, tz: tzinfo | None
) -> FiscalData:
    number = details.order.number
    missing = [
        name
        for name in (
            "fn",
            "fd",
            "fp",
            "shift_number",
            "receipt_number",
            "kkt_reg_number",
            "fiscal_datetime",
        )
        if getattr(receipt, name) is None
    ]
    if missing:
        raise _wrap_data_error(
            number,
            ReceiptDataError(
                LocalizedText(
                    "Нет фискальных данных: " + ", ".join(missing) + ".",
                    "Fiscal data missing: " + ", ".join(missing) + ".",
                ),
                field=missing[0],
            ),
        )
    assert receipt.fn is not None and receipt.fd is not None and receipt.fp is not None
    assert receipt.shift_number is not None and receipt.receipt_number is not None
    assert receipt.kkt_reg_number is not None and receipt.fiscal_datetime is not None
    when = _local(receipt.fiscal_datetime, tz)
    try:
        data = FiscalData(
            fn=receipt.fn,
            fd=receipt.fd,
            fp=receipt.fp,
            shift_number=receipt.shift_number,
            receipt_number=receipt.receipt_number,
            kkt_reg_number=receipt.kkt_reg_number,
            fiscal_datetime=when,
            qr_string=receipt.qr_string or _QR_PENDING,
        )
        if receipt.qr_string:
            return data
        qr = fns_qr_string(when, details.order.total, data.fn, data.fd, data.fp, operation)
        return replace(data, qr_string=qr)
    except ReceiptDataError as exc:
        raise _wrap_data_error(number, exc) from None


def fiscal_receipt(
    details: OrderDetails,
    merchant: MerchantRequisites,
    *,
    copy: bool = False,
    refund: bool = False,
    tz: tzinfo | None = None,
) -> FiscalReceiptDoc:
    """The fiscal receipt (``refund``: the refund receipt) of the order's paid attempt.

    Raises ``ReceiptNotReady`` until the gateway reported the receipt ``Success``.
    """
    number = details.order.number
    attempt = paid_attempt(details)
    kind = SELL_REFUND if refund else SELL
    operation = Operation.REFUND if refund else Operation.SALE
    receipt = details.receipt_of(attempt.attempt_id, kind)
    if receipt is None or receipt.fiscal_state is not FiscalState.SUCCESS:
        what_ru = "чек возврата" if refund else "кассовый чек"
        what_en = "refund receipt" if refund else "fiscal receipt"
        state = "нет" if receipt is None else receipt.fiscal_state.value
        raise _not_ready(
            number,
            f"{what_ru} ещё не сформирован (состояние: {state}). Он будет доступен, когда "
            "Ассист пришлёт фискальные данные.",
            f"the {what_en} is not made yet (state: "
            f"{'none' if receipt is None else receipt.fiscal_state.value}). It will be "
            "available once Assist sends the fiscal data.",
        )
    fiscal = _fiscal_data(details, receipt, operation, tz)
    order = details.order
    cash = attempt.method is PaymentMethod.CASH
    try:
        return FiscalReceiptDoc(
            operation=operation,
            items=order.items,
            cash=cash,
            paid=attempt.amount,
            prepaid=order.prepaid,
            received=None if refund else attempt.received,
            change=None if refund or not cash else (attempt.change or ZERO),
            merchant=merchant,
            fiscal=fiscal,
            buyer_email=order.email,
            buyer_phone=order.phone,
            order_number=number,
            copy=copy,
        )
    except ReceiptDataError as exc:
        raise _wrap_data_error(number, exc) from None


def offline_slip(
    details: OrderDetails,
    merchant: MerchantRequisites,
    *,
    copy: bool = False,
    tz: tzinfo | None = None,
) -> OfflineSlipDoc:
    """The non-fiscal slip of the order's cash sale (``ReceiptNotReady`` if it has none)."""
    number = details.order.number
    attempt = paid_attempt(details)
    if attempt.method is not PaymentMethod.CASH:
        raise _not_ready(
            number,
            "заказ оплачен не наличными: слип без фискальных данных печатается только для "
            "наличных.",
            "the order was not paid in cash: a slip without fiscal data is for cash sales only.",
        )
    received = attempt.received if attempt.received is not None else attempt.amount
    change = attempt.change if attempt.change is not None else received - attempt.amount
    paid_at = details.paid_at or attempt.created_at
    try:
        return OfflineSlipDoc(
            order_number=number,
            items=details.order.items,
            paid=attempt.amount,
            received=received,
            change=change,
            paid_at=_local(paid_at, tz),
            cashier=merchant.cashier,
            merchant_name=merchant.legal_name,
            address=merchant.address,
            prepaid=details.order.prepaid,
            buyer_email=details.order.email,
            copy=copy,
        )
    except ReceiptDataError as exc:
        raise _wrap_data_error(number, exc) from None


def documents_for(
    details: OrderDetails,
    merchant: MerchantRequisites,
    *,
    copy: bool = False,
    tz: tzinfo | None = None,
) -> tuple[SaleDocument, ...]:
    """What to print for the order, in order: the sale's document, then a refund receipt.

    The sale's document is its fiscal receipt when fiscalized, else (a cash sale) the offline
    slip; a card or SBP sale awaiting its fiscal data raises ``ReceiptNotReady``.
    """
    attempt = paid_attempt(details)
    sale = details.receipt_of(attempt.attempt_id, SELL)
    documents: list[SaleDocument] = []
    fiscalized = sale is not None and sale.fiscal_state is FiscalState.SUCCESS
    if fiscalized or attempt.method is not PaymentMethod.CASH:
        documents.append(fiscal_receipt(details, merchant, copy=copy, tz=tz))
    else:
        documents.append(offline_slip(details, merchant, copy=copy, tz=tz))
    refund = details.receipt_of(attempt.attempt_id, SELL_REFUND)
    if refund is not None and refund.fiscal_state is FiscalState.SUCCESS:
        documents.append(fiscal_receipt(details, merchant, copy=copy, refund=True, tz=tz))
    return tuple(documents)


_CARD_TYPE = {"MIR": "МИР", "MASTERCARD": "MasterCard", "MAESTRO": "Maestro", "VISA": "VISA"}
"""Карта: on the slip, as the payment systems write their names."""
_SLIP_APPROVED = (OrderState.APPROVED, OrderState.CANCELED, OrderState.PARTIAL_CANCELED)
_SLIP_DECLINED = (OrderState.DECLINED, OrderState.TIMEOUT)
_VERIFICATION = {v.value: v for v in CardholderVerification}
"""The stored ``cvm`` ("pin", "signature", "none"); "" (not chosen) or another value: unknown."""


def _decoded_signature(value: str) -> bytes:
    """The PNG of a stored signature data URL; ``ValueError`` says why it cannot be printed."""
    if not value:
        raise ValueError("no signature is stored")
    if len(value) > MAX_SIGNATURE_CHARS:
        raise ValueError(f"{len(value)} characters, at most {MAX_SIGNATURE_CHARS}")
    if not value.startswith(SIGNATURE_PREFIX):
        raise ValueError(f"it does not start with {SIGNATURE_PREFIX}")
    try:
        png = base64.b64decode(value[len(SIGNATURE_PREFIX) :], validate=True)
    except binascii.Error:
        raise ValueError("not Base64") from None
    png_size(png)
    return png


def signature_png(card: StoredCardPayment) -> bytes:
    """The PNG of the signature stored with a card attempt, for its slip.

    Empty when the attempt was not verified by signature, or (with a warning in the log) when the
    stored value is not a readable PNG data URL of at most 4000 characters: the slip is printed
    anyway, with room for the buyer to sign by hand.
    """
    if card.cvm != CardholderVerification.SIGNATURE.value:
        return b""
    try:
        return _decoded_signature(card.signature or "")
    except ValueError as exc:
        log.warning(
            "Card slip of order %s (attempt %s): the signature is not printed (%s); the slip "
            "has room for a handwritten signature instead",
            card.order_number,
            card.attempt_id,
            exc,
        )
        return b""


def card_slip(
    card: StoredCardPayment,
    merchant: MerchantRequisites,
    *,
    copy: bool = False,
    tz: tzinfo | None = None,
) -> CardSlipDoc:
    """The slip of a stored card attempt: ОПЛАЧЕН when it was approved (a later refund does not
    change what the slip of the payment said), ОТКЛОНЕН when declined. An attempt without a final
    answer has no slip yet, and one cancelled before the bank was asked has none at all
    (``ReceiptNotReady``)."""
    number = card.order_number
    if card.state not in (*_SLIP_APPROVED, *_SLIP_DECLINED):
        raise _not_ready(
            number,
            "по оплате картой ещё нет ответа банка, слип будет доступен после него.",
            "the card payment has no answer from the bank yet; its slip comes after it.",
        )
    if card.state in _SLIP_APPROVED and card.billnumber is None:
        raise _not_ready(
            number,
            "оплата картой прервана до запроса в банк, слипа по ней нет.",
            "the card payment ended before the bank was asked; it has no slip.",
        )
    try:
        return CardSlipDoc(
            merchant_name=merchant.legal_name,
            terminal_id=card.terminal_id or "-",
            order_number=number,
            approved=card.state in _SLIP_APPROVED,
            amount=card.amount,
            paid_at=_local(card.created_at, tz),
            aid=card.aid,
            application_label=card.application_label,
            tvr=card.tvr or "",
            tsi=card.tsi or "",
            card_type=_CARD_TYPE.get(card.brand, card.brand),
            pan=card.masked_pan,
            cardholder=card.cardholder,
            rrn=card.rrn or "",
            auth_code=card.auth_code or "",
            response_code=card.issuer_response_code or card.response_code or "",
            verification=_VERIFICATION.get(card.cvm),
            signature_png=signature_png(card),
            copy=copy,
        )
    except ReceiptDataError as exc:
        raise _wrap_data_error(number, exc) from None
