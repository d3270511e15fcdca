"""The window's side of teaching: the Examples menu (New mode…, My examples…) and
"Train model for this mode" through the existing Train tab.

Kept apart from the main window, which adds it with one line. Training a custom
mode's model uses :func:`training.custom_modes.training_job` (the recipe; the lead
may re-point it) and the Train tab's ordinary run: the same live curves, cancel
and checkpoint rules. When the run ends, its model becomes the mode's model.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction

from guiapp.examples_dialog import ExamplesDialog
from guiapp.messages import Level
from guiapp.new_mode_dialog import NewModeDialog
from guiapp.training_text import translate_message
from training.custom_modes import (
    MIN_EXAMPLES_TO_TRAIN,
    CustomMode,
    find_mode,
    missing_examples,
    set_model,
    training_job,
)
from training.examples import ExamplesError

if TYPE_CHECKING:
    from guiapp.main_window import MainWindow
    from training.job import JobResult


class TeachActions(QObject):
    """The Examples menu and custom modes' training, for one main window."""

    def __init__(self, window: MainWindow) -> None:
        """Add the Examples menu to ``window`` and connect the teach row's requests."""
        super().__init__(window)
        self._window = window
        self._tab = window.classify_tab
        self._training: CustomMode | None = None  # the mode whose model is training
        self._connected = False  # to the Train tab's ``trained`` (built lazily)
        self.examples_dialog: ExamplesDialog | None = None
        self.new_mode_dialog: NewModeDialog | None = None
        menu = window.menuBar().addMenu(self.tr("&Examples"))
        self.new_mode_action = QAction(self.tr("New mode…"), self)
        self.new_mode_action.setStatusTip(self.tr("Make a mode of your own classes"))
        self.new_mode_action.triggered.connect(self.new_mode)
        self.examples_action = QAction(self.tr("My examples…"), self)
        self.examples_action.setStatusTip(
            self.tr("See, sort, import and export the mode's examples")
        )
        self.examples_action.triggered.connect(self.show_examples)
        menu.addAction(self.new_mode_action)
        menu.addAction(self.examples_action)
        self._tab.teach.examplesRequested.connect(self.show_examples)
        self._tab.teach.trainRequested.connect(self.train_mode)

    def shutdown(self) -> None:
        """Close My examples (its thumbnail reader stops) before the window goes."""
        if self.examples_dialog is not None:
            self.examples_dialog.close()

    @Slot()
    def show_examples(self) -> ExamplesDialog | None:
        """Open My examples for the mode in use (non-modal)."""
        teach = self._tab.teach
        folder = teach.examples_dir()
        if folder is None:
            self._tab.show_message(self.tr("This model has no examples folder."), Level.NOTE)
            return None
        if self.examples_dialog is not None:
            self.examples_dialog.close()
        title = self._tab.mode_combo.currentText()
        dialog = ExamplesDialog(folder, teach.class_names(), title, self._window)
        dialog.changed.connect(teach.refresh)
        dialog.show()
        self.examples_dialog = dialog
        return dialog

    @Slot()
    def new_mode(self) -> NewModeDialog:
        """Open the New mode dialog (non-modal); a created mode becomes the one in use."""
        dialog = NewModeDialog(self._window)
        dialog.accepted.connect(self._on_mode_created)
        dialog.show()
        self.new_mode_dialog = dialog
        return dialog

    @Slot()
    def _on_mode_created(self) -> None:
        mode = self.new_mode_dialog.mode() if self.new_mode_dialog else None
        if mode is None:
            return
        self._window.tabs.setCurrentWidget(self._tab)
        self._tab.custom_modes.add_mode(mode)
        self._tab.show_message(
            self.tr(
                "New mode {0}: draw each class and keep it ({1}+ per class), then train its model."
            ).format(mode.title, MIN_EXAMPLES_TO_TRAIN)
        )

    @Slot(object)
    def train_mode(self, mode: CustomMode) -> bool:
        """Train ``mode``'s model from its examples in the Train tab.

        Returns:
            Whether the run started (if not, a message says why).
        """
        try:
            missing = missing_examples(mode)
        except ExamplesError as exc:
            self._tab.show_message(translate_message(str(exc)), Level.ERROR)
            return False
        if missing:
            counts = ", ".join(f"{name} {n}" for name, n in missing.items())
            self._tab.show_message(
                self.tr("Keep at least {0} examples of every class first (now: {1}).").format(
                    MIN_EXAMPLES_TO_TRAIN, counts
                ),
                Level.NOTE,
            )
            return False
        tab = self._window.train_tab
        start_job = getattr(tab, "start_job", None)
        if start_job is None:  # the slim build has no Train tab
            self._tab.show_message(self.tr("Training needs the full build."), Level.NOTE)
            return False
        if not start_job(training_job(mode, tab.models_dir)):
            busy = self.tr("The Train tab is busy; try again when it is done.")
            self._tab.show_message(busy, Level.NOTE)
            return False
        if not self._connected:
            tab.trained.connect(self._on_trained)
            self._connected = True
        self._training = mode
        self._window.show_train_tab()  # watch it learn there
        return True

    @Slot(object)
    def _on_trained(self, outcome: JobResult) -> None:
        mode = self._training
        if mode is None or outcome.training.cancelled:
            return
        if Path(outcome.info.dataset).resolve() != mode.examples_dir.resolve():
            return  # another run of the Train tab's own
        self._training = None
        current = find_mode(mode.key) or mode
        try:
            updated = set_model(current, outcome.info.path)
        except OSError as exc:
            text = self.tr("Could not record the mode's model: {0}").format(exc)
            self._tab.show_message(text, Level.ERROR)
            return
        self._tab.custom_modes.add_mode(updated)
