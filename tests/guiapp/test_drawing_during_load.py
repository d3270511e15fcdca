"""Drawing never stutters: strokes drawn while a model loads keep every point.

The model loads on a worker thread while real mouse events arrive: once sent
directly (QTest, as a pointer moves), once queued behind each other (posted, as
events pile up while the GUI thread waits for the loader) so that the event loop
delivers them while the loader runs. Every point must end up in its stroke: a
curve must never become a chord. The loads here go through TensorFlow (a model
without its twin), the slow case; with a current twin a load takes milliseconds.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from guiapp.canvas import SketchCanvas
from guiapp.main_window import MainWindow
from guiapp.settings import AppSettings
from tests.guiapp.gui_drawing import ZERO, draw, ellipse, widget_point


def _post_stroke(canvas: SketchCanvas, points: list[tuple[float, float]]) -> None:
    """Queue a whole stroke's mouse events; the event loop delivers them later."""
    left = Qt.MouseButton.LeftButton
    none = Qt.MouseButton.NoButton
    modifier = Qt.KeyboardModifier.NoModifier

    def event(kind: QEvent.Type, point: tuple[float, float], button: Qt.MouseButton,
              buttons: Qt.MouseButton) -> QMouseEvent:  # fmt: skip
        local = QPointF(widget_point(canvas, *point))
        glob = QPointF(canvas.mapToGlobal(local.toPoint()))
        return QMouseEvent(kind, local, glob, button, buttons, modifier)

    QCoreApplication.postEvent(canvas, event(QEvent.Type.MouseButtonPress, points[0], left, left))
    for point in points[1:]:
        QCoreApplication.postEvent(canvas, event(QEvent.Type.MouseMove, point, none, left))
    QCoreApplication.postEvent(
        canvas, event(QEvent.Type.MouseButtonRelease, points[-1], left, none)
    )


def test_strokes_drawn_while_a_model_loads_keep_all_their_points(
    qtbot, tmp_path: Path, app_settings: AppSettings, shared_predictors: dict,
    digits_model_path: Path,
) -> None:  # fmt: skip
    window = MainWindow(app_settings, shared_predictors)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    tab = window.classify_tab
    canvas = tab.canvas
    # A model without a twin: it loads through TensorFlow, on the worker thread.
    copy = tmp_path / "no-twin.keras"
    copy.write_bytes(digits_model_path.read_bytes())
    curves = [ellipse((140, 140), (40 + 5 * i, 90), steps=64) for i in range(6)]
    with qtbot.waitSignal(tab.library.modelOpened, timeout=60_000):
        tab.use_model(copy)
        assert tab.library.is_loading()
        draw(canvas, ZERO)  # sent while the load runs
        for curve in curves:  # queued: delivered by the event loop during the load
            _post_stroke(canvas, curve)
    qtbot.waitUntil(lambda: len(canvas.current.strokes) == 1 + len(curves), timeout=10_000)
    assert tab.predictor is not None and tab.predictor.runtime == "tensorflow"
    strokes = canvas.current.strokes
    for sent, stroke in zip([ZERO, *curves], strokes, strict=True):
        assert len(stroke.points) == len(sent), "a stroke lost points"
        for (x, y), (sx, sy) in zip(stroke.points, sent, strict=True):
            assert abs(x - sx) < 2 and abs(y - sy) < 2  # widget pixels, rounded


def test_the_app_keeps_every_pointer_move() -> None:
    """Qt's xcb plugin merges queued pointer moves into the last one unless told not to:
    a GUI thread held up by the loader then turned curves into chords."""
    from guiapp.app import configure_application

    configure_application()
    assert not QApplication.testAttribute(Qt.ApplicationAttribute.AA_CompressHighFrequencyEvents)
    assert not QApplication.testAttribute(Qt.ApplicationAttribute.AA_CompressTabletEvents)
