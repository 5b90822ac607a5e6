"""The English translation covers every UI string and the committed .qm is built from the .ts."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TS_FILE = ROOT / "resources" / "translations" / "desktop_pos_en.ts"
QM_FILE = ROOT / "resources" / "translations" / "desktop_pos_en.qm"
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    path = BIN / name
    found = str(path) if path.exists() else shutil.which(name)
    if not found:
        pytest.fail(f"{name} is missing: it comes with PySide6-Essentials")
    return found


def _messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    root = ET.parse(ts).getroot()
    return {
        (context.findtext("name") or "", message.findtext("source") or ""): message
        for context in root.iter("context")
        for message in context.iter("message")
    }


def test_every_ui_string_has_an_english_translation(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.ts"
    sources = sorted(str(p) for p in (ROOT / "desktop_pos" / "ui").glob("*.py"))
    subprocess.run(
        [
            _tool("pyside6-lupdate"),
            *sources,
            "-ts",
            str(fresh),
            "-source-language",
            "ru_RU",
            "-target-language",
            "en_US",
        ],
        check=True,
        capture_output=True,
    )
    wanted = set(_messages(fresh))
    committed = _messages(TS_FILE)
    missing = sorted(wanted - set(committed))
    assert not missing, f"run `make translations`: strings missing from the .ts: {missing}"
    untranslated = [
        key
        for key in wanted
        if not (committed[key].findtext("translation") or "").strip()
        or committed[key].find("translation").get("type") == "unfinished"  # type: ignore[union-attr]
    ]
    assert not untranslated, f"add English to scripts/fill_translations.py: {untranslated}"


def test_committed_qm_is_built_from_the_ts(tmp_path: Path) -> None:
    built = tmp_path / "built.qm"
    subprocess.run(
        [_tool("pyside6-lrelease"), str(TS_FILE), "-qm", str(built)],
        check=True,
        capture_output=True,
    )
    assert built.read_bytes() == QM_FILE.read_bytes(), "run `make translations`"


def test_every_context_is_one_the_app_looks_up() -> None:
    """``window.tr("…")`` in a function is collected under the variable's name («window») but
    looked up under the object's class («MainWindow»), so it is never translated: outside a
    class's own methods the texts use ``QCoreApplication.translate("Context", "…")``."""
    contexts = {name.text or "" for name in ET.parse(TS_FILE).getroot().iter("name")}
    assert contexts and all(context[:1].isupper() for context in contexts), sorted(contexts)
