"""A printer installed in Windows, reached through the spooler as a RAW print job (win32print).

Each ``send`` is one spooler job: StartDocPrinter (datatype RAW) - WritePrinter - EndDocPrinter,
so the driver passes the ESC/POS bytes through untouched. The spooler gives nothing back, so
``query_status`` is None and the service reports "sent, status unknown". The module imports
win32print only on Windows; elsewhere opening the connection says that this kind of connection
exists only on Windows.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from desktop_pos.hardware.printer.connection import BlockingWorker, WorkerConnection
from desktop_pos.hardware.printer.errors import PrinterOffline, PrinterSettingsError
from desktop_pos.hardware.printer.status import PrinterStatus
from desktop_pos.models.texts import LocalizedText

log = logging.getLogger(__name__)

JOB_NAME = "desktop-pos receipt"
ON_WINDOWS = sys.platform == "win32"

ONLY_ON_WINDOWS = LocalizedText(
    "подключение «windows» (через диспетчер печати Windows) работает только в Windows. "
    "Выберите network, usb, serial или file.",
    "the “windows” connection (the Windows print spooler) works only on Windows. "
    "Choose network, usb, serial or file.",
)


def _win32print() -> Any:
    if not ON_WINDOWS:
        raise PrinterSettingsError.for_key("printer.connection", ONLY_ON_WINDOWS)
    try:
        import win32print
    except ImportError as exc:
        raise PrinterOffline(
            LocalizedText(
                "Для печати через Windows нужна библиотека pywin32, она не установлена. "
                "Переустановите программу.",
                "Printing through Windows needs the pywin32 library, which is not installed. "
                "Reinstall the program.",
            )
        ) from exc
    return win32print


def _spooler_failure(name: str, exc: Exception) -> PrinterOffline:
    return PrinterOffline(
        LocalizedText(
            f"Windows не принимает задание для принтера «{name}» ({exc}). Проверьте, что принтер "
            "установлен под этим именем и включён, затем нажмите «Повторить».",
            f"Windows refuses the job for the printer “{name}” ({exc}). Check that the printer "
            "is installed under this name and is on, then press “Retry”.",
        )
    )


class WindowsSpoolerConnection(WorkerConnection):
    """A named Windows printer; every send is one RAW job."""

    def __init__(self, name: str, worker: BlockingWorker, win32print: Any) -> None:
        super().__init__(f"Windows: {name}", worker)
        self._name = name
        self._win32print = win32print

    @classmethod
    async def open(cls, printer_name: str, timeout_s: float) -> WindowsSpoolerConnection:
        win32print = _win32print()

        def check_printer() -> None:
            try:
                handle = win32print.OpenPrinter(printer_name)
            except Exception as exc:  # pywintypes.error: the name is unknown to Windows
                raise _spooler_failure(printer_name, exc) from exc
            win32print.ClosePrinter(handle)

        worker, _ = await cls.open_on_worker(f"Windows: {printer_name}", check_printer, timeout_s)
        return cls(printer_name, worker, win32print)

    @property
    def reads_status(self) -> bool:
        return False

    def _write(self, data: bytes, timeout_s: float) -> None:
        del timeout_s  # the spooler call has no timeout of its own; the worker bounds it
        w = self._win32print
        try:
            handle = w.OpenPrinter(self._name)
            try:
                w.StartDocPrinter(handle, 1, (JOB_NAME, None, "RAW"))
                try:
                    w.StartPagePrinter(handle)
                    w.WritePrinter(handle, data)
                    w.EndPagePrinter(handle)
                finally:
                    w.EndDocPrinter(handle)
            finally:
                w.ClosePrinter(handle)
        except Exception as exc:  # pywintypes.error carries the Windows message
            raise _spooler_failure(self._name, exc) from exc

    def _read_status(self, timeout_s: float) -> PrinterStatus | None:
        return None

    def _release(self) -> None:
        """Nothing is held between jobs."""
