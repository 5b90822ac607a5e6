"""What the sandbox servers' command lines share: loopback-only hosts and running until stopped."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import signal


def is_loopback(host: str) -> bool:
    """``localhost`` or a loopback address: the sandbox servers never listen elsewhere."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


async def wait_for_stop_signal() -> None:
    """Return on SIGTERM or SIGINT (on Windows, Ctrl+C still interrupts the loop)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signum, stop.set)
    await stop.wait()
