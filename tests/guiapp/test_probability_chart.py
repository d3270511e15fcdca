"""The probability chart and the words under it."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QColor, QImage, QPainter

from guiapp.prediction_text import summary, top_classes, unsure_note
from guiapp.probability_chart import (
    BAR_COLOUR,
    MAX_LABEL_CHARS,
    TICKS,
    TOP_COLOUR,
    ProbabilityChart,
    axis_label,
    tick_label,
)
from training.datasets import DATASETS

GARMENTS = DATASETS["garments"].class_names


@pytest.fixture
def chart(qtbot) -> Iterator[ProbabilityChart]:
    """A shown chart with the garment classes."""
    widget = ProbabilityChart()
    qtbot.addWidget(widget)
    widget.set_class_names(GARMENTS)
    widget.resize(360, 300)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget


def one_hot_ish(n: int, top: int) -> np.ndarray:
    values = np.full(n, 0.2 / (n - 1))
    values[top] = 0.8
    return values


def test_bars_follow_probabilities_and_top_is_highlighted(chart: ProbabilityChart) -> None:
    bars = chart.bars
    chart.set_probabilities(one_hot_ish(10, 9))
    assert chart.bars is bars  # updated in place, never re-created
    assert np.allclose(bars.opts["width"], one_hot_ish(10, 9))
    colours = chart.bar_colours()
    assert colours[9] == TOP_COLOUR and all(c == BAR_COLOUR for c in colours[:9])
    chart.set_probabilities(one_hot_ish(10, 2))
    assert chart.top_index() == 2 and chart.bar_colours()[2] == TOP_COLOUR
    assert not chart.grab().isNull()


def test_axis_names_every_class_readably(chart: ProbabilityChart) -> None:
    ticks = chart.plot.getPlotItem().getAxis("left")._tickLevels[0]
    assert [label for _, label in ticks] == list(GARMENTS)
    assert axis_label("x" * 40).endswith("…") and len(axis_label("x" * 40)) == MAX_LABEL_CHARS


def test_ranges_are_fixed_and_mouse_does_nothing(chart: ProbabilityChart) -> None:
    box = chart.plot.getPlotItem().getViewBox()
    assert box.state["mouseEnabled"] == [False, False]
    x_range = box.viewRange()[0]
    chart.set_probabilities(one_hot_ish(10, 0) * 0.5)
    assert box.viewRange()[0] == x_range
    assert x_range[0] <= 0.0 and 1.0 <= x_range[1] <= 1.1


def test_clear_empties_bars(chart: ProbabilityChart) -> None:
    chart.set_probabilities(one_hot_ish(10, 3))
    chart.clear()
    assert chart.probabilities() is None and chart.top_index() is None
    assert not np.any(chart.bars.opts["width"])


@pytest.mark.parametrize("count", [2, 3, 15])
def test_any_number_of_classes(chart: ProbabilityChart, count: int) -> None:
    names = [f"class number {i}" for i in range(count)]
    chart.set_class_names(names)
    chart.set_probabilities(one_hot_ish(count, count - 1))
    assert chart.top_index() == count - 1 and len(chart.bar_colours()) == count
    assert chart.plot.getPlotItem().getViewBox().viewRange()[1][1] >= count - 0.5


def test_wrong_count_is_refused(chart: ProbabilityChart) -> None:
    with pytest.raises(ValueError, match="3 probabilities for 10 classes"):
        chart.set_probabilities(np.ones(3) / 3)


def test_summary_and_unsure_note() -> None:
    values = np.array([0.05, 0.6, 0.3, 0.05])
    names = ["a", "b", "c", "d"]
    assert top_classes(values) == [(1, 0.6), (2, 0.3), (0, 0.05)]
    assert summary(names, values) == "b  60.0 %   ·   c  30.0 %   ·   a  5.0 %"
    assert unsure_note(values, "digit") == ""
    note = unsure_note(np.array([0.4, 0.35, 0.25]), "garment")
    assert note.startswith("Unsure") and "40 %" in note and "garment" in note


def _ink(image: QImage, rect: QRect) -> int:
    """How many dark pixels (text) ``image`` has inside ``rect``."""
    return sum(
        QColor(image.pixel(x, y)).lightness() < 128
        for x in range(max(rect.left(), 0), min(rect.right() + 1, image.width()))
        for y in range(max(rect.top(), 0), min(rect.bottom() + 1, image.height()))
    )


@pytest.mark.parametrize("ratio", [1, 2])
def test_every_axis_label_shows_at_the_minimum_size(
    chart: ProbabilityChart, qtbot, ratio: int
) -> None:
    # "100%" sits on the axis's right end; pyqtgraph used to drop it when it stuck out.
    chart.resize(chart.minimumWidth(), 220)
    qtbot.waitUntil(lambda: chart.plot.width() == chart.minimumWidth())
    axis = chart.plot.getPlotItem().getAxis("bottom")
    image = QImage(chart.size() * ratio, QImage.Format.Format_ARGB32)
    image.setDevicePixelRatio(ratio)
    image.fill(QColor("white"))
    painter = QPainter(image)
    _, _, texts = axis.generateDrawSpecs(painter)
    painter.end()
    assert [text for _, _, text in texts] == [tick_label(v) for v in TICKS]

    chart.render(image)
    origin = chart.plot.viewport().mapTo(chart, QPoint(0, 0))
    for rect, _, text in texts:
        box = chart.plot.mapFromScene(axis.mapRectToScene(rect)).boundingRect()
        box.translate(origin)
        assert chart.rect().contains(box), text  # wholly inside the widget
        scaled = QRect(box.topLeft() * ratio, box.size() * ratio)
        assert _ink(image, scaled) > 10 * ratio, text  # and painted there
