"""Card payments through the main window: F6 → the reader → ПРОВЕДЕНИЕ ПЛАТЕЖА → РЕЗУЛЬТАТ.

Nothing is faked: the real ``ReaderManager`` reaches the two emulated readers on the virtual
radio through bleak, the sandbox gateway runs as a subprocess, the store is SQLite and the slips
go to the virtual printer. The cashier uses the keyboard; the buyer is the emulated reader's
scripted test card (``EmulatedReader.next_card``).
"""

from __future__ import annotations

import asyncio
import base64
import io
from collections.abc import Callable, Coroutine, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import pytest
from PIL import Image
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel, QListWidget, QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from desktop_pos.hardware.reader.known_readers import KnownReaders
from desktop_pos.hardware.reader.messages import CardRead, Cvm, EntryMode
from desktop_pos.hardware.reader.settings import ReaderSettings
from desktop_pos.models.card_display_texts import cvm_text
from desktop_pos.models.order import Order, OrderItem
from desktop_pos.models.payment import OrderState
from desktop_pos.models.texts import Language
from desktop_pos.reader_link import ReaderLinkSetup
from desktop_pos.sandbox.card_reader.emulator import FAST_TIMINGS, EmulatedReader
from desktop_pos.sandbox.virtual_printer.server import VirtualPrinterThread
from desktop_pos.sandbox.virtual_radio import VirtualRadio, bleak_backend_choice
from desktop_pos.services.card_reader import ReaderManager
from desktop_pos.services.checkout import CheckoutService
from desktop_pos.services.events import EventBus
from desktop_pos.services.firmware_images import FirmwareImages
from desktop_pos.services.gateway.client import AsyncGatewayClient
from desktop_pos.services.remote_payment import PollSchedule
from desktop_pos.services.store import Store
from desktop_pos.ui.card_payment_flow import CardPaymentFlow
from desktop_pos.ui.card_result_screen import CardResultView
from desktop_pos.ui.main_window import MainWindow
from tests.sandbox_gateway import FAST_DELAYS, SandboxGatewayProcess
from tests.ui.conftest import local_now
from tests.ui.printing_fixtures import PrintingFactory, make_printing, printer  # noqa: F401

BLUEPAD, QPOS = "PP0918900518", "MPOS0000000001"
FAST = ReaderSettings(scan_timeout_s=0.5, connect_timeout_s=5.0)
T = TypeVar("T")
W = TypeVar("W", bound=QWidget)


def run(qtbot: QtBot, coro: Coroutine[Any, Any, T], timeout_ms: int = 10_000) -> T:
    """Run ``coro`` on the session's qasync loop and wait for its result."""
    future = asyncio.ensure_future(coro)
    qtbot.waitUntil(future.done, timeout=timeout_ms)
    return future.result()


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxGatewayProcess]:
    path = tmp_path_factory.mktemp("card_flow_gateway") / "gateway.sqlite3"
    with SandboxGatewayProcess(path, extra_args=FAST_DELAYS) as process:
        yield process


@pytest.fixture
def client(
    qtbot: QtBot, qloop: object, sandbox: SandboxGatewayProcess
) -> Iterator[AsyncGatewayClient]:
    gateway = AsyncGatewayClient(sandbox.settings())
    yield gateway
    run(qtbot, gateway.close())


@pytest.fixture
def reader_setup(qtbot: QtBot, qloop: object, tmp_path: Path) -> Iterator[ReaderLinkSetup]:
    from desktop_pos.sandbox.card_reader.emulator import start_demo_readers

    radio = VirtualRadio()
    readers = run(qtbot, start_demo_readers(radio, timings=FAST_TIMINGS))
    known = KnownReaders(tmp_path / "known_readers.json")
    manager = ReaderManager(bleak_backend_choice(radio), known, settings=FAST)
    setup = ReaderLinkSetup(manager, FAST, FirmwareImages(None), radio, readers)
    yield setup
    run(qtbot, setup.close(), timeout_ms=20_000)


def order_of(total: str) -> Order:
    return Order(
        number=f"CARD_{local_now():%H%M%S%f}",
        created_at=local_now(),
        items=(OrderItem("Фотоаппарат", Decimal(1), Decimal(total)),),
    )


