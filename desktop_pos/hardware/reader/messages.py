"""The messages of the card reader link (docs/reader-protocol.md), as plain data.

Host → reader: ``GetInfo``, ``StartTransaction``, ``CancelTransaction``, ``ApplicationSelected``,
``AuthorizationResponse``, ``FirmwareUpdateStart``, ``FirmwareChunk``, ``FirmwareUpdateFinish``.
Reader → host: ``ReaderInfo``, ``DisplayText``, ``CardRead``, ``ApplicationSelectionRequest``,
``CvmResult``, ``AuthorizationRequest``, ``TransactionResult``, ``BatteryStatus``,
``FirmwareProgress``, ``FirmwareRebooting``, ``ReaderFault``.

Every message that belongs to a transaction carries its ``txn_id`` (chosen by the host). Amounts
are integers in minor units (kopecks), the currency a numeric ISO 4217 code ("643"). Clear card
numbers and track data never appear here: ``CardRead`` has a masked PAN and
``AuthorizationRequest`` a blob encrypted for the gateway. The byte encoding is in ``codec``;
chunking for the ATT MTU in ``framing``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum


class TxnKind(IntEnum):
    PURCHASE = 0
    REFUND = 1


class EntryMode(IntEnum):
    NFC = 1
    CHIP = 2
    MAGSTRIPE = 3


class Cvm(IntEnum):
    """How the cardholder is verified."""

    NONE = 0
    PIN_ON_READER = 1
    SIGNATURE = 2


class ApplicationChoice(IntEnum):
    """How the card application of ``CardRead`` was chosen."""

    ONLY = 0
    """The card has one application."""
    PRIORITY = 1
    """Contactless: the card's priority application, no choice."""
    HOST = 2
    """Chosen in the app (``ApplicationSelectionRequest`` → ``ApplicationSelected``)."""
    READER = 3
    """Chosen by the buyer on the reader's own screen."""


class DisplayCode(IntEnum):
    """What the reader's screen shows; the host mirrors it in the payment log."""

    IDLE = 0
    PRESENT_CARD = 1
    CARD_INSERTED = 2
    CARD_TAPPED = 3
    CARD_SWIPED = 4
    SELECT_APPLICATION = 5
    PROCESSING = 6
    ENTER_PIN = 7
    WRONG_PIN = 8
    PIN_OK = 9
    REMOVE_CARD = 10
    APPROVED = 11
    DECLINED = 12
    CANCELLED = 13
    CARD_READ_ERROR = 14
    LOW_BATTERY = 15
    UPDATING_FIRMWARE = 16
    TRY_AGAIN = 17


class TxnOutcome(IntEnum):
    """How a transaction ended on the reader (``TransactionResult``)."""

    APPROVED = 0
    DECLINED = 1
    """Declined online by the host's answer, or offline by the card."""
    CANCELLED_ON_READER = 2
    CANCELLED_BY_HOST = 3
    CARD_REMOVED = 4
    PIN_TRIES_EXCEEDED = 5
    CARD_ERROR = 6
    TIMEOUT = 7
    """No card presented or no host answer in time."""
    HOST_UNREACHABLE = 8
    """The host answered ``AuthorizationOutcome.UNABLE_TO_GO_ONLINE``."""
    LOW_BATTERY = 9


class AuthorizationOutcome(IntEnum):
    APPROVED = 0
    DECLINED = 1
    UNABLE_TO_GO_ONLINE = 2
    """No final answer from the gateway (lost, timed out): the reader aborts safely."""


class FaultCode(IntEnum):
    """``ReaderFault``: the reader could not do what the host asked."""

    BAD_MESSAGE = 1
    UNSUPPORTED_VERSION = 2
    BUSY = 3
    UNKNOWN_TRANSACTION = 4
    LOW_BATTERY = 5
    FIRMWARE_UPDATE_REQUIRED = 6
    FIRMWARE_IMAGE_INVALID = 7
    INTERNAL = 8


# -- host → reader ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GetInfo:
    """Ask for ``ReaderInfo`` (also the first message of every connection)."""


@dataclass(frozen=True, slots=True)
class StartTransaction:
    txn_id: int
    """1 … 2**32-1, unique per connection."""
    kind: TxnKind
    amount_minor: int
    currency: str
    """ISO 4217 numeric, "643" for RUB."""
    order_number: str
    no_cvm_limit_minor: int
    """Contactless at or under this amount needs no CVM (300000 = 3000.00 RUB)."""
    nfc_enabled: bool = True


@dataclass(frozen=True, slots=True)
class CancelTransaction:
    txn_id: int


@dataclass(frozen=True, slots=True)
class ApplicationSelected:
    txn_id: int
    aid: bytes


