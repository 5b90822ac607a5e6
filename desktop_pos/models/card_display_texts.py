"""What the card payment screen says while the reader works, in Russian and English.

The reader reports its screen as a ``DisplayCode`` (and its own English wording, "PRESENT CARD");
the app mirrors it in the «Детальная информация» log of «ПРОВЕДЕНИЕ ПЛАТЕЖА» with the wording of
the Assist mPOS guide («Пожалуйста, вставьте/прокатайте/приложите карту.», «Вставлена чиповая
карта.», «Пожалуйста, подождите...»). Entry modes, cardholder verification methods and the ways a
transaction ends on the reader have texts here too, so the screen and the result can name them.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from desktop_pos.hardware.reader.messages import Cvm, DisplayCode, EntryMode, TxnOutcome
from desktop_pos.models.texts import LocalizedText

LOG_PREFIX = "- > "
"""Every line of «Детальная информация» starts so, as on the Assist mPOS screen."""

LOW_BATTERY = LocalizedText(
    "Недостаточный заряд батареи картридера. Зарядите картридер.",
    "The card reader's battery is low. Charge the card reader.",
)
BATTERY_LEVEL = LocalizedText("Заряд батареи: {level} %", "Battery: {level} %")

DISPLAY_TEXTS: Mapping[DisplayCode, LocalizedText] = MappingProxyType(
    {
        DisplayCode.IDLE: LocalizedText("Картридер готов к работе.", "The card reader is ready."),
        DisplayCode.PRESENT_CARD: LocalizedText(
            "Пожалуйста, вставьте/прокатайте/приложите карту.",
            "Please insert, swipe or tap the card.",
        ),
        DisplayCode.CARD_INSERTED: LocalizedText(
            "Вставлена чиповая карта.", "A chip card is inserted."
        ),
        DisplayCode.CARD_TAPPED: LocalizedText(
            "Приложена бесконтактная карта.", "A contactless card is tapped."
        ),
        DisplayCode.CARD_SWIPED: LocalizedText(
            "Прокатана карта с магнитной полосой.", "A magnetic stripe card is swiped."
        ),
        DisplayCode.SELECT_APPLICATION: LocalizedText(
            "Покупатель выбирает платёжную систему на картридере.",
            "The buyer chooses the payment system on the card reader.",
        ),
        DisplayCode.PROCESSING: LocalizedText("Пожалуйста, подождите...", "Please wait..."),
        DisplayCode.ENTER_PIN: LocalizedText(
            "Введите PIN-код на картридере.", "Enter the PIN on the card reader."
        ),
        DisplayCode.WRONG_PIN: LocalizedText(
            "Неверный PIN-код. Повторите ввод на картридере.",
            "Wrong PIN. Enter it again on the card reader.",
        ),
        DisplayCode.PIN_OK: LocalizedText("PIN-код принят.", "PIN accepted."),
        DisplayCode.REMOVE_CARD: LocalizedText("Заберите карту.", "Remove the card."),
        DisplayCode.APPROVED: LocalizedText(
            "Операция успешно завершена.", "Transaction successful."
        ),
        DisplayCode.DECLINED: LocalizedText("Операция отклонена.", "Transaction declined."),
        DisplayCode.CANCELLED: LocalizedText("Операция отменена.", "Transaction cancelled."),
        DisplayCode.CARD_READ_ERROR: LocalizedText(
            "Не удалось прочитать карту. Попробуйте ещё раз или другим способом.",
            "The card could not be read. Try again or another way.",
        ),
        DisplayCode.LOW_BATTERY: LOW_BATTERY,
        DisplayCode.UPDATING_FIRMWARE: LocalizedText(
            "Обновляется прошивка картридера...", "Updating the card reader's firmware..."
        ),
        DisplayCode.TRY_AGAIN: LocalizedText(
            "Повторите попытку: вставьте/прокатайте/приложите карту ещё раз.",
            "Try again: insert, swipe or tap the card once more.",
        ),
    }
)

ENTRY_MODE_TEXTS: Mapping[EntryMode, LocalizedText] = MappingProxyType(
    {
        EntryMode.NFC: LocalizedText("бесконтактно (NFC)", "contactless (NFC)"),
        EntryMode.CHIP: LocalizedText("чип", "chip"),
        EntryMode.MAGSTRIPE: LocalizedText("магнитная полоса", "magnetic stripe"),
    }
)

CVM_TEXTS: Mapping[Cvm, LocalizedText] = MappingProxyType(
    {
        Cvm.NONE: LocalizedText("без подтверждения", "no verification"),
        Cvm.PIN_ON_READER: LocalizedText("PIN-код", "PIN"),
        Cvm.SIGNATURE: LocalizedText("подпись покупателя", "buyer's signature"),
    }
)

OUTCOME_TEXTS: Mapping[TxnOutcome, LocalizedText] = MappingProxyType(
    {
        TxnOutcome.APPROVED: LocalizedText(
            "Операция успешно завершена.", "Transaction successful."
        ),
        TxnOutcome.DECLINED: LocalizedText("Операция отклонена.", "Transaction declined."),
        TxnOutcome.CANCELLED_ON_READER: LocalizedText(
            "Оплата отменена на картридере. Заказ не оплачен.",
            "The payment was cancelled on the card reader. The order is not paid.",
        ),
        TxnOutcome.CANCELLED_BY_HOST: LocalizedText(
            "Оплата отменена. Заказ не оплачен.",
            "The payment was cancelled. The order is not paid.",
        ),
        TxnOutcome.CARD_REMOVED: LocalizedText(
            "Карта извлечена до завершения операции. Заказ не оплачен.",
            "The card was removed before the end of the transaction. The order is not paid.",
        ),
        TxnOutcome.PIN_TRIES_EXCEEDED: LocalizedText(
            "Превышено число попыток ввода PIN-кода. Заказ не оплачен.",
            "Too many wrong PIN attempts. The order is not paid.",
        ),
        TxnOutcome.CARD_ERROR: LocalizedText(
            "Ошибка чтения карты. Заказ не оплачен.",
            "The card could not be read. The order is not paid.",
        ),
        TxnOutcome.TIMEOUT: LocalizedText(
            "Время ожидания истекло. Заказ не оплачен.",
            "The time ran out. The order is not paid.",
        ),
        TxnOutcome.HOST_UNREACHABLE: LocalizedText(
            "Нет ответа от процессинга. Результат платежа уточняется.",
            "No answer from the processing. The payment result is being checked.",
        ),
        TxnOutcome.LOW_BATTERY: LocalizedText(
            "Недостаточный заряд батареи картридера. Зарядите картридер. Заказ не оплачен.",
            "The card reader's battery is low. Charge the card reader. The order is not paid.",
        ),
    }
)


def display_text(code: DisplayCode) -> LocalizedText:
    """The log line for what the reader shows (``DisplayCode.ENTER_PIN`` → «Введите PIN-код…»)."""
    return DISPLAY_TEXTS[DisplayCode(code)]


def entry_mode_text(mode: EntryMode) -> LocalizedText:
    return ENTRY_MODE_TEXTS[EntryMode(mode)]


def cvm_text(cvm: Cvm) -> LocalizedText:
    return CVM_TEXTS[Cvm(cvm)]


def outcome_text(outcome: TxnOutcome) -> LocalizedText:
    """How a transaction ended on the reader, in words a cashier can act on."""
    return OUTCOME_TEXTS[TxnOutcome(outcome)]


def log_line(text: LocalizedText) -> LocalizedText:
    """``text`` as a line of «Детальная информация»: «- > Заберите карту.»."""
    return LocalizedText(LOG_PREFIX + text.ru, LOG_PREFIX + text.en)


def low_battery_text(level: int | None = None) -> LocalizedText:
    """The low-battery message, with the charge level when it is known."""
    if level is None:
        return LOW_BATTERY
    level_text = BATTERY_LEVEL.format(level=max(0, min(100, int(level))))
    return LocalizedText(f"{LOW_BATTERY.ru} {level_text.ru}", f"{LOW_BATTERY.en} {level_text.en}")
