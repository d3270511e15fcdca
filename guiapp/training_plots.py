"""Live training curves: loss and accuracy per epoch, and a smoothed per-batch loss.

Every plot item is created once in ``__init__`` and later only fed with ``setData``:
re-creating items on each update is what makes live pyqtgraph plots slow and flicker.
The x axis is in epochs: epoch k's metrics sit at x = k (its end), and a batch
b of B in epoch k at x = k - 1 + b/B, so the batch line leads into each epoch's point.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QHBoxLayout, QWidget

from training.progress import BatchProgress, EpochMetrics

TRAIN_COLOUR = "#1f77b4"
VAL_COLOUR = "#ff7f0e"
BATCH_COLOUR = (31, 119, 180, 110)
BEST_COLOUR = "#d62728"
SYMBOL_SIZE = 6
STAR_SIZE = 16
X_PADDING = 0.06
"""Room left and right of the epochs, as a fraction of them: with one epoch its points
and the best-epoch star sit on the axis ends, and 2 % cut them in half."""


class BatchLossSmoother:
    """Turns Keras's running epoch means into a smoothed per-batch loss.

    Keras reports, after batch b, the mean loss of batches 1..b of the epoch. Two
    consecutive reports (b0, m0) and (b, m) give the mean of batches b0+1..b exactly:
    (b*m - b0*m0) / (b - b0). That mean over the (throttled) interval is then smoothed
    with an exponential moving average, so the line shows the loss of recent batches
    (not the whole epoch's average) without jumping about.
    """

    def __init__(self, alpha: float = 0.3) -> None:
        """Args: alpha: Weight of the newest interval in the moving average (0..1]."""
        self._alpha = alpha
        self._epoch = 0
        self._batch = 0
        self._mean = 0.0
        self._smoothed: float | None = None

    def reset(self) -> None:
        """Forget everything (a new training run)."""
        self._epoch = self._batch = 0
        self._mean = 0.0
        self._smoothed = None

    def add(self, progress: BatchProgress) -> tuple[float, float] | None:
        """Feed one report; return (x in epochs, smoothed loss), or None if unusable."""
        if progress.epoch != self._epoch:
            self._epoch, self._batch, self._mean = progress.epoch, 0, 0.0
        if not math.isfinite(progress.loss) or progress.batch <= self._batch:
            return None
        interval = (progress.batch * progress.loss - self._batch * self._mean) / (
            progress.batch - self._batch
        )
        self._batch, self._mean = progress.batch, progress.loss
        if self._smoothed is None:
            self._smoothed = interval
        else:
            self._smoothed += self._alpha * (interval - self._smoothed)
        x = progress.epoch - 1 + progress.batch / max(progress.batches, 1)
        return x, self._smoothed


class _Series:
    """Growing x/y data for one curve, kept as lists and handed to ``setData``."""

    def __init__(self, item: pg.PlotDataItem) -> None:
        self.item = item
        self.x: list[float] = []
        self.y: list[float] = []

    def append(self, x: float, y: float) -> None:
        self.x.append(x)
        self.y.append(y)
        self.item.setData(np.asarray(self.x), np.asarray(self.y))

    def clear(self) -> None:
        self.x.clear()
        self.y.clear()
        self.item.setData([], [])


def _plot(title: str, y_label: str, legend_offset: tuple[int, int]) -> pg.PlotWidget:
    plot = pg.PlotWidget(background="w")
    plot.setTitle(title, color="k")
    plot.setLabel("bottom", QCoreApplication.translate("TrainingPlots", "epoch"), color="k")
    plot.setLabel("left", y_label, color="k")
    plot.showGrid(x=True, y=True, alpha=0.25)
    for axis in ("left", "bottom"):
        plot.getAxis(axis).setTextPen("k")
        plot.getAxis(axis).setPen("k")
        # Accuracies read 0.97, not "970 (x0.001)".
        plot.getAxis(axis).enableAutoSIPrefix(False)
    plot.setMouseEnabled(x=False, y=False)
    plot.setMenuEnabled(False)
    plot.addLegend(offset=legend_offset, labelTextColor="k", brush=pg.mkBrush(255, 255, 255, 200))
    return plot


def _epoch_series(plot: pg.PlotWidget, name: str, colour: str, symbol: str) -> _Series:
    """A per-epoch curve: a line with a marker at each epoch."""
    item = plot.plot(
        name=name, pen=pg.mkPen(colour, width=2), symbol=symbol, symbolSize=SYMBOL_SIZE,
        symbolBrush=colour, symbolPen=None,
    )  # fmt: skip
    return _Series(item)


class TrainingPlots(QWidget):
    """Loss (train, validation, per batch) and accuracy (train, validation) plots."""

    def __init__(self, parent: QWidget | None = None) -> None:
        """Create the two plots and all their items, empty."""
        super().__init__(parent)
        # Each legend goes where its curves are not. Loss falls well below the axis's
        # top; accuracy rises, and is zoomed onto the points, so its top left is empty
        # (its bottom right is where a single epoch's points sit).
        self.loss_plot = _plot(self.tr("Loss"), self.tr("loss"), (-10, 10))
        self.accuracy_plot = _plot(self.tr("Accuracy"), self.tr("accuracy"), (10, 10))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.loss_plot)
        layout.addWidget(self.accuracy_plot)

        self.batch_loss = _Series(
            self.loss_plot.plot(
                name=self.tr("training (per batch)"), pen=pg.mkPen(BATCH_COLOUR, width=1)
            )
        )
        training, validation = self.tr("training"), self.tr("validation")
        self.train_loss = _epoch_series(self.loss_plot, training, TRAIN_COLOUR, "o")
        self.val_loss = _epoch_series(self.loss_plot, validation, VAL_COLOUR, "s")
        # A star on the validation-loss point of the best epoch: the checkpoint.
        self.best_marker = pg.ScatterPlotItem(
            size=STAR_SIZE, symbol="star", brush=pg.mkBrush(BEST_COLOUR), pen=pg.mkPen("k"),
            name=self.tr("best (checkpoint)"),
        )  # fmt: skip
        self.loss_plot.addItem(self.best_marker)
        self.train_accuracy = _epoch_series(self.accuracy_plot, training, TRAIN_COLOUR, "o")
        self.val_accuracy = _epoch_series(self.accuracy_plot, validation, VAL_COLOUR, "s")
        self._smoother = BatchLossSmoother()
        self.best_epoch: int | None = None
        # The axes are set by hand and change only when they must (a new epoch, a
        # loss above the top). Autorange would move them on every batch, and each
        # move repaints axes and grid: about 28 ms per update against 10 ms, which
        # showed as 50 ms stalls of the event loop while TensorFlow had both cores.
        for plot in (self.loss_plot, self.accuracy_plot):
            plot.enableAutoRange(x=False, y=False)
        self._x_end = 0
        self._loss_top = 0.0
        self._set_x_end(1)
        self._raise_loss_top(1.0)
        self.accuracy_plot.setYRange(0.0, 1.0, padding=0.02)

    def reset(self) -> None:
        """Empty every curve for a new run."""
        for series in (
            self.batch_loss, self.train_loss, self.val_loss,
            self.train_accuracy, self.val_accuracy,
        ):  # fmt: skip
            series.clear()
        self.best_marker.setData([], [])
        self._smoother.reset()
        self.best_epoch = None
        self._x_end = 0
        self._loss_top = 0.0
        self._set_x_end(1)
        self._raise_loss_top(1.0)
        self.accuracy_plot.setYRange(0.0, 1.0, padding=0.02)

    def _set_x_end(self, epoch: int) -> None:
        """Show epochs 0..``epoch`` (never shrinks during a run)."""
        if epoch > self._x_end:
            self._x_end = epoch
            # Whole epochs on the axis (not 0.2, 0.4, ...), at most about ten labels.
            step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 10**9) if epoch / s <= 10)
            for plot in (self.loss_plot, self.accuracy_plot):
                plot.setXRange(0, epoch, padding=X_PADDING)
                plot.getAxis("bottom").setTickSpacing(levels=[(step, 0)])

    def _raise_loss_top(self, loss: float) -> None:
        """Keep ``loss`` in view: the loss axis runs from 0 to a round number above it."""
        if math.isfinite(loss) and loss > self._loss_top:
            step = 10 ** math.floor(math.log10(loss)) / 2 if loss > 0 else 0.5
            self._loss_top = math.ceil(loss * 1.05 / step) * step
            self.loss_plot.setYRange(0.0, self._loss_top, padding=0.02)

    def _fit_accuracy(self) -> None:
        """Zoom the accuracy axis onto the points (only at epoch ends, so rarely)."""
        values = self.train_accuracy.y + self.val_accuracy.y
        finite = [v for v in values if math.isfinite(v)]
        if finite:
            low = max(0.0, min(finite) - 0.02)
            high = min(1.0, max(finite) + 0.01)
            self.accuracy_plot.setYRange(low, max(high, low + 0.02), padding=0.05)

    def add_batch(self, progress: BatchProgress) -> None:
        """Extend the per-batch loss line."""
        point = self._smoother.add(progress)
        if point is not None:
            self._set_x_end(progress.epoch)
            self._raise_loss_top(point[1])
            self.batch_loss.append(*point)

    def add_epoch(self, metrics: EpochMetrics) -> None:
        """Add one epoch's points; move the best-epoch star if this epoch is the best."""
        self._set_x_end(metrics.epoch)
        self._raise_loss_top(max(metrics.loss, metrics.val_loss))
        self.train_loss.append(metrics.epoch, metrics.loss)
        self.val_loss.append(metrics.epoch, metrics.val_loss)
        self.train_accuracy.append(metrics.epoch, metrics.accuracy)
        self.val_accuracy.append(metrics.epoch, metrics.val_accuracy)
        if metrics.is_best:
            self.best_epoch = metrics.epoch
            self.best_marker.setData([metrics.epoch], [metrics.val_loss])
        self._fit_accuracy()
