"""The Train tab: settings, Start/Cancel, live curves, results, and the model view.

Training runs in a :class:`~guiapp.train_worker.TrainWorker` on a QThread. Every
worker signal is connected to a method of this tab (which lives in the GUI thread),
never to a lambda: Qt then queues each call into the GUI thread, whereas a lambda
connected to a moved worker's signal runs in the worker's thread.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QThread, Signal, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from guiapp.confusion_view import ConfusionView
from guiapp.dataset_download import DatasetDownloadPanel
from guiapp.misclassified_strip import MisclassifiedStrip
from guiapp.model_summary_view import ModelSummaryView
from guiapp.train_worker import (
    BATCH_INTERVAL_S,
    DataReady,
    SummaryWorker,
    TrainJob,
    TrainWorker,
)
from guiapp.training_plots import TrainingPlots
from training.datasets import DATASETS
from training.job import JobResult
from training.modelinfo import ModelInfo
from training.preprocessing import RECIPES
from training.models import ARCHITECTURES, DEFAULT_ARCHITECTURE
from training.summary import ModelSummary
from training.trainer import BatchProgress, EpochMetrics, TrainConfig

log = logging.getLogger(__name__)

FOLDER = "folder"
PROGRESS_STEPS = 1000


def default_models_dir() -> Path:
    """``<AppDataLocation>/models``: where trained models are kept (never resources/)."""
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    if not base:  # no writable data location on this system: fall back as the CLI does
        from training.trained_model import user_models_dir  # noqa: PLC0415

        return user_models_dir()
    return Path(base) / "models"


def _format_duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class TrainTab(QWidget):
    """Retrain or fine-tune a model on a worker thread and watch it learn.

    Signals:
        model_ready(ModelInfo): "Use this model" was pressed; the main window loads it
            into the Classify tab.
        running_changed(bool): A run started or ended.
    """

    model_ready = Signal(object)
    running_changed = Signal(bool)

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
            models_dir: Where trained models go (default: the user's data folder).
            data_dir: A first folder to look in for the built-in datasets.
            limit: At most (training, test) samples per run (tests, demos).
            batch_interval: Seconds between per-batch updates from the worker.
        """
        super().__init__(parent)
        self.models_dir = Path(models_dir) if models_dir else default_models_dir()
        self.limit = limit
        self._batch_interval = batch_interval
        self._thread: QThread | None = None
        self._worker: TrainWorker | None = None
        self._summary_thread: QThread | None = None
        self._summary_worker: SummaryWorker | None = None
        self._summaries: dict[tuple[str, int], ModelSummary] = {}
        self._model_in_use: ModelInfo | None = None
        self.outcome: JobResult | None = None
        self._epochs = 0
        self._train_started: float | None = None
        self._build_settings(data_dir)
        self._build_views()
        self._update_enabled()
        self._check_dataset()

    # ------------------------------------------------------------------ building

    def _build_settings(self, data_dir: str | os.PathLike[str] | None) -> None:
        self.dataset_combo = QComboBox()
        for name, spec in DATASETS.items():
            self.dataset_combo.addItem(spec.title, name)
        self.dataset_combo.addItem("A folder of my own images…", FOLDER)
        self.dataset_combo.currentIndexChanged.connect(self._update_enabled)

        self.folder_edit = QLineEdit()
        self.folder_edit.setPlaceholderText("one sub-folder of images per class")
        self.folder_button = QPushButton("Browse…")
        self.folder_button.clicked.connect(self._choose_folder)
        self.recipe_combo = QComboBox()
        for recipe, label in RECIPES.items():
            self.recipe_combo.addItem(label, recipe)
        self.data_dir_edit = QLineEdit(str(data_dir) if data_dir else "")
        self.data_dir_edit.setPlaceholderText("standard places ($SKETCH_CLASSIFIER_DATA, ~/.keras…)")
        self.data_dir_button = QPushButton("Browse…")
        self.data_dir_button.clicked.connect(self._choose_data_dir)

        self.architecture_combo = QComboBox()
        for name, architecture in ARCHITECTURES.items():
            self.architecture_combo.addItem(name, name)
            self.architecture_combo.setItemData(
                self.architecture_combo.count() - 1, architecture.description, Qt.ItemDataRole.ToolTipRole
            )
        self.architecture_combo.setCurrentIndex(self.architecture_combo.findData(DEFAULT_ARCHITECTURE))
        self.architecture_combo.currentIndexChanged.connect(self._request_summary)

        defaults = TrainConfig()
        self.epochs_spin = _spin(1, 1000, defaults.epochs)
        self.batch_spin = _spin(1, 4096, defaults.batch_size)
        self.lr_spin = QDoubleSpinBox()
        self.lr_spin.setDecimals(5)
        self.lr_spin.setRange(0.00001, 1.0)
        self.lr_spin.setSingleStep(0.0001)
        self.lr_spin.setValue(defaults.learning_rate)
        self.val_spin = QDoubleSpinBox()
        self.val_spin.setRange(0.05, 0.5)
        self.val_spin.setSingleStep(0.05)
        self.val_spin.setValue(defaults.validation_fraction)
        self.patience_spin = _spin(0, 100, defaults.patience)
        self.seed_spin = _spin(0, 2**31 - 1, defaults.seed)
        self.fine_tune_check = QCheckBox("Fine-tune the model in use")
        self.fine_tune_check.setToolTip("Start from the Classify tab's model instead of a fresh one")

        self.start_button = QPushButton("Start")
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.start)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.use_button = QPushButton("Use this model")
        self.use_button.setToolTip("Classify with the model just trained")
        self.use_button.clicked.connect(self.use_model)
        self.save_button = QPushButton("Save model as…")
        self.save_button.clicked.connect(self._choose_save_path)

        folder_row = _row(self.folder_edit, self.folder_button)
        data_dir_row = _row(self.data_dir_edit, self.data_dir_button)
        form = QFormLayout()
        form.addRow("Dataset", self.dataset_combo)
        form.addRow("Image folder", folder_row)
        form.addRow("Recipe", self.recipe_combo)
        form.addRow("Data folder", data_dir_row)
        form.addRow("Architecture", self.architecture_combo)
        form.addRow("Epochs (max)", self.epochs_spin)
        form.addRow("Batch size", self.batch_spin)
        form.addRow("Learning rate", self.lr_spin)
        form.addRow("Validation fraction", self.val_spin)
        form.addRow("Early-stopping patience", self.patience_spin)
        form.addRow("Random seed", self.seed_spin)
        form.addRow(self.fine_tune_check)
        self.settings_box = QGroupBox("Settings")
        self.settings_box.setLayout(form)

        buttons = QVBoxLayout()
        buttons.addWidget(_row(self.start_button, self.cancel_button))
        buttons.addWidget(_row(self.use_button, self.save_button))
        self.side = QWidget()
        side_layout = QVBoxLayout(self.side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.settings_box)
        side_layout.addLayout(buttons)
        side_layout.addStretch(1)
        self.side.setMaximumWidth(420)

    def _build_views(self) -> None:
        self.status_label = QLabel("Choose the data and press Start.")
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label.setStyleSheet(
            "QLabel { background: #fdecea; color: #611a15; border: 1px solid #f5c2c0;"
            " padding: 6px; }"
        )
        self.message_label.hide()
        self.progress = QProgressBar()
        self.progress.setRange(0, PROGRESS_STEPS)
        self.progress.setValue(0)
        self.progress.setTextVisible(True)
        self.progress.setFormat("Not started")
        self.plots = TrainingPlots()
        self.log_view = QPlainTextEdit()
        self.log_view.setReadOnly(True)
        self.log_view.setMaximumBlockCount(5000)
        self.log_view.setFont(QFont("monospace"))
        self.log_view.setMaximumHeight(150)

        training_page = QWidget()
        training_layout = QVBoxLayout(training_page)
        training_layout.addWidget(self.status_label)
        training_layout.addWidget(self.progress)
        training_layout.addWidget(self.plots, 1)
        training_layout.addWidget(self.log_view)

        self.accuracy_label = QLabel("Test accuracy: —")
        bigger = QFont()
        bigger.setPointSize(bigger.pointSize() + 3)
        bigger.setBold(True)
        self.accuracy_label.setFont(bigger)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.confusion = ConfusionView()
        self.misclassified_label = QLabel("Misclassified test images")
        self.misclassified = MisclassifiedStrip()
        results_page = QWidget()
        results_layout = QVBoxLayout(results_page)
        results_layout.addWidget(self.accuracy_label)
        results_layout.addWidget(self.result_label)
        results_layout.addWidget(QLabel("Confusion matrix (rows: true class, columns: predicted)"))
        results_layout.addWidget(self.confusion, 1)
        results_layout.addWidget(self.misclassified_label)
        results_layout.addWidget(self.misclassified)

        self.summary_view = ModelSummaryView()
        self.pages = QTabWidget()
        self.pages.addTab(training_page, "Training")
        self.pages.addTab(results_page, "Results")
        self.pages.addTab(self.summary_view, "Model")
        self.pages.currentChanged.connect(self._request_summary)

        # Offers to download a missing built-in dataset; re-checked on every change.
        self.download_panel = DatasetDownloadPanel()
        self.download_panel.downloaded.connect(self._on_dataset_downloaded)
        self.download_panel.running_changed.connect(self._update_enabled)
        self.dataset_combo.currentIndexChanged.connect(self._check_dataset)
        self.data_dir_edit.textChanged.connect(self._check_dataset)

        right = QVBoxLayout()
        right.addWidget(self.download_panel)
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

    @Slot()
    def _update_enabled(self) -> None:
        running = self.is_running
        folder = self.dataset_combo.currentData() == FOLDER
        self.settings_box.setEnabled(not running)
        for widget in (self.folder_edit, self.folder_button, self.recipe_combo):
            widget.setEnabled(folder)
        for widget in (self.data_dir_edit, self.data_dir_button):
            widget.setEnabled(not folder)
        self.fine_tune_check.setEnabled(self._model_in_use is not None)
        if self._model_in_use is None:
            self.fine_tune_check.setChecked(False)
        self.start_button.setEnabled(not running and not self.download_panel.is_downloading)
        self.cancel_button.setEnabled(running and not (self._worker and self._worker.is_cancelled))
        has_model = self.outcome is not None and not running
        self.use_button.setEnabled(has_model)
        self.save_button.setEnabled(has_model)

    def set_model_in_use(self, info: ModelInfo | None) -> None:
        """Tell the tab which model the Classify tab uses (for "fine-tune")."""
        self._model_in_use = info
        self.fine_tune_check.setText(
            f"Fine-tune the model in use ({info.name})" if info else "Fine-tune the model in use"
        )
        self._update_enabled()

    def job_from_settings(self) -> TrainJob:
        """The job the settings describe.

        Raises:
            ValueError: With a message for people, if the settings are incomplete.
        """
        dataset = self.dataset_combo.currentData()
        data_dir = None
        if dataset == FOLDER:
            folder = self.folder_edit.text().strip()
            if not folder:
                raise ValueError("Choose a folder of images first (one sub-folder per class).")
            dataset = str(Path(folder).expanduser())
            if dataset in DATASETS:  # a folder literally named "digits" in the cwd
                dataset = str(Path(dataset).resolve())
        elif self.data_dir_edit.text().strip():
            data_dir = Path(self.data_dir_edit.text().strip()).expanduser()
        initial = None
        if self.fine_tune_check.isChecked() and self._model_in_use is not None:
            initial = self._model_in_use.path
        config = TrainConfig(
            architecture=self.architecture_combo.currentData(),
            epochs=self.epochs_spin.value(),
            batch_size=self.batch_spin.value(),
            learning_rate=self.lr_spin.value(),
            validation_fraction=self.val_spin.value(),
            patience=self.patience_spin.value(),
            seed=self.seed_spin.value(),
            initial_model=initial,
        )
        return TrainJob(
            dataset=dataset,
            config=config,
            out_dir=self.models_dir,
            data_dir=data_dir,
            recipe=self.recipe_combo.currentData(),
            limit=self.limit,
        )

    # ------------------------------------------------------------------ start / cancel

    @Slot()
    def start(self) -> bool:
        """Start training with the current settings; False if it could not start."""
        if self.is_running:
            return False  # Start is disabled meanwhile; this guards programmatic calls
        try:
            job = self.job_from_settings()
        except ValueError as exc:
            self._show_message(str(exc))
            return False
        self._reset_views(job)
        thread = QThread(self)
        thread.setObjectName("train-worker")
        worker = TrainWorker(job, batch_interval=self._batch_interval)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.status.connect(self._on_status)
        worker.data_ready.connect(self._on_data_ready)
        worker.summary_ready.connect(self._on_summary_ready)
        worker.batch_progress.connect(self._on_batch_progress)
        worker.epoch_end.connect(self._on_epoch_end)
        worker.finished.connect(self._on_finished)
        worker.cancelled.connect(self._on_cancelled)
        worker.failed.connect(self._on_failed)
        # Direct: quit() is thread-safe, and the thread must end even while the GUI
        # thread is blocked in shutdown()'s wait().
        worker.done.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        thread.finished.connect(self._on_thread_finished)
        self._thread, self._worker = thread, worker
        thread.start()
        self._update_enabled()
        self.running_changed.emit(True)
        return True

    @Slot()
    def cancel(self) -> None:
        """Stop within a batch; the best epoch so far is still evaluated and kept."""
        if self._worker is not None and not self._worker.is_cancelled:
            self._worker.cancel()
            self._log("Cancelling…")
            self.status_label.setText("Cancelling: stopping after this batch…")
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
        ok = self.download_panel.shutdown(timeout_ms)
        for worker, thread in ((self._worker, self._thread), (self._summary_worker, self._summary_thread)):
            if thread is None:
                continue
            if isinstance(worker, TrainWorker):
                worker.abort()
            thread.quit()
            remaining = max(0, round((deadline - time.monotonic()) * 1000))
            if not thread.wait(remaining):
                # Only an uninterruptible step (importing TensorFlow) gets here; keep
                # the references, so Qt does not destroy a running thread.
                log.warning("the %s thread did not stop within %d ms", thread.objectName(), timeout_ms)
                ok = False
        return ok

    # ------------------------------------------------------------------ worker slots

    @Slot(str)
    def _on_status(self, text: str) -> None:
        self.status_label.setText(text)
        if not self._train_started:
            self.progress.setFormat(text)

    @Slot(object)
    def _on_data_ready(self, ready: DataReady) -> None:
        self._log(
            f"Data: {ready.name} from {ready.source}: {ready.train_samples:,} training "
            f"(80/20 → train/validation) and {ready.test_samples:,} test images, "
            f"{len(ready.class_names)} classes"
        )
        if ready.skipped:
            self._log(f"Skipped {len(ready.skipped)} unreadable image(s):")
            for line in ready.skipped:
                self._log(f"  {line}")
            self._show_message(
                f"{len(ready.skipped)} image(s) could not be read and were skipped (listed "
                "in the log below). Training goes on with the others.",
                warning=True,
            )

    @Slot(object)
    def _on_summary_ready(self, summary: ModelSummary) -> None:
        self.summary_view.set_summary(summary)
        self._log(
            f"Model: {summary.name}, {len(summary.layers)} layers, "
            f"{summary.total_params:,} parameters"
        )

    @Slot(object)
    def _on_batch_progress(self, progress: BatchProgress) -> None:
        now = time.monotonic()
        if self._train_started is None:
            self._train_started = now
        self.plots.add_batch(progress)
        done = (progress.epoch - 1 + progress.batch / max(progress.batches, 1)) / progress.epochs
        self.progress.setValue(round(done * PROGRESS_STEPS))
        elapsed = now - self._train_started
        eta = _format_duration(elapsed * (1 - done) / done) if done > 0 and elapsed > 1 else "…"
        self.progress.setFormat(
            f"Epoch {progress.epoch}/{progress.epochs} · "
            f"{progress.batch / max(progress.batches, 1):.0%} of epoch · ETA {eta}"
        )

    @Slot(object)
    def _on_epoch_end(self, metrics: EpochMetrics) -> None:
        self.plots.add_epoch(metrics)
        self._log(metrics.log_line())
        if metrics.is_best:
            self._log(f"  val_loss improved: best epoch is now {metrics.epoch}, checkpoint saved")

    @Slot(object)
    def _on_finished(self, outcome: JobResult) -> None:
        self.outcome = outcome
        training, evaluation = outcome.training, outcome.evaluation
        epochs_run = len(training.history)
        if training.cancelled:
            self._log(f"Cancelled during epoch {epochs_run + 1}; kept the best model so far.")
        elif training.stopped_early:
            self._log(
                f"Stopped early after epoch {epochs_run}: no better validation loss for "
                f"{self._worker.job.config.patience if self._worker else '?'} epochs."
            )
        if training.restored_best or training.cancelled:
            self._log(f"Restored best weights from epoch {training.best_epoch}.")
        self.progress.setValue(PROGRESS_STEPS)
        self.progress.setFormat(
            f"Done: {epochs_run} epoch(s), best epoch {training.best_epoch}"
            + (" (cancelled)" if training.cancelled else "")
        )
        if evaluation is not None:
            self.accuracy_label.setText(
                f"Test accuracy: {evaluation.test_accuracy:.2%} on {evaluation.samples:,} test images"
            )
            self._log(f"Test accuracy: {evaluation.test_accuracy:.4f} on {evaluation.samples:,} samples")
            self.confusion.set_matrix(evaluation.confusion_matrix, outcome.info.class_names)
            self.misclassified.set_samples(outcome.misclassified)
            self.misclassified_label.setText(
                f"Misclassified test images ({len(outcome.misclassified)} shown; "
                "caption: predicted, then true)"
            )
        how = "cancelled, kept" if training.cancelled else (
            "stopped early" if training.stopped_early else "all epochs")  # fmt: skip
        self.result_label.setText(
            f"Best epoch {training.best_epoch} of {epochs_run} ({how}). Saved to {outcome.info.path} "
            f"in {_format_duration(outcome.seconds)}."
        )
        self._log(f"Saved: {outcome.info.path}")
        self.status_label.setText("Finished. Use the model, or save a copy elsewhere.")
        self.pages.setCurrentIndex(1)

    @Slot(str)
    def _on_cancelled(self, message: str) -> None:
        self._log(message)
        self.status_label.setText("Cancelled.")
        self.progress.setFormat("Cancelled")
        self._show_message(message, warning=True)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._log(f"Error: {message}")
        self.status_label.setText("Training failed.")
        self.progress.setFormat("Failed")
        if self._check_dataset():
            # The data are missing: the panel above offers the download, which beats
            # the loader's command-line advice (still in the log).
            self.status_label.setText("The dataset is needed first: download it above.")
        else:
            self._show_message(message)

    # ------------------------------------------------------------------ dataset download

    @Slot()
    def _check_dataset(self) -> bool:
        """Show the download panel if the chosen built-in dataset is missing; return whether."""
        dataset = self.dataset_combo.currentData()
        data_dir = self.data_dir_edit.text().strip() or None
        return self.download_panel.set_dataset(None if dataset == FOLDER else dataset, data_dir)

    @Slot(str)
    def _on_dataset_downloaded(self, dataset: str) -> None:
        self._check_dataset()
        self.message_label.hide()
        self.status_label.setText(f"{DATASETS[dataset].title} downloaded. Press Start to train.")

    @Slot()
    def _on_thread_finished(self) -> None:
        thread, worker = self._thread, self._worker
        if thread is None:
            return
        self._thread = self._worker = None
        if worker is not None:
            worker.deleteLater()
        thread.deleteLater()
        self._update_enabled()
        self.running_changed.emit(False)

    # ------------------------------------------------------------------ after training

    @Slot()
    def use_model(self) -> None:
        """Send the trained model to the Classify tab (``model_ready``)."""
        if self.outcome is not None:
            self.model_ready.emit(self.outcome.info)

    def save_model_as(self, path: str | os.PathLike[str]) -> ModelInfo | None:
        """Copy the trained model and its JSON to ``path``; None (message shown) on failure."""
        if self.outcome is None:
            return None
        from training.trained_model import BundledModelError, copy_trained_model  # noqa: PLC0415

        target = Path(path)
        if target.suffix != ".keras":
            target = target.with_name(target.name + ".keras")
        try:
            info = copy_trained_model(self.outcome.info, target)
        except BundledModelError as exc:
            self._show_message(str(exc))
            return None
        except OSError as exc:
            self._show_message(
                f"Could not save the model to {target}: {exc.strerror or exc}. "
                "Nothing was overwritten."
            )
            return None
        self._log(f"Saved a copy: {info.path} (+ {info.metadata_path.name})")
        self.message_label.hide()
        return info

    @Slot()
    def _choose_save_path(self) -> None:
        if self.outcome is None:
            return
        suggested = str(Path.home() / self.outcome.info.path.name)
        path, _ = QFileDialog.getSaveFileName(self, "Save model as", suggested, "Keras models (*.keras)")
        if path:
            self.save_model_as(path)

    # ------------------------------------------------------------------ model view

    @Slot()
    def _request_summary(self) -> None:
        """Summarize the chosen architecture when the Model page is shown.

        Lazily, because building a model imports TensorFlow (seconds), which is
        needless at start-up and would have to be waited for if the window closed.
        """
        if self.pages.currentWidget() is not self.summary_view or self.is_running:
            return
        key = (self.architecture_combo.currentData(), 10)
        if key in self._summaries:
            self.summary_view.set_summary(self._summaries[key])
            return
        if self._summary_thread is not None:
            return  # one at a time; the finished one asks again if the choice changed
        self.summary_view.show_message(f"Building {key[0]} to list its layers…")
        thread = QThread(self)
        thread.setObjectName("summary-worker")
        worker = SummaryWorker(*key)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.ready.connect(self._on_architecture_summary)
        worker.failed.connect(self.summary_view.show_message)
        worker.done.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        thread.finished.connect(self._on_summary_thread_finished)
        self._summary_thread, self._summary_worker = thread, worker
        thread.start()

    @Slot(object)
    def _on_architecture_summary(self, summary: ModelSummary) -> None:
        if self._summary_worker is not None:
            self._summaries[(self._summary_worker.architecture, self._summary_worker.num_classes)] = summary
        self.summary_view.set_summary(summary)

    @Slot()
    def _on_summary_thread_finished(self) -> None:
        thread, worker = self._summary_thread, self._summary_worker
        if thread is None:
            return
        self._summary_thread = self._summary_worker = None
        if worker is not None:
            worker.deleteLater()
        thread.deleteLater()
        self._request_summary()  # the architecture may have changed meanwhile

    # ------------------------------------------------------------------ helpers

    def _reset_views(self, job: TrainJob) -> None:
        self.outcome = None
        self._train_started = None
        self._epochs = job.config.epochs
        self.message_label.hide()
        self.plots.reset()
        self.log_view.clear()
        self.progress.setValue(0)
        self.progress.setFormat("Starting…")
        self.accuracy_label.setText("Test accuracy: —")
        self.result_label.clear()
        self.confusion.clear_matrix()
        self.misclassified.clear()
        self.pages.setCurrentIndex(0)
        c = job.config
        self._log(
            f"Training {c.architecture} on {job.dataset}: up to {c.epochs} epochs, batch "
            f"{c.batch_size}, learning rate {c.learning_rate:g}, validation "
            f"{c.validation_fraction:.0%}, patience {c.patience}, seed {c.seed}"
            + (f", fine-tuning {c.initial_model}" if c.initial_model else "")
        )

    def _log(self, line: str) -> None:
        self.log_view.appendPlainText(line)

    def _show_message(self, text: str, *, warning: bool = False) -> None:
        colours = ("#fff4e5", "#663c00", "#ffd8a8") if warning else ("#fdecea", "#611a15", "#f5c2c0")
        self.message_label.setStyleSheet(
            f"QLabel {{ background: {colours[0]}; color: {colours[1]};"
            f" border: 1px solid {colours[2]}; padding: 6px; }}"
        )
        self.message_label.setText(text)
        self.message_label.show()

    @Slot()
    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Folder with one sub-folder per class")
        if folder:
            self.folder_edit.setText(folder)

    @Slot()
    def _choose_data_dir(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Folder with the dataset's IDX files")
        if folder:
            self.data_dir_edit.setText(folder)


def _spin(low: int, high: int, value: int) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setValue(value)
    return spin


def _row(*widgets: QWidget) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget, 1 if isinstance(widget, QLineEdit) else 0)
    return row
