"""``desktop-pos pay --order-file`` as a real subprocess (offscreen, demo sandbox): the result
JSON on stdout and the exit code per outcome; and ``selftest --only api``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from desktop_pos.pay_command import (
    DRIVER_ENV,
    EXIT_ALREADY_PAID,
    EXIT_INVALID_ORDER,
    EXIT_NOT_PAID,
    EXIT_PAID,
    EXIT_USAGE,
)
from desktop_pos.ui.selftest_api import api_sample_order_json

ROOT = Path(__file__).resolve().parents[2]


def run_app(tmp_path: Path, *args: str, driver: str = "") -> subprocess.CompletedProcess[str]:
    home = tmp_path / "home"
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_CACHE_HOME": str(home / "cache"),
        DRIVER_ENV: driver,
    }
    db = f"sqlite:///{tmp_path / 'pos.sqlite3'}"
    return subprocess.run(
        [sys.executable, "-m", "desktop_pos", "--demo", "--db", db, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=ROOT,
    )


def order_file(tmp_path: Path, number: str, **changes: object) -> Path:
    path = tmp_path / f"{number}.json"
    body = api_sample_order_json(datetime.now().astimezone(), number) | changes
    path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    return path


def test_pay_round_trip_and_its_exit_codes(tmp_path: Path) -> None:
    paid = run_app(
        tmp_path, "pay", "--order-file", str(order_file(tmp_path, "FILE-1")), driver="cash"
    )
    assert paid.returncode == EXIT_PAID, paid.stderr[-3000:]
    result = json.loads(paid.stdout)
    assert (result["ordernum"], result["status"], result["method"]) == ("FILE-1", "paid", "cash")
    assert result["amount_paid"] == "14.24" and len(result["transaction_number"]) == 16

    again = run_app(tmp_path, "pay", "--order-file", str(order_file(tmp_path, "FILE-1")))
    assert again.returncode == EXIT_ALREADY_PAID, again.stderr[-3000:]
    assert json.loads(again.stdout)["error"] == "already_paid"

    back = run_app(
        tmp_path, "pay", "--order-file", str(order_file(tmp_path, "FILE-2")), driver="hand_back"
    )
    assert back.returncode == EXIT_NOT_PAID, back.stderr[-3000:]
    assert json.loads(back.stdout)["status"] == "returned"

    closed = run_app(
        tmp_path, "pay", "--order-file", str(order_file(tmp_path, "FILE-3")), driver="close"
    )
    assert closed.returncode == EXIT_NOT_PAID, closed.stderr[-3000:]
    assert json.loads(closed.stdout)["status"] == "returned"

    bad = run_app(tmp_path, "pay", "--order-file", str(order_file(tmp_path, "F4", amount="1.00")))
    assert bad.returncode == EXIT_INVALID_ORDER
    assert [p["field"] for p in json.loads(bad.stdout)["problems"]] == ["amount"]

    missing = run_app(tmp_path, "pay", "--order-file", str(tmp_path / "none.json"))
    assert missing.returncode == EXIT_USAGE


def test_selftest_api(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = run_app(tmp_path, "selftest", "--only", "api", "--out", str(out))
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    assert done.stdout.strip().splitlines()[-1] == "PASS api"
    assert {p.name for p in out.glob("api-*.png")} == {"api-01-order.png", "api-02-result.png"}
