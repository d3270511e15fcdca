"""The drawing canvas: a widget to draw on with pen, mouse or tablet, with undo and redo.

What it holds and how that is painted (strokes in canvas units over an optional
picture) is :mod:`guiapp.drawing`; this module is the widget: input, history,
loading pictures, and rendering the preprocessor's image.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
from PySide6.QtCore import QLineF, QMimeData, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPointingDevice,
    QTabletEvent,
)
from PySide6.QtWidgets import QApplication, QSizePolicy, QWidget

from guiapp.drawing import CANVAS_SIZE, Drawing, Stroke, paint_drawing
from guiapp.image_source import CanvasImage, image_from_mime, image_from_path, mime_has_image
from guiapp.messages import Level
from guiapp.qimage_arrays import array_from_qimage
from guiapp.settings import DEFAULT_PEN_WIDTH, MAX_PEN_WIDTH, MIN_PEN_WIDTH
from guiapp.training_text import image_error
from training.images import ImageLoadError

HISTORY_LIMIT = 200
"""Undo steps kept; each is a cheap snapshot sharing its strokes with the others."""

_MIN_STEP = 0.75
"""Pen moves shorter than this (canvas units) are dropped: they add points, not shape."""


class SketchCanvas(QWidget):
    """A square drawing surface with pen, eraser, undo/redo and picture loading.

    Signals:
        drawing: The pen moved during a stroke (many per second; throttle it).
        changed: The drawing settled: a stroke ended, or undo, redo, clear or a
            load changed it.
        messageChanged(str, Level): Something to tell the user (a picture loaded,
            or why it could not be), with its :class:`~guiapp.messages.Level`.
    """

    drawing = Signal()
    changed = Signal()
    messageChanged = Signal(str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        """Create an empty canvas with the default pen."""
        super().__init__(parent)
        self._history: list[Drawing] = [Drawing()]
        self._position = 0
        self._points: list[tuple[float, float]] | None = None
        self._stroke_erases = False
        self._pen_width = float(DEFAULT_PEN_WIDTH)
        self._eraser = False
        self._placeholder = ""
        self.setAcceptDrops(True)
        self.setMinimumSize(200, 200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, False)
        self.setToolTip(
            self.tr(
                "Draw with the left button or a pen; the right button erases.\n"
                "Drop or paste an image to classify it, and draw over it if you like."
            )
        )

    # ----- state ---------------------------------------------------------------

    @property
    def current(self) -> Drawing:
        """What is on the canvas now (not counting a stroke in progress)."""
        return self._history[self._position]

    def is_empty(self) -> bool:
        """Whether the canvas holds no strokes and no picture."""
        return self.current.is_empty and self._points is None

    def is_drawing(self) -> bool:
        """Whether a stroke is in progress."""
        return self._points is not None

    def pen_width(self) -> float:
        """Pen width in canvas units."""
        return self._pen_width

    def set_pen_width(self, width: float) -> None:
        """Set the pen width for the next strokes (clamped to the allowed range)."""
        self._pen_width = float(min(max(width, MIN_PEN_WIDTH), MAX_PEN_WIDTH))

    def is_eraser(self) -> bool:
        """Whether the left button and pen tip erase."""
        return self._eraser

    def set_eraser(self, on: bool) -> None:
        """Switch between pen and eraser."""
        self._eraser = bool(on)

    def set_placeholder(self, text: str) -> None:
        """Text shown faintly on an empty canvas ("Draw a digit")."""
        self._placeholder = text
        self.update()

    def can_undo(self) -> bool:
        """Whether there is something to undo."""
        return self._position > 0

    def can_redo(self) -> bool:
        """Whether there is something to redo."""
        return self._position < len(self._history) - 1

    def undo(self) -> None:
        """Step back one change (a stroke, a clear or a load)."""
        if self._points is None and self.can_undo():
            self._position -= 1
            self._settled()

    def redo(self) -> None:
        """Redo the change last undone."""
        if self._points is None and self.can_redo():
            self._position += 1
            self._settled()

    def clear(self) -> None:
        """Empty the canvas (undoable)."""
        self._points = None
        if not self.current.is_empty:
            self._push(Drawing())
        else:
            self.update()

    def add_stroke(self, points: Sequence[tuple[float, float]], erase: bool = False) -> None:
        """Add a finished stroke through ``points`` (canvas units) with the current pen.

        For drawing from code (the screenshot script, demos); people use the mouse.
        """
        if points:
            stroke = Stroke(tuple((float(x), float(y)) for x, y in points), self._pen_width, erase)
            self._push(replace(self.current, strokes=(*self.current.strokes, stroke)))

    def set_picture(self, picture: CanvasImage) -> None:
        """Replace everything with a picture to classify and draw over (undoable)."""
        self._points = None
        self._push(Drawing(picture=picture))

    def load_file(self, path: str | os.PathLike[str]) -> bool:
        """Load a picture from a file; on failure say why and leave the canvas as it was.

        Returns:
            Whether it loaded.
        """
        try:
            picture = image_from_path(path)
        except ImageLoadError as exc:
            text = self.tr("Could not open the image: {0}").format(image_error(exc))
            self.messageChanged.emit(text, Level.ERROR)
            return False
        self._loaded(picture)
        return True

    def load_mime(self, mime: QMimeData, source: str) -> bool:
        """Load the picture in dropped or pasted data (a file URL or image data).

        Returns:
            Whether it loaded.
        """
        try:
            picture = image_from_mime(mime, source)
        except ImageLoadError as exc:
            text = self.tr("Could not use the image: {0}").format(image_error(exc))
            self.messageChanged.emit(text, Level.ERROR)
            return False
        self._loaded(picture)
        return True

    def paste(self) -> bool:
        """Load the clipboard's image or image file.

        Returns:
            Whether it loaded.
        """
        mime = QApplication.clipboard().mimeData()
        if mime is None or not mime_has_image(mime):
            self.messageChanged.emit(
                self.tr("The clipboard holds no image or image file to paste."), Level.ERROR
            )
            return False
        return self.load_mime(mime, self.tr("the clipboard"))

    # ----- the preprocessor's image -----------------------------------------------

    def render_image(self) -> QImage:
        """The drawing (with any stroke in progress) as a CANVAS_SIZE-square grey image."""
        image = QImage(CANVAS_SIZE, CANVAS_SIZE, QImage.Format.Format_RGB32)
        painter = QPainter(image)
        try:
            paint_drawing(painter, self.current, self._live_stroke())
        finally:
            painter.end()
        return image.convertToFormat(QImage.Format.Format_Grayscale8)

    def to_array(self) -> np.ndarray:
        """The drawing as a (CANVAS_SIZE, CANVAS_SIZE) uint8 array for the preprocessor."""
        return array_from_qimage(self.render_image())

    # ----- geometry ---------------------------------------------------------------

    def sizeHint(self) -> QSize:  # noqa: N802  (Qt override)
        """Room for a comfortable drawing area."""
        return QSize(420, 420)

    def _square(self) -> QRectF:
        """The widget area showing the canvas: the largest centred square."""
        side = min(self.width(), self.height())
        return QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)

    def _to_canvas(self, position: QPointF) -> tuple[float, float]:
        """Widget coordinates -> canvas units."""
        square = self._square()
        scale = CANVAS_SIZE / square.width()
        return ((position.x() - square.left()) * scale, (position.y() - square.top()) * scale)

    # ----- painting ---------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802  (Qt override)
        """Paint the drawing scaled into the widget's square."""
        painter = QPainter(self)
        try:
            painter.fillRect(self.rect(), self.palette().color(QPalette.ColorRole.Window))
            square = self._square()
            painter.save()
            painter.setClipRect(square)
            painter.translate(square.topLeft())
            painter.scale(square.width() / CANVAS_SIZE, square.height() / CANVAS_SIZE)
            paint_drawing(painter, self.current, self._live_stroke())
            painter.restore()
            painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Mid), 1))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(square.adjusted(0.5, 0.5, -0.5, -0.5))
            if self.is_empty() and self._placeholder:
                painter.setPen(QColor(170, 170, 170))
                painter.drawText(square, Qt.AlignmentFlag.AlignCenter, self._placeholder)
        finally:
            painter.end()

    # ----- pen input: mouse and tablet --------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802  (Qt override)
        """Left button draws (or erases in eraser mode); right button erases."""
        button = event.button()
        if button in (Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton):
            erase = self._eraser or button == Qt.MouseButton.RightButton
            self._begin(event.position(), erase)
            event.accept()
        else:
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802  (Qt override)
        """Extend the stroke in progress."""
        if self._points is not None:
            self._extend(event.position())
            event.accept()
        else:
            super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802  (Qt override)
        """Finish the stroke."""
        if self._points is not None:
            self._extend(event.position())
            self._finish()
            event.accept()
        else:
            super().mouseReleaseEvent(event)

    def tabletEvent(self, event: QTabletEvent) -> None:  # noqa: N802  (Qt override)
        """Draw with a tablet pen; its eraser end erases.

        Accepting the event stops Qt from also synthesising mouse events for it.
        """
        kind = event.type()
        if kind == QTabletEvent.Type.TabletPress:
            erase = self._eraser or event.pointerType() == QPointingDevice.PointerType.Eraser
            self._begin(event.position(), erase)
        elif kind == QTabletEvent.Type.TabletMove and self._points is not None:
            self._extend(event.position())
        elif kind == QTabletEvent.Type.TabletRelease and self._points is not None:
            self._extend(event.position())
            self._finish()
        else:
            event.ignore()
            return
        event.accept()

    def _begin(self, position: QPointF, erase: bool) -> None:
        self._points = [self._to_canvas(position)]
        self._stroke_erases = erase
        self.update()
        self.drawing.emit()

    def _extend(self, position: QPointF) -> None:
        assert self._points is not None
        point = self._to_canvas(position)
        last = self._points[-1]
        if QLineF(QPointF(*last), QPointF(*point)).length() < _MIN_STEP:
            return
        self._points.append(point)
        self.update()
        self.drawing.emit()

    def _finish(self) -> None:
        stroke = self._live_stroke()
        self._points = None
        if stroke is not None:
            self._push(replace(self.current, strokes=(*self.current.strokes, stroke)))

    def _live_stroke(self) -> Stroke | None:
        if not self._points:
            return None
        return Stroke(tuple(self._points), self._pen_width, self._stroke_erases)

    # ----- drag and drop --------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802  (Qt override)
        """Accept files and image data."""
        if mime_has_image(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802  (Qt override)
        """Keep accepting what dragEnterEvent accepted."""
        if mime_has_image(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802  (Qt override)
        """Load the dropped picture."""
        if self.load_mime(event.mimeData(), self.tr("the dropped data")):
            event.acceptProposedAction()
        else:
            event.ignore()

    # ----- history ----------------------------------------------------------------------

    def _loaded(self, picture: CanvasImage) -> None:
        self.set_picture(picture)
        text = self.tr("Loaded {0}. Draw over it if you like.").format(picture.source)
        self.messageChanged.emit(text, Level.INFO)

    def _push(self, drawing: Drawing) -> None:
        # A new change forgets what was undone, as in every editor.
        del self._history[self._position + 1 :]
        self._history.append(drawing)
        if len(self._history) > HISTORY_LIMIT:
            del self._history[0]
        self._position = len(self._history) - 1
        self._settled()

    def _settled(self) -> None:
        self.update()
        self.changed.emit()
