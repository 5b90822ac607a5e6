"""ItemsModel: the «Позиции заказа» table as the cashier reads it."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QModelIndex, Qt
from pytestqt.modeltest import ModelTester

from desktop_pos.models.order import Order, OrderItem
from desktop_pos.models.vat import VatRate
from desktop_pos.ui.items_model import ITEM_ROLE, ItemColumn, ItemsModel

DISPLAY = Qt.ItemDataRole.DisplayRole


def texts(model: ItemsModel, row: int) -> list[str]:
    return [model.data(model.index(row, column), DISPLAY) for column in ItemColumn]


def test_sample_order_rows_read_like_the_guide(qapp, sample: Order) -> None:
    model = ItemsModel()
    model.set_items(sample.items)

    assert model.rowCount() == 4
    assert model.columnCount() == 4
    assert texts(model, 0) == ["1.", "Компактный фотик", "2.000 x 1.82 = 3.64", "НДС 20%"]
    assert texts(model, 1) == [
        "2.",
        "Компактный фотоаппарат CANON PowerShot SX420 IS черный",
        "3.000 x 1.16 = 3.48\nСКИДКА = 0.12",
        "НДС 20%",
    ]
    assert texts(model, 3)[0] == "4."


def test_headers(qapp) -> None:
    model = ItemsModel()
    headers = [model.headerData(c, Qt.Orientation.Horizontal, DISPLAY) for c in ItemColumn]
    assert headers == ["№", "Наименование", "Кол-во × Цена = Сумма", "НДС"]
    assert model.headerData(0, Qt.Orientation.Vertical, DISPLAY) is None


def test_item_role_alignment_and_tooltip(qapp) -> None:
    item = OrderItem("Чай", Decimal("0.5"), Decimal("99.99"), VatRate.NO_VAT)
    model = ItemsModel()
    model.set_items([item])

    assert model.data(model.index(0, ItemColumn.NAME), ITEM_ROLE) is item
    assert texts(model, 0) == ["1.", "Чай", "0.500 x 99.99 = 50.00", "БЕЗ НДС"]
    assert model.data(model.index(0, ItemColumn.NAME), Qt.ItemDataRole.ToolTipRole) == "Чай"
    right = model.data(model.index(0, ItemColumn.AMOUNT), Qt.ItemDataRole.TextAlignmentRole)
    assert right & int(Qt.AlignmentFlag.AlignRight)
    flags = model.flags(model.index(0, 0))
    assert flags & Qt.ItemFlag.ItemIsSelectable
    assert not flags & Qt.ItemFlag.ItemIsEditable


def test_out_of_range_and_children_are_empty(qapp, sample: Order) -> None:
    model = ItemsModel()
    model.set_items(sample.items)
    assert model.data(QModelIndex(), DISPLAY) is None
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.index(9, 0).isValid() is False


def test_replacing_items_resets_rows(qtbot, sample: Order) -> None:
    model = ItemsModel()
    model.set_items(sample.items)
    with qtbot.waitSignal(model.modelReset):
        model.set_items(sample.items[:1])
    assert model.rowCount() == 1
    assert model.items() == sample.items[:1]


def test_model_passes_qt_model_checks(qtmodeltester: ModelTester, sample: Order) -> None:
    model = ItemsModel()
    model.set_items(sample.items)
    qtmodeltester.check(model, force_py=True)


def test_retranslate_signals_headers_and_rows(qtbot, sample: Order) -> None:
    model = ItemsModel()
    model.set_items(sample.items)
    with qtbot.waitSignals([model.headerDataChanged, model.dataChanged]):
        model.retranslate()
