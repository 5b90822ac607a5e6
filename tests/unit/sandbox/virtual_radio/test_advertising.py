"""Advertising data of the emulated readers, byte for byte, and UUIDs written as bleak writes
them."""

from __future__ import annotations

import pytest
from bumble.core import UUID as BumbleUUID

from desktop_pos.sandbox.virtual_radio.advertising import (
    VirtualRadioError,
    advertising_payload,
    bleak_uuid,
)

BATTERY = "0000180f-0000-1000-8000-00805f9b34fb"
OWN = "6e400001-b5a3-f393-e0a9-e50e24dcca9e"


def structures(payload: bytes) -> list[tuple[int, bytes]]:
    found, offset = [], 0
    while offset < len(payload):
        length = payload[offset]
        found.append((payload[offset + 1], payload[offset + 2 : offset + 1 + length]))
        offset += 1 + length
    assert offset == len(payload)
    return found


def test_flags_name_and_both_uuid_sizes() -> None:
    payload = advertising_payload(name="PP0918900518", service_uuids=[BATTERY, OWN])
    assert structures(payload) == [
        (0x01, b"\x06"),
        (0x09, b"PP0918900518"),
        (0x03, b"\x0f\x18"),
        (0x07, bytes.fromhex(OWN.replace("-", ""))[::-1]),
    ]


def test_service_data_tx_power_and_manufacturer_data() -> None:
    payload = advertising_payload(
        service_data={BATTERY: b"\x50"}, tx_power=-4, manufacturer_data={0x0059: b"\x01\x02"}
    )
    assert structures(payload)[1:] == [
        (0x16, b"\x0f\x18\x50"),
        (0x0A, b"\xfc"),
        (0xFF, b"Y\x00\x01\x02"),
    ]


def test_data_that_does_not_fit_one_advertisement_is_refused() -> None:
    with pytest.raises(VirtualRadioError, match="at most 251"):
        advertising_payload(name="R" * 260)


def test_bleak_uuid_is_128_bit_lower_case_with_dashes() -> None:
    assert bleak_uuid(BumbleUUID.from_16_bits(0x180F)) == BATTERY
    assert bleak_uuid(BumbleUUID(OWN.upper())) == OWN
