"""Looking inside a model: which layers to show, their maps as pictures, saliency colours.

This module is numpy-only (the GUI imports it before TensorFlow). The computing
sides live beside it:

* :mod:`training.explain_keras`: a Keras functional sub-model with every shown
  layer's output (built once per model), and integrated gradients (TensorFlow);
* :mod:`training.explain_litert`: the same activations read from a ``.tflite``
  twin's intermediate tensors (LiteRT, no TensorFlow; 0.1 ms against 1.7 ms);
* :mod:`training.explain_sheet`: the PNG sheet of ``python main.py explain``.

Which layers: every convolution and pooling layer (a grid of small greyscale maps,
one per channel), and every hidden dense layer (a strip of bars). The output layer
is left out: the probability chart already shows it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

CONV_CLASSES = frozenset(
    {"Conv2D", "DepthwiseConv2D", "SeparableConv2D", "Conv2DTranspose", "Convolution2D"}
)
"""Keras layer classes drawn as convolution maps."""
POOL_CLASSES = frozenset({"MaxPooling2D", "AveragePooling2D", "MaxPool2D", "AvgPool2D"})
"""Keras layer classes drawn as pooling maps (global pooling gives vectors: a strip)."""
GLOBAL_POOL_CLASSES = frozenset(
    {"GlobalMaxPooling2D", "GlobalAveragePooling2D", "GlobalMaxPool2D", "GlobalAvgPool2D"}
)
DENSE_CLASSES = frozenset({"Dense"})

NO_CONV_NOTE = "This model has no convolution layers to show: saliency only."
"""What the panel and the sheet say for a model without convolution layers."""

GAP = 1
"""Pixels between maps in a grid (drawn in the background grey)."""
GRID_BACKGROUND = 60
"""The grey between maps: dark enough that a black (silent) map still has an edge."""


@dataclass(frozen=True)
class LayerSpec:
    """One layer shown inside the model.

    Attributes:
        name: The Keras layer's name.
        kind: ``"conv"``, ``"pool"`` or ``"dense"``.
        shape: Its output shape for one image: (height, width, channels), or (units,).
    """

    name: str
    kind: str
    shape: tuple[int, ...]

    @property
    def label(self) -> str:
        """ "conv2d · 14×14×32": the name and shape, for people."""
        return f"{self.name} · {'×'.join(str(n) for n in self.shape)}"

    @property
    def is_map(self) -> bool:
        """Whether it is drawn as a grid of maps (else as a strip of bars)."""
        return len(self.shape) == 3


@dataclass(frozen=True)
class LayerActivation:
    """One layer's output for one image.

    Attributes:
        spec: Which layer.
        values: float32, of shape ``spec.shape`` (no batch axis).
    """

    spec: LayerSpec
    values: np.ndarray


def layer_kind(class_name: str) -> str | None:
    """``"conv"``, ``"pool"``, ``"dense"`` or None (not shown) for a Keras class name."""
    if class_name in CONV_CLASSES:
        return "conv"
    if class_name in POOL_CLASSES or class_name in GLOBAL_POOL_CLASSES:
        return "pool"
    if class_name in DENSE_CLASSES:
        return "dense"
    return None


def has_maps(specs: Iterable[LayerSpec]) -> bool:
    """Whether any convolution layer is shown (else the panel shows :data:`NO_CONV_NOTE`)."""
    return any(spec.kind == "conv" for spec in specs)


# ----- maps as pictures ------------------------------------------------------------


def grid_columns(channels: int) -> int:
    """Maps per row: about twice as wide as tall (32 -> 8, 64 -> 16, 128 -> 16)."""
    return max(1, min(channels, 16, 2 ** math.ceil(math.log2(math.sqrt(2 * channels)))))


def tile_maps(values: np.ndarray, columns: int | None = None) -> np.ndarray:
    """One layer's maps as one greyscale picture: a grid of its channels.

    Each layer is scaled by its own largest value, so the maps of a layer compare
    with each other (a brighter map fired more), and a silent map stays black.

    Args:
        values: (height, width, channels) activations of one image.
        columns: Maps per row (default :func:`grid_columns`).

    Returns:
        A uint8 (rows * (height + GAP) - GAP, columns * (width + GAP) - GAP) picture.
    """
    values = np.asarray(values, dtype=np.float32)
    if values.ndim != 3:
        raise ValueError(f"expected (height, width, channels), got {values.shape}")
    height, width, channels = values.shape
    columns = columns or grid_columns(channels)
    rows = math.ceil(channels / columns)
    peak = float(np.max(np.abs(values))) if values.size else 0.0
    scale = 255.0 / peak if peak > 0 and math.isfinite(peak) else 0.0
    # Negative outputs (a conv without ReLU) show as dark as zero: maps show firing.
    grey = (np.clip(values * scale, 0.0, 255.0) + 0.5).astype(np.uint8)
    pad = columns * rows - channels
    if pad:
        grey = np.concatenate([grey, np.zeros((height, width, pad), np.uint8)], axis=2)
    framed = np.full((rows, height + GAP, columns, width + GAP), GRID_BACKGROUND, np.uint8)
    # (H, W, rows*cols) -> (rows, H, cols, W): one reshape and transpose, no loop.
    framed[:, :height, :, :width] = grey.reshape(height, width, rows, columns).transpose(2, 0, 3, 1)
    out = framed.reshape(rows * (height + GAP), columns * (width + GAP))
    return out[:-GAP, :-GAP]


def strip_levels(values: np.ndarray) -> np.ndarray:
    """A dense layer's outputs scaled to [0, 1] by its largest (bar heights)."""
    values = np.maximum(np.asarray(values, dtype=np.float32).reshape(-1), 0.0)
    peak = float(values.max()) if values.size else 0.0
    return values / peak if peak > 0 and math.isfinite(peak) else np.zeros_like(values)


