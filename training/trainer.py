"""``train()``: the tutorial's recipe as a plain function with progress and cancel hooks.

The caller passes plain functions (Orange3 style); one Keras callback adapts them.
Nothing here knows about Qt: the GUI's worker passes its signals' ``emit`` in, the
command line passes nothing and gets Keras's progress bar.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from training.datasets import Dataset, split_validation
from training.models import DEFAULT_ARCHITECTURE, build_model, compile_model, save_model_atomic

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # keep TensorFlow's C++ chatter off stderr

import keras  # noqa: E402


@dataclass(frozen=True)
class TrainConfig:
    """How to train.

    Attributes:
        architecture: Registry name of the model to build.
        epochs: Maximum number of epochs (the tutorial: 20).
        batch_size: Samples per gradient step.
        learning_rate: Adam's learning rate.
        validation_fraction: Part of the training data held out for validation.
        patience: Epochs without a better validation loss before stopping early.
        seed: Seeds the split, the weights' initialisation and the shuffling.
        checkpoint_path: Where to write the best model (atomically) as training goes.
        initial_model: A ``.keras`` file to fine-tune instead of a fresh model.
        verbose: Keras's progress output (0 silent, 1 progress bar, 2 a line per epoch).
    """

    architecture: str = DEFAULT_ARCHITECTURE
    epochs: int = 20
    batch_size: int = 32
    learning_rate: float = 1e-3
    validation_fraction: float = 0.2
    patience: int = 2
    seed: int = 42
    checkpoint_path: Path | None = None
    initial_model: Path | None = None
    verbose: int = 0

    def __post_init__(self) -> None:
        if self.epochs < 1:
            raise ValueError("epochs must be at least 1")
        if self.batch_size < 1:
            raise ValueError("batch size must be at least 1")
        if not self.learning_rate > 0:
            raise ValueError("learning rate must be positive")
        if not 0.0 < self.validation_fraction < 1.0:
            raise ValueError("validation fraction must be between 0 and 1")
        if self.patience < 0:
            raise ValueError("patience must be 0 or more")


@dataclass(frozen=True)
class BatchProgress:
    """Sent after every training batch.

    Attributes:
        epoch: The epoch, counted from 1.
        epochs: The maximum number of epochs.
        batch: The batch within the epoch, counted from 1.
        batches: Batches per epoch.
        loss: The running mean training loss of this epoch.
        accuracy: The running training accuracy of this epoch.
    """

    epoch: int
    epochs: int
    batch: int
    batches: int
    loss: float
    accuracy: float


@dataclass(frozen=True)
class EpochMetrics:
    """Sent after every epoch.

    Attributes:
        epoch: The epoch, counted from 1.
        epochs: The maximum number of epochs.
        loss: Training loss.
        accuracy: Training accuracy.
        val_loss: Validation loss.
        val_accuracy: Validation accuracy.
        seconds: Wall time of the epoch, validation included.
        is_best: Whether this epoch has the lowest validation loss so far (and so
            was checkpointed).
    """

    epoch: int
    epochs: int
    loss: float
    accuracy: float
    val_loss: float
    val_accuracy: float
    seconds: float
    is_best: bool

    def log_line(self) -> str:
        """A line like Keras's: ``Epoch 3/20 - 21s - loss: 0.0412 - accuracy: ...``."""
        line = (
            f"Epoch {self.epoch}/{self.epochs} - {self.seconds:.0f}s - loss: {self.loss:.4f}"
            f" - accuracy: {self.accuracy:.4f} - val_loss: {self.val_loss:.4f}"
            f" - val_accuracy: {self.val_accuracy:.4f}"
        )
        return line + (" (best)" if self.is_best else "")


