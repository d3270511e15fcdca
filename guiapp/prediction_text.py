"""Words for a prediction: the top classes with percentages, and when to say "unsure".

The probabilities are the calibrated ones: :class:`training.predictor.Predictor`
applies the model's temperature (fitted on the validation split) before anything
reaches the GUI, so the "unsure" threshold means the same for every model. The
threshold itself is :data:`training.calibration.UNSURE_BELOW`, shared with
``evaluate --json``'s ``unsure_rate`` and the benchmarks.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QCoreApplication

from guiapp.training_text import unsure_question
from training.calibration import UNSURE_BELOW
from training.prediction import top_classes

__all__ = ["UNSURE_BELOW", "summary", "top_classes", "unsure_note"]


def summary(names: Sequence[str], probabilities: np.ndarray) -> str:
    """ "7  93.1 %   ·   1  4.0 %   ·   9  1.2 %" for the top three classes."""
    return "   ·   ".join(f"{names[i]}  {p * 100:.1f} %" for i, p in top_classes(probabilities))


def unsure_note(probabilities: np.ndarray, noun: str) -> str:
    """A warning when the top (calibrated) probability is below :data:`UNSURE_BELOW`, else ""."""
    top = float(np.max(probabilities))
    if top >= UNSURE_BELOW:
        return ""
    text = QCoreApplication.translate("prediction_text", "Unsure: the best guess has only {0} %.")
    return f"{text.format(f'{top * 100:.0f}')} {unsure_question(noun)}"
