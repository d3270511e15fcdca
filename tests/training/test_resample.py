"""Tests for training.resample: the preprocessor's resizing agrees with Pillow's."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from training.resample import resize


@pytest.mark.parametrize(
    ("shape", "out", "atol"),
    [
        ((60, 45), (20, 15), 1e-5),  # no block step: exactly Pillow's BOX
        ((13, 9), (20, 14), 1e-5),  # enlarging: exactly Pillow's BILINEAR
        ((5, 3), (20, 12), 1e-5),
        ((197, 126), (20, 13), 0.1),  # block sums first: close to BOX
        ((420, 270), (20, 13), 0.1),
        ((1000, 3000), (7, 20), 0.1),  # very wide: column blocks too
        ((100, 100), (28, 28), 0.1),
    ],
)
def test_resampling_matches_pillow(
    shape: tuple[int, int], out: tuple[int, int], atol: float
) -> None:
    rng = np.random.default_rng(0)
    h, w = shape
    # Smooth random texture: harder than a drawing, still band-limited like one.
    texture = Image.fromarray((rng.random((h // 3 + 1, w // 3 + 1)) * 255).astype(np.uint8))
    image = np.asarray(texture.resize((w, h), Image.Resampling.BILINEAR))
    ours = resize(image, *out)
    assert ours.shape == out and ours.dtype == np.float32
    resample = Image.Resampling.BOX if out[0] <= h else Image.Resampling.BILINEAR
    theirs = np.asarray(Image.fromarray(image.astype(np.float32)).resize(out[::-1], resample))
    np.testing.assert_allclose(ours / ours.max(), theirs / theirs.max(), atol=atol)
