"""Texts about a payment that both the store and checkout show, in Russian and English.

Kept apart from ``store`` so that checkout (imported on the GUI thread at start-up) can use them
without importing SQLAlchemy.
"""

from __future__ import annotations

from desktop_pos.models.errors import PaymentError
from desktop_pos.models.payment import OrderState
from desktop_pos.models.texts import LocalizedText

ALREADY_PAID = LocalizedText(
    "Заказ № {number} уже оплачен. Повторная оплата не требуется.",
    "Order {number} has already been paid; no second payment is needed.",
)
STILL_PROCESSING = LocalizedText(
    "Платеж по заказу № {number} еще обрабатывается. Дождитесь его результата, "
    "прежде чем принимать оплату снова.",
    "The payment for order {number} is still being processed; wait for its result "
    "before taking a payment again.",
)
CASH_OFFLINE_INFO = LocalizedText(
    "Оплата наличными сохранена. Данные для фискализации будут переданы в Ассист "
    "при подключении к сети.",
    "Cash payment saved. The fiscal data will be sent to Assist when the network is available.",
)
CASH_ONLINE_INFO = LocalizedText(
    "Оплата наличными сохранена и передается в Ассист для фискализации; чек придет "
    "покупателю по электронной почте.",
    "Cash payment saved and being sent to Assist for fiscalization; the buyer gets the receipt "
    "by e-mail.",
)
CASH_NO_CONNECTION_INFO = LocalizedText(
    "Нет связи с сервером Ассист: оплата наличными принята офлайн и сохранена. Данные для "
    "фискализации будут переданы в Ассист автоматически, когда связь восстановится.",
    "No connection to the Assist server: the cash payment was taken offline and saved. The "
    "fiscal data will be sent to Assist automatically when the connection is back.",
)
CASH_NOT_CHECKED_INFO = LocalizedText(
    "Сервер Ассист не подтвердил статус заказа ({reason}); оплата наличными принята офлайн и "
    "сохранена и будет передана в Ассист автоматически.",
    "The Assist server did not confirm the order status ({reason}); the cash payment was taken "
    "offline and saved and will be sent to Assist automatically.",
)


def payment_refused(number: str, state: OrderState) -> PaymentError:
    """The refusal of a new payment for an order that is paid or whose payment is in process."""
    text = STILL_PROCESSING if state is OrderState.IN_PROCESS else ALREADY_PAID
    return PaymentError(text.format(number=number))
