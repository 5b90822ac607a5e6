"""«Журнал заказов»: every order with its money state, colour-marked as in Assist mPOS.

Opened from the main window (F9). Filters by period, state and payment method and a search by
order number (exact or its beginning) narrow the list; the list is fetched page by page on the
store thread (``JournalModel``), so it opens at once even over a million orders. Enter opens the
details of the selected order (every attempt, receipt and outbox entry); F5 «Обновить статус» asks
the gateway about the selected order; Ctrl+R «Синхронизировать» wakes the sync worker.

Keyboard: Ctrl+F search, ↓ from the search into the list, Tab through the filters, Esc closes.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import date, datetime
from typing import Any

import shiboken6
from PySide6.QtCore import QDate, QEvent, QModelIndex, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_pos.models.errors import UserFacingError
from desktop_pos.models.payment import OrderState, PaymentMethod
from desktop_pos.models.texts import Language
from desktop_pos.services.events import OrderStateChanged, SyncStatusChanged
from desktop_pos.services.journal import (
    DEFAULT_PAGE_SIZE,
    JournalFilter,
    JournalRow,
    JournalTone,
    OrderDetails,
    order_details,
    pending_count,
)
from desktop_pos.services.store_worker import StoreWorker
from desktop_pos.ui import theme
from desktop_pos.ui.event_bridge import EventBridge
from desktop_pos.ui.journal_details import JournalDetailsDialog
from desktop_pos.ui.journal_filters import (
    PERIOD_3_DAYS,
    PERIOD_ALL,
    PERIOD_DATE,
    PERIOD_MONTH,
    PERIOD_TODAY,
    PERIOD_WEEK,
    STATES_ALL,
    STATES_FAILED,
    STATES_REFUND,
    STATES_TO_SYNC,
    filter_of,
)
from desktop_pos.ui.journal_model import JournalModel, tone_icon
from desktop_pos.ui.tasks import run_task

log = logging.getLogger(__name__)

OrderStateQuery = Callable[[str], Awaitable[Sequence[Any]]]
"""``AsyncGatewayClient.order_state``: the gateway's attempts of an order (``OperationState``)."""

SEARCH_DELAY_MS = 300


def _local_now() -> datetime:
    return datetime.now().astimezone()


