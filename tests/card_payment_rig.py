"""A rig for card payment tests through the real stack: an emulated reader on the virtual radio,
connected through bleak (``ReaderLink`` with the bumble backend), a store on SQLite, the sandbox
gateway (a subprocess) and a scripted cashier (``ScriptedUi``) that answers the dialogs.

``run_card(store, sandbox, scenario, model="qpos")`` runs ``scenario(rig)`` on a fresh loop in a
worker thread (the session's qasync loop stays untouched) and tears everything down.
"""

from __future__ import annotations

import asyncio
import base64
import io
import warnings
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import TypeVar

from PIL import Image, ImageDraw

from desktop_pos.hardware.reader.ble_link import ReaderLink, discover_readers
from desktop_pos.hardware.reader.messages import (
    CardApplication,
    CardRead,
    Cvm,
    CvmResult,
    DisplayCode,
    DisplayText,
    EntryMode,
)
from desktop_pos.hardware.reader.settings import ReaderSettings
from desktop_pos.models.order import Order, OrderItem
from desktop_pos.sandbox.card_reader.emulator import FAST_TIMINGS, EmulatedReader, ReaderModel
from desktop_pos.sandbox.virtual_radio import VirtualRadio
from desktop_pos.sandbox.virtual_radio.backend import bleak_backend_choice
from desktop_pos.services.card_payment import CardPaymentOutcome, CardPaymentService
from desktop_pos.services.checkout import CheckoutService
from desktop_pos.services.events import EventBus
from desktop_pos.services.gateway.client import AsyncGatewayClient
from desktop_pos.services.remote_payment import PollSchedule
from desktop_pos.services.store import Store
from desktop_pos.services.store_worker import StoreWorker
from tests.async_helpers import run_coroutine
from tests.sandbox_gateway import SandboxGatewayProcess

T = TypeVar("T")
FAST_POLL = PollSchedule(first_s=0.05, factor=1.5, max_s=0.2, jitter=0)
SCAN_S = 1.0


def now() -> datetime:
    return datetime.now().astimezone()


def make_order(number: str, total: str | Decimal) -> Order:
    return Order(
        number=number,
        created_at=now(),
        items=(OrderItem("Фотоаппарат", Decimal(1), Decimal(total)),),
    )


def scribble_signature(strokes: int = 40) -> str:
    """A long scribble as the signature pad would hand it over: a 1-bit PNG data URL."""
    image = Image.new("1", (300, 100), 1)
    draw = ImageDraw.Draw(image)
    for index in range(strokes):
        x = (index * 37) % 290
        draw.line((x, 10 + index % 7 * 10, (x + 53) % 300, 90 - index % 5 * 12), fill=0, width=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    url = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
    assert len(url) <= 4000, len(url)
    return url


@dataclass
class ScriptedUi:
    """The cashier and the screen: answers the dialogs as scripted and records what it saw."""

    application_label: str | None = None
    """The label chosen when asked (None: the dialog is cancelled)."""
    signature: str | None = None
    """The signature given when asked (None: ✗)."""
    hold_signature: bool = False
    """Keep the signature dialog open until it is cancelled (for Esc tests)."""
    texts: list[DisplayText] = field(default_factory=list)
    cards: list[CardRead] = field(default_factory=list)
    cvms: list[Cvm] = field(default_factory=list)
    choices_offered: list[tuple[str, ...]] = field(default_factory=list)
    signatures_asked: int = 0
    authorizing_calls: int = 0
    low_battery_levels: list[int] = field(default_factory=list)
    dialog_cancelled: bool = False
    signature_shown: asyncio.Event = field(default_factory=asyncio.Event)

    def reader_text(self, message: DisplayText) -> None:
        self.texts.append(message)

    def card_read(self, card: CardRead) -> None:
        self.cards.append(card)

    async def choose_application(self, apps: Sequence[CardApplication]) -> CardApplication | None:
        self.choices_offered.append(tuple(app.label for app in apps))
        await asyncio.sleep(0)
        return next((app for app in apps if app.label == self.application_label), None)

    async def collect_signature(self) -> str | None:
        self.signatures_asked += 1
        self.signature_shown.set()
        try:
            if self.hold_signature:
                await asyncio.Event().wait()
            await asyncio.sleep(0)
        except asyncio.CancelledError:
            self.dialog_cancelled = True
            raise
        return self.signature

    def cvm_chosen(self, result: CvmResult) -> None:
        self.cvms.append(result.cvm)

    def authorizing(self) -> None:
        self.authorizing_calls += 1

    def low_battery(self, level: int) -> None:
        self.low_battery_levels.append(level)

    @property
    def codes(self) -> list[DisplayCode]:
        return [text.code for text in self.texts]


@dataclass
class CardRig:
    radio: VirtualRadio
    reader: EmulatedReader
    link: ReaderLink
    service: CardPaymentService
    checkout: CheckoutService
    events: EventBus
    sandbox: SandboxGatewayProcess
    store: StoreWorker

    async def pay(
        self,
        order: Order,
        card_id: str,
        ui: ScriptedUi | None = None,
        *,
        entry_mode: EntryMode | None = None,
    ) -> tuple[CardPaymentOutcome, ScriptedUi]:
        ui = ui or ScriptedUi()
        self.reader.next_card(card_id, entry_mode, delay_s=0.01)
        outcome = await self.service.pay(order, self.link, ui)
        return outcome, ui

    async def reconnect(self) -> None:
        """A new link to the same reader (after it dropped the old one)."""
        if self.link.connected:
            await self.link.disconnect()
        self.link = await connect_link(self.radio, self.reader)


async def connect_link(
    radio: VirtualRadio, reader: EmulatedReader, *, mtu: int | None = None
) -> ReaderLink:
    backend = bleak_backend_choice(radio, mtu=mtu)
    for _ in range(3):
        found = await discover_readers(backend, timeout_s=SCAN_S, stop_on_first=True)
        match = next((item for item in found if item.name == reader.serial), None)
        if match is not None:
            return await ReaderLink.connect(match, backend, timeout_s=5.0)
    raise AssertionError(f"{reader.serial} not found on the virtual radio")


def run_card(
    store: Store,
    sandbox: SandboxGatewayProcess,
    scenario: Callable[[CardRig], Awaitable[T]],
    *,
    model: ReaderModel = "qpos",
    settings: ReaderSettings | None = None,
    battery_level: int = 80,
    authorization_timeout_s: float = 5.0,
) -> T:
    async def main() -> T:
        worker = StoreWorker(store)
        events = EventBus()
        radio = VirtualRadio()
        reader = EmulatedReader(model, timings=FAST_TIMINGS, battery_level=battery_level)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ResourceWarning)
                await reader.start(radio)
                link = await connect_link(radio, reader)
                async with AsyncGatewayClient(sandbox.settings()) as client:
                    checkout = CheckoutService(worker, events, now, gateway=client)
                    service = CardPaymentService(
                        checkout,
                        events,
                        settings or ReaderSettings(),
                        schedule=FAST_POLL,
                        authorization_timeout_s=authorization_timeout_s,
                        reader_timeout_s=10.0,
                    )
                    rig = CardRig(radio, reader, link, service, checkout, events, sandbox, worker)
                    try:
                        async with asyncio.timeout(60):
                            result = await scenario(rig)
                    finally:
                        if rig.link.connected:
                            await rig.link.disconnect()
        finally:
            await reader.stop()
            await radio.aclose()
            worker.shutdown()
        leftovers = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        assert leftovers == [], leftovers
        return result

    return run_coroutine(main())
