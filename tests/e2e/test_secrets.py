"""The gateway password appears in no file the app writes: after a full sync with a distinctive
password, the database (with its WAL), the log file (at debug level, HTTP traffic included) and
the config directory are searched for it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import tomli_w

from desktop_pos.models.payment import FiscalState
from desktop_pos.services.gateway.settings import GatewaySettings
from desktop_pos.services.store import Store
from tests.e2e.sync_child import PASSWORD_ENV
from tests.e2e.sync_fixtures import cash_sale, register_sbp_payment
from tests.sandbox_gateway import SandboxFactory

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Zq7-pw_Secret-9xK"
"""Distinctive: it cannot turn up in a file by chance."""


def files_under(directory: Path) -> list[Path]:
    return [path for path in directory.rglob("*") if path.is_file()]


def test_the_password_is_in_no_file_the_app_writes(
    sandbox_gateway_factory: SandboxFactory, tmp_path: Path
) -> None:
    gateway = sandbox_gateway_factory(("--password", PASSWORD), name="secret-gateway")
    app_dir = tmp_path / "app"
    config_file = app_dir / "config" / "config.toml"
    config_file.parent.mkdir(parents=True)
    db_file = app_dir / "data" / "pos.sqlite3"
    log_file = app_dir / "logs" / "desktop-pos.log"
    config_file.write_text(
        tomli_w.dumps(
            {
                "database": {"url": f"sqlite:///{db_file}"},
                "gateway": {
                    "base_url": gateway.url,
                    "merchant_id": "600000",
                    "login": "sandbox_login",
                    "timeout_s": 5,
                },
            }
        ),
        encoding="utf-8",
    )
    store = Store.open(f"sqlite:///{db_file}")
    settings = GatewaySettings(gateway.url, "600000", "sandbox_login", PASSWORD)
    try:
        for number in ("SECRET-1", "SECRET-2"):
            cash_sale(store, number)
        _, bill = register_sbp_payment(settings, store, "SECRET-SBP")
        gateway.buyer_pays(bill)
        completed = subprocess.run(
            [
                sys.executable,
                "-m",
                "tests.e2e.sync_child",
                "--config",
                str(config_file),
                "--log",
                str(log_file),
            ],
            cwd=ROOT,
            env={**os.environ, PASSWORD_ENV: PASSWORD},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert completed.returncode == 0, completed.stdout + completed.stderr[-3000:]
        for number in ("SECRET-1", "SECRET-2"):
            details = store.load_details(number)
            assert details is not None and details.fiscal_state is FiscalState.SUCCESS
    finally:
        store.close()

    written = files_under(app_dir)
    assert db_file in written and log_file in written and config_file in written
    assert "HTTP Request: POST" in log_file.read_text(encoding="utf-8")  # traffic was logged
    secret = PASSWORD.encode()
    leaks = [str(path) for path in written if secret in path.read_bytes()]
    assert leaks == []
    assert PASSWORD not in completed.stdout + completed.stderr
