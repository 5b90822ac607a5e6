"""A full card transaction's messages on the virtual link at ATT MTU 23.

The app's ``ReaderLink`` (bleak on the bumble virtual radio) talks to the QPOS-like emulated
reader: StartTransaction → PRESENT CARD → a contactless card tapped at once (no CVM) → CardRead,
CvmResult, PROCESSING → AuthorizationRequest → AuthorizationResponse (a canned approval, no
gateway) → REMOVE CARD, APPROVED → TransactionResult. Link time is StartTransaction sent to
TransactionResult received (the emulated buyer taps with no delay). Also lists the bytes on air
per message: its DATA frames plus the ACK (framing of docs/reader-protocol.md). Goal: ≤ 300 ms.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

MTU = 23
ROUNDS = 10


def _on_air(msg: object, frame_size: int) -> tuple[int, int, int]:
    from desktop_pos.hardware.reader.codec import encode_message
    from desktop_pos.hardware.reader.framing import AckFrame, encode_frame, split_message

    payload = encode_message(msg)  # type: ignore[arg-type]
    frames = split_message(1, payload, frame_size)
    data_bytes = sum(len(encode_frame(frame)) for frame in frames)
    return len(payload), len(frames), data_bytes + len(encode_frame(AckFrame(1)))


async def _transaction(link: object, reader: object, txn_id: int) -> tuple[float, list[object]]:
    from desktop_pos.hardware.reader.ble_link import ReaderLink
    from desktop_pos.hardware.reader.messages import (
        AuthorizationOutcome,
        AuthorizationRequest,
        AuthorizationResponse,
        StartTransaction,
        TransactionResult,
        TxnKind,
    )
    from desktop_pos.sandbox.card_reader.emulator import EmulatedReader

    assert isinstance(link, ReaderLink) and isinstance(reader, EmulatedReader)
    reader.next_card("visa_contactless", delay_s=0.0)
    start = StartTransaction(txn_id, TxnKind.PURCHASE, 15000, "643", f"BENCH-{txn_id}", 300000)
    seen: list[object] = [start]
    began = time.perf_counter()
    await link.request(start)
    while True:
        msg = await link.next_message(5.0)
        seen.append(msg)
        if isinstance(msg, AuthorizationRequest):
            answer = AuthorizationResponse(
                txn_id,
                AuthorizationOutcome.APPROVED,
                "AS000",
                "00",
                "123456",
                b"\x91\x0a" + bytes(10),
            )
            seen.append(answer)
            await link.request(answer)
        if isinstance(msg, TransactionResult):
            return time.perf_counter() - began, seen


async def main() -> None:
    from desktop_pos.hardware.reader.ble_link import ReaderLink, discover_readers
    from desktop_pos.hardware.reader.framing import frame_size_for
    from desktop_pos.hardware.reader.messages import DisplayText
    from desktop_pos.sandbox.card_reader.emulator import FAST_TIMINGS, EmulatedReader
    from desktop_pos.sandbox.virtual_radio import VirtualRadio
    from desktop_pos.sandbox.virtual_radio.backend import bleak_backend_choice

    radio = VirtualRadio()
    reader = EmulatedReader("qpos", timings=FAST_TIMINGS, max_mtu=MTU)
    await reader.start(radio)
    backend = bleak_backend_choice(radio, mtu=MTU)
    found = [f for f in await discover_readers(backend, timeout_s=2.0) if f.name == reader.serial]
    link = await ReaderLink.connect(found[0], backend)
    try:
        print(f"ATT MTU {link.mtu}, frame payload {link.mtu - 3} bytes")
        await _transaction(link, reader, 1)  # warm-up
        times: list[float] = []
        messages: list[object] = []
        before = link.channel_stats
        assert before is not None
        sent0, received0 = before.bytes_sent, before.bytes_received
        for round_ in range(ROUNDS):
            elapsed, messages = await _transaction(link, reader, 2 + round_)
            times.append(elapsed)
        stats = link.channel_stats
        assert stats is not None
        air = (stats.bytes_sent - sent0 + stats.bytes_received - received0) / ROUNDS
        frame_size = frame_size_for(link.mtu - 3)
        print(f"{'message':<34} {'encoded':>8} {'frames':>7} {'on air':>7}")
        total = 0
        for msg in messages:
            size, frames, on_air = _on_air(msg, frame_size)
            total += on_air
            name = type(msg).__name__
            if isinstance(msg, DisplayText):
                name += f" {msg.code.name}"
            print(f"{name:<34} {size:>8} {frames:>7} {on_air:>7}")
        print(f"{'total (DATA + ACK frames)':<34} {'':>8} {'':>7} {total:>7}")
        print(f"measured on air per transaction (channel stats): {air:.0f} bytes")
        print(
            f"link time per transaction over {ROUNDS} rounds: median "
            f"{statistics.median(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms "
            f"(goal ≤ 300 ms); retransmissions {stats.retransmissions}"
        )
    finally:
        await link.disconnect()
        await reader.stop()
        await radio.aclose()


if __name__ == "__main__":
    asyncio.run(main())
