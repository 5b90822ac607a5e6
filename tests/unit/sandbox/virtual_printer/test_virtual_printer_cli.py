"""``python -m desktop_pos.sandbox.virtual_printer``: LISTENING line, receipts, SIGTERM."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ESC, GS, DLE = b"\x1b", b"\x1d", b"\x10"


def command(out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "desktop_pos.sandbox.virtual_printer", "--out", str(out), *extra]


def wait_for_file(path: Path, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if time.monotonic() > deadline:
            raise AssertionError(f"{path} not written within {timeout} s")
        time.sleep(0.05)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM")
def test_serves_until_sigterm(tmp_path: Path) -> None:
    out = tmp_path / "receipts"
    process = subprocess.Popen(
        command(out, "--port", "0", "--paper-dots", "384", "--code-page", "73=cp1251"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        assert line.startswith("LISTENING ")
        port = int(line.split()[1])
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            sock.sendall(DLE + b"\x04\x01")
            assert sock.recv(1) == b"\x12"
            sock.sendall(ESC + b"t\x49" + "Чек".encode("cp1251") + b"\n" + GS + b"V\x00")
        wait_for_file(out / "0001.png")
        assert (out / "0001.txt").read_text(encoding="utf-8") == "Чек\n"
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=10)
    assert process.returncode == 0, stderr


def test_a_bad_code_page_is_refused_with_a_message(tmp_path: Path) -> None:
    done = subprocess.run(
        command(tmp_path, "--code-page", "59=nope"),
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 2
    assert "'nope' is no known codec" in done.stderr


def test_only_loopback(tmp_path: Path) -> None:
    done = subprocess.run(
        command(tmp_path, "--host", "0.0.0.0"),
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 2
    assert "loopback only" in done.stderr
