"""Which build this is: the full one (TensorFlow bundled) or the slim one (LiteRT only).

The slim build (``make package-lite``) classifies through the models' ``.tflite``
twins and leaves TensorFlow out, a quarter of the size; training, evaluation and
export need TensorFlow, so there they say so (:data:`FULL_BUILD_NOTE`) instead.
"""

from __future__ import annotations

import importlib.util

FULL_BUILD_NOTE = (
    "This is the slim build of Sketch Classifier: it classifies, but training, "
    "evaluating and exporting models need TensorFlow, which only the full build "
    "(sketch-classifier, from `make package`) or a source install (`make run`) has."
)


def tensorflow_available() -> bool:
    """Whether TensorFlow can be imported here (without importing it: that takes seconds)."""
    try:
        return importlib.util.find_spec("tensorflow") is not None
    except (ImportError, ValueError):  # ValueError: blocked with sys.modules["tensorflow"] = None
        return False
