"""SBP and SoftPOS through the main window, against the sandbox gateway as a real subprocess.

The QR widget is grabbed to PNG and decoded with zxing-cpp; the payment is driven through the
sandbox's control endpoints (the buyer pays, the server goes down) as in demo mode.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import zxingcpp
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from desktop_pos.models.order import Order, OrderItem
from desktop_pos.models.payment import OrderState, PaymentMethod
from desktop_pos.models.texts import Language
from desktop_pos.services.checkout import CheckoutService
from desktop_pos.services.events import EventBus
from desktop_pos.services.gateway.client import AsyncGatewayClient
from desktop_pos.services.gateway.mpos_operations import NSPK_LINK, SOFTPOS_DEEP_LINK
from desktop_pos.services.remote_payment import PollSchedule, RemotePaymentService
from desktop_pos.services.store import Store
from desktop_pos.ui.main_window import MainWindow
from desktop_pos.ui.payment_flow import OTHER_METHOD_AFTER_S
from desktop_pos.ui.qr_code_widget import min_side_px
from desktop_pos.ui.qr_payment_screen import QrPaymentScreen
from tests.sandbox_gateway import FAST_DELAYS, SandboxGatewayProcess
from tests.ui.conftest import local_now

INTERVAL_S = 0.3
SCHEDULE = PollSchedule(first_s=INTERVAL_S, factor=1.0, max_s=INTERVAL_S, jitter=0)


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[SandboxGatewayProcess]:
    with SandboxGatewayProcess(tmp_path / "gateway.sqlite3", extra_args=FAST_DELAYS) as process:
        yield process


@pytest.fixture
def client(
    qtbot: QtBot, qloop: object, sandbox: SandboxGatewayProcess
) -> Iterator[AsyncGatewayClient]:
    gateway = AsyncGatewayClient(sandbox.settings())
    yield gateway
    closing = asyncio.ensure_future(gateway.close())
    qtbot.waitUntil(closing.done)


def order_of(total: str) -> Order:
    return Order(
        number=f"QR_{local_now():%H%M%S%f}",
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
) -> Iterator[Callable[[str], MainWindow]]:
    checkout.attach_gateway(client)
    made: list[MainWindow] = []

    def make(total: str = "120.00") -> MainWindow:
        shown = MainWindow(
            checkout,
            lambda: order_of(total),
            language=Language.RU,
            demo=True,
            version="test",
            events=events,
            use_tray=False,
        )
        qtbot.addWidget(shown)
        shown.show()
        qtbot.waitExposed(shown)
        shown.activateWindow()
        qtbot.waitUntil(shown.isActiveWindow)
        shown.payment_flow.service.schedule = SCHEDULE
        made.append(shown)
        return shown

    yield make
    for shown in made:  # before the client closes: no poll may outlive the window
        shown.close()
        assert not shown.payment_flow.polling


def find(parent: QWidget, kind: type[Any], name: str) -> Any:
    widget = parent.findChild(kind, name)
    assert widget is not None, name
    return widget


def screen_of(window: MainWindow) -> QrPaymentScreen:
    return window.payment_flow.screen


def pay_by(qtbot: QtBot, window: MainWindow, method: PaymentMethod) -> QrPaymentScreen:
    key = Qt.Key.Key_F7 if method is PaymentMethod.SBP else Qt.Key.Key_F8
    qtbot.keyClick(window.order_screen, key)
    screen = screen_of(window)
    qtbot.waitUntil(lambda: screen.current_page() == "qrPage", timeout=10_000)
    return screen


def decode(widget: QWidget, path: Path) -> str:
    widget.grab().save(str(path))
    [barcode] = zxingcpp.read_barcodes(Image.open(path))
    return barcode.text


def count_polls(service: RemotePaymentService) -> list[OrderState]:
    answers: list[OrderState] = []
    original = service.poll_once

    async def counted(payment: Any) -> Any:
        update = await original(payment)
        answers.append(update.state)
        return update

    service.poll_once = counted  # type: ignore[method-assign]
    return answers


@pytest.mark.parametrize("method", [PaymentMethod.SBP, PaymentMethod.SOFTPOS])
def test_the_qr_on_screen_decodes_to_the_gateways_payload(
    qtbot: QtBot,
    window: Callable[[str], MainWindow],
    sandbox: SandboxGatewayProcess,
    tmp_path: Path,
    method: PaymentMethod,
) -> None:
    shown = window("120.00")
    number = shown.order_screen.current_order().number
    screen = pay_by(qtbot, shown, method)
    payment = shown.payment_flow.payment
    assert payment is not None and payment.method is method
    assert decode(screen.qr_widget(), tmp_path / "qr.png") == payment.qr_payload
    pattern = NSPK_LINK if method is PaymentMethod.SBP else SOFTPOS_DEEP_LINK
    assert pattern.fullmatch(payment.qr_payload)
    [registered] = sandbox.registrations(number)
    assert registered["billnumber"] == payment.billnumber
    # big enough on a counter screen: at least 20 mm at 96 dpi, and at 144 dpi shown at 1.5×
    side = screen.qr_widget().symbol_rect().width()
    assert side >= min_side_px(20, 96) and side >= min_side_px(20, 144, 1.5)
    # kept on screen: no other method offered before 40 s
    assert OTHER_METHOD_AFTER_S >= 40
    assert not find(screen, QPushButton, "otherMethodButton").isEnabled()


def test_buyer_pays_and_the_result_is_paid_within_two_polls(
    qtbot: QtBot, window: Callable[[str], MainWindow], sandbox: SandboxGatewayProcess, store: Store
) -> None:
    shown = window("120.00")
    polls = count_polls(shown.payment_flow.service)
    screen = pay_by(qtbot, shown, PaymentMethod.SBP)
    payment = shown.payment_flow.payment
    assert payment is not None
    qtbot.waitUntil(lambda: len(polls) >= 1, timeout=5000)  # the polling is on
    answered_before = len(polls)  # a poll in flight now still counts as after the payment
    sandbox.buyer_pays(payment.billnumber)
    qtbot.waitUntil(lambda: shown.current_screen() is shown.result_screen, timeout=10_000)
    assert polls[-1] is OrderState.APPROVED and len(polls) - answered_before <= 2
    assert find(shown.result_screen, QLabel, "statusValue").text() == "Оплачен"
    assert find(shown.result_screen, QLabel, "methodValue").text() == "СБП"
    assert not shown.payment_flow.polling
    assert store.order_state(payment.order_number) is OrderState.APPROVED
    assert screen.current_page() == "qrPage"


def test_a_delayed_payment_shows_in_process_with_the_indicator_then_approved(
    qtbot: QtBot, window: Callable[[str], MainWindow], sandbox: SandboxGatewayProcess
) -> None:
    shown = window("100.55")  # In Process another --in-process-delay after the buyer pays
    screen = pay_by(qtbot, shown, PaymentMethod.SBP)
    find(screen, QPushButton, "toStatusButton").click()
    assert screen.current_page() == "qrStatusPage"
    assert find(screen, QLabel, "statusValue").text() == "В процессе"
    for name, text in {
        "amountValue": "100.55 руб.",
        "methodValue": "СБП",
        "orderNumberValue": shown.order_screen.current_order().number,
    }.items():
        assert find(screen, QLabel, name).text() == text
    qtbot.waitUntil(lambda: screen.refresh_indicator_text() != "", timeout=5000)
    find(screen, QPushButton, "showQrButton").click()  # top right: the QR again
    assert screen.current_page() == "qrPage"
    payment = shown.payment_flow.payment
    assert payment is not None
    sandbox.buyer_pays(payment.billnumber)
    qtbot.waitUntil(lambda: shown.current_screen() is shown.result_screen, timeout=10_000)
    assert find(shown.result_screen, QLabel, "statusValue").text() == "Оплачен"


def test_declined_shows_the_reason_and_try_again(
    qtbot: QtBot, window: Callable[[str], MainWindow], sandbox: SandboxGatewayProcess
) -> None:
    shown = window("100.51")
    screen = pay_by(qtbot, shown, PaymentMethod.SBP)
    first = shown.payment_flow.payment
    assert first is not None
    sandbox.buyer_pays(first.billnumber)
    qtbot.waitUntil(lambda: screen.current_page() == "qrStatusPage", timeout=10_000)
    assert find(screen, QLabel, "statusValue").text() == "Отклонен"
    assert find(screen, QLabel, "reasonLabel").text()
    assert find(screen, QPushButton, "otherMethodButton").isEnabled()
    find(screen, QPushButton, "retryButton").click()
    qtbot.waitUntil(lambda: screen.current_page() == "qrPage", timeout=10_000)
    second = shown.payment_flow.payment
    assert second is not None and second.billnumber != first.billnumber


def test_switch_to_cash_then_a_late_approval_is_flagged_not_counted(
    qtbot: QtBot, window: Callable[[str], MainWindow], sandbox: SandboxGatewayProcess, store: Store
) -> None:
    shown = window("120.00")
    shown.payment_flow.set_other_method_after(0.05)
    screen = pay_by(qtbot, shown, PaymentMethod.SBP)
    payment = shown.payment_flow.payment
    assert payment is not None
    find(screen, QPushButton, "toStatusButton").click()
    other = find(screen, QPushButton, "otherMethodButton")
    qtbot.waitUntil(other.isEnabled, timeout=5000)
    other.click()
    qtbot.waitUntil(lambda: shown.current_screen() is shown.order_screen, timeout=5000)
    assert not shown.payment_flow.polling
    qtbot.keyClick(shown.order_screen, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: shown.current_change_dialog() is not None)
    dialog = shown.current_change_dialog()
    assert dialog is not None
    qtbot.keyClick(find(dialog, QLineEdit, "receivedEdit"), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: shown.current_screen() is shown.result_screen, timeout=10_000)
    cash = shown.result_screen.result()
    assert cash is not None and cash.method is PaymentMethod.CASH

    sandbox.buyer_pays(payment.billnumber)  # the buyer paid the QR after all
    late = asyncio.ensure_future(shown.payment_flow.service.poll_once(payment))
    qtbot.waitUntil(late.done, timeout=10_000)
    assert late.result().refund_flagged
    [flagged] = store.late_approvals()
    assert flagged.order_number == payment.order_number
    assert store.order_state(payment.order_number) is OrderState.OFFLINE
    result = store.load_result(payment.order_number)
    assert result is not None and result.transaction_number == cash.transaction_number
    qtbot.waitUntil(lambda: "возврат" in shown.notification_banner().text(), timeout=5000)


def test_server_down_while_polling_shows_the_message_then_recovers(
    qtbot: QtBot, window: Callable[[str], MainWindow], sandbox: SandboxGatewayProcess
) -> None:
    shown = window("120.00")
    screen = pay_by(qtbot, shown, PaymentMethod.SOFTPOS)
    payment = shown.payment_flow.payment
    assert payment is not None
    find(screen, QPushButton, "toStatusButton").click()
    sandbox.set_faults(down=True)
    network = find(screen, QLabel, "networkLostLabel")
    qtbot.waitUntil(network.isVisible, timeout=10_000)
    assert network.text().startswith("Нет связи с сервером Ассист")
    sandbox.clear_faults()
    qtbot.waitUntil(lambda: not network.isVisible(), timeout=10_000)
    sandbox.softpos_phone_pays(payment.billnumber)
    qtbot.waitUntil(lambda: shown.current_screen() is shown.result_screen, timeout=10_000)
    assert find(shown.result_screen, QLabel, "methodValue").text() == "SOFTPOS"


def test_leaving_the_screen_stops_the_polling(
    qtbot: QtBot, window: Callable[[str], MainWindow]
) -> None:
    shown = window("120.00")
    pay_by(qtbot, shown, PaymentMethod.SBP)
    assert shown.payment_flow.polling
    shown.start_new_order()
    assert not shown.payment_flow.polling


@pytest.mark.parametrize(
    ("action", "state"),
    [("actionDemoBuyerPays", "Оплачен"), ("actionDemoExpire", "Истекло время ожидания")],
)
def test_the_demo_menu_pays_or_lets_the_qr_lapse(
    qtbot: QtBot,
    window: Callable[[str], MainWindow],
    sandbox: SandboxGatewayProcess,
    action: str,
    state: str,
) -> None:
    from PySide6.QtGui import QAction

    shown = window("120.00")
    shown.set_demo_gateway(sandbox)
    screen = pay_by(qtbot, shown, PaymentMethod.SBP)
    find(shown, QAction, action).trigger()
    if state == "Оплачен":
        qtbot.waitUntil(lambda: shown.current_screen() is shown.result_screen, timeout=10_000)
        assert find(shown.result_screen, QLabel, "statusValue").text() == state
    else:
        qtbot.waitUntil(lambda: screen.current_page() == "qrStatusPage", timeout=10_000)
        assert find(screen, QLabel, "statusValue").text() == state
        assert find(screen, QPushButton, "retryButton").isVisible()


@pytest.mark.usefixtures("russian_ui")
def test_the_demo_menu_follows_the_window_into_english_and_back(
    qtbot: QtBot, window: Callable[[str], MainWindow], sandbox: SandboxGatewayProcess
) -> None:
    from PySide6.QtGui import QAction

    shown = window("120.00")
    shown.set_demo_gateway(sandbox)
    buyer_pays = find(shown, QAction, "actionDemoBuyerPays")
    assert buyer_pays.text() == "Покупатель оплатил QR СБП"
    shown.set_language(Language.EN)
    qtbot.waitUntil(lambda: buyer_pays.text() == "The buyer paid the SBP QR")
    assert shown.demo_menu().title() == "&Demo"
    assert find(shown, QAction, "actionDemoExpire").text() != "Не оплачивать: истекло время"
    shown.set_language(Language.RU)
    qtbot.waitUntil(lambda: buyer_pays.text() == "Покупатель оплатил QR СБП")
    assert shown.demo_menu().title() == "&Демо"


def test_no_gateway_at_registration_says_so_and_keeps_the_order(
    qtbot: QtBot,
    window: Callable[[str], MainWindow],
    sandbox: SandboxGatewayProcess,
    store: Store,
) -> None:
    from PySide6.QtWidgets import QMessageBox

    shown = window("120.00")
    number = shown.order_screen.current_order().number
    sandbox.set_faults(down=True)
    qtbot.keyClick(shown.order_screen, Qt.Key.Key_F7)
    qtbot.waitUntil(
        lambda: shown.findChild(QMessageBox, "userErrorBox") is not None, timeout=10_000
    )
    box = shown.findChild(QMessageBox, "userErrorBox")
    assert box is not None and box.text().startswith("Нет связи с сервером Ассист")
    box.close()
    assert shown.current_screen() is shown.order_screen
    assert shown.order_screen.current_order().number == number
    assert store.order_state(number) is OrderState.NEW  # payable by another method
