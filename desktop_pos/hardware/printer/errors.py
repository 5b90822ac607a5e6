"""Receipt printer failures the cashier reads, each with its Russian and English message.

Every class has a default message, so ``raise PrinterPaperOut()`` is enough; a more precise
message (the settings key at fault, the printer's address) can be passed in instead.
``retryable`` tells the UI whether a "Повторить" (retry) button makes sense.
"""

from __future__ import annotations

from typing import ClassVar

from desktop_pos.models.errors import UserFacingError
from desktop_pos.models.texts import LocalizedText


class PrinterError(UserFacingError):
    """Base class of every receipt printer and cash drawer failure."""

    default_text: ClassVar[LocalizedText] = LocalizedText(
        "Ошибка принтера чеков. Проверьте принтер и нажмите «Повторить».",
        "Receipt printer error. Check the printer and press “Retry”.",
    )
    retryable: ClassVar[bool] = True

    def __init__(self, text: LocalizedText | None = None, *, field: str | None = None) -> None:
        super().__init__(text if text is not None else type(self).default_text, field=field)


class PrinterSettingsError(PrinterError):
    """A value of the ``[printer]`` settings is missing or wrong; ``field`` names the key."""

    default_text = LocalizedText(
        "Настройки принтера чеков заполнены неверно. Исправьте их в настройках.",
        "The receipt printer settings are wrong. Correct them in the settings.",
    )
    retryable = False

    @classmethod
    def for_key(cls, key: str, problem: LocalizedText) -> PrinterSettingsError:
        """An error about one settings key, e.g. ``for_key("printer.port", ...)``."""
        return cls(
            LocalizedText(
                f"Настройка принтера «{key}»: {problem.ru}",
                f"Printer setting “{key}”: {problem.en}",
            ),
            field=key,
        )


class PrinterOffline(PrinterError):
    """The printer cannot be reached or reports itself offline."""

    default_text = LocalizedText(
        "Принтер чеков не отвечает. Проверьте, что он включён и подключён, и нажмите «Повторить».",
        "The receipt printer does not respond. Check that it is on and connected, "
        "then press “Retry”.",
    )


class PrinterPaperOut(PrinterError):
    """The paper roll is empty."""

    default_text = LocalizedText(
        "В принтере закончилась бумага. Вставьте новый рулон и нажмите «Повторить».",
        "The printer is out of paper. Load a new roll and press “Retry”.",
    )


class PrinterCoverOpen(PrinterError):
    """The printer cover is open."""

    default_text = LocalizedText(
        "Открыта крышка принтера. Закройте крышку и нажмите «Повторить».",
        "The printer cover is open. Close the cover and press “Retry”.",
    )


class PrinterTimeout(PrinterError):
    """The printer did not answer or accept data in time."""

    default_text = LocalizedText(
        "Принтер чеков не ответил вовремя. Проверьте, что он включён и подключён, "
        "и нажмите «Повторить».",
        "The receipt printer did not answer in time. Check that it is on and connected, "
        "then press “Retry”.",
    )


class PrinterReplyError(PrinterError):
    """The printer answered a status query with bytes that are not an ESC/POS status reply."""

    default_text = LocalizedText(
        "Принтер прислал непонятный ответ на запрос состояния. Проверьте, что в настройках "
        "выбран принтер чеков ESC/POS и верное подключение.",
        "The printer sent an unreadable answer to the status query. Check that the settings "
        "name an ESC/POS receipt printer and the right connection.",
    )
    retryable = False


class DrawerError(PrinterError):
    """The cash drawer could not be opened (the pulse goes through the printer)."""

    default_text = LocalizedText(
        "Не удалось открыть денежный ящик. Проверьте принтер и ящик или откройте ящик ключом.",
        "The cash drawer could not be opened. Check the printer and the drawer, "
        "or open the drawer with its key.",
    )
