"""train(): the tutorial's recipe with plain-function hooks, checkpoint and cancel."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from training.trainer import BatchProgress, EpochMetrics, TrainConfig, train


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


def test_learns_and_stops_early_restoring_the_best(synthetic_data) -> None:
    epochs: list[EpochMetrics] = []
    result = train(
        TrainConfig(epochs=20, patience=0, learning_rate=0.003), synthetic_data,
        on_epoch_end=epochs.append,
    )
    assert epochs[-1].val_accuracy > 0.9  # the synthetic bars are easy
    if len(epochs) < 20:
        assert result.stopped_early
    best = min(epochs, key=lambda m: m.val_loss)
    assert result.best_epoch == best.epoch


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


def test_same_seed_same_result(synthetic_data) -> None:
    small = synthetic_data.subset(96, 16)
    first = train(TrainConfig(epochs=1, seed=3), small)
    second = train(TrainConfig(epochs=1, seed=3), small)
    assert first.history[0].val_loss == pytest.approx(second.history[0].val_loss, rel=1e-5)


def test_fine_tune_from_a_saved_model(synthetic_data, tmp_path: Path) -> None:
    path = tmp_path / "base.keras"
    train(TrainConfig(epochs=1, checkpoint_path=path), synthetic_data)
    result = train(TrainConfig(epochs=1, initial_model=path), synthetic_data)
    assert result.best_epoch == 1


@pytest.mark.parametrize(
    "kwargs",
    [{"epochs": 0}, {"batch_size": 0}, {"learning_rate": 0}, {"validation_fraction": 1.0},
     {"patience": -1}],
)
def test_config_rejects_nonsense(kwargs) -> None:
    with pytest.raises(ValueError):
        TrainConfig(**kwargs)


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
