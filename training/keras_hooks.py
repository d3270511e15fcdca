"""The one Keras callback that adapts ``fit`` to :func:`training.trainer.train`'s plain hooks.

Kept apart from ``trainer`` because it must import Keras at class definition (``trainer``
imports it inside ``train()``). The progress records come from :mod:`training.progress`,
so this module never imports ``trainer`` back: no import cycle.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import keras

from training.models import save_model_atomic
from training.progress import BatchProgress, EpochMetrics


class TrainingCancelled(Exception):  # noqa: N818  (a signal, not an error)
    """Raised inside ``fit`` to stop within a batch; caught by :func:`train`."""


class HookCallback(keras.callbacks.Callback):
    """The one adapter from Keras's callback protocol to the caller's plain functions."""

    def __init__(
        self,
        epochs: int,
        batches: int,
        on_epoch_end: Callable[[EpochMetrics], Any] | None,
        on_batch_end: Callable[[BatchProgress], Any] | None,
        should_stop: Callable[[], bool] | None,
        checkpoint_path: Path | None,
    ) -> None:
        super().__init__()
        self._epochs = epochs
        self._batches = batches
        self._on_epoch_end = on_epoch_end
        self._on_batch_end = on_batch_end
        self._should_stop = should_stop
        self._checkpoint_path = checkpoint_path
        self._epoch = 0
        self._epoch_start = 0.0
        self.best_val_loss = math.inf
        self.best_epoch: int | None = None
        self.history: list[EpochMetrics] = []

    def _check_stop(self) -> None:
        if self._should_stop is not None and self._should_stop():
            # Raising, rather than setting model.stop_training, also skips the
            # validation pass Keras would still run after the last batch.
            raise TrainingCancelled

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self._epoch = epoch + 1
        self._epoch_start = time.perf_counter()
        self._check_stop()

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        if self._on_batch_end is not None:
            logs = logs or {}
            self._on_batch_end(
                BatchProgress(
                    epoch=self._epoch,
                    epochs=self._epochs,
                    batch=batch + 1,
                    batches=self._batches,
                    loss=float(logs.get("loss", math.nan)),
                    accuracy=float(logs.get("accuracy", math.nan)),
                )
            )
        self._check_stop()

    def on_test_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self._check_stop()

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        logs = logs or {}
        val_loss = float(logs.get("val_loss", math.nan))
        is_best = val_loss < self.best_val_loss
        if is_best:
            self.best_val_loss = val_loss
            self.best_epoch = epoch + 1
            if self._checkpoint_path is not None:
                save_model_atomic(self.model, self._checkpoint_path)
        metrics = EpochMetrics(
            epoch=epoch + 1,
            epochs=self._epochs,
            loss=float(logs.get("loss", math.nan)),
            accuracy=float(logs.get("accuracy", math.nan)),
            val_loss=val_loss,
            val_accuracy=float(logs.get("val_accuracy", math.nan)),
            seconds=time.perf_counter() - self._epoch_start,
            is_best=is_best,
        )
        self.history.append(metrics)
        if self._on_epoch_end is not None:
            self._on_epoch_end(metrics)
