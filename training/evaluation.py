"""Test accuracy, the confusion matrix and the misclassified images of a model.

Imports no TensorFlow: :func:`evaluate` only calls the predictor it is given, so the
GUI can import :class:`Misclassified` and the results in its own thread.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from training.calibration import (
    ece_noise_floor,
    expected_calibration_error,
    unsure_rate,
    unsure_when_wrong,
)

if TYPE_CHECKING:
    from training.predictor import Predictor


class EvaluationStopped(Exception):  # noqa: N818  (a request, not an error)
    """``should_stop`` ended :func:`evaluate` between two batches: there is no result."""


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
        ece_noise_floor: The ECE a perfectly calibrated model would show with the
            same confidences on as many samples
            (:func:`training.calibration.ece_noise_floor`): ``ece`` near it is noise.
        unsure_when_wrong: Share of the wrong answers that are "unsure" (None when
            none is wrong).
    """

    test_accuracy: float
    confusion_matrix: np.ndarray
    predicted: np.ndarray
    samples: int
    ece: float | None = None
    unsure_rate: float | None = None
    ece_noise_floor: float | None = None
    unsure_when_wrong: float | None = None

    def misclassified(self, y_true: np.ndarray) -> np.ndarray:
        """Indices of the samples whose prediction differs from ``y_true``."""
        return np.flatnonzero(self.predicted != np.asarray(y_true))


@dataclass(frozen=True, eq=False)
class Misclassified:
    """One test image the model got wrong.

    Attributes:
        image: The 28x28 (or 28x28x1) image in [0, 1], as the model saw it.
        true_label: The correct class name.
        predicted_label: What the model said.
        index: Its index in the test split.
    """

    image: np.ndarray
    true_label: str
    predicted_label: str
    index: int


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, num_classes: int) -> np.ndarray:
    """Counts of (true class, predicted class) pairs as a (classes, classes) int64 array."""
    y_true = np.asarray(y_true, dtype=np.int64)
    y_pred = np.asarray(y_pred, dtype=np.int64)
    flat = np.bincount(y_true * num_classes + y_pred, minlength=num_classes * num_classes)
    return flat.reshape(num_classes, num_classes)


def evaluate(
    predictor: Predictor,
    x_test: np.ndarray,
    y_test: np.ndarray,
    *,
    batch_size: int = 500,
    should_stop: Callable[[], bool] | None = None,
) -> EvaluationResult:
    """Evaluate on a test set, in batches through the predictor's compiled call.

    Args:
        predictor: The model to evaluate (never the one being trained: wrap a copy).
        x_test: Images, float32 (N, 28, 28, 1) in [0, 1].
        y_test: Integer labels.
        batch_size: Images per call.
        should_stop: Polled before every batch; True ends the evaluation with
            :class:`EvaluationStopped`. An exception rather than a None result, so
            callers that never stop it keep a plain ``EvaluationResult``.

    Raises:
        ValueError: If the test set is empty.
        EvaluationStopped: If ``should_stop`` returned True.
    """
    if len(x_test) == 0:
        raise ValueError("the test set is empty")
    batches = []
    for start in range(0, len(x_test), batch_size):
        if should_stop is not None and should_stop():
            raise EvaluationStopped
        batches.append(predictor.probabilities_batch(x_test[start : start + batch_size]))
    probabilities = np.concatenate(batches)
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
        ece_noise_floor=ece_noise_floor(probabilities),
        unsure_when_wrong=unsure_when_wrong(probabilities, y_test),
    )


def misclassified_examples(
    evaluation: EvaluationResult,
    x_test: np.ndarray,
    y_test: np.ndarray,
    class_names: Sequence[str],
    limit: int,
) -> tuple[Misclassified, ...]:
    """The first ``limit`` test images the model got wrong, with both labels.

    Args:
        evaluation: The result of :func:`evaluate` on ``x_test``.
        x_test: The evaluated images.
        y_test: Their true labels.
        class_names: The names of the classes, in label order.
        limit: How many at most (a strip shows a few dozen, not thousands).
    """
    wrong = evaluation.misclassified(y_test)[:limit]
    return tuple(
        Misclassified(
            image=x_test[i],
            true_label=class_names[int(y_test[i])],
            predicted_label=class_names[int(evaluation.predicted[i])],
            index=int(i),
        )
        for i in wrong
    )
