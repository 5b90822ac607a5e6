"""The journal shows and filters orders paid twice (a late SBP approval after cash)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from desktop_pos.models.order import Order, OrderItem
from desktop_pos.models.payment import OrderState, PaymentMethod
from desktop_pos.services.store import Store
from desktop_pos.services.store_worker import StoreWorker
from desktop_pos.ui.journal_model import JournalModel
from desktop_pos.ui.journal_window import JournalWindow
from tests.ui.test_journal_window import cash_sale, choose, wait_rows

NOW = datetime.now(UTC) - timedelta(minutes=5)


def paid_twice(store: Store, number: str) -> None:
    order = Order(number, NOW, (OrderItem("Хлеб", Decimal(2), Decimal("45.50")),))
    attempt = store.begin_remote_payment(order, PaymentMethod.SBP, NOW)
    store.record_registration(
        attempt.attempt_id, "1234567890123401", OrderState.IN_PROCESS, "https://qr", NOW
    )
    store.abandon_remote_attempt(attempt.attempt_id, NOW)
    store.record_cash_sale(order, Decimal(91), Decimal(0), NOW)
    store.record_attempt_outcome(attempt.attempt_id, OrderState.APPROVED, NOW)


def test_orders_to_refund_are_marked_and_filtered(
    qtbot: QtBot, qloop: object, store: Store, store_worker: StoreWorker
) -> None:
    paid_twice(store, "TWICE-1")
    cash_sale(store, "CASH-1", NOW + timedelta(minutes=1))
    window = JournalWindow(store_worker)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    wait_rows(qtbot, window, ["CASH-1", "TWICE-1"])
    model = window.model
    state_of = {
        model.row_at(row).number: model.index(row, JournalModel.COLUMN_STATE) for row in range(2)
    }
    assert model.data(state_of["TWICE-1"]) == "Оплачен OFFLINE · К возврату"
    assert "оплачен дважды" in model.data(state_of["TWICE-1"], Qt.ItemDataRole.ToolTipRole)
    assert model.data(state_of["CASH-1"]) == "Оплачен OFFLINE"
    state = window.findChild(QComboBox, "journalStateCombo")
    assert state is not None
    choose(state, "refund")
    assert state.currentText() == "К возврату (оплачены дважды)"
    wait_rows(qtbot, window, ["TWICE-1"])
    qtbot.waitUntil(lambda: not window.model.is_loading(), timeout=5000)
