"""Pictures and checks for the preprocessing and greyscale tests (drawn with Pillow, no files)."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw


def draw_digit(
    size: tuple[int, int] = (280, 280),
    box: tuple[float, float, float, float] = (60, 40, 220, 240),
    *,
    ink: int = 0,
    paper: int = 255,
    pen: float | None = None,
) -> Image.Image:
    """An asymmetric '4'-like digit in ``box`` (left, top, right, bottom), mode L.

    The pen width scales with the box, as it would if the same digit were drawn
    bigger, so two boxes give the same digit at two sizes.
    """
    left, top, right, bottom = box
    w, h = right - left, bottom - top
    width = max(1, round(pen if pen is not None else 0.11 * h))
    image = Image.new("L", size, paper)
    draw = ImageDraw.Draw(image)

    def at(fx: float, fy: float) -> tuple[float, float]:
        return (left + fx * w, top + fy * h)

    draw.line([at(0.55, 0.0), at(0.0, 0.62), at(1.0, 0.62)], fill=ink, width=width, joint="curve")
    draw.line([at(0.72, 0.25), at(0.72, 1.0)], fill=ink, width=width)
    r = width / 2
    cx, cy = at(0.55, 0.0)
    draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=ink)
    return image


def draw_garment(size: tuple[int, int] = (300, 240), scale: float = 1.0) -> Image.Image:
    """A filled T-shirt silhouette, dark on white, wider than tall."""
    image = Image.new("L", size, 255)
    s = scale
    points = [
        (60, 20),
        (120, 20),
        (130, 35),
        (150, 20),
        (210, 20),
        (250, 70),
        (215, 90),
        (200, 75),
        (200, 200),
        (80, 200),
        (80, 75),
        (65, 90),
        (30, 70),
    ]
    ImageDraw.Draw(image).polygon([(x * s, y * s) for x, y in points], fill=40)
    return image


def as_2d(x: np.ndarray) -> np.ndarray:
    assert x.shape == (1, 28, 28, 1)
    return x[0, :, :, 0]


def assert_valid(x: np.ndarray) -> None:
    assert isinstance(x, np.ndarray)
    assert x.shape == (1, 28, 28, 1)
    assert x.dtype == np.float32
    assert x.flags.c_contiguous
    assert np.isfinite(x).all()
    assert x.min() >= 0.0
    assert x.max() == pytest.approx(1.0, abs=1e-6)


def corr(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.corrcoef(np.ravel(a), np.ravel(b))[0, 1])


def ink_bbox(x2d: np.ndarray, level: float = 0.0) -> tuple[int, int, int, int]:
    rows = np.flatnonzero((x2d > level).any(axis=1))
    cols = np.flatnonzero((x2d > level).any(axis=0))
    return int(rows[0]), int(rows[-1]), int(cols[0]), int(cols[-1])


def centre_of_mass(x2d: np.ndarray) -> tuple[float, float]:
    total = x2d.sum()
    idx = np.arange(x2d.shape[0])
    return float(x2d.sum(axis=1) @ idx / total), float(x2d.sum(axis=0) @ idx / total)