@dataclass(frozen=True, slots=True)
class AuthorizationResponse:
    txn_id: int
    outcome: AuthorizationOutcome
    response_code: str = ""
    """Assist's code, e.g. "AS000"; ISO 8583 code in ``issuer_response_code`` ("00", "51")."""
    issuer_response_code: str = ""
    auth_code: str = ""
    issuer_data: bytes = b""
    """BER-TLV for the card: 91 (issuer authentication data), 71/72 (issuer scripts)."""


@dataclass(frozen=True, slots=True)
class FirmwareUpdateStart:
    version: str
    size: int
    sha256: bytes


@dataclass(frozen=True, slots=True)
class FirmwareChunk:
    offset: int
    data: bytes


@dataclass(frozen=True, slots=True)
class FirmwareUpdateFinish:
    version: str


# -- reader → host ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FirmwareUpdateInfo:
    """An update the reader wants: ``required`` ones block payments until installed."""

    version: str
    required: bool
    size: int
    estimated_s: int


@dataclass(frozen=True, slots=True)
class ReaderInfo:
    model: str
    serial: str
    firmware_version: str
    protocol_version: int
    battery_level: int
    """0 … 100."""
    charging: bool
    app_selection_on_reader: bool
    """Bluepad-like: co-badged cards are chosen on the reader; QPOS-like: in the app."""
    nfc_default: bool
    max_message_size: int
    firmware_update: FirmwareUpdateInfo | None = None


@dataclass(frozen=True, slots=True)
class DisplayText:
    txn_id: int
    """0 outside a transaction."""
    code: DisplayCode
    text: str
    """The reader's own wording (English, upper case), e.g. "PRESENT CARD"."""


@dataclass(frozen=True, slots=True)
class CardApplication:
    aid: bytes
    label: str
    """"MIR", "Maestro", …"""
    priority: int = 0
    """EMV application priority indicator: 1 is the highest, 0 none."""


@dataclass(frozen=True, slots=True)
class ApplicationSelectionRequest:
    txn_id: int
    applications: tuple[CardApplication, ...]


@dataclass(frozen=True, slots=True)
class CardRead:
    txn_id: int
    entry_mode: EntryMode
    masked_pan: str
    """First 6 and last 4 digits, the rest "*": "220220******1234"."""
    brand: str
    """Payment system: "MIR", "VISA", "MASTERCARD", "MAESTRO"."""
    application_label: str
    aid: bytes
    application_choice: ApplicationChoice
    cardholder: str = ""
    """As on the card ("IVANOV/IVAN"), empty when the card has none."""


@dataclass(frozen=True, slots=True)
class CvmResult:
    txn_id: int
    cvm: Cvm
    pin_verified: bool = False
    """``PIN_ON_READER``: the PIN was checked (offline) or captured (online)."""


@dataclass(frozen=True, slots=True)
class AuthorizationRequest:
    txn_id: int
    emv_tlv: bytes
    """BER-TLV: 9F26, 9F27, 9F10, 9F37, 9F36, 95, 9A, 9C, 9F02, 5F2A, 82, 84, 9F1A, …"""
    card_data: bytes
    """The encrypted card data (PAN, expiry, track 2 equivalent) only the gateway opens."""
    key_id: str
    """Which gateway key ``card_data`` is sealed for."""


@dataclass(frozen=True, slots=True)
class TransactionResult:
    txn_id: int
    outcome: TxnOutcome
    tvr: bytes = bytes(5)
    tsi: bytes = bytes(2)
    reason: str = ""


@dataclass(frozen=True, slots=True)
class BatteryStatus:
    level: int
    charging: bool
    low: bool


@dataclass(frozen=True, slots=True)
class FirmwareProgress:
    received: int
    total: int


@dataclass(frozen=True, slots=True)
class FirmwareRebooting:
    version: str
    expected_back_s: int


@dataclass(frozen=True, slots=True)
class ReaderFault:
    code: FaultCode
    text: str = ""
    txn_id: int = 0
    details: dict[str, str] = field(default_factory=dict)


HostMessage = (
    GetInfo
    | StartTransaction
    | CancelTransaction
    | ApplicationSelected
    | AuthorizationResponse
    | FirmwareUpdateStart
    | FirmwareChunk
    | FirmwareUpdateFinish
)
ReaderMessage = (
    ReaderInfo
    | DisplayText
    | ApplicationSelectionRequest
    | CardRead
    | CvmResult
    | AuthorizationRequest
    | TransactionResult
    | BatteryStatus
    | FirmwareProgress
    | FirmwareRebooting
    | ReaderFault
)
Message = HostMessage | ReaderMessage
