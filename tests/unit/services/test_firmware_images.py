"""Firmware images found by model and version in a directory, checked against .sha256 files."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from desktop_pos.services.firmware_images import (
    FirmwareImageError,
    FirmwareImages,
    model_key,
    version_key,
)
from tests.async_helpers import run_coroutine


@pytest.fixture
def images(tmp_path: Path) -> FirmwareImages:
    for name, data in {
        "bluepad-2.4.1.bin": b"bp241",
        "bluepad-2.10.0.bin": b"bp2100",
        "qpos-mini-1.0.0.bin": b"qpos",
        "notes.txt": b"not an image",
        "noversion.bin": b"?",
    }.items():
        (tmp_path / name).write_bytes(data)
    return FirmwareImages(tmp_path)


def test_keys() -> None:
    assert model_key("QPOS mini") == model_key("qpos-mini") == "qposmini"
    assert version_key("2.10.0") > version_key("2.4.1")
    assert version_key("1.2.3-beta") == (1, 2, 3)


def test_find_and_latest(images: FirmwareImages) -> None:
    assert sorted((i.model, i.version) for i in images.images()) == [
        ("bluepad", "2.10.0"),
        ("bluepad", "2.4.1"),
        ("qpos-mini", "1.0.0"),
    ]
    found = images.find("Bluepad", "2.4.1")
    assert found is not None and images.read(found) == b"bp241"
    assert found.size == 5
    latest = images.latest("BLUEPAD")
    assert latest is not None and latest.version == "2.10.0"
    assert images.find("QPOS mini", "1.0.0") is not None
    assert images.find("bluepad", "9.9.9") is None
    assert images.latest("unknown") is None


def test_no_directory_has_no_images(tmp_path: Path) -> None:
    assert FirmwareImages(None).images() == []
    assert FirmwareImages(tmp_path / "missing").latest("bluepad") is None


def test_checksum_file_is_checked(images: FirmwareImages, tmp_path: Path) -> None:
    image = images.find("bluepad", "2.4.1")
    assert image is not None
    (tmp_path / "bluepad-2.4.1.bin.sha256").write_text(
        hashlib.sha256(b"bp241").hexdigest() + "  bluepad-2.4.1.bin\n", encoding="ascii"
    )
    assert images.read(image) == b"bp241"
    (tmp_path / "bluepad-2.4.1.bin.sha256").write_text("00" * 32, encoding="ascii")
    with pytest.raises(FirmwareImageError) as caught:
        images.read(image)
    assert "повреждён" in caught.value.text.ru


def test_load_async(images: FirmwareImages) -> None:
    assert run_coroutine(images.load("qpos mini", "1.0.0")) == b"qpos"
    with pytest.raises(FirmwareImageError) as caught:
        run_coroutine(images.load("bluepad", "0.0.1"))
    assert "0.0.1" in caught.value.text.en
