"""The order's items as a Qt table model, and the «Позиции заказа» table that shows it.

Columns: №, Наименование, «Кол-во × Цена = Сумма» (``2.000 x 1.82 = 3.64``), НДС. An item with
a discount shows it as a second line under its sum, as the Assist order data does
(``СКИДКА = 0.12``).
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from desktop_pos.models.money import format_amount, format_quantity
from desktop_pos.models.order import OrderItem
from desktop_pos.models.texts import Language

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1
"""Role under which every cell returns its row's ``OrderItem``."""

_Index = QModelIndex | QPersistentModelIndex


class ItemColumn(IntEnum):
    NUMBER = 0
    NAME = 1
    AMOUNT = 2
    VAT = 3


def amount_line(item: OrderItem) -> str:
    """``2.000 x 1.82 = 3.64``."""
    return (
        f"{format_quantity(item.quantity)} x {format_amount(item.price)}"
        f" = {format_amount(item.amount)}"
    )


class ItemsModel(QAbstractTableModel):
    """Read-only view of a tuple of ``OrderItem``; the order screen replaces it on every edit."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: tuple[OrderItem, ...] = ()
        self._language = Language.RU

    def set_language(self, language: Language) -> None:
        """Show domain texts (VAT rates) in ``language``."""
        self._language = language
        self.retranslate()

    # -- content ----------------------------------------------------------------------------
    def set_items(self, items: Sequence[OrderItem]) -> None:
        self.beginResetModel()
        self._items = tuple(items)
        self.endResetModel()

    def items(self) -> tuple[OrderItem, ...]:
        return self._items

    def item(self, row: int) -> OrderItem:
        return self._items[row]

    def discount_line(self, item: OrderItem) -> str:
        """``СКИДКА = 0.12`` (translated)."""
        return self.tr("СКИДКА = {amount}").format(amount=format_amount(item.discount))

    def cell_text(self, row: int, column: int) -> str:
        item = self._items[row]
        column = ItemColumn(column)
        if column is ItemColumn.NUMBER:
            return f"{row + 1}."
        if column is ItemColumn.NAME:
            return item.name
        if column is ItemColumn.AMOUNT:
            if item.discount > 0:
                return f"{amount_line(item)}\n{self.discount_line(item)}"
            return amount_line(item)
        return item.vat.text.get(self._language)

    def retranslate(self) -> None:
        """Refresh headers and the translated discount lines after a language change."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(ItemColumn) - 1)
        if self._items:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._items) - 1, len(ItemColumn) - 1)
            )

    # -- QAbstractTableModel ----------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(ItemColumn)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        column = ItemColumn(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.cell_text(index.row(), column)
        if role == Qt.ItemDataRole.ToolTipRole and column is ItemColumn.NAME:
            return self._items[index.row()].name
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in (ItemColumn.NUMBER, ItemColumn.AMOUNT):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == ITEM_ROLE:
            return self._items[index.row()]
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation is not Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        headers = {
            ItemColumn.NUMBER: self.tr("№"),
            ItemColumn.NAME: self.tr("Наименование"),
            ItemColumn.AMOUNT: self.tr("Кол-во × Цена = Сумма"),
            ItemColumn.VAT: self.tr("НДС"),
        }
        try:
            return headers[ItemColumn(section)]
        except ValueError:
            return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class ItemsTable(QTableView):
    """Read-only rows (whole-row selection), wrapped names, no horizontal scrolling.

    Enter or a double-click on a row emits ``activated`` (the order screen edits that item).
    """

    def __init__(self, model: ItemsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("itemsTable")
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)  # Tab leaves the table, arrows move in it
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setStyleSheet("QTableView::item { padding: 6px 8px; }")
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.horizontalHeader()
        for column in ItemColumn:
            stretch = column is ItemColumn.NAME
            header.setSectionResizeMode(
                column,
                QHeaderView.ResizeMode.Stretch
                if stretch
                else QHeaderView.ResizeMode.ResizeToContents,
            )

    def select_row(self, row: int) -> None:
        index = self.model().index(row, 0)
        self.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )

    def selected_row(self) -> int | None:
        rows = self.selectionModel().selectedRows()
        if rows:
            return rows[0].row()
        current = self.currentIndex()
        return current.row() if current.isValid() else None
