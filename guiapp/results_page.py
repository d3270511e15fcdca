"""The Train tab's Results page: test accuracy, confusion matrix, misclassified images,
and what to do with the trained model (use it, save a copy).

A page of its own so that later features (export, examples) get a place here
without growing the tab that runs training.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from guiapp.confusion_view import ConfusionView
from guiapp.messages import Level
from guiapp.misclassified_strip import MisclassifiedStrip
from training.job import JobResult
from training.modelinfo import ModelInfo


def format_duration(seconds: float) -> str:
    """``m:ss``, or ``h:mm:ss`` from an hour on."""
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class ResultsPage(QWidget):
    """What a finished run produced, and the buttons that use it.

    Signals:
        useRequested(object): "Use this model" was pressed (the trained model's
            ModelInfo); the main window loads it into the Classify tab.
        saved(object): A copy was saved (its ModelInfo).
        messageRequested(str, Level): Something the tab should show the user.
    """

    useRequested = Signal(object)
    saved = Signal(object)
    messageRequested = Signal(str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        """Build an empty page."""
        super().__init__(parent)
        self.outcome: JobResult | None = None
        self.accuracy_label = QLabel(self.tr("Test accuracy: —"))
        bigger = QFont()
        bigger.setPointSize(bigger.pointSize() + 3)
        bigger.setBold(True)
        self.accuracy_label.setFont(bigger)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.confusion = ConfusionView()
        self.misclassified_label = QLabel(self.tr("Misclassified test images"))
        self.misclassified_label.setWordWrap(True)
        self.misclassified = MisclassifiedStrip()
        self.use_button = QPushButton(self.tr("Use this model"))
        self.use_button.setToolTip(self.tr("Classify with the model just trained"))
        self.use_button.clicked.connect(self.use_model)
        self.save_button = QPushButton(self.tr("Save model as…"))
        self.save_button.clicked.connect(self._choose_save_path)

        buttons = QHBoxLayout()
        buttons.addWidget(self.use_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.accuracy_label)
        layout.addWidget(self.result_label)
        layout.addLayout(buttons)
        confusion_title = QLabel(self.tr("Confusion matrix (rows: true class, columns: predicted)"))
        confusion_title.setWordWrap(True)
        layout.addWidget(confusion_title)
        layout.addWidget(self.confusion, 1)
        layout.addWidget(self.misclassified_label)
        layout.addWidget(self.misclassified)
        self.set_actions_enabled(False)

    def set_actions_enabled(self, enabled: bool) -> None:
        """Enable Use and Save (only with a model, and not while training)."""
        has_model = enabled and self.outcome is not None
        self.use_button.setEnabled(has_model)
        self.save_button.setEnabled(has_model)

    def clear(self) -> None:
        """Forget the last run's results (a new run starts)."""
        self.outcome = None
        self.accuracy_label.setText(self.tr("Test accuracy: —"))
        self.result_label.clear()
        self.confusion.clear_matrix()
        self.misclassified.clear()
        self.misclassified_label.setText(self.tr("Misclassified test images"))
        self.set_actions_enabled(False)

    def show_outcome(self, outcome: JobResult, how: str) -> None:
        """Show a finished run's results.

        Args:
            outcome: What the run produced.
            how: How it ended, for people ("all epochs", "stopped early"...).
        """
        self.outcome = outcome
        training, evaluation = outcome.training, outcome.evaluation
        epochs_run = len(training.history)
        if evaluation is not None:
            text = self.tr("Test accuracy: {0:.2%} on {1:,} test images")
            self.accuracy_label.setText(text.format(evaluation.test_accuracy, evaluation.samples))
            self.confusion.set_matrix(evaluation.confusion_matrix, outcome.info.class_names)
            self.misclassified.set_samples(outcome.misclassified)
            text = self.tr("Misclassified test images ({0} shown; caption: predicted, then true)")
            self.misclassified_label.setText(text.format(len(outcome.misclassified)))
        text = self.tr("Best epoch {best} of {epochs} ({how}). Saved to {path} in {duration}.")
        self.result_label.setText(text.format(
            best=training.best_epoch, epochs=epochs_run, how=how, path=outcome.info.path,
            duration=format_duration(outcome.seconds)))  # fmt: skip

    @Slot()
    def use_model(self) -> None:
        """Ask for the trained model to be used (``useRequested``)."""
        if self.outcome is not None:
            self.useRequested.emit(self.outcome.info)

    def save_model_as(self, path: str | os.PathLike[str]) -> ModelInfo | None:
        """Copy the trained model and its JSON to ``path``; None (message sent) on failure."""
        if self.outcome is None:
            return None
        from training.trained_model import BundledModelError, copy_trained_model  # noqa: PLC0415

        target = Path(path)
        if target.suffix != ".keras":
            target = target.with_name(target.name + ".keras")
        try:
            info = copy_trained_model(self.outcome.info, target)
        except BundledModelError as exc:
            self.messageRequested.emit(str(exc), Level.ERROR)
            return None
        except OSError as exc:
            text = self.tr("Could not save the model to {0}: {1}. Nothing was overwritten.")
            self.messageRequested.emit(text.format(target, exc.strerror or exc), Level.ERROR)
            return None
        self.saved.emit(info)
        return info

    @Slot()
    def _choose_save_path(self) -> None:
        if self.outcome is None:
            return
        suggested = str(Path.home() / self.outcome.info.path.name)
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save model as"), suggested, self.tr("Keras models (*.keras)")
        )
        if path:
            self.save_model_as(path)
