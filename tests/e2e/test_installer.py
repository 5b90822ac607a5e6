"""The Linux installer end to end: build the .deb (installers/linux/build_deb.sh), install it with
dpkg, run the installed ``desktop-pos`` (version, self-test, an upgrade of a database made by the
previous schema), then remove it.

Needs root and dpkg (CI runs as root on Debian 12) and skips otherwise, with the reason.
``DESKTOP_POS_DEB=/path/to/desktop-pos_X_amd64.deb`` reuses a package built before in the same run;
otherwise the package is built once for the module (PyInstaller: ``make installer-deps``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from alembic import command

from desktop_pos.models.order import Order, OrderItem
from desktop_pos.services.database import alembic_config, head_revision, migration_connection
from desktop_pos.services.store import Store

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "desktop-pos"
INSTALL_DIR = Path("/opt/desktop-pos")
LAUNCHER = Path("/usr/bin/desktop-pos")
PREVIOUS_SCHEMA = "0002"
RUN_TIMEOUT_S = 300


def _skip_reason() -> str | None:
    if not sys.platform.startswith("linux"):
        return "the .deb installer is tested on Linux only"
    if shutil.which("dpkg") is None or shutil.which("dpkg-deb") is None:
        return "no dpkg/dpkg-deb: not a Debian-based system"
    if os.geteuid() != 0:
        return "installing a .deb needs root (CI runs as root); run as root to test the installer"
    status = subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", PACKAGE], capture_output=True, text=True, check=False
    ).stdout
    if status.endswith("installed"):
        return (
            f"{PACKAGE} is already installed on this machine: the test would replace and remove "
            f"it (sudo dpkg -r {PACKAGE} first)"
        )
    return None


_REASON = _skip_reason()
pytestmark = [
    pytest.mark.installer,
    pytest.mark.slow,
    pytest.mark.timeout(900),  # the first test builds the bundle (about 1-2 minutes)
    pytest.mark.skipif(_REASON is not None, reason=_REASON or ""),
]


def _project_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as pyproject:
        version: str = tomllib.load(pyproject)["project"]["version"]
    return version


def _user_env(home: Path) -> dict[str, str]:
    """The environment of a till user: an empty home of its own, no display, no virtualenv."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTHON", "VIRTUAL_ENV", "XDG_", "QT_", "DESKTOP_POS_"))
    }
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_STATE_HOME=str(home / ".local" / "state"),
        XDG_CACHE_HOME=str(home / ".cache"),
        QT_QPA_PLATFORM="offscreen",
    )
    return env


def _run(
    argv: list[str], *, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv, capture_output=True, text=True, timeout=RUN_TIMEOUT_S, check=False, env=env, cwd=cwd
    )


