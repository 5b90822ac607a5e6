"""A printer reached through a file or device path: /dev/usb/lp0, /dev/lp0, LPT1, a plain file.

Data is appended to the path on the connection's worker thread (a device write can block while
the printer is busy or off). Such a path cannot be read back reliably, so ``query_status`` gives
None and the service reports "sent, status unknown" instead of "printed".
"""

from __future__ import annotations

import errno
import logging
from typing import BinaryIO

from desktop_pos.hardware.printer.connection import BlockingWorker, WorkerConnection
from desktop_pos.hardware.printer.errors import PrinterError, PrinterOffline, PrinterSettingsError
from desktop_pos.hardware.printer.status import PrinterStatus
from desktop_pos.models.texts import LocalizedText

log = logging.getLogger(__name__)


def _file_error(path: str, exc: OSError) -> PrinterError:
    if isinstance(exc, FileNotFoundError) or exc.errno in (errno.ENODEV, errno.ENXIO):
        return PrinterOffline(
            LocalizedText(
                f"Принтер «{path}» не найден. Проверьте, что он включён и подключён, и путь в "
                "настройках, затем нажмите «Повторить».",
                f"The printer “{path}” is not found. Check that it is on and connected and the "
                "path in the settings, then press “Retry”.",
            )
        )
    if isinstance(exc, PermissionError):
        return PrinterSettingsError.for_key(
            "printer.file_path",
            LocalizedText(
                f"нет прав на запись в «{path}». В Linux добавьте пользователя в группу lp "
                "и войдите в систему заново.",
                f"no permission to write to “{path}”. On Linux add the user to the lp group "
                "and log in again.",
            ),
        )
    if isinstance(exc, IsADirectoryError):
        return PrinterSettingsError.for_key(
            "printer.file_path",
            LocalizedText(
                f"«{path}» — это папка, а не файл.", f"“{path}” is a folder, not a file."
            ),
        )
    return PrinterOffline(
        LocalizedText(
            f"Не удалось передать данные на принтер «{path}» ({exc.strerror or exc}). Проверьте "
            "принтер и нажмите «Повторить».",
            f"Cannot send data to the printer “{path}” ({exc.strerror or exc}). Check the "
            "printer and press “Retry”.",
        )
    )


class FileDeviceConnection(WorkerConnection):
    """A file or device opened for appending."""

    def __init__(self, path: str, worker: BlockingWorker, stream: BinaryIO) -> None:
        super().__init__(path, worker)
        self._path = path
        self._stream = stream

    @classmethod
    async def open(cls, path: str, timeout_s: float) -> FileDeviceConnection:
        def opener() -> BinaryIO:
            try:
                return open(path, "ab", buffering=0)
            except OSError as exc:
                raise _file_error(path, exc) from exc

        worker, stream = await cls.open_on_worker(path, opener, timeout_s)
        return cls(path, worker, stream)

    @property
    def reads_status(self) -> bool:
        return False

    def _write(self, data: bytes, timeout_s: float) -> None:
        del timeout_s  # the worker's timeout bounds a write that hangs
        try:
            view = memoryview(data)
            while view:
                written = self._stream.write(view)
                if not written:
                    raise OSError(errno.EIO, "the device accepted no data")
                view = view[written:]
        except OSError as exc:
            raise _file_error(self._path, exc) from exc

    def _read_status(self, timeout_s: float) -> PrinterStatus | None:
        return None

    def _release(self) -> None:
        try:
            self._stream.close()
        except OSError as exc:
            log.warning("Printer %s: closing failed: %s", self._path, exc)
