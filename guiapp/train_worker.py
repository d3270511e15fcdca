"""The training worker: a QObject moved to a QThread that runs one :class:`TrainJob`.

The job itself is :func:`training.job.run_job`, the same one the command line runs;
this worker only adapts it to Qt: its signals' ``emit`` are the job's hooks (per-batch
reports throttled), and its outcome becomes exactly one of ``finished``,
``cancelled`` or ``failed``, then ``done``. The GUI connects those signals to methods
of objects living in the GUI thread, so Qt queues the calls into the GUI thread.

Cancelling is a ``threading.Event`` that ``train`` polls after every batch. Aborting
(the window closes) also skips or stops the evaluation, so the thread ends within a
batch of training or of evaluation.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Signal, Slot

from guiapp.training_text import translate_message
from training.atomic import DestinationBusyError
from training.datasets import Dataset, DatasetError, DatasetNotFoundError
from training.job import DataReady, JobCancelled, JobHooks, JobResult, TrainJob, run_job
from training.messages import one_line
from training.progress import BatchProgress

__all__ = ["BATCH_INTERVAL_S", "BatchThrottle", "DataReady", "SummaryWorker", "TrainJob",
           "TrainWorker"]  # fmt: skip

log = logging.getLogger(__name__)

BATCH_INTERVAL_S = 0.2  # at most 5 batch reports a second: each redraws the loss plot (~6 ms)

_CANCELLED = {
    "reading": QT_TRANSLATE_NOOP(
        "TrainWorker", "Cancelled while reading the images. Nothing was saved."
    ),
    "starting": QT_TRANSLATE_NOOP(
        "TrainWorker", "Cancelled before training started. Nothing was saved."
    ),
    "training": QT_TRANSLATE_NOOP(
        "TrainWorker", "Training was cancelled before the first epoch ended. Nothing was saved."
    ),
}
_WINDOW_CLOSED = QT_TRANSLATE_NOOP("TrainWorker", "Training was stopped because the window closed.")


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
        dataReady(DataReady): The data are loaded.
        summaryReady(ModelSummary): The layers of the model being trained.
        batchProgress(BatchProgress): After some batches (throttled).
        epochEnded(EpochMetrics): After every epoch.
        finished(JobResult): A model was saved (possibly after a cancel).
        cancelled(str): Cancelled before any epoch ended (nothing saved), or the
            window is closing.
        failed(str): A clear message for people.
        done(): Always last.
    """

    status = Signal(str)
    dataReady = Signal(object)
    summaryReady = Signal(object)
    batchProgress = Signal(object)
    epochEnded = Signal(object)
    finished = Signal(object)
    cancelled = Signal(str)
    failed = Signal(str)
    done = Signal()
    cacheProgress = Signal(int, int)
    strategyReady = Signal(object)

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

    def _hooks(self) -> JobHooks:
        return JobHooks(
            status=self.status.emit,
            data_ready=self.dataReady.emit,
            summary_ready=self.summaryReady.emit,
            on_batch_end=BatchThrottle(self.batchProgress.emit, self._batch_interval),
            on_epoch_end=self.epochEnded.emit,
            should_stop=self._cancel.is_set,
            should_abort=self._abort.is_set,
            cache_progress=self.cacheProgress.emit,
            strategy_ready=self.strategyReady.emit,
        )

    def _execute(self) -> JobResult:
        """The work itself (a subclass may run another job through the same hooks)."""
        return run_job(self.job, self._hooks(), self._data)

    @Slot()
    def run(self) -> None:
        """Do the whole job; report by signals; never raises."""
        try:
            result = self._execute()
        except JobCancelled as exc:
            message = _WINDOW_CLOSED if self._abort.is_set() else _CANCELLED[exc.stage]
            self.cancelled.emit(self.tr(message))
        except DatasetNotFoundError as exc:
            self.failed.emit(translate_message(str(exc)))
        except DatasetError as exc:
            text = self.tr("This dataset cannot be used: {0}")
            self.failed.emit(text.format(translate_message(str(exc))))
        except DestinationBusyError as exc:  # another run writes the same model file
            self.failed.emit(str(exc))
        except OSError as exc:
            self.failed.emit(_write_error_message(exc, self.job.out_dir))
        except (ValueError, KeyError) as exc:
            # Bad settings or data that do not fit (too few samples, a fine-tune model
            # with another number of classes...): the job says which in one line.
            self.failed.emit(self.tr("Training could not run: {0}").format(one_line(exc)))
        except Exception as exc:
            log.exception("training failed")
            text = self.tr("Training failed unexpectedly: {0}: {1}")
            self.failed.emit(text.format(type(exc).__name__, one_line(exc)))
        else:
            if self._abort.is_set():
                # The model is saved, but there is no window left to show results in.
                log.info("training aborted after saving %s", result.info.path)
                self.cancelled.emit(self.tr(_WINDOW_CLOSED))
            else:
                self.finished.emit(result)
        finally:
            self.done.emit()


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
            text = self.tr("Cannot build {0}: {1}")
            self.failed.emit(text.format(self.architecture, one_line(exc)))
        finally:
            self.done.emit()


def _write_error_message(exc: OSError, out_dir: Path | None) -> str:
    folder = QCoreApplication.translate("TrainWorker", "the models folder")
    where = exc.filename or out_dir or folder
    reason = exc.strerror or one_line(exc)
    return QCoreApplication.translate(
        "TrainWorker",
        "Could not write the model to {0}: {1}. Nothing was overwritten; free "
        "some disk space or check the folder's permissions, then train again.",
    ).format(where, reason)
