"""The result of an order handed over by the merchant's system, as JSON for that system.

Built from what the store holds (``Store.load_details``), so it is the same whether it is
fetched at once (``GET /api/v1/orders/{ordernum}``), sent to the callback URL or printed by
``desktop-pos pay``, and it grows the fiscal data once the sync worker has them. The fields are
listed in docs/integration-api.md.

``status`` says where the order is at this till: ``queued`` (waiting for the cashier),
``on_screen`` (shown, not paid yet), ``paid``, ``in_process`` (a payment whose outcome is not known
yet), ``not_paid`` (the last payment failed) or ``returned`` (the cashier handed the order back
unpaid). ``state`` is the stored Assist state of the order (``Approved``, ``Offline``, ...).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from desktop_pos.models.money import format_amount
from desktop_pos.models.payment import OrderState
from desktop_pos.models.response_codes import lookup_response_code
from desktop_pos.services.store_records import OrderDetails, ReceiptDetails


class PosStatus(StrEnum):
    QUEUED = "queued"
    ON_SCREEN = "on_screen"
    PAID = "paid"
    IN_PROCESS = "in_process"
    NOT_PAID = "not_paid"
    RETURNED = "returned"

    @property
    def is_final(self) -> bool:
        """The till is done with the order: the merchant's system gets the result now."""
        return self in (PosStatus.PAID, PosStatus.NOT_PAID, PosStatus.RETURNED)


@dataclass(frozen=True, slots=True)
class OrderOutcome:
    """A result JSON and the status it carries."""

    status: PosStatus
    data: dict[str, object]


def status_of(state: OrderState) -> PosStatus:
    """The till's status of a stored order state."""
    if state.is_paid or state is OrderState.PARTIAL_CANCELED:
        return PosStatus.PAID
    if state in (OrderState.NEW, OrderState.IN_PROCESS):
        return PosStatus.IN_PROCESS
    return PosStatus.NOT_PAID


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat(timespec="seconds")


def _amount(value: object) -> str | None:
    from decimal import Decimal

    return format_amount(value) if isinstance(value, Decimal) else None


def _fiscal(receipt: ReceiptDetails | None) -> dict[str, object] | None:
    if receipt is None:
        return None
    return {
        "state": receipt.fiscal_state.value,
        "fn": receipt.fn,
        "fd": receipt.fd,
        "fp": receipt.fp,
        "receipt_number": receipt.receipt_number,
        "shift_number": receipt.shift_number,
        "kkt_reg_number": receipt.kkt_reg_number,
        "datetime": _iso(receipt.fiscal_datetime),
        "qr": receipt.qr_string,
        "error": receipt.error_text,
    }


def waiting_result(number: str, status: PosStatus) -> OrderOutcome:
    """An order the till has but no payment was tried for (``queued``, ``on_screen``,
    ``returned``)."""
    return OrderOutcome(
        status,
        {"ordernum": number, "status": status.value, "paid": False, "state": None},
    )


def stored_result(details: OrderDetails, *, returned: bool = False) -> OrderOutcome:
    """The result of the order's newest payment attempt (``returned``: the cashier handed the
    order back after that attempt failed or never started)."""
    order = details.order
    attempt = details.attempts[-1] if details.attempts else None
    status = status_of(details.state) if attempt is not None else PosStatus.ON_SCREEN
    if returned and status in (PosStatus.ON_SCREEN, PosStatus.NOT_PAID):
        status = PosStatus.RETURNED
    code = attempt.response_code if attempt is not None else None
    response_text = None
    if code:
        try:
            response_text = lookup_response_code(code).text.en
        except ValueError:
            response_text = None
    data: dict[str, object] = {
        "ordernum": order.number,
        "status": status.value,
        "paid": status is PosStatus.PAID,
        "state": details.state.value,
        "method": None if details.method is None else details.method.value,
        "amount": format_amount(order.total),
        "amount_prepaid": format_amount(order.prepaid),
        "amount_paid": _amount(attempt.amount) if attempt is not None else None,
        "currency": "RUB",
        "received": _amount(attempt.received) if attempt is not None else None,
        "change": _amount(attempt.change) if attempt is not None else None,
        "billnumber": (attempt.billnumber if attempt is not None else None) or details.billnumber,
        "transaction_number": attempt.transaction_number if attempt is not None else None,
        "response_code": code,
        "response_text": response_text,
        "order_date": _iso(details.paid_at or (attempt.created_at if attempt else None)),
        "fiscal": _fiscal(details.receipt_of(attempt.attempt_id) if attempt else None),
    }
    return OrderOutcome(status, data)
