"""TrainWorker on a real QThread: real (tiny) training, cancel, abort, faults.

Signals are received by a QObject living in the test's (GUI) thread, as in the app,
the thread is started with the app's own ``guiapp.threads.start_worker`` (so the
wiring tested is the wiring used), and the tests wait on signals, never on fixed
sleeps.
"""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QObject, Qt, QThread, Slot

from guiapp.threads import start_worker
from guiapp.train_worker import BatchThrottle, TrainJob, TrainWorker
from training.datasets import Dataset
from training.job import JobResult
from training.progress import BatchProgress, EpochMetrics
from training.trainer import TrainConfig

TINY = TrainConfig(epochs=2, batch_size=32, patience=2, seed=1)


class Recorder(QObject):
    """Receives the worker's signals in the GUI thread (a QObject, not lambdas)."""

    def __init__(self) -> None:
        super().__init__()
        self.batches: list[BatchProgress] = []
        self.epochs: list[EpochMetrics] = []
        self.outcome: JobResult | None = None
        self.cancelled: str | None = None
        self.failed: str | None = None
        self.summary = None
        self.data = None
        self.done = False
        self.threads: set[int] = set()

    def _seen(self) -> None:
        self.threads.add(threading.get_ident())

    @Slot(object)
    def on_batch(self, progress: BatchProgress) -> None:
        self._seen()
        self.batches.append(progress)

    @Slot(object)
    def on_epoch(self, metrics: EpochMetrics) -> None:
        self._seen()
        self.epochs.append(metrics)

    @Slot(object)
    def on_finished(self, outcome: JobResult) -> None:
        self._seen()
        self.outcome = outcome

    @Slot(str)
    def on_cancelled(self, message: str) -> None:
        self.cancelled = message

    @Slot(str)
    def on_failed(self, message: str) -> None:
        self.failed = message

    @Slot(object)
    def on_summary(self, summary: object) -> None:
        self.summary = summary

    @Slot(object)
    def on_data(self, data: object) -> None:
        self.data = data

    @Slot()
    def on_done(self) -> None:
        """The thread ended; every result signal was delivered before this."""
        self.done = True


class Harness:
    """A worker whose signals go to a Recorder; started as TrainTab starts it."""

    def __init__(self, job: TrainJob, data: Dataset | None = None) -> None:
        self.parent = QObject()  # owns the thread, as the tab does
        self.thread: QThread | None = None
        self.worker = TrainWorker(job, data, batch_interval=0.0)
        self.recorder = Recorder()
        w, r = self.worker, self.recorder
        w.batchProgress.connect(r.on_batch)
        w.epochEnded.connect(r.on_epoch)
        w.finished.connect(r.on_finished)
        w.cancelled.connect(r.on_cancelled)
        w.failed.connect(r.on_failed)
        w.summaryReady.connect(r.on_summary)
        w.dataReady.connect(r.on_data)

    def start(self) -> QThread:
        self.thread = start_worker(
            self.worker, self.parent, name="train-worker", on_done=self.recorder.on_done
        )
        return self.thread

    def run(self, qtbot, timeout: int = 120_000) -> Recorder:
        self.start()
        qtbot.waitUntil(lambda: self.recorder.done, timeout=timeout)
        # Exactly one result signal came before the end.
        results = [self.recorder.outcome, self.recorder.cancelled, self.recorder.failed]
        assert sum(r is not None for r in results) == 1, results
        return self.recorder


class InWorkerThread(QObject):
    """Watches the worker from its own thread (direct connections), unthrottled by queues.

    Counts the batch reports that come after a cancel or abort, and records the status
    lines: what the worker did, not when the GUI thread got round to hearing of it.
    """

    def __init__(self, worker: TrainWorker) -> None:
        super().__init__()
        self.worker = worker
        self.batches_after_cancel = 0
        self.statuses: list[str] = []
        direct = Qt.ConnectionType.DirectConnection
        worker.batchProgress.connect(self.on_batch, direct)
        worker.status.connect(self.on_status, direct)

    @Slot(object)
    def on_batch(self, progress: BatchProgress) -> None:
        if self.worker.is_cancelled:
            self.batches_after_cancel += 1

    @Slot(str)
    def on_status(self, text: str) -> None:
        self.statuses.append(text)


