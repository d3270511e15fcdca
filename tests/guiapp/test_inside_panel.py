"""The "Inside the model" panel in a real window: live maps, hiding, saliency."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from guiapp.classify_tab import ClassifyTab
from guiapp.inside_controller import UPDATE_MS
from guiapp.inside_panel import InsidePanel
from guiapp.main_window import MainWindow
from guiapp.settings import AppSettings
from tests.guiapp.gui_drawing import ONE, draw, widget_point
from training.explain import NO_CONV_NOTE, LayerSpec


@pytest.fixture
def tab(qtbot, app_settings: AppSettings, shared_predictors: dict) -> Iterator[ClassifyTab]:
    """The Classify tab of a shown window with the digits model ready."""
    window = MainWindow(app_settings, shared_predictors)
    qtbot.addWidget(window)
    window.show()
    tab = window.classify_tab
    qtbot.waitUntil(lambda: tab.predictor is not None, timeout=10_000)
    yield tab
    tab.shutdown()


class CountingSource:
    """Wraps the panel's activation source and counts its calls."""

    def __init__(self, source) -> None:
        self.source = source
        self.specs = source.specs
        self.calls = 0

    def activations(self, x: np.ndarray):
        self.calls += 1
        return self.source.activations(x)


def shown_tab(tab: ClassifyTab, qtbot) -> None:
    tab.inside.button.click()
    assert tab.inside.panel.isVisible()
    qtbot.waitUntil(lambda: tab.inside.source is not None, timeout=30_000)


def test_panel_is_hidden_until_asked_for(tab: ClassifyTab) -> None:
    assert not tab.inside.panel.isVisible()
    assert tab.inside.button.isCheckable() and not tab.inside.button.isChecked()
    draw(tab.canvas, ONE)
    assert tab.inside.updates == 0 and tab.inside.source is None  # nothing built or run


def test_one_grid_per_conv_layer_with_the_models_shapes(
    tab: ClassifyTab, qtbot, digits_model_path
) -> None:
    import keras

    from training.models import load_keras_model

    shown_tab(tab, qtbot)
    model = load_keras_model(digits_model_path)
    expected = [
        LayerSpec(layer.name, "conv", tuple(layer.output.shape[1:]))
        for layer in model.layers
        if isinstance(layer, (keras.layers.Conv2D, keras.layers.MaxPooling2D))
    ]
    panel = tab.inside.panel
    assert [spec for spec in panel.specs() if spec.is_map] == expected
    assert [row.title.text() for row in panel.rows][:3] == [
        "conv2d · 14×14×32",
        "conv2d_1 · 7×7×64",
        "conv2d_2 · 4×4×128",
    ]
    assert panel.specs()[-1].kind == "dense"  # the hidden dense layer: a strip
    assert not panel.note_label.isVisible()


def test_panel_updates_on_a_stroke_drawn_with_the_mouse(tab: ClassifyTab, qtbot) -> None:
    shown_tab(tab, qtbot)
    rows = tab.inside.panel.rows
    assert all(row.view.image() is None for row in rows)  # a blank canvas: empty maps
    before = tab.inside.updates
    draw(tab.canvas, ONE)
    assert tab.inside.updates == before  # not inside the classification...
    # ...but right after it: the stroke's end updates whatever the throttle is doing.
    qtbot.waitUntil(lambda: tab.inside.updates > before, timeout=1_000)
    first = rows[0].view.image()
    assert first is not None and first.width() > 14 * 8  # 32 maps of 14x14 in a grid
    assert rows[-1].view.image() is not None  # the dense strip


def test_updates_are_throttled_while_drawing(tab: ClassifyTab, qtbot) -> None:
    shown_tab(tab, qtbot)
    tab.inside.source = source = CountingSource(tab.inside.source)
    canvas = tab.canvas
    button, modifier = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    QTest.mousePress(canvas, button, modifier, widget_point(canvas, *ONE[0]))
    for point in ONE[1:]:
        QTest.mouseMove(canvas, widget_point(canvas, *point))
    # Mid-stroke the pen moved 23 times with no event loop in between: no update yet.
    assert source.calls == 0
    qtbot.waitUntil(lambda: source.calls == 1, timeout=2_000)  # the throttled one
    QTest.mouseRelease(canvas, button, modifier, widget_point(canvas, *ONE[-1]))
    qtbot.waitUntil(lambda: source.calls == 2, timeout=1_000)  # and when the stroke ends
    assert UPDATE_MS >= 50  # at most 20 updates per second


