"""The Train tab's distributed-training panel: the strategy and the image cache to use,
and, while a run trains under a ``tf.distribute`` strategy, the strategy in use and the
progress of each worker (replica).

The GUI trains one-device or mirrored in its own process; multi-worker runs are started
from the command line (``train --workers N`` or ``TF_CONFIG``), which prints each
worker's epochs. The cache pass's progress goes to the Training page's progress bar.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QT_TRANSLATE_NOOP, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from guiapp.training_page import PROGRESS_STEPS, TrainingPage
from training.job import TrainJob
from training.progress import BatchProgress, StrategyInfo
from training.user_data import image_cache_dir

GUI_STRATEGIES = (
    (QT_TRANSLATE_NOOP("DistribOptions", "One device"), "one-device"),
    (QT_TRANSLATE_NOOP("DistribOptions", "Mirrored (every local device)"), "mirrored"),
)


class DistribOptions(QGroupBox):
    """Strategy and cache choices, applied to the job the settings form makes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Distribution"))
        self.strategy_combo = QComboBox()
        for text, name in GUI_STRATEGIES:
            self.strategy_combo.addItem(self.tr(text), name)
        self.strategy_combo.setToolTip(
            self.tr(
                "tf.distribute strategy. Multi-worker runs start from the command line: "
                "train --strategy multi-worker (see README)."
            )
        )
        self.cache_check = QCheckBox(self.tr("Cache a folder's images and stream them"))
        self.cache_check.setToolTip(
            self.tr(
                "Preprocess the folder's images once into a cache (later runs redo only new "
                "or changed files) and stream them while training: for folders too big for "
                "memory."
            )
        )
        layout = QFormLayout(self)
        layout.addRow(self.tr("Strategy"), self.strategy_combo)
        layout.addRow(self.cache_check)

    def apply(self, job: TrainJob) -> TrainJob:
        """``job`` with the chosen strategy and, for a folder, its cache."""
        cache = None
        if job.is_folder and self.cache_check.isChecked():
            cache = image_cache_dir(job.dataset, job.recipe)
        return dataclasses.replace(job, strategy=self.strategy_combo.currentData(), cache=cache)


class DistribPanel(QWidget):
    """The strategy in use and each worker's (replica's) progress; hidden for one device.

    Args:
        page: The Training page, whose progress bar shows the cache pass.
    """

    def __init__(self, page: TrainingPage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._page = page
        self.strategy_label = QLabel()
        self._rows = QVBoxLayout()
        self._bars: list[QProgressBar] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.strategy_label)
        layout.addLayout(self._rows)
        self.hide()

    @property
    def bars(self) -> list[QProgressBar]:
        """One progress bar per worker (replica) of the run shown."""
        return list(self._bars)

    @Slot()
    def reset(self) -> None:
        """Forget the previous run."""
        for bar in self._bars:
            self._rows.removeWidget(bar)
            bar.deleteLater()
        self._bars = []
        self.hide()

    @Slot(object)
    def show_strategy(self, info: StrategyInfo) -> None:
        """Show the strategy of the run that is starting, with a bar per worker."""
        self.reset()
        if info.name == "one-device" and info.replicas == 1:
            return
        devices = ", ".join(info.devices) or "?"
        if info.workers > 1:
            text = self.tr("Strategy: {0} · {1} workers, {2} replicas in step ({3})")
            text = text.format(info.name, info.workers, info.replicas, devices)
            names = [self.tr("Worker {0}").format(i) for i in range(info.workers)]
        else:
            text = self.tr("Strategy: {0} · {1} replicas in step ({2})")
            text = text.format(info.name, info.replicas, devices)
            names = [
                self.tr("Replica {0} ({1})").format(i, d)
                for i, d in enumerate(info.devices or ("?",))
            ]
        self.strategy_label.setText(text)
        for name in names:
            bar = QProgressBar()
            bar.setRange(0, PROGRESS_STEPS)
            bar.setFormat(f"{name}: %p%")
            self._rows.addWidget(bar)
            self._bars.append(bar)
        self.show()

    @Slot(object)
    def show_batch(self, progress: BatchProgress) -> None:
        """Every replica trains in step, so each one's share of the run is the same."""
        done = (progress.epoch - 1 + progress.batch / max(progress.batches, 1)) / progress.epochs
        for bar in self._bars:
            bar.setValue(round(done * PROGRESS_STEPS))

    @Slot(int, int)
    def show_cache(self, done: int, total: int) -> None:
        """The cache pass's progress, in the Training page's progress bar."""
        self._page.progress.setValue(round(done / max(total, 1) * PROGRESS_STEPS))
        self._page.progress_label.setText(
            self.tr("Caching images: {0:,} / {1:,}").format(done, total)
        )
