"""The Classify tab: draw or load a picture and see at once what the model thinks.

Start-up order matters here. The tab is built from Qt widgets, numpy and Pillow
only, so the window shows in well under a second; once it is on screen the tab
starts its :class:`~guiapp.model_library.ModelLibrary` (which loads the model, and
imports TensorFlow, on a worker thread) and builds the pyqtgraph chart. Drawing
works meanwhile, and the model's view updates; the first prediction appears the
moment the model arrives.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QDir, Qt, QTimer, Signal, Slot
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

from guiapp.canvas import Drawing, SketchCanvas
from guiapp.messages import STYLES, Level
from guiapp.model_library import LoadFailure, ModelLibrary, ModelSpec, ModelState, model_key
from guiapp.model_view_panel import ModelViewPanel
from guiapp.prediction_text import summary, unsure_note
from guiapp.settings import MAX_PEN_WIDTH, MIN_PEN_WIDTH, AppSettings
from training.datasets import DATASETS
from training.images import readable_extensions
from training.modelinfo import BUNDLED_MODELS, ModelInfo, ModelNotFoundError, bundled_model_info, resolve_model
from training.preprocessing import BlankImageError, PreprocessError, preprocess, to_uint8_view

if TYPE_CHECKING:  # TensorFlow-free at run time: these are only type names here.
    from guiapp.probability_chart import ProbabilityChart
    from training.predictor import Predictor

THROTTLE_MS = 30
"""While the pen moves, classify at most this often: fast enough to feel live,
slow enough that painting the stroke always comes first."""

MODE_NAME_CHARS = 32
"""A model's name in the Mode list is elided beyond this (the full name is its tooltip):
a trained model's timestamped name would otherwise widen the window's minimum size."""

_NOTE_STYLE = "color: #a0522d;"
_ERASER_STYLE = (
    "QToolButton:checked { background: #1f6feb; color: white; border: 1px solid #0b4fb8;"
    " border-radius: 3px; font-weight: bold; }"
)
_NBSP = "\u00a0"


def image_file_filter() -> str:
    """The Open image dialog's filter: every extension Pillow can read."""
    patterns = " ".join(f"*{ext}" for ext in readable_extensions())
    return f"Images ({patterns});;All files (*)"


def unbreakable_entries(text: str, separator: str = "·") -> str:
    """``text`` with line breaks allowed only between its ``separator``-joined entries.

    "Coat  11.8 %" must never wrap into "Coat 11.8" / "%": the spaces inside each
    entry become non-breaking ones, the spaces around the separators stay.
    """
    entries = [entry.strip() for entry in text.split(separator)]
    return f" {separator} ".join(entry.replace(" ", _NBSP) for entry in entries)


