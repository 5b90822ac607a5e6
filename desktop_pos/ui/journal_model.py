"""The journal's table model: orders fetched page by page from the store thread.

``JournalModel`` is a ``QAbstractTableModel`` that holds only the pages the view has asked for.
The view calls ``canFetchMore`` / ``fetchMore`` when it scrolls near the end; ``fetchMore`` starts
``services.journal.journal_page`` on the store thread (``StoreWorker.call``) and returns at once,
the rows are inserted when the page arrives. A new filter starts over from the first page; a page
that arrives for an older filter is dropped.

Colours are Assist mPOS's journal colours: green paid, yellow In Process, blue result unknown
(Offline cash not yet uploaded, New), red failed (Declined, Canceled, Timeout).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPixmap

from desktop_pos.models.errors import UserFacingError
from desktop_pos.models.money import format_amount
from desktop_pos.models.payment import FiscalState, OrderState
from desktop_pos.models.texts import Language
from desktop_pos.services.journal import (
    DEFAULT_PAGE_SIZE,
    JournalFilter,
    JournalPage,
    JournalRow,
    JournalTone,
    find_order,
    journal_page,
)
from desktop_pos.services.store_worker import StoreWorker
from desktop_pos.ui.tasks import run_task

log = logging.getLogger(__name__)

_Index = QModelIndex | QPersistentModelIndex

TONE_COLORS: dict[JournalTone, tuple[str, str]] = {
    # (marker colour, row tint); tints light enough for dark text to stay legible
    JournalTone.PAID: ("#2e7d32", "#e8f5e9"),
    JournalTone.IN_PROCESS: ("#f9a825", "#fff8d6"),
    JournalTone.UNKNOWN: ("#1565c0", "#e3f0fd"),
    JournalTone.FAILED: ("#c62828", "#fdecea"),
}

DATE_FORMAT = "%d.%m.%Y %H:%M:%S"


def format_local(moment: datetime | None) -> str:
    """A stored UTC moment as the counter's local time, ``dd.mm.yyyy hh:mm:ss``."""
    return "" if moment is None else moment.astimezone().strftime(DATE_FORMAT)