@pytest.fixture
def window(
    qtbot: QtBot,
    qloop: object,
    checkout: CheckoutService,
    events: EventBus,
    client: AsyncGatewayClient,
    reader_setup: ReaderLinkSetup,
    make_printing: PrintingFactory,  # noqa: F811
) -> Iterator[Callable[[str], MainWindow]]:
    checkout.attach_gateway(client)
    made: list[MainWindow] = []

    def make(total: str = "150.00") -> MainWindow:
        shown = MainWindow(
            checkout,
            lambda: order_of(total),
            language=Language.RU,
            demo=True,
            version="test",
            events=events,
            use_tray=False,
            printing=make_printing(),
        )
        shown.set_card_reader(reader_setup)
        qtbot.addWidget(shown)
        shown.show()
        qtbot.waitExposed(shown)
        shown.activateWindow()
        qtbot.waitUntil(shown.isActiveWindow)
        made.append(shown)
        return shown

    yield make
    for shown in made:
        flow = shown.card_reader.current_flow()
        if flow is not None:
            qtbot.waitUntil(lambda f=flow: not f.paying, timeout=15_000)  # type: ignore[misc]
        shown.close()


def reader(setup: ReaderLinkSetup, serial: str) -> EmulatedReader:
    return next(r for r in setup.demo_readers if r.serial == serial)


def connect(qtbot: QtBot, setup: ReaderLinkSetup, serial: str) -> None:
    """The cashier chose this reader before (it is the connected one now)."""
    found = run(qtbot, setup.manager.discover(1.0))
    run(qtbot, setup.manager.connect(next(f for f in found if f.name == serial)))


def flow_of(window: MainWindow) -> CardPaymentFlow:
    flow = window.card_reader.current_flow()
    assert flow is not None
    return flow


def press_f6(qtbot: QtBot, window: MainWindow) -> CardPaymentFlow:
    qtbot.keyClick(window.order_screen, Qt.Key.Key_F6)
    qtbot.waitUntil(lambda: window.card_reader.current_flow() is not None, timeout=5000)
    return flow_of(window)


def wait_result(qtbot: QtBot, window: MainWindow, timeout: int = 20_000) -> CardPaymentFlow:
    flow = flow_of(window)
    qtbot.waitUntil(lambda: window.current_screen() is flow.result_screen, timeout=timeout)
    return flow


def stored_state(store: Store, number: str) -> OrderState | None:
    details = store.load_details(number)
    return None if details is None else details.state


def child(parent: QWidget, kind: type[W], name: str) -> W:
    widget = parent.findChild(kind, name)
    assert widget is not None, name
    return widget


def message_box(window: QWidget) -> QMessageBox:
    box = window.findChild(QMessageBox, "cardPaymentMessage")
    assert box is not None
    return box


# -- tests -------------------------------------------------------------------------------------


def test_contactless_approved_with_the_slip_printed(
    qtbot: QtBot,
    window: Callable[[str], MainWindow],
    reader_setup: ReaderLinkSetup,
    printer: VirtualPrinterThread,  # noqa: F811
    store: Store,
) -> None:
    shown = window("150.00")
    assert child(shown.order_screen, QPushButton, "cardReaderButton").isEnabled()
    connect(qtbot, reader_setup, BLUEPAD)
    reader(reader_setup, BLUEPAD).next_card("visa_contactless", EntryMode.NFC)
    number = shown.order_screen.current_order().number
    flow = press_f6(qtbot, shown)
    qtbot.waitUntil(lambda: shown.current_screen() is flow.payment_screen, timeout=5000)
    flow = wait_result(qtbot, shown)
    screen = flow.result_screen
    assert screen.value("statusValue") == "Оплачен"
    assert screen.value("amountValue") == "150.00 руб."
    assert screen.value("orderNumberValue") == number
    assert screen.value("cardValue") == "VISA 422000******0006"
    assert screen.value("aidValue").startswith("A0000000031010")
    assert screen.value("rrnValue") != "-" and screen.value("authCodeValue") != "-"
    assert screen.visible_buttons() == ["newOrderButton", "printSlipButton", "printButton"]
    assert child(shown, QLabel, "screenTitleLabel").text() == "РЕЗУЛЬТАТ"
    log = flow.payment_screen.log_lines()
    assert log[0] == "- > Пожалуйста, вставьте/прокатайте/приложите карту."
    qtbot.waitUntil(lambda: len(printer.receipts) >= 1, timeout=10_000)
    slip = printer.receipts[-1].text
    assert number in slip and "ОПЛАЧЕН" in slip and "422000******0006" in slip
    qtbot.waitUntil(  # what happened first: the status bar cuts a long text at its end
        lambda: shown.statusBar().currentMessage() == f"Напечатан слип по заказу № {number}."
    )
    assert stored_state(store, number) is OrderState.APPROVED
    # A second F6 on the same order: «already paid».
    qtbot.keyClick(screen, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: shown.current_screen() is shown.order_screen)
    assert shown.order_screen.current_order().number != number


