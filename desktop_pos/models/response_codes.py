"""Assist response codes (``responsecode``): AS000 is success, AS100…AS998 are failures."""

from __future__ import annotations

import re
from dataclasses import dataclass

from desktop_pos.models.texts import LocalizedText

_CODE_FORMAT = re.compile(r"AS\d{3}")


@dataclass(frozen=True, slots=True)
class ResponseCode:
    code: str
    text: LocalizedText

    @property
    def is_success(self) -> bool:
        return self.code in SUCCESS_CODES

    @property
    def means_wait(self) -> bool:
        """AS300: the authorization is still in progress; ask for the state again later."""
        return self.code == "AS300"

    @property
    def means_retry(self) -> bool:
        """AS200: the processor asks for the authorization to be repeated."""
        return self.code == "AS200"


def _c(code: str, ru: str, en: str) -> tuple[str, ResponseCode]:
    return code, ResponseCode(code, LocalizedText(ru, en))


RESPONSE_CODES: dict[str, ResponseCode] = dict(
    [
        _c("AS000", "Авторизация успешно завершена", "Authorization completed successfully"),
        _c(
            "AS001",
            "Авторизация успешно завершена (с CVC2)",
            "Authorization completed successfully (with CVC2)",
        ),
        _c("AS010", "Предавторизация успешно завершена", "Pre-authorization completed"),
        _c(
            "AS011",
            "Предавторизация успешно завершена (с CVC2)",
            "Pre-authorization completed (with CVC2)",
        ),
        _c("AS020", "Поставторизация успешно завершена", "Post-authorization completed"),
        _c("AS100", "Отказ в авторизации", "Authorization declined"),
        _c("AS101", "Отказ в авторизации: ошибочный номер карты", "Declined: wrong card number"),
        _c("AS102", "Отказ в авторизации: недостаточно средств", "Declined: insufficient funds"),
        _c(
            "AS104",
            "Отказ в авторизации: неверный срок действия карты",
            "Declined: wrong card expiry date",
        ),
        _c("AS105", "Отказ в авторизации: превышен лимит", "Declined: limit exceeded"),
        _c("AS106", "Отказ в авторизации: неверный PIN", "Declined: wrong PIN"),
        _c("AS107", "Отказ в авторизации: ошибка приема данных", "Declined: data reception error"),
        _c(
            "AS108", "Отказ в авторизации: подозрение на мошенничество", "Declined: fraud suspected"
        ),
        _c(
            "AS109",
            "Отказ в авторизации: превышен лимит операций Ассист",
            "Declined: Assist operation limit exceeded",
        ),
        _c("AS200", "Повторите авторизацию", "Repeat the authorization"),
        _c("AS300", "Авторизация в процессе, подождите", "Authorization in progress, please wait"),
        _c(
            "AS400",
            "Платежа с такими параметрами не существует",
            "No payment with such parameters exists",
        ),
        _c("AS998", "Ошибка системы. Свяжитесь с Ассист", "System error, contact Assist"),
    ]
)

SUCCESS_CODES = frozenset({"AS000", "AS001", "AS010", "AS011", "AS020"})

_UNKNOWN_FAILURE = LocalizedText("Отказ (код {code})", "Declined (code {code})")


def lookup_response_code(code: str) -> ResponseCode:
    """The known code with its texts; an unknown but well-formed code gets a generic text.

    Raises ``ValueError`` for anything that is not ``AS`` and three digits (a malformed reply).
    """
    normalized = code.strip().upper()
    if not _CODE_FORMAT.fullmatch(normalized):
        raise ValueError(f"not an Assist response code: {code!r}")
    known = RESPONSE_CODES.get(normalized)
    if known is not None:
        return known
    return ResponseCode(normalized, _UNKNOWN_FAILURE.format(code=normalized))