def tone_icon(tone: JournalTone, size: int = 16) -> QIcon:
    """A filled circle in the tone's colour (the journal's colour marker)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    color = QColor(TONE_COLORS[tone][0])
    painter.setPen(color.darker(130))
    painter.setBrush(color)
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return QIcon(pixmap)


class JournalModel(QAbstractTableModel):
    """Orders of the journal, newest first, fetched on demand."""

    COLUMN_DATE, COLUMN_NUMBER, COLUMN_AMOUNT, COLUMN_METHOD, COLUMN_STATE, COLUMN_FISCAL = range(6)
    COLUMN_COUNT = 6
    TONE_ROLE = Qt.ItemDataRole.UserRole + 1
    """The row's ``JournalTone`` (for tests and delegates)."""
    ROW_ROLE = Qt.ItemDataRole.UserRole + 2
    """The row's ``JournalRow``."""

    loading_changed = Signal(bool)
    page_loaded = Signal(int)
    """A page arrived; the argument is the number of rows held now."""
    load_failed = Signal(object)
    """A ``UserFacingError`` from the store (shown by the window)."""

    def __init__(
        self,
        store: StoreWorker,
        *,
        language: Language = Language.RU,
        page_size: int = DEFAULT_PAGE_SIZE,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._language = Language(language)
        self._page_size = page_size
        self._filter = JournalFilter()
        self._rows: list[JournalRow] = []
        self._page: JournalPage | None = None
        """The last page loaded (None before the first one arrives)."""
        self._generation = 0
        self._loading = False
        self._icons = {tone: tone_icon(tone) for tone in JournalTone}
        self._tints = {tone: QBrush(QColor(TONE_COLORS[tone][1])) for tone in JournalTone}

    # -- state ------------------------------------------------------------------------------
    def journal_filter(self) -> JournalFilter:
        return self._filter

    def is_loading(self) -> bool:
        return self._loading

    def has_more(self) -> bool:
        """More rows exist beyond those held (or the first page has not arrived yet)."""
        return self._page is None or self._page.next_cursor is not None

    def row_at(self, row: int) -> JournalRow:
        return self._rows[row]

    def row_of(self, number: str) -> int | None:
        for position, row in enumerate(self._rows):
            if row.number == number:
                return position
        return None

    def set_language(self, language: Language) -> None:
        self._language = Language(language)
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.COLUMN_COUNT - 1)
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, self.COLUMN_COUNT - 1)
            )

    # -- loading ----------------------------------------------------------------------------
    def set_filter(self, flt: JournalFilter) -> None:
        """Show the orders matching ``flt``, starting again from the first page."""
        self._filter = flt
        self.reload()

    def reload(self) -> None:
        """Drop the rows held and fetch the first page again."""
        self._generation += 1
        self.beginResetModel()
        self._rows = []
        self._page = None
        self.endResetModel()
        self._set_loading(False)
        self._fetch_page()

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._loading and self.has_more()

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self._fetch_page()

    def _fetch_page(self) -> None:
        after = None if self._page is None else self._page.next_cursor
        if self._page is not None and after is None:
            return
        generation = self._generation
        self._set_loading(True)
        run_task(
            self._store.call(journal_page, self._filter, after=after, limit=self._page_size),
            on_success=lambda page: self._on_page(generation, page),
            on_error=lambda error: self._on_error(generation, error),
        ).add_done_callback(lambda _task: self._on_fetch_done(generation))

    def _on_page(self, generation: int, page: JournalPage) -> None:
        if not shiboken6.isValid(self) or generation != self._generation:
            return
        self._set_loading(False)  # before the insert: the view may ask for more right away
        self._page = page
        if page.rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
            self._rows.extend(page.rows)
            self.endInsertRows()
        log.debug("journal: %d rows held, more: %s", len(self._rows), self.has_more())
        self.page_loaded.emit(len(self._rows))

    def _on_error(self, generation: int, error: BaseException) -> None:
        if not shiboken6.isValid(self) or generation != self._generation:
            return
        self._set_loading(False)
        self._report(generation, error)

    def _report(self, generation: int, error: BaseException) -> None:
        if not shiboken6.isValid(self) or generation != self._generation:
            return
        if isinstance(error, UserFacingError):
            self.load_failed.emit(error)

    def _on_fetch_done(self, generation: int) -> None:
        # Also after a cancelled task or a bug reported by run_task: never stay "loading".
        if shiboken6.isValid(self) and generation == self._generation:
            self._set_loading(False)

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loading_changed.emit(loading)

    def refresh_order(self, number: str) -> None:
        """Read one order again (its state changed) and update its row if it is shown."""
        if self.row_of(number) is None:
            return
        generation = self._generation
        run_task(
            self._store.call(find_order, number),
            on_success=lambda row: self._on_order_refreshed(generation, number, row),
            on_error=lambda error: self._report(generation, error),
        )

    def _on_order_refreshed(self, generation: int, number: str, row: JournalRow | None) -> None:
        if not shiboken6.isValid(self) or generation != self._generation or row is None:
            return
        position = self.row_of(number)
        if position is None:
            return
        self._rows[position] = row
        self.dataChanged.emit(self.index(position, 0), self.index(position, self.COLUMN_COUNT - 1))

    # -- the table --------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return self._headers()[section] if 0 <= section < self.COLUMN_COUNT else None

    def _headers(self) -> list[str]:
        return [
            self.tr("Дата и время"),
            self.tr("Номер заказа"),
            self.tr("Сумма, руб."),
            self.tr("Способ оплаты"),
            self.tr("Статус заказа"),
            self.tr("Фискальный чек"),
        ]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._tints[row.tone]
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor("#1a1a1a"))
        if role == Qt.ItemDataRole.DecorationRole and column == self.COLUMN_STATE:
            return self._icons[row.tone]
        if role == Qt.ItemDataRole.ToolTipRole and column == self.COLUMN_STATE:
            tip = self.tr("Статус в Ассист: {state}").format(state=row.state_text)
            if row.refund_flagged:
                tip += "\n" + self.tr(
                    "Заказ оплачен дважды: поздний платеж СБП/SoftPOS нужно вернуть покупателю."
                )
            return tip
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.COLUMN_AMOUNT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == self.TONE_ROLE:
            return row.tone
        if role == self.ROW_ROLE:
            return row
        return None

    def _display(self, row: JournalRow, column: int) -> str:
        if column == self.COLUMN_DATE:
            return format_local(row.created_at)
        if column == self.COLUMN_NUMBER:
            return row.number
        if column == self.COLUMN_AMOUNT:
            return format_amount(row.total)
        if column == self.COLUMN_METHOD:
            return "—" if row.method is None else row.method.button_text.get(self._language)
        if column == self.COLUMN_STATE:
            text = self.state_text(row.state, row.state_text)
            return text + " · " + self.tr("К возврату") if row.refund_flagged else text
        if column == self.COLUMN_FISCAL:
            return self.fiscal_text(row.fiscal_state)
        return ""

    def state_text(self, state: OrderState | None, stored: str = "") -> str:
        """The journal's name of a state (Offline cash is «Оплачен OFFLINE», as in the guide)."""
        texts = {
            OrderState.NEW: self.tr("Новый"),
            OrderState.OFFLINE: self.tr("Оплачен OFFLINE"),
            OrderState.IN_PROCESS: self.tr("В процессе"),
            OrderState.APPROVED: self.tr("Оплачен"),
            OrderState.DECLINED: self.tr("Отклонен"),
            OrderState.CANCELED: self.tr("Отменен"),
            OrderState.PARTIAL_CANCELED: self.tr("Частично отменен"),
            OrderState.TIMEOUT: self.tr("Истекло время ожидания"),
        }
        if state is None:
            return self.tr("Неизвестно ({state})").format(state=stored)
        return texts[state]

    def fiscal_text(self, state: FiscalState | None) -> str:
        texts = {
            FiscalState.NEW: self.tr("Ожидает отправки"),
            FiscalState.SUCCESS: self.tr("Сформирован"),
            FiscalState.ERROR: self.tr("Ошибка"),
            FiscalState.ERROR_RE: self.tr("Ошибка, повтор"),
            FiscalState.CREATE_ERROR: self.tr("Не создан"),
            FiscalState.NOT_NEEDED: self.tr("Не требуется"),
        }
        return "—" if state is None else texts[state]