def _elide(text: str, limit: int = MODE_NAME_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def entry_key(info: ModelInfo) -> str:
    """The Mode list's key for ``info``: the mode for a bundled model, else its path."""
    if info.dataset in BUNDLED_MODELS and model_key(info) == model_key(bundled_model_info(info.dataset)):
        return info.dataset
    return model_key(info)


class ClassifyTab(QWidget):
    """Canvas, pen controls, mode and model choice, model's view, chart and answer.

    Signals:
        modelReady(object): A model became the one in use and can predict (its
            ModelInfo); the first one means "predictions are possible".
        predicted(object): After each classification: the probabilities (numpy
            array), or None for a blank canvas or while no model is loaded.
        chartReady(): The pyqtgraph chart was built.
        modelFailed(str): A model could not be loaded (the reason, for people).
    """

    modelReady = Signal(object)
    modelFailed = Signal(str)
    predicted = Signal(object)
    chartReady = Signal()

    def __init__(
        self,
        settings: AppSettings,
        predictors: Mapping[str, Predictor] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """Build the tab; models load later, once it is shown.

        Args:
            settings: Where mode, model per mode and pen width are remembered.
            predictors: Already loaded predictors by
                :func:`~guiapp.model_library.model_key` (tests share one across
                many windows; the app passes none).
            parent: The Qt parent.
        """
        super().__init__(parent)
        self._settings = settings
        self._chart: ProbabilityChart | None = None
        self._start_scheduled = False
        self._last: np.ndarray | None = None
        self._last_input: np.ndarray | None = None
        # The drawing a canvas message ("Loaded photo.jpg") speaks of: once the
        # drawing changes, the message is stale and goes.
        self._message_drawing: Drawing | None = None

        initial, note = self._remembered_model()
        self.library = ModelLibrary(initial, predictors, self)
        # Bound methods of this GUI-thread object (see guiapp.threads).
        self.library.currentChanged.connect(self._on_current_changed)
        self.library.modelReady.connect(self._on_model_ready)
        self.library.modelOpened.connect(self._on_model_opened)
        self.library.loadFailed.connect(self._on_load_failed)

        self._throttle = QTimer(self)
        self._throttle.setSingleShot(True)
        self._throttle.setInterval(THROTTLE_MS)
        self._throttle.timeout.connect(self.classify_now)

        self._build_ui()
        self._build_actions()
        self._add_remembered_entries()
        self._show_info()
        if note:
            self.show_message(note, Level.NOTE)
        self.classify_now()

    # ----- public API -----------------------------------------------------------------

    @property
    def info(self) -> ModelInfo:
        """The model in use (or being loaded for the current mode)."""
        return self.library.info

    @property
    def predictor(self) -> Predictor | None:
        """The loaded predictor in use, or None while it loads."""
        return self.library.predictor

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
        self.library.start()
        self._show_info()
        self.build_chart()

    def build_chart(self) -> None:
        """Create the pyqtgraph chart (imports pyqtgraph; about half a second)."""
        if self._chart is not None:
            return
        from guiapp.probability_chart import ProbabilityChart  # noqa: PLC0415  (see module doc)

        self._chart = ProbabilityChart(self)
        self._chart.set_class_names(self.info.class_names)
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
            info = self.library.open(model)
        except ValueError as exc:
            self.show_message(f"Could not open the model: {exc}", Level.ERROR)
            return
        self.show_message(f"Loading {Path(info.path).name}…")
        self._show_info()

    def shutdown(self) -> None:
        """Stop classifying and wait for a model load in progress to finish."""
        self._throttle.stop()
        self.library.shutdown()

    def show_message(self, text: str, level: Level = Level.INFO) -> None:
        """Show a line under the canvas (and keep it inspectable for tests)."""
        self._message_drawing = None
        self.message_label.setStyleSheet(STYLES[level])
        self.message_label.setText(text)

    # ----- classification ----------------------------------------------------------------

    def classify_now(self) -> None:
        """Preprocess the canvas, update the model's view, and classify if a model is ready."""
        self._throttle.stop()
        info, predictor = self.library.info, self.library.predictor
        try:
            x = preprocess(self.canvas.to_array(), info.recipe)
        except BlankImageError:
            self._show_blank(f"Draw a {info.noun}")
            return
        except PreprocessError as exc:  # e.g. a picture with no usable contrast
            self._show_blank(f"Cannot read this picture: {exc}")
            return
        self._last_input = x
        self.model_view.set_pixels(to_uint8_view(x))
        if predictor is None:
            self._show_result("Loading model…", "", "")
            self.predicted.emit(None)
            return
        probabilities = predictor.probabilities(x)
        self._last = probabilities
        if self._chart is not None:
            self._chart.set_probabilities(probabilities)
        names = info.class_names
        top = int(np.argmax(probabilities))
        self._show_result(
            names[top], unbreakable_entries(summary(names, probabilities)), unsure_note(probabilities, info.noun)
        )
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

    def _remembered_model(self) -> tuple[ModelInfo, str]:
        """The model to start with (the last mode's last model) and a note, if any."""
        mode = self._settings.mode()
        path = self._settings.mode_model(mode)
        if path is None:
            return bundled_model_info(mode), ""
        try:
            return resolve_model(path), ""
        except ModelNotFoundError:
            self._settings.set_mode_model(mode, None)
            return bundled_model_info(mode), (
                f"The {mode} model used last ({path}) is gone; using the bundled {mode} model."
            )

    def _add_remembered_entries(self) -> None:
        """List every mode's remembered model; select the one in use."""
        for mode in BUNDLED_MODELS:
            path = self._settings.mode_model(mode)
            if path is not None and Path(path).is_file():
                self._add_model_entry(resolve_model(path))
        self._select_entry(self.info)

    @Slot(object)
    def _on_current_changed(self, info: ModelInfo) -> None:
        self._remember(info)
        if self._chart is not None:
            self._chart.set_class_names(info.class_names)
        self._last = None
        self._select_entry(info)
        self._show_info()
        self.classify_now()

    @Slot(object)
    def _on_model_ready(self, info: ModelInfo) -> None:
        self._show_info()
        self.modelReady.emit(info)
        self.classify_now()  # what is already drawn gets its answer now

    @Slot(object)
    def _on_model_opened(self, info: ModelInfo) -> None:
        self._add_model_entry(info)
        self.show_message(f"Now using {Path(info.path).name}.")

    @Slot(object)
    def _on_load_failed(self, failure: LoadFailure) -> None:
        self.modelFailed.emit(failure.reason)
        if failure.requested:
            self.show_message(
                f"Could not open the model: {failure.reason}. Still using {self.info.name}.", Level.ERROR
            )
        elif model_key(failure.info) == model_key(self.info):
            self.show_message(f"The {self.info.name} model could not be loaded: {failure.reason}", Level.ERROR)
        self._show_info()
        self.classify_now()

    def _remember(self, info: ModelInfo) -> None:
        """Remember ``info`` as its mode's model, and its mode as the last one."""
        if info.dataset not in BUNDLED_MODELS:
            return  # a model of the user's own classes belongs to no mode
        bundled = entry_key(info) in BUNDLED_MODELS
        self._settings.set_mode(info.dataset)
        self._settings.set_mode_model(info.dataset, None if bundled else Path(info.path).resolve())

    def _add_model_entry(self, info: ModelInfo) -> None:
        key = entry_key(info)
        if self.mode_combo.findData(key) >= 0:
            return
        full = f"{info.name} ({Path(info.path).name})"
        self.mode_combo.addItem(_elide(full), key)
        self.mode_combo.setItemData(self.mode_combo.count() - 1, f"{full}\n{info.path}", Qt.ItemDataRole.ToolTipRole)

    def _select_entry(self, info: ModelInfo) -> None:
        """Show ``info``'s entry in the Mode list, without reacting to the change."""
        index = self.mode_combo.findData(entry_key(info))
        if index >= 0 and index != self.mode_combo.currentIndex():
            self.mode_combo.blockSignals(True)
            self.mode_combo.setCurrentIndex(index)
            self.mode_combo.blockSignals(False)
        tip = self.mode_combo.itemData(self.mode_combo.currentIndex(), Qt.ItemDataRole.ToolTipRole)
        self.mode_combo.setToolTip(tip or "What to recognise; each mode has its own model")

    def _on_mode_selected(self, index: int) -> None:
        key = self.mode_combo.itemData(index)
        self.show_message("")  # whatever it said was about the previous model or drawing
        if key in BUNDLED_MODELS:
            self.library.select(bundled_model_info(key))
        elif (predictor := self.library.cached(key)) is not None:
            self.library.select(predictor.info)
        else:
            self.use_model(key)

    def _show_info(self) -> None:
        info = self.info
        spec = DATASETS.get(info.dataset)
        parts = [f"<b>{info.name}</b>"]
        parts.append(spec.title if spec else f"{len(info.class_names)} classes")
        if info.test_accuracy is not None:
            parts.append(f"test accuracy {info.test_accuracy:.1%}")
        if not info.has_metadata and info.dataset == "digits" and Path(info.path).is_file():
            parts.append("no metadata: assuming digits")
        state = self.library.state()
        if state is ModelState.FAILED:
            parts.append("<i>not loaded</i>")
        elif state is not ModelState.READY:
            parts.append("<i>loading model…</i>")
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
        # Wide enough for the longest (elided) entry, so a model's name is never cut.
        self.mode_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
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
        self.eraser_button.setStyleSheet(_ERASER_STYLE)  # the default "on" look is faint
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
        if self._message_drawing is not None and self._message_drawing is not self.canvas.current:
            self.show_message("")  # "Loaded photo.jpg" is stale once the drawing changed
        self._update_actions()
        self.classify_now()

    @Slot(str, object)
    def _on_canvas_message(self, text: str, level: Level) -> None:
        self.show_message(text, level)
        self._message_drawing = self.canvas.current

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
