"""The model view: summary table, totals and the layer-stack drawing; lazy summary in the tab."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGraphicsRectItem, QGraphicsSimpleTextItem

from guiapp.model_summary_view import ModelSummaryView
from training.summary import ModelSummary, summarize_architecture


@pytest.fixture(scope="module")
def summary() -> ModelSummary:
    return summarize_architecture("tutorial-cnn")


def test_table_lists_layers_shapes_and_params(qtbot, summary: ModelSummary) -> None:
    view = ModelSummaryView()
    qtbot.addWidget(view)
    view.set_summary(summary)
    table = view.table
    assert table.rowCount() == 8
    assert table.item(0, 0).text() == "conv2d (Conv2D)"
    assert table.item(0, 1).text() == "(None, 28, 28, 32)"
    params = [table.item(row, 2).text() for row in range(table.rowCount())]
    assert params == ["320", "0", "18,496", "0", "0", "313,700", "0", "1,010"]
    assert "Total params: 333,526" in view.totals.text()
    assert "Non-trainable params: 0" in view.totals.text()


def test_drawing_has_a_box_per_layer_with_shapes(qtbot, summary: ModelSummary) -> None:
    view = ModelSummaryView()
    qtbot.addWidget(view)
    view.set_summary(summary)
    items = view.drawing.scene().items()
    texts = [item.text() for item in items if isinstance(item, QGraphicsSimpleTextItem)]
    titles = [t for t in texts if "\n" in t]
    assert len(titles) == 9  # the input layer and 8 layers
    assert "input_layer\nInputLayer" in titles and "dense_1\nDense" in titles
    assert any("(None, 7, 7, 64)" in t and t.startswith("input:") for t in texts)
    assert any(t.startswith("output:") and "(None, 10)" in t for t in texts)
    view.show_message("nothing")
    assert view.drawing.scene().items() == [] and view.table.rowCount() == 0


@pytest.fixture
def shown(qtbot, summary: ModelSummary) -> ModelSummaryView:
    """The view with the tutorial CNN, wide enough for the drawing beside the table."""
    view = ModelSummaryView()
    qtbot.addWidget(view)
    view.set_summary(summary)
    view.resize(800, 330)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_table_columns_show_their_whole_text(shown: ModelSummaryView) -> None:
    # A stretched first column used to cut "Layer (type)" to "ayer (typ".
    table = shown.table
    header = table.horizontalHeader()
    for column in range(table.columnCount()):
        needed = max(table.sizeHintForColumn(column), header.sectionSizeHint(column))
        assert table.columnWidth(column) >= needed, ModelSummaryView.HEADERS[column]
    assert not table.wordWrap()
    assert table.horizontalScrollBar().maximum() == 0  # all three columns in view


def test_drawing_never_cuts_text_and_fits_the_width(shown: ModelSummaryView, qtbot) -> None:
    items = shown.drawing.scene().items()
    boxes = [item.sceneBoundingRect() for item in items if isinstance(item, QGraphicsRectItem)]
    for item in items:
        if isinstance(item, QGraphicsSimpleTextItem):
            text = item.sceneBoundingRect()
            assert any(box.contains(text) for box in boxes), item.text()
    assert shown.splitter.orientation() == Qt.Orientation.Horizontal
    assert shown.drawing.horizontalScrollBar().maximum() == 0  # shrunk to fit the width
    scroll = shown.drawing.verticalScrollBar()
    assert scroll.maximum() > 0 and scroll.value() == scroll.minimum()  # input layer on top


def test_narrow_page_puts_the_drawing_below_the_table(shown: ModelSummaryView, qtbot) -> None:
    # Beside a table that keeps all its columns, a narrow page left the drawing a sliver.
    shown.resize(480, 420)
    qtbot.waitUntil(lambda: shown.splitter.orientation() == Qt.Orientation.Vertical)
    drawing = shown.drawing
    qtbot.waitUntil(lambda: drawing.horizontalScrollBar().maximum() == 0)
    assert drawing.transform().m11() == pytest.approx(1.0)  # full size: it fits the width
    assert shown.table.horizontalScrollBar().maximum() == 0
    shown.resize(900, 420)
    qtbot.waitUntil(lambda: shown.splitter.orientation() == Qt.Orientation.Horizontal)


def test_model_page_summarizes_on_a_worker(qtbot, tmp_path: Path) -> None:
    from guiapp.train_tab import TrainTab

    tab = TrainTab(models_dir=tmp_path)
    qtbot.addWidget(tab)
    assert tab.summary_view.summary is None  # nothing built before the page is shown
    tab.pages.setCurrentWidget(tab.summary_view)
    qtbot.waitUntil(lambda: tab.summary_view.summary is not None, timeout=60_000)
    assert tab.summary_view.summary.total_params == 333_526
    assert tab.shutdown()
