"""The texts the card payment screen shows for the reader's messages."""

from __future__ import annotations

import pytest

from desktop_pos.hardware.reader.messages import Cvm, DisplayCode, EntryMode, TxnOutcome
from desktop_pos.models.card_display_texts import (
    DISPLAY_TEXTS,
    LOG_PREFIX,
    LOW_BATTERY,
    cvm_text,
    display_text,
    entry_mode_text,
    log_line,
    low_battery_text,
    outcome_text,
)
from desktop_pos.models.texts import Language


@pytest.mark.parametrize("code", list(DisplayCode))
def test_every_display_code_has_a_russian_and_an_english_text(code: DisplayCode) -> None:
    text = display_text(code)
    assert text.ru.strip() and text.en.strip()
    assert text.ru != text.en
    assert not any("a" <= c <= "z" for c in text.ru.replace("PIN", "").lower()), text.ru


@pytest.mark.parametrize(
    ("code", "ru"),
    [
        (DisplayCode.PRESENT_CARD, "Пожалуйста, вставьте/прокатайте/приложите карту."),
        (DisplayCode.CARD_INSERTED, "Вставлена чиповая карта."),
        (DisplayCode.PROCESSING, "Пожалуйста, подождите..."),
        (DisplayCode.ENTER_PIN, "Введите PIN-код на картридере."),
        (DisplayCode.WRONG_PIN, "Неверный PIN-код. Повторите ввод на картридере."),
        (DisplayCode.REMOVE_CARD, "Заберите карту."),
        (DisplayCode.LOW_BATTERY, "Недостаточный заряд батареи картридера. Зарядите картридер."),
    ],
)
def test_the_guides_wording(code: DisplayCode, ru: str) -> None:
    assert display_text(code).ru == ru
    assert display_text(code).get(Language.RU) == ru


def test_display_code_values_from_the_wire_are_accepted() -> None:
    assert display_text(DisplayCode(7)) == DISPLAY_TEXTS[DisplayCode.ENTER_PIN]
    assert display_text(7) == DISPLAY_TEXTS[DisplayCode.ENTER_PIN]  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        display_text(999)  # type: ignore[arg-type]


def test_the_mapping_cannot_be_changed() -> None:
    with pytest.raises(TypeError):
        DISPLAY_TEXTS[DisplayCode.IDLE] = LOW_BATTERY  # type: ignore[index]


@pytest.mark.parametrize("mode", list(EntryMode))
def test_every_entry_mode_has_a_text(mode: EntryMode) -> None:
    assert entry_mode_text(mode).ru and entry_mode_text(mode).en


@pytest.mark.parametrize("cvm", list(Cvm))
def test_every_cvm_has_a_text(cvm: Cvm) -> None:
    assert cvm_text(cvm).ru and cvm_text(cvm).en


@pytest.mark.parametrize("outcome", list(TxnOutcome))
def test_every_outcome_has_a_text(outcome: TxnOutcome) -> None:
    text = outcome_text(outcome)
    assert text.ru.endswith(".") and text.en.endswith(".")


def test_not_paid_outcomes_say_so() -> None:
    for outcome in (
        TxnOutcome.CANCELLED_ON_READER,
        TxnOutcome.CANCELLED_BY_HOST,
        TxnOutcome.CARD_REMOVED,
        TxnOutcome.PIN_TRIES_EXCEEDED,
    ):
        assert "Заказ не оплачен." in outcome_text(outcome).ru
    assert "не оплачен" not in outcome_text(TxnOutcome.APPROVED).ru


def test_log_lines_start_as_on_the_assist_screen() -> None:
    line = log_line(display_text(DisplayCode.CARD_INSERTED))
    assert LOG_PREFIX == "- > "
    assert line.ru == "- > Вставлена чиповая карта."
    assert line.en == "- > A chip card is inserted."


def test_low_battery_text_with_and_without_the_level() -> None:
    assert low_battery_text() == LOW_BATTERY
    assert low_battery_text(12).ru == (
        "Недостаточный заряд батареи картридера. Зарядите картридер. Заряд батареи: 12 %"
    )
    assert low_battery_text(12).en.endswith("Battery: 12 %")
    assert low_battery_text(-5).ru.endswith(": 0 %")
    assert low_battery_text(250).ru.endswith(": 100 %")
