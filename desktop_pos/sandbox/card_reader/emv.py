"""The EMV data an emulated reader puts into ``AuthorizationRequest`` and ``TransactionResult``.

A real kernel reads most of these from the card (AIP, ATC, the cryptogram) and the rest from the
terminal (amount, date, country, unpredictable number). Here the card's side is computed: the
ARQC is an HMAC over the CDOL1 data with a key derived from the PAN, so it changes with every
field and can be recomputed (``compute_arqc``). Clear card data leaves only sealed for the gateway
(``CardDataSealer``).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from desktop_pos.hardware.reader.messages import Cvm, EntryMode, TxnKind
from desktop_pos.hardware.reader.tlv import TlvError, build_tlv, parse_tlv
from desktop_pos.sandbox.card_reader.test_cards import TestCard

TERMINAL_COUNTRY = bytes.fromhex("0643")
TERMINAL_TYPE = bytes.fromhex("22")
"""Attended, online with offline capability, operated by the merchant."""
TERMINAL_CAPABILITIES = bytes.fromhex("E0F8C8")
"""Magnetic stripe, IC, manual; plaintext/enciphered PIN, signature, no CVM; SDA, DDA, CDA."""
CID_ARQC = 0x80
ISSUER_APPLICATION_DATA = bytes.fromhex("06010A03A00000")

_AIP = {EntryMode.CHIP: bytes.fromhex("1900"), EntryMode.NFC: bytes.fromhex("1980")}


class CvmOutcome:
    """9F34 (CVM results): method, condition, result."""

    NO_CVM = bytes.fromhex("1F0302")
    OFFLINE_PIN_OK = bytes.fromhex("440302")
    OFFLINE_PIN_FAILED = bytes.fromhex("440301")
    ONLINE_PIN = bytes.fromhex("420300")
    SIGNATURE = bytes.fromhex("1E0300")


@dataclass(frozen=True, slots=True)
class Tvr:
    """The terminal verification results bits the emulated reader can set."""

    online_pin_entered: bool = False
    cardholder_verification_failed: bool = False
    pin_try_limit_exceeded: bool = False
    exceeds_floor_limit: bool = True
    """The reader's floor limit is 0: every transaction goes online."""
    issuer_authentication_failed: bool = False

    def encode(self) -> bytes:
        byte3 = (
            (0x80 if self.cardholder_verification_failed else 0)
            | (0x20 if self.pin_try_limit_exceeded else 0)
            | (0x04 if self.online_pin_entered else 0)
        )
        byte4 = 0x80 if self.exceeds_floor_limit else 0
        byte5 = 0x40 if self.issuer_authentication_failed else 0
        return bytes([0, 0, byte3, byte4, byte5])


def tsi(
    *,
    emv: bool,
    cvm_performed: bool,
    issuer_authentication: bool = False,
    scripts: bool = False,
) -> bytes:
    """Transaction status information: what the kernel did (zeros for a magnetic stripe)."""
    if not emv:
        return bytes(2)
    first = 0x80 | 0x20 | 0x08  # offline data authentication, card and terminal risk management
    if cvm_performed:
        first |= 0x40
    if issuer_authentication:
        first |= 0x10
    if scripts:
        first |= 0x04
    return bytes([first, 0])


def bcd(digits: str) -> bytes:
    """Numeric (n) EMV format: two digits a byte, left-padded with 0 to an even length."""
    if not digits.isdigit():
        raise ValueError(f"not digits: {digits!r}")
    if len(digits) % 2:
        digits = "0" + digits
    return bytes.fromhex(digits)


def amount_n12(amount_minor: int) -> bytes:
    if not 0 <= amount_minor < 10**12:
        raise ValueError(f"amount out of range: {amount_minor}")
    return bcd(f"{amount_minor:012d}")


def emv_date(day: date) -> bytes:
    return bcd(day.strftime("%y%m%d"))


def _card_key(pan: str, pan_sequence: int) -> bytes:
    return hashlib.sha256(f"sandbox-icc-master-key:{pan}:{pan_sequence:02d}".encode()).digest()


def compute_arqc(pan: str, pan_sequence: int, cdol1_data: bytes) -> bytes:
    """The card's authorization request cryptogram (8 bytes) over the CDOL1 data."""
    return hmac.new(_card_key(pan, pan_sequence), cdol1_data, hashlib.sha256).digest()[:8]


