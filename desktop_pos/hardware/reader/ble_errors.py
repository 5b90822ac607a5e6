"""Turning bleak, BlueZ, D-Bus and OS errors into the card reader errors the cashier reads.

Every string match on a backend's error text lives here (the bleak-retry-connector approach:
classify, attach advice, decide how soon to retry). The rest of the reader code catches
``ReaderError`` subclasses only.

What the platforms report, and what it becomes:

* Linux without a system D-Bus (no ``/run/dbus/system_bus_socket``): ``FileNotFoundError`` /
  ``ConnectionRefusedError`` from the D-Bus connect → ``BluetoothUnavailable("no_bluez")``.
* D-Bus up but no BlueZ: ``BleakDBusError`` ``org.freedesktop.DBus.Error.ServiceUnknown`` →
  ``no_bluez``; D-Bus policy refusal (``AccessDenied``, an authentication error) or
  ``PermissionError`` → ``no_permission``.
* bleak's ``BleakBluetoothNotAvailableError`` (every backend, bleak ≥ 2): no radio → ``no_adapter``,
  powered off → ``adapter_off``, denied by user / system → ``no_permission``.
* BlueZ ``org.bluez.Error.NotReady`` (adapter off or rfkill-blocked) → ``adapter_off``;
  ``org.bluez.Error.NotPermitted`` → ``no_permission``; ``org.bluez.Error.Authentication*`` and
  GATT "insufficient authentication / encryption" → ``PairingFailed``.
* A device BlueZ does not know (``BleakDeviceNotFoundError``, ``UnknownObject``,
  ``DoesNotExist``) → ``ReaderNotFound``; a timeout → ``ReaderTimeout``; an aborted or dropped
  link (``le-connection-abort-by-local``, "Not connected", ``EOFError``, ``BrokenPipeError``) →
  ``ReaderConnectionLost``; ``org.bluez.Error.InProgress`` → ``ReaderBusy``.

Anything else is not a Bluetooth condition but a bug and is left alone (``translate`` returns
None, ``reraise`` lets it propagate).
"""

from __future__ import annotations

import asyncio
import errno
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Final, Literal, NoReturn

from bleak.exc import (
    BleakBluetoothNotAvailableError,
    BleakBluetoothNotAvailableReason,
    BleakCharacteristicNotFoundError,
    BleakDBusError,
    BleakDeviceNotFoundError,
    BleakError,
    BleakGATTProtocolError,
    BleakGATTProtocolErrorCode,
)

from desktop_pos.hardware.reader.errors import (
    BluetoothProblem,
    BluetoothUnavailable,
    PairingFailed,
    ReaderBusy,
    ReaderConnectionLost,
    ReaderError,
    ReaderNotFound,
    ReaderProtocolError,
    ReaderTimeout,
)

log = logging.getLogger(__name__)

Stage = Literal["scan", "connect", "io"]
"""What the app was doing: it decides what a timeout or a missing device means."""

_NOT_AVAILABLE_REASONS: Final[dict[BleakBluetoothNotAvailableReason, BluetoothProblem]] = {
    BleakBluetoothNotAvailableReason.NO_BLUETOOTH: "no_adapter",
    BleakBluetoothNotAvailableReason.NO_BLE_CENTRAL_ROLE: "no_adapter",
    BleakBluetoothNotAvailableReason.POWERED_OFF: "adapter_off",
    BleakBluetoothNotAvailableReason.DENIED_BY_USER: "no_permission",
    BleakBluetoothNotAvailableReason.DENIED_BY_SYSTEM: "no_permission",
    BleakBluetoothNotAvailableReason.DENIED_BY_UNKNOWN: "no_permission",
    BleakBluetoothNotAvailableReason.UNKNOWN: "no_adapter",
}

