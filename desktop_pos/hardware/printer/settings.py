"""Receipt printer settings: the ``[printer]`` table of the settings file, validated.

Example::

    [printer]
    connection = "network"        # network | usb | serial | windows | file
    host = "192.168.1.50"
    port = 9100
    timeout_s = 5
    paper_mm = 80
    code_page = "CP866"
    kick_drawer_on_cash = true
    drawer_pin = 2

A ``[printer]`` table switches printing on unless it says ``enabled = false``; without the table
there is no printer. Every wrong value raises ``PrinterSettingsError`` naming the key
(``printer.port``) and saying what is expected, so the settings page can show it and a sale never
meets a bad setting.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Final

from desktop_pos.hardware.printer.errors import PrinterSettingsError
from desktop_pos.models.texts import LocalizedText

if TYPE_CHECKING:
    from desktop_pos.hardware.printer.profile import PrinterProfile

SECTION: Final = "printer"
DEFAULT_TCP_PORT: Final = 9100
DEFAULT_TIMEOUT_S: Final = 5.0
DEFAULT_BAUDRATE: Final = 9600
BAUDRATES: Final = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)
DRAWER_PINS: Final = (2, 5)
#: ESC p pulse times are sent in 2 ms units, 1..255.
DRAWER_MS_RANGE: Final = (2, 510)
PAPER_WIDTHS_MM: Final = (58, 80)


class ConnectionKind(StrEnum):
    NETWORK = "network"
    USB = "usb"
    SERIAL = "serial"
    WINDOWS = "windows"
    FILE = "file"


class SerialFlowControl(StrEnum):
    NONE = "none"
    RTSCTS = "rtscts"
    DSRDTR = "dsrdtr"
    XONXOFF = "xonxoff"


@dataclass(frozen=True, slots=True)
class PrinterSettings:
    """Where the printer is, how it prints and what the drawer pulse looks like."""

    enabled: bool = False
    connection: ConnectionKind = ConnectionKind.NETWORK
    # network
    host: str = ""
    port: int = DEFAULT_TCP_PORT
    # usb
    vendor_id: int | None = None
    product_id: int | None = None
    # serial: a port name (COM3, /dev/ttyUSB0) or a pyserial URL (socket://host:port, loop://)
    serial_port: str = ""
    baudrate: int = DEFAULT_BAUDRATE
    serial_flow: SerialFlowControl = SerialFlowControl.DSRDTR
    # windows spooler
    windows_printer: str = ""
    # file or device path (/dev/usb/lp0, LPT1, a file)
    file_path: str = ""
    timeout_s: float = DEFAULT_TIMEOUT_S
    # profile (what the renderer needs; checked in full by ``profile()``)
    model: str = "default"
    paper_mm: int = 80
    chars_per_line: int = 0  # 0: the paper's usual (58 mm: 32, 80 mm: 48)
    code_page: str = "CP866"
    dots_per_line: int = 0  # 0: the paper's usual (58 mm: 384, 80 mm: 576)
    qr_native: bool | None = None  # None: what the model supports
    code_table: int | None = None  # the ESC t number when the model's profile lacks it
    # cash drawer
    kick_drawer_on_cash: bool = True
    drawer_pin: int = 2
    drawer_on_ms: int = 100
    drawer_off_ms: int = 100
    # documents
    auto_print_fiscal: bool = True

    @classmethod
    def network(cls, host: str, port: int = DEFAULT_TCP_PORT, **values: Any) -> PrinterSettings:
        """An enabled network printer (the demo mode's virtual printer on 127.0.0.1:port).

        The profile is not checked here (see ``from_mapping``): call ``profile()`` off the GUI
        thread when ``values`` change it.
        """
        return cls.from_mapping(
            {"connection": "network", "host": host, "port": port, **values}, check_profile=False
        )

    @classmethod
    def from_mapping(
        cls, mapping: Mapping[str, Any], *, check_profile: bool = True
    ) -> PrinterSettings:
        """Validate a ``[printer]`` table; raise PrinterSettingsError naming the bad key.

        ``check_profile`` also builds the printer profile, which checks the model, the code
        page and the QR mode against python-escpos' printer database. Loading that database
        takes about half a second, so the settings file is read with ``check_profile=False``
        at start-up and the profile is checked later, off the GUI thread (``profile()``).
        """
        settings = _parse(mapping)
        if check_profile:
            settings.profile()
        return settings

    def profile(self) -> PrinterProfile:
        """The printer profile these settings describe (built once, then cached).

        Raises PrinterSettingsError naming the ``[printer]`` key at fault. The first call loads
        python-escpos' printer database (about half a second): call it off the GUI thread.
        """
        return _profile(tuple(sorted(self.profile_mapping().items())))

    def profile_mapping(self) -> dict[str, Any]:
        """The profile keys of the table, for ``PrinterProfile.from_mapping``."""
        values: dict[str, Any] = {
            "model": self.model,
            "paper_mm": self.paper_mm,
            "chars_per_line": self.chars_per_line,
            "code_page": self.code_page,
            "dots_per_line": self.dots_per_line,
        }
        if self.qr_native is not None:
            values["qr_native"] = self.qr_native
        if self.code_table is not None:
            values["code_table"] = self.code_table
        return values

    @property
    def description(self) -> str:
        """Where the printer is, as the cashier and the log see it."""
        match self.connection:
            case ConnectionKind.NETWORK:
                return f"{self.host}:{self.port}"
            case ConnectionKind.USB:
                return f"USB {self.vendor_id or 0:04x}:{self.product_id or 0:04x}"
            case ConnectionKind.SERIAL:
                return f"{self.serial_port} ({self.baudrate} бод/baud)"
            case ConnectionKind.WINDOWS:
                return f"Windows: {self.windows_printer}"
            case ConnectionKind.FILE:
                return self.file_path

    def to_mapping(self) -> dict[str, Any]:
        """The TOML table that ``from_mapping`` reads back to these settings."""
        table: dict[str, Any] = {"enabled": self.enabled, "connection": self.connection.value}
        match self.connection:
            case ConnectionKind.NETWORK:
                table |= {"host": self.host, "port": self.port}
            case ConnectionKind.USB:
                table |= {"vendor_id": self.vendor_id, "product_id": self.product_id}
            case ConnectionKind.SERIAL:
                table |= {
                    "serial_port": self.serial_port,
                    "baudrate": self.baudrate,
                    "serial_flow": self.serial_flow.value,
                }
            case ConnectionKind.WINDOWS:
                table |= {"windows_printer": self.windows_printer}
            case ConnectionKind.FILE:
                table |= {"file_path": self.file_path}
        return (
            table
            | {"timeout_s": self.timeout_s}
            | self.profile_mapping()
            | {
                "kick_drawer_on_cash": self.kick_drawer_on_cash,
                "drawer_pin": self.drawer_pin,
                "drawer_on_ms": self.drawer_on_ms,
                "drawer_off_ms": self.drawer_off_ms,
                "auto_print_fiscal": self.auto_print_fiscal,
            }
        )


_KNOWN_KEYS: Final = frozenset(
    {
        "enabled",
        "connection",
        "host",
        "port",
        "vendor_id",
        "product_id",
        "serial_port",
        "baudrate",
        "serial_flow",
        "windows_printer",
        "file_path",
        "timeout_s",
        "model",
        "paper_mm",
        "chars_per_line",
        "code_page",
        "dots_per_line",
        "qr_native",
        "code_table",
        "kick_drawer_on_cash",
        "drawer_pin",
        "drawer_on_ms",
        "drawer_off_ms",
        "auto_print_fiscal",
    }
)
_REQUIRED_BY_KIND: Final = {
    ConnectionKind.NETWORK: ("host",),
    ConnectionKind.USB: ("vendor_id", "product_id"),
    ConnectionKind.SERIAL: ("serial_port",),
    ConnectionKind.WINDOWS: ("windows_printer",),
    ConnectionKind.FILE: ("file_path",),
}
_HOST = re.compile(r"^[A-Za-z0-9._:\-\[\]]{1,253}$")
_HEX_ID = re.compile(r"^(0x)?[0-9A-Fa-f]{1,4}$")


def _bad(key: str, ru: str, en: str, value: object) -> PrinterSettingsError:
    shown = repr(value) if not isinstance(value, str) else f"«{value}»"
    return PrinterSettingsError.for_key(
        f"{SECTION}.{key}",
        LocalizedText(f"{ru}, а указано {shown}.", f"{en}, got {shown}."),
    )


class _Reader:
    """Typed access to one table; every wrong value becomes a PrinterSettingsError."""

    def __init__(self, table: Mapping[str, Any]) -> None:
        self.table = table

    def flag(self, key: str, default: bool) -> bool:
        value = self.table.get(key, default)
        if not isinstance(value, bool):
            raise _bad(key, "нужно true или false", "expected true or false", value)
        return value

    def whole(self, key: str, default: int, low: int, high: int) -> int:
        value = self.table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise _bad(
                key,
                f"нужно целое число от {low} до {high}",
                f"expected a whole number from {low} to {high}",
                value,
            )
        return value

    def choice(self, key: str, default: int, allowed: tuple[int, ...]) -> int:
        value = self.table.get(key, default)
        if isinstance(value, bool) or value not in allowed:
            listed = ", ".join(str(v) for v in allowed)
            raise _bad(key, f"допустимо: {listed}", f"allowed: {listed}", value)
        return int(value)

    def seconds(self, key: str, default: float, low: float, high: float) -> float:
        value = self.table.get(key, default)
        is_number = isinstance(value, int | float) and not isinstance(value, bool)
        if not is_number or not low <= value <= high:
            raise _bad(
                key,
                f"нужно число секунд от {low:g} до {high:g}",
                f"expected a number of seconds from {low:g} to {high:g}",
                value,
            )
        return float(value)

    def text(self, key: str, default: str = "") -> str:
        value = self.table.get(key, default)
        if not isinstance(value, str):
            raise _bad(key, "нужна строка в кавычках", "expected a quoted string", value)
        if any(ord(ch) < 32 for ch in value):
            raise _bad(key, "управляющие символы недопустимы", "control characters", value)
        return value.strip()

    def usb_id(self, key: str) -> int | None:
        value = self.table.get(key)
        if value is None:
            return None
        if isinstance(value, str) and _HEX_ID.match(value.strip()):
            number = int(value.strip().removeprefix("0x").removeprefix("0X"), 16)
        elif isinstance(value, int) and not isinstance(value, bool):
            number = value
        else:
            number = -1
        if not 1 <= number <= 0xFFFF:
            raise _bad(
                key,
                "нужен шестнадцатеричный код USB, например 0x04b8 или «04b8»",
                "expected a hexadecimal USB id such as 0x04b8 or “04b8”",
                value,
            )
        return number


def _parse(mapping: Mapping[str, Any]) -> PrinterSettings:
    if not isinstance(mapping, Mapping):
        raise PrinterSettingsError.for_key(
            SECTION,
            LocalizedText("должна быть таблица [printer].", "must be a table [printer]."),
        )
    unknown = sorted(set(mapping) - _KNOWN_KEYS)
    if unknown:
        raise PrinterSettingsError.for_key(
            f"{SECTION}.{unknown[0]}",
            LocalizedText(
                "неизвестный ключ. Допустимые ключи: " + ", ".join(sorted(_KNOWN_KEYS)) + ".",
                "unknown key. Known keys: " + ", ".join(sorted(_KNOWN_KEYS)) + ".",
            ),
        )
    read = _Reader(mapping)
    enabled = read.flag("enabled", bool(mapping))
    kind_text = read.text("connection", ConnectionKind.NETWORK.value).lower()
    try:
        kind = ConnectionKind(kind_text)
    except ValueError:
        listed = ", ".join(k.value for k in ConnectionKind)
        raise _bad("connection", f"допустимо: {listed}", f"allowed: {listed}", kind_text) from None

    host = read.text("host")
    if host and not _HOST.match(host):
        raise _bad(
            "host",
            "нужен IP-адрес или имя компьютера без пробелов и без http://",
            "expected an IP address or host name, without spaces or http://",
            host,
        )
    flow_text = read.text("serial_flow", SerialFlowControl.DSRDTR.value).lower()
    try:
        flow = SerialFlowControl(flow_text)
    except ValueError:
        listed = ", ".join(f.value for f in SerialFlowControl)
        raise _bad("serial_flow", f"допустимо: {listed}", f"allowed: {listed}", flow_text) from None

    paper_mm = read.choice("paper_mm", 80, PAPER_WIDTHS_MM)
    settings = PrinterSettings(
        enabled=enabled,
        connection=kind,
        host=host,
        port=read.whole("port", DEFAULT_TCP_PORT, 1, 65535),
        vendor_id=read.usb_id("vendor_id"),
        product_id=read.usb_id("product_id"),
        serial_port=read.text("serial_port"),
        baudrate=read.choice("baudrate", DEFAULT_BAUDRATE, BAUDRATES),
        serial_flow=flow,
        windows_printer=read.text("windows_printer"),
        file_path=read.text("file_path"),
        timeout_s=read.seconds("timeout_s", DEFAULT_TIMEOUT_S, 0.5, 60),
        model=read.text("model", "default") or "default",
        paper_mm=paper_mm,
        chars_per_line=_zero_or(read, "chars_per_line", 24, 64),
        code_page=_code_page(read),
        dots_per_line=_zero_or(read, "dots_per_line", 288, 640),
        qr_native=None if mapping.get("qr_native") is None else read.flag("qr_native", True),
        code_table=(
            None if mapping.get("code_table") is None else read.whole("code_table", 0, 0, 255)
        ),
        kick_drawer_on_cash=read.flag("kick_drawer_on_cash", True),
        drawer_pin=read.choice("drawer_pin", 2, DRAWER_PINS),
        drawer_on_ms=read.whole("drawer_on_ms", 100, *DRAWER_MS_RANGE),
        drawer_off_ms=read.whole("drawer_off_ms", 100, *DRAWER_MS_RANGE),
        auto_print_fiscal=read.flag("auto_print_fiscal", True),
    )
    if settings.enabled:
        for key in _REQUIRED_BY_KIND[kind]:
            if getattr(settings, key) in ("", None):
                raise PrinterSettingsError.for_key(
                    f"{SECTION}.{key}",
                    LocalizedText(
                        f"нужно указать для подключения «{kind.value}».",
                        f"is required for the “{kind.value}” connection.",
                    ),
                )
    return settings


def _zero_or(read: _Reader, key: str, low: int, high: int) -> int:
    """A whole number in [low, high], or 0 for "the paper's usual"."""
    if read.table.get(key, 0) == 0 and not isinstance(read.table.get(key, 0), bool):
        return 0
    return read.whole(key, 0, low, high)


@lru_cache(maxsize=8)
def _profile(values: tuple[tuple[str, Any], ...]) -> PrinterProfile:
    from desktop_pos.hardware.printer.profile import PrinterProfile

    return PrinterProfile.from_mapping(dict(values))


def _code_page(read: _Reader) -> str:
    """A non-empty name; ``profile()`` checks that the page exists and has Russian letters."""
    value = read.text("code_page", "CP866")
    if not value:
        raise _bad("code_page", "укажите кодовую страницу, обычно CP866", "set one (CP866)", value)
    return value
