"""The on-screen numeric keypad of the Assist mPOS change dialog.

Digits 1–9 and 0, the separators '.' and ',', ⌫ (delete the character left of the cursor),
✗ (red: cancel) and ✓ (green: confirm)::

    1  2  3  ⌫
    4  5  6  ✗
    7  8  9  ✓
    ,  0  .  ✓

The keys never take keyboard focus, so the physical keyboard keeps typing into the input field
the keypad serves; the keypad only emits signals and the owner decides what they do.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QGridLayout, QPushButton, QSizePolicy, QWidget

from desktop_pos.ui import theme

_DIGIT_ROWS = (("1", "2", "3"), ("4", "5", "6"), ("7", "8", "9"), (",", "0", "."))
_KEY_NAMES = {",": "key_comma", ".": "key_dot"}


def _key_name(text: str) -> str:
    return _KEY_NAMES.get(text, f"key_{text}")


class NumericKeypad(QWidget):
    """Digits, separators, ⌫, ✗ and ✓ as touch-sized buttons that emit signals."""

    text_key = Signal(str)
    """A digit, '.' or ',' was pressed."""
    backspace = Signal()
    confirmed = Signal()
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("numericKeypad")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(theme.SPACING // 2 + 2)

        self._text_keys: dict[str, QPushButton] = {}
        for row, texts in enumerate(_DIGIT_ROWS):
            for column, text in enumerate(texts):
                button = self._make_key(_key_name(text), theme.ROLE_KEY)
                button.setText(text)
                button.clicked.connect(lambda _checked=False, t=text: self.text_key.emit(t))
                grid.addWidget(button, row, column)
                self._text_keys[text] = button

        self._backspace_key = self._make_key("key_backspace", theme.ROLE_KEY)
        self._backspace_key.setText("⌫")
        self._backspace_key.setAutoRepeat(True)  # held down, it keeps deleting
        self._backspace_key.clicked.connect(self.backspace)
        grid.addWidget(self._backspace_key, 0, 3)

        self._cancel_key = self._make_key("key_cancel", theme.ROLE_CANCEL)
        self._cancel_key.setText("✗")
        self._cancel_key.clicked.connect(self.cancelled)
        grid.addWidget(self._cancel_key, 1, 3)

        self._confirm_key = self._make_key("key_confirm", theme.ROLE_CONFIRM)
        self._confirm_key.setText("✓")
        self._confirm_key.clicked.connect(self.confirmed)
        grid.addWidget(self._confirm_key, 2, 3, 2, 1)

        self.retranslate_ui()

    def _make_key(self, name: str, role: str) -> QPushButton:
        button = QPushButton(self)
        button.setObjectName(name)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setAutoDefault(False)  # Enter in a dialog must not press a keypad key
        button.setDefault(False)
        button.setMinimumSize(theme.KEYPAD_KEY_WIDTH, theme.KEYPAD_KEY_HEIGHT)
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        theme.set_role(button, role)
        return button

    # -- public API ---------------------------------------------------------------------------
    def set_confirm_enabled(self, enabled: bool) -> None:
        """Enable ✓ only while what was typed can be confirmed."""
        self._confirm_key.setEnabled(enabled)

    def is_confirm_enabled(self) -> bool:
        return self._confirm_key.isEnabled()

    # -- texts ---------------------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        self._backspace_key.setToolTip(self.tr("Стереть (Backspace)"))
        self._backspace_key.setAccessibleName(self.tr("Стереть"))
        self._cancel_key.setToolTip(self.tr("Отмена (Esc)"))
        self._cancel_key.setAccessibleName(self.tr("Отмена"))
        self._confirm_key.setToolTip(self.tr("Подтвердить (Enter)"))
        self._confirm_key.setAccessibleName(self.tr("Подтвердить"))
        self._text_keys[","].setAccessibleName(self.tr("Запятая"))
        self._text_keys["."].setAccessibleName(self.tr("Точка"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
