"""Luma and compositing onto the implied background, shared by the preprocessor and the GUI."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from training.compositing import LUMA_WEIGHTS, composite_on_implied_background, luma
from training.images import BlankImageError


def test_luma_matches_pillow() -> None:
    rng = np.random.default_rng(0)
    rgb = rng.integers(0, 256, (8, 8, 3), dtype=np.uint8)
    ours = luma(rgb.astype(np.float32) / 255) * 255
    pillow = np.asarray(Image.fromarray(rgb).convert("L"), dtype=np.float32)
    np.testing.assert_allclose(ours, pillow, atol=1.0)  # Pillow rounds to integers
    assert LUMA_WEIGHTS.sum() == pytest.approx(1.0)


def test_dark_strokes_land_on_white_and_light_strokes_on_black() -> None:
    alpha = np.zeros((4, 4), np.float32)
    alpha[1:3, 1:3] = 1.0
    dark = composite_on_implied_background(np.zeros((4, 4), np.float32), alpha)
    assert dark[0, 0] == 1.0 and dark[1, 1] == 0.0
    light = composite_on_implied_background(np.ones((4, 4), np.float32), alpha)
    assert light[0, 0] == 0.0 and light[1, 1] == 1.0


def test_colour_keeps_its_shape_and_half_transparency_blends() -> None:
    colour = np.zeros((2, 2, 3), np.float32)  # black ink: the background is white
    alpha = np.full((2, 2), 0.5, np.float32)
    out = composite_on_implied_background(colour, alpha)
    assert out.shape == (2, 2, 3) and out.dtype == np.float32
    np.testing.assert_allclose(out, 0.5)


def test_fully_transparent_is_blank() -> None:
    with pytest.raises(BlankImageError, match="transparent"):
        composite_on_implied_background(np.zeros((3, 3), np.float32), np.zeros((3, 3), np.float32))