def test_discovery_then_co_badged_choice_on_the_qpos_reader(
    qtbot: QtBot, window: Callable[[str], MainWindow], reader_setup: ReaderLinkSetup
) -> None:
    shown = window("1500.00")
    reader(reader_setup, QPOS).next_card("cobadge_mir_maestro", EntryMode.CHIP)
    flow = press_f6(qtbot, shown)
    panel = flow.connect_panel
    qtbot.waitUntil(lambda: panel.step().value == "found", timeout=10_000)
    assert panel.found_names() == [QPOS, BLUEPAD]  # equal signals: by name
    assert panel.list_shown()
    listing = child(panel, QListWidget, "foundReadersList")
    listing.setCurrentRow(panel.found_names().index(QPOS))
    qtbot.keyClick(panel, Qt.Key.Key_Return)  # ПОДКЛЮЧИТЬСЯ
    qtbot.waitUntil(lambda: flow.application_dialog is not None, timeout=15_000)
    dialog = flow.application_dialog
    assert dialog is not None
    labels = [button.text() for button in dialog.findChildren(QPushButton)]
    assert any("Maestro" in label for label in labels) and any("MIR" in label for label in labels)
    maestro = next(b for b in dialog.findChildren(QPushButton) if "Maestro" in b.text())
    maestro.setFocus()
    qtbot.keyClick(maestro, Qt.Key.Key_Return)
    flow = wait_result(qtbot, shown)
    assert flow.result_screen.value("statusValue") == "Оплачен"
    assert flow.result_screen.value("aidValue").startswith("A0000000043060")


def draw(qtbot: QtBot, canvas: QWidget) -> None:
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=QPoint(40, 60))
    for step in range(1, 40):
        qtbot.mouseMove(canvas, QPoint(40 + step * 10, 60 + (step % 7) * 12))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPoint(430, 80))


def test_signature_confirmed_is_stored_as_a_small_png(
    qtbot: QtBot,
    window: Callable[[str], MainWindow],
    reader_setup: ReaderLinkSetup,
    store: Store,
) -> None:
    shown = window("800.00")
    connect(qtbot, reader_setup, BLUEPAD)
    reader(reader_setup, BLUEPAD).next_card("magstripe_signature", EntryMode.MAGSTRIPE)
    flow = press_f6(qtbot, shown)
    qtbot.waitUntil(lambda: flow.signature_pad is not None, timeout=15_000)
    pad = flow.signature_pad
    assert pad is not None and flow.payment_screen.signature_shown()
    assert not pad.can_confirm()
    draw(qtbot, pad.canvas())
    qtbot.keyClick(pad.canvas(), Qt.Key.Key_Delete)  # clear, then sign again
    assert not pad.can_confirm()
    draw(qtbot, pad.canvas())
    qtbot.keyClick(pad.canvas(), Qt.Key.Key_Return)
    flow = wait_result(qtbot, shown)
    assert flow.result_screen.value("statusValue") == "Оплачен"
    outcome = flow.outcome
    assert outcome is not None and outcome.payment is not None
    signature = outcome.payment.signature or ""
    assert signature.startswith("data:image/png;base64,") and len(signature) <= 4000
    image = Image.open(io.BytesIO(base64.b64decode(signature.split(",", 1)[1])))
    assert image.format == "PNG"
    assert stored_state(store, outcome.order.number) is OrderState.APPROVED


def test_signature_refused_leaves_the_order_unpaid(
    qtbot: QtBot,
    window: Callable[[str], MainWindow],
    reader_setup: ReaderLinkSetup,
    store: Store,
) -> None:
    shown = window("800.00")
    connect(qtbot, reader_setup, BLUEPAD)
    reader(reader_setup, BLUEPAD).next_card("magstripe_signature", EntryMode.MAGSTRIPE)
    number = shown.order_screen.current_order().number
    flow = press_f6(qtbot, shown)
    qtbot.waitUntil(lambda: flow.signature_pad is not None, timeout=15_000)
    pad = flow.signature_pad
    assert pad is not None
    card_value = child(flow.payment_screen, QLabel, "cardValue").text()
    assert card_value.endswith(f"(магнитная полоса, {cvm_text(Cvm.SIGNATURE).ru})"), card_value
    qtbot.keyClick(pad.canvas(), Qt.Key.Key_Escape)  # ✗
    qtbot.waitUntil(lambda: shown.current_screen() is shown.order_screen, timeout=15_000)
    box = message_box(shown)
    assert "не подписал" in box.text()
    assert shown.order_screen.current_order().number == number
    assert stored_state(store, number) is OrderState.CANCELED  # recorded, payable again
    [cancelled] = store.card_payments_of_order(number)
    assert cancelled.state is OrderState.CANCELED and cancelled.billnumber is None
    store.check_card_payable(number)
    box.close()


