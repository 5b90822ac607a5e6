"""``desktop-pos selftest --only sbp,softpos --out DIR`` end to end: the app's own sandbox gateway
as a subprocess, the buyer and the SoftPOS phone played through its control endpoints."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import zxingcpp
from PIL import Image

from desktop_pos.services.gateway.mpos_operations import NSPK_LINK, SOFTPOS_DEEP_LINK
from desktop_pos.ui.selftest import select_checks

ROOT = Path(__file__).resolve().parents[2]


def test_sbp_and_softpos_are_offered_only_with_the_sandbox() -> None:
    assert "sbp" not in select_checks(None, with_sync=True, with_print=True)
    assert select_checks(None, with_remote=True) == ["cash", "sbp", "softpos"]


def test_the_entry_point_runs_sbp_and_softpos_and_saves_each_qr_screen(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_CACHE_HOME": str(home / "cache"),
    }
    out = tmp_path / "out"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "desktop_pos",
            "selftest",
            "--only",
            "sbp,softpos",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    assert done.stdout.strip().splitlines()[-2:] == ["PASS sbp", "PASS softpos"]
    for prefix, pattern in (("sbp", NSPK_LINK), ("softpos", SOFTPOS_DEEP_LINK)):
        assert {p.name for p in out.glob(f"{prefix}-*.png")} == {
            f"{prefix}-01-qr.png",
            f"{prefix}-02-status.png",
            f"{prefix}-03-result.png",
        }
        [code] = zxingcpp.read_barcodes(Image.open(out / f"{prefix}-01-qr.png"))
        assert pattern.fullmatch(code.text), code.text
