"""The remembered card readers: last / default / forget, atomic writes, a damaged file set aside."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from desktop_pos.hardware.reader.known_readers import FILE_NAME, KnownReader, KnownReaders

T0 = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def known(path: Path, clock: Clock) -> KnownReaders:
    return KnownReaders.in_data_dir(path, clock=clock)


def test_empty_without_a_file(tmp_path: Path, clock: Clock) -> None:
    readers = known(tmp_path, clock)
    assert readers.all() == []
    assert readers.last() is None
    assert readers.default() is None
    assert readers.preferred() is None
    assert readers.problem is None
    assert not (tmp_path / FILE_NAME).exists()


def test_remember_last_and_reload(tmp_path: Path, clock: Clock) -> None:
    readers = known(tmp_path, clock)
    readers.remember("PP0918900518", name="PP0918900518", model="Bluepad", address="AA:01")
    readers.remember("MPOS0000000001", model="QPOS", address="AA:02")
    assert readers.last() is not None
    assert readers.last().serial == "MPOS0000000001"  # type: ignore[union-attr]
    assert [r.serial for r in readers.all()] == ["MPOS0000000001", "PP0918900518"]

    again = known(tmp_path, clock)
    assert again.all() == readers.all()
    assert again.get("MPOS0000000001") == KnownReader(
        "MPOS0000000001", "MPOS0000000001", "QPOS", "AA:02", T0 + timedelta(minutes=2)
    )
    # A new connection to the first reader makes it the last one and keeps what was known.
    again.remember("PP0918900518", address="AA:09")
    last = again.last()
    assert last is not None and last.serial == "PP0918900518"
    assert (last.model, last.address) == ("Bluepad", "AA:09")


def test_default_wins_over_last(tmp_path: Path, clock: Clock) -> None:
    readers = known(tmp_path, clock)
    readers.remember("PP0918900518")
    readers.remember("MPOS0000000001")
    readers.set_default("PP0918900518")
    assert readers.default() is not None and readers.default().serial == "PP0918900518"  # type: ignore[union-attr]
    assert readers.preferred().serial == "PP0918900518"  # type: ignore[union-attr]
    readers.set_default("MPOS0000000001")
    assert [r.serial for r in readers.all() if r.is_default] == ["MPOS0000000001"]
    readers.remember("MPOS0000000001")  # a reconnection keeps the flag
    assert known(tmp_path, clock).default().serial == "MPOS0000000001"  # type: ignore[union-attr]
    readers.set_default(None)
    assert readers.default() is None
    with pytest.raises(KeyError):
        readers.set_default("UNKNOWN")


def test_forget(tmp_path: Path, clock: Clock) -> None:
    readers = known(tmp_path, clock)
    readers.remember("PP0918900518")
    assert "PP0918900518" in readers
    assert readers.forget("PP0918900518") is True
    assert readers.forget("PP0918900518") is False
    assert len(readers) == 0
    assert known(tmp_path, clock).all() == []


def test_file_is_plain_json_and_written_atomically(tmp_path: Path, clock: Clock) -> None:
    readers = known(tmp_path, clock)
    readers.remember("PP0918900518", name="Картридер у кассы", model="Bluepad")
    data = json.loads((tmp_path / FILE_NAME).read_text(encoding="utf-8"))
    assert data["version"] == 1
    assert data["readers"][0]["serial"] == "PP0918900518"
    assert data["readers"][0]["name"] == "Картридер у кассы"
    # No temporary file is left behind.
    assert sorted(p.name for p in tmp_path.iterdir()) == [FILE_NAME]


def test_failed_write_keeps_the_old_file(
    tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    readers = known(tmp_path, clock)
    readers.remember("PP0918900518")
    before = (tmp_path / FILE_NAME).read_bytes()

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        readers.remember("MPOS0000000001")
    monkeypatch.undo()
    assert (tmp_path / FILE_NAME).read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [FILE_NAME]


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        "[]",
        '{"readers": {}}',
        '{"readers": [{"name": "no serial"}]}',
        '{"readers": [{"serial": "X", "last_connected": "yesterday"}]}',
        '{"readers": [{"serial": "X", "default": "yes"}]}',
        '{"readers": [{"serial": "X", "name": 5}]}',
    ],
)
def test_damaged_file_is_kept_aside_and_reported(
    tmp_path: Path, clock: Clock, content: str
) -> None:
    path = tmp_path / FILE_NAME
    path.write_text(content, encoding="utf-8")
    readers = known(tmp_path, clock)
    assert readers.all() == []
    assert readers.problem is not None
    assert ".bad" in readers.problem.ru and ".bad" in readers.problem.en
    assert (tmp_path / (FILE_NAME + ".bad")).read_text(encoding="utf-8") == content
    assert not path.exists()
    # The till goes on: the next connection writes a fresh file.
    readers.remember("PP0918900518")
    assert known(tmp_path, clock).last() is not None


def test_two_defaults_in_the_file_keep_one(tmp_path: Path, clock: Clock) -> None:
    (tmp_path / FILE_NAME).write_text(
        json.dumps(
            {
                "readers": [
                    {"serial": "A", "default": True, "last_connected": "2026-11-01T10:00:00"},
                    {"serial": "B", "default": True},
                ]
            }
        ),
        encoding="utf-8",
    )
    readers = known(tmp_path, clock)
    assert [r.serial for r in readers.all() if r.is_default] == ["A"]
    a = readers.get("A")
    assert a is not None and a.last_connected == datetime(2026, 11, 1, 10, tzinfo=UTC)
    assert a.name == "A"  # a missing name falls back to the serial


def test_empty_serial_refused(tmp_path: Path, clock: Clock) -> None:
    with pytest.raises(ValueError):
        known(tmp_path, clock).remember("")
