"""The main window: a tab per job, remembered geometry, and the way in for other tabs."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QWidget

from guiapp.classify_tab import ClassifyTab
from guiapp.export_dialog import ModelExporter
from guiapp.icon import app_icon
from guiapp.language_menu import LanguageMenu
from guiapp.lazy_tab import LazyTab
from guiapp.messages import Level
from guiapp.settings import AppSettings
from guiapp.teach_actions import TeachActions
from guiapp.training_text import translate_message
from training.flavour import FULL_BUILD_NOTE, tensorflow_available
from training.modelinfo import ModelInfo

if TYPE_CHECKING:
    from guiapp.train_tab import TrainTab
    from training.predictor import Predictor

TITLE = "Sketch Classifier"


class MainWindow(QMainWindow):
    """ "Sketch Classifier": the Classify tab, and any tab added with :meth:`add_tab`.

    Another tab is one line in ``__init__``: ``self.add_tab(widget, "Title")``, or a
    :class:`LazyTab` for one whose imports are slow.
    A tab that produces a model hands it over with :meth:`use_model`.
    """

    def __init__(
        self,
        settings: AppSettings | None = None,
        predictors: Mapping[str, Predictor] | None = None,
    ) -> None:
        """Build the window; nothing slow happens until it is shown.

        Args:
            settings: Where to remember things; the user's settings when None.
            predictors: Already loaded predictors to share (tests), by model path.
        """
        super().__init__()
        self.settings = settings if settings is not None else AppSettings()
        self.setWindowTitle(self.tr("Sketch Classifier"))
        self.setWindowIcon(app_icon())
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.setCentralWidget(self.tabs)
        self.classify_tab = ClassifyTab(self.settings, predictors)
        self.add_tab(self.classify_tab, self.tr("Classify"))
        # Built once the Classify tab's chart is up (or when first opened): its plots
        # import pyqtgraph, which must not delay the window's first paint.
        self._train_host: LazyTab[TrainTab | QLabel] = LazyTab(self._make_train_tab)
        self.add_tab(self._train_host, self.tr("Train"))
        self.classify_tab.chartReady.connect(self._train_host.build)
        self.classify_tab.personalizeRequested.connect(self.personalize)
        quit_action = QAction(self.tr("Quit"), self)
        quit_action.setShortcut(
            QKeySequence("Ctrl+Q")
        )  # StandardKey.Quit is empty on some platforms
        quit_action.triggered.connect(self.close)
        self.addAction(quit_action)  # a window-wide shortcut, whichever tab is shown
        self.exporter = ModelExporter(self)
        self.export_action = QAction(self.tr("Export…"), self)
        self.export_action.setStatusTip(self.tr("Save the model in use as .tflite or a SavedModel"))
        self.export_action.triggered.connect(self.export_model_in_use)
        self.menuBar().addMenu(self.tr("&Model")).addAction(self.export_action)
        self.teach_actions = TeachActions(self)  # Examples menu, custom modes' training
        self.language_menu = LanguageMenu(self.settings, self)
        self.menuBar().addMenu(self.language_menu)
        geometry = self.settings.geometry()
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(980, 640)

    @property
    def train_tab(self) -> TrainTab | QLabel:
        """The Train tab (built now if it was not yet); a note in the slim build."""
        return self._train_host.build()

    def export_model_in_use(self) -> None:
        """Model ▸ Export…: ask where, then export the model in use (verified)."""
        self.exporter.ask_and_export(self.classify_tab.info)

    def _make_train_tab(self) -> TrainTab | QLabel:
        if not tensorflow_available():  # the slim build: no TensorFlow to train with
            needs = self.tr("Training needs the full build.")
            note = QLabel(f"{needs}\n\n{translate_message(FULL_BUILD_NOTE)}")
            note.setObjectName("train-note")
            note.setWordWrap(True)
            note.setAlignment(Qt.AlignmentFlag.AlignCenter)
            note.setMargin(40)
            return note
        from guiapp.train_tab import TrainTab  # noqa: PLC0415  (pyqtgraph: after first paint)

        tab = TrainTab()
        tab.useRequested.connect(self.use_model)
        tab.personalizer.personalized.connect(self._use_personalized)
        self.classify_tab.modelReady.connect(tab.set_model_in_use)
        predictor = self.classify_tab.predictor
        if predictor is not None:
            tab.set_model_in_use(predictor.info)
        return tab

    def personalize(self) -> None:
        """Classify ▸ Personalise: fine-tune the model in use on its mode's examples,
        in the Train tab (live curves, Cancel); the result becomes the mode's model."""
        tab = self.train_tab
        if isinstance(tab, QLabel):  # the slim build cannot train: its note says so
            self.show_train_tab()
            return
        if tab.personalizer.personalize(self.classify_tab.info):
            self.show_train_tab()
        else:  # nothing to learn from yet: say why where the button was pressed
            self.classify_tab.show_message(tab.message_label.text(), Level.NOTE)

    def show_train_tab(self) -> None:
        """Bring the Train tab to the front (found by its widget, not its translated title)."""
        self.tabs.setCurrentWidget(self._train_host)

    def _use_personalized(self, model: ModelInfo, _summary: str) -> None:
        # The Train tab keeps showing the results; the Classify tab switches models.
        self.classify_tab.use_model(model)

    def add_tab(self, widget: QWidget, title: str, icon: QIcon | None = None) -> int:
        """Add a tab; return its index."""
        if icon is None:
            return self.tabs.addTab(widget, title)
        return self.tabs.addTab(widget, icon, title)

    def use_model(self, model: ModelInfo | str | os.PathLike[str]) -> None:
        """Classify with ``model`` (a ModelInfo or a .keras path) from now on.

        Switches to the Classify tab at once; the model loads in the background
        (the current one stays in use until it arrives, and if it fails to load a
        message says why).
        """
        self.tabs.setCurrentWidget(self.classify_tab)
        self.classify_tab.use_model(model)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802  (Qt override)
        """Remember the geometry and stop worker threads."""
        self.settings.set_geometry(self.saveGeometry())
        self.settings.sync()
        self.exporter.shutdown()
        self.teach_actions.shutdown()
        for index in range(self.tabs.count()):
            shutdown = getattr(self.tabs.widget(index), "shutdown", None)
            if callable(shutdown):
                shutdown()
        super().closeEvent(event)
