"""The virtual printer over real TCP: saved receipts, status replies, faults, drawer pulses,
commands cut by packet boundaries, several connections."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import PIL.Image
import pytest
import zxingcpp

from desktop_pos.sandbox.virtual_printer.decoder import CutKind, DrawerPulse
from desktop_pos.sandbox.virtual_printer.server import (
    PrinterFault,
    VirtualPrinter,
    VirtualPrinterThread,
    status_reply,
)
from tests.async_helpers import run_coroutine

ESC, GS, DLE = b"\x1b", b"\x1d", b"\x10"
QUERIES = DLE + b"\x04\x01" + DLE + b"\x04\x02" + DLE + b"\x04\x03" + DLE + b"\x04\x04"
FNS = "t=20240101T1200&s=150.00&fn=9999078900012345&i=12345&fp=1234567890&n=1"
NO_REPLY_WAIT_S = 0.3


def qr_bytes(payload: bytes, size: int = 6) -> bytes:
    store_len = len(payload) + 3
    return (
        GS + b"(k\x03\x00\x31\x43" + bytes([size])
        + GS + b"(k" + bytes([store_len % 256, store_len // 256]) + b"\x31\x50\x30" + payload
        + GS + b"(k\x03\x00\x31\x51\x30"
    )  # fmt: skip


RECEIPT = (
    ESC + b"@" + ESC + b"t\x11" + ESC + b"a\x01" + ESC + b"E\x01"
    + "КАССОВЫЙ ЧЕК".encode("cp866") + b"\n" + ESC + b"E\x00" + ESC + b"a\x00"
    + "Итог =150.00".encode("cp866") + b"\n"
    + ESC + b"a\x01" + qr_bytes(FNS.encode()) + b"\n"
    + ESC + b"d\x03" + GS + b"V\x00"
)  # fmt: skip


@pytest.fixture
def vprinter(tmp_path: Path) -> Iterator[VirtualPrinterThread]:
    with VirtualPrinterThread(tmp_path / "out") as running:
        yield running


def connect(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def send(port: int, data: bytes) -> None:
    with connect(port) as sock:
        sock.sendall(data)


def ask(port: int, queries: bytes = QUERIES, expected: int = 4) -> bytes:
    with connect(port) as sock:
        sock.sendall(queries)
        reply = b""
        while len(reply) < expected:
            chunk = sock.recv(16)
            if not chunk:
                break
            reply += chunk
        return reply


def test_a_receipt_is_saved_as_bin_txt_and_png(vprinter: VirtualPrinterThread) -> None:
    send(vprinter.port, RECEIPT)
    (saved,) = vprinter.wait_for_receipts(1)
    assert saved.index == 1
    assert saved.bin_path == vprinter.out_dir / "0001.bin"
    assert saved.bin_path.read_bytes() == RECEIPT
    assert saved.txt_path.read_text(encoding="utf-8") == "КАССОВЫЙ ЧЕК\nИтог =150.00\n\n"
    (found,) = zxingcpp.read_barcodes(PIL.Image.open(saved.png_path))
    assert found.text == FNS
    assert saved.decoded.qr_codes[0].width_dots >= 160
    assert (saved.decoded.cut, saved.decoded.cut_kind) == (True, CutKind.FULL)
    assert saved.decoded.lines[0].bold and not saved.decoded.lines[1].bold
    assert vprinter.problems == []


def test_a_healthy_printer_answers_0x12_to_every_status_query(
    vprinter: VirtualPrinterThread,
) -> None:
    assert ask(vprinter.port) == bytes([0x12, 0x12, 0x12, 0x12])
    assert vprinter.status_requests == [1, 2, 3, 4]


@pytest.mark.parametrize(
    ("fault", "replies"),
    [
        (PrinterFault.PAPER_OUT, [0x1A, 0x32, 0x12, 0x72]),
        (PrinterFault.COVER_OPEN, [0x1A, 0x16, 0x12, 0x12]),
        (PrinterFault.PAPER_NEAR_END, [0x12, 0x12, 0x12, 0x1E]),
    ],
)
def test_status_replies_for_each_fault(
    vprinter: VirtualPrinterThread, fault: PrinterFault, replies: list[int]
) -> None:
    vprinter.set_fault(fault)
    assert ask(vprinter.port) == bytes(replies)
    assert [status_reply(n, fault) for n in (1, 2, 3, 4)] == replies
    vprinter.set_fault(None)
    assert ask(vprinter.port) == bytes([0x12] * 4)


def test_an_offline_printer_accepts_the_connection_and_answers_nothing(
    vprinter: VirtualPrinterThread,
) -> None:
    vprinter.set_fault(PrinterFault.OFFLINE)
    with connect(vprinter.port) as sock:
        sock.sendall(RECEIPT + QUERIES)
        sock.settimeout(NO_REPLY_WAIT_S)
        with pytest.raises(TimeoutError):
            sock.recv(1)
    vprinter.set_fault(None)
    send(vprinter.port, b"after\n" + GS + b"V\x00")
    (saved,) = vprinter.wait_for_receipts(1)
    assert saved.decoded.text == "after"  # nothing of the offline data was printed


@pytest.mark.parametrize("fault", [PrinterFault.PAPER_OUT, PrinterFault.COVER_OPEN])
def test_print_data_is_discarded_while_paper_is_out_or_the_cover_open(
    vprinter: VirtualPrinterThread, fault: PrinterFault
) -> None:
    vprinter.set_fault(fault)
    send(vprinter.port, ESC + b"@" + b"lost\n" + GS + b"V\x00" + ESC + b"p\x00\x19\x19")
    assert ask(vprinter.port, DLE + b"\x04\x01", 1) == b"\x1a"  # the data has been read
    vprinter.set_fault(None)
    send(vprinter.port, b"printed\n" + GS + b"V\x00")
    (saved,) = vprinter.wait_for_receipts(1)
    assert saved.decoded.text == "printed"
    assert saved.bin_path.read_bytes() == b"printed\n" + GS + b"V\x00"
    assert vprinter.drawer_pulses == []


def test_near_end_still_prints(vprinter: VirtualPrinterThread) -> None:
    vprinter.set_fault(PrinterFault.PAPER_NEAR_END)
    send(vprinter.port, RECEIPT)
    assert vprinter.wait_for_receipts(1)[0].decoded.lines[0].text == "КАССОВЫЙ ЧЕК"


def test_drawer_pulses_are_recorded(vprinter: VirtualPrinterThread) -> None:
    send(vprinter.port, ESC + b"p\x00\x19\xfa" + ESC + b"p\x01\x32\x32")
    assert ask(vprinter.port, DLE + b"\x04\x01", 1) == b"\x12"  # the kick has been handled
    assert vprinter.drawer_pulses == [
        DrawerPulse(pin=2, on_ms=50, off_ms=500, offset=0),
        DrawerPulse(pin=5, on_ms=100, off_ms=100, offset=5),
    ]
    assert vprinter.receipts == []


def test_a_command_split_across_two_sends(vprinter: VirtualPrinterThread) -> None:
    cut_at = RECEIPT.index(b"\x31\x50\x30") + 5  # inside the QR data
    with connect(vprinter.port) as sock:
        sock.sendall(RECEIPT[:cut_at])
        # The status reply proves the first part was read (and decoded) on its own.
        assert ask(vprinter.port, DLE + b"\x04\x03", 1) == b"\x12"
        sock.sendall(RECEIPT[cut_at:])
    (saved,) = vprinter.wait_for_receipts(1)
    assert saved.decoded.qr_codes[0].payload == FNS
    assert saved.bin_path.read_bytes() == RECEIPT


def test_every_byte_in_its_own_packet(vprinter: VirtualPrinterThread) -> None:
    with connect(vprinter.port) as sock:
        for index in range(len(RECEIPT)):
            sock.sendall(RECEIPT[index : index + 1])
            if index % 16 == 0:
                time.sleep(0.001)  # let some bytes arrive in reads of their own
    (saved,) = vprinter.wait_for_receipts(1)
    assert saved.decoded.text == "КАССОВЫЙ ЧЕК\nИтог =150.00\n"
    assert saved.decoded.qr_codes[0].payload == FNS


def test_a_status_query_in_the_middle_of_a_receipt_is_answered_at_once(
    vprinter: VirtualPrinterThread,
) -> None:
    half = RECEIPT.index(b"\n") + 1
    with connect(vprinter.port) as sock:
        sock.sendall(RECEIPT[:half] + DLE + b"\x04\x04")
        assert sock.recv(1) == b"\x12"
        assert vprinter.receipts == []
        sock.sendall(RECEIPT[half:])
    assert vprinter.wait_for_receipts(1)[0].decoded.lines[1].text == "Итог =150.00"


def test_several_connections_in_a_row_keep_the_printer_state(
    vprinter: VirtualPrinterThread,
) -> None:
    send(vprinter.port, ESC + b"@" + ESC + b"t\x11" + "Первый".encode("cp866") + b"\n")
    vprinter.wait_for_receipts(1)
    send(vprinter.port, "Второй".encode("cp866") + b"\n" + GS + b"V\x01")
    send(vprinter.port, "Третий".encode("cp866") + b"\n" + GS + b"V\x00")
    first, second, third = vprinter.wait_for_receipts(3)
    assert [r.decoded.text for r in (first, second, third)] == ["Первый", "Второй", "Третий"]
    assert first.decoded.cut is False  # the connection ended without a cut
    assert [r.bin_path.name for r in (first, second, third)] == [
        "0001.bin",
        "0002.bin",
        "0003.bin",
    ]


def test_numbering_continues_after_the_files_already_there(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "0007.bin").write_bytes(b"")
    with VirtualPrinterThread(out) as running:
        send(running.port, b"x\n" + GS + b"V\x00")
        assert running.wait_for_receipts(1)[0].index == 8


def test_malformed_data_is_reported_and_status_still_answered(
    vprinter: VirtualPrinterThread,
) -> None:
    with connect(vprinter.port) as sock:
        sock.sendall(b"ok\n" + GS + b"V\x07" + b"junk" + DLE + b"\x04")
        sock.sendall(b"\x01")
        assert sock.recv(1) == b"\x12"
    assert vprinter.wait_for_receipts(1)[0].decoded.text == "ok"
    assert any("malformed GS V" in problem for problem in vprinter.problems)


def test_58mm_paper(tmp_path: Path) -> None:
    with VirtualPrinterThread(tmp_path, paper_dots=384) as running:
        send(running.port, b"y" * 40 + b"\n" + GS + b"V\x00")
        (saved,) = running.wait_for_receipts(1)
    assert [len(line.text) for line in saved.decoded.lines] == [32, 8]  # wrapped by the printer
    assert PIL.Image.open(saved.png_path).width == 384 + 64


def test_the_asyncio_server_directly(tmp_path: Path) -> None:
    async def scenario() -> tuple[bytes, str]:
        printer = VirtualPrinter(tmp_path, code_pages={73: "cp1251"})
        await printer.start()
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", printer.port)
            writer.write(ESC + b"t\x49" + "Ёлка".encode("cp1251") + b"\n" + DLE + b"\x04\x01")
            reply = await reader.readexactly(1)
            writer.write(GS + b"V\x00")
            await writer.drain()
            writer.close()
            (saved,) = await printer.wait_for_receipts(1)
            return reply, saved.txt_path.read_text(encoding="utf-8")
        finally:
            await printer.stop()

    assert run_coroutine(scenario()) == (b"\x12", "Ёлка\n")
