"""Synthetic drawings for ``bench_personalize.py`` and the personalisation tests.

Two sets, drawn dark-on-white on a 280x280 canvas (like ``guiapp.canvas``) with the
stroke tools of :mod:`real_inputs` (round-capped polylines, a hand's wobble), each
drawing with its own random size, place, slant, shear and pen:

* a "personal style" of three digits that MNIST writers rarely use: a seven with
  a crossbar and a foot, a one with a long flag and a base, and a closed, looped
  four with a bar across;
* three shapes for a custom mode: circle, triangle, square.

``examples_folder`` writes either set as an image-folder dataset
(``<folder>/<class>/<n>.png``), the layout of the app's examples folders.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

try:  # run as a script from tests/benchmarks, or imported by the tests
    from real_inputs import CANVAS, _draw_polyline, _wobbly
except ImportError:  # pragma: no cover - depends on how it is imported
    from tests.benchmarks.real_inputs import CANVAS, _draw_polyline, _wobbly

# Strokes in a unit box (x right, y down); each class is a list of polylines. The
# styles are ones the bundled model gets wrong (bench_personalize.py shows how often):
# there is nothing to personalise in a style it already reads.
_LOOP = [
    (0.55 + 0.4 * math.cos(a), 0.32 + 0.3 * math.sin(a))
    for a in np.linspace(0.5 * math.pi, 2.5 * math.pi, 20)
]
PERSONAL_DIGITS: dict[int, list[list[tuple[float, float]]]] = {
    # A seven with a crossbar and a foot (a barred Z): read as a 2.
    7: [[(0.05, 0.05), (0.95, 0.05), (0.1, 0.95), (0.9, 0.95)], [(0.2, 0.5), (0.8, 0.5)]],
    # A one with a long, nearly flat flag and a wide base.
    1: [[(0.0, 0.12), (0.7, 0.0), (0.55, 1.0)], [(0.1, 1.0), (1.0, 1.0)]],
    # A closed four: a loop on a stem, with a bar across: read as a 9.
    4: [_LOOP, [(0.95, 0.3), (0.95, 1.0)], [(0.0, 0.62), (1.0, 0.62)]],
}
DIGIT_WIDTH = 0.62
"""Width of a digit's box, as a share of its height."""

SHAPES = ("circle", "triangle", "square")


def _shape_strokes(name: str) -> list[list[tuple[float, float]]]:
    if name == "circle":
        t = np.linspace(0, 2 * math.pi, 40)
        return [list(zip(0.5 + 0.5 * np.cos(t), 0.5 + 0.5 * np.sin(t), strict=True))]
    if name == "triangle":
        return [[(0.5, 0.0), (1.0, 0.95), (0.0, 0.95), (0.5, 0.0)]]
    if name == "square":
        return [[(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0)]]
    raise ValueError(name)


def _draw(
    strokes: list[list[tuple[float, float]]], aspect: float, rng: np.random.Generator
) -> np.ndarray:
    """One drawing of ``strokes`` at a random size, place, slant and pen (uint8, 280x280)."""
    height = rng.uniform(120, 240)
    width = height * aspect * rng.uniform(0.85, 1.15)
    angle = math.radians(rng.uniform(-12, 12))
    shear = rng.uniform(-0.2, 0.2)
    rotation = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    a = rotation @ np.array([[1, shear], [0, 1]]) @ np.diag([width, height])
    margin = max(width, height) / 2 + 12
    centre = rng.uniform(margin, CANVAS - margin, 2) if margin < CANVAS / 2 else np.full(2, 140.0)
    pen = rng.uniform(10, 24)
    image = Image.new("L", (CANVAS, CANVAS), 255)
    draw = ImageDraw.Draw(image)
    for stroke in strokes:
        points = np.asarray(stroke, np.float64)
        points = (points - 0.5 + rng.normal(0, 0.02, points.shape)) @ a.T + centre
        _draw_polyline(draw, _wobbly(points, rng, 2.0, 5), pen)
    return np.asarray(image).copy()


def personal_digits(n_per_class: int, seed: int) -> tuple[list[np.ndarray], np.ndarray]:
    """``n_per_class`` drawings of each personal-style digit, and their labels."""
    rng = np.random.default_rng(seed)
    images, labels = [], []
    for label, strokes in PERSONAL_DIGITS.items():
        for _ in range(n_per_class):
            images.append(_draw(strokes, DIGIT_WIDTH, rng))
            labels.append(label)
    return images, np.asarray(labels, np.int64)


def shapes(n_per_class: int, seed: int) -> tuple[list[np.ndarray], np.ndarray]:
    """``n_per_class`` drawings of each shape; labels index :data:`SHAPES`."""
    rng = np.random.default_rng(seed)
    images, labels = [], []
    for label, name in enumerate(SHAPES):
        for _ in range(n_per_class):
            images.append(_draw(_shape_strokes(name), 1.0, rng))
            labels.append(label)
    return images, np.asarray(labels, np.int64)


def examples_folder(
    folder: Path, images: list[np.ndarray], labels: np.ndarray, names: dict[int, str]
) -> Path:
    """Write drawings as ``folder/<names[label]>/<n>.png``; return ``folder``."""
    for n, (image, label) in enumerate(zip(images, labels, strict=True)):
        target = folder / names[int(label)]
        target.mkdir(parents=True, exist_ok=True)
        Image.fromarray(image).save(target / f"{n:04d}.png")
    return folder
