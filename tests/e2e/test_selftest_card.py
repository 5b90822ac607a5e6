"""``desktop-pos selftest --only reader,card --out DIR`` end to end: the emulated readers on the
app's own virtual radio, reached through bleak; the sandbox gateway as a subprocess; the slips on
the virtual printer, copied to DIR with the screenshots."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from desktop_pos.ui.selftest import select_checks

ROOT = Path(__file__).resolve().parents[2]


def test_reader_and_card_are_offered_only_with_the_emulated_readers() -> None:
    assert "card" not in select_checks(None, with_remote=True)
    assert select_checks(None, with_card=True) == ["cash", "reader", "card"]
    assert select_checks(["card", "reader"], with_card=True) == ["card", "reader"]


def test_the_entry_point_runs_reader_and_card_and_prints_the_slips(tmp_path: Path) -> None:
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
        [sys.executable, "-m", "desktop_pos", "selftest", "--only", "reader,card", "--out", out],
        capture_output=True,
        text=True,
        env=env,
        timeout=240,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    assert done.stdout.strip().splitlines()[-2:] == ["PASS reader", "PASS card"]
    shots = {p.name for p in out.glob("*.png") if not p.name.startswith("receipt-")}
    assert {
        "reader-01-status.png",
        "card-01-contactless-result.png",
        "card-02-pin-result.png",
        "card-03-cobadge-choice.png",
        "card-03-cobadge-result.png",
        "card-04-signature-signature.png",
        "card-04-signature-result.png",
    } <= shots
    slips = [p.read_text(encoding="utf-8") for p in sorted(out.glob("receipt-*.txt"))]
    assert len(slips) == 4
    assert all("ОПЛАЧЕН" in slip for slip in slips)
    assert any("A0000000043060" in slip.replace(" ", "") for slip in slips)  # Maestro chosen