def _job(tmp_path: Path, config: TrainConfig = TINY, dataset: str = "digits", **kw) -> TrainJob:
    return TrainJob(dataset=dataset, config=config, out_dir=tmp_path / "models", **kw)


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_throttle_passes_first_last_and_due_batches() -> None:
    now = [0.0]
    passed: list[int] = []
    throttle = BatchThrottle(lambda p: passed.append(p.batch), 0.05, clock=lambda: now[0])
    for batch in range(1, 11):
        now[0] = batch * 0.02
        throttle(BatchProgress(1, 1, batch, 10, 1.0, 0.5))
    # 1 (first), then every 0.05 s: 4 (0.08), 7 (0.14), and 10 (last, and due).
    assert passed == [1, 4, 7, 10]


@pytest.mark.slow
def test_real_training_through_the_worker(qtbot, tmp_path: Path, digits_small: Dataset) -> None:
    harness = Harness(_job(tmp_path), digits_small)
    recorder = harness.run(qtbot)

    assert recorder.failed is None and recorder.cancelled is None
    assert [m.epoch for m in recorder.epochs] == [1, 2]
    assert recorder.threads == {threading.get_ident()}  # slots ran in the GUI thread
    assert recorder.batches[-1].batch == recorder.batches[-1].batches  # last batch always sent
    assert recorder.summary.total_params == 333_526
    assert recorder.data.train_samples == 600 and recorder.data.test_samples == 200

    outcome = recorder.outcome
    assert outcome is not None and not outcome.training.cancelled
    evaluation = outcome.evaluation
    assert evaluation is not None and evaluation.samples == 200
    assert 0.0 <= evaluation.test_accuracy <= 1.0
    matrix = evaluation.confusion_matrix
    assert matrix.shape == (10, 10) and matrix.sum() == 200
    assert len(outcome.misclassified) == min(48, round(200 * (1 - evaluation.test_accuracy)))
    info = outcome.info
    assert info.path.parent == tmp_path / "models" and info.path.is_file()
    assert info.metadata_path.is_file()
    assert info.test_accuracy == pytest.approx(evaluation.test_accuracy, abs=1e-6)
    assert info.command.startswith("python main.py train --dataset digits")
    # Only the model, its .tflite twin and its JSON: no temporary files left behind.
    twin = info.path.with_suffix(".tflite").name
    assert _files(tmp_path / "models") == sorted([info.path.name, info.metadata_path.name, twin])

    from training.predictor import Predictor

    predictor = Predictor.load(info.path)
    assert predictor.runtime == "litert"  # the Train tab's models classify without TensorFlow
    assert predictor.class_names == digits_small.class_names


@pytest.mark.slow
def test_cancel_at_the_first_batch_saves_nothing(qtbot, tmp_path: Path, digits_small) -> None:
    harness = Harness(_job(tmp_path), digits_small)
    watcher = InWorkerThread(harness.worker)
    # Cancel from inside the first batch report, in the worker thread, so the test
    # pins down "stops within one batch" exactly.
    harness.worker.batchProgress.connect(harness.worker.cancel, Qt.ConnectionType.DirectConnection)
    recorder = harness.run(qtbot)
    assert recorder.cancelled is not None and "Nothing was saved" in recorder.cancelled
    assert recorder.outcome is None and recorder.epochs == []
    assert [b.batch for b in recorder.batches] == [1]
    assert watcher.batches_after_cancel == 0  # cancelled in batch 1's report: no batch 2
    assert "Training…" in watcher.statuses
    assert not any(s.startswith("Evaluating") for s in watcher.statuses)
    assert not any(p.suffix in (".keras", ".json") for p in (tmp_path / "models").glob("*"))


class _CancelInEpoch(QObject):
    """Cancels the worker from the GUI thread on the first report of a given epoch."""

    def __init__(self, worker: TrainWorker, epoch: int) -> None:
        super().__init__()
        self.worker, self.epoch = worker, epoch
        self.batch_at_cancel: BatchProgress | None = None

    @Slot(object)
    def on_batch(self, progress: BatchProgress) -> None:
        if progress.epoch == self.epoch and self.batch_at_cancel is None:
            self.batch_at_cancel = progress
            self.worker.cancel()


