"""evaluate(), its should_stop hook, the confusion matrix and misclassified examples.

A fake predictor (numpy only) stands in for a model: these tests need no TensorFlow.
"""

from __future__ import annotations

import numpy as np
import pytest

from training.evaluation import (
    EvaluationStopped,
    Misclassified,
    confusion_matrix,
    evaluate,
    misclassified_examples,
)


class ByBrightness:
    """Predicts class 0 for dark images and 1 for bright ones; counts its calls."""

    class_names = ("dark", "bright")

    def __init__(self) -> None:
        self.calls = 0

    def probabilities_batch(self, x: np.ndarray) -> np.ndarray:
        self.calls += 1
        bright = x.reshape(len(x), -1).mean(axis=1) > 0.5
        return np.stack([~bright, bright], axis=1).astype(np.float32)


def _images(levels: list[float]) -> np.ndarray:
    return np.stack([np.full((28, 28, 1), v, np.float32) for v in levels])


def test_confusion_matrix_counts_true_by_predicted() -> None:
    matrix = confusion_matrix(np.array([0, 0, 1, 2]), np.array([0, 1, 1, 0]), 3)
    assert matrix.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 0]]


def test_evaluate_in_batches() -> None:
    x, y = _images([0.1, 0.9, 0.2, 0.8, 0.7]), np.array([0, 1, 1, 1, 0])
    predictor = ByBrightness()
    result = evaluate(predictor, x, y, batch_size=2)
    assert predictor.calls == 3
    assert result.samples == 5 and result.test_accuracy == pytest.approx(3 / 5)
    assert result.predicted.tolist() == [0, 1, 0, 1, 1]
    assert result.confusion_matrix.tolist() == [[1, 1], [1, 2]]
    assert result.misclassified(y).tolist() == [2, 4]
    # ByBrightness is always sure, so none of its two wrong answers is flagged.
    assert result.unsure_when_wrong == 0.0 and result.unsure_rate == 0.0


def test_should_stop_is_polled_between_batches() -> None:
    x, y = _images([0.1] * 10), np.zeros(10, np.int64)
    predictor = ByBrightness()
    with pytest.raises(EvaluationStopped):
        evaluate(predictor, x, y, batch_size=2, should_stop=lambda: predictor.calls >= 2)
    assert predictor.calls == 2  # stopped before the third batch, not at the end
    never = evaluate(ByBrightness(), x, y, batch_size=2, should_stop=lambda: False)
    assert never.samples == 10


def test_empty_test_set_is_an_error() -> None:
    with pytest.raises(ValueError, match="empty"):
        evaluate(ByBrightness(), np.zeros((0, 28, 28, 1), np.float32), np.array([]))


def test_misclassified_examples_name_both_classes_and_keep_the_image() -> None:
    x, y = _images([0.1, 0.9, 0.2, 0.8, 0.7]), np.array([0, 1, 1, 1, 0])
    result = evaluate(ByBrightness(), x, y)
    wrong = misclassified_examples(result, x, y, ByBrightness.class_names, limit=10)
    assert [(m.index, m.true_label, m.predicted_label) for m in wrong] == [
        (2, "bright", "dark"),
        (4, "dark", "bright"),
    ]
    assert all(isinstance(m, Misclassified) for m in wrong)
    assert np.array_equal(wrong[0].image, x[2])
    assert len(misclassified_examples(result, x, y, ByBrightness.class_names, limit=1)) == 1
