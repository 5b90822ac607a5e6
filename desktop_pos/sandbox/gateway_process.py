"""The sandbox gateway as a child process: for demo mode, the self-test and the tests.

``python -m desktop_pos.sandbox.gateway`` (or, in an installed bundle, the program itself with
``sandbox-gateway``) on 127.0.0.1. ``start`` waits for its ``LISTENING`` line; ``launch`` only
spawns it on a port chosen beforehand, so the app's window never waits for it. The control
calls (faults, buyer pays, registrations, receipts, e-mails) go to its ``/_sandbox/`` endpoints.
"""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import httpx

from desktop_pos.services.gateway.client import GatewaySettings

SANDBOX_MERCHANT_ID = "600000"
SANDBOX_LOGIN = "sandbox_login"
SANDBOX_PASSWORD = "sandbox_password"
FAST_DELAYS = ("--fiscal-delay", "0.3", "--in-process-delay", "0.3", "--sbp-delay", "30")
"""Short delays for tests; flags given later in ``extra_args`` override these."""
CONTROL_TIMEOUT_S = 5.0
STOP_TIMEOUT_S = 5.0
_LISTENING = "LISTENING "


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class SandboxGatewayError(RuntimeError):
    """The sandbox process did not start or a control call failed (the message says why)."""


class SandboxGatewayProcess:
    """One sandbox gateway subprocess; ``start`` again after ``stop``/``kill`` reuses the port."""

    def __init__(self, db_path: Path, *, port: int = 0, extra_args: Sequence[str] = ()) -> None:
        self.db_path = db_path
        self.port = port
        self.extra_args = tuple(extra_args)
        self.log_path = db_path.with_name(db_path.name + ".log")
        self._process: subprocess.Popen[str] | None = None
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._reader: threading.Thread | None = None
        self._log_file: IO[str] | None = None
        self._control_client: httpx.Client | None = None
        self._listening = False

    # -- process -------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @property
    def pid(self) -> int:
        if self._process is None:
            raise SandboxGatewayError("the sandbox gateway is not started")
        return self._process.pid

    def command(self) -> list[str]:
        # An installed bundle has no ``python -m``: the program runs its own subcommand.
        program = (
            [sys.executable, "sandbox-gateway"]
            if getattr(sys, "frozen", False)
            else [sys.executable, "-m", "desktop_pos.sandbox.gateway"]
        )
        return [
            *program,
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--db",
            str(self.db_path),
            "--exit-with-parent",  # its standard input is a pipe this process holds open
            *self.extra_args,
        ]

    def launch(self) -> None:
        """Spawn the process without waiting for it (on a free port chosen now if none is set);
        callers that talk to it treat "not yet listening" like any unreachable gateway."""
        if not self.port:
            self.port = free_port()
        self._spawn()

    def start(self, timeout: float = 10) -> None:
        """Start and wait (at most ``timeout`` s) for the ``LISTENING`` line."""
        self._spawn()
        self.wait_listening(timeout)

    def _spawn(self) -> None:
        if self.running:
            raise SandboxGatewayError("the sandbox gateway is already running")
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        self._log_file = self.log_path.open("a", encoding="utf-8")
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self._process = subprocess.Popen(
            self.command(),
            stdout=subprocess.PIPE,
            stderr=self._log_file,
            stdin=subprocess.PIPE,  # closed by the system when this process ends: see command()
            text=True,
            encoding="utf-8",
            env=env,
        )
        self._lines = queue.Queue()
        self._listening = False
        self._reader = threading.Thread(
            target=self._read_stdout,
            args=(self._process.stdout, self._lines),
            name="sandbox-gateway-stdout",
            daemon=True,
        )
        self._reader.start()

    def wait_listening(self, timeout: float) -> None:
        """Wait (at most ``timeout`` s) until the process listens; at once if it already does.
        ``SandboxGatewayError`` (the process killed) if it does not start."""
        if self._listening:
            return
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            self.kill()
            raise SandboxGatewayError(
                f"the sandbox gateway did not listen within {timeout} s; log: {self.log_tail()}"
            ) from None
        if line is None or not line.startswith(_LISTENING):
            self.kill()
            raise SandboxGatewayError(
                f"the sandbox gateway did not start (stdout {line!r}); log: {self.log_tail()}"
            )
        self.port = int(line[len(_LISTENING) :].strip().rsplit(":", 1)[1])
        self._listening = True

    @staticmethod
    def _read_stdout(stream: IO[str] | None, lines: queue.Queue[str | None]) -> None:
        if stream is None:
            lines.put(None)
            return
        for line in stream:
            lines.put(line.rstrip("\n"))
        lines.put(None)

    def stop(self) -> None:
        """Graceful: SIGTERM (the server finishes open requests), SIGKILL after 5 s."""
        if self._process is None:
            return
        if self._process.poll() is None:
            self._process.send_signal(signal.SIGTERM)
            try:
                self._process.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=STOP_TIMEOUT_S)
        self._finish()

    def kill(self) -> None:
        """SIGKILL: no clean-up in the server (a crash)."""
        if self._process is None:
            return
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait(timeout=STOP_TIMEOUT_S)
        self._finish()

    def _finish(self) -> None:
        if self._reader is not None:
            self._reader.join(timeout=STOP_TIMEOUT_S)
            self._reader = None
        if self._process is not None:
            for stream in (self._process.stdout, self._process.stdin):
                if stream is not None:
                    with contextlib.suppress(OSError):
                        stream.close()
        self._process = None
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8")[-chars:]
        except OSError:
            return "(no log)"

    def __enter__(self) -> SandboxGatewayProcess:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self.stop()
        finally:
            self.kill()
            self.close_control_client()

    def close_control_client(self) -> None:
        if self._control_client is not None:
            self._control_client.close()
            self._control_client = None

    # -- client side ---------------------------------------------------------------------

    @property
    def url(self) -> str:
        if not self.port:
            raise SandboxGatewayError("the sandbox gateway has not been started yet")
        return f"http://127.0.0.1:{self.port}"

    def settings(self, *, timeout_s: float = 5.0) -> GatewaySettings:
        return GatewaySettings(
            base_url=self.url,
            merchant_id=SANDBOX_MERCHANT_ID,
            login=SANDBOX_LOGIN,
            password=SANDBOX_PASSWORD,
            timeout_s=timeout_s,
        )

    def _control(self, method: str, path: str, **kwargs: Any) -> Any:
        if self._control_client is None:
            # One client for every control call (making one costs tens of milliseconds);
            # "Connection: close" so no pooled connection outlives a restart of the sandbox.
            self._control_client = httpx.Client(
                timeout=CONTROL_TIMEOUT_S, trust_env=False, headers={"Connection": "close"}
            )
        try:
            response = self._control_client.request(method, self.url + path, **kwargs)
        except httpx.HTTPError as exc:
            raise SandboxGatewayError(f"{method} {path}: {exc!r}") from exc
        if response.status_code != 200:
            raise SandboxGatewayError(
                f"{method} {path}: HTTP {response.status_code} {response.text}"
            )
        return response.json()

    def health(self) -> dict[str, Any]:
        result: dict[str, Any] = self._control("GET", "/_sandbox/health")
        return result

    def set_faults(self, **per_endpoint: Any) -> dict[str, Any]:
        """``set_faults(cash_register={"lost_after_commit": 1})``, ``set_faults(down=True)``,
        ``set_faults(all={"latency_ms": 500})``."""
        result: dict[str, Any] = self._control("POST", "/_sandbox/faults", json=per_endpoint)
        return result

    def clear_faults(self) -> None:
        self._control("POST", "/_sandbox/faults", json={"clear": True})

    def buyer_pays(self, billnumber: str) -> dict[str, Any]:
        result: dict[str, Any] = self._control(
            "POST", "/_sandbox/sbp/pay", json={"billnumber": billnumber}
        )
        return result

    def softpos_phone_pays(self, billnumber: str) -> dict[str, Any]:
        """The cashier's SoftPOS phone takes the card for ``billnumber`` (its amount's outcome)."""
        result: dict[str, Any] = self._control(
            "POST", "/_sandbox/softpos/pay", json={"billnumber": billnumber}
        )
        return result

    def let_expire(self, billnumber: str) -> dict[str, Any]:
        """An SBP QR or SoftPOS hand-off ends unpaid now: Timeout AS100."""
        result: dict[str, Any] = self._control(
            "POST", "/_sandbox/expire", json={"billnumber": billnumber}
        )
        return result

    def registrations(self, order_number: str) -> list[dict[str, Any]]:
        result = self._control(
            "GET", "/_sandbox/registrations", params={"ordernumber": order_number}
        )
        registrations: list[dict[str, Any]] = result["registrations"]
        return registrations

    def receipts(self, order_number: str) -> list[dict[str, Any]]:
        """Every fiscal receipt the sandbox holds for the order (its payments and cancels)."""
        result = self._control("GET", "/_sandbox/receipts", params={"ordernumber": order_number})
        receipts: list[dict[str, Any]] = result["receipts"]
        return receipts

    def emails(self) -> list[dict[str, Any]]:
        emails: list[dict[str, Any]] = self._control("GET", "/_sandbox/emails")["emails"]
        return emails

    def backdate(self, order_number: str, seconds: float) -> int:
        """Move the order's operations ``seconds`` into the past (for the orderstate window)."""
        moved: int = self._control(
            "POST", "/_sandbox/backdate", json={"ordernumber": order_number, "seconds": seconds}
        )["moved"]
        return moved
