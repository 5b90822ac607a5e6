from __future__ import annotations

import pytest

from desktop_pos.models.payment import (
    FiscalState,
    OrderState,
    PaymentMethod,
    can_transition,
    new_transaction_number,
)
from desktop_pos.models.response_codes import RESPONSE_CODES, lookup_response_code
from desktop_pos.models.texts import Language


def test_assist_state_names() -> None:
    assert [s.value for s in OrderState] == [
        "New",
        "Offline",
        "In Process",
        "Approved",
        "Declined",
        "Canceled",
        "PartialCanceled",
        "Timeout",
    ]
    assert [s.value for s in FiscalState] == [
        "New",
        "Error",
        "ErrorRe",
        "CreateError",
        "Success",
        "NotNeeded",
    ]


def test_only_approved_and_stored_cash_are_paid() -> None:
    assert {s for s in OrderState if s.is_paid} == {OrderState.APPROVED, OrderState.OFFLINE}
    assert OrderState.OFFLINE.display.get(Language.RU) == "Оплачен"
    assert OrderState.IN_PROCESS.display.get("ru") == "В процессе"


def test_transitions() -> None:
    assert can_transition(OrderState.NEW, OrderState.OFFLINE)
    assert can_transition(OrderState.OFFLINE, OrderState.APPROVED)
    assert can_transition(OrderState.IN_PROCESS, OrderState.APPROVED)
    assert not can_transition(OrderState.DECLINED, OrderState.APPROVED)
    assert not can_transition(OrderState.APPROVED, OrderState.IN_PROCESS)


def test_method_texts() -> None:
    assert PaymentMethod.CASH.result_text.ru == "НАЛИЧНЫЕ"
    assert [m.button_text.ru for m in PaymentMethod] == ["Наличные", "Картридер", "СБП", "SoftPOS"]


def test_transaction_numbers_have_16_digits() -> None:
    numbers = {new_transaction_number() for _ in range(200)}
    assert len(numbers) == 200
    assert all(len(n) == 16 and n.isdigit() and n[0] != "0" for n in numbers)


def test_response_codes() -> None:
    assert lookup_response_code("AS000").is_success
    declined = lookup_response_code("as102")
    assert not declined.is_success
    assert declined.text.ru == "Отказ в авторизации: недостаточно средств"
    assert declined.text.en == "Declined: insufficient funds"
    assert lookup_response_code("AS300").means_wait
    assert lookup_response_code("AS200").means_retry
    unknown = lookup_response_code("AS555")
    assert "AS555" in unknown.text.ru and not unknown.is_success
    assert all(code.text.ru and code.text.en for code in RESPONSE_CODES.values())


@pytest.mark.parametrize("bad", ["", "AS12", "XS000", "AS0000", "000"])
def test_malformed_response_codes_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        lookup_response_code(bad)
