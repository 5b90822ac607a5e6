"""ПОДПИСЬ ПОКУПАТЕЛЯ: the buyer signs on the screen when the card asks for a signature.

As in Assist mPOS: the button in the top-right corner clears the field so the buyer can sign
again; ✓ becomes active once something is drawn; ✗ cancels the payment. The strokes come from the
mouse, a touch screen or a tablet pen (its pressure varies the width) and are drawn smooth:
quadratic curves through the midpoints of the sampled points.

Keyboard: Enter = ✓ (when active), Esc = ✗, Delete or Backspace = clear.

``signature_data_url`` hands the signature to the gateway as Assist's SDK does: a PNG in base64
with the prefix ``data:image/png;base64,`` of at most 4000 characters. The strokes are rendered
cropped to the ink, in black and white (1 bit per pixel), compressed to the maximum, and scaled
down step by step until the text fits. ``encode_signature`` does the same from plain stroke data
and touches no widget, so it may run on a worker thread.
"""

from __future__ import annotations

import base64
import io
import math
from collections.abc import Sequence
from typing import NamedTuple

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
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

DATA_URL_PREFIX = "data:image/png;base64,"
MAX_SIGNATURE_CHARS = 4000
"""Assist's limit for the signature, prefix included."""

PEN_WIDTH = 4.0
"""The stroke width on the screen, in pixels, for the mouse and a finger."""
MAX_RENDER_SIDE = 640
"""The first rendering of the signature is at most this wide or high; smaller ones follow."""
DOWNSCALE_STEP = 0.85
"""Each new rendering is at most this fraction of the previous one."""
_PNG_BYTES_PER_INK_PIXEL = 0.25
"""Measured on long scribbles: 0.22 … 0.35 bytes of PNG per pixel of stroke length."""
_MIN_POINT_DISTANCE = 0.75
"""Samples closer than this to the previous one add nothing to the curve."""
_INK_COLOR = "#0d1b4c"
_GUIDE_COLOR = "#b0bec5"
_HINT_COLOR = "#9e9e9e"


class StrokePoint(NamedTuple):
    x: float
    y: float
    width: float


Stroke = tuple[StrokePoint, ...]


def _mid(a: StrokePoint, b: StrokePoint) -> QPointF:
    return QPointF((a.x + b.x) / 2, (a.y + b.y) / 2)


def _around(point: StrokePoint) -> QRectF:
    half = point.width / 2 + 1
    return QRectF(point.x - half, point.y - half, 2 * half, 2 * half)


def _pen(color: QColor, width: float) -> QPen:
    pen = QPen(color, width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


class InkStroke:
    """One stroke and its smooth path, built as the points arrive.

    The path is a straight line to the first midpoint, then quadratic curves from midpoint to
    midpoint with each sampled point as the control point, and a straight tail to the last point.
    Pieces of equal width share one ``QPainterPath``; a pen's pressure starts a new piece whenever
    the width changes. A single point is drawn as a dot.
    """

    __slots__ = ("_bounds", "_pieces", "points")

    def __init__(self, first: StrokePoint) -> None:
        self.points: list[StrokePoint] = [first]
        self._pieces: list[tuple[QPainterPath, float]] = []
        self._bounds = _around(first)

    def bounds(self) -> QRectF:
        """Every point with half its width around it: the curves stay inside."""
        return self._bounds

    def add(self, point: StrokePoint) -> None:
        points = self.points
        points.append(point)
        self._bounds = self._bounds.united(_around(point))
        if len(points) == 2:
            first = points[0]
            path = QPainterPath(QPointF(first.x, first.y))
            path.lineTo(_mid(first, point))
            self._pieces.append((path, first.width))
            return
        before, control = points[-3], points[-2]
        start, end = _mid(before, control), _mid(control, point)
        path, width = self._pieces[-1]
        if width != control.width:
            path = QPainterPath(start)
            self._pieces.append((path, control.width))
        path.quadTo(QPointF(control.x, control.y), end)

    def paint(
        self, painter: QPainter, color: QColor, *, scale: float = 1.0, min_width: float = 0.0
    ) -> None:
        """Draw with ``painter``'s transform; widths × ``scale`` are at least ``min_width``
        device pixels."""

        def width_of(width: float) -> float:
            return max(width * scale, min_width) / scale

        points = self.points
        if len(points) == 1:
            point = points[0]
            radius = width_of(point.width) / 2
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(color)
            painter.drawEllipse(QPointF(point.x, point.y), radius, radius)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            return
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for path, width in self._pieces:
            painter.setPen(_pen(color, width_of(width)))
            painter.drawPath(path)
        before_last, last = points[-2], points[-1]
        painter.setPen(_pen(color, width_of(last.width)))
        painter.drawLine(_mid(before_last, last), QPointF(last.x, last.y))

    @classmethod
    def of(cls, points: Sequence[StrokePoint]) -> InkStroke:
        stroke = cls(points[0])
        for point in points[1:]:
            stroke.add(point)
        return stroke


def ink_bounds(strokes: Sequence[InkStroke]) -> QRectF:
    """The rectangle that holds every stroke with its width; empty without strokes."""
    left = top = math.inf
    right = bottom = -math.inf
    for stroke in strokes:
        for x, y, width in stroke.points:
            half = width / 2
            left, right = min(left, x - half), max(right, x + half)
            top, bottom = min(top, y - half), max(bottom, y + half)
    if left > right:
        return QRectF()
    return QRectF(QPointF(left, top), QPointF(right, bottom))


def ink_length(strokes: Sequence[InkStroke]) -> float:
    """The summed length of the strokes' polylines, in pixels of the field."""
    return sum(
        math.hypot(b.x - a.x, b.y - a.y)
        for stroke in strokes
        for a, b in zip(stroke.points, stroke.points[1:], strict=False)
    )


def _render(strokes: Sequence[InkStroke], bounds: QRectF, scale: float) -> QImage:
    width = max(1, math.ceil(bounds.width() * scale))
    height = max(1, math.ceil(bounds.height() * scale))
    image = QImage(width, height, QImage.Format.Format_Grayscale8)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)  # 1 bit follows anyway
    painter.scale(scale, scale)
    painter.translate(-bounds.left(), -bounds.top())
    black = QColor("black")
    for stroke in strokes:
        # At least 1.5 px, so that a strongly reduced stroke stays connected.
        stroke.paint(painter, black, scale=scale, min_width=1.5)
    painter.end()
    return image


