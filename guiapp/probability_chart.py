"""The live probability chart: one horizontal bar per class, top class highlighted.

Imports pyqtgraph (about 0.5 s), so the Classify tab builds this chart only once
the window is on screen. Every pyqtgraph item is created once and then updated in
place with ``setOpts``/``setText``; nothing is re-created per prediction.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPalette
from PySide6.QtWidgets import QVBoxLayout, QWidget

BAR_COLOUR = QColor(135, 160, 196)
TOP_COLOUR = QColor(230, 126, 34)
BAR_THICKNESS = 0.72
MAX_LABEL_CHARS = 16
"""Longer class names (image-folder models) are shortened on the axis."""
TICKS = (0.0, 0.25, 0.5, 0.75, 1.0)


def tick_label(value: float) -> str:
    """A probability axis label ("25%")."""
    return f"{value:.0%}"


def axis_label(name: str) -> str:
    """A class name short enough for the axis ("a very long class…")."""
    return name if len(name) <= MAX_LABEL_CHARS else name[: MAX_LABEL_CHARS - 1] + "…"


class _ProbabilityAxis(pg.AxisItem):
    """The bottom axis; its end labels ("0%", "100%") may reach past its ends.

    pyqtgraph draws only tick labels that fit inside the axis's bounding rectangle
    (with a grid, its ``hideOverlappingLabels`` tolerance is not applied), and the
    end labels are centred on the axis's ends: "100%" vanished at small sizes.
    """

    def __init__(self, overhang: int) -> None:
        """Let labels reach ``overhang`` pixels past either end."""
        super().__init__("bottom")
        self.overhang = overhang

    def boundingRect(self) -> QRectF:  # noqa: N802  (Qt override)
        """The axis's rectangle, widened by the overhang on both sides."""
        return super().boundingRect().adjusted(-self.overhang, 0, self.overhang, 0)


class ProbabilityChart(QWidget):
    """Horizontal bars (so garment names read without rotation), x fixed to 0..1.

    Bars run top to bottom in class order; the mouse cannot pan or zoom.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        """Create the plot and its (still empty) bars."""
        super().__init__(parent)
        self._names: tuple[str, ...] = ()
        self._probabilities: np.ndarray | None = None
        background = self.palette().color(QPalette.ColorRole.Base)
        foreground = self.palette().color(QPalette.ColorRole.Text)
        overhang = QFontMetrics(self.font()).horizontalAdvance(tick_label(1.0)) // 2 + 4
        self.plot = pg.PlotWidget(
            background=background, axisItems={"bottom": _ProbabilityAxis(overhang)}
        )
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        item = self.plot.getPlotItem()
        item.invertY(True)
        item.showGrid(x=True, y=False, alpha=0.25)
        for name in ("left", "bottom"):
            axis = item.getAxis(name)
            axis.setPen(foreground)
            axis.setTextPen(foreground)
        bottom = item.getAxis("bottom")
        bottom.setTicks([[(v, tick_label(v)) for v in TICKS]])
        # The "100%" label overhangs the axis's right end: leave it that much margin.
        left, top, _, bottom_margin = item.layout.getContentsMargins()
        item.layout.setContentsMargins(left, top, bottom.overhang, bottom_margin)
        item.setLabel("bottom", self.tr("probability"))
        self.bars = pg.BarGraphItem(
            x0=[], y=[], height=BAR_THICKNESS, width=[], pen=None, brush=BAR_COLOUR
        )
        self.plot.addItem(self.bars)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)
        self.setMinimumWidth(260)
        self._apply_ranges()

    def class_names(self) -> tuple[str, ...]:
        """The classes on the axis, in order."""
        return self._names

    def probabilities(self) -> np.ndarray | None:
        """The probabilities shown, or None when the chart is empty."""
        return None if self._probabilities is None else self._probabilities.copy()

    def top_index(self) -> int | None:
        """The highlighted (most probable) class, or None when empty."""
        return None if self._probabilities is None else int(np.argmax(self._probabilities))

    def bar_colours(self) -> list[QColor]:
        """The colour of each bar (for tests and the screenshot)."""
        brushes = self.bars.opts.get("brushes") or [pg.mkBrush(BAR_COLOUR)] * len(self._names)
        return [pg.mkBrush(b).color() for b in brushes]

    def set_class_names(self, names: Sequence[str]) -> None:
        """Show these classes (any number) and empty the bars."""
        self._names = tuple(names)
        ticks = [(i, axis_label(name)) for i, name in enumerate(self._names)]
        self.plot.getPlotItem().getAxis("left").setTicks([ticks])
        self.clear()
        self._apply_ranges()

    def set_probabilities(self, probabilities: np.ndarray) -> None:
        """Show one probability per class; the largest bar is highlighted.

        Raises:
            ValueError: If the count does not match the class names.
        """
        values = np.asarray(probabilities, dtype=np.float64).ravel()
        if values.size != len(self._names):
            raise ValueError(f"{values.size} probabilities for {len(self._names)} classes")
        self._probabilities = values
        top = int(np.argmax(values))
        brushes = [TOP_COLOUR if i == top else BAR_COLOUR for i in range(values.size)]
        self.bars.setOpts(
            x0=np.zeros(values.size),
            y=np.arange(values.size),
            width=np.clip(values, 0.0, 1.0),
            height=BAR_THICKNESS,
            brushes=brushes,
        )

    def clear(self) -> None:
        """Empty bars: nothing to classify."""
        self._probabilities = None
        count = len(self._names)
        self.bars.setOpts(
            x0=np.zeros(count),
            y=np.arange(count),
            width=np.zeros(count),
            height=BAR_THICKNESS,
            brushes=[BAR_COLOUR] * count,
        )

    def _apply_ranges(self) -> None:
        # Fixed ranges: bars must not jump about as the numbers change.
        item = self.plot.getPlotItem()
        # A little padding keeps the 0 % and 100 % grid lines off the plot's edges;
        # the labels' room is the layout margin set in __init__.
        item.setXRange(0.0, 1.0, padding=0.03)
        item.setYRange(-0.5, max(len(self._names), 1) - 0.5, padding=0.02)
        item.getViewBox().setLimits(xMin=-0.1, xMax=1.1)
        self.plot.setToolTip(self.tr("Class probabilities; the most probable class is highlighted"))
        self.plot.setCursor(Qt.CursorShape.ArrowCursor)
