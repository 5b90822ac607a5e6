"""The bleak backend choice that points the reader link at the virtual radio.

Production code takes a ``BleakBackendChoice`` (desktop_pos/hardware/reader/ble_link.py) whose
fields are all ``None`` there (bleak's platform backend); tests and demo mode pass the one built
here, so the same bleak calls run over the virtual radio.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypedDict

from desktop_pos.sandbox.virtual_radio.bleak_client import BumbleClient
from desktop_pos.sandbox.virtual_radio.bleak_scanner import BumbleScanner
from desktop_pos.sandbox.virtual_radio.radio import VirtualRadio

if TYPE_CHECKING:
    from desktop_pos.hardware.reader.ble_link import (  # type: ignore[import-not-found, unused-ignore]
        BleakBackendChoice,
    )


class BleakBackendParts(TypedDict):
    scanner_backend: type[BumbleScanner]
    client_backend: type[BumbleClient]
    kwargs: dict[str, Any]


def bleak_backend_parts(radio: VirtualRadio, *, mtu: int | None = None) -> BleakBackendParts:
    """Scanner and client classes plus the keyword arguments bleak passes on to them.

    ``mtu`` (23…517) is the ATT MTU the client asks for; ``None`` keeps the client's default.
    """
    kwargs: dict[str, Any] = {"radio": radio}
    if mtu is not None:
        kwargs["mtu"] = mtu
    return {"scanner_backend": BumbleScanner, "client_backend": BumbleClient, "kwargs": kwargs}


def bleak_backend_choice(radio: VirtualRadio, *, mtu: int | None = None) -> BleakBackendChoice:
    """The same as :func:`bleak_backend_parts`, as the reader link's ``BleakBackendChoice``."""
    from desktop_pos.hardware.reader.ble_link import (  # type: ignore[import-not-found, unused-ignore]
        BleakBackendChoice,
    )

    parts = bleak_backend_parts(radio, mtu=mtu)
    return BleakBackendChoice(
        scanner_backend=parts["scanner_backend"],
        client_backend=parts["client_backend"],
        kwargs=parts["kwargs"],
    )


bleak_backend_kwargs = bleak_backend_choice
"""The name the reader-link plan used for :func:`bleak_backend_choice`."""
