"""Firmware images for the card readers, found in a directory.

The directory (``[reader] firmware_dir`` in the settings; in demo mode one the sandbox fills)
holds one file per image, named ``<model>-<version>.bin``, e.g. ``bluepad-2.4.1.bin``. The model
is matched without regard to case, spaces or dashes ("Bluepad", "bluepad", "QPOS mini" ~
"qpos-mini"). An optional ``<file>.sha256`` next to an image holds its hex digest; ``read``
checks it, so a damaged copy is never sent to a reader.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Final, TypeVar

from desktop_pos.models.errors import UserFacingError
from desktop_pos.models.texts import LocalizedText

T = TypeVar("T")

log = logging.getLogger(__name__)

SUFFIX: Final = ".bin"
_NAME = re.compile(r"^(?P<model>.+)-(?P<version>\d+(?:\.\d+)*(?:[-+][0-9A-Za-z.]+)?)$")


class FirmwareImageError(UserFacingError):
    """A firmware image is missing or damaged."""


def model_key(model: str) -> str:
    """``"QPOS mini"`` → ``"qposmini"``: how models are compared."""
    return re.sub(r"[^0-9a-z]", "", model.lower())


def version_key(version: str) -> tuple[int, ...]:
    """``"2.10.1"`` → ``(2, 10, 1)``; a pre-release suffix is ignored for ordering."""
    numbers = re.split(r"[-+]", version, maxsplit=1)[0]
    return tuple(int(part) for part in numbers.split(".") if part.isdigit())


@dataclass(frozen=True, slots=True)
class FirmwareImage:
    model: str
    version: str
    path: Path

    @property
    def size(self) -> int:
        return self.path.stat().st_size


class FirmwareImages:
    """The images in ``directory`` (a missing directory simply has none)."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory

    def images(self) -> list[FirmwareImage]:
        if self.directory is None or not self.directory.is_dir():
            return []
        found = []
        for path in sorted(self.directory.glob(f"*{SUFFIX}")):
            match = _NAME.match(path.name[: -len(SUFFIX)])
            if match and path.is_file():
                found.append(FirmwareImage(match["model"], match["version"], path))
        return found

    def find(self, model: str, version: str) -> FirmwareImage | None:
        """The image of exactly this model and version."""
        key = model_key(model)
        return next(
            (
                image
                for image in self.images()
                if model_key(image.model) == key and image.version == version
            ),
            None,
        )

    def latest(self, model: str) -> FirmwareImage | None:
        """The newest image for ``model`` (by version number)."""
        key = model_key(model)
        candidates = [image for image in self.images() if model_key(image.model) == key]
        return max(candidates, key=lambda image: version_key(image.version), default=None)

    def read(self, image: FirmwareImage) -> bytes:
        """The image's bytes, checked against its ``.sha256`` file when there is one."""
        try:
            data = image.path.read_bytes()
        except OSError as exc:
            raise FirmwareImageError(
                LocalizedText(
                    f"Не удалось прочитать файл прошивки {image.path}: {exc}.",
                    f"Cannot read the firmware file {image.path}: {exc}.",
                )
            ) from exc
        digest_file = image.path.with_name(image.path.name + ".sha256")
        if digest_file.exists():
            expected = digest_file.read_text(encoding="ascii", errors="replace").split()
            if not expected or expected[0].lower() != hashlib.sha256(data).hexdigest():
                raise FirmwareImageError(
                    LocalizedText(
                        f"Файл прошивки {image.path} повреждён (контрольная сумма не совпадает).",
                        f"The firmware file {image.path} is damaged (checksum mismatch).",
                    )
                )
        return data

    async def read_async(self, image: FirmwareImage) -> bytes:
        """``read`` in a worker thread (images are up to a few megabytes)."""
        return await _in_worker_thread(self.read, image)

    async def load(self, model: str, version: str) -> bytes:
        """The bytes of ``model``'s image ``version``; FirmwareImageError if there is none."""
        image = await _in_worker_thread(self.find, model, version)
        if image is None:
            raise FirmwareImageError(
                LocalizedText(
                    f"Нет файла прошивки {version} для картридера {model}.",
                    f"There is no firmware file {version} for the card reader {model}.",
                )
            )
        return await self.read_async(image)


async def _in_worker_thread(function: Callable[..., T], *args: object) -> T:
    """``function(*args)`` in a thread of its own, ended on return: not the loop's default
    executor, whose threads (QThreads under qasync) would live as long as the loop."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="firmware-images") as pool:
        return await asyncio.get_running_loop().run_in_executor(pool, function, *args)
