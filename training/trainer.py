"""``train()``: the tutorial's recipe as a plain function with progress and cancel hooks.

The caller passes plain functions (Orange3 style); one Keras callback adapts them.
Nothing here knows about Qt: the GUI's worker passes its signals' ``emit`` in, the
command line passes nothing and gets Keras's progress bar.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from training.datasets import Dataset, split_validation
from training.models import (
    DEFAULT_ARCHITECTURE,
    build_model,
    compile_model,
    load_keras_model,
    with_new_head,
)
from training.progress import BatchProgress, EpochMetrics

if TYPE_CHECKING:
    import keras

# TensorFlow is imported inside train(), not here: the GUI imports the configuration
# at start-up, before TensorFlow has loaded. BatchProgress and EpochMetrics live in
# training.progress (re-exported here) so that keras_hooks need not import this module.

__all__ = ["BatchProgress", "EpochMetrics", "TrainConfig", "TrainResult", "initial_model", "train"]


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
        augment: Augment the training split (never validation) as real input
            looks: see :mod:`training.augment`. Seeded by ``seed``.
        new_head: With ``initial_model``: keep its convolutional base and give it a
            fresh head for this data's classes (:func:`training.models.with_new_head`).
        lr_decay: Cut the learning rate to a third after each epoch without a
            better validation loss (down to 1e-5): the last epochs then refine
            rather than jump around. Give ``patience`` room for it (3 or more).
        lr_decay_patience: With ``lr_decay``, epochs without a better
            validation loss before each cut (0: after the first).
        lr_cosine: Lower the learning rate along a half cosine, from
            ``learning_rate`` in the first epoch to about a hundredth of it in the
            last (:func:`cosine_learning_rate`). Every epoch's rate is planned, so
            the last epochs refine whatever the validation loss does (an augmented
            run's is noisy). Not with ``lr_decay``.
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
    augment: bool = False
    lr_decay: bool = False
    new_head: bool = False
    lr_decay_patience: int = 0
    lr_cosine: bool = False
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
        if self.new_head and self.initial_model is None:
            raise ValueError("a new head needs a model to fine-tune (its base is kept)")
        if self.lr_decay_patience < 0:
            raise ValueError("learning-rate decay patience must be 0 or more")
        if self.lr_decay and self.lr_cosine:
            raise ValueError(
                "choose one learning-rate schedule: cut when stuck (lr_decay) or cosine"
            )


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
        temperature: Fitted on the validation split after training (see
            :mod:`training.calibration`); 1.0 when no epoch completed or
            training was cancelled.
    """

    model: keras.Model
    history: tuple[EpochMetrics, ...]
    best_epoch: int | None
    stopped_early: bool
    cancelled: bool
    restored_best: bool
    checkpoint_path: Path | None
    seconds: float
    temperature: float = 1.0


# Where the cosine schedule ends, as a share of the starting rate: low enough that the
# last epochs refine, not zero, so that the last epoch still learns something.
COSINE_FLOOR = 0.01


def cosine_learning_rate(config: TrainConfig, epoch: int) -> float:
    """The learning rate of ``epoch`` (from 0) under ``config``'s cosine schedule.

    A half cosine from ``config.learning_rate`` at epoch 0 down to
    :data:`COSINE_FLOOR` of it at ``config.epochs`` (SGDR, Loshchilov & Hutter 2017,
    without restarts). It depends on the epoch alone, so a run resumed from a
    backup gets the rates the uninterrupted run would have had.
    """
    progress = 0.5 * (1.0 + math.cos(math.pi * epoch / config.epochs))
    return config.learning_rate * (COSINE_FLOOR + (1.0 - COSINE_FLOOR) * progress)


def initial_model(config: TrainConfig, num_classes: int) -> keras.Model:
    """The compiled model training starts from: a fresh one, or ``config.initial_model``.

    Imports TensorFlow.

    Args:
        config: Names the architecture, or the ``.keras`` file to fine-tune.
        num_classes: The size of the output layer.

    Raises:
        KeyError: If the architecture is unknown.
        ModelLoadError: If the file to fine-tune cannot be loaded or does not fit.
    """
    import keras  # noqa: PLC0415

    keras.utils.set_random_seed(config.seed)  # the fresh weights depend on the seed only
    if config.initial_model is None:
        model = build_model(config.architecture, num_classes)
    elif config.new_head:
        model = with_new_head(load_keras_model(config.initial_model), num_classes)
    else:
        model = load_keras_model(config.initial_model, num_classes)
    return compile_model(model, config.learning_rate)


