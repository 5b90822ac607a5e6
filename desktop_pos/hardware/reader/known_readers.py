"""The card readers this till has used: a small JSON file in the data directory.

Each reader is kept by its serial (what it advertises, e.g. "PP0918900518") with its display
name, model, last Bluetooth address and when it was last connected; one of them may be marked as
the default. The file is written atomically (a temporary file, flushed and synced, then renamed
over the old one), so a crash never leaves half a file. A file that cannot be read is moved aside
as ``<name>.bad`` and reported through ``problem``; the till then starts with an empty list
instead of failing.

The methods are synchronous and guarded by a lock: the UI thread and the asyncio loop may both
use one instance. The file is a few hundred bytes; callers on the event loop that want no disk
wait at all run ``remember`` in a worker thread.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from desktop_pos.models.texts import LocalizedText

log = logging.getLogger(__name__)

FILE_NAME: Final = "known_readers.json"
FORMAT_VERSION: Final = 1


@dataclass(frozen=True, slots=True)
class KnownReader:
    serial: str
    name: str
    model: str = ""
    address: str = ""
    """The Bluetooth address it had last time (it may change; the serial does not)."""
    last_connected: datetime | None = None
    is_default: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "serial": self.serial,
            "name": self.name,
            "model": self.model,
            "address": self.address,
            "last_connected": (
                self.last_connected.isoformat() if self.last_connected is not None else None
            ),
            "default": self.is_default,
        }

    @classmethod
    def from_json(cls, data: object) -> KnownReader:
        if not isinstance(data, dict):
            raise ValueError("a reader entry is not an object")
        serial = data.get("serial")
        if not isinstance(serial, str) or not serial:
            raise ValueError("a reader entry has no serial")
        texts = {key: data.get(key, "") for key in ("name", "model", "address")}
        if not all(isinstance(value, str) for value in texts.values()):
            raise ValueError(f"reader {serial}: name, model and address must be strings")
        when = data.get("last_connected")
        last_connected: datetime | None = None
        if when is not None:
            if not isinstance(when, str):
                raise ValueError(f"reader {serial}: last_connected is not a date")
            last_connected = datetime.fromisoformat(when)
            if last_connected.tzinfo is None:
                last_connected = last_connected.replace(tzinfo=UTC)
        default = data.get("default", False)
        if not isinstance(default, bool):
            raise ValueError(f"reader {serial}: default must be true or false")
        return cls(
            serial=serial,
            name=str(texts["name"]) or serial,
            model=str(texts["model"]),
            address=str(texts["address"]),
            last_connected=last_connected,
            is_default=default,
        )


def _utc_now() -> datetime:
    return datetime.now(UTC)


class KnownReaders:
    """The remembered readers, backed by ``path`` (created on the first ``remember``)."""

    def __init__(self, path: Path, *, clock: Callable[[], datetime] = _utc_now) -> None:
        self.path = path
        self._clock = clock
        self._lock = threading.Lock()
        self.problem: LocalizedText | None = None
        """Set when the file could not be read and was moved aside (for the settings page)."""
        self._readers: dict[str, KnownReader] = self._load()

    @classmethod
    def in_data_dir(cls, data_dir: Path, **kwargs: Any) -> KnownReaders:
        return cls(data_dir / FILE_NAME, **kwargs)

    # -- queries ---------------------------------------------------------------------------

    def all(self) -> list[KnownReader]:
        """Every known reader, the most recently connected first."""
        with self._lock:
            readers = list(self._readers.values())
        epoch = datetime.min.replace(tzinfo=UTC)
        return sorted(readers, key=lambda r: (r.last_connected or epoch, r.serial), reverse=True)

    def get(self, serial: str) -> KnownReader | None:
        with self._lock:
            return self._readers.get(serial)

    def last(self) -> KnownReader | None:
        """The reader connected most recently (None if none ever was)."""
        connected = [r for r in self.all() if r.last_connected is not None]
        return connected[0] if connected else None

    def default(self) -> KnownReader | None:
        with self._lock:
            return next((r for r in self._readers.values() if r.is_default), None)

    def preferred(self) -> KnownReader | None:
        """The reader to reach without asking: the default one, else the last connected."""
        return self.default() or self.last()

    def __len__(self) -> int:
        with self._lock:
            return len(self._readers)

    def __contains__(self, serial: object) -> bool:
        with self._lock:
            return serial in self._readers

    # -- changes ---------------------------------------------------------------------------

    def remember(
        self, serial: str, *, name: str = "", model: str = "", address: str = ""
    ) -> KnownReader:
        """Record a successful connection now (adds the reader or updates it)."""
        if not serial:
            raise ValueError("a reader is remembered by its serial")
        with self._lock:
            old = self._readers.get(serial)
            reader = KnownReader(
                serial=serial,
                name=name or (old.name if old else serial),
                model=model or (old.model if old else ""),
                address=address or (old.address if old else ""),
                last_connected=self._clock(),
                is_default=old.is_default if old else False,
            )
            self._readers[serial] = reader
            self._save()
        return reader

    def forget(self, serial: str) -> bool:
        """Remove a reader; False if it was not known."""
        with self._lock:
            if self._readers.pop(serial, None) is None:
                return False
            self._save()
        return True

    def set_default(self, serial: str | None) -> None:
        """Make ``serial`` the default reader (None: no default). KeyError for an unknown one."""
        with self._lock:
            if serial is not None and serial not in self._readers:
                raise KeyError(serial)
            self._readers = {
                key: replace(reader, is_default=key == serial)
                for key, reader in self._readers.items()
            }
            self._save()

    # -- file ------------------------------------------------------------------------------

    def _load(self) -> dict[str, KnownReader]:
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except OSError as exc:
            # Unreadable (permissions, a directory in its place): report it but do not move
            # what may be a perfectly good file that another user owns.
            log.warning("Known card readers: cannot read %s: %s", self.path, exc)
            self.problem = LocalizedText(
                f"Не удалось прочитать список картридеров ({self.path}): {exc}.",
                f"Cannot read the list of card readers ({self.path}): {exc}.",
            )
            return {}
        try:
            data = json.loads(raw)
            if not isinstance(data, dict) or not isinstance(data.get("readers"), list):
                raise ValueError("no 'readers' list")
            readers = [KnownReader.from_json(entry) for entry in data["readers"]]
        except (ValueError, TypeError) as exc:
            self._set_aside(exc)
            return {}
        result = {reader.serial: reader for reader in readers}
        defaults = [r.serial for r in readers if r.is_default]
        for extra in defaults[1:]:  # keep one default, as ``set_default`` does
            result[extra] = replace(result[extra], is_default=False)
        return result

    def _set_aside(self, exc: Exception) -> None:
        bad = self.path.with_name(self.path.name + ".bad")
        try:
            os.replace(self.path, bad)
            where = str(bad)
        except OSError as move_error:
            log.warning("Known card readers: cannot move %s aside: %s", self.path, move_error)
            where = str(self.path)
        log.warning("Known card readers: %s is damaged (%s); kept as %s", self.path, exc, where)
        self.problem = LocalizedText(
            f"Список картридеров был повреждён и сохранён как {where}; "
            "подключите картридер заново.",
            f"The list of card readers was damaged and was kept as {where}; "
            "connect the card reader again.",
        )

    def _save(self) -> None:
        data = {
            "version": FORMAT_VERSION,
            "readers": [reader.to_json() for reader in self._readers.values()],
        }
        text = json.dumps(data, ensure_ascii=False, indent=2)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(
            prefix=self.path.name + ".", suffix=".tmp", dir=self.path.parent
        )
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
