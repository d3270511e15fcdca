"""The training worker: a QObject moved to a QThread that runs ``training.train``.

The worker knows no widget. It loads the data, trains through ``training.train``
with its signals' ``emit`` as the hooks (per-batch reports throttled), evaluates the
best model on the test split, and writes it with its JSON metadata into the user's
models folder, reporting by signals. The GUI connects those signals to methods of
objects living in the GUI thread, so Qt queues the calls into the GUI thread.

Cancelling is a ``threading.Event`` that ``train`` polls after every batch. Aborting
(the window closes) also skips the evaluation, so the thread ends within a batch.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot

from guiapp.misclassified_strip import Misclassified
from training.datasets import DATASETS, Dataset, DatasetError, DatasetNotFoundError
from training.modelinfo import ModelInfo
from training.trainer import BatchProgress, EpochMetrics, TrainConfig

log = logging.getLogger(__name__)

BATCH_INTERVAL_S = 0.2  # at most 5 batch reports a second: each redraws the loss plot (~6 ms)
EVAL_CHUNK = 1000  # test images per evaluation step; abort is checked between steps
MAX_MISCLASSIFIED = 48


@dataclass(frozen=True)
class TrainJob:
    """What to train on, how, and where to put the result.

    Attributes:
        dataset: "digits", "garments", or a folder with one sub-folder per class.
        config: How to train; its ``checkpoint_path`` is chosen by the worker.
        out_dir: The folder trained models are written to.
        data_dir: Where to look first for a built-in dataset (None: the usual places).
        recipe: Preprocessing of a folder's images ("mnist" or "fashion-mnist").
        limit: At most (training, test) samples, for quick runs and tests.
        command: The command recorded in the metadata (None: the equivalent CLI one).
    """

    dataset: str
    config: TrainConfig
    out_dir: Path
    data_dir: Path | None = None
    recipe: str = "mnist"
    limit: tuple[int, int] | None = None
    command: str | None = None

    @property
    def is_folder(self) -> bool:
        """Whether the data come from a folder of images."""
        return self.dataset not in DATASETS


@dataclass(frozen=True)
class DataReady:
    """Sent when the data are loaded.

    Attributes:
        name: The dataset's name.
        source: Where it was read from.
        class_names: The classes, in label order.
        train_samples: Training samples (before the validation split).
        test_samples: Test samples.
        skipped: Unreadable files of an image folder, each with its reason.
    """

    name: str
    source: str
    class_names: tuple[str, ...]
    train_samples: int
    test_samples: int
    skipped: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class TrainOutcome:
    """Sent when a run ends with a saved model (completed or cancelled after an epoch).

    Attributes:
        info: The saved model's metadata (its ``test_accuracy`` set if evaluated).
        history: The completed epochs.
        best_epoch: The epoch whose weights were kept.
        stopped_early: Whether early stopping ended the run.
        cancelled: Whether the user cancelled it.
        restored_best: Whether the best epoch's weights were put back.
        test_accuracy: Accuracy on the test split, None if not evaluated.
        test_samples: Size of the test split evaluated.
        confusion_matrix: ``[true, predicted]`` counts, or None.
        misclassified: Some misclassified test images.
        seconds: Wall time of the whole job.
    """

    info: ModelInfo
    history: tuple[EpochMetrics, ...]
    best_epoch: int
    stopped_early: bool
    cancelled: bool
    restored_best: bool
    test_accuracy: float | None
    test_samples: int
    confusion_matrix: np.ndarray | None
    misclassified: tuple[Misclassified, ...] = field(default=())
    seconds: float = 0.0


class _Aborted(Exception):  # noqa: N818  (a signal, not an error)
    """The window is closing: stop now, skip everything optional."""


class BatchThrottle:
    """Passes a batch report on at most every ``interval`` seconds.

    The first and last batch of every epoch always pass, so the plots start at once
    and each epoch's progress ends at 100%. Emitting on every batch would queue
    about 100 events a second into the GUI thread for nothing a person can see.
    """

    def __init__(
        self,
        emit: Callable[[BatchProgress], Any],
        interval: float = BATCH_INTERVAL_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Args: emit: Called with the reports that pass. interval: Seconds between.
        clock: The time source (tests pass a fake one).
        """
        self._emit = emit
        self._interval = interval
        self._clock = clock
        self._last = -math.inf

    def __call__(self, progress: BatchProgress) -> None:
        """Receive one report; pass it on if it is due."""
        now = self._clock()
        if progress.batch in (1, progress.batches) or now - self._last >= self._interval:
            self._last = now
            self._emit(progress)


