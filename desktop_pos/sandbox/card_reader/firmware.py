"""Firmware images for the emulated readers: deterministic bytes per model and version.

Demo mode writes them into the firmware directory the app reads (``services/firmware_images``:
``<model>-<version>.bin`` with a ``.sha256`` next to it), so an update offered by an emulated
reader can be installed through the app like a real one.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

DEMO_IMAGE_SIZE = 6 * 1024
"""Small on purpose: at ATT MTU 23 the transfer takes a few seconds on the virtual radio."""

DEMO_UPDATES: dict[str, str] = {"bluepad": "2.5.0", "qpos": "1.9.0"}
"""The version each emulated model is offered by the demo panel."""


def demo_firmware_image(model: str, version: str, size: int = DEMO_IMAGE_SIZE) -> bytes:
    """``size`` bytes that depend only on the model and the version."""
    seed = f"emulated-reader-firmware:{model.lower()}:{version}".encode()
    out = bytearray()
    counter = 0
    while len(out) < size:
        out += hashlib.sha256(seed + counter.to_bytes(4, "big")).digest()
        counter += 1
    return bytes(out[:size])


def write_demo_firmware_images(directory: Path) -> list[Path]:
    """Write the demo update of each model (image and ``.sha256``); returns the images."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for model, version in DEMO_UPDATES.items():
        image = demo_firmware_image(model, version)
        path = directory / f"{model}-{version}.bin"
        path.write_bytes(image)
        path.with_name(path.name + ".sha256").write_text(hashlib.sha256(image).hexdigest() + "\n")
        written.append(path)
    return written
