"""Words for a model: how it was built and trained, for the Classify tab's model line
(:func:`model_line`) and its tooltip.

A learner comparing the default model with the tutorial one should see at a glance
why they differ: the architecture, whether training augmented the images the way
real input looks, and whether its percentages are calibrated.
"""

from __future__ import annotations

import html
from pathlib import Path

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


NON_BREAKING_HYPHEN = "\u2011"
"""Shown for "-" in the model line, so "tutorial-cnn" never breaks across lines."""


def model_line(info: ModelInfo, status: str = "") -> str:
    """The Classify tab's model line, as rich text.

    Args:
        info: The model in use.
        status: Shown in italics at the end ("loading model…"), or "" for none.

    Returns:
        "Model: <b>name</b> · dataset · test accuracy · how trained · status".
    """
    spec = DATASETS.get(info.dataset)
    # Rich text: the file name is escaped, it could hold markup.
    parts = [f"<b>{html.escape(info.name)}</b>"]
    parts.append(spec.title if spec else f"{len(info.class_names)} classes")
    if info.test_accuracy is not None:
        parts.append(f"test accuracy {info.test_accuracy:.1%}")
    if trained := how_trained(info):
        parts.append(trained)
    if not info.has_metadata and info.dataset == "digits" and Path(info.path).is_file():
        parts.append("no metadata: assuming digits")
    if status:
        parts.append(f"<i>{status}</i>")
    # Lines break only between the parts: "tutorial- / cnn, not / calibrated"
    # reads badly. (nowrap keeps the spaces; hyphens need to be non-breaking.)
    parts = [
        f'<span style="white-space: nowrap">{part.replace("-", NON_BREAKING_HYPHEN)}</span>'
        for part in parts
    ]
    return "Model: " + " · ".join(parts)
