"""The signature's ink and how it reaches the gateway, apart from the widgets that collect it.

``InkStroke`` keeps a stroke's points and draws it smooth (quadratic curves through the midpoints
of the sampled points, the width following the pen's pressure). ``encode_signature`` hands the
signature to the gateway as Assist's SDK does: a PNG in base64 with the prefix
``data:image/png;base64,`` of at most 4000 characters. The strokes are rendered cropped to the
ink, in black and white (1 bit per pixel), compressed to the maximum, and scaled down step by step
until the text fits. It touches no widget, so it may run on a worker thread.
"""

from __future__ import annotations

import base64
import io
import math
from collections.abc import Sequence
from typing import NamedTuple

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen

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


class StrokePoint(NamedTuple):
    x: float
    y: float
    width: float


Stroke = tuple[StrokePoint, ...]


def _mid(a: StrokePoint, b: StrokePoint) -> QPointF:
    return QPointF((a.x + b.x) / 2, (a.y + b.y) / 2)


def around_point(point: StrokePoint) -> QRectF:
    """The area a point's ink covers (to repaint or to crop)."""
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
        self._bounds = around_point(first)

    def bounds(self) -> QRectF:
        """Every point with half its width around it: the curves stay inside."""
        return self._bounds

    def add(self, point: StrokePoint) -> None:
        points = self.points
        points.append(point)
        self._bounds = self._bounds.united(around_point(point))
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
