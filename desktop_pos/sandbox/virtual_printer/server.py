"""The virtual printer: an ESC/POS printer on a loopback TCP port (like a network printer's
port 9100) that answers status queries, decodes what it receives and saves every receipt as
``NNNN.bin`` (the bytes received), ``NNNN.txt`` (the decoded text) and ``NNNN.png`` (a picture).

Faults (``set_fault``) make it answer and behave like a printer with no paper, an open cover or
no power. docs/virtual-printer.md describes the replies and files.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import threading
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from types import TracebackType

from desktop_pos.sandbox.virtual_printer.commands import (
    DLE,
    EOT,
    Command,
    Malformed,
    Tokenizer,
    UnknownBytes,
)
from desktop_pos.sandbox.virtual_printer.decoder import (
    DecodedReceipt,
    DrawerPulse,
    Interpreter,
)
from desktop_pos.sandbox.virtual_printer.picture import PAPER_DOTS_80MM, render_png

log = logging.getLogger(__name__)

READ_SIZE = 65536
STATUS_FIXED_BITS = 0x12
"""Bits 1 and 4 of every DLE EOT reply are fixed to 1 (Epson TM): a healthy reply is 0x12."""
OFFLINE_BIT = 0x08  # DLE EOT 1, bit 3
COVER_OPEN_BIT = 0x04  # DLE EOT 2, bit 2
PAPER_END_STOP_BIT = 0x20  # DLE EOT 2, bit 5
NEAR_END_BITS = 0x0C  # DLE EOT 4, bits 2 and 3
PAPER_END_BITS = 0x60  # DLE EOT 4, bits 5 and 6
STOP_TIMEOUT_S = 5.0
_SAVED_NAME = re.compile(r"(\d{4,})\.bin")


class PrinterFault(StrEnum):
    PAPER_OUT = "paper_out"
    PAPER_NEAR_END = "paper_near_end"
    COVER_OPEN = "cover_open"
    OFFLINE = "offline"


DISCARDING_FAULTS = frozenset({PrinterFault.PAPER_OUT, PrinterFault.COVER_OPEN})
"""Faults that stop printing: print data received meanwhile is thrown away."""


def status_reply(kind: int, fault: PrinterFault | None) -> int | None:
    """The byte a printer with ``fault`` answers to ``DLE EOT kind``; None: no answer."""
    if fault is PrinterFault.OFFLINE:
        return None
    if kind == 1:
        return STATUS_FIXED_BITS | (OFFLINE_BIT if fault in DISCARDING_FAULTS else 0)
    if kind == 2:
        bits = COVER_OPEN_BIT if fault is PrinterFault.COVER_OPEN else 0
        if fault is PrinterFault.PAPER_OUT:
            bits |= PAPER_END_STOP_BIT
        return STATUS_FIXED_BITS | bits
    if kind == 3:
        return STATUS_FIXED_BITS
    if kind == 4:
        if fault is PrinterFault.PAPER_OUT:
            return STATUS_FIXED_BITS | PAPER_END_BITS
        if fault is PrinterFault.PAPER_NEAR_END:
            return STATUS_FIXED_BITS | NEAR_END_BITS
        return STATUS_FIXED_BITS
    return None


@dataclass(frozen=True)
class SavedReceipt:
    index: int
    bin_path: Path
    txt_path: Path
    png_path: Path
    decoded: DecodedReceipt

    @property
    def text(self) -> str:
        return self.decoded.text


class VirtualPrinter:
    """The server on the running asyncio loop: ``await start()``, ``await stop()``.

    All decoding state (code table, styles, the receipt being printed) belongs to the printer,
    not to a connection, as on a real printer; a command cut in two by a packet boundary is
    completed by the next read of the same connection. What was printed since the last cut is
    saved as an uncut receipt when the connection(s) that sent it have closed.
    """

    def __init__(
        self,
        out_dir: Path,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        code_pages: Mapping[int, str] | None = None,
        paper_dots: int = PAPER_DOTS_80MM,
    ) -> None:
        self.out_dir = Path(out_dir)
        self.host = host
        self.paper_dots = paper_dots
        self._requested_port = port
        self._interpreter = Interpreter(
            code_pages=code_pages, paper_dots=paper_dots, keep_commands=False
        )
        self._lock = threading.Lock()
        self._saved_changed = threading.Condition(self._lock)
        self._fault: PrinterFault | None = None
        self._receipts: list[SavedReceipt] = []
        self._drawer_pulses: list[DrawerPulse] = []
        self._status_requests: list[int] = []
        self._problems: list[str] = []
        self._raw = bytearray()
        self._next_index = 1
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.Task[None]] = set()
        self._printing: set[asyncio.Task[None] | None] = set()
        """Connections that sent print data since the last receipt was saved."""
        self._saver: ThreadPoolExecutor | None = None
        self._pending_saves: set[asyncio.Future[None]] = set()
        self.bytes_received = 0

    # -- control -------------------------------------------------------------------------

    async def start(self) -> None:
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self._next_index = _next_free_index(self.out_dir)
        self._saver = ThreadPoolExecutor(max_workers=1, thread_name_prefix="virtual-printer-save")
        self._server = await asyncio.start_server(
            self._serve, self.host, self._requested_port, reuse_address=True
        )
        log.info("virtual printer on %s:%s, receipts in %s", self.host, self.port, self.out_dir)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._connections):
            task.cancel()
        if self._connections:
            await asyncio.wait(self._connections, timeout=STOP_TIMEOUT_S)
        if self._server is not None:
            await self._server.wait_closed()
            self._server = None
        if self._pending_saves:
            await asyncio.wait(self._pending_saves, timeout=STOP_TIMEOUT_S)
        if self._saver is not None:
            self._saver.shutdown(wait=True)
            self._saver = None

    @property
    def port(self) -> int:
        if self._server is None or not self._server.sockets:
            raise RuntimeError("the virtual printer is not listening")
        port: int = self._server.sockets[0].getsockname()[1]
        return port

    @property
    def fault(self) -> PrinterFault | None:
        return self._fault

    def set_fault(self, fault: PrinterFault | None) -> None:
        """Simulate ``fault`` from now on (None: a healthy printer). Safe from any thread."""
        with self._lock:
            self._fault = None if fault is None else PrinterFault(fault)
        log.info("virtual printer fault: %s", fault)

    @property
    def receipts(self) -> list[SavedReceipt]:
        with self._lock:
            return list(self._receipts)

    @property
    def drawer_pulses(self) -> list[DrawerPulse]:
        with self._lock:
            return list(self._drawer_pulses)

    @property
    def status_requests(self) -> list[int]:
        """``n`` of every ``DLE EOT n`` received (answered or not)."""
        with self._lock:
            return list(self._status_requests)

    @property
    def problems(self) -> list[str]:
        """Unknown, malformed and truncated commands received, and decoding warnings."""
        with self._lock:
            return list(self._problems)

    def wait_for_receipts_blocking(self, count: int, timeout: float) -> list[SavedReceipt]:
        """Block the calling thread (not the printer's loop) until ``count`` receipts are saved."""
        with self._saved_changed:
            if not self._saved_changed.wait_for(lambda: len(self._receipts) >= count, timeout):
                raise TimeoutError(
                    f"{len(self._receipts)} receipt(s) saved within {timeout} s, "
                    f"{count} expected; problems: {self._problems}"
                )
            return list(self._receipts)

    async def wait_for_receipts(self, count: int, timeout: float = 5.0) -> list[SavedReceipt]:
        deadline = time.monotonic() + timeout
        while len(self.receipts) < count:
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"{len(self.receipts)} receipt(s) saved within {timeout} s, {count} expected"
                )
            await asyncio.sleep(0.01)
        return self.receipts

    # -- connections ---------------------------------------------------------------------

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._connections.add(task)
        tokenizer = Tokenizer()
        scan_tail = b""
        try:
            while data := await reader.read(READ_SIZE):
                self.bytes_received += len(data)
                if self._fault is PrinterFault.OFFLINE:
                    continue  # a printer with no power: the print server swallows everything
                if tokenizer.broken:
                    replies, scan_tail = self._scan_status(scan_tail + data)
                else:
                    replies = self._take(tokenizer, data)
                    if tokenizer.broken:
                        more, scan_tail = self._scan_status(tokenizer.unparsed)
                        replies += more
                if replies:
                    writer.write(replies)
                    await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError) as exc:
            log.info("virtual printer connection ended: %r", exc)
        except asyncio.CancelledError:
            # stop(): end the handler normally. A handler task that ends cancelled makes
            # Python 3.11's asyncio.streams log "Exception in callback" (fixed in 3.12).
            log.debug("virtual printer connection closed by stop()")
        finally:
            self._connection_ended(tokenizer)
            writer.close()
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await writer.wait_closed()
            if task is not None:
                self._connections.discard(task)

    def _take(self, tokenizer: Tokenizer, data: bytes) -> bytes:
        """Apply the complete commands in ``data``; the replies to status queries among them."""
        replies = bytearray()
        for token in tokenizer.feed(data):
            if isinstance(token, (UnknownBytes, Malformed)):
                self._problem(token.describe())
                if isinstance(token, Malformed):
                    self._problem("the rest of this connection is not decoded")
                if isinstance(token, UnknownBytes) and self._fault not in DISCARDING_FAULTS:
                    self._raw += token.raw
                continue
            if token.name == "DLE EOT":
                reply = self._status_query(token)
                if reply is not None:
                    replies.append(reply)
                continue
            if self._fault in DISCARDING_FAULTS and token.name != "DLE DC4":
                continue  # printing stopped: the data is thrown away
            self._apply(token)
        return bytes(replies)

    def _status_query(self, command: Command) -> int | None:
        kind = command.param(0)
        with self._lock:
            self._status_requests.append(kind)
            fault = self._fault
        return status_reply(kind, fault)  # not part of the receipt's .bin

    def _scan_status(self, data: bytes) -> tuple[bytes, bytes]:
        """After malformed data only the real-time status queries are recognised (as a real
        printer does with its receive buffer). Returns the replies and the unscanned tail."""
        replies = bytearray()
        pos = 0
        while (found := data.find(bytes([DLE, EOT]), pos)) >= 0:
            if found + 2 >= len(data):
                return bytes(replies), data[found:]
            kind = data[found + 2]
            if 1 <= kind <= 4:
                with self._lock:
                    self._status_requests.append(kind)
                    fault = self._fault
                reply = status_reply(kind, fault)
                if reply is not None:
                    replies.append(reply)
            pos = found + 2
        return bytes(replies), data[-1:] if data.endswith(bytes([DLE])) else b""

    def _apply(self, command: Command) -> None:
        interpreter = self._interpreter
        stream = interpreter.stream
        interpreter.apply(command)
        self._raw += command.raw
        self._printing.add(asyncio.current_task())
        with self._lock:
            self._drawer_pulses.extend(stream.drawer_pulses)
        for problem in stream.unknown + stream.warnings:
            self._problem(problem)
        for receipt in interpreter.take_completed():
            self._save(receipt)
        for collected in (
            stream.drawer_pulses,
            stream.unknown,
            stream.warnings,
            stream.receipts,
            stream.status_requests,
        ):
            collected.clear()

    def _connection_ended(self, tokenizer: Tokenizer) -> None:
        truncated = tokenizer.truncated()
        if truncated is not None:
            self._problem(f"connection closed inside a command: {truncated}")
        self._printing.discard(asyncio.current_task())
        if self._interpreter.has_content and not self._printing:
            # Nobody else is printing: what was printed without a cut is a receipt.
            receipt = self._interpreter.finish(0)
            self._interpreter.stream.receipts.clear()
            if receipt is not None:
                self._save(receipt)

    def _problem(self, text: str) -> None:
        log.warning("virtual printer: %s", text)
        with self._lock:
            self._problems.append(text)

    # -- files ---------------------------------------------------------------------------

    def _save(self, receipt: DecodedReceipt) -> None:
        raw, self._raw = bytes(self._raw), bytearray()
        self._printing.clear()
        index = self._next_index
        self._next_index += 1
        if self._saver is None:
            return
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._saver, self._write_files, index, raw, receipt)
        self._pending_saves.add(future)
        future.add_done_callback(self._pending_saves.discard)

    def _write_files(self, index: int, raw: bytes, receipt: DecodedReceipt) -> None:
        stem = self.out_dir / f"{index:04d}"
        saved = SavedReceipt(
            index=index,
            bin_path=stem.with_suffix(".bin"),
            txt_path=stem.with_suffix(".txt"),
            png_path=stem.with_suffix(".png"),
            decoded=receipt,
        )
        saved.bin_path.write_bytes(raw)
        saved.txt_path.write_text(receipt.text + "\n", encoding="utf-8")
        render_png(receipt, saved.png_path, paper_dots=self.paper_dots)
        with self._saved_changed:
            self._receipts.append(saved)
            self._saved_changed.notify_all()
        log.info(
            "virtual printer: receipt %s saved (%d bytes, %d lines, cut=%s)",
            stem.name,
            len(raw),
            len(receipt.lines),
            receipt.cut,
        )


