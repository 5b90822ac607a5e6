"""Errors of the gateway exchange, each with a text the cashier can read.

* ``GatewayUnavailable``: no answer (connection refused or reset, timeout, HTTP 5xx). The outcome
  of the call is unknown: ask ``order_state`` or repeat the call later with the same idempotency
  key.
* ``GatewayRejected``: the gateway answered with an error (``firstcode`` other than 0). ``code``
  is ``"<firstcode>.<secondcode>"``; the known codes are listed in ``RejectCode``.
* ``GatewayProtocolError``: the reply could not be read (broken XML or JSON, an unknown state, a
  missing field); the message names the endpoint and what was wrong.
"""

from __future__ import annotations

from enum import StrEnum

from desktop_pos.models.errors import UserFacingError
from desktop_pos.models.texts import LocalizedText

UNAVAILABLE_TEXT = LocalizedText(
    "Нет связи с сервером Ассист. Проверьте подключение к сети: операция будет завершена, "
    "когда связь восстановится.",
    "No connection to the Assist server. Check the network connection: the operation will be "
    "completed when the connection is restored.",
)


class RejectCode(StrEnum):
    """Error codes of the gateway replies (``firstcode.secondcode``), see docs/gateway-api.md."""

    MISSING_FIELD = "1.1"
    INVALID_FIELD = "1.2"
    UNKNOWN_FORMAT = "1.3"
    WRONG_CREDENTIALS = "2.1"
    ALREADY_PAID = "3.1"
    PAYMENT_IN_PROCESS = "3.2"
    NOT_FOUND = "3.3"
    CANCEL_NOT_ALLOWED = "3.4"
    CANCEL_AMOUNT_TOO_LARGE = "3.5"
    FISCALIZE_NOT_ALLOWED = "3.6"
    ATTEMPT_DATA_MISMATCH = "3.7"
    SYSTEM_ERROR = "9.1"


_REJECT_TEXTS: dict[str, LocalizedText] = {
    RejectCode.WRONG_CREDENTIALS: LocalizedText(
        "Сервер Ассист не принял логин или пароль магазина. Проверьте настройки шлюза "
        "(Merchant_ID, логин) и пароль.",
        "The Assist server did not accept the shop's login or password. Check the gateway "
        "settings (Merchant_ID, login) and the password.",
    ),
    RejectCode.ALREADY_PAID: LocalizedText(
        "Заказ уже оплачен другой операцией; повторная оплата не требуется.",
        "The order has already been paid by another operation; no second payment is needed.",
    ),
    RejectCode.PAYMENT_IN_PROCESS: LocalizedText(
        "Платеж по заказу еще обрабатывается. Дождитесь его результата.",
        "A payment for the order is still being processed. Wait for its result.",
    ),
    RejectCode.NOT_FOUND: LocalizedText(
        "Сервер Ассист не нашел такую операцию.",
        "The Assist server has no such operation.",
    ),
    RejectCode.CANCEL_NOT_ALLOWED: LocalizedText(
        "Эту операцию нельзя отменить в ее текущем состоянии.",
        "This operation cannot be canceled in its current state.",
    ),
    RejectCode.CANCEL_AMOUNT_TOO_LARGE: LocalizedText(
        "Сумма отмены больше суммы, которую еще можно вернуть.",
        "The cancel amount exceeds the amount that can still be returned.",
    ),
    RejectCode.FISCALIZE_NOT_ALLOWED: LocalizedText(
        "Чек по этой операции сейчас сформировать нельзя.",
        "A receipt for this operation cannot be made now.",
    ),
}


class GatewayError(UserFacingError):
    """Base of every gateway failure."""


class GatewayUnavailable(GatewayError):
    """No answer from the gateway: the outcome of the call is unknown."""

    def __init__(self, detail: str) -> None:
        super().__init__(UNAVAILABLE_TEXT)
        self.detail = detail
        """What went wrong technically (for the log; never contains a password)."""

    def __str__(self) -> str:
        return f"{self.text.en} ({self.detail})"


class GatewayRejected(GatewayError):
    """The gateway answered with an error; ``code`` is ``"<firstcode>.<secondcode>"``."""

    def __init__(self, code: str, message: str, *, endpoint: str) -> None:
        known = _REJECT_TEXTS.get(code)
        if known is None:
            detail = f" ({message})" if message else ""
            known = LocalizedText(
                "Сервер Ассист отклонил запрос {endpoint}: код {code}{detail}.",
                "The Assist server rejected the {endpoint} request: code {code}{detail}.",
            ).format(endpoint=endpoint, code=code, detail=detail)
        super().__init__(known)
        self.code = code
        self.message = message
        self.endpoint = endpoint


class GatewayProtocolError(GatewayError):
    """The gateway's reply could not be read; ``problem`` says what was wrong."""

    def __init__(self, endpoint: str, problem: str) -> None:
        super().__init__(
            LocalizedText(
                "Непонятный ответ сервера Ассист ({endpoint}): {problem}. Повторите позже; "
                "если ошибка повторяется, сообщите в поддержку.",
                "Unreadable reply from the Assist server ({endpoint}): {problem}. Try again "
                "later; if it persists, contact support.",
            ).format(endpoint=endpoint, problem=problem)
        )
        self.endpoint = endpoint
        self.problem = problem
