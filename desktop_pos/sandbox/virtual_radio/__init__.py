"""A virtual Bluetooth LE radio (bumble's in-process link) and a bleak backend on it.

The emulated card readers advertise and serve GATT on the radio; the app's reader link reaches
them through bleak's own API with ``backend=BumbleScanner`` / ``backend=BumbleClient`` and
``radio=``, so the production code path is what runs in tests and in demo mode.
"""

from desktop_pos.sandbox.virtual_radio.advertising import VirtualRadioError, advertising_payload
from desktop_pos.sandbox.virtual_radio.backend import (
    bleak_backend_choice,
    bleak_backend_kwargs,
    bleak_backend_parts,
)
from desktop_pos.sandbox.virtual_radio.bleak_client import BumbleClient
from desktop_pos.sandbox.virtual_radio.bleak_scanner import BumbleScanner
from desktop_pos.sandbox.virtual_radio.radio import VirtualRadio, set_default_radio

__all__ = [
    "BumbleClient",
    "BumbleScanner",
    "VirtualRadio",
    "VirtualRadioError",
    "advertising_payload",
    "bleak_backend_choice",
    "bleak_backend_kwargs",
    "bleak_backend_parts",
    "set_default_radio",
]
