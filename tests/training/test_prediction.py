"""Top-k classes and the Prediction record: numpy only, no TensorFlow."""

from __future__ import annotations

import numpy as np
import pytest

from training.prediction import Prediction, top_classes


def test_top_classes_best_first_and_stable_on_ties() -> None:
    values = np.array([0.05, 0.6, 0.3, 0.05], np.float32)
    top = top_classes(values)
    assert [i for i, _ in top] == [1, 2, 0]
    assert [p for _, p in top] == pytest.approx([0.6, 0.3, 0.05])
    assert [i for i, _ in top_classes(values, k=4)] == [1, 2, 0, 3]  # 0 before 3: a tie
    assert top_classes(values.reshape(1, 4), k=1)[0][0] == 1  # any shape is flattened


def test_prediction_top_is_top_classes() -> None:
    probabilities = np.array([0.1, 0.2, 0.7], np.float32)
    prediction = Prediction(index=2, label="c", confidence=0.7, probabilities=probabilities)
    assert (
        prediction.top(2)
        == top_classes(probabilities, 2)
        == [(2, pytest.approx(0.7)), (1, pytest.approx(0.2))]
    )
