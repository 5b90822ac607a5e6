"""The right-hand «СПОСОБ ОПЛАТЫ» panel of the order screen: «Всего», «Предоплачено ранее»,
«К оплате» and the four payment buttons (F5…F8).

``PaymentPanel`` only builds and lays out the widgets; ``OrderScreen`` connects them, fills in
the amounts and sets the texts (``retranslate_ui``).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop_pos.models.payment import PaymentMethod
from desktop_pos.ui import theme
from desktop_pos.ui.order_fields import captioned_edit, error_label

PAYMENT_KEYS = {
    PaymentMethod.CASH: Qt.Key.Key_F5,
    PaymentMethod.CARD_READER: Qt.Key.Key_F6,
    PaymentMethod.SBP: Qt.Key.Key_F7,
    PaymentMethod.SOFTPOS: Qt.Key.Key_F8,
}
PAYMENT_BUTTON_NAMES = {
    PaymentMethod.CASH: "cashButton",
    PaymentMethod.CARD_READER: "cardReaderButton",
    PaymentMethod.SBP: "sbpButton",
    PaymentMethod.SOFTPOS: "softposButton",
}
PAYMENT_BUTTON_HEIGHT = 64
PAYMENT_PANEL_WIDTH = (340, 400)
"""Minimum and maximum width of the right-hand «СПОСОБ ОПЛАТЫ» panel."""


class PaymentPanel:
    """The panel's widgets, built and laid out in ``frame`` (object name ``paymentPanel``)."""

    def __init__(self) -> None:
        self.frame = QFrame()
        self.frame.setObjectName("paymentPanel")
        self.frame.setMinimumWidth(PAYMENT_PANEL_WIDTH[0])
        self.frame.setMaximumWidth(PAYMENT_PANEL_WIDTH[1])
        self.total_label = QLabel()
        self.total_value = QLabel()
        self.total_value.setObjectName("totalValue")
        self.prepaid_label: QLabel
        self.prepaid_edit: QLineEdit
        self.prepaid_label, self.prepaid_edit = captioned_edit("prepaidEdit", 32)
        self.prepaid_edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.prepaid_edit.setFixedWidth(130)
        self.prepaid_error = error_label("prepaidErrorLabel")
        self.due_label = QLabel()
        self.due_value = QLabel()
        self.due_value.setObjectName("dueValue")
        for value in (self.total_value, self.due_value):
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            theme.set_role(value, theme.ROLE_VALUE)
        self.due_label.setObjectName("orderDueLabel")  # sizes in style.qss
        theme.set_role(self.total_label, theme.ROLE_FIELD_LABEL)

        self.methods_title = QLabel()
        self.methods_title.setObjectName("paymentMethodsTitle")
        theme.set_role(self.methods_title, theme.ROLE_SECTION)
        self.method_buttons: dict[PaymentMethod, QPushButton] = {}
        for method, name in PAYMENT_BUTTON_NAMES.items():
            button = QPushButton()
            button.setObjectName(name)
            button.setMinimumHeight(PAYMENT_BUTTON_HEIGHT)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            # Light on the blue «Наличные», grey on the others.
            theme.add_key_hint(
                button,
                PAYMENT_KEYS[method],
                tone="light" if method is PaymentMethod.CASH else "muted",
            )
            self.method_buttons[method] = button
        theme.set_role(self.method_buttons[PaymentMethod.CASH], theme.ROLE_PRIMARY)
        self.methods_note = QLabel()
        self.methods_note.setObjectName("methodsNoteLabel")
        self.methods_note.setWordWrap(True)
        self.order_error_label = error_label("orderErrorLabel")
        self._lay_out()

    def _lay_out(self) -> None:
        totals = QVBoxLayout()  # one row each, so a long label never squeezes an amount
        totals.setSpacing(6)
        rows: tuple[tuple[QLabel | None, QWidget], ...] = (
            (self.total_label, self.total_value),
            (self.prepaid_label, self.prepaid_edit),
            (None, self.prepaid_error),
            (self.due_label, self.due_value),
        )
        for caption, shown in rows:
            if caption is None:
                totals.addWidget(shown)
                continue
            row = QHBoxLayout()
            row.setSpacing(theme.SPACING)
            row.addWidget(caption)
            row.addStretch(1)
            row.addWidget(shown)
            totals.addLayout(row)

        layout = QVBoxLayout(self.frame)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(theme.SPACING)
        layout.addLayout(totals)
        layout.addSpacing(theme.SPACING)
        layout.addWidget(self.methods_title)
        for button in self.method_buttons.values():
            layout.addWidget(button)
        layout.addWidget(self.order_error_label)
        layout.addWidget(self.methods_note)
        layout.addStretch(1)