def _png_1bit(image: QImage) -> bytes:
    from PIL import Image  # Pillow is loaded only when a signature is encoded

    width, height = image.width(), image.height()
    gray = Image.frombuffer(
        "L", (width, height), bytes(image.constBits()), "raw", "L", image.bytesPerLine(), 1
    )
    mono = gray.point(lambda value: 255 if value >= 160 else 0).convert(
        "1", dither=Image.Dither.NONE
    )
    out = io.BytesIO()
    mono.save(out, format="PNG", optimize=True, compress_level=9)
    return out.getvalue()


def _data_url(png: bytes) -> str:
    return DATA_URL_PREFIX + base64.b64encode(png).decode("ascii")


def blank_png() -> bytes:
    """A 1×1 white PNG: what an empty signature field gives."""
    return _png_1bit(_blank_image())


def _blank_image() -> QImage:
    image = QImage(1, 1, QImage.Format.Format_Grayscale8)
    image.fill(QColor("white"))
    return image


def encode_signature(
    strokes: Sequence[Sequence[StrokePoint]], max_chars: int = MAX_SIGNATURE_CHARS
) -> str:
    """``data:image/png;base64,…`` of ``strokes``, at most ``max_chars`` characters.

    Cropped to the ink, 1 bit per pixel, maximum PNG compression; rendered again smaller (at most
    ``DOWNSCALE_STEP`` of the previous size each time) until it fits. Always a valid PNG; raises
    ``ValueError`` only when ``max_chars`` cannot hold even a 1×1 image. Touches no widget, so
    it may run on a worker thread.
    """
    return encode_ink([InkStroke.of(points) for points in strokes if points], max_chars)


def encode_ink(strokes: Sequence[InkStroke], max_chars: int = MAX_SIGNATURE_CHARS) -> str:
    """``encode_signature`` for strokes whose paths are built already (the field's own)."""
    bounds = ink_bounds(strokes)
    if bounds.isEmpty():
        url = _data_url(blank_png())
        if len(url) > max_chars:
            raise ValueError(f"max_chars={max_chars} cannot hold a PNG ({len(url)} needed)")
        return url
    longest = max(bounds.width(), bounds.height())
    # A 1-bit line drawing compresses to about _PNG_BYTES_PER_INK_PIXEL per pixel of stroke
    # length: start near the size that fits, so that most signatures take one rendering.
    budget = (max_chars - len(DATA_URL_PREFIX)) * 3 / 4
    fitting = budget / max(1.0, _PNG_BYTES_PER_INK_PIXEL * ink_length(strokes))
    scale = min(1.0, MAX_RENDER_SIDE / longest, fitting)
    while True:
        url = _data_url(_png_1bit(_render(strokes, bounds, scale)))
        if len(url) <= max_chars:
            return url
        if longest * scale <= 1.0:
            raise ValueError(f"max_chars={max_chars} cannot hold a PNG ({len(url)} needed)")
        # Bytes grow with the size: aim at the limit, but never less than half a step.
        aim = math.sqrt(max_chars / len(url)) * 0.97
        scale = max(scale * max(0.5, min(DOWNSCALE_STEP, aim)), 1.0 / longest)


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
            rect = rect.united(_around(point))
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
