"""One image's answer, and the most probable classes: numpy only.

Kept apart from :mod:`training.predictor` (which imports TensorFlow) so the GUI can
rank probabilities and show answers without loading TensorFlow in its thread.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


class ModelOutputError(ValueError):
    """A model's outputs are not probabilities (NaN, out of [0, 1], or not summing to 1)."""


SUM_TOLERANCE = 1e-3
"""How far from 1 a float32 softmax's sum may be (rounding: about 1e-6 per class)."""


def check_probabilities(probabilities: np.ndarray) -> np.ndarray:
    """Check that a model's outputs are class probabilities; return them unchanged.

    Every runtime (Keras, LiteRT) calls this on what its model returns, so a model
    that gives logits or NaN is refused rather than shown as "6848.8 %" or printed
    as a bare ``NaN`` in JSON.

    Args:
        probabilities: One row per image (or one vector), one column per class.

    Raises:
        ModelOutputError: If any value is not finite or outside [0, 1], or a row does
            not sum to 1 (within :data:`SUM_TOLERANCE`).
    """
    p = np.asarray(probabilities)
    if p.size == 0 or not np.isfinite(p).all():
        raise ModelOutputError("the model gave NaN or infinite outputs: it is broken")
    if p.min() < 0.0 or p.max() > 1.0 + SUM_TOLERANCE:
        raise ModelOutputError(
            "the model's outputs are not probabilities (outside 0..1): logits, not a softmax?"
        )
    sums = p.reshape(-1, p.shape[-1]).sum(axis=-1, dtype=np.float64)
    if np.abs(sums - 1.0).max() > SUM_TOLERANCE:
        raise ModelOutputError(
            f"the model's outputs sum to {float(sums.flat[0]):.4g}, not 1: they are not "
            "probabilities"
        )
    return probabilities


def top_classes(probabilities: np.ndarray, k: int = 3) -> list[tuple[int, float]]:
    """The ``k`` most probable (class index, probability) pairs, best first.

    Args:
        probabilities: One probability per class (any shape; it is flattened).
        k: How many pairs at most.

    Returns:
        The pairs, best first; ties keep class order (a stable sort), so the same
        probabilities always read the same way.
    """
    values = np.asarray(probabilities, dtype=np.float64).ravel()
    order = np.argsort(-values, kind="stable")[:k]
    return [(int(i), float(values[i])) for i in order]


@dataclass(frozen=True, eq=False)
class Prediction:
    """The answer for one image.

    Attributes:
        index: The most probable class.
        label: Its name.
        confidence: Its probability.
        probabilities: All class probabilities, float32, in class order.
    """

    index: int
    label: str
    confidence: float
    probabilities: np.ndarray

    def top(self, k: int = 3) -> list[tuple[int, float]]:
        """The ``k`` most probable (class index, probability) pairs: :func:`top_classes`."""
        return top_classes(self.probabilities, k)
