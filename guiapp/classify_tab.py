"""The Classify tab: draw or load a picture and see at once what the model thinks.

Start-up order matters here. The tab is built from Qt widgets, numpy and Pillow
only, so the window shows in well under a second; once it is on screen the tab
starts its :class:`~guiapp.model_library.ModelLibrary` (which loads the model, and
imports TensorFlow, on a worker thread) and builds the pyqtgraph chart. Drawing
works meanwhile, and the model's view updates; the first prediction appears the
moment the model arrives.

The tab arranges and connects its parts: the canvas and its tools, the
:class:`~guiapp.answer_panel.AnswerPanel`, the
:class:`~guiapp.model_chooser.ModelChooser`, the model library and the file dialogs
(:mod:`guiapp.classify_files`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from guiapp.answer_panel import AnswerPanel
from guiapp.canvas import SketchCanvas
from guiapp.canvas_tools import CanvasTools
from guiapp.classify_files import ClassifyFiles
from guiapp.classify_models import ModelSwitch
from guiapp.custom_mode_list import CustomModeList
from guiapp.drawing import Drawing
from guiapp.inside_controller import InsideController
from guiapp.messages import STYLES, Level
from guiapp.model_chooser import ModelChooser
from guiapp.model_library import (
    ModelLibrary,
    ModelSpec,
    ModelState,
)
from guiapp.personalize_button import personalize_button
from guiapp.remembered_models import remember, remembered_model
from guiapp.settings import AppSettings
from guiapp.teach_panel import TeachPanel
from guiapp.training_text import draw_hint, translate_message
from training.modelinfo import BUNDLED_MODEL_MODES, ModelInfo
from training.prediction import ModelOutputError
from training.preprocessing import BlankImageError, PreprocessError, preprocess

if TYPE_CHECKING:  # TensorFlow-free at run time: these are only type names here.
    from guiapp.probability_chart import ProbabilityChart
    from training.predictor import Predictor

CHART_FALLBACK_MS = 1500
"""Build the chart this long after start-up even if the model is still loading
(TensorFlow, for a model without a current twin)."""

THROTTLE_MS = 30
"""While the pen moves, classify at most this often: fast enough to feel live,
slow enough that painting the stroke always comes first."""


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
    personalizeRequested = Signal()  # "Personalise": the main window runs it in the Train tab

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
        self._start_scheduled = False
        self._last: np.ndarray | None = None
        self._last_input: np.ndarray | None = None
        # The drawing a canvas message ("Loaded photo.jpg") speaks of: once the
        # drawing changes, the message is stale and goes.
        self._message_drawing: Drawing | None = None

        initial, note = remembered_model(self._settings)
        self.library = ModelLibrary(initial, predictors, self)
        # Bound methods of this GUI-thread object (see guiapp.threads).
        self.library.currentChanged.connect(self._on_current_changed)
        self.library.modelReady.connect(self._on_model_ready)

        # A child timer, not QTimer.singleShot: it dies with the tab (tests close windows).
        self._chart_timer = QTimer(self)
        self._chart_timer.setSingleShot(True)
        self._chart_timer.timeout.connect(self.build_chart)

        self._throttle = QTimer(self)
        self._throttle.setSingleShot(True)
        self._throttle.setInterval(THROTTLE_MS)
        self._throttle.timeout.connect(self.classify_now)

        self._build_ui()
        self.models = ModelSwitch(self, self._settings)  # Mode list, opened/failed models
        self.models.list_remembered_models()
        self.models.show_info()
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
        return self.answer.chart

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
        """ "digits" or "garments" for a bundled model (a tutorial one too), else None."""
        return BUNDLED_MODEL_MODES.get(self.mode_combo.key())

    def set_mode(self, mode: str) -> None:
        """Switch to a bundled model's mode ("digits" or "garments")."""
        index = self.mode_combo.findData(mode)
        if index < 0:
            raise ValueError(f"unknown mode {mode!r}")
        self.mode_combo.setCurrentIndex(index)

    def start(self) -> None:
        """Load the current model and build the chart (done once, after showing)."""
        self.library.start()
        self.models.show_info()
        if self.library.state() is ModelState.LOADING:
            # The first answer before the chart: importing pyqtgraph here (0.5-1 s)
            # would hold back the model's arrival, which through LiteRT takes 0.2 s.
            # The chart follows the model (_on_model_ready), or comes after a while.
            self._chart_timer.start(CHART_FALLBACK_MS)
        else:
            self.build_chart()

    def build_chart(self) -> None:
        """Create the pyqtgraph chart (imports pyqtgraph; about half a second)."""
        if self.answer.chart is not None:
            return
        # An untrained custom mode shows its own classes, not the loaded model's.
        chart = self.answer.build_chart(self.teach.class_names() or self.info.class_names)
        if self._last is not None:
            chart.set_probabilities(self._last)
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
            self.show_message(self.tr("Could not open the model: {0}").format(exc), Level.ERROR)
            return
        self.show_message(self.tr("Loading {file}…").format(file=Path(info.path).name))
        self.models.show_info()

    def shutdown(self) -> None:
        """Stop classifying and wait for a model load in progress to finish."""
        self._throttle.stop()
        self.inside.shutdown()
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
            self._show_blank(self.teach.blank_hint() or draw_hint(info.noun))
            return
        except PreprocessError as exc:  # e.g. a picture with no usable contrast
            reason = translate_message(str(exc))
            self._show_blank(self.tr("Cannot read this picture: {0}").format(reason))
            return
        self._last_input = x
        self.answer.show_input(x)
        if predictor is None or self.teach.waiting_text():  # or a custom mode without a model
            self.answer.show_waiting(self.teach.waiting_text() or self.tr("Loading model…"))
            self.predicted.emit(None)
            return
        try:
            probabilities = predictor.probabilities(x)
        except ModelOutputError as exc:  # NaN for this input: no answer, and say why
            self._show_blank(self.tr("The model gave no usable answer: {0}").format(exc))
            return
        self._last = probabilities
        self.answer.show_probabilities(info.class_names, probabilities, info.noun)
        self.predicted.emit(probabilities)

    def _on_drawing(self) -> None:
        # Restarting a running timer would postpone it forever while the pen
        # moves; leaving it running gives one classification per interval.
        if not self._throttle.isActive():
            self._throttle.start()

    def _show_blank(self, hint: str) -> None:
        self._last = None
        self._last_input = None
        self.answer.show_blank(hint)
        self.predicted.emit(None)

    # ----- models ------------------------------------------------------------------------

    @Slot(object)
    def _on_current_changed(self, info: ModelInfo) -> None:
        remember(self._settings, info)
        self.answer.set_class_names(info.class_names)
        self.teach.set_model(info)
        self._last = None
        self.mode_combo.show_model(info)
        self.models.show_info()
        self.classify_now()

    @Slot(object)
    def _on_model_ready(self, info: ModelInfo) -> None:
        self.models.show_info()
        self.modelReady.emit(info)
        self.classify_now()  # what is already drawn gets its answer now
        self._chart_timer.stop()
        self.build_chart()  # no-op once built; the answer above is already computed

    # ----- building -----------------------------------------------------------------------

    def _build_ui(self) -> None:
        self.mode_combo = ModelChooser()
        self.files = ClassifyFiles(self)  # Open image…, Open model… (Ctrl+M)
        self.open_model_button = QToolButton()
        self.open_model_button.setDefaultAction(self.files.open_model_action)
        self.personalize_button = personalize_button(self.personalizeRequested)
        self.model_label = QLabel()
        self.model_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.model_label.setWordWrap(True)  # a narrow window gets two lines, not a cut one

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Mode:")))
        top.addWidget(self.mode_combo)
        top.addWidget(self.open_model_button)
        top.addWidget(self.personalize_button)
        top.addSpacing(12)
        top.addWidget(self.model_label, 1)

        self.canvas = SketchCanvas()
        self.canvas.set_pen_width(self._settings.pen_width())
        self.canvas.drawing.connect(self._on_drawing)
        self.canvas.changed.connect(self._on_canvas_changed)
        self.canvas.messageChanged.connect(self._on_canvas_message)

        self.tools = CanvasTools(self.canvas, self.files.open_image_dialog)
        self.tools.penWidthChanged.connect(self._settings.set_pen_width)

        left = QVBoxLayout()
        left.addWidget(self.canvas, 1)
        left.addWidget(self.tools)

        self.answer = AnswerPanel()
        # The widgets other code reads (tests, the screenshot tool).
        self.model_view = self.answer.model_view
        self.answer_label = self.answer.answer_label
        self.top_label = self.answer.top_label
        self.unsure_label = self.answer.unsure_label

        self.teach = TeachPanel(self, self._settings)  # "Wrong? It's…", keep, count
        self.teach.message.connect(self.show_message)
        self.custom_modes = CustomModeList(self, self.teach, self._settings)  # in the Mode list
        self.answer.add_below(self.teach)
        body = QHBoxLayout()
        body.addLayout(left, 3)
        body.addWidget(self.answer, 2)
        self.inside = InsideController(self)  # the "Inside the model" panel, hidden
        top.addWidget(self.inside.button)
        body.addWidget(self.inside.panel, 2)

        self.message_label = QLabel()
        # Messages quote file names and model errors: text, never markup.
        self.message_label.setTextFormat(Qt.TextFormat.PlainText)
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(body, 1)
        layout.addWidget(self.message_label)

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
        self.classify_now()

    @Slot(str, object)
    def _on_canvas_message(self, text: str, level: Level) -> None:
        self.show_message(text, level)
        self._message_drawing = self.canvas.current
