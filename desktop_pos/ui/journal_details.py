"""The journal's order details: the order, every payment attempt, receipt and outbox entry.

Shown from the journal with Enter (or «Подробнее»). Read-only: the tables can be walked with
the keyboard (Ctrl+Tab between the tabs), Esc closes.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_pos.models.money import format_amount, format_rub
from desktop_pos.models.payment import FiscalState, OrderState, PaymentMethod
from desktop_pos.models.response_codes import lookup_response_code
from desktop_pos.models.texts import Language
from desktop_pos.services.journal import JournalTone, OrderDetails
from desktop_pos.ui import theme
from desktop_pos.ui.journal_model import JournalModel, format_local

_TONE_STYLE = {
    JournalTone.PAID: theme.TONE_SUCCESS,
    JournalTone.IN_PROCESS: theme.TONE_PENDING,
    JournalTone.UNKNOWN: "",
    JournalTone.FAILED: theme.TONE_FAILURE,
}


def _parse_state(value: str) -> OrderState | None:
    try:
        return OrderState(value)
    except ValueError:
        return None


def _parse_fiscal(value: str) -> FiscalState | None:
    try:
        return FiscalState(value)
    except ValueError:
        return None


def _money(value: Decimal | None) -> str:
    return "" if value is None else format_amount(value)


def _text(value: object) -> str:
    return "" if value is None else str(value)


class JournalDetailsDialog(QDialog):
    """Details of one order; ``texts`` gives the journal's names of states."""

    def __init__(
        self,
        details: OrderDetails,
        texts: JournalModel,
        language: Language,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("journalDetailsDialog")
        self._details = details
        self._texts = texts
        self._language = Language(language)
        order = details.order
        self.setWindowTitle(self.tr("Заказ № {number}").format(number=order.number))

        header = QLabel(self.tr("ИНФОРМАЦИЯ О ЗАКАЗЕ"))
        theme.set_role(header, theme.ROLE_HEADER)

        form = QGridLayout()  # two columns of «caption: value» pairs, to leave room for tables
        form.setHorizontalSpacing(theme.SPACING * 2)
        form.setVerticalSpacing(4)
        state = QLabel(texts.state_text(order.state, order.state_text))
        state.setObjectName("detailsStateValue")
        theme.set_tone(state, _TONE_STYLE[order.tone])
        rows: list[tuple[str, QLabel | str, str]] = [
            (self.tr("Номер заказа:"), order.number, "detailsNumberValue"),
            (self.tr("Статус заказа:"), state, "detailsStateValue"),
            (self.tr("Статус в Ассист:"), order.state_text, "detailsAssistStateValue"),
            (self.tr("Дата и время:"), format_local(order.created_at), "detailsDateValue"),
            (self.tr("Оплачен:"), format_local(order.paid_at) or "—", "detailsPaidValue"),
            (self.tr("Сумма заказа:"), format_rub(order.total), "detailsTotalValue"),
            (self.tr("Предоплачено ранее:"), format_rub(details.prepaid), "detailsPrepaidValue"),
            (self.tr("К оплате:"), format_rub(order.due), "detailsDueValue"),
            (self.tr("Способ оплаты:"), self._method(order.method), "detailsMethodValue"),
            (self.tr("Номер в Ассист:"), order.billnumber or "—", "detailsBillnumberValue"),
            (self.tr("Фискальный чек:"), texts.fiscal_text(order.fiscal_state), "detailsFiscal"),
            (self.tr("E-mail покупателя:"), details.email or "—", "detailsEmailValue"),
            (self.tr("Телефон покупателя:"), details.phone or "—", "detailsPhoneValue"),
        ]
        if details.comment:
            rows.append((self.tr("Комментарий:"), details.comment, "detailsCommentValue"))
        per_column = (len(rows) + 1) // 2
        for position, (caption, value, name) in enumerate(rows):
            label = value if isinstance(value, QLabel) else QLabel(value)
            label.setObjectName(name)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            caption_label = QLabel(caption)
            theme.set_role(caption_label, theme.ROLE_FIELD_LABEL)
            row, pair = position % per_column, position // per_column
            form.addWidget(caption_label, row, pair * 2)
            form.addWidget(label, row, pair * 2 + 1)
        form.setColumnStretch(1, 1)
        form.setColumnStretch(3, 1)

        self._tabs = QTabWidget()
        self._tabs.setObjectName("detailsTabs")
        self.attempts_table = self._attempts_table()
        self.receipts_table = self._receipts_table()
        self.outbox_table = self._outbox_table()
        self._tabs.addTab(
            self.attempts_table,
            self.tr("Попытки оплаты ({count})").format(count=len(details.attempts)),
        )
        self._tabs.addTab(
            self.receipts_table, self.tr("Чеки ({count})").format(count=len(details.receipts))
        )
        self._tabs.addTab(
            self.outbox_table,
            self.tr("Очередь отправки ({count})").format(count=len(details.outbox)),
        )

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(self.tr("Закрыть"))
        close.setObjectName("detailsCloseButton")
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, theme.MARGIN)
        layout.addWidget(header)
        body = QVBoxLayout()
        body.setContentsMargins(theme.MARGIN, theme.SPACING, theme.MARGIN, 0)
        body.setSpacing(theme.SPACING)
        body.addLayout(form)
        body.addWidget(self._tabs, 1)
        body.addWidget(buttons)
        layout.addLayout(body, 1)
        self.resize(1180, 720)
        self.attempts_table.setFocus()

    def details(self) -> OrderDetails:
        return self._details

    def _method(self, method: PaymentMethod | str | None) -> str:
        if method is None:
            return "—"
        try:
            return PaymentMethod(method).button_text.get(self._language)
        except ValueError:
            return str(method)

    def _state(self, value: str) -> str:
        return self._texts.state_text(_parse_state(value), value)

    def _fiscal(self, value: str) -> str:
        parsed = _parse_fiscal(value)
        return value if parsed is None else self._texts.fiscal_text(parsed)

    def _response(self, code: str | None) -> str:
        if not code:
            return ""
        try:
            return f"{code} — {lookup_response_code(code).text.get(self._language)}"
        except ValueError:
            return code

    def _table(self, name: str, headers: list[str], rows: list[list[str]]) -> QTableWidget:
        table = QTableWidget(len(rows), len(headers))
        table.setObjectName(name)
        table.setHorizontalHeaderLabels(headers)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setTabKeyNavigation(False)  # Tab leaves the table, arrows move inside it
        table.verticalHeader().setVisible(False)
        table.setWordWrap(False)
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                table.setItem(r, c, item)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        if rows:
            table.selectRow(0)
        return table

    def _attempts_table(self) -> QTableWidget:
        headers = [
            self.tr("Создана"),
            self.tr("Способ"),
            self.tr("Статус"),
            self.tr("Сумма"),
            self.tr("Получено"),
            self.tr("Сдача"),
            self.tr("Номер транзакции"),
            self.tr("Номер в Ассист"),
            self.tr("Обновлена"),
            self.tr("Код ответа"),
        ]
        rows = [
            [
                format_local(a.created_at),
                self._method(a.method),
                self._state(a.state),
                format_amount(a.amount),
                _money(a.received),
                _money(a.change),
                a.transaction_number,
                a.billnumber or "",
                format_local(a.updated_at),
                self._response(a.response_code),
            ]
            for a in self._details.attempts
        ]
        return self._table("attemptsTable", headers, rows)

    def _receipts_table(self) -> QTableWidget:
        headers = [
            self.tr("Тип"),
            self.tr("Статус"),
            self.tr("ФН"),
            self.tr("ФД"),
            self.tr("ФП"),
            self.tr("Смена"),
            self.tr("Чек №"),
            self.tr("РН ККТ"),
            self.tr("Дата чека"),
            self.tr("Ошибка"),
        ]
        kinds = {"sell": self.tr("Приход"), "sell_refund": self.tr("Возврат прихода")}
        rows = [
            [
                kinds.get(r.kind, r.kind),
                self._fiscal(r.fiscal_state),
                r.fn or "",
                r.fd or "",
                r.fp or "",
                _text(r.shift_number),
                _text(r.receipt_number),
                r.kkt_reg_number or "",
                format_local(r.fiscal_datetime),
                r.error_text or "",
            ]
            for r in self._details.receipts
        ]
        return self._table("receiptsTable", headers, rows)

    def _outbox_table(self) -> QTableWidget:
        headers = [
            self.tr("Операция"),
            self.tr("Создана"),
            self.tr("Попыток"),
            self.tr("Следующая попытка"),
            self.tr("Выполнена"),
            self.tr("Последняя ошибка"),
        ]
        kinds = {
            "register_cash": self.tr("Передача оплаты наличными"),
            "fiscalize": self.tr("Фискализация"),
            "order_state": self.tr("Запрос статуса"),
        }
        rows = [
            [
                kinds.get(e.kind, e.kind),
                format_local(e.created_at),
                str(e.attempts),
                "" if e.done_at is not None else format_local(e.next_attempt_at),
                format_local(e.done_at) if e.done_at is not None else self.tr("Ожидает"),
                e.last_error or "",
            ]
            for e in self._details.outbox
        ]
        return self._table("outboxTable", headers, rows)
