"""The Classify tab: draw or load a picture and see at once what the model thinks.

Start-up order matters here. The tab is built from Qt widgets, numpy and Pillow
only, so the window shows in well under a second; once it is on screen the tab
asks the :class:`~guiapp.model_loader.ModelLoader` thread for the model (which
imports TensorFlow there) and builds the pyqtgraph chart. Drawing works
meanwhile, and the model's view updates; the first prediction appears the moment
the model arrives.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QDir, Qt, QThread, QTimer, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence, QPaintEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from guiapp.canvas import SketchCanvas
from guiapp.model_loader import ModelLoader, ModelSpec
from guiapp.model_view_panel import ModelViewPanel
from guiapp.prediction_text import summary, unsure_note
from guiapp.settings import MAX_PEN_WIDTH, MIN_PEN_WIDTH, AppSettings
from training.datasets import DATASETS
from training.images import readable_extensions
from training.modelinfo import BUNDLED_MODELS, ModelInfo, ModelNotFoundError, models_dir, resolve_model
from training.preprocessing import BlankImageError, PreprocessError, preprocess, to_uint8_view

if TYPE_CHECKING:  # TensorFlow-free at run time: these are only type names here.
    from guiapp.probability_chart import ProbabilityChart
    from training.predictor import Predictor

THROTTLE_MS = 30
"""While the pen moves, classify at most this often: fast enough to feel live,
slow enough that painting the stroke always comes first."""

_ERROR_STYLE = "color: #b03a2e;"
_NOTE_STYLE = "color: #a0522d;"


@dataclass(frozen=True)
class _Request:
    """A model load in flight.

    Attributes:
        key: The cache key (the resolved model path).
        switch: Whether to start using the model when it arrives (Open model,
            use_model). Mode models are used when they are still the current one.
    """

    key: str
    switch: bool


def model_key(info: ModelInfo) -> str:
    """The cache key of a model: its resolved file path."""
    return str(Path(info.path).resolve())


def mode_info(mode: str) -> ModelInfo:
    """The bundled model of a mode, with the mode's classes even if its JSON is missing."""
    try:
        info = resolve_model(mode)
    except ModelNotFoundError:
        # The class names and recipe still let the user draw; loading will say
        # clearly that the file is missing.
        info = None
    if info is not None and info.has_metadata:
        return info
    # Without JSON, read_model_info assumes digits; a bundled model's mode knows better.
    spec = DATASETS[mode]
    return ModelInfo(
        path=models_dir() / f"{mode}.keras",
        name=mode,
        class_names=spec.class_names,
        dataset=spec.name,
        recipe=spec.recipe,
        has_metadata=False,
    )


def image_file_filter() -> str:
    """The Open image dialog's filter: every extension Pillow can read."""
    patterns = " ".join(f"*{ext}" for ext in readable_extensions())
    return f"Images ({patterns});;All files (*)"


