"""The self-test's ``reader`` and ``card`` checks, against the emulated readers of demo mode.

``reader``: both emulated readers are discovered through bleak (on the virtual radio's bumble
backend), each is connected and its info and battery read; then the link is cut from the reader's
side and the manager must reconnect it by itself.

``card``: four payments through the real widgets, the cashier's keys and clicks, across both
readers: a contactless VISA (no CVM) and a MIR chip with PIN on the Bluepad-like reader, a
co-badged MIR/Maestro chip («Выберите платёжную систему» → Maestro) and a magnetic stripe with the
buyer's signature drawn on the pad on the QPOS-like reader. Each must end «Оплачен» on the result
screen with its slip printed on the virtual printer. With ``--out`` it saves ``card-NN-….png``
screenshots (the slips are copied with the other receipts).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPushButton

from desktop_pos.hardware.reader.messages import EntryMode
from desktop_pos.models.order import Order, OrderItem
from desktop_pos.models.order_number import generate_order_number
from desktop_pos.models.payment import OrderState

if TYPE_CHECKING:
    from desktop_pos.reader_link import ReaderLinkSetup
    from desktop_pos.sandbox.card_reader.emulator import EmulatedReader
    from desktop_pos.sandbox.virtual_printer.server import SavedReceipt
    from desktop_pos.ui.main_window import MainWindow
    from desktop_pos.ui.selftest import CheckContext

BLUEPAD, QPOS = "PP0918900518", "MPOS0000000001"


@dataclass(frozen=True, slots=True)
class CardCheckSupport:
    """The demo readers' setup (manager, virtual radio, emulated readers) the windows use."""

    setup: ReaderLinkSetup
    receipts: Callable[[], Sequence[SavedReceipt]]
    """The virtual printer's saved receipts (the slips)."""


@dataclass(frozen=True, slots=True)
class _Payment:
    name: str
    serial: str
    card_id: str
    entry: EntryMode
    total: str
    choose: str = ""
    """The application to choose in «Выберите платёжную систему»."""
    sign: bool = False


PAYMENTS = (
    _Payment("contactless", BLUEPAD, "visa_contactless", EntryMode.NFC, "150.00"),
    _Payment("pin", BLUEPAD, "mir_chip_pin", EntryMode.CHIP, "1200.00"),
    _Payment("cobadge", QPOS, "cobadge_mir_maestro", EntryMode.CHIP, "2100.00", choose="Maestro"),
    _Payment("signature", QPOS, "magstripe_signature", EntryMode.MAGSTRIPE, "800.00", sign=True),
)


def _support(context: CheckContext) -> CardCheckSupport:
    from desktop_pos.ui import selftest as base

    support = context.card
    if support is None:
        raise base.CheckFailed("the reader and card checks need the emulated readers")
    return support


def _reader(setup: ReaderLinkSetup, serial: str) -> EmulatedReader:
    from desktop_pos.ui import selftest as base

    for reader in setup.demo_readers:
        if reader.serial == serial:
            return reader
    raise base.CheckFailed(f"no emulated reader {serial}")


async def _connect(setup: ReaderLinkSetup, serial: str) -> None:
    from desktop_pos.ui import selftest as base

    manager = setup.manager
    link = manager.link
    if link is not None and link.connected and link.serial == serial:
        return
    found = await manager.discover(2.0)
    chosen = next((reader for reader in found if reader.name == serial), None)
    if chosen is None:
        raise base.CheckFailed(f"reader {serial} not found (found {[r.name for r in found]})")
    await manager.connect(chosen)


async def check_reader(context: CheckContext) -> None:
    from desktop_pos.ui import selftest as base

    setup = _support(context).setup
    manager = setup.manager
    found = await manager.discover(2.0)
    names = sorted(reader.name for reader in found)
    if names != sorted((BLUEPAD, QPOS)):
        raise base.CheckFailed(f"discovery found {names}, expected both emulated readers")
    for serial, model in ((BLUEPAD, "bluepad"), (QPOS, "qpos")):
        await _connect(setup, serial)
        info = manager.info
        if info is None or info.serial != serial or model not in info.model.lower():
            raise base.CheckFailed(f"reader {serial}: info {info!r}")
        battery = manager.battery
        if battery is None or not 0 <= battery <= 100:
            raise base.CheckFailed(f"reader {serial}: battery {battery!r}")
    before = manager.link
    await _reader(setup, QPOS).disconnect()  # the reader ends the link, as out of range would
    await base.wait_until(
        lambda: manager.link is not before and manager.connected,
        "the reader to reconnect by itself after a forced disconnect",
        context.timeout,
    )
    if manager.info is None or manager.info.serial != QPOS:
        raise base.CheckFailed("a different reader came back after the disconnect")
    window = await base.open_window(context)
    try:
        window.set_card_reader(setup)
        await base.wait_until(
            lambda: (
                window.card_reader.status is not None
                and QPOS in window.card_reader.status.status_text()
            ),
            "the reader in the status bar",
            context.timeout,
        )
        base.save_screenshot(window, context.out_dir, "reader-01-status.png")
    finally:
        window.close()
        window.deleteLater()


