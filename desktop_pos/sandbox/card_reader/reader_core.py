"""An emulated reader's logic apart from the radio, sans-IO: info, battery, firmware, and the
dispatch of host messages to the current ``ReaderTransaction``.

``handle`` takes one decoded host message and returns the reader's answers. Conditions set by
tests and the demo panel (battery level, a pending firmware update) change what it answers:

* battery at or under ``CRITICAL_BATTERY_PERCENT`` (not charging): no transaction starts
  (``ReaderFault LOW_BATTERY``), and a running one ends with ``LOW_BATTERY``; at or under
  ``LOW_BATTERY_PERCENT`` the reader warns (``BatteryStatus`` with ``low``);
* a *required* firmware update pending: no transaction starts (``FIRMWARE_UPDATE_REQUIRED``)
  until it is installed; an optional one only shows in ``ReaderInfo``;
* a firmware transfer is refused under ``FIRMWARE_MIN_BATTERY_PERCENT``, checked for size and
  SHA-256, and answered with progress; a good one ends in ``FirmwareRebooting`` and the caller
  reboots the reader (``rebooting``, then ``finish_reboot``).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field

from desktop_pos.hardware.reader.gatt_profile import (
    FIRMWARE_MIN_BATTERY_PERCENT,
    LOW_BATTERY_PERCENT,
    MAX_MESSAGE_SIZE,
    PROTOCOL_VERSION,
)
from desktop_pos.hardware.reader.messages import (
    ApplicationSelected,
    AuthorizationResponse,
    BatteryStatus,
    CancelTransaction,
    DisplayCode,
    FaultCode,
    FirmwareChunk,
    FirmwareProgress,
    FirmwareRebooting,
    FirmwareUpdateFinish,
    FirmwareUpdateInfo,
    FirmwareUpdateStart,
    GetInfo,
    HostMessage,
    ReaderFault,
    ReaderInfo,
    ReaderMessage,
    StartTransaction,
)
from desktop_pos.sandbox.card_reader.transaction import (
    ReaderTransaction,
    TransactionEnvironment,
    display,
)

CRITICAL_BATTERY_PERCENT = 5
"""At or under this level (not charging) the reader refuses to start a transaction."""
MAX_FIRMWARE_SIZE = 4 * 1024 * 1024
FIRMWARE_BYTES_PER_SECOND = 2000
"""The transfer rate ``FirmwareUpdateInfo.estimated_s`` assumes (a BLE link at MTU 23)."""


@dataclass(frozen=True, slots=True)
class ReaderIdentity:
    model: str
    """"Bluepad" or "QPOS" (firmware images are named after it)."""
    serial: str
    """Also the advertised name."""
    manufacturer: str
    app_selection_on_reader: bool
    nfc_default: bool


@dataclass(slots=True)
class _Transfer:
    version: str
    size: int
    sha256: bytes
    data: bytearray = field(default_factory=bytearray)


def version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("-")[0].split(".") if part.isdigit())


class ReaderCore:
    """Everything an emulated reader decides, without the radio."""

    def __init__(
        self,
        identity: ReaderIdentity,
        env: TransactionEnvironment,
        *,
        firmware_version: str,
        battery_level: int = 80,
        charging: bool = False,
        reboot_s: float = 3.0,
    ) -> None:
        self.identity = identity
        self.env = env
        self.firmware_version = firmware_version
        self.battery_level = battery_level
        self.charging = charging
        self.reboot_s = reboot_s
        """How long a reboot after a firmware update takes."""
        self.firmware_update: FirmwareUpdateInfo | None = None
        self.transaction: ReaderTransaction | None = None
        self.rebooting: FirmwareRebooting | None = None
        """Set once a good image is in: the caller reboots, then calls ``finish_reboot``."""
        self._transfer: _Transfer | None = None

    # -- state -----------------------------------------------------------------------------

    @property
    def battery_low(self) -> bool:
        return self.battery_level <= LOW_BATTERY_PERCENT

    @property
    def updating(self) -> bool:
        return self._transfer is not None or self.rebooting is not None

    @property
    def active_transaction(self) -> ReaderTransaction | None:
        txn = self.transaction
        return txn if txn is not None and not txn.done else None

    def info(self) -> ReaderInfo:
        return ReaderInfo(
            model=self.identity.model,
            serial=self.identity.serial,
            firmware_version=self.firmware_version,
            protocol_version=PROTOCOL_VERSION,
            battery_level=self.battery_level,
            charging=self.charging,
            app_selection_on_reader=self.identity.app_selection_on_reader,
            nfc_default=self.identity.nfc_default,
            max_message_size=MAX_MESSAGE_SIZE,
            firmware_update=self.firmware_update,
        )

    def battery_status(self) -> BatteryStatus:
        return BatteryStatus(self.battery_level, self.charging, self.battery_low)

    # -- conditions ------------------------------------------------------------------------

    def set_battery(self, level: int, charging: bool = False) -> list[ReaderMessage]:
        """A new battery level: the ``BatteryStatus`` to notify, and the end of a running
        transaction when the battery is exhausted."""
        if not 0 <= level <= 100:
            raise ValueError(f"battery level out of 0…100: {level}")
        self.battery_level = level
        self.charging = charging
        out: list[ReaderMessage] = [self.battery_status()]
        txn = self.active_transaction
        if txn is not None and self._battery_exhausted():
            out += txn.abort_low_battery()
        return out

    def set_firmware_update(
        self, version: str | None, required: bool, *, size: int = 0, estimated_s: int | None = None
    ) -> None:
        """Announce an update in ``ReaderInfo`` (None: the reader is up to date)."""
        if version is None:
            self.firmware_update = None
            return
        if estimated_s is None:
            estimated_s = max(
                1, math.ceil(size / FIRMWARE_BYTES_PER_SECOND) + math.ceil(self.reboot_s)
            )
        self.firmware_update = FirmwareUpdateInfo(version, required, size, estimated_s)

    def link_lost(self) -> None:
        """The host went away: a running transaction and a transfer are abandoned."""
        self.transaction = None
        self._transfer = None

    def finish_reboot(self) -> str:
        """The reboot is over: the new firmware runs. Returns its version."""
        rebooting = self.rebooting
        if rebooting is None:
            return self.firmware_version
        self.rebooting = None
        self.firmware_version = rebooting.version
        pending = self.firmware_update
        if pending is not None and version_tuple(rebooting.version) >= version_tuple(
            pending.version
        ):
            self.firmware_update = None
        return self.firmware_version

    # -- host messages ---------------------------------------------------------------------

    def handle(self, msg: HostMessage) -> list[ReaderMessage]:
        if isinstance(msg, GetInfo):
            return [self.info()]
        if isinstance(msg, StartTransaction):
            return self._start(msg)
        if isinstance(msg, CancelTransaction | ApplicationSelected | AuthorizationResponse):
            return self._to_transaction(msg)
        if isinstance(msg, FirmwareUpdateStart):
            return self._firmware_start(msg)
        if isinstance(msg, FirmwareChunk):
            return self._firmware_chunk(msg)
        return self._firmware_finish(msg)

    def _start(self, msg: StartTransaction) -> list[ReaderMessage]:
        def fault(code: FaultCode, text: str, **details: str) -> list[ReaderMessage]:
            return [ReaderFault(code, text, txn_id=msg.txn_id, details=dict(details))]

        if self.updating or self.active_transaction is not None:
            return fault(FaultCode.BUSY, "the reader is busy")
        if not 0 < msg.txn_id < 2**32 or msg.amount_minor <= 0 or not msg.currency.isdigit():
            return fault(FaultCode.BAD_MESSAGE, "bad transaction parameters")
        if self._battery_exhausted():
            return [
                self.battery_status(),
                display(msg.txn_id, DisplayCode.LOW_BATTERY),
                *fault(FaultCode.LOW_BATTERY, "battery too low", level=str(self.battery_level)),
            ]
        update = self.firmware_update
        if update is not None and update.required:
            return fault(
                FaultCode.FIRMWARE_UPDATE_REQUIRED,
                "firmware update required",
                version=update.version,
            )
        out: list[ReaderMessage] = [self.battery_status()] if self.battery_low else []
        self.transaction = ReaderTransaction(msg, self.env)
        return out + self.transaction.begin()

    def _to_transaction(
        self, msg: CancelTransaction | ApplicationSelected | AuthorizationResponse
    ) -> list[ReaderMessage]:
        txn = self.transaction
        if txn is None or txn.txn_id != msg.txn_id:
            return [ReaderFault(FaultCode.UNKNOWN_TRANSACTION, "no such transaction", msg.txn_id)]
        if isinstance(msg, CancelTransaction):
            return txn.host_cancel()  # a cancel racing the end is answered by the result
        if isinstance(msg, ApplicationSelected):
            return txn.on_application_selected(msg)
        return txn.on_authorization_response(msg)

    def _battery_exhausted(self) -> bool:
        return self.battery_level <= CRITICAL_BATTERY_PERCENT and not self.charging

    # -- firmware --------------------------------------------------------------------------

    def _firmware_start(self, msg: FirmwareUpdateStart) -> list[ReaderMessage]:
        if self.active_transaction is not None or self.rebooting is not None:
            return [ReaderFault(FaultCode.BUSY, "the reader is busy")]
        if self.battery_level < FIRMWARE_MIN_BATTERY_PERCENT:
            return [
                ReaderFault(
                    FaultCode.LOW_BATTERY,
                    f"firmware update needs at least {FIRMWARE_MIN_BATTERY_PERCENT}% battery",
                    details={
                        "level": str(self.battery_level),
                        "required": str(FIRMWARE_MIN_BATTERY_PERCENT),
                    },
                )
            ]
        if not 0 < msg.size <= MAX_FIRMWARE_SIZE or len(msg.sha256) != 32 or not msg.version:
            return [ReaderFault(FaultCode.FIRMWARE_IMAGE_INVALID, "bad image header")]
        self._transfer = _Transfer(msg.version, msg.size, msg.sha256)
        return [display(0, DisplayCode.UPDATING_FIRMWARE), FirmwareProgress(0, msg.size)]

    def _firmware_chunk(self, msg: FirmwareChunk) -> list[ReaderMessage]:
        transfer = self._transfer
        if transfer is None:
            return [ReaderFault(FaultCode.BAD_MESSAGE, "no firmware transfer")]
        received = len(transfer.data)
        end = msg.offset + len(msg.data)
        if end <= received and transfer.data[msg.offset : end] == msg.data:
            return [FirmwareProgress(received, transfer.size)]  # a repeated chunk
        if msg.offset != received or end > transfer.size:
            self._transfer = None
            return [
                ReaderFault(
                    FaultCode.FIRMWARE_IMAGE_INVALID,
                    f"chunk at {msg.offset} does not follow {received} of {transfer.size}",
                )
            ]
        transfer.data += msg.data
        return [FirmwareProgress(len(transfer.data), transfer.size)]

    def _firmware_finish(self, msg: FirmwareUpdateFinish) -> list[ReaderMessage]:
        transfer = self._transfer
        if transfer is None:
            return [ReaderFault(FaultCode.BAD_MESSAGE, "no firmware transfer")]
        self._transfer = None
        if msg.version != transfer.version or len(transfer.data) != transfer.size:
            return [
                ReaderFault(
                    FaultCode.FIRMWARE_IMAGE_INVALID,
                    f"received {len(transfer.data)} of {transfer.size} bytes",
                )
            ]
        if hashlib.sha256(transfer.data).digest() != transfer.sha256:
            return [ReaderFault(FaultCode.FIRMWARE_IMAGE_INVALID, "SHA-256 does not match")]
        self.rebooting = FirmwareRebooting(transfer.version, max(1, math.ceil(self.reboot_s)))
        return [self.rebooting]
