"""Printer status: the real-time DLE EOT queries and the parsing of their one-byte replies.

Epson TM semantics (most ESC/POS receipt printers follow them). Every reply byte has bits 1 and 4
set and bits 0 and 7 clear (0x12 when nothing is wrong); any other byte is not a status reply.

* DLE EOT 1 (printer status): bit 3 = offline.
* DLE EOT 2 (offline cause): bit 2 = cover open, bit 5 = printing stopped by paper end,
  bit 6 = an error occurred.
* DLE EOT 4 (roll paper sensor): bits 2 and 3 = paper near end, bits 5 and 6 = paper end.

The printer answers these commands as soon as it receives them, even in the middle of print
data and while it is offline, so the replies arrive in the order the queries were sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from desktop_pos.hardware.printer.errors import (
    PrinterCoverOpen,
    PrinterError,
    PrinterOffline,
    PrinterPaperOut,
    PrinterReplyError,
)
from desktop_pos.models.texts import LocalizedText

DLE_EOT: Final = b"\x10\x04"
QUERY_PRINTER: Final = DLE_EOT + b"\x01"
QUERY_OFFLINE_CAUSE: Final = DLE_EOT + b"\x02"
QUERY_PAPER_SENSOR: Final = DLE_EOT + b"\x04"
#: The three queries in the order their replies are read: printer, offline cause, paper sensor.
STATUS_QUERY: Final = QUERY_PRINTER + QUERY_OFFLINE_CAUSE + QUERY_PAPER_SENSOR
STATUS_REPLY_LENGTH: Final = 3

_FIXED_MASK: Final = 0b1001_0011
_FIXED_VALUE: Final = 0b0001_0010
_OFFLINE: Final = 1 << 3
_COVER_OPEN: Final = 1 << 2
_STOPPED_BY_PAPER_END: Final = 1 << 5
_ERROR: Final = 1 << 6
_NEAR_END: Final = (1 << 2) | (1 << 3)
_PAPER_END: Final = (1 << 5) | (1 << 6)

_READY = LocalizedText("Принтер готов к печати.", "The printer is ready.")
_NEAR_END_TEXT = LocalizedText(
    "Принтер готов, но бумага заканчивается: приготовьте новый рулон.",
    "The printer is ready, but the paper is running low: have a new roll at hand.",
)
_ERROR_TEXT = LocalizedText(
    "Принтер сообщает об ошибке (например, заело нож). Выключите и включите принтер, "
    "затем нажмите «Повторить».",
    "The printer reports an error (a jammed cutter, for example). Switch the printer off and "
    "on, then press “Retry”.",
)


@dataclass(frozen=True, slots=True)
class PrinterStatus:
    """What the printer said about itself; ``problem()`` is the error that stops printing."""

    online: bool = True
    paper_out: bool = False
    paper_near_end: bool = False
    cover_open: bool = False
    error: bool = False

    @property
    def ready(self) -> bool:
        return self.problem() is None

    def problem(self) -> PrinterError | None:
        """The error to show when this status prevents printing, or None when it can print.

        An open cover is named first: with the cover open the paper sensor may also report
        paper end, and closing the cover is what the cashier has to do first.
        """
        if self.cover_open:
            return PrinterCoverOpen()
        if self.paper_out:
            return PrinterPaperOut()
        if self.error:
            return PrinterOffline(_ERROR_TEXT)
        if not self.online:
            return PrinterOffline()
        return None

    @property
    def text(self) -> LocalizedText:
        """A one-line description for the status line of the settings page."""
        problem = self.problem()
        if problem is not None:
            return problem.text
        return _NEAR_END_TEXT if self.paper_near_end else _READY


def _check_reply_byte(value: int, query: str) -> None:
    if value & _FIXED_MASK != _FIXED_VALUE:
        raise PrinterReplyError(
            LocalizedText(
                f"Принтер прислал непонятный ответ на запрос состояния ({query}: 0x{value:02X}). "
                "Проверьте, что в настройках выбран принтер чеков ESC/POS и верное подключение.",
                f"The printer sent an unreadable answer to the status query ({query}: "
                f"0x{value:02X}). Check that the settings name an ESC/POS receipt printer and "
                "the right connection.",
            )
        )


def parse_printer_status(value: int) -> bool:
    """DLE EOT 1 reply -> True when the printer is online."""
    _check_reply_byte(value, "DLE EOT 1")
    return not value & _OFFLINE


def parse_offline_cause(value: int) -> tuple[bool, bool, bool]:
    """DLE EOT 2 reply -> (cover open, stopped by paper end, error)."""
    _check_reply_byte(value, "DLE EOT 2")
    return bool(value & _COVER_OPEN), bool(value & _STOPPED_BY_PAPER_END), bool(value & _ERROR)


def parse_paper_sensor(value: int) -> tuple[bool, bool]:
    """DLE EOT 4 reply -> (paper near end, paper end)."""
    _check_reply_byte(value, "DLE EOT 4")
    return bool(value & _NEAR_END), bool(value & _PAPER_END)


def parse_status_replies(reply: bytes) -> PrinterStatus:
    """The three reply bytes to ``STATUS_QUERY`` -> a PrinterStatus.

    Raises PrinterReplyError when the reply has the wrong length or a byte that is not a status
    reply (another protocol on the line, a wrong baud rate, an echoing device).
    """
    if len(reply) != STATUS_REPLY_LENGTH:
        raise PrinterReplyError(
            LocalizedText(
                f"Принтер прислал неполный ответ на запрос состояния ({len(reply)} байт вместо "
                f"{STATUS_REPLY_LENGTH}). Проверьте подключение и настройки принтера.",
                f"The printer sent an incomplete answer to the status query ({len(reply)} bytes "
                f"instead of {STATUS_REPLY_LENGTH}). Check the connection and printer settings.",
            )
        )
    online = parse_printer_status(reply[0])
    cover_open, stopped_by_paper_end, error = parse_offline_cause(reply[1])
    near_end, paper_end = parse_paper_sensor(reply[2])
    return PrinterStatus(
        online=online,
        paper_out=paper_end or stopped_by_paper_end,
        paper_near_end=near_end,
        cover_open=cover_open,
        error=error,
    )
