"""The order's items as a Qt table model, and the «Позиции заказа» table that shows it.

Columns: №, Наименование, «Кол-во × Цена = Сумма» (``2.000 x 1.82 = 3.64``), НДС. An item with
a discount shows it as a second line under its sum, as the Assist order data does
(``СКИДКА = 0.12``).

The model keeps its cells in Qt (``QStandardItemModel``, filled once per change of the items)
instead of answering ``data()`` from Python: fitting and painting the table read every cell for
several roles, hundreds of calls per «Новый заказ», and each call from Qt into Python has to take
the interpreter lock, which the sync worker's thread may hold for up to the switch interval.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum

from PySide6.QtCore import QItemSelectionModel, QObject, Qt
from PySide6.QtGui import QShowEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from desktop_pos.models.money import format_amount, format_quantity
from desktop_pos.models.order import OrderItem
from desktop_pos.models.texts import Language

ITEM_ROLE = int(Qt.ItemDataRole.UserRole.value) + 1
"""Role under which every cell returns its row's ``OrderItem``."""

_DISPLAY_ROLE = Qt.ItemDataRole.DisplayRole
_ACCESSIBLE_ROLE = Qt.ItemDataRole.AccessibleTextRole
_TOOLTIP_ROLE = Qt.ItemDataRole.ToolTipRole
_ALIGNMENT_ROLE = Qt.ItemDataRole.TextAlignmentRole
_RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)
_LEFT = int((Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter).value)
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class ItemColumn(IntEnum):
    NUMBER = 0
    NAME = 1
    AMOUNT = 2
    VAT = 3


_COLUMNS = tuple(ItemColumn)
_RIGHT_COLUMNS = frozenset({ItemColumn.NUMBER.value, ItemColumn.AMOUNT.value})


def amount_line(item: OrderItem) -> str:
    """``2.000 x 1.82 = 3.64``."""
    return (
        f"{format_quantity(item.quantity)} x {format_amount(item.price)}"
        f" = {format_amount(item.amount)}"
    )


class ItemsModel(QStandardItemModel):
    """Read-only view of a tuple of ``OrderItem``; the order screen replaces it on every edit."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(0, len(_COLUMNS), parent)
        self._items: tuple[OrderItem, ...] = ()
        self._language = Language.RU
        self._set_headers()

    def set_language(self, language: Language) -> None:
        """Show domain texts (VAT rates) in ``language``."""
        self._language = language
        self.retranslate()

    # -- content ----------------------------------------------------------------------------
    def set_items(self, items: Sequence[OrderItem]) -> None:
        """Replace the rows (one model reset)."""
        self._items = tuple(items)
        rows = [
            [self._cell(row, column, item) for column in _COLUMNS]
            for row, item in enumerate(self._items)
        ]
        self.beginResetModel()
        # The rows are replaced inside the reset: views re-read the whole model at its end, so
        # the row signals of the replacement would only make them do the work twice.
        blocked = self.blockSignals(True)
        try:
            self.setRowCount(0)
            for cells in rows:
                self.appendRow(cells)
        finally:
            self.blockSignals(blocked)
        self.endResetModel()

    def items(self) -> tuple[OrderItem, ...]:
        return self._items

    def item(self, row: int, column: int = 0) -> OrderItem:  # type: ignore[override]
        """The ``OrderItem`` shown in ``row``."""
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
        self._set_headers()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(_COLUMNS) - 1)
        root = self.invisibleRootItem()
        for row in range(len(self._items)):
            for column in (ItemColumn.AMOUNT, ItemColumn.VAT):
                cell = root.child(row, column)
                if cell is not None:
                    self._set_text(cell, self.cell_text(row, column))
        if self._items:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._items) - 1, len(_COLUMNS) - 1)
            )

    # -- cells --------------------------------------------------------------------------------
    def _set_headers(self) -> None:
        self.setHorizontalHeaderLabels(
            [
                self.tr("№"),
                self.tr("Наименование"),
                self.tr("Кол-во × Цена = Сумма"),
                self.tr("НДС"),
            ]
        )

    def _cell(self, row: int, column: ItemColumn, item: OrderItem) -> QStandardItem:
        cell = QStandardItem()
        cell.setFlags(_FLAGS)
        self._set_text(cell, self.cell_text(row, column))
        cell.setData(_RIGHT if column.value in _RIGHT_COLUMNS else _LEFT, _ALIGNMENT_ROLE)
        if column is ItemColumn.NAME:
            cell.setData(item.name, _TOOLTIP_ROLE)
        cell.setData(item, ITEM_ROLE)
        return cell

    @staticmethod
    def _set_text(cell: QStandardItem, text: str) -> None:
        cell.setData(text, _DISPLAY_ROLE)
        cell.setData(text, _ACCESSIBLE_ROLE)


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
