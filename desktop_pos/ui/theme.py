"""The counter look shared by every screen: sizes, colours, roles and the application style sheet.

Colours and fonts live in ``resources/style.qss``; widgets only say what they are for, through
their objectName or a ``role`` property (``set_role(button, ROLE_CONFIRM)``), and the sheet styles
them. Geometry that must hold even without the sheet (touch-sized controls) is set in code from
the constants here.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import (
    QColor,
    QIcon,
    QKeySequence,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QPushButton, QWidget

log = logging.getLogger(__name__)

STYLE_SHEET_PATH = Path(__file__).resolve().parents[2] / "resources" / "style.qss"

# -- sizes (points for fonts, pixels for geometry) ------------------------------------------
BASE_POINT_SIZE = 13
"""Body text; the style sheet's ``QWidget { font-size: 13pt; }`` matches it."""
HEADER_POINT_SIZE = 18
AMOUNT_POINT_SIZE = 22
"""The large amounts of the change dialog (Получено, Сдача)."""
BUTTON_MIN_HEIGHT = 48
"""Touch-sized buttons and inputs (at least 44 px)."""
INPUT_MIN_HEIGHT = 48
KEYPAD_KEY_WIDTH = 96
KEYPAD_KEY_HEIGHT = 66
SPACING = 12
MARGIN = 20
CONTENT_MAX_WIDTH = 960
"""Forms stay readable on wide screens: wider windows centre the content."""

# -- colours (kept in step with style.qss; for painting code that cannot use the sheet) ----
COLOR_TEXT = "#1a1a1a"
COLOR_HEADER = "#1565c0"
COLOR_CONFIRM = "#2e7d32"
COLOR_CANCEL = "#c62828"
COLOR_SUCCESS_TEXT = "#1b7a2b"
COLOR_PENDING_TEXT = "#b35c00"
COLOR_FAILURE_TEXT = "#c62828"
COLOR_FOCUS = "#ff9800"

# -- roles: values of the dynamic ``role`` property the style sheet selects on ---------------
ROLE_PROPERTY = "role"
ROLE_HEADER = "header"
"""The blue bar at the top of a screen (РЕЗУЛЬТАТ, ПОДСЧЕТ СДАЧИ)."""
ROLE_SECTION = "section"
"""A section title inside a screen (Информация о заказе)."""
ROLE_FIELD_LABEL = "fieldLabel"
ROLE_VALUE = "value"
ROLE_ERROR = "error"
"""A message about bad input, shown next to the field."""
ROLE_CONFIRM = "confirm"
ROLE_CANCEL = "cancel"
ROLE_PRIMARY = "primary"
ROLE_SECONDARY = "secondary"
ROLE_KEY = "key"
"""A digit or separator key of the on-screen keypad."""

TONE_PROPERTY = "tone"
"""How a status reads: ``success`` (paid), ``pending`` (in process), ``failure`` (declined …)."""
TONE_SUCCESS = "success"
TONE_PENDING = "pending"
TONE_FAILURE = "failure"

INVALID_PROPERTY = "invalid"
"""``true`` on an input whose text cannot be used (red border)."""


def _repolish(widget: QWidget) -> None:
    """Re-apply the style sheet after a property it selects on has changed.

    A widget that was never polished gets the sheet at its first show anyway; polishing it now
    would only make Qt polish it again when it is put into its window."""
    if not widget.testAttribute(Qt.WidgetAttribute.WA_WState_Polished):
        return
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


def set_role(widget: QWidget, role: str) -> None:
    """Mark what ``widget`` is for, so the style sheet can style it (``[role="confirm"]``)."""
    if widget.property(ROLE_PROPERTY) != role:
        widget.setProperty(ROLE_PROPERTY, role)
        _repolish(widget)


def set_tone(widget: QWidget, tone: str) -> None:
    """Colour a status text by meaning (``[tone="success"]``); ``""`` for the plain colour."""
    if widget.property(TONE_PROPERTY) != tone:
        widget.setProperty(TONE_PROPERTY, tone)
        _repolish(widget)


def set_invalid(widget: QWidget, invalid: bool) -> None:
    """Mark an input whose text cannot be used (``[invalid="true"]``: red border)."""
    if bool(widget.property(INVALID_PROPERTY)) != invalid:
        widget.setProperty(INVALID_PROPERTY, invalid)
        _repolish(widget)


def arrow_left_icon(color: str, size: int = 48) -> QIcon:
    """A bold left arrow (the «back» arrow of Assist mPOS) drawn in ``color``."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(QColor(color), size / 8)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    path = QPainterPath()
    left, right, middle = size * 0.18, size * 0.82, size / 2
    path.moveTo(QPointF(right, middle))
    path.lineTo(QPointF(left, middle))
    path.moveTo(QPointF(middle - size * 0.04, size * 0.2))
    path.lineTo(QPointF(left, middle))
    path.lineTo(QPointF(middle - size * 0.04, size * 0.8))
    painter.drawPath(path)
    painter.end()
    return QIcon(pixmap)


def load_style_sheet() -> str:
    """The application style sheet (``resources/style.qss``); ``""`` if the file is missing."""
    try:
        return STYLE_SHEET_PATH.read_text(encoding="utf-8")
    except FileNotFoundError:
        log.warning("style sheet %s not found; the default Qt look is used", STYLE_SHEET_PATH)
        return ""


def prepare_style_for_python(app: QApplication) -> None:
    """Ask for the application's style once, right after the first frame (``app.main``).

    The first time Python sees the style sheet style, PySide6 takes 6-14 ms to wrap the class
    it does not know; that first time would otherwise be the first status colour changed while
    the cashier works (``set_tone`` on the reader's status when it connects). After the first
    frame it costs neither the cold start nor a stall."""
    app.style()


def key_name(key: Qt.Key) -> str:
    """``Qt.Key.Key_F5`` → ``F5`` (as the platform writes it)."""
    return QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)


def add_key_hint(button: QPushButton, key: Qt.Key, *, tone: str = "") -> QLabel:
    """Show the keyboard shortcut as a small label at the right edge of ``button``.

    ``tone`` ("light" on a dark button, "muted" on a disabled-looking one) picks the colour in
    the style sheet (``QLabel[role="keyHint"]``)."""
    hint = QLabel(key_name(key), button)
    hint.setObjectName(f"{button.objectName()}Hint")
    hint.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    hint.setProperty("role", "keyHint")
    if tone:
        hint.setProperty("hintTone", tone)
    layout = QHBoxLayout(button)
    layout.setContentsMargins(8, 0, 10, 0)
    layout.addStretch(1)
    layout.addWidget(hint, 0, Qt.AlignmentFlag.AlignVCenter)
    return hint
