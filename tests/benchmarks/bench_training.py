"""Benchmark: training through the GUI worker against a plain ``model.fit`` script.

In one run, with the same model (tutorial-cnn), data, split, seed and batch size:

1. **plain fit**: the tutorial's script, ``model.fit`` with validation data, a
   best-model ``ModelCheckpoint`` and ``EarlyStopping(patience=2)``, ``verbose=0``.
2. **GUI worker**: a real :class:`guiapp.train_tab.TrainTab`, shown offscreen in a
   QApplication, whose TrainWorker trains on a QThread through ``training.train``
   and reports through signals connected to the tab's GUI-thread slots (live
   plots, progress bar, log), with its checkpoint and early stopping.

Printed: the epoch times of both (epoch 1 includes tracing, so the ratio uses the
median of epochs 2..N; target GUI / plain <= 1.03) and the GUI thread's event-loop
lateness while the worker trains, measured with a 10 ms precise QTimer (target
p99 <= 30 ms). The runs alternate (plain, GUI, plain, GUI...) so a load change on
the shared machine hits both alike.

Default settings: 12,000 MNIST training images (9,600 train / 2,400 validation),
2,000 test images, 3 epochs, batch 32, 1 repeat: a couple of minutes on 2 cores.
``--full``: the whole 48,000 / 12,000 split and the 10,000 test images.

    .venv/bin/python tests/benchmarks/bench_training.py [--samples N] [--epochs N]
        [--repeats N] [--full]

Uses ``../shared/datasets/mnist`` beside the project root.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
DATASETS = REPO.parent / "shared" / "datasets"

import numpy as np  # noqa: E402
from PySide6.QtCore import QObject, Slot  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from tests.benchmarks.lateness import TIMER_MS, LatenessProbe  # noqa: E402
from training.datasets import Dataset, load_dataset, split_validation  # noqa: E402
from training.trainer import EpochMetrics  # noqa: E402

SEED = 42
BATCH = 32


def plain_fit(data: Dataset, epochs: int, folder: Path) -> list[float]:
    """The tutorial's plain script; returns each epoch's seconds (validation and save included)."""
    import keras

    from training.models import build_model, compile_model

    keras.utils.set_random_seed(SEED)
    x_train, y_train, x_val, y_val = split_validation(data.x_train, data.y_train, 0.2, SEED)
    model = compile_model(build_model("tutorial-cnn", len(data.class_names)), 1e-3)

    class EpochTimer(keras.callbacks.Callback):
        """Epoch hooks only: Keras adds no per-batch work for it."""

        def __init__(self) -> None:
            super().__init__()
            self.seconds: list[float] = []
            self._start = 0.0

        def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
            self._start = time.perf_counter()

        def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
            self.seconds.append(time.perf_counter() - self._start)

    timer = EpochTimer()
    model.fit(
        x_train,
        y_train,
        batch_size=BATCH,
        epochs=epochs,
        validation_data=(x_val, y_val),
        callbacks=[
            keras.callbacks.ModelCheckpoint(
                str(folder / "plain-best.keras"), monitor="val_loss", save_best_only=True
            ),
            keras.callbacks.EarlyStopping(
                monitor="val_loss", patience=2, restore_best_weights=True
            ),
            timer,  # last, so its epoch end comes after the checkpoint's save
        ],
        verbose=0,
    )
    return timer.seconds


class EpochRecorder(QObject):
    """Collects epoch metrics in the GUI thread.

    The probe records from batch 1 to the last epoch.
    """

    def __init__(self, probe: LatenessProbe) -> None:
        super().__init__()
        self.probe = probe
        self.epochs: list[EpochMetrics] = []

    @Slot(object)
    def on_batch(self, _progress: object) -> None:
        self.probe.recording = True

    @Slot(object)
    def on_epoch(self, metrics: EpochMetrics) -> None:
        self.epochs.append(metrics)
        if metrics.epoch == metrics.epochs:
            self.probe.recording = False  # training is over: evaluation and saving follow

    @Slot(bool)
    def on_running(self, running: bool) -> None:
        if not running:
            self.probe.recording = False
            QApplication.instance().quit()


def gui_fit(
    app: QApplication, n_train: int, n_test: int, epochs: int, folder: Path
) -> tuple[list[float], list[float]]:
    """Train through a shown TrainTab; return (epoch seconds, GUI lateness in ms)."""
    from guiapp.train_tab import TrainTab

    tab = TrainTab(models_dir=folder, data_dir=DATASETS / "mnist", limit=(n_train, n_test))
    tab.resize(1280, 800)
    tab.show()
    tab.form.epochs_spin.setValue(epochs)
    tab.form.seed_spin.setValue(SEED)
    tab.form.batch_spin.setValue(BATCH)
    tab.form.patience_spin.setValue(2)
    probe = LatenessProbe(recording=False)  # from the first batch on (EpochRecorder)
    recorder = EpochRecorder(probe)
    tab.runningChanged.connect(recorder.on_running)
    probe.timer.start()
    if not tab.start():
        raise SystemExit(f"the tab did not start: {tab.message_label.text()}")
    tab._worker.batchProgress.connect(recorder.on_batch)
    tab._worker.epochEnded.connect(recorder.on_epoch)
    app.exec()
    probe.timer.stop()
    if tab.message_label.isVisible() and tab.outcome is None:
        raise SystemExit(f"training failed: {tab.message_label.text()}")
    tab.shutdown()
    tab.close()
    tab.deleteLater()
    return [m.seconds for m in recorder.epochs], probe.lateness_ms


def _steady(seconds: list[float]) -> float:
    return statistics.median(seconds[1:] if len(seconds) > 1 else seconds)


def main() -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--samples", type=int, default=12_000, help="training images before the 80/20 split"
    )
    parser.add_argument(
        "--test", type=int, default=2_000, help="test images evaluated by the GUI run"
    )
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument(
        "--full", action="store_true", help="all 60,000 training images (48k/12k), 10k test"
    )
    args = parser.parse_args()
    if args.full:
        args.samples, args.test = 60_000, 10_000
    if not (DATASETS / "mnist" / "train-images-idx3-ubyte.gz").is_file():
        print(f"skipped: {DATASETS / 'mnist'} is absent")
        return 0

    app = QApplication.instance() or QApplication([])
    data = load_dataset("digits", DATASETS / "mnist").subset(args.samples, args.test)
    n_val = round(len(data.x_train) * 0.2)
    print(
        f"tutorial-cnn, MNIST {len(data.x_train):,} images -> "
        f"{len(data.x_train) - n_val:,} train / "
        f"{n_val:,} validation, batch {BATCH}, {args.epochs} epochs, {args.repeats} repeat(s), "
        f"{os.cpu_count()} CPUs"
    )
    plain_runs: list[list[float]] = []
    gui_runs: list[list[float]] = []
    lateness: list[float] = []
    with tempfile.TemporaryDirectory(prefix="bench-training-") as tmp:
        for repeat in range(args.repeats):
            folder = Path(tmp) / f"run{repeat}"
            folder.mkdir()
            plain_runs.append(plain_fit(data, args.epochs, folder))
            print(
                f"  plain fit  epochs (s): {', '.join(f'{s:.2f}' for s in plain_runs[-1])}",
                flush=True,
            )
            seconds, late = gui_fit(app, args.samples, args.test, args.epochs, folder)
            gui_runs.append(seconds)
            lateness += late
            print(f"  GUI worker epochs (s): {', '.join(f'{s:.2f}' for s in seconds)}", flush=True)

    plain = statistics.median(_steady(r) for r in plain_runs)
    gui = statistics.median(_steady(r) for r in gui_runs)
    print(f"epoch time, median of epochs 2..N: plain fit {plain:.2f} s, GUI worker {gui:.2f} s")
    print(f"ratio GUI / plain: {gui / plain:.3f} (target <= 1.03)")
    print(
        f"first epoch (with tracing): plain {statistics.median(r[0] for r in plain_runs):.2f} s, "
        f"GUI {statistics.median(r[0] for r in gui_runs):.2f} s"
    )
    if lateness:
        late = np.asarray(lateness)
        print(
            f"GUI event loop lateness while training ({TIMER_MS} ms timer, {len(late):,} ticks): "
            f"p50 {np.percentile(late, 50):.1f} ms, p99 {np.percentile(late, 99):.1f} ms, "
            f"max {late.max():.1f} ms (target p99 <= 30 ms)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
