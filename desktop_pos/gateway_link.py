"""The app's link to the Assist gateway: settings, the sync worker, and in demo the sandbox.

In demo mode the sandbox gateway runs as a child process on a loopback port chosen at start,
with its own database next to the demo database; the app is pointed at it with the sandbox's
credentials. Otherwise the settings come from the ``[gateway]`` table and the password from the
OS keyring (or, where there is no keyring, from the cashier at start, kept in memory only). With
no gateway configured and no demo there is no link at all: cash sales wait in the outbox, never
fiscalized by a sandbox by mistake.

Nothing here waits for the network: the sandbox is spawned without waiting, and the sync
worker waits for it on its own thread before its first request (so the demo does not start by
reporting the gateway unreachable); a real gateway not answering yet is unreachable like any
other.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_pos.config import Config
from desktop_pos.models.texts import LocalizedText

if TYPE_CHECKING:
    from desktop_pos.sandbox.gateway_process import SandboxGatewayProcess
    from desktop_pos.services.events import EventBus
    from desktop_pos.services.gateway.client import AsyncGatewayClient, GatewaySettings
    from desktop_pos.services.sync_worker import SyncWorker

log = logging.getLogger(__name__)

SANDBOX_DB_NAME = "demo-gateway.sqlite3"
SANDBOX_START_TIMEOUT_S = 15.0
"""How long the sync worker waits for the sandbox process to listen (a cold start of Python
and the sandbox's imports on a slow machine)."""


@dataclass
class GatewayLink:
    settings: GatewaySettings
    worker: SyncWorker
    client: AsyncGatewayClient
    sandbox: SandboxGatewayProcess | None = None
    problem: LocalizedText | None = None
    """Why the gateway cannot be used yet (no password stored), for the UI."""

    def start(self) -> None:
        if self.sandbox is not None and not self.sandbox.running:
            self.sandbox.launch()
            log.info("sandbox gateway started at %s", self.sandbox.url)
        self.worker.start()

    def stop(self) -> None:
        """Stop the worker, then the sandbox (the client is closed by its owner's loop)."""
        try:
            self.worker.stop()
        finally:
            if self.sandbox is not None:
                self.sandbox.stop()
                self.sandbox.close_control_client()


def gateway_settings(
    config: Config, *, password: str | None = None
) -> tuple[GatewaySettings, SandboxGatewayProcess | None, LocalizedText | None]:
    """Settings for the configured gateway, or for a sandbox process (not yet started)."""
    from desktop_pos.services.gateway.client import GatewaySettings

    if config.demo:
        from desktop_pos.sandbox.gateway_process import SandboxGatewayProcess

        sandbox = SandboxGatewayProcess(Path(config.paths.data_dir) / SANDBOX_DB_NAME)
        sandbox.port = _choose_port()
        return sandbox.settings(timeout_s=config.gateway.timeout_s), sandbox, None

    problem = None
    if password is None:
        from desktop_pos.credentials import load_gateway_password

        lookup = load_gateway_password(config.gateway.merchant_id, config.gateway.login)
        password, problem = lookup.password, lookup.problem
    settings = GatewaySettings(
        base_url=config.gateway.base_url,
        merchant_id=config.gateway.merchant_id,
        login=config.gateway.login,
        password=password or "",
        timeout_s=config.gateway.timeout_s,
        verify_tls=config.gateway.verify_tls,
    )
    return settings, None, problem


def _choose_port() -> int:
    from desktop_pos.sandbox.gateway_process import free_port

    return free_port()


def build_gateway_link(
    config: Config, events: EventBus, *, password: str | None = None
) -> GatewayLink | None:
    """The link for demo or a configured gateway; None when neither (offline only)."""
    from desktop_pos.services.gateway.client import AsyncGatewayClient
    from desktop_pos.services.sync_worker import SyncWorker

    if not config.demo and not config.gateway.configured:
        log.warning("no gateway configured: cash sales are kept for upload until one is set")
        return None
    settings, sandbox, problem = gateway_settings(config, password=password)
    ready = None
    if sandbox is not None:  # spawned by start(); the worker, not the window, waits for it
        ready = functools.partial(sandbox.wait_listening, SANDBOX_START_TIMEOUT_S)
    worker = SyncWorker(config.database_url, settings, events, before_first_contact=ready)
    preload_async_transport()
    return GatewayLink(settings, worker, AsyncGatewayClient(settings), sandbox, problem)


def preload_async_transport() -> None:
    """Load what httpx's async transport imports at its first request (anyio's asyncio backend).

    The ``AsyncGatewayClient`` runs on the window's loop: without this, its first request (a card
    payment's order check) would import it there and stall the window for some 40 ms. The link
    is built on its own thread, so the import happens there.
    """
    import importlib

    try:
        importlib.import_module("anyio._backends._asyncio")
    except ImportError as exc:  # another httpx transport: nothing to load ahead
        log.debug("anyio's asyncio backend not preloaded: %s", exc)
