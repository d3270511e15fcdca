"""Words for a model: how it was built and trained, for the Classify tab's model line.

A learner comparing the default model with the tutorial one should see at a glance
why they differ: the architecture, whether training augmented the images the way
real input looks, and whether its percentages are calibrated.
"""

from __future__ import annotations

from training.datasets import DATASETS
from training.modelinfo import ModelInfo
from training.models import ARCHITECTURES


def is_calibrated(info: ModelInfo) -> bool:
    """Whether a temperature was fitted for the model (1.0 is what uncalibrated models get)."""
    return info.temperature != 1.0


def how_trained(info: ModelInfo) -> str:
    """ "sketch-cnn, augmented, calibrated": a few words for the model line ("" if unknown)."""
    if not info.has_metadata:
        return ""
    words = [info.architecture or "unknown architecture"]
    if info.augment:
        words.append("augmented")
    words.append("calibrated" if is_calibrated(info) else "not calibrated")
    return ", ".join(words)


def model_tooltip(info: ModelInfo) -> str:
    """The model line's tooltip: the same facts in sentences, then the file."""
    spec = DATASETS.get(info.dataset)
    lines = [f"{info.name}: trained on {spec.title if spec else info.dataset}"]
    if not info.has_metadata:
        lines.append("No metadata beside the model: how it was trained is unknown.")
    else:
        architecture = ARCHITECTURES.get(info.architecture or "")
        if architecture is not None:
            lines.append(f"Architecture {architecture.name}: {architecture.description}.")
        elif info.architecture:
            lines.append(f"Architecture {info.architecture}.")
        else:
            lines.append("Architecture not recorded.")
        lines.append(
            "Trained on images augmented like real input (scaled, rotated, thicker and "
            "thinner strokes, blurred, other contrast)."
            if info.augment
            else "Trained on the images as the dataset has them (no augmentation)."
        )
        lines.append(
            f"Calibrated confidence (temperature {info.temperature:g}, fitted on the "
            'validation split): "90 %" means right about 9 times in 10.'
            if is_calibrated(info)
            else "Confidence not calibrated: its percentages may be too sure."
        )
        if info.test_accuracy is not None:
            lines.append(f"Test accuracy {info.test_accuracy:.2%}.")
    lines.append(str(info.path))
    return "\n".join(lines)
