"""The encrypted card data a reader sends for the gateway (``AuthorizationRequest.card_data``).

The reader seals the clear card data (PAN, expiry, track 2 equivalent, cardholder) with AES-GCM
under a key only the gateway holds; the host passes the blob on without being able to read it.
Blob layout (docs/reader-protocol.md, "Card data blob")::

    0x01 (format version) · key id length (1 byte) · key id (ASCII) · nonce (12 bytes) ·
    ciphertext · GCM tag (16 bytes)

The AES-GCM associated data is the blob's header (version, key id) followed by the caller's
``aad``, which is ``card_data_aad(order number, amount)``: a blob sealed for one order and amount
does not open for another. The plaintext is compact JSON (``{"c":…,"e":…,"p":…,"t":…}``).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

BLOB_VERSION: Final = 1
NONCE_SIZE: Final = 12
TAG_SIZE: Final = 16
MAX_KEY_ID_LENGTH: Final = 64

SANDBOX_KEY_ID: Final = "sandbox-2024-01"
SANDBOX_KEY: Final = bytes.fromhex(
    "5a1d8e3f0b7c4a96e2d14f88c03b7e5196a2c4d7f0e813b56a9c2d4e7f1a0b3c"
)
"""The sandbox gateway's card-data key. It is public (it is in this file), so it protects
nothing: only the emulated readers and the sandbox gateway use it, never a real reader or
gateway."""

_PAN = re.compile(r"[0-9]{12,19}")
_EXPIRY = re.compile(r"[0-9]{2}(0[1-9]|1[0-2])")
_TRACK2 = re.compile(r"[0-9]{12,19}[D=][0-9]{4}[0-9]{0,20}F?")
_KEY_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


class CardDataError(Exception):
    """A blob that cannot be opened: wrong key, other order or amount, damaged, or malformed.

    The message never contains card data.
    """


def mask_pan(pan: str) -> str:
    """First 6 and last 4 digits, the rest "*": ``"220220******1234"``."""
    if len(pan) < 12:
        return "*" * len(pan)
    return pan[:6] + "*" * (len(pan) - 10) + pan[-4:]


@dataclass(frozen=True, slots=True)
class CardSecrets:
    """Clear card data; ``repr`` shows the masked PAN only."""

    pan: str = field(repr=False)
    expiry: str = field(repr=False)
    """YYMM."""
    track2_equivalent: str = field(repr=False)
    """PAN, separator "D", expiry YYMM, service code and discretionary data (digits)."""
    cardholder: str = field(default="", repr=False)

    def __post_init__(self) -> None:
        if not _PAN.fullmatch(self.pan):
            raise CardDataError("card number must be 12 to 19 digits")
        if not _EXPIRY.fullmatch(self.expiry):
            raise CardDataError("expiry must be YYMM")
        if self.track2_equivalent and not _TRACK2.fullmatch(self.track2_equivalent):
            raise CardDataError("track 2 equivalent data is malformed")
        if len(self.cardholder) > 26:
            raise CardDataError("cardholder name longer than 26 characters")

    @property
    def masked_pan(self) -> str:
        return mask_pan(self.pan)

    def __repr__(self) -> str:
        return f"CardSecrets(masked_pan={self.masked_pan!r})"


def card_data_aad(order_number: str, amount_minor: int) -> bytes:
    """The associated data that binds a blob to an order: ``b"<order number>|<kopecks>"``."""
    if amount_minor < 0:
        raise ValueError("amount must not be negative")
    return f"{order_number}|{amount_minor}".encode()


def _header(key_id: str) -> bytes:
    raw = key_id.encode("ascii")
    return bytes((BLOB_VERSION, len(raw))) + raw


def seal_card_data(secrets: CardSecrets, key: bytes, key_id: str, aad: bytes) -> bytes:
    """The blob of ``secrets`` for the gateway key ``key_id`` (AES-GCM, random nonce)."""
    if not _KEY_ID.fullmatch(key_id):
        raise ValueError("key id must be 1 to 64 characters of A–Z, a–z, 0–9, '.', '_', '-'")
    if len(key) not in (16, 24, 32):
        raise ValueError("AES key must be 16, 24 or 32 bytes")
    plain = json.dumps(
        {
            "c": secrets.cardholder,
            "e": secrets.expiry,
            "p": secrets.pan,
            "t": secrets.track2_equivalent,
        },
        separators=(",", ":"),
        sort_keys=True,
    ).encode()
    header = _header(key_id)
    nonce = os.urandom(NONCE_SIZE)
    return header + nonce + AESGCM(key).encrypt(nonce, plain, header + aad)


def blob_key_id(blob: bytes) -> str:
    """The key id a blob names (readable without any key)."""
    if len(blob) < 2 or blob[0] != BLOB_VERSION:
        raise CardDataError("not a card data blob of a known version")
    size = blob[1]
    if len(blob) < 2 + size + NONCE_SIZE + TAG_SIZE:
        raise CardDataError("card data blob truncated")
    try:
        key_id = blob[2 : 2 + size].decode("ascii")
    except UnicodeDecodeError:
        raise CardDataError("card data blob key id is not ASCII") from None
    if not _KEY_ID.fullmatch(key_id):
        raise CardDataError("card data blob key id is malformed")
    return key_id


def open_card_data(blob: bytes, keys: Mapping[str, bytes], aad: bytes) -> CardSecrets:
    """The card data in ``blob``; ``CardDataError`` when it does not open with ``keys``/``aad``."""
    blob = bytes(blob)
    key_id = blob_key_id(blob)
    key = keys.get(key_id)
    if key is None:
        raise CardDataError(f"no key {key_id!r} for the card data")
    header_size = 2 + len(key_id)
    header = blob[:header_size]
    nonce = blob[header_size : header_size + NONCE_SIZE]
    try:
        plain = AESGCM(key).decrypt(nonce, blob[header_size + NONCE_SIZE :], header + aad)
    except InvalidTag:
        raise CardDataError(
            "card data does not open: other key, other order or amount, or damaged"
        ) from None
    try:
        data = json.loads(plain)
        return CardSecrets(
            pan=str(data["p"]),
            expiry=str(data["e"]),
            track2_equivalent=str(data["t"]),
            cardholder=str(data.get("c", "")),
        )
    except (ValueError, KeyError, TypeError):
        raise CardDataError("card data content is malformed") from None