@dataclass(frozen=True, eq=False)
class TrainResult:
    """The outcome of :func:`train`.

    Attributes:
        model: The trained model, with the best epoch's weights when any epoch ended.
        history: One :class:`EpochMetrics` per completed epoch.
        best_epoch: The epoch (from 1) whose weights the model has, or None.
        stopped_early: Whether early stopping ended training before ``epochs``.
        cancelled: Whether ``should_stop`` ended training.
        restored_best: Whether the best epoch's weights were put back at the end.
        checkpoint_path: The best model's file, if one was written.
        seconds: Wall time of the whole training.
    """

    model: keras.Model
    history: tuple[EpochMetrics, ...]
    best_epoch: int | None
    stopped_early: bool
    cancelled: bool
    restored_best: bool
    checkpoint_path: Path | None
    seconds: float


class TrainingCancelled(Exception):  # noqa: N818  (a signal, not an error)
    """Raised inside ``fit`` to stop within a batch; caught by :func:`train`."""


class _Hooks(keras.callbacks.Callback):
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


def _initial_model(config: TrainConfig, num_classes: int) -> keras.Model:
    if config.initial_model is None:
        model = build_model(config.architecture, num_classes)
    else:
        from training.predictor import load_keras_model  # noqa: PLC0415

        model = load_keras_model(config.initial_model, num_classes)
    return compile_model(model, config.learning_rate)


def train(
    config: TrainConfig,
    data: Dataset,
    *,
    on_epoch_end: Callable[[EpochMetrics], Any] | None = None,
    on_batch_end: Callable[[BatchProgress], Any] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> TrainResult:
    """Train a model with the tutorial's recipe.

    Splits ``data``'s training part 80/20 (``config.validation_fraction``) with
    ``config.seed``, fits with adam and sparse categorical cross-entropy, writes the
    best model (lowest validation loss) atomically to ``config.checkpoint_path``
    after each better epoch, and stops early after ``config.patience`` epochs
    without improvement, restoring the best weights.

    Args:
        config: How to train.
        data: The dataset; only its training part is used here.
        on_epoch_end: Called with :class:`EpochMetrics` after each epoch.
        on_batch_end: Called with :class:`BatchProgress` after each batch.
        should_stop: Polled after every batch; returning True cancels training
            within that batch. The best model so far is kept.

    Returns:
        The :class:`TrainResult`.

    Raises:
        ValueError: If the data are too few to split or their labels don't fit.
    """
    started = time.perf_counter()
    keras.utils.set_random_seed(config.seed)
    x_train, y_train, x_val, y_val = split_validation(
        data.x_train, data.y_train, config.validation_fraction, config.seed
    )
    num_classes = len(data.class_names)
    model = _initial_model(config, num_classes)
    batches = math.ceil(len(x_train) / config.batch_size)
    hooks = _Hooks(
        config.epochs, batches, on_epoch_end, on_batch_end, should_stop, config.checkpoint_path
    )
    early_stopping = keras.callbacks.EarlyStopping(
        monitor="val_loss", patience=config.patience, restore_best_weights=True
    )
    cancelled = False
    try:
        model.fit(
            x_train,
            y_train,
            batch_size=config.batch_size,
            epochs=config.epochs,
            validation_data=(x_val, y_val),
            callbacks=[hooks, early_stopping],
            verbose=config.verbose,
        )
    except TrainingCancelled:
        cancelled = True
        # fit() was interrupted, so EarlyStopping.on_train_end did not put the best
        # weights back: do it here, so a cancelled run still returns its best model.
        if early_stopping.best_weights is not None:
            model.set_weights(early_stopping.best_weights)
    completed = len(hooks.history)
    return TrainResult(
        model=model,
        history=tuple(hooks.history),
        best_epoch=hooks.best_epoch,
        stopped_early=not cancelled and completed < config.epochs,
        cancelled=cancelled,
        restored_best=hooks.best_epoch is not None and hooks.best_epoch != completed,
        checkpoint_path=config.checkpoint_path if hooks.best_epoch is not None else None,
        seconds=time.perf_counter() - started,
    )