def cdol1_data(
    *,
    amount: bytes,
    country: bytes,
    tvr: bytes,
    currency: bytes,
    txn_date: bytes,
    txn_type: bytes,
    unpredictable_number: bytes,
    aip: bytes,
    atc: bytes,
) -> bytes:
    """The data the terminal gives the card in GENERATE AC (the usual CDOL1 order)."""
    return (
        amount + bytes(6) + country + tvr + currency + txn_date + txn_type + unpredictable_number
    ) + (aip + atc)


@dataclass(frozen=True, slots=True)
class AuthorizationData:
    """Everything the reader knows when it asks the host to go online."""

    card: TestCard
    aid: bytes
    application_label: str
    entry_mode: EntryMode
    kind: TxnKind
    amount_minor: int
    currency: str
    cvm: Cvm
    cvm_results: bytes
    tvr: Tvr
    atc: int
    unpredictable_number: bytes
    today: date


def authorization_tlv(data: AuthorizationData) -> bytes:
    """The BER-TLV of ``AuthorizationRequest.emv_tlv``.

    Chip and contactless: the card's cryptogram and data (9F26, 9F27, 9F10, 9F36, 82, 84, 5F34)
    and the terminal's (9F37, 95, 9A, 9C, 9F02, 9F03, 5F2A, 9F1A, 9F34, 9F33, 9F35) plus 50 and
    4F. A magnetic stripe has no chip: only the terminal's data, no cryptogram.
    """
    amount = amount_n12(data.amount_minor)
    currency = bcd(data.currency.zfill(4))
    tvr = data.tvr.encode()
    txn_date = emv_date(data.today)
    txn_type = b"\x20" if data.kind == TxnKind.REFUND else b"\x00"
    terminal: list[tuple[int, bytes]] = [
        (0x9F02, amount),
        (0x9F03, bytes(6)),
        (0x5F2A, currency),
        (0x9A, txn_date),
        (0x9C, txn_type),
        (0x9F37, data.unpredictable_number),
        (0x95, tvr),
        (0x9F1A, TERMINAL_COUNTRY),
        (0x9F34, data.cvm_results),
        (0x9F33, TERMINAL_CAPABILITIES),
        (0x9F35, TERMINAL_TYPE),
    ]
    if data.entry_mode == EntryMode.MAGSTRIPE:
        return build_tlv(terminal)
    aip = _AIP[data.entry_mode]
    atc = data.atc.to_bytes(2, "big")
    cryptogram = compute_arqc(
        data.card.pan,
        data.card.pan_sequence,
        cdol1_data(
            amount=amount,
            country=TERMINAL_COUNTRY,
            tvr=tvr,
            currency=currency,
            txn_date=txn_date,
            txn_type=txn_type,
            unpredictable_number=data.unpredictable_number,
            aip=aip,
            atc=atc,
        ),
    )
    card: list[tuple[int, bytes]] = [
        (0x9F26, cryptogram),
        (0x9F27, bytes([CID_ARQC])),
        (0x9F10, ISSUER_APPLICATION_DATA),
        (0x9F36, atc),
        (0x82, aip),
        (0x84, data.aid),
        (0x4F, data.aid),
        (0x50, data.application_label.encode("ascii")),
        (0x5F34, bytes([data.card.pan_sequence])),
    ]
    return build_tlv(card + terminal)


def issuer_data_tags(issuer_data: bytes) -> set[int]:
    """The top-level tags of the host's issuer data (91, 71, 72); bad data counts as none."""
    if not issuer_data:
        return set()
    try:
        return {item.tag for item in parse_tlv(issuer_data)}
    except TlvError:
        return set()


CardDataSealer = Callable[[TestCard, str, int], tuple[bytes, str]]
"""(card, order number, amount in minor units) → (sealed card data, key id)."""


def sandbox_sealer(card: TestCard, order_number: str, amount_minor: int) -> tuple[bytes, str]:
    """Seal PAN, expiry and track 2 equivalent data for the sandbox gateway's key."""
    from desktop_pos.sandbox import card_data_crypto

    secrets = card_data_crypto.CardSecrets(
        pan=card.pan,
        expiry=card.expiry,
        track2_equivalent=card.track2_equivalent,
        cardholder=card.cardholder,
    )
    aad = card_data_crypto.card_data_aad(order_number, amount_minor)
    blob = card_data_crypto.seal_card_data(
        secrets, card_data_crypto.SANDBOX_KEY, card_data_crypto.SANDBOX_KEY_ID, aad
    )
    return blob, card_data_crypto.SANDBOX_KEY_ID
