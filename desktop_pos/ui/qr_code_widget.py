"""A QR code on the counter screen, big and sharp enough for a phone to scan it.

The symbol is made with segno (``micro=False``: a Micro QR is not read by banking apps), drawn
black on white with the standard 4-module quiet zone, each module a whole number of device
pixels (no blurred edges). The widget is never smaller than ``min_side_mm`` on the physical
screen: ``min_side_px`` converts millimetres to the widget's logical pixels from the screen's
physical resolution and its device pixel ratio, so 20 mm stay 20 mm at 96 and at 144 dpi.
"""

from __future__ import annotations

import functools
import math

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

QUIET_ZONE_MODULES = 4
MIN_SIDE_MM = 40.0
"""Twice the 20 mm a phone needs from a counter distance."""
MM_PER_INCH = 25.4


def min_side_px(mm: float, physical_dpi: float, device_pixel_ratio: float = 1.0) -> int:
    """Logical pixels that span at least ``mm`` millimetres on a screen of ``physical_dpi``
    device pixels per inch shown at ``device_pixel_ratio``."""
    if physical_dpi <= 0 or device_pixel_ratio <= 0:
        raise ValueError("the screen resolution must be above zero")
    return math.ceil(mm / MM_PER_INCH * physical_dpi / device_pixel_ratio)


@functools.lru_cache(maxsize=16)
def qr_matrix(payload: str) -> tuple[tuple[bool, ...], ...]:
    """The dark modules of the QR code of ``payload`` (error correction M, never Micro QR).

    Kept for the last payloads: the flow makes it on a worker thread (segno's import and
    encoding take tens of milliseconds), the widgets then find it here."""
    import segno  # here: segno is not needed for the first frame

    code = segno.make(payload, error="m", micro=False)
    return tuple(tuple(bool(module) for module in row) for row in code.matrix)


class QrCodeWidget(QWidget):
    """Shows one payload as a QR code, as large as the space allows, never below the minimum."""

    def __init__(self, parent: QWidget | None = None, *, min_side_mm: float = MIN_SIDE_MM) -> None:
        super().__init__(parent)
        self.setObjectName("qrCode")
        self._payload = ""
        self._matrix: tuple[tuple[bool, ...], ...] = ()
        self._min_side_mm = min_side_mm
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)

    def payload(self) -> str:
        return self._payload

    def set_payload(self, payload: str) -> None:
        self._payload = payload
        self._matrix = qr_matrix(payload) if payload else ()
        self.setAccessibleName(payload)
        self.updateGeometry()
        self.update()

    def minimum_side(self) -> int:
        screen = self.screen()
        dpi = screen.physicalDotsPerInch() if screen is not None else 96.0
        ratio = self.devicePixelRatioF() or 1.0
        return min_side_px(self._min_side_mm, dpi if dpi > 0 else 96.0, ratio)

    def minimumSizeHint(self) -> QSize:
        side = self.minimum_side()
        return QSize(side, side)

    def sizeHint(self) -> QSize:
        side = self.minimum_side() * 3 // 2
        return QSize(side, side)

    def symbol_rect(self) -> QRect:
        """Where the symbol (quiet zone included) is drawn, in logical pixels."""
        if not self._matrix:
            return QRect()
        modules = len(self._matrix) + 2 * QUIET_ZONE_MODULES
        ratio = self.devicePixelRatioF() or 1.0
        side_device = int(min(self.width(), self.height()) * ratio)
        module_device = max(1, side_device // modules)
        side = math.floor(module_device * modules / ratio)
        left = (self.width() - side) // 2
        top = (self.height() - side) // 2
        return QRect(left, top, side, side)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        if not self._matrix:
            return
        rect = self.symbol_rect()
        modules = len(self._matrix) + 2 * QUIET_ZONE_MODULES
        module = rect.width() / modules
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("black"))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        for y, row in enumerate(self._matrix):
            for x, dark in enumerate(row):
                if dark:
                    left = rect.left() + (x + QUIET_ZONE_MODULES) * module
                    top = rect.top() + (y + QUIET_ZONE_MODULES) * module
                    painter.drawRect(round(left), round(top), math.ceil(module), math.ceil(module))
        painter.end()
