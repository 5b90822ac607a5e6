"""The main window's sync status: status bar, notifications, «Синхронизировать», the journal (F9).

Events are published from another thread, as the sync worker does, and reach the widgets through
the window's ``EventBridge`` on the GUI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QToolButton
from pytestqt.qtbot import QtBot

from desktop_pos.models.money import change_due
from desktop_pos.models.payment import FiscalState, OrderState
from desktop_pos.models.texts import Language, LocalizedText
from desktop_pos.sandbox.sample_order import sample_order
from desktop_pos.services.checkout import CheckoutService
from desktop_pos.services.events import (
    EventBus,
    OrderStateChanged,
    SyncStatusChanged,
    notification_fiscal_sent,
    notification_order_uploaded,
    notification_state_changed,
)
from desktop_pos.services.store import Store
from desktop_pos.ui.main_window import MainWindow


def local_now() -> datetime:
    return datetime.now().astimezone()


def publish_from_thread(bus: EventBus, *events: object) -> None:
    def publish() -> None:
        for event in events:
            bus.publish(event)

    worker = threading.Thread(target=publish)
    worker.start()
    worker.join(timeout=5)
    assert not worker.is_alive()


def make_sync_window(
    qtbot: QtBot,
    checkout: CheckoutService,
    bus: EventBus,
    sync_now: Callable[[], None] | None,
) -> MainWindow:
    window = MainWindow(
        checkout,
        lambda: sample_order(local_now()),
        language=Language.RU,
        demo=False,
        version="0.1.0-test",
        sync_now=sync_now,
        events=bus,
        use_tray=False,  # the offscreen platform has no tray; the banner is what a test can read
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def test_status_bar_follows_sync_status_from_another_thread(
    qtbot: QtBot, qloop: object, checkout: CheckoutService
) -> None:
    bus = EventBus()
    window = make_sync_window(qtbot, checkout, bus, sync_now=lambda: None)
    indicator = window.sync_indicator()
    assert indicator.isVisible()
    assert indicator.online_text() == "● Проверка связи…"
    assert indicator.pending_text() == "К отправке: …"

    error = LocalizedText("Нет связи с сервером Ассист.", "No connection to the Assist server.")
    publish_from_thread(bus, SyncStatusChanged(online=False, pending=3, last_error=error))
    qtbot.waitUntil(lambda: indicator.online_text() == "● Нет связи", timeout=5000)
    assert indicator.pending_text() == "К отправке: 3"
    online = indicator.findChild(QLabel, "syncOnlineLabel")
    assert online is not None and online.toolTip() == "Нет связи с сервером Ассист."
    assert online.property("tone") == "failure"

    publish_from_thread(bus, SyncStatusChanged(online=True, pending=0, last_error=None))
    qtbot.waitUntil(lambda: indicator.online_text() == "● В сети", timeout=5000)
    assert indicator.pending_text() == "К отправке: 0"
    assert online.property("tone") == "success" and online.toolTip() == ""
    # The indicator sits in the status bar, inside the 1280×800 window.
    corner = indicator.mapTo(window, indicator.rect().bottomRight())
    assert window.rect().contains(corner)


def test_notifications_are_shown_with_the_guide_texts(
    qtbot: QtBot, qloop: object, checkout: CheckoutService
) -> None:
    bus = EventBus()
    window = make_sync_window(qtbot, checkout, bus, sync_now=None)
    banner = window.notification_banner()
    assert not banner.isVisible()
    assert not window.notifier().uses_tray

    publish_from_thread(bus, notification_fiscal_sent("20260310_101010_001"))
    qtbot.waitUntil(banner.isVisible, timeout=5000)
    assert banner.text() == "Фискальный документ для заказа №20260310_101010_001 передан в Ассист"
    title = banner.findChild(QLabel, "notificationTitle")
    assert title is not None and title.text() == "Синхронизация с сервером:"

    publish_from_thread(
        bus,
        notification_order_uploaded("20260310_101010_002"),
        notification_state_changed("20260310_101010_003", OrderState.APPROVED),
    )
    qtbot.waitUntil(lambda: len(window.notifier().history()) == 3, timeout=5000)
    assert banner.text() == 'Статус заказа №20260310_101010_003 изменился на "Approved"'
    assert window.notifier().history()[1] == (
        "Заказ №20260310_101010_002 успешно передан на сервер. "
        "Дата и время проведения заказа обновлены"
    )
    # The banner never takes the cashier's focus away from the order.
    assert QApplication.focusWidget() is window.findChild(QLineEdit, "orderNumberEdit")


def test_sync_now_action_calls_the_callable(
    qtbot: QtBot, qloop: object, checkout: CheckoutService
) -> None:
    calls: list[int] = []
    window = make_sync_window(qtbot, checkout, EventBus(), sync_now=lambda: calls.append(1))
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert calls == [1]
    assert window.statusBar().currentMessage() == "Синхронизация с Ассист запущена…"
    action = window.findChild(QAction, "actionSyncNow")
    assert action is not None and action.isEnabled() and action.text() == "&Синхронизировать"
    button = window.sync_indicator().findChild(QToolButton, "syncNowButton")
    assert button is not None
    button.click()
    assert calls == [1, 1]


def test_without_sync_the_action_is_disabled(
    qtbot: QtBot, qloop: object, checkout: CheckoutService
) -> None:
    window = make_sync_window(qtbot, checkout, EventBus(), sync_now=None)
    action = window.findChild(QAction, "actionSyncNow")
    assert action is not None and not action.isEnabled()
    assert action.toolTip() == "Связь с Ассист не настроена"


def test_f9_opens_the_journal_which_follows_the_events(
    qtbot: QtBot, qloop: object, checkout: CheckoutService, store: Store
) -> None:
    order = sample_order(local_now())
    store.record_cash_sale(order, Decimal(20), change_due(Decimal(20), order.due), local_now())
    bus = EventBus()
    calls: list[int] = []
    window = make_sync_window(qtbot, checkout, bus, sync_now=lambda: calls.append(1))
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F9)
    journal = window.journal_window()
    assert journal is not None
    qtbot.waitExposed(journal)
    qtbot.waitUntil(lambda: journal.model.rowCount() == 1, timeout=5000)
    assert journal.model.row_at(0).number == order.number
    assert journal.model.row_at(0).state is OrderState.OFFLINE

    with store.engine.begin() as connection:  # what the sync worker writes after the upload
        connection.exec_driver_sql(
            "UPDATE orders SET state = 'Approved', fiscal_state = 'Success' WHERE number = ?",
            (order.number,),
        )
    publish_from_thread(
        bus,
        OrderStateChanged(order.number, OrderState.APPROVED, FiscalState.SUCCESS),
        SyncStatusChanged(online=True, pending=0, last_error=None),
    )
    qtbot.waitUntil(lambda: journal.model.row_at(0).state is OrderState.APPROVED, timeout=5000)
    pending = journal.findChild(QLabel, "journalPendingLabel")
    assert pending is not None
    qtbot.waitUntil(lambda: pending.text() == "К отправке: 0", timeout=5000)

    journal.sync_now()
    assert calls == [1]
    qtbot.keyClick(journal.table, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not journal.isVisible(), timeout=5000)
    window.open_journal()  # F9 again: the same window, reloaded
    assert window.journal_window() is journal
    qtbot.waitUntil(lambda: journal.isVisible() and not journal.model.is_loading(), timeout=5000)


def test_without_a_sync_worker_the_indicator_is_hidden(make_window) -> None:
    window = make_window()
    assert not window.sync_indicator().isVisible()
    assert window.event_bridge() is None
    action = window.findChild(QAction, "actionJournal")
    assert action is not None and action.shortcut().toString() == "F9"
