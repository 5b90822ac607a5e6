"""What the sandbox servers' command lines share: loopback-only hosts and running until stopped."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import signal
import sys
import threading


def is_loopback(host: str) -> bool:
    """``localhost`` or a loopback address: the sandbox servers never listen elsewhere."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


async def wait_for_stop_signal(*, stop_at_stdin_eof: bool = False) -> None:
    """Return on SIGTERM or SIGINT (on Windows, Ctrl+C still interrupts the loop).

    ``stop_at_stdin_eof``: also when standard input ends. The app that starts a sandbox keeps a
    pipe to its standard input open and never writes to it; when the app exits in any way (a
    crash or SIGKILL included) the system closes the pipe and the sandbox stops with it, on
    Windows as on Linux."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signum, stop.set)
    stdin = sys.stdin.buffer if stop_at_stdin_eof and sys.stdin is not None else None
    if stdin is not None:  # (a windowed program started without handles has no stdin at all)

        def watch_stdin() -> None:
            with contextlib.suppress(OSError, ValueError):
                while stdin.read(4096):
                    pass  # nothing is sent; read until the end
            loop.call_soon_threadsafe(stop.set)

        threading.Thread(target=watch_stdin, name="stdin-eof", daemon=True).start()
    await stop.wait()