# ----- saliency ------------------------------------------------------------------------

# A diverging map (blue, white, red), after ColorBrewer's RdBu: blue is "toward the
# runner-up", red "toward the answer"; both ends are distinct for colour-blind eyes.
_DIVERGING = np.array(
    [
        [33, 102, 172],
        [103, 169, 207],
        [209, 229, 240],
        [247, 247, 247],
        [253, 219, 199],
        [239, 138, 98],
        [178, 24, 43],
    ],
    dtype=np.float32,
)


def diverging_colours(levels: np.ndarray) -> np.ndarray:
    """RGB uint8 colours for levels in [-1, 1] (-1 blue, 0 white, +1 red)."""
    t = (np.clip(np.asarray(levels, np.float32), -1.0, 1.0) + 1.0) * 0.5 * (len(_DIVERGING) - 1)
    low = np.floor(t).astype(np.int64).clip(0, len(_DIVERGING) - 2)
    frac = (t - low)[..., None]
    rgb = _DIVERGING[low] * (1.0 - frac) + _DIVERGING[low + 1] * frac
    return (rgb + 0.5).astype(np.uint8)


def legend_colours(width: int = 256) -> np.ndarray:
    """One row of the colour map, left (-1) to right (+1): a (1, width, 3) uint8 legend."""
    return diverging_colours(np.linspace(-1.0, 1.0, width, dtype=np.float32))[None, :, :]


def saliency_overlay(view: np.ndarray, contrast: np.ndarray) -> np.ndarray:
    """The model's 28x28 view in grey with the saliency coloured over it.

    Args:
        view: The (28, 28) input in [0, 1] (bright ink).
        contrast: The (28, 28) signed attribution: positive pushed toward the
            answer, negative toward the runner-up.

    Returns:
        A (28, 28, 3) uint8 picture: the ink as dim grey, and where the
        attribution is large, its colour (red toward the answer, blue toward the
        runner-up), as opaque as it is strong (full at the 95th percentile).
    """
    view = np.clip(np.asarray(view, np.float32).reshape(28, 28), 0.0, 1.0)
    contrast = np.asarray(contrast, np.float32).reshape(28, 28)
    magnitude = np.abs(contrast)
    nonzero = magnitude[magnitude > 0]
    # Scaled by a high percentile, not the maximum: a few extreme pixels would
    # otherwise wash every other stroke out to white.
    limit = float(np.percentile(nonzero, 95)) if nonzero.size else 0.0
    if limit > 0 and math.isfinite(limit):
        levels = np.clip(contrast / limit, -1.0, 1.0)
    else:
        levels = np.zeros_like(contrast)
    base = (40.0 + 120.0 * view)[..., None]  # ink dim grey, so colours stand out
    colour = diverging_colours(levels).astype(np.float32)
    alpha = np.abs(levels)[..., None] ** 0.7  # faint attributions still show a little
    return (base * (1.0 - alpha) + colour * alpha + 0.5).astype(np.uint8)


def normalised_saliency(attribution: np.ndarray) -> np.ndarray:
    """Absolute attribution divided by its total: a (28, 28) map summing to 1 (or all 0)."""
    magnitude = np.abs(np.asarray(attribution, np.float64)).reshape(28, 28)
    total = float(magnitude.sum())
    if total <= 0 or not math.isfinite(total):
        return np.zeros((28, 28), np.float64)
    return magnitude / total


def top_classes(probabilities: Sequence[float], count: int = 3) -> list[int]:
    """Indices of the ``count`` most probable classes, most probable first (ties: lower index)."""
    p = np.asarray(probabilities, np.float64)
    return [int(i) for i in np.argsort(-p, kind="stable")[:count]]


@dataclass(frozen=True)
class Saliency:
    """Integrated gradients for one image (see :mod:`training.explain_keras`).

    Attributes:
        answer: The class explained (the most probable one).
        runner_up: The second most probable class (None for a one-class model).
        answer_map: (28, 28) attribution of the answer's log-probability.
        contrast: (28, 28) attribution of log p(answer) - log p(runner-up):
            positive where the ink pushed toward the answer, negative toward the
            runner-up. Zero wherever the input is blank (the baseline).
    """

    answer: int
    runner_up: int | None
    answer_map: np.ndarray
    contrast: np.ndarray

    def normalised(self) -> np.ndarray:
        """The answer's saliency as :func:`normalised_saliency` (sums to 1)."""
        return normalised_saliency(self.answer_map)
