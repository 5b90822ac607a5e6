"""The printer links: the worker thread, TCP, file, serial (pyserial URLs), and what can be tested
of USB and the Windows spooler without the hardware.

The network and serial links are checked against the virtual printer (a loopback ESC/POS printer
that answers DLE EOT like an Epson TM). USB and the Windows spooler cannot run here (no libusb
backend, no Windows): their tests use stand-ins for pyusb's device and for win32print, plus the
clear messages given when the library or the device is missing.
"""

from __future__ import annotations

import sys
import threading
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop_pos.hardware.printer import win_spooler
from desktop_pos.hardware.printer.connection import BlockingWorker
from desktop_pos.hardware.printer.connections import open_connection
from desktop_pos.hardware.printer.errors import (
    PrinterOffline,
    PrinterReplyError,
    PrinterSettingsError,
    PrinterTimeout,
)
from desktop_pos.hardware.printer.settings import ConnectionKind, PrinterSettings
from desktop_pos.hardware.printer.status import STATUS_QUERY, PrinterStatus
from desktop_pos.models.texts import LocalizedText
from desktop_pos.sandbox.virtual_printer.server import PrinterFault, VirtualPrinterThread
from tests.async_helpers import run_coroutine

ACTION = LocalizedText("проверка", "check")
PRINT_DATA = b"\x1b@\x1bt\x11" + "Привет".encode("cp866") + b"\n\x1dV\x00"


@pytest.fixture
def printer(tmp_path: Path) -> Iterator[VirtualPrinterThread]:
    with VirtualPrinterThread(tmp_path / "printed") as running:
        yield running


# -- the worker thread ------------------------------------------------------------------------


def test_the_worker_runs_calls_off_the_loop_thread() -> None:
    async def main() -> tuple[str, str]:
        worker = BlockingWorker("printer test")
        try:
            name = await worker.call(
                lambda: threading.current_thread().name,
                timeout_s=5,
                description="test",
                action=ACTION,
            )
        finally:
            worker.stop()
        return name, threading.current_thread().name

    worker_thread, loop_thread = run_coroutine(main())
    assert worker_thread == "printer test"
    assert worker_thread != loop_thread


def test_the_worker_passes_exceptions_through() -> None:
    def fail() -> None:
        raise PrinterOffline()

    async def main() -> None:
        worker = BlockingWorker("printer test")
        try:
            await worker.call(fail, timeout_s=5, description="test", action=ACTION)
        finally:
            worker.stop()

    with pytest.raises(PrinterOffline):
        run_coroutine(main())


def test_a_call_that_hangs_times_out_with_a_message() -> None:
    release = threading.Event()

    async def main() -> None:
        worker = BlockingWorker("printer test")
        try:
            await worker.call(release.wait, timeout_s=0.05, description="COM9", action=ACTION)
        finally:
            release.set()
            worker.stop()

    with pytest.raises(PrinterTimeout) as info:
        run_coroutine(main())
    assert "COM9" in info.value.text.ru and "проверка" in info.value.text.ru


# -- network ----------------------------------------------------------------------------------


def test_network_status_and_print(printer: VirtualPrinterThread) -> None:
    settings = PrinterSettings.network("127.0.0.1", printer.port)

    async def main() -> PrinterStatus | None:
        connection = await open_connection(settings)
        try:
            await connection.send(PRINT_DATA, 2)
            return await connection.query_status(2)
        finally:
            await connection.close()

    assert run_coroutine(main()) == PrinterStatus()
    (receipt,) = printer.wait_for_receipts(1)
    assert receipt.text == "Привет"
    assert printer.status_requests[-3:] == [1, 2, 4]


def test_network_reads_the_paper_out_status(printer: VirtualPrinterThread) -> None:
    printer.set_fault(PrinterFault.PAPER_OUT)
    settings = PrinterSettings.network("127.0.0.1", printer.port)

    async def main() -> PrinterStatus | None:
        connection = await open_connection(settings)
        try:
            return await connection.query_status(2)
        finally:
            await connection.close()

    status = run_coroutine(main())
    assert status is not None and status.paper_out and not status.online


