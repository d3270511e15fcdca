"""The main window: a tab per job, remembered geometry, and the way in for other tabs."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

from PySide6.QtGui import QCloseEvent, QIcon
from PySide6.QtWidgets import QMainWindow, QTabWidget, QWidget

from guiapp.classify_tab import ClassifyTab
from guiapp.icon import app_icon
from guiapp.settings import AppSettings
from guiapp.train_tab import TrainTab
from training.modelinfo import ModelInfo

if TYPE_CHECKING:
    from training.predictor import Predictor

TITLE = "Sketch Classifier"


class MainWindow(QMainWindow):
    """"Sketch Classifier": the Classify tab, and any tab added with :meth:`add_tab`.

    Another tab is one line in ``__init__``: ``self.add_tab(TrainTab(...), "Train")``.
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
        self.setWindowTitle(TITLE)
        self.setWindowIcon(app_icon())
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.setCentralWidget(self.tabs)
        self.classify_tab = ClassifyTab(self.settings, predictors)
        self.add_tab(self.classify_tab, "Classify")
        self.train_tab = TrainTab()
        self.add_tab(self.train_tab, "Train")
        self.train_tab.model_ready.connect(self.use_model)
        self.classify_tab.modelReady.connect(self.train_tab.set_model_in_use)
        geometry = self.settings.geometry()
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(980, 640)

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
        for index in range(self.tabs.count()):
            shutdown = getattr(self.tabs.widget(index), "shutdown", None)
            if callable(shutdown):
                shutdown()
        super().closeEvent(event)
