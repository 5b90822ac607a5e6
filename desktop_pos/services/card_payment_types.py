"""The card payment's vocabulary: what it asks of the screen (``CardPaymentUi``), how it ends
(``CardPaymentOutcome``), the texts of its end states, and where its time went (``FlowTiming``).

``card_payment`` re-exports all of it; the Qt flow and the tests import from there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from desktop_pos.hardware.reader.messages import (
    CardApplication,
    CardRead,
    CvmResult,
    DisplayText,
)
from desktop_pos.models.order import Order
from desktop_pos.models.payment import FiscalState, OrderState, PaymentMethod
from desktop_pos.models.result import PaymentResult
from desktop_pos.models.texts import LocalizedText
from desktop_pos.services.store_card import CardAttempt, CardSlipData, StoredCardPayment

CURRENCY_RUB = "643"
PIN_ERROR_CODES = frozenset({"AS106"})
"""Assist codes of a wrong PIN (ISO 55)."""

NO_GATEWAY = LocalizedText(
    "Оплата картой требует связи с сервером Ассист: сервер не настроен.",
    "Card payments need the Assist server: no server is configured.",
)
GATEWAY_UNREACHABLE = LocalizedText(
    "Нет связи с сервером Ассист: оплату картой сейчас провести нельзя. Проверьте подключение "
    "к сети или выберите другой способ оплаты.",
    "No connection to the Assist server: a card payment cannot be taken now. Check the network "
    "connection or choose another payment method.",
)
SIGNATURE_REFUSED = LocalizedText(
    "Покупатель не подписал чек: оплата отменена. Заказ не оплачен.",
    "The buyer did not sign: the payment was cancelled. The order is not paid.",
)
APPLICATION_NOT_CHOSEN = LocalizedText(
    "Платёжная система не выбрана: оплата отменена. Заказ не оплачен.",
    "No payment system was chosen: the payment was cancelled. The order is not paid.",
)
READER_LOST = LocalizedText(
    "Связь с картридером потеряна до авторизации: оплата отменена, деньги не списаны. "
    "Заказ не оплачен.",
    "The link to the card reader was lost before the authorization: the payment was cancelled "
    "and nothing was charged. The order is not paid.",
)
READER_LOST_AFTER_REQUEST = LocalizedText(
    "Связь с картридером потеряна после запроса авторизации. Результат платежа уточняется.",
    "The link to the card reader was lost after the authorization request. The payment result "
    "is being checked.",
)
RESULT_BEING_CHECKED = LocalizedText(
    "Нет ответа от процессинга. Результат платежа уточняется.",
    "No answer from the processing. The payment result is being checked.",
)
APPROVAL_CANCELLED = LocalizedText(
    "Карта не подтвердила операцию: списание отменено. Заказ не оплачен.",
    "The card did not confirm the transaction: the charge was cancelled. The order is not paid.",
)
READER_FAULT = LocalizedText(
    "Картридер не смог провести операцию ({detail}). Заказ не оплачен.",
    "The card reader could not run the transaction ({detail}). The order is not paid.",
)


class CardPaymentUi(Protocol):
    """What a card payment asks of the screen (the Qt flow implements it; tests do too).

    The awaited dialogs are cancelled (``CancelledError`` inside them) when ``cancel`` is called
    or the reader ends the transaction while they are open: they must close themselves then.
    """

    def reader_text(self, message: DisplayText) -> None: ...

    def card_read(self, card: CardRead) -> None: ...

    def cvm_chosen(self, result: CvmResult) -> None:
        """The card's verification method (PIN on the reader, signature, none), as soon as the
        reader has chosen it: before the signature is asked for and before the result."""
        ...

    async def choose_application(
        self, apps: Sequence[CardApplication]
    ) -> CardApplication | None: ...

    async def collect_signature(self) -> str | None:
        """``data:image/png;base64,…`` of at most 4000 characters; None = ✗ (cancel)."""
        ...

    def authorizing(self) -> None: ...

    def low_battery(self, level: int) -> None: ...


@dataclass(frozen=True)
class CardPaymentOutcome:
    """How a card payment ended (for the result screen and the slip)."""

    state: OrderState
    attempt_id: str
    """The authorized attempt ("" when the payment ended before its authorization was asked:
    that end is stored as a Canceled attempt of its own, ``Store.record_card_cancelled``, with
    no slip to print)."""
    order: Order
    result: PaymentResult | None
    """For the result screen (Approved, Declined, In Process …); None when the payment ended
    before its authorization."""
    reason: LocalizedText | None
    """Why it is not Approved: the response code's text, or cancel / removed / lost texts."""
    response_code: str
    slip: CardSlipData | None
    """What the reader said about the card (None when no card was read)."""
    retry_allowed: bool
    """«Повторить оплату»: a new attempt of the same order may start now."""
    pin_error: bool
    """A wrong PIN (tries exceeded on the card, or declined for the PIN by the issuer)."""
    payment: StoredCardPayment | None = None
    """The stored attempt with the slip's data (RRN, auth code, TVR, TSI, signature)."""
    low_battery: bool = False
    billnumber: str | None = None

    @property
    def paid(self) -> bool:
        return self.state is OrderState.APPROVED


@dataclass(frozen=True, slots=True)
class FlowTiming:
    """Where the time of the last payment went, from ``CardRead`` to the outcome (seconds)."""

    card_read_to_outcome_s: float = 0.0
    gateway_s: float = 0.0
    reader_s: float = 0.0
    """Awaiting the reader (its messages and acknowledgements)."""
    ui_s: float = 0.0
    """Awaiting the cashier or the buyer (signature, application choice)."""

    @property
    def app_overhead_s(self) -> float:
        return max(0.0, self.card_read_to_outcome_s - self.gateway_s - self.reader_s - self.ui_s)


def card_payment_result(
    attempt: CardAttempt, order: Order, state: OrderState, response_code: str | None
) -> PaymentResult:
    """The result screen's data for a card attempt in ``state``."""
    return PaymentResult(
        order_number=attempt.order_number,
        method=PaymentMethod.CARD_READER,
        state=state,
        total=order.total,
        prepaid=order.prepaid,
        amount=attempt.amount,
        order_date=attempt.created_at,
        transaction_number=attempt.transaction_number,
        response_code=response_code,
        fiscal_state=(FiscalState.NEW if state is OrderState.APPROVED else FiscalState.NOT_NEEDED),
    )
