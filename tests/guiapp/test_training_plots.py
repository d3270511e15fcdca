"""The training curves: every marker wholly inside its plot, even with a single epoch."""

from __future__ import annotations

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPointF

from guiapp.training_plots import STAR_SIZE, SYMBOL_SIZE, TrainingPlots
from training.progress import EpochMetrics


def _metrics(epoch: int, epochs: int, *, is_best: bool) -> EpochMetrics:
    return EpochMetrics(
        epoch=epoch, epochs=epochs, loss=0.30 / epoch, accuracy=0.90, val_loss=0.20 / epoch,
        val_accuracy=0.94, seconds=1.0, is_best=is_best,
    )  # fmt: skip


def _margins(plot: pg.PlotWidget, x: float, y: float) -> tuple[float, float, float, float]:
    """Pixels from the point (x, y) to the left, top, right and bottom edges of the view."""
    box = plot.getPlotItem().getViewBox()
    point = box.mapViewToScene(QPointF(x, y))
    rect = box.sceneBoundingRect()
    return (
        point.x() - rect.left(), point.y() - rect.top(),
        rect.right() - point.x(), rect.bottom() - point.y(),
    )  # fmt: skip


@pytest.mark.parametrize("epochs", [1, 2, 20])
def test_markers_are_wholly_inside_the_plots(qtbot, epochs: int) -> None:
    plots = TrainingPlots()
    qtbot.addWidget(plots)
    plots.resize(520, 220)  # small: each plot about 260 px wide
    plots.show()
    qtbot.waitExposed(plots)
    for epoch in range(1, epochs + 1):
        plots.add_epoch(_metrics(epoch, epochs, is_best=epoch == 1))

    last = plots.train_loss.x[-1]
    assert plots.best_epoch == 1
    star = _margins(plots.loss_plot, 1, plots.val_loss.y[0])
    assert min(star) >= STAR_SIZE / 2, star
    for plot, series in (
        (plots.loss_plot, plots.train_loss), (plots.loss_plot, plots.val_loss),
        (plots.accuracy_plot, plots.train_accuracy), (plots.accuracy_plot, plots.val_accuracy),
    ):  # fmt: skip
        for x in (1, last):
            margins = _margins(plot, x, series.y[int(x) - 1])
            assert min(margins) >= SYMBOL_SIZE / 2, (x, margins)


def test_epoch_axis_shows_whole_epochs(qtbot) -> None:
    plots = TrainingPlots()
    qtbot.addWidget(plots)
    plots.add_epoch(_metrics(1, 1, is_best=True))
    axis = plots.loss_plot.getAxis("bottom")
    levels = axis.tickValues(*axis.range, 260)
    values = [v for _, level in levels for v in level]
    assert values and all(float(v).is_integer() for v in values)  # not 0.2, 0.4, ...