@pytest.mark.slow
def test_cancel_mid_epoch_keeps_the_best_model(qtbot, tmp_path: Path, digits_small) -> None:
    harness = Harness(_job(tmp_path, TrainConfig(epochs=3, seed=1)), digits_small)
    watcher = InWorkerThread(harness.worker)
    canceller = _CancelInEpoch(harness.worker, epoch=2)
    harness.worker.batchProgress.connect(canceller.on_batch)
    recorder = harness.run(qtbot)

    assert recorder.failed is None
    outcome = recorder.outcome
    assert outcome is not None and outcome.training.cancelled
    assert outcome.training.best_epoch == 1 and len(outcome.training.history) == 1
    # train() polls the event after each batch: at most the running batch finishes.
    assert watcher.batches_after_cancel <= 1
    assert outcome.info.path.is_file() and outcome.evaluation is not None


@pytest.mark.slow
def test_abort_ends_quickly_without_partial_files(qtbot, tmp_path: Path, digits_small) -> None:
    harness = Harness(_job(tmp_path, TrainConfig(epochs=5, seed=1)), digits_small)
    watcher = InWorkerThread(harness.worker)
    with qtbot.waitSignal(harness.worker.epochEnded, timeout=120_000):
        harness.start()
    harness.worker.abort()
    qtbot.waitUntil(lambda: harness.recorder.done, timeout=120_000)
    # "Quickly" counted in work, not seconds (a loaded machine is slow, not wrong):
    # at most the running batch finishes, and the evaluation is skipped.
    assert watcher.batches_after_cancel <= 1
    assert not any(s.startswith("Evaluating") for s in watcher.statuses)
    assert harness.recorder.cancelled == "Training was stopped because the window closed."
    assert harness.recorder.outcome is None and harness.recorder.failed is None
    assert len(harness.recorder.epochs) < 5  # it stopped; it did not train on
    names = _files(tmp_path / "models")
    assert not [n for n in names if n.startswith(".")], names  # no temporary files
    # The best epoch so far stays, complete, with its JSON.
    assert len([n for n in names if n.endswith(".keras")]) == 1
    assert len([n for n in names if n.endswith(".json")]) == 1


def test_missing_dataset_gives_the_lookup_message(qtbot, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.keras/datasets
    monkeypatch.delenv("SKETCH_CLASSIFIER_DATA", raising=False)
    recorder = Harness(_job(tmp_path, data_dir=tmp_path / "nowhere")).run(qtbot)
    assert recorder.failed is not None
    assert "was not found" in recorder.failed and str(tmp_path / "nowhere") in recorder.failed


def test_one_class_folder_gives_its_message(qtbot, tmp_path: Path) -> None:
    (tmp_path / "imgs" / "only").mkdir(parents=True)
    recorder = Harness(_job(tmp_path, dataset=str(tmp_path / "imgs"))).run(qtbot)
    assert recorder.failed is not None and "at least two sub-folders" in recorder.failed


@pytest.mark.slow
def test_unwritable_models_folder_is_a_clear_message(qtbot, tmp_path: Path, digits_small) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    job = TrainJob(dataset="digits", config=TINY, out_dir=blocker / "models")
    recorder = Harness(job, digits_small).run(qtbot)
    assert recorder.failed is not None
    assert (
        recorder.failed.startswith("Could not write the model")
        and "Nothing was overwritten" in recorder.failed
    )


def test_too_few_samples_is_a_clear_message(qtbot, tmp_path: Path, digits_small) -> None:
    recorder = Harness(_job(tmp_path, limit=(1, 10)), digits_small).run(qtbot)
    assert recorder.failed is not None and "too few" in recorder.failed


@pytest.mark.slow
def test_misclassified_images_are_the_wrong_ones(qtbot, tmp_path: Path, digits_small) -> None:
    """Captions name the true and predicted classes of each shown image."""
    job = _job(tmp_path, TrainConfig(epochs=1, seed=3), limit=(200, 100))
    recorder = Harness(job, digits_small).run(qtbot)
    outcome = recorder.outcome
    assert outcome is not None
    for sample in outcome.misclassified:
        assert sample.true_label == str(int(digits_small.y_test[sample.index]))
        assert sample.predicted_label != sample.true_label
        assert np.array_equal(sample.image, digits_small.x_test[sample.index])
