"""A printer on USB, found by vendor and product id, through pyusb (libusb).

pyusb blocks, so every call runs on the connection's worker thread. The printer interface's
bulk OUT endpoint takes the data; when it also has a bulk IN endpoint (Epson and most ESC/POS
printers do), the DLE EOT status replies are read from it, otherwise ``query_status`` gives None.

On Linux the kernel's usblp driver is detached from the interface while the app holds it; the
user needs access to the device (a udev rule, or the ``lp`` group). On Windows libusb needs a
WinUSB driver for the printer; with the maker's driver use the ``windows`` connection instead.
"""

from __future__ import annotations

import errno
import logging
from typing import Any

from desktop_pos.hardware.printer.connection import (
    READING_STATUS,
    SENDING,
    BlockingWorker,
    WorkerConnection,
)
from desktop_pos.hardware.printer.errors import PrinterError, PrinterOffline, PrinterTimeout
from desktop_pos.hardware.printer.status import (
    STATUS_QUERY,
    STATUS_REPLY_LENGTH,
    PrinterStatus,
    parse_status_replies,
)
from desktop_pos.models.texts import LocalizedText

log = logging.getLogger(__name__)

_READ_SIZE = 64


def usb_description(vendor_id: int, product_id: int) -> str:
    return f"USB {vendor_id:04x}:{product_id:04x}"


def _usb_modules() -> tuple[Any, Any]:
    try:
        import usb.core
        import usb.util
    except ImportError as exc:
        raise PrinterOffline(
            LocalizedText(
                "Для принтера USB нужна библиотека pyusb, она не установлена. Переустановите "
                "программу или выберите другое подключение.",
                "A USB printer needs the pyusb library, which is not installed. Reinstall the "
                "program or choose another connection.",
            )
        ) from exc
    return usb.core, usb.util


NO_LIBUSB = LocalizedText(
    "Не найдена системная библиотека libusb, без неё принтер USB недоступен. В Linux установите "
    "пакет libusb-1.0-0; в Windows выберите подключение «windows» (через драйвер принтера).",
    "The libusb system library is missing, so a USB printer cannot be used. On Linux install "
    "the libusb-1.0-0 package; on Windows choose the “windows” connection (the printer driver).",
)


def _not_found(description: str) -> PrinterOffline:
    return PrinterOffline(
        LocalizedText(
            f"Принтер {description} не найден. Проверьте кабель USB и питание принтера, коды "
            "vendor_id и product_id в настройках, затем нажмите «Повторить».",
            f"The printer {description} is not found. Check the USB cable, the printer's power "
            "and the vendor_id and product_id settings, then press “Retry”.",
        )
    )


def _usb_failure(description: str, exc: Exception) -> PrinterError:
    if getattr(exc, "errno", None) in (errno.EACCES, errno.EPERM):
        return PrinterOffline(
            LocalizedText(
                f"Нет доступа к принтеру {description}. В Linux добавьте правило udev для "
                "принтера или пользователя в группу lp и войдите в систему заново.",
                f"No access to the printer {description}. On Linux add a udev rule for the "
                "printer or add the user to the lp group, and log in again.",
            )
        )
    return PrinterOffline(
        LocalizedText(
            f"Ошибка связи с принтером {description} ({exc}). Проверьте кабель и питание "
            "принтера и нажмите «Повторить».",
            f"Communication error with the printer {description} ({exc}). Check the cable and "
            "the printer's power, then press “Retry”.",
        )
    )


def _usb_timeout(description: str, action: LocalizedText) -> PrinterTimeout:
    return PrinterTimeout(
        LocalizedText(
            f"Принтер {description} не ответил вовремя: {action.ru}. Проверьте, что он включён, "
            "и нажмите «Повторить».",
            f"The printer {description} did not answer in time: {action.en}. Check that it is "
            "on, then press “Retry”.",
        )
    )


