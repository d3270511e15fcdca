"""The Classify tab's model and mode switching: the Mode list's choices, the model
library's reports of opened and failed models, and the model line.

Kept apart from the tab, which creates one :class:`ModelSwitch` once its widgets
exist. The tab itself still reacts to a new model in use and to a model becoming
ready (both change what it shows and classifies). The strings keep the tab's
translation context ("ClassifyTab"): they were its own, and the context is what
ties a string to its translation in the ``.ts`` file.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Slot

from guiapp.messages import Level
from guiapp.model_library import LoadFailure, ModelState, model_key
from guiapp.model_text import model_line, model_tooltip
from guiapp.remembered_models import remembered_models
from guiapp.training_text import draw_here_hint
from training.modelinfo import BUNDLED_MODEL_MODES, ModelInfo, bundled_model_info

if TYPE_CHECKING:
    from guiapp.classify_tab import ClassifyTab
    from guiapp.settings import AppSettings


class ModelSwitch(QObject):
    """Follows the Mode list and the model library for one Classify tab."""

    def __init__(self, tab: ClassifyTab, settings: AppSettings) -> None:
        """Connect ``tab``'s Mode list and model library (bound methods of this
        GUI-thread object: see guiapp.threads); ``settings`` has the remembered models."""
        super().__init__(tab)
        self._tab = tab
        self._settings = settings
        tab.library.modelOpened.connect(self._on_model_opened)
        tab.library.loadFailed.connect(self._on_load_failed)
        tab.mode_combo.chosen.connect(self._on_model_chosen)

    def list_remembered_models(self) -> None:
        """List every mode's remembered model; show the one in use."""
        tab = self._tab
        for info in remembered_models(self._settings):
            tab.mode_combo.add_model(info)
        tab.custom_modes.list_modes()
        tab.mode_combo.show_model(tab.info)
        tab.custom_modes.restore()  # a custom mode used last

    def show_info(self) -> None:
        """The model line (name, how it was trained, whether it is loaded) and the
        canvas's placeholder, for the model in use."""
        tab = self._tab
        info, state = tab.info, tab.library.state()
        status = ""
        if state is ModelState.FAILED:
            status = QCoreApplication.translate("ClassifyTab", "not loaded")
        elif state is not ModelState.READY:
            status = QCoreApplication.translate("ClassifyTab", "loading model…")
        tab.model_label.setText(model_line(info, status))
        tab.model_label.setToolTip(model_tooltip(info))
        tab.canvas.set_placeholder(draw_here_hint(info.noun))

    @Slot(object)
    def _on_model_opened(self, info: ModelInfo) -> None:
        text = QCoreApplication.translate("ClassifyTab", "Now using {file}.")
        self._tab.show_message(text.format(file=Path(info.path).name))

    @Slot(object)
    def _on_load_failed(self, failure: LoadFailure) -> None:
        tab = self._tab
        tab.modelFailed.emit(failure.reason)
        if failure.requested:
            tab.mode_combo.show_model(tab.info)  # the list showed what failed to load
            text = QCoreApplication.translate(
                "ClassifyTab", "Could not open the model: {reason}. Still using {model}."
            )
            tab.show_message(text.format(reason=failure.reason, model=tab.info.name), Level.ERROR)
        elif model_key(failure.info) == model_key(tab.info):
            text = QCoreApplication.translate(
                "ClassifyTab", "The {0} model could not be loaded: {1}"
            )
            tab.show_message(text.format(tab.info.name, failure.reason), Level.ERROR)
        self.show_info()
        tab.classify_now()

    @Slot(str)
    def _on_model_chosen(self, key: str) -> None:
        tab = self._tab
        tab.show_message("")  # whatever it said was about the previous model or drawing
        if tab.custom_modes.choose(key):
            return
        if key in BUNDLED_MODEL_MODES:
            tab.library.select(bundled_model_info(key))
        elif (predictor := tab.library.cached(key)) is not None:
            tab.library.select(predictor.info)
        else:
            tab.use_model(key)
