"""The confusion matrix as a coloured table: rows true classes, columns predicted.

A table rather than an image plot, because class names fit in its headers and every
cell can show its count: with ten classes that stays readable at any size.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from guiapp.training_text import class_names as translated_class_names

# Cells shade from white (none of the row) to this blue (the whole row).
_FULL = QColor(8, 48, 107)


def _shade(fraction: float) -> QColor:
    f = float(np.clip(fraction, 0.0, 1.0)) ** 0.5  # square root: small errors stay visible
    return QColor(
        round(255 + (_FULL.red() - 255) * f),
        round(255 + (_FULL.green() - 255) * f),
        round(255 + (_FULL.blue() - 255) * f),
    )


class ConfusionView(QTableWidget):
    """A heat map of a confusion matrix with class names on both axes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        """An empty table; fill it with :meth:`set_matrix`."""
        super().__init__(parent)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.setToolTip(
            self.tr("Rows: true class. Columns: predicted class. Shade: share of the row.")
        )
        self.matrix: np.ndarray | None = None

    def clear_matrix(self) -> None:
        """Show nothing (before the first evaluation)."""
        self.matrix = None
        self.setRowCount(0)
        self.setColumnCount(0)

    def set_matrix(self, matrix: np.ndarray, class_names: Sequence[str]) -> None:
        """Show ``matrix[true, predicted]`` counts, shaded by the share of each row."""
        matrix = np.asarray(matrix)
        n = len(class_names)
        if matrix.shape != (n, n):
            raise ValueError(f"a {matrix.shape} matrix does not fit {n} classes")
        self.matrix = matrix
        class_names = translated_class_names(class_names)
        tip = self.tr("true {0}, predicted {1}: {2} ({3:.1%})")
        self.setRowCount(n)
        self.setColumnCount(n)
        self.setHorizontalHeaderLabels([f"→ {name}" for name in class_names])
        self.setVerticalHeaderLabels(list(class_names))
        totals = np.maximum(matrix.sum(axis=1), 1)
        for i in range(n):
            for j in range(n):
                count = int(matrix[i, j])
                share = count / totals[i]
                item = QTableWidgetItem(str(count))
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                item.setBackground(_shade(share))
                item.setForeground(QColor("white") if share > 0.45 else QColor("black"))
                item.setToolTip(tip.format(class_names[i], class_names[j], count, share))
                self.setItem(i, j, item)
