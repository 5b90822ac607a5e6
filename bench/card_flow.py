"""App overhead of a card payment from ``CardRead`` to the outcome, the gateway's time excluded.

``CardPaymentService.pay`` runs against the QPOS-like emulated reader (bleak on the virtual
radio) and the sandbox gateway (a subprocess); the store is a SQLite file. The service records
where the time went (``FlowTiming``): from the ``CardRead`` message to the outcome, minus the
gateway call, the waits for the reader's messages and the dialogs, is the app's own work (store
writes included). Two kinds of rounds: contactless without CVM and chip with PIN. Goal: ≤ 50 ms.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ROUNDS = 15


async def _rounds(sandbox_url_settings: object, db_url: str) -> dict[str, list[object]]:
    from datetime import datetime
    from decimal import Decimal

    from desktop_pos.hardware.reader.ble_link import ReaderLink, discover_readers
    from desktop_pos.hardware.reader.settings import ReaderSettings
    from desktop_pos.models.order import Order, OrderItem
    from desktop_pos.sandbox.card_reader.emulator import FAST_TIMINGS, EmulatedReader
    from desktop_pos.sandbox.virtual_radio import VirtualRadio
    from desktop_pos.sandbox.virtual_radio.backend import bleak_backend_choice
    from desktop_pos.services.card_payment import CardPaymentService
    from desktop_pos.services.checkout import CheckoutService
    from desktop_pos.services.events import EventBus
    from desktop_pos.services.gateway.client import AsyncGatewayClient, GatewaySettings
    from desktop_pos.services.store import Store
    from desktop_pos.services.store_worker import StoreWorker
    from tests.card_payment_rig import ScriptedUi

    assert isinstance(sandbox_url_settings, GatewaySettings)

    def now() -> datetime:
        return datetime.now().astimezone()

    worker = StoreWorker(lambda: Store.open(db_url))
    events = EventBus()
    radio = VirtualRadio()
    reader = EmulatedReader("qpos", timings=FAST_TIMINGS)
    await reader.start(radio)
    backend = bleak_backend_choice(radio)
    found = [f for f in await discover_readers(backend, timeout_s=2.0) if f.name == reader.serial]
    link = await ReaderLink.connect(found[0], backend)
    timings: dict[str, list[object]] = {"nfc": [], "pin": []}
    try:
        async with AsyncGatewayClient(sandbox_url_settings) as client:
            checkout = CheckoutService(worker, events, now, gateway=client)
            service = CardPaymentService(checkout, events, ReaderSettings())
            for index in range(ROUNDS + 1):
                for kind, card, total in (
                    ("nfc", "visa_contactless", "150.00"),
                    ("pin", "mir_chip_pin", "1200.00"),
                ):
                    order = Order(
                        f"BENCH-{kind}-{index}-{now():%H%M%S%f}",
                        now(),
                        (OrderItem("Товар", Decimal(1), Decimal(total)),),
                    )
                    reader.next_card(card, delay_s=0.0)
                    outcome = await service.pay(order, link, ScriptedUi())
                    assert outcome.paid, outcome.reason
                    if index:  # the first round warms up
                        timings[kind].append(service.last_timing)
    finally:
        await link.disconnect()
        await reader.stop()
        await radio.aclose()
        worker.shutdown()
    return timings


def main() -> None:
    from desktop_pos.sandbox.gateway_process import FAST_DELAYS, SandboxGatewayProcess
    from desktop_pos.services.card_payment import FlowTiming

    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite:///{Path(tmp) / 'pos.sqlite3'}"
        with SandboxGatewayProcess(Path(tmp) / "gateway.sqlite3", extra_args=FAST_DELAYS) as gw:
            timings = asyncio.run(_rounds(gw.settings(), db_url))
    for kind, rows in timings.items():
        flows = [row for row in rows if isinstance(row, FlowTiming)]

        def ms(values: list[float]) -> str:
            median, worst = statistics.median(values) * 1000, max(values) * 1000
            return f"median {median:6.1f} ms, max {worst:6.1f} ms"

        print(f"{kind}: {len(flows)} payments")
        print(f"  CardRead → outcome      {ms([f.card_read_to_outcome_s for f in flows])}")
        print(f"  gateway call            {ms([f.gateway_s for f in flows])}")
        print(f"  reader (link, buyer)    {ms([f.reader_s for f in flows])}")
        print(f"  app overhead            {ms([f.app_overhead_s for f in flows])}  (goal ≤ 50 ms)")


if __name__ == "__main__":
    main()
