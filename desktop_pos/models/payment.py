"""Payment methods, order/payment states and fiscal states, with Assist's names."""

from __future__ import annotations

from enum import StrEnum

from desktop_pos.models.texts import LocalizedText


class PaymentMethod(StrEnum):
    CASH = "cash"
    CARD_READER = "card_reader"
    SBP = "sbp"
    SOFTPOS = "softpos"

    @property
    def button_text(self) -> LocalizedText:
        """The method as it is offered under "СПОСОБ ОПЛАТЫ"."""
        return _BUTTON[self]

    @property
    def result_text(self) -> LocalizedText:
        """The method as the result screen shows it ("Способ оплаты: НАЛИЧНЫЕ")."""
        return _RESULT[self]


_BUTTON = {
    PaymentMethod.CASH: LocalizedText("Наличные", "Cash"),
    PaymentMethod.CARD_READER: LocalizedText("Картридер", "Card reader"),
    PaymentMethod.SBP: LocalizedText("СБП", "SBP"),
    PaymentMethod.SOFTPOS: LocalizedText("SoftPOS", "SoftPOS"),
}
_RESULT = {
    PaymentMethod.CASH: LocalizedText("НАЛИЧНЫЕ", "CASH"),
    PaymentMethod.CARD_READER: LocalizedText("КАРТА", "CARD"),
    PaymentMethod.SBP: LocalizedText("СБП", "SBP"),
    PaymentMethod.SOFTPOS: LocalizedText("SOFTPOS", "SOFTPOS"),
}


class OrderState(StrEnum):
    """Order and payment-attempt states: Assist's values plus two local ones.

    ``New``: not yet sent anywhere. ``Offline``: paid in cash while the gateway was unreachable or
    not yet told, waiting to be uploaded. Only ``Approved`` (and a stored cash sale, ``Offline``)
    means the buyer has paid.
    """

    NEW = "New"
    OFFLINE = "Offline"
    IN_PROCESS = "In Process"
    APPROVED = "Approved"
    DECLINED = "Declined"
    CANCELED = "Canceled"
    PARTIAL_CANCELED = "PartialCanceled"
    TIMEOUT = "Timeout"

    @property
    def is_final(self) -> bool:
        return self in _FINAL

    @property
    def is_paid(self) -> bool:
        """The buyer's money is taken: Approved, or cash held locally (Offline)."""
        return self in (OrderState.APPROVED, OrderState.OFFLINE)

    @property
    def display(self) -> LocalizedText:
        """The state as the result screen's "Статус заказа" shows it."""
        return _STATE_TEXT[self]


_FINAL = frozenset(
    {
        OrderState.APPROVED,
        OrderState.DECLINED,
        OrderState.CANCELED,
        OrderState.PARTIAL_CANCELED,
        OrderState.TIMEOUT,
    }
)

_STATE_TEXT = {
    OrderState.NEW: LocalizedText("Новый", "New"),
    OrderState.OFFLINE: LocalizedText("Оплачен", "Paid"),
    OrderState.IN_PROCESS: LocalizedText("В процессе", "In process"),
    OrderState.APPROVED: LocalizedText("Оплачен", "Paid"),
    OrderState.DECLINED: LocalizedText("Отклонен", "Declined"),
    OrderState.CANCELED: LocalizedText("Отменен", "Canceled"),
    OrderState.PARTIAL_CANCELED: LocalizedText("Частично отменен", "Partially canceled"),
    OrderState.TIMEOUT: LocalizedText("Истекло время ожидания", "Timed out"),
}

# Transitions a payment attempt may make. Every one is persisted before the next external step.
ALLOWED_TRANSITIONS: dict[OrderState, frozenset[OrderState]] = {
    OrderState.NEW: frozenset(
        {
            OrderState.OFFLINE,
            OrderState.IN_PROCESS,
            OrderState.APPROVED,
            OrderState.DECLINED,
            OrderState.TIMEOUT,
            OrderState.CANCELED,
        }
    ),
    OrderState.OFFLINE: frozenset({OrderState.APPROVED, OrderState.CANCELED}),
    OrderState.IN_PROCESS: frozenset(
        {OrderState.APPROVED, OrderState.DECLINED, OrderState.TIMEOUT, OrderState.CANCELED}
    ),
    OrderState.APPROVED: frozenset({OrderState.CANCELED, OrderState.PARTIAL_CANCELED}),
    OrderState.PARTIAL_CANCELED: frozenset({OrderState.CANCELED, OrderState.PARTIAL_CANCELED}),
    OrderState.DECLINED: frozenset(),
    OrderState.CANCELED: frozenset(),
    OrderState.TIMEOUT: frozenset(),
}


def can_transition(old: OrderState, new: OrderState) -> bool:
    return old == new or new in ALLOWED_TRANSITIONS[old]


class FiscalState(StrEnum):
    """Assist's receipt statuses (fiscalreceipt ``status``)."""

    NEW = "New"
    ERROR = "Error"
    ERROR_RE = "ErrorRe"
    CREATE_ERROR = "CreateError"
    SUCCESS = "Success"
    NOT_NEEDED = "NotNeeded"

    @property
    def is_final(self) -> bool:
        return self in (FiscalState.CREATE_ERROR, FiscalState.SUCCESS, FiscalState.NOT_NEEDED)


TRANSACTION_NUMBER_LENGTH = 16


def new_transaction_number() -> str:
    """A random 16-digit transaction number (no leading zero), as Assist's billnumbers look."""
    import secrets  # here: the module (hashlib, hmac, random) is not needed before a payment

    first = str(secrets.randbelow(9) + 1)
    rest = "".join(str(secrets.randbelow(10)) for _ in range(TRANSACTION_NUMBER_LENGTH - 1))
    return first + rest
