"""A horizontal strip of misclassified test images with predicted and true labels."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QListView, QListWidget, QListWidgetItem, QWidget

from guiapp.qimage_arrays import qimage_from_array
from guiapp.training_text import class_name
from training.evaluation import Misclassified

SCALE = 3  # 28x28 pixels are too small to judge; 84x84 shows every stroke


def image_to_pixmap(image: np.ndarray, scale: int = SCALE) -> QPixmap:
    """A float [0, 1] 28x28 image as a pixmap, scaled up without blurring."""
    pixels = np.clip(np.asarray(image).reshape(28, 28) * 255.0, 0, 255).astype(np.uint8)
    return QPixmap.fromImage(qimage_from_array(pixels)).scaled(
        28 * scale, 28 * scale, Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.FastTransformation,
    )  # fmt: skip


class MisclassifiedStrip(QListWidget):
    """Misclassified images side by side, each captioned "predicted / true"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        """An empty strip; fill it with :meth:`set_samples`."""
        super().__init__(parent)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(False)
        self.setMovement(QListView.Movement.Static)
        self.setIconSize(QSize(28 * SCALE, 28 * SCALE))
        self.setGridSize(QSize(28 * SCALE + 44, 28 * SCALE + 44))
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setFixedHeight(28 * SCALE + 70)

    def set_samples(self, samples: Sequence[Misclassified]) -> None:
        """Show these images (replacing any shown)."""
        self.clear()
        for sample in samples:
            predicted, true = class_name(sample.predicted_label), class_name(sample.true_label)
            item = QListWidgetItem(
                QIcon(image_to_pixmap(sample.image)),
                self.tr("{0}\ntrue: {1}").format(predicted, true),
            )
            tip = self.tr("Test image #{0}: predicted {1}, true {2}")
            item.setToolTip(tip.format(sample.index, predicted, true))
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
            self.addItem(item)
