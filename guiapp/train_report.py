"""What the Train tab writes about a run: its data, its model and how it ended.

Text only: the tab's worker slots call these and put the lines in the log, the
progress line and the Results page. The strings keep the tab's translation context
("TrainTab"): they were its own, and the context is what ties a string to its
translation in the ``.ts`` file.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from guiapp.training_text import translate_message
from training.datasets import DATASETS
from training.job import DataReady, JobResult
from training.summary import ModelSummary


@dataclass(frozen=True)
class RunEnd:
    """How a run that saved a model ended, in words.

    Attributes:
        log: Lines for the log, in order.
        done: The progress line ("Done: 5 epoch(s), best epoch 4").
        how: For the Results page: "all epochs", "stopped early" or "cancelled, kept".
    """

    log: tuple[str, ...]
    done: str
    how: str


def dataset_title(name: str) -> str:
    """A built-in dataset's title in the interface's words; a folder's name as it is."""
    return translate_message(DATASETS[name].title) if name in DATASETS else name


def data_lines(ready: DataReady, validation_fraction: float) -> list[str]:
    """The log lines for the data a run loaded, and for the images it skipped."""
    line = QCoreApplication.translate(
        "TrainTab",
        "Data: {name} from {source}: {train:,} training ({train_share:.0%}/"
        "{val_share:.0%} → train/validation) and {test:,} test images, {classes} classes",
    )
    lines = [line.format(
        name=dataset_title(ready.name), source=ready.source, train=ready.train_samples,
        train_share=1 - validation_fraction, val_share=validation_fraction,
        test=ready.test_samples, classes=len(ready.class_names))]  # fmt: skip
    if ready.skipped:
        skipped = QCoreApplication.translate("TrainTab", "Skipped {0} unreadable image(s):")
        lines.append(skipped.format(len(ready.skipped)))
        lines += [f"  {line}" for line in ready.skipped]
    return lines


def skipped_note(count: int) -> str:
    """The message above the pages when ``count`` images could not be read."""
    return QCoreApplication.translate(
        "TrainTab",
        "{0} image(s) could not be read and were skipped (listed "
        "in the log below). Training goes on with the others.",
    ).format(count)


def summary_line(summary: ModelSummary) -> str:
    """The log line for the model a run trains."""
    line = QCoreApplication.translate("TrainTab", "Model: {0}, {1} layers, {2:,} parameters")
    return line.format(summary.name, len(summary.layers), summary.total_params)


def run_end(outcome: JobResult, patience: int | str) -> RunEnd:
    """Words for a run that ended with a saved model (``patience``: the run's setting)."""
    training, evaluation = outcome.training, outcome.evaluation
    epochs_run = len(training.history)
    log = []
    if training.cancelled:
        line = QCoreApplication.translate(
            "TrainTab", "Cancelled during epoch {0}; kept the best model so far."
        )
        log.append(line.format(epochs_run + 1))
    elif training.stopped_early:
        line = QCoreApplication.translate(
            "TrainTab", "Stopped early after epoch {0}: no better validation loss for {1} epochs."
        )
        log.append(line.format(epochs_run, patience))
    if training.restored_best or training.cancelled:
        line = QCoreApplication.translate("TrainTab", "Restored best weights from epoch {0}.")
        log.append(line.format(training.best_epoch))
    if training.cancelled:
        done = QCoreApplication.translate(
            "TrainTab", "Done: {0} epoch(s), best epoch {1} (cancelled)"
        )
        how = QCoreApplication.translate("TrainTab", "cancelled, kept")
    else:
        done = QCoreApplication.translate("TrainTab", "Done: {0} epoch(s), best epoch {1}")
        how = (
            QCoreApplication.translate("TrainTab", "stopped early")
            if training.stopped_early
            else QCoreApplication.translate("TrainTab", "all epochs")
        )
    if evaluation is not None:
        line = QCoreApplication.translate("TrainTab", "Test accuracy: {0:.4f} on {1:,} samples")
        log.append(line.format(evaluation.test_accuracy, evaluation.samples))
    log.append(QCoreApplication.translate("TrainTab", "Saved: {0}").format(outcome.info.path))
    return RunEnd(tuple(log), done.format(epochs_run, training.best_epoch), how)
