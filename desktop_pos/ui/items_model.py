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
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from desktop_pos.models.money import format_amount, format_quantity
from desktop_pos.models.order import OrderItem
from desktop_pos.models.texts import Language

ITEM_ROLE = int(Qt.ItemDataRole.UserRole.value) + 1
"""Role under which every cell returns its row's ``OrderItem``."""

_Index = QModelIndex | QPersistentModelIndex

_TEXT_ROLES = frozenset(
    {int(Qt.ItemDataRole.DisplayRole.value), int(Qt.ItemDataRole.AccessibleTextRole.value)}
)
_TOOLTIP_ROLE = int(Qt.ItemDataRole.ToolTipRole.value)
_ALIGNMENT_ROLE = int(Qt.ItemDataRole.TextAlignmentRole.value)
_RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)
_LEFT = int((Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter).value)


class ItemColumn(IntEnum):
    NUMBER = 0
    NAME = 1
    AMOUNT = 2
    VAT = 3


_RIGHT_COLUMNS = frozenset({ItemColumn.NUMBER.value, ItemColumn.AMOUNT.value})


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
        # Called for every cell and role on each layout pass: plain int comparisons only.
        row = index.row()
        if not 0 <= row < len(self._items) or not index.isValid():
            return None
        role = int(role)
        if role in _TEXT_ROLES:
            return self.cell_text(row, ItemColumn(index.column()))
        if role == _ALIGNMENT_ROLE:
            return _RIGHT if index.column() in _RIGHT_COLUMNS else _LEFT
        if role == _TOOLTIP_ROLE and index.column() == ItemColumn.NAME:
            return self._items[row].name
        if role == ITEM_ROLE:
            return self._items[row]
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
    Column widths and row heights are fitted to the contents when the items change
    (``fit_to_contents``) and row heights again when the name column changes width, not on every
    layout pass: automatic resize modes would read every cell at each restyle and resize.
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
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.horizontalHeader()
        for column in ItemColumn:
            header.setSectionResizeMode(
                column,
                QHeaderView.ResizeMode.Stretch
                if column is ItemColumn.NAME
                else QHeaderView.ResizeMode.Fixed,
            )
        header.sectionResized.connect(self._on_section_resized)
        self._fitted = False

    def fit_to_contents(self) -> None:
        """Size the columns and rows to the items (done at once if shown, else at the show)."""
        self._fitted = False
        if self.isVisible():
            self._fit()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._fitted:
            self._fit()

    def _fit(self) -> None:
        self._fitted = True
        for column in ItemColumn:
            if column is not ItemColumn.NAME:
                self.resizeColumnToContents(column)
        self.resizeRowsToContents()

    def _on_section_resized(self, section: int, _old: int, _new: int) -> None:
        if section == ItemColumn.NAME and self._fitted:
            self.resizeRowsToContents()  # wrapped names need other heights

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