class JournalWindow(QDialog):
    """The order journal. ``sync_now`` and ``order_state`` are optional (no gateway set up)."""

    def __init__(
        self,
        store: StoreWorker,
        *,
        language: Language = Language.RU,
        bridge: EventBridge | None = None,
        sync_now: Callable[[], None] | None = None,
        order_state: OrderStateQuery | None = None,
        clock: Callable[[], datetime] = _local_now,
        page_size: int = DEFAULT_PAGE_SIZE,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("journalWindow")
        self.setWindowFlag(Qt.WindowType.Window, True)  # its own window, not a modal box
        self._store = store
        self._language = Language(language)
        self._sync_now = sync_now
        self._order_state = order_state
        self._clock = clock
        self._details_dialog: JournalDetailsDialog | None = None
        self._pending: int | None = None
        self._online: bool | None = None

        self._model = JournalModel(store, language=self._language, page_size=page_size, parent=self)
        self._build()
        self._connect(bridge)
        self.resize(1280, 800)
        self.retranslate_ui()
        self._apply_filter()
        self._load_pending_count()
        self._search.setFocus()

    # -- construction -----------------------------------------------------------------------
    def _build(self) -> None:
        self._header = QLabel()
        self._header.setObjectName("journalHeader")
        theme.set_role(self._header, theme.ROLE_HEADER)

        self._search = QLineEdit()
        self._search.setObjectName("journalSearchEdit")
        self._search.setClearButtonEnabled(True)
        self._search.setMaxLength(128)
        self._search.setMinimumWidth(300)
        self._search.installEventFilter(self)
        self._search_label = QLabel()
        self._search_label.setBuddy(self._search)
        self._period = QComboBox()
        self._period.setObjectName("journalPeriodCombo")
        self._period_label = QLabel()
        self._period_label.setBuddy(self._period)
        self._date = QDateEdit()
        self._date.setObjectName("journalDateEdit")
        self._date.setCalendarPopup(True)
        self._date.setDisplayFormat("dd.MM.yyyy")
        self._date.setDate(QDate.currentDate())
        self._date.setVisible(False)  # only for «За дату…»
        self._state = QComboBox()
        self._state.setObjectName("journalStateCombo")
        self._state_label = QLabel()
        self._state_label.setBuddy(self._state)
        self._method = QComboBox()
        self._method.setObjectName("journalMethodCombo")
        self._method_label = QLabel()
        self._method_label.setBuddy(self._method)

        filters = QHBoxLayout()
        filters.setSpacing(theme.SPACING // 2)
        filters.addWidget(self._search_label)
        filters.addWidget(self._search, 3)
        filters.addSpacing(theme.SPACING)
        filters.addWidget(self._period_label)
        filters.addWidget(self._period, 2)
        filters.addWidget(self._date, 1)
        filters.addSpacing(theme.SPACING)
        filters.addWidget(self._state_label)
        filters.addWidget(self._state, 3)
        filters.addSpacing(theme.SPACING)
        filters.addWidget(self._method_label)
        filters.addWidget(self._method, 2)

        self._table = QTableView()
        self._table.setObjectName("journalTable")
        self._table.setModel(self._model)
        self._table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self._table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._table.setTabKeyNavigation(False)
        self._table.setWordWrap(False)
        self._table.verticalHeader().setVisible(False)
        self._table.verticalHeader().setDefaultSectionSize(38)
        header = self._table.horizontalHeader()
        header.setHighlightSections(False)
        widths = {
            JournalModel.COLUMN_DATE: 190,
            JournalModel.COLUMN_NUMBER: 260,
            JournalModel.COLUMN_AMOUNT: 130,
            JournalModel.COLUMN_METHOD: 150,
            JournalModel.COLUMN_STATE: 300,
        }
        for column, width in widths.items():
            header.resizeSection(column, width)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)

        self._legend = QHBoxLayout()
        self._legend_labels: dict[JournalTone, QLabel] = {}
        for tone in JournalTone:
            icon = QLabel()
            icon.setPixmap(tone_icon(tone, 18).pixmap(18, 18))
            text = QLabel()
            text.setObjectName(f"legend_{tone.value}")
            self._legend_labels[tone] = text
            self._legend.addWidget(icon)
            self._legend.addWidget(text)
            self._legend.addSpacing(theme.SPACING)
        self._legend.addStretch(1)
        self._count_label = QLabel()
        self._count_label.setObjectName("journalCountLabel")
        self._legend.addWidget(self._count_label)
        self._legend.addSpacing(theme.SPACING * 2)
        self._pending_label = QLabel()
        self._pending_label.setObjectName("journalPendingLabel")
        self._legend.addWidget(self._pending_label)

        self._message = QLabel()
        self._message.setObjectName("journalMessageLabel")
        self._message.setWordWrap(True)

        self._details_button = QPushButton()
        self._details_button.setObjectName("journalDetailsButton")
        self._refresh_button = QPushButton()
        self._refresh_button.setObjectName("journalRefreshButton")
        self._sync_button = QPushButton()
        self._sync_button.setObjectName("journalSyncButton")
        self._sync_button.setEnabled(self._sync_now is not None)
        self._close_button = QPushButton()
        self._close_button.setObjectName("journalCloseButton")
        theme.set_role(self._details_button, theme.ROLE_PRIMARY)
        for button in (self._details_button, self._refresh_button, self._sync_button):
            button.setAutoDefault(False)
        self._close_button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.setSpacing(theme.SPACING)
        buttons.addWidget(self._details_button)
        buttons.addWidget(self._refresh_button)
        buttons.addWidget(self._sync_button)
        buttons.addStretch(1)
        buttons.addWidget(self._close_button)

        body = QVBoxLayout()
        body.setContentsMargins(theme.MARGIN, theme.SPACING, theme.MARGIN, theme.MARGIN)
        body.setSpacing(theme.SPACING)
        body.addLayout(filters)
        body.addWidget(self._table, 1)
        body.addLayout(self._legend)
        body.addWidget(self._message)
        body.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._header)
        layout.addLayout(body, 1)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)

    def _connect(self, bridge: EventBridge | None) -> None:
        self._search.textChanged.connect(lambda _text: self._search_timer.start())
        self._search.returnPressed.connect(self._apply_filter_now)
        self._search_timer.timeout.connect(self._apply_filter)
        self._period.currentIndexChanged.connect(lambda _i: self._on_period_changed())
        self._date.dateChanged.connect(lambda _d: self._apply_filter())
        self._state.currentIndexChanged.connect(lambda _i: self._apply_filter())
        self._method.currentIndexChanged.connect(lambda _i: self._apply_filter())
        self._table.activated.connect(lambda _index: self.show_details())
        self._details_button.clicked.connect(self.show_details)
        self._refresh_button.clicked.connect(self.refresh_status)
        self._sync_button.clicked.connect(self.sync_now)
        self._close_button.clicked.connect(self.close)
        self._model.page_loaded.connect(lambda _rows: self._on_page_loaded())
        self._model.loading_changed.connect(lambda _loading: self._update_count())
        self._model.load_failed.connect(self._show_error)

        shortcuts = (
            (QKeySequence.StandardKey.Find, self._focus_search),
            (QKeySequence(Qt.Key.Key_F5), self.refresh_status),
            (QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_R), self.sync_now),
        )
        for key, slot in shortcuts:
            shortcut = QShortcut(key, self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)

        if bridge is not None:
            bridge.order_state_changed.connect(self._on_order_state_changed)
            bridge.sync_status_changed.connect(self._on_sync_status)

    # -- texts ------------------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Журнал заказов"))
        self._header.setText(self.tr("ЖУРНАЛ ЗАКАЗОВ"))
        self._search_label.setText(self.tr("&Поиск:"))
        self._search.setPlaceholderText(self.tr("Номер заказа или его начало"))
        self._period_label.setText(self.tr("П&ериод:"))
        self._state_label.setText(self.tr("&Статус:"))
        self._method_label.setText(self.tr("Спос&об:"))
        self._fill_combo(
            self._period,
            [
                (self.tr("За всё время"), PERIOD_ALL),
                (self.tr("Сегодня"), PERIOD_TODAY),
                (self.tr("За 3 дня"), PERIOD_3_DAYS),
                (self.tr("За неделю"), PERIOD_WEEK),
                (self.tr("За 30 дней"), PERIOD_MONTH),
                (self.tr("За дату…"), PERIOD_DATE),
            ],
        )
        states: list[tuple[str, Any]] = [
            (self.tr("Все статусы"), STATES_ALL),
            (self.tr("Не переданы и в процессе"), STATES_TO_SYNC),
            (self.tr("Неуспешные"), STATES_FAILED),
            (self.tr("К возврату (оплачены дважды)"), STATES_REFUND),
        ]
        states += [(self._model.state_text(state), state.value) for state in OrderState]
        self._fill_combo(self._state, states)
        methods: list[tuple[str, Any]] = [(self.tr("Все способы"), "")]
        methods += [(m.button_text.get(self._language), m.value) for m in PaymentMethod]
        self._fill_combo(self._method, methods)
        legend = {
            JournalTone.PAID: self.tr("оплачен"),
            JournalTone.IN_PROCESS: self.tr("в процессе"),
            JournalTone.UNKNOWN: self.tr("результат неизвестен"),
            JournalTone.FAILED: self.tr("не оплачен"),
        }
        for tone, label in self._legend_labels.items():
            label.setText(legend[tone])
        self._details_button.setText(self.tr("Подробнее (Enter)"))
        self._refresh_button.setText(self.tr("Обновить статус (F5)"))
        self._sync_button.setText(self.tr("Синхронизировать (Ctrl+R)"))
        self._sync_button.setToolTip(
            self.tr("Отправить в Ассист все ожидающие операции сейчас")
            if self._sync_now is not None
            else self.tr("Связь с Ассист не настроена")
        )
        self._close_button.setText(self.tr("Закрыть (Esc)"))
        self._update_count()
        self._update_pending()

    def _fill_combo(self, combo: QComboBox, entries: list[tuple[str, Any]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        for text, data in entries:
            combo.addItem(text, data)
        position = combo.findData(current) if current is not None else 0
        combo.setCurrentIndex(max(position, 0))
        combo.blockSignals(False)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def set_language(self, language: Language) -> None:
        self._language = Language(language)
        self._model.set_language(self._language)
        self.retranslate_ui()

    # -- public API -------------------------------------------------------------------------
    @property
    def model(self) -> JournalModel:
        return self._model

    @property
    def table(self) -> QTableView:
        return self._table

    def current_filter(self) -> JournalFilter:
        return self._model.journal_filter()

    def current_details_dialog(self) -> JournalDetailsDialog | None:
        return self._details_dialog

    def selected_row(self) -> JournalRow | None:
        index = self._table.currentIndex()
        if not index.isValid():
            return None
        return self._model.row_at(index.row())

    def message(self) -> str:
        return self._message.text()

    # -- filters ----------------------------------------------------------------------------
    def _on_period_changed(self) -> None:
        by_date = self._period.currentData() == PERIOD_DATE
        self._date.setVisible(by_date)
        if by_date:
            self._date.setFocus()
        self._apply_filter()

    def _apply_filter_now(self) -> None:
        self._search_timer.stop()
        self._apply_filter()
        self._table.setFocus()

    def _build_filter(self) -> JournalFilter:
        picked = self._date.date()
        return filter_of(
            period=self._period.currentData(),
            day=date(picked.year(), picked.month(), picked.day()),
            now=self._clock(),
            state_key=self._state.currentData(),
            method=self._method.currentData(),
            number=self._search.text(),
        )

    def _apply_filter(self) -> None:
        self._search_timer.stop()
        flt = self._build_filter()
        if flt == self._model.journal_filter() and self._model.rowCount() > 0:
            return
        self._message.clear()
        self._model.set_filter(flt)
        self._update_count()

    def _on_page_loaded(self) -> None:
        if not self._table.currentIndex().isValid() and self._model.rowCount() > 0:
            self._table.setCurrentIndex(self._model.index(0, 0))
        self._update_count()

    def _update_count(self) -> None:
        rows = self._model.rowCount()
        if self._model.is_loading() and rows == 0:
            text = self.tr("Загрузка…")
        elif rows == 0:
            text = self.tr("Заказов не найдено")
        elif self._model.has_more():
            text = self.tr("Показано заказов: {count} (прокрутите вниз, чтобы увидеть ещё)").format(
                count=rows
            )
        else:
            text = self.tr("Показано заказов: {count}").format(count=rows)
        self._count_label.setText(text)

    # -- pending count and sync -------------------------------------------------------------
    def _load_pending_count(self) -> None:
        run_task(
            self._store.call(pending_count),
            on_success=self._set_pending,
            on_error=self._show_error,
        )

    def _set_pending(self, count: int) -> None:
        if shiboken6.isValid(self):
            self._pending = count
            self._update_pending()

    def _on_sync_status(self, status: SyncStatusChanged) -> None:
        self._online = status.online
        self._set_pending(status.pending)

    def _update_pending(self) -> None:
        count = "…" if self._pending is None else str(self._pending)
        text = self.tr("К отправке: {count}").format(count=count)
        if self._online is False:
            text += " · " + self.tr("Нет связи")
        self._pending_label.setText(text)

    def sync_now(self) -> None:
        """«Синхронизировать»: wake the sync worker now."""
        if self._sync_now is None:
            self._message.setText(self.tr("Связь с Ассист не настроена: синхронизация невозможна."))
            return
        self._sync_now()
        self._message.setText(
            self.tr("Синхронизация запущена. Журнал обновится, когда придут ответы Ассист.")
        )

    def refresh_status(self) -> None:
        """«Обновить статус»: ask the gateway about the selected order and show the answer."""
        row = self.selected_row()
        if row is None:
            self._message.setText(self.tr("Выберите заказ в списке."))
            return
        number = row.number
        if self._order_state is not None:
            self._message.setText(
                self.tr("Запрос статуса заказа № {number}…").format(number=number)
            )
            run_task(
                self._order_state(number),
                on_success=lambda states: self._on_gateway_state(number, states),
                on_error=self._show_error,
                busy=self._refresh_button,
            )
        elif self._sync_now is not None:
            self._sync_now()
            self._message.setText(
                self.tr(
                    "Запрос статуса заказа № {number} отправлен. Строка обновится, когда придет "
                    "ответ Ассист."
                ).format(number=number)
            )
        else:
            self._message.setText(
                self.tr("Связь с Ассист не настроена: показан сохраненный статус.")
            )
        self._model.refresh_order(number)

    def _on_gateway_state(self, number: str, states: Sequence[Any]) -> None:
        if not shiboken6.isValid(self):
            return
        if not states:
            self._message.setText(
                self.tr(
                    "В Ассист нет заказа № {number}: он еще не передан. Операция будет "
                    "завершена при синхронизации."
                ).format(number=number)
            )
        else:
            newest = states[-1]
            state = newest.state
            state_text = self._model.state_text(
                state if isinstance(state, OrderState) else None, str(state)
            )
            self._message.setText(
                self.tr("Ассист: заказ № {number} — {state} ({code}).").format(
                    number=number, state=state_text, code=newest.response_code
                )
            )
        if self._sync_now is not None:
            self._sync_now()  # the worker records what the gateway said
        self._model.refresh_order(number)

    def _on_order_state_changed(self, event: OrderStateChanged) -> None:
        self._model.refresh_order(event.order_number)

    def _show_error(self, error: BaseException) -> None:
        if shiboken6.isValid(self) and isinstance(error, UserFacingError):
            self._message.setText(error.text.get(self._language))

    # -- details ----------------------------------------------------------------------------
    def show_details(self) -> None:
        """Load the selected order's details on the store thread and open them."""
        row = self.selected_row()
        if row is None or self._details_dialog is not None:
            return
        run_task(
            self._store.call(order_details, row.number),
            on_success=self._open_details,
            on_error=self._show_error,
            busy=self._details_button,
        )

    def _open_details(self, details: OrderDetails | None) -> None:
        if not shiboken6.isValid(self) or self._details_dialog is not None:
            return
        if details is None:
            self._message.setText(self.tr("Заказ не найден: возможно, он удален."))
            return
        dialog = JournalDetailsDialog(details, self._model, self._language, self)
        dialog.finished.connect(lambda _result: self._on_details_closed(dialog))
        self._details_dialog = dialog
        dialog.open()

    def _on_details_closed(self, dialog: JournalDetailsDialog) -> None:
        self._details_dialog = None
        dialog.deleteLater()
        self._table.setFocus()

    # -- keyboard ---------------------------------------------------------------------------
    def _focus_search(self) -> None:
        self._search.setFocus()
        self._search.selectAll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self._search
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
        ):
            self._table.setFocus()
            if not self._table.currentIndex().isValid() and self._model.rowCount():
                self._table.setCurrentIndex(self._model.index(0, 0))
            return True
        return super().eventFilter(watched, event)

    def current_index(self) -> QModelIndex:
        return self._table.currentIndex()
