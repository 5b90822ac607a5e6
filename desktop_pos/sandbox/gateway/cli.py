"""``python -m desktop_pos.sandbox.gateway`` (and ``desktop-pos sandbox-gateway``): run the
sandbox gateway on loopback until SIGTERM or Ctrl+C.

Once it accepts connections it prints ``LISTENING http://127.0.0.1:<port>`` on stdout (with
``--port 0`` a free port is chosen). Logs go to stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import socket
import sys
from collections.abc import Sequence
from pathlib import Path

from aiohttp import web

from desktop_pos.sandbox.gateway.faults import Faults, FaultSpecError
from desktop_pos.sandbox.gateway.ledger import Delays
from desktop_pos.sandbox.gateway.mailer import SmtpAddressError, parse_smtp_address
from desktop_pos.sandbox.gateway.server import SandboxConfig, SandboxGateway
from desktop_pos.sandbox.serving import is_loopback, wait_for_stop_signal

log = logging.getLogger("desktop_pos.sandbox.gateway")

SHUTDOWN_TIMEOUT_S = 5.0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m desktop_pos.sandbox.gateway",
        description="The sandbox Assist gateway on loopback (see docs/sandbox.md).",
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="a loopback address (default %(default)s)"
    )
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port (default)")
    parser.add_argument("--db", type=Path, required=True, help="the sandbox's SQLite file")
    parser.add_argument("--merchant-id", default="600000")
    parser.add_argument("--login", default="sandbox_login")
    parser.add_argument("--password", default="sandbox_password")
    parser.add_argument(
        "--fiscal-delay",
        type=float,
        default=2.0,
        metavar="S",
        help="seconds a receipt stays New before Success (default %(default)s)",
    )
    parser.add_argument(
        "--sbp-delay",
        type=float,
        default=15.0,
        metavar="S",
        help="seconds until an SBP payment settles by itself; negative: only when the buyer "
        "pays through /_sandbox/sbp/pay (default %(default)s)",
    )
    parser.add_argument(
        "--in-process-delay",
        type=float,
        default=5.0,
        metavar="S",
        help="seconds the .55 and .57 test amounts stay In Process (default %(default)s)",
    )
    parser.add_argument("--smtp", metavar="HOST:PORT", help="send e-mail receipts to this server")
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="ENDPOINT:KIND[:ARG]",
        help="inject a fault, e.g. cash_register:lost_after_commit:1, all:latency_ms:300, "
        "all:down (repeatable)",
    )
    parser.add_argument("--log-level", default="INFO", choices=("DEBUG", "INFO", "WARNING"))
    parser.add_argument(
        "--exit-with-parent",
        action="store_true",
        help="also stop when standard input ends (the app that started the sandbox has exited)",
    )
    return parser


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    if hasattr(socket, "SO_EXCLUSIVEADDRUSE"):  # Windows: no port stealing
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_EXCLUSIVEADDRUSE, 1)
    else:  # a restart may reuse the port while old connections are in TIME_WAIT
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.setblocking(False)
    return sock


async def serve(
    config: SandboxConfig, host: str, port: int, *, exit_with_parent: bool = False
) -> None:
    gateway = SandboxGateway(config)
    runner = web.AppRunner(gateway.make_app(), shutdown_timeout=SHUTDOWN_TIMEOUT_S)
    await runner.setup()
    try:
        sock = _bind(host, port)
        site = web.SockSite(runner, sock)
        await site.start()
        chosen = sock.getsockname()[1]
        shown = f"[{host}]" if ":" in host else host
        print(f"LISTENING http://{shown}:{chosen}", flush=True)
        log.info("sandbox gateway on port %s, database %s", chosen, config.db_path)
        await wait_for_stop_signal(stop_at_stdin_eof=exit_with_parent)
        log.info("sandbox gateway stopping")
    finally:
        await runner.cleanup()


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=args.log_level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(message)s"
    )
    if not is_loopback(args.host):
        parser.error(f"--host {args.host}: the sandbox listens on loopback only")
    if not 0 <= args.port < 65536:
        parser.error(f"--port {args.port}: expected 0-65535")
    for name in ("fiscal_delay", "in_process_delay"):
        if getattr(args, name) < 0:
            parser.error(f"--{name.replace('_', '-')} must be ≥ 0")
    try:
        for spec in args.fault:
            Faults().apply_spec(spec)
        smtp = None if args.smtp is None else parse_smtp_address(args.smtp)
    except (FaultSpecError, SmtpAddressError) as exc:
        parser.error(str(exc))
    config = SandboxConfig(
        db_path=args.db,
        delays=Delays(
            fiscal_s=args.fiscal_delay, sbp_s=args.sbp_delay, in_process_s=args.in_process_delay
        ),
        merchant_id=args.merchant_id,
        login=args.login,
        password=args.password,
        smtp=smtp,
        faults=tuple(args.fault),
    )
    try:
        asyncio.run(serve(config, args.host, args.port, exit_with_parent=args.exit_with_parent))
    except OSError as exc:
        print(f"sandbox gateway: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    return 0
