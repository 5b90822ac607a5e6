"""ПОДПИСЬ ПОКУПАТЕЛЯ: the buyer signs on the screen when the card asks for a signature.

As in Assist mPOS: the button in the top-right corner clears the field so the buyer can sign
again; ✓ becomes active once something is drawn; ✗ cancels the payment. The strokes come from the
mouse, a touch screen or a tablet pen (its pressure varies the width) and are drawn smooth:
quadratic curves through the midpoints of the sampled points.

Keyboard: Enter = ✓ (when active), Esc = ✗, Delete or Backspace = clear.

``signature_data_url`` hands the signature to the gateway as Assist's SDK does: a PNG in base64
with the prefix ``data:image/png;base64,`` of at most 4000 characters (``ui/signature_ink.py``,
which also encodes plain stroke data on a worker thread: ``encode_signature``).
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QTabletEvent,
    QTouchEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop_pos.ui import theme
from desktop_pos.ui.signature_ink import (
    MAX_SIGNATURE_CHARS,
    PEN_WIDTH,
    InkStroke,
    Stroke,
    StrokePoint,
    around_point,
    encode_ink,
)

_MIN_POINT_DISTANCE = 0.75
"""Samples closer than this to the previous one add nothing to the curve."""
_INK_COLOR = "#0d1b4c"
_GUIDE_COLOR = "#b0bec5"
_HINT_COLOR = "#9e9e9e"


class SignatureCanvas(QWidget):
    """The field the buyer signs in: mouse, touch and tablet pen. Emits ``changed``."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signatureCanvas")
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents, True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(480, 240)
        self._strokes: list[InkStroke] = []
        self._open: dict[str, InkStroke] = {}
        """Strokes being drawn, by source: "mouse", "tablet", "touch:<id>"."""
        self._hint = ""

    # -- public API ---------------------------------------------------------------------------
    def has_ink(self) -> bool:
        return bool(self._strokes)

    def strokes(self) -> list[Stroke]:
        return [tuple(stroke.points) for stroke in self._strokes]

    def point_count(self) -> int:
        return sum(len(stroke.points) for stroke in self._strokes)

    def clear(self) -> None:
        if not self._strokes and not self._open:
            return
        self._strokes.clear()
        self._open.clear()
        self.update()
        self.changed.emit()

    def set_hint(self, text: str) -> None:
        """The faint text shown while the field is empty («Введите подпись»)."""
        self._hint = text
        self.update()

    def signature_data_url(self, max_chars: int = MAX_SIGNATURE_CHARS) -> str:
        return encode_ink(self._strokes, max_chars)

    # -- strokes ----------------------------------------------------------------------------
    def _begin(self, source: str, position: QPointF, width: float) -> None:
        point = StrokePoint(position.x(), position.y(), width)
        stroke = InkStroke(point)
        self._open[source] = stroke
        self._strokes.append(stroke)
        self._update_around(point)
        self.changed.emit()

    def _extend(self, source: str, position: QPointF, width: float) -> None:
        stroke = self._open.get(source)
        if stroke is None:
            self._begin(source, position, width)
            return
        points = stroke.points
        last = points[-1]
        if math.hypot(position.x() - last.x, position.y() - last.y) < _MIN_POINT_DISTANCE:
            return
        point = StrokePoint(position.x(), position.y(), width)
        stroke.add(point)
        # The curve changed from the midpoint before the last sample to the new point; the
        # three last samples hold it (a quadratic curve stays inside its control points).
        self._update_around(*points[-3:])

    def _end(self, source: str, position: QPointF | None = None, width: float = 0.0) -> None:
        if position is not None and source in self._open:
            self._extend(source, position, width)
        self._open.pop(source, None)

    def _update_around(self, *points: StrokePoint) -> None:
        rect = QRectF()
        for point in points:
            rect = rect.united(around_point(point))
        self.update(rect.adjusted(-2, -2, 2, 2).toAlignedRect())

    # -- input: mouse -------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self._touch_or_pen_active():
            super().mousePressEvent(event)
            return
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        self._begin("mouse", event.position(), PEN_WIDTH)
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if "mouse" in self._open:  # open from the press to the release of the left button
            self._extend("mouse", event.position(), PEN_WIDTH)
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and "mouse" in self._open:
            self._end("mouse", event.position(), PEN_WIDTH)
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def _touch_or_pen_active(self) -> bool:
        return any(source != "mouse" for source in self._open)

    # -- input: tablet pen --------------------------------------------------------------------
    def tabletEvent(self, event: QTabletEvent) -> None:
        width = PEN_WIDTH * (0.4 + 1.2 * max(0.0, min(1.0, event.pressure())))
        kind = event.type()
        if kind == QEvent.Type.TabletPress:
            self.setFocus(Qt.FocusReason.MouseFocusReason)
            self._begin("tablet", event.position(), width)
        elif kind == QEvent.Type.TabletMove:
            if "tablet" in self._open:  # hovering pens move without pressing
                self._extend("tablet", event.position(), width)
        elif kind == QEvent.Type.TabletRelease:
            self._end("tablet", event.position(), width)
        event.accept()  # no mouse event is synthesized from an accepted tablet event

    # -- input: touch ---------------------------------------------------------------------------
    def event(self, event: QEvent) -> bool:
        kind = event.type()
        if kind in (
            QEvent.Type.TouchBegin,
            QEvent.Type.TouchUpdate,
            QEvent.Type.TouchEnd,
            QEvent.Type.TouchCancel,
        ):
            assert isinstance(event, QTouchEvent)
            self._touch(event)
            event.accept()  # no mouse event is synthesized from an accepted touch event
            return True
        return super().event(event)

    def _touch(self, event: QTouchEvent) -> None:
        if event.type() == QEvent.Type.TouchCancel:
            for source in [s for s in self._open if s.startswith("touch:")]:
                self._end(source)
            return
        for point in event.points():
            source = f"touch:{point.id()}"
            state = point.state()
            # The global position is always set; position() only when Qt delivered the event.
            position = self.mapFromGlobal(point.globalPosition())
            if state == point.State.Pressed:
                self.setFocus(Qt.FocusReason.MouseFocusReason)
                self._begin(source, position, PEN_WIDTH)
            elif state == point.State.Updated:
                self._extend(source, position, PEN_WIDTH)
            elif state == point.State.Released:
                self._end(source, position, PEN_WIDTH)

    # -- painting ------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.fillRect(self.rect(), QColor("white"))
        margin = theme.MARGIN * 2
        baseline = self.height() * 0.72
        painter.setPen(QPen(QColor(_GUIDE_COLOR), 2, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(margin, baseline), QPointF(self.width() - margin, baseline))
        if not self.has_ink() and self._hint:
            font = painter.font()
            font.setPointSizeF(theme.HEADER_POINT_SIZE)
            painter.setFont(font)
            painter.setPen(QColor(_HINT_COLOR))
            painter.drawText(
                QRectF(0, baseline + 8, self.width(), 48),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                self._hint,
            )
        if self.hasFocus():  # the keyboard works here: show it as every focused control does
            painter.setPen(QPen(QColor(theme.COLOR_FOCUS), 4))
            painter.drawRect(QRectF(self.rect()).adjusted(2, 2, -2, -2))
        ink = QColor(_INK_COLOR)
        exposed = QRectF(event.rect())
        for stroke in self._strokes:
            if stroke.bounds().intersects(exposed):
                stroke.paint(painter, ink)
        painter.end()

    def focusInEvent(self, event: QFocusEvent) -> None:
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.update()
        super().focusOutEvent(event)

    def sizeHint(self) -> QSize:
        return QSize(1200, 560)


class SignaturePad(QWidget):
    """«ПОДПИСЬ ПОКУПАТЕЛЯ» with the field, clear (top right), ✗ and ✓.

    Emits ``accepted(data_url)`` on ✓ (Enter) and ``cancelled`` on ✗ (Esc).
    """

    accepted = Signal(str)
    cancelled = Signal()

    def __init__(
        self, parent: QWidget | None = None, *, max_chars: int = MAX_SIGNATURE_CHARS
    ) -> None:
        super().__init__(parent)
        self.setObjectName("signaturePad")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._max_chars = max_chars

        self._title = QLabel()
        self._title.setObjectName("signatureTitle")
        theme.set_role(self._title, theme.ROLE_HEADER)
        self._clear_button = QPushButton()
        self._clear_button.setObjectName("signatureClearButton")
        self._clear_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._clear_button.setMinimumHeight(theme.BUTTON_MIN_HEIGHT)
        self._clear_button.clicked.connect(self.clear)
        header = QWidget()
        header.setObjectName("signatureHeader")
        header.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        header_layout = QHBoxLayout(header)
        header_layout.setContentsMargins(0, 0, theme.SPACING, 0)
        header_layout.setSpacing(theme.SPACING)
        header_layout.addWidget(self._title, 1)
        header_layout.addWidget(self._clear_button)

        self._canvas = SignatureCanvas()
        self._canvas.changed.connect(self._update_buttons)

        self._cancel_button = QPushButton("✗")
        self._cancel_button.setObjectName("signatureCancelButton")
        theme.set_role(self._cancel_button, theme.ROLE_CANCEL)
        self._confirm_button = QPushButton("✓")
        self._confirm_button.setObjectName("signatureConfirmButton")
        theme.set_role(self._confirm_button, theme.ROLE_CONFIRM)
        for button in (self._cancel_button, self._confirm_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys go to the field
            button.setMinimumSize(180, theme.KEYPAD_KEY_HEIGHT)
        self._cancel_button.clicked.connect(self.cancel)
        self._confirm_button.clicked.connect(self.confirm)
        self._keys_label = QLabel()
        self._keys_label.setObjectName("signatureKeysLabel")
        self._keys_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(theme.MARGIN, theme.SPACING, theme.MARGIN, theme.MARGIN)
        buttons.addWidget(self._cancel_button)
        buttons.addWidget(self._keys_label, 1)
        buttons.addWidget(self._confirm_button)

        frame = QFrame()
        frame.setObjectName("signatureFrame")
        frame_layout = QVBoxLayout(frame)
        frame_layout.setContentsMargins(2, 2, 2, 2)
        frame_layout.addWidget(self._canvas)
        field = QVBoxLayout()
        field.setContentsMargins(theme.MARGIN, theme.MARGIN, theme.MARGIN, 0)
        field.addWidget(frame, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(header)
        layout.addLayout(field, 1)
        layout.addLayout(buttons)
        self.setFocusProxy(self._canvas)
        self._update_buttons()
        self.retranslate_ui()

    # -- public API ---------------------------------------------------------------------------
    def canvas(self) -> SignatureCanvas:
        return self._canvas

    def has_signature(self) -> bool:
        return self._canvas.has_ink()

    def can_confirm(self) -> bool:
        return self._confirm_button.isEnabled()

    def clear(self) -> None:
        self._canvas.clear()
        self._canvas.setFocus(Qt.FocusReason.OtherFocusReason)

    def signature_data_url(self, max_chars: int | None = None) -> str:
        return self._canvas.signature_data_url(self._max_chars if max_chars is None else max_chars)

    def confirm(self) -> None:
        """✓: emit ``accepted`` with the signature; nothing while the field is empty."""
        if self.has_signature():
            self.accepted.emit(self.signature_data_url())

    def cancel(self) -> None:
        self.cancelled.emit()

    # -- internals ------------------------------------------------------------------------------
    def _update_buttons(self) -> None:
        drawn = self._canvas.has_ink()
        self._confirm_button.setEnabled(drawn)
        self._clear_button.setEnabled(drawn)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            if self.can_confirm():
                self.confirm()
            return
        if key == Qt.Key.Key_Escape:
            event.accept()
            self.cancel()
            return
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            event.accept()
            self.clear()
            return
        super().keyPressEvent(event)

    def retranslate_ui(self) -> None:
        self._title.setText(self.tr("ПОДПИСЬ ПОКУПАТЕЛЯ"))
        self._clear_button.setText(self.tr("Очистить"))
        self._clear_button.setToolTip(self.tr("Очистить поле подписи (Delete)"))
        self._cancel_button.setToolTip(self.tr("Отменить оплату (Esc)"))
        self._confirm_button.setToolTip(self.tr("Подтвердить подпись (Enter)"))
        self._keys_label.setText(
            self.tr("Enter — подтвердить, Esc — отменить оплату, Delete — очистить")
        )
        self._canvas.set_hint(self.tr("Введите подпись"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def sizeHint(self) -> QSize:
        return QSize(1280, 800)
