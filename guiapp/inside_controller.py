"""When and how the "Inside the model" panel computes: the Classify tab's wiring for it.

The tab gets a checkable "Inside the model" button and the panel; this object
does the rest, so that the tab itself changes by a few lines.

* **Hidden, it costs nothing.** Only while the panel is shown is it connected to
  the tab's ``predicted`` signal; hidden, no slot runs and the drawing path
  (preprocess, classify, chart) is exactly what it was.
* **Live, throttled.** After each classification it updates at most every
  :data:`UPDATE_MS` while the pen moves, and at once when the drawing settles
  (a stroke ended, undo, a picture loaded), in the next turn of the event loop.
  Either way an update runs in its own timer event, after the classification
  has returned, never inside it.
* **Built once per loaded model.** The activations come from the ``.tflite``
  twin's intermediate tensors when the classifier runs on LiteRT (0.1 ms an image,
  and no TensorFlow), else from a Keras functional sub-model built on a worker
  (:mod:`training.explain_litert` says why). Saliency always needs the Keras model's
  gradients: that explainer is built on a worker too, the first time it is asked for.
"""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING, Protocol

import numpy as np
from PySide6.QtCore import QObject, QThread, QTimer, Slot
from PySide6.QtWidgets import QToolButton

from guiapp.inside_panel import InsidePanel
from guiapp.inside_workers import (
    ExplainerLoadWorker,
    LoadedExplainer,
    SaliencyResult,
    SaliencyWorker,
)
from guiapp.threads import start_worker
from guiapp.training_text import translate_message
from training.explain import LayerActivation, LayerSpec

if TYPE_CHECKING:
    from guiapp.classify_tab import ClassifyTab
    from training.explain_keras import KerasExplainer
    from training.predictor import Predictor

UPDATE_MS = 50
"""While the pen moves, update the panel at most this often (20 per second)."""


class ActivationSource(Protocol):
    """LiteRT's intermediate tensors or the Keras sub-model: what gives the maps."""

    specs: tuple[LayerSpec, ...]

    def activations(self, x: np.ndarray) -> list[LayerActivation]:
        """Every shown layer's output for one image."""


