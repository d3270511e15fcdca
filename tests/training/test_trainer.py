"""train(): the tutorial's recipe with plain-function hooks, checkpoint and cancel."""

from __future__ import annotations

import dataclasses
import itertools
import math
from pathlib import Path

import numpy as np
import pytest

from training.datasets import Dataset, split_validation
from training.models import build_model, load_keras_model
from training.progress import BatchProgress, EpochMetrics
from training.trainer import TrainConfig, cosine_learning_rate, initial_model, train


def _same_weights(a: list[np.ndarray], b: list[np.ndarray], atol: float = 0.0) -> bool:
    return len(a) == len(b) and all(
        np.allclose(x, y, rtol=0, atol=atol) for x, y in zip(a, b, strict=True)
    )


def _validation_mislabelled(data: Dataset, config: TrainConfig) -> Dataset:
    """``data`` with every validation sample relabelled as the next class.

    The more the model learns the true classes, the higher the validation loss: it
    rises after the first epoch, whatever the machine's rounding.
    """
    n = len(data.x_train)
    _, _, val, _ = split_validation(
        np.arange(n), np.arange(n), config.validation_fraction, config.seed
    )
    y = data.y_train.copy()
    y[val] = (y[val] + 1) % len(data.class_names)
    return dataclasses.replace(data, y_train=y)


@pytest.mark.slow
def test_one_real_epoch_calls_every_hook_and_checkpoints(synthetic_data, tmp_path: Path) -> None:
    batches: list[BatchProgress] = []
    epochs: list[EpochMetrics] = []
    checkpoint = tmp_path / "best.keras"
    result = train(
        TrainConfig(epochs=1, checkpoint_path=checkpoint),
        synthetic_data,
        on_batch_end=batches.append,
        on_epoch_end=epochs.append,
    )
    expected_batches = math.ceil(len(synthetic_data.x_train) * 0.8 / 32)  # 80/20 split
    assert [b.batch for b in batches] == list(range(1, expected_batches + 1))
    assert all(b.batches == expected_batches and b.epoch == 1 for b in batches)
    assert len(epochs) == 1 and epochs[0].is_best
    metrics = epochs[0]
    assert metrics.val_loss > 0 and 0 <= metrics.val_accuracy <= 1 and metrics.seconds > 0
    assert "Epoch 1/1" in metrics.log_line() and "val_accuracy" in metrics.log_line()
    assert result.history == (metrics,)
    assert result.best_epoch == 1 and not result.cancelled and not result.stopped_early
    assert result.checkpoint_path == checkpoint and checkpoint.is_file()
    assert list(tmp_path.iterdir()) == [checkpoint]  # no temporary files left


@pytest.mark.slow
def test_learns_and_stops_early_restoring_the_best(synthetic_data, tmp_path: Path) -> None:
    config = TrainConfig(
        epochs=20, patience=0, learning_rate=0.003, checkpoint_path=tmp_path / "best.keras"
    )
    epochs: list[EpochMetrics] = []
    result = train(
        config, _validation_mislabelled(synthetic_data, config), on_epoch_end=epochs.append
    )
    # It learns the true classes (so it gets every relabelled validation sample wrong)...
    assert epochs[1].accuracy > 0.8 and epochs[1].val_accuracy < 0.2
    # ...the validation loss rises after epoch 1, and patience 0 stops at once.
    assert epochs[1].val_loss > epochs[0].val_loss
    assert [m.is_best for m in epochs] == [True, False]
    assert result.stopped_early and not result.cancelled and result.history == tuple(epochs)
    assert result.best_epoch == 1 and result.restored_best
    # The returned model has epoch 1's weights (the checkpoint), not epoch 2's.
    best = load_keras_model(config.checkpoint_path).get_weights()
    assert _same_weights(result.model.get_weights(), best)


def test_cancel_stops_within_a_batch(synthetic_data, tmp_path: Path) -> None:
    seen: list[BatchProgress] = []
    result = train(
        TrainConfig(epochs=5, checkpoint_path=tmp_path / "m.keras"),
        synthetic_data,
        on_batch_end=seen.append,
        should_stop=lambda: len(seen) >= 3,
    )
    assert len(seen) == 3
    assert result.cancelled and result.history == () and result.best_epoch is None
    assert result.checkpoint_path is None and not any(tmp_path.iterdir())


@pytest.mark.slow
def test_cancel_in_second_epoch_keeps_the_best_so_far(synthetic_data, tmp_path: Path) -> None:
    seen: list[BatchProgress] = []
    checkpoint = tmp_path / "m.keras"
    result = train(
        TrainConfig(epochs=5, checkpoint_path=checkpoint),
        synthetic_data,
        on_batch_end=seen.append,
        should_stop=lambda: bool(seen) and seen[-1].epoch == 2 and seen[-1].batch == 2,
    )
    assert result.cancelled and len(result.history) == 1
    assert result.best_epoch == 1 and checkpoint.is_file()
    assert seen[-1].epoch == 2 and seen[-1].batch == 2


