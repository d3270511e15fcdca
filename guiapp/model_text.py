"""Words for a model: how it was built and trained, for the Classify tab's model line
(:func:`model_line`) and its tooltip.

A learner comparing the default model with the tutorial one should see at a glance
why they differ: the architecture, whether training augmented the images the way
real input looks, and whether its percentages are calibrated.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from guiapp.training_text import translate_message
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
    words = [info.architecture or QCoreApplication.translate("model_text", "unknown architecture")]
    if info.augment:
        words.append(QCoreApplication.translate("model_text", "augmented"))
    words.append(
        QCoreApplication.translate("model_text", "calibrated")
        if is_calibrated(info)
        else QCoreApplication.translate("model_text", "not calibrated")
    )
    return ", ".join(words)


def model_tooltip(info: ModelInfo) -> str:
    """The model line's tooltip: the same facts in sentences, then the file."""
    spec = DATASETS.get(info.dataset)
    dataset = translate_message(spec.title) if spec else info.dataset
    trained_on = QCoreApplication.translate("model_text", "{0}: trained on {1}")
    lines = [trained_on.format(info.name, dataset)]
    if not info.has_metadata:
        lines.append(
            QCoreApplication.translate(
                "model_text", "No metadata beside the model: how it was trained is unknown."
            )
        )
    else:
        architecture = ARCHITECTURES.get(info.architecture or "")
        if architecture is not None:
            lines.append(
                QCoreApplication.translate("model_text", "Architecture {0}: {1}.").format(
                    architecture.name, translate_message(architecture.description)
                )
            )
        elif info.architecture:
            lines.append(
                QCoreApplication.translate("model_text", "Architecture {0}.").format(
                    info.architecture
                )
            )
        else:
            lines.append(QCoreApplication.translate("model_text", "Architecture not recorded."))
        lines.append(
            QCoreApplication.translate(
                "model_text",
                "Trained on images augmented like real input (scaled, rotated, thicker and "
                "thinner strokes, blurred, other contrast).",
            )
            if info.augment
            else QCoreApplication.translate(
                "model_text", "Trained on the images as the dataset has them (no augmentation)."
            )
        )
        lines.append(
            QCoreApplication.translate(
                "model_text",
                "Calibrated confidence (temperature {0}, fitted on the "
                'validation split): "90 %" means right about 9 times in 10.',
            ).format(f"{info.temperature:g}")
            if is_calibrated(info)
            else QCoreApplication.translate(
                "model_text", "Confidence not calibrated: its percentages may be too sure."
            )
        )
        if info.test_accuracy is not None:
            lines.append(
                QCoreApplication.translate("model_text", "Test accuracy {0}.").format(
                    f"{info.test_accuracy:.2%}"
                )
            )
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
    parts.append(
        html.escape(translate_message(spec.title))
        if spec
        else QCoreApplication.translate("model_text", "{0} classes").format(len(info.class_names))
    )
    if info.test_accuracy is not None:
        parts.append(
            QCoreApplication.translate("model_text", "test accuracy {0}").format(
                f"{info.test_accuracy:.1%}"
            )
        )
    if trained := how_trained(info):
        parts.append(trained)
    if not info.has_metadata and info.dataset == "digits" and Path(info.path).is_file():
        parts.append(QCoreApplication.translate("model_text", "no metadata: assuming digits"))
    if status:
        parts.append(f"<i>{status}</i>")
    # Lines break only between the parts: "tutorial- / cnn, not / calibrated"
    # reads badly. (nowrap keeps the spaces; hyphens need to be non-breaking.)
    parts = [
        f'<span style="white-space: nowrap">{part.replace("-", NON_BREAKING_HYPHEN)}</span>'
        for part in parts
    ]
    return QCoreApplication.translate("model_text", "Model:") + " " + " · ".join(parts)
