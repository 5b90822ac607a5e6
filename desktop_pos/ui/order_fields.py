"""Small widgets of the order screen: captioned line edits, error labels, item buttons, and the
locks an order handed over by the merchant's system puts on them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QWidget

from desktop_pos.ui import theme


def captioned_edit(name: str, max_length: int) -> tuple[QLabel, QLineEdit]:
    """A caption and its touch-sized line edit (the caption's mnemonic focuses the edit)."""
    label = QLabel()
    theme.set_role(label, theme.ROLE_FIELD_LABEL)
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setMaxLength(max_length)
    edit.setMinimumHeight(theme.INPUT_MIN_HEIGHT)
    label.setBuddy(edit)
    return label, edit


def error_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setVisible(False)
    theme.set_role(label, theme.ROLE_ERROR)
    return label


def item_button(name: str, key: Qt.Key) -> QPushButton:
    button = QPushButton()
    button.setObjectName(name)
    button.setMinimumHeight(theme.BUTTON_MIN_HEIGHT)
    button.setMinimumWidth(170)
    theme.add_key_hint(button, key)
    return button


def lock_quantity(dialog: QWidget) -> None:
    """An item may be edited but not its quantity (``allow_edit_item_quantity`` false)."""
    quantity = dialog.findChild(QLineEdit, "quantityEdit")
    if quantity is not None:
        quantity.setReadOnly(True)
        quantity.setEnabled(False)