class TrainWorker(QObject):
    """Runs one :class:`TrainJob`; create, ``moveToThread``, connect, start the thread.

    Exactly one of ``finished``, ``cancelled`` or ``failed`` is emitted, then ``done``.

    Signals:
        status(str): What it is doing now ("Loading digits...").
        data_ready(DataReady): The data are loaded.
        summary_ready(ModelSummary): The layers of the model being trained.
        batch_progress(BatchProgress): After some batches (throttled).
        epoch_end(EpochMetrics): After every epoch.
        finished(TrainOutcome): A model was saved (possibly after a cancel).
        cancelled(str): Cancelled before any epoch ended: nothing saved.
        failed(str): A clear message for people.
        done(): Always last.
    """

    status = Signal(str)
    data_ready = Signal(object)
    summary_ready = Signal(object)
    batch_progress = Signal(object)
    epoch_end = Signal(object)
    finished = Signal(object)
    cancelled = Signal(str)
    failed = Signal(str)
    done = Signal()

    def __init__(
        self,
        job: TrainJob,
        data: Dataset | None = None,
        batch_interval: float = BATCH_INTERVAL_S,
    ) -> None:
        """Args:
        job: What to do.
        data: Already loaded data (tests, benchmarks); None loads ``job.dataset``.
        batch_interval: Seconds between batch reports.
        """
        super().__init__()
        self.job = job
        self._data = data
        self._batch_interval = batch_interval
        self._cancel = threading.Event()
        self._abort = threading.Event()
        # Read by tests after the thread ended: batches that ran after a cancel.
        self.batches_after_cancel = 0

    # -- called from the GUI thread (thread-safe: they only set events) -------------

    def cancel(self) -> None:
        """Stop training within a batch; the best model so far is still evaluated and saved."""
        self._cancel.set()

    def abort(self) -> None:
        """Stop as soon as possible (the window is closing): no evaluation afterwards."""
        self._abort.set()
        self._cancel.set()

    @property
    def is_cancelled(self) -> bool:
        """Whether :meth:`cancel` or :meth:`abort` was called."""
        return self._cancel.is_set()

    # -- runs in the worker thread -------------------------------------------------

    @Slot()
    def run(self) -> None:
        """Do the whole job; report by signals; never raises."""
        started = time.perf_counter()
        try:
            self._run(started)
        except _Aborted:
            log.info("training aborted")
            self.cancelled.emit("Training was stopped because the window closed.")
        except DatasetNotFoundError as exc:
            self.failed.emit(str(exc))
        except DatasetError as exc:
            if self._cancel.is_set():
                self.cancelled.emit("Cancelled while reading the images. Nothing was saved.")
            else:
                self.failed.emit(f"This dataset cannot be used: {exc}")
        except OSError as exc:
            self.failed.emit(_write_error_message(exc, self.job.out_dir))
        except (ValueError, KeyError) as exc:
            # Bad settings or data that do not fit (too few samples, a fine-tune model
            # with another number of classes...): train() says which in one line.
            self.failed.emit(f"Training could not run: {_one_line(exc)}")
        except Exception as exc:  # noqa: BLE001  (the GUI must hear of every failure)
            log.exception("training failed")
            self.failed.emit(f"Training failed unexpectedly: {type(exc).__name__}: {_one_line(exc)}")
        finally:
            self.done.emit()

    def _check_abort(self) -> None:
        if self._abort.is_set():
            raise _Aborted

    def _should_stop(self) -> bool:
        return self._cancel.is_set()

    def _on_batch(self, progress: BatchProgress, throttle: BatchThrottle) -> None:
        if self._cancel.is_set():
            self.batches_after_cancel += 1
        throttle(progress)

    def _run(self, started: float) -> None:
        job = self.job
        data = self._load_data()
        self._check_abort()
        if self._cancel.is_set():
            self.cancelled.emit("Cancelled before training started. Nothing was saved.")
            return
        self.data_ready.emit(
            DataReady(
                data.name, data.source, data.class_names, len(data.x_train), len(data.x_test),
                data.skipped,
            )
        )  # fmt: skip

        self.status.emit("Starting TensorFlow and building the model…")
        from training.summary import summarize, summarize_architecture  # noqa: PLC0415
        from training.trained_model import (  # noqa: PLC0415
            equivalent_command,
            save_trained_model,
            timestamped_path,
            trained_model_info,
        )
        from training.trainer import train  # noqa: PLC0415  (imports TensorFlow)

        self._check_abort()
        if job.config.initial_model is not None:
            from training.predictor import load_keras_model  # noqa: PLC0415

            summary = summarize(load_keras_model(job.config.initial_model, len(data.class_names)))
        else:
            summary = summarize_architecture(job.config.architecture, len(data.class_names))
        self.summary_ready.emit(summary)

        out = timestamped_path(job.out_dir, data.name)
        config = replace(job.config, checkpoint_path=out, verbose=0)
        command = job.command or equivalent_command(
            job.dataset, config, out, data_dir=job.data_dir,
            recipe=job.recipe if job.is_folder else None,
        )  # fmt: skip
        out.parent.mkdir(parents=True, exist_ok=True)  # a write problem shows before training
        self.status.emit("Training…")
        throttle = BatchThrottle(self.batch_progress.emit, self._batch_interval)
        result = train(
            config,
            data,
            on_epoch_end=self.epoch_end.emit,
            on_batch_end=lambda progress: self._on_batch(progress, throttle),
            should_stop=self._should_stop,
        )
        if result.best_epoch is None:
            self._check_abort()
            self.cancelled.emit(
                "Training was cancelled before the first epoch ended. Nothing was saved."
            )
            return
        info = trained_model_info(data, config, out, command)
        evaluation = None
        if not self._abort.is_set():
            self.status.emit(f"Evaluating on {len(data.x_test):,} test images…")
            from training.predictor import Predictor  # noqa: PLC0415

            # The training has ended: this model is no longer being trained.
            evaluation = self._evaluate(Predictor(result.model, info), data)
        self.status.emit("Saving…")
        info = save_trained_model(result, info, evaluation)
        self._check_abort()
        misclassified: tuple[Misclassified, ...] = ()
        if evaluation is not None:
            wrong = evaluation.misclassified(data.y_test)[:MAX_MISCLASSIFIED]
            misclassified = tuple(
                Misclassified(
                    image=data.x_test[i],
                    true_label=data.class_names[int(data.y_test[i])],
                    predicted_label=data.class_names[int(evaluation.predicted[i])],
                    index=int(i),
                )
                for i in wrong
            )
        self.finished.emit(
            TrainOutcome(
                info=info,
                history=result.history,
                best_epoch=result.best_epoch,
                stopped_early=result.stopped_early,
                cancelled=result.cancelled,
                restored_best=result.restored_best,
                test_accuracy=evaluation.test_accuracy if evaluation else None,
                test_samples=evaluation.samples if evaluation else 0,
                confusion_matrix=evaluation.confusion_matrix if evaluation else None,
                misclassified=misclassified,
                seconds=time.perf_counter() - started,
            )
        )

    def _read_data(self) -> Dataset:
        job = self.job
        if self._data is not None:
            data = self._data
        elif job.is_folder:
            self.status.emit(f"Reading the images in {job.dataset}…")
            from training.imagefolder import load_image_folder  # noqa: PLC0415

            data = load_image_folder(
                job.dataset, job.recipe, seed=job.config.seed, should_stop=self._cancel.is_set
            )
        else:
            from training.datasets import load_dataset  # noqa: PLC0415

            self.status.emit(f"Loading {DATASETS[job.dataset].title}…")
            data = load_dataset(job.dataset, job.data_dir)
        if job.limit is not None:
            data = data.subset(*job.limit)
        return data

    def _load_data(self) -> Dataset:
        try:
            return self._read_data()
        except DatasetNotFoundError:
            raise
        except OSError as exc:
            # A read error is about the data, not about writing the model.
            raise DatasetError(f"cannot read {exc.filename or self.job.dataset}: "
                               f"{exc.strerror or _one_line(exc)}") from None

    def _evaluate(self, predictor: Any, data: Dataset) -> Any:
        """``training.evaluation.evaluate`` in chunks, so an abort is heard within one."""
        from training.evaluation import EvaluationResult, confusion_matrix, evaluate  # noqa: PLC0415

        predicted = []
        for i in range(0, len(data.x_test), EVAL_CHUNK):
            self._check_abort()
            chunk = evaluate(predictor, data.x_test[i : i + EVAL_CHUNK], data.y_test[i : i + EVAL_CHUNK])
            predicted.append(chunk.predicted)
        predicted_all = np.concatenate(predicted)
        y_test = np.asarray(data.y_test, dtype=np.int64)
        return EvaluationResult(
            test_accuracy=float(np.mean(predicted_all == y_test)),
            confusion_matrix=confusion_matrix(y_test, predicted_all, len(data.class_names)),
            predicted=predicted_all,
            samples=len(y_test),
        )


