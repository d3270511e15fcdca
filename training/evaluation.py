"""Test accuracy and the confusion matrix of a model on a test set."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from training.calibration import expected_calibration_error, unsure_rate
from training.predictor import Predictor


@dataclass(frozen=True, eq=False)
class EvaluationResult:
    """A model's results on a test set.

    Attributes:
        test_accuracy: Fraction of test samples classified correctly.
        confusion_matrix: ``[true, predicted]`` counts, classes x classes.
        predicted: The predicted class of each sample.
        samples: How many samples were evaluated.
        ece: Expected calibration error of the (calibrated) probabilities, 15 bins.
        unsure_rate: Share of samples whose top probability is below the "unsure"
            threshold (:data:`training.calibration.UNSURE_BELOW`).
    """

    test_accuracy: float
    confusion_matrix: np.ndarray
    predicted: np.ndarray
    samples: int
    ece: float | None = None
    unsure_rate: float | None = None

    def misclassified(self, y_true: np.ndarray) -> np.ndarray:
        """Indices of the samples whose prediction differs from ``y_true``."""
        return np.flatnonzero(self.predicted != np.asarray(y_true))


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, num_classes: int) -> np.ndarray:
    """Counts of (true class, predicted class) pairs as a (classes, classes) int64 array."""
    y_true = np.asarray(y_true, dtype=np.int64)
    y_pred = np.asarray(y_pred, dtype=np.int64)
    flat = np.bincount(y_true * num_classes + y_pred, minlength=num_classes * num_classes)
    return flat.reshape(num_classes, num_classes)


def evaluate(
    predictor: Predictor, x_test: np.ndarray, y_test: np.ndarray, *, batch_size: int = 500
) -> EvaluationResult:
    """Evaluate on a test set, in batches through the predictor's compiled call.

    Args:
        predictor: The model to evaluate (never the one being trained: wrap a copy).
        x_test: Images, float32 (N, 28, 28, 1) in [0, 1].
        y_test: Integer labels.
        batch_size: Images per call.

    Raises:
        ValueError: If the test set is empty.
    """
    if len(x_test) == 0:
        raise ValueError("the test set is empty")
    probabilities = np.concatenate(
        [
            predictor.probabilities_batch(x_test[i : i + batch_size])
            for i in range(0, len(x_test), batch_size)
        ]
    )
    predicted = np.argmax(probabilities, axis=1)
    y_test = np.asarray(y_test, dtype=np.int64)
    matrix = confusion_matrix(y_test, predicted, len(predictor.class_names))
    return EvaluationResult(
        test_accuracy=float(np.mean(predicted == y_test)),
        confusion_matrix=matrix,
        predicted=predicted,
        samples=len(y_test),
        ece=expected_calibration_error(probabilities, y_test),
        unsure_rate=unsure_rate(probabilities),
    )