def test_decline_then_retry_with_another_card(
    qtbot: QtBot, window: Callable[[str], MainWindow], reader_setup: ReaderLinkSetup
) -> None:
    shown = window("900.00")
    connect(qtbot, reader_setup, QPOS)
    qpos = reader(reader_setup, QPOS)
    qpos.next_card("visa_insufficient_funds", EntryMode.NFC)
    flow = press_f6(qtbot, shown)
    flow = wait_result(qtbot, shown)
    screen = flow.result_screen
    assert screen.value("statusValue") == "Отклонен"
    assert screen.value("infoValue") != "-"
    assert "retryButton" in screen.visible_buttons()
    first = flow.outcome
    assert first is not None
    qpos.next_card("visa_contactless", EntryMode.NFC)
    qtbot.keyClick(screen, Qt.Key.Key_Return)  # «Повторить оплату»
    qtbot.waitUntil(
        lambda: flow.outcome is not None and flow.outcome.state is OrderState.APPROVED,
        timeout=20_000,
    )
    assert flow.outcome is not None and flow.outcome.order.number == first.order.number
    assert flow.outcome.attempt_id != first.attempt_id
    qtbot.waitUntil(lambda: screen.value("statusValue") == "Оплачен")


def test_esc_cancels_and_returns_to_the_order(
    qtbot: QtBot, window: Callable[[str], MainWindow], reader_setup: ReaderLinkSetup, store: Store
) -> None:
    shown = window("300.00")
    connect(qtbot, reader_setup, BLUEPAD)
    number = shown.order_screen.current_order().number
    flow = press_f6(qtbot, shown)
    screen = flow.payment_screen
    qtbot.waitUntil(lambda: bool(screen.log_lines()), timeout=10_000)  # PRESENT CARD
    qtbot.keyClick(screen, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: shown.current_screen() is shown.order_screen, timeout=15_000)
    assert not flow.paying
    assert "отменена" in shown.statusBar().currentMessage()
    assert stored_state(store, number) in (None, OrderState.NEW, OrderState.CANCELED)


def test_reader_disconnected_mid_payment_ends_in_a_known_state(
    qtbot: QtBot, window: Callable[[str], MainWindow], reader_setup: ReaderLinkSetup, store: Store
) -> None:
    shown = window("300.00")
    connect(qtbot, reader_setup, BLUEPAD)
    bluepad = reader(reader_setup, BLUEPAD)
    bluepad.drop_after(CardRead)
    bluepad.next_card("mir_chip_pin", EntryMode.CHIP)
    number = shown.order_screen.current_order().number
    flow = press_f6(qtbot, shown)
    qtbot.waitUntil(lambda: shown.current_screen() is flow.payment_screen, timeout=10_000)
    qtbot.waitUntil(lambda: shown.current_screen() is shown.order_screen, timeout=20_000)
    box = message_box(shown)
    assert "картридер" in box.text().lower()
    assert not flow.paying
    assert stored_state(store, number) in (None, OrderState.NEW, OrderState.CANCELED)
    box.close()
    bluepad.drop_after(None)


def test_f6_before_the_reader_is_ready_says_so(
    qtbot: QtBot, qloop: object, checkout: CheckoutService, events: EventBus
) -> None:
    shown = MainWindow(
        checkout, lambda: order_of("10.00"), language=Language.RU, demo=False, version="t"
    )
    qtbot.addWidget(shown)
    shown.show()
    assert not child(shown.order_screen, QPushButton, "cardReaderButton").isEnabled()
    shown.card_reader.start(order_of("10.00"))
    assert "подключается" in shown.statusBar().currentMessage()


