"""Sketch Classifier's compute side: data, preprocessing, models, training, prediction.

Nothing here imports Qt. Importing this package is cheap: the modules that need
TensorFlow (``models``, ``trainer``, ``evaluation``, ``predictor``) are imported only
when used, so the GUI can show its window before TensorFlow is loaded.

The two entry points most callers want are re-exported lazily::

    from training import train, TrainConfig
"""

from __future__ import annotations

import importlib
from typing import Any

# name -> module that defines it; resolved on first access (PEP 562) so that
# `import training` never pulls in TensorFlow.
_LAZY = {
    "train": "training.trainer",
    "TrainConfig": "training.trainer",
    "TrainResult": "training.trainer",
    "EpochMetrics": "training.trainer",
    "BatchProgress": "training.trainer",
    "evaluate": "training.evaluation",
    "EvaluationResult": "training.evaluation",
    "Predictor": "training.predictor",
    "preprocess": "training.preprocessing",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'training' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
