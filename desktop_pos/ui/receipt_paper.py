"""The receipt as it comes out of the printer, painted from the same ``PrintLayout``.

The paper is ``chars_per_line`` monospace cells wide (the printer's font A). Each ``TextLine`` is
drawn cell by cell at its alignment, bold as printed, and a double line at twice the width and
height (it counts two cells a character, as on the printer). The receipt QR is drawn from its
payload with segno, at least ``QrBlock.min_width_mm`` wide at the paper's scale (the printer has
8 dots per mm, so the scale is the painted width over ``dots_per_line / 8`` mm). A picture
(``ImageBlock``, the card slip's signature) is drawn centred at the size the printer prints it
(``image_dots``), in black and white on the paper; one that cannot be read leaves blank lines, as
on paper. A ``Cut`` is a dashed line, a ``Feed`` blank lines.

The same painting goes to the screen, to a PNG (``render_image``) and to a PDF page as wide as
the paper (``write_pdf``). On screen the receipt is painted once into an image when it changes and
each paint event draws that image: the painting makes as few calls into Qt as it can (one font
change per change of style, the QR as one picture), since every call returning nothing costs
PySide6 6.12 a reference to ``None`` that it never gives back.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPaintEvent,
    QPen,
    qGray,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from desktop_pos.models.png_info import png_size
from desktop_pos.models.receipt_layout import (
    DOTS_PER_MM,
    HANDWRITING_LINES,
    Align,
    Cut,
    Feed,
    ImageBlock,
    PrintLayout,
    QrBlock,
    TextLine,
    image_dots,
)

PAPER_MARGIN = 16
"""Blank paper around the printable width, in pixels."""
QR_QUIET_MODULES = 2
PAPER_COLOR = QColor("#ffffff")
INK_COLOR = QColor("#111111")
POINT_SIZE = 11


def receipt_font(point_size: int = POINT_SIZE) -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setStyleHint(QFont.StyleHint.Monospace)
    font.setFixedPitch(True)
    font.setPointSize(point_size)
    return font


def qr_matrix(payload: str) -> list[list[bool]]:
    """The QR modules of ``payload`` (no border), as the printer encodes it (level M)."""
    import segno  # loaded when the first receipt is painted, not at start-up

    code = segno.make_qr(payload, error="m", boost_error=False)
    return [[bool(module) for module in row] for row in code.matrix]


def _picture_size(png: bytes) -> tuple[int, int] | None:
    """The size of a PNG the printer would print (``png_size``) and Qt can read, else None."""
    try:
        png_size(png)
    except ValueError:
        return None
    source = QImage.fromData(png)
    return None if source.isNull() else (source.width(), source.height())


def _mono_picture(png: bytes, width: int, height: int) -> QImage | None:
    """``png`` on white paper, scaled to ``width`` × ``height`` and made black and white (a
    threshold, no dithering), as the printer prints it; None if Qt cannot read it."""
    source = QImage.fromData(png)
    if source.isNull() or width < 1 or height < 1:
        return None
    scaled = source.scaled(
        width,
        height,
        Qt.AspectRatioMode.IgnoreAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )
    paper = QImage(width, height, QImage.Format.Format_RGB32)
    paper.fill(PAPER_COLOR)
    painter = QPainter(paper)
    painter.drawImage(QPointF(0, 0), scaled)
    painter.end()
    mono = paper.convertToFormat(
        QImage.Format.Format_Mono,
        Qt.ImageConversionFlag.MonoOnly | Qt.ImageConversionFlag.ThresholdDither,
    )
    # the two colours of the receipt's text, so the picture prints in the same ink
    mono.setColorTable(
        [(INK_COLOR if qGray(colour) < 128 else PAPER_COLOR).rgb() for colour in mono.colorTable()]
    )
    return mono


class ReceiptPaper(QWidget):
    """Paints a list of layouts (an order's documents, one after another)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("receiptPaper")
        self._layouts: tuple[PrintLayout, ...] = ()
        self._chars = 48
        self._dots = 576
        self._font = receipt_font()
        metrics = QFontMetricsF(self._font)
        self._cell = metrics.horizontalAdvance("0")
        self._line = metrics.height() * 1.15
        self._ascent = metrics.ascent()
        self._qr_cache: dict[str, list[list[bool]]] = {}
        self._picture_sizes: dict[bytes, tuple[int, int] | None] = {}
        self._pictures: dict[tuple[bytes, int, int], QImage | None] = {}
        self._fonts: dict[tuple[bool, bool], QFont] = {}
        self._image: QImage | None = None
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)

    # -- content ---------------------------------------------------------------------------------
    def set_layouts(
        self, layouts: Sequence[PrintLayout], chars_per_line: int, dots_per_line: int
    ) -> None:
        self._layouts = tuple(layouts)
        self._chars = chars_per_line
        self._dots = dots_per_line
        self._image = None
        self._pictures.clear()
        self.setFixedSize(self.paper_size())
        self.update()

    def layouts(self) -> tuple[PrintLayout, ...]:
        return self._layouts

    def chars_per_line(self) -> int:
        return self._chars

    # -- geometry --------------------------------------------------------------------------------
    def printable_width(self) -> float:
        return self._chars * self._cell

    def pixels_per_mm(self) -> float:
        return self.printable_width() / (self._dots / DOTS_PER_MM)

    def qr_geometry(self, block: QrBlock) -> tuple[int, float]:
        """(modules per side, module size in pixels) for ``block`` on this paper."""
        modules = len(self._qr(block.payload))
        wanted = block.min_width_mm * self.pixels_per_mm()
        module = max(1.0, math.ceil(wanted / modules))
        return modules, module

    def qr_width_mm(self, block: QrBlock) -> float:
        """How wide the painted QR is on paper."""
        modules, module = self.qr_geometry(block)
        return modules * module / self.pixels_per_mm()

    def _qr(self, payload: str) -> list[list[bool]]:
        matrix = self._qr_cache.get(payload)
        if matrix is None:
            matrix = self._qr_cache[payload] = qr_matrix(payload)
        return matrix

    def picture_dots(self, block: ImageBlock) -> tuple[int, int] | None:
        """The printed size of ``block`` in dots, or None if Qt cannot read its PNG."""
        if block.png not in self._picture_sizes:
            self._picture_sizes[block.png] = _picture_size(block.png)
        size = self._picture_sizes[block.png]
        return None if size is None else image_dots(block, size[0], size[1], self._dots)

    def picture(self, block: ImageBlock) -> QImage | None:
        """``block``'s picture at its painted size, black on white; None if Qt cannot read it."""
        dots = self.picture_dots(block)
        if dots is None:
            return None
        pixels_per_dot = self.printable_width() / self._dots
        key = (block.png, round(dots[0] * pixels_per_dot), round(dots[1] * pixels_per_dot))
        if key not in self._pictures:
            self._pictures[key] = _mono_picture(block.png, key[1], key[2])
        return self._pictures[key]

    def _element_height(self, element: object) -> float:
        if isinstance(element, TextLine):
            return self._line * (2 if element.double else 1)
        if isinstance(element, QrBlock):
            modules, module = self.qr_geometry(element)
            return (modules + 2 * QR_QUIET_MODULES) * module
        if isinstance(element, ImageBlock):
            picture = self.picture(element)
            return self._line * HANDWRITING_LINES if picture is None else picture.height()
        if isinstance(element, Feed):
            return self._line * element.lines
        return self._line  # a cut

    def paper_size(self) -> QSize:
        height = sum(self._element_height(e) for layout in self._layouts for e in layout)
        return QSize(
            math.ceil(self.printable_width() + 2 * PAPER_MARGIN),
            math.ceil(height + 2 * PAPER_MARGIN),
        )

    def sizeHint(self) -> QSize:
        return self.paper_size()

    # -- painting --------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        if self._image is None:
            self._image = self.render_image(1.0)
        painter = QPainter(self)
        painter.drawImage(QPointF(0, 0), self._image)
        painter.end()

    def paint(self, painter: QPainter) -> None:
        """Paint the paper at its own size (scale the painter for other targets)."""
        size = self.paper_size()
        painter.fillRect(QRectF(0, 0, size.width(), size.height()), PAPER_COLOR)
        painter.setPen(INK_COLOR)
        current: tuple[bool, bool] | None = None
        y = float(PAPER_MARGIN)
        for layout in self._layouts:
            for element in layout:
                if isinstance(element, TextLine):
                    style = (element.bold, element.double)
                    if style != current:
                        painter.setFont(self._font_for(style))
                        current = style
                    self._paint_text(painter, element, y)
                elif isinstance(element, QrBlock):
                    self._paint_qr(painter, element, y)
                elif isinstance(element, ImageBlock):
                    self._paint_picture(painter, element, y)
                elif isinstance(element, Cut):
                    self._paint_cut(painter, y)
                y += self._element_height(element)

    def _font_for(self, style: tuple[bool, bool]) -> QFont:
        font = self._fonts.get(style)
        if font is None:
            bold, double = style
            font = QFont(self._font)
            font.setBold(bold)
            if double:
                font.setPointSizeF(self._font.pointSizeF() * 2)
            self._fonts[style] = font
        return font

    def _paint_text(self, painter: QPainter, line: TextLine, y: float) -> None:
        scale = 2 if line.double else 1
        cell = self._cell * scale
        free = max(0.0, self.printable_width() - len(line.text) * cell)
        offset = {Align.LEFT: 0.0, Align.CENTER: free / 2, Align.RIGHT: free}[line.align]
        left = PAPER_MARGIN + offset
        baseline = y + self._ascent * scale
        for index, char in enumerate(line.text):  # cell by cell: the printer's grid
            if char != " ":
                painter.drawText(QPointF(left + index * cell, baseline), char)

    def qr_image(self, block: QrBlock) -> QImage:
        """The QR of ``block`` as a black-and-white picture at its painted size."""
        matrix = self._qr(block.payload)
        modules, module = self.qr_geometry(block)
        stride = (modules + 3) // 4 * 4
        data = bytearray(b"\xff" * stride * modules)
        for row, cells in enumerate(matrix):
            for column, dark in enumerate(cells):
                if dark:
                    data[row * stride + column] = 0
        raw = bytes(data)  # referenced by ``image`` until ``scaled`` has copied it
        image = QImage(raw, modules, modules, stride, QImage.Format.Format_Grayscale8)
        side = round(modules * module)
        return image.scaled(
            side,
            side,
            Qt.AspectRatioMode.IgnoreAspectRatio,
            Qt.TransformationMode.FastTransformation,
        )

    def _paint_qr(self, painter: QPainter, block: QrBlock, y: float) -> None:
        image = self.qr_image(block)
        _modules, module = self.qr_geometry(block)
        left = PAPER_MARGIN + (self.printable_width() - image.width()) / 2
        painter.drawImage(QPointF(left, y + QR_QUIET_MODULES * module), image)

    def _paint_picture(self, painter: QPainter, block: ImageBlock, y: float) -> None:
        picture = self.picture(block)
        if picture is not None:
            left = PAPER_MARGIN + (self.printable_width() - picture.width()) / 2
            painter.drawImage(QPointF(left, y), picture)

    def _paint_cut(self, painter: QPainter, y: float) -> None:
        pen = QPen(QColor("#9e9e9e"))
        pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        middle = y + self._line / 2
        painter.drawLine(QPointF(0, middle), QPointF(self.paper_size().width(), middle))
        painter.setPen(INK_COLOR)

    # -- export ----------------------------------------------------------------------------------
    def render_image(self, scale: float = 2.0) -> QImage:
        size = self.paper_size()
        image = QImage(
            math.ceil(size.width() * scale),
            math.ceil(size.height() * scale),
            QImage.Format.Format_RGB32,
        )
        image.fill(PAPER_COLOR)
        painter = QPainter(image)
        try:
            if scale != 1.0:
                painter.scale(scale, scale)
            self.paint(painter)
        finally:
            painter.end()
        return image

    def write_png(self, path: Path) -> bool:
        return self.render_image().save(str(path), "PNG")  # type: ignore[call-overload]

    def write_pdf(self, path: Path, paper_mm: int) -> bool:
        """One page as wide as the paper roll and as long as the receipt."""
        from PySide6.QtGui import QPdfWriter

        size = self.paper_size()
        height_mm = paper_mm * size.height() / size.width()
        writer = QPdfWriter(str(path))
        writer.setTitle("Чек")
        writer.setCreator("desktop_pos")
        writer.setResolution(300)
        page = QPageSize(QSizeF(paper_mm, height_mm), QPageSize.Unit.Millimeter, "receipt")
        writer.setPageLayout(
            QPageLayout(page, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0))
        )
        painter = QPainter()
        if not painter.begin(writer):
            return False
        try:
            scale = writer.width() / size.width()
            painter.scale(scale, scale)
            self.paint(painter)
        finally:
            painter.end()
        return path.exists() and path.stat().st_size > 0
