"""The "model's view": the exact 28x28 input the model received, scaled up crisply."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QWidget

from guiapp.qimage_arrays import qimage_from_array

VIEW_SIZE = 28


class ModelViewPanel(QWidget):
    """Shows a 28x28 grey image with square, unsmoothed pixels (nearest neighbour).

    Pixels are drawn unsmoothed on purpose: this panel is for seeing exactly what
    the model saw, blur and all, not a prettier version of it.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        """Create an empty (black) view."""
        super().__init__(parent)
        self._image: QImage | None = None
        self._pixels: np.ndarray | None = None
        self.setMinimumSize(VIEW_SIZE * 3, VIEW_SIZE * 3)
        self.setToolTip(
            self.tr("What the model sees: your drawing cropped, scaled to 28x28 and centred")
        )

    def sizeHint(self) -> QSize:  # noqa: N802  (Qt override)
        """Five screen pixels per model pixel."""
        return QSize(VIEW_SIZE * 5, VIEW_SIZE * 5)

    def hasHeightForWidth(self) -> bool:  # noqa: N802  (Qt override)
        """Stay square."""
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802  (Qt override)
        """Stay square."""
        return width

    def pixels(self) -> np.ndarray | None:
        """The 28x28 uint8 image shown, or None when empty."""
        return None if self._pixels is None else self._pixels.copy()

    def set_pixels(self, pixels: np.ndarray | None) -> None:
        """Show a (28, 28) uint8 image, or nothing (None)."""
        if pixels is None:
            self._image = None
            self._pixels = None
        else:
            # A copy: what is shown must not change when the caller reuses its array.
            self._pixels = np.array(pixels, dtype=np.uint8).reshape(VIEW_SIZE, VIEW_SIZE)
            self._image = qimage_from_array(self._pixels)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802  (Qt override)
        """Paint the image in the largest centred square."""
        painter = QPainter(self)
        try:
            painter.fillRect(self.rect(), self.palette().color(QPalette.ColorRole.Window))
            side = min(self.width(), self.height())
            square = QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)
            painter.fillRect(square, QColor(0, 0, 0))
            if self._image is not None:
                painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
                painter.drawImage(square, self._image)
            painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Mid), 1))
            painter.drawRect(square.adjusted(0.5, 0.5, -0.5, -0.5))
        finally:
            painter.end()
