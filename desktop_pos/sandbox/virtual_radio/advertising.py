"""Advertising data as the emulated readers send it, and bumble's UUIDs and addresses written
as bleak writes them."""

from __future__ import annotations

import struct
import uuid
from collections.abc import Mapping, Sequence

from bumble import hci
from bumble.core import UUID as BumbleUUID
from bumble.core import AdvertisingData

LEGACY_ADVERTISING_DATA_MAX = 31
"""Advertising data up to this size goes out in legacy PDUs, longer data in extended ones."""
EXTENDED_ADVERTISING_DATA_MAX = 251
_FLAGS_LE_ONLY_GENERAL_DISCOVERABLE = 0x06


class VirtualRadioError(RuntimeError):
    """The virtual radio was used wrongly (closed, unknown device, data too long, …)."""


def advertising_payload(
    *,
    name: str | None = None,
    service_uuids: Sequence[str] = (),
    manufacturer_data: Mapping[int, bytes] | None = None,
    service_data: Mapping[str, bytes] | None = None,
    tx_power: int | None = None,
) -> bytes:
    """Advertising data (AD structures) with flags, name, service UUIDs and the rest."""
    structures: list[tuple[int, bytes]] = [
        (AdvertisingData.Type.FLAGS, bytes([_FLAGS_LE_ONLY_GENERAL_DISCOVERABLE]))
    ]
    if name:
        structures.append((AdvertisingData.Type.COMPLETE_LOCAL_NAME, name.encode("utf-8")))
    uuids = [uuid.UUID(u) for u in service_uuids]
    short = [u for u in uuids if _is_sig_16_bit(u)]
    long = [u for u in uuids if not _is_sig_16_bit(u)]
    if short:
        structures.append(
            (
                AdvertisingData.Type.COMPLETE_LIST_OF_16_BIT_SERVICE_CLASS_UUIDS,
                b"".join(struct.pack("<H", (u.int >> 96) & 0xFFFF) for u in short),
            )
        )
    if long:
        structures.append(
            (
                AdvertisingData.Type.COMPLETE_LIST_OF_128_BIT_SERVICE_CLASS_UUIDS,
                b"".join(u.bytes[::-1] for u in long),
            )
        )
    for service, data in (service_data or {}).items():
        service_uuid = uuid.UUID(service)
        if _is_sig_16_bit(service_uuid):
            key = struct.pack("<H", (service_uuid.int >> 96) & 0xFFFF)
            structures.append((AdvertisingData.Type.SERVICE_DATA_16_BIT_UUID, key + data))
        else:
            key = service_uuid.bytes[::-1]
            structures.append((AdvertisingData.Type.SERVICE_DATA_128_BIT_UUID, key + data))
    if tx_power is not None:
        structures.append((AdvertisingData.Type.TX_POWER_LEVEL, struct.pack("<b", tx_power)))
    for company, data in (manufacturer_data or {}).items():
        structures.append(
            (AdvertisingData.Type.MANUFACTURER_SPECIFIC_DATA, struct.pack("<H", company) + data)
        )
    size = sum(2 + len(data) for _kind, data in structures)
    if size > EXTENDED_ADVERTISING_DATA_MAX:
        raise VirtualRadioError(
            f"advertising data is {size} bytes, at most "
            f"{EXTENDED_ADVERTISING_DATA_MAX} fit in one advertisement"
        )
    return b"".join(bytes([len(data) + 1, kind]) + data for kind, data in structures)


_SIG_BASE = uuid.UUID("00000000-0000-1000-8000-00805f9b34fb")


def _is_sig_16_bit(value: uuid.UUID) -> bool:
    return value.int & ~(0xFFFF << 96) == _SIG_BASE.int


def bleak_uuid(value: BumbleUUID) -> str:
    """A bumble UUID as bleak writes it: 128-bit, lower case, with dashes."""
    return str(uuid.UUID(bytes=bytes(reversed(value.uuid_128_bytes))))


def address_text(address: hci.Address) -> str:
    """``AA:BB:CC:DD:EE:FF`` (no type suffix), as bleak shows addresses on Linux."""
    return address.to_string(with_type_qualifier=False)