def test_answer_lost_shows_in_process_and_polls_until_approved(
    qtbot: QtBot,
    window: Callable[[str], MainWindow],
    reader_setup: ReaderLinkSetup,
    sandbox: SandboxGatewayProcess,
    store: Store,
) -> None:
    shown = window("450.00")
    connect(qtbot, reader_setup, BLUEPAD)
    reader(reader_setup, BLUEPAD).next_card("mir_chip_pin", EntryMode.CHIP)
    number = shown.order_screen.current_order().number
    flow = shown.card_reader.flow
    flow.service.schedule = PollSchedule(first_s=0.4, factor=1.0, max_s=0.4, jitter=0)
    shown_states: list[OrderState] = []
    show_view = flow.result_screen.show_view

    def record(view: CardResultView) -> None:
        shown_states.append(view.state)
        show_view(view)

    flow.result_screen.show_view = record  # type: ignore[method-assign]
    sandbox.set_faults(card_authorize={"lost_after_commit": 1})
    try:
        press_f6(qtbot, shown)
        qtbot.waitUntil(lambda: OrderState.IN_PROCESS in shown_states, timeout=20_000)
    finally:
        sandbox.clear_faults()
    assert flow.result_screen.visible_buttons() == []  # nothing to press while it is checked
    qtbot.waitUntil(lambda: flow.result_screen.value("statusValue") == "Оплачен", timeout=20_000)
    assert shown_states[0] is OrderState.IN_PROCESS and shown_states[-1] is OrderState.APPROVED
    assert not flow.polling and not flow.result_screen.polling_shown()
    assert stored_state(store, number) is OrderState.APPROVED
    assert [c["orderstate"] for c in sandbox.registrations(number)] == ["Approved"]


def test_a_required_firmware_update_blocks_the_payment(
    qtbot: QtBot, window: Callable[[str], MainWindow], reader_setup: ReaderLinkSetup
) -> None:
    shown = window("300.00")
    reader(reader_setup, QPOS).set_firmware_update("9.9.0", required=True)
    connect(qtbot, reader_setup, QPOS)
    firmware = shown.card_reader.firmware
    assert firmware is not None
    qtbot.waitUntil(lambda: firmware.dialog() is not None, timeout=10_000)  # offered at once
    later = firmware.dialog()
    assert later is not None
    later.reject()  # «Позже»
    qtbot.waitUntil(lambda: firmware.dialog() is None)
    shown.activateWindow()
    qtbot.waitUntil(shown.isActiveWindow)
    flow = press_f6(qtbot, shown)
    qtbot.waitUntil(lambda: firmware.dialog() is not None, timeout=10_000)  # offered again
    assert shown.current_screen() is shown.order_screen
    assert not flow.paying
    assert "прошивки" in shown.statusBar().currentMessage()
    dialog = firmware.dialog()
    assert dialog is not None
    dialog.reject()
    reader(reader_setup, QPOS).set_firmware_update(None, required=False)


def test_the_window_does_not_close_during_a_card_payment(
    qtbot: QtBot, window: Callable[[str], MainWindow], reader_setup: ReaderLinkSetup
) -> None:
    shown = window("300.00")
    connect(qtbot, reader_setup, BLUEPAD)
    flow = press_f6(qtbot, shown)
    qtbot.waitUntil(lambda: bool(flow.payment_screen.log_lines()), timeout=10_000)
    assert not shown.close()
    assert "Идёт оплата картой" in shown.statusBar().currentMessage()
    qtbot.keyClick(flow.payment_screen, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not flow.paying, timeout=15_000)


def test_reader_settings_menu_and_demo_panel(
    qtbot: QtBot,
    window: Callable[[str], MainWindow],
    reader_setup: ReaderLinkSetup,
    tmp_path: Path,
) -> None:
    from PySide6.QtGui import QAction

    from desktop_pos.ui.demo_reader_panel import DemoReaderPanel

    shown = window("100.00")
    wiring = shown.card_reader
    wiring.config_file = tmp_path / "config.toml"
    settings_action = shown.findChild(QAction, "actionReaderSettings")
    assert settings_action is not None and settings_action.text() == "&Картридер…"
    settings_action.trigger()
    dialog = shown.findChild(QWidget, "readerSettingsDialog")
    assert dialog is not None and dialog.isVisible()
    dialog.close()
    wiring.apply_settings(ReaderSettings(no_cvm_limit=Decimal("2500.00")))
    assert reader_setup.manager.settings.no_cvm_limit == Decimal("2500.00")
    assert 'no_cvm_limit = "2500.00"' in wiring.config_file.read_text(encoding="utf-8")
    demo = shown.findChild(QAction, "actionDemoReaderPanel")
    assert demo is not None
    connect(qtbot, reader_setup, QPOS)
    demo.trigger()
    panel = shown.findChild(DemoReaderPanel)
    assert panel is not None and panel.isVisible()
    assert panel.controller.reader.serial == QPOS  # the connected reader is the one acted on
