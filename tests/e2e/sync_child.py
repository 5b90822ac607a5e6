"""A child process that runs the real sync worker until the outbox is drained.

``python -m tests.e2e.sync_child (--db URL --gateway URL | --config FILE) [--log FILE]
[--timeout S]``; with ``--config`` the database and the gateway come from the app's settings
file (as the app reads it). The gateway password comes from the environment
(``SYNC_CHILD_GATEWAY_PASSWORD``; the app takes it from the OS keyring), never the command line.
``DESKTOP_POS_CRASH_AT`` (inherited) makes the worker end the process with exit code 137 at that
checkpoint. Exit codes: 0 drained, 1 still pending at the timeout, 137 crashed on purpose.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

from desktop_pos.config import AppPaths, load_config
from desktop_pos.logging_setup import setup_logging
from desktop_pos.services.events import EventBus, SyncNotification
from desktop_pos.services.gateway.settings import GatewaySettings
from desktop_pos.services.store import Store
from desktop_pos.services.sync_worker import SyncWorker

PASSWORD_ENV = "SYNC_CHILD_GATEWAY_PASSWORD"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db")
    parser.add_argument("--gateway")
    parser.add_argument("--config", type=Path)
    parser.add_argument("--merchant-id", default="600000")
    parser.add_argument("--login", default="sandbox_login")
    parser.add_argument("--log", type=Path)
    parser.add_argument("--timeout", type=float, default=30.0)
    args = parser.parse_args()
    if args.log is not None:
        setup_logging(args.log, verbose=True)
    else:
        logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    password = os.environ[PASSWORD_ENV]
    if args.config is not None:
        config = load_config(
            AppPaths(args.config, args.config.parent / "data", args.config.parent / "logs")
        )
        db_url = config.database_url
        gateway = config.gateway
        settings = GatewaySettings(
            gateway.base_url, gateway.merchant_id, gateway.login, password, gateway.timeout_s
        )
    else:
        db_url = args.db
        settings = GatewaySettings(
            args.gateway, args.merchant_id, args.login, password, timeout_s=5.0
        )
    events = EventBus()
    events.subscribe(SyncNotification, lambda n: print(f"NOTIFY {n.text.en}", flush=True))
    store = Store.open(db_url)
    worker = SyncWorker(
        store,
        settings,
        events,
        poll_interval_s=0.2,
        max_backoff_s=0.5,
        retry_base_s=0.1,
        fiscal_poll_s=0.1,
    )
    worker.start()
    deadline = time.monotonic() + args.timeout
    try:
        worker.wait_resync(args.timeout)
        while time.monotonic() < deadline:
            if store.pending_outbox_count() == 0:
                print("DRAINED", flush=True)
                return 0
            worker.sync_now()
            time.sleep(0.05)
        print("PENDING", flush=True)
        return 1
    finally:
        worker.stop()
        store.close()


if __name__ == "__main__":
    raise SystemExit(main())