def _next_free_index(out_dir: Path) -> int:
    """Numbering goes on after the receipts already in the folder (nothing is overwritten)."""
    numbers = [
        int(match.group(1))
        for path in out_dir.iterdir()
        if (match := _SAVED_NAME.fullmatch(path.name))
    ]
    return max(numbers, default=0) + 1


class VirtualPrinterThread:
    """A ``VirtualPrinter`` with its own event loop on a daemon thread, for synchronous code
    (tests, the self-test, demo mode). ``start()`` returns once it listens."""

    def __init__(
        self,
        out_dir: Path,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        code_pages: Mapping[int, str] | None = None,
        paper_dots: int = PAPER_DOTS_80MM,
    ) -> None:
        self.printer = VirtualPrinter(
            out_dir, host=host, port=port, code_pages=code_pages, paper_dots=paper_dots
        )
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    def start(self, timeout: float = 10.0) -> None:
        if self._thread is not None:
            raise RuntimeError("the virtual printer is already running")
        ready = threading.Event()
        failure: list[BaseException] = []
        loop = asyncio.new_event_loop()

        def run() -> None:
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self.printer.start())
            except BaseException as exc:  # reported to start()'s caller
                failure.append(exc)
                ready.set()
                loop.close()
                return
            ready.set()
            try:
                loop.run_forever()
            finally:
                loop.close()

        self._loop = loop
        self._thread = threading.Thread(target=run, name="virtual-printer", daemon=True)
        self._thread.start()
        if not ready.wait(timeout):
            raise TimeoutError(f"the virtual printer did not start within {timeout} s")
        if failure:
            self._thread.join(timeout)
            self._thread, self._loop = None, None
            raise failure[0]

    def stop(self) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        if loop.is_running():
            future = asyncio.run_coroutine_threadsafe(self.printer.stop(), loop)
            future.result(timeout=STOP_TIMEOUT_S * 3)
            loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=STOP_TIMEOUT_S)
        self._loop, self._thread = None, None

    @property
    def port(self) -> int:
        return self.printer.port

    @property
    def out_dir(self) -> Path:
        return self.printer.out_dir

    @property
    def fault(self) -> PrinterFault | None:
        return self.printer.fault

    def set_fault(self, fault: PrinterFault | None) -> None:
        self.printer.set_fault(fault)

    @property
    def receipts(self) -> list[SavedReceipt]:
        return self.printer.receipts

    @property
    def drawer_pulses(self) -> list[DrawerPulse]:
        return self.printer.drawer_pulses

    @property
    def status_requests(self) -> list[int]:
        return self.printer.status_requests

    @property
    def problems(self) -> list[str]:
        return self.printer.problems

    def wait_for_receipts(self, count: int, timeout: float = 5.0) -> list[SavedReceipt]:
        """Wait until at least ``count`` receipts are saved (files written); TimeoutError if not."""
        return self.printer.wait_for_receipts_blocking(count, timeout)

    def __enter__(self) -> VirtualPrinterThread:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