@pytest.fixture(scope="module")
def deb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package: ``$DESKTOP_POS_DEB``, or built now by installers/linux/build_deb.sh."""
    given = os.environ.get("DESKTOP_POS_DEB")
    if given:
        path = Path(given)
        assert path.is_file(), f"DESKTOP_POS_DEB={given} does not exist"
        return path
    probe = _run([sys.executable, "-c", "import PyInstaller"])
    if probe.returncode != 0:
        message = "PyInstaller is not installed: run `make installer-deps`"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI must run the installer tests
        pytest.skip(message)
    out_dir = tmp_path_factory.mktemp("deb")
    built = _run(
        ["bash", str(ROOT / "installers" / "linux" / "build_deb.sh")],
        env={**os.environ, "OUT_DIR": str(out_dir), "PYTHON": sys.executable},
        cwd=ROOT,
    )
    assert built.returncode == 0, f"build_deb.sh failed:\n{built.stdout}\n{built.stderr[-6000:]}"
    path = Path(built.stdout.strip().splitlines()[-1])
    assert path.is_file() and path.parent == out_dir, built.stdout
    return path


@pytest.fixture(scope="module")
def installed(deb: Path) -> Iterator[Path]:
    """The package installed with dpkg (removed again at the end if a test left it)."""
    result = _run(["dpkg", "-i", str(deb)])
    assert result.returncode == 0, f"dpkg -i failed:\n{result.stdout}\n{result.stderr}"
    yield LAUNCHER
    if INSTALL_DIR.exists() or LAUNCHER.exists():
        _run(["dpkg", "-r", PACKAGE])


def test_the_package_says_what_it_is_and_holds_the_app(deb: Path) -> None:
    fields = _run(["dpkg-deb", "-f", str(deb), "Package", "Version", "Depends"]).stdout
    assert f"Package: {PACKAGE}" in fields
    assert f"Version: {_project_version()}" in fields
    depends = fields.split("Depends:", 1)[1]
    for needed in ("libc6 (>= 2.34)", "libegl1", "libgl1", "libxcb1", "fontconfig", "fonts-"):
        assert needed in depends
    contents = _run(["dpkg-deb", "-c", str(deb)]).stdout
    for path in (
        "./opt/desktop-pos/desktop-pos",
        "./opt/desktop-pos/_internal/resources/style.qss",
        "./opt/desktop-pos/_internal/desktop_pos/migrations/env.py",
        "./usr/bin/desktop-pos",
        "./usr/share/applications/desktop-pos.desktop",
        "./usr/share/icons/hicolor/256x256/apps/desktop-pos.png",
        "./usr/lib/udev/rules.d/70-desktop-pos-printers.rules",
    ):
        assert f" {path}\n" in contents, f"{path} is not in the package"
    owners = {line.split()[1] for line in contents.splitlines()}
    assert owners == {"root/root"}


def test_the_installed_program_says_its_version(installed: Path, tmp_path: Path) -> None:
    result = _run([str(installed), "--version"], env=_user_env(tmp_path))
    assert result.returncode == 0, result.stderr
    # argparse prints the version on stderr
    assert (result.stdout + result.stderr).strip() == f"desktop-pos {_project_version()}"


def test_the_installed_selftest_passes_offscreen(installed: Path, tmp_path: Path) -> None:
    from desktop_pos.ui.selftest import IMPLEMENTED

    result = _run([str(installed), "selftest"], env=_user_env(tmp_path), cwd=tmp_path)
    report = [line for line in result.stdout.splitlines() if line.startswith(("PASS", "FAIL"))]
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr[-6000:]}"
    assert report == [f"PASS {name}" for name in IMPLEMENTED], result.stdout
    assert not list(tmp_path.rglob("*.sqlite3")), "the self-test keeps its database elsewhere"


def _sale(store: Store, number: str, price: str) -> None:
    order = Order(
        number,
        datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        (
            OrderItem("Хлеб", Decimal("1"), Decimal(price)),
            OrderItem("Молоко", Decimal("2"), Decimal("89.90")),
        ),
    )
    store.record_cash_sale(
        order, Decimal("500.00"), Decimal("500.00") - order.total, datetime.now(UTC)
    )


def test_an_upgrade_migrates_the_database_of_the_previous_version(
    installed: Path, tmp_path: Path
) -> None:
    """A till's database at the previous schema, with sales: the installed program migrates it
    to the newest schema at start and every sale is still there, unchanged."""
    url = f"sqlite:///{tmp_path / 'till.sqlite3'}"
    store = Store.open(url)
    try:
        numbers = [f"UPGRADE-{index}" for index in range(1, 6)]
        for index, number in enumerate(numbers):
            _sale(store, number, f"{45 + index}.90")
        before = {number: store.load_order(number) for number in numbers}
        with migration_connection(store.engine) as connection:
            command.downgrade(alembic_config(connection), PREVIOUS_SCHEMA)
        assert store.current_revision() == PREVIOUS_SCHEMA
    finally:
        store.close()

    env = {**_user_env(tmp_path / "home"), "DESKTOP_POS_EXIT_WHEN_READY": "1"}
    result = _run([str(installed), "--db", url], env=env, cwd=tmp_path)
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr[-6000:]}"
    assert "READY" in result.stdout

    store = Store(url)  # opened without migrating: the program did it
    try:
        assert store.current_revision() == head_revision()
        after = {number: store.load_order(number) for number in numbers}
    finally:
        store.close()
    assert after == before
    assert all(order is not None for order in after.values())
    log = tmp_path / "home" / ".local" / "state" / "desktop-pos" / "log" / "desktop-pos.log"
    assert f"desktop-pos {_project_version()} started" in log.read_text(encoding="utf-8")


def test_removing_the_package_leaves_nothing_under_opt(installed: Path) -> None:
    result = _run(["dpkg", "-r", PACKAGE])
    assert result.returncode == 0, f"dpkg -r failed:\n{result.stdout}\n{result.stderr}"
    assert not INSTALL_DIR.exists(), sorted(str(p) for p in INSTALL_DIR.rglob("*"))[:20]
    assert not installed.exists()
    assert not Path("/usr/share/applications/desktop-pos.desktop").exists()
    assert not Path("/usr/lib/udev/rules.d/70-desktop-pos-printers.rules").exists()