class SummaryWorker(QObject):
    """Builds an architecture on a worker thread (TensorFlow) and summarizes it.

    Signals:
        ready(ModelSummary): The summary.
        failed(str): Why there is none.
        done(): Always last.
    """

    ready = Signal(object)
    failed = Signal(str)
    done = Signal()

    def __init__(self, architecture: str, num_classes: int = 10) -> None:
        """Args: architecture: A registry name. num_classes: Output size."""
        super().__init__()
        self.architecture = architecture
        self.num_classes = num_classes

    @Slot()
    def run(self) -> None:
        """Build and summarize; report by signals; never raises."""
        try:
            from training.summary import summarize_architecture  # noqa: PLC0415

            self.ready.emit(summarize_architecture(self.architecture, self.num_classes))
        except Exception as exc:  # noqa: BLE001  (shown in the view, never a crash)
            self.failed.emit(f"Cannot build {self.architecture}: {_one_line(exc)}")
        finally:
            self.done.emit()


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


def _write_error_message(exc: OSError, out_dir: Path) -> str:
    where = exc.filename or out_dir
    reason = exc.strerror or _one_line(exc)
    return (
        f"Could not write the model to {where}: {reason}. Nothing was overwritten; free "
        "some disk space or check the folder's permissions, then train again."
    )
