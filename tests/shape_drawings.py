"""Synthetic shape drawings (circle, square, triangle) for custom-mode tests and benchmarks."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

SHAPES = ("circle", "square", "triangle")


def shape_picture(kind: str, rng: np.random.Generator, size: int = 280) -> np.ndarray:
    """A ``size``-square white drawing of a dark circle, square or triangle outline.

    Position, size, pen width and a small rotation vary with ``rng``, as a person's
    drawings on the canvas do.
    """
    image = Image.new("L", (size, size), 255)
    pen = ImageDraw.Draw(image)
    scale = size / 280
    cx, cy = (rng.integers(110, 170, size=2) * scale).astype(int)
    r = int(rng.integers(60, 100) * scale)
    width = max(1, int(rng.integers(10, 18) * scale))
    angle = float(rng.uniform(-0.25, 0.25))
    if kind == "circle":
        ry = int(r * rng.uniform(0.8, 1.1))
        pen.ellipse([cx - r, cy - ry, cx + r, cy + ry], outline=0, width=width)
        return np.asarray(image)
    if kind == "square":
        corners = [(-r, -r), (r, -r), (r, r), (-r, r), (-r, -r)]
    elif kind == "triangle":
        corners = [(0, -r), (r, r), (-r, r), (0, -r)]
    else:
        raise ValueError(f"unknown shape {kind!r}")
    cos, sin = np.cos(angle), np.sin(angle)
    points = [(cx + x * cos - y * sin, cy + x * sin + y * cos) for x, y in corners]
    pen.line(points, fill=0, width=width, joint="curve")
    return np.asarray(image)
