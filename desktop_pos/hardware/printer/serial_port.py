"""A printer on a serial port (COM3, /dev/ttyUSB0) or a pyserial URL, through pyserial.

pyserial blocks, so every call runs on the connection's worker thread. ``serial_port`` may also
be a pyserial URL: ``socket://host:port`` (a serial-to-network adapter) or ``loop://``.
Writing is given time in proportion to the data at the configured baud rate.
"""

from __future__ import annotations

import logging
from typing import Any

import serial

from desktop_pos.hardware.printer.connection import (
    READING_STATUS,
    SENDING,
    BlockingWorker,
    WorkerConnection,
)
from desktop_pos.hardware.printer.errors import PrinterOffline, PrinterSettingsError, PrinterTimeout
from desktop_pos.hardware.printer.settings import PrinterSettings, SerialFlowControl
from desktop_pos.hardware.printer.status import (
    STATUS_QUERY,
    STATUS_REPLY_LENGTH,
    PrinterStatus,
    parse_status_replies,
)
from desktop_pos.models.texts import LocalizedText

log = logging.getLogger(__name__)

#: Bits on the line per byte (start, 8 data, stop) and a safety factor for the write timeout.
_BITS_PER_BYTE = 10
_WRITE_TIME_FACTOR = 2


def _port_failure(description: str, exc: Exception) -> PrinterOffline:
    return PrinterOffline(
        LocalizedText(
            f"Не удалось открыть порт принтера {description} ({exc}). Проверьте кабель, питание "
            "принтера и имя порта в настройках, затем нажмите «Повторить».",
            f"Cannot open the printer port {description} ({exc}). Check the cable, the printer's "
            "power and the port name in the settings, then press “Retry”.",
        )
    )


def _timeout(description: str, action: LocalizedText) -> PrinterTimeout:
    return PrinterTimeout(
        LocalizedText(
            f"Принтер чеков ({description}) не ответил вовремя: {action.ru}. Проверьте, что он "
            "включён, кабель подключён и скорость порта в настройках совпадает с принтером.",
            f"The receipt printer ({description}) did not answer in time: {action.en}. Check that "
            "it is on, the cable is plugged in and the baud rate matches the printer's.",
        )
    )


class SerialConnection(WorkerConnection):
    """An open serial port."""

    def __init__(self, description: str, worker: BlockingWorker, port: Any, baudrate: int) -> None:
        super().__init__(description, worker)
        self._port = port
        self._baudrate = baudrate

    @classmethod
    async def open(cls, settings: PrinterSettings) -> SerialConnection:
        description = settings.description
        worker, port = await cls.open_on_worker(
            description, lambda: _open_port(settings), settings.timeout_s
        )
        return cls(description, worker, port, settings.baudrate)

    def _write_timeout_s(self, size: int, timeout_s: float) -> float:
        return timeout_s + _WRITE_TIME_FACTOR * size * _BITS_PER_BYTE / self._baudrate

    def _write(self, data: bytes, timeout_s: float) -> None:
        try:
            self._port.write_timeout = timeout_s
            self._port.write(data)
            self._port.flush()
        except serial.SerialTimeoutException:
            raise _timeout(self.description, SENDING) from None
        except serial.SerialException as exc:
            raise _port_failure(self.description, exc) from exc

    def _read_status(self, timeout_s: float) -> PrinterStatus:
        try:
            self._port.reset_input_buffer()
            self._port.write_timeout = timeout_s
            self._port.timeout = timeout_s
            self._port.write(STATUS_QUERY)
            reply = bytes(self._port.read(STATUS_REPLY_LENGTH))
        except serial.SerialTimeoutException:
            raise _timeout(self.description, READING_STATUS) from None
        except serial.SerialException as exc:
            raise _port_failure(self.description, exc) from exc
        if not reply:
            raise _timeout(self.description, READING_STATUS)
        return parse_status_replies(reply)

    def _release(self) -> None:
        try:
            self._port.close()
        except serial.SerialException as exc:
            log.warning("Printer %s: closing the port failed: %s", self.description, exc)


def _open_port(settings: PrinterSettings) -> Any:
    """Blocking: open the port (8N1, the configured speed and flow control)."""
    flow = settings.serial_flow
    try:
        return serial.serial_for_url(
            settings.serial_port,
            baudrate=settings.baudrate,
            timeout=settings.timeout_s,
            write_timeout=settings.timeout_s,
            rtscts=flow is SerialFlowControl.RTSCTS,
            dsrdtr=flow is SerialFlowControl.DSRDTR,
            xonxoff=flow is SerialFlowControl.XONXOFF,
        )
    except ValueError as exc:  # an unknown URL scheme or a parameter the port refuses
        raise PrinterSettingsError.for_key(
            "printer.serial_port",
            LocalizedText(
                f"порт «{settings.serial_port}» не подходит ({exc}).",
                f"the port “{settings.serial_port}” is not usable ({exc}).",
            ),
        ) from exc
    except serial.SerialException as exc:
        raise _port_failure(settings.description, exc) from exc