async def check_card(context: CheckContext) -> None:
    from desktop_pos.ui import selftest as base

    support = _support(context)
    window = await base.open_window(context)
    try:
        window.set_card_reader(support.setup)
        for index, payment in enumerate(PAYMENTS, start=1):
            await _pay(window, context, support, payment, index)
    finally:
        window.close()
        window.deleteLater()


async def _pay(
    window: MainWindow,
    context: CheckContext,
    support: CardCheckSupport,
    payment: _Payment,
    index: int,
) -> None:
    from desktop_pos.ui import selftest as base

    now = datetime.now().astimezone()
    order = Order(
        number=generate_order_number(now),
        created_at=now,
        items=(OrderItem("Фотоаппарат", Decimal(1), Decimal(payment.total)),),
    )
    window.start_new_order()
    window.order_screen.load_order(order)
    await _connect(support.setup, payment.serial)
    _reader(support.setup, payment.serial).next_card(payment.card_id, payment.entry)
    printed = len(support.receipts())
    base.click(base.find(window.order_screen, QPushButton, "cardReaderButton"))
    await base.wait_until(
        lambda: window.card_reader.current_flow() is not None, "the card flow", context.timeout
    )
    flow = window.card_reader.current_flow()
    assert flow is not None
    prefix = f"card-{index:02d}-{payment.name}"
    if payment.choose:
        await base.wait_until(
            lambda: flow.application_dialog is not None,
            "«Выберите платёжную систему»",
            context.timeout,
        )
        dialog = flow.application_dialog
        assert dialog is not None
        base.save_screenshot(window, context.out_dir, f"{prefix}-choice.png", dialog)
        buttons = [b for b in dialog.findChildren(QPushButton) if payment.choose in b.text()]
        if not buttons:
            raise base.CheckFailed(f"no {payment.choose} button in the application choice")
        base.click(buttons[0])
    if payment.sign:
        await base.wait_until(
            lambda: flow.signature_pad is not None, "the signature pad", context.timeout
        )
        pad = flow.signature_pad
        assert pad is not None
        canvas = pad.canvas()
        QTest.mousePress(canvas, Qt.MouseButton.LeftButton, pos=QPoint(60, 120))
        for step in range(1, 30):
            QTest.mouseMove(canvas, QPoint(60 + step * 14, 120 + (step % 5) * 18))
        QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPoint(480, 140))
        if not pad.can_confirm():
            raise base.CheckFailed("✓ is not enabled after signing")
        base.save_screenshot(window, context.out_dir, f"{prefix}-signature.png")
        QTest.keyClick(canvas, Qt.Key.Key_Return)
    await base.wait_until(
        lambda: window.current_screen() is flow.result_screen and not flow.paying,
        f"the result of the {payment.name} payment",
        context.timeout,
    )
    outcome = flow.outcome
    if outcome is None or outcome.state is not OrderState.APPROVED:
        reason = outcome.reason.en if outcome is not None and outcome.reason else "no outcome"
        raise base.CheckFailed(f"the {payment.name} payment was not approved: {reason}")
    base.expect("«Статус заказа»", flow.result_screen.value("statusValue"), "Оплачен")
    base.expect("«Номер заказа»", flow.result_screen.value("orderNumberValue"), order.number)
    base.save_screenshot(window, context.out_dir, f"{prefix}-result.png")
    await base.wait_until(
        lambda: any(order.number in r.text for r in support.receipts()[printed:]),
        f"the slip of the {payment.name} payment on the virtual printer",
        context.timeout,
    )
    slip = next(r for r in support.receipts()[printed:] if order.number in r.text)
    if "ОПЛАЧЕН" not in slip.text:
        raise base.CheckFailed(f"the {payment.name} slip does not say ОПЛАЧЕН")
    if payment.choose and "A0000000043060" not in slip.text.replace(" ", ""):
        raise base.CheckFailed("the co-badged slip does not carry the Maestro AID")