class InsideController(QObject):
    """Owns the panel, its toggle button, its timer and its workers.

    Attributes:
        button: The checkable "Inside the model" button (the tab places it).
        panel: The :class:`~guiapp.inside_panel.InsidePanel` (the tab places it).
        updates: Panel updates so far (tests and benchmarks count them).
        source: What computes the maps for the current model, once ready.
    """

    def __init__(self, tab: ClassifyTab) -> None:
        """Create the button and the (hidden) panel for ``tab``."""
        super().__init__(tab)
        self._tab = tab
        self.updates = 0
        self._last_update = -math.inf
        self.source: ActivationSource | None = None
        self._source_for: Predictor | None = None
        self._explainer: KerasExplainer | None = None
        self._explainer_for: Predictor | None = None
        self._loader: QThread | None = None
        self._loading_for: Predictor | None = None
        self._failed_for: Predictor | None = None  # its explainer could not be built
        self._saliency_thread: QThread | None = None
        self._saliency_again = False
        self._active = False

        self.button = QToolButton()
        self.button.setText(self.tr("Inside the model"))
        self.button.setCheckable(True)
        self.button.setToolTip(
            self.tr("Show what each layer of the model sees, live while you draw")
        )
        self.button.toggled.connect(self.set_active)
        self.panel = InsidePanel()
        self.panel.hide()
        self.panel.saliencyToggled.connect(self._on_saliency_toggled)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.update_now)
        self._settled = QTimer(self)
        self._settled.setSingleShot(True)
        self._settled.setInterval(0)
        self._settled.timeout.connect(self.update_now)

    # ----- showing and hiding ----------------------------------------------------------

    def is_active(self) -> bool:
        """Whether the panel is shown (and so computing)."""
        return self._active

    @Slot(bool)
    def set_active(self, on: bool) -> None:
        """Show the panel and follow the drawing, or hide it and stop all its work."""
        if on == self._active:
            return
        self._active = on
        self.button.setChecked(on)
        self.panel.setVisible(on)
        if on:
            self._tab.predicted.connect(self._on_predicted)
            self.update_now()
        else:
            self._tab.predicted.disconnect(self._on_predicted)
            self._timer.stop()
            self._settled.stop()

    def shutdown(self) -> None:
        """Stop updating and wait for a worker in flight (the window is closing)."""
        if self._active:
            self.set_active(False)
        for thread in (self._loader, self._saliency_thread):
            if thread is not None:
                thread.wait()

    # ----- updating --------------------------------------------------------------------

    @Slot(object)
    def _on_predicted(self, _probabilities: object) -> None:
        if self._tab.canvas.is_drawing():
            # Leave a pending update alone: restarting its timer would postpone it
            # for as long as the pen moves. Otherwise wait out the rest of the
            # interval since the last update (at most 20 updates a second).
            if self._timer.isActive() or self._settled.isActive():
                return
            wait_ms = UPDATE_MS - (time.monotonic() - self._last_update) * 1000
            if wait_ms <= 0:
                self._settled.start()
            else:
                self._timer.start(math.ceil(wait_ms))
        else:
            # The drawing settled: update in the next turn of the event loop, after
            # the classification has returned and the answer is painted.
            self._timer.stop()
            self._settled.start()

    @Slot()
    def update_now(self) -> None:
        """Compute and show every layer for the tab's current input."""
        if not self._active:
            return
        predictor = self._tab.predictor
        if predictor is None:
            self.panel.set_note(self.tr("Waiting for the model…"))
            return
        if self._source_for is not predictor:
            self._prepare(predictor)
        if self.source is None:
            return  # the Keras sub-model is on its way; it updates on arrival
        x = self._tab.last_input()
        self.panel.show_activations(None if x is None else self.source.activations(x))
        self.updates += 1
        self._last_update = time.monotonic()
        if self.panel.saliency_on() and not self._tab.canvas.is_drawing():
            self._request_saliency()

    def _prepare(self, predictor: Predictor) -> None:
        """Find or start building what computes this model's maps."""
        self._source_for = predictor
        self.source = None
        if predictor.runtime == "litert":
            from training.explain_litert import litert_activations  # noqa: PLC0415  (LiteRT)
            from training.twin import current_twin  # noqa: PLC0415

            twin = current_twin(predictor.info.path)
            self.source = None if twin is None else litert_activations(predictor.info.path, twin)
        if self.source is None and self._explainer_for is predictor:
            self.source = self._explainer
        if self.source is not None:
            self.panel.set_layers(self.source.specs)
        elif predictor is self._failed_for:
            self.panel.set_layers([])
            self.panel.set_note(self.tr("Cannot look inside this model."))
        else:
            self.panel.set_layers([])
            self.panel.set_note(self.tr("Building the model's layers (TensorFlow)…"))
            self._load_explainer()

    # ----- the Keras explainer ---------------------------------------------------------

    def _load_explainer(self) -> None:
        predictor = self._tab.predictor
        if self._loader is not None or predictor is None:
            return  # one at a time; _on_loader_done starts the next if still needed
        if predictor is self._explainer_for or predictor is self._failed_for:
            return  # built already, or cannot be: never retried in a loop
        self._loading_for = predictor
        worker = ExplainerLoadWorker(predictor)
        worker.loaded.connect(self._on_explainer_loaded)
        worker.failed.connect(self._on_explainer_failed)
        self._loader = start_worker(
            worker, self, name="inside-explainer", on_done=self._on_loader_done
        )

    @Slot(object)
    def _on_explainer_loaded(self, loaded: LoadedExplainer) -> None:
        self._explainer, self._explainer_for = loaded.explainer, loaded.predictor
        if self._source_for is loaded.predictor and self.source is None:
            self.source = loaded.explainer
            self.panel.set_layers(loaded.explainer.specs)
        self.update_now()

    @Slot(str)
    def _on_explainer_failed(self, reason: str) -> None:
        self._failed_for = self._loading_for
        if self._failed_for is self._tab.predictor:
            reason = translate_message(reason)
            if self.source is None:
                self.panel.set_note(self.tr("Cannot look inside this model: {0}").format(reason))
            self._on_saliency_failed(reason)

    @Slot()
    def _on_loader_done(self) -> None:
        self._loader, self._loading_for = None, None
        wanted = self.source is None or self.panel.saliency_on()
        if self._active and wanted:
            self._load_explainer()  # the model changed while the last one was built

    # ----- saliency ----------------------------------------------------------------------

    @Slot(bool)
    def _on_saliency_toggled(self, on: bool) -> None:
        if on and self._active:
            self._request_saliency()

    def _request_saliency(self) -> None:
        """Start integrated gradients for the current input on a worker (latest wins)."""
        x = self._tab.last_input()
        if x is None:
            self.panel.clear_saliency()
            return
        if self._failed_for is self._tab.predictor:
            return  # the status line already says why there is none
        if self._explainer_for is not self._tab.predictor:
            self.panel.set_saliency_status(self.tr("Loading TensorFlow…"))
            self._load_explainer()  # its arrival calls update_now, which asks again
            return
        if self._saliency_thread is not None:
            self._saliency_again = True  # one in flight: redo once it ends, for the latest
            return
        assert self._explainer is not None
        self.panel.set_saliency_status(self.tr("Computing…"))
        worker = SaliencyWorker(self._explainer, x, self._tab.last_probabilities())
        worker.computed.connect(self._on_saliency)
        worker.failed.connect(self._on_saliency_failed)
        self._saliency_thread = start_worker(
            worker, self, name="inside-saliency", on_done=self._on_saliency_done
        )

    @Slot(object)
    def _on_saliency(self, result: SaliencyResult) -> None:
        if self._active and self.panel.saliency_on():
            self.panel.show_saliency(result.x, result.saliency, self._tab.info.class_names)

    @Slot(str)
    def _on_saliency_failed(self, reason: str) -> None:
        self.panel.set_saliency_status(self.tr("No saliency: {0}").format(reason))

    @Slot()
    def _on_saliency_done(self) -> None:
        self._saliency_thread = None
        if self._saliency_again and self._active and self.panel.saliency_on():
            self._saliency_again = False
            self._request_saliency()
