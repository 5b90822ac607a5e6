"""What a finished payment attempt looks like to the result screen and to callers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from desktop_pos.models.payment import FiscalState, OrderState, PaymentMethod
from desktop_pos.models.texts import LocalizedText


@dataclass(frozen=True, slots=True)
class PaymentResult:
    order_number: str
    method: PaymentMethod
    state: OrderState
    total: Decimal
    prepaid: Decimal
    amount: Decimal
    """The amount paid in this attempt (the order's due amount)."""
    order_date: datetime
    """Дата заказа: when the order was paid (timezone-aware)."""
    transaction_number: str
    received: Decimal | None = None
    change: Decimal | None = None
    response_code: str | None = None
    fiscal_state: FiscalState = FiscalState.NEW
    info: LocalizedText | None = None
