"""What is on the canvas, and how it is painted: strokes over an optional picture.

Strokes are kept as points in *canvas units*: the canvas is always ``CANVAS_SIZE``
units square, whatever the widget's size or the screen's device pixel ratio. The
image handed to the preprocessor is rendered from those vectors at
``CANVAS_SIZE`` x ``CANVAS_SIZE`` pixels, so a digit looks the same to the model on
a laptop, a 4K screen or in the offscreen tests. Drawings are immutable, so the
canvas's undo history is a list of them sharing their strokes.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen

from guiapp.image_source import CanvasImage

CANVAS_SIZE = 280
"""Side of the canvas in canvas units, and of the image given to the preprocessor."""


@dataclass(frozen=True, eq=False)
class Stroke:
    """One pen-down to pen-up movement.

    Attributes:
        points: (x, y) positions in canvas units.
        width: Pen width in canvas units.
        erase: Whether it paints the paper colour (eraser) rather than ink.
    """

    points: tuple[tuple[float, float], ...]
    width: float
    erase: bool = False

    def path(self) -> QPainterPath:
        """A smooth path through the points (quadratic curves between midpoints)."""
        path = QPainterPath(QPointF(*self.points[0]))
        if len(self.points) == 2:
            path.lineTo(QPointF(*self.points[1]))
            return path
        for (x0, y0), (x1, y1) in zip(self.points[1:-1], self.points[2:], strict=True):
            # Each sample is a control point and the curve passes through the
            # midpoints, which rounds off the corners of a jerky mouse path.
            path.quadTo(QPointF(x0, y0), QPointF((x0 + x1) / 2, (y0 + y1) / 2))
        path.lineTo(QPointF(*self.points[-1]))
        return path


@dataclass(frozen=True, eq=False)
class Drawing:
    """Everything on the canvas at one moment; the undo history is a list of these.

    Attributes:
        strokes: Strokes, oldest first.
        picture: A loaded picture lying under the strokes, if any.
    """

    strokes: tuple[Stroke, ...] = ()
    picture: CanvasImage | None = None

    @property
    def is_empty(self) -> bool:
        """Whether nothing at all is on the canvas."""
        return not self.strokes and self.picture is None

    @property
    def paper(self) -> int:
        """Grey level of the background: white, or the picture's own background."""
        return 255 if self.picture is None else self.picture.paper

    @property
    def ink(self) -> int:
        """Grey level of the pen: black on light paper, white on dark paper."""
        return 0 if self.paper >= 128 else 255


def paint_drawing(painter: QPainter, drawing: Drawing, extra: Stroke | None = None) -> None:
    """Paint ``drawing`` (and a stroke in progress) in canvas units on ``painter``.

    The same code paints the screen and the preprocessor's image, so what the
    user sees is what the model gets.
    """
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
    paper = QColor(drawing.paper, drawing.paper, drawing.paper)
    painter.fillRect(QRectF(0, 0, CANVAS_SIZE, CANVAS_SIZE), paper)
    if drawing.picture is not None:
        painter.drawImage(_fit_rect(drawing.picture.image.size().toSizeF()), drawing.picture.image)
    ink = QColor(drawing.ink, drawing.ink, drawing.ink)
    strokes = drawing.strokes if extra is None else (*drawing.strokes, extra)
    for stroke in strokes:
        colour = paper if stroke.erase else ink
        if len(stroke.points) == 1:
            # A click is a dot; a zero-length path would draw nothing.
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            radius = stroke.width / 2
            painter.drawEllipse(QPointF(*stroke.points[0]), radius, radius)
            continue
        pen = QPen(colour, stroke.width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(stroke.path())


def _fit_rect(size: QSizeF) -> QRectF:
    """The largest rectangle of ``size``'s aspect ratio centred in the canvas."""
    scale = CANVAS_SIZE / max(size.width(), size.height())
    width, height = size.width() * scale, size.height() * scale
    return QRectF((CANVAS_SIZE - width) / 2, (CANVAS_SIZE - height) / 2, width, height)
