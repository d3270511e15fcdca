"""The Train tab's Training page: status line, progress bar with ETA, live curves, log.

The tab decides what happened; this page shows it. It keeps when training started
(the first batch) to estimate the time left.
"""

from __future__ import annotations

import time

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QProgressBar, QVBoxLayout, QWidget

from guiapp.results_page import format_duration
from guiapp.training_plots import TrainingPlots
from guiapp.training_text import translate_message
from training.job import TrainJob
from training.progress import BatchProgress, EpochMetrics

PROGRESS_STEPS = 1000


class TrainingPage(QWidget):
    """What a run is doing: status, progress and ETA, loss/accuracy curves and a log."""

    def __init__(self, parent: QWidget | None = None) -> None:
        """Build the page, showing "Not started"."""
        super().__init__(parent)
        self._train_started: float | None = None
        self.status_label = QLabel(self.tr("Choose the data and press Start."))
        self.status_label.setWordWrap(True)
        # The text sits beside the bar, not on it: drawn over the bar it straddles
        # the fill's edge and is unreadable in some styles.
        self.progress_label = QLabel(self.tr("Not started"))
        self.progress = QProgressBar()
        self.progress.setRange(0, PROGRESS_STEPS)
        self.progress.setValue(0)
        self.progress.setTextVisible(False)
        self.plots = TrainingPlots()
        self.log_view = QPlainTextEdit()
        self.log_view.setReadOnly(True)
        self.log_view.setMaximumBlockCount(5000)
        self.log_view.setFont(QFont("monospace"))
        self.log_view.setMaximumHeight(150)

        layout = QVBoxLayout(self)
        layout.addWidget(self.status_label)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.progress)
        layout.addWidget(self.plots, 1)
        layout.addWidget(self.log_view)

    def reset(self, job: TrainJob) -> None:
        """Clear the page for a new run of ``job`` and log its settings."""
        self._train_started = None
        self.plots.reset()
        self.log_view.clear()
        self.progress.setValue(0)
        self.progress_label.setText(self.tr("Starting…"))
        c = job.config
        line = self.tr(
            "Training {architecture} on {dataset}: up to {epochs} epochs, batch {batch}, "
            "learning rate {rate:g}, validation {validation:.0%}, patience {patience}, seed {seed}"
        ).format(
            architecture=c.architecture, dataset=job.dataset, epochs=c.epochs,
            batch=c.batch_size, rate=c.learning_rate, validation=c.validation_fraction,
            patience=c.patience, seed=c.seed,
        )  # fmt: skip
        if c.augment:
            line += self.tr(", images augmented like real input")
        if c.lr_decay:
            line += self.tr(", learning rate cut when stuck")
        if c.lr_cosine:
            line += self.tr(", learning rate lowered along a cosine")
        if c.initial_model:
            line += self.tr(", fine-tuning {0}").format(c.initial_model)
        self.log(line)

    def log(self, line: str) -> None:
        """Append a line to the log."""
        self.log_view.appendPlainText(line)

    def show_status(self, text: str) -> None:
        """Show the worker's status; before the first batch, beside the bar too."""
        self.status_label.setText(text)
        if not self._train_started:
            self.progress_label.setText(text)

    def show_batch(self, progress: BatchProgress) -> None:
        """Plot a batch and move the bar, with the epoch and the estimated time left."""
        now = time.monotonic()
        if self._train_started is None:
            self._train_started = now
        self.plots.add_batch(progress)
        done = (progress.epoch - 1 + progress.batch / max(progress.batches, 1)) / progress.epochs
        self.progress.setValue(round(done * PROGRESS_STEPS))
        elapsed = now - self._train_started
        eta = format_duration(elapsed * (1 - done) / done) if done > 0 and elapsed > 1 else "…"
        text = self.tr("Epoch {epoch}/{epochs} · {share:.0%} of epoch · ETA {eta}")
        self.progress_label.setText(text.format(
            epoch=progress.epoch, epochs=progress.epochs,
            share=progress.batch / max(progress.batches, 1), eta=eta))  # fmt: skip

    def show_epoch(self, metrics: EpochMetrics) -> None:
        """Plot an epoch's metrics and log them."""
        self.plots.add_epoch(metrics)
        self.log(translate_message(metrics.log_line()))
        if metrics.is_best:
            line = self.tr("  val_loss improved: best epoch is now {0}, checkpoint saved")
            self.log(line.format(metrics.epoch))

    def show_done(self, text: str) -> None:
        """Fill the bar and say how the run ended."""
        self.progress.setValue(PROGRESS_STEPS)
        self.progress_label.setText(text)
