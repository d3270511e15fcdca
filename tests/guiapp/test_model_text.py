"""The model line's words: architecture, augmentation and calibration, in plain words."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from guiapp.model_text import how_trained, model_tooltip
from training.datasets import DIGITS
from training.modelinfo import ModelInfo
from training.models import ARCHITECTURES

SKETCH = ModelInfo(
    path=Path("/models/digits.keras"),
    name="digits",
    class_names=DIGITS.class_names,
    dataset="digits",
    recipe="mnist",
    architecture="sketch-cnn",
    test_accuracy=0.9951,
    augment=True,
    temperature=1.37,
)
TUTORIAL = replace(SKETCH, architecture="tutorial-cnn", augment=False, temperature=1.0)


def test_short_words_for_the_line() -> None:
    assert how_trained(SKETCH) == "sketch-cnn, augmented, calibrated"
    assert how_trained(TUTORIAL) == "tutorial-cnn, not calibrated"
    assert how_trained(replace(TUTORIAL, architecture=None)) == (
        "unknown architecture, not calibrated"
    )
    assert how_trained(replace(SKETCH, has_metadata=False)) == ""  # nothing known


def test_tooltip_says_it_in_sentences() -> None:
    tip = model_tooltip(SKETCH)
    assert ARCHITECTURES["sketch-cnn"].description in tip
    assert "augmented like real input" in tip
    assert "temperature 1.37" in tip and "9 times in 10" in tip
    assert "Test accuracy 99.51%" in tip and tip.endswith(str(SKETCH.path))
    tip = model_tooltip(TUTORIAL)
    assert ARCHITECTURES["tutorial-cnn"].description in tip
    assert "no augmentation" in tip and "not calibrated" in tip
    tip = model_tooltip(replace(TUTORIAL, has_metadata=False))
    assert "unknown" in tip and "tutorial-cnn" not in tip