_DBUS_UNAVAILABLE: Final[dict[str, BluetoothProblem]] = {
    "org.bluez.Error.NotReady": "adapter_off",
    "org.bluez.Error.NotPermitted": "no_permission",
    "org.freedesktop.DBus.Error.ServiceUnknown": "no_bluez",
    "org.freedesktop.DBus.Error.NameHasNoOwner": "no_bluez",
    "org.freedesktop.DBus.Error.Spawn.ServiceNotFound": "no_bluez",
    "org.freedesktop.DBus.Error.NoServer": "no_bluez",
    "org.freedesktop.DBus.Error.AccessDenied": "no_permission",
    "org.freedesktop.DBus.Error.AuthFailed": "no_permission",
}
_DBUS_NOT_FOUND: Final = frozenset(
    {"org.freedesktop.DBus.Error.UnknownObject", "org.bluez.Error.DoesNotExist"}
)
_DBUS_PAIRING_PREFIX: Final = "org.bluez.Error.Authentication"
_DBUS_BUSY: Final = frozenset({"org.bluez.Error.InProgress", "org.bluez.Error.Busy"})
_DBUS_TIMEOUT: Final = frozenset(
    {"org.freedesktop.DBus.Error.NoReply", "org.freedesktop.DBus.Error.Timeout"}
)

_LINK_DROPPED_TEXTS: Final = (
    "not connected",
    "disconnected",
    "le-connection-abort-by-local",
    "br-connection-canceled",
    "connection-abort",
    "connection lost",
    "connection terminated",
)
_ADAPTER_OFF_TEXTS: Final = (
    "no powered",
    "not powered",
    "powered off",
    "bluetooth is off",
    "turned off",
)
_NO_ADAPTER_TEXTS: Final = ("no bluetooth adapters", "adapter not found", "no adapter")
_PAIRING_GATT_CODES: Final = frozenset(
    {
        BleakGATTProtocolErrorCode.INSUFFICIENT_AUTHENTICATION,
        BleakGATTProtocolErrorCode.INSUFFICIENT_ENCRYPTION,
        BleakGATTProtocolErrorCode.INSUFFICIENT_ENCRYPTION_KEY_SIZE,
        BleakGATTProtocolErrorCode.INSUFFICIENT_AUTHORIZATION,
    }
)
_DBUS_SOCKET_ERRNOS: Final = frozenset(
    {errno.ENOENT, errno.ECONNREFUSED, errno.ENOTSOCK, errno.EADDRNOTAVAIL}
)


def translate(exc: BaseException, *, stage: Stage, reader: str = "") -> ReaderError | None:
    """The ``ReaderError`` for a backend failure, or None when ``exc`` is not one (a bug).

    ``reader`` (a serial or address) goes into the detail for the logs.
    """
    if isinstance(exc, ReaderError):
        return exc
    detail = _detail(exc, reader)
    if isinstance(exc, BleakBluetoothNotAvailableError):
        return BluetoothUnavailable(
            _NOT_AVAILABLE_REASONS.get(exc.reason, "no_adapter"), detail=detail
        )
    if isinstance(exc, BleakDBusError):
        return _from_dbus(exc, stage, detail)
    if isinstance(exc, BleakDeviceNotFoundError):
        return ReaderNotFound(detail=detail)
    if isinstance(exc, BleakCharacteristicNotFoundError):
        # Something answered that is not one of our readers (or runs a foreign firmware).
        return ReaderProtocolError(detail=detail)
    if isinstance(exc, BleakGATTProtocolError):
        if exc.code in _PAIRING_GATT_CODES:
            return PairingFailed(detail=detail)
        return (
            ReaderConnectionLost(detail=detail) if stage != "scan" else ReaderError(detail=detail)
        )
    if isinstance(exc, BleakError):
        return _from_bleak_text(exc, stage, detail)
    if isinstance(exc, TimeoutError | asyncio.TimeoutError):
        return ReaderNotFound(detail=detail) if stage == "scan" else ReaderTimeout(detail=detail)
    if isinstance(exc, PermissionError):
        return BluetoothUnavailable("no_permission", detail=detail)
    if isinstance(exc, FileNotFoundError | ConnectionRefusedError) and stage != "io":
        # The system D-Bus socket is missing or nobody listens on it: no BlueZ to talk to.
        return BluetoothUnavailable("no_bluez", detail=detail)
    if isinstance(exc, EOFError | BrokenPipeError | ConnectionResetError | ConnectionAbortedError):
        return ReaderConnectionLost(detail=detail)
    if isinstance(exc, OSError) and exc.errno in _DBUS_SOCKET_ERRNOS and stage != "io":
        return BluetoothUnavailable("no_bluez", detail=detail)
    if type(exc).__name__ == "AuthError" and type(exc).__module__.startswith("dbus_fast"):
        return BluetoothUnavailable("no_permission", detail=detail)
    return None


