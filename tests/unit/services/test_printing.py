"""PrintService: status before and after, the errors the cashier sees, the drawer, the test page.

The first half drives the service with a scripted connection; the second half prints to the
virtual printer (desktop_pos.sandbox.virtual_printer) over TCP, the oracle of these tests.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_pos.hardware.printer.errors import (
    DrawerError,
    PrinterCoverOpen,
    PrinterError,
    PrinterOffline,
    PrinterPaperOut,
    PrinterSettingsError,
    PrinterTimeout,
)
from desktop_pos.hardware.printer.settings import PrinterSettings
from desktop_pos.hardware.printer.status import PrinterStatus
from desktop_pos.sandbox.virtual_printer.server import PrinterFault, VirtualPrinterThread
from desktop_pos.services.printing import (
    PRINTED,
    SENT_STATUS_UNKNOWN,
    PrintOutcome,
    PrintService,
)
from tests.async_helpers import run_coroutine

READY = PrinterStatus()
PAPER_OUT = PrinterStatus(online=False, paper_out=True)
COVER_OPEN = PrinterStatus(online=False, cover_open=True)
SETTINGS = PrinterSettings.network("printer.local", 9100, drawer_pin=5, drawer_on_ms=60)
DATA = b"\x1b@receipt\n"


class ScriptedConnection:
    """A link whose status answers are scripted; it records what happens, in order."""

    def __init__(
        self,
        statuses: list[PrinterStatus | None],
        events: list[str],
        *,
        send_error: Exception | None = None,
    ) -> None:
        self.statuses = statuses
        self.events = events
        self.sent: list[bytes] = []
        self.send_error = send_error

    @property
    def description(self) -> str:
        return "printer.local:9100"

    async def send(self, data: bytes, timeout_s: float) -> None:
        self.events.append("send")
        if self.send_error is not None:
            raise self.send_error
        await asyncio.sleep(0)
        self.sent.append(data)

    async def query_status(self, timeout_s: float) -> PrinterStatus | None:
        self.events.append("status")
        await asyncio.sleep(0)
        return self.statuses.pop(0)

    async def close(self) -> None:
        self.events.append("close")


class Scripted:
    """``connect`` for the service: hands out scripted connections, or fails."""

    def __init__(
        self,
        *statuses: PrinterStatus | None,
        connect_error: Exception | None = None,
        send_error: Exception | None = None,
    ) -> None:
        self.events: list[str] = []
        self.statuses = list(statuses)
        self.connect_error = connect_error
        self.send_error = send_error
        self.connections: list[ScriptedConnection] = []

    async def __call__(self, settings: PrinterSettings) -> ScriptedConnection:
        self.events.append("connect")
        if self.connect_error is not None:
            raise self.connect_error
        connection = ScriptedConnection(self.statuses, self.events, send_error=self.send_error)
        self.connections.append(connection)
        return connection

    @property
    def sent(self) -> list[bytes]:
        return [data for c in self.connections for data in c.sent]


def test_a_job_checks_status_before_and_after() -> None:
    link = Scripted(READY, READY)
    outcome = run_coroutine(PrintService(SETTINGS, connect=link).print_bytes(DATA))
    assert outcome == PrintOutcome(confirmed=True, status=READY)
    assert outcome.message == PRINTED
    assert link.events == ["connect", "status", "send", "status", "close"]
    assert link.sent == [DATA]


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (PAPER_OUT, PrinterPaperOut),
        (COVER_OPEN, PrinterCoverOpen),
        (PrinterStatus(online=False), PrinterOffline),
    ],
)
def test_a_problem_before_sending_sends_nothing(
    status: PrinterStatus, error: type[PrinterError], caplog: pytest.LogCaptureFixture
) -> None:
    link = Scripted(status)
    with pytest.raises(error) as info:
        run_coroutine(PrintService(SETTINGS, connect=link).print_bytes(DATA))
    assert info.value.retryable and "Повторить" in info.value.text.ru
    assert link.sent == []
    assert link.events == ["connect", "status", "close"]
    assert any(
        r.levelno == logging.WARNING and "printer.local:9100" in r.getMessage()
        for r in caplog.records
    )


def test_a_problem_after_sending_is_raised() -> None:
    link = Scripted(READY, PAPER_OUT)
    with pytest.raises(PrinterPaperOut):
        run_coroutine(PrintService(SETTINGS, connect=link).print_bytes(DATA))
    assert link.events == ["connect", "status", "send", "status", "close"]


def test_a_link_without_status_is_sent_but_not_confirmed() -> None:
    link = Scripted(None, None)
    outcome = run_coroutine(PrintService(SETTINGS, connect=link).print_bytes(DATA))
    assert not outcome.confirmed and outcome.status is None
    assert outcome.message == SENT_STATUS_UNKNOWN
    assert "состояние принтера" in outcome.message.ru
    assert link.sent == [DATA]


def test_paper_near_end_prints_and_warns() -> None:
    near_end = PrinterStatus(paper_near_end=True)
    outcome = run_coroutine(
        PrintService(SETTINGS, connect=Scripted(near_end, near_end)).print_bytes(DATA)
    )
    assert outcome.confirmed
    assert outcome.message.ru.startswith(PRINTED.ru) and "заканчивается" in outcome.message.ru


@pytest.mark.parametrize(
    "failure",
    [
        {"connect_error": PrinterTimeout()},
        {"connect_error": PrinterOffline()},
        {"send_error": PrinterTimeout()},
    ],
)
def test_link_failures_are_raised(failure: dict[str, Exception]) -> None:
    link = Scripted(READY, READY, **failure)
    error = next(iter(failure.values()))
    with pytest.raises(type(error)):
        run_coroutine(PrintService(SETTINGS, connect=link).print_bytes(DATA))


def test_an_os_error_becomes_a_printer_message() -> None:
    link = Scripted(READY, send_error=BrokenPipeError(32, "Broken pipe"))
    with pytest.raises(PrinterOffline) as info:
        run_coroutine(PrintService(SETTINGS, connect=link).print_bytes(DATA))
    assert "Broken pipe" in info.value.text.ru
    assert link.events[-1] == "close"


def test_nothing_to_print_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        run_coroutine(PrintService(SETTINGS, connect=Scripted()).print_bytes(b""))


def test_jobs_do_not_interleave() -> None:
    link = Scripted(READY, READY, READY, READY)
    service = PrintService(SETTINGS, connect=link)

    async def two_jobs() -> None:
        await asyncio.gather(service.print_bytes(b"one"), service.print_bytes(b"two"))

    run_coroutine(two_jobs())
    job = ["connect", "status", "send", "status", "close"]
    assert link.events == job + job
    assert link.sent == [b"one", b"two"]


def test_status_reads_the_printer() -> None:
    link = Scripted(PAPER_OUT)
    assert run_coroutine(PrintService(SETTINGS, connect=link).status()) == PAPER_OUT
    assert link.events == ["connect", "status", "close"]


def test_the_drawer_pulse_uses_the_configured_pin_and_time() -> None:
    link = Scripted(READY)
    run_coroutine(PrintService(SETTINGS, connect=link).kick_drawer())
    assert link.sent == [b"\x1bp\x01\x1e\x32"]  # pin 5, 60 ms on, 100 ms off (2 ms units)


@pytest.mark.parametrize(
    ("link", "cause"),
    [
        (Scripted(PAPER_OUT), "закончилась бумага"),
        (Scripted(COVER_OPEN), "крышка"),
        (Scripted(connect_error=PrinterTimeout()), "не ответил вовремя"),
        (Scripted(READY, send_error=PrinterOffline()), "не отвечает"),
    ],
)
def test_every_drawer_failure_is_a_drawer_error(link: Scripted, cause: str) -> None:
    with pytest.raises(DrawerError) as info:
        run_coroutine(PrintService(SETTINGS, connect=link).kick_drawer())
    text = info.value.text
    assert text.ru.startswith("Не удалось открыть денежный ящик.") and cause in text.ru
    assert "ключом" in text.ru and "key" in text.en


def test_a_disabled_printer() -> None:
    service = PrintService(PrinterSettings())
    with pytest.raises(PrinterSettingsError) as info:
        run_coroutine(service.print_bytes(DATA))
    assert info.value.field == "printer.enabled"
    with pytest.raises(DrawerError) as drawer:
        run_coroutine(service.kick_drawer())
    assert "выключена" in drawer.value.text.ru


# -- against the virtual printer ----------------------------------------------------------------


@pytest.fixture
def virtual_printer(tmp_path: Path) -> Iterator[VirtualPrinterThread]:
    with VirtualPrinterThread(tmp_path / "printed") as printer:
        yield printer


def _service(printer: VirtualPrinterThread, **values: object) -> PrintService:
    settings = PrinterSettings.network("127.0.0.1", printer.port, **values)
    return PrintService(settings)


def test_a_test_print_is_saved_and_readable(virtual_printer: VirtualPrinterThread) -> None:
    outcome = run_coroutine(_service(virtual_printer, paper_mm=58).test_print())
    assert outcome.confirmed and outcome.message == PRINTED
    (receipt,) = virtual_printer.wait_for_receipts(1)
    decoded = receipt.decoded
    assert decoded.cut
    text = receipt.text
    assert "ТЕСТОВАЯ ПЕЧАТЬ" in text
    assert f"127.0.0.1:{virtual_printer.port}" in text
    assert "Бумага: 58 мм\nСимволов в строке: 32" in text
    assert "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ" in text.replace("\n", "")  # wrapped at 32
    assert "Итого: 1 234.56 руб." in text
    assert all(len(line.text) <= 32 for line in decoded.lines)
    assert [qr.payload for qr in decoded.qr_codes] == ["ТЕСТ / TEST"]
    assert receipt.bin_path.exists() and receipt.png_path.exists()


def test_a_layout_is_rendered_for_the_profile_and_printed(
    virtual_printer: VirtualPrinterThread,
) -> None:
    from desktop_pos.models.receipt_layout import Align, Cut, TextLine

    layout = (TextLine("КАССОВЫЙ ЧЕК", Align.CENTER, bold=True), TextLine("ИТОГ =150.00"), Cut())
    service = _service(virtual_printer, code_page="CP1251", code_table=46)
    try:
        assert run_coroutine(service.print_layout(layout)).confirmed
    finally:
        service.close()
    (receipt,) = virtual_printer.wait_for_receipts(1)
    assert receipt.text == "КАССОВЫЙ ЧЕК\nИТОГ =150.00"
    assert receipt.decoded.lines[0].bold


def test_a_wrong_profile_is_a_settings_error_before_anything_is_sent() -> None:
    link = Scripted(READY, READY)
    service = PrintService(PrinterSettings.network("p", model="no-such-model"), connect=link)
    with pytest.raises(PrinterSettingsError) as info:
        run_coroutine(service.test_print())
    assert info.value.field == "printer.model"
    assert link.events == []


def test_paper_out_raises_and_nothing_is_saved(virtual_printer: VirtualPrinterThread) -> None:
    virtual_printer.set_fault(PrinterFault.PAPER_OUT)
    service = _service(virtual_printer)
    with pytest.raises(PrinterPaperOut) as info:
        run_coroutine(service.print_bytes(b"\x1b@lost receipt\n\x1dV\x00"))
    assert info.value.text.ru == (
        "В принтере закончилась бумага. Вставьте новый рулон и нажмите «Повторить»."
    )
    assert virtual_printer.receipts == []
    virtual_printer.set_fault(None)  # a new roll, then "Retry"
    assert run_coroutine(service.print_bytes(b"\x1b@retried\n\x1dV\x00")).confirmed
    (receipt,) = virtual_printer.wait_for_receipts(1)
    assert receipt.text == "retried"


def test_cover_open_raises(virtual_printer: VirtualPrinterThread) -> None:
    virtual_printer.set_fault(PrinterFault.COVER_OPEN)
    with pytest.raises(PrinterCoverOpen):
        run_coroutine(_service(virtual_printer).print_bytes(DATA))
    assert virtual_printer.receipts == []


def test_an_offline_printer_times_out(virtual_printer: VirtualPrinterThread) -> None:
    virtual_printer.set_fault(PrinterFault.OFFLINE)
    with pytest.raises(PrinterTimeout) as info:
        run_coroutine(_service(virtual_printer, timeout_s=0.5).print_bytes(DATA))
    assert "Повторить" in info.value.text.ru
    assert virtual_printer.receipts == []


def test_status_of_the_virtual_printer(virtual_printer: VirtualPrinterThread) -> None:
    service = _service(virtual_printer)
    assert run_coroutine(service.status()) == READY
    virtual_printer.set_fault(PrinterFault.PAPER_NEAR_END)
    status = run_coroutine(service.status())
    assert status is not None and status.paper_near_end and status.ready


def test_the_drawer_pulse_is_recorded(virtual_printer: VirtualPrinterThread) -> None:
    service = _service(virtual_printer, drawer_pin=5, drawer_on_ms=60, drawer_off_ms=120)
    run_coroutine(service.kick_drawer())
    deadline = time.monotonic() + 5  # the bytes are sent; the printer's thread records them
    while not virtual_printer.drawer_pulses and time.monotonic() < deadline:
        time.sleep(0.01)
    pulses = virtual_printer.drawer_pulses
    assert [(p.pin, p.on_ms, p.off_ms, p.real_time) for p in pulses] == [(5, 60, 120, False)]


def test_the_drawer_on_a_printer_without_paper(virtual_printer: VirtualPrinterThread) -> None:
    virtual_printer.set_fault(PrinterFault.PAPER_OUT)
    with pytest.raises(DrawerError) as info:
        run_coroutine(_service(virtual_printer).kick_drawer())
    assert "закончилась бумага" in info.value.text.ru
    assert virtual_printer.drawer_pulses == []


@pytest.mark.gui
def test_jobs_run_on_the_apps_qt_event_loop(
    qtbot: object,
    qloop: asyncio.AbstractEventLoop,
    virtual_printer: VirtualPrinterThread,
    tmp_path: Path,
) -> None:
    """The app's loop is qasync on the GUI thread: the network link, the worker-thread links
    and the test page (built on a thread) all complete there."""
    file_settings = PrinterSettings.from_mapping(
        {"connection": "file", "file_path": str(tmp_path / "lp0")}, check_profile=False
    )
    tasks = [
        qloop.create_task(_service(virtual_printer).test_print()),
        qloop.create_task(PrintService(file_settings).print_bytes(DATA)),
    ]
    qtbot.waitUntil(lambda: all(t.done() for t in tasks), timeout=10_000)  # type: ignore[attr-defined]
    network, file_device = (t.result() for t in tasks)
    assert network.confirmed and not file_device.confirmed
    assert "ТЕСТОВАЯ ПЕЧАТЬ" in virtual_printer.wait_for_receipts(1)[0].text
    assert (tmp_path / "lp0").read_bytes() == DATA
