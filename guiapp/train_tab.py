"""The Train tab: settings, Start/Cancel, live curves, results, and the model view.

The tab runs things; its parts show things: :class:`TrainSettingsForm` produces the
job, :class:`ResultsPage` shows what a run produced, :class:`TrainingPage` the live
curves, progress and log; :mod:`guiapp.train_report` words what a run reports.
Training runs in a :class:`~guiapp.train_worker.TrainWorker`, and the Model page's
summary in a :class:`~guiapp.train_worker.SummaryWorker`, each started with
:func:`guiapp.threads.start_worker`. Every worker signal is connected to a method of
this tab (which lives in the GUI thread), never to a lambda: Qt then queues each
call into the GUI thread, whereas a lambda connected to a moved worker's signal
runs in the worker's thread.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from PySide6.QtCore import Qt, QThread, Signal, Slot
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from guiapp.dataset_download import DatasetDownloadPanel
from guiapp.distrib_panel import DistribOptions, DistribPanel
from guiapp.messages import Level, MessageBanner
from guiapp.model_summary_view import ModelSummaryView
from guiapp.personalize_action import Personalizer
from guiapp.results_page import ResultsPage
from guiapp.threads import start_worker
from guiapp.train_report import data_lines, run_end, skipped_note, summary_line
from guiapp.train_settings_form import FOLDER, TrainSettingsForm
from guiapp.train_worker import BATCH_INTERVAL_S, SummaryWorker, TrainWorker
from guiapp.training_page import TrainingPage
from guiapp.training_text import translate_message
from training.datasets import DATASETS
from training.job import DataReady, JobResult, TrainJob
from training.modelinfo import ModelInfo
from training.progress import BatchProgress, EpochMetrics
from training.summary import ModelSummary
from training.user_data import user_models_dir

log = logging.getLogger(__name__)

SUMMARY_CLASSES = 10  # the Model page shows the architecture as built for 10 classes


class TrainTab(QWidget):
    """Retrain or fine-tune a model on a worker thread and watch it learn.

    Signals:
        useRequested(ModelInfo): "Use this model" was pressed; the main window loads
            it into the Classify tab.
        runningChanged(bool): A run started or ended.
        trained(JobResult): A run ended with a saved model.
    """

    useRequested = Signal(object)
    runningChanged = Signal(bool)
    trained = Signal(object)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        models_dir: str | os.PathLike[str] | None = None,
        data_dir: str | os.PathLike[str] | None = None,
        limit: tuple[int, int] | None = None,
        batch_interval: float = BATCH_INTERVAL_S,
    ) -> None:
        """Build the tab.

        Args:
            parent: The parent widget.
            models_dir: Where trained models go (default: :func:`user_models_dir`).
            data_dir: A first folder to look in for the built-in datasets.
            limit: At most (training, test) samples per run (tests, demos).
            batch_interval: Seconds between per-batch updates from the worker.
        """
        super().__init__(parent)
        self.models_dir = Path(models_dir) if models_dir else user_models_dir()
        self.limit = limit
        self.batch_interval = batch_interval
        # What is running. The tab keeps the job and the summary's key itself
        # rather than asking a worker once it has reported.
        self._job: TrainJob | None = None
        self._thread: QThread | None = None
        self._worker: TrainWorker | None = None
        self._summary_thread: QThread | None = None
        self._summary_worker: SummaryWorker | None = None
        self._summary_key: tuple[str, int] | None = None
        self._summaries: dict[tuple[str, int], ModelSummary] = {}
        self._build(data_dir)
        self._update_enabled()
        self._check_dataset()

    # ------------------------------------------------------------------ building

    def _build(self, data_dir: str | os.PathLike[str] | None) -> None:
        self.form = TrainSettingsForm(data_dir)
        self.form.architectureChanged.connect(self._request_summary)
        # Offers to download a missing built-in dataset; re-checked on every change.
        self.download_panel = DatasetDownloadPanel()
        self.download_panel.downloaded.connect(self._on_dataset_downloaded)
        self.download_panel.runningChanged.connect(self._update_enabled)
        self.form.add_data_widget(self.download_panel)
        self.form.dataset_combo.currentIndexChanged.connect(self._check_dataset)
        self.form.data_dir_edit.textChanged.connect(self._check_dataset)
        self.start_button = QPushButton(self.tr("Start"))
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.start)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.cancel)
        run_row = QHBoxLayout()
        run_row.addWidget(self.start_button)
        run_row.addWidget(self.cancel_button)
        self.personalizer = Personalizer(self)  # its button: fine-tune on the mode's examples
        run_row.addWidget(self.personalizer.button)

        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.form)
        self.distrib_options = DistribOptions()
        side_layout.addWidget(self.distrib_options)
        side_layout.addLayout(run_row)
        side_layout.addStretch(1)
        # Scrolls rather than setting the window's minimum height: the form is
        # taller than a small window (or a 2x screen) allows.
        self.side = _scrolling(side)
        self.side.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.side.setMinimumWidth(260)
        self.side.setMaximumWidth(420)

        self.training = TrainingPage()
        self.distrib = DistribPanel(self.training)  # strategy, per-worker progress, cache
        self.training.layout().insertWidget(3, self.distrib)
        # The widgets other code reads (tests).
        self.status_label = self.training.status_label
        self.progress_label = self.training.progress_label
        self.progress = self.training.progress
        self.plots = self.training.plots
        self.log_view = self.training.log_view
        self.message_label = MessageBanner()

        self.results = ResultsPage()
        self.results.useRequested.connect(self.useRequested)
        self.results.saved.connect(self._on_saved)
        self.results.messageRequested.connect(self.message_label.show_message)
        self.summary_view = ModelSummaryView()
        self.pages = QTabWidget()
        self.pages.addTab(self.training, self.tr("Training"))
        self.pages.addTab(_scrolling(self.results), self.tr("Results"))
        self.pages.addTab(self.summary_view, self.tr("Model"))
        self.pages.currentChanged.connect(self._request_summary)

        right = QVBoxLayout()
        right.addWidget(self.message_label)
        right.addWidget(self.pages, 1)
        layout = QHBoxLayout(self)
        layout.addWidget(self.side)
        layout.addLayout(right, 1)

    # ------------------------------------------------------------------ state

    @property
    def is_running(self) -> bool:
        """Whether a training run is going (Start is then disabled)."""
        return self._thread is not None

    @property
    def outcome(self) -> JobResult | None:
        """The last run's outcome (a saved model), or None."""
        return self.results.outcome

    @Slot()
    def _update_enabled(self) -> None:
        running = self.is_running
        self.form.setEnabled(not running)
        self.start_button.setEnabled(not running and not self.download_panel.is_downloading)
        self.personalizer.button.setEnabled(not running)
        self.cancel_button.setEnabled(running and not (self._worker and self._worker.is_cancelled))
        self.results.set_actions_enabled(not running)

    def set_model_in_use(self, info: ModelInfo | None) -> None:
        """Tell the tab which model the Classify tab uses (for "fine-tune")."""
        self.form.set_model_in_use(info)
        self.personalizer.set_model(info)

    # ------------------------------------------------------------------ start / cancel

    @Slot()
    def start(self) -> bool:
        """Start training with the current settings; False if it could not start."""
        if self.is_running:
            return False  # Start is disabled meanwhile; this guards programmatic calls
        try:
            job = self.distrib_options.apply(self.form.job(self.models_dir, self.limit))
        except ValueError as exc:
            self.message_label.show_message(str(exc), Level.ERROR)
            return False
        return self.start_job(job)

    def start_job(self, job: TrainJob) -> bool:
        """Start ``job`` (made elsewhere too: a custom mode's training); False if busy."""
        return self.run_worker(TrainWorker(job, batch_interval=self.batch_interval))

    def run_worker(self, worker: TrainWorker) -> bool:
        """Run ``worker`` (a training or personalising one) with live curves; False if busy."""
        if self.is_running:
            return False
        job = worker.job
        self._reset_views(job)
        worker.status.connect(self._on_status)
        worker.dataReady.connect(self._on_data_ready)
        worker.summaryReady.connect(self._on_summary_ready)
        worker.batchProgress.connect(self._on_batch_progress)
        worker.batchProgress.connect(self.distrib.show_batch)
        worker.cacheProgress.connect(self.distrib.show_cache)
        worker.strategyReady.connect(self.distrib.show_strategy)
        worker.epochEnded.connect(self._on_epoch_end)
        worker.finished.connect(self._on_finished)
        worker.cancelled.connect(self._on_cancelled)
        worker.failed.connect(self._on_failed)
        self._job, self._worker = job, worker
        self._thread = start_worker(
            worker, self, name="train-worker", on_done=self._on_thread_finished
        )
        self._update_enabled()
        self.runningChanged.emit(True)
        return True

    @Slot()
    def cancel(self) -> None:
        """Stop within a batch; the best epoch so far is still evaluated and kept."""
        if self._worker is not None and not self._worker.is_cancelled:
            self._worker.cancel()
            self._log(self.tr("Cancelling…"))
            self.status_label.setText(self.tr("Cancelling: stopping after this batch…"))
            self._update_enabled()

    def shutdown(self, timeout_ms: int = 2000) -> bool:
        """Stop any training and wait for its thread (the window is closing).

        Training stops within a batch and skips the evaluation; the best model so
        far stays in the models folder, complete (files are written atomically).

        Args:
            timeout_ms: How long to wait for the threads, in all.

        Returns:
            Whether every thread ended in time.
        """
        deadline = time.monotonic() + timeout_ms / 1000
        if self._worker is not None:
            self._worker.abort()
        ok = self.download_panel.shutdown(timeout_ms)
        for thread in (self._thread, self._summary_thread):
            if thread is None:
                continue
            remaining = max(0, round((deadline - time.monotonic()) * 1000))
            if not thread.wait(remaining):
                # Only an uninterruptible step (importing TensorFlow) gets here; keep
                # the references, so Qt does not destroy a running thread.
                log.warning(
                    "the %s thread did not stop within %d ms", thread.objectName(), timeout_ms
                )
                ok = False
        return ok

    # ------------------------------------------------------------------ worker slots

    @Slot(str)
    def _on_status(self, text: str) -> None:
        self.training.show_status(translate_message(text))

    @Slot(object)
    def _on_data_ready(self, ready: DataReady) -> None:
        fraction = self._job.config.validation_fraction if self._job else 0.0
        for line in data_lines(ready, fraction):
            self._log(line)
        if ready.skipped:
            self.message_label.show_message(skipped_note(len(ready.skipped)), Level.NOTE)

    @Slot(object)
    def _on_summary_ready(self, summary: ModelSummary) -> None:
        self.summary_view.set_summary(summary)
        self._log(summary_line(summary))

    @Slot(object)
    def _on_batch_progress(self, progress: BatchProgress) -> None:
        self.training.show_batch(progress)

    @Slot(object)
    def _on_epoch_end(self, metrics: EpochMetrics) -> None:
        self.training.show_epoch(metrics)

    @Slot(object)
    def _on_finished(self, outcome: JobResult) -> None:
        end = run_end(outcome, self._job.config.patience if self._job else "?")
        for line in end.log:
            self._log(line)
        self.training.show_done(end.done)
        self.results.show_outcome(outcome, end.how)
        self.status_label.setText(self.tr("Finished. Use the model, or save a copy elsewhere."))
        self.pages.setCurrentIndex(1)  # the Results page
        self.trained.emit(outcome)

    @Slot(str)
    def _on_cancelled(self, message: str) -> None:
        self._log(message)
        self.status_label.setText(self.tr("Cancelled."))
        self.progress_label.setText(self.tr("Cancelled"))
        self.message_label.show_message(message, Level.NOTE)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._log(self.tr("Error: {0}").format(message))
        self.status_label.setText(self.tr("Training failed."))
        self.progress_label.setText(self.tr("Failed"))
        if self._check_dataset():
            # The data are missing: the panel offers the download, which beats the
            # loader's command-line advice (still in the log).
            needed = self.tr("The dataset is needed first: download it on the left.")
            self.status_label.setText(needed)
        else:
            self.message_label.show_message(message, Level.ERROR)

    # ------------------------------------------------------------------ dataset download

    @Slot()
    def _check_dataset(self) -> bool:
        """Show the download panel if the chosen built-in dataset is missing; return whether."""
        dataset = self.form.dataset_combo.currentData()
        data_dir = self.form.data_dir_edit.text().strip() or None
        return self.download_panel.set_dataset(None if dataset == FOLDER else dataset, data_dir)

    @Slot(str)
    def _on_dataset_downloaded(self, dataset: str) -> None:
        self._check_dataset()
        self.message_label.hide()
        title = translate_message(DATASETS[dataset].title)
        self.status_label.setText(self.tr("{0} downloaded. Press Start to train.").format(title))

    @Slot()
    def _on_thread_finished(self) -> None:
        self._thread = self._worker = None
        self._update_enabled()
        self.runningChanged.emit(False)

    # ------------------------------------------------------------------ after training

    def save_model_as(self, path: str | os.PathLike[str]) -> ModelInfo | None:
        """Copy the trained model and its JSON to ``path``; None (message shown) on failure."""
        return self.results.save_model_as(path)

    @Slot(object)
    def _on_saved(self, info: ModelInfo) -> None:
        line = self.tr("Saved a copy: {0} (+ {1})")
        self._log(line.format(info.path, info.metadata_path.name))
        self.message_label.hide()

    # ------------------------------------------------------------------ model view

    @Slot()
    def _request_summary(self) -> None:
        """Summarize the chosen architecture when the Model page is shown.

        Lazily, because building a model imports TensorFlow (seconds), which is
        needless at start-up and would have to be waited for if the window closed.
        """
        if self.pages.currentWidget() is not self.summary_view or self.is_running:
            return
        key = (self.form.architecture(), SUMMARY_CLASSES)
        if key in self._summaries:
            self.summary_view.set_summary(self._summaries[key])
            return
        if self._summary_thread is not None:
            return  # one at a time; the finished one asks again if the choice changed
        self.summary_view.show_message(self.tr("Building {0} to list its layers…").format(key[0]))
        worker = SummaryWorker(*key)
        worker.ready.connect(self._on_architecture_summary)
        worker.failed.connect(self.summary_view.show_message)
        self._summary_key, self._summary_worker = key, worker
        self._summary_thread = start_worker(
            worker, self, name="summary-worker", on_done=self._on_summary_thread_finished
        )

    @Slot(object)
    def _on_architecture_summary(self, summary: ModelSummary) -> None:
        if self._summary_key is not None:
            self._summaries[self._summary_key] = summary
        self.summary_view.set_summary(summary)

    @Slot()
    def _on_summary_thread_finished(self) -> None:
        self._summary_thread = self._summary_worker = self._summary_key = None
        self._request_summary()  # the architecture may have changed meanwhile

    # ------------------------------------------------------------------ helpers

    def _reset_views(self, job: TrainJob) -> None:
        self.message_label.hide()
        self.training.reset(job)
        self.distrib.reset()
        self.results.clear()
        self.pages.setCurrentIndex(0)

    def _log(self, line: str) -> None:
        self.training.log(line)


def _scrolling(widget: QWidget) -> QScrollArea:
    """``widget`` in a frameless scroll area that resizes it: it scrolls only when
    the window is smaller than the widget's minimum size."""
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    return area