class ClassifyTab(QWidget):
    """Canvas, pen controls, mode and model choice, model's view, chart and answer.

    Signals:
        modelReady(object): A model became the one in use (its ModelInfo); the
            first one means "predictions are possible".
        predicted(object): After each classification: the probabilities (numpy
            array), or None for a blank canvas or while no model is loaded.
        chartReady(): The pyqtgraph chart was built.
        modelFailed(str): A model could not be loaded (the reason, for people).
    """

    modelReady = Signal(object)
    modelFailed = Signal(str)
    predicted = Signal(object)
    chartReady = Signal()
    _loadRequested = Signal(object)

    def __init__(
        self,
        settings: AppSettings,
        predictors: Mapping[str, Predictor] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """Build the tab; models load later, once it is shown.

        Args:
            settings: Where mode and pen width are remembered.
            predictors: Already loaded predictors by :func:`model_key` (tests
                share one across many windows; the app passes none).
            parent: The Qt parent.
        """
        super().__init__(parent)
        self._settings = settings
        # One Predictor per model, loaded on demand and kept: switching modes
        # back and forth must not reload TensorFlow models.
        self._predictors: dict[str, Predictor] = dict(predictors or {})
        self._pending: deque[_Request] = deque()
        self._info = mode_info(settings.mode())
        self._predictor: Predictor | None = None
        self._chart: ProbabilityChart | None = None
        self._started = False
        self._start_scheduled = False
        self._last: np.ndarray | None = None
        self._last_input: np.ndarray | None = None

        self._thread = QThread(self)
        self._thread.setObjectName("model-loader")
        self._loader = ModelLoader()
        self._loader.moveToThread(self._thread)
        self._loadRequested.connect(self._loader.load)
        # Bound methods of this GUI-thread object: Qt queues the calls to this thread.
        self._loader.loaded.connect(self._on_loaded)
        self._loader.failed.connect(self._on_failed)

        self._throttle = QTimer(self)
        self._throttle.setSingleShot(True)
        self._throttle.setInterval(THROTTLE_MS)
        self._throttle.timeout.connect(self.classify_now)

        self._build_ui()
        self._build_actions()
        self._show_info()
        self.classify_now()

    # ----- public API -----------------------------------------------------------------

    @property
    def info(self) -> ModelInfo:
        """The model in use (or being loaded for the current mode)."""
        return self._info

    @property
    def predictor(self) -> Predictor | None:
        """The loaded predictor in use, or None while it loads."""
        return self._predictor

    @property
    def chart(self) -> ProbabilityChart | None:
        """The probability chart, once built."""
        return self._chart

    def last_probabilities(self) -> np.ndarray | None:
        """The latest probabilities shown, or None."""
        return None if self._last is None else self._last.copy()

    def last_input(self) -> np.ndarray | None:
        """The latest (1, 28, 28, 1) model input, or None for a blank canvas."""
        return None if self._last_input is None else self._last_input.copy()

    def message(self) -> str:
        """The text of the message line (load results and errors)."""
        return self.message_label.text()

    def mode(self) -> str | None:
        """ "digits" or "garments", or None when an opened model is in use."""
        key = self.mode_combo.currentData()
        return key if key in BUNDLED_MODELS else None

    def set_mode(self, mode: str) -> None:
        """Switch to a bundled model's mode ("digits" or "garments")."""
        index = self.mode_combo.findData(mode)
        if index < 0:
            raise ValueError(f"unknown mode {mode!r}")
        self.mode_combo.setCurrentIndex(index)

    def start(self) -> None:
        """Load the current model and build the chart (done once, after showing)."""
        if self._started:
            return
        self._started = True
        self._select(self._info, switch=False)
        self.build_chart()

    def build_chart(self) -> None:
        """Create the pyqtgraph chart (imports pyqtgraph; about half a second)."""
        if self._chart is not None:
            return
        from guiapp.probability_chart import ProbabilityChart  # noqa: PLC0415  (see module doc)

        self._chart = ProbabilityChart(self)
        self._chart.set_class_names(self._info.class_names)
        self._chart_box.replaceWidget(self._chart_placeholder, self._chart)
        self._chart_placeholder.deleteLater()
        if self._last is not None:
            self._chart.set_probabilities(self._last)
        self.chartReady.emit()

    def open_image_file(self, path: str | os.PathLike[str]) -> bool:
        """Load a picture onto the canvas (the Open image dialog ends here).

        Returns:
            Whether it loaded; if not, the message line says why.
        """
        return self.canvas.load_file(path)

    def open_model_file(self, path: str | os.PathLike[str]) -> None:
        """Load a .keras model in the background and use it if it loads."""
        self.use_model(path)

    def use_model(self, model: ModelSpec) -> None:
        """Load a model (a path or ModelInfo) in the background, then switch to it.

        Always reloads, since a trained model may have been rewritten in place.
        Until it arrives (or if it fails) the current model stays in use.
        """
        try:
            info = model if isinstance(model, ModelInfo) else resolve_model(model)
        except ValueError as exc:
            self.show_message(f"Could not open the model: {exc}", error=True)
            return
        self._predictors.pop(model_key(info), None)
        self.show_message(f"Loading {Path(info.path).name}…")
        self._request(info, switch=True)

    def shutdown(self) -> None:
        """Stop the loader thread (waits for a load in progress to finish)."""
        self._throttle.stop()
        if self._thread.isRunning():
            self._thread.quit()
            self._thread.wait()

    def show_message(self, text: str, error: bool = False) -> None:
        """Show a line under the canvas (and keep it inspectable for tests)."""
        self.message_label.setStyleSheet(_ERROR_STYLE if error else "")
        self.message_label.setText(text)

    # ----- classification ----------------------------------------------------------------

    def classify_now(self) -> None:
        """Preprocess the canvas, update the model's view, and classify if a model is ready."""
        self._throttle.stop()
        noun = self._info.noun
        try:
            x = preprocess(self.canvas.to_array(), self._info.recipe)
        except BlankImageError:
            self._show_blank(f"Draw a {noun}")
            return
        except PreprocessError as exc:  # e.g. a picture with no usable contrast
            self._show_blank(f"Cannot read this picture: {exc}")
            return
        self._last_input = x
        self.model_view.set_pixels(to_uint8_view(x))
        if self._predictor is None:
            self._show_result("Loading model…", "", "")
            self.predicted.emit(None)
            return
        probabilities = self._predictor.probabilities(x)
        self._last = probabilities
        if self._chart is not None:
            self._chart.set_probabilities(probabilities)
        names = self._info.class_names
        top = int(np.argmax(probabilities))
        self._show_result(names[top], summary(names, probabilities), unsure_note(probabilities, noun))
        self.predicted.emit(probabilities)

    def _on_drawing(self) -> None:
        # Restarting a running timer would postpone it forever while the pen
        # moves; leaving it running gives one classification per interval.
        if not self._throttle.isActive():
            self._throttle.start()

    def _show_blank(self, hint: str) -> None:
        self._last = None
        self._last_input = None
        self.model_view.set_pixels(None)
        if self._chart is not None:
            self._chart.clear()
        self._show_result(hint, "", "")
        self.predicted.emit(None)

    def _show_result(self, answer: str, top_three: str, note: str) -> None:
        self.answer_label.setText(answer)
        self.top_label.setText(top_three)
        self.unsure_label.setText(note)

    # ----- models ------------------------------------------------------------------------

    def _select(self, info: ModelInfo, switch: bool) -> None:
        """Use ``info`` now: from the cache, or after loading it in the background."""
        self._info = info
        key = model_key(info)
        predictor = self._predictors.get(key)
        self._predictor = predictor
        if self._chart is not None:
            self._chart.set_class_names(info.class_names)
        self._last = None
        self._show_info()
        if predictor is not None:
            self.modelReady.emit(info)
        elif self._started and not any(r.key == key for r in self._pending):
            self._request(info, switch)
        self.classify_now()

    def _request(self, info: ModelInfo, switch: bool) -> None:
        if not self._thread.isRunning():
            self._thread.start()
        self._pending.append(_Request(model_key(info), switch))
        self._show_info()
        self._loadRequested.emit(info)

    def _on_loaded(self, predictor: Predictor) -> None:
        request = self._pending.popleft()
        self._stop_idle_thread()
        self._predictors[request.key] = predictor
        if request.switch:
            self._add_model_entry(predictor.info, request.key)
            self.show_message(f"Now using {Path(predictor.info.path).name}.")
            self._select(predictor.info, switch=False)
        elif request.key == model_key(self._info):
            self._info = predictor.info
            self._predictor = predictor
            self._show_info()
            self.modelReady.emit(predictor.info)
            self.classify_now()  # what is already drawn gets its answer now
        else:
            self._show_info()

    def _on_failed(self, message: str) -> None:
        request = self._pending.popleft()
        self._stop_idle_thread()
        self.modelFailed.emit(message)
        if request.switch:
            self.show_message(
                f"Could not open the model: {message}. Still using {self._info.name}.", error=True
            )
        elif request.key == model_key(self._info):
            self.show_message(f"The {self._info.name} model could not be loaded: {message}", error=True)
        self._show_info()
        self.classify_now()

    def _stop_idle_thread(self) -> None:
        # The thread runs only while loads are pending, so a tab destroyed without
        # being closed (Python dropping it, say) never kills a running QThread. The
        # worker is idle once it has reported, so the wait is short.
        if not self._pending:
            self._thread.quit()
            self._thread.wait()

    def _add_model_entry(self, info: ModelInfo, key: str) -> None:
        if self.mode_combo.findData(key) >= 0 or self.mode_combo.findData(info.name) >= 0:
            return
        self.mode_combo.blockSignals(True)  # _select runs next anyway
        self.mode_combo.addItem(f"{info.name} ({Path(info.path).name})", key)
        self.mode_combo.setCurrentIndex(self.mode_combo.count() - 1)
        self.mode_combo.blockSignals(False)

    def _on_mode_selected(self, index: int) -> None:
        key = self.mode_combo.itemData(index)
        if key in BUNDLED_MODELS:
            self._settings.set_mode(key)
            self._select(mode_info(key), switch=False)
        elif key in self._predictors:
            self._select(self._predictors[key].info, switch=False)
        else:
            self.use_model(key)

    def _show_info(self) -> None:
        info = self._info
        spec = DATASETS.get(info.dataset)
        parts = [f"<b>{info.name}</b>"]
        parts.append(spec.title if spec else f"{len(info.class_names)} classes")
        if info.test_accuracy is not None:
            parts.append(f"test accuracy {info.test_accuracy:.1%}")
        if not info.has_metadata and info.dataset == "digits" and Path(info.path).is_file():
            parts.append("no metadata: assuming digits")
        if self._predictor is None:
            failed = self._started and not any(r.key == model_key(info) for r in self._pending)
            parts.append("<i>not loaded</i>" if failed else "<i>loading model…</i>")
        self.model_label.setText("Model: " + " · ".join(parts))
        self.model_label.setToolTip(str(info.path))
        self.canvas.set_placeholder(f"Draw a {info.noun} here")

    # ----- building -----------------------------------------------------------------------

    def _build_ui(self) -> None:
        self.mode_combo = QComboBox()
        for mode in BUNDLED_MODELS:
            self.mode_combo.addItem(DATASETS[mode].title, mode)
        self.mode_combo.setCurrentIndex(max(self.mode_combo.findData(self._settings.mode()), 0))
        self.mode_combo.setToolTip("What to recognise; each mode has its own model")
        self.mode_combo.currentIndexChanged.connect(self._on_mode_selected)
        self.open_model_button = QToolButton()
        self.model_label = QLabel()
        self.model_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        top = QHBoxLayout()
        top.addWidget(QLabel("Mode:"))
        top.addWidget(self.mode_combo)
        top.addWidget(self.open_model_button)
        top.addSpacing(12)
        top.addWidget(self.model_label, 1)

        self.canvas = SketchCanvas()
        self.canvas.set_pen_width(self._settings.pen_width())
        self.canvas.drawing.connect(self._on_drawing)
        self.canvas.changed.connect(self._on_canvas_changed)
        self.canvas.messageChanged.connect(self._on_canvas_message)

        self.pen_slider = QSlider(Qt.Orientation.Horizontal)
        self.pen_slider.setRange(MIN_PEN_WIDTH, MAX_PEN_WIDTH)
        self.pen_slider.setValue(int(self.canvas.pen_width()))
        self.pen_slider.setToolTip("Pen width")
        self.pen_slider.valueChanged.connect(self._on_pen_width)
        self.pen_value = QLabel(str(self.pen_slider.value()))
        self.pen_value.setMinimumWidth(24)
        self.eraser_button = QToolButton()
        self.undo_button = QToolButton()
        self.redo_button = QToolButton()
        self.clear_button = QToolButton()
        self.open_image_button = QToolButton()

        tools = QHBoxLayout()
        tools.addWidget(QLabel("Pen:"))
        tools.addWidget(self.pen_slider, 1)
        tools.addWidget(self.pen_value)
        for button in (
            self.eraser_button, self.undo_button, self.redo_button,
            self.clear_button, self.open_image_button,
        ):
            tools.addWidget(button)

        left = QVBoxLayout()
        left.addWidget(self.canvas, 1)
        left.addLayout(tools)

        self.model_view = ModelViewPanel()
        self.answer_label = QLabel()
        answer_font = QFont(self.font())
        answer_font.setPointSizeF(answer_font.pointSizeF() * 2.2)
        answer_font.setBold(True)
        self.answer_label.setFont(answer_font)
        self.answer_label.setWordWrap(True)
        self.top_label = QLabel()
        self.top_label.setWordWrap(True)
        self.unsure_label = QLabel()
        self.unsure_label.setWordWrap(True)
        self.unsure_label.setStyleSheet(_NOTE_STYLE)
        self._chart_placeholder = QLabel("Loading chart…")
        self._chart_placeholder.setMinimumSize(260, 200)

        view_box = QGridLayout()
        view_box.addWidget(QLabel("Model's view (28×28):"), 0, 0)
        view_box.addWidget(self.model_view, 1, 0)
        view_box.addWidget(QLabel("Answer:"), 0, 1)
        answer_box = QVBoxLayout()
        answer_box.addWidget(self.answer_label)
        answer_box.addWidget(self.top_label)
        answer_box.addWidget(self.unsure_label)
        answer_box.addStretch(1)
        view_box.addLayout(answer_box, 1, 1)
        view_box.setColumnStretch(1, 1)

        self._chart_box = QVBoxLayout()
        self._chart_box.addWidget(self._chart_placeholder)
        right = QVBoxLayout()
        right.addLayout(view_box)
        right.addLayout(self._chart_box, 1)

        body = QHBoxLayout()
        body.addLayout(left, 3)
        body.addLayout(right, 2)

        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(body, 1)
        layout.addWidget(self.message_label)

    def _build_actions(self) -> None:
        def action(text: str, shortcuts: list[str], tip: str, slot: Callable[[], object] | None) -> QAction:
            act = QAction(text, self)
            act.setShortcuts([QKeySequence(s) for s in shortcuts])
            keys = ", ".join(QKeySequence(s).toString(QKeySequence.SequenceFormat.NativeText) for s in shortcuts)
            act.setToolTip(f"{tip} ({keys})" if keys else tip)
            if slot is not None:
                act.triggered.connect(slot)
            # Actions live on the tab: their shortcuts work only while it is shown.
            self.addAction(act)
            return act

        self.undo_action = action("Undo", ["Ctrl+Z"], "Undo the last stroke, clear or load", self.canvas.undo)
        self.redo_action = action("Redo", ["Ctrl+Shift+Z", "Ctrl+Y"], "Redo", self.canvas.redo)
        self.clear_action = action("Clear", ["Delete", "Escape"], "Clear the canvas", self.canvas.clear)
        self.open_image_action = action("Open image…", ["Ctrl+O"], "Open an image file to classify", self.open_image_dialog)
        self.paste_action = action("Paste", ["Ctrl+V"], "Paste an image or image file", self.canvas.paste)
        self.open_model_action = action("Open model…", ["Ctrl+M"], "Open a .keras model", self.open_model_dialog)
        self.eraser_action = action("Eraser", ["E"], "Erase instead of drawing (the right button always erases)", None)
        self.eraser_action.setCheckable(True)
        self.eraser_action.toggled.connect(self.canvas.set_eraser)
        for button, act in (
            (self.undo_button, self.undo_action), (self.redo_button, self.redo_action),
            (self.clear_button, self.clear_action), (self.open_image_button, self.open_image_action),
            (self.open_model_button, self.open_model_action), (self.eraser_button, self.eraser_action),
        ):
            button.setDefaultAction(act)
        self._update_actions()

    # ----- reactions ------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802  (Qt override)
        """After the first paint, start the slow parts (model, chart) from the event loop."""
        super().paintEvent(event)
        if not self._start_scheduled:
            self._start_scheduled = True
            # Not in showEvent: the window must be painted before the heavy imports,
            # or the user stares at nothing while pyqtgraph loads.
            QTimer.singleShot(0, self.start)

    def _on_canvas_changed(self) -> None:
        self._update_actions()
        self.classify_now()

    def _on_canvas_message(self, text: str) -> None:
        self.show_message(text, error=text.startswith("Could not") or text.startswith("The clipboard"))

    def _on_pen_width(self, width: int) -> None:
        self.canvas.set_pen_width(width)
        self.pen_value.setText(str(width))
        self._settings.set_pen_width(width)

    def _update_actions(self) -> None:
        self.undo_action.setEnabled(self.canvas.can_undo())
        self.redo_action.setEnabled(self.canvas.can_redo())
        self.clear_action.setEnabled(not self.canvas.current.is_empty)

    def open_image_dialog(self) -> None:
        """Ask for an image file and load it."""
        path, _ = QFileDialog.getOpenFileName(self, "Open image", QDir.homePath(), image_file_filter())
        if path:
            self.open_image_file(path)

    def open_model_dialog(self) -> None:
        """Ask for a .keras model file and load it in the background."""
        path, _ = QFileDialog.getOpenFileName(
            self, "Open model", QDir.homePath(), "Keras models (*.keras);;All files (*)"
        )
        if path:
            self.open_model_file(path)
