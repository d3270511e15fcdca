"""One image's answer, and the most probable classes: numpy only.

Kept apart from :mod:`training.predictor` (which imports TensorFlow) so the GUI can
rank probabilities and show answers without loading TensorFlow in its thread.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


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