def train(
    config: TrainConfig,
    data: Dataset,
    *,
    model: keras.Model | None = None,
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
        model: The compiled model to train, from :func:`initial_model` (a caller that
            shows the model first builds it once); None builds it here.
        on_epoch_end: Called with :class:`EpochMetrics` after each epoch.
        on_batch_end: Called with :class:`BatchProgress` after each batch.
        should_stop: Polled after every batch; returning True cancels training
            within that batch. The best model so far is kept.

    Returns:
        The :class:`TrainResult`.

    Raises:
        ValueError: If the data are too few to split or their labels don't fit.
    """
    import keras  # noqa: PLC0415

    from training.keras_hooks import TrainingCancelled  # noqa: PLC0415

    started = time.perf_counter()
    x_train, y_train, x_val, y_val = split_validation(
        data.x_train, data.y_train, config.validation_fraction, config.seed
    )
    if model is None:
        model = initial_model(config, len(data.class_names))
    # Seeded again (initial_model seeded the weights) so that shuffling and dropout are
    # the same whether the caller built the model or train() did.
    keras.utils.set_random_seed(config.seed)
    batches = math.ceil(len(x_train) / config.batch_size)
    hooks, early_stopping, others = callbacks(
        config, batches, on_epoch_end, on_batch_end, should_stop, config.checkpoint_path
    )
    garments = data.recipe == "fashion-mnist"
    if config.augment:
        from training.augment import augmented_dataset  # noqa: PLC0415

        inputs: dict[str, Any] = {
            "x": augmented_dataset(x_train, y_train, config.batch_size, config.seed, garments),
            "steps_per_epoch": batches,
            "shuffle": False,  # the dataset shuffles itself, reproducibly
        }
    else:
        inputs = {"x": x_train, "y": y_train, "batch_size": config.batch_size}
    cancelled = False
    try:
        model.fit(
            **inputs,
            epochs=config.epochs,
            validation_data=(x_val, y_val),
            callbacks=[hooks, early_stopping, *others],
            verbose=config.verbose,
        )
    except TrainingCancelled:
        cancelled = True
        # fit() was interrupted, so EarlyStopping.on_train_end did not put the best
        # weights back: do it here, so a cancelled run still returns its best model.
        if early_stopping.best_weights is not None:
            model.set_weights(early_stopping.best_weights)
    return finish(model, config, hooks, cancelled, x_val, y_val, started, garments=garments)


def callbacks(
    config: TrainConfig,
    batches: int,
    on_epoch_end: Callable[[EpochMetrics], Any] | None,
    on_batch_end: Callable[[BatchProgress], Any] | None,
    should_stop: Callable[[], bool] | None,
    checkpoint_path: Path | None,
) -> tuple[Any, Any, list[Any]]:
    """The rules of a training run as Keras callbacks, for ``fit`` and for the
    multi-worker loop (:mod:`training.distributed`) alike.

    Returns:
        (the hooks and best-checkpoint callback, early stopping, the others).
    """
    import keras  # noqa: PLC0415

    from training.keras_hooks import HookCallback  # noqa: PLC0415

    hooks = HookCallback(
        config.epochs, batches, on_epoch_end, on_batch_end, should_stop, checkpoint_path
    )
    early_stopping = keras.callbacks.EarlyStopping(
        monitor="val_loss", patience=config.patience, restore_best_weights=True
    )
    others: list[Any] = []
    if config.lr_decay:
        others.append(
            keras.callbacks.ReduceLROnPlateau(
                monitor="val_loss",
                factor=1 / 3,
                patience=config.lr_decay_patience,
                min_lr=1e-5,
            )
        )
    if config.lr_cosine:
        others.append(
            keras.callbacks.LearningRateScheduler(
                lambda epoch, _rate: cosine_learning_rate(config, epoch)
            )
        )
    return hooks, early_stopping, others


def finish(
    model: keras.Model, config: TrainConfig, hooks: Any, cancelled: bool, x_val: Any,
    y_val: Any, started: float, *, garments: bool = False,
) -> TrainResult:  # fmt: skip
    """The :class:`TrainResult` of a run that ended (the temperature fitted on validation).

    ``garments`` says which augmentation the calibration's augmented copy of the
    validation split gets (when the run was augmented).
    """
    completed = len(hooks.history)
    temperature = 1.0
    if hooks.best_epoch is not None and not cancelled:
        augmented = garments if config.augment else None
        temperature = _validation_temperature(model, x_val, y_val, augmented, config.seed)
    return TrainResult(
        model=model,
        history=tuple(hooks.history),
        best_epoch=hooks.best_epoch,
        stopped_early=not cancelled and completed < config.epochs,
        cancelled=cancelled,
        restored_best=hooks.best_epoch is not None and hooks.best_epoch != completed,
        checkpoint_path=config.checkpoint_path if hooks.best_epoch is not None else None,
        seconds=time.perf_counter() - started,
        temperature=temperature,
    )


# The augmented copy of the validation split that calibration uses draws its random
# numbers from batch indices no training run reaches (training counts from 0).
CALIBRATION_STREAM = 1 << 40


def _probabilities(model: keras.Model, x: Any) -> np.ndarray:
    # Training is over, so a direct call is safe (never predict on a model in training).
    return np.concatenate(
        [model(x[i : i + 1000], training=False).numpy() for i in range(0, len(x), 1000)]
    )


def _validation_temperature(
    model: keras.Model, x_val: Any, y_val: Any, augmented_garments: bool | None, seed: int
) -> float:
    """The temperature that calibrates ``model`` on the validation split.

    A model trained with augmentation is used on drawings and photos as much as on
    images like the dataset's, and it is less sure of those. Its temperature is
    then fitted on the validation split plus an augmented copy of it (made as the
    training split's batches are, from a random stream training never uses), so
    its confidence is honest on both, not only on clean images.

    Args:
        model: The trained model.
        x_val: Validation images.
        y_val: Their labels.
        augmented_garments: None for a run without augmentation (the clean split
            only); else whether the augmentation is the garments' one.
        seed: The run's seed.
    """
    from training.calibration import fit_temperature  # noqa: PLC0415

    probabilities, labels = _probabilities(model, x_val), np.asarray(y_val)
    if augmented_garments is not None:
        from training.augment import augment_batch  # noqa: PLC0415

        copy = np.concatenate(
            [
                augment_batch(x_val[i : i + 1000], np.array([seed, CALIBRATION_STREAM + i]),
                              augmented_garments).numpy()
                for i in range(0, len(x_val), 1000)
            ]
        )  # fmt: skip
        probabilities = np.concatenate([probabilities, _probabilities(model, copy)])
        labels = np.concatenate([labels, labels])
    return fit_temperature(probabilities, labels)