def test_network_status_times_out_on_a_silent_printer(printer: VirtualPrinterThread) -> None:
    printer.set_fault(PrinterFault.OFFLINE)
    settings = PrinterSettings.network("127.0.0.1", printer.port, timeout_s=0.5)

    async def main() -> None:
        connection = await open_connection(settings)
        try:
            await connection.query_status(0.5)
        finally:
            await connection.close()

    with pytest.raises(PrinterTimeout) as info:
        run_coroutine(main())
    assert f"127.0.0.1:{printer.port}" in info.value.text.ru


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_network_refused_connection_is_offline() -> None:
    port = _free_port()
    with pytest.raises(PrinterOffline) as info:
        run_coroutine(open_connection(PrinterSettings.network("127.0.0.1", port)))
    assert f"127.0.0.1:{port}" in info.value.text.ru
    assert "Повторить" in info.value.text.ru


def _serve_once(reply: bytes) -> tuple[int, threading.Thread]:
    """A TCP server for one client: reads the query, answers ``reply``, closes."""
    import socket

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port: int = server.getsockname()[1]

    def run() -> None:
        with server:
            client, _ = server.accept()
            with client:
                client.recv(64)
                client.sendall(reply)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return port, thread


@pytest.mark.parametrize(
    ("reply", "error"),
    [
        (STATUS_QUERY[:3], PrinterReplyError),  # an echo is not a status reply
        (b"\x12", PrinterOffline),  # the printer closed the connection mid-reply
    ],
)
def test_network_bad_or_cut_replies(reply: bytes, error: type[Exception]) -> None:
    port, thread = _serve_once(reply)

    async def main() -> None:
        connection = await open_connection(PrinterSettings.network("127.0.0.1", port))
        try:
            await connection.query_status(2)
        finally:
            await connection.close()

    with pytest.raises(error):
        run_coroutine(main())
    thread.join(5)


# -- file or device path ----------------------------------------------------------------------


def test_file_device_appends_and_cannot_read_status(tmp_path: Path) -> None:
    path = tmp_path / "lp0"
    settings = PrinterSettings.from_mapping(
        {"connection": "file", "file_path": str(path)}, check_profile=False
    )

    async def job(data: bytes) -> PrinterStatus | None:
        connection = await open_connection(settings)
        try:
            await connection.send(data, 2)
            return await connection.query_status(2)
        finally:
            await connection.close()

    assert run_coroutine(job(b"first ")) is None
    assert run_coroutine(job(b"second")) is None
    assert path.read_bytes() == b"first second"


