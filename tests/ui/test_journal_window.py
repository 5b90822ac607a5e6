"""«Журнал заказов» on the real store (a temporary SQLite file) through the store thread.

The orders are real cash sales (``Store.record_cash_sale``) plus rows inserted directly for the
states the store has no method for yet (card, SBP, declined, in process ...).
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDateEdit,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from desktop_pos.models.order import Order, OrderItem
from desktop_pos.models.payment import FiscalState, OrderState
from desktop_pos.models.schema import OrderRow, OutboxRow, PaymentAttemptRow, ReceiptRow
from desktop_pos.models.vat import VatRate
from desktop_pos.services.events import EventBus, OrderStateChanged, SyncStatusChanged
from desktop_pos.services.journal import JournalTone
from desktop_pos.services.store import Store
from desktop_pos.services.store_worker import StoreWorker
from desktop_pos.ui.event_bridge import EventBridge
from desktop_pos.ui.journal_model import TONE_COLORS, JournalModel
from desktop_pos.ui.journal_window import JournalWindow

NOW = datetime.now(UTC).replace(microsecond=0)


def insert_order(
    store: Store,
    number: str,
    state: OrderState | str,
    *,
    created_at: datetime = NOW,
    method: str | None = "card_reader",
    fiscal_state: str | None = None,
) -> int:
    with Session(store.engine) as session, session.begin():
        row = OrderRow(
            number=number,
            created_at=created_at,
            state=str(state),
            total=Decimal("250.00"),
            prepaid=Decimal(0),
            due=Decimal("250.00"),
            updated_at=created_at,
            method=method,
            fiscal_state=fiscal_state,
        )
        session.add(row)
        session.flush()
        return row.id


def cash_sale(store: Store, number: str, created_at: datetime = NOW) -> None:
    order = Order(
        number=number,
        created_at=created_at,
        items=(OrderItem("Хлеб", Decimal(2), Decimal("45.50"), VatRate.VAT10),),
    )
    store.record_cash_sale(order, Decimal(100), Decimal(9), created_at)


@pytest.fixture
def open_journal(
    qtbot: QtBot, qloop: object, store_worker: StoreWorker
) -> Iterator[Callable[..., JournalWindow]]:
    windows: list[JournalWindow] = []

    def make(**kwargs: object) -> JournalWindow:
        window = JournalWindow(store_worker, **kwargs)  # type: ignore[arg-type]
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(lambda: not window.model.is_loading(), timeout=5000)
        windows.append(window)
        return window

    yield make
    # Let queued store calls end before the store closes.
    qtbot.waitUntil(lambda: not any(w.model.is_loading() for w in windows), timeout=5000)


def shown_numbers(window: JournalWindow) -> list[str]:
    model = window.model
    return [model.row_at(i).number for i in range(model.rowCount())]


def wait_rows(qtbot: QtBot, window: JournalWindow, expected: list[str]) -> None:
    qtbot.waitUntil(
        lambda: not window.model.is_loading() and shown_numbers(window) == expected, timeout=5000
    )


def choose(combo: QComboBox, data: object) -> None:
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def test_colours_and_texts_per_state(qtbot: QtBot, store: Store, open_journal) -> None:
    cash_sale(store, "CASH-1", NOW - timedelta(minutes=8))
    states = [
        OrderState.APPROVED,
        OrderState.IN_PROCESS,
        OrderState.DECLINED,
        OrderState.CANCELED,
        OrderState.TIMEOUT,
        OrderState.PARTIAL_CANCELED,
        OrderState.NEW,
    ]
    for minutes, state in enumerate(states):
        insert_order(
            store,
            f"S{minutes}",
            state,
            created_at=NOW - timedelta(minutes=minutes),
            fiscal_state="Success" if state is OrderState.APPROVED else None,
        )
    insert_order(store, "ODD", "Frozen", created_at=NOW - timedelta(minutes=9))

    window = open_journal()
    wait_rows(qtbot, window, [*(f"S{i}" for i in range(7)), "CASH-1", "ODD"])
    model = window.model
    expected = {
        "S0": (JournalTone.PAID, "Оплачен"),
        "S1": (JournalTone.IN_PROCESS, "В процессе"),
        "S2": (JournalTone.FAILED, "Отклонен"),
        "S3": (JournalTone.FAILED, "Отменен"),
        "S4": (JournalTone.FAILED, "Истекло время ожидания"),
        "S5": (JournalTone.PAID, "Частично отменен"),
        "S6": (JournalTone.UNKNOWN, "Новый"),
        "CASH-1": (JournalTone.UNKNOWN, "Оплачен OFFLINE"),
        "ODD": (JournalTone.UNKNOWN, "Неизвестно (Frozen)"),
    }
    for row in range(model.rowCount()):
        number = model.row_at(row).number
        tone, text = expected[number]
        state_index = model.index(row, JournalModel.COLUMN_STATE)
        assert model.data(state_index, JournalModel.TONE_ROLE) is tone, number
        assert model.data(state_index) == text, number
        brush = model.data(model.index(row, 0), Qt.ItemDataRole.BackgroundRole)
        assert isinstance(brush, QBrush)
        assert brush.color().name() == TONE_COLORS[tone][1], number
        assert model.data(state_index, Qt.ItemDataRole.DecorationRole) is not None
    cash_row = shown_numbers(window).index("CASH-1")
    assert model.data(model.index(cash_row, JournalModel.COLUMN_METHOD)) == "Наличные"
    assert model.data(model.index(cash_row, JournalModel.COLUMN_AMOUNT)) == "91.00"
    assert model.data(model.index(cash_row, JournalModel.COLUMN_FISCAL)) == "Ожидает отправки"
    assert model.data(model.index(0, JournalModel.COLUMN_FISCAL)) == "Сформирован"
    assert model.headerData(JournalModel.COLUMN_STATE, Qt.Orientation.Horizontal) == (
        "Статус заказа"
    )
    legend = window.findChild(QLabel, "legend_in_process")
    assert legend is not None and legend.text() == "в процессе"


def test_filters_by_state_method_and_period(qtbot: QtBot, store: Store, open_journal) -> None:
    cash_sale(store, "CASH-OLD", NOW - timedelta(days=5))
    cash_sale(store, "CASH-NEW", NOW - timedelta(minutes=1))
    insert_order(
        store, "SBP-OK", OrderState.APPROVED, method="sbp", created_at=NOW - timedelta(minutes=2)
    )
    insert_order(store, "CARD-WAIT", OrderState.IN_PROCESS, created_at=NOW - timedelta(minutes=3))
    insert_order(store, "CARD-NO", OrderState.DECLINED, created_at=NOW - timedelta(days=2))

    window = open_journal()
    wait_rows(qtbot, window, ["CASH-NEW", "SBP-OK", "CARD-WAIT", "CARD-NO", "CASH-OLD"])
    state = window.findChild(QComboBox, "journalStateCombo")
    method = window.findChild(QComboBox, "journalMethodCombo")
    period = window.findChild(QComboBox, "journalPeriodCombo")
    assert state is not None and method is not None and period is not None

    choose(state, "to_sync")  # Offline and In Process: what the sync worker still has to settle
    wait_rows(qtbot, window, ["CASH-NEW", "CARD-WAIT", "CASH-OLD"])
    choose(method, "cash")
    wait_rows(qtbot, window, ["CASH-NEW", "CASH-OLD"])
    choose(period, "3days")
    wait_rows(qtbot, window, ["CASH-NEW"])
    choose(state, "all")
    choose(method, "")
    wait_rows(qtbot, window, ["CASH-NEW", "SBP-OK", "CARD-WAIT", "CARD-NO"])
    choose(state, OrderState.DECLINED.value)
    wait_rows(qtbot, window, ["CARD-NO"])
    choose(state, "failed")
    choose(period, "all")
    wait_rows(qtbot, window, ["CARD-NO"])

    choose(state, "all")
    choose(period, "date")  # a given day: five days ago holds only the old cash sale
    date_edit = window.findChild(QDateEdit, "journalDateEdit")
    assert date_edit is not None and date_edit.isVisible()
    old_day = (NOW - timedelta(days=5)).astimezone().date()
    date_edit.setDate(old_day)
    wait_rows(qtbot, window, ["CASH-OLD"])
    count = window.findChild(QLabel, "journalCountLabel")
    assert count is not None and count.text() == "Показано заказов: 1"
    choose(state, "failed")
    wait_rows(qtbot, window, [])
    assert count.text() == "Заказов не найдено"


def test_search_by_number_exact_and_prefix(qtbot: QtBot, store: Store, open_journal) -> None:
    for i, number in enumerate(
        ["20260310_100000_001", "20260310_100000_002", "20260310_110000_001", "20260309_090000_001"]
    ):
        insert_order(store, number, OrderState.APPROVED, created_at=NOW - timedelta(minutes=i))
    window = open_journal()
    search = window.findChild(QLineEdit, "journalSearchEdit")
    assert search is not None
    assert search.hasFocus()
    qtbot.keyClicks(search, "20260310_1000")
    wait_rows(qtbot, window, ["20260310_100000_002", "20260310_100000_001"])  # after the pause
    search.clear()
    qtbot.keyClicks(search, "20260309_090000_001")
    qtbot.keyClick(search, Qt.Key.Key_Return)  # Return searches at once and goes to the list
    wait_rows(qtbot, window, ["20260309_090000_001"])
    assert QApplication.focusWidget() is window.table
    search.setText("2027")
    qtbot.keyClick(search, Qt.Key.Key_Return)
    wait_rows(qtbot, window, [])


def test_pages_are_fetched_as_the_list_scrolls(qtbot: QtBot, store: Store, open_journal) -> None:
    for i in range(55):
        insert_order(store, f"P{i:03d}", OrderState.APPROVED, created_at=NOW - timedelta(seconds=i))
    window = open_journal(page_size=20)
    model = window.model
    qtbot.waitUntil(lambda: model.rowCount() >= 20, timeout=5000)
    assert model.rowCount() == 20  # one page, not the whole table
    assert model.canFetchMore()
    count = window.findChild(QLabel, "journalCountLabel")
    assert count is not None and "прокрутите вниз" in count.text()

    model.fetchMore()
    assert model.is_loading() and not model.canFetchMore()  # one page at a time
    qtbot.waitUntil(lambda: model.rowCount() == 40, timeout=5000)
    window.table.setFocus()
    window.table.setCurrentIndex(model.index(39, 0))
    qtbot.keyClick(window.table, Qt.Key.Key_End)  # the view asks for the rest as it reaches the end
    qtbot.waitUntil(lambda: model.rowCount() == 55, timeout=5000)
    qtbot.waitUntil(lambda: not model.is_loading(), timeout=5000)
    assert not model.canFetchMore()
    assert shown_numbers(window) == [f"P{i:03d}" for i in range(55)]
    assert count.text() == "Показано заказов: 55"


def add_attempts(store: Store, number: str) -> None:
    """A declined card attempt, then an approved SBP attempt with its fiscal receipt."""
    order_id = insert_order(
        store, number, OrderState.APPROVED, method="sbp", fiscal_state="Success"
    )
    with Session(store.engine) as session, session.begin():
        declined = PaymentAttemptRow(
            order_id=order_id,
            attempt_id=str(uuid.uuid4()),
            method="card_reader",
            state="Declined",
            amount=Decimal("250.00"),
            transaction_number="1000000000000011",
            billnumber="5000000000000011",
            response_code="AS102",
            created_at=NOW - timedelta(minutes=5),
            updated_at=NOW - timedelta(minutes=5),
        )
        approved = PaymentAttemptRow(
            order_id=order_id,
            attempt_id=str(uuid.uuid4()),
            method="sbp",
            state="Approved",
            amount=Decimal("250.00"),
            transaction_number="1000000000000012",
            billnumber="5000000000000012",
            response_code="AS000",
            created_at=NOW - timedelta(minutes=2),
            updated_at=NOW - timedelta(minutes=1),
        )
        session.add_all([declined, approved])
        session.flush()
        session.add(
            ReceiptRow(
                order_id=order_id,
                attempt_id=approved.id,
                kind="sell",
                fiscal_state="Success",
                fn="9999078900012345",
                fd="4321",
                fp="1122334455",
                shift_number=3,
                receipt_number=17,
                kkt_reg_number="0000000001012345",
                fiscal_datetime=NOW,
                created_at=NOW,
                updated_at=NOW,
            )
        )
        session.add(
            OutboxRow(
                kind="fiscalize",
                order_number=number,
                payload=json.dumps({}),
                created_at=NOW,
                attempts=1,
                next_attempt_at=NOW,
                last_error=None,
                done_at=NOW,
            )
        )


def test_details_show_every_attempt_receipt_and_outbox_entry(
    qtbot: QtBot, store: Store, open_journal
) -> None:
    add_attempts(store, "MULTI-1")
    cash_sale(store, "CASH-2", NOW - timedelta(hours=1))
    window = open_journal()
    wait_rows(qtbot, window, ["MULTI-1", "CASH-2"])
    search = window.findChild(QLineEdit, "journalSearchEdit")
    qtbot.keyClick(search, Qt.Key.Key_Down)  # from the search into the list, first row selected
    assert QApplication.focusWidget() is window.table
    assert window.selected_row() is not None and window.selected_row().number == "MULTI-1"
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_details_dialog() is not None, timeout=5000)
    dialog = window.current_details_dialog()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    attempts = dialog.findChild(QTableWidget, "attemptsTable")
    assert attempts is not None and attempts.rowCount() == 2
    cells = [[attempts.item(r, c).text() for c in range(attempts.columnCount())] for r in range(2)]
    assert cells[0][1:4] == ["Картридер", "Отклонен", "250.00"]
    assert cells[0][9].startswith("AS102")
    assert cells[1][1:3] == ["СБП", "Оплачен"]
    assert cells[1][7] == "5000000000000012"
    receipts = dialog.findChild(QTableWidget, "receiptsTable")
    assert receipts is not None and receipts.rowCount() == 1
    assert [receipts.item(0, c).text() for c in range(5)] == [
        "Приход",
        "Сформирован",
        "9999078900012345",
        "4321",
        "1122334455",
    ]
    outbox = dialog.findChild(QTableWidget, "outboxTable")
    assert outbox is not None and outbox.rowCount() == 1
    assert outbox.item(0, 0).text() == "Фискализация"
    state = dialog.findChild(QLabel, "detailsStateValue")
    assert state is not None and state.text() == "Оплачен"
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.current_details_dialog() is None, timeout=5000)

    qtbot.keyClick(window.table, Qt.Key.Key_Down)
    window.findChild(QPushButton, "journalDetailsButton").click()
    qtbot.waitUntil(lambda: window.current_details_dialog() is not None, timeout=5000)
    dialog = window.current_details_dialog()
    cash_attempts = dialog.findChild(QTableWidget, "attemptsTable")
    assert cash_attempts.rowCount() == 1
    assert cash_attempts.item(0, 4).text() == "100.00"  # received
    assert cash_attempts.item(0, 5).text() == "9.00"  # change
    outbox = dialog.findChild(QTableWidget, "outboxTable")
    assert outbox.item(0, 0).text() == "Передача оплаты наличными"
    assert outbox.item(0, 4).text() == "Ожидает"
    dialog.reject()


def test_refresh_status_and_sync_now_call_the_worker(
    qtbot: QtBot, store: Store, open_journal
) -> None:
    cash_sale(store, "CASH-3")
    calls: list[str] = []
    window = open_journal(sync_now=lambda: calls.append("sync"))
    wait_rows(qtbot, window, ["CASH-3"])
    window.table.setFocus()
    window.table.setCurrentIndex(window.model.index(0, 0))
    qtbot.keyClick(window.table, Qt.Key.Key_F5)
    assert calls == ["sync"]
    assert "CASH-3" in window.message()
    qtbot.keyClick(window.table, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert calls == ["sync", "sync"]
    assert window.message().startswith("Синхронизация запущена")


def test_without_a_gateway_the_buttons_say_so(qtbot: QtBot, store: Store, open_journal) -> None:
    cash_sale(store, "CASH-4")
    window = open_journal()
    wait_rows(qtbot, window, ["CASH-4"])
    sync = window.findChild(QPushButton, "journalSyncButton")
    assert sync is not None and not sync.isEnabled()
    window.table.setCurrentIndex(window.model.index(0, 0))
    window.refresh_status()
    assert window.message() == "Связь с Ассист не настроена: показан сохраненный статус."


def test_background_state_change_updates_the_row_and_pending_count(
    qtbot: QtBot, store: Store, open_journal
) -> None:
    cash_sale(store, "CASH-5")
    insert_order(store, "CARD-6", OrderState.IN_PROCESS, created_at=NOW - timedelta(minutes=1))
    bus = EventBus()
    bridge = EventBridge(bus)
    window = open_journal(bridge=bridge)
    wait_rows(qtbot, window, ["CASH-5", "CARD-6"])
    pending = window.findChild(QLabel, "journalPendingLabel")
    assert pending is not None
    qtbot.waitUntil(lambda: pending.text() == "К отправке: 2", timeout=5000)  # outbox + in process

    with Session(store.engine) as session, session.begin():  # what the sync worker writes
        row = session.query(OrderRow).filter_by(number="CASH-5").one()
        row.state, row.fiscal_state, row.billnumber = "Approved", "Success", "5000000000000099"

    def publish() -> None:  # as the sync worker does, from its own thread
        bus.publish(OrderStateChanged("CASH-5", OrderState.APPROVED, FiscalState.SUCCESS))
        bus.publish(SyncStatusChanged(online=False, pending=1, last_error=None))

    publisher = threading.Thread(target=publish)
    publisher.start()
    publisher.join()
    model = window.model
    qtbot.waitUntil(
        lambda: model.data(model.index(0, JournalModel.COLUMN_STATE)) == "Оплачен", timeout=5000
    )
    assert model.data(model.index(0, 0), JournalModel.TONE_ROLE) is JournalTone.PAID
    assert model.row_at(0).billnumber == "5000000000000099"
    qtbot.waitUntil(lambda: pending.text() == "К отправке: 1 · Нет связи", timeout=5000)
    bridge.close()


def test_keyboard_only(qtbot: QtBot, store: Store, open_journal) -> None:
    cash_sale(store, "CASH-7")
    window = open_journal()
    wait_rows(qtbot, window, ["CASH-7"])
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.findChild(QLineEdit, "journalSearchEdit")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)


def test_fits_1280_by_800(qtbot: QtBot, store: Store, open_journal) -> None:
    window = open_journal()
    assert (window.width(), window.height()) == (1280, 800)
    hint = window.minimumSizeHint()
    assert hint.width() <= 1280 and hint.height() <= 800
    for name in (
        "journalDetailsButton",
        "journalRefreshButton",
        "journalSyncButton",
        "journalCloseButton",
        "journalMethodCombo",
        "journalPendingLabel",
    ):
        widget = (
            window.findChild(QPushButton, name)
            or window.findChild(QComboBox, name)
            or (window.findChild(QLabel, name))
        )
        assert widget is not None, name
        corner = widget.mapTo(window, widget.rect().bottomRight())
        assert window.rect().contains(corner), name
