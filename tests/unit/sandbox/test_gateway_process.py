"""SandboxGatewayProcess: the demo's sandbox gateway ends with the app that started it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

APP = """
import os, sys
from pathlib import Path
from desktop_pos.sandbox.gateway_process import SandboxGatewayProcess
sandbox = SandboxGatewayProcess(Path(sys.argv[1]))
sandbox.start(timeout=30)
print(sandbox.pid, flush=True)
sys.stdin.readline()  # the test kills this process meanwhile
"""


def gone(pid: int, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        try:  # a child of init that has exited but not been reaped yet
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return True
        if state == "Z":
            return True
        time.sleep(0.05)
    return False


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and /proc")
def test_the_sandbox_stops_when_the_app_is_killed(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[3]
    app = subprocess.Popen(
        [sys.executable, "-c", APP, str(tmp_path / "gateway.sqlite3")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    assert app.stdout is not None
    sandbox_pid = int(app.stdout.readline())
    try:
        assert not gone(sandbox_pid, 0.3)  # serving while the app runs
        app.send_signal(signal.SIGKILL)  # no clean-up in the app at all
        app.wait(timeout=10)
        assert gone(sandbox_pid, 10), "the sandbox gateway outlived the app"
    finally:
        app.kill()
        app.wait(timeout=10)
        if not gone(sandbox_pid, 0):
            os.kill(sandbox_pid, signal.SIGKILL)