def test_file_device_missing_is_offline(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-dir" / "lp0"
    settings = PrinterSettings.from_mapping(
        {"connection": "file", "file_path": str(missing)}, check_profile=False
    )
    with pytest.raises(PrinterOffline) as info:
        run_coroutine(open_connection(settings))
    assert str(missing) in info.value.text.ru


def test_file_device_that_is_a_folder_is_a_settings_error(tmp_path: Path) -> None:
    settings = PrinterSettings.from_mapping(
        {"connection": "file", "file_path": str(tmp_path)}, check_profile=False
    )
    with pytest.raises(PrinterSettingsError) as info:
        run_coroutine(open_connection(settings))
    assert info.value.field == "printer.file_path"


# -- serial (pyserial URLs) -------------------------------------------------------------------


def _serial(url: str, **values: Any) -> PrinterSettings:
    return PrinterSettings.from_mapping(
        {"connection": "serial", "serial_port": url, **values}, check_profile=False
    )


def test_serial_over_a_socket_url_prints_and_reads_status(printer: VirtualPrinterThread) -> None:
    """pyserial's socket:// URL (a serial-to-network adapter) to the virtual printer."""
    printer.set_fault(PrinterFault.PAPER_NEAR_END)
    settings = _serial(f"socket://127.0.0.1:{printer.port}", baudrate=115200)

    async def main() -> PrinterStatus | None:
        connection = await open_connection(settings)
        try:
            await connection.send(PRINT_DATA, 2)
            return await connection.query_status(2)
        finally:
            await connection.close()

    assert run_coroutine(main()) == PrinterStatus(paper_near_end=True)
    assert printer.wait_for_receipts(1)[0].text == "Привет"


def test_serial_loopback_echo_is_not_a_status_reply() -> None:
    """loop:// sends every byte back: the echoed query must be refused, not read as a status."""

    async def main() -> None:
        connection = await open_connection(_serial("loop://"))
        try:
            await connection.send(PRINT_DATA, 2)
            await connection.query_status(2)
        finally:
            await connection.close()

    with pytest.raises(PrinterReplyError):
        run_coroutine(main())


def test_serial_port_missing_is_offline() -> None:
    with pytest.raises(PrinterOffline) as info:
        run_coroutine(open_connection(_serial("/dev/ttyNO-SUCH-PORT")))
    assert "/dev/ttyNO-SUCH-PORT" in info.value.text.ru


def test_serial_unknown_url_is_a_settings_error() -> None:
    with pytest.raises(PrinterSettingsError) as info:
        run_coroutine(open_connection(_serial("bogus://x")))
    assert info.value.field == "printer.serial_port"


def test_serial_silent_device_times_out(printer: VirtualPrinterThread) -> None:
    printer.set_fault(PrinterFault.OFFLINE)

    async def main() -> None:
        connection = await open_connection(_serial(f"socket://127.0.0.1:{printer.port}"))
        try:
            await connection.query_status(0.3)
        finally:
            await connection.close()

    with pytest.raises(PrinterTimeout):
        run_coroutine(main())


# -- USB: no libusb backend here; a stand-in device checks the logic ---------------------------

USB_SETTINGS = PrinterSettings.from_mapping(
    {"connection": "usb", "vendor_id": "04b8", "product_id": "0202"}, check_profile=False
)


def test_usb_without_libusb_says_what_to_install() -> None:
    import usb.backend.libusb1

    if usb.backend.libusb1.get_backend() is not None:  # pragma: no cover - machines with libusb
        pytest.skip("libusb is installed here")
    with pytest.raises(PrinterOffline) as info:
        run_coroutine(open_connection(USB_SETTINGS))
    assert "libusb" in info.value.text.ru and "libusb" in info.value.text.en


class _Endpoint:
    def __init__(self, address: int, replies: list[bytes] | None = None) -> None:
        self.bEndpointAddress = address
        self.bmAttributes = 0x02  # bulk
        self.written: list[bytes] = []
        self._replies = replies or []

    def write(self, data: bytes, timeout: int) -> int:
        self.written.append(bytes(data))
        return len(data)

    def read(self, size: int, timeout: int) -> bytes:
        import usb.core

        if not self._replies:
            raise usb.core.USBTimeoutError("timeout")
        return self._replies.pop(0)


class _Device:
    def __init__(self, endpoints: list[_Endpoint]) -> None:
        self.endpoints = endpoints
        self.detached = False
        self.found: list[dict[str, int]] = []

    def is_kernel_driver_active(self, interface: int) -> bool:
        return True

    def detach_kernel_driver(self, interface: int) -> None:
        self.detached = True

    def get_active_configuration(self) -> dict[tuple[int, int], list[_Endpoint]]:
        return {(0, 0): self.endpoints}


@pytest.fixture
def usb_device(monkeypatch: pytest.MonkeyPatch) -> _Device:
    import usb.core
    import usb.util

    device = _Device([_Endpoint(0x01), _Endpoint(0x82, [b"\x12", b"\x12\x1e"])])

    def find(**match: int) -> _Device:
        device.found.append(match)
        return device

    monkeypatch.setattr(usb.core, "find", find)
    monkeypatch.setattr(usb.util, "dispose_resources", lambda dev: None)
    return device


def test_usb_link_writes_to_the_bulk_out_endpoint_and_reads_status(usb_device: _Device) -> None:
    async def main() -> PrinterStatus | None:
        connection = await open_connection(USB_SETTINGS)
        try:
            assert connection.description == "USB 04b8:0202"
            await connection.send(PRINT_DATA, 2)
            return await connection.query_status(2)
        finally:
            await connection.close()

    status = run_coroutine(main())
    assert status == PrinterStatus(paper_near_end=True)  # replies came in two packets
    assert usb_device.found == [{"idVendor": 0x04B8, "idProduct": 0x0202}]
    assert usb_device.detached
    assert usb_device.endpoints[0].written == [PRINT_DATA, STATUS_QUERY]


def test_usb_status_timeout(usb_device: _Device) -> None:
    usb_device.endpoints[1] = _Endpoint(0x82, [])

    async def main() -> None:
        connection = await open_connection(USB_SETTINGS)
        try:
            await connection.query_status(0.2)
        finally:
            await connection.close()

    with pytest.raises(PrinterTimeout) as info:
        run_coroutine(main())
    assert "USB 04b8:0202" in info.value.text.ru


def test_usb_printer_without_an_in_endpoint_gives_no_status(usb_device: _Device) -> None:
    del usb_device.endpoints[1]

    async def main() -> PrinterStatus | None:
        connection = await open_connection(USB_SETTINGS)
        try:
            return await connection.query_status(2)
        finally:
            await connection.close()

    assert run_coroutine(main()) is None


def test_usb_device_not_plugged_in(monkeypatch: pytest.MonkeyPatch) -> None:
    import usb.core

    monkeypatch.setattr(usb.core, "find", lambda **match: None)
    with pytest.raises(PrinterOffline) as info:
        run_coroutine(open_connection(USB_SETTINGS))
    assert "не найден" in info.value.text.ru and "vendor_id" in info.value.text.ru


# -- Windows spooler: not Windows here; a stand-in win32print checks the job --------------------

WINDOWS_SETTINGS = PrinterSettings.from_mapping(
    {"connection": "windows", "windows_printer": "POS-80"}, check_profile=False
)


def test_windows_spooler_elsewhere_says_it_is_windows_only() -> None:
    if sys.platform == "win32":  # pragma: no cover
        pytest.skip("this is Windows")
    with pytest.raises(PrinterSettingsError) as info:
        run_coroutine(open_connection(WINDOWS_SETTINGS))
    assert info.value.field == "printer.connection"
    assert "только в Windows" in info.value.text.ru


class _FakeWin32Print(types.ModuleType):
    """Records the spooler calls in order."""

    def __init__(self, refuse: bool = False) -> None:
        super().__init__("win32print")
        self.calls: list[tuple[Any, ...]] = []
        self.refuse = refuse

    def OpenPrinter(self, name: str) -> str:
        if self.refuse:
            raise OSError(1801, "OpenPrinter", "The printer name is invalid.")
        self.calls.append(("open", name))
        return "handle"

    def ClosePrinter(self, handle: str) -> None:
        self.calls.append(("close",))

    def StartDocPrinter(self, handle: str, level: int, info: tuple[Any, ...]) -> int:
        self.calls.append(("doc", level, info))
        return 7

    def StartPagePrinter(self, handle: str) -> None:
        self.calls.append(("page",))

    def WritePrinter(self, handle: str, data: bytes) -> int:
        self.calls.append(("write", data))
        return len(data)

    def EndPagePrinter(self, handle: str) -> None:
        self.calls.append(("end page",))

    def EndDocPrinter(self, handle: str) -> None:
        self.calls.append(("end doc",))


def test_windows_spooler_sends_one_raw_job(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = _FakeWin32Print()
    monkeypatch.setitem(sys.modules, "win32print", fake)
    monkeypatch.setattr(win_spooler, "ON_WINDOWS", True)

    async def main() -> PrinterStatus | None:
        connection = await open_connection(WINDOWS_SETTINGS)
        try:
            await connection.send(PRINT_DATA, 2)
            return await connection.query_status(2)
        finally:
            await connection.close()

    assert run_coroutine(main()) is None
    assert fake.calls == [
        ("open", "POS-80"),
        ("close",),
        ("open", "POS-80"),
        ("doc", 1, (win_spooler.JOB_NAME, None, "RAW")),
        ("page",),
        ("write", PRINT_DATA),
        ("end page",),
        ("end doc",),
        ("close",),
    ]


def test_windows_spooler_unknown_printer(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = _FakeWin32Print(refuse=True)
    monkeypatch.setitem(sys.modules, "win32print", fake)
    monkeypatch.setattr(win_spooler, "ON_WINDOWS", True)
    with pytest.raises(PrinterOffline) as info:
        run_coroutine(open_connection(WINDOWS_SETTINGS))
    assert "POS-80" in info.value.text.ru


# -- the factory --------------------------------------------------------------------------------


def test_a_disabled_printer_opens_nothing() -> None:
    with pytest.raises(PrinterSettingsError) as info:
        run_coroutine(open_connection(PrinterSettings()))
    assert info.value.field == "printer.enabled"


def test_usb_settings_without_ids_are_refused() -> None:
    settings = PrinterSettings(enabled=True, connection=ConnectionKind.USB)
    with pytest.raises(PrinterSettingsError):
        run_coroutine(open_connection(settings))
