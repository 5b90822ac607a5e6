"""installers/desktop-pos.spec lists what the bundled app needs, where the app looks for it.

The spec is run as PyInstaller runs it, with its build steps (``Analysis``, ``PYZ``, ``EXE``,
``COLLECT``) replaced by recorders, so no bundle is built here (tests/e2e/test_installer.py does).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from desktop_pos.services import database
from desktop_pos.ui import i18n, theme

pytest.importorskip("PyInstaller", reason="PyInstaller is not installed: `make installer-deps`")

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "installers" / "desktop-pos.spec"


class _Recorder:
    """Stands for one of PyInstaller's build steps and keeps what the spec passed."""

    calls: dict[str, list[Any]]

    def __init__(self, name: str, calls: dict[str, list[Any]]) -> None:
        self.name = name
        self.calls = calls

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls.setdefault(self.name, []).append((args, kwargs))
        step = type(self.name, (), {})()
        step.datas = [(dest, src, "DATA") for src, dest in _pairs(kwargs.get("datas", []))]
        step.binaries = []
        step.pure = []
        step.scripts = args[0] if args else []
        return step


def _pairs(datas: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(source, destination file) for the spec's (source file, destination folder) entries."""
    return [(src, str(Path(folder) / Path(src).name)) for src, folder in datas]


@pytest.fixture(scope="module")
def spec_calls() -> dict[str, list[Any]]:
    calls: dict[str, list[Any]] = {}
    namespace: dict[str, Any] = {
        "SPECPATH": str(SPEC.parent),
        "__file__": str(SPEC),
        **{name: _Recorder(name, calls) for name in ("Analysis", "PYZ", "EXE", "COLLECT")},
    }
    exec(compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec"), namespace)
    return calls


@pytest.fixture(scope="module")
def analysis(spec_calls: dict[str, list[Any]]) -> dict[str, Any]:
    [(args, kwargs)] = spec_calls["Analysis"]
    return {"scripts": args[0], **kwargs}


@pytest.fixture(scope="module")
def bundled(analysis: dict[str, Any]) -> dict[str, str]:
    """Destination in the bundle (relative to its _internal folder) → source file."""
    return {dest: src for src, dest in _pairs(analysis["datas"])}


def _in_bundle(path: Path) -> str:
    """Where a file of the source tree is in the bundle: the app finds its files next to its
    modules, so the bundle keeps the source tree's layout."""
    return str(path.resolve().relative_to(ROOT))


def test_the_entry_script_runs_the_app(analysis: dict[str, Any]) -> None:
    [script] = analysis["scripts"]
    text = Path(script).read_text(encoding="utf-8")
    assert "from desktop_pos.app import main" in text
    assert str(ROOT) in analysis["pathex"]


def test_the_style_sheet_translations_and_icons_are_where_the_app_looks(
    bundled: dict[str, str],
) -> None:
    assert _in_bundle(theme.STYLE_SHEET_PATH) in bundled
    qm_files = sorted(i18n.TRANSLATIONS_DIR.glob("*.qm"))
    assert qm_files
    for qm in qm_files:
        assert _in_bundle(qm) in bundled
    assert not [dest for dest in bundled if dest.endswith(".ts")], "sources of translations"
    assert "resources/icons/desktop-pos.png" in bundled


def test_every_migration_is_bundled_as_a_file(bundled: dict[str, str]) -> None:
    migrations = database.MIGRATIONS_DIR
    needed = [migrations / "env.py", migrations / "script.py.mako"]
    needed += sorted((migrations / "versions").glob("*.py"))
    assert len(needed) > 3
    for path in needed:
        assert _in_bundle(path) in bundled, f"{path} is not in the bundle"
    assert not [dest for dest in bundled if "__pycache__" in dest]


def test_escpos_data_and_the_package_metadata_are_bundled(
    analysis: dict[str, Any], bundled: dict[str, str]
) -> None:
    assert "escpos/capabilities.json" in bundled
    # desktop_pos.version() reads the metadata (the About box, the log, --version).
    folders = {folder for _src, folder in analysis["datas"]}
    assert [
        f
        for f in folders
        if f.startswith("desktop_pos") and f.endswith((".dist-info", ".egg-info"))
    ]


def test_alembic_runtime_is_a_hidden_import(analysis: dict[str, Any]) -> None:
    hidden = set(analysis["hiddenimports"])
    for module in (
        "alembic.runtime.migration",
        "alembic.ddl.sqlite",
        "alembic.ddl.postgresql",
        "alembic.op",
        "sqlalchemy.dialects.sqlite",
    ):
        assert module in hidden
    assert not [name for name in hidden if ".testing" in name]


def test_tools_and_unused_qt_modules_are_left_out(analysis: dict[str, Any]) -> None:
    excludes = set(analysis["excludes"])
    assert {"tkinter", "pytest", "hypothesis", "mypy", "tests"} <= excludes
    used = {"PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets", "PySide6.QtTest"}
    assert not used & excludes


def test_one_console_program_on_every_system(spec_calls: dict[str, list[Any]]) -> None:
    [(_args, exe)] = spec_calls["EXE"]
    assert exe["name"] == "desktop-pos"
    assert exe["console"] is True
    assert exe["exclude_binaries"] is True  # one folder, not one file
    [(_args, collect)] = spec_calls["COLLECT"]
    assert collect["name"] == "desktop-pos"
    if sys.platform == "win32":
        assert exe["icon"].endswith("desktop-pos.ico")