def reraise(exc: BaseException, *, stage: Stage, reader: str = "") -> NoReturn:
    """Raise the translated error from ``exc``, or ``exc`` itself when it is not a BLE one."""
    error = translate(exc, stage=stage, reader=reader)
    if error is None or error is exc:
        raise exc
    log.info("Card reader %s: %s → %s", stage, _detail(exc, reader), type(error).__name__)
    raise error from exc


@contextmanager
def translated(*, stage: Stage, reader: str = "") -> Iterator[None]:
    """``with translated(stage="connect"):`` — backend errors leave the block as ReaderErrors."""
    try:
        yield
    except (asyncio.CancelledError, KeyboardInterrupt, SystemExit):
        raise
    except Exception as exc:
        reraise(exc, stage=stage, reader=reader)


def retry_hint_s(error: ReaderError) -> float | None:
    """How soon a reconnect makes sense after ``error``: seconds, or None for "do not retry".

    Bluetooth itself being unavailable or a pairing refusal will not heal by retrying; a busy
    adapter needs a little longer than a dropped link.
    """
    if isinstance(error, BluetoothUnavailable | PairingFailed | ReaderProtocolError):
        return None
    if isinstance(error, ReaderBusy):
        return 1.0
    if isinstance(error, ReaderTimeout):
        return 0.25
    return 0.1


def _from_dbus(exc: BleakDBusError, stage: Stage, detail: str) -> ReaderError:
    name = exc.dbus_error
    if name in _DBUS_UNAVAILABLE:
        return BluetoothUnavailable(_DBUS_UNAVAILABLE[name], detail=detail)
    if name.startswith(_DBUS_PAIRING_PREFIX) or name == "org.bluez.Error.AuthenticationFailed":
        return PairingFailed(detail=detail)
    if name in _DBUS_NOT_FOUND:
        return ReaderNotFound(detail=detail)
    if name in _DBUS_BUSY:
        return ReaderBusy(detail=detail)
    if name in _DBUS_TIMEOUT:
        return ReaderTimeout(detail=detail)
    return _from_bleak_text(exc, stage, detail)


def _from_bleak_text(exc: BleakError, stage: Stage, detail: str) -> ReaderError:
    text = str(exc).lower()
    if any(marker in text for marker in _ADAPTER_OFF_TEXTS):
        return BluetoothUnavailable("adapter_off", detail=detail)
    if any(marker in text for marker in _NO_ADAPTER_TEXTS):
        return BluetoothUnavailable("no_adapter", detail=detail)
    if "not found" in text:
        return ReaderNotFound(detail=detail)
    if any(marker in text for marker in _LINK_DROPPED_TEXTS):
        return ReaderConnectionLost(detail=detail)
    if "authentication" in text or "pairing" in text:
        return PairingFailed(detail=detail)
    if stage == "scan":
        return ReaderError(detail=detail)
    return ReaderConnectionLost(detail=detail)


def _detail(exc: BaseException, reader: str) -> str:
    text = str(exc) or type(exc).__name__
    prefix = f"{reader}: " if reader else ""
    return f"{prefix}{type(exc).__name__}: {text}"