class UsbConnection(WorkerConnection):
    """The claimed printer interface of one USB device."""

    def __init__(
        self,
        description: str,
        worker: BlockingWorker,
        device: Any,
        out_endpoint: Any,
        in_endpoint: Any | None,
    ) -> None:
        super().__init__(description, worker)
        self._device = device
        self._out = out_endpoint
        self._in = in_endpoint

    @classmethod
    async def open(cls, vendor_id: int, product_id: int, timeout_s: float) -> UsbConnection:
        description = usb_description(vendor_id, product_id)
        worker, (device, out_ep, in_ep) = await cls.open_on_worker(
            description, lambda: _claim(vendor_id, product_id, description), timeout_s
        )
        return cls(description, worker, device, out_ep, in_ep)

    @property
    def reads_status(self) -> bool:
        return self._in is not None

    def _write(self, data: bytes, timeout_s: float) -> None:
        usb_core, _ = _usb_modules()
        try:
            self._out.write(data, timeout=round(timeout_s * 1000))
        except usb_core.USBTimeoutError:
            raise _usb_timeout(self.description, SENDING) from None
        except usb_core.USBError as exc:
            raise _usb_failure(self.description, exc) from exc

    def _read_status(self, timeout_s: float) -> PrinterStatus | None:
        if self._in is None:
            return None
        usb_core, _ = _usb_modules()
        timeout_ms = round(timeout_s * 1000)
        reply = b""
        try:
            self._out.write(STATUS_QUERY, timeout=timeout_ms)
            while len(reply) < STATUS_REPLY_LENGTH:
                reply += bytes(self._in.read(_READ_SIZE, timeout=timeout_ms))
        except usb_core.USBTimeoutError:
            raise _usb_timeout(self.description, READING_STATUS) from None
        except usb_core.USBError as exc:
            raise _usb_failure(self.description, exc) from exc
        return parse_status_replies(reply[:STATUS_REPLY_LENGTH])

    def _release(self) -> None:
        _, usb_util = _usb_modules()
        usb_util.dispose_resources(self._device)


def _claim(vendor_id: int, product_id: int, description: str) -> tuple[Any, Any, Any | None]:
    """Blocking: find the device, detach the kernel driver, pick the bulk endpoints."""
    usb_core, usb_util = _usb_modules()
    try:
        device = usb_core.find(idVendor=vendor_id, idProduct=product_id)
    except usb_core.NoBackendError as exc:
        raise PrinterOffline(NO_LIBUSB) from exc
    if device is None:
        raise _not_found(description)
    try:
        try:
            if device.is_kernel_driver_active(0):
                device.detach_kernel_driver(0)
        except NotImplementedError:  # only the libusb1 backend on Linux/macOS has it
            pass
        try:
            configuration = device.get_active_configuration()
        except usb_core.USBError:
            device.set_configuration()
            configuration = device.get_active_configuration()
        interface = configuration[(0, 0)]

        def endpoint(direction: int) -> Any:
            return usb_util.find_descriptor(
                interface,
                custom_match=lambda e: (
                    usb_util.endpoint_direction(e.bEndpointAddress) == direction
                    and usb_util.endpoint_type(e.bmAttributes) == usb_util.ENDPOINT_TYPE_BULK
                ),
            )

        out_ep = endpoint(usb_util.ENDPOINT_OUT)
        in_ep = endpoint(usb_util.ENDPOINT_IN)
    except usb_core.USBError as exc:
        usb_util.dispose_resources(device)
        raise _usb_failure(description, exc) from exc
    if out_ep is None:
        usb_util.dispose_resources(device)
        raise PrinterOffline(
            LocalizedText(
                f"Устройство {description} не похоже на принтер (нет канала передачи данных). "
                "Проверьте vendor_id и product_id в настройках.",
                f"The device {description} does not look like a printer (no data endpoint). "
                "Check vendor_id and product_id in the settings.",
            )
        )
    return device, out_ep, in_ep
