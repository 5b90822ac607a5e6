"""Opening the printer link that the settings describe."""

from __future__ import annotations

from desktop_pos.hardware.printer.connection import PrinterConnection
from desktop_pos.hardware.printer.errors import PrinterSettingsError
from desktop_pos.hardware.printer.settings import ConnectionKind, PrinterSettings
from desktop_pos.models.texts import LocalizedText

PRINTER_DISABLED = LocalizedText(
    "печать чеков выключена. Включите принтер в настройках.",
    "receipt printing is off. Turn the printer on in the settings.",
)

USB_IDS_MISSING = LocalizedText(
    "для принтера USB нужны vendor_id и product_id.",
    "a USB printer needs vendor_id and product_id.",
)


async def open_connection(settings: PrinterSettings) -> PrinterConnection:
    """Open the configured link within ``settings.timeout_s``; raise a PrinterError if it fails.

    The driver modules are imported here, on first use, so that starting the app loads none of
    pyusb, pyserial or win32print.
    """
    if not settings.enabled:
        raise PrinterSettingsError.for_key("printer.enabled", PRINTER_DISABLED)
    timeout_s = settings.timeout_s
    match settings.connection:
        case ConnectionKind.NETWORK:
            from desktop_pos.hardware.printer.network import NetworkConnection

            return await NetworkConnection.open(settings.host, settings.port, timeout_s)
        case ConnectionKind.USB:
            from desktop_pos.hardware.printer.usb import UsbConnection

            if settings.vendor_id is None or settings.product_id is None:
                raise PrinterSettingsError.for_key("printer.vendor_id", USB_IDS_MISSING)
            return await UsbConnection.open(settings.vendor_id, settings.product_id, timeout_s)
        case ConnectionKind.SERIAL:
            from desktop_pos.hardware.printer.serial_port import SerialConnection

            return await SerialConnection.open(settings)
        case ConnectionKind.WINDOWS:
            from desktop_pos.hardware.printer.win_spooler import WindowsSpoolerConnection

            return await WindowsSpoolerConnection.open(settings.windows_printer, timeout_s)
        case ConnectionKind.FILE:
            from desktop_pos.hardware.printer.file_device import FileDeviceConnection

            return await FileDeviceConnection.open(settings.file_path, timeout_s)