@pytest.mark.slow
def test_same_seed_same_result(synthetic_data) -> None:
    small = synthetic_data.subset(96, 16)
    first = train(TrainConfig(epochs=1, seed=3), small)
    second = train(TrainConfig(epochs=1, seed=3), small)
    assert first.history[0].val_loss == pytest.approx(second.history[0].val_loss, rel=1e-5)


@pytest.mark.slow
def test_fine_tune_from_a_saved_model(synthetic_data, tmp_path: Path) -> None:
    path = tmp_path / "base.keras"
    base = train(TrainConfig(epochs=1, checkpoint_path=path), synthetic_data)
    saved = load_keras_model(path).get_weights()
    tune = TrainConfig(epochs=1, initial_model=path, learning_rate=1e-9)
    # The model training starts from has the file's weights, not fresh ones...
    assert _same_weights(initial_model(tune, 10).get_weights(), saved)
    assert not _same_weights(build_model(num_classes=10).get_weights(), saved, atol=1e-3)
    # ...and an epoch that barely moves them (learning rate 1e-9) ends where the base
    # model was: the same weights and the same validation loss.
    result = train(tune, synthetic_data)
    assert result.best_epoch == 1
    assert _same_weights(result.model.get_weights(), saved, atol=1e-5)
    assert result.history[0].val_loss == pytest.approx(base.history[0].val_loss, rel=1e-3)


@pytest.mark.slow
def test_a_caller_built_model_trains_like_one_train_builds(synthetic_data) -> None:
    small = synthetic_data.subset(64, 8)
    config = TrainConfig(epochs=1, seed=5)
    built_here = train(config, small)
    given = train(config, small, model=initial_model(config, 10))
    assert given.history[0].val_loss == pytest.approx(built_here.history[0].val_loss, rel=1e-5)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"epochs": 0},
        {"batch_size": 0},
        {"learning_rate": 0},
        {"validation_fraction": 1.0},
        {"patience": -1},
        {"lr_decay": True, "lr_cosine": True},  # two schedules at once
    ],
)
def test_config_rejects_nonsense(kwargs) -> None:
    with pytest.raises(ValueError):
        TrainConfig(**kwargs)


def test_the_cosine_schedule_falls_from_the_rate_to_a_hundredth_of_it() -> None:
    config = TrainConfig(epochs=26, learning_rate=2e-3, lr_cosine=True)
    rates = [cosine_learning_rate(config, epoch) for epoch in range(config.epochs)]
    assert rates[0] == pytest.approx(2e-3)
    assert all(a > b for a, b in itertools.pairwise(rates))
    assert rates[-1] < 2e-3 / 50  # the last epoch refines...
    assert cosine_learning_rate(config, config.epochs) == pytest.approx(2e-5)  # ...not zero
    assert cosine_learning_rate(config, 13) == pytest.approx(1e-3 + 1e-5)  # half way


def test_a_cosine_run_trains_each_epoch_at_its_planned_rate(synthetic_data) -> None:
    seen: list[float] = []
    config = TrainConfig(epochs=3, patience=3, lr_cosine=True, architecture="sketch-cnn")
    model = initial_model(config, len(synthetic_data.class_names))
    # The rate an epoch trained at is still set when its end is reported.
    rate = model.optimizer.learning_rate
    result = train(
        config, synthetic_data, model=model, on_epoch_end=lambda _m: seen.append(float(rate))
    )
    assert len(result.history) == 3
    expected = [cosine_learning_rate(config, epoch) for epoch in range(3)]
    assert seen == pytest.approx(expected, rel=1e-6)


@pytest.mark.slow
def test_real_mnist_epoch(digits_small) -> None:
    result = train(TrainConfig(epochs=1), digits_small)
    assert result.history[0].val_accuracy > 0.5


def test_augmented_training_is_reproducible_and_calibrated(synthetic_data) -> None:
    config = TrainConfig(epochs=2, augment=True, seed=3, architecture="sketch-cnn")
    first = train(config, synthetic_data)
    second = train(config, synthetic_data)
    assert [m.loss for m in first.history] == pytest.approx([m.loss for m in second.history])
    # Validation is never augmented, so its figures are those of plain images.
    assert first.history[-1].val_accuracy == pytest.approx(second.history[-1].val_accuracy)
    assert first.temperature > 0 and first.temperature == second.temperature


def test_an_augmented_run_is_calibrated_on_validation_plus_an_augmented_copy() -> None:
    from training.augment import augment_batch
    from training.calibration import fit_temperature
    from training.trainer import CALIBRATION_STREAM, _validation_temperature

    rng = np.random.default_rng(0)
    x = rng.random((40, 28, 28, 1), dtype=np.float32) * (rng.random((40, 1, 1, 1)) < 0.5)
    y = rng.integers(0, 10, 40)
    model = build_model("sketch-cnn")  # untrained: its answers on changed images differ
    clean = model(x, training=False).numpy()
    assert _validation_temperature(model, x, y, None, 5) == fit_temperature(clean, y)
    copy = augment_batch(x, np.array([5, CALIBRATION_STREAM]), True).numpy()
    mixed = np.concatenate([clean, model(copy, training=False).numpy()])
    expected = fit_temperature(mixed, np.concatenate([y, y]))
    assert _validation_temperature(model, x, y, True, 5) == pytest.approx(expected, abs=1e-4)
