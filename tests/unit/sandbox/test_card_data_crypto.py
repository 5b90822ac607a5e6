"""The sealed card data: round trip, bound to its order and amount, wrong key, damage, no leaks."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_pos.sandbox.card_data_crypto import (
    NONCE_SIZE,
    SANDBOX_KEY,
    SANDBOX_KEY_ID,
    TAG_SIZE,
    CardDataError,
    CardSecrets,
    blob_key_id,
    card_data_aad,
    mask_pan,
    open_card_data,
    seal_card_data,
)

KEYS = {SANDBOX_KEY_ID: SANDBOX_KEY}
SECRETS = CardSecrets(
    pan="2202201234567890",
    expiry="2812",
    track2_equivalent="2202201234567890D28122010000000000",
    cardholder="IVANOV/IVAN",
)
AAD = card_data_aad("1001", 15000)


def test_the_sandbox_key() -> None:
    assert len(SANDBOX_KEY) == 32
    assert SANDBOX_KEY_ID == "sandbox-2024-01"


def test_round_trip_and_layout() -> None:
    blob = seal_card_data(SECRETS, SANDBOX_KEY, SANDBOX_KEY_ID, AAD)
    assert blob[0] == 1
    assert blob[1] == len(SANDBOX_KEY_ID)
    assert blob[2 : 2 + len(SANDBOX_KEY_ID)] == SANDBOX_KEY_ID.encode()
    assert blob_key_id(blob) == SANDBOX_KEY_ID
    assert open_card_data(blob, KEYS, AAD) == SECRETS
    assert b"2202201234567890" not in blob
    assert b"IVANOV" not in blob


def test_each_seal_uses_a_fresh_nonce() -> None:
    one = seal_card_data(SECRETS, SANDBOX_KEY, SANDBOX_KEY_ID, AAD)
    two = seal_card_data(SECRETS, SANDBOX_KEY, SANDBOX_KEY_ID, AAD)
    assert one != two
    header = 2 + len(SANDBOX_KEY_ID)
    assert one[header : header + NONCE_SIZE] != two[header : header + NONCE_SIZE]


def test_aad_binds_the_blob_to_order_and_amount() -> None:
    assert card_data_aad("1001", 15000) == b"1001|15000"
    blob = seal_card_data(SECRETS, SANDBOX_KEY, SANDBOX_KEY_ID, AAD)
    with pytest.raises(CardDataError, match="other order or amount"):
        open_card_data(blob, KEYS, card_data_aad("1002", 15000))
    with pytest.raises(CardDataError):
        open_card_data(blob, KEYS, card_data_aad("1001", 15001))
    with pytest.raises(ValueError):
        card_data_aad("1001", -1)


def test_wrong_or_unknown_key() -> None:
    blob = seal_card_data(SECRETS, SANDBOX_KEY, SANDBOX_KEY_ID, AAD)
    with pytest.raises(CardDataError, match="no key"):
        open_card_data(blob, {"other": SANDBOX_KEY}, AAD)
    with pytest.raises(CardDataError):
        open_card_data(blob, {SANDBOX_KEY_ID: bytes(32)}, AAD)


def test_the_key_id_is_authenticated() -> None:
    blob = seal_card_data(SECRETS, SANDBOX_KEY, "key-a", AAD)
    relabelled = blob[:2] + b"key-b" + blob[7:]
    with pytest.raises(CardDataError):
        open_card_data(relabelled, {"key-a": SANDBOX_KEY, "key-b": SANDBOX_KEY}, AAD)


@settings(max_examples=30)
@given(st.data())
def test_any_damage_is_refused(data: st.DataObject) -> None:
    blob = bytearray(seal_card_data(SECRETS, SANDBOX_KEY, SANDBOX_KEY_ID, AAD))
    pos = data.draw(st.integers(0, len(blob) - 1))
    blob[pos] ^= data.draw(st.integers(1, 255))
    with pytest.raises(CardDataError):
        open_card_data(bytes(blob), KEYS, AAD)


@pytest.mark.parametrize(
    "blob",
    [
        b"",
        b"\x02\x01a" + bytes(40),
        b"\x01\x40abc",
        b"\x01\x02\xff\xfe" + bytes(40),
        b"\x01\x02a b" + bytes(NONCE_SIZE + TAG_SIZE),
    ],
)
def test_malformed_blobs(blob: bytes) -> None:
    with pytest.raises(CardDataError):
        open_card_data(blob, KEYS, AAD)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"pan": "12345"},
        {"pan": "2202-2012-3456"},
        {"expiry": "2813"},
        {"expiry": "281"},
        {"track2_equivalent": "2202201234567890X2812"},
        {"cardholder": "X" * 27},
    ],
)
def test_card_data_is_validated(kwargs: dict[str, str]) -> None:
    values = {
        "pan": SECRETS.pan,
        "expiry": SECRETS.expiry,
        "track2_equivalent": SECRETS.track2_equivalent,
        "cardholder": SECRETS.cardholder,
    } | kwargs
    with pytest.raises(CardDataError):
        CardSecrets(**values)


def test_repr_and_errors_never_show_the_card_number() -> None:
    assert repr(SECRETS) == "CardSecrets(masked_pan='220220******7890')"
    assert "2202201234567890" not in str(SECRETS)
    assert mask_pan("4111111111111111") == "411111******1111"
    assert mask_pan("12345") == "*****"
    try:
        CardSecrets(pan="2202201234567890", expiry="9999", track2_equivalent="")
    except CardDataError as exc:
        assert "2202201234567890" not in str(exc)


def test_bad_key_or_key_id_when_sealing() -> None:
    with pytest.raises(ValueError):
        seal_card_data(SECRETS, bytes(31), SANDBOX_KEY_ID, AAD)
    with pytest.raises(ValueError):
        seal_card_data(SECRETS, SANDBOX_KEY, "bad id", AAD)