def test_hiding_the_panel_stops_its_computation(tab: ClassifyTab, qtbot) -> None:
    shown_tab(tab, qtbot)
    tab.inside.source = source = CountingSource(tab.inside.source)
    draw(tab.canvas, ONE)
    qtbot.waitUntil(lambda: source.calls == 1, timeout=1_000)
    tab.inside.button.click()
    assert not tab.inside.panel.isVisible() and not tab.inside.is_active()
    updates = tab.inside.updates
    draw(tab.canvas, [(60, 60), (200, 200)])
    tab.canvas.undo()
    with qtbot.waitSignal(tab.predicted, timeout=2_000):
        tab.classify_now()
    assert source.calls == 1 and tab.inside.updates == updates
    assert tab.last_probabilities() is not None  # the drawing path went on as before


def test_saliency_is_computed_on_demand_in_the_background(tab: ClassifyTab, qtbot) -> None:
    shown_tab(tab, qtbot)
    draw(tab.canvas, ONE)
    qtbot.waitUntil(lambda: tab.inside.panel.rows[0].view.image() is not None, timeout=1_000)
    panel = tab.inside.panel
    assert panel.overlay.image() is None  # off until asked for
    panel.saliency_check.click()
    qtbot.waitUntil(lambda: panel.overlay.image() is not None, timeout=30_000)
    assert panel.overlay.image().width() == 28
    assert "toward 1" in panel.legend_label.text()
    tab.canvas.clear()
    qtbot.waitUntil(lambda: panel.overlay.image() is None, timeout=1_000)  # blank: none


def test_a_model_without_convolutions_gets_the_note(qtbot) -> None:
    panel = InsidePanel()
    qtbot.addWidget(panel)
    panel.set_layers([LayerSpec("dense", "dense", (16,))])
    assert panel.note_label.text() == NO_CONV_NOTE
    assert [row.title.text() for row in panel.rows] == ["dense · 16"]


def test_tensorflow_runtime_gets_the_keras_sub_model_built_on_a_worker(
    qtbot, app_settings: AppSettings, digits_model_path
) -> None:
    from guiapp.model_library import model_key
    from training.explain_keras import KerasExplainer
    from training.predictor import Predictor

    predictor = Predictor.load(digits_model_path, runtime="tensorflow")
    window = MainWindow(app_settings, {model_key(predictor.info): predictor})
    qtbot.addWidget(window)
    window.show()
    tab = window.classify_tab
    qtbot.waitUntil(lambda: tab.predictor is not None, timeout=10_000)
    draw(tab.canvas, ONE)
    tab.inside.button.click()
    assert tab.inside.source is None  # being built: the GUI did not wait for it
    qtbot.waitUntil(lambda: isinstance(tab.inside.source, KerasExplainer), timeout=30_000)
    qtbot.waitUntil(lambda: tab.inside.panel.rows[0].view.image() is not None, timeout=2_000)
    assert [s.name for s in tab.inside.panel.specs()] == ["conv2d", "conv2d_1", "conv2d_2", "dense"]
    tab.shutdown()


def test_an_explainer_that_cannot_be_built_is_said_once(
    tab: ClassifyTab, qtbot, monkeypatch
) -> None:
    import guiapp.inside_workers

    attempts = []

    def broken(worker) -> None:
        attempts.append(worker)
        raise ValueError("broken.keras cannot be loaded")

    monkeypatch.setattr(guiapp.inside_workers.ExplainerLoadWorker, "_build", broken)
    shown_tab(tab, qtbot)  # LiteRT maps: no explainer needed for them
    draw(tab.canvas, ONE)
    tab.inside.panel.saliency_check.click()
    status = tab.inside.panel.saliency_status
    qtbot.waitUntil(lambda: "broken.keras" in status.text(), timeout=5_000)
    draw(tab.canvas, [(60, 60), (200, 200)])
    qtbot.waitUntil(lambda: tab.inside.updates >= 3, timeout=2_000)
    assert len(attempts) == 1 and status.text().startswith("No saliency")
