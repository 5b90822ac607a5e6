"""The reader's GATT profile (docs/reader-protocol.md): UUIDs and limits shared by the host
and the emulated readers.

One primary service of our own with a write characteristic (host → reader, write without
response) and a notify characteristic (reader → host), plus the standard Device Information
(model, serial, firmware revision) and Battery (level, notified) services.
"""

from __future__ import annotations

READER_SERVICE_UUID = "6e3f0001-5c1b-4d0e-9a7c-2f8a4d1e7b10"
HOST_TO_READER_UUID = "6e3f0002-5c1b-4d0e-9a7c-2f8a4d1e7b10"
"""Write (without response): frames from the host."""
READER_TO_HOST_UUID = "6e3f0003-5c1b-4d0e-9a7c-2f8a4d1e7b10"
"""Notify: frames from the reader."""

DEVICE_INFORMATION_SERVICE_UUID = "0000180a-0000-1000-8000-00805f9b34fb"
MODEL_NUMBER_UUID = "00002a24-0000-1000-8000-00805f9b34fb"
SERIAL_NUMBER_UUID = "00002a25-0000-1000-8000-00805f9b34fb"
FIRMWARE_REVISION_UUID = "00002a26-0000-1000-8000-00805f9b34fb"
MANUFACTURER_NAME_UUID = "00002a29-0000-1000-8000-00805f9b34fb"

BATTERY_SERVICE_UUID = "0000180f-0000-1000-8000-00805f9b34fb"
BATTERY_LEVEL_UUID = "00002a19-0000-1000-8000-00805f9b34fb"

PROTOCOL_VERSION = 1
MIN_ATT_MTU = 23
"""The smallest ATT MTU; a notification or write then carries 20 bytes (MTU − 3)."""
MAX_MESSAGE_SIZE = 8192
"""The largest message either side accepts (firmware travels in chunks below this)."""
LOW_BATTERY_PERCENT = 15
"""At or under this level the reader reports low battery and the app warns."""
FIRMWARE_MIN_BATTERY_PERCENT = 50
"""A firmware update is refused under this battery level."""
