"""A bleak scanner backend that listens on the virtual radio.

``BleakScanner(backend=BumbleScanner, radio=radio, service_uuids=[...])`` (or
``BleakScanner.discover(..., backend=BumbleScanner, radio=radio)``): bleak builds this class
with its usual arguments plus ``radio=``; without it the default radio is used
(:func:`desktop_pos.sandbox.virtual_radio.radio.set_default_radio`).
"""

from __future__ import annotations

import logging
import struct
from typing import Any, Literal

from bleak.backends.scanner import AdvertisementData, AdvertisementDataCallback, BaseBleakScanner
from bumble.core import UUID as BumbleUUID
from bumble.core import AdvertisingData
from bumble.device import Advertisement, Device

from desktop_pos.sandbox.virtual_radio.advertising import address_text, bleak_uuid
from desktop_pos.sandbox.virtual_radio.radio import VirtualRadio

logger = logging.getLogger(__name__)

_SERVICE_LISTS = (
    (AdvertisingData.Type.COMPLETE_LIST_OF_16_BIT_SERVICE_CLASS_UUIDS, 2),
    (AdvertisingData.Type.INCOMPLETE_LIST_OF_16_BIT_SERVICE_CLASS_UUIDS, 2),
    (AdvertisingData.Type.COMPLETE_LIST_OF_32_BIT_SERVICE_CLASS_UUIDS, 4),
    (AdvertisingData.Type.INCOMPLETE_LIST_OF_32_BIT_SERVICE_CLASS_UUIDS, 4),
    (AdvertisingData.Type.COMPLETE_LIST_OF_128_BIT_SERVICE_CLASS_UUIDS, 16),
    (AdvertisingData.Type.INCOMPLETE_LIST_OF_128_BIT_SERVICE_CLASS_UUIDS, 16),
)
_SERVICE_DATA = (
    (AdvertisingData.Type.SERVICE_DATA_16_BIT_UUID, 2),
    (AdvertisingData.Type.SERVICE_DATA_32_BIT_UUID, 4),
    (AdvertisingData.Type.SERVICE_DATA_128_BIT_UUID, 16),
)


def resolve_radio(kwargs: dict[str, Any]) -> VirtualRadio:
    radio = kwargs.get("radio")
    if radio is None:
        return VirtualRadio.default()
    if not isinstance(radio, VirtualRadio):
        raise TypeError(f"radio= must be a VirtualRadio, not {type(radio).__name__}")
    return radio


def advertisement_data(advertisement: Advertisement, rssi: int) -> AdvertisementData:
    """bleak's view of one bumble advertisement."""
    data = advertisement.data
    raw_name = data.get(AdvertisingData.Type.COMPLETE_LOCAL_NAME, raw=True) or data.get(
        AdvertisingData.Type.SHORTENED_LOCAL_NAME, raw=True
    )
    local_name = raw_name.decode("utf-8", "replace") if raw_name is not None else None

    service_uuids: list[str] = []
    for kind, size in _SERVICE_LISTS:
        for chunk in data.get_all(kind, raw=True):
            for offset in range(0, len(chunk) - size + 1, size):
                text = bleak_uuid(BumbleUUID.from_bytes(chunk[offset : offset + size]))
                if text not in service_uuids:
                    service_uuids.append(text)

    service_data: dict[str, bytes] = {}
    for kind, size in _SERVICE_DATA:
        for chunk in data.get_all(kind, raw=True):
            if len(chunk) >= size:
                key = bleak_uuid(BumbleUUID.from_bytes(chunk[:size]))
                service_data[key] = bytes(chunk[size:])

    manufacturer_data: dict[int, bytes] = {}
    for chunk in data.get_all(AdvertisingData.Type.MANUFACTURER_SPECIFIC_DATA, raw=True):
        if len(chunk) >= 2:
            (company,) = struct.unpack_from("<H", chunk)
            manufacturer_data[company] = bytes(chunk[2:])

    tx_power: int | None = None
    raw_power = data.get(AdvertisingData.Type.TX_POWER_LEVEL, raw=True)
    if raw_power:
        (tx_power,) = struct.unpack_from("<b", raw_power)

    return AdvertisementData(
        local_name=local_name,
        manufacturer_data=manufacturer_data,
        service_data=service_data,
        service_uuids=service_uuids,
        tx_power=tx_power,
        rssi=rssi,
        platform_data=(advertisement,),
    )


class BumbleScanner(BaseBleakScanner):
    """Scans the virtual radio through its shared central; filters by service UUID."""

    def __init__(
        self,
        detection_callback: AdvertisementDataCallback | None,
        service_uuids: list[str] | None,
        scanning_mode: Literal["active", "passive"] = "active",
        **kwargs: Any,
    ) -> None:
        super().__init__(detection_callback, service_uuids)
        self._radio = resolve_radio(kwargs)
        self._scanning_mode = scanning_mode
        self._central: Device | None = None

    @property
    def radio(self) -> VirtualRadio:
        return self._radio

    async def start(self) -> None:
        if self._central is not None:
            return
        self.seen_devices = {}
        central = await self._radio.acquire_scanning()
        central.on(Device.EVENT_ADVERTISEMENT, self._on_advertisement)
        self._central = central

    async def stop(self) -> None:
        central, self._central = self._central, None
        if central is None:
            return
        central.remove_listener(Device.EVENT_ADVERTISEMENT, self._on_advertisement)
        await self._radio.release_scanning()

    def _on_advertisement(self, advertisement: Advertisement) -> None:
        if self._central is None:
            return
        if advertisement.is_scan_response:
            # bumble's emulated controller repeats each advertisement as a scan response
            # with the same data: the first copy already carried everything.
            return
        address = address_text(advertisement.address)
        adv = advertisement_data(advertisement, self._radio.rssi_for(address, advertisement.rssi))
        if not self.is_allowed_uuid(adv.service_uuids):
            return
        device = self.create_or_update_device(
            address, address, adv.local_name, advertisement.address, adv
        )
        self.call_detection_callbacks(device, adv)
