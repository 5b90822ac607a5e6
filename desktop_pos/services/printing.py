"""Printing receipts and opening the cash drawer, with the printer's status checked each time.

``PrintService.print_bytes`` asks the printer for its status (DLE EOT) before sending: with the
paper out, the cover open or the printer offline it raises the matching ``PrinterError`` and
sends nothing. After sending it asks again, and only a clean answer makes the job "printed"
(``PrintOutcome.confirmed``). A link that cannot read the printer back (Windows spooler, a file
or device path, a USB printer without an IN endpoint) gives ``confirmed=False``: the cashier is
told "sent, status unknown", never "printed".

Every step has a timeout (``PrinterTimeout``); a failure is logged and raised, never swallowed;
``kick_drawer`` raises ``DrawerError`` whatever went wrong. Nothing blocks the event loop: the
network link uses asyncio, the blocking drivers run on their connection's worker thread, and
rendering (``print_layout``, the test page, the drawer pulse) runs on the service's render
thread (the first use loads python-escpos' printer database). One job at a time goes to the
printer.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from desktop_pos.hardware.printer.connection import BlockingWorker, PrinterConnection
from desktop_pos.hardware.printer.connections import open_connection
from desktop_pos.hardware.printer.errors import DrawerError, PrinterError, PrinterOffline
from desktop_pos.hardware.printer.settings import PrinterSettings
from desktop_pos.hardware.printer.status import PrinterStatus
from desktop_pos.models.texts import LocalizedText

if TYPE_CHECKING:
    from desktop_pos.models.receipt_layout import PrintLayout

log = logging.getLogger(__name__)

Connect = Callable[[PrinterSettings], Awaitable[PrinterConnection]]

#: Building the bytes: the first time loads python-escpos' printer database (about 0.5 s).
RENDER_TIMEOUT_S = 30.0
RENDERING = LocalizedText("подготовка данных для печати", "preparing the print data")

PRINTED = LocalizedText("Чек напечатан.", "The receipt is printed.")
SENT_STATUS_UNKNOWN = LocalizedText(
    "Чек отправлен на принтер, но это подключение не сообщает состояние принтера: "
    "проверьте, что чек напечатан.",
    "The receipt was sent to the printer, but this connection does not report the printer's "
    "state: check that the receipt came out.",
)
PAPER_NEAR_END = LocalizedText(
    "Бумага заканчивается: приготовьте новый рулон.",
    "The paper is running low: have a new roll at hand.",
)


@dataclass(frozen=True, slots=True)
class PrintOutcome:
    """What became of a job that raised no error."""

    confirmed: bool
    """The printer answered the status query after the data with no problem."""
    status: PrinterStatus | None
    """That answer; None when the link cannot read the printer back."""

    @property
    def message(self) -> LocalizedText:
        """What the cashier is told."""
        if not self.confirmed:
            return SENT_STATUS_UNKNOWN
        if self.status is not None and self.status.paper_near_end:
            return LocalizedText(
                f"{PRINTED.ru} {PAPER_NEAR_END.ru}", f"{PRINTED.en} {PAPER_NEAR_END.en}"
            )
        return PRINTED


def _unexpected(description: str, exc: OSError) -> PrinterOffline:
    return PrinterOffline(
        LocalizedText(
            f"Ошибка связи с принтером чеков {description} ({exc}). Проверьте принтер и нажмите "
            "«Повторить».",
            f"Communication error with the receipt printer {description} ({exc}). Check the "
            "printer and press “Retry”.",
        )
    )


def _drawer_error(cause: PrinterError) -> DrawerError:
    if isinstance(cause, DrawerError):
        return cause
    return DrawerError(
        LocalizedText(
            f"Не удалось открыть денежный ящик. {cause.text.ru} Или откройте ящик ключом.",
            f"The cash drawer could not be opened. {cause.text.en} Or open the drawer with "
            "its key.",
        ),
        field=cause.field,
    )


class PrintService:
    """The receipt printer of the counter, as the settings describe it."""

    def __init__(self, settings: PrinterSettings, *, connect: Connect = open_connection) -> None:
        self._settings = settings
        self._connect = connect
        self._lock: asyncio.Lock | None = None
        self._renderer = BlockingWorker("printer render")

    @property
    def settings(self) -> PrinterSettings:
        return self._settings

    async def print_bytes(self, data: bytes) -> PrintOutcome:
        """Send ESC/POS ``data`` to the printer once its status allows it; see the module doc.

        Raises PrinterPaperOut, PrinterCoverOpen, PrinterOffline (nothing sent, or the problem
        appeared while printing), PrinterTimeout, PrinterReplyError or PrinterSettingsError.
        """
        if not data:
            raise ValueError("nothing to print")
        async with self._job("printing") as connection:
            timeout_s = self._settings.timeout_s
            before = await connection.query_status(timeout_s)
            _raise_problem(before)
            await connection.send(data, timeout_s)
            after = await connection.query_status(timeout_s)
            _raise_problem(after)
        outcome = PrintOutcome(confirmed=after is not None, status=after)
        if outcome.confirmed:
            log.info("Printed %d bytes on %s", len(data), connection.description)
        else:
            log.info("Sent %d bytes to %s, status unknown", len(data), connection.description)
        if after is not None and after.paper_near_end:
            log.warning("Printer %s: paper near end", connection.description)
        return outcome

    async def kick_drawer(self) -> None:
        """Pulse the cash drawer through the printer; raise DrawerError on any failure.

        The pulse (``ESC p``) goes only to a printer that reports no problem: an offline printer
        (paper out, cover open) does not carry out queued commands, so the drawer would not open.
        """
        settings = self._settings
        try:
            data = await self._render(lambda: drawer_pulse(settings))
            async with self._job("opening the cash drawer") as connection:
                _raise_problem(await connection.query_status(settings.timeout_s))
                await connection.send(data, settings.timeout_s)
        except PrinterError as exc:
            raise _drawer_error(exc) from exc
        log.info(
            "Cash drawer pulse sent (pin %d, %d/%d ms)",
            settings.drawer_pin,
            settings.drawer_on_ms,
            settings.drawer_off_ms,
        )

    async def print_layout(self, layout: PrintLayout) -> PrintOutcome:
        """Render ``layout`` for the configured profile (on the render thread) and print it.

        Raises PrinterSettingsError when the profile is wrong, else as ``print_bytes``.
        """
        data = await self._render(lambda: render_layout(self._settings, layout))
        return await self.print_bytes(data)

    async def test_print(self) -> PrintOutcome:
        """Print a short test page: the connection, the paper width, a ruler, Russian text."""
        now = datetime.now()
        data = await self._render(lambda: build_test_page(self._settings, now))
        return await self.print_bytes(data)

    def close(self) -> None:
        """Let the render thread end (it starts again if the service is used later)."""
        self._renderer.stop()

    async def _render(self, build: Callable[[], bytes]) -> bytes:
        try:
            return await self._renderer.call(
                build,
                timeout_s=RENDER_TIMEOUT_S,
                description=self._settings.description,
                action=RENDERING,
            )
        except PrinterError as exc:
            log.warning("Printer %s, rendering: %s", self._settings.description, exc.text.en)
            raise

    async def status(self) -> PrinterStatus | None:
        """The printer's current status; None when the link cannot read the printer back.

        A printer that cannot be reached raises PrinterOffline or PrinterTimeout.
        """
        async with self._job("reading the status") as connection:
            return await connection.query_status(self._settings.timeout_s)

    @asynccontextmanager
    async def _job(self, what: str) -> AsyncIterator[PrinterConnection]:
        """One exclusive connection for one job; failures are logged and raised."""
        if self._lock is None:
            self._lock = asyncio.Lock()
        description = self._settings.description
        async with self._lock:
            try:
                connection = await self._connect(self._settings)
                try:
                    yield connection
                finally:
                    await connection.close()
            except PrinterError as exc:
                log.warning("Printer %s, %s: %s", description, what, exc.text.en)
                raise
            except OSError as exc:
                log.warning("Printer %s, %s: %s", description, what, exc)
                raise _unexpected(description, exc) from exc


def _raise_problem(status: PrinterStatus | None) -> None:
    if status is not None and (problem := status.problem()) is not None:
        raise problem


def drawer_pulse(settings: PrinterSettings) -> bytes:
    """``ESC p`` for the configured pin and pulse (blocking: the first call imports the
    renderer, which takes a noticeable moment)."""
    from desktop_pos.hardware.printer.escpos_render import drawer_kick_bytes

    return drawer_kick_bytes(settings.drawer_pin, settings.drawer_on_ms, settings.drawer_off_ms)


def render_layout(settings: PrinterSettings, layout: PrintLayout) -> bytes:
    """The ESC/POS bytes of ``layout`` for the configured printer (blocking)."""
    from desktop_pos.hardware.printer.escpos_render import render_escpos

    return render_escpos(layout, settings.profile())


def build_test_page(settings: PrinterSettings, now: datetime) -> bytes:
    """The ESC/POS bytes of the test page (blocking: may load the printer database)."""
    from desktop_pos.hardware.printer.escpos_render import render_escpos
    from desktop_pos.models.receipt_layout import (
        Align,
        Cut,
        Feed,
        LayoutElement,
        QrBlock,
        TextLine,
    )

    profile = settings.profile()
    width = profile.chars_per_line

    def wrapped(text: str) -> list[TextLine]:
        return [TextLine(text[i : i + width]) for i in range(0, len(text), width)]

    ruler = ("1234567890" * (width // 10 + 1))[:width]
    lines: list[LayoutElement] = [
        TextLine("ТЕСТОВАЯ ПЕЧАТЬ", Align.CENTER, bold=True),
        TextLine("TEST PRINT", Align.CENTER),
        Feed(1),
        *wrapped(f"Принтер: {settings.description}"),
        *wrapped(f"Модель: {profile.model}"),
        *wrapped(f"Бумага: {profile.paper_mm} мм"),
        *wrapped(f"Символов в строке: {width}"),
        *wrapped(f"Кодовая страница: {profile.code_page}"),
        TextLine(ruler),
        *wrapped("АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"),
        *wrapped("абвгдеёжзийклмнопрстуфхцчшщъыьэюя"),
        TextLine("Итого: 1 234.56 руб.", Align.RIGHT, bold=True),
        QrBlock("ТЕСТ / TEST"),
        TextLine(now.strftime("%d.%m.%Y %H:%M"), Align.CENTER),
        Feed(2),
        Cut(),
    ]
    return render_escpos(tuple(lines), profile)
