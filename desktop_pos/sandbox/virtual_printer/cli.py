"""``python -m desktop_pos.sandbox.virtual_printer --port N --out DIR``: run the virtual printer
on loopback until SIGTERM or Ctrl+C.

Once it accepts connections it prints ``LISTENING <port>`` on stdout (with ``--port 0`` a free
port is chosen). Logs go to stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from desktop_pos.sandbox.serving import is_loopback, wait_for_stop_signal
from desktop_pos.sandbox.virtual_printer.code_pages import CodePageError, code_page_table
from desktop_pos.sandbox.virtual_printer.picture import PAPER_DOTS_80MM
from desktop_pos.sandbox.virtual_printer.server import PrinterFault, VirtualPrinter

log = logging.getLogger("desktop_pos.sandbox.virtual_printer")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m desktop_pos.sandbox.virtual_printer",
        description="A virtual ESC/POS printer on loopback (see docs/virtual-printer.md).",
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="a loopback address (default %(default)s)"
    )
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port (default)")
    parser.add_argument("--out", type=Path, required=True, help="folder for the saved receipts")
    parser.add_argument(
        "--paper-dots",
        type=int,
        default=PAPER_DOTS_80MM,
        help="print area width in dots: 576 for 80 mm paper, 384 for 58 mm (default %(default)s)",
    )
    parser.add_argument(
        "--code-page",
        action="append",
        default=[],
        metavar="N=CODEC",
        help="ESC t table number and the codec it means on this model, e.g. 59=cp866 "
        "(repeatable; merged over the Epson numbering)",
    )
    parser.add_argument(
        "--fault",
        choices=[fault.value for fault in PrinterFault],
        help="start with this fault simulated",
    )
    parser.add_argument("--log-level", default="INFO", choices=("DEBUG", "INFO", "WARNING"))
    return parser


def parse_code_pages(specs: Sequence[str]) -> dict[int, str]:
    """``["59=cp866", …]`` → ``{59: "cp866"}``; CodePageError with the reason otherwise."""
    table: dict[int, str] = {}
    for spec in specs:
        number, sep, codec = spec.partition("=")
        if not sep or not number.strip().isdigit() or not codec.strip():
            raise CodePageError(f"--code-page {spec!r}: expected N=CODEC, e.g. 59=cp866")
        table[int(number)] = codec.strip()
    code_page_table(table)  # checks every codec name
    return table


async def serve(printer: VirtualPrinter) -> None:
    await printer.start()
    try:
        print(f"LISTENING {printer.port}", flush=True)
        await wait_for_stop_signal()
        log.info("virtual printer stopping")
    finally:
        await printer.stop()


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=args.log_level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(message)s"
    )
    if not is_loopback(args.host):
        parser.error(f"--host {args.host}: the virtual printer listens on loopback only")
    if not 0 <= args.port < 65536:
        parser.error(f"--port {args.port}: expected 0-65535")
    if not 8 <= args.paper_dots <= 4096:
        parser.error(f"--paper-dots {args.paper_dots}: expected 8-4096 (576 or 384)")
    try:
        code_pages = parse_code_pages(args.code_page)
    except CodePageError as exc:
        parser.error(str(exc))
    printer = VirtualPrinter(
        args.out,
        host=args.host,
        port=args.port,
        code_pages=code_pages,
        paper_dots=args.paper_dots,
    )
    if args.fault:
        printer.set_fault(PrinterFault(args.fault))
    try:
        asyncio.run(serve(printer))
    except OSError as exc:
        print(f"virtual printer: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    return 0
