"""Grey from colour, and transparency flattened onto the background a picture implies.

Shared by the preprocessor and by the GUI's picture loader, so a transparent picture
looks the same on the canvas as it does to the model. Numpy only.
"""

from __future__ import annotations

import numpy as np

from training.images import BlankImageError

__all__ = ["LUMA_WEIGHTS", "composite_on_implied_background", "luma"]

LUMA_WEIGHTS = np.array([0.299, 0.587, 0.114], dtype=np.float32)
"""ITU-R 601-2 luma, the weights Pillow's ``convert("L")`` uses, so numpy and Pillow
colour inputs give the same grey."""


def luma(rgb: np.ndarray) -> np.ndarray:
    """The grey of float colours: (..., 3 or 4) -> (...); an alpha channel is ignored."""
    return rgb[..., :3] @ LUMA_WEIGHTS


def composite_on_implied_background(
    values: np.ndarray, alpha: np.ndarray, grey: np.ndarray | None = None
) -> np.ndarray:
    """Composite a float image with alpha onto white or black, whichever it implies.

    Dark strokes on a transparent background must land on white and light strokes
    on black, or the ink would vanish; the opaque pixels' mean luminance (weighted
    by alpha) tells which.

    Args:
        values: Grey (H, W) or colour (H, W, C) in [0, 1].
        alpha: Opacity (H, W) in [0, 1].
        grey: The luma of ``values`` when they are colour (computed if None).

    Returns:
        The composited image, float32, of the shape of ``values``.

    Raises:
        BlankImageError: If the image is fully transparent.
    """
    weight = float(alpha.sum(dtype=np.float64))
    if weight <= 0.0:
        raise BlankImageError("image is blank (fully transparent)")
    if grey is None:
        grey = values if values.ndim == 2 else luma(values)
    mean_luma = float((grey * alpha).sum(dtype=np.float64)) / weight
    background = np.float32(1.0 if mean_luma < 0.5 else 0.0)
    opacity = alpha if values.ndim == 2 else alpha[:, :, None]
    return background + opacity * (values - background)
